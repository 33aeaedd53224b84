import type pg from 'pg';
import { BENCH_NIGHTS } from './bench-workloads.js';
import type { RawBaseline } from './raw-baseline.js';

/**
 * What a hand-written Postgres booking needs, on the store's own schema and pool: BEGIN,
 * the stay's rows `FOR UPDATE` in date order (the lock order that keeps overlapping stays
 * from deadlocking), the conditional UPDATE with its row count checked, the INSERT,
 * COMMIT: five round trips with named (prepared) statements.
 */
export function postgresRawBaseline(pool: pg.Pool, schema: string): RawBaseline {
  const s = `"${schema}"`;
  const lock = {
    name: `cli_raw_lock_${schema}`,
    text: `SELECT reserved FROM ${s}.calendar
           WHERE hotel_id = $1 AND room_type_id = $2 AND date >= $3 AND date < $4
           ORDER BY date FOR UPDATE`,
  };
  const update = {
    name: `cli_raw_update_${schema}`,
    text: `UPDATE ${s}.calendar SET reserved = reserved + 1
           WHERE hotel_id = $1 AND room_type_id = $2 AND date >= $3 AND date < $4
             AND NOT stop_sell AND reserved + 1 <= total + overbooking_limit`,
  };
  const insert = {
    name: `cli_raw_insert_${schema}`,
    text: `INSERT INTO ${s}.reservations (hotel_id, reservation_id, status, check_in, check_out,
             guest_email, created_at, hold_expires_at, idempotency_key, request_fingerprint,
             version, data, updated_at, payment_pending)
           VALUES ($1, $2, 'confirmed', $3, $4, $5, $6, NULL, $7, $8, 1, $9, $6, NULL)`,
  };
  return {
    async book({ target: t, reservation: r }) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const stay = [t.hotelId, t.roomTypeId, t.checkIn, t.checkOut];
        await client.query({ ...lock, values: stay });
        const updated = await client.query({ ...update, values: stay });
        if (updated.rowCount !== BENCH_NIGHTS) throw new Error('sold out');
        await client.query({
          ...insert,
          values: [
            t.hotelId,
            r.id,
            t.checkIn,
            t.checkOut,
            r.guest.email,
            r.createdAt,
            r.idempotencyKey,
            r.requestFingerprint,
            JSON.stringify(r),
          ],
        });
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
        throw error;
      }
    },
    async close() {},
  };
}
