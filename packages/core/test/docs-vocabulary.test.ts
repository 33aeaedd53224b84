import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ErrorCode } from '../src/errors.js';
import type { InnkeeperEventType } from '../src/port/events.js';
import { historyEntrySchema, reservationStatusSchema } from '../src/reservation/reservation.js';

/**
 * The docs name every value the code can produce: a status, a history action, an event
 * type or an error code added to the code without a word in the docs fails here. The
 * records are keyed by the types, so a new member that is not listed does not compile.
 */
const docs = join(import.meta.dirname, '../../../docs');
const read = (page: string) => readFileSync(join(docs, page), 'utf8');

const ERROR_CODES = {
  VALIDATION: true,
  NOT_FOUND: true,
  SOLD_OUT: true,
  RESTRICTED: true,
  IDEMPOTENCY_KEY_REUSED: true,
  INVALID_STATE: true,
  PAYMENT_FAILED: true,
  CONFLICT: true,
  STORAGE: true,
  ABORTED: true,
  FEED_PRUNED: true,
} satisfies Record<ErrorCode, true>;

const EVENT_TYPES = {
  'reservation.created': true,
  'reservation.confirmed': true,
  'reservation.cancelled': true,
  'reservation.expired': true,
  'reservation.modified': true,
  'reservation.released': true,
  'reservation.no-show': true,
  'reservation.payment': true,
  'reservation.checked-in': true,
  'reservation.checked-out': true,
  'reservation.check-in-undone': true,
  'reservation.check-out-undone': true,
  'reservation.corrected': true,
  'reservation.rooms-changed': true,
  'reservation.erased': true,
  'inventory.changed': true,
  'hotel.created': true,
  'hotel.updated': true,
  'room-type.created': true,
  'room-type.updated': true,
  'rate-card.updated': true,
} satisfies Record<InnkeeperEventType, true>;

describe('the docs name everything the code can produce', () => {
  const concepts = read('concepts.md');

  test.each(reservationStatusSchema.options)('concepts.md describes the status `%s`', (status) => {
    expect(concepts).toMatch(new RegExp(`\\| \`${status}\`\\s+\\|`));
  });

  test.each(historyEntrySchema.shape.action.options)(
    'concepts.md describes the history action `%s`',
    (action) => {
      expect(concepts).toMatch(new RegExp(`\\| \`${action}\`\\s+\\|`));
    },
  );

  test.each(Object.keys(EVENT_TYPES))('concepts.md names the event type `%s`', (type) => {
    expect(concepts).toContain(`\`${type}\``);
  });

  test.each(Object.keys(ERROR_CODES))('errors.md has a row and a section for `%s`', (code) => {
    const errors = read('errors.md');
    expect(errors).toMatch(new RegExp(`\\| \`${code}\`\\s+\\|`));
    expect(errors).toMatch(new RegExp(`^### ${code}$`, 'm'));
  });
});
