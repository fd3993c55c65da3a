/**
 * Contract (characterization, issue 15): how a job ends when it cannot be sent, pinned through
 * `buildWorker` before the delivery core is redesigned (docs/delivery.md "Failure handling",
 * docs/errors.md). Each case waits for a positive signal (an outcome, a dead letter) first.
 * - A retryable failure (503 for ever) is given up after `retry.giveUpAfterMs`:
 *   `RETRIES_EXHAUSTED`, a dead letter with the last request and attempts > 1; the client and
 *   terminal go on afterwards.
 * - Job data that fails the queue contract: outcome `dead-lettered`/`JOB_INVALID`, the job
 *   failed with that reason, no dead letter (there is no transaction to keep), nothing sent; the
 *   queue goes on behind it.
 * - Every valid sale is sendable: a receipt at the 1,000-line limit goes out as one event of at
 *   most 200 items (the rest folded into `pos_other_items`, `pos_items_folded`), not a
 *   VALIDATION_FAILED dead letter.
 * - `identity.unknown: dead-letter`: anonymous (and unmapped card) sales are `NO_CLIENT_ID`
 *   dead letters without a request; scanned ones are sent.
 * - A refund whose purchase was dead-lettered (TOO_OLD, or a 400 from GA4) is dead-lettered
 *   `REFUND_OF_UNSENT`, never sent.
 * Real Redis (own prefix), the worker in this process, the local collector.
 */
import type { MpRequest } from '@pos-ga4/ga4-mp';
import { partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import type { DeadLetterJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';

import type { RunningWorker, WorkerConfigInput } from '../src/index.js';
import { sale, until } from './sales.js';
import type { Till } from './sales.js';
import { enqueueThroughSink, rigConfig, startWorkerInProcess, useTestRig } from './test-rig.js';

const rig = useTestRig('dead-letters');
const TILL: Till = { storeId: 'dead-1', terminalId: 'till-1' };
const CLIENT = '1122334455.1700000000';
const HOUR = 3_600_000;

function config(overrides: Partial<WorkerConfigInput> = {}) {
  return rigConfig(rig, 'dead', overrides);
}

async function deadLetters(worker: RunningWorker): Promise<DeadLetterJobData[]> {
  return (await worker.deadLetters.getJobs(['waiting'])).map((job) => job.data);
}

/** The transaction ids of the events of a recorded request body (any status). */
function idsIn(body: unknown): string[] {
  return (body as MpRequest).events.map((event) => {
    const id = event.params['transaction_id'];
    return typeof id === 'string' ? id : '';
  });
}

const delivered = (): string[] =>
  rig.collector.store.events().map((event) => String(event.params['transaction_id']));

describe('a retryable failure that never ends', () => {
  it('is given up after retry.giveUpAfterMs as RETRIES_EXHAUSTED, with attempts > 1; its client goes on afterwards', async () => {
    rig.collector.setFaults({ errorRate: 1 }); // every request answered 503
    const cfg = config({ retry: { baseMs: 20, maxMs: 100, giveUpAfterMs: 1000 } });
    const at = Date.now() - HOUR;
    const first = sale(TILL, 'X-1', { at, client: CLIENT });
    await enqueueThroughSink(rig, [first]);
    const { worker, outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 1, 'the receipt given up', 15_000);

    expect(outcomes[0]).toMatchObject({
      transactionId: first.transactionId,
      outcome: 'dead-lettered',
      reason: 'RETRIES_EXHAUSTED',
    });
    const tries = rig.collector.store.requests();
    expect(tries.length).toBeGreaterThan(1);
    expect(tries.every((r) => r.status === 503)).toBe(true);
    expect(tries.every((r) => idsIn(r.body).join() === first.transactionId)).toBe(true);
    const letters = await deadLetters(worker);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter).toMatchObject({
      reason: 'RETRIES_EXHAUSTED',
      message: expect.stringMatching(/^HTTP_5XX: HTTP 503/) as unknown,
      transaction: { transactionId: first.transactionId },
      lastRequest: { client_id: CLIENT },
      originalJobId: first.transactionId,
    });
    expect(letter?.attempts).toBeGreaterThan(1);
    // attempts = the requests made for it (the give-up's own failure is counted once)
    expect(letter?.attempts).toBe(tries.length);
    // not before giveUpAfterMs has passed since the first failed request
    expect(
      Date.parse(letter?.failedAt ?? '') - Date.parse(tries[0]?.receivedAt ?? ''),
    ).toBeGreaterThanOrEqual(1000);
    const job = await worker.deadLetters.getJob(first.transactionId);
    expect(job?.name).toBe('RETRIES_EXHAUSTED');

    // the client and the terminal are not stuck behind it
    rig.collector.setFaults({});
    const second = sale(TILL, 'X-2', { at: at + 60_000, client: CLIENT });
    await enqueueThroughSink(rig, [second]);
    await until(() => outcomes.length === 2, 'the next receipt of the client');
    expect(outcomes[1]).toMatchObject({ transactionId: second.transactionId, outcome: 'sent' });
    expect(delivered()).toEqual([second.transactionId]);
  });
});

describe('job data that fails the queue contract', () => {
  it('fails the job as JOB_INVALID without a dead letter or a request, and the queue goes on', async () => {
    const cfg = config();
    const connection = createRedisConnection({ url: rig.redis.url }, 'worker');
    const queue = new Queue(transactionQueueName(partitionOf(TILL, cfg.partitions)), {
      connection,
      prefix: rig.redis.prefix,
    });
    rig.closers.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    // a producer of another version: no valid transaction, enqueuedAt not a datetime
    await queue.add(
      'sale',
      { transaction: { transactionId: 'dead-1_till-1_20260101_J-1' }, enqueuedAt: 'yesterday' },
      { jobId: 'invalid-job-1' },
    );
    const valid = sale(TILL, 'J-2', { at: Date.now() - HOUR });
    await enqueueThroughSink(rig, [valid]);
    const { worker, outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 2, 'both jobs settled');

    expect(outcomes.find((o) => o.transactionId === 'invalid-job-1')).toMatchObject({
      outcome: 'dead-lettered',
      reason: 'JOB_INVALID',
    });
    expect(outcomes.find((o) => o.transactionId === valid.transactionId)?.outcome).toBe('sent');
    const job = await queue.getJob('invalid-job-1');
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toMatch(/^JOB_INVALID: /);
    expect(await deadLetters(worker)).toEqual([]);
    expect(rig.collector.store.requests().flatMap((r) => idsIn(r.body))).toEqual([
      valid.transactionId,
    ]);
  });
});

describe('a receipt at the line limit', () => {
  it('is sendable: 1,000 lines go out as one event of at most 200 items, the rest folded', async () => {
    const prices = Array.from({ length: 1000 }, (_, i) => 100 + (i % 37));
    const big = sale(TILL, 'BIG-1', { at: Date.now() - HOUR, client: CLIENT, lines: prices });
    expect(big.lines).toHaveLength(1000);
    await enqueueThroughSink(rig, [big]);
    const { worker, outcomes } = await startWorkerInProcess(rig, config());
    await until(() => outcomes.length === 1, 'the big receipt settled');

    expect(outcomes[0]).toMatchObject({ transactionId: big.transactionId, outcome: 'sent' });
    const requests = rig.collector.store.requests();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.status).toBe(204);
    expect(requests[0]?.validationMessages).toEqual([]);
    expect(requests[0]?.bytes).toBeLessThan(130_000);
    const events = rig.collector.store.events();
    expect(events).toHaveLength(1);
    const params = events[0]?.params ?? {};
    const items = params['items'] as { item_id: string; price: number; quantity: number }[];
    expect(items.length).toBeLessThanOrEqual(200);
    expect(items.at(-1)?.item_id).toBe('pos_other_items');
    expect(params['pos_items_folded']).toBe(1000 - (items.length - 1));
    expect(outcomes[0]?.counts?.itemsFolded).toBe(params['pos_items_folded']);
    // nothing lost by folding: the items still add up to the value
    const sum = items.reduce((total, item) => total + item.price * item.quantity, 0);
    expect(Math.round(sum * 100)).toBe(Math.round(Number(params['value']) * 100));
    expect(await deadLetters(worker)).toEqual([]);
  });
});

describe('identity.unknown: dead-letter', () => {
  it('dead-letters sales without a client id as NO_CLIENT_ID without a request, and sends scanned ones', async () => {
    const cfg = config({ identity: { unknown: 'dead-letter' } });
    const at = Date.now() - HOUR;
    const anonymous = sale(TILL, 'N-1', { at });
    // a card the identity store does not know, and no identity.hmacSecret
    const unknownCard = sale(TILL, 'N-2', { at: at + 60_000, card: 'LOY-UNKNOWN-1' });
    const scanned = sale(TILL, 'N-3', { at: at + 120_000, client: CLIENT });
    await enqueueThroughSink(rig, [anonymous, unknownCard, scanned]);
    const { worker, outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 3, 'all three settled');

    expect(outcomes.map((o) => [o.transactionId, o.outcome, o.reason])).toEqual([
      [anonymous.transactionId, 'dead-lettered', 'NO_CLIENT_ID'],
      [unknownCard.transactionId, 'dead-lettered', 'NO_CLIENT_ID'],
      [scanned.transactionId, 'sent', undefined],
    ]);
    const letters = await deadLetters(worker);
    expect(letters.map((l) => [l.transaction.transactionId, l.reason, l.attempts]).sort()).toEqual(
      [
        [anonymous.transactionId, 'NO_CLIENT_ID', 1],
        [unknownCard.transactionId, 'NO_CLIENT_ID', 1],
      ].sort(),
    );
    expect(letters.every((l) => l.lastRequest === undefined)).toBe(true);
    expect(rig.collector.store.requests().flatMap((r) => idsIn(r.body))).toEqual([
      scanned.transactionId,
    ]);
  });
});

describe('a refund whose purchase was dead-lettered', () => {
  it('is REFUND_OF_UNSENT when the purchase was TOO_OLD, and nothing is sent', async () => {
    const cfg = config({ mapping: { tooOld: 'dead-letter' } });
    const purchase = sale(TILL, 'P-1', { at: Date.now() - 96 * HOUR, lines: [1190] });
    const refund = sale(TILL, 'R-1', {
      kind: 'refund',
      at: Date.now() - HOUR,
      refundOf: purchase.transactionId,
      lines: [1190],
    });
    await enqueueThroughSink(rig, [purchase, refund]);
    const { worker, outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 2, 'purchase and refund settled');

    expect(outcomes.map((o) => [o.transactionId, o.outcome, o.reason])).toEqual([
      [purchase.transactionId, 'dead-lettered', 'TOO_OLD'],
      [refund.transactionId, 'dead-lettered', 'REFUND_OF_UNSENT'],
    ]);
    const letter = (await deadLetters(worker)).find(
      (l) => l.transaction.transactionId === refund.transactionId,
    );
    expect(letter).toMatchObject({ reason: 'REFUND_OF_UNSENT', attempts: 1 });
    expect(letter?.message).toContain(purchase.transactionId);
    expect(rig.collector.store.requests()).toEqual([]);
  });

  it('is REFUND_OF_UNSENT when GA4 rejected the purchase with a 400, and only the purchase was requested', async () => {
    rig.collector.setFaults({ badRequestRate: 1 });
    const cfg = config();
    const otherTill: Till = { storeId: 'dead-1', terminalId: 'till-2' };
    const at = Date.now() - 2 * HOUR;
    const purchase = sale(TILL, 'P-2', { at, client: CLIENT, lines: [1190, 595] });
    const refund = sale(otherTill, 'R-2', {
      kind: 'refund',
      at: at + HOUR,
      refundOf: purchase.transactionId,
      lines: [595],
    });
    await enqueueThroughSink(rig, [refund, purchase]); // the refund first: it waits for its purchase
    const { worker, outcomes } = await startWorkerInProcess(rig, cfg);
    await until(() => outcomes.length === 2, 'purchase and refund settled');

    expect(outcomes.find((o) => o.transactionId === purchase.transactionId)).toMatchObject({
      outcome: 'dead-lettered',
      reason: 'HTTP_4XX',
    });
    expect(outcomes.find((o) => o.transactionId === refund.transactionId)).toMatchObject({
      outcome: 'dead-lettered',
      reason: 'REFUND_OF_UNSENT',
    });
    expect(outcomes.map((o) => o.transactionId)).toEqual([
      purchase.transactionId,
      refund.transactionId,
    ]);
    const reasons = (await deadLetters(worker))
      .map((l) => [l.transaction.transactionId, l.reason])
      .sort();
    expect(reasons).toEqual(
      [
        [purchase.transactionId, 'HTTP_4XX'],
        [refund.transactionId, 'REFUND_OF_UNSENT'],
      ].sort(),
    );
    expect(rig.collector.store.requests().flatMap((r) => idsIn(r.body))).toEqual([
      purchase.transactionId,
    ]);
  });
});
