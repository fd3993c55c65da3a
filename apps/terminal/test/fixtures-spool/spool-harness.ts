/**
 * Wiring shared by the spool integration tests and the kill -9 child: a durable sink over a file
 * spool and the BullMQ sink on a fail-fast producer connection (reconnecting every 100 ms; the
 * drain is retried at once when the connection is ready again), and a reader of what the queue
 * holds, in order.
 * Lifecycle: `close()` closes the sink (and spool) and disconnects the producer connection.
 */
import { DEFAULT_PARTITIONS, partitionOf, transactionQueueName } from '@pos-ga4/queue-contract';
import { redisOptions } from '@pos-ga4/redis';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { bullmqTransactionSink } from '../../src/enqueue/bullmq-transaction-sink.js';
import { durableTransactionSink } from '../../src/enqueue/durable-transaction-sink.js';
import type {
  DurableSinkOptions,
  DurableTransactionSink,
} from '../../src/enqueue/durable-transaction-sink.js';
import { openFileSpool } from '../../src/enqueue/spool/file-spool.js';
import type { FileSpool, FileSpoolOptions } from '../../src/enqueue/spool/file-spool.js';
import { numberOf } from './numbered-transactions.js';

export interface SpooledTerminal {
  readonly sink: DurableTransactionSink;
  readonly spool: FileSpool;
  readonly connection: Redis;
  close(): Promise<void>;
}

export interface SpooledTerminalOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly spool: FileSpoolOptions;
  readonly sink?: Partial<Omit<DurableSinkOptions, 'spool' | 'createInnerSink'>>;
}

export async function openSpooledTerminal(
  options: SpooledTerminalOptions,
): Promise<SpooledTerminal> {
  // the production producer settings, but reconnecting every 100 ms so tests stay short
  const connection = new Redis({
    ...redisOptions({ url: options.redisUrl }, 'producer'),
    retryStrategy: () => 100,
  });
  connection.on('error', () => undefined); // outages are expected; the drainer reports them
  const spool = await openFileSpool(options.spool);
  const sink = durableTransactionSink({
    spool,
    createInnerSink: () => bullmqTransactionSink({ connection, prefix: options.prefix }),
    handOverTimeoutMs: 1_000,
    retry: { minDelayMs: 50, maxDelayMs: 500 },
    ...options.sink,
  });
  connection.on('ready', () => {
    sink.retryNow();
  });
  return {
    sink,
    spool,
    connection,
    async close() {
      await sink.close();
      connection.disconnect();
    },
  };
}

/** Receipt numbers of the test terminal's jobs, in the order the queue took them. */
export async function queuedNumbers(options: {
  connection: Redis;
  prefix: string;
  terminal?: { storeId: string; terminalId: string };
}): Promise<number[]> {
  const terminal = options.terminal ?? { storeId: 's1', terminalId: 't1' };
  const queue = new Queue(transactionQueueName(partitionOf(terminal, DEFAULT_PARTITIONS)), {
    connection: options.connection,
    prefix: options.prefix,
  });
  try {
    const jobs = await queue.getJobs(['wait'], 0, -1, true);
    return jobs.map((job) => numberOf(job.id ?? ''));
  } finally {
    await queue.close();
  }
}
