import type { Innkeeper, ManualClock } from '@innkeeper/core';
import { type ChainShape, hotelId } from '../chain-shape.js';
import { ProgressBar, type ProgressSink } from '../progress-bar.js';
import type { Random } from '../seeded-random.js';
import type { DemoGateway } from './demo-gateway.js';
import { type Reconciled, reconcileChain } from './demo-reconciliation.js';
import type { TrafficMix } from './demo-scale.js';
import { emptyStayCounters, type StayCounters } from './stay-counters.js';
import { runStayTraffic } from './stay-traffic.js';

/**
 * The front desk plays the first days of the calendar after the booking day: enough for
 * every move of a stay (arrivals, no-shows, departures on the date and early, changes of
 * stays in house) while keeping the phase a few seconds of the run.
 */
export const STAY_DAYS = 4;

export interface StayPhaseInput {
  inn: Innkeeper;
  clock: ManualClock;
  random: Random;
  mix: TrafficMix;
  shape: ChainShape;
  gateway: DemoGateway;
  desks: number;
  sink: ProgressSink | null;
  signal: AbortSignal | undefined;
}

/**
 * The days after the booking day, then the money: every charge and refund of the run
 * reconciled with the gateway. Skipped when the run was interrupted (the reconciliation
 * is then `null` and the report has no stay lines).
 */
export async function runStayPhase(
  input: StayPhaseInput,
): Promise<{ stay: StayCounters; reconciliation: Reconciled | null }> {
  const stay = emptyStayCounters();
  if (input.signal?.aborted) return { stay, reconciliation: null };
  const { shape, sink } = input;
  const hotelIds = Array.from({ length: shape.hotels }, (_, h) => hotelId(h));
  const bar = new ProgressBar('front desk', hotelIds.length * STAY_DAYS, 'hotel-days', { sink });
  bar.setDetail(
    () =>
      `in ${stay.checkIns} out ${stay.checkOuts + stay.earlyDepartures} no-show ${stay.noShows}`,
  );
  const started = performance.now();
  try {
    await runStayTraffic({
      inn: input.inn,
      clock: input.clock,
      random: input.random,
      mix: input.mix,
      hotelIds,
      start: shape.start,
      days: STAY_DAYS,
      desks: input.desks,
      counters: stay,
      onHotelDay: () => bar.tick(),
      signal: input.signal,
    });
  } finally {
    bar.finish(input.signal?.aborted ? '(interrupted)' : '');
  }
  const staySeconds = (performance.now() - started) / 1000;
  // Interrupted mid-way, the money is left as it stands: the checks still run.
  if (input.signal?.aborted) return { stay, reconciliation: null };
  sink?.write('reconciling: recovery, then every hotel against the gateway...\n');
  const reconciled = await reconcileChain(input.inn, input.clock, shape, input.gateway);
  return { stay, reconciliation: { ...reconciled, staySeconds: round(staySeconds) } };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
