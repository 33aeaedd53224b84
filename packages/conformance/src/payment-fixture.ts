import assert from 'node:assert/strict';
import type { Innkeeper, InnkeeperStore, Reservation } from '@innkeeper/core';
import {
  createTestGateway,
  type TestGateway,
  type TestGatewayOptions,
} from '@innkeeper/test-gateway';
import { createFixture, type Fixture } from './fixture.js';
import type { ResolvedOptions, SuiteApi } from './suite-api.js';
import { createSuiteEngine } from './suite-engine.js';

/** The usual fixture, but `inn` charges through `gateway`, a scripted test gateway. */
export interface PaymentFixture extends Fixture {
  gateway: TestGateway;
}

/** Recovery only sweeps what has been left alone this long (the engine's default). */
export const RECOVERY_AGE_MS = 300_000;

/**
 * Declares a test that gets a fresh store, the fixture's hotel and an engine with a test
 * gateway (options such as `latencyMs` per test), and always closes the store.
 */
export function paymentTest(api: SuiteApi, options: ResolvedOptions) {
  return (
    name: string,
    body: (fix: PaymentFixture) => Promise<void>,
    gatewayOptions: TestGatewayOptions = {},
  ) =>
    api.test(name, async () => {
      const store = await options.createStore();
      try {
        await body(await createPaymentFixture(store, gatewayOptions));
      } finally {
        await store.close();
      }
    });
}

async function createPaymentFixture(
  store: InnkeeperStore,
  gatewayOptions: TestGatewayOptions,
): Promise<PaymentFixture> {
  const fixture = await createFixture(store);
  const gateway = createTestGateway(gatewayOptions);
  let next = 0;
  // A second engine on the same store and clock; its own id prefix so ids never collide.
  const inn: Innkeeper = createSuiteEngine({
    store,
    clock: fixture.clock,
    payments: gateway,
    generateId: () => `pay-${String(++next).padStart(6, '0')}`,
  });
  return { ...fixture, inn, gateway };
}

/** The reservation as the store holds it; fails the test when it is missing. */
export async function stored(store: InnkeeperStore, reservationId: string): Promise<Reservation> {
  const reservation = await store.getReservation(reservationId);
  assert.ok(reservation, `reservation ${reservationId} is not in the store`);
  return reservation;
}

/** Every `reserved` count matches the reservations holding it. */
export async function assertNoDrift(inn: Innkeeper): Promise<void> {
  const report = await inn.audit();
  assert.deepEqual(report.findings, []);
  assert.equal(report.ok, true);
}

/** How many `charge` calls reached the gateway, replays included. */
export function chargeCalls(gateway: TestGateway): number {
  return gateway.calls.filter((call) => call.method === 'charge').length;
}
