/**
 * Refunds net against their purchase in GA4 (docs/ga4-mapping.md): a refund is sent on its
 * purchase's transaction_id and on the client and user the purchase was sent for, even when the
 * refund happens at another till (another partition) and the customer does not show their card
 * again; a refund whose purchase pos-ga4 never saw follows `refunds.unknownPurchase`. Real Redis
 * (own prefix), the worker in this process, the local collector.
 */
import type { MpRequest } from '@pos-ga4/ga4-mp';
import { partitionOf } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { describe, expect, it } from 'vitest';

import { IdentityStore } from '../src/index.js';
import type { WorkerConfigInput } from '../src/index.js';
import { sale, until } from './sales.js';
import type { Till } from './sales.js';
import { enqueueThroughSink, rigConfig, startWorkerInProcess, useTestRig } from './test-rig.js';

const rig = useTestRig('refund-link');
const TILL_A: Till = { storeId: 'refund-1', terminalId: 'till-1' };
const CARD = 'LOY-777001';

/** A till of the same store whose receipts go to another partition than till A's. */
function tillElsewhere(partitions: number): Till {
  for (let n = 2; ; n++) {
    const till = { storeId: TILL_A.storeId, terminalId: `till-${n}` };
    if (partitionOf(till, partitions) !== partitionOf(TILL_A, partitions)) return till;
  }
}

function config(overrides: Partial<WorkerConfigInput> = {}) {
  return rigConfig(rig, 'refund', overrides);
}

describe('a refund and its purchase', () => {
  it('goes on the purchase’s transaction_id, client and user, from another till, without the card', async () => {
    // the config's consent default and user properties apply to the refund's request as well
    const cfg = config({
      mapping: { userProperties: { last_till: 'terminalId' } },
      consent: { stores: { 'refund-1': { adUserData: 'DENIED' } } },
    });
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    await new IdentityStore({ redis: connection, prefix: rig.redis.prefix }).put([
      {
        token: { kind: 'loyalty-card', value: CARD },
        record: {
          clientId: '555000111.1700000000',
          userId: 'crm-42',
          updatedAt: '2026-11-01T00:00:00Z',
        },
      },
    ]);
    connection.disconnect();
    const at = Date.now() - 3_600_000;
    const purchase = sale(TILL_A, 'P-1', { kind: 'sale', at, card: CARD, lines: [1190, 595] });
    // a partial refund of the second line at another till; no card shown
    const refund = sale(tillElsewhere(cfg.partitions), 'R-1', {
      kind: 'refund',
      at: at + 600_000,
      refundOf: purchase.transactionId,
      lines: [595],
    });
    await enqueueThroughSink(rig, [refund]); // the refund first: it must wait for its purchase
    const { outcomes } = await startWorkerInProcess(rig, cfg);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rig.collector.store.events()).toHaveLength(0);
    await enqueueThroughSink(rig, [purchase]);
    await until(() => outcomes.length === 2, 'both delivered');

    const [sent, netted] = rig.collector.store.requests().map((r) => r.body as MpRequest);
    expect(sent?.events[0]?.name).toBe('purchase');
    expect(netted?.events[0]).toMatchObject({
      name: 'refund',
      params: {
        transaction_id: purchase.transactionId,
        pos_refund_id: refund.transactionId,
        value: 5,
        items: [{ item_id: 'SKU-0', price: 5, quantity: 1 }],
      },
    });
    expect(netted).toMatchObject({ client_id: '555000111.1700000000', user_id: 'crm-42' });
    expect(sent).toMatchObject({ client_id: '555000111.1700000000', user_id: 'crm-42' });
    expect([sent?.consent, sent?.user_properties]).toEqual([
      { ad_user_data: 'DENIED' },
      { last_till: { value: TILL_A.terminalId } },
    ]);
    expect([netted?.consent, netted?.user_properties]).toEqual([
      { ad_user_data: 'DENIED' },
      { last_till: { value: refund.terminalId } },
    ]);
    expect(outcomes.find((o) => o.transactionId === refund.transactionId)).toMatchObject({
      outcome: 'sent',
      refundLink: 'linked',
    });
  });

  it('dead-letters a refund whose purchase nobody has seen when refunds.unknownPurchase is dead-letter', async () => {
    const cfg = config({ refunds: { maxWaitMs: 0, unknownPurchase: 'dead-letter' } });
    const refund = sale(TILL_A, 'R-2', {
      kind: 'refund',
      at: Date.now() - 60_000,
      refundOf: 'refund-1_till-1_20200101_P-9',
      lines: [300],
    });
    await enqueueThroughSink(rig, [refund]);
    const { outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 1, 'the refund settled');
    expect(outcomes[0]).toMatchObject({ outcome: 'dead-lettered', reason: 'REFUND_OF_UNKNOWN' });
    expect(rig.collector.store.events()).toHaveLength(0);
  });

  it('sends it alone, on the named purchase id and counted as unmatched, when the policy is send', async () => {
    const cfg = config({ refunds: { maxWaitMs: 0, unknownPurchase: 'send' } });
    const refund = sale(TILL_A, 'R-3', {
      kind: 'refund',
      at: Date.now() - 60_000,
      refundOf: 'refund-1_till-1_20200101_P-8',
      lines: [300],
    });
    await enqueueThroughSink(rig, [refund]);
    const { outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 1, 'the refund settled');
    expect(outcomes[0]).toMatchObject({ outcome: 'sent', refundLink: 'unmatched' });
    expect(rig.collector.store.events()[0]?.params).toMatchObject({
      transaction_id: 'refund-1_till-1_20200101_P-8',
      pos_refund_id: refund.transactionId,
    });
  });
});
