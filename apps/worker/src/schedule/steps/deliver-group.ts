/**
 * Deliver → settle: one client's group of events, in as many requests as GA4's limits need
 * (batchEvents), in order. A sent request is settled at once; a rejected one dead-letters its
 * events; a retryable failure makes this request and the group's later ones back off (the core's
 * retry plan) and dead-letters those that have failed for `retry.giveUpAfterMs`. When the lease
 * is no longer sure, the rest waits.
 */
import { batchEvents } from '@pos-ga4/ga4-mp';

import type { HeldItem } from '../core/held-item.js';
import type { Failure } from '../core/outcomes.js';
import { barrierRefs } from '../core/partition-core.js';

import type { StepContext } from './step-context.js';

/** Deliver → settle: one client's group, in as many requests as GA4's limits need. */
export async function deliverGroup(ctx: StepContext, group: readonly HeldItem[]): Promise<void> {
  const core = ctx.core;
  const first = group[0];
  if (!first) return;
  if (!ctx.sender.hasProperty(first.property)) {
    await failItems(ctx, group, {
      reason: 'UNKNOWN_STORE',
      message: `no client for property ${first.property}`,
    });
    return;
  }
  const { requests, oversized } = batchEvents(
    group.map((item) => ({ envelope: item.envelope, event: item.event, ref: item })),
  );
  for (const { ref } of oversized)
    await failItems(ctx, [ref], {
      reason: 'VALIDATION_FAILED',
      message: 'the event alone exceeds 130,000 bytes',
    });
  for (let r = 0; r < requests.length; r++) {
    const request = requests[r];
    if (!request || ctx.aborted()) return;
    if (!ctx.leaseHeld()) {
      // not sure the partition is still ours: the rest waits (or goes to the next owner)
      core.unsent(requests.slice(r).flatMap((later) => later.refs));
      return;
    }
    const outcome = await ctx.sender.send(first.property, {
      body: request.body,
      events: request.refs.length,
      bytes: request.bytes,
    });
    const items = request.refs;
    if (outcome.kind === 'sent') {
      await ctx.settler.sent(items, core.sent(items));
      continue;
    }
    if (outcome.kind === 'rejected') {
      await failItems(ctx, items, {
        reason: outcome.reason,
        message: outcome.message,
        lastRequest: request.body,
      });
      continue;
    }
    // retryable: this request and the client's later ones wait; nothing else does
    const waiting = requests.slice(r).flatMap((later) => later.refs);
    const expired = core.retry(waiting, outcome, ctx.now());
    if (expired.length > 0)
      await failItems(ctx, expired, {
        reason: 'RETRIES_EXHAUSTED',
        message: expired[0]?.lastFailure ?? outcome.message,
        lastRequest: request.body,
        counted: true,
      });
    ctx.log.info(
      { reason: outcome.reason, events: items.length, clientKey: first.clientKey },
      'retrying later',
    );
    return;
  }
}

/** Dead-letters items (`counted`: their last failure is already in `failures`). */
export async function failItems(
  ctx: StepContext,
  items: readonly HeldItem[],
  failure: Failure & { readonly counted?: boolean },
): Promise<void> {
  const { counted = false, ...letter } = failure;
  await ctx.settler.release(barrierRefs(items));
  for (const { item, attempts } of ctx.core.failed(items, counted))
    await ctx.settler.deadLetter(item.jobId, {
      transaction: item.transaction,
      failure: letter,
      attempts,
    });
}
