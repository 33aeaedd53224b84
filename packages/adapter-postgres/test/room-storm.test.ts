import { fileURLToPath } from 'node:url';
import { bookingRequest, createFixture, day, HOTEL_ID, roomProblems } from '@innkeeper/conformance';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { forkWorker, killWorkers } from './support/fork-worker.js';
import { databaseUrl, dropSchema, freshSchema, newPool } from './support/test-database.js';
import type { RoomStormJob, RoomStormReport } from './workers/room-storm-worker.js';

/**
 * Four app-server processes racing to give the same six rooms to the same reservations
 * (assign, move, unassign, automatic assignment, cancellations and modifications among
 * them). Afterwards no room-night may be held by two reservations, checked by a query
 * over the reservations' own documents, and the room-night table must be exactly what
 * they claim.
 */

const WORKER = fileURLToPath(new URL('./workers/room-storm-worker.ts', import.meta.url));
const STORM_MS = 5_000;

const admin = newPool(4);
let schema = '';

beforeAll(async () => {
  schema = await freshSchema(admin, 'room_storm');
});
afterAll(async () => {
  killWorkers();
  await dropSchema(admin, schema);
  await admin.end();
});

test('four processes racing for six rooms: every call ends in a result or a refusal, and no room-night is held twice', async () => {
  const base = createPostgresStore({ pool: admin }, { schema });
  const { inn } = await createFixture(base);
  const roomIds: string[] = [];
  for (let n = 1; n <= 6; n++) {
    const room = await inn.createRoom({
      hotelId: HOTEL_ID,
      id: `r${n}`,
      number: String(100 + n),
      roomTypeId: 'std',
    });
    roomIds.push(room.id);
  }
  const reservationIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const from = 1 + (i % 3);
    const r = await inn.book(bookingRequest({ checkIn: day(from), checkOut: day(from + 2) }));
    reservationIds.push(r.id);
  }
  const jobs: RoomStormJob[] = ['a', 'b', 'c', 'd'].map((name) => ({
    url: databaseUrl(),
    schema,
    name,
    durationMs: STORM_MS,
    callers: 3,
    reservationIds,
    roomIds,
  }));
  const exits = await Promise.all(
    jobs.map((job) => forkWorker<RoomStormReport>(WORKER, job, STORM_MS + 20_000)),
  );
  for (const exit of exits) {
    expect(
      { code: exit.code, signal: exit.signal, reports: exit.messages.length },
      `worker stderr:\n${exit.stderr}`,
    ).toEqual({ code: 0, signal: null, reports: 1 });
  }
  const reports = exits.map((exit) => exit.messages[0] as RoomStormReport);
  expect(reports.flatMap((r) => r.unexpected)).toEqual([]);
  const assigned = reports.reduce((sum, r) => sum + (r.done.assign ?? 0) + (r.done.move ?? 0), 0);
  const taken = reports.reduce((sum, r) => sum + (r.refused['assign CONFLICT'] ?? 0), 0);
  // The storm did what it is for: rooms were given and taken, and races were refused.
  expect(assigned, JSON.stringify(reports)).toBeGreaterThan(20);
  expect(taken, JSON.stringify(reports)).toBeGreaterThan(5);

  // No room-night twice, from the reservations' own documents: every night of every
  // assignment of a reservation that still holds its nights, counted per room and night.
  const { rows } = await admin.query<{ room_id: string; night: string; holders: number }>(
    `SELECT a ->> 'roomId' AS room_id, n::date::text AS night,
            count(DISTINCT r.reservation_id)::int AS holders
       FROM "${schema}".reservations r,
            jsonb_array_elements(coalesce(r.data -> 'rooms', '[]')) AS a,
            generate_series((a ->> 'from')::date, (a ->> 'to')::date - 1, interval '1 day') AS n
      WHERE r.status IN ('held', 'confirmed', 'checked-in', 'checked-out')
      GROUP BY 1, 2
     HAVING count(DISTINCT r.reservation_id) > 1`,
  );
  expect(rows).toEqual([]);
  expect(await roomProblems(base)).toEqual([]);
}, 60_000);
