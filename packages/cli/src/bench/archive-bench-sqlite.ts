import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SQLITE_TABLES } from '../stores/sqlite-loader.js';
import {
  type ArchiveBenchDatabase,
  CLONE_CHUNK,
  type ClonePlan,
  FINISHED_SQL,
  writeNdjsonGz,
} from './archive-bench-data.js';

/** The archive benchmark's SQLite side, on the store's file (a second connection). */
export function sqliteArchiveBench(file: string): ArchiveBenchDatabase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const t = SQLITE_TABLES;
  const columns = (
    db.prepare(`PRAGMA table_info(${t.reservations})`).all() as { name: string }[]
  ).map((c) => c.name);
  return {
    async clone(plan: ClonePlan) {
      const expression: Record<string, string> = {
        hotel_id: `'h' || (n.i % @hotels)`,
        reservation_id: `@prefix || n.i`,
        check_in: 'night',
        check_out: `date(night, '+1 day')`,
        guest_email: `'guest' || (n.i / @perGuest) || '@example.com'`,
        idempotency_key: `'k' || @prefix || n.i`,
        created_at: `night || 'T09:00:00.000Z'`,
        updated_at: `night || 'T09:00:00.000Z'`,
        data: `json_set(t.data, '$.id', @prefix || n.i, '$.hotelId', 'h' || (n.i % @hotels),
          '$.checkIn', night, '$.checkOut', date(night, '+1 day'),
          '$.guest.email', 'guest' || (n.i / @perGuest) || '@example.com',
          '$.idempotencyKey', 'k' || @prefix || n.i, '$.lines[0].nights[0].date', night,
          '$.createdAt', night || 'T09:00:00.000Z', '$.updatedAt', night || 'T09:00:00.000Z')`,
      };
      const select = columns.map((c) => expression[c] ?? `t.${c}`).join(', ');
      let written = 0;
      for (let from = 0; from < plan.count; from += CLONE_CHUNK) {
        const to = Math.min(plan.count, from + CLONE_CHUNK);
        written += db
          .prepare(`WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @to),
              s AS (SELECT n.i AS i, date(@first, '+' || (n.i / @perDay) || ' days') AS night FROM n)
            INSERT INTO ${t.reservations} (${columns.join(', ')})
            SELECT ${select.replaceAll('n.i', 's.i')} FROM s
              CROSS JOIN (SELECT * FROM ${t.reservations} WHERE reservation_id = @template) t`)
          // BigInt binds as INTEGER (a number as REAL, which would print as "5.0").
          .run({
            from: BigInt(from),
            to: BigInt(to),
            first: plan.firstNight,
            perDay: BigInt(plan.perDay),
            hotels: BigInt(plan.hotels),
            perGuest: BigInt(plan.stayPerGuest),
            prefix: plan.prefix,
            template: plan.templateId,
          }).changes;
      }
      return written;
    },

    async vacuumedBytes() {
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(file).size;
    },

    async rawArchive(hotels, before, batch, directory) {
      const page = db.prepare(`SELECT reservation_id AS id, data FROM ${t.reservations}
        WHERE hotel_id = ? AND reservation_id > ? AND status IN ${FINISHED_SQL} AND check_out <= ?
        ORDER BY reservation_id LIMIT ?`);
      const remove = db.prepare(
        `DELETE FROM ${t.reservations} WHERE hotel_id = ? AND reservation_id = ?`,
      );
      const removeAll = db.transaction((hotelId: string, ids: string[]) => {
        for (const id of ids) remove.run(hotelId, id);
      });
      let moved = 0;
      for (const hotelId of hotels) {
        let after = '';
        for (let n = 0; ; n++) {
          const rows = page.all(hotelId, after, before, batch) as { id: string; data: string }[];
          if (rows.length === 0) break;
          writeNdjsonGz(
            directory,
            `raw/hotel=${hotelId}/part-${n}.ndjson.gz`,
            rows.map((r) => r.data),
          );
          removeAll.immediate(
            hotelId,
            rows.map((r) => r.id),
          );
          moved += rows.length;
          after = rows[rows.length - 1]?.id ?? after;
        }
      }
      return moved;
    },

    async close() {
      db.close();
    },
  };
}
