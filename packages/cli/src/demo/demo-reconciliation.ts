import type { Innkeeper, ManualClock } from '@innkeeper/core';
import { type ChainShape, hotelId } from '../chain-shape.js';
import type { DemoGateway } from './demo-gateway.js';

export interface Reconciled {
  ok: boolean;
  findings: number;
  hotels: number;
  reservations: number;
  movements: number;
  /** Minor units, summed over the chain's reservations (their balances) and the gateway. */
  charged: number;
  refunded: number;
  penalties: number;
  /** Still to collect at the hotels (extensions whose top-up was declined with no undo). */
  due: number;
  gatewayNet: number;
  seconds: number;
  staySeconds: number;
}

/**
 * Settles whatever the gateway left pending, then lays the gateway's ledger beside every
 * hotel's reservations: after all the booking day's and the stays' moves, the money
 * must agree reservation by reservation.
 */
export async function reconcileChain(
  inn: Innkeeper,
  clock: ManualClock,
  shape: ChainShape,
  gateway: DemoGateway,
): Promise<Omit<Reconciled, 'staySeconds'>> {
  const started = performance.now();
  for (let round = 0; round < 5; round++) {
    clock.advance(3_600_000);
    const report = await inn.recoverPendingPayments({ limit: 1000 });
    const settled = report.confirmed.length + report.released.length + report.refunded.length;
    if (settled + report.toppedUp.length + report.undone.length === 0) break;
  }
  const sum: Omit<Reconciled, 'staySeconds'> = {
    ok: true,
    findings: 0,
    hotels: shape.hotels,
    reservations: 0,
    movements: 0,
    charged: 0,
    refunded: 0,
    penalties: 0,
    due: 0,
    gatewayNet: 0,
    seconds: 0,
  };
  for (let h = 0; h < shape.hotels; h++) {
    const id = hotelId(h);
    const r = await inn.reconcilePayments({ hotelId: id, movements: gateway.movementsOf(id) });
    sum.findings += r.findings.length;
    sum.reservations += r.reservationsChecked;
    sum.movements += r.movementsChecked;
    sum.charged += r.totals.charged;
    sum.refunded += r.totals.refunded;
    sum.penalties += r.totals.penalties;
    sum.due += r.totals.due;
    sum.gatewayNet += r.totals.gatewayCharged - r.totals.gatewayRefunded;
  }
  // A movement filed under no hotel of the chain (a refund for a reservation the gateway
  // never charged) would escape every hotel's report: count it as a finding here.
  sum.findings += gateway.movements().length - sum.movements;
  sum.ok = sum.findings === 0;
  sum.seconds = round((performance.now() - started) / 1000, 3);
  return sum;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
