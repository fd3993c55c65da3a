export { chunkings } from './chunkings.js';
export { deleteKeysWithPrefix, redisTestResource, TEST_REDIS_URL } from './redis-resource.js';
export type { RedisTestResource } from './redis-resource.js';
