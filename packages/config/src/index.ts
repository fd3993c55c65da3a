export { CONFIG_ERROR_CODES, ConfigError } from './config-error.js';
export { defaultedBlock } from './defaulted-block.js';
export type { ConfigErrorCode, ConfigIssue } from './config-error.js';
export { applyOverrides, envOverrides } from './env-overrides.js';
export type { EnvOverride, EnvOverrideOptions } from './env-overrides.js';
export { ENV_PREFIX, loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { RedisConnectionSchema, redisUrlSecrets } from './redis-connection.js';
export type { RedisConnectionConfig } from './redis-connection.js';
