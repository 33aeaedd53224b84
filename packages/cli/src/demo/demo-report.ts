import type { LatencySummary } from '../latency-recorder.js';
import { formatCount } from '../progress-bar.js';
import type { StoreKind } from '../stores/store-target.js';
import type { DemoCounters, DemoMoney, WorkerTally } from './demo-counters.js';
import type { GatewayLedger } from './demo-gateway.js';
import type { Reconciled } from './demo-reconciliation.js';
import type { DemoSearch } from './demo-searches.js';
import type { StayCounters } from './stay-counters.js';

/** Everything a demo run measured; `--json` prints exactly this. */
export interface DemoReport {
  store: StoreKind;
  where: string;
  /** How the store ran (SQLite: journal mode, synchronous, WAL checkpoint interval). */
  settings: string;
  quick: boolean;
  /** Stopped by Ctrl-C (or the signal): the figures cover what ran until then. */
  interrupted: boolean;
  /** The phase the run reached: `load` if interrupted while loading. */
  phase: 'load' | 'booking' | 'front desk' | 'done';
  seed: number;
  chain: {
    hotels: number;
    roomTypesPerHotel: number;
    rooms: number;
    days: number;
    calendarRows: number;
    rowsLoaded: number;
    loadSeconds: number;
    /** Where the load's time went (SQLite: schema, inserts, optimize, checkpoint, open). */
    loadPhases: { phase: string; seconds: number }[];
  };
  traffic: {
    clients: number;
    plannedAttempts: number;
    hotHotels: number;
    hotWindow: { from: string; to: string };
    /** Share of attempts aimed at the hot window. */
    hotShare: number;
    declineRate: number;
    cancelRate: number;
    replayRate: number;
    abandonRate: number;
    lostAnswerRate: number;
    saverShare: number;
    /** `engine`: `book` charges and throws `PAYMENT_FAILED`; `client`: checked before `book`. */
    declines: 'client' | 'engine';
  };
  counts: DemoCounters;
  /** created + soldOut + declined + rejected + failed + abandoned + paymentUnknown === attempts. */
  countsAddUp: boolean;
  /**
   * The maintenance worker beside the booking day: its runs, the holds it expired, the
   * lost payment answers it settled. Every abandoned hold expired and no lost answer left
   * pending, or the demo fails.
   */
  worker: WorkerTally;
  /** Minor units. From the reservations returned, and from the gateway's own ledger. */
  money: DemoMoney & {
    currency: string;
    /** `charged - refunded`: what the chain keeps. */
    net: number;
    gateway: GatewayLedger;
    /** No reservation got back more than it paid, and the gateway refused no refund for that. */
    refundsWithinCharges: boolean;
    /** The gateway took what the reservations say, and kept `charged - refunded`. */
    ledgerMatches: boolean;
  };
  /** The front desk's first days: arrivals, departures, changes, no-shows. */
  stay: StayCounters;
  /** The gateway's ledger against every reservation's balance, after the stays; null if interrupted. */
  reconciliation: Reconciled | null;
  /** Searches across the chain's hotels after the stays (none when interrupted). */
  searches: DemoSearch[];
  overbooking: {
    /** Room-nights sold beyond `total`, read from the calendar after the run. */
    roomNights: number;
    rows: number;
    /** Rows past `total + overbookingLimit`: always 0, or the store is broken. */
    rowsPastCap: number;
    withinCap: boolean;
  };
  /** The calendar read back for the overbooking and occupancy figures. */
  scanSeconds: number;
  /** Rooms sold / rooms, over the hot window, after cancellations. */
  hotWindowOccupancy: number;
  throughput: {
    seconds: number;
    /** Every request: attempts that reached the engine, replays and cancellations. */
    requestsPerSecond: number;
    attemptsPerSecond: number;
  };
  latencyMs: { book: LatencySummary; cancel: LatencySummary };
  audit: {
    ok: boolean;
    drift: number;
    findings: number;
    rowsChecked: number;
    reservationsChecked: number;
    seconds: number;
  };
  wallSeconds: number;
}

/** The booking day's money as the report shows it, checked against the gateway's ledger. */
export function moneyReport(money: DemoMoney, gateway: GatewayLedger): DemoReport['money'] {
  const net = money.charged - money.refunded;
  return {
    currency: 'EUR',
    ...money,
    net,
    gateway,
    refundsWithinCharges: money.refundsOverCharge === 0 && gateway.refundsOverCharge === 0,
    ledgerMatches: gateway.charged === money.charged && gateway.net === net,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const n = formatCount;
const eur = (cents: number) =>
  `EUR ${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The human-readable report. */
export function formatDemoReport(r: DemoReport): string {
  const c = r.counts;
  const m = r.money;
  const w = r.worker;
  const lines = [
    '',
    `Innkeeper demo on ${r.store} (${r.where})${r.interrupted ? ` — INTERRUPTED during ${r.phase}, partial figures` : ''}`,
    `  store         ${r.settings}`,
    `  chain         ${n(r.chain.hotels)} hotels, ${n(r.chain.rooms)} rooms, ${n(r.chain.rowsLoaded)} of ${n(r.chain.calendarRows)} calendar rows loaded in ${r.chain.loadSeconds.toFixed(1)} s`,
    `  load phases   ${r.chain.loadPhases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s`).join(', ')}`,
    `  traffic       ${n(r.traffic.plannedAttempts)} attempts planned, ${r.traffic.clients} clients, ${pct(r.traffic.hotShare)} aimed at the hot window (${r.traffic.hotHotels} hotels, ${r.traffic.hotWindow.from} to ${r.traffic.hotWindow.to})`,
    `  attempts      ${n(c.attempts)} = ${n(c.created)} created + ${n(c.soldOut)} sold out + ${n(c.declined)} declined + ${n(c.rejected)} rejected + ${n(c.failed)} failed + ${n(c.abandoned)} held and left + ${n(c.paymentUnknown)} payment answers lost ${r.countsAddUp ? '(adds up)' : '(DOES NOT ADD UP)'}`,
    `  worker        ${n(w.runs)} runs beside the clients${w.failedRuns ? ` (${n(w.failedRuns)} FAILED)` : ''}: ${n(w.holdsExpired)} holds expired (${n(w.abandonedExpired)} of ${n(c.abandoned)} left by guests${w.abandonedExpired === c.abandoned ? '' : ', NOT ALL'}), ${n(w.paymentsConfirmed + w.paymentsReleased)} payments recovered: of ${n(c.paymentUnknown)} lost answers ${n(w.unknownConfirmed)} confirmed (the money was taken), ${n(w.unknownReleased)} released${w.unknownPending ? `, ${n(w.unknownPending)} STILL PENDING` : ''}`,
    `  reservations  ${n(c.created)} created${w.unknownConfirmed ? ` + ${n(w.unknownConfirmed)} confirmed by the worker` : ''} (${n(c.flexBookings)} flexible, ${n(c.saverBookings)} non-refundable saver), ${n(c.cancellations)} cancelled${c.cancelFailures ? `, ${n(c.cancelFailures)} cancels failed` : ''}, ${n(c.roomNightsBooked)} room-nights booked`,
    `  declines      ${n(c.declined)} payments declined (${r.traffic.declines === 'client' ? 'at checkout, before book' : 'PAYMENT_FAILED from book'})`,
    `  charged       ${eur(m.charged)} (${eur(m.roomCharge)} rooms + ${eur(m.taxes)} VAT and city tax)`,
    `  cancellations ${n(m.freeCancellations)} free, ${n(m.penalisedCancellations)} with a penalty: ${eur(m.penalties)} penalties kept, ${eur(m.refunded)} refunded${m.refundDue ? `, ${eur(m.refundDue)} STILL OWED` : ''}`,
    `  money         net ${eur(m.net)}; gateway ${n(m.gateway.charges)} charges ${eur(m.gateway.charged)} - ${n(m.gateway.refunds)} refunds ${eur(m.gateway.refunded)} = ${eur(m.gateway.net)} ${m.ledgerMatches ? '(matches the reservations)' : '(DOES NOT MATCH the reservations)'}; ${m.refundsWithinCharges ? 'no refund above its charge' : 'REFUNDS ABOVE THEIR CHARGE'}`,
    ...stayLines(r),
    ...r.searches.map(
      (x, i) =>
        `  ${i === 0 ? 'searches     ' : '             '} ${x.label}: ${n(x.total)} hotels${x.first ? `, first ${x.first.hotelId} in ${x.first.city} at ${eur(x.first.total)}${x.first.distanceKm === null ? '' : ` (${x.first.distanceKm} km)`}` : ''}; p50 ${x.p50Ms} ms, max ${x.maxMs} ms`,
    ),
    `  replays       ${n(c.replays)} (${n(c.racedReplays)} raced the original): ${n(c.replaysConsistent)} same reservation or same refusal, ${n(c.replayMismatches)} mismatches`,
    `  overbooking   ${n(r.overbooking.roomNights)} room-nights sold beyond total on ${n(r.overbooking.rows)} rows; ${n(r.overbooking.rowsPastCap)} rows past total + overbooking limit ${r.overbooking.withinCap ? '(within the cap)' : '(CAP BROKEN)'}`,
    `  occupancy     ${pct(r.hotWindowOccupancy)} of the hot window's rooms sold (calendar read back in ${r.scanSeconds.toFixed(1)} s)`,
    `  throughput    ${n(Math.round(r.throughput.requestsPerSecond))} requests/s, ${n(Math.round(r.throughput.attemptsPerSecond))} attempts/s over ${r.throughput.seconds.toFixed(1)} s`,
    `  latency book  p50 ${r.latencyMs.book.p50} ms, p95 ${r.latencyMs.book.p95} ms, p99 ${r.latencyMs.book.p99} ms (${n(r.latencyMs.book.count)} calls)`,
    `  latency cancel p50 ${r.latencyMs.cancel.p50} ms, p95 ${r.latencyMs.cancel.p95} ms, p99 ${r.latencyMs.cancel.p99} ms (${n(r.latencyMs.cancel.count)} calls)`,
    `  audit         ${r.audit.ok ? 'ok, zero drift' : `${n(r.audit.findings)} findings, ${n(r.audit.drift)} drifted rows`} (${n(r.audit.rowsChecked)} rows, ${n(r.audit.reservationsChecked)} reservations, ${r.audit.seconds.toFixed(1)} s)`,
    `  wall time     ${r.wallSeconds.toFixed(1)} s`,
    '',
  ];
  return lines.join('\n');
}

/** The front desk's days and the money after them; none when the run was interrupted. */
function stayLines(r: DemoReport): string[] {
  const s = r.stay;
  const sm = s.money;
  const q = r.reconciliation;
  if (!q) return [];
  const refunded = sm.refundedShortenings + sm.refundedEarlyDepartures + sm.refundedNoShows;
  const kept = sm.keptShortenings + sm.keptEarlyDepartures + sm.keptNoShows;
  return [
    `  front desk    ${n(s.arrivalsDue)} arrivals due: ${n(s.checkIns)} checked in, ${n(s.noShows)} no-shows; ${n(s.checkOuts)} checked out on their date, ${n(s.earlyDepartures)} early departures (lists read in ${n(s.listPages)} pages, ${n(s.cursorPages)} of them by nextCursor; ${q.staySeconds.toFixed(1)} s)${s.failures ? `; ${n(s.failures)} calls FAILED` : ''}`,
    `  stay changes  ${n(s.extensions)} extended (top-ups charged), ${n(s.extensionsDeclined)} top-ups declined and undone, ${n(s.extensionsSoldOut)} sold out; ${n(s.shortenings)} shortened; ${n(s.guestCorrections + s.detailCorrections)} corrected (${n(s.guestCorrections)} guest, ${n(s.detailCorrections)} details)`,
    `  stay money    ${eur(sm.toppedUp)} top-ups charged; ${eur(refunded)} refunded (shortenings ${eur(sm.refundedShortenings)}, early departures ${eur(sm.refundedEarlyDepartures)}, no-shows ${eur(sm.refundedNoShows)}); ${eur(kept)} penalties kept (shortenings ${eur(sm.keptShortenings)}, early departures ${eur(sm.keptEarlyDepartures)}, no-shows ${eur(sm.keptNoShows)})`,
    `  reconciled with the gateway: ${q.ok ? 'ok' : 'FAILED'}, ${n(q.findings)} findings: ${n(q.movements)} movements against ${n(q.reservations)} reservations of ${n(q.hotels)} hotels; charged ${eur(q.charged)} - refunded ${eur(q.refunded)} = gateway net ${eur(q.gatewayNet)}; ${eur(q.penalties)} penalties kept in all, ${eur(q.due)} still due at the hotels (${q.seconds.toFixed(1)} s)`,
  ];
}
