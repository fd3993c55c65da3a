/**
 * The operator dashboard: Bull Board (fastify adapter) over every partition queue (`{tx-N}`,
 * shown as `transactions pN`) and the dead-letter queue of one prefix, plus `GET /healthz`.
 *
 * Read-only by default (`readOnly: true`): Bull Board then hides its job actions and answers 405
 * to every mutating API call (retry, promote, clean, pause, empty, add, …). Retrying or promoting
 * a job from the board would bypass pos-ga4's own ordering and dead-letter rules (workers hold and
 * retry jobs themselves, `attempts: 1`; dead letters go back through `pos-ga4 redrive`).
 *
 * A read-only board does not even write BullMQ's queue meta hash (`skipMetasUpdate`), so pointing
 * it at a wrong prefix or partition count leaves no keys behind.
 * Lifecycle: `app` is built but not listening; the caller calls `listen`. `close()` closes the
 * fastify app and every BullMQ Queue handle (idempotent). The Redis connection belongs to the
 * caller: the queues share it and never close it.
 * `/healthz` answers 200 `{ ok: true, redis: "ready" }` while the connection is ready, else 503.
 */
import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { bullmqQueueKey, QUEUE_NAMES, transactionQueueName } from '@pos-ga4/queue-contract';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

export interface DashboardOptions {
  /** Shared by every queue handle; owned (and closed) by the caller. */
  readonly redis: Redis;
  /** BullMQ key prefix (`pos-ga4` by default in the CLI). */
  readonly prefix: string;
  /** Partition count, as the workers; queues `{tx-0}` … `{tx-(partitions-1)}` are shown. */
  readonly partitions: number;
  /** Hide and refuse Bull Board's job actions (default true). */
  readonly readOnly?: boolean;
}

export interface Dashboard {
  /** Not listening yet. */
  readonly app: FastifyInstance;
  /** The queue names shown, partition queues first, then the dead-letter queue. */
  readonly queueNames: readonly string[];
  close(): Promise<void>;
}

export function partitionDisplayName(partition: number): string {
  return `transactions p${partition}`;
}

/**
 * @bull-board/fastify 9.10.1 (the latest) pins its own @bull-board/api 9.10.1, while the board is
 * built with @bull-board/api 9.10.2: the adapter's types name the older copy's classes (private
 * members make them nominal), though at run time it only stores and calls what the newer api
 * hands it. Drop this when both packages are at the same version.
 */
function asServerAdapter(adapter: FastifyAdapter): IServerAdapter {
  return adapter as unknown as IServerAdapter;
}

export function buildDashboard(options: DashboardOptions): Dashboard {
  if (!Number.isInteger(options.partitions) || options.partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${options.partitions}`);
  }
  const readOnlyMode = options.readOnly ?? true;
  // read-only: not even the queue meta hash a BullMQ Queue handle writes on creation
  const queueOptions = {
    connection: options.redis,
    prefix: options.prefix,
    skipMetasUpdate: readOnlyMode,
  };
  const queueOf = (name: string): Queue => {
    const queue = new Queue(name, queueOptions);
    // Connection errors are re-emitted by every Queue; the connection's owner reports them (and
    // /healthz shows them). Without a listener an 'error' event would crash the process.
    queue.on('error', () => undefined);
    return queue;
  };
  const boardQueues: { queue: Queue; displayName: string }[] = [];
  for (let partition = 0; partition < options.partitions; partition++) {
    boardQueues.push({
      queue: queueOf(transactionQueueName(partition)),
      displayName: partitionDisplayName(partition),
    });
  }
  boardQueues.push({ queue: queueOf(QUEUE_NAMES.deadLetter), displayName: QUEUE_NAMES.deadLetter });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: boardQueues.map(
      ({ queue, displayName }) =>
        new BullMQAdapter(queue, {
          readOnlyMode,
          allowRetries: !readOnlyMode,
          displayName,
          description: bullmqQueueKey(options.prefix, queue.name),
        }),
    ),
    serverAdapter: asServerAdapter(serverAdapter),
    options: {
      uiConfig: {
        boardTitle: readOnlyMode ? 'pos-ga4 (read-only)' : 'pos-ga4',
        hideDocsLink: true,
        sortQueues: false,
      },
    },
  });

  const app = Fastify({ logger: false });
  app.get('/healthz', async (_request, reply) => {
    const ready = options.redis.status === 'ready';
    return reply.status(ready ? 200 : 503).send({ ok: ready, redis: options.redis.status });
  });
  void app.register(serverAdapter.registerPlugin(), { prefix: '/' });

  let closing: Promise<void> | undefined;
  return {
    app,
    queueNames: boardQueues.map(({ queue }) => queue.name),
    close() {
      closing ??= (async () => {
        try {
          await app.close();
        } finally {
          await Promise.all(boardQueues.map(({ queue }) => queue.close()));
        }
      })();
      return closing;
    },
  };
}
