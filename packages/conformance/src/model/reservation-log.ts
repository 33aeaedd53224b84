import type { InnkeeperStore, Reservation, ReservationStatus } from '@innkeeper/core';

/** What the sequential model needs of one version of a reservation. */
export interface ReservationVersion {
  status: ReservationStatus;
  checkIn: string;
  checkOut: string;
  lines: { roomTypeId: string; rooms: number; nights: string[] }[];
  /** When this version was written (its last history entry). */
  at: string;
  /** The check-in time of the arrival date, as captured: no-shows after, cancels before. */
  checkInAt: string;
  /** Who forced this version's move, when someone did (a cancellation after arrival). */
  by?: string;
  checkedInAt?: string;
  checkedOutAt?: string;
}

/**
 * Every version of every reservation the store has handed out, keyed by (id, version).
 *
 * The change feed says *that* a reservation was created or modified and which rows it
 * left behind, not which nights it claimed. To replay the feed into an independent model
 * we need each version's lines; every command that changes a reservation returns the new
 * version, so recording what crosses the port is enough. A version is one state of the
 * reservation, so seeing two different contents for the same (id, version) is itself a
 * bug and is reported.
 */
export class ReservationLog {
  private readonly versions = new Map<string, ReservationVersion>();
  readonly problems: string[] = [];

  get(id: string, version: number): ReservationVersion | undefined {
    return this.versions.get(`${id}@v${version}`);
  }

  record(reservation: Reservation): void {
    const key = `${reservation.id}@v${reservation.version}`;
    const seen: ReservationVersion = {
      status: reservation.status,
      checkIn: reservation.checkIn,
      checkOut: reservation.checkOut,
      lines: reservation.lines.map((line) => ({
        roomTypeId: line.roomTypeId,
        rooms: line.rooms,
        nights: line.nights.map((night) => night.date),
      })),
      at: reservation.updatedAt,
      checkInAt: reservation.cancellation.checkInAt,
      ...optional('by', reservation.history.at(-1)?.by),
      ...optional('checkedInAt', reservation.checkedInAt),
      ...optional('checkedOutAt', reservation.checkedOutAt),
    };
    const before = this.versions.get(key);
    if (!before) this.versions.set(key, seen);
    else if (JSON.stringify(before) !== JSON.stringify(seen)) {
      this.problems.push(
        `${key} was returned with two different contents: ${JSON.stringify(before)} and ${JSON.stringify(seen)}`,
      );
    }
  }

  /** Records every reservation inside a port result (outcomes, lists, single rows). */
  observe(result: unknown): void {
    if (Array.isArray(result)) {
      for (const item of result) this.observe(item);
    } else if (isReservation(result)) {
      this.record(result);
    } else if (result && typeof result === 'object' && 'reservation' in result) {
      this.observe(result.reservation);
    }
  }
}

function optional<K extends string>(key: K, value: string | undefined) {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function isReservation(value: unknown): value is Reservation {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    'version' in value &&
    'lines' in value &&
    'status' in value
  );
}

/** Wraps a store so that every reservation it returns is recorded in `log`. */
export function recordStoreCalls(store: InnkeeperStore, log: ReservationLog): InnkeeperStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        log.observe(result);
        return result;
      };
    },
  });
}
