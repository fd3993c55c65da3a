import { clientBarrierKey, orderScoreOf } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../../config.js';
import type { WorkerConfig } from '../../config.js';
import type { LedgerEntry } from '../../ledger/sent-ledger.js';
import { sale } from '../../../test/sales.js';

import type { HeldItem } from './held-item.js';
import { decideRefund, relink } from './refund-gate.js';

const AT = Date.UTC(2026, 11, 4, 9, 0, 0);
const TILL = { storeId: 'S1', terminalId: 'T1' };
const PURCHASE = 'S1_T1_20261204_1000';
const REFUND_CLIENT = '3333333333.1700000003';
const PURCHASE_CLIENT = '1111111111.1700000001';

const config: WorkerConfig = WorkerConfigSchema.parse({
  redis: { url: 'redis://127.0.0.1:6379', prefix: 'ut' },
  ga4: { measurementId: 'G-TEST', apiSecret: 'secret' },
  consent: {
    default: { adUserData: 'GRANTED', adPersonalization: 'GRANTED' },
    stores: { S1: { adPersonalization: 'DENIED' } },
  },
  mapping: { userProperties: { last_store: 'storeId' } },
  refunds: { maxWaitMs: 5000, unknownPurchase: 'send' },
});

const sendPolicy = config.refunds;
const deadLetterPolicy: WorkerConfig['refunds'] = {
  maxWaitMs: 5000,
  unknownPurchase: 'dead-letter',
};

function refundOf(purchase: string | undefined): Transaction {
  return sale(TILL, 1001, {
    at: AT,
    kind: 'refund',
    client: REFUND_CLIENT,
    ...(purchase === undefined ? {} : { refundOf: purchase }),
  });
}

/** A parked refund on its own (scanned) client, with consent and user_data of its own identity. */
function refundItem(
  options: { purchase?: string | undefined; ordered?: boolean } = { purchase: PURCHASE },
): HeldItem {
  const transaction = refundOf(options.purchase);
  return {
    jobId: transaction.transactionId,
    sequence: 1,
    transaction,
    terminalKey: 'S1/T1',
    seq: 0,
    property: 'default',
    clientKey: clientBarrierKey('ut', REFUND_CLIENT),
    ordered: options.ordered ?? true,
    envelope: {
      client_id: REFUND_CLIENT,
      user_id: 'refund-user',
      consent: { ad_user_data: 'DENIED', ad_personalization: 'DENIED' },
      user_data: { sha256_email_address: ['a'.repeat(64)] },
    },
    event: { name: 'refund', params: {} },
    counts: { itemsFolded: 0, textsTruncated: 0 },
    orderTs: orderScoreOf(transaction),
    state: 'pending',
    blockedUntil: 0,
    failures: 0,
    waitingForPurchase: true,
  };
}

const entry = (fields: Partial<LedgerEntry> = {}): LedgerEntry => ({
  requestId: 'req-1',
  sentAt: '2026-12-04T09:00:01.000Z',
  ...fields,
});

describe('decideRefund', () => {
  it('links a refund whose purchase was sent, with the ledger entry when there is one', () => {
    const withEntry = entry({ clientId: PURCHASE_CLIENT });
    expect(
      decideRefund(
        refundItem(),
        { state: 'sent', entry: withEntry },
        { now: AT, refunds: sendPolicy },
      ),
    ).toStrictEqual({ kind: 'linked', entry: withEntry });
    expect(
      decideRefund(refundItem(), { state: 'sent' }, { now: AT, refunds: sendPolicy }),
    ).toStrictEqual({ kind: 'linked' });
  });

  it('dead-letters a refund whose purchase was dead-lettered (REFUND_OF_UNSENT)', () => {
    expect(
      decideRefund(refundItem(), { state: 'failed' }, { now: AT, refunds: sendPolicy }),
    ).toEqual({
      kind: 'dead-letter',
      failure: {
        reason: 'REFUND_OF_UNSENT',
        message: `purchase ${PURCHASE} was dead-lettered; redrive it first`,
      },
    });
  });

  it('waits for a pending purchase, however long, and forgets any wait for an unseen one', () => {
    const item = refundItem();
    item.waitingSince = AT - 100_000;
    expect(
      decideRefund(item, { state: 'pending' }, { now: AT + 10 * 5000, refunds: sendPolicy }),
    ).toEqual({ kind: 'wait' });
    expect(item.waitingSince).toBeUndefined();
  });

  it('waits for an unseen purchase until maxWaitMs, then sends it unmatched', () => {
    const item = refundItem();
    const gate = (now: number) =>
      decideRefund(item, { state: 'unknown' }, { now, refunds: sendPolicy });
    expect(gate(AT)).toEqual({ kind: 'wait' });
    expect(item.waitingSince).toBe(AT);
    expect(gate(AT + 4999)).toEqual({ kind: 'wait' });
    expect(item.waitingSince).toBe(AT);
    expect(gate(AT + 5000)).toEqual({ kind: 'unmatched' });
  });

  it('restarts the wait for an unseen purchase after it was seen pending', () => {
    const item = refundItem();
    const gate = (state: 'unknown' | 'pending', now: number) =>
      decideRefund(item, { state }, { now, refunds: sendPolicy });
    expect(gate('unknown', AT)).toEqual({ kind: 'wait' });
    expect(gate('pending', AT + 4000)).toEqual({ kind: 'wait' });
    expect(gate('unknown', AT + 4500)).toEqual({ kind: 'wait' });
    expect(item.waitingSince).toBe(AT + 4500);
    expect(gate('unknown', AT + 9499)).toEqual({ kind: 'wait' });
    expect(gate('unknown', AT + 9500)).toEqual({ kind: 'unmatched' });
  });

  it('dead-letters an unseen purchase after maxWaitMs under unknownPurchase: dead-letter', () => {
    const item = refundItem();
    const gate = (now: number) =>
      decideRefund(item, { state: 'unknown' }, { now, refunds: deadLetterPolicy });
    expect(gate(AT)).toEqual({ kind: 'wait' });
    expect(gate(AT + 4999)).toEqual({ kind: 'wait' });
    expect(gate(AT + 5000)).toEqual({
      kind: 'dead-letter',
      failure: {
        reason: 'REFUND_OF_UNKNOWN',
        message: `purchase ${PURCHASE} was not seen within refunds.maxWaitMs and refunds.unknownPurchase is dead-letter`,
      },
    });
  });

  it('sends a refund that names no purchase at once, under unknownPurchase: send', () => {
    const item = refundItem({ purchase: undefined });
    expect(decideRefund(item, { state: 'unknown' }, { now: AT, refunds: sendPolicy })).toEqual({
      kind: 'unmatched',
    });
  });

  it('dead-letters a refund that names no purchase at once, under unknownPurchase: dead-letter', () => {
    const item = refundItem({ purchase: undefined });
    expect(
      decideRefund(item, { state: 'unknown' }, { now: AT, refunds: deadLetterPolicy }),
    ).toEqual({
      kind: 'dead-letter',
      failure: {
        reason: 'REFUND_OF_UNKNOWN',
        message:
          'the refund names no purchase (refundOf) and refunds.unknownPurchase is dead-letter',
      },
    });
  });
});

describe('relink', () => {
  it('changes nothing for a ledger entry without a client id (an older entry)', () => {
    const item = refundItem();
    const before = item.envelope;
    expect(relink(item, entry({ userId: 'u-9' }), config)).toEqual({});
    expect(item.envelope).toBe(before);
    expect(item.clientKey).toBe(clientBarrierKey('ut', REFUND_CLIENT));
    expect(item.ordered).toBe(true);
  });

  it('on the same client keeps the envelope and takes over the user_id', () => {
    const item = refundItem();
    const before = item.envelope;
    expect(relink(item, entry({ clientId: REFUND_CLIENT, userId: 'u-9' }), config)).toEqual({});
    expect(item.envelope).toEqual({ ...before, user_id: 'u-9' });
    expect(item.clientKey).toBe(clientBarrierKey('ut', REFUND_CLIENT));
    expect(item.ordered).toBe(true);
  });

  it('on the same client without a user_id in the entry leaves the envelope as it was', () => {
    const item = refundItem();
    const before = item.envelope;
    expect(relink(item, entry({ clientId: REFUND_CLIENT }), config)).toEqual({});
    expect(item.envelope).toBe(before);
  });

  it("on another client sends with the purchase's client_id and user_id and the config's defaults", () => {
    const item = refundItem();
    const change = relink(
      item,
      entry({ clientId: PURCHASE_CLIENT, userId: 'u-9', ordered: true }),
      config,
    );
    // none of the refund's own consent, user_data or user_id
    expect(item.envelope).toStrictEqual({
      client_id: PURCHASE_CLIENT,
      user_id: 'u-9',
      user_properties: { last_store: { value: 'S1' } },
      consent: { ad_user_data: 'GRANTED', ad_personalization: 'DENIED' },
    });
    expect(item.clientKey).toBe(clientBarrierKey('ut', PURCHASE_CLIENT));
    expect(item.clientKey).toBe(`ut:client:${PURCHASE_CLIENT}`);
    expect(item.ordered).toBe(true);
    expect(change).toStrictEqual({
      release: {
        clientKey: clientBarrierKey('ut', REFUND_CLIENT),
        transactionId: item.transaction.transactionId,
      },
      register: {
        clientKey: clientBarrierKey('ut', PURCHASE_CLIENT),
        score: item.orderTs,
        transactionId: item.transaction.transactionId,
      },
    });
  });

  it('on another client without a user_id in the entry sends no user_id', () => {
    const item = refundItem();
    relink(item, entry({ clientId: PURCHASE_CLIENT }), config);
    expect(item.envelope.client_id).toBe(PURCHASE_CLIENT);
    expect('user_id' in item.envelope).toBe(false);
  });

  it('registers on the new client when the entry does not say (older entries are ordered)', () => {
    const item = refundItem();
    const change = relink(item, entry({ clientId: PURCHASE_CLIENT }), config);
    expect(item.ordered).toBe(true);
    expect(change.register).toEqual({
      clientKey: clientBarrierKey('ut', PURCHASE_CLIENT),
      score: item.orderTs,
      transactionId: item.transaction.transactionId,
    });
  });

  it('does not register on a purchase client outside the barrier (ordered: false)', () => {
    const item = refundItem();
    const change = relink(item, entry({ clientId: PURCHASE_CLIENT, ordered: false }), config);
    expect(item.ordered).toBe(false);
    expect(item.clientKey).toBe(clientBarrierKey('ut', PURCHASE_CLIENT));
    expect(change).toStrictEqual({
      release: {
        clientKey: clientBarrierKey('ut', REFUND_CLIENT),
        transactionId: item.transaction.transactionId,
      },
    });
  });

  it('releases nothing for a refund that was not in a barrier (a pseudo client)', () => {
    const item = refundItem({ purchase: PURCHASE, ordered: false });
    const change = relink(item, entry({ clientId: PURCHASE_CLIENT, ordered: true }), config);
    expect(item.ordered).toBe(true);
    expect(change).toStrictEqual({
      register: {
        clientKey: clientBarrierKey('ut', PURCHASE_CLIENT),
        score: item.orderTs,
        transactionId: item.transaction.transactionId,
      },
    });
  });

  it('neither releases nor registers when neither side is in a barrier', () => {
    const item = refundItem({ purchase: PURCHASE, ordered: false });
    expect(relink(item, entry({ clientId: PURCHASE_CLIENT, ordered: false }), config)).toEqual({});
    expect(item.ordered).toBe(false);
  });
});
