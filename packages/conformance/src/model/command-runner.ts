import {
  type Innkeeper,
  isInnkeeperError,
  type ManualClock,
  type Reservation,
} from '@innkeeper/core';
import { day, HOTEL_ID } from '../fixture.js';
import {
  type Command,
  describeCommand,
  describeStay,
  type SeedCommand,
  type StaySpec,
} from './commands.js';

/** One guest for every booking, so "same key, same request" only depends on the stay. */
const GUEST = { name: 'Grace Hopper', email: 'grace@example.com' };

/** The engine calls the concurrency properties make. */
export type CallKind =
  | 'book'
  | 'hold'
  | 'confirm'
  | 'cancel'
  | 'modify'
  | 'expireHolds'
  | 'noShow'
  | 'checkIn'
  | 'checkOut'
  | 'undoCheckIn'
  | 'undoCheckOut'
  | 'correct'
  | 'recover';

/** What one engine call asked for and what it got, for the checks after the run. */
export interface CallRecord {
  label: string;
  kind: CallKind;
  /** book/hold: the idempotency key, and the rest of the request (op included) as text. */
  key?: string;
  request?: string;
  /** First night asked for (book, hold, modify): a VALIDATION error is legitimate once it is past. */
  checkIn?: string;
  outcome: { ok: true; reservations: Reservation[] } | { ok: false; error: unknown };
}

export interface Runner {
  inn: Innkeeper;
  clock: ManualClock;
  /** Reservation ids that confirm/cancel/modify pick from; bookings append as they succeed. */
  known: string[];
  /** Resolves when a call may start: the scheduler's pick, or at once for a plain storm. */
  arrive: (label: string) => Promise<unknown>;
}

export function bookingInput(key: string, stay: StaySpec) {
  return {
    idempotencyKey: key,
    hotelId: HOTEL_ID,
    checkIn: day(stay.checkIn),
    checkOut: day(stay.checkOut),
    lines: stay.lines.map((l) => ({ roomTypeId: l.roomTypeId, rooms: l.rooms, adults: 1 })),
    guest: GUEST,
  };
}

/** The seed phase: one call after another; a seed that does not fit is simply skipped. */
export async function runSeed(inn: Innkeeper, seeds: SeedCommand[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, seed] of seeds.entries()) {
    const input = bookingInput(`seed-${i}`, seed.stay);
    try {
      const r =
        seed.kind === 'book'
          ? await inn.book(input)
          : await inn.hold({ ...input, ttlSeconds: seed.ttlSeconds });
      ids.push(r.id);
    } catch (error) {
      if (!isInnkeeperError(error, 'SOLD_OUT')) throw error;
    }
  }
  return ids;
}

/**
 * Starts every command once `arrive` lets it in, all at the same time, and records how
 * each call ended. Never rejects: failures are data for the checks.
 */
export async function runCommands(runner: Runner, commands: Command[]): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  await Promise.all(
    commands.map((command, i) =>
      runner
        .arrive(`arrive #${i} ${describeCommand(command)}`)
        .then(() => start(runner, command, `#${i}`, records)),
    ),
  );
  return records;
}

async function start(r: Runner, command: Command, tag: string, records: CallRecord[]) {
  const record = async (
    base: Omit<CallRecord, 'outcome'>,
    call: Promise<Reservation | Reservation[]>,
  ) => {
    const outcome: CallRecord['outcome'] = await call.then(
      (value) => ({ ok: true, reservations: Array.isArray(value) ? value : [value] }),
      (error: unknown) => ({ ok: false, error }),
    );
    records.push({ ...base, outcome });
    return outcome;
  };
  // Targets are picked when the call arrives, so they include bookings made during the run.
  const target = (index: number) => r.known[index % Math.max(r.known.length, 1)];

  switch (command.kind) {
    case 'book':
    case 'hold': {
      const input = bookingInput(command.key, command.stay);
      const ttl = command.kind === 'hold' ? command.ttlSeconds : null;
      const reserve = (label: string) => {
        const call = ttl === null ? r.inn.book(input) : r.inn.hold({ ...input, ttlSeconds: ttl });
        const request = `${command.kind} ${describeStay(command.stay)} ttl=${ttl}`;
        const base = {
          label,
          kind: command.kind,
          key: command.key,
          request,
          checkIn: input.checkIn,
        };
        return record(base, call).then((outcome) => {
          const id = outcome.ok ? outcome.reservations[0]?.id : undefined;
          if (id !== undefined && !r.known.includes(id)) r.known.push(id);
        });
      };
      const label = `${tag} ${describeCommand(command)}`;
      const first = reserve(label);
      // The racing twin: same key, same request, arriving while the first is in flight.
      const second = command.twice
        ? r.arrive(`arrive ${tag}b twin`).then(() => reserve(`${tag}b twin of ${label}`))
        : undefined;
      await Promise.all([first, second]);
      return;
    }
    case 'confirm': {
      const id = target(command.target);
      if (id === undefined) return;
      await record(
        { label: `${tag} confirm ${id}`, kind: 'confirm' },
        r.inn.confirm({ reservationId: id }),
      );
      return;
    }
    case 'cancel': {
      const id = target(command.target);
      if (id === undefined) return;
      const cancel = (label: string) =>
        record({ label, kind: 'cancel' }, r.inn.cancel({ reservationId: id, reason: label }));
      const first = cancel(`${tag} cancel ${id}`);
      // The second cancel arrives while the first is still on its way to the store.
      const second = command.twice
        ? r
            .arrive(`arrive ${tag}b cancel ${id} again`)
            .then(() => cancel(`${tag}b cancel ${id} again`))
        : undefined;
      await Promise.all([first, second]);
      return;
    }
    case 'modify': {
      const id = target(command.target);
      if (id === undefined) return;
      const { checkIn, checkOut, lines } = bookingInput('', command.stay);
      const version =
        command.expectedVersion === undefined ? {} : { expectedVersion: command.expectedVersion };
      await record(
        { label: `${tag} modify ${id} -> ${describeStay(command.stay)}`, kind: 'modify', checkIn },
        r.inn.modify({ reservationId: id, checkIn, checkOut, lines, ...version }),
      );
      return;
    }
    case 'expireHolds':
      await record({ label: `${tag} expireHolds`, kind: 'expireHolds' }, r.inn.expireHolds());
      return;
    case 'advanceClock':
      r.clock.advance(command.ms);
      return;
  }
}
