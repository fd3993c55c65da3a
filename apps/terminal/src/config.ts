/**
 * Terminal adapter configuration (YAML or JSON file, env overrides `POS_GA4_…`).
 * One terminal belongs to one store; records that name another store or terminal are rejected
 * (`IDENTITY_MISMATCH`). Sources: receipt streams (serial line, or a journal/capture file) and
 * HID barcode scanners. Secrets (app QR keys, Redis password) are never logged.
 * `storeTimeZone` picks the zone receipts' business dates are taken in: `timeZone` when set,
 * else the receipt profiles' `dates.timeZone` (they must agree), else the system's zone.
 * Each default is written once, on its field; a block left out gets its fields' defaults
 * (`defaultedBlock`).
 */
import { defaultedBlock, RedisConnectionSchema } from '@pos-ga4/config';
import { MetricsConfigSchema } from '@pos-ga4/metrics';
import { DEFAULT_PARTITIONS } from '@pos-ga4/queue-contract';
import { EntityId, isTimeZone } from '@pos-ga4/transaction';
import { z } from 'zod';

import { CaptureConfigSchema } from './device/capture/index.js';
import { HidScannerSourceSchema } from './device/hid/index.js';
import { SerialSourceConfigSchema } from './device/serial/index.js';

const ReceiptFormat = {
  format: z.enum(['jsonl', 'kv', 'escpos']).default('escpos'),
  /** Receipt profile (YAML/JSON) for `escpos`; see docs/receipt-profiles.md. */
  profile: z.string().min(1).optional(),
};

export const FileSourceSchema = z.strictObject({
  type: z.literal('file'),
  path: z.string().min(1),
  ...ReceiptFormat,
  format: z.enum(['jsonl', 'kv', 'escpos']).default('jsonl'),
});

export const SerialReceiptSourceSchema = SerialSourceConfigSchema.extend(ReceiptFormat);

export const TerminalSourceSchema = z.discriminatedUnion('type', [
  FileSourceSchema,
  SerialReceiptSourceSchema,
  HidScannerSourceSchema,
]);

export const TerminalConfigSchema = z
  .strictObject({
    storeId: EntityId,
    terminalId: EntityId,
    /** The store's IANA zone; default: the receipt profile's `dates.timeZone`, else the system's. */
    timeZone: z
      .string()
      .refine(isTimeZone, 'is not an IANA time zone, e.g. "Europe/Berlin"')
      .optional()
      .meta({
        description:
          "The store's IANA time zone (e.g. Europe/Berlin): occurredAt is written in it and its date is the business date in transaction ids. Default: the receipt profile's dates.timeZone, else the system's zone.",
      }),
    redis: defaultedBlock(RedisConnectionSchema),
    /** Must equal the workers' partition count. */
    partitions: z.number().int().min(1).max(1024).default(DEFAULT_PARTITIONS),
    sources: z.array(TerminalSourceSchema).min(1, 'configure at least one source'),
    /** Local state: spool/, rejects/, capture/. */
    dataDir: z.string().min(1).default('/var/lib/pos-ga4'),
    capture: defaultedBlock(CaptureConfigSchema),
    spool: defaultedBlock(
      z.strictObject({
        maxEntries: z.number().int().min(10).default(200_000),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(256 * 1024 * 1024),
      }),
    ),
    scanMatching: defaultedBlock(
      z.strictObject({
        /** A scan up to this long before a receipt's cut joins it… */
        beforeMs: z.number().int().min(0).default(120_000),
        /** …or up to this long after (receipts are held this long when a scanner is configured). */
        afterMs: z.number().int().min(0).default(20_000),
      }),
    ),
    /** Verification keys for signed app QR codes (docs/app-qr-format.md), by key id. */
    appQrKeys: z.record(z.string().min(1), z.string().min(16)).default({}),
    appQrMaxAgeSeconds: z.number().int().min(10).default(600),
    loyaltyPatterns: z
      .array(z.strictObject({ name: z.string().min(1), pattern: z.string().min(1) }))
      .default([]),
    heartbeatIntervalMs: z.number().int().min(1000).default(15_000),
    log: defaultedBlock(
      z.strictObject({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info'),
      }),
    ),
    /** Prometheus `GET /metrics` (docs/operations.md); off unless a port is set. */
    metrics: MetricsConfigSchema,
  })
  .refine(
    (c) =>
      c.sources.every((s) => s.type === 'hid' || s.format !== 'escpos' || s.profile !== undefined),
    {
      message: 'an escpos source needs a receipt profile (profile: path/to/profile.yaml)',
      path: ['sources'],
    },
  );

export type TerminalConfig = z.output<typeof TerminalConfigSchema>;
export type TerminalSourceConfig = z.output<typeof TerminalSourceSchema>;

export const TERMINAL_ENV_ALIASES = { REDIS_URL: 'redis.url' } as const;

/**
 * The zone the terminal writes `occurredAt` in. Throws a TypeError when no zone is configured
 * and the receipt profiles name different ones (a store has one business day).
 */
export function storeTimeZone(
  configured: string | undefined,
  profileZones: readonly string[],
  systemZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  if (configured !== undefined) return configured;
  const zones = [...new Set(profileZones)];
  if (zones.length > 1)
    throw new TypeError(
      `the receipt profiles name different time zones (${zones.join(', ')}): set timeZone in the terminal config`,
    );
  return zones[0] ?? systemZone;
}
