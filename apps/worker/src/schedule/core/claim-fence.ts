/**
 * The fence against jobs claimed behind a consumer's back. Pure state; the loop reads the
 * partition's active list and the states of jobs that left it, and this decides.
 *
 * A claim can reach Redis late: a previous owner's fetch queued while Redis was away (ioredis
 * replays it on reconnect), or stuck in a cut TCP connection, runs after this consumer took the
 * partition over and takes jobs from the head of the queue. Nobody sends them (that owner has
 * lost its lease), but they come back to the head only when their locks run out, after this
 * consumer may have fetched and sent a terminal's later receipts. So before each round of sends
 * the active list is read; any job in it that is not this consumer's is foreign, and nothing is
 * sent until every foreign job is either held here (fetched and sorted in with the rest) or
 * settled elsewhere (completed or failed). Everything held was fetched before that read, and a
 * claim after it can only take jobs newer than those, so what is sent keeps receipt order. The
 * read is needed only after new jobs were admitted (jobs admitted before a clear read stay
 * clear: anything claimed later is newer). It relies on a late claim's jobs staying active for
 * at least a lock period (`leaseMs`, then BullMQ's stalled check), far longer than the step from
 * a fetch to the sends that follow it.
 * A job that stays foreign for `giveUpAfterMs` (a claimer that keeps renewing its lock:
 * something consuming the queue outside pos-ga4's leases) is given up on (reported), so the
 * partition does not stall for good. When taking over, the previous owner's active jobs are
 * foreign from the start.
 */
export interface FenceObservation {
  /** Jobs newly found claimed elsewhere. */
  readonly added: number;
  /** Jobs given up on now, with how long they were waited for. */
  readonly gaveUp: readonly { readonly jobId: string; readonly waitedMs: number }[];
  /** Foreign jobs no longer active: their state decides (`resolve`). */
  readonly toCheck: readonly string[];
}

export class ClaimFence {
  readonly #giveUpAfterMs: number;
  /** Active jobs claimed by someone else, not yet ours or settled, since when. */
  readonly #foreign = new Map<string, number>();
  /** Foreign jobs given up on (not waited for again while they stay active). */
  #givenUp = new Set<string>();
  /** How many foreign jobs are back in the queue (the next fetch takes them from its head). */
  #queued = 0;
  /** Jobs were admitted since the fence last read the active list. */
  #unchecked = false;

  constructor(options: { giveUpAfterMs: number }) {
    this.#giveUpAfterMs = options.giveUpAfterMs;
  }

  /** Taking over: whatever is active now was claimed by the previous owner. */
  takeOver(active: readonly string[], now: number): void {
    for (const id of active) this.#foreign.set(id, now);
  }

  /** Jobs were admitted: the next round must read the active list first. */
  admitted(): void {
    this.#unchecked = true;
  }

  /** Whether the next round must read the active list before it sends. */
  get needsCheck(): boolean {
    return this.#unchecked || this.#foreign.size > 0;
  }

  /** Foreign jobs back in the queue: a fetch makes room for them even beyond `maxHeld`. */
  get queued(): number {
    return this.#queued;
  }

  get foreign(): number {
    return this.#foreign.size;
  }

  sample(count: number): string[] {
    return [...this.#foreign.keys()].slice(0, count);
  }

  /**
   * The active list as read now; `isOwn` says which jobs this consumer holds or is settling.
   * Returns what changed and which foreign jobs left the active list (their state is needed).
   */
  observe(
    active: readonly string[],
    now: number,
    isOwn: (jobId: string) => boolean,
  ): FenceObservation {
    this.#unchecked = false;
    if (this.#givenUp.size > 0)
      this.#givenUp = new Set(active.filter((id) => this.#givenUp.has(id)));
    let added = 0;
    for (const id of active)
      if (!isOwn(id) && !this.#foreign.has(id) && !this.#givenUp.has(id)) {
        this.#foreign.set(id, now);
        added++;
      }
    this.#queued = 0;
    const stillActive = new Set(active);
    const gaveUp: { jobId: string; waitedMs: number }[] = [];
    const toCheck: string[] = [];
    for (const [id, since] of [...this.#foreign]) {
      if (isOwn(id)) this.#foreign.delete(id);
      else if (now - since > this.#giveUpAfterMs) {
        this.#foreign.delete(id);
        this.#givenUp.add(id);
        gaveUp.push({ jobId: id, waitedMs: now - since });
      } else if (!stillActive.has(id)) toCheck.push(id);
    }
    return { added, gaveUp, toCheck };
  }

  /**
   * Where the jobs `observe` asked about are: settled ones (completed, failed, or gone) stop being foreign,
   * the others are back in the queue. True when nothing foreign is left: sending may go on.
   */
  resolve(states: ReadonlyMap<string, 'settled' | 'queued'>): boolean {
    for (const [id, state] of states) {
      if (state === 'settled') this.#foreign.delete(id);
      else this.#queued++;
    }
    return this.#foreign.size === 0;
  }
}
