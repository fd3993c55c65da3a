/**
 * Admission: what becomes of a fetched job. Pure; the loop does the reads in between.
 *
 * 1. `readJob`: the job data must parse (else `JOB_INVALID`, failed without a dead letter).
 * 2. `admissionOf`, given the sent-ledger entry and identity records read for it, in this order:
 *    a transaction already held here is a job that came back (its lock ran out while held: kept
 *    once, with the new claim); one the ledger has is completed as `deduplicated` and leaves the
 *    client barriers it may be in — before anything else is checked, so a transaction GA4 has is
 *    never dead-lettered because the config or the clock changed since; a store that routes to
 *    no property is dead-lettered (`UNKNOWN_STORE`); a void is completed as `skipped`; one the
 *    mapping or validation refuses is dead-lettered with its code; anything else is held for
 *    delivery, a refund parked until its purchase has been sent (refund-gate.ts).
 */
import {
  clientBarrierKey,
  decodeTransactionJob,
  orderScoreOf,
  scannedClientIdOf,
} from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import type { Transaction } from '@pos-ga4/transaction';

import type { WorkerConfig } from '../../config.js';
import type { LedgerEntry } from '../../ledger/sent-ledger.js';
import type { IdentityRecord } from '../../lookup/identity-store.js';
import { buildRequest } from '../../map/build-request.js';
import { routeStore } from '../../route/property-router.js';

import type { HeldItem } from './held-item.js';
import type { CompletedOutcome, Failure } from './outcomes.js';

/** A fetched job as the core needs it (BullMQ's Job has these fields). */
export interface FetchedJob {
  readonly id: string;
  readonly data: unknown;
  /** BullMQ's add time (ms): the order of jobs that carry no producer sequence. */
  readonly timestamp: number;
}

export interface ReadJob {
  readonly jobId: string;
  readonly data: TransactionJobData;
  readonly transaction: Transaction;
}

export type ReadResult =
  | { readonly ok: true; readonly job: ReadJob }
  | { readonly ok: false; readonly transaction?: Transaction; readonly failure: Failure };

export function readJob(job: FetchedJob): ReadResult {
  const data = decodeTransactionJob(job.data);
  if (!data.ok) return { ok: false, failure: { reason: 'JOB_INVALID', message: data.message } };
  return { ok: true, job: { jobId: job.id, data: data.data, transaction: data.data.transaction } };
}

export type Admission =
  | { readonly kind: 'hold'; readonly item: HeldItem }
  /** Already held here: the job came back with a new claim; keep one item. */
  | { readonly kind: 'came-back' }
  | {
      readonly kind: 'complete';
      readonly outcome: CompletedOutcome;
      /** Client barrier entries to drop (a deduplicated event that may have been registered). */
      readonly release?: readonly { readonly clientKey: string; readonly transactionId: string }[];
    }
  | { readonly kind: 'dead-letter'; readonly failure: Failure };

export interface AdmissionContext {
  readonly config: WorkerConfig;
  readonly now: number;
  readonly identities: ReadonlyMap<string, IdentityRecord>;
  readonly ledgerEntry: LedgerEntry | undefined;
  readonly alreadyHeld: boolean;
  /** Fetch order within the partition. */
  readonly seq: number;
  /** BullMQ's add time (ms) of the job. */
  readonly timestamp: number;
}

export function admissionOf(job: ReadJob, context: AdmissionContext): Admission {
  const { transaction } = job;
  const { transactionId } = transaction;
  if (context.alreadyHeld) return { kind: 'came-back' };
  const { config } = context;
  if (context.ledgerEntry)
    return {
      kind: 'complete',
      outcome: { transactionId, outcome: 'deduplicated', requestId: context.ledgerEntry.requestId },
      release: dedupReleases(transaction, context.ledgerEntry, config.redis.prefix),
    };
  const route = routeStore(transaction.storeId, config);
  if (!route.ok)
    return { kind: 'dead-letter', failure: { reason: route.code, message: route.reason } };
  const built = buildRequest(transaction, {
    config,
    now: context.now,
    identities: context.identities,
  });
  if (!built.ok) {
    if (built.code === 'VOID_NOT_SENT')
      return {
        kind: 'complete',
        outcome: { transactionId, outcome: 'skipped', reason: built.code },
      };
    return {
      kind: 'dead-letter',
      failure: { reason: built.code, message: built.reason, lastRequest: built.request },
    };
  }
  const ordered = built.source !== 'pseudo';
  return {
    kind: 'hold',
    item: {
      jobId: job.jobId,
      sequence: job.data.sequence ?? context.timestamp * 1000,
      transaction,
      terminalKey: `${transaction.storeId}/${transaction.terminalId}`,
      seq: context.seq,
      property: route.property,
      clientKey: clientBarrierKey(config.redis.prefix, built.envelope.client_id),
      ordered,
      envelope: built.envelope,
      event: built.event,
      counts: built.counts,
      orderTs: orderScoreOf(transaction),
      state: 'pending',
      blockedUntil: 0,
      failures: 0,
      // every refund is checked against its purchase before it goes (refund-gate.ts)
      waitingForPurchase: transaction.kind === 'refund',
    },
  };
}

/**
 * Where a transaction the ledger has may still wait: the barrier of the client it was sent for
 * (when that one is ordered) and the one a terminal registered it under (a scanned client id).
 */
function dedupReleases(
  transaction: Transaction,
  entry: LedgerEntry,
  prefix: string,
): { clientKey: string; transactionId: string }[] {
  const clients = new Set<string>();
  if (entry.clientId !== undefined && entry.ordered !== false) clients.add(entry.clientId);
  const scanned = scannedClientIdOf(transaction);
  if (scanned) clients.add(scanned.clientId);
  return [...clients].map((clientId) => ({
    clientKey: clientBarrierKey(prefix, clientId),
    transactionId: transaction.transactionId,
  }));
}
