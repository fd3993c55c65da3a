export { METRICS_CONFIG_DEFAULTS, MetricsConfigSchema } from './metrics-config.js';
export type { MetricsConfig } from './metrics-config.js';
export {
  cachedRead,
  createMetricsRegistry,
  METRIC_PREFIX,
  monotonicCounter,
} from './metrics-registry.js';
export type { CachedRead, CachedReadOptions, MetricsRegistryOptions } from './metrics-registry.js';
export { startMetricsServer } from './metrics-server.js';
export type { MetricsServer, MetricsServerOptions } from './metrics-server.js';
