import { clientBarrierKey } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';
import { describe, expect, it } from 'vitest';

import { WorkerConfigSchema } from '../../config.js';
import type { WorkerConfig } from '../../config.js';
import type { LedgerEntry } from '../../ledger/sent-ledger.js';
import { sale } from '../../../test/sales.js';

import { readJob } from './admission.js';
import type { HeldItem } from './held-item.js';
import { PartitionCore } from './partition-core.js';

const AT = Date.UTC(2026, 11, 4, 9, 0, 0);
const NOW = AT + 60_000;
const CLIENTS = [
  '1111111111.1700000001',
  '2222222222.1700000002',
  '3333333333.1700000003',
  '4444444444.1700000004',
  '5555555555.1700000005',
];

function configOf(batch: Partial<WorkerConfig['batch']> = {}): WorkerConfig {
  const parsed = WorkerConfigSchema.parse({
    redis: { url: 'redis://127.0.0.1:6379', prefix: 'ut' },
    ga4: { measurementId: 'G-TEST', apiSecret: 'secret' },
    leaseMs: 1000,
    batch: { maxJobs: 3, windowMs: 20, maxHeldBlocked: 10 },
    retry: { baseMs: 100, maxMs: 800, giveUpAfterMs: 3000 },
  });
  // fewer held jobs than the schema allows
  return { ...parsed, batch: { ...parsed.batch, maxHeld: 4, ...batch } };
}

/** Receipt `n` of till T<n>, `n` seconds after AT: a scanned client, or anonymous (-1). */
function receipt(n: number, client = n % CLIENTS.length): Transaction {
  return sale({ storeId: 'S1', terminalId: `T${n}` }, 1000 + n, {
    at: AT + n * 1000,
    ...(client < 0 ? {} : { client: CLIENTS[client] ?? '' }),
  });
}

function admit(
  core: PartitionCore,
  transactions: readonly Transaction[],
  sent = new Map<string, LedgerEntry>(),
) {
  const jobs = transactions.map((transaction, i) => {
    const data = { transaction, enqueuedAt: new Date(AT).toISOString(), sequence: i };
    const result = readJob({ id: `job-${transaction.transactionId}`, data, timestamp: AT });
    if (!result.ok) throw new Error(result.failure.message);
    return { job: result.job, timestamp: AT };
  });
  return core.admit(jobs, { now: NOW, sent, identities: new Map() });
}

function held(core: PartitionCore, transaction: Transaction): HeldItem {
  const item = core.held.get(transaction.transactionId);
  if (!item) throw new Error(`${transaction.transactionId} is not held`);
  return item;
}

/** Every client's barrier head is an event held elsewhere. */
function blockedHeads(core: PartitionCore): Map<string, string[]> {
  return new Map(
    core.held.all().map((item) => [item.clientKey, ['elsewhere', item.transaction.transactionId]]),
  );
}

describe('PartitionCore', () => {
  it('polls every windowMs, between 10 and 100 ms', () => {
    expect(new PartitionCore(configOf()).pollEveryMs).toBe(20);
    expect(new PartitionCore(configOf({ windowMs: 0 })).pollEveryMs).toBe(10);
    expect(new PartitionCore(configOf({ windowMs: 500 })).pollEveryMs).toBe(100);
  });

  describe('fetchRoom', () => {
    it('takes at most maxJobs per fetch', () => {
      const core = new PartitionCore(configOf());
      expect(core.fetchRoom(0)).toBe(3);
      expect(core.fetchRoom(2)).toBe(1);
      expect(core.fetchRoom(3)).toBe(0);
    });

    it('holds at most maxHeld', () => {
      const core = new PartitionCore(configOf());
      admit(core, [receipt(1), receipt(2), receipt(3)]);
      expect(core.fetchRoom(0)).toBe(1);
      expect(core.fetchRoom(1)).toBe(0);
      admit(core, [receipt(4)]);
      expect(core.fetchRoom(0)).toBe(0);
    });

    it('fetches on up to maxHeldBlocked while every held job is blocked (overflow)', () => {
      const core = new PartitionCore(configOf());
      admit(
        core,
        [1, 2, 3, 4].map((n) => receipt(n)),
      );
      const { groups, starvation } = core.select(blockedHeads(core), { now: NOW, inflight: 0 });
      expect(groups).toEqual([]);
      expect(starvation?.overflowStarted).toBe(true);
      expect(core.fetchRoom(0)).toBe(3); // min(maxJobs 3, 10 − 4)
    });

    it('makes room for foreign jobs back at the queue head beyond maxJobs and maxHeld', () => {
      const core = new PartitionCore(configOf());
      admit(
        core,
        [1, 2, 3, 4].map((n) => receipt(n)),
      );
      core.fence.takeOver(['f1', 'f2', 'f3', 'f4', 'f5'], NOW);
      const seen = core.fence.observe([], NOW, () => false);
      expect(seen.toCheck).toHaveLength(5);
      core.fence.resolve(new Map(seen.toCheck.map((id) => [id, 'queued' as const])));
      expect(core.fetchRoom(0)).toBe(5);
      expect(core.fetchRoom(2)).toBe(3);
      expect(core.fetchRoom(5)).toBe(0);
    });
  });

  describe('admit', () => {
    it('holds what it admits and registers only the items in a barrier', () => {
      const core = new PartitionCore(configOf());
      const scanned = receipt(1);
      const anonymous = receipt(2, -1);
      const voided: Transaction = { ...receipt(3), kind: 'void' };
      const { admissions, register } = admit(core, [scanned, anonymous, voided]);
      expect(admissions.map((a) => a.admission.kind)).toEqual(['hold', 'hold', 'complete']);
      expect(core.held.size).toBe(2);
      expect(held(core, anonymous).ordered).toBe(false);
      expect(register).toEqual([
        {
          clientKey: clientBarrierKey('ut', CLIENTS[1] ?? ''),
          score: (AT + 1000) * 1000,
          transactionId: scanned.transactionId,
        },
      ]);
      expect(core.fence.needsCheck).toBe(true);
    });

    it('numbers admissions in fetch order across admits (seq)', () => {
      const core = new PartitionCore(configOf());
      const voided: Transaction = { ...receipt(1), kind: 'void' };
      admit(core, [receipt(2), voided]);
      admit(core, [receipt(3)]);
      expect(held(core, receipt(2)).seq).toBe(0);
      expect(held(core, receipt(3)).seq).toBe(2);
    });

    it('keeps one item for a job already held or twice in one fetch (came-back)', () => {
      const core = new PartitionCore(configOf());
      const first = admit(core, [receipt(1), receipt(1)]);
      expect(first.admissions.map((a) => a.admission.kind)).toEqual(['hold', 'came-back']);
      expect(first.register).toHaveLength(1);
      core.fence.observe([], NOW, () => true);
      const again = admit(core, [receipt(1)]);
      expect(again.admissions.map((a) => a.admission.kind)).toEqual(['came-back']);
      expect(again.register).toEqual([]);
      expect(core.held.size).toBe(1);
      // nothing new was held: the fence needs no new read
      expect(core.fence.needsCheck).toBe(false);
    });

    it('completes what the ledger has (deduplicated) without holding or registering it', () => {
      const core = new PartitionCore(configOf());
      const tx = receipt(1);
      const { admissions, register } = admit(
        core,
        [tx],
        new Map([[tx.transactionId, { requestId: 'req-1', sentAt: '2026-12-04T09:00:00.000Z' }]]),
      );
      expect(admissions[0]?.admission.kind).toBe('complete');
      expect(register).toEqual([]);
      expect(core.held.size).toBe(0);
      expect(core.fence.needsCheck).toBe(false);
    });
  });

  describe('select and start', () => {
    it('selects without marking anything in flight; start() does', () => {
      const core = new PartitionCore(configOf());
      const tx = receipt(1);
      admit(core, [tx]);
      const item = held(core, tx);
      const heads = new Map([[item.clientKey, [tx.transactionId]]]);
      const { groups, starvation } = core.select(heads, { now: NOW, inflight: 0 });
      expect(groups).toEqual([[item]]);
      expect(starvation).toBeUndefined();
      expect(item.state).toBe('pending');
      // selected again while not started
      expect(core.select(heads, { now: NOW, inflight: 0 }).groups).toEqual([[item]]);
      core.start([item]);
      expect(item.state).toBe('inflight');
      expect(core.select(heads, { now: NOW, inflight: 1 })).toEqual({ groups: [] });
    });

    it('asks the starvation policy only when nothing is in flight', () => {
      const core = new PartitionCore(configOf());
      admit(
        core,
        [1, 2, 3, 4].map((n) => receipt(n)),
      );
      expect(core.select(blockedHeads(core), { now: NOW, inflight: 1 })).toEqual({ groups: [] });
      expect(core.starvation.overflow).toBe(false);
    });

    it('forces the earliest blocked event through at maxHeldBlocked after a lease period', () => {
      const core = new PartitionCore(configOf({ maxHeldBlocked: 4 }));
      admit(
        core,
        [3, 1, 4, 2].map((n) => receipt(n)),
      );
      const heads = blockedHeads(core);
      expect(core.select(heads, { now: NOW, inflight: 0 }).starvation?.giveUp).toBeUndefined();
      expect(core.select(heads, { now: NOW + 999, inflight: 0 }).groups).toEqual([]);
      const { groups, starvation } = core.select(heads, { now: NOW + 1000, inflight: 0 });
      const earliest = held(core, receipt(1));
      expect(starvation?.giveUp).toEqual({ item: earliest, waitingFor: 'elsewhere' });
      expect(groups).toEqual([[earliest]]);
      expect(earliest.state).toBe('pending');
    });
  });

  describe('settling', () => {
    it('sent(): items leave the held set; only barrier members are released', () => {
      const core = new PartitionCore(configOf());
      const scanned = receipt(1);
      const anonymous = receipt(2, -1);
      admit(core, [scanned, anonymous]);
      const refs = core.sent([held(core, scanned), held(core, anonymous)]);
      expect(refs).toEqual([
        {
          clientKey: clientBarrierKey('ut', CLIENTS[1] ?? ''),
          transactionId: scanned.transactionId,
        },
      ]);
      expect(core.held.size).toBe(0);
    });

    it('failed(): attempts are the failures plus this one, unless already counted', () => {
      const core = new PartitionCore(configOf());
      admit(core, [receipt(1), receipt(2)]);
      const a = held(core, receipt(1));
      const b = held(core, receipt(2));
      a.failures = 2;
      expect(core.failed([a, b], false)).toEqual([
        { item: a, attempts: 3 },
        { item: b, attempts: 1 },
      ]);
      expect(core.held.size).toBe(0);
      const c = { ...a, failures: 5 };
      expect(core.failed([c], true)).toEqual([{ item: c, attempts: 5 }]);
    });

    it('unsent(): in-flight items are pending again; others are left as they are', () => {
      const core = new PartitionCore(configOf());
      admit(core, [receipt(1), receipt(2)]);
      const a = held(core, receipt(1));
      const b = held(core, receipt(2));
      core.start([a]);
      b.blockedUntil = NOW + 500;
      core.unsent([a, b]);
      expect(a.state).toBe('pending');
      expect(b.state).toBe('pending');
      expect(b.blockedUntil).toBe(NOW + 500);
      expect(core.held.size).toBe(2);
    });

    it('retry(): backs off with the core’s random and retry settings', () => {
      const core = new PartitionCore(configOf(), { random: () => 0 });
      admit(core, [receipt(1)]);
      const a = held(core, receipt(1));
      core.start([a]);
      expect(core.retry([a], { reason: 'HTTP_429', message: 'slow down' }, NOW)).toEqual([]);
      expect(a.blockedUntil).toBe(NOW + 50);
      expect(a.state).toBe('pending');
      expect(core.retry([a], { reason: 'HTTP_429', message: 'slow down' }, NOW + 3000)).toEqual([
        a,
      ]);
    });
  });

  it('lockIds(): the job ids of every held item', () => {
    const core = new PartitionCore(configOf());
    admit(core, [receipt(1), receipt(2, -1)]);
    expect(core.lockIds().sort()).toEqual(
      [`job-${receipt(1).transactionId}`, `job-${receipt(2).transactionId}`].sort(),
    );
    core.sent([held(core, receipt(1))]);
    expect(core.lockIds()).toEqual([`job-${receipt(2).transactionId}`]);
  });

  it('clientsToRead(): the clients of terminal heads that could start now', () => {
    const core = new PartitionCore(configOf());
    admit(core, [receipt(1), receipt(2), receipt(3, -1), receipt(4)]);
    held(core, receipt(2)).blockedUntil = NOW + 1;
    core.start([held(core, receipt(4))]);
    expect([...core.clientsToRead(NOW)]).toEqual([clientBarrierKey('ut', CLIENTS[1] ?? '')]);
    expect(core.clientsToRead(NOW + 1).size).toBe(2);
  });

  describe('refundStep', () => {
    const purchase = receipt(1);
    const refund = sale({ storeId: 'S1', terminalId: 'T9' }, 2000, {
      at: AT + 5000,
      kind: 'refund',
      client: CLIENTS[2] ?? '',
      refundOf: purchase.transactionId,
    });

    it('dead-letters a refund of a dead-lettered purchase, out of the held set and its barrier', () => {
      const core = new PartitionCore(configOf());
      admit(core, [refund]);
      const item = held(core, refund);
      const step = core.refundStep(item, { state: 'failed' }, NOW);
      expect(step).toEqual({
        kind: 'dead-letter',
        failure: {
          reason: 'REFUND_OF_UNSENT',
          message: `purchase ${purchase.transactionId} was dead-lettered; redrive it first`,
        },
        release: [
          {
            clientKey: clientBarrierKey('ut', CLIENTS[2] ?? ''),
            transactionId: refund.transactionId,
          },
        ],
      });
      expect(core.held.has(refund.transactionId)).toBe(false);
    });

    it('lets a refund of a sent purchase go on its client, no longer parked', () => {
      const core = new PartitionCore(configOf());
      admit(core, [refund]);
      const item = held(core, refund);
      const step = core.refundStep(
        item,
        {
          state: 'sent',
          entry: { requestId: 'r', sentAt: '', clientId: CLIENTS[1] ?? '', ordered: true },
        },
        NOW,
      );
      expect(step).toEqual({
        kind: 'go',
        link: 'linked',
        relink: {
          release: {
            clientKey: clientBarrierKey('ut', CLIENTS[2] ?? ''),
            transactionId: refund.transactionId,
          },
          register: {
            clientKey: clientBarrierKey('ut', CLIENTS[1] ?? ''),
            score: item.orderTs,
            transactionId: refund.transactionId,
          },
        },
      });
      expect(item.waitingForPurchase).toBe(false);
      expect(item.refundLink).toBe('linked');
      expect(core.held.parkedRefunds()).toEqual([]);
    });
  });
});
