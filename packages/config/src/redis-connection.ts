/**
 * The Redis connection block shared by terminal and worker configs.
 * `rediss://` turns TLS on; ACL username/password may sit in the URL or in their own fields
 * (fields win). The password is a secret: loggers scrub it (see `redisUrlSecrets`).
 */
import { z } from 'zod';

import { DEFAULT_REDIS_PREFIX } from './defaults.js';

export const RedisConnectionSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .default('redis://127.0.0.1:6379'),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** BullMQ key prefix; deployments (and tests) sharing a Redis use different prefixes. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9{}_-]+$/, 'letters, digits, _ - and {} (hash tags) only')
    .default(DEFAULT_REDIS_PREFIX),
});

export type RedisConnectionConfig = z.output<typeof RedisConnectionSchema>;

/** Secret values in a Redis connection config, for the log scrubber. */
export function redisUrlSecrets(config: Pick<RedisConnectionConfig, 'url' | 'password'>): string[] {
  const secrets: string[] = [];
  if (config.password !== undefined) secrets.push(config.password);
  try {
    const password = decodeURIComponent(new URL(config.url).password);
    if (password !== '') secrets.push(password);
  } catch {
    // not a parseable URL: the schema reports it
  }
  return secrets;
}
