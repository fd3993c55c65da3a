/** The fault suite's command line (args.ts). */
import { describe, expect, it } from 'vitest';

import { ArgsError, DEFAULT_QUIET_MS, parseArgs } from './args.js';

const KNOWN = ['worker-kill', 'redis-kill', 'fuzz'];

describe('parseArgs', () => {
  it('runs everything, full size, as text by default', () => {
    expect(parseArgs([], KNOWN)).toEqual({
      json: false,
      short: false,
      strict: false,
      help: false,
      seed: undefined,
      quietMs: 5_000,
      scenarios: KNOWN,
    });
  });

  it('reads --quiet-seconds (default 5 s), a number of seconds from 0 to 600', () => {
    expect(DEFAULT_QUIET_MS).toBe(5_000);
    expect(parseArgs(['--quiet-seconds', '2.5'], KNOWN).quietMs).toBe(2_500);
    expect(parseArgs(['--quiet-seconds', '0'], KNOWN).quietMs).toBe(0);
    for (const bad of [['--quiet-seconds'], ['--quiet-seconds', '-1'], ['--quiet-seconds', 'x']])
      expect(() => parseArgs(bad, KNOWN)).toThrow('--quiet-seconds needs a number of seconds');
  });

  it('reads --short, --json, --strict and --help', () => {
    expect(parseArgs(['--short', '--json', '--strict', '-h'], KNOWN)).toMatchObject({
      json: true,
      short: true,
      strict: true,
      help: true,
    });
  });

  it('reads --seed, a positive integer', () => {
    expect(parseArgs(['--seed', '42'], KNOWN).seed).toBe(42);
    expect(() => parseArgs(['--seed', 'x'], KNOWN)).toThrow('--seed needs a positive integer');
    expect(() => parseArgs(['--seed'], KNOWN)).toThrow('--seed needs a positive integer');
  });

  it('takes repeated and comma-separated --scenario, in the suite’s order', () => {
    expect(
      parseArgs(['--scenario', 'fuzz,worker-kill', '--scenario=redis-kill'], KNOWN).scenarios,
    ).toEqual(['worker-kill', 'redis-kill', 'fuzz']);
  });

  it('refuses unknown options and scenarios, and a missing name', () => {
    expect(() => parseArgs(['--fast'], KNOWN)).toThrow(ArgsError);
    expect(() => parseArgs(['--scenario', 'nope'], KNOWN)).toThrow(
      'unknown scenario "nope" (known: worker-kill, redis-kill, fuzz)',
    );
    expect(() => parseArgs(['--scenario'], KNOWN)).toThrow('--scenario needs a name');
    expect(() => parseArgs(['--scenario', '--json'], KNOWN)).toThrow('--scenario needs a name');
  });
});
