import type { FieldChange, HistoryEntry, Reservation } from './reservation.js';
import { type Decision, transition } from './reservation-decisions.js';
import type { ReservationDetails } from './reservation-details.js';

/**
 * # Erasing a guest
 *
 * What identifies a person is replaced by a tombstone; what accounting and the hotel's
 * history need stays: dates, room types, rooms, amounts, payments, statuses and when each
 * change happened. Erased: the guest's name, e-mail and phone, the hotel's notes, the
 * guest's special requests, the names of the guests on each line, the request fingerprint
 * (a digest of the guest's name and e-mail), the free-text reason of every history entry,
 * and the old and new values of every correction of those fields (the entry itself stays:
 * "the e-mail was corrected on that day").
 */

/** The name an erased reservation's guest carries. */
export const ERASED_GUEST_NAME = 'erased';
/** The e-mail an erased reservation's guest carries (a reserved domain: it reaches nobody). */
export const ERASED_GUEST_EMAIL = 'erased@erased.invalid';
/** The request fingerprint of an erased reservation (a replay of its key is a reused key). */
export const ERASED_FINGERPRINT = 'erased';

/** Fields whose values are personal: their corrections lose their old and new values. */
const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  'guest.name',
  'guest.email',
  'guest.phone',
  'notes',
  'specialRequests',
  'lineGuests',
]);

/** Whether `r` was erased (it carries the tombstone and its `erased` entry). */
export function isErased(r: Reservation): boolean {
  return r.guest.email === ERASED_GUEST_EMAIL && r.history.some((h) => h.action === 'erased');
}

/**
 * `r` with its guest's personal data erased and an `erased` history entry: a new
 * version, like any change. `reason` is recorded on the entry: say why (a request's
 * number), never whose.
 */
export function erasedReservation(r: Reservation, at: string, reason?: string): Reservation {
  const base: Reservation = {
    ...r,
    guest: { name: ERASED_GUEST_NAME, email: ERASED_GUEST_EMAIL },
    requestFingerprint: ERASED_FINGERPRINT,
    history: r.history.map(erasedEntry),
  };
  const details = erasedDetails(r.details);
  if (details) base.details = details;
  else delete base.details;
  return transition(base, at, 'erased', {}, reason);
}

/**
 * Erases the guest of `current` (the decider `eraseGuest` hands the store): `unchanged`
 * when it was erased already, so a repeated erasure writes nothing.
 */
export function decideErasure(current: Reservation, at: string, reason?: string): Decision {
  if (isErased(current)) return { kind: 'unchanged', reservation: current };
  return {
    kind: 'apply',
    next: erasedReservation(current, at, reason),
    deltas: [],
    action: 'erased',
  };
}

function erasedDetails(details: ReservationDetails | undefined): ReservationDetails | undefined {
  if (!details) return undefined;
  const { notes: _notes, specialRequests: _requests, lineGuests: _names, ...kept } = details;
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function erasedEntry(entry: HistoryEntry): HistoryEntry {
  const { reason: _reason, changes, ...kept } = entry;
  return changes ? { ...kept, changes: changes.map(erasedChange) } : kept;
}

function erasedChange(change: FieldChange): FieldChange {
  return PERSONAL_FIELDS.has(change.field) ? { field: change.field } : change;
}
