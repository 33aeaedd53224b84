import { runStoreConformance } from '@innkeeper/conformance';
import { describe, test } from 'vitest';
import { PlainStore } from '../../../examples/own-store/plain-store.js';

// docs/store-port.md's "write your own store" example is documentation; the whole
// conformance suite runs on it here, so the example is known to be a correct store.
runStoreConformance({ describe, test }, { createStore: () => new PlainStore() });
