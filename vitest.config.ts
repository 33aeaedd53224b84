import { defineConfig } from 'vitest/config';

/**
 * Prices, deadlines and stay dates must not depend on the server's time zone, so the
 * core's whole suite runs three times: under UTC, under a zone west of UTC with DST
 * (America/Los_Angeles), and under the furthest zone east (Pacific/Kiritimati, UTC+14).
 * `TZ` is set in each project's workers before any test code runs.
 */
const serverZones = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'];

// Each folder under packages/ is a Vitest project with its own vitest.config.ts.
// Projects do not inherit this file's options; shared ones live in vitest.shared.ts.
export default defineConfig({
  test: {
    projects: [
      'packages/!(core)',
      ...serverZones.map((zone) => ({
        extends: './packages/core/vitest.config.ts',
        test: {
          name: `@innkeeper/core (TZ=${zone})`,
          root: './packages/core',
          env: { TZ: zone },
        },
      })),
    ],
    // Global (not per-project) option: allow a run with no test files yet.
    passWithNoTests: true,
  },
});
