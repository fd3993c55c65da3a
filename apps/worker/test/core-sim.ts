/**
 * A simulated partition for the delivery core's property tests. In memory: a BullMQ-like queue
 * (wait list, active jobs with their claimer, completed, failed), the client barriers, the
 * sent-ledger, the dead-letter queue and GA4. Owners (one live at a time, like lease holders)
 * drive a PartitionCore step by step the way partition-consumer.ts does: fetch → admit → fence →
 * refunds → heads → select → deliver → settle. Each step is one action, so a sequence of actions
 * is one interleaving of fetches, responses, failures, clock, lease loss and takeover.
 *
 * GA4 checks the guarantees as each request arrives (`violations`):
 * - a terminal's receipt goes only after its earlier sales were settled (sent or dead-lettered);
 * - a client's event goes only when every event ahead of it in its barrier is in the same
 *   request, before it;
 * - a refund goes only after its purchase, when the purchase was ever handed over;
 * - no transaction reaches GA4 twice.
 * `finish()` drains, then `unsettled()` names every handed-over transaction without an outcome.
 */
import { clientBarrierKey, orderScoreOf, scannedClientIdOf } from '@pos-ga4/queue-contract';
import type { BarrierEntry } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';

import type { WorkerConfig } from '../src/config.js';
import type { LedgerEntry } from '../src/ledger/sent-ledger.js';
import { readJob } from '../src/schedule/core/admission.js';
import type { HeldItem } from '../src/schedule/core/held-item.js';
import type { TransactionStatus } from '../src/schedule/core/outcomes.js';
import { barrierRefs, PartitionCore } from '../src/schedule/core/partition-core.js';
import type { BarrierRef } from '../src/schedule/core/partition-core.js';

export type Response = 'sent' | 'retryable' | 'rejected' | 'lost';

export type Action =
  | { readonly kind: 'enqueue'; readonly count: number }
  | { readonly kind: 'fetch' }
  | { readonly kind: 'round' }
  | { readonly kind: 'respond'; readonly pick: number; readonly response: Response }
  | { readonly kind: 'advance'; readonly ms: number }
  /** The live owner loses its lease; its in-flight requests end as `responses` say (cycled). */
  | {
      readonly kind: 'takeover';
      readonly responses: readonly Response[];
      readonly lateClaims: number;
    }
  /** Jobs claimed by a dead owner after the takeover run out of lock: back to the queue's head. */
  | { readonly kind: 'stalled'; readonly order: number };

interface Owner {
  readonly id: number;
  readonly core: PartitionCore;
  /** Still waiting for the previous owner's jobs to leave the active list. */
  starting: boolean;
  readonly inflight: HeldItem[][];
}

interface StoredJob {
  readonly data: unknown;
  readonly timestamp: number;
}

export class SimPartition {
  readonly violations: string[] = [];
  readonly #config: WorkerConfig;
  readonly #receipts: readonly Transaction[];
  readonly #byId = new Map<string, Transaction>();
  #enqueued = 0;
  #now: number;
  #random: () => number;
  readonly #wait: string[] = [];
  readonly #active = new Map<string, number>();
  readonly #jobs = new Map<string, StoredJob>();
  readonly #completed = new Map<string, string>();
  readonly #failed = new Map<string, string>();
  readonly #barrier = new Map<string, Map<string, number>>();
  readonly #ledger = new Map<string, LedgerEntry>();
  readonly #ga4 = new Set<string>();
  #owner: Owner;
  #owners = 0;
  /** A dead owner's claims still on their way to Redis: they run after the new owner started. */
  #lateClaims: { owner: number; count: number } | undefined;

  constructor(options: {
    config: WorkerConfig;
    receipts: readonly Transaction[];
    now: number;
    seed: number;
  }) {
    this.#config = options.config;
    this.#receipts = options.receipts;
    for (const receipt of options.receipts) this.#byId.set(receipt.transactionId, receipt);
    this.#now = options.now;
    let state = options.seed >>> 0 || 1;
    this.#random = () => {
      // xorshift32: deterministic jitter, so a failing run shrinks and replays
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    this.#owner = this.#newOwner();
  }

  #newOwner(): Owner {
    const core = new PartitionCore(this.#config, { random: this.#random });
    const owner: Owner = { id: ++this.#owners, core, starting: true, inflight: [] };
    core.fence.takeOver([...this.#active.keys()], this.#now);
    return owner;
  }

  get sentCount(): number {
    return this.#ga4.size;
  }

  get deadLettered(): number {
    return this.#failed.size;
  }

  apply(action: Action): void {
    switch (action.kind) {
      case 'enqueue':
        this.#enqueue(action.count);
        return;
      case 'fetch':
        this.#fetch();
        return;
      case 'round':
        this.#round();
        return;
      case 'respond':
        this.#respond(action.pick, action.response);
        return;
      case 'advance':
        this.#now += action.ms;
        return;
      case 'takeover':
        this.#takeover(action.responses, action.lateClaims);
        return;
      case 'stalled':
        this.#stalled(action.order);
        return;
    }
  }

  /** As a terminal hands over: scanned clients enter their barrier, then the job is added. */
  #enqueue(count: number): void {
    for (let i = 0; i < count && this.#enqueued < this.#receipts.length; i++) {
      const transaction = this.#receipts[this.#enqueued++];
      if (!transaction) return;
      const scanned = scannedClientIdOf(transaction);
      if (scanned)
        this.#register([
          {
            clientKey: clientBarrierKey(this.#config.redis.prefix, scanned.clientId),
            score: orderScoreOf(transaction),
            transactionId: transaction.transactionId,
          },
        ]);
      const id = transaction.transactionId;
      if (this.#jobs.has(id)) continue;
      this.#jobs.set(id, {
        data: {
          transaction,
          enqueuedAt: new Date(this.#now).toISOString(),
          sequence: this.#enqueued,
        },
        timestamp: this.#now,
      });
      this.#wait.push(id);
    }
  }

  #register(entries: readonly BarrierEntry[]): void {
    for (const entry of entries) {
      const set = this.#barrier.get(entry.clientKey) ?? new Map<string, number>();
      if (!set.has(entry.transactionId)) set.set(entry.transactionId, entry.score);
      this.#barrier.set(entry.clientKey, set);
    }
  }

  #release(refs: readonly BarrierRef[]): void {
    for (const ref of refs) this.#barrier.get(ref.clientKey)?.delete(ref.transactionId);
  }

  /** A client's barrier in order (score, then member, as a Redis sorted set). */
  #members(clientKey: string): string[] {
    const set = this.#barrier.get(clientKey);
    if (!set) return [];
    return [...set]
      .sort(([a, sa], [b, sb]) => sa - sb || (a < b ? -1 : a > b ? 1 : 0))
      .map(([id]) => id);
  }

  #status(transactionId: string): TransactionStatus {
    const entry = this.#ledger.get(transactionId);
    if (entry) return { state: 'sent', entry };
    if (this.#completed.has(transactionId)) return { state: 'sent' };
    if (this.#failed.has(transactionId)) return { state: 'failed' };
    return { state: this.#jobs.has(transactionId) ? 'pending' : 'unknown' };
  }

  #complete(jobId: string, outcome: string): void {
    if (this.#active.get(jobId) !== this.#owner.id) return;
    this.#active.delete(jobId);
    this.#completed.set(jobId, outcome);
  }

  #fail(jobId: string, reason: string): void {
    if (this.#active.get(jobId) !== this.#owner.id) return;
    this.#active.delete(jobId);
    this.#failed.set(jobId, reason);
  }

  /** Fetch → admit, as `#fetchAndAdmit` does; nothing while a previous owner's jobs are active. */
  #fetch(): void {
    const owner = this.#owner;
    const { core } = owner;
    if (owner.starting) {
      if ([...this.#active.values()].some((id) => id !== owner.id)) return;
      owner.starting = false;
    } else if (this.#lateClaims) {
      // the late claims take the head of the queue; this owner fetches what comes after
      for (let i = 0; i < this.#lateClaims.count; i++) {
        const id = this.#wait.shift();
        if (id !== undefined) this.#active.set(id, this.#lateClaims.owner);
      }
      this.#lateClaims = undefined;
    }
    const fetched: string[] = [];
    for (;;) {
      const room = core.fetchRoom(fetched.length);
      const id = this.#wait[0];
      if (room <= 0 || id === undefined) break;
      this.#wait.shift();
      this.#active.set(id, owner.id);
      fetched.push(id);
    }
    const read = [];
    for (const id of fetched) {
      const job = this.#jobs.get(id);
      if (!job) continue;
      const result = readJob({ id, data: job.data, timestamp: job.timestamp });
      if (result.ok) read.push({ job: result.job, timestamp: job.timestamp });
      else this.#fail(id, result.failure.reason);
    }
    const sent = new Map<string, LedgerEntry>();
    for (const { job } of read) {
      const entry = this.#ledger.get(job.jobId);
      if (entry) sent.set(job.jobId, entry);
    }
    const { admissions, register } = core.admit(read, {
      now: this.#now,
      sent,
      identities: new Map(),
    });
    for (const { job, admission } of admissions) {
      if (admission.kind === 'complete') {
        if (admission.release) this.#release(admission.release);
        this.#complete(job.jobId, admission.outcome.outcome);
      } else if (admission.kind === 'dead-letter') this.#fail(job.jobId, admission.failure.reason);
    }
    this.#register(register);
  }

  /** Fence → refunds → heads → select → deliver, as `#round` does (the sends start here). */
  #round(): void {
    const owner = this.#owner;
    const { core } = owner;
    if (owner.starting || core.held.size === 0) return;
    if (core.fence.needsCheck) {
      const observed = core.fence.observe([...this.#active.keys()], this.#now, (id) =>
        core.held.has(id),
      );
      const where = new Map<string, 'settled' | 'queued'>();
      for (const id of observed.toCheck)
        where.set(id, this.#wait.includes(id) ? 'queued' : 'settled');
      if (!core.fence.resolve(where)) return;
    }
    for (const item of core.held.parkedRefunds()) {
      const purchase = item.transaction.refundOf;
      const status =
        purchase === undefined ? { state: 'unknown' as const } : this.#status(purchase);
      const step = core.refundStep(item, status, this.#now);
      if (step.kind === 'dead-letter') {
        this.#release(step.release);
        this.#fail(item.jobId, step.failure.reason);
      } else if (step.kind === 'go') {
        if (step.relink.release) this.#release([step.relink.release]);
        if (step.relink.register) this.#register([step.relink.register]);
      }
    }
    const heads = new Map<string, readonly string[]>();
    for (const clientKey of core.clientsToRead(this.#now))
      heads.set(clientKey, this.#members(clientKey).slice(0, this.#config.batch.maxJobs));
    for (const head of core.staleHeads.due(heads, {
      now: this.#now,
      isHeld: (id) => core.held.has(id),
    }))
      if (
        core.staleHeads.isStale(
          head.transactionId,
          this.#status(head.transactionId).state,
          this.#now,
        )
      )
        this.#release([head]);
    const { groups, starvation } = core.select(heads, {
      now: this.#now,
      inflight: owner.inflight.length,
    });
    if (starvation?.giveUp)
      this.violations.push(`client order given up for ${starvation.giveUp.item.jobId}`);
    for (const group of groups) {
      core.start(group);
      owner.inflight.push(group);
    }
  }

  /** GA4 answers one of the live owner's requests. */
  #respond(pick: number, response: Response): void {
    const owner = this.#owner;
    const group = owner.inflight.splice(pick % Math.max(1, owner.inflight.length), 1)[0];
    if (!group) return;
    this.#settle(owner, group, response);
  }

  #settle(owner: Owner, group: HeldItem[], response: Response): void {
    const { core } = owner;
    const live = owner === this.#owner;
    switch (response) {
      case 'sent': {
        this.#receive(owner, group);
        for (const item of group)
          this.#ledger.set(item.transaction.transactionId, {
            requestId: `${owner.id}`,
            sentAt: new Date(this.#now).toISOString(),
            clientId: item.envelope.client_id,
            ordered: item.ordered,
          });
        // the settler releases barriers even after an abort; job moves only while the lease holds
        this.#release(core.sent(group));
        if (live) for (const item of group) this.#complete(item.jobId, 'sent');
        return;
      }
      case 'rejected':
        if (!live) return;
        this.#release(barrierRefs(group));
        for (const { item } of core.failed(group, false)) this.#fail(item.jobId, 'HTTP_4XX');
        return;
      case 'retryable': {
        if (!live) return;
        const expired = core.retry(group, { reason: 'HTTP_5XX', message: '503' }, this.#now);
        this.#release(barrierRefs(expired));
        for (const { item } of core.failed(expired, true))
          this.#fail(item.jobId, 'RETRIES_EXHAUSTED');
        return;
      }
      case 'lost':
        // a timeout with no effect at GA4: the request is retried like a 5xx
        if (live) core.retry(group, { reason: 'TIMEOUT', message: 'timeout' }, this.#now);
        return;
    }
  }

  /** GA4 takes a request: the guarantees are checked against the world as it is now. */
  #receive(owner: Owner, group: readonly HeldItem[]): void {
    const inRequest = new Set<string>();
    for (const item of group) {
      const id = item.transaction.transactionId;
      if (this.#ga4.has(id)) this.violations.push(`${id} sent twice (owner ${owner.id})`);
      const transaction = this.#byId.get(id);
      const position = transaction ? this.#receipts.indexOf(transaction) : -1;
      for (const earlier of this.#receipts.slice(0, position)) {
        if (earlier.kind === 'refund') continue;
        if (`${earlier.storeId}/${earlier.terminalId}` !== item.terminalKey) continue;
        const eid = earlier.transactionId;
        if (!this.#ga4.has(eid) && !this.#failed.has(eid) && !inRequest.has(eid))
          this.violations.push(`${id} sent before ${eid}, an earlier sale of its terminal`);
      }
      if (item.ordered)
        for (const ahead of this.#members(item.clientKey)) {
          if (ahead === id) break;
          if (!inRequest.has(ahead))
            this.violations.push(`${id} sent while ${ahead} is ahead of it for its client`);
        }
      const purchase = item.transaction.refundOf;
      if (purchase !== undefined && this.#byId.has(purchase) && !this.#ga4.has(purchase))
        this.violations.push(`refund ${id} sent before its purchase ${purchase}`);
      inRequest.add(id);
    }
    for (const id of inRequest) this.#ga4.add(id);
  }

  /**
   * The live owner loses its lease: it stops at once. Its requests in flight end (GA4 may have
   * taken them; the ledger is still written) before its jobs' locks run out and BullMQ puts them
   * back at the queue's head, in no particular order. A new owner takes over; a late claim of
   * the old owner may then take jobs from the head (the fence must hold sends until they are back).
   */
  #takeover(responses: readonly Response[], lateClaims: number): void {
    const old = this.#owner;
    // the new owner starts while the old one's jobs are still active (foreign to its fence)
    this.#owner = this.#newOwner();
    old.inflight.forEach((group, index) => {
      const response = responses[index % Math.max(1, responses.length)] ?? 'lost';
      this.#settle(old, group, response === 'sent' ? 'sent' : 'lost');
    });
    old.inflight.length = 0;
    const orphans = [...this.#active].filter(([, id]) => id === old.id).map(([jobId]) => jobId);
    for (const id of orphans) this.#active.delete(id);
    this.#wait.unshift(...this.#shuffle(orphans));
    this.#lateClaims = lateClaims > 0 ? { owner: old.id, count: lateClaims } : undefined;
  }

  /** Late claims of dead owners run out of lock: back to the head of the queue. */
  #stalled(order: number): void {
    const stale = [...this.#active].filter(([, id]) => id !== this.#owner.id).map(([id]) => id);
    for (const id of stale) this.#active.delete(id);
    this.#wait.unshift(...(order % 2 === 0 ? stale : stale.reverse()));
  }

  #shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [list[i], list[j]] = [list[j] as T, list[i] as T];
    }
    return list;
  }

  /** Everything is handed over, every lock runs out, GA4 answers every request, until quiet. */
  finish(): void {
    this.#enqueue(this.#receipts.length);
    for (let step = 0; step < 10_000; step++) {
      const owner = this.#owner;
      if ([...this.#active.values()].some((id) => id !== owner.id)) this.#stalled(0);
      const busy =
        owner.core.held.size + owner.inflight.length + this.#wait.length + this.#active.size;
      if (busy === 0 && this.#lateClaims === undefined) return;
      this.#fetch();
      this.#round();
      while (owner.inflight.length > 0) this.#respond(0, 'sent');
      this.#now += 500;
    }
    this.violations.push('the partition did not drain');
  }

  /** Handed-over transactions that were neither completed nor failed. */
  unsettled(): string[] {
    return [...this.#jobs.keys()].filter((id) => !this.#completed.has(id) && !this.#failed.has(id));
  }
}
