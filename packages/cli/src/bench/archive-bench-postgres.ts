import type pg from 'pg';
import {
  type ArchiveBenchDatabase,
  CLONE_CHUNK,
  type ClonePlan,
  FINISHED_SQL,
  writeNdjsonGz,
} from './archive-bench-data.js';

/** The store's tables a reservation lives in, for the size once vacuumed. */
const TABLES = [
  'reservations',
  'reservation_nights',
  'room_nights',
  'archived_reservations',
  'calendar',
  'events',
];

/** The archive benchmark's Postgres side, on the store's schema. */
export function postgresArchiveBench(pool: pg.Pool, schema: string): ArchiveBenchDatabase {
  const s = `"${schema}"`;
  return {
    async clone(plan: ClonePlan) {
      const { rows } = await pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = 'reservations' AND is_generated = 'NEVER'
         ORDER BY ordinal_position`,
        [schema],
      );
      const columns = rows.map((r) => r.column_name);
      const expression: Record<string, string> = {
        hotel_id: `'h' || (g.i % $3)`,
        reservation_id: `$5 || g.i`,
        check_in: 'g.night',
        check_out: 'g.night + 1',
        guest_email: `'guest' || (g.i / $4) || '@example.com'`,
        idempotency_key: `'k' || $5 || g.i`,
        created_at: `g.night + time '09:00' AT TIME ZONE 'UTC'`,
        updated_at: `g.night + time '09:00' AT TIME ZONE 'UTC'`,
        data: `jsonb_set(jsonb_set(t.data || jsonb_build_object(
            'id', $5 || g.i, 'hotelId', 'h' || (g.i % $3),
            'checkIn', to_char(g.night, 'YYYY-MM-DD'), 'checkOut', to_char(g.night + 1, 'YYYY-MM-DD'),
            'idempotencyKey', 'k' || $5 || g.i,
            'createdAt', to_char(g.night, 'YYYY-MM-DD') || 'T09:00:00.000Z',
            'updatedAt', to_char(g.night, 'YYYY-MM-DD') || 'T09:00:00.000Z'),
          '{guest,email}', to_jsonb('guest' || (g.i / $4) || '@example.com')),
          '{lines,0,nights,0,date}', to_jsonb(to_char(g.night, 'YYYY-MM-DD')))`,
      };
      const select = columns.map((c) => expression[c] ?? `t.${c}`).join(', ');
      let written = 0;
      for (let from = 0; from < plan.count; from += CLONE_CHUNK) {
        const to = Math.min(plan.count, from + CLONE_CHUNK);
        const result = await pool.query(
          `WITH g AS (
             SELECT i, ($6::date + (i / $7)::int) AS night FROM generate_series($1::bigint, $2::bigint - 1) AS i
           ), made AS (
             INSERT INTO ${s}.reservations (${columns.join(', ')})
             SELECT ${select} FROM g
               CROSS JOIN (SELECT * FROM ${s}.reservations WHERE reservation_id = $8) t
             RETURNING hotel_id, reservation_id, check_in
           )
           INSERT INTO ${s}.reservation_nights (hotel_id, reservation_id, room_type_id, date, rooms)
           SELECT hotel_id, reservation_id, 'std', check_in, 1 FROM made`,
          [
            from,
            to,
            plan.hotels,
            plan.stayPerGuest,
            plan.prefix,
            plan.firstNight,
            plan.perDay,
            plan.templateId,
          ],
        );
        written += result.rowCount ?? 0;
      }
      await pool.query(`ANALYZE ${s}.reservations; ANALYZE ${s}.reservation_nights`);
      return written;
    },

    async vacuumedBytes() {
      let bytes = 0;
      for (const table of TABLES) {
        await pool.query(`VACUUM FULL ${s}.${table}`);
        const { rows } = await pool.query<{ bytes: string }>(
          `SELECT pg_total_relation_size($1::regclass) AS bytes`,
          [`${s}.${table}`],
        );
        bytes += Number(rows[0]?.bytes ?? 0);
      }
      return bytes;
    },

    async rawArchive(hotels, before, batch, directory) {
      let moved = 0;
      for (const hotelId of hotels) {
        let after = '';
        for (let n = 0; ; n++) {
          const { rows } = await pool.query<{ id: string; data: string }>(
            `SELECT reservation_id AS id, data::text AS data FROM ${s}.reservations
             WHERE hotel_id = $1 AND reservation_id > $2 AND status IN ${FINISHED_SQL} AND check_out <= $3
             ORDER BY reservation_id LIMIT $4`,
            [hotelId, after, before, batch],
          );
          if (rows.length === 0) break;
          writeNdjsonGz(
            directory,
            `raw/hotel=${hotelId}/part-${n}.ndjson.gz`,
            rows.map((r) => r.data),
          );
          await pool.query(
            `WITH gone AS (DELETE FROM ${s}.reservations
                WHERE hotel_id = $1 AND reservation_id = ANY ($2::text[]) RETURNING reservation_id)
             DELETE FROM ${s}.reservation_nights n USING gone
             WHERE n.hotel_id = $1 AND n.reservation_id = gone.reservation_id`,
            [hotelId, rows.map((r) => r.id)],
          );
          moved += rows.length;
          after = rows[rows.length - 1]?.id ?? after;
        }
      }
      return moved;
    },

    async close() {},
  };
}
