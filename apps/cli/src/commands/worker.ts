import { Command } from '@commander-js/extra-typings';
import { loadConfig } from '@pos-ga4/config';
import { redisUrlSecrets } from '@pos-ga4/config';
import { createMpClient } from '@pos-ga4/ga4-mp';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import {
  buildWorker,
  destinationOf,
  WORKER_ENV_ALIASES,
  WorkerConfigSchema,
} from '@pos-ga4/worker';

import { untilSignal } from '../shutdown.js';

export function workerCommand() {
  return new Command('worker')
    .description('Run a worker: take transactions from Redis and send them to GA4')
    .requiredOption(
      '--config <file>',
      'worker config (YAML or JSON); POS_GA4_… variables override it',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 worker --config /etc/pos-ga4/worker.yaml\n  GA4_MEASUREMENT_ID=G-ABC123 GA4_API_SECRET=… REDIS_URL=redis://redis:6379 npx pos-ga4 worker',
    )
    .action(async (options) => {
      const config = loadConfig({
        schema: WorkerConfigSchema,
        file: options.config,
        aliases: WORKER_ENV_ALIASES,
      });
      const logger = createLogger({
        name: 'worker',
        level: config.log.level,
        secrets: [config.ga4.apiSecret, ...redisUrlSecrets(config.redis)],
      });
      const connection = createRedisConnection(config.redis, 'worker');
      const client = createMpClient({
        destination: destinationOf(config.ga4),
        timeoutMs: config.httpTimeoutMs,
      });
      const worker = buildWorker({ config, connection, client, logger });
      logger.info(
        {
          endpoint: client.describe(),
          prefix: config.redis.prefix,
          concurrency: config.concurrency,
        },
        'worker started',
      );
      const signal = await untilSignal();
      logger.info({ signal }, 'closing: finishing in-flight jobs');
      await worker.close();
      await client.close();
      connection.disconnect();
      logger.info('closed');
    });
}
