import { join, resolve } from 'node:path';
import { defineProject } from 'vitest/config';

// Resolve workspace packages (e.g. `@innkeeper/core`) through the `dev-source` export
// condition, i.e. to their `src/index.ts`, so tests never run against a stale `dist`.
// Vitest runs Node tests in Vite's SSR environment, which reads `ssr.resolve.conditions`
// (Vite >= 6); `resolve.conditions` covers the client environment. Vitest appends its
// default server conditions to these lists, and also passes them to its workers as
// `--conditions`.
const conditions = ['dev-source'];

/**
 * The driver matrix: with `INNKEEPER_DRIVERS_FROM=<a node_modules folder>`, the database
 * and cache drivers are loaded from there instead of the workspace, so the adapters' own
 * tests run against other driver versions (CI points it at the oldest supported ones,
 * installed by `pnpm check:consumer --keep`). Each adapter's `driver-version` test says
 * which version it loaded.
 */
const driversFrom = process.env.INNKEEPER_DRIVERS_FROM;
const alias = driversFrom
  ? Object.fromEntries(
      ['better-sqlite3', 'ioredis', 'pg'].map((name) => [name, join(resolve(driversFrom), name)]),
    )
  : {};

export default defineProject({
  resolve: { conditions, alias },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
