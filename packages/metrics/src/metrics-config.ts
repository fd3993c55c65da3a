/**
 * The `metrics` block shared by the worker and terminal configs: `port: null` (the default) turns
 * the `/metrics` endpoint off; `host` is where it listens (loopback unless said otherwise, since
 * the endpoint has no authentication). Documented in docs/operations.md.
 */
import { z } from 'zod';

const MetricsBlockSchema = z.strictObject({
  /** TCP port for `GET /metrics` (Prometheus text format); null = off, 0 = any free port. */
  port: z.number().int().min(0).max(65_535).nullable().default(null),
  /** Interface to listen on; `0.0.0.0` to let a Prometheus on another host scrape it. */
  host: z.string().min(1).default('127.0.0.1'),
});

/** The fields' defaults (each written once, on its field). */
export const METRICS_CONFIG_DEFAULTS: Readonly<z.output<typeof MetricsBlockSchema>> =
  MetricsBlockSchema.parse({});

/** Left out, the block gets its fields' defaults (as `defaultedBlock` of @pos-ga4/config does). */
export const MetricsConfigSchema = MetricsBlockSchema.default(() => MetricsBlockSchema.parse({}));

export type MetricsConfig = z.output<typeof MetricsConfigSchema>;
