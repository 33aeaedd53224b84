import {
  addDays,
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  type InnkeeperStore,
} from '@innkeeper/core';
import { BENCH_START, HOT_ROOMS } from '../packages/cli/src/bench/bench-workloads.js';
import { benchPricingCache } from '../packages/cli/src/bench/run-bench.js';
import { type ChainShape, chainShape, hotelId } from '../packages/cli/src/chain-shape.js';
import { loadStore } from '../packages/cli/src/stores/load-store.js';
import { LOCAL_POSTGRES_URL } from '../packages/cli/src/stores/postgres-pool.js';
import type { LoadedStore, StoreTarget } from '../packages/cli/src/stores/store-target.js';

/** The Postgres schema the profiling scripts load the chain into (dropped by `close`). */
const PROFILE_SCHEMA = 'innkeeper_profile';

/**
 * What the profiling scripts (`profile-book.ts`, `profile-gap.ts`) book against: the
 * bench's chain of `hotels` loaded into a store, and an engine over it made as the bench
 * makes it (its clock the day before the calendar, the hot room type given the bench's
 * rooms, the pricing cache sized for every night unless `pricingCache` is false).
 * `wrapStore` puts something between the engine and the loaded store (`store`, what the
 * engine calls; the engine takes its store's methods when it is made, so only here).
 */
export async function benchEngine(options: {
  store: string;
  hotels: number;
  pricingCache: boolean;
  wrapStore?: (store: InnkeeperStore) => InnkeeperStore;
}): Promise<{
  shape: ChainShape;
  loaded: LoadedStore;
  store: InnkeeperStore;
  inn: Innkeeper;
  close: () => Promise<void>;
}> {
  const shape = chainShape(options.hotels, BENCH_START);
  const target: StoreTarget =
    options.store === 'postgres'
      ? {
          kind: 'postgres',
          url: process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL,
          schema: PROFILE_SCHEMA,
        }
      : { kind: options.store === 'sqlite' ? 'sqlite' : 'memory' };
  const loaded = await loadStore(target, shape, { onRows: () => {} }, 16);
  const store = options.wrapStore ? options.wrapStore(loaded.store) : loaded.store;
  const inn = benchInnkeeper(store, shape, options.pricingCache);
  await inn.setInventory({
    hotelId: hotelId(0),
    roomTypeId: shape.roomTypes[0]?.id ?? '',
    from: shape.start,
    to: addDays(shape.start, 14),
    total: HOT_ROOMS,
  });
  const close = async () => {
    if (loaded.access.kind === 'postgres') {
      await loaded.access.pool.query(`DROP SCHEMA IF EXISTS "${PROFILE_SCHEMA}" CASCADE`);
    }
    await loaded.close();
  };
  return { shape, loaded, store, inn, close };
}

/**
 * An engine over `store` as the bench makes one: its clock the day before the chain's
 * calendar, the pricing cache sized for every night unless `pricingCache` is false.
 */
export function benchInnkeeper(
  store: InnkeeperStore,
  shape: ChainShape,
  pricingCache: boolean,
): Innkeeper {
  return createInnkeeper({
    store,
    clock: createManualClock(`${addDays(shape.start, -1)}T00:00:00Z`),
    pricingCache: pricingCache ? benchPricingCache(shape) : false,
  });
}

/**
 * `target` with its `applyBooking` replaced by what `replace` makes of the original; every
 * other method bound to `target`, as the engine calls them.
 */
export function withApplyBooking(
  target: InnkeeperStore,
  replace: (original: InnkeeperStore['applyBooking']) => InnkeeperStore['applyBooking'],
): InnkeeperStore {
  const applyBooking = replace(target.applyBooking.bind(target));
  return new Proxy(target, {
    get(object, property) {
      if (property === 'applyBooking') return applyBooking;
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
