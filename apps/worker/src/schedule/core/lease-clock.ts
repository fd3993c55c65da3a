/**
 * How long a consumer may act on its partition lease. Pure.
 * The lease was taken or renewed by a call that started at `at` (this process's clock): Redis
 * keeps it at least `leaseMs` from then. The consumer claims, sends and extends locks only until
 * `LEASE_SAFE_SHARE` of that, so when renewals fail (Redis away, a stalled event loop) it has
 * stopped before the lease can lapse and another worker take the partition: two owners never
 * send at once. Renewals come every third of `leaseMs`.
 */
export const LEASE_SAFE_SHARE = 0.8;

export class LeaseClock {
  readonly #leaseMs: number;
  #validUntil = 0;

  constructor(leaseMs: number) {
    this.#leaseMs = leaseMs;
  }

  renewed(at: number): void {
    this.#validUntil = Math.max(this.#validUntil, at + this.#leaseMs * LEASE_SAFE_SHARE);
  }

  held(now: number): boolean {
    return now < this.#validUntil;
  }
}
