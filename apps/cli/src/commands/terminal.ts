import { Command } from '@commander-js/extra-typings';
import { loadConfig, redisUrlSecrets } from '@pos-ga4/config';
import { createLogger } from '@pos-ga4/logger';
import { createRedisConnection } from '@pos-ga4/redis';
import {
  buildTerminal,
  loadSystemSerialBinding,
  startTerminalMetrics,
  TERMINAL_ENV_ALIASES,
  TerminalConfigSchema,
} from '@pos-ga4/terminal';

import { untilSignal } from '../shutdown.js';

export function terminalCommand(setExitCode: (code: number) => void) {
  return new Command('terminal')
    .description('Run the terminal adapter: serial receipts and HID scans → durable spool → Redis')
    .requiredOption(
      '--config <file>',
      'terminal config (YAML or JSON); POS_GA4_… variables override it',
    )
    .option(
      '--once',
      'exit when every file source has been read and the spool is drained (batch use)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npx pos-ga4 terminal --config /etc/pos-ga4/terminal.yaml\n  npx pos-ga4 terminal --config day.yaml --once\n\nSee deploy/ for a systemd unit and docs/terminal-durability.md for what survives what.',
    )
    .action(async (options) => {
      // listen from the start: a SIGTERM while starting up must close cleanly too, not kill
      const signalled = options.once === true ? undefined : untilSignal();
      const config = loadConfig({
        schema: TerminalConfigSchema,
        file: options.config,
        aliases: TERMINAL_ENV_ALIASES,
      });
      const logger = createLogger({
        name: 'terminal',
        level: config.log.level,
        secrets: [...redisUrlSecrets(config.redis), ...Object.values(config.appQrKeys)],
      }).child({ storeId: config.storeId, terminalId: config.terminalId });
      let serialBinding;
      if (config.sources.some((s) => s.type === 'serial')) {
        const loaded = await loadSystemSerialBinding();
        if (!loaded.ok) {
          logger.fatal(loaded.message);
          setExitCode(2);
          return;
        }
        serialBinding = loaded.binding;
      }
      const redis = createRedisConnection(config.redis, 'producer');
      redis.on('error', (error) => {
        logger.debug({ err: error }, 'redis connection');
      });
      const metrics =
        config.metrics.port === null ? undefined : await startTerminalMetrics({ config });
      const terminal = await buildTerminal({
        config,
        redis,
        logger,
        ...(serialBinding === undefined ? {} : { serialBinding }),
        ...(metrics === undefined ? {} : { metrics: metrics.hooks }),
      });
      metrics?.observe(terminal);
      logger.info(
        {
          sources: config.sources.map((s) => s.type),
          spool: terminal.sink.status(),
          metrics: metrics?.url,
        },
        'terminal started',
      );
      if (options.once === true) {
        await terminal.sourcesDone;
        await terminal.sink.flush({ timeoutMs: 60_000 });
      } else {
        const signal = await (signalled ?? untilSignal());
        logger.info({ signal }, 'closing: spooling what is in flight');
      }
      await terminal.close();
      await metrics?.close();
      redis.disconnect();
      const status = terminal.sink.status();
      logger.info({ depth: status.depth, handedOver: status.handedOver }, 'closed');
      if (options.once === true && status.depth > 0) setExitCode(1);
    });
}
