/**
 * Innkeeper pricing and payments: one hotel's rate card (a flexible base plan and a
 * non-refundable plan derived from it, weekend rates, VAT and a city tax, a 48-hour
 * cancellation policy, a minimum stay), a quote, bookings charged through the scripted
 * `@innkeeper/test-gateway`, a declined card, a crash recovered, a cancellation with a
 * refund and a no-show. In memory, driven by a manual clock. Run it from the repository
 * root with `pnpm exec tsx --conditions=dev-source examples/pricing-and-payments.ts`.
 */
import { pathToFileURL } from 'node:url';
import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  createInnkeeper,
  createManualClock,
  type InnkeeperStore,
  isInnkeeperError,
  type Reservation,
} from '@innkeeper/core';
import { createTestGateway } from '@innkeeper/test-gateway';

const hotelId = 'lisbon-riverside';
const eur = (minor: number) => `EUR ${(minor / 100).toFixed(2)}`;

/** Runs the tour, sends a readable summary to `log`, and returns what it saw. */
export async function main(
  log: (line: string) => void = console.log,
  store: InnkeeperStore = createMemoryStore(),
) {
  // 10:00 in Lisbon (UTC+0 until 31 March) on 1 March 2030.
  const clock = createManualClock('2030-03-01T10:00:00Z');
  const gateway = createTestGateway(); // approves every charge and refund unless scripted
  let nextId = 0;
  const inn = createInnkeeper({
    store,
    clock,
    payments: gateway,
    generateId: () => `res-${++nextId}`,
  });

  await inn.createHotel({
    id: hotelId,
    name: 'Riverside',
    timeZone: 'Europe/Lisbon',
    currency: 'EUR',
  });
  const room = { hotelId, id: 'double', name: 'Double', maxAdults: 3, maxChildren: 1 };
  await inn.createRoomType({ ...room, baseRate: 12_000 });
  const double = { hotelId, roomTypeId: 'double' };
  await inn.setInventory({ ...double, from: '2030-03-01', to: '2030-04-30', total: 10 });
  // The base plan's nightly rate: EUR 150 on Friday and Saturday nights in March, else 120.
  const march = { ...double, from: '2030-03-01', to: '2030-03-31' };
  await inn.setRates({ ...march, weekdays: ['fri', 'sat'], amount: 15_000 });

  // The rate card holds everything a price needs besides the calendar's rate.
  const card = await inn.setRateCard({
    hotelId,
    checkInTime: '15:00', // penalty windows and no-shows count from 15:00 at the hotel
    ratePlans: [
      {
        id: 'flex',
        name: 'Flexible',
        occupancy: { includedAdults: 2, extraAdult: 2_500, child: 1_250 },
        lengthOfStayDiscounts: [{ minNights: 3, percentOff: 5 }],
        cancellationPolicyId: 'free-48h',
      },
      {
        id: 'saver',
        name: 'Non-refundable saver',
        derivedFrom: { ratePlanId: 'flex', percent: -15 }, // follows flex's rate on every date
        cancellationPolicyId: 'non-refundable',
      },
    ],
    // Arrivals on a Saturday stay at least 2 nights.
    restrictions: [
      { id: 'sat-min-2', from: '2030-03-01', to: '2030-12-31', weekdays: ['sat'], minStay: 2 },
    ],
    taxes: [
      { id: 'vat', name: 'VAT', kind: 'percent', basisPoints: 600 }, // 6%
      { id: 'city-tax', name: 'City tax', kind: 'per-person-night', amount: 400 }, // adults
    ],
    cancellationPolicies: [
      {
        id: 'free-48h',
        name: 'Free until 48 h before arrival',
        windows: [
          { hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } },
          { hoursBeforeCheckIn: 24, penalty: { kind: 'percent', percent: 100 } },
        ],
      },
      { id: 'non-refundable', name: 'Non-refundable', nonRefundable: true },
    ],
  });
  log(`Rate card revision ${card.revision}: ${card.ratePlans.map((p) => p.id).join(', ')}`);

  // Search prices every room type on every plan that sells it: one offer each.
  const stay = { hotelId, checkIn: '2030-03-14', checkOut: '2030-03-17' }; // Thu → Sun
  const found = await inn.search({ ...stay, adults: 2, children: 1 });
  log(`Search ${stay.checkIn} → ${stay.checkOut}, 2 adults and 1 child:`);
  for (const o of found.offers) {
    const free = o.cancellation.freeUntil ?? 'always';
    log(`  ${o.ratePlanName}: ${eur(o.total)} (tax ${eur(o.taxTotal)}), free until ${free}`);
  }

  // A restriction refuses the stay with RESTRICTED, naming the rule and the date.
  const lines = [{ roomTypeId: 'double', ratePlanId: 'flex', adults: 2, children: 1 }];
  let restricted: unknown;
  try {
    await inn.quote({ hotelId, checkIn: '2030-03-16', checkOut: '2030-03-17', lines });
  } catch (error) {
    if (!isInnkeeperError(error, 'RESTRICTED')) throw error;
    const { rule, date, ratePlanId, restrictionId } = error.details;
    restricted = { rule, date, ratePlanId, restrictionId };
    log(`RESTRICTED: ${rule} on ${date} (${ratePlanId}, rule ${restrictionId})`);
  }

  // A quote is what book would charge now, night by night.
  const quote = await inn.quote({ ...stay, lines });
  log(`Quote on flex: ${eur(quote.roomCharge)} + tax ${eur(quote.taxTotal)} = ${eur(quote.total)}`);
  for (const n of quote.lines[0]?.nights ?? []) {
    log(
      `  ${n.date}: rate ${n.rate} + supplements ${n.supplements} - discount ${n.discount} = ${n.amount}, tax ${n.tax}`,
    );
  }
  const terms = quote.cancellation.windows.map((w) => `${eur(w.penalty)} from ${w.from}`);
  log(`  cancellation: free until ${quote.cancellation.freeUntil}; ${terms.join('; ')}`);

  // Booking with a gateway: hold the rooms, charge, confirm. expectedTotal refuses a
  // booking whose price moved since the quote instead of charging a different amount.
  const ana = { name: 'Ana Sousa', email: 'ana@example.com' };
  const booked = await inn.book({
    ...stay,
    idempotencyKey: 'order-1001',
    guest: ana,
    lines,
    expectedTotal: quote.total,
  });
  log(`Booked ${booked.id}: ${booked.status}, ${paymentOf(booked)}`);

  // A declined card: PAYMENT_FAILED (outcome 'declined'), the hold released at once.
  gateway.scriptCharges('decline');
  const bo = { name: 'Bo Lind', email: 'bo@example.com' };
  const boOrder = { ...stay, idempotencyKey: 'order-1002', guest: bo, lines };
  let declined: unknown;
  try {
    await inn.book(boOrder);
  } catch (error) {
    if (!isInnkeeperError(error, 'PAYMENT_FAILED')) throw error;
    const released = await inn.getReservation(error.details.reservationId);
    declined = { outcome: error.details.outcome, status: released.status };
    log(`PAYMENT_FAILED: ${error.details.outcome} (${error.details.reason}), ${released.status}`);
  }

  // The price moved after the quote: the booking is a CONFLICT and charges nothing.
  const later = { hotelId, checkIn: '2030-03-21', checkOut: '2030-03-23' }; // Thu → Sat
  const saverLines = [{ roomTypeId: 'double', ratePlanId: 'saver', adults: 2 }];
  const saverQuote = await inn.quote({ ...later, lines: saverLines });
  await inn.setRates({ ...double, from: '2030-03-21', to: '2030-03-21', amount: 13_000 });
  const order = { ...later, idempotencyKey: 'order-1003', guest: ana, lines: saverLines };
  let priceChanged: unknown;
  try {
    await inn.book({ ...order, expectedTotal: saverQuote.total });
  } catch (error) {
    if (!isInnkeeperError(error, 'CONFLICT')) throw error;
    priceChanged = error.details.reason;
    log(`CONFLICT: ${error.message}`);
  }

  // The gateway takes the money but the answer never arrives (the process died): the
  // reservation stays held with its charge pending, and recovery asks the gateway.
  const requote = await inn.quote({ ...later, lines: saverLines });
  gateway.scriptCharges('crash-after-charge');
  const unknownOrder = { ...order, idempotencyKey: 'order-1004', expectedTotal: requote.total };
  let pendingId = '';
  try {
    await inn.book(unknownOrder);
  } catch (error) {
    if (!isInnkeeperError(error, 'PAYMENT_FAILED')) throw error;
    pendingId = error.details.reservationId;
    const pending = await inn.getReservation(pendingId);
    log(
      `PAYMENT_FAILED: ${error.details.outcome}; ${pendingId} is ${pending.status}, charge pending`,
    );
  }
  clock.advance(10 * 60_000);
  const recovery = await inn.recoverPendingPayments({ olderThanSeconds: 300 });
  const [recovered] = recovery.confirmed;
  log(`Recovery confirmed ${recovered?.id}: ${recovered ? paymentOf(recovered) : 'nothing'}`);
  log(`  gateway charges so far: ${gateway.charges.map((c) => eur(c.amount)).join(', ')}`);

  // Editing a policy never changes what past bookings captured.
  await inn.upsertCancellationPolicy({
    hotelId,
    policy: {
      id: 'free-48h',
      name: 'Free until 7 days before arrival',
      windows: [{ hoursBeforeCheckIn: 168, penalty: { kind: 'percent', percent: 100 } }],
    },
  });

  // Cancelling 43 hours before check-in: past the 48-hour mark, before the 24-hour one.
  clock.set('2030-03-12T20:00:00Z');
  const cancelled = await inn.cancel({ reservationId: booked.id, reason: 'flight cancelled' });
  const cs = cancelled.settlement;
  log(
    `Cancelled ${cancelled.id}: penalty ${eur(cs?.penalty ?? 0)}, refund ${eur(cs?.refund ?? 0)}`,
  );
  log(`  ${paymentOf(cancelled)}; gateway refunds: ${gateway.refunds.map((r) => eur(r.amount))}`);

  // The next morning the guest of the saver booking has not arrived.
  clock.set('2030-03-22T09:00:00Z');
  const noShow = await inn.markNoShow({ reservationId: pendingId });
  const ns = noShow.settlement;
  log(`No-show ${noShow.id}: penalty ${eur(ns?.penalty ?? 0)}, refund ${eur(ns?.refund ?? 0)}`);

  const audit = await inn.audit();
  log(`Gateway net collected ${eur(gateway.netCollected())}; audit ${audit.ok ? 'ok' : 'DRIFT'}`);
  await inn.close();

  return {
    offers: found.offers.map((o) => [o.ratePlanId, o.total, o.cancellation.freeUntil]),
    restricted,
    quote: { roomCharge: quote.roomCharge, taxTotal: quote.taxTotal, total: quote.total },
    nights: quote.lines[0]?.nights,
    cancellation: quote.cancellation,
    booked: { id: booked.id, status: booked.status, payment: booked.payment?.status },
    declined,
    priceChanged,
    recovered: { id: recovered?.id, status: recovered?.status, charges: gateway.charges.length },
    cancelled: cancelled.settlement,
    noShow: noShow.settlement,
    netCollected: gateway.netCollected(),
    audit: audit.ok,
  };
}

function paymentOf(r: Reservation): string {
  const p = r.payment;
  if (!p) return 'no payment';
  const refunds = p.refunded || p.refundDue ? `, refunded ${eur(p.refunded)}` : '';
  return `payment ${p.status} ${eur(p.amount)}${refunds}`;
}

// Run only when executed directly, not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
