/**
 * The `pos-ga4` binary as users run it (`npx pos-ga4 …` resolves node_modules/.bin/pos-ga4),
 * in real subprocesses: the demo on the shared Redis (its own prefix), ga4 map | validate,
 * config check; and --help with examples on every command.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { captureOutput, runProcess } from '@pos-ga4/testkit';
import type { ProcessResult } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

import { main } from '../src/main.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin', 'pos-ga4');

async function cli(args: string[], input?: string): Promise<ProcessResult> {
  return runProcess(BIN, args, { cwd: ROOT, ...(input === undefined ? {} : { input }) });
}

describe('pos-ga4 CLI', () => {
  it('npm run demo -- --json: every receipt delivered, a purchase per sale, a refund per refund, the refund netted', async () => {
    const { code, stdout } = await cli(['demo', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      receipts: 10,
      enqueued: 10,
      enqueuedByKind: { sale: 9, refund: 1 },
      delivered: 10,
      deadLettered: 0,
      events: { purchase: 9, refund: 1 },
    });
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['receipts', 'enqueued', 'delivered', 'deadLettered', 'requests']),
    );
    // fixtures/receipts/demo-returns.jsonl: the highlighters (2 × 1.89 incl. 19 % VAT) of receipt
    // 000101 (9.05 without tax) come back; GA4 nets the refund against that purchase
    expect(summary['netted']).toEqual([
      {
        transactionId: expect.stringMatching(/^berlin-01_till-1_\d{8}_000101$/) as unknown,
        purchase: 9.05,
        refunded: 3.18,
        net: 5.87,
        currency: 'EUR',
      },
    ]);
    expect(summary['revenue']).toEqual(
      expect.arrayContaining([{ currency: 'EUR', gross: 106.75, refunded: 3.18, net: 103.57 }]),
    );
  });

  it('ga4 map turns journal lines into valid, batched request bodies; ga4 validate agrees', async () => {
    const journal = join(ROOT, 'fixtures', 'receipts', 'demo-day.jsonl');
    const mapped = await cli(['ga4', 'map', journal, '--now', '2026-11-26T23:00:00Z']);
    expect(mapped.code).toBe(0);
    const bodies = mapped.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { client_id: string; events: unknown[] });
    // 9 receipts, 7 distinct clients (two repeat buyers) → 7 requests, one client each
    expect(bodies.reduce((n, b) => n + b.events.length, 0)).toBe(9);
    expect(new Set(bodies.map((b) => b.client_id)).size).toBe(bodies.length);
    const validated = await cli(
      ['ga4', 'validate', '-', '--now', '2026-11-26T23:00:00Z'], // the clock `map` used
      JSON.stringify(bodies[0]),
    );
    expect([validated.code, validated.stdout.trim()]).toEqual([0, '{"validationMessages":[]}']);
    const invalid = await cli(['ga4', 'validate', '-'], '{"events":[{"name":"_bad","params":[]}]}');
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({
      validationMessages: expect.arrayContaining([
        expect.objectContaining({ validationCode: 'NAME_RESERVED' }),
      ]) as unknown,
    });
  });

  it('ga4 map reports rejected lines on stderr with a code and exits 1', async () => {
    const mixed = join(ROOT, 'fixtures', 'journals', 'mixed-day.jsonl');
    const result = await cli(['ga4', 'map', mixed, '--now', '2026-11-26T13:00:00Z']);
    expect(result.code).toBe(1);
    const codes = result.stderr
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { code: string }).code);
    expect(codes).toEqual(['TOTALS_MISMATCH', 'JSON_INVALID', 'CURRENCY_UNKNOWN']);
    expect(result.stdout.trim().split('\n')).toHaveLength(1); // sale + refund of one client in one request; the void sends nothing
  });

  it('config check names the field, the expectation and the origin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'worker.yaml');
    writeFileSync(file, 'ga4:\n  measurementId: UA-123\n  apiSecret: x\nconcurency: 3\n');
    const result = await cli(['config', 'check', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'ga4.measurementId: expected a web stream measurement id like G-ABC123XYZ',
    );
    expect(result.stderr).toMatch(/unknown key\(s\) concurency/);
    writeFileSync(file, 'ga4:\n  measurementId: G-ABC123\n  apiSecret: x\n');
    expect((await cli(['config', 'check', file])).code).toBe(0);
  });

  it('config check accepts mapping.affiliation, mapping.userProperties and consent defaults, and names a wrong one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'worker.yaml');
    const valid = [
      'ga4:',
      '  measurementId: G-ABC123',
      '  apiSecret: x',
      'mapping:',
      '  affiliation: ExampleMart',
      '  userProperties: { last_store: storeId, last_till: terminalId }',
      'consent:',
      '  default: { adUserData: DENIED, adPersonalization: DENIED }',
      '  stores: { berlin-01: { adUserData: GRANTED } }',
      '',
    ].join('\n');
    writeFileSync(file, valid);
    const accepted = await cli(['config', 'check', file]);
    expect([accepted.code, accepted.stdout]).toEqual([0, `✓ ${file} is a valid worker config\n`]);
    writeFileSync(file, valid.replace('last_till: terminalId', 'customer: cardNumber'));
    const rejected = await cli(['config', 'check', file]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(
      'mapping.userProperties.customer: the transaction field to take the value from: storeId or terminalId',
    );
  });

  it('has --help with examples on every command', async () => {
    const paths = [
      ['demo'],
      ['replay'],
      ['parse'],
      ['redrive'],
      ['reconcile'],
      ['identities', 'import'],
      ['hid', 'decode'],
      ['status'],
      ['terminal'],
      ['doctor'],
      ['devices'],
      ['dashboard'],
      ['worker'],
      ['collector'],
      ['ga4', 'map'],
      ['ga4', 'validate'],
      ['config', 'check'],
      ['config', 'init'],
      ['rejects'],
    ];
    for (const path of paths) {
      const { result, stdout } = await captureOutput(() =>
        main(['node', 'pos-ga4', ...path, '--help']),
      );
      expect(result).toBe(0);
      expect(`${path.join(' ')}\n${stdout}`).toMatch(/Usage: pos-ga4 [\s\S]*Examples:/);
    }
    for (const path of [[], ['ga4'], ['config'], ['schemas'], ['identities'], ['hid']]) {
      const { result, stdout } = await captureOutput(() =>
        main(['node', 'pos-ga4', ...path, '--help']),
      );
      expect(result).toBe(0);
      expect(stdout).toContain('Usage:');
    }
  });
});
