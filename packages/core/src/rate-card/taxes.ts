import { mulDivRound } from '../stay/money.js';
import type { TaxRule } from './rate-card.js';

/**
 * The taxes of one room for one night. Each rule is computed and rounded (half away from
 * zero) per room per night, so a stay's tax is exactly the sum of its nights' taxes and
 * a quote never disagrees with itself by a cent.
 */
export function taxesForNight(
  taxes: TaxRule[],
  night: { amount: number; adults: number; children: number },
): { total: number; byTax: number[] } {
  const byTax = taxes.map(() => 0);
  return { total: addNightTaxes(taxes, night, 1, byTax), byTax };
}

/**
 * `taxesForNight` for a stay's line, adding as it goes: each rule's amount for one room
 * this night, times `rooms`, is added to `totals` (by the rule's index), and the night's
 * tax for one room is returned. Pricing calls it for every night of every offer a search
 * weighs, so it builds nothing.
 */
export function addNightTaxes(
  taxes: TaxRule[],
  night: { amount: number; adults: number; children: number },
  rooms: number,
  totals: number[],
): number {
  let total = 0;
  for (let i = 0; i < taxes.length; i++) {
    const amount = taxOf(taxes[i] as TaxRule, night);
    total += amount;
    totals[i] = (totals[i] ?? 0) + amount * rooms;
  }
  return total;
}

function taxOf(tax: TaxRule, night: { amount: number; adults: number; children: number }): number {
  switch (tax.kind) {
    case 'percent':
      return mulDivRound(night.amount, tax.basisPoints, 10_000);
    case 'per-room-night':
      return tax.amount;
    case 'per-person-night':
      return tax.amount * (night.adults + (tax.childrenExempt ? 0 : night.children));
  }
}
