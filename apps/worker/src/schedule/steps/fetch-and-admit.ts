/**
 * Fetch → admit: claims the next jobs in queue order, reads them (job data that does not parse
 * is failed at once, `JOB_INVALID`), looks up their sent-ledger entries and identity records in one
 * round trip each, and lets the core decide; what it does not hold is settled here, and the
 * held ones' client barrier entries are registered before the next round can send.
 */
import { lookupTokens } from '../../lookup/resolve-client.js';
import { readJob } from '../core/admission.js';
import type { ReadJob } from '../core/admission.js';

import type { StepContext } from './step-context.js';

/** Returns how many jobs were fetched. */
export async function fetchAndAdmit(ctx: StepContext): Promise<number> {
  if (!ctx.leaseHeld()) return 0;
  const core = ctx.core;
  const jobs = await ctx.fetcher.fetch({
    room: (fetched) => core.fetchRoom(fetched),
    windowMs: ctx.deps.config.batch.windowMs,
    pollEveryMs: core.pollEveryMs,
    holding: core.held.size > 0,
    running: () => ctx.running(),
  });
  if (jobs.length === 0) return 0;
  const { partition } = ctx.deps;
  const read: { job: ReadJob; timestamp: number }[] = [];
  for (const job of jobs) {
    const jobId = job.id ?? '';
    const result = readJob({ id: jobId, data: job.data, timestamp: job.timestamp });
    if (result.ok) read.push({ job: result.job, timestamp: job.timestamp });
    else
      await ctx.settler.deadLetter(jobId, {
        transaction: result.transaction,
        failure: result.failure,
        attempts: 1,
      });
  }
  const now = ctx.now();
  const [sent, identities] = await Promise.all([
    ctx.deps.ledger.lookup(
      partition,
      read.map(({ job }) => job.transaction.transactionId),
    ),
    ctx.deps.identities.lookup(
      read.flatMap(({ job }) => lookupTokens(job.transaction)),
      now,
    ),
  ]);
  const { admissions, register } = core.admit(read, { now, sent, identities });
  for (const { job, admission } of admissions) {
    switch (admission.kind) {
      case 'hold':
        break;
      case 'came-back':
        // its lock ran out while we held it (e.g. a stalled event loop): kept once, new claim
        ctx.log.warn(
          { jobId: job.jobId },
          'a held job came back after its lock ran out; kept once',
        );
        break;
      case 'complete':
        if (admission.release) await ctx.settler.release(admission.release);
        await ctx.settler.complete(job.jobId, admission.outcome);
        break;
      case 'dead-letter':
        await ctx.settler.deadLetter(job.jobId, {
          transaction: job.transaction,
          failure: admission.failure,
          attempts: 1,
        });
        break;
    }
  }
  await ctx.settler.register(register);
  return jobs.length;
}
