import { clientBarrierKey } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../../config.js';
import type { WorkerConfig, WorkerConfigInput } from '../../config.js';
import type { IdentityRecord } from '../../lookup/identity-store.js';
import { pseudoClientId } from '../../lookup/resolve-client.js';
import { sale } from '../../../test/sales.js';

import { admissionOf, readJob } from './admission.js';
import type { AdmissionContext, ReadJob } from './admission.js';

const AT = Date.UTC(2026, 11, 4, 9, 0, 0);
const NOW = AT + 60_000;
const TILL = { storeId: 'S1', terminalId: 'T1' };
const SCANNED = '1111111111.1700000001';

function configOf(extra: Partial<WorkerConfigInput> = {}): WorkerConfig {
  return WorkerConfigSchema.parse({
    redis: { url: 'redis://127.0.0.1:6379', prefix: 'ut' },
    ga4: { measurementId: 'G-TEST', apiSecret: 'secret' },
    ...extra,
  });
}

const config = configOf();

function jobData(transaction: Transaction, sequence?: number) {
  return {
    transaction,
    enqueuedAt: new Date(AT).toISOString(),
    ...(sequence === undefined ? {} : { sequence }),
  };
}

function read(transaction: Transaction, sequence?: number): ReadJob {
  const result = readJob({
    id: `job-${transaction.transactionId}`,
    data: jobData(transaction, sequence),
    timestamp: AT,
  });
  if (!result.ok) throw new Error(result.failure.message);
  return result.job;
}

function context(fields: Partial<AdmissionContext> = {}): AdmissionContext {
  return {
    config,
    now: NOW,
    identities: new Map(),
    ledgerEntry: undefined,
    alreadyHeld: false,
    seq: 7,
    timestamp: AT,
    ...fields,
  };
}

const scannedSale = sale(TILL, 1001, { at: AT, client: SCANNED });
const anonymousSale = sale(TILL, 1002, { at: AT });

describe('readJob', () => {
  it('reads valid job data', () => {
    const data = jobData(scannedSale, 42);
    expect(readJob({ id: 'j1', data, timestamp: AT })).toEqual({
      ok: true,
      job: { jobId: 'j1', data, transaction: scannedSale },
    });
  });

  it('dead-letters job data that does not parse (JOB_INVALID with the first problem)', () => {
    expect(readJob({ id: 'j1', data: {}, timestamp: AT })).toStrictEqual({
      ok: false,
      failure: {
        reason: 'JOB_INVALID',
        message: 'Invalid input: expected object, received undefined',
      },
    });
    expect(readJob({ id: 'j1', data: null, timestamp: AT })).toStrictEqual({
      ok: false,
      failure: { reason: 'JOB_INVALID', message: 'Invalid input: expected object, received null' },
    });
  });
});

describe('admissionOf', () => {
  it('dead-letters an unrouted store under unroutedStores: dead-letter', () => {
    const strict = configOf({ unroutedStores: 'dead-letter' });
    expect(admissionOf(read(scannedSale), context({ config: strict }))).toStrictEqual({
      kind: 'dead-letter',
      failure: { reason: 'UNKNOWN_STORE', message: 'no GA4 property is routed for store S1' },
    });
  });

  it('holds a sale of a routed store on its property', () => {
    const routed = configOf({
      unroutedStores: 'dead-letter',
      properties: { eu: { measurementId: 'G-EU', apiSecret: 'secret-eu' } },
      routes: { S1: 'eu' },
    });
    const admission = admissionOf(read(scannedSale), context({ config: routed }));
    expect(admission.kind === 'hold' && admission.item.property).toBe('eu');
  });

  it('holds a sale of a scanned client, in its barrier, with everything ordering needs', () => {
    const admission = admissionOf(read(scannedSale, 42), context());
    expect(admission.kind).toBe('hold');
    if (admission.kind !== 'hold') return;
    const { item } = admission;
    expect(item).toMatchObject({
      jobId: `job-${scannedSale.transactionId}`,
      sequence: 42,
      transaction: scannedSale,
      terminalKey: 'S1/T1',
      seq: 7,
      property: 'default',
      clientKey: clientBarrierKey('ut', SCANNED),
      ordered: true,
      orderTs: AT * 1000,
      state: 'pending',
      blockedUntil: 0,
      failures: 0,
      waitingForPurchase: false,
    });
    expect(item.envelope.client_id).toBe(SCANNED);
    expect(item.event.name).toBe('purchase');
    expect(item.firstFailureAt).toBeUndefined();
    expect(item.refundLink).toBeUndefined();
  });

  it('falls back to the job timestamp × 1000 for a job without a sequence; keeps a sequence of 0', () => {
    const without = admissionOf(read(scannedSale), context({ timestamp: 1_700_000_000_123 }));
    expect(without.kind === 'hold' && without.item.sequence).toBe(1_700_000_000_123_000);
    const zero = admissionOf(read(scannedSale, 0), context({ timestamp: 1_700_000_000_123 }));
    expect(zero.kind === 'hold' && zero.item.sequence).toBe(0);
  });

  it('keeps an anonymous buyer (pseudo client id) outside the barrier', () => {
    const admission = admissionOf(read(anonymousSale), context());
    expect(admission.kind).toBe('hold');
    if (admission.kind !== 'hold') return;
    const pseudo = pseudoClientId(anonymousSale);
    expect(admission.item.ordered).toBe(false);
    expect(admission.item.envelope.client_id).toBe(pseudo);
    expect(admission.item.clientKey).toBe(clientBarrierKey('ut', pseudo));
  });

  it('orders a client found in the identity store', () => {
    const carded = sale(TILL, 1003, { at: AT, card: 'CARD-1' });
    const record: IdentityRecord = {
      clientId: '2222222222.1700000002',
      userId: 'member-1',
      updatedAt: '2026-12-01T00:00:00.000Z',
    };
    const admission = admissionOf(
      read(carded),
      context({ identities: new Map([['loyalty-card:CARD-1', record]]) }),
    );
    expect(admission.kind === 'hold' && admission.item.ordered).toBe(true);
    expect(admission.kind === 'hold' && admission.item.envelope).toMatchObject({
      client_id: '2222222222.1700000002',
      user_id: 'member-1',
    });
  });

  it('parks every refund until its purchase was sent', () => {
    const refund = sale(TILL, 1004, {
      at: AT,
      kind: 'refund',
      client: SCANNED,
      refundOf: scannedSale.transactionId,
    });
    const admission = admissionOf(read(refund), context());
    expect(admission.kind === 'hold' && admission.item.waitingForPurchase).toBe(true);
    expect(admission.kind === 'hold' && admission.item.event.name).toBe('refund');
  });

  it('keeps a job that came back once: came-back, whatever it is', () => {
    expect(admissionOf(read(scannedSale), context({ alreadyHeld: true }))).toEqual({
      kind: 'came-back',
    });
    const voided: Transaction = { ...anonymousSale, kind: 'void' };
    expect(admissionOf(read(voided), context({ alreadyHeld: true }))).toEqual({
      kind: 'came-back',
    });
  });

  it('completes a void as skipped (VOID_NOT_SENT), with no barrier change', () => {
    const voided: Transaction = { ...sale(TILL, 1005, { at: AT, client: SCANNED }), kind: 'void' };
    expect(admissionOf(read(voided), context())).toStrictEqual({
      kind: 'complete',
      outcome: {
        transactionId: voided.transactionId,
        outcome: 'skipped',
        reason: 'VOID_NOT_SENT',
      },
    });
  });

  it('dead-letters what the mapping refuses, with its code', () => {
    const admission = admissionOf(read(scannedSale), context({ now: AT + 72 * 3600 * 1000 }));
    expect(admission).toEqual({
      kind: 'dead-letter',
      failure: { reason: 'TOO_OLD', message: 'occurredAt is 72 h old; GA4 accepts at most 71 h' },
    });
  });

  const entry = { requestId: 'req-9', sentAt: '2026-12-04T09:00:05.000Z' };

  it('completes a transaction the ledger has as deduplicated, leaving its scanned client barrier', () => {
    expect(admissionOf(read(scannedSale), context({ ledgerEntry: entry }))).toStrictEqual({
      kind: 'complete',
      outcome: {
        transactionId: scannedSale.transactionId,
        outcome: 'deduplicated',
        requestId: 'req-9',
      },
      release: [
        { clientKey: clientBarrierKey('ut', SCANNED), transactionId: scannedSale.transactionId },
      ],
    });
  });

  it('also leaves the barrier of the client the ledger says it was sent for, when ordered', () => {
    const sentFor = { ...entry, clientId: '2222222222.1700000002', ordered: true };
    const admission = admissionOf(read(scannedSale), context({ ledgerEntry: sentFor }));
    expect(admission.kind === 'complete' && admission.release).toEqual([
      {
        clientKey: clientBarrierKey('ut', '2222222222.1700000002'),
        transactionId: scannedSale.transactionId,
      },
      { clientKey: clientBarrierKey('ut', SCANNED), transactionId: scannedSale.transactionId },
    ]);
  });

  it('releases nothing for a deduplicated pseudo-client transaction (never in a barrier)', () => {
    const pseudo = { ...entry, clientId: pseudoClientId(anonymousSale), ordered: false };
    expect(admissionOf(read(anonymousSale), context({ ledgerEntry: pseudo }))).toStrictEqual({
      kind: 'complete',
      outcome: {
        transactionId: anonymousSale.transactionId,
        outcome: 'deduplicated',
        requestId: 'req-9',
      },
      release: [],
    });
  });

  it('deduplicates what GA4 has even when the store no longer routes or the event is too old now', () => {
    const strict = configOf({ unroutedStores: 'dead-letter' });
    const late = AT + 72 * 3600 * 1000;
    for (const changed of [{ config: strict }, { now: late }]) {
      const admission = admissionOf(read(scannedSale), context({ ledgerEntry: entry, ...changed }));
      expect(admission.kind === 'complete' && admission.outcome.outcome).toBe('deduplicated');
    }
  });
});
