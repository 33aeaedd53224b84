import {
  addDays,
  createWorker,
  type Innkeeper,
  isInnkeeperError,
  type ManualClock,
  type Reservation,
} from '@innkeeper/core';
import type { Random } from '../seeded-random.js';

/**
 * The front desk's days after the booking day: the guests of the first `days` nights
 * arrive, stay, change their stays and leave, as a hotel sees it. Each day at noon UTC
 * (morning in New York, evening in Tokyo: the same date at every hotel of the chain):
 * departures are checked out, some guests leave early, arrivals are checked in, some
 * extend (a top-up through the gateway, now and then declined) or shorten (a refund),
 * some details are corrected; at night the guests who never came are marked no-show,
 * and the maintenance worker settles what the gateway left pending.
 */
export interface StayCounters {
  /** Confirmed stays that were due to arrive on the days played. */
  arrivalsDue: number;
  checkIns: number;
  /** Checked out on the booked departure date. */
  checkOuts: number;
  /** Checked out before it: the remaining nights released, refunded by the captured terms. */
  earlyDepartures: number;
  noShows: number;
  /** Extensions by a night: charged as a top-up, or declined and undone. */
  extensions: number;
  extensionsDeclined: number;
  /** Extensions refused because the next night was sold out. */
  extensionsSoldOut: number;
  shortenings: number;
  corrections: number;
  /** Any other refusal or failure of a front desk call: a demo or engine bug if not 0. */
  failures: number;
}

export function emptyStayCounters(): StayCounters {
  return {
    arrivalsDue: 0,
    checkIns: 0,
    checkOuts: 0,
    earlyDepartures: 0,
    noShows: 0,
    extensions: 0,
    extensionsDeclined: 0,
    extensionsSoldOut: 0,
    shortenings: 0,
    corrections: 0,
    failures: 0,
  };
}

/** The shares of guests who do each thing. */
const NO_SHOW = 0.06;
const EARLY_DEPARTURE = 0.05;
const EXTENSION = 0.08;
const SHORTENING = 0.04;
const CORRECTION = 0.05;

export interface StayDaysInput {
  inn: Innkeeper;
  clock: ManualClock;
  random: Random;
  /** The first night of inventory: day 0. */
  start: string;
  days: number;
  /** Reservations arriving on the days played (any status: cancelled ones are skipped). */
  arrivals: readonly string[];
  counters: StayCounters;
  signal?: AbortSignal | undefined;
}

export async function runStayDays(input: StayDaysInput): Promise<void> {
  const { inn, clock, random, counters: c } = input;
  const byArrival = new Map<string, string[]>();
  for (const id of input.arrivals) {
    const r = await inn.getReservation(id);
    if (r.status !== 'confirmed') continue;
    byArrival.set(r.checkIn, [...(byArrival.get(r.checkIn) ?? []), id]);
  }
  const inHouse = new Set<string>();
  const worker = createWorker(inn, { now: () => clock.now() });
  /** Runs a front desk call; an expected refusal is returned, anything else counted. */
  const attempt = async (call: () => Promise<Reservation>): Promise<Reservation | string> => {
    try {
      return await call();
    } catch (error) {
      if (isInnkeeperError(error)) return error.code;
      c.failures++;
      return 'UNEXPECTED';
    }
  };

  for (let k = 0; k < input.days && !input.signal?.aborted; k++) {
    const date = addDays(input.start, k);
    clock.set(`${date}T12:00:00.000Z`);

    // Morning: departures, and a few guests leaving before their booked date.
    for (const id of [...inHouse]) {
      const r = await inn.getReservation(id);
      const due = r.checkOut <= date;
      if (!due && !(r.checkIn < date && random() < EARLY_DEPARTURE)) continue;
      const out = await attempt(() => inn.checkOut({ reservationId: id }));
      if (typeof out === 'string') c.failures++;
      else if (due) c.checkOuts++;
      else c.earlyDepartures++;
      inHouse.delete(id);
    }

    // Afternoon: arrivals. Those who never come are marked at night.
    const expected = byArrival.get(date) ?? [];
    c.arrivalsDue += expected.length;
    const absent: string[] = [];
    for (const id of expected) {
      if (random() < NO_SHOW) {
        absent.push(id);
        continue;
      }
      const arrived = await attempt(() => inn.checkIn({ reservationId: id }));
      if (typeof arrived === 'string') {
        c.failures++;
        continue;
      }
      c.checkIns++;
      inHouse.add(id);
      await changeStay(inn, arrived, random, c, attempt);
    }

    // Night: the no-shows (after every hotel's check-in time), then the worker's sweep.
    clock.set(`${addDays(date, 1)}T06:00:00.000Z`);
    for (const id of absent) {
      const marked = await attempt(() => inn.markNoShow({ reservationId: id }));
      if (typeof marked === 'string') c.failures++;
      else c.noShows++;
    }
    await worker.runOnce('recover-payments');
  }
}

/** What a guest just checked in may ask for: a night more, a night less, a correction. */
async function changeStay(
  inn: Innkeeper,
  r: Reservation,
  random: Random,
  c: StayCounters,
  attempt: (call: () => Promise<Reservation>) => Promise<Reservation | string>,
): Promise<void> {
  const draw = random();
  if (draw < EXTENSION) {
    const checkOut = addDays(r.checkOut, 1);
    const extended = await attempt(() => inn.modify({ reservationId: r.id, checkOut }));
    if (typeof extended !== 'string') c.extensions++;
    else if (extended === 'PAYMENT_FAILED') c.extensionsDeclined++;
    else if (extended === 'SOLD_OUT') c.extensionsSoldOut++;
    else c.failures++;
  } else if (draw < EXTENSION + SHORTENING && r.lines[0] && r.lines[0].nights.length >= 3) {
    const checkOut = addDays(r.checkOut, -1);
    const shorter = await attempt(() => inn.modify({ reservationId: r.id, checkOut }));
    if (typeof shorter === 'string') c.failures++;
    else c.shortenings++;
  }
  if (random() < CORRECTION) {
    const corrected = await attempt(() =>
      inn.updateReservationDetails({
        reservationId: r.id,
        externalRef: `OTA-${r.id}`,
        notes: 'late arrival, quiet room',
      }),
    );
    if (typeof corrected === 'string') c.failures++;
    else c.corrections++;
  }
}
