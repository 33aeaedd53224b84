import { defineProject } from 'vitest/config';

// Resolve workspace packages (e.g. `@innkeeper/core`) through the `dev-source` export
// condition, i.e. to their `src/index.ts`, so tests never run against a stale `dist`.
// Vitest runs Node tests in Vite's SSR environment, which reads `ssr.resolve.conditions`
// (Vite >= 6); `resolve.conditions` covers the client environment. Vitest appends its
// default server conditions to these lists, and also passes them to its workers as
// `--conditions`.
const conditions = ['dev-source'];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
