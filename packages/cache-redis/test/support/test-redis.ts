import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { describe, inject } from 'vitest';

/** The Redis the global setup found, or '' when there is none (tests skip). */
export const redisUrl = inject('redisUrl');

/** `describe`, skipped (the global setup already warned loudly) when Redis is unreachable. */
export const describeWithRedis = redisUrl ? describe : describe.skip;

export function newRedis(): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: 1 });
}

/** A key prefix no other test (or machine) uses. */
export function uniquePrefix(label: string): string {
  return `innkeeper-test:${label}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix`. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** A client pointed at a port nothing listens on, failing every command at once. */
export function deadRedis(): Redis {
  const redis = new Redis('redis://127.0.0.1:1', {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  redis.on('error', () => {});
  return redis;
}
