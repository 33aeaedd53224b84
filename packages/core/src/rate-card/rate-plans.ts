import type { RoomType } from '../catalog/room-type.js';
import { invalid, type ValidationIssue } from '../errors.js';
import {
  type CancellationPolicy,
  type OccupancyPricing,
  type RateCard,
  type RateCardContent,
  type RatePlan,
  STANDARD_RATE_PLAN_ID,
  standardRatePlan,
} from './rate-card.js';

/**
 * Which rate plans sell which room types, and how a derived plan reaches its base.
 * A hotel whose card has no plans sells every room type on the implicit standard plan.
 */

/**
 * What pricing asks of a card's plans over and over (a search prices every room type ×
 * plan of hundreds of hotels, each night walking a plan's lineage), worked out once per
 * `ratePlans` array and kept beside it. Cards are values: a card whose plans changed is a
 * new card with a new plans array, so an entry can never describe plans other than its
 * key's, and it goes with them. A card edited elsewhere (its policies, say) may keep its
 * plans array, and so the entry: what an entry takes from beyond the plans names the
 * array it came from (`PlanPricing.policies`).
 */
interface PlanIndex {
  byId: Map<string, RatePlan>;
  forRoomType: Map<string, RoomTypePlans>;
  pricing: Map<RatePlan, PlanPricing>;
}

/**
 * The plans selling one room type, and the one a line naming no plan is priced on (its
 * first base plan). Kept, not found again each time: finding it read every plan of the
 * card, and a booking at a hotel out of the CPU's caches paid a cache miss per plan.
 */
interface RoomTypePlans {
  plans: readonly RatePlan[];
  base: RatePlan;
}

/**
 * What pricing reads of a plan for every line it prices, found with one lookup: a search
 * at the seed's scale reads each hotel's card out of the CPU's caches, and every separate
 * lookup (a map of lineages, another of occupancy pricing) was a few more cache misses.
 */
export interface PlanPricing {
  /** The plan and its ancestors, the plan first and its base plan last. */
  readonly lineage: readonly RatePlan[];
  /** Its occupancy pricing: its own, else its nearest ancestor's, else none. */
  readonly occupancy: OccupancyPricing | undefined;
  /** The cancellation policy it names (`null`: none, free to cancel), found in `policies`. */
  readonly policy: CancellationPolicy | null;
  /**
   * The card's policies `policy` was found in. A card edited to other policies but the
   * same plans keeps its plans array, and gets a new entry with the policy found again.
   */
  readonly policies: readonly CancellationPolicy[];
}

const planIndexes = new WeakMap<readonly RatePlan[], PlanIndex>();

function planIndexOf(card: RateCard): PlanIndex {
  let index = planIndexes.get(card.ratePlans);
  if (!index) {
    index = {
      byId: new Map(card.ratePlans.map((plan) => [plan.id, plan])),
      forRoomType: new Map(),
      pricing: new Map(),
    };
    planIndexes.set(card.ratePlans, index);
  }
  return index;
}

/**
 * The plans of `card` that sell `roomType`. A room type that no base plan of the card
 * sells (every room type of a card without plans) is sold on the implicit standard
 * plan, so adding a first plan for some room types never makes the others unbookable.
 */
export function plansFor(card: RateCard, roomTypeId: string): readonly RatePlan[] {
  return roomTypePlansOf(card, roomTypeId).plans;
}

/** `RoomTypePlans` for a room type of `card`, worked out on first use. */
function roomTypePlansOf(card: RateCard, roomTypeId: string): RoomTypePlans {
  const index = planIndexOf(card);
  let entry = index.forRoomType.get(roomTypeId);
  if (!entry) {
    const selling = card.ratePlans.filter((plan) => sells(plan, roomTypeId));
    const base = selling.find((plan) => plan.derivedFrom === undefined);
    entry = base
      ? { plans: selling, base }
      : { plans: [standardRatePlan, ...selling], base: standardRatePlan };
    index.forRoomType.set(roomTypeId, entry);
  }
  return entry;
}

function sells(plan: RatePlan, roomTypeId: string): boolean {
  return plan.roomTypeIds === undefined || plan.roomTypeIds.includes(roomTypeId);
}

/**
 * The plan a booking line uses: the one named, else the room type's first base plan.
 * `undefined` when the plan does not exist or does not sell the room type.
 */
export function planFor(
  card: RateCard,
  roomTypeId: string,
  ratePlanId: string | undefined,
): RatePlan | undefined {
  const { plans, base } = roomTypePlansOf(card, roomTypeId);
  if (ratePlanId === undefined) return base;
  return plans.find((plan) => plan.id === ratePlanId);
}

/** What pricing reads of `plan` (`PlanPricing`), worked out on first use. */
export function planPricingOf(card: RateCard, plan: RatePlan): PlanPricing {
  const index = planIndexOf(card);
  const known = index.pricing.get(plan);
  if (known?.policies === card.cancellationPolicies) return known;
  // Entries are replaced, never changed: one handed out stays true to its card. What the
  // plans alone decide is kept from the entry before.
  const { lineage, occupancy } = known ?? lineageAndOccupancy(index, plan);
  const pricing: PlanPricing = {
    lineage,
    occupancy,
    policy: policyIn(card.cancellationPolicies, plan),
    policies: card.cancellationPolicies,
  };
  index.pricing.set(plan, pricing);
  return pricing;
}

/** The plan and its ancestors, the plan first and its base plan last. */
export function lineageOf(card: RateCard, plan: RatePlan): readonly RatePlan[] {
  return planPricingOf(card, plan).lineage;
}

/** Occupancy pricing of a plan: its own, else its nearest ancestor's, else none. */
export function occupancyOf(card: RateCard, plan: RatePlan): OccupancyPricing | undefined {
  return planPricingOf(card, plan).occupancy;
}

/** A plan's lineage and the occupancy pricing it inherits: what its card's plans decide. */
function lineageAndOccupancy(
  index: PlanIndex,
  plan: RatePlan,
): Pick<PlanPricing, 'lineage' | 'occupancy'> {
  const lineage = lineageIn(index, plan);
  return { lineage, occupancy: lineage.find((p) => p.occupancy !== undefined)?.occupancy };
}

function lineageIn(index: PlanIndex, plan: RatePlan): readonly RatePlan[] {
  const chain = [plan];
  let current = plan;
  while (current.derivedFrom) {
    const parent = index.byId.get(current.derivedFrom.ratePlanId);
    // checkRateCard refuses dangling parents and cycles before a card is stored.
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/**
 * Works out ahead what pricing keeps beside `card` (`PlanIndex`) for `roomTypeIds`: the
 * plans selling each, and every plan's lineage, occupancy pricing and policy. Otherwise
 * the first price of each hotel after a start does it, which makes a hotel's first search
 * or booking slower than its next (`warmPricingCache` calls this).
 */
export function primePlanIndex(card: RateCard, roomTypeIds: readonly string[]): void {
  for (const roomTypeId of roomTypeIds) {
    for (const plan of plansFor(card, roomTypeId)) planPricingOf(card, plan);
  }
}

/** The cancellation policy a plan names (`null`: none, free to cancel). */
export function policyOf(card: RateCard, plan: RatePlan): CancellationPolicy | null {
  return planPricingOf(card, plan).policy;
}

/** The policy `plan` names in `policies`: the first of its id (checked cards repeat none). */
function policyIn(
  policies: readonly CancellationPolicy[],
  plan: RatePlan,
): CancellationPolicy | null {
  const id = plan.cancellationPolicyId;
  return id === undefined ? null : (policies.find((policy) => policy.id === id) ?? null);
}

/**
 * Checks what zod cannot: that every reference in the card points at something that
 * exists, ids are unique, and derived plans form chains that end at a base plan and
 * only sell room types their parent sells. Throws `VALIDATION` naming each problem.
 */
export function checkRateCard(content: RateCardContent, roomTypes: RoomType[]): void {
  const issues: ValidationIssue[] = [];
  const roomTypeIds = new Set(roomTypes.map((rt) => rt.id));
  const planIds = new Set<string>();
  const policyIds = new Set(content.cancellationPolicies.map((p) => p.id));
  const unique = (ids: string[], path: string) => {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (seen.has(id)) issues.push({ path: [path, index, 'id'], message: `Duplicate id "${id}"` });
      seen.add(id);
    });
  };
  unique(
    content.ratePlans.map((p) => p.id),
    'ratePlans',
  );
  unique(
    content.restrictions.map((r) => r.id),
    'restrictions',
  );
  unique(
    content.taxes.map((t) => t.id),
    'taxes',
  );
  unique(
    content.cancellationPolicies.map((p) => p.id),
    'cancellationPolicies',
  );
  for (const plan of content.ratePlans) planIds.add(plan.id);
  const card = { ...content, hotelId: '', revision: 0, updatedAt: '' };
  content.ratePlans.forEach((plan, index) => {
    const path = ['ratePlans', index];
    plan.roomTypeIds?.forEach((id, i) => {
      if (!roomTypeIds.has(id)) {
        issues.push({ path: [...path, 'roomTypeIds', i], message: `Unknown room type "${id}"` });
      }
    });
    if (plan.cancellationPolicyId !== undefined && !policyIds.has(plan.cancellationPolicyId)) {
      issues.push({
        path: [...path, 'cancellationPolicyId'],
        message: `Unknown cancellation policy "${plan.cancellationPolicyId}"`,
      });
    }
    if (!plan.derivedFrom) return;
    const parentId = plan.derivedFrom.ratePlanId;
    const parent = content.ratePlans.find((p) => p.id === parentId);
    if (!parent) {
      issues.push({
        path: [...path, 'derivedFrom', 'ratePlanId'],
        message: `Unknown rate plan "${parentId}"`,
      });
      return;
    }
    const lineage = lineageOf(card, plan);
    if (lineage[lineage.length - 1]?.derivedFrom !== undefined) {
      issues.push({ path: [...path, 'derivedFrom'], message: 'Derived plans form a cycle' });
    }
    const outside = (plan.roomTypeIds ?? [...roomTypeIds]).filter((id) => !sells(parent, id));
    if (outside.length > 0) {
      issues.push({
        path: [...path, 'roomTypeIds'],
        message: `The parent plan "${parentId}" does not sell ${outside.join(', ')}`,
      });
    }
  });
  content.restrictions.forEach((rule, index) => {
    rule.roomTypeIds?.forEach((id, i) => {
      if (!roomTypeIds.has(id)) {
        issues.push({
          path: ['restrictions', index, 'roomTypeIds', i],
          message: `Unknown room type "${id}"`,
        });
      }
    });
    rule.ratePlanIds?.forEach((id, i) => {
      // The implicit standard plan may always be named: it sells what no base plan does.
      if (!planIds.has(id) && id !== STANDARD_RATE_PLAN_ID) {
        issues.push({
          path: ['restrictions', index, 'ratePlanIds', i],
          message: `Unknown rate plan "${id}"`,
        });
      }
    });
  });
  if (issues.length > 0) throw invalid(issues);
}
