import { describe, expect, it } from 'vitest';
import {
  type RateCard,
  rateCardSchema,
  STANDARD_RATE_PLAN_ID,
} from '../src/rate-card/rate-card.js';
import {
  lineageOf,
  occupancyOf,
  planFor,
  planPricingOf,
  plansFor,
  policyOf,
  primePlanIndex,
} from '../src/rate-card/rate-plans.js';
import { cardReads } from './card-reads.js';

/**
 * What pricing keeps beside a rate card (the plans selling each room type, every plan's
 * lineage, occupancy pricing and policy), worked out ahead by `primePlanIndex`, as
 * `warmPricingCache` does for every hotel it reads: a hotel's first search or booking
 * after a start then finds it, as its next ones do.
 */
const ROOM_TYPES = ['std', 'suite', 'loft'];

/** A card with a base plan, a plan derived from it, a plan for suites and one room type no base plan sells. */
function card(): RateCard {
  return rateCardSchema.parse({
    hotelId: 'h1',
    revision: 3,
    updatedAt: '2027-01-01T00:00:00.000Z',
    ratePlans: [
      {
        id: 'bar',
        name: 'Best available',
        roomTypeIds: ['std', 'suite'],
        occupancy: { includedAdults: 2, extraAdult: 1_500, child: 800 },
        cancellationPolicyId: 'flex',
      },
      {
        id: 'nr',
        name: 'Non-refundable',
        roomTypeIds: ['std'],
        derivedFrom: { ratePlanId: 'bar', percent: -10 },
        cancellationPolicyId: 'nonref',
      },
      { id: 'suites', name: 'Suites', roomTypeIds: ['suite'] },
    ],
    cancellationPolicies: [
      {
        id: 'flex',
        name: 'Flexible',
        windows: [{ hoursBeforeCheckIn: 48, penalty: { kind: 'nights', nights: 1 } }],
      },
      { id: 'nonref', name: 'Non-refundable', nonRefundable: true },
    ],
  });
}

/** Everything pricing asks of the card's plans, for every room type. */
function askAll(value: RateCard) {
  return ROOM_TYPES.map((roomTypeId) =>
    plansFor(value, roomTypeId).map((plan) => ({
      roomTypeId,
      plan: plan.id,
      lineage: lineageOf(value, plan).map((p) => p.id),
      occupancy: occupancyOf(value, plan),
      policy: policyOf(value, plan)?.id ?? null,
    })),
  );
}

describe('primePlanIndex (what pricing keeps beside a rate card, worked out ahead)', () => {
  it('leaves nothing for pricing to work out: asking afterwards reads no plan or policy', () => {
    const { counted, reads } = cardReads();
    const primed = counted(card());
    primePlanIndex(primed, ROOM_TYPES);
    const before = reads();
    expect(before).toBeGreaterThan(0);
    askAll(primed);
    expect(reads()).toBe(before);

    // Without it, the first asking reads them.
    const { counted: countedFresh, reads: freshReads } = cardReads();
    const fresh = countedFresh(card());
    askAll(fresh);
    expect(freshReads()).toBeGreaterThan(0);
  });

  it('answers as working them out on first use does', () => {
    const primed = card();
    primePlanIndex(primed, ROOM_TYPES);
    expect(askAll(primed)).toEqual(askAll(card()));
    expect(askAll(primed)).toEqual([
      [
        {
          roomTypeId: 'std',
          plan: 'bar',
          lineage: ['bar'],
          occupancy: { includedAdults: 2, extraAdult: 1_500, child: 800 },
          policy: 'flex',
        },
        {
          roomTypeId: 'std',
          plan: 'nr',
          lineage: ['nr', 'bar'],
          occupancy: { includedAdults: 2, extraAdult: 1_500, child: 800 },
          policy: 'nonref',
        },
      ],
      [
        {
          roomTypeId: 'suite',
          plan: 'bar',
          lineage: ['bar'],
          occupancy: { includedAdults: 2, extraAdult: 1_500, child: 800 },
          policy: 'flex',
        },
        {
          roomTypeId: 'suite',
          plan: 'suites',
          lineage: ['suites'],
          occupancy: undefined,
          policy: null,
        },
      ],
      // No base plan sells lofts: the implicit standard plan does.
      [
        {
          roomTypeId: 'loft',
          plan: STANDARD_RATE_PLAN_ID,
          lineage: [STANDARD_RATE_PLAN_ID],
          occupancy: undefined,
          policy: null,
        },
      ],
    ]);
  });

  it('finds a policy again in a card that keeps its plans but brings other policies', () => {
    const before = card();
    primePlanIndex(before, ROOM_TYPES);
    const [bar] = before.ratePlans;
    if (!bar) throw new Error('the card has plans');
    expect(policyOf(before, bar)?.windows).toHaveLength(1);
    // The same plans array, new policies: flex now charges from 72 hours and from 24.
    const after: RateCard = {
      ...before,
      cancellationPolicies: [
        {
          id: 'flex',
          name: 'Flexible',
          nonRefundable: false,
          windows: [
            { hoursBeforeCheckIn: 72, penalty: { kind: 'percent', percent: 50 } },
            { hoursBeforeCheckIn: 24, penalty: { kind: 'nights', nights: 1 } },
          ],
        },
      ],
    };
    expect(after.ratePlans).toBe(before.ratePlans);
    expect(policyOf(after, bar)?.windows).toHaveLength(2);
    // A plan whose policy is gone from the card has none (`checkRateCard` refuses such a card).
    const nr = after.ratePlans[1];
    if (!nr) throw new Error('the card has a derived plan');
    expect(policyOf(after, nr)).toBeNull();
    // And the card before still finds its own, back and forth.
    expect(policyOf(before, bar)?.windows).toHaveLength(1);
    expect(policyOf(after, bar)?.windows).toHaveLength(2);
    expect(policyOf(before, nr)?.nonRefundable).toBe(true);
  });

  it('never changes an entry handed out: asking for another card makes a new one', () => {
    const first = card();
    const [bar] = first.ratePlans;
    if (!bar) throw new Error('the card has plans');
    const entry = planPricingOf(first, bar);
    const second: RateCard = { ...first, cancellationPolicies: [] };
    const other = planPricingOf(second, bar);
    expect(other.policy).toBeNull();
    expect(entry.policy?.id).toBe('flex');
    expect(entry.policies).toBe(first.cancellationPolicies);
    // What does not depend on the policies is shared.
    expect(other.lineage).toBe(entry.lineage);
    expect(other.occupancy).toBe(entry.occupancy);
  });
});

describe('planFor (the plan a line is priced on)', () => {
  it("takes a line naming no plan to the room type's first base plan, wherever the card lists it", () => {
    const value = card();
    // The derived plan first: a line naming no plan is still priced on its base.
    const reordered: RateCard = { ...value, ratePlans: [...value.ratePlans].reverse() };
    for (const each of [value, reordered]) {
      expect(planFor(each, 'std', undefined)?.id).toBe('bar');
      expect(planFor(each, 'loft', undefined)?.id).toBe(STANDARD_RATE_PLAN_ID);
    }
    // Two base plans sell suites: the first the card lists.
    expect(planFor(value, 'suite', undefined)?.id).toBe('bar');
    expect(planFor(reordered, 'suite', undefined)?.id).toBe('suites');
  });

  it('finds a named plan only among those selling the room type', () => {
    const value = card();
    expect(planFor(value, 'std', 'nr')?.id).toBe('nr');
    expect(planFor(value, 'suite', 'nr')).toBeUndefined();
    expect(planFor(value, 'std', 'ghost')).toBeUndefined();
    expect(planFor(value, 'loft', STANDARD_RATE_PLAN_ID)?.id).toBe(STANDARD_RATE_PLAN_ID);
    expect(planFor(value, 'std', STANDARD_RATE_PLAN_ID)).toBeUndefined();
  });
});
