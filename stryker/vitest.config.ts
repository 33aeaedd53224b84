import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { currentCampaign } from './campaigns.mjs';

/**
 * The Vitest configuration StrykerJS runs a campaign's tests with (see campaigns.mjs).
 *
 * Stryker runs the tests in a copy of the repository, its sandbox, with `node_modules`
 * linked to the original checkout's. A workspace package reached through `node_modules`
 * would therefore load the original sources, never the sandbox's mutated ones, so every
 * `@innkeeper/*` import is aliased to the `src/index.ts` of this very tree. The core runs
 * under one server time zone (UTC) here; `pnpm test` runs it under three.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const campaign = currentCampaign();

const workspacePackages = [
  'adapter-memory',
  'adapter-postgres',
  'adapter-sqlite',
  'cache-redis',
  'cli',
  'conformance',
  'core',
  'test-gateway',
];
const alias = workspacePackages.map((name) => ({
  find: new RegExp(`^@innkeeper/${name}$`),
  replacement: join(root, 'packages', name, 'src', 'index.ts'),
}));
// better-sqlite3 compiled for the Node that runs Stryker (scripts/mutation.ts builds it).
const drivers = process.env.INNKEEPER_MUTATION_DRIVERS;
if (drivers) alias.push({ find: /^better-sqlite3$/, replacement: join(drivers, 'better-sqlite3') });

const conditions = ['dev-source'];

export default defineConfig({
  resolve: { conditions, alias },
  ssr: { resolve: { conditions } },
  test: {
    root,
    include: campaign.tests,
    exclude: ['**/node_modules/**', ...(campaign.exclude ?? [])],
    environment: 'node',
    testTimeout: 60_000,
    globalSetup: campaign.globalSetup ?? [],
    env: { TZ: 'UTC', ...campaign.env },
  },
});
