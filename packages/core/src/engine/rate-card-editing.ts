import type { z } from 'zod';
import { InnkeeperError, notFound } from '../errors.js';
import { emptyRateCard, type RateCard, type RateCardContent } from '../rate-card/rate-card.js';
import { removeById, upsertById } from '../rate-card/rate-card-edits.js';
import { checkRateCard } from '../rate-card/rate-plans.js';
import type { Catalog } from './catalog.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import {
  removeFromRateCardInputSchema,
  setCheckInTimeInputSchema,
  setRateCardInputSchema,
  setTaxesInputSchema,
  upsertCancellationPolicyInputSchema,
  upsertRatePlanInputSchema,
  upsertRestrictionInputSchema,
} from './requests.js';

type CardEditInput = { hotelId: string; expectedRevision?: number | undefined };

/** One edit of a rate card: its input schema, and what it does to the card's content. */
export interface CardEdit<S extends z.ZodType<CardEditInput>> {
  schema: S;
  edit: (input: z.output<S>) => (card: RateCardContent) => RateCardContent;
}

function cardEdit<S extends z.ZodType<CardEditInput>>(
  schema: S,
  edit: (input: z.output<S>) => (card: RateCardContent) => RateCardContent,
): CardEdit<S> {
  return { schema, edit };
}

/** Every edit the engine offers, each one entry: `RateCardEditing.apply` runs them all. */
export const RATE_CARD_EDITS = {
  setRateCard: cardEdit(
    setRateCardInputSchema,
    ({ hotelId: _hotelId, expectedRevision: _expected, ...content }) =>
      () =>
        content,
  ),
  upsertRatePlan: cardEdit(upsertRatePlanInputSchema, ({ ratePlan }) => (card) => ({
    ...card,
    ratePlans: upsertById(card.ratePlans, ratePlan),
  })),
  removeRatePlan: cardEdit(removeFromRateCardInputSchema, ({ id }) => (card) => ({
    ...card,
    ratePlans: removeById(card.ratePlans, id),
  })),
  upsertRestriction: cardEdit(upsertRestrictionInputSchema, ({ restriction }) => (card) => ({
    ...card,
    restrictions: upsertById(card.restrictions, restriction),
  })),
  removeRestriction: cardEdit(removeFromRateCardInputSchema, ({ id }) => (card) => ({
    ...card,
    restrictions: removeById(card.restrictions, id),
  })),
  setTaxes: cardEdit(setTaxesInputSchema, ({ taxes }) => (card) => ({ ...card, taxes })),
  upsertCancellationPolicy: cardEdit(
    upsertCancellationPolicyInputSchema,
    ({ policy }) =>
      (card) => ({
        ...card,
        cancellationPolicies: upsertById(card.cancellationPolicies, policy),
      }),
  ),
  removeCancellationPolicy: cardEdit(removeFromRateCardInputSchema, ({ id }) => (card) => ({
    ...card,
    cancellationPolicies: removeById(card.cancellationPolicies, id),
  })),
  setCheckInTime: cardEdit(setCheckInTimeInputSchema, ({ checkInTime }) => (card) => ({
    ...card,
    checkInTime,
  })),
};

/** Reads a hotel's rate card and edits it, with a revision check on every write. */
export class RateCardEditing {
  constructor(
    private readonly context: EngineContext,
    private readonly catalog: Catalog,
  ) {}

  /** The hotel's rate card (an empty one, revision 0, when it never stored one). */
  async get(hotelId: string): Promise<RateCard> {
    const { id } = await this.catalog.getHotel(hotelId); // parses hotelId
    const card = await this.context.store.getRateCard(id);
    return card ?? emptyRateCard(id);
  }

  /** Parses `input` with the edit's schema, then edits the card (see `edit`). */
  async apply<S extends z.ZodType<CardEditInput>>(
    { schema, edit }: CardEdit<S>,
    input: unknown,
  ): Promise<RateCard> {
    const parsed = parse(schema, input);
    return this.edit(parsed.hotelId, parsed.expectedRevision, edit(parsed));
  }

  /**
   * Applies `edit` to the card as stored and writes it back with a revision check. A
   * concurrent edit makes the write fail; the edit is then re-applied to the newer card,
   * unless the caller named the revision it edited (`expectedRevision`), which makes it
   * a `CONFLICT` instead.
   */
  private async edit(
    hotelId: string,
    expectedRevision: number | undefined,
    edit: (card: RateCardContent) => RateCardContent,
  ): Promise<RateCard> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.get(hotelId);
      if (expectedRevision !== undefined && current.revision !== expectedRevision) {
        throw rateCardConflict(hotelId, expectedRevision, current.revision);
      }
      const { hotelId: _, revision, updatedAt, ...content } = current;
      const next = edit(content);
      checkRateCard(next, await this.catalog.listRoomTypes(hotelId));
      const card: RateCard = {
        ...next,
        hotelId,
        revision: revision + 1,
        updatedAt: nowIso(this.context),
      };
      const result = await this.context.store.putRateCard(card, revision);
      if (result === 'missing') throw notFound('hotel', hotelId);
      if (result === 'updated') return card;
      if (expectedRevision !== undefined) {
        throw rateCardConflict(hotelId, expectedRevision, revision + 1);
      }
    }
    throw new InnkeeperError('CONFLICT', `Rate card of ${hotelId} kept changing; try again`, {
      entity: 'rateCard',
      id: hotelId,
      reason: 'concurrent edits',
    });
  }
}

function rateCardConflict(hotelId: string, expected: number, actual: number) {
  return new InnkeeperError(
    'CONFLICT',
    `Rate card of ${hotelId} is at revision ${actual}, not ${expected}`,
    {
      entity: 'rateCard',
      id: hotelId,
      reason: 'revision mismatch',
      expectedVersion: expected,
      actualVersion: actual,
    },
  );
}
