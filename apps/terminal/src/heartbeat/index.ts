/**
 * Public surface of the heartbeat module: the publisher (`startHeartbeat`), the Redis layout and
 * store (`redisHeartbeatStore`: write, list), and the silence check (`assessLiveness`) that
 * `pos-ga4 status` uses.
 */
export { startHeartbeat } from './heartbeat-publisher.js';
export type {
  HeartbeatPublisher,
  HeartbeatPublisherOptions,
  HeartbeatStats,
} from './heartbeat-publisher.js';
export { decodeHeartbeat, heartbeatIndexKey, heartbeatKey } from './heartbeat-record.js';
export type { TerminalHeartbeat } from './heartbeat-record.js';
export { DEFAULT_HEARTBEAT_TTL_SECONDS, redisHeartbeatStore } from './redis-heartbeat-store.js';
export type { HeartbeatStore, RedisHeartbeatStoreOptions } from './redis-heartbeat-store.js';
export { assessLiveness } from './terminal-liveness.js';
export type { HeartbeatListing, TerminalLiveness } from './terminal-liveness.js';
