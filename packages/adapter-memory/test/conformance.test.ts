import { runStoreConformance } from '@innkeeper/conformance';
import { describe, test } from 'vitest';
import { createMemoryStore } from '../src/index.js';

runStoreConformance({ describe, test }, { createStore: () => createMemoryStore() });
