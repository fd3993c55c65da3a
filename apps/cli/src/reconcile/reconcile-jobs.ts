/**
 * Reconciliation: what the terminals captured against what reached GA4, per store, business day
 * and currency, to the minor unit. Pure over job snapshots; `readJobSnapshots` reads them from the
 * partition queues (BullMQ keeps finished jobs 7 days).
 *
 * For each group: receipts and their total by kind; delivered (sent or deduplicated), skipped
 * (voids), dead-lettered by reason, and pending; `difference` = captured − delivered −
 * dead-lettered − skipped − pending, which is 0 when every receipt is accounted for.
 */
import type { Transaction } from '@pos-ga4/transaction';

export type JobFate = 'delivered' | 'skipped' | 'dead-lettered' | 'pending';

export interface JobSnapshot {
  readonly transaction: Transaction;
  readonly fate: JobFate;
  /** Dead letters: the reason code. */
  readonly reason?: string;
}

export interface Amount {
  count: number;
  /** Sum of receipt totals, minor units. */
  total: number;
}

export interface ReconcileRow {
  readonly storeId: string;
  readonly day: string;
  readonly currency: string;
  readonly captured: { sales: Amount; refunds: Amount; voids: Amount };
  readonly delivered: { purchases: Amount; refunds: Amount };
  readonly skipped: Amount;
  readonly deadLettered: Record<string, Amount>;
  readonly pending: Amount;
  /** Receipts not accounted for (count) and their total: 0 and 0 when everything is. */
  readonly difference: Amount;
}

const zero = (): Amount => ({ count: 0, total: 0 });
const add = (amount: Amount, t: Transaction): void => {
  amount.count++;
  amount.total += t.total;
};

export function reconcile(
  jobs: readonly JobSnapshot[],
  filter: { storeId?: string | undefined; day?: string | undefined } = {},
): ReconcileRow[] {
  const rows = new Map<string, ReconcileRow>();
  for (const job of jobs) {
    const t = job.transaction;
    const day = t.occurredAt.slice(0, 10);
    if (filter.storeId !== undefined && t.storeId !== filter.storeId) continue;
    if (filter.day !== undefined && day !== filter.day) continue;
    const key = `${t.storeId}\u0000${day}\u0000${t.currency}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        storeId: t.storeId,
        day,
        currency: t.currency,
        captured: { sales: zero(), refunds: zero(), voids: zero() },
        delivered: { purchases: zero(), refunds: zero() },
        skipped: zero(),
        deadLettered: {},
        pending: zero(),
        difference: zero(),
      };
      rows.set(key, row);
    }
    add(
      t.kind === 'sale'
        ? row.captured.sales
        : t.kind === 'refund'
          ? row.captured.refunds
          : row.captured.voids,
      t,
    );
    if (job.fate === 'delivered')
      add(t.kind === 'refund' ? row.delivered.refunds : row.delivered.purchases, t);
    else if (job.fate === 'skipped') add(row.skipped, t);
    else if (job.fate === 'pending') add(row.pending, t);
    else {
      const reason = job.reason ?? 'UNKNOWN';
      row.deadLettered[reason] ??= zero();
      add(row.deadLettered[reason], t);
    }
  }
  for (const row of rows.values()) {
    const captured = [row.captured.sales, row.captured.refunds, row.captured.voids];
    const accounted = [
      row.delivered.purchases,
      row.delivered.refunds,
      row.skipped,
      row.pending,
      ...Object.values(row.deadLettered),
    ];
    row.difference.count =
      captured.reduce((n, a) => n + a.count, 0) - accounted.reduce((n, a) => n + a.count, 0);
    row.difference.total =
      captured.reduce((n, a) => n + a.total, 0) - accounted.reduce((n, a) => n + a.total, 0);
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.storeId.localeCompare(b.storeId) ||
      a.day.localeCompare(b.day) ||
      a.currency.localeCompare(b.currency),
  );
}
