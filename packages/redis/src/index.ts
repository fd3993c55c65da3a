export {
  createRedisConnection,
  deleteKeysWithPrefix,
  pingRedis,
  redisOptions,
} from './create-connection.js';
export type { ConnectionRole } from './create-connection.js';
export { freeTcpPort } from './free-port.js';
