import { addDays, type Innkeeper, type ManualClock, type Reservation } from '@innkeeper/core';
import type { CallKind, CallRecord } from './command-runner.js';
import { bookingInput } from './command-runner.js';
import { describeStay, type StaySpec } from './commands.js';
import { describeStayCommand, type StayCommand } from './stay-commands.js';

export interface StayRunner {
  inn: Innkeeper;
  clock: ManualClock;
  /** Reservation ids the moves pick from; bookings append as they succeed. */
  known: string[];
  /** Resolves when a call may start: the scheduler's pick. */
  arrive: (label: string) => Promise<unknown>;
  /** Gateway charges under way: the clock never jumps past the grace period over one. */
  inFlight: { charges: number };
  /**
   * The stay each key was first booked for: a key always carries the same request, so a
   * second book is a replay (a reuse with another request is the plain property's
   * business; here a booking whose charge failed keeps its key).
   */
  stays: Map<string, StaySpec>;
  /**
   * Reservations this run saw checked in and checked out, newest last: check-out (alone,
   * or followed by its undo) picks from the guests checked in, so it mostly meets a stay
   * it can apply to, and races whatever else targets it.
   */
  moved: { checkedIn: string[]; checkedOut: string[] };
}

/**
 * Starts every command once the scheduler lets it arrive, all at once, and records how
 * each call ended. Never rejects: failures are data for the checks.
 */
export async function runStayCommands(r: StayRunner, commands: StayCommand[]) {
  const records: CallRecord[] = [];
  await Promise.all(
    commands.map((command, i) =>
      r
        .arrive(`arrive #${i} ${describeStayCommand(command)}`)
        .then(() => start(r, command, `#${i}`, records)),
    ),
  );
  return records;
}

async function start(r: StayRunner, command: StayCommand, tag: string, records: CallRecord[]) {
  const record = async (
    base: { label: string; kind: CallKind; key?: string; request?: string; checkIn?: string },
    call: Promise<Reservation | Reservation[] | unknown>,
  ) => {
    const outcome: CallRecord['outcome'] = await call.then(
      (value) => ({ ok: true, reservations: reservationsIn(value) }),
      (error: unknown) => ({ ok: false, error }),
    );
    records.push({ ...base, outcome });
    return outcome;
  };
  // Targets are picked when the call arrives, so they include bookings made during the run.
  const id = 'target' in command ? pick(targetsOf(r, command.kind), command.target) : '';
  const label = `${tag} ${describeStayCommand(command)}${id ? ` (${id})` : ''}`;
  if (id === undefined) return;
  const reservationId = id;

  switch (command.kind) {
    case 'book': {
      const stay = r.stays.get(command.key) ?? command.stay;
      r.stays.set(command.key, stay);
      const input = bookingInput(command.key, stay);
      const base = {
        kind: 'book' as const,
        key: command.key,
        request: `book ${describeStay(stay)}`,
        checkIn: input.checkIn,
      };
      const reserve = (l: string) =>
        record({ ...base, label: l }, r.inn.book(input)).then((outcome) => {
          const booked = outcome.ok ? outcome.reservations[0]?.id : undefined;
          if (booked !== undefined && !r.known.includes(booked)) r.known.push(booked);
        });
      const twin = command.twice
        ? r.arrive(`arrive ${tag}b twin`).then(() => reserve(`${tag}b twin of ${label}`))
        : undefined;
      await Promise.all([reserve(label), twin]);
      return;
    }
    case 'modify': {
      // The new length counts from the stay's arrival, read when the call starts.
      const { checkIn } = await r.inn.getReservation(reservationId);
      const checkOut = addDays(checkIn, command.nights);
      await record({ label, kind: 'modify', checkIn }, r.inn.modify({ reservationId, checkOut }));
      return;
    }
    case 'cancel': {
      const force = command.force ? { force: { by: 'duty manager', reason: label } } : {};
      await record({ label, kind: 'cancel' }, r.inn.cancel({ reservationId, ...force }));
      return;
    }
    case 'noShow':
      await record({ label, kind: 'noShow' }, r.inn.markNoShow({ reservationId }));
      return;
    case 'checkIn': {
      const outcome = await record({ label, kind: 'checkIn' }, r.inn.checkIn({ reservationId }));
      if (outcome.ok) r.moved.checkedIn.push(reservationId);
      return;
    }
    case 'checkOut': {
      const outcome = await record({ label, kind: 'checkOut' }, r.inn.checkOut({ reservationId }));
      if (outcome.ok) r.moved.checkedOut.push(reservationId);
      return;
    }
    case 'undoCheckIn': {
      // The move made by mistake first, then its undo (other calls run in between).
      const moved = await record(
        { label: `${label}: in`, kind: 'checkIn' },
        r.inn.checkIn({ reservationId }),
      );
      if (moved.ok) r.moved.checkedIn.push(reservationId);
      await r.arrive(`arrive ${tag}b undo check-in ${reservationId}`);
      await record(
        { label: `${label}: undo`, kind: 'undoCheckIn' },
        r.inn.undoCheckIn({ reservationId, reason: 'wrong guest' }),
      );
      return;
    }
    case 'undoCheckOut': {
      const moved = await record(
        { label: `${label}: out`, kind: 'checkOut' },
        r.inn.checkOut({ reservationId }),
      );
      if (moved.ok) r.moved.checkedOut.push(reservationId);
      await r.arrive(`arrive ${tag}b undo check-out ${reservationId}`);
      await record(
        { label: `${label}: undo`, kind: 'undoCheckOut' },
        r.inn.undoCheckOut({ reservationId, reason: 'still here' }),
      );
      return;
    }
    case 'correct': {
      const call = command.externalRef
        ? r.inn.updateReservationDetails({ reservationId, externalRef: command.externalRef })
        : r.inn.updateGuest({ reservationId, phone: command.phone });
      await record({ label, kind: 'correct' }, call);
      return;
    }
    case 'recover':
      // The default grace period: what is younger may still be in flight.
      await record({ label, kind: 'recover' }, r.inn.recoverPendingPayments());
      return;
    case 'advanceClock':
      // Never while a charge is under way: the engine's contract is that a charge takes
      // less than the payment grace period.
      if (r.inFlight.charges === 0) r.clock.advance(command.ms);
      return;
  }
}

/** Where a move picks its target from: a list of stays it can apply to, when there are some. */
function targetsOf(r: StayRunner, kind: StayCommand['kind']): string[] {
  const recent = kind === 'checkOut' || kind === 'undoCheckOut' ? r.moved.checkedIn : [];
  return recent.length > 0 ? recent : r.known;
}

function pick(ids: string[], index: number): string | undefined {
  return ids[index % Math.max(ids.length, 1)];
}

/** The reservations an engine call returned (none for a recovery report). */
function reservationsIn(value: unknown): Reservation[] {
  if (Array.isArray(value)) return value as Reservation[];
  if (value && typeof value === 'object' && 'version' in value) return [value as Reservation];
  return [];
}
