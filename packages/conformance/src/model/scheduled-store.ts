import type { InnkeeperStore } from '@innkeeper/core';
import type { Scheduler } from 'fast-check';

/**
 * Wraps a store so that every port call waits for the fast-check scheduler before it
 * reaches the store.
 *
 * Scheduling only the engine calls is not enough: `scheduleFunction` and friends delay
 * when a result is *seen*, while the work itself starts at once, so the store would still
 * receive calls in program order. Holding each port call at the door instead lets the
 * scheduler decide the order in which the engine's reads (`readStay`, `getReservation`)
 * and writes (`applyBooking`, `changeReservation`, ...) of different calls reach the
 * store — exactly the interleavings a store without a real atomic section gets wrong.
 *
 * The store's own work is not scheduled: a store must be correct however its calls are
 * interleaved, and what happens inside one call is its business.
 */
export function scheduleStoreCalls(store: InnkeeperStore, s: Scheduler): InnkeeperStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        await s.schedule(Promise.resolve(`store.${property}(${summarize(property, args)})`));
        return value.apply(target, args);
      };
    },
  });
}

/** A few words on a port call's arguments, so the scheduler's report reads as a story. */
function summarize(method: string, args: unknown[]): string {
  // changeReservation(id, decide): the decider is a closure, its source no story.
  if (method === 'changeReservation') return String(args[0]);
  const [first] = args as [Record<string, unknown> | undefined];
  if (!first || typeof first !== 'object') return args.map((a) => String(a)).join(', ');
  switch (method) {
    case 'applyBooking': {
      const { reservation } = first as {
        reservation: {
          id: string;
          idempotencyKey: string;
          checkIn: string;
          checkOut: string;
          lines: { roomTypeId: string; rooms: number }[];
        };
      };
      const lines = reservation.lines.map((l) => `${l.roomTypeId}x${l.rooms}`).join('+');
      return `${reservation.id} key=${reservation.idempotencyKey} ${lines} ${reservation.checkIn}..${reservation.checkOut}`;
    }
    case 'readStay':
      return `${String(first.roomTypeIds ?? '*')} ${String(first.from)}..${String(first.to)}`;
    case 'expireHolds':
      return `now=${String(first.now)}`;
    default:
      return 'reservationId' in first ? String(first.reservationId) : '';
  }
}
