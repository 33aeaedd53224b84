import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  type ChargeLookup,
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  isInnkeeperError,
  type PaymentGateway,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { GatewayDeadlineError } from '../src/engine/gateway-deadline.js';
import { errorOf, GUEST, HOTEL } from './engine-support.js';

const NOW = '2027-04-01T10:00:00.000Z';

/** A gateway that never answers a charge (or a refund), and finds nothing. */
function silentGateway(found: ChargeLookup | null = null): PaymentGateway & { calls: string[] } {
  const calls: string[] = [];
  const never = () => new Promise<never>(() => {});
  return {
    calls,
    charge: (request) => {
      calls.push(`charge ${request.idempotencyKey}`);
      return never();
    },
    refund: (request) => {
      calls.push(`refund ${request.idempotencyKey}`);
      return never();
    },
    findCharge: async (key) => {
      calls.push(`findCharge ${key}`);
      return found;
    },
  };
}

async function engineWith(payments: PaymentGateway, paymentTimeoutMs?: number) {
  const clock = createManualClock(NOW);
  const inn: Innkeeper = createInnkeeper({
    store: createMemoryStore(),
    clock,
    payments,
    ...(paymentTimeoutMs === undefined ? {} : { paymentTimeoutMs }),
  });
  await inn.createHotel({ id: HOTEL, name: 'Hotel', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({
    id: 'std',
    hotelId: HOTEL,
    name: 'Std',
    maxAdults: 2,
    baseRate: 10_000,
  });
  await inn.setInventory({
    hotelId: HOTEL,
    roomTypeId: 'std',
    from: '2027-05-01',
    to: '2027-05-10',
    total: 1,
  });
  return { inn, clock };
}

const booking = {
  idempotencyKey: 'k1',
  hotelId: HOTEL,
  checkIn: '2027-05-03',
  checkOut: '2027-05-05',
  lines: [{ roomTypeId: 'std', adults: 2 }],
  guest: GUEST,
};

describe('paymentTimeoutMs: a gateway that never answers never hangs a call', () => {
  test('book() ends with PAYMENT_FAILED (unknown) at the deadline, the charge pending; recovery settles it by asking', async () => {
    const gateway = silentGateway();
    const { inn, clock } = await engineWith(gateway, 50);
    const started = performance.now();
    const error = await errorOf(() => inn.book(booking));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(isInnkeeperError(error, 'PAYMENT_FAILED') && error.details.outcome).toBe('unknown');
    expect(error.cause).toBeInstanceOf(GatewayDeadlineError);
    const [held] = (await inn.listReservations({ hotelId: HOTEL })).items;
    expect([held?.status, held?.payment?.status]).toEqual(['held', 'pending']);
    // Past the grace period recovery asks the gateway, which never saw the charge.
    clock.advance(301_000);
    const report = await inn.recoverPendingPayments();
    expect(report.released.map((r) => r.id)).toEqual([held?.id]);
    expect(gateway.calls).toEqual(['charge innkeeper:h1:k1', 'findCharge innkeeper:h1:k1']);
  });

  test('a refund past the deadline stays owed for recovery; the cancellation itself succeeds', async () => {
    let charging = true;
    const gateway = silentGateway();
    const approving: PaymentGateway = {
      ...gateway,
      charge: async () => {
        if (charging) return { status: 'approved', chargeId: 'ch_1' };
        return gateway.charge({} as never);
      },
    };
    const { inn } = await engineWith(approving, 50);
    const r = await inn.book(booking);
    charging = false;
    const cancelled = await inn.cancel({ reservationId: r.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.payment?.refundDue).toBe(r.total);
  });

  test('the deadline defaults to 10 s and may not exceed the grace period; bad values are VALIDATION', () => {
    const store = createMemoryStore();
    const payments = silentGateway();
    for (const options of [
      { paymentTimeoutMs: 0 },
      { paymentTimeoutMs: 1.5 },
      { paymentTimeoutMs: 301_000 },
      { paymentGraceSeconds: 5 },
      { paymentGraceSeconds: -1 },
    ]) {
      let thrown: unknown;
      try {
        createInnkeeper({ store, payments, ...options });
      } catch (error) {
        thrown = error;
      }
      expect(isInnkeeperError(thrown, 'VALIDATION'), JSON.stringify(options)).toBe(true);
    }
    expect(() =>
      createInnkeeper({ store, payments, paymentGraceSeconds: 10, paymentTimeoutMs: 10_000 }),
    ).not.toThrow();
  });
});
