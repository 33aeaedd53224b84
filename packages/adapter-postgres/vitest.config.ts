import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Shared options (dev-source resolution, test glob, timeout) plus this package's own:
// the global setup finds (or starts) the Postgres server every test file uses.
export default mergeConfig(
  shared,
  defineProject({
    test: {
      globalSetup: ['test/support/global-setup.ts'],
    },
  }),
);
