/**
 * The reads before a round's sends: the claim fence, the refund gate, the barrier heads (cached
 * while blocked) and stale heads. Each asks the core (core/) and acts through the settler.
 */
import type { TransactionStatus } from '../core/outcomes.js';
import type { StarvationVerdict } from '../core/starvation.js';

import type { StepContext } from './step-context.js';

/** At most one "fetching beyond batch.maxHeld" warning per partition this often. */
const OVERFLOW_WARN_EVERY_MS = 30_000;

/** The fence (core/claim-fence.ts): true when nothing claimed elsewhere holds sends back. */
export async function fenceClear(ctx: StepContext): Promise<boolean> {
  const fence = ctx.core.fence;
  const observed = fence.observe(await ctx.fetcher.activeIds(), ctx.now(), (id) =>
    ctx.fetcher.isOwn(id),
  );
  for (const { jobId, waitedMs } of observed.gaveUp)
    ctx.log.error(
      { jobId, waitedMs },
      'a job claimed elsewhere did not come back; sending on without it (its receipt order may break)',
    );
  const clear = fence.resolve(await ctx.fetcher.whereAre(observed.toCheck));
  if (observed.added > 0)
    ctx.log.warn(
      { foreign: fence.foreign, sample: fence.sample(3) },
      'jobs claimed elsewhere: holding sends until they are back',
    );
  return clear;
}

/** Parked refunds whose purchase was sent go (on its client), or are dead-lettered, or wait. */
export async function checkRefunds(ctx: StepContext): Promise<void> {
  const core = ctx.core;
  for (const item of core.held.parkedRefunds()) {
    const purchase = item.transaction.refundOf;
    const status: TransactionStatus =
      purchase === undefined ? { state: 'unknown' } : await ctx.deps.transactionStatus(purchase);
    const step = core.refundStep(item, status, ctx.now());
    if (step.kind === 'dead-letter') {
      await ctx.settler.release(step.release);
      await ctx.settler.deadLetter(item.jobId, {
        transaction: item.transaction,
        failure: step.failure,
        attempts: item.failures + 1,
      });
    } else if (step.kind === 'go') {
      if (step.relink.release) await ctx.settler.release([step.relink.release]);
      if (step.relink.register) await ctx.settler.register([step.relink.register]);
      if (step.link === 'unmatched')
        ctx.log.warn(
          { transactionId: item.transaction.transactionId, refundOf: purchase },
          'refund sent without a purchase pos-ga4 has sent (refunds.unknownPurchase: send)',
        );
    }
  }
}

/** The barrier heads of `clients`; blocked ones read within the last poll interval are reused. */
export async function readHeads(
  ctx: StepContext,
  clients: ReadonlySet<string>,
  now: number,
): Promise<Map<string, readonly string[]>> {
  const core = ctx.core;
  const { cached, toRead } = core.heads.split(clients, { now, freshMs: core.pollEveryMs });
  const read = await ctx.deps.barrier.heads(toRead, ctx.deps.config.batch.maxJobs);
  core.heads.store(read, { now, isHeld: (id) => core.held.has(id) });
  for (const [clientKey, list] of read) cached.set(clientKey, list);
  return cached;
}

/** Barrier heads nobody holds any more leave their client's barrier (core/barrier-heads.ts). */
export async function removeStaleHeads(
  ctx: StepContext,

  heads: ReadonlyMap<string, readonly string[]>,
  now: number,
): Promise<void> {
  const core = ctx.core;
  for (const head of core.staleHeads.due(heads, { now, isHeld: (id) => core.held.has(id) })) {
    const { state } = await ctx.deps.transactionStatus(head.transactionId);
    if (!core.staleHeads.isStale(head.transactionId, state, now)) continue;
    await ctx.settler.release([head]);
    ctx.log.info({ ...head, state }, 'removed a stale barrier entry');
  }
}

/** Logs what the starvation policy decided (overflow at most once per 30 s per partition). */
export function reportStarvation(
  ctx: StepContext & { readonly overflowWarned: { at: number } },
  verdict: StarvationVerdict,
  now: number,
): void {
  if (verdict.overflowStarted && now - ctx.overflowWarned.at >= OVERFLOW_WARN_EVERY_MS) {
    ctx.overflowWarned.at = now;
    ctx.log.warn(
      {
        held: ctx.core.held.size,
        blockedTerminals: verdict.blockedTerminals,
        maxHeldBlocked: ctx.deps.config.batch.maxHeldBlocked,
      },
      'every held job waits for a client event held nowhere here: fetching beyond batch.maxHeld',
    );
  }
  if (verdict.giveUp)
    ctx.log.error(
      {
        transactionId: verdict.giveUp.item.transaction.transactionId,
        clientKey: verdict.giveUp.item.clientKey,
        waitingFor: verdict.giveUp.waitingFor,
        held: ctx.core.held.size,
      },
      'client order given up: batch.maxHeldBlocked reached and the earlier event of this client is still not held here',
    );
}
