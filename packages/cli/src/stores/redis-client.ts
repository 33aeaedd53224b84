import { Redis } from 'ioredis';
import { redactUrl } from './postgres-pool.js';

/** The bench's Redis when neither `--redis-url` nor REDIS_URL says. */
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * An ioredis client that has answered a PING: a wrong host or port fails here, once,
 * with one clear message, instead of ioredis retrying in the background for ever. After
 * that it reconnects as usual, with a command failing fast rather than queued while
 * Redis is away (what the cache expects of its client).
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  let lastError: unknown;
  redis.on('error', (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new RedisUnreachableError(url, lastError ?? error);
  }
  return redis;
}

/** Redis did not answer; the message names the server (never its password) and why. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(`cannot reach Redis at ${redactUrl(url)}: ${why}`, { cause });
  }
}
