/**
 * Accounting of one fault scenario: what was sent into the terminals against what the collector
 * accepted. Pure (no I/O, no clock).
 *
 * Inputs:
 * - `expected`: every receipt written into a terminal adapter, with its transaction id, its
 *   terminal and its index in that terminal's stream (receipt order), its occurredAt and, for an
 *   identified customer, the client id it must be delivered under;
 * - `deliveries`: the events of every 2xx `/mp/collect` request, in arrival order (request order,
 *   then event order inside a request);
 * - `kept`: transaction ids (or stream ids) accounted for without a delivery, with a reason code
 *   (a terminal reject, a dead letter) — only where that is a legitimate end (fuzzed receipts);
 * - `handedOverAt`: when each transaction reached Redis (job data `enqueuedAt`, ms), for the
 *   client-order rule; missing ids count as "always waiting" (strictest).
 * Outputs: the counts defined in docs/reliability.md:
 * - `delivered`: expected ids with at least one delivery; `kept`: not delivered but kept;
 * - `lost` = sent − delivered − kept;
 * - `duplicated`: deliveries beyond the first per id, plus ids both delivered and kept;
 * - `reordered`: first deliveries that break receipt order on their terminal (a later receipt of
 *   the same terminal had arrived first), or client order (an event of the same expected client
 *   with a later occurredAt had arrived first although this one had been in Redis for at least
 *   `clientOrderMarginMs` by then — delivery.md guarantee 2 covers only events waiting at the same
 *   time); each first delivery counts at most once; `reorderedTerminal` / `reorderedClient` split it;
 * - `unexpected`: delivered ids nobody sent; `clientMismatches`: identified receipts delivered
 *   under another client id, and anonymous receipts delivered under a customer's (an expected
 *   receipt's) client id — an anonymous purchase goes under a pseudo id of its own.
 * Errors: none; unknown ids are counted, never thrown.
 */

export interface ExpectedReceipt {
  readonly transactionId: string;
  /** `storeId/terminalId`. */
  readonly terminal: string;
  /** Position in its terminal's stream: receipt order. */
  readonly index: number;
  readonly occurredAtMs: number;
  /** The client id an identified customer's receipt must be delivered under. */
  readonly clientId?: string | undefined;
}

export interface Delivery {
  readonly transactionId: string;
  readonly clientId?: string | undefined;
  readonly receivedAtMs: number;
}

export interface AccountingInput {
  readonly expected: readonly ExpectedReceipt[];
  readonly deliveries: readonly Delivery[];
  readonly kept?: ReadonlyMap<string, string>;
  readonly handedOverAt?: ReadonlyMap<string, number>;
  readonly clientOrderMarginMs?: number;
}

export interface Accounting {
  readonly sent: number;
  readonly delivered: number;
  readonly kept: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly reorderedTerminal: number;
  readonly reorderedClient: number;
  readonly unexpected: number;
  readonly clientMismatches: number;
  /** Up to 10 lost transaction ids, for the report. */
  readonly lostSample: readonly string[];
  /** Up to 10 out-of-order first deliveries, described, for the report. */
  readonly reorderedSample: readonly string[];
}

export const DEFAULT_CLIENT_ORDER_MARGIN_MS = 1000;

interface ClientDelivery {
  readonly transactionId: string;
  readonly occurredAtMs: number;
  readonly receivedAtMs: number;
}

export function account(input: AccountingInput): Accounting {
  const byId = new Map(input.expected.map((receipt) => [receipt.transactionId, receipt]));
  const kept = input.kept ?? new Map<string, string>();
  const margin = input.clientOrderMarginMs ?? DEFAULT_CLIENT_ORDER_MARGIN_MS;
  const deliveriesOf = new Map<string, number>();
  const lastIndex = new Map<string, number>();
  const clientSeen = new Map<string, ClientDelivery[]>();
  const customers = new Set(input.expected.flatMap((receipt) => receipt.clientId ?? []));
  let unexpected = 0;
  let clientMismatches = 0;
  let reorderedTerminal = 0;
  let reorderedClient = 0;
  let reordered = 0;
  const reorderedSample: string[] = [];

  for (const delivery of input.deliveries) {
    const count = deliveriesOf.get(delivery.transactionId) ?? 0;
    deliveriesOf.set(delivery.transactionId, count + 1);
    if (count > 0) continue;
    const receipt = byId.get(delivery.transactionId);
    if (receipt === undefined) {
      unexpected++;
      continue;
    }
    const latest = lastIndex.get(receipt.terminal) ?? -1;
    const outOfTerminalOrder = latest > receipt.index;
    if (!outOfTerminalOrder) lastIndex.set(receipt.terminal, receipt.index);
    let outOfClientOrder = false;
    let clientDetail = '';
    if (
      receipt.clientId === undefined &&
      delivery.clientId !== undefined &&
      customers.has(delivery.clientId)
    )
      clientMismatches++;
    if (receipt.clientId !== undefined) {
      if (delivery.clientId !== receipt.clientId) clientMismatches++;
      const seen = clientSeen.get(receipt.clientId) ?? [];
      const waitingSince = input.handedOverAt?.get(receipt.transactionId) ?? -Infinity;
      const overtaken = seen.find(
        (earlier) =>
          earlier.occurredAtMs > receipt.occurredAtMs &&
          earlier.receivedAtMs >= waitingSince + margin,
      );
      outOfClientOrder = overtaken !== undefined;
      if (overtaken !== undefined)
        clientDetail = `${overtaken.transactionId} (occurred ${new Date(overtaken.occurredAtMs).toISOString()}, arrived ${new Date(overtaken.receivedAtMs).toISOString()}) arrived first; this one occurred ${new Date(receipt.occurredAtMs).toISOString()}, in Redis since ${Number.isFinite(waitingSince) ? new Date(waitingSince).toISOString() : '?'}, arrived ${new Date(delivery.receivedAtMs).toISOString()}`;
      seen.push({
        transactionId: receipt.transactionId,
        occurredAtMs: receipt.occurredAtMs,
        receivedAtMs: delivery.receivedAtMs,
      });
      clientSeen.set(receipt.clientId, seen);
    }
    if (outOfTerminalOrder) reorderedTerminal++;
    if (outOfClientOrder) reorderedClient++;
    if (outOfTerminalOrder || outOfClientOrder) {
      reordered++;
      if (reorderedSample.length < 10)
        reorderedSample.push(
          outOfTerminalOrder
            ? `${receipt.transactionId} (#${receipt.index}) after #${latest} of ${receipt.terminal}`
            : `${receipt.transactionId} of client ${receipt.clientId ?? ''}: ${clientDetail}`,
        );
    }
  }

  let delivered = 0;
  let keptCount = 0;
  let duplicated = 0;
  const lostIds: string[] = [];
  for (const receipt of input.expected) {
    const count = deliveriesOf.get(receipt.transactionId) ?? 0;
    const isKept = kept.has(receipt.transactionId);
    if (count > 0) {
      delivered++;
      duplicated += count - 1 + (isKept ? 1 : 0);
    } else if (isKept) keptCount++;
    else lostIds.push(receipt.transactionId);
  }
  return {
    sent: input.expected.length,
    delivered,
    kept: keptCount,
    lost: lostIds.length,
    duplicated,
    reordered,
    reorderedTerminal,
    reorderedClient,
    unexpected,
    clientMismatches,
    lostSample: lostIds.slice(0, 10),
    reorderedSample,
  };
}

/**
 * A span in which a process died, and whose sends it can explain:
 * - a worker's SIGKILL: `from` = `to` = the kill, `senders` = the killed process's worker id
 *   (`undefined` when it had not announced itself yet: then it held no partition, sent nothing
 *   and explains nothing);
 * - a Redis outage: kill → restart + the lease-loss allowance, `senders` = `'all'` (every worker
 *   lost Redis at once).
 */
export interface CrashWindow {
  readonly from: number;
  readonly to: number;
  readonly senders: 'all' | { readonly workerId: string | undefined };
}

/** How long before a kill a delivery may have been answered and still miss its ledger write. */
export const CRASH_WINDOW_MS = 2000;

/** A request a process wrote just before its SIGKILL can still reach the collector after it. */
export const IN_TRANSIT_MS = 500;

export interface AttributionOptions {
  /** Only these transaction ids are attributed (duplicates of ids nobody sent are `unexpected`). */
  readonly only?: ReadonlySet<string>;
  /**
   * The worker ids that can have sent the copy of `transactionId` that arrived at `atMs` (the
   * holders of its partition's lease around then). Without it no worker's kill explains anything.
   */
  readonly sendersAt?: (transactionId: string, atMs: number) => ReadonlySet<string>;
}

export interface Attribution {
  readonly explained: number;
  readonly unexplained: number;
  readonly unexplainedSample: readonly string[];
}

/**
 * Splits duplicates into those the documented crash window explains (delivery.md: a worker that
 * dies — or loses Redis — between GA4's 2xx and its ledger write resends what was in flight) and
 * the rest. Each repeat of a transaction is looked at with the copy before it (`previous`): it is
 * explained by a crash when
 * - `previous` arrived within `CRASH_WINDOW_MS` before the crash began, during it, or up to
 *   `IN_TRANSIT_MS` after it ended (`from − 2 s ≤ previous ≤ to + 0.5 s`),
 * - the repeat arrived after the crash began (`repeat ≥ from`),
 * - the crash hit the sender of `previous`: a Redis outage hits every worker; a SIGKILL only the
 *   killed worker, which must be among `sendersAt(id, previous)`,
 * - and that crash has not explained another repeat of the same transaction (one resend per
 *   crash: the next owner finds no ledger entry once, and writes one when it sends).
 * Every other repeat is unexplained. Pure.
 */
export function attributeDuplicates(
  deliveries: readonly Delivery[],
  crashes: readonly CrashWindow[],
  options: AttributionOptions = {},
): Attribution {
  const times = new Map<string, number[]>();
  for (const delivery of deliveries) {
    if (options.only !== undefined && !options.only.has(delivery.transactionId)) continue;
    const list = times.get(delivery.transactionId) ?? [];
    list.push(delivery.receivedAtMs);
    times.set(delivery.transactionId, list);
  }
  let explained = 0;
  let unexplained = 0;
  const unexplainedSample: string[] = [];
  for (const [transactionId, list] of times) {
    const used = new Set<CrashWindow>();
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1] ?? 0;
      const repeat = list[i] ?? 0;
      const crash = crashes.find(
        (c) =>
          !used.has(c) &&
          previous >= c.from - CRASH_WINDOW_MS &&
          previous <= c.to + IN_TRANSIT_MS &&
          repeat >= c.from &&
          (c.senders === 'all' ||
            (c.senders.workerId !== undefined &&
              (options.sendersAt?.(transactionId, previous).has(c.senders.workerId) ?? false))),
      );
      if (crash !== undefined) {
        used.add(crash);
        explained++;
      } else {
        unexplained++;
        if (unexplainedSample.length < 10 && !unexplainedSample.includes(transactionId))
          unexplainedSample.push(transactionId);
      }
    }
  }
  return { explained, unexplained, unexplainedSample };
}
