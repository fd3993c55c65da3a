import { Command } from '@commander-js/extra-typings';
import { DEFAULT_PREFIX } from '@pos-ga4/queue-contract';
import { createRedisConnection } from '@pos-ga4/redis';

import { importIdentities } from '../identities/import-identities.js';
import { createProgress } from '../progress.js';

export function identitiesCommand(setExitCode: (code: number) => void) {
  const importCommand = new Command('import')
    .description(
      'Import loyalty cards and customer tokens → client_id, user_id, consent, hashed email/phone, user properties',
    )
    .argument(
      '<file>',
      'CSV with a header: kind,token,clientId,userId,adUserData,adPersonalization,email,phone,prop.<name>…',
    )
    .option('--redis-url <url>', 'Redis', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .addHelpText(
      'after',
      '\nEmail and phone are hashed (SHA-256, Google normalisation) before they reach Redis.\nprop.<name> columns are GA4 user properties (prop.tier → tier; names ≤ 24, values ≤ 36 characters).\n\nExamples:\n  npx pos-ga4 identities import crm-export.csv\n  npx pos-ga4 identities import loyalty.csv --prefix pos-ga4-staging',
    )
    .action(async (file, options) => {
      const redis = createRedisConnection({ url: options.redisUrl }, 'worker');
      let progress: ReturnType<typeof createProgress> | undefined;
      try {
        const result = await importIdentities({
          file,
          redis,
          prefix: options.prefix,
          onProgress: (bytes, total) => {
            progress ??= createProgress({ label: 'import (bytes)', total });
            progress.update(bytes);
          },
        });
        progress?.stop();
        for (const rejection of result.rejected)
          process.stderr.write(`${JSON.stringify(rejection)}\n`);
        process.stdout.write(
          `imported ${result.imported} identities, rejected ${result.rejected.length}\n`,
        );
        setExitCode(result.rejected.length > 0 ? 1 : 0);
      } finally {
        redis.disconnect();
      }
    });
  return new Command('identities')
    .description('The identity store (customer token → GA4 identity)')
    .addCommand(importCommand);
}
