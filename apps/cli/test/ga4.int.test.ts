/**
 * `pos-ga4 ga4 map` and `ga4 validate` as users run them, in real subprocesses: validate reads
 * JSON lines (what map prints) as well as one pretty-printed body, checks the timestamp window
 * against its clock, and a reader that closes the pipe early (`| head -1`) ends the CLI quietly
 * with exit code 0 instead of an EPIPE stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runProcess } from '@pos-ga4/testkit';
import type { ProcessResult } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin', 'pos-ga4');
const JOURNAL = join(ROOT, 'fixtures', 'receipts', 'demo-day.jsonl');
const NOW = '2026-11-26T23:00:00Z'; // after every receipt of demo-day
const PIPE_BUFFER = 64 * 1024; // Linux default: more output than this cannot all be written early

async function cli(args: string[], input?: string): Promise<ProcessResult> {
  return runProcess(BIN, args, { cwd: ROOT, ...(input === undefined ? {} : { input }) });
}

interface Body {
  client_id: string;
  events: { name: string; params: Record<string, unknown>; timestamp_micros?: number }[];
}

async function mappedBodies(): Promise<Body[]> {
  const mapped = await cli(['ga4', 'map', JOURNAL, '--now', NOW]);
  expect(mapped.code).toBe(0);
  return mapped.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Body);
}

/** JSON lines of `count` copies of the journal's first receipt, each its own receipt and client. */
function bigJournal(count: number): string {
  const first = JSON.parse(readFileSync(JOURNAL, 'utf8').split('\n')[0] ?? '') as object;
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      ...first,
      receiptNumber: String(200_000 + i),
      identities: [{ kind: 'ga-client-id', value: `${1_000_000_000 + i}.1675709798` }],
    }),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'ga4-epipe-')), 'big.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const lines = (stdout: string): unknown[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);

describe('pos-ga4 ga4 validate', () => {
  it('reads the JSON lines ga4 map prints: one result per body, with its input line', async () => {
    const bodies = await mappedBodies();
    expect(bodies.length).toBeGreaterThan(1);
    const input = bodies.map((body) => JSON.stringify(body)).join('\n');
    const result = await cli(['ga4', 'validate', '--now', NOW], input);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual(
      bodies.map((_, i) => ({ line: i + 1, validationMessages: [] })),
    );
  });

  it('exits 1 when any body has messages and says which line it came from', async () => {
    const [first, second, third] = await mappedBodies();
    if (!first || !second || !third) throw new Error('demo-day maps to at least 3 bodies');
    const event = second.events[0];
    if (!event) throw new Error('a body has events');
    const wrongCase = { ...second, events: [{ ...event, name: 'Purchase' }] };
    const input = [first, wrongCase, '', third].map((b) => (b === '' ? '' : JSON.stringify(b)));
    const result = await cli(['ga4', 'validate', '-', '--now', NOW], input.join('\n'));
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toEqual([
      { line: 1, validationMessages: [] },
      {
        line: 2,
        validationMessages: [
          {
            fieldPath: 'events[0].name',
            description: expect.stringContaining('custom event') as unknown,
            validationCode: 'NAME_INVALID',
          },
        ],
      },
      { line: 4, validationMessages: [] },
    ]);
  });

  it('still reads one pretty-printed body as one body (no "line")', async () => {
    const [first] = await mappedBodies();
    const result = await cli(['ga4', 'validate', '--now', NOW], JSON.stringify(first, null, 2));
    expect([result.code, result.stdout]).toEqual([0, '{"validationMessages":[]}\n']);
  });

  it('checks the 72 h window against the real clock unless given --now', async () => {
    const [first] = await mappedBodies();
    const text = JSON.stringify(first);
    const withNow = await cli(['ga4', 'validate', '--now', NOW], text);
    expect(withNow.code).toBe(0);
    const old = { ...first, timestamp_micros: (Date.now() - 80 * 3_600_000) * 1000 };
    const realClock = await cli(['ga4', 'validate'], JSON.stringify(old));
    expect(realClock.code).toBe(1);
    expect(JSON.parse(realClock.stdout)).toMatchObject({
      validationMessages: expect.arrayContaining([
        expect.objectContaining({
          fieldPath: 'timestamp_micros',
          validationCode: 'VALUE_OUT_OF_BOUNDS',
        }),
      ]) as unknown,
    });
  });

  it('rejects a --now that is not a date', async () => {
    const result = await cli(['ga4', 'validate', '--now', 'yesterday'], '{}');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('expected an ISO 8601 date-time');
  });
});

describe('pos-ga4 with a reader that closes stdout early', () => {
  it('ga4 map ends quietly with exit code 0 when its stdout is closed after the first chunk', async () => {
    const journal = bigJournal(1000);
    const full = await cli(['ga4', 'map', journal, '--now', NOW]);
    expect(Buffer.byteLength(full.stdout)).toBeGreaterThan(4 * PIPE_BUFFER);

    const child = spawn(BIN, ['ga4', 'map', journal, '--now', NOW], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const firstChunk = await new Promise<string>((resolve) => {
      child.stdout.once('data', (chunk: Buffer) => {
        child.stdout.destroy(); // like `head -1`: read the start, then close the pipe
        resolve(chunk.toString('utf8'));
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(JSON.parse(firstChunk.split('\n')[0] ?? '')).toMatchObject({
      events: [{ name: 'purchase' }],
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('`ga4 map … | head -1` prints one line, no stack trace, and the pipeline succeeds', async () => {
    const journal = bigJournal(1000);
    const result = await runProcess(
      'bash',
      ['-c', 'set -o pipefail; "$0" ga4 map "$1" --now "$2" | head -1', BIN, journal, NOW],
      { cwd: ROOT },
    );
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('ga4 map with the deployment’s settings and identities', () => {
  it('applies --config (prices, identity.hmacSecret) and --identities like the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga4-map-ids-'));
    const config = join(dir, 'worker.yaml');
    writeFileSync(
      config,
      'ga4:\n  measurementId: G-MAPIDS\n  apiSecret: map-ids-secret\nidentity:\n  hmacSecret: map-ids-key-0123456789\nmapping:\n  prices: gross\n',
    );
    const csv = join(dir, 'crm.csv');
    writeFileSync(
      csv,
      'kind,token,clientId,userId\nloyalty-card,LOY-MAPPED,1234567890.1700000000,crm-9\n',
    );
    const draft = (receipt: string, card: string): string =>
      JSON.stringify({
        storeId: 'map-1',
        terminalId: 'till-1',
        receiptNumber: receipt,
        kind: 'sale',
        occurredAt: '2026-11-26T10:00:00+01:00',
        currency: 'EUR',
        pricesIncludeTax: true,
        lines: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 1190, lineTotal: 1190 }],
        subtotal: 1190,
        tax: 190,
        total: 1190,
        identities: [{ kind: 'loyalty-card', value: card }],
      });
    const journal = join(dir, 'day.jsonl');
    writeFileSync(
      journal,
      [draft('1', 'LOY-MAPPED'), draft('2', 'LOY-REGULAR'), draft('3', 'LOY-REGULAR')].join('\n'),
    );
    const result = await cli([
      'ga4',
      'map',
      journal,
      '--now',
      NOW,
      '--config',
      config,
      '--identities',
      csv,
    ]);
    expect(result.code).toBe(0);
    const bodies = lines(result.stdout) as Body[];
    const mapped = bodies.find((b) => b.client_id === '1234567890.1700000000');
    expect(mapped).toMatchObject({ user_id: 'crm-9' });
    const regular = bodies.filter((b) => b !== mapped);
    // the unmapped card: one derived client id for both receipts (one request, both events)
    expect(new Set(regular.map((b) => b.client_id)).size).toBe(1);
    expect(regular.flatMap((b) => b.events)).toHaveLength(2);
    expect(bodies[0]?.events[0]?.params['value']).toBe(11.9); // prices: gross
    expect(result.stdout + result.stderr).not.toContain('map-ids-key-0123456789');
  });
});
