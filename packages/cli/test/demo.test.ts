import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoReport, runDemo, type TrafficMix } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A busier front desk than the demo's defaults: at the quick scale about a hundred guests
 * arrive on the days played, too few for the default shares to make every move happen in
 * every run (a 10% top-up decline rate on a dozen extensions is often none).
 */
const BUSY_DESK: Partial<TrafficMix> = {
  noShowRate: 0.15,
  extensionRate: 0.2,
  shorteningRate: 0.15,
  guestCorrectionRate: 0.2,
  detailCorrectionRate: 0.2,
  earlyDepartureRate: 0.15,
  inHouseExtensionRate: 0.1,
  topUpDeclineRate: 0.3,
};

function expectHealthy(report: DemoReport) {
  const c = report.counts;
  expect(report.interrupted).toBe(false);
  expect(c.attempts).toBe(report.traffic.plannedAttempts);
  expect(
    c.created + c.soldOut + c.declined + c.rejected + c.failed + c.abandoned + c.paymentUnknown,
  ).toBe(c.attempts);
  expect(report.countsAddUp).toBe(true);
  expect(c.rejected).toBe(0);
  expect(c.failed).toBe(0);
  expect(c.created).toBeGreaterThan(0);
  expect(c.declined).toBeGreaterThan(0);
  expect(c.cancellations).toBeGreaterThan(0);
  expect(c.cancelFailures).toBe(0);
  // Replays (some racing the original) return the same reservation or the same refusal.
  expect(c.replays).toBeGreaterThan(0);
  expect(c.racedReplays).toBeGreaterThan(0);
  expect(c.replaysConsistent).toBe(c.replays);
  expect(c.replayMismatches).toBe(0);
  // The hot spots sell into the overbooking margin, never past it.
  expect(report.overbooking.roomNights).toBeGreaterThan(0);
  expect(report.overbooking.rowsPastCap).toBe(0);
  expect(report.overbooking.withinCap).toBe(true);
  expect(report.audit.ok).toBe(true);
  expect(report.audit.drift).toBe(0);
  // The worker ran beside the clients: every hold a guest left expired, every payment
  // whose answer was lost settled (the money was taken: confirmed and counted).
  const w = report.worker;
  expect(w.runs).toBeGreaterThan(0);
  expect(w.failedRuns).toBe(0);
  expect(c.abandoned).toBeGreaterThan(0);
  expect(w.abandonedExpired).toBe(c.abandoned);
  expect(w.holdsExpired).toBeGreaterThanOrEqual(c.abandoned);
  expect(c.paymentUnknown).toBeGreaterThan(0);
  expect(w.unknownConfirmed + w.unknownReleased).toBe(c.paymentUnknown);
  expect(w.unknownPending).toBe(0);
  expect(w.paymentsConfirmed).toBeGreaterThan(0);
  // Declined bookings stay as released ('expired') reservations with their declined
  // payment, and so do the holds guests left.
  expect(report.audit.reservationsChecked).toBe(
    c.created + c.declined + c.abandoned + c.paymentUnknown,
  );
  expect(report.latencyMs.book.p99).toBeGreaterThan(0);
  // Both plans sold; the engine charged, cancellations kept penalties and refunded the rest.
  expect(c.flexBookings).toBeGreaterThan(0);
  expect(c.saverBookings).toBeGreaterThan(0);
  const m = report.money;
  expect(m.charged).toBeGreaterThan(0);
  expect(m.roomCharge + m.taxes).toBe(m.charged);
  expect(m.taxes).toBeGreaterThan(0);
  expect(m.penalties).toBeGreaterThan(0);
  expect(m.refunded).toBeGreaterThan(0);
  expect(m.refundDue).toBe(0);
  expect(m.freeCancellations + m.penalisedCancellations).toBe(c.cancellations);
  expect(m.refundsOverCharge).toBe(0);
  expect(m.refundsWithinCharges).toBe(true);
  expect(m.gateway.charges).toBe(c.created + report.worker.unknownConfirmed);
  expect(m.gateway.charged).toBe(m.charged);
  expect(m.gateway.net).toBe(m.charged - m.refunded);
  expect(m.ledgerMatches).toBe(true);
  // The front desk's days: guests found on the desk's lists (paged) arrive, leave (some
  // early), extend (top-ups, some declined and undone), shorten, get corrected, or never come.
  const stay = report.stay;
  expect(stay.failures).toBe(0);
  expect(stay.cursorPages).toBeGreaterThan(0);
  expect(stay.checkIns).toBeGreaterThan(0);
  expect(stay.checkOuts).toBeGreaterThan(0);
  expect(stay.earlyDepartures).toBeGreaterThan(0);
  expect(stay.noShows).toBeGreaterThan(0);
  expect(stay.extensions).toBeGreaterThan(0);
  expect(stay.extensionsDeclined).toBeGreaterThan(0);
  expect(stay.shortenings).toBeGreaterThan(0);
  expect(stay.guestCorrections).toBeGreaterThan(0);
  expect(stay.detailCorrections).toBeGreaterThan(0);
  expect(stay.checkIns + stay.noShows).toBe(stay.arrivalsDue);
  // The stays moved money: top-ups charged, refunds and penalties of early departures and no-shows.
  const sm = stay.money;
  expect(sm.toppedUp).toBeGreaterThan(0);
  expect(sm.refundedEarlyDepartures + sm.keptEarlyDepartures).toBeGreaterThan(0);
  expect(sm.keptNoShows).toBeGreaterThan(0);
  expect(sm.refundedShortenings).toBeGreaterThan(0);
  // After every move, the gateway's ledger and every reservation's balance agree.
  const q = report.reconciliation;
  expect(q?.ok).toBe(true);
  expect(q?.findings).toBe(0);
  expect(q?.reservations).toBe(report.audit.reservationsChecked);
  expect(q?.gatewayNet).toBe((q?.charged ?? 0) - (q?.refunded ?? 0));
  // What the gateway holds is the booking day's money plus what each stay move moved.
  const stayRefunded = sm.refundedShortenings + sm.refundedEarlyDepartures + sm.refundedNoShows;
  const stayKept = sm.keptShortenings + sm.keptEarlyDepartures + sm.keptNoShows;
  expect(q?.charged).toBe(m.charged + sm.toppedUp);
  expect(q?.refunded).toBe(m.refunded + stayRefunded);
  expect(q?.penalties).toBe(m.penalties + stayKept);
}

describe('runDemo({ quick: true })', () => {
  it('on the memory store completes with zero audit drift and counts that add up', async () => {
    const report = await runDemo({ store: { kind: 'memory' }, quick: true, mix: BUSY_DESK });
    expect(report.store).toBe('memory');
    expectHealthy(report);
  });

  it('on a fresh SQLite file completes with zero audit drift and counts that add up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'innkeeper-cli-test-'));
    dirs.push(dir);
    const file = join(dir, 'demo.db');
    const report = await runDemo({ store: { kind: 'sqlite', file }, quick: true, mix: BUSY_DESK });
    expect(report.store).toBe('sqlite');
    expect(report.where).toBe(file);
    expectHealthy(report);
  });

  it('stops cleanly when its signal is aborted, and still reports', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const report = await runDemo({
      store: { kind: 'memory' },
      quick: true,
      scale: { bookings: 10_000_000 },
      signal: controller.signal,
    });
    expect(report.interrupted).toBe(true);
    expect(report.counts.attempts).toBeLessThan(10_000_000);
    expect(report.countsAddUp).toBe(true);
    expect(report.audit.ok).toBe(true);
    expect(report.money.ledgerMatches).toBe(true);
  });
});
