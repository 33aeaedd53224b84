import {
  type ArchivedReservation,
  type CalendarDay,
  ERASED_FINGERPRINT,
  ERASED_GUEST_EMAIL,
  FINISHED_STATUSES,
  type Reservation,
} from '@innkeeper/core';
import {
  type ArchivedQuery,
  type ArchivedReservationRow,
  type ArchiveRemoval,
  type ArchiveRemovalOutcome,
  archivedEntryFromRow,
  type ForgetArchivedKeys,
} from '@innkeeper/core/store';
import { fromJson, toReservation } from './postgres-rows.js';
import type { PostgresExecutor, RunOptions } from './postgres-transaction.js';

const READ: RunOptions = { idempotent: true };
const FINISHED = FINISHED_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The Postgres store's side of archiving (migration 9). `removeArchived` is one
 * transaction: the reservations still at the version archived are deleted with their
 * nights and room-nights and recorded in `archived_reservations` by one statement (its
 * data-modifying CTEs run together), then the calendar rows still equal to the archived
 * ones, then the horizon. A change racing it either commits first (the version differs:
 * the reservation stays) or waits on the row lock and then finds it gone.
 */
export class PostgresArchive {
  private readonly sql: Record<
    | 'archivable'
    | 'daysBefore'
    | 'removeReservations'
    | 'removeDays'
    | 'raiseHorizon'
    | 'horizon'
    | 'byIds'
    | 'byKey'
    | 'byGuest'
    | 'forgetKeys'
    | 'forgetKey'
    | 'erase',
    { name: string; text: string }
  >;

  constructor(
    private readonly executor: PostgresExecutor,
    s: string,
    statementPrefix: string,
  ) {
    const named = (name: string, text: string) => ({ name: `${statementPrefix}${name}`, text });
    const entry = `SELECT reservation_id, hotel_id, idempotency_key, request_fingerprint,
        guest_email, ${s}.iso_date(check_out) AS check_out, file,
        ${s}.iso_instant(archived_at) AS archived_at
      FROM ${s}.archived_reservations`;
    this.sql = {
      archivable: named(
        'archivable',
        `SELECT data::text AS data FROM ${s}.reservations
         WHERE hotel_id = $1 AND reservation_id > $2 AND status IN (${FINISHED})
           AND check_out <= $3 AND payment_pending IS NULL
         ORDER BY reservation_id LIMIT $4`,
      ),
      daysBefore: named(
        'calendarBefore',
        `SELECT ${s}.day_json(c)::text AS day FROM ${s}.calendar c
         WHERE c.hotel_id = $1 AND c.date < $2 AND (c.room_type_id, c.date) > ($3, $4::date)
         ORDER BY c.room_type_id, c.date LIMIT $5`,
      ),
      removeReservations: named(
        'removeArchivedReservations',
        `WITH gone AS (
           DELETE FROM ${s}.reservations r
           USING unnest($2::text[], $3::integer[]) AS a (reservation_id, version)
           WHERE r.hotel_id = $1 AND r.reservation_id = a.reservation_id
             AND r.version = a.version
           RETURNING r.reservation_id, r.idempotency_key, r.request_fingerprint,
                     r.guest_email, r.check_out
         ), nights AS (
           DELETE FROM ${s}.reservation_nights n USING gone g
           WHERE n.hotel_id = $1 AND n.reservation_id = g.reservation_id
         ), room_nights AS (
           DELETE FROM ${s}.room_nights n USING gone g
           WHERE n.hotel_id = $1 AND n.reservation_id = g.reservation_id
         ), recorded AS (
           INSERT INTO ${s}.archived_reservations
             (reservation_id, hotel_id, idempotency_key, request_fingerprint, guest_email,
              check_out, file, archived_at)
           SELECT g.reservation_id, $1, g.idempotency_key, g.request_fingerprint,
                  g.guest_email, g.check_out, $4, $5 FROM gone g
         )
         SELECT reservation_id FROM gone`,
      ),
      removeDays: named(
        'removeArchivedDays',
        `DELETE FROM ${s}.calendar c
         USING unnest($2::text[], $3::date[], $4::integer[], $5::integer[], $6::integer[],
                      $7::boolean[], $8::bigint[])
           AS d (room_type_id, date, total, overbooking_limit, reserved, stop_sell, rate)
         WHERE c.hotel_id = $1 AND c.room_type_id = d.room_type_id AND c.date = d.date
           AND c.total = d.total AND c.overbooking_limit = d.overbooking_limit
           AND c.reserved = d.reserved AND c.stop_sell = d.stop_sell
           AND c.rate IS NOT DISTINCT FROM d.rate`,
      ),
      raiseHorizon: named(
        'raiseArchiveHorizon',
        `INSERT INTO ${s}.archive_horizons (hotel_id, before) VALUES ($1, $2)
         ON CONFLICT (hotel_id) DO UPDATE
           SET before = greatest(${s}.archive_horizons.before, excluded.before)`,
      ),
      horizon: named(
        'archiveHorizon',
        `SELECT ${s}.iso_date(before) AS before FROM ${s}.archive_horizons WHERE hotel_id = $1`,
      ),
      byIds: named(
        'archivedByIds',
        `${entry} WHERE reservation_id = ANY ($1::text[]) ORDER BY reservation_id`,
      ),
      byKey: named('archivedByKey', `${entry} WHERE hotel_id = $1 AND idempotency_key = $2`),
      byGuest: named(
        'archivedByGuest',
        `${entry} WHERE guest_email = $1 AND ($2::text IS NULL OR hotel_id = $2)
           AND reservation_id > $3
         ORDER BY reservation_id LIMIT $4`,
      ),
      // The oldest archived first (archived_reservations_keys_by_age), so a limit takes
      // the most expired.
      forgetKeys: named(
        'forgetArchivedKeys',
        `UPDATE ${s}.archived_reservations a SET idempotency_key = NULL
         FROM (SELECT hotel_id, reservation_id FROM ${s}.archived_reservations
               WHERE idempotency_key IS NOT NULL AND archived_at <= $1
               ORDER BY archived_at LIMIT $2) due
         WHERE a.hotel_id = due.hotel_id AND a.reservation_id = due.reservation_id`,
      ),
      erase: named(
        'eraseArchivedEntries',
        `UPDATE ${s}.archived_reservations SET guest_email = $2, request_fingerprint = $3
         WHERE reservation_id = ANY ($1::text[]) AND guest_email <> $2`,
      ),
      forgetKey: named(
        'forgetArchivedKey',
        `UPDATE ${s}.archived_reservations SET idempotency_key = NULL
         WHERE hotel_id = $1 AND idempotency_key = $2 AND archived_at <= $3`,
      ),
    };
  }

  async archivable(query: {
    hotelId: string;
    before: string;
    afterId?: string;
    limit: number;
  }): Promise<Reservation[]> {
    const { hotelId, before, afterId, limit } = query;
    const rows = await this.executor.statement<{ data: string }>(
      'listArchivable',
      { ...this.sql.archivable, values: [hotelId, afterId ?? '', before, Math.max(limit, 0)] },
      READ,
    );
    return rows.map((row) => toReservation(row.data));
  }

  async daysBefore(query: {
    hotelId: string;
    before: string;
    after?: { roomTypeId: string; date: string };
    limit: number;
  }): Promise<CalendarDay[]> {
    const { hotelId, before, after, limit } = query;
    const values = [
      hotelId,
      before,
      after?.roomTypeId ?? '',
      after?.date ?? '-infinity',
      Math.max(limit, 0),
    ];
    const rows = await this.executor.statement<{ day: string }>(
      'listCalendarBefore',
      { ...this.sql.daysBefore, values },
      READ,
    );
    return rows.map((row) => fromJson<CalendarDay>(row.day));
  }

  async remove(command: ArchiveRemoval): Promise<ArchiveRemovalOutcome> {
    const { hotelId, file, archivedAt, calendar } = command;
    return this.executor.transaction(
      'removeArchived',
      async (client) => {
        const { rows } = await client.query<{ reservation_id: string }>({
          ...this.sql.removeReservations,
          values: [
            hotelId,
            command.reservations.map((r) => r.id),
            command.reservations.map((r) => r.version),
            file,
            archivedAt,
          ],
        });
        const gone = new Set(rows.map((row) => row.reservation_id));
        const ids = command.reservations.map((r) => r.id);
        const outcome: ArchiveRemovalOutcome = {
          removed: ids.filter((id) => gone.has(id)),
          kept: ids.filter((id) => !gone.has(id)),
          daysRemoved: 0,
          daysKept: 0,
        };
        if (calendar) {
          const days = calendar.days.filter((d) => d.hotelId === hotelId);
          const removed = await client.query({
            ...this.sql.removeDays,
            values: [
              hotelId,
              days.map((d) => d.roomTypeId),
              days.map((d) => d.date),
              days.map((d) => d.total),
              days.map((d) => d.overbookingLimit),
              days.map((d) => d.reserved),
              days.map((d) => d.stopSell),
              days.map((d) => d.rate),
            ],
          });
          outcome.daysRemoved = removed.rowCount ?? 0;
          outcome.daysKept = calendar.days.length - outcome.daysRemoved;
          await client.query({ ...this.sql.raiseHorizon, values: [hotelId, calendar.before] });
        }
        return outcome;
      },
      // Run again after a lost COMMIT, it would report as kept what the first attempt
      // removed: report the outcome as unknown instead (the archiver reconciles).
      { idempotent: false },
    );
  }

  /** `forgetArchivedKeys`: one statement; a retry only forgets keys already due. */
  async forgetKeys(command: ForgetArchivedKeys): Promise<number> {
    const { archivedBy, limit, key } = command;
    if (limit <= 0) return 0;
    const statement = key
      ? { ...this.sql.forgetKey, values: [key.hotelId, key.idempotencyKey, archivedBy] }
      : { ...this.sql.forgetKeys, values: [archivedBy, limit] };
    return this.executor.count('forgetArchivedKeys', statement, { idempotent: true });
  }

  /** `eraseArchivedEntries`: one statement, so a retry only finds what is left to erase. */
  async erase(reservationIds: string[]): Promise<number> {
    return this.executor.count(
      'eraseArchivedEntries',
      {
        ...this.sql.erase,
        values: [[...new Set(reservationIds)], ERASED_GUEST_EMAIL, ERASED_FINGERPRINT],
      },
      { idempotent: true },
    );
  }

  async find(query: ArchivedQuery): Promise<ArchivedReservation[]> {
    const statement =
      query.by === 'ids'
        ? { ...this.sql.byIds, values: [[...new Set(query.reservationIds)]] }
        : query.by === 'key'
          ? { ...this.sql.byKey, values: [query.hotelId, query.idempotencyKey] }
          : {
              ...this.sql.byGuest,
              values: [
                query.email,
                query.hotelId ?? null,
                query.afterId ?? '',
                Math.max(query.limit, 0),
              ],
            };
    const rows = await this.executor.statement<ArchivedReservationRow>(
      'findArchived',
      statement,
      READ,
    );
    return rows.map(archivedEntryFromRow);
  }

  async horizon(hotelId: string): Promise<string | null> {
    const [row] = await this.executor.statement<{ before: string }>(
      'getArchiveHorizon',
      { ...this.sql.horizon, values: [hotelId] },
      READ,
    );
    return row?.before ?? null;
  }
}
