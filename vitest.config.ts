import { defineConfig } from 'vitest/config';

// Each folder under packages/ is a Vitest project with its own vitest.config.ts.
// Projects do not inherit this file's options; shared ones live in vitest.shared.ts.
export default defineConfig({
  test: {
    projects: ['packages/*'],
    // Global (not per-project) option: allow a run with no test files yet.
    passWithNoTests: true,
  },
});
