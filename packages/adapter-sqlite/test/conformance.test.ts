import { rmSync } from 'node:fs';
import { runStoreConformance } from '@innkeeper/conformance';
import { afterAll, describe, test } from 'vitest';
import { createTempFileStore, makeTempDir } from './sqlite-temp-files.js';

// A fresh database file for every test and every property run, deleted when it closes.
const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance({ describe, test }, { createStore: () => createTempFileStore(dir) });
