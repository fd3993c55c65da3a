/**
 * A held item for the delivery core's unit tests: a transaction id, its client (the barrier key
 * and the envelope's client_id), and whatever fields the test cares about.
 */
import type { Transaction } from '@pos-ga4/transaction';

import type { HeldItem } from '../src/schedule/core/held-item.js';

export function heldItem(
  id: string,
  fields: Partial<Omit<HeldItem, 'transaction' | 'envelope'>> & { client?: string } = {},
): HeldItem {
  const { client = `client-${id}`, ...rest } = fields;
  return {
    jobId: id,
    sequence: 0,
    transaction: { transactionId: id } as Transaction,
    terminalKey: 'A',
    seq: 0,
    property: 'default',
    clientKey: client,
    ordered: true,
    envelope: { client_id: client },
    event: { name: 'purchase', params: {} },
    counts: { itemsFolded: 0, textsTruncated: 0 },
    orderTs: 0,
    state: 'pending',
    blockedUntil: 0,
    failures: 0,
    waitingForPurchase: false,
    ...rest,
  };
}
