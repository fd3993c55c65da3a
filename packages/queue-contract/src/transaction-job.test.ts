import { completeTransaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import {
  decodeTransactionJob,
  encodeTransactionJob,
  jobIdFor,
  TransactionJobDataSchema,
} from './index.js';

const draft = {
  storeId: 's1',
  terminalId: 't1',
  receiptNumber: '0001',
  kind: 'sale',
  occurredAt: '2026-11-26T10:00:00Z',
  currency: 'EUR',
  pricesIncludeTax: true,
  lines: [{ sku: 'A', name: 'Pen', quantity: 1, unitPrice: 100, lineTotal: 100 }],
  subtotal: 100,
  tax: 16,
  total: 100,
  source: { format: 'jsonl' },
};

describe('transaction jobs', () => {
  it('uses the transaction id as job id, stable across calls', () => {
    const result = completeTransaction(draft);
    if (!result.ok) throw new Error(result.rejection.reason);
    expect(jobIdFor(result.transaction)).toBe('s1_t1_20261126_0001');
    expect(jobIdFor(result.transaction)).toBe(jobIdFor({ ...result.transaction }));
  });

  it('refuses ids BullMQ cannot take', () => {
    expect(() => jobIdFor({ transactionId: '12345' })).toThrow(TypeError);
    expect(() => jobIdFor({ transactionId: 'a:b' })).toThrow(TypeError);
    expect(() => jobIdFor({ transactionId: '' })).toThrow(TypeError);
  });

  it('round-trips job data through JSON', () => {
    const result = completeTransaction(draft);
    if (!result.ok) throw new Error(result.rejection.reason);
    const data = { transaction: result.transaction, enqueuedAt: '2026-11-26T10:00:01Z' };
    expect(TransactionJobDataSchema.parse(JSON.parse(JSON.stringify(data)))).toEqual(data);
  });
});

describe('the transaction job codec', () => {
  function job() {
    const result = completeTransaction(draft);
    if (!result.ok) throw new Error(result.rejection.reason);
    return { transaction: result.transaction, enqueuedAt: '2026-11-26T10:00:01Z', sequence: 7 };
  }

  it('round-trips job data through JSON, as BullMQ stores it', () => {
    const data = encodeTransactionJob(job());
    expect(decodeTransactionJob(JSON.parse(JSON.stringify(data)))).toEqual({ ok: true, data });
  });

  it('refuses to encode job data outside the contract, before anything reaches Redis', () => {
    expect(() => encodeTransactionJob({ ...job(), enqueuedAt: 'yesterday' })).toThrow();
    expect(() => encodeTransactionJob({ ...job(), sequence: -1 })).toThrow();
  });

  it('decodes what it cannot read to a message, never throwing', () => {
    for (const data of [undefined, null, 'text', {}, { ...job(), extra: 1 }])
      expect(decodeTransactionJob(data)).toEqual({
        ok: false,
        message: expect.stringMatching(/./) as unknown,
      });
  });
});
