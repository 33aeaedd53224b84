import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStoreConformance } from '@innkeeper/conformance';
import { describe, expect, test } from 'vitest';
import { createMemoryStore } from '../src/index.js';

/**
 * The state table of docs/concepts.md, row by row, against the conformance tests that
 * prove it. Every row of the table must be listed here with at least one test of the
 * suite (by the start of its title) that makes the move, and refuses it outside the
 * "when allowed" column where the row has one; every test named must exist. A row added
 * to the docs without a test, or a test renamed away from its row, fails here.
 *
 * Besides these examples, the `stay interleavings` property makes every move of the table
 * concurrently and judges each against the table (`model/state-table.ts`).
 */
const ROW_TESTS: Record<string, string[]> = {
  'held | confirm | confirmed': [
    'holds > confirm() turns a hold into confirmed',
    'holds > confirm() and modify() once the TTL has run out are INVALID_STATE',
    'payment-booking > confirm() of a cart hold charges it like book()',
  ],
  'held | cancel | cancelled': [
    'holds > cancel() of a held reservation releases its nights',
    'modification-money > a top-up whose answer is lost',
  ],
  'held | expireHolds, failed charge | expired': [
    'holds > expireHolds() releases only holds past their expiry',
    'payment-booking > book() with a declined charge is PAYMENT_FAILED, expires the hold',
  ],
  'held, confirmed | modify | unchanged': [
    'modification > modify() shifting the dates releases the old nights',
    'holds > a hold that was modified is still a hold',
    'modification-money > shortening inside a penalty window keeps what the terms keep',
    'modification-money > an extension of a paid stay charges the difference',
    'modification-money > a declined top-up undoes the change',
  ],
  'confirmed | cancel | cancelled': [
    'cancellation > cancel() releases every night of every line',
    'stay > cancel() after arrival is refused (a no-show instead)',
    'payment-refunds > cancel() inside a penalty window refunds what the penalty does not keep',
  ],
  'confirmed | markNoShow | no-show': [
    'payment-commands > a paid no-show: refused before check-in',
    'payment-refunds > markNoShow() keeps the no-show fee and refunds the rest once',
  ],
  'confirmed | checkIn | checked-in': [
    'stay > checkIn(): confirmed -> checked-in on the arrival date',
    'stay > checkIn() is refused before the arrival date, from the departure date on',
    'stay > frontDesk.earlyArrivalHours lets a guest in',
  ],
  'checked-in | modify | unchanged': [
    'stay > modify() of a guest in the hotel extends the stay',
    'modification > modify() lets a guest in house change the check-out',
  ],
  'checked-in | checkOut | checked-out | on or after the departure date': [
    'stay > checkOut() on the departure date keeps the stay whole',
  ],
  'checked-in | checkOut | checked-out | before the departure date': [
    'stay > an early departure releases the nights from today',
    'stay > an early departure refunds what the captured terms do not keep',
  ],
  'checked-in | undoCheckIn | confirmed': ['stay > undoCheckIn() within the window restores'],
  'any | updateGuest, updateReservationDetails | unchanged': [
    'corrections > updateGuest(): name, e-mail and phone corrected',
    'corrections > updateReservationDetails(): set and cleared field by field, in any status',
    'corrections > externalRef: listReservations finds its one reservation',
  ],
  'checked-out | undoCheckOut | checked-in': [
    'stay > undoCheckOut() of an early departure takes the released nights again',
    'stay > undoCheckOut() of an early departure that gave money back is refused',
  ],
};

/** Rows with the same move, told apart by the start of their "when allowed" column. */
const SPLIT_BY_WHEN = new Set(['checked-in | checkOut | checked-out']);

function stateTableRows(): string[] {
  const concepts = readFileSync(join(import.meta.dirname, '../../../docs/concepts.md'), 'utf8');
  const lines = concepts.split('\n');
  const header = lines.findIndex((l) => /^\| from +\| action +\| to +\| when allowed/.test(l));
  const rows: string[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [from = '', action = '', to = '', when = ''] = line
      .split('|')
      .slice(1)
      .map((cell) => cell.trim().replaceAll('`', ''));
    const key = `${from} | ${action} | ${to}`;
    rows.push(SPLIT_BY_WHEN.has(key) ? `${key} | ${when.split(/[:(]/)[0]?.trim()}` : key);
  }
  return rows;
}

/** Every conformance test title, as `group > title`, without running any. */
function conformanceTitles(): string[] {
  const titles: string[] = [];
  const groups: string[] = [];
  runStoreConformance(
    {
      describe: (name, body) => {
        groups.push(name);
        body();
        groups.pop();
      },
      test: (name) => {
        titles.push(`${groups.at(-1)} > ${name}`);
      },
    },
    { createStore: () => createMemoryStore() },
  );
  return titles;
}

describe('the state table of docs/concepts.md has a test per row', () => {
  const rows = stateTableRows();
  const titles = conformanceTitles();

  test('the table is found and every row is listed here, and nothing else', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect([...rows].sort()).toEqual(Object.keys(ROW_TESTS).sort());
  });

  test.each(Object.entries(ROW_TESTS))('%s: every test named exists', (_row, tests) => {
    expect(tests.length).toBeGreaterThan(0);
    for (const start of tests) {
      expect(
        titles.filter((t) => t.startsWith(start)),
        start,
      ).toHaveLength(1);
    }
  });

  test('the stay interleavings property checks every move against the table', () => {
    expect(titles.some((t) => t.startsWith('stay interleavings > concurrent paid'))).toBe(true);
  });
});
