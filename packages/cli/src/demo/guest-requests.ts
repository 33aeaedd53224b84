import { addDays, type Innkeeper, isInnkeeperError, type Reservation } from '@innkeeper/core';
import type { Random } from '../seeded-random.js';
import type { TrafficMix } from './demo-scale.js';
import { moneyDelta, type StayCounters } from './stay-counters.js';

/** What the front desk's calls share: the engine, the draws and shares, the tallies. */
export interface Desk {
  inn: Innkeeper;
  random: Random;
  mix: TrafficMix;
  counters: StayCounters;
}

/**
 * Runs a front desk call. An `InnkeeperError` is returned as its code for the caller to
 * judge (some refusals are expected: a declined top-up, a sold-out night); anything else
 * is a failure the report flags.
 */
export async function attempt(
  desk: Desk,
  call: () => Promise<Reservation>,
): Promise<Reservation | string> {
  try {
    return await call();
  } catch (error) {
    if (isInnkeeperError(error)) return error.code;
    desk.counters.failures++;
    return 'UNEXPECTED';
  }
}

/**
 * What a guest just checked in may ask for: a night more, a night less, and now and then
 * a correction of their phone number or of the booking's details.
 */
export async function onArrival(desk: Desk, r: Reservation): Promise<void> {
  await changeStay(desk, r);
  if (desk.random() < desk.mix.guestCorrectionRate) await correctGuest(desk, r);
  if (desk.random() < desk.mix.detailCorrectionRate) await correctDetails(desk, r);
}

/**
 * A night more or a night less, asked for on arrival or by a guest calling ahead. Ahead
 * of the flexible plan's 48 hours a night less is free, so all of it is refunded; on
 * arrival the terms keep it.
 */
export async function changeStay(desk: Desk, r: Reservation): Promise<void> {
  const draw = desk.random();
  if (draw < desk.mix.extensionRate) await extend(desk, r);
  else if (draw < desk.mix.extensionRate + desk.mix.shorteningRate) await shorten(desk, r);
}

/**
 * A night more: the new night is priced at today's rate and the difference charged as a
 * top-up through the gateway. Declined, the engine undoes the change and throws
 * `PAYMENT_FAILED`: the guest keeps the stay as it was, and no money moved.
 */
export async function extend(desk: Desk, r: Reservation): Promise<void> {
  const c = desk.counters;
  const checkOut = addDays(r.checkOut, 1);
  const extended = await attempt(desk, () =>
    desk.inn.modify({ reservationId: r.id, checkOut, reason: 'guest extends by a night' }),
  );
  if (typeof extended === 'string') {
    if (extended === 'PAYMENT_FAILED') c.extensionsDeclined++;
    else if (extended === 'SOLD_OUT') c.extensionsSoldOut++;
    else c.failures++;
    return;
  }
  c.extensions++;
  c.money.toppedUp += moneyDelta(r, extended).charged;
}

/**
 * A night less: a partial cancellation. The captured terms keep what a cancellation
 * would keep now (a saver stay: all of it; a flexible one inside 48 hours: its first
 * night's worth, at most the night given back; earlier: nothing); the rest is refunded.
 */
async function shorten(desk: Desk, r: Reservation): Promise<void> {
  // Only stays of three nights or more: two-night guests rarely cut their stay to one.
  if (nightsOf(r) < 3) return;
  const c = desk.counters;
  const checkOut = addDays(r.checkOut, -1);
  const shorter = await attempt(desk, () =>
    desk.inn.modify({ reservationId: r.id, checkOut, reason: 'guest leaves a night earlier' }),
  );
  if (typeof shorter === 'string') {
    c.failures++;
    return;
  }
  c.shortenings++;
  const moved = moneyDelta(r, shorter);
  c.money.refundedShortenings += moved.refunded;
  c.money.keptShortenings += moved.kept;
}

async function correctGuest(desk: Desk, r: Reservation): Promise<void> {
  const phone = `+351 21 ${String(Math.floor(desk.random() * 1e7)).padStart(7, '0')}`;
  const corrected = await attempt(desk, () =>
    desk.inn.updateGuest({ reservationId: r.id, phone, reason: 'phone given at the desk' }),
  );
  if (typeof corrected === 'string') desk.counters.failures++;
  else desk.counters.guestCorrections++;
}

async function correctDetails(desk: Desk, r: Reservation): Promise<void> {
  // The external reference is unique per hotel; the reservation's id keeps it so.
  const corrected = await attempt(desk, () =>
    desk.inn.updateReservationDetails({
      reservationId: r.id,
      externalRef: `OTA-${r.id}`,
      notes: 'late arrival, quiet room',
      reason: 'channel reference received late',
    }),
  );
  if (typeof corrected === 'string') desk.counters.failures++;
  else desk.counters.detailCorrections++;
}

function nightsOf(r: Reservation): number {
  return r.lines[0]?.nights.length ?? 0;
}
