/**
 * build(deps) → a running worker; `main` (the CLI) only reads config and handles signals.
 *
 * Per job: validate job data → map and validate (build-request) → POST → outcome.
 * - 2xx: the job completes with `{ outcome: 'sent' }`; a void completes as `skipped`.
 * - retryable (429, 5xx, timeouts, resets): the job is retried with backoff (retry-policy.ts);
 *   on its last attempt it is dead-lettered as `RETRIES_EXHAUSTED`.
 * - unrecoverable (invalid job, TOO_OLD, CLOCK_SKEW, NO_CLIENT_ID, VALIDATION_FAILED, other 4xx):
 *   dead letter with reason code, then the job fails without retry. A 4xx request is never
 *   resent unchanged.
 * This is the first delivery path (one request per transaction); ordered batching, identity
 * lookups and the sent-ledger come with the worker issue.
 * Lifecycle: `close()` stops taking jobs, waits for in-flight ones, closes the queues. The
 * connection and MP client passed in are owned by the caller.
 */
import type { MpClient, SendOutcome } from '@pos-ga4/ga4-mp';
import type { Logger } from '@pos-ga4/logger';
import { QUEUE_NAMES, TransactionJobDataSchema } from '@pos-ga4/queue-contract';
import type { DeadLetterJobData, TransactionJobData } from '@pos-ga4/queue-contract';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';

import type { WorkerConfig } from './config.js';
import { buildRequest } from './map/build-request.js';
import { writeDeadLetter } from './outcome/dead-letter.js';
import { backoffDelay, RetryableSendError } from './send/retry-policy.js';

export interface WorkerDeps {
  readonly config: WorkerConfig;
  readonly connection: ConnectionOptions;
  readonly client: MpClient;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface JobResult {
  readonly outcome: 'sent' | 'skipped';
  readonly status?: number;
  readonly flags?: readonly string[];
}

export interface RunningWorker {
  readonly worker: Worker<TransactionJobData, JobResult>;
  readonly deadLetters: Queue<DeadLetterJobData>;
  close(): Promise<void>;
}

export function buildWorker(deps: WorkerDeps): RunningWorker {
  const { config, client, logger } = deps;
  const now = deps.now ?? Date.now;
  const deadLetters = new Queue<DeadLetterJobData>(QUEUE_NAMES.deadLetter, {
    connection: deps.connection,
    prefix: config.redis.prefix,
  });

  async function process(job: Job<TransactionJobData, JobResult>): Promise<JobResult> {
    const log = logger.child({ jobId: job.id });
    const parsed = TransactionJobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      log.error(
        { issues: parsed.error.issues.slice(0, 5) },
        'job data does not match the queue contract',
      );
      throw new UnrecoverableError(
        `JOB_INVALID: ${parsed.error.issues[0]?.message ?? 'invalid job data'}`,
      );
    }
    const { transaction } = parsed.data;
    const attempts = job.attemptsMade + 1;
    const deadLetter = async (
      reason: string,
      message: string,
      lastRequest?: unknown,
    ): Promise<never> => {
      await writeDeadLetter(deadLetters, {
        reason,
        message,
        transaction,
        lastRequest,
        attempts,
        now: new Date(now()),
      });
      log.warn({ transactionId: transaction.transactionId, reason, message }, 'dead-lettered');
      throw new UnrecoverableError(`${reason}: ${message}`);
    };

    const built = buildRequest(transaction, { config, now: now() });
    if (!built.ok) {
      if (built.code === 'VOID_NOT_SENT') return { outcome: 'skipped' };
      return deadLetter(built.code, built.reason, built.request);
    }
    let outcome: SendOutcome;
    if (config.ga4.debug) {
      // staging: Google's validation server answers instead; nothing reaches reports
      const checked = await client.validate(built.request);
      if (checked.kind === 'validated') {
        const first = checked.validationMessages[0];
        if (first)
          return deadLetter(
            'VALIDATION_FAILED',
            `${first.fieldPath}: ${first.description}`,
            built.request,
          );
        return { outcome: 'sent', status: 200, flags: [...built.flags, 'debug-endpoint'] };
      }
      outcome = checked;
    } else {
      outcome = await client.send(built.request);
    }
    switch (outcome.kind) {
      case 'sent':
        log.debug({ transactionId: transaction.transactionId, status: outcome.status }, 'sent');
        return { outcome: 'sent', status: outcome.status, flags: built.flags };
      case 'rejected':
        return deadLetter(outcome.reason, outcome.message, built.request);
      case 'retryable': {
        const maxAttempts = job.opts.attempts ?? 1;
        if (attempts >= maxAttempts)
          return deadLetter(
            'RETRIES_EXHAUSTED',
            `${outcome.reason}: ${outcome.message}`,
            built.request,
          );
        log.info(
          { transactionId: transaction.transactionId, reason: outcome.reason, attempts },
          'retrying',
        );
        throw new RetryableSendError(outcome.reason, outcome.message, outcome.retryAfterMs);
      }
    }
  }

  const worker = new Worker<TransactionJobData, JobResult>(QUEUE_NAMES.transactions, process, {
    connection: deps.connection,
    prefix: config.redis.prefix,
    concurrency: config.concurrency,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        backoffDelay(attemptsMade, error),
    },
  });
  worker.on('error', (error) => {
    logger.error({ err: error }, 'worker error');
  });

  return {
    worker,
    deadLetters,
    async close() {
      await worker.close();
      await deadLetters.close();
    },
  };
}
