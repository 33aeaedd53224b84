import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

// Two entries: `@innkeeper/core` (applications) and `@innkeeper/core/store` (store
// authors). Code splitting gives both entries one shared copy of every module (one
// `InnkeeperError` class, one set of rules), in ESM and in CJS.
export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/store.ts'],
  splitting: true,
});
