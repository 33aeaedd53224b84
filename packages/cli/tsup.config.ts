import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

export default defineConfig([
  // The library entry (runDemo, runBench, ...), like every other package; its clean
  // spares the bin's files, which the second build writes at the same time.
  { ...packageBuild, clean: ['!cli.js', '!cli.js.map'] },
  // The `innkeeper` bin: ESM only (Node runs it directly), no declarations, and the
  // shebang that lets npm link it as an executable.
  {
    ...packageBuild,
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
