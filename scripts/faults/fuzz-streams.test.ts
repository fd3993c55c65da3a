/**
 * The fuzzed ESC/POS streams (fuzz-streams.ts), checked with the terminal's own framer and
 * pipeline offline: exactly one receipt frame per stream, and one traceable outcome each.
 */
import { readFileSync } from 'node:fs';

import {
  inputFormat,
  loadReceiptProfile,
  runPipeline,
  splitEscposReceipts,
} from '@pos-ga4/terminal';
import type { Rejection } from '@pos-ga4/terminal';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import {
  fuzzIdentityAt,
  fuzzStreams,
  fuzzTerminalId,
  streamOfRaw,
  textMap,
} from './fuzz-streams.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../fixtures/profiles/frischmarkt-de/${name}`, import.meta.url));
const templates = [fixture('bar.bin'), fixture('karte.bin')];
const profile = loadReceiptProfile(
  new URL('../../profiles/frischmarkt-de.yaml', import.meta.url).pathname,
);
const identity = fuzzIdentityAt(new Date('2026-11-26T09:30:00Z'), 'Europe/Berlin');

/** Every stream through the terminal's own framer, parser and assembly, offline. */
async function parseAll(bytes: Buffer): Promise<{ rejects: Rejection[]; txs: Transaction[] }> {
  const rejects: Rejection[] = [];
  const txs: Transaction[] = [];
  await runPipeline({
    source: {
      name: 'fuzz',
      async *[Symbol.asyncIterator]() {
        await Promise.resolve();
        yield bytes;
      },
      close: () => Promise.resolve(),
    },
    sink: {
      enqueue: (batch) => {
        txs.push(...batch);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    },
    rejects: {
      record: (rejection) => {
        rejects.push(rejection);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    },
    format: inputFormat({ format: 'escpos', profile }),
    storeId: 'markt-0815',
  });
  return { rejects, txs };
}

describe('fuzzStreams', () => {
  it('knows every command of the templates', () => {
    for (const template of templates) {
      const text = textMap(template);
      expect(text).toHaveLength(template.length);
      expect(text.filter(Boolean).length).toBeGreaterThan(900);
    }
  });

  it('prints the identity in the profile’s zone', () => {
    expect(identity).toEqual({ date: '26.11.2026', time: '10:30', ymd: '20261126' });
  });

  it('gives each stream exactly one receipt frame, whatever the mutations', () => {
    const streams = fuzzStreams({
      templates,
      count: 400,
      tills: 3,
      seed: 7,
      firstReceipt: 1,
      identity,
    });
    expect(streams.filter((s) => s.mutations === 0).length).toBeGreaterThan(20);
    for (const stream of streams) {
      const receipts = splitEscposReceipts(stream.bytes).filter(
        (frame) => frame.kind === 'receipt' && frame.text !== '',
      );
      expect(receipts).toHaveLength(1);
      expect(receipts[0]?.endedBy).toBe('cut');
    }
  });

  it('ends every stream as one outcome, traceable to its stream: a transaction or a reject', async () => {
    const streams = fuzzStreams({
      templates,
      count: 300,
      tills: 1,
      seed: 11,
      firstReceipt: 5000,
      identity,
    });
    const { rejects, txs } = await parseAll(Buffer.concat(streams.map((s) => s.bytes)));
    const ids = [
      ...txs.map((t) => t.transactionId),
      ...rejects.map((r) => streamOfRaw(Buffer.from(r.raw), identity.ymd)?.transactionId),
    ];
    expect(ids.sort()).toEqual(streams.map((s) => s.transactionId).sort());
    // the mix the scenario relies on: both outcomes occur
    expect(txs.length).toBeGreaterThan(30);
    expect(rejects.length).toBeGreaterThan(30);
    expect(txs.find((t) => t.receiptNumber === '5000')?.terminalId).toBe(fuzzTerminalId(1));
  });
});
