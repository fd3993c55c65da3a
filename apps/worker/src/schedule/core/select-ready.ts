/**
 * Which held items may be sent now. Pure.
 *
 * Input: the held items of one partition, grouped by terminal and in receipt order; the heads of
 * the clients' barriers (transaction ids in order); the clock.
 * Output: groups of items, one group per client, each in the client's barrier order.
 *
 * Rules (docs/delivery.md):
 * - per terminal, only the first unfinished item can go (more of the same terminal only when they
 *   are for the same client and go in the same request), and not while it is in flight or backing
 *   off: a terminal's receipts are sent in receipt order. The one exception: a refund parked until
 *   its purchase has been sent steps aside, and the terminal's later receipts go ahead of it;
 * - per client, only the items at the head of its barrier can go, in barrier order, and a group
 *   stops at the first head that is not ready here (it may belong to another partition): a
 *   client's events are sent in occurredAt order, and never while an earlier one is pending.
 *   Items outside the barrier (`ordered: false`, a pseudo client id of their own) form a group
 *   of one;
 * Nothing else waits: other terminals and other clients go ahead.
 */
import { isParked } from './held-item.js';
import type { HeldItem } from './held-item.js';

export function selectReady(input: {
  readonly terminals: ReadonlyMap<string, readonly HeldItem[]>;
  readonly heads: ReadonlyMap<string, readonly string[]>;
  readonly now: number;
}): HeldItem[][] {
  const candidates = new Map<string, Map<string, HeldItem>>();
  const unordered: HeldItem[][] = [];
  for (const items of input.terminals.values()) {
    let client: string | undefined;
    for (const item of items) {
      // a refund parked until its purchase is sent does not hold up its terminal
      if (isParked(item)) continue;
      if (item.state === 'inflight' || item.blockedUntil > input.now) break;
      if (client !== undefined && item.clientKey !== client) break;
      client = item.clientKey;
      if (!item.ordered) {
        unordered.push([item]);
        break;
      }
      const forClient = candidates.get(item.clientKey) ?? new Map<string, HeldItem>();
      forClient.set(item.transaction.transactionId, item);
      candidates.set(item.clientKey, forClient);
    }
  }
  const groups: HeldItem[][] = unordered;
  for (const [clientKey, forClient] of candidates) {
    const group: HeldItem[] = [];
    for (const transactionId of input.heads.get(clientKey) ?? []) {
      const item = forClient.get(transactionId);
      if (!item) break;
      group.push(item);
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}
