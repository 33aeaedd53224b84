import type { ChainShape } from '../chain-shape.js';
import type { LoadContext } from './load-context.js';
import { loadMemoryStore } from './memory-loader.js';
import { loadPostgresStore } from './postgres-loader.js';
import { loadSqliteStore } from './sqlite-loader.js';
import type { LoadedStore, StoreTarget } from './store-target.js';

/** The demo's own Postgres schema: it is dropped and re-created on every run. */
export const DEMO_SCHEMA = 'innkeeper_demo';

/** Loads `shape` into the chosen store by that store's fastest honest path. */
export function loadStore(
  target: StoreTarget,
  shape: ChainShape,
  context: LoadContext,
  poolSize = 16,
): Promise<LoadedStore> {
  switch (target.kind) {
    case 'memory':
      return loadMemoryStore(shape, context);
    case 'sqlite':
      return loadSqliteStore(shape, target.file, context);
    case 'postgres':
      return loadPostgresStore(
        shape,
        { url: target.url, schema: target.schema ?? DEMO_SCHEMA, poolSize },
        context,
      );
  }
}
