import { chainShape } from '../packages/cli/src/chain-shape.js';
import { loadStore } from '../packages/cli/src/stores/load-store.js';
import { BENCH_START } from '../packages/cli/src/bench/bench-workloads.js';
const shape = chainShape(5000, BENCH_START);
const loaded = await loadStore({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test', schema: 'ik17' }, shape, { onRows: () => {} }, 4);
console.log('loaded', loaded.loadMs);
// keep the schema: close the pool only
await (loaded as any).access.pool.end();
