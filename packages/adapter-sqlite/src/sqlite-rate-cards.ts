import type { RateCard } from '@innkeeper/core';
import type { SqliteStatements } from './sqlite-statements.js';

/**
 * `putRateCard` inside its `BEGIN IMMEDIATE`: a compare-and-set on the stored revision
 * (a hotel without a card is at revision 0), read and written under one write lock.
 */
export function putRateCardInside(
  st: SqliteStatements,
  card: RateCard,
  expectedRevision: number,
): 'updated' | 'conflict' | 'missing' {
  if (!st.hotelExists.get(card.hotelId)) return 'missing';
  const stored = st.getRateCardRevision.get(card.hotelId)?.revision ?? 0;
  if (stored !== expectedRevision) return 'conflict';
  st.upsertRateCard.run(card.hotelId, card.revision, JSON.stringify(card));
  return 'updated';
}
