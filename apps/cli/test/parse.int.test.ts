/**
 * `pos-ga4 parse` in real subprocesses (real stdin, stdout, stderr and exit codes). The command
 * factory is run through tsx directly, so this test does not depend on where main.ts registers it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { readRejects } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';
import { runProcess } from '@pos-ga4/testkit';
import type { ProcessResult } from '@pos-ga4/testkit';
import { describe, expect, it, vi } from 'vitest';

import { parseCommand } from '../src/commands/parse.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMAND = fileURLToPath(new URL('../src/commands/parse.ts', import.meta.url));

const HARNESS = `
import { parseCommand } from ${JSON.stringify(COMMAND)};
let code = 0;
const command = parseCommand((c) => { code = Math.max(code, c); }).exitOverride();
try { await command.parseAsync(process.argv.slice(1), { from: 'user' }); }
catch (error) { code = typeof error.exitCode === 'number' ? error.exitCode : 1; }
process.exitCode = code;
`;

async function parse(args: string[], input?: string): Promise<ProcessResult> {
  return runProcess(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', HARNESS, '--', ...args],
    {
      cwd: ROOT,
      ...(input === undefined ? {} : { input }),
    },
  );
}

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

describe('pos-ga4 parse', () => {
  it('--format escpos --profile examplemart.yaml prints the one transaction of receipt-with-logo.bin', async () => {
    const result = await parse([
      '--format',
      'escpos',
      '--profile',
      'profiles/examplemart.yaml',
      'fixtures/escpos/escpos-php/receipt-with-logo.bin',
    ]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const [transaction, ...more] = jsonLines<Transaction>(result.stdout);
    expect(more).toEqual([]);
    expect(transaction).toMatchObject({
      kind: 'sale',
      subtotal: 1295,
      tax: 130,
      total: 1425,
      occurredAt: '2015-04-06T14:56:25-04:00',
      source: { format: 'escpos', captureRef: 'receipt-with-logo.bin@0+9574' },
    });
    expect(transaction?.lines).toHaveLength(4);
  });

  it('--emit text prints each receipt\'s text, separated by "---" (demo.bin: 14 receipts)', async () => {
    const result = await parse([
      '--format',
      'escpos',
      '--emit',
      'text',
      'fixtures/escpos/escpos-php/demo.bin',
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => line === '---')).toHaveLength(13);
    expect(lines[0]).toBe('Hello world');
    const logo = await parse([
      '--format',
      'escpos',
      '--emit',
      'text',
      'fixtures/escpos/escpos-php/receipt-with-logo.bin',
    ]);
    expect(logo.stdout).toMatch(
      /^ExampleMart Ltd\.\n[\s\S]*\nMonday 6th of April 2015 02:56:25 PM\n$/,
    );
  });

  it('sends a rejected receipt to stderr as JSON with code and reason, keeps it with --rejects, and exits 1', async () => {
    const rejects = mkdtempSync(join(tmpdir(), 'parse-rejects-'));
    const result = await parse([
      '--format',
      'escpos',
      '--profile',
      'profiles/frischmarkt-de.yaml',
      '--rejects',
      rejects,
      'fixtures/profiles/frischmarkt-de/day.bin',
    ]);
    expect(result.code).toBe(1);
    expect(jsonLines<Transaction>(result.stdout).map((t) => t.receiptNumber)).toEqual([
      '4711',
      '4712',
    ]);
    expect(jsonLines(result.stderr)).toEqual([
      expect.objectContaining({
        code: 'TOTALS_MISMATCH',
        reason: 'total: total 1679 differs from 1579 (subtotal + shipping + rounding)',
        captureRef: 'day.bin@2817+1344',
      }),
    ]);
    const kept = readRejects(rejects);
    expect(kept.map((r) => [r.code, r.format, Buffer.from(r.rawBase64, 'base64').length])).toEqual([
      ['TOTALS_MISMATCH', 'escpos', 1344],
    ]);
  });

  it('reports lines a profile does not understand on stderr, without rejecting the receipt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parse-warn-'));
    const receipt = join(dir, 'receipt.txt');
    const text =
      'HUDSON CORNER MARKET\nSTORE 0142   REG 03   TRN 6001\n11/26/2026 09:10 AM\n204518  PAPER TOWELS 6PK   8.99 T\n  SURVEY CODE 4411-2\n  SUBTOTAL   8.99\n  SALES TAX 8.875%   0.80\n  TOTAL   9.79\n';
    writeFileSync(receipt, text);
    // Plain text through the escpos format: printable bytes are the text.
    const result = await parse([
      '--format',
      'escpos',
      '--profile',
      'profiles/hudson-market-us.yaml',
      receipt,
    ]);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toHaveLength(1);
    expect(jsonLines(result.stderr)).toEqual([
      {
        transactionId: 'hudson-0142_reg-03_20261126_6001',
        captureRef: `receipt.txt@0+${Buffer.byteLength(text)}`,
        warnings: ['line 5 not understood by profile "hudson-market-us": "  SURVEY CODE 4411-2"'],
      },
    ]);
  });

  it('--format jsonl prints the 9 transactions of the demo day', async () => {
    const result = await parse(['--format', 'jsonl', 'fixtures/receipts/demo-day.jsonl']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(jsonLines(result.stdout)).toHaveLength(9);
  });

  it('--format kv reads a key=value journal from stdin', async () => {
    const journal = join(ROOT, 'fixtures', 'profiles', 'kv', 'day.kv');
    const { readFileSync } = await import('node:fs');
    const result = await parse(['--format', 'kv', '-'], readFileSync(journal, 'utf8'));
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(
      jsonLines<Transaction>(result.stdout).map((t) => [
        t.receiptNumber,
        t.kind,
        t.source.captureRef,
      ]),
    ).toEqual([
      ['000101', 'sale', 'stdin@0+544'],
      ['000102', 'sale', 'stdin@545+469'],
      ['2026/0007', 'refund', 'stdin@1015+326'],
    ]);
    const bad = await parse(['--format', 'kv', 'fixtures/profiles/kv/bad-lines.kv']);
    expect(bad.code).toBe(1);
    expect(jsonLines(bad.stdout)).toHaveLength(1);
    expect(jsonLines<{ code: string }>(bad.stderr).map((r) => r.code)).toEqual([
      'KV_INVALID',
      'TOTALS_MISMATCH',
      'KV_INVALID',
    ]);
  });

  it('exits 2 for a missing profile or an invalid one, naming the field', async () => {
    const missing = await parse([
      '--format',
      'escpos',
      'fixtures/escpos/escpos-php/receipt-with-logo.bin',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--format escpos needs --profile FILE/);
    const dir = mkdtempSync(join(tmpdir(), 'parse-profile-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      "name: bad\nmoney: { currency: EUR }\ndates: { formats: ['DD.MM.YYYY'], timeZone: Europe/Berlin }\ntaxMode: added\npatterns:\n  fields: '^(?<date>.+) (?<receipt>\\d+)$'\n  total: '^SUMME (?<sum>.+)$'\n  items: ['^(?<name>.+) (?<total>.+)$']\n",
    );
    const invalid = await parse([
      '--format',
      'escpos',
      '--profile',
      file,
      'fixtures/escpos/escpos-php/receipt-with-logo.bin',
    ]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('PROFILE_INVALID: Invalid receipt profile');
    expect(invalid.stderr).toContain('- patterns.total: unknown group (?<sum>…)');
  });

  it('has --help with examples', async () => {
    const writes: string[] = [];
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        writes.push(String(chunk));
        return true;
      });
    try {
      const command = parseCommand(() => undefined).exitOverride();
      await expect(command.parseAsync(['--help'], { from: 'user' })).rejects.toMatchObject({
        exitCode: 0,
      });
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(
      /Usage: parse [\s\S]*Examples:\n {2}npx pos-ga4 parse --format escpos/,
    );
  });
});
