/** The fault suite's command line (args.ts). */
import { describe, expect, it } from 'vitest';

import { ArgsError, parseArgs } from './args.js';

const KNOWN = ['worker-kill', 'redis-kill', 'fuzz'];

describe('parseArgs', () => {
  it('runs everything, full size, as text by default', () => {
    expect(parseArgs([], KNOWN)).toEqual({
      json: false,
      short: false,
      strict: false,
      help: false,
      seed: undefined,
      scenarios: KNOWN,
    });
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
