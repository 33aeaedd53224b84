/**
 * A child process of `room-storm.test.ts`: an app server giving rooms to the test's
 * reservations for `durationMs` (assign, move, unassign, automatic assignment, and now
 * and then a cancellation or a modification), all its callers racing the other
 * processes for the same rooms, then reporting what its calls returned.
 */

import { day, HOTEL_ID, TODAY } from '@innkeeper/conformance';
import { createInnkeeper, createManualClock, isInnkeeperError } from '@innkeeper/core';
import { createPostgresStore } from '../../src/index.js';

export interface RoomStormJob {
  url: string;
  schema: string;
  name: string;
  durationMs: number;
  callers: number;
  reservationIds: string[];
  roomIds: string[];
}

export interface RoomStormReport {
  name: string;
  done: Record<string, number>;
  refused: Record<string, number>;
  unexpected: string[];
}

const job = JSON.parse(process.argv[2] ?? '') as RoomStormJob;
const store = createPostgresStore(
  { connectionString: job.url, poolSize: 4 },
  { schema: job.schema },
);
const inn = createInnkeeper({ store, clock: createManualClock(`${TODAY}T12:00:00.000Z`) });
const report: RoomStormReport = { name: job.name, done: {}, refused: {}, unexpected: [] };
const count = (tally: Record<string, number>, key: string) => {
  tally[key] = (tally[key] ?? 0) + 1;
};

let seed = job.name.length * 7_919 + job.name.charCodeAt(job.name.length - 1);
const random = () => {
  seed = (seed * 16_807) % 2_147_483_647;
  return seed / 2_147_483_647;
};
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;

// Cancellation is final, so only the last three reservations are ever cancelled: the
// other seven stay in play for the whole storm and keep the races for rooms going,
// however the processes' timing falls.
const cancellable = job.reservationIds.slice(-3);

async function one(): Promise<void> {
  let reservationId = pick(job.reservationIds);
  const roomId = pick(job.roomIds);
  const roll = random();
  const op =
    roll < 0.45
      ? 'assign'
      : roll < 0.65
        ? 'move'
        : roll < 0.8
          ? 'unassign'
          : roll < 0.9
            ? 'assignRooms'
            : roll < 0.95
              ? 'modify'
              : 'cancel';
  try {
    if (op === 'assign') await inn.assignRoom({ reservationId, roomId });
    else if (op === 'move') {
      const r = await inn.getReservation(reservationId);
      const from = r.rooms?.[0]?.roomId ?? roomId;
      await inn.moveRoom({ reservationId, fromRoomId: from, toRoomId: roomId, from: r.checkIn });
    } else if (op === 'unassign') await inn.unassignRoom({ reservationId, roomId });
    else if (op === 'assignRooms') {
      await inn.assignRooms({ hotelId: HOTEL_ID, date: day(1 + Math.floor(random() * 3)) });
    } else if (op === 'modify') {
      const from = 1 + Math.floor(random() * 3);
      await inn.modify({ reservationId, checkIn: day(from), checkOut: day(from + 2) });
    } else {
      reservationId = pick(cancellable);
      await inn.cancel({ reservationId });
    }
    count(report.done, op);
  } catch (error) {
    if (
      isInnkeeperError(error) &&
      ['CONFLICT', 'VALIDATION', 'INVALID_STATE', 'SOLD_OUT'].includes(error.code)
    ) {
      count(report.refused, `${op} ${error.code}`);
    } else report.unexpected.push(`${op}: ${String(error)}`);
  }
}

const until = Date.now() + job.durationMs;
try {
  await Promise.all(
    Array.from({ length: job.callers }, async () => {
      while (Date.now() < until) await one();
    }),
  );
} catch (error) {
  report.unexpected.push(`worker: ${String(error)}`);
} finally {
  await store.close();
}
await new Promise<void>((resolve, reject) =>
  process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())),
);
