/**
 * The delivery core under arbitrary interleavings (fast-check): fetches, rounds, GA4 answers
 * (sent, retryable, rejected, lost), the clock, lease loss with takeover, and late claims of a
 * dead owner, over generated receipts of three tills (scanned clients, anonymous buyers, refunds
 * of earlier sales or of purchases nobody has seen). The simulated partition
 * (apps/worker/test/core-sim.ts) checks every guarantee as GA4 receives each request.
 */
import type { Transaction } from '@pos-ga4/transaction';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../../config.js';
import type { WorkerConfig } from '../../config.js';
import { SimPartition } from '../../../test/core-sim.js';
import type { Action, Response } from '../../../test/core-sim.js';
import { sale } from '../../../test/sales.js';

const START = Date.UTC(2026, 11, 4, 9, 0, 0);
const TILLS = ['T1', 'T2', 'T3'].map((terminalId) => ({ storeId: 'S1', terminalId }));
const CLIENTS = ['1111111111.1700000001', '2222222222.1700000002'];

function config(unknownPurchase: 'send' | 'dead-letter'): WorkerConfig {
  const parsed = WorkerConfigSchema.parse({
    redis: { url: 'redis://127.0.0.1:6379', prefix: 'sim' },
    ga4: { measurementId: 'G-SIM', apiSecret: 'sim-secret' },
    leaseMs: 1000,
    batch: { maxJobs: 3, windowMs: 20, maxHeldBlocked: 100_000 },
    retry: { baseMs: 100, maxMs: 800, giveUpAfterMs: 3000 },
    refunds: { maxWaitMs: 2000, unknownPurchase },
  });
  // fewer held jobs than the schema allows, so fetching beyond maxHeld is exercised
  return { ...parsed, batch: { ...parsed.batch, maxHeld: 4 } };
}

interface Spec {
  readonly till: number;
  /** -1: anonymous (a pseudo client id of its own); else a scanned client. */
  readonly client: number;
  /** -1: a sale; -2: a refund of a purchase nobody has seen; n ≥ 0: a refund of receipt n mod i. */
  readonly refund: number;
}

function receiptsOf(specs: readonly Spec[]): Transaction[] {
  const receipts: Transaction[] = [];
  specs.forEach((spec, index) => {
    const till = TILLS[spec.till % TILLS.length] ?? TILLS[0];
    if (!till) return;
    const client = spec.client < 0 ? undefined : CLIENTS[spec.client % CLIENTS.length];
    const sales = receipts.filter((r) => r.kind === 'sale');
    const purchase =
      spec.refund === -1
        ? undefined
        : spec.refund === -2 || sales.length === 0
          ? 'S1-T9-20261204-unseen'
          : sales[spec.refund % sales.length]?.transactionId;
    receipts.push(
      sale(till, 1000 + index, {
        at: START - 600_000 + index * 1000,
        ...(client === undefined ? {} : { client }),
        ...(purchase === undefined ? {} : { kind: 'refund' as const, refundOf: purchase }),
      }),
    );
  });
  return receipts;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  till: fc.nat(2),
  client: fc.integer({ min: -1, max: 1 }),
  refund: fc.oneof(
    { weight: 5, arbitrary: fc.constant(-1) },
    { weight: 2, arbitrary: fc.integer({ min: -2, max: 20 }) },
  ),
});

const response: fc.Arbitrary<Response> = fc.constantFrom(
  'sent',
  'sent',
  'sent',
  'retryable',
  'rejected',
  'lost',
);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'fetch' as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'round' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('respond' as const), pick: fc.nat(7), response }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 10, max: 1500 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('takeover' as const),
      responses: fc.array(response, { minLength: 1, maxLength: 3 }),
      lateClaims: fc.nat(3),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stalled' as const), order: fc.nat(1) }) },
);

describe('the delivery core under arbitrary interleavings', () => {
  it.each(['send', 'dead-letter'] as const)(
    'keeps terminal order, client order, refunds after purchases, no duplicate, an outcome for every job (unknownPurchase: %s)',
    (unknownPurchase) => {
      fc.assert(
        fc.property(
          fc.array(spec, { minLength: 1, maxLength: 24 }),
          fc.array(action, { maxLength: 200 }),
          fc.integer({ min: 1 }),
          (specs, actions, seed) => {
            const receipts = receiptsOf(specs);
            const sim = new SimPartition({
              config: config(unknownPurchase),
              receipts,
              now: START,
              seed,
            });
            for (const step of actions) sim.apply(step);
            sim.finish();
            expect(sim.violations).toEqual([]);
            expect(sim.unsettled()).toEqual([]);
            expect(sim.sentCount + sim.deadLettered).toBe(
              new Set(receipts.map((r) => r.transactionId)).size,
            );
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
