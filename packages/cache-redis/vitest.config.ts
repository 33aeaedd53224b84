import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Shared options (dev-source resolution, test glob, timeout) plus this package's own:
// the global setup finds Redis (failing under CI=true without it) and Postgres.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      globalSetup: ['test/support/global-setup.ts'],
    },
  }),
);
