/**
 * Worker configuration (YAML or JSON file, env overrides `POS_GA4_…`, see docs/configuration.md).
 * The GA4 api secret is only ever read from here; it never goes into job data or logs.
 */
import { RedisConnectionSchema } from '@pos-ga4/config';
import type { Ga4Destination } from '@pos-ga4/ga4-mp';
import { z } from 'zod';

export const Ga4DestinationSchema = z
  .strictObject({
    region: z.enum(['global', 'eu']).default('global'),
    /** For the local collector or a proxy; overrides the region's Google host. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    measurementId: z
      .string()
      .regex(/^G-[A-Z0-9]+$/, 'expected a web stream measurement id like G-ABC123XYZ')
      .optional(),
    firebaseAppId: z.string().min(1).optional(),
    /** Post to /debug/mp/collect instead: Google validates, nothing reaches reports (staging). */
    debug: z.boolean().default(false),
    apiSecret: z
      .string()
      .min(
        1,
        'required: the Measurement Protocol API secret (GA4 Admin > Data streams > Measurement Protocol API secrets)',
      ),
  })
  .refine((d) => (d.measurementId === undefined) !== (d.firebaseAppId === undefined), {
    message: 'set exactly one of measurementId (web stream) or firebaseAppId (app stream)',
    path: ['measurementId'],
  });

export const WorkerConfigSchema = z.strictObject({
  redis: RedisConnectionSchema.default({ url: 'redis://127.0.0.1:6379', prefix: 'pos-ga4' }),
  ga4: Ga4DestinationSchema,
  mapping: z
    .strictObject({
      valueIncludesTax: z.boolean().default(false),
      maxAgeHours: z.number().positive().max(72).default(71),
      tooOld: z.enum(['dead-letter', 'redate']).default('dead-letter'),
      session: z.enum(['per-transaction', 'omit']).default('per-transaction'),
      engagementTimeMsec: z.number().int().min(1).default(1),
    })
    .default({
      valueIncludesTax: false,
      maxAgeHours: 71,
      tooOld: 'dead-letter',
      session: 'per-transaction',
      engagementTimeMsec: 1,
    }),
  identity: z
    .strictObject({
      /** No known client id: a deterministic pseudo client id, or a dead letter (`NO_CLIENT_ID`). */
      unknown: z.enum(['pseudo-client-id', 'dead-letter']).default('pseudo-client-id'),
    })
    .default({ unknown: 'pseudo-client-id' }),
  concurrency: z.number().int().min(1).max(256).default(16),
  httpTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
});

export type WorkerConfig = z.output<typeof WorkerConfigSchema>;
export type WorkerConfigInput = z.input<typeof WorkerConfigSchema>;

/** Conventional variable names accepted besides `POS_GA4_…`. */
export const WORKER_ENV_ALIASES = {
  REDIS_URL: 'redis.url',
  GA4_MEASUREMENT_ID: 'ga4.measurementId',
  GA4_API_SECRET: 'ga4.apiSecret',
} as const;

/** The ga4-mp destination for a config block; the only place the api secret leaves config. */
export function destinationOf(ga4: z.output<typeof Ga4DestinationSchema>): Ga4Destination {
  const stream =
    ga4.measurementId !== undefined
      ? { measurementId: ga4.measurementId }
      : { firebaseAppId: ga4.firebaseAppId ?? '' };
  return {
    region: ga4.region,
    stream,
    apiSecret: ga4.apiSecret,
    ...(ga4.baseUrl === undefined ? {} : { baseUrl: ga4.baseUrl }),
  };
}
