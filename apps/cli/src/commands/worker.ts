import { Command } from '@commander-js/extra-typings';
import { loadConfig } from '@pos-ga4/config';
import { redisUrlSecrets } from '@pos-ga4/config';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import {
  apiSecretsOf,
  buildWorker,
  createMpClients,
  startWorkerMetrics,
  WORKER_ENV_ALIASES,
  WorkerConfigSchema,
} from '@pos-ga4/worker';

import { untilSignal } from '../shutdown.js';

export function workerCommand() {
  return new Command('worker')
    .description('Run a worker: take transactions from Redis and send them to GA4')
    .option(
      '--config <file>',
      'worker config (YAML or JSON); POS_GA4_… variables override it; without it, env only',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 worker --config /etc/pos-ga4/worker.yaml\n  GA4_MEASUREMENT_ID=G-ABC123 GA4_API_SECRET=… REDIS_URL=redis://redis:6379 npx pos-ga4 worker',
    )
    .action(async (options) => {
      // listen from the start: a SIGTERM while starting up (taking partitions) must close cleanly
      const signalled = untilSignal();
      const config = loadConfig({
        schema: WorkerConfigSchema,
        file: options.config,
        aliases: WORKER_ENV_ALIASES,
      });
      const logger = createLogger({
        name: 'worker',
        level: config.log.level,
        secrets: [...apiSecretsOf(config), ...redisUrlSecrets(config.redis)],
      });
      const connection = createRedisConnection(config.redis, 'worker');
      const mp = createMpClients(config);
      const metrics =
        config.metrics.port === null ? undefined : await startWorkerMetrics({ config, connection });
      const worker = await buildWorker({
        config,
        connection,
        clients: mp.clients,
        logger,
        ...metrics?.hooks,
      });
      metrics?.observe(worker);
      logger.info(
        {
          endpoints: [...mp.clients].map(([name, client]) => `${name}: ${client.describe()}`),
          prefix: config.redis.prefix,
          partitions: worker.partitions(),
          metrics: metrics?.url,
        },
        'worker started',
      );
      const signal = await signalled;
      logger.info({ signal }, 'closing: finishing in-flight requests, handing held jobs back');
      await metrics?.close();
      await worker.close();
      await mp.closeAll();
      connection.disconnect();
      logger.info('closed');
    });
}
