/**
 * The sent-ledger: transaction id → the request that delivered it, kept `ttlDays` (≥ 7). Checked
 * before every send, written right after a 2xx, so a redelivered job (a stalled lock, a crashed
 * worker, a redrive) is completed without sending twice. Keys carry the partition's hash tag
 * (`sentLedgerKey`: `<prefix>:sent:{tx-N}:<transactionId>`), so one partition's lookups are a
 * single-slot MGET.
 * The window that remains (a crash between GA4's 2xx and the ledger write) is documented in
 * docs/delivery.md; a duplicate it lets through carries the same transaction_id.
 * An entry also keeps who the event was sent for (client_id, user_id): a refund sent later takes
 * them over, so GA4 nets it against its purchase on the same user. Entries read back are
 * validated; one that does not parse counts as absent (and is logged by the caller's metrics).
 */
import { sentLedgerKey } from '@pos-ga4/queue-contract';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const LedgerEntrySchema = z.object({
  requestId: z.string(),
  sentAt: z.string(),
  /** The request's client_id (absent in entries written before it was kept). */
  clientId: z.string().optional(),
  userId: z.string().optional(),
  /** Whether the client's order barrier applies to it (false for a per-purchase pseudo id). */
  ordered: z.boolean().optional(),
});

export type LedgerEntry = z.output<typeof LedgerEntrySchema>;

function parseEntry(value: string): LedgerEntry | undefined {
  try {
    const parsed = LedgerEntrySchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export class SentLedger {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  constructor(options: { redis: Redis; prefix: string; ttlDays?: number }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    this.#ttlSeconds = Math.ceil((options.ttlDays ?? 8) * 86_400);
  }

  key(partition: number, transactionId: string): string {
    return sentLedgerKey(this.#prefix, partition, transactionId);
  }

  async lookup(
    partition: number,
    transactionIds: readonly string[],
  ): Promise<Map<string, LedgerEntry>> {
    const found = new Map<string, LedgerEntry>();
    if (transactionIds.length === 0) return found;
    const values = await this.#redis.mget(...transactionIds.map((id) => this.key(partition, id)));
    values.forEach((value, index) => {
      const id = transactionIds[index];
      if (value === null || id === undefined) return;
      // a corrupt entry still says "sent": never send twice for a bad record
      found.set(id, parseEntry(value) ?? { requestId: 'unreadable', sentAt: '' });
    });
    return found;
  }

  async record(
    partition: number,
    entries: readonly { transactionId: string; entry: LedgerEntry }[],
  ): Promise<void> {
    await Promise.all(
      entries.map(({ transactionId, entry }) =>
        this.#redis.set(
          this.key(partition, transactionId),
          JSON.stringify(entry),
          'EX',
          this.#ttlSeconds,
        ),
      ),
    );
  }
}
