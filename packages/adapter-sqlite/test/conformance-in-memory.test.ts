import { runStoreConformance } from '@innkeeper/conformance';
import { describe, test } from 'vitest';
import { createSqliteStore } from '../src/index.js';

// The whole suite again on private in-memory databases: no file and no WAL, so it runs
// in about a second and checks that nothing in the store depends on them. With a table
// prefix other than the default, so that no statement depends on the default's names.
runStoreConformance(
  { describe, test },
  { createStore: () => createSqliteStore({ filename: ':memory:' }, { tablePrefix: 'app_inn_' }) },
);
