/**
 * The refund gate. Pure: given where a parked refund's purchase stands, what happens to it.
 *
 * Refunds wait until their purchase was sent, then go on its transaction_id (the mapping) and on
 * its client: the purchase's ledger entry says which client_id and user_id it was sent for, and
 * the refund takes them over (`relink`), so GA4 nets it against the purchase on the same user. A
 * purchase pending anywhere is waited for; one that was dead-lettered dead-letters the refund too
 * (`REFUND_OF_UNSENT`). A purchase nobody has seen (it may predate pos-ga4) is waited for up to
 * `refunds.maxWaitMs`, and a refund that names none not at all; then `refunds.unknownPurchase`
 * decides: `send` (counted as unmatched) or `dead-letter` (`REFUND_OF_UNKNOWN`).
 */
import { clientBarrierKey } from '@pos-ga4/queue-contract';

import type { WorkerConfig } from '../../config.js';
import type { LedgerEntry } from '../../ledger/sent-ledger.js';
import { requestEnvelope } from '../../lookup/resolve-client.js';
import { requestDefaultsOf } from '../../map/build-request.js';

import type { HeldItem } from './held-item.js';
import type { Failure, TransactionStatus } from './outcomes.js';

export type RefundDecision =
  | { readonly kind: 'wait' }
  /** The purchase was sent: go, on the client it was sent for when the ledger says. */
  | { readonly kind: 'linked'; readonly entry?: LedgerEntry }
  /** Sent without a purchase pos-ga4 has sent (`refunds.unknownPurchase: send`). */
  | { readonly kind: 'unmatched' }
  | { readonly kind: 'dead-letter'; readonly failure: Failure };

/** Decides for one parked refund; records since when it has waited for an unseen purchase. */
export function decideRefund(
  item: HeldItem,
  status: TransactionStatus,
  context: { readonly now: number; readonly refunds: WorkerConfig['refunds'] },
): RefundDecision {
  const purchase = item.transaction.refundOf;
  const { refunds, now } = context;
  switch (status.state) {
    case 'sent':
      return { kind: 'linked', ...(status.entry === undefined ? {} : { entry: status.entry }) };
    case 'failed':
      return {
        kind: 'dead-letter',
        failure: {
          reason: 'REFUND_OF_UNSENT',
          message: `purchase ${purchase ?? ''} was dead-lettered; redrive it first`,
        },
      };
    case 'pending':
      item.waitingSince = undefined;
      return { kind: 'wait' };
    case 'unknown': {
      item.waitingSince ??= now;
      if (purchase !== undefined && now - item.waitingSince < refunds.maxWaitMs)
        return { kind: 'wait' };
      if (refunds.unknownPurchase === 'send') return { kind: 'unmatched' };
      return {
        kind: 'dead-letter',
        failure: {
          reason: 'REFUND_OF_UNKNOWN',
          message:
            purchase === undefined
              ? 'the refund names no purchase (refundOf) and refunds.unknownPurchase is dead-letter'
              : `purchase ${purchase} was not seen within refunds.maxWaitMs and refunds.unknownPurchase is dead-letter`,
        },
      };
    }
  }
}

/** Barrier changes a relink needs: out of the refund's own client, into the purchase's. */
export interface Relink {
  readonly release?: { readonly clientKey: string; readonly transactionId: string };
  readonly register?: {
    readonly clientKey: string;
    readonly score: number;
    readonly transactionId: string;
  };
}

/**
 * A linked refund takes over the client (and user) its purchase was sent for. Consent and
 * user_data belong to the refund's own identity: kept only on the same client; the config's
 * consent defaults and user properties apply as to any request. Updates the item; returns the
 * barrier changes for the loop to make.
 */
export function relink(item: HeldItem, entry: LedgerEntry, config: WorkerConfig): Relink {
  if (entry.clientId === undefined) return {};
  const sameClient = entry.clientId === item.envelope.client_id;
  if (sameClient) {
    if (entry.userId !== undefined && entry.userId !== item.envelope.user_id)
      item.envelope = { ...item.envelope, user_id: entry.userId };
    return {};
  }
  const transactionId = item.transaction.transactionId;
  const release = item.ordered ? { clientKey: item.clientKey, transactionId } : undefined;
  const { client_id: _clientId, ...defaults } = requestEnvelope(entry.clientId, undefined, {
    transaction: item.transaction,
    defaults: requestDefaultsOf(config, item.transaction.storeId),
  });
  item.envelope = {
    client_id: entry.clientId,
    ...(entry.userId === undefined ? {} : { user_id: entry.userId }),
    ...defaults,
  };
  item.clientKey = clientBarrierKey(config.redis.prefix, entry.clientId);
  item.ordered = entry.ordered ?? true;
  return {
    ...(release === undefined ? {} : { release }),
    ...(item.ordered
      ? { register: { clientKey: item.clientKey, score: item.orderTs, transactionId } }
      : {}),
  };
}
