import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildQueries } from '../src/postgres-queries.js';
import { dropSchema, freshSchema, newPool } from './support/test-database.js';

/**
 * The front desk's lists are read on every screen of a busy desk, so each must be answered
 * from its own index (migration 6), never by a scan of the hotel's reservations. The plans
 * are the generic ones a prepared statement settles on after a few runs, the plans the
 * store actually executes; sequential scans are priced out so that an empty test table
 * still shows which index the planner can use.
 */
const pool = newPool(2);
let schema = '';

beforeAll(async () => {
  schema = await freshSchema(pool, 'plans');
  // A hotel with 2,000 reservations (one in ten with an external reference), analysed:
  // the planner then weighs the indexes as it would on a live hotel.
  await pool.query(`INSERT INTO "${schema}".reservations
      (hotel_id, reservation_id, status, check_in, check_out, guest_email, created_at,
       idempotency_key, request_fingerprint, version, data, updated_at)
    SELECT 'h-1', 'r-' || i, 'confirmed', date '2027-01-01' + i % 300, date '2027-01-03' + i % 300,
           'g' || i || '@example.com', timestamptz '2026-01-01' + i * interval '1 minute',
           'k-' || i, 'f', 1,
           CASE WHEN i % 10 = 0 THEN jsonb_build_object('details', jsonb_build_object('externalRef', 'CRM-' || i))
                ELSE '{}'::jsonb END,
           now()
    FROM generate_series(1, 2000) AS i`);
  await pool.query(`ANALYZE "${schema}".reservations`);
});

afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

async function genericPlan(text: string, values: unknown[]): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off');
    await client.query(`PREPARE plan_probe AS ${text}`);
    const literals = values.map((value) => client.escapeLiteral(String(value))).join(', ');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN EXECUTE plan_probe(${literals})`,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.query('DEALLOCATE ALL; RESET ALL');
    client.release();
  }
}

describe('listing plans', () => {
  const cursor = { createdAt: '2027-01-01T00:00:00.000Z', id: 'r-1' };
  const cases = [
    ['arrivals', 'reservations_by_arrival'],
    ['departures', 'reservations_by_departure'],
    ['in-house', 'reservations_in_house'],
  ] as const;

  for (const [by, index] of cases) {
    for (const after of [undefined, cursor]) {
      test(`${by}${after ? ' after a cursor' : ''} reads ${index}, with no sort or scan`, async () => {
        const queries = buildQueries(`"${schema}"`);
        const query = queries.listReservations({
          filter: { by, hotelId: 'h-1', date: '2027-01-10' },
          after,
          limit: 50,
        });
        const plan = await genericPlan(query.text, query.values ?? []);
        expect(plan).toContain(index);
        expect(plan).not.toMatch(/Seq Scan|Sort/);
      });
    }
  }

  test('by external reference reads reservations_by_external_ref', async () => {
    const query = buildQueries(`"${schema}"`).listReservations({
      filter: { by: 'external-ref', hotelId: 'h-1', externalRef: 'CRM-1' },
      limit: 20,
    });
    const plan = await genericPlan(query.text, query.values ?? []);
    expect(plan).toContain('reservations_by_external_ref');
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
