import {
  type AvailabilitySource,
  type AvailabilityView,
  type CalendarDay,
  eachDate,
  type Hotel,
  type HotelListQuery,
  type IsoDate,
  isIsoDate,
  type RoomType,
  type StayQuery,
  type StaysQuery,
} from '@innkeeper/core';
import { availabilityView, invalid } from '@innkeeper/core/store';
import { dropCachedDates, dropCalendar } from './calendar-cleanup.js';
import { type CacheStore, ProcessCatalog } from './process-catalog.js';
import type { RedisClient } from './redis-client.js';
import {
  ALL_CATALOGS,
  catalogVersionsKey,
  cursorKey,
  DEFAULT_KEY_PREFIX,
  dayFields,
  dayKey,
  decodeDay,
  encodeDay,
  HOTEL_DIRECTORY,
  MALFORMED,
  pairField,
  RELAY_CAUGHT_UP,
  RELAY_CAUGHT_UP_WITHIN_MS,
  ROW,
  readDayAt,
} from './redis-keys.js';
import { type FieldWrite, parseCursor, readDays, setNewer } from './redis-scripts.js';

export type { CacheStore } from './process-catalog.js';

export interface RedisAvailabilityCacheOptions {
  redis: RedisClient;
  store: CacheStore;
  /** Prefix of every key the cache owns. Default `innkeeper:avail:`; the relay must use the same. */
  keyPrefix?: string;
  /**
   * How long a hotel, its room types and its rate card are kept in process at most. The
   * relay marks each catalog or rate card change in Redis (from the change feed), and the
   * next search of the hotel reloads them, so they are normally as fresh as the relay;
   * the TTL bounds their age only when no relay has reached the end of the feed within
   * ten seconds (`RELAY_CAUGHT_UP`). After half of it they are refreshed in the
   * background. Default 30 000 ms; 0 reads them from the store on every search.
   */
  catalogTtlMs?: number;
  /**
   * Longest wait for Redis before the search is answered from the store instead.
   * Default 250 ms. (Pair it with ioredis' `enableOfflineQueue: false` so a down Redis
   * fails at once.)
   */
  redisTimeoutMs?: number;
  /** Called with every Redis error the cache absorbed (a fallback or a failed fill). */
  onError?: (error: unknown) => void;
}

export interface RedisAvailabilityCacheStats {
  /** Room types whose dates were all served from Redis. */
  hits: number;
  /** Room types read from the store because some date was absent or unreadable. */
  misses: number;
  /** Searches answered from the store because Redis failed or timed out. */
  fallbacks: number;
  /** Hotel + room types + rate card read from the store (first use, expiry, background refresh). */
  catalogLoads: number;
}

/**
 * An `AvailabilitySource` serving calendar rows from Redis: one hash per date, one field
 * per (hotel, room type), filled from the store on a miss and kept fresh by the
 * change-feed relay (`createChangeFeedRelay`). Only `search` reads it; booking always
 * decides on the store, so a stale value can at worst show a room that the booking then
 * reports `SOLD_OUT`.
 *
 * Why a fill never overwrites newer data: before reading the store, the cache reads the
 * relay's cursor C. Every event up to C is committed, so the store's answer reflects at
 * least C; the fill writes it tagged with seq C, and only into fields holding nothing or
 * a seq below C. Whatever changed after C reaches Redis through the relay with a larger
 * seq, and wins.
 */
export class RedisAvailabilityCache implements AvailabilitySource {
  private readonly redis: RedisClient;
  private readonly store: CacheStore;
  private readonly prefix: string;
  private readonly catalogTtlMs: number;
  private readonly redisTimeoutMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly catalog: ProcessCatalog;
  private readonly counters: RedisAvailabilityCacheStats = {
    hits: 0,
    misses: 0,
    fallbacks: 0,
    catalogLoads: 0,
  };

  constructor(options: RedisAvailabilityCacheOptions) {
    this.redis = options.redis;
    this.store = options.store;
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.catalogTtlMs = options.catalogTtlMs ?? 30_000;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 250;
    this.onError = options.onError ?? (() => {});
    this.catalog = new ProcessCatalog(
      this.store,
      this.catalogTtlMs,
      () => this.counters.catalogLoads++,
      this.onError,
    );
  }

  async readStay(query: StayQuery): Promise<AvailabilityView | null> {
    const [stay] = await this.readMany([query], query.from, query.to);
    return stay ?? null;
  }

  /**
   * Many hotels' stays (search across hotels) in three Redis round trips whatever their
   * number: the catalog versions, the cached dates of every room type, and one fill for
   * what missed, read from the store in one `readStays`.
   */
  async readStays(query: StaysQuery): Promise<AvailabilityView[]> {
    const stays = await this.readMany(
      query.hotelIds.map((hotelId) => ({ hotelId })),
      query.from,
      query.to,
    );
    return stays.filter((stay) => stay !== null);
  }

  /** Each wanted hotel's stay (`null`: no such hotel), from Redis where it can. */
  private async readMany(
    wanted: { hotelId: string; roomTypeIds?: string[] }[],
    from: string,
    to: string,
  ): Promise<(AvailabilityView | null)[]> {
    const dates = eachDate(from, to);
    let versions: { versions: number[]; followed: boolean };
    try {
      versions = await this.withTimeout(this.catalogVersions(wanted.map((w) => w.hotelId)));
    } catch (error) {
      return this.fallBack(error, wanted, from, to);
    }
    const catalogs = await Promise.all(
      wanted.map((w, i) =>
        this.catalog.catalogOf(w.hotelId, versions.versions[i] ?? 0, versions.followed),
      ),
    );
    const pairs: { hotelId: string; roomType: RoomType }[] = [];
    const roomTypesOf = wanted.map((w, i) => {
      const roomTypes = (catalogs[i]?.roomTypes ?? []).filter(
        (rt) => w.roomTypeIds === undefined || w.roomTypeIds.includes(rt.id),
      );
      for (const roomType of roomTypes) pairs.push({ hotelId: w.hotelId, roomType });
      return roomTypes;
    });

    let cached: { cursor: number; days: (CalendarDay[] | null)[] };
    try {
      cached = await this.withTimeout(this.readCached(pairs, dates));
    } catch (error) {
      return this.fallBack(error, wanted, from, to);
    }
    const missed = pairs.filter((_, i) => cached.days[i] === null);
    this.counters.hits += pairs.length - missed.length;
    this.counters.misses += missed.length;
    const filled = await this.fillMisses(missed, from, to, dates, cached.cursor);

    let next = 0;
    return wanted.map((w, i) => {
      const catalog = catalogs[i];
      const roomTypes = roomTypesOf[i] ?? [];
      if (!catalog) return null;
      const days: CalendarDay[] = [];
      for (const rt of roomTypes) {
        const own = cached.days[next++] ?? filled.get(pairField(w.hotelId, rt.id)) ?? [];
        for (const day of own) days.push(day);
      }
      // The catalog's own objects, frozen (read-only, as the port's stay reads are): no
      // copy of a rate card per hotel per search. The card comes with the catalog (not
      // from a fill), so every search of a hotel prices from one card until it reloads.
      return { hotel: catalog.hotel, roomTypes, rateCard: catalog.rateCard, days };
    });
  }

  /** Redis failed or timed out: the whole read from the store. */
  private async fallBack(
    error: unknown,
    wanted: { hotelId: string; roomTypeIds?: string[] }[],
    from: string,
    to: string,
  ): Promise<(AvailabilityView | null)[]> {
    this.counters.fallbacks++;
    this.onError(error);
    const [one] = wanted;
    if (wanted.length === 1 && one) {
      const stay = await this.store.readStay({ ...one, from, to });
      return [stay === null ? null : availabilityView(stay)];
    }
    const stays = await this.store.readStays({
      hotelIds: wanted.map((w) => w.hotelId),
      from,
      to,
    });
    const byId = new Map(stays.map((stay) => [stay.hotel.id, stay]));
    return wanted.map((w) => byId.get(w.hotelId) ?? null);
  }

  /**
   * Reads the room types Redis missed from the store (one call) and writes them back
   * tagged with the cursor read with the misses (see the class comment); their days by
   * (hotel, room type).
   */
  private async fillMisses(
    missed: { hotelId: string; roomType: RoomType }[],
    from: string,
    to: string,
    dates: string[],
    cursor: number,
  ): Promise<Map<string, CalendarDay[]>> {
    const filled = new Map<string, CalendarDay[]>();
    if (missed.length === 0) return filled;
    const hotelIds = [...new Set(missed.map((m) => m.hotelId))];
    const [only] = hotelIds;
    const stays =
      hotelIds.length === 1 && only !== undefined
        ? [
            await this.store.readStay({
              hotelId: only,
              roomTypeIds: missed.map((m) => m.roomType.id),
              from,
              to,
            }),
          ]
        : await this.store.readStays({ hotelIds, from, to });
    for (const stay of stays) {
      for (const day of stay?.days ?? []) {
        const key = pairField(day.hotelId, day.roomTypeId);
        const list = filled.get(key);
        if (list) list.push(day);
        else filled.set(key, [day]);
      }
    }
    const writes: FieldWrite[] = [];
    for (const { hotelId, roomType } of missed) {
      const field = pairField(hotelId, roomType.id);
      const byDate = new Map((filled.get(field) ?? []).map((d) => [d.date, d]));
      // Dates without a row are cached too (as "no row"), so they do not miss forever.
      for (const date of dates) {
        const value = encodeDay(cursor, byDate.get(date) ?? null);
        writes.push({ key: dayKey(this.prefix, date), field, value });
      }
    }
    try {
      await this.withTimeout(setNewer(this.redis, cursorKey(this.prefix), writes));
    } catch (error) {
      this.onError(error);
    }
    return filled;
  }

  /**
   * Each hotel's catalog version: the seq of its last catalog event the relay applied,
   * or of the last resync if later (0 when neither: only the TTL refreshes it); and
   * whether a relay reached the end of the feed within `RELAY_CAUGHT_UP_WITHIN_MS`, in
   * which case the versions alone say when to reload (no TTL refresh).
   */
  private async catalogVersions(
    hotelIds: string[],
  ): Promise<{ versions: number[]; followed: boolean }> {
    const values = await this.redis.hmget(
      catalogVersionsKey(this.prefix),
      ...hotelIds,
      ALL_CATALOGS,
      RELAY_CAUGHT_UP,
    );
    const seqOf = (value: unknown) => decodeDay(value as string | null)?.seq ?? 0;
    const all = seqOf(values[hotelIds.length]);
    const caughtUpAt = parseCursor(values[hotelIds.length + 1]);
    return {
      versions: hotelIds.map((_, i) => Math.max(seqOf(values[i]), all)),
      followed: Math.abs(Date.now() - caughtUpAt) <= RELAY_CAUGHT_UP_WITHIN_MS,
    };
  }

  /**
   * The hotels of an area, kept in process per query (search across hotels lists its
   * area on every search) and read again from the store once the relay has applied a
   * hotel write since (`#hotels` in the catalog versions) or after `catalogTtlMs`.
   * Read-only (frozen).
   */
  async listHotels(query: HotelListQuery): Promise<Hotel[]> {
    let read: { versions: number[]; followed: boolean };
    try {
      read = await this.withTimeout(this.catalogVersions([HOTEL_DIRECTORY]));
    } catch (error) {
      this.counters.fallbacks++;
      this.onError(error);
      return this.store.listHotels(query);
    }
    return this.catalog.hotelList(query, read.versions[0] ?? 0, read.followed);
  }

  /** Hits, misses and fallbacks since the cache was created. */
  stats(): RedisAvailabilityCacheStats {
    return { ...this.counters };
  }

  /**
   * Drops the cached calendar (of one hotel, when given) and the in-process catalog, so
   * both refill lazily from the store. The relay's cursor is kept.
   */
  async rebuild(hotelId?: string): Promise<number> {
    this.catalog.forget(hotelId);
    return dropCalendar(this.redis, this.prefix, hotelId);
  }

  /**
   * Deletes the cached dates before `before` (of one hotel, when given): past nights no
   * search asks for, which would otherwise stay in Redis for good. The relay does it every
   * hour (`ChangeFeedRelayOptions.dropPastDatesEveryMs`); returns how many went.
   */
  async dropPastDates(before: IsoDate, hotelId?: string): Promise<number> {
    if (!isIsoDate(before)) {
      throw invalid([{ path: ['before'], message: 'must be a date (YYYY-MM-DD)' }]);
    }
    return dropCachedDates(this.redis, this.prefix, {
      before,
      ...(hotelId === undefined ? {} : { hotelId }),
    });
  }

  /**
   * Each (hotel, room type)'s dates, or `null` for one with any date missing, unreadable
   * or newer than the cursor (not settled: see the scripts in `redis-scripts.ts`); and
   * the cursor, read in the same atomic script call as the rows.
   */
  private async readCached(
    pairs: { hotelId: string; roomType: RoomType }[],
    dates: string[],
  ): Promise<{ cursor: number; days: (CalendarDay[] | null)[] }> {
    if (pairs.length === 0) return { cursor: 0, days: [] };
    const reply = await readDays(
      this.redis,
      dates.map((date) => dayKey(this.prefix, date)),
      cursorKey(this.prefix),
      pairs.map(({ hotelId, roomType }) => pairField(hotelId, roomType.id)),
    );
    const cursor = parseCursor(reply.cursor);
    const bounds = reply.values.map((text) => text && fieldBounds(text, pairs.length));
    const fields = dayFields();
    const days = pairs.map(({ hotelId, roomType }, i) => {
      const out: CalendarDay[] = [];
      for (let d = 0; d < dates.length; d++) {
        const text = reply.values[d];
        const ends = bounds[d];
        if (!text || !ends) return null;
        const found = readDayAt(
          text,
          i === 0 ? 0 : (ends[i - 1] as number) + 1,
          ends[i] as number,
          fields,
        );
        if (found === MALFORMED || fields.seq > cursor) return null;
        if (found === ROW) {
          out.push({
            hotelId,
            roomTypeId: roomType.id,
            date: dates[d] as string,
            total: fields.total,
            overbookingLimit: fields.overbookingLimit,
            reserved: fields.reserved,
            stopSell: fields.stopSell,
            rate: fields.rate,
          });
        }
      }
      return out;
    });
    return { cursor, days };
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${this.redisTimeoutMs} ms`)),
        this.redisTimeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * Where each of `count` comma-joined values ends in `text` (`READ_DAYS`' reply for a
 * date), or `null` when the text does not hold exactly `count` of them (a value with a
 * comma in it, from a foreign writer: the date then misses for every field).
 */
function fieldBounds(text: string, count: number): Int32Array | null {
  const ends = new Int32Array(count);
  let at = -1;
  for (let i = 0; i < count - 1; i++) {
    at = text.indexOf(',', at + 1);
    if (at < 0) return null;
    ends[i] = at;
  }
  if (text.indexOf(',', at + 1) >= 0) return null;
  ends[count - 1] = text.length;
  return ends;
}

/** See `RedisAvailabilityCache`. Pass it to `createInnkeeper({ store, availability })`. */
export function createRedisAvailabilityCache(
  options: RedisAvailabilityCacheOptions,
): RedisAvailabilityCache {
  return new RedisAvailabilityCache(options);
}
