import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeFailedReason,
  decodeJobResult,
  encodeFailedReason,
  encodeJobResult,
} from './index.js';
import type { JobResult } from './index.js';

describe('a failed job’s reason', () => {
  it('is written as the worker always wrote it: `<CODE>: <message>`', () => {
    expect(encodeFailedReason('HTTP_4XX', 'HTTP 400')).toBe('HTTP_4XX: HTTP 400');
  });

  it.each([
    ['HTTP_4XX', 'HTTP 400'],
    ['RETRIES_EXHAUSTED', 'HTTP_5XX: HTTP 503'],
    ['VALIDATION_FAILED', 'events[0].params.items: too many: 201 > 200'],
    ['JOB_INVALID', 'line one\nline two: and more\r\n'],
    ['REFUND_OF_UNKNOWN', ''],
    ['TOO_OLD', '  leading spaces'],
    ['HTTP_408', ': starts with a colon'],
  ])('round-trips %s with %j', (code, message) => {
    expect(decodeFailedReason(encodeFailedReason(code, message))).toEqual({ code, message });
  });

  it('round-trips any reason code and message', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9_]{1,30}$/), fc.string(), (code, message) => {
        expect(decodeFailedReason(encodeFailedReason(code, message))).toEqual({ code, message });
      }),
    );
  });

  it('reads reasons written before the codec (the old regex’s code, the rest as message)', () => {
    expect(decodeFailedReason('UNKNOWN_STORE: no client for property p1')).toEqual({
      code: 'UNKNOWN_STORE',
      message: 'no client for property p1',
    });
    expect(decodeFailedReason('TIMEOUT:no space')).toEqual({
      code: 'TIMEOUT',
      message: 'no space',
    });
  });

  it.each([
    'job stalled more than allowable limit',
    'Error: boom',
    'HTTP 400: bad request',
    'lower_case: x',
    'NO_COLON',
    ': no code',
    '',
  ])('has no code in free text %j', (text) => {
    expect(decodeFailedReason(text)).toBeUndefined();
  });

  it('has no code when there is no reason, or the code is not a reason code', () => {
    expect(decodeFailedReason(undefined)).toBeUndefined();
    expect(decodeFailedReason(null)).toBeUndefined();
    expect(decodeFailedReason(encodeFailedReason('not a code', 'x'))).toBeUndefined();
  });
});

describe('a completed job’s result', () => {
  const sent: JobResult = {
    transactionId: 's1_t1_20261126_0001',
    outcome: 'sent',
    requestId: 'w1:3:1764151200000:s1_t1_20261126_0001',
    counts: { itemsFolded: 0, textsTruncated: 1 },
    refundLink: 'linked',
  };

  it.each<JobResult>([
    sent,
    { transactionId: 's1_t1_20261126_0002', outcome: 'skipped', reason: 'VOID_NOT_SENT' },
    { transactionId: 's1_t1_20261126_0003', outcome: 'deduplicated', requestId: 'r-1' },
  ])('round-trips through JSON (as BullMQ stores it): $outcome', (result) => {
    const stored: unknown = JSON.parse(JSON.stringify(encodeJobResult(result)));
    expect(decodeJobResult(stored)).toEqual(result);
  });

  it('keeps only the contract’s fields, and reads a newer worker’s extra fields away', () => {
    const withExtras = { ...sent, enqueuedAt: '2026-11-26T10:00:00Z' };
    expect(encodeJobResult(withExtras)).toEqual(sent);
    expect(decodeJobResult({ ...sent, latencyMs: 12 })).toEqual(sent);
  });

  it.each([
    null,
    undefined,
    'sent',
    {},
    { outcome: 'sent' },
    { transactionId: 'x', outcome: 'dead-lettered' },
    { transactionId: 'x', outcome: 'sent', counts: { itemsFolded: '1' } },
  ])('is undefined when unreadable: %j', (value) => {
    expect(decodeJobResult(value)).toBeUndefined();
  });
});
