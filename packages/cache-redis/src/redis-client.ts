import type { Redis } from 'ioredis';

/**
 * The ioredis client the cache and the relay use (`new Redis(url)`; a `Cluster` works
 * too when the key prefix carries a hash tag). Commands it relies on: EVALSHA/EVAL (Lua
 * scripts using HMGET, HGET, HSET, HSCAN, HDEL, HLEN, GET, SET, TYPE, DEL, UNLINK), GET, SET (the relay's resync),
 * HMGET (the catalog versions), HSET (the relay's caught-up mark), SCAN, UNLINK.
 */
export type RedisClient = Pick<
  Redis,
  'eval' | 'evalsha' | 'get' | 'set' | 'hmget' | 'hset' | 'scan' | 'unlink'
>;

/** Runs `each` on every key matching `pattern` (SCAN, a page at a time); sums what it returns. */
export async function eachMatching(
  redis: RedisClient,
  pattern: string,
  each: (key: string) => Promise<number>,
): Promise<number> {
  let cursor = '0';
  let total = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) total += await each(key);
  } while (cursor !== '0');
  return total;
}

/** Deletes every key matching `pattern` (SCAN + UNLINK); returns how many. */
export async function unlinkMatching(redis: RedisClient, pattern: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
