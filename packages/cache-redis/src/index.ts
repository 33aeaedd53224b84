export {
  ChangeFeedRelay,
  type ChangeFeedRelayOptions,
  createChangeFeedRelay,
  LAG_PROBE_LIMIT,
  type RelayLag,
  type RelayWake,
} from './change-feed-relay.js';
export {
  type CacheStore,
  createRedisAvailabilityCache,
  RedisAvailabilityCache,
  type RedisAvailabilityCacheOptions,
  type RedisAvailabilityCacheStats,
} from './redis-availability-cache.js';
export type { RedisClient } from './redis-client.js';
export { DEFAULT_KEY_PREFIX } from './redis-keys.js';
