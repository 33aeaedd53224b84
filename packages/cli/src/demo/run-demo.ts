import { addDays, createInnkeeper, createManualClock } from '@innkeeper/core';
import { calendarRowsOf, chainShape, roomsOf } from '../chain-shape.js';
import { LatencyRecorder } from '../latency-recorder.js';
import { formatCount, ProgressBar, type ProgressSink } from '../progress-bar.js';
import { seededRandom } from '../seeded-random.js';
import { loadStore } from '../stores/load-store.js';
import type { LoadedStore, StoreTarget } from '../stores/store-target.js';
import { type BookingDay, runBookingClient } from './booking-client.js';
import { settleBookingDay, startBookingDayWorker } from './booking-day-worker.js';
import { BookingTraffic } from './booking-traffic.js';
import { emptyCounters, emptyMoney, emptyWorkerTally } from './demo-counters.js';
import { DemoGateway } from './demo-gateway.js';
import { type DemoReport, moneyReport } from './demo-report.js';
import {
  DEFAULT_MIX,
  type DemoScale,
  FULL_SCALE,
  QUICK_SCALE,
  type TrafficMix,
} from './demo-scale.js';
import { runDemoSearches } from './demo-searches.js';
import { CLIENT_SIDE_DECLINES, engineOptions } from './payment-wiring.js';
import { runStayPhase } from './stay-phase.js';

export interface DemoOptions {
  /** Default: SQLite in a fresh temporary file. */
  store?: StoreTarget;
  /** The small scale (50 hotels, 2,000 attempts) instead of the seed's. */
  quick?: boolean;
  /** Overrides of the chosen scale (hotels, bookings, clients, ...). */
  scale?: Partial<DemoScale>;
  mix?: Partial<TrafficMix>;
  /** Seeds the traffic and the gateway's declines. Default 1. */
  seed?: number;
  /** Stops the run cleanly: no new requests, in-flight ones finish, the store closes. */
  signal?: AbortSignal;
  /** Where progress is drawn (the cli passes stderr); nothing when omitted. */
  progress?: ProgressSink | null;
}

/**
 * Builds a hotel chain in the chosen store and runs a booking day against it: many
 * concurrent clients booking, replaying, cancelling, with declined payments and hot
 * spots. Returns the report, also when interrupted (then with `interrupted: true`);
 * throws only when the store cannot be opened or loaded.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const wallStart = performance.now();
  const scale: DemoScale = { ...(options.quick ? QUICK_SCALE : FULL_SCALE), ...options.scale };
  scale.hotHotels = Math.min(scale.hotHotels, scale.hotels);
  const mix: TrafficMix = { ...DEFAULT_MIX, ...options.mix };
  const seed = options.seed ?? 1;
  const target: StoreTarget = options.store ?? { kind: 'sqlite' };
  const signal = options.signal;
  const sink = options.progress ?? null;
  const shape = chainShape(scale.hotels, nextNewYear());

  // ── Load ──
  let rowsLoaded = 0;
  const loadBar = new ProgressBar('loading', calendarRowsOf(shape), 'calendar rows', { sink });
  let loaded: LoadedStore;
  try {
    loaded = await loadStore(
      target,
      shape,
      {
        signal,
        onRows: (rows) => {
          rowsLoaded += rows;
          loadBar.tick(rows);
        },
      },
      scale.clients,
    );
    loadBar.finish();
  } catch (error) {
    loadBar.stop();
    throw error;
  }

  // ── Book ──
  const counters = emptyCounters();
  const money = emptyMoney();
  const bookLatency = new LatencyRecorder();
  const cancelLatency = new LatencyRecorder();
  const { declineRate, topUpDeclineRate } = mix;
  const { lostAnswerRate } = mix;
  const gateway = new DemoGateway({ declineRate, topUpDeclineRate, lostAnswerRate, seed });
  const random = seededRandom(seed);
  const traffic = new BookingTraffic(shape, scale, mix, random);
  // The booking day starts the evening before the first night of inventory (UTC), so
  // every check-in is still ahead in every hotel's time zone.
  const clock = createManualClock(`${addDays(shape.start, -1)}T00:00:00Z`);
  const inn = createInnkeeper({
    store: loaded.store,
    clock,
    ...engineOptions(gateway),
  });
  let phase: DemoReport['phase'] = signal?.aborted ? 'load' : 'booking';
  const bookBar = new ProgressBar('booking', scale.bookings, 'attempts', { sink });
  bookBar.setDetail(() => liveDetail(counters));
  let lastAttempts = 0;
  const day: BookingDay = {
    inn,
    shape,
    traffic,
    gateway,
    mix,
    random,
    clock,
    msPerAttempt: (16 * 3600 * 1000) / Math.max(1, scale.bookings),
    counters,
    money,
    bookLatency,
    cancelLatency,
    toCancel: [],
    abandonedIds: [],
    unsettled: [],
    cancelBacklog: scale.clients * 4,
    plannedAttempts: phase === 'load' ? 0 : scale.bookings,
    nextAttempt: 0,
    runId: `demo${seed}`,
    signal,
    onRequest: () => {
      bookBar.tick(counters.attempts - lastAttempts);
      lastAttempts = counters.attempts;
    },
  };
  const bookingStart = performance.now();
  const workerTally = emptyWorkerTally();
  const worker = startBookingDayWorker(inn, clock, workerTally);
  try {
    await Promise.all(Array.from({ length: scale.clients }, () => runBookingClient(day)));
  } finally {
    bookBar.finish(signal?.aborted ? '(interrupted: waited for in-flight requests)' : '');
  }
  const bookingSeconds = (performance.now() - bookingStart) / 1000;
  await settleBookingDay(worker, day, workerTally);
  // The booking day's money, before the stays change it: what the clients' tallies match.
  const bookingLedger = gateway.ledger();

  // ── The stays: arrivals, departures, changes, no-shows; then the money reconciled ──
  const stayInput = { inn, clock, random, mix, shape, gateway, desks: scale.clients, sink, signal };
  if (!signal?.aborted) phase = 'front desk';
  const { stay, reconciliation } = await runStayPhase(stayInput);

  // ── Search across the chain's hotels, as a travel site would ──
  const searches = signal?.aborted
    ? []
    : await runDemoSearches(inn, shape, clock.now().toISOString().slice(0, 10));

  // ── Check ──
  try {
    const window = {
      hotels: scale.hotHotels,
      fromDay: scale.hotFromDay,
      toDay: scale.hotFromDay + scale.hotNights - 1,
    };
    sink?.write('checking: calendar scan and audit...\n');
    const scanStart = performance.now();
    const scan = await loaded.scanCalendar(window);
    const scanSeconds = (performance.now() - scanStart) / 1000;
    const auditStart = performance.now();
    const audit = await inn.audit();
    const auditSeconds = (performance.now() - auditStart) / 1000;
    const requests = bookLatency.count + cancelLatency.count;
    const c = counters;
    return {
      store: loaded.kind,
      where: loaded.where,
      settings: loaded.settings,
      quick: options.quick === true,
      interrupted: signal?.aborted === true,
      phase: signal?.aborted ? phase : 'done',
      seed,
      chain: {
        hotels: shape.hotels,
        roomTypesPerHotel: shape.roomTypes.length,
        rooms: roomsOf(shape),
        days: shape.days,
        calendarRows: calendarRowsOf(shape),
        rowsLoaded,
        loadSeconds: round(loaded.loadMs / 1000, 3),
        loadPhases: loaded.loadPhases,
      },
      traffic: {
        clients: scale.clients,
        plannedAttempts: scale.bookings,
        hotHotels: scale.hotHotels,
        hotWindow: {
          from: addDays(shape.start, window.fromDay),
          to: addDays(shape.start, window.toDay),
        },
        hotShare: round(traffic.hotShare, 4),
        declineRate: mix.declineRate,
        cancelRate: mix.cancelRate,
        replayRate: mix.replayRate,
        abandonRate: mix.abandonRate,
        lostAnswerRate: mix.lostAnswerRate,
        saverShare: mix.saverShare,
        declines: CLIENT_SIDE_DECLINES ? 'client' : 'engine',
      },
      counts: c,
      countsAddUp:
        c.created +
          c.soldOut +
          c.declined +
          c.rejected +
          c.failed +
          c.abandoned +
          c.paymentUnknown ===
        c.attempts,
      worker: workerTally,
      money: moneyReport(money, bookingLedger),
      stay,
      reconciliation,
      searches,
      overbooking: {
        roomNights: Number(scan.overbookedRoomNights),
        rows: Number(scan.overbookedRows),
        rowsPastCap: Number(scan.pastCapRows),
        withinCap: Number(scan.pastCapRows) === 0,
      },
      scanSeconds: round(scanSeconds, 3),
      hotWindowOccupancy:
        Number(scan.windowTotal) > 0
          ? round(Number(scan.windowReserved) / Number(scan.windowTotal), 4)
          : 0,
      throughput: {
        seconds: round(bookingSeconds, 3),
        requestsPerSecond: bookingSeconds > 0 ? round(requests / bookingSeconds, 1) : 0,
        attemptsPerSecond: bookingSeconds > 0 ? round(c.attempts / bookingSeconds, 1) : 0,
      },
      latencyMs: { book: bookLatency.summary(), cancel: cancelLatency.summary() },
      audit: {
        ok: audit.ok,
        drift: audit.findings.filter((f) => f.problem === 'drift').length,
        findings: audit.findings.length,
        rowsChecked: audit.rowsChecked,
        reservationsChecked: audit.reservationsChecked,
        seconds: round(auditSeconds, 3),
      },
      wallSeconds: round((performance.now() - wallStart) / 1000, 3),
    };
  } finally {
    await loaded.close();
  }
}

function liveDetail(c: ReturnType<typeof emptyCounters>): string {
  return `created ${formatCount(c.created)} sold-out ${formatCount(c.soldOut)} declined ${formatCount(c.declined)} replays ${formatCount(c.replays)} cancelled ${formatCount(c.cancellations)}`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Inventory starts on 1 January of next year, so the seasons fall where their names say. */
function nextNewYear(): string {
  return `${new Date().getUTCFullYear() + 1}-01-01`;
}
