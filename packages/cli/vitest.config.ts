import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Shared options (dev-source resolution, test glob, timeout) plus this package's own:
// the global setup finds Postgres (or starts one) and Redis for the tests that need them.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      globalSetup: ['test/support/global-setup.ts'],
    },
  }),
);
