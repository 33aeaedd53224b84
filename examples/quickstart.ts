/**
 * Innkeeper quickstart: one hotel, driven by a manual clock, on the embedded SQLite store
 * (a fresh file in a temporary folder) or, with `--store memory`, the in-memory store.
 * Run it from the repository root with `pnpm example` (or `pnpm example -- --store memory`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMemoryStore } from '@innkeeper/adapter-memory';
import { createSqliteStore } from '@innkeeper/adapter-sqlite';
import {
  createInnkeeper,
  createManualClock,
  type InnkeeperStore,
  isInnkeeperError,
} from '@innkeeper/core';

const hotelId = 'lisbon-riverside';
const eur = (minor: number) => `EUR ${(minor / 100).toFixed(2)}`;

/** Runs the tour, sends a readable summary to `log`, and returns what it saw. */
export async function main(
  log: (line: string) => void = console.log,
  store: InnkeeperStore = createMemoryStore(),
) {
  // 10:00 in Lisbon on 1 March 2030. "Today" at the hotel comes from this clock, never Date.now().
  const clock = createManualClock('2030-03-01T10:00:00Z');
  let nextId = 0;
  const inn = createInnkeeper({ store, clock, generateId: () => `res-${++nextId}` });

  // Money is integer minor units (cents). Overbooking defaults to 10% of each date's total.
  await inn.createHotel({
    id: hotelId,
    name: 'Riverside',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const double = { hotelId, id: 'double', name: 'Double', maxAdults: 2, maxChildren: 1 };
  await inn.createRoomType({ ...double, baseRate: 12_000 });
  await inn.createRoomType({ hotelId, id: 'suite', name: 'Suite', maxAdults: 2, baseRate: 30_000 });
  // Calendar ranges are inclusive. 10 doubles may sell 11 (floor(10 * 10%) = 1); 1 suite sells 1.
  const march = { hotelId, from: '2030-03-01', to: '2030-03-31' };
  await inn.setInventory({ ...march, roomTypeId: 'double', total: 10 });
  await inn.setInventory({ ...march, roomTypeId: 'suite', total: 1 });
  const weekend = { hotelId, roomTypeId: 'double', from: '2030-03-15', to: '2030-03-16' };
  await inn.setRates({ ...weekend, amount: 15_000 });

  // Stays are half-open: 14 → 17 March occupies the nights of the 14th, 15th and 16th.
  const stay = { hotelId, checkIn: '2030-03-14', checkOut: '2030-03-17' };
  const found = await inn.search({ ...stay, adults: 2 });
  log(`Search ${stay.checkIn} → ${stay.checkOut}, ${found.nights} nights:`);
  for (const o of found.offers) {
    const left = `${o.roomsLeft} left, ${o.roomsLeftIncludingOverbooking} with overbooking`;
    log(`  ${o.name}: ${left}, ${eur(o.pricePerRoom)} per room`);
  }

  // Every booking carries the client's idempotency key; a retry returns the same reservation.
  // (The retry still draws an id, res-2, for its plan before the store answers with res-1.)
  const ana = { name: 'Ana Sousa', email: 'ana@example.com' };
  const lines = [{ roomTypeId: 'double', rooms: 2, adults: 2 }];
  const order = { ...stay, idempotencyKey: 'order-1001', guest: ana, lines };
  const booked = await inn.book(order);
  const retried = await inn.book(order);
  log(`Booked ${booked.id} (2 doubles, ${eur(booked.total)}); the retry returned ${retried.id}`);

  // A hold reserves rooms until its TTL runs out (expireHolds() releases it); confirm() sells it.
  clock.advance(60_000);
  const suiteLine = [{ roomTypeId: 'suite', adults: 2 }];
  const cart = { ...stay, idempotencyKey: 'cart-77', guest: ana, lines: suiteLine };
  const held = await inn.hold({ ...cart, ttlSeconds: 600 });
  const confirmed = await inn.confirm({ reservationId: held.id });
  log(`Held ${held.id} until ${held.holdExpiresAt}, then ${confirmed.status}`);

  // One atomic step; nights already sold keep their price even though the rate went up since.
  await inn.setRates({ ...weekend, from: '2030-03-14', to: '2030-03-14', amount: 20_000 });
  const modified = await inn.modify({ reservationId: booked.id, checkOut: '2030-03-18' });
  const nights = modified.lines[0]?.nights.map((n) => `${n.date} ${eur(n.amount)}`) ?? [];
  log(`Modified ${modified.id} to ${modified.checkOut}: ${eur(modified.total)}`);
  log(`  per room: ${nights.join(', ')}`);
  const history = (await inn.getReservationHistory(booked.id)).map((h) => h.action);
  log(`  history: ${history.join(' → ')}`);

  // Cancelling twice is safe: the second call returns the reservation and releases nothing.
  clock.advance(60_000);
  const night = { hotelId, checkIn: '2030-03-20', checkOut: '2030-03-21', guest: ana };
  const extra = await inn.book({ ...night, idempotencyKey: 'order-1002', lines });
  const cancelled = await inn.cancel({ reservationId: extra.id, reason: 'plans changed' });
  const again = await inn.cancel({ reservationId: extra.id });
  log(`Cancelled ${cancelled.id}; cancelling again left it at version ${again.version}`);

  // Listings are newest first and paged with an opaque cursor.
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const query = { guestEmail: 'ANA@example.com', limit: 2, ...(cursor ? { cursor } : {}) };
    const page = await inn.listReservations(query);
    pages.push(page.items.map((r) => `${r.id} ${r.status}`));
    cursor = page.nextCursor;
  } while (cursor);
  log(`Ana's reservations: ${pages.map((p) => `[${p.join(', ')}]`).join(' ')}`);

  // Failures are InnkeeperErrors: branch on `code`, read the structured `details`.
  const bo = { name: 'Bo Lind', email: 'bo@example.com' };
  let soldOut: unknown;
  try {
    await inn.book({ ...cart, idempotencyKey: 'order-2001', guest: bo });
  } catch (error) {
    if (!isInnkeeperError(error, 'SOLD_OUT')) throw error;
    soldOut = error.details.nights;
    log(`SOLD_OUT: ${error.details.nights.map((n) => `${n.date} ${n.reason}`).join(', ')}`);
  }
  let issues: unknown;
  try {
    const badLines = [{ roomTypeId: 'double', adults: 0 }];
    await inn.book({
      ...order,
      idempotencyKey: 'order-2002',
      checkIn: '2030-02-30',
      lines: badLines,
    });
  } catch (error) {
    if (!isInnkeeperError(error, 'VALIDATION')) throw error;
    issues = error.details.issues;
    for (const i of error.details.issues) log(`VALIDATION at ${i.path.join('.')}: ${i.message}`);
  }

  // The audit recomputes `reserved` from the reservations; the change feed records every change.
  const audit = await inn.audit();
  const events = (await inn.readEvents()).map((e) => e.type);
  log(
    `Audit: ${audit.ok ? 'ok' : 'DRIFT'}, ${audit.rowsChecked} rows, ${audit.findings.length} findings`,
  );
  log(`Change feed: ${events.length} events, ending ${events.slice(-2).join(', ')}`);
  await inn.close();

  const offers = found.offers.map((o) => [o.roomTypeId, o.roomsLeftIncludingOverbooking, o.total]);
  return {
    offers,
    booking: { id: booked.id, total: booked.total, retriedId: retried.id },
    hold: [held.status, confirmed.status],
    modified: { checkOut: modified.checkOut, total: modified.total, nights, history },
    cancelled: { status: cancelled.status, versions: [cancelled.version, again.version] },
    pages,
    soldOut,
    issues,
    audit: { ok: audit.ok, findings: audit.findings.length },
    events,
  };
}

// Run only when executed directly (`pnpm example`), not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const useMemory = process.argv.includes('memory');
  const filename = join(mkdtempSync(join(tmpdir(), 'innkeeper-demo-')), 'innkeeper.db');
  const store = useMemory ? createMemoryStore() : createSqliteStore({ filename });
  console.log(useMemory ? 'Store: in memory' : `Store: SQLite file ${filename}`);
  try {
    await main(console.log, store);
  } finally {
    await store.close();
  }
}
