/**
 * Worker configuration (YAML or JSON file, env overrides `POS_GA4_…`, see docs/configuration.md).
 * The GA4 api secret is only ever read from here; it never goes into job data or logs.
 * Each default is written once, on its field; a block left out gets its fields' defaults
 * (`defaultedBlock`).
 */
import { defaultedBlock, RedisConnectionSchema } from '@pos-ga4/config';
import type { Ga4Destination } from '@pos-ga4/ga4-mp';
import { MetricsConfigSchema } from '@pos-ga4/metrics';
import { z } from 'zod';

import { ConsentConfigSchema } from './lookup/consent-defaults.js';
import { UserPropertyMappingSchema } from './map/user-properties.js';

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
  .superRefine((d, ctx) => {
    // An app stream identifies users by app_instance_id, which only the Firebase SDK on the
    // customer's own device knows; a till never has it, so events sent there would be dropped.
    if (d.firebaseAppId !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['firebaseAppId'],
        message:
          "app streams are not supported: GA4 app streams need the app_instance_id of the Firebase SDK on the customer's device, which a till never has; send to a web stream (measurementId G-…) of the same property (docs/ga4-setup.md)",
      });
    else if (d.measurementId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['measurementId'],
        message: 'required: the web stream measurement id (G-…)',
      });
  });

export const RetryConfigSchema = z.strictObject({
  baseMs: z.number().int().min(10).default(1000),
  maxMs: z.number().int().min(100).default(300_000),
  /** After this long a retryable failure becomes a dead letter (RETRIES_EXHAUSTED). */
  giveUpAfterMs: z
    .number()
    .int()
    .min(1000)
    .default(48 * 3600 * 1000),
});

export const WorkerConfigSchema = z.strictObject({
  redis: defaultedBlock(RedisConnectionSchema),
  ga4: Ga4DestinationSchema,
  mapping: defaultedBlock(
    z.strictObject({
      /**
       * `net` (default, Google's advice): item prices and value without tax; `gross`: with tax.
       * Either way value = Σ price × quantity to the minor unit (docs/ga4-mapping.md).
       */
      prices: z.enum(['net', 'gross']).optional(),
      /** Deprecated: `true` is `prices: gross`. */
      valueIncludesTax: z.boolean().default(false),
      /** Item `affiliation`; defaults to the store id. */
      affiliation: z.string().min(1).max(100).optional(),
      /**
       * Request `user_properties` taken from each transaction: user property name → `storeId` or
       * `terminalId` (e.g. `{ last_store: storeId }`). GA4 keeps the latest value per user.
       */
      userProperties: UserPropertyMappingSchema.optional(),
      maxAgeHours: z.number().positive().max(72).default(71),
      tooOld: z.enum(['dead-letter', 'redate']).default('dead-letter'),
      session: z.enum(['per-transaction', 'omit']).default('per-transaction'),
      engagementTimeMsec: z.number().int().min(1).default(1),
    }),
  ),
  identity: defaultedBlock(
    z.strictObject({
      /** No known client id: a deterministic pseudo client id, or a dead letter (`NO_CLIENT_ID`). */
      unknown: z.enum(['pseudo-client-id', 'dead-letter']).default('pseudo-client-id'),
      /**
       * Key of the keyed hash (HMAC-SHA256) that turns a loyalty card or customer token without
       * an identity-store entry into a stable client_id, so a regular customer is one user in
       * GA4. Never logged. Without it such a customer gets a new pseudo client_id per receipt.
       */
      hmacSecret: z.string().min(16, 'at least 16 characters of random key').optional(),
    }),
  ),
  /**
   * Consent sent when the customer's identity record gives none (the record wins per field):
   * `default`, and per store id under `stores` (docs/ga4-mapping.md).
   */
  consent: ConsentConfigSchema.optional(),
  refunds: defaultedBlock(
    z.strictObject({
      /** How long a refund waits for a purchase nobody has seen before the policy below applies. */
      maxWaitMs: z.number().int().min(0).default(3_600_000),
      /**
       * A refund whose purchase pos-ga4 has not seen (or with no `refundOf`): `send` it with the
       * purchase's transaction_id when known (counted, warned), or `dead-letter` it
       * (REFUND_OF_UNKNOWN) for an operator to redrive.
       */
      unknownPurchase: z.enum(['send', 'dead-letter']).default('send'),
    }),
  ),
  /** Must equal the terminals' partition count (see docs/delivery.md). */
  partitions: z.number().int().min(1).max(1024).default(8),
  batch: defaultedBlock(
    z.strictObject({
      /** A batch closes at this many jobs… */
      maxJobs: z.number().int().min(1).max(1000).default(100),
      /** …or after this many ms, whichever comes first. */
      windowMs: z.number().int().min(0).max(60_000).default(200),
      /** Jobs a partition may hold (blocked behind a client or terminal) before it stops fetching. */
      maxHeld: z.number().int().min(10).max(100_000).default(500),
      /**
       * …unless every held job waits for a client's earlier event held nowhere in this partition:
       * then it fetches on up to this many (the event may be deeper in the queue), and only here
       * gives up client order for one event (docs/delivery.md).
       */
      maxHeldBlocked: z.number().int().min(10).max(1_000_000).default(10_000),
    }),
  ),
  retry: defaultedBlock(RetryConfigSchema),
  /** A partition's owner renews its lease every third of this; a dead owner's partitions move after it. */
  leaseMs: z.number().int().min(1000).max(600_000).default(30_000),
  /** Graceful shutdown: finish in-flight requests within this deadline, then release. */
  shutdownTimeoutMs: z.number().int().min(0).default(10_000),
  /** Extra GA4 properties by name; `routes` sends a store's transactions to one of them. */
  properties: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), Ga4DestinationSchema).default({}),
  routes: z.record(z.string(), z.string()).default({}),
  /** Stores without a route: `default` uses `ga4`; `dead-letter` gives UNKNOWN_STORE. */
  unroutedStores: z.enum(['default', 'dead-letter']).default('default'),
  identityCache: defaultedBlock(
    z.strictObject({
      ttlMs: z.number().int().min(0).default(60_000),
      maxEntries: z.number().int().min(0).default(50_000),
    }),
  ),
  /** GA4 requests in flight per worker process (all its partitions), and the socket pool size. */
  concurrency: z.number().int().min(1).max(1024).default(128),
  httpTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  log: defaultedBlock(
    z.strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    }),
  ),
  /** Prometheus `GET /metrics` (docs/operations.md); off unless a port is set. */
  metrics: MetricsConfigSchema,
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
