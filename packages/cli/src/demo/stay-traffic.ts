import {
  addDays,
  createWorker,
  type Innkeeper,
  type ManualClock,
  type Reservation,
} from '@innkeeper/core';
import type { Random } from '../seeded-random.js';
import { yieldIfDue } from './booking-client.js';
import type { TrafficMix } from './demo-scale.js';
import { attempt, changeStay, type Desk, extend, onArrival } from './guest-requests.js';
import { moneyDelta, type StayCounters } from './stay-counters.js';

/**
 * Rows per page of a front desk list. At the demo's scale a hotel sees about one arrival
 * a day and a few guests in house, so a desk screen's page of 20 would never fill; pages
 * of 2 make every list with a few guests follow `nextCursor`, as a busy day's would.
 */
const PAGE = 2;
/**
 * Guests arriving this many days ahead call the desk to change their stay: outside the
 * flexible plan's 48 hours, so a night less is refunded whole (on arrival it is kept).
 */
const CALLS_AHEAD_DAYS = 3;

export interface StayTrafficInput {
  inn: Innkeeper;
  clock: ManualClock;
  random: Random;
  /** The shares of guests who do each thing (`noShowRate`, `earlyDepartureRate`, ...). */
  mix: TrafficMix;
  hotelIds: readonly string[];
  /** The first night of inventory: day 0. */
  start: string;
  days: number;
  /** Front desks working at once (hotels served concurrently). */
  desks: number;
  counters: StayCounters;
  /** Called after each hotel's day, for the progress bar. */
  onHotelDay?: () => void;
  signal?: AbortSignal | undefined;
}

/**
 * The front desk's days after the booking day: the guests of the first `days` nights
 * arrive, stay, change their stays and leave, as a hotel sees it. The desk does not know
 * its guests from the booking day: it reads them from its lists, today's departures, who
 * is in house, today's arrivals (and those of a few days ahead), page by page. Each day at noon UTC (morning in New York,
 * evening in Tokyo: the same date at every hotel of the chain, and arrival is open at all
 * of them): departures are checked out and a few guests staying over leave early or ask
 * for a night more; arrivals are checked in and ask for their changes. At night the
 * guests who never came are marked no-show by the maintenance worker's night audit, which
 * also settles what the gateway left pending.
 */
export async function runStayTraffic(input: StayTrafficInput): Promise<void> {
  const { inn, clock, counters: c } = input;
  const desk: Desk = { inn, random: input.random, mix: input.mix, counters: c };
  // The night audit is the worker's `no-shows` job: at 06:00 UTC (below) an arrival whose
  // check-in time passed 6 hours ago or more is due. That is every arrival of the day in
  // every zone of the chain (New York's 15:00 was 10 hours ago), and none of the next
  // day's (Tokyo's 15:00 the next day is 06:00 UTC: 0 hours ago).
  const worker = createWorker(inn, { now: () => clock.now(), noShowAfterHours: 6 });
  for (let k = 0; k < input.days && !input.signal?.aborted; k++) {
    const date = addDays(input.start, k);
    clock.set(`${date}T12:00:00.000Z`);
    const absent: Reservation[] = [];
    let next = 0;
    const serve = async () => {
      while (!input.signal?.aborted && next < input.hotelIds.length) {
        const hotelId = input.hotelIds[next++] as string;
        await hotelDay(desk, hotelId, date, absent);
        input.onHotelDay?.();
        await yieldIfDue();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, input.desks) }, serve));

    // A no-show is marked only once the check-in time (15:00) has passed on the arrival
    // date at the hotel: 06:00 UTC the next day is after it in every zone of the chain
    // (01:00 in New York, 15:00 the next day in Tokyo), the night audit's hour.
    clock.set(`${addDays(date, 1)}T06:00:00.000Z`);
    const audit = await worker.runOnce('no-shows');
    // The job marks exactly the guests who did not come: each is looked up for its money.
    if (audit.marked !== absent.length) c.failures += Math.abs((audit.marked ?? 0) - absent.length);
    for (const r of absent) {
      const marked = await attempt(desk, () => inn.getReservation(r.id));
      if (typeof marked === 'string' || marked.status !== 'no-show') {
        c.failures++;
        continue;
      }
      c.noShows++;
      const moved = moneyDelta(r, marked);
      c.money.refundedNoShows += moved.refunded;
      c.money.keptNoShows += moved.kept;
    }
    await worker.runOnce('recover-payments');
  }
}

/**
 * One hotel's day at the desk: departures first (rooms to clean), then the guests staying
 * over, the arrivals, and the calls of guests arriving in a few days.
 */
async function hotelDay(desk: Desk, hotelId: string, date: string, absent: Reservation[]) {
  const { inn, random, mix, counters: c } = desk;
  for (const r of await listAll(desk, 'listDepartures', hotelId, date)) {
    // The departures list also holds the guests who already left today.
    if (r.status === 'checked-in') await checkOut(desk, r, date);
  }
  for (const r of await listAll(desk, 'listInHouse', hotelId, date)) {
    // Staying over tonight: now and then a guest leaves early or asks for a night more.
    if (r.status !== 'checked-in' || r.checkOut <= date) continue;
    const draw = random();
    if (draw < mix.earlyDepartureRate) await checkOut(desk, r, date);
    else if (draw < mix.earlyDepartureRate + mix.inHouseExtensionRate) await extend(desk, r);
  }
  for (const r of await listAll(desk, 'listArrivals', hotelId, date)) {
    if (r.status !== 'confirmed') continue;
    c.arrivalsDue++;
    // Those who never come are marked at night, once the check-in time has passed.
    if (random() < mix.noShowRate) {
      absent.push(r);
      continue;
    }
    const arrived = await attempt(desk, () => inn.checkIn({ reservationId: r.id }));
    if (typeof arrived === 'string') {
      c.failures++;
      continue;
    }
    c.checkIns++;
    await onArrival(desk, arrived);
  }
  const ahead = addDays(date, CALLS_AHEAD_DAYS);
  for (const r of await listAll(desk, 'listArrivals', hotelId, ahead)) {
    if (r.status === 'confirmed') await changeStay(desk, r);
  }
}

/**
 * A check-out. Before the booked departure it is an early departure: the nights from
 * today are released, the terms captured at booking keep their penalty on them, and the
 * rest is refunded through the gateway.
 */
async function checkOut(desk: Desk, r: Reservation, date: string): Promise<void> {
  const c = desk.counters;
  const out = await attempt(desk, () => desk.inn.checkOut({ reservationId: r.id }));
  if (typeof out === 'string') {
    c.failures++;
    return;
  }
  if (r.checkOut <= date) {
    c.checkOuts++;
    return;
  }
  c.earlyDepartures++;
  const moved = moneyDelta(r, out);
  c.money.refundedEarlyDepartures += moved.refunded;
  c.money.keptEarlyDepartures += moved.kept;
}

/**
 * Reads a whole list of the hotel on the date, following `nextCursor`, before the desk
 * acts on any of it (its moves change the lists it reads).
 */
async function listAll(
  desk: Desk,
  list: 'listArrivals' | 'listDepartures' | 'listInHouse',
  hotelId: string,
  date: string,
): Promise<Reservation[]> {
  const all: Reservation[] = [];
  let cursor: string | undefined;
  do {
    const page = { hotelId, date, limit: PAGE, ...(cursor ? { cursor } : {}) };
    const { items, nextCursor } = await desk.inn[list](page);
    desk.counters.listPages++;
    if (cursor) desk.counters.cursorPages++;
    all.push(...items);
    cursor = nextCursor ?? undefined;
  } while (cursor);
  return all;
}
