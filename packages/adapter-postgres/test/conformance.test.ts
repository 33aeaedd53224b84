import { runStoreConformance } from '@innkeeper/conformance';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { dropSchema, freshSchema, newPool, resetSchema } from './support/test-database.js';

// One migrated schema for this file, emptied before each store: createStore runs for
// every test and for every fast-check run of the interleaving property.
const pool = newPool(12);
let schema = '';
beforeAll(async () => {
  schema = await freshSchema(pool, 'conformance');
});
afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

runStoreConformance(
  { describe, test },
  {
    createStore: async () => {
      await resetSchema(pool, schema);
      return createPostgresStore({ pool }, { schema });
    },
  },
);
