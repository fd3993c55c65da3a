/**
 * Terminal adapter configuration (YAML or JSON file, env overrides `POS_GA4_…`).
 * One terminal belongs to one store; records that name another store or terminal are rejected
 * (`IDENTITY_MISMATCH`). Sources are added by later issues (serial, HID); today: journal files.
 */
import { RedisConnectionSchema } from '@pos-ga4/config';
import { EntityId } from '@pos-ga4/transaction';
import { z } from 'zod';

export const FileSourceSchema = z.strictObject({
  type: z.literal('file'),
  path: z.string().min(1),
  format: z.enum(['jsonl', 'kv', 'escpos']).default('jsonl'),
  /** Receipt profile (YAML/JSON) for `escpos`; see docs/receipt-profiles.md. */
  profile: z.string().min(1).optional(),
});

export const TerminalConfigSchema = z.strictObject({
  storeId: EntityId,
  terminalId: EntityId,
  redis: RedisConnectionSchema.default({ url: 'redis://127.0.0.1:6379', prefix: 'pos-ga4' }),
  sources: z.array(FileSourceSchema).min(1, 'configure at least one source'),
  /** Local state: rejects, spool, raw captures. */
  dataDir: z.string().min(1).default('/var/lib/pos-ga4'),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
});

export type TerminalConfig = z.output<typeof TerminalConfigSchema>;

export const TERMINAL_ENV_ALIASES = { REDIS_URL: 'redis.url' } as const;
