import type { Options } from 'tsup';

/** The one build every package shares: ESM + CJS + both kinds of declarations, for Node 20. */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // Emits index.d.ts (for import) and index.d.cts (for require).
  dts: {
    compilerOptions: {
      // tsup 8.5 injects `baseUrl: '.'` into its DTS program, which TS 6 rejects (TS5101).
      ignoreDeprecations: '6.0',
      // Build declarations against the dependencies' built `dist`, not their sources.
      customConditions: [],
    },
  },
  target: 'node20',
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
};
