import { storageError } from '../errors.js';
import type { AvailabilitySource, InnkeeperStore } from '../port/store.js';
import { promiseOf, raceSignal } from './call-signal.js';

/** Every port call the engine makes (all of them but `portVersion`, which is not a call). */
export const PORT_CALLS = [
  'saveHotel',
  'getHotel',
  'listHotels',
  'saveRoomType',
  'listRoomTypes',
  'saveRoom',
  'listRooms',
  'listRoomNights',
  'getRateCard',
  'putRateCard',
  'updateCalendar',
  'readStay',
  'readStays',
  'applyBooking',
  'changeReservation',
  'expireHolds',
  'getReservation',
  'findReservationByKey',
  'listReservations',
  'listPendingPayments',
  'listArchivable',
  'listCalendarBefore',
  'removeArchived',
  'findArchived',
  'getArchiveHorizon',
  'forgetArchivedKeys',
  'eraseArchivedEntries',
  'audit',
  'readEvents',
  'pruneEvents',
  'saveFeedCursor',
  'listFeedCursors',
  'deleteFeedCursor',
  'close',
] as const satisfies readonly (keyof InnkeeperStore)[];

/** The port calls that only read: aborted while in flight, nothing was applied. */
const READS: ReadonlySet<string> = new Set([
  'getHotel',
  'listHotels',
  'listRoomTypes',
  'listRooms',
  'listRoomNights',
  'getRateCard',
  'readStay',
  'readStays',
  'getReservation',
  'findReservationByKey',
  'listReservations',
  'listPendingPayments',
  'listArchivable',
  'listCalendarBefore',
  'findArchived',
  'getArchiveHorizon',
  'audit',
  'readEvents',
  'listFeedCursors',
]);

/** The store as the engine sees it: every call guarded (see `guardStore`). */
export type GuardedStore = Pick<InnkeeperStore, (typeof PORT_CALLS)[number]>;

/**
 * The store with every port call wrapped once: anything the call throws (or rejects
 * with) that is not an `InnkeeperError` becomes a `STORAGE` error naming the call, with
 * the original as `cause` (`storageError`).
 */
export function guardStore(store: InnkeeperStore): GuardedStore {
  return guardCalls(store, PORT_CALLS);
}

/**
 * An availability source (the searches) with its `readStay`, and its `readStays` and
 * `listHotels` when it has them, guarded like the store's.
 */
export function guardAvailability(source: AvailabilitySource): AvailabilitySource {
  const calls = (['readStay', 'readStays', 'listHotels'] as const).filter(
    (call) => source[call] !== undefined,
  );
  return guardCalls(source, calls);
}

function guardCalls<T extends object, K extends keyof T & string>(
  target: T,
  calls: readonly K[],
): Pick<T, K> {
  const guarded = {} as Record<K, unknown>;
  for (const call of calls) {
    const method = target[call] as (...args: unknown[]) => unknown;
    const writes = !READS.has(call);
    const failed = (error: unknown) => Promise.reject(storageError(call, error));
    // Not an `async` function around an `async` closure: each would add a promise and its
    // turns of the microtask queue to every call, the booking's one store call included.
    // Raced against the caller's `signal`, if the public call was given one; `promiseOf`
    // takes a method that throws, or answers without a promise, as an `async` one (so
    // `raceSignal` never sees a throw, and always takes its abort listener off again).
    guarded[call] = (...args: unknown[]) =>
      raceSignal(call, writes, () => promiseOf(() => method.apply(target, args))).then(
        undefined,
        failed,
      );
  }
  return guarded as Pick<T, K>;
}
