/**
 * The plain BullMQ worker of `npm run bench` (plain-phase.ts): what a user would write instead of
 * pos-ga4 — `new Worker(queue, async (job) => { POST one event with fetch })`, no ordering, no
 * batching, no ledger, no retries, no job-data validation. Each job's transaction is mapped with
 * `mapTransaction` (client id: the scanned GA client id, else the worker's pseudo client id, as
 * the naive phase does) and sent as one event in one request to BENCH_COLLECT_URL; a non-2xx
 * answer fails the job. Runs as its own process, from a bundle plain-phase.ts builds (plain
 * node, no tsx), so its CPU and memory are its own.
 * Environment: REDIS_URL, BENCH_PREFIX, BENCH_QUEUE, BENCH_COLLECT_URL, BENCH_JOBS (how many jobs
 * to wait for), BENCH_CONCURRENCY. Reports on stdout (plain-protocol.ts): `first-job`, then
 * `done <json>` once BENCH_JOBS jobs completed or failed.
 * Lifecycle: on SIGTERM closes the worker and its connection and exits 0.
 */
import { mapTransaction } from '@pos-ga4/ga4-mp';
import { scannedClientIdOf } from '@pos-ga4/queue-contract';
import type { TransactionJobData } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';
import { isCurrencyCode, minorUnitsOf } from '@pos-ga4/transaction';
import { pseudoClientId } from '@pos-ga4/worker';
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';

import { doneLine, FIRST_JOB_LINE } from './plain-protocol.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`plain worker: ${name} is not set`);
  return value;
}

const url = env('BENCH_COLLECT_URL');
const jobs = Number(env('BENCH_JOBS'));
const connection = createRedisConnection({ url: env('REDIS_URL') }, 'worker');

let firstStart: number | undefined;
let completed = 0;
let failed = 0;

async function send(job: Job<TransactionJobData>): Promise<void> {
  if (firstStart === undefined) {
    firstStart = performance.now();
    process.stdout.write(`${FIRST_JOB_LINE}\n`);
  }
  const { transaction } = job.data;
  const mapped = mapTransaction(transaction, {
    now: Date.now(),
    currencyExponent: isCurrencyCode(transaction.currency) ? minorUnitsOf(transaction.currency) : 2,
  });
  if (!mapped.ok) throw new Error(`${mapped.code}: ${mapped.reason}`);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: scannedClientIdOf(transaction)?.clientId ?? pseudoClientId(transaction),
      events: [mapped.event],
    }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

const worker = new Worker<TransactionJobData>(env('BENCH_QUEUE'), send, {
  connection,
  prefix: env('BENCH_PREFIX'),
  concurrency: Number(env('BENCH_CONCURRENCY')),
});

function settled(): void {
  if (completed + failed !== jobs) return;
  const drainMs = performance.now() - (firstStart ?? performance.now());
  process.stdout.write(`${doneLine({ drainMs, completed, failed })}\n`);
}
worker.on('completed', () => {
  completed++;
  settled();
});
worker.on('failed', () => {
  failed++;
  settled();
});
worker.on('error', (error) => {
  process.stderr.write(`plain worker: ${error.message}\n`);
});

process.once('SIGTERM', () => {
  worker.close().then(
    () => {
      connection.disconnect();
      process.exit(0);
    },
    () => {
      process.exit(1);
    },
  );
});
