import {
  addDays,
  type Innkeeper,
  isInnkeeperError,
  type ManualClock,
  type Reservation,
} from '@innkeeper/core';
import type { ChainShape } from '../chain-shape.js';
import { hotelId, SAVER_PLAN } from '../chain-shape.js';
import type { LatencyRecorder } from '../latency-recorder.js';
import type { Random } from '../seeded-random.js';
import type { BookingTraffic, StayRequest } from './booking-traffic.js';
import type { DemoCounters, DemoMoney } from './demo-counters.js';
import type { DemoGateway } from './demo-gateway.js';
import type { TrafficMix } from './demo-scale.js';
import { CLIENT_SIDE_DECLINES } from './payment-wiring.js';

/**
 * In-process stores (memory, SQLite) answer within microtasks, so clients awaiting them
 * never give the event loop a turn: no progress redraw, no Ctrl-C. A client that has run
 * this long without a macrotask yields one.
 */
const YIELD_EVERY_MS = 25;
let lastYield = performance.now();

export async function yieldIfDue(): Promise<void> {
  if (performance.now() - lastYield < YIELD_EVERY_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastYield = performance.now();
}

/** What all clients of one run share: the engine, the next attempt number, the tallies. */
export interface BookingDay {
  inn: Innkeeper;
  shape: ChainShape;
  traffic: BookingTraffic;
  gateway: DemoGateway;
  mix: TrafficMix;
  random: Random;
  clock: ManualClock;
  /** Milliseconds the simulated clock moves per attempt, so the day passes as the run does. */
  msPerAttempt: number;
  counters: DemoCounters;
  money: DemoMoney;
  bookLatency: LatencyRecorder;
  cancelLatency: LatencyRecorder;
  /** Reservations chosen to be cancelled later in the day, oldest first. */
  toCancel: string[];
  /** Holds made and left (the worker must expire every one). */
  abandonedIds: string[];
  /** Bookings whose payment answer was lost (the worker's recovery settles them). */
  unsettled: string[];
  /** Cancels wait in the queue until it is this long, so they land well after the booking. */
  cancelBacklog: number;
  plannedAttempts: number;
  nextAttempt: number;
  runId: string;
  signal: AbortSignal | undefined;
  /** Called after every request, for the progress bar. */
  onRequest: () => void;
}

/** An answer to `book`, reduced to what the counters and the replay check compare. */
type Answer =
  | { ok: true; id: string; reservation?: Reservation }
  | { ok: false; code: string; reservationId?: string };

/** `PAYMENT_FAILED` with outcome `unknown`: the charge may have been taken. */
const PAYMENT_UNKNOWN = 'PAYMENT_UNKNOWN';

/**
 * One simulated client: takes the next attempt number, books, now and then replays the
 * same request or cancels an earlier booking, until the day's attempts are used up or
 * the run is interrupted; then (unless interrupted) it works off the cancellations.
 * Clients are async loops in one process, so their requests interleave at every await.
 */
export async function runBookingClient(day: BookingDay): Promise<void> {
  while (!day.signal?.aborted && day.nextAttempt < day.plannedAttempts) {
    const attempt = day.nextAttempt++;
    day.clock.advance(day.msPerAttempt);
    const stay = day.traffic.next();
    if (day.random() < day.mix.abandonRate) await holdAndLeave(day, attempt, stay);
    else await bookOnce(day, attempt, stay);
    if (day.toCancel.length > day.cancelBacklog) await cancelOldest(day);
    await yieldIfDue();
  }
  while (!day.signal?.aborted && day.toCancel.length > 0) {
    await cancelOldest(day);
    await yieldIfDue();
  }
}

async function bookOnce(day: BookingDay, attempt: number, stay: StayRequest): Promise<void> {
  const key = `${day.runId}-${attempt}`;
  const replayDraw = day.random();
  const replay = replayDraw < day.mix.replayRate;
  const raced = replayDraw < day.mix.replayRate / 2;
  day.counters.attempts++;
  let first: Answer;
  let second: Answer | undefined;
  if (CLIENT_SIDE_DECLINES && day.gateway.declines(key)) {
    // The checkout's card authorisation failed: the client never calls book. A retry with
    // the same key meets the same verdict, since the gateway answers by key.
    first = { ok: false, code: 'PAYMENT_FAILED' };
    if (replay) second = day.gateway.declines(key) ? first : { ok: true, id: '?' };
  } else if (raced) {
    [first, second] = await Promise.all([timedBook(day, key, stay), timedBook(day, key, stay)]);
  } else {
    first = await timedBook(day, key, stay);
    if (replay) second = await timedBook(day, key, stay);
  }
  count(day, first);
  if (second) {
    day.counters.replays++;
    if (raced) day.counters.racedReplays++;
    const same = sameAnswer(first, second);
    if (same) day.counters.replaysConsistent++;
    else day.counters.replayMismatches++;
  }
  if (first.ok && day.random() < day.mix.cancelRate) day.toCancel.push(first.id);
}

/**
 * Whether a replay answered as the original did: the same reservation, or the same
 * refusal. A lost payment answer and the reservation it left (settled by the other
 * request's charge with the same key) are the same booking.
 */
function sameAnswer(first: Answer, second: Answer): boolean {
  const idOf = (a: Answer) => (a.ok ? a.id : a.code === PAYMENT_UNKNOWN ? a.reservationId : null);
  const lost = (a: Answer) => !a.ok && a.code === PAYMENT_UNKNOWN;
  if (lost(first) || lost(second)) return idOf(first) === idOf(second);
  return first.ok ? second.ok && second.id === first.id : !second.ok && second.code === first.code;
}

function count(day: BookingDay, answer: Answer): void {
  const c = day.counters;
  if (answer.ok) {
    c.created++;
    if (answer.reservation) tallyReservation(day, answer.reservation);
    return;
  }
  if (answer.code === PAYMENT_UNKNOWN) {
    c.paymentUnknown++;
    if (answer.reservationId) day.unsettled.push(answer.reservationId);
    return;
  }
  if (answer.code === 'SOLD_OUT') c.soldOut++;
  else if (answer.code === 'PAYMENT_FAILED') c.declined++;
  else if (answer.code === 'STORAGE' || answer.code === 'UNEXPECTED') c.failed++;
  else c.rejected++;
}

/** A booking's nights, plan and money in the tallies (once per reservation). */
export function tallyReservation(
  day: Pick<BookingDay, 'counters' | 'money'>,
  r: Reservation,
): void {
  const c = day.counters;
  for (const line of r.lines) {
    c.roomNightsBooked += line.rooms * line.nights.length;
    if (line.ratePlanId === SAVER_PLAN) c.saverBookings++;
    else c.flexBookings++;
  }
  if (r.payment?.status === 'charged') {
    day.money.charged += r.payment.amount;
    day.money.roomCharge += r.roomCharge;
    day.money.taxes += r.taxTotal;
  }
}

/**
 * A guest who gets as far as a hold (the rooms kept for 10 minutes while they pay) and
 * leaves: nobody confirms or cancels it; the maintenance worker expires it.
 */
async function holdAndLeave(day: BookingDay, attempt: number, stay: StayRequest): Promise<void> {
  day.counters.attempts++;
  const key = `${day.runId}-${attempt}`;
  const answer = await timedBook(day, key, stay, 600);
  if (answer.ok) {
    day.counters.abandoned++;
    day.abandonedIds.push(answer.id);
  } else {
    count(day, answer);
  }
}

async function timedBook(
  day: BookingDay,
  key: string,
  stay: StayRequest,
  holdSeconds?: number,
): Promise<Answer> {
  const roomType = day.shape.roomTypes[stay.roomType];
  const checkIn = addDays(day.shape.start, stay.checkInDay);
  const started = performance.now();
  let answer: Answer;
  try {
    const request = {
      idempotencyKey: key,
      hotelId: hotelId(stay.hotel),
      checkIn,
      checkOut: addDays(checkIn, stay.nights),
      lines: [
        {
          roomTypeId: roomType?.id ?? '?',
          ratePlanId: stay.ratePlanId,
          rooms: stay.rooms,
          adults: stay.adults,
        },
      ],
      guest: { name: `Guest ${key}`, email: `${key}@guests.example` },
    };
    const reservation =
      holdSeconds === undefined
        ? await day.inn.book(request)
        : await day.inn.hold({ ...request, ttlSeconds: holdSeconds });
    answer = { ok: true, id: reservation.id, reservation };
  } catch (error) {
    if (isInnkeeperError(error, 'PAYMENT_FAILED') && error.details.outcome === 'unknown') {
      answer = { ok: false, code: PAYMENT_UNKNOWN, reservationId: error.details.reservationId };
    } else {
      answer = { ok: false, code: isInnkeeperError(error) ? error.code : 'UNEXPECTED' };
    }
  }
  day.bookLatency.record(performance.now() - started);
  day.onRequest();
  return answer;
}

async function cancelOldest(day: BookingDay): Promise<void> {
  const reservationId = day.toCancel.shift();
  if (reservationId === undefined) return;
  const started = performance.now();
  try {
    const cancelled = await day.inn.cancel({ reservationId, reason: 'plans changed' });
    day.counters.cancellations++;
    settle(day.money, cancelled);
  } catch {
    day.counters.cancelFailures++;
  }
  day.cancelLatency.record(performance.now() - started);
  day.onRequest();
}

/** Adds a cancellation's settlement and refund to the money tallies. */
function settle(money: DemoMoney, r: Reservation): void {
  const paid = r.payment?.status === 'charged' ? r.payment.amount : 0;
  const refunded = r.payment?.refunded ?? 0;
  const refundDue = r.payment?.refundDue ?? 0;
  money.refunded += refunded;
  money.refundDue += refundDue;
  money.penalties += r.settlement?.penalty ?? 0;
  if ((r.settlement?.penalty ?? 0) > 0) money.penalisedCancellations++;
  else money.freeCancellations++;
  if (refunded + refundDue > paid) money.refundsOverCharge++;
}
