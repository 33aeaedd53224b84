import assert from 'node:assert/strict';
import { type InnkeeperStore, isInnkeeperError, type Reservation } from '@innkeeper/core';
import { type ChargeOutcome, createTestGateway, type RefundOutcome } from '@innkeeper/test-gateway';
import fc from 'fast-check';
import { bookingRequest, createFixture, day, HOTEL_ID } from '../fixture.js';
import type { ConformanceGroup } from '../group.js';
import { scheduleGatewayCalls } from '../model/scheduled-gateway.js';
import { scheduleStoreCalls } from '../model/scheduled-store.js';
import { createSuiteEngine } from '../suite-engine.js';

/** What one concurrent call of a run does. */
type PaymentCommand =
  | { kind: 'book'; key: number; roomTypeId: 'suite' | 'std'; from: number; nights: number }
  | { kind: 'cancel'; key: number }
  | { kind: 'recover' }
  | { kind: 'advance' };

const commandArb: fc.Arbitrary<PaymentCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      // Few keys, so one key is booked twice (replays, racing twins).
      key: fc.integer({ min: 0, max: 3 }),
      roomTypeId: fc.constantFrom('suite' as const, 'std' as const),
      from: fc.integer({ min: 3, max: 5 }),
      nights: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      key: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'recover' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'advance' as const }) },
);

const chargeOutcomes: ChargeOutcome[] = [
  'approve',
  'decline',
  'timeout',
  'crash-before-charge',
  'timeout-after-charge',
  'crash-after-charge',
];
const refundOutcomes: RefundOutcome[] = ['refund', 'fail', 'timeout', 'timeout-after-refund'];

/**
 * Books, cancels and recovery sweeps racing each other while the gateway approves,
 * declines, times out or "crashes" before and after taking the money, with the store's
 * port calls and the gateway's calls both ordered by `fc.scheduler()`. After a final
 * sweep with a gateway that answers, the money must add up: nothing pending, no
 * double-booking (audit clean), one charge per key at most, every confirmed or settled
 * reservation paid exactly what it recorded, refunds never above the charge, released
 * holds keeping no money, and the gateway's net equal to what the reservations kept.
 */
export async function checkPaymentInterleavings(
  createStore: () => Promise<InnkeeperStore> | InnkeeperStore,
  runs: number,
  parameters: Omit<fc.Parameters<unknown[]>, 'numRuns'> = {},
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(commandArb, { minLength: 1, maxLength: 8 }),
      fc.array(fc.constantFrom(...chargeOutcomes), { minLength: 8, maxLength: 8 }),
      fc.array(fc.constantFrom(...refundOutcomes), { minLength: 4, maxLength: 4 }),
      async (s, commands, charges, refunds) => {
        const store = await createStore();
        try {
          const problems = await runPayments(store, s, commands, charges, refunds);
          if (problems.length > 0) assert.fail(problems.join('\n'));
        } finally {
          await store.close();
        }
      },
    ),
    { includeErrorInReport: true, ...parameters, numRuns: runs } as fc.Parameters<
      [fc.Scheduler, PaymentCommand[], ChargeOutcome[], RefundOutcome[]]
    >,
  );
}

async function runPayments(
  store: InnkeeperStore,
  s: fc.Scheduler,
  commands: PaymentCommand[],
  charges: ChargeOutcome[],
  refunds: RefundOutcome[],
): Promise<string[]> {
  const { clock } = await createFixture(store);
  const gateway = createTestGateway()
    .scriptCharges(...charges)
    .scriptRefunds(...refunds);
  const inFlight = { charges: 0 };
  let next = 0;
  const inn = createSuiteEngine({
    store: scheduleStoreCalls(store, s),
    clock,
    payments: scheduleGatewayCalls(gateway, s, inFlight),
    generateId: () => `p${String(++next).padStart(3, '0')}`,
  });
  const requests = new Map<number, ReturnType<typeof bookingRequest>>();
  const requestFor = (command: Extract<PaymentCommand, { kind: 'book' }>) => {
    // The same key always carries the same request, so a second book is a replay.
    let request = requests.get(command.key);
    if (!request) {
      request = bookingRequest({
        idempotencyKey: `pay-key-${command.key}`,
        checkIn: day(command.from),
        checkOut: day(command.from + command.nights),
        lines: [{ roomTypeId: command.roomTypeId, rooms: 1, adults: 1 }],
      });
      requests.set(command.key, request);
    }
    return request;
  };
  const problems: string[] = [];
  const expected = ['SOLD_OUT', 'PAYMENT_FAILED', 'INVALID_STATE', 'NOT_FOUND'];
  const run = async (command: PaymentCommand) => {
    await s.schedule(Promise.resolve(`arrive ${JSON.stringify(command)}`));
    try {
      switch (command.kind) {
        case 'book':
          await inn.book(requestFor(command));
          return;
        case 'cancel': {
          const found = await store.findReservationByKey(HOTEL_ID, `pay-key-${command.key}`);
          if (found) await inn.cancel({ reservationId: found.id });
          return;
        }
        case 'recover':
          // The default grace period (300 s): what is younger may still be in flight.
          await inn.recoverPendingPayments();
          return;
        case 'advance':
          // Two moves pass the grace period, so sweeps and stale retries do meet pending
          // charges; never while a charge is under way (it would be a 200 s charge).
          if (inFlight.charges === 0) clock.advance(200_000);
          return;
      }
    } catch (error) {
      if (!isInnkeeperError(error) || !expected.includes(error.code)) {
        problems.push(`${JSON.stringify(command)} threw ${String(error)}`);
      }
    }
  };
  await s.waitFor(Promise.all(commands.map(run)));

  // Settle everything left, sweeping until the gateway answers: outcomes still queued
  // (timeouts, failures) are used up first, then it approves and refunds. A refund may
  // follow a recovered charge, so the sweep runs until nothing is pending.
  gateway
    .scriptCharges((): ChargeOutcome => 'approve')
    .scriptRefunds((): RefundOutcome => 'refund');
  const settle = createSuiteEngine({ store, clock, payments: gateway });
  clock.advance(3_600_000);
  let unresolved: string[] = [];
  for (let round = 0; round < refunds.length + charges.length + 2; round++) {
    const report = await settle.recoverPendingPayments();
    unresolved = report.unresolved.map((u) => `unresolved ${u.reservationId}: ${u.reason}`);
    const left = await store.listPendingPayments({
      updatedBefore: clock.now().toISOString(),
      limit: 10,
    });
    if (left.length === 0) break;
  }
  problems.push(...unresolved);
  return [...problems, ...(await moneyProblems(store, gateway, [...requests.keys()]))];
}

async function moneyProblems(
  store: InnkeeperStore,
  gateway: ReturnType<typeof createTestGateway>,
  keys: number[],
): Promise<string[]> {
  const problems: string[] = [];
  const audit = await store.audit();
  if (!audit.ok) problems.push(`audit: ${JSON.stringify(audit.findings)}`);
  let kept = 0;
  for (const key of keys) {
    const r: Reservation | null = await store.findReservationByKey(HOTEL_ID, `pay-key-${key}`);
    if (!r?.payment) continue;
    const p = r.payment;
    const charged = gateway.chargedAmount(p.idempotencyKey);
    const chargeCount = gateway.charges.filter((c) => c.idempotencyKey === p.idempotencyKey).length;
    const refunded = p.chargeId ? gateway.refundedAmount(p.chargeId) : 0;
    const label = `${r.id} (${r.status}, payment ${p.status})`;
    if (chargeCount > 1) problems.push(`${label}: charged ${chargeCount} times`);
    if (r.status === 'held') problems.push(`${label}: still held after recovery`);
    if (p.refundDue !== 0) problems.push(`${label}: refund ${p.refundDue} still due`);
    if (p.status === 'charged') {
      if (charged !== p.amount)
        problems.push(`${label}: records ${p.amount}, gateway took ${charged}`);
      if (refunded !== p.refunded)
        problems.push(`${label}: records refunded ${p.refunded}, gateway ${refunded}`);
      if (p.refunded > p.amount) problems.push(`${label}: refunded more than charged`);
      kept += p.amount - p.refunded;
    } else {
      // Released or declined: whatever the gateway took for it must have gone back.
      const orphan = gateway.charges.find((c) => c.idempotencyKey === p.idempotencyKey);
      const back = orphan ? gateway.refundedAmount(orphan.chargeId) : 0;
      if (charged - back !== 0) problems.push(`${label}: the gateway kept ${charged - back}`);
    }
  }
  if (gateway.netCollected() !== kept) {
    problems.push(`the gateway holds ${gateway.netCollected()}, the reservations kept ${kept}`);
  }
  return problems;
}

export const paymentInterleavingsGroup: ConformanceGroup = (api, options) => {
  api.test(
    `concurrent paid books, cancels and recovery sweeps under every gateway outcome, interleaved by fc.scheduler(), never lose or double-take money (${options.propertyRuns} runs)`,
    () =>
      checkPaymentInterleavings(
        options.createStore,
        options.propertyRuns,
        options.propertySeed === undefined ? {} : { seed: options.propertySeed },
      ),
    options.slowTimeoutMs,
  );
};
