import { type InnkeeperEvent, isCatalogEvent, type ReservationStatus } from '@innkeeper/core';
import { type MoveRules, timingProblems } from './move-timing.js';
import { NightHistories } from './night-history.js';
import type { ReservationLog, ReservationVersion } from './reservation-log.js';
import { isMove, MOVES, RELEASED_STATUSES, type ReservationMove } from './state-table.js';

/**
 * A deliberately naive, sequential model of one hotel's calendar, fed the store's change
 * feed one event at a time.
 *
 * The feed is the store's own account of the order in which its commands took effect.
 * If the store is correct (its commands are atomic and isolated), that order is a
 * serial history: replaying it through this model — plain integer maps, no concurrency,
 * its own room arithmetic rather than the core's — must reproduce every event's rows,
 * never go over a cap, and end on exactly the rows the store holds. A lost update, a
 * half-applied booking or a double release makes some step disagree.
 */
export interface ModelRow {
  roomTypeId: string;
  date: string;
  total: number;
  overbookingLimit: number;
  reserved: number;
  stopSell: boolean;
}

export interface ModelReservation {
  status: ReservationStatus;
  version: number;
  lines: ReservationVersion['lines'];
  /** The version as the store returned it: what the next move's rules are judged from. */
  seen: ReservationVersion;
}

/** The fixture's rules, for runs that do not say otherwise. */
const DEFAULT_RULES: MoveRules = { timeZone: 'Europe/Paris', undoWindowMinutes: 30 };

const EMPTY_ROW: ModelRow = {
  roomTypeId: '',
  date: '',
  total: 0,
  overbookingLimit: 0,
  reserved: 0,
  stopSell: false,
};

export class SequentialModel {
  readonly rows = new Map<string, ModelRow>();
  readonly reservations = new Map<string, ModelReservation>();
  /** Filled from `startTracking()` on: the nights as the concurrent phase could see them. */
  readonly nights = new NightHistories();
  readonly problems: string[] = [];
  private tracking = false;
  private lastSeq = 0;

  constructor(
    private readonly log: ReservationLog,
    private readonly rules: MoveRules = DEFAULT_RULES,
  ) {}

  /** From now on, remember each night's least remaining capacity (every row, as it is). */
  startTracking(): void {
    this.tracking = true;
    for (const [key, row] of this.rows) this.observe(key, row);
  }

  apply(event: InnkeeperEvent): void {
    const where = `event ${event.seq} (${event.type}${event.reservationId ? ` ${event.reservationId}` : ''})`;
    if (event.seq <= this.lastSeq) this.problems.push(`${where} comes after seq ${this.lastSeq}`);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    // A catalog write changes no row and no reservation.
    if (isCatalogEvent(event)) return;
    if (event.type === 'inventory.changed') {
      // Inventory changes set totals; the model takes them as given but they must not
      // move `reserved`.
      for (const day of event.days) {
        const key = `${day.roomTypeId}@${day.date}`;
        const before = this.rows.get(key)?.reserved ?? 0;
        if (day.reserved !== before) {
          this.problems.push(`${where}: ${key} reserved went ${before} -> ${day.reserved}`);
        }
        this.setRow(key, { ...pickRow(day), reserved: before }, where);
      }
      return;
    }
    this.applyReservationEvent(event, where);
  }

  private applyReservationEvent(event: InnkeeperEvent, where: string): void {
    const id = event.reservationId ?? '';
    const current = this.reservations.get(id);
    const version = (current?.version ?? 0) + 1;
    // Every change bumps the version by one, so the n-th event of a reservation is version n.
    const next = this.log.get(id, version);
    if (!next) {
      this.problems.push(
        `${where}: no reservation ${id} v${version} ever came back from the store`,
      );
      return;
    }
    let before: ModelReservation['lines'] = [];
    let status: ReservationStatus | undefined;
    if (event.type === 'reservation.created') {
      if (current) this.problems.push(`${where}: ${id} was created twice`);
      status = next.status === 'held' || next.status === 'confirmed' ? next.status : undefined;
    } else if (!current) {
      this.problems.push(`${where}: ${id} changed before it was created`);
    } else if (!isMove(event.type)) {
      this.problems.push(`${where}: ${event.type} is not a move of the state table`);
    } else {
      status = this.checkMove(event.type, current, next, where);
      // Nights of a cancelled, expired or no-show reservation were already given back.
      before = RELEASED_STATUSES.includes(current.status) ? [] : current.lines;
    }
    if (next.status !== status) {
      this.problems.push(`${where}: ${id} v${version} is ${next.status}, expected ${status}`);
    }
    this.reservations.set(id, { status: next.status, version, lines: next.lines, seen: next });
    const after = RELEASED_STATUSES.includes(next.status) ? [] : next.lines;
    this.applyChange(subtract(occupancy(after), occupancy(before)), event, where);
  }

  /**
   * One move judged against the state table: allowed from the status it left, the
   * nights changed only by moves that may change them, and at a time the table allows.
   * Returns the status the move leads to.
   */
  private checkMove(
    type: ReservationMove,
    current: ModelReservation,
    next: ReservationVersion,
    where: string,
  ): ReservationStatus {
    const move = MOVES[type];
    if (!move.from.includes(current.status)) {
      this.problems.push(`${where}: ${type} from ${current.status} is not in the state table`);
    }
    if (!move.linesMayChange && !sameLines(current.lines, next.lines)) {
      this.problems.push(`${where}: the nights changed on ${type}, which never changes them`);
    }
    for (const problem of timingProblems(type, current.seen, next, this.rules)) {
      this.problems.push(`${where}: ${problem}`);
    }
    return move.to === 'same' ? current.status : move.to;
  }

  private applyChange(change: Map<string, number>, event: InnkeeperEvent, where: string): void {
    const listed = new Map(event.days.map((d) => [`${d.roomTypeId}@${d.date}`, d]));
    for (const [key, rooms] of change) {
      const row = this.rows.get(key);
      if (!row) this.problems.push(`${where}: ${key} has no calendar row`);
      // A missing row behaves as an empty one: nothing to sell, so any claim is over cap.
      const base = row ?? {
        ...EMPTY_ROW,
        roomTypeId: key.split('@')[0] ?? '',
        date: key.split('@')[1] ?? '',
      };
      this.setRow(key, { ...base, reserved: base.reserved + rooms }, where);
      if (!listed.has(key)) this.problems.push(`${where}: changed ${key} but does not list it`);
    }
    for (const [key, day] of listed) {
      const model = this.rows.get(key);
      if (!model || !sameRow(day, model)) {
        this.problems.push(
          `${where}: lists ${key} as ${showRow(day)}, the model has ${model ? showRow(model) : 'no row'}`,
        );
      }
    }
  }

  private setRow(key: string, row: ModelRow, where: string): void {
    const cap = row.total + row.overbookingLimit;
    if (row.reserved < 0) this.problems.push(`${where}: ${key} reserved ${row.reserved} < 0`);
    if (row.reserved > cap) {
      this.problems.push(`${where}: ${key} reserved ${row.reserved} is over capacity ${cap}`);
    }
    this.rows.set(key, row);
    this.observe(key, row);
  }

  private observe(key: string, row: ModelRow): void {
    if (this.tracking) this.nights.observe(key, row);
  }
}

export function sameRow(a: ModelRow, b: ModelRow): boolean {
  return (
    a.total === b.total &&
    a.overbookingLimit === b.overbookingLimit &&
    a.reserved === b.reserved &&
    a.stopSell === b.stopSell
  );
}

export function showRow(row: ModelRow): string {
  return `{total ${row.total}+${row.overbookingLimit}, reserved ${row.reserved}${row.stopSell ? ', stop-sell' : ''}}`;
}

function pickRow(day: ModelRow): ModelRow {
  const { roomTypeId, date, total, overbookingLimit, reserved, stopSell } = day;
  return { roomTypeId, date, total, overbookingLimit, reserved, stopSell };
}

/** Rooms per `roomType@date`: the model's own arithmetic, independent of the core's deltas. */
export function occupancy(lines: ModelReservation['lines']): Map<string, number> {
  const rooms = new Map<string, number>();
  for (const line of lines) {
    for (const date of line.nights) {
      const key = `${line.roomTypeId}@${date}`;
      rooms.set(key, (rooms.get(key) ?? 0) + line.rooms);
    }
  }
  return rooms;
}

function subtract(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const change = new Map(after);
  for (const [key, rooms] of before) change.set(key, (change.get(key) ?? 0) - rooms);
  for (const [key, rooms] of change) if (rooms === 0) change.delete(key);
  return change;
}

function sameLines(a: ModelReservation['lines'], b: ModelReservation['lines']): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
