/**
 * The `metrics` block shared by the worker and terminal configs: `port: null` (the default) turns
 * the `/metrics` endpoint off; `host` is where it listens (loopback unless said otherwise, since
 * the endpoint has no authentication). Documented in docs/operations.md.
 */
import { z } from 'zod';

export const METRICS_CONFIG_DEFAULTS = { port: null, host: '127.0.0.1' } as const;

export const MetricsConfigSchema = z
  .strictObject({
    /** TCP port for `GET /metrics` (Prometheus text format); null = off, 0 = any free port. */
    port: z.number().int().min(0).max(65_535).nullable().default(null),
    /** Interface to listen on; `0.0.0.0` to let a Prometheus on another host scrape it. */
    host: z.string().min(1).default('127.0.0.1'),
  })
  .default(METRICS_CONFIG_DEFAULTS);

export type MetricsConfig = z.output<typeof MetricsConfigSchema>;
