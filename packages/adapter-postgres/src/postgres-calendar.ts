import {
  type CalendarUpdate,
  type CalendarUpdateOutcome,
  changeCalendarDays,
} from '@innkeeper/core/store';
import type { Queries } from './postgres-queries.js';
import { toCalendarDays } from './postgres-rows.js';
import type { PostgresClient } from './postgres-store-config.js';
import type { TransactionControl } from './postgres-transaction.js';

/**
 * A calendar update inside the caller's transaction: lock the rows (creating missing
 * ones), run the core's `changeCalendarDays` on them as they are, and write them back
 * with their `inventory.changed` event, or roll the whole transaction back and answer
 * `rejected`. `updateCalendar`, and `saveRoom` for a spell out of order, both use it.
 */
export async function updateCalendarInside(
  client: PostgresClient,
  tx: TransactionControl,
  queries: Queries,
  update: CalendarUpdate,
  at: string,
): Promise<CalendarUpdateOutcome> {
  const { hotelId, roomTypeId, dates } = update;
  const { rows } = await client.query<{ days: string }>({
    ...queries.lockCalendar,
    values: [hotelId, roomTypeId, dates],
  });
  const current = new Map(toCalendarDays(rows[0]?.days).map((d) => [d.date, d]));
  const outcome = changeCalendarDays(update, (date) => current.get(date));
  if (outcome.kind === 'rejected') {
    // Also undoes the empty rows lock_calendar created for missing dates.
    tx.rollback();
    return outcome;
  }
  const next = outcome.days;
  await client.query({
    ...queries.writeCalendar,
    values: [
      hotelId,
      roomTypeId,
      next.map((d) => d.date),
      next.map((d) => d.total),
      next.map((d) => d.overbookingLimit),
      next.map((d) => d.stopSell),
      next.map((d) => d.rate),
      at,
    ],
  });
  return outcome;
}
