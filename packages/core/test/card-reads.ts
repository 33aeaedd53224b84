import type { RateCard } from '../src/rate-card/rate-card.js';

/**
 * Rate cards whose plans and policies sit behind proxies that count the reads of their
 * elements: what working out a card's plan index reads, and what finding it ready does
 * not. `counted(card)` answers the same counted copy for the same card every time (as a
 * store hands out the same card object while it is unchanged); `reads()` is the count over
 * every card counted so far.
 */
export function cardReads(): { counted: (card: RateCard) => RateCard; reads: () => number } {
  let reads = 0;
  const counting = <T extends object>(array: T[]): T[] =>
    new Proxy(array, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
        return Reflect.get(target, property, receiver);
      },
    });
  const copies = new WeakMap<RateCard, RateCard>();
  const counted = (card: RateCard): RateCard => {
    let copy = copies.get(card);
    if (!copy) {
      copy = {
        ...card,
        ratePlans: counting(card.ratePlans),
        cancellationPolicies: counting(card.cancellationPolicies),
      };
      copies.set(card, copy);
    }
    return copy;
  };
  return { counted, reads: () => reads };
}
