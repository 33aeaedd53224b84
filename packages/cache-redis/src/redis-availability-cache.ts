import {
  type AvailabilitySource,
  type AvailabilityView,
  type CalendarDay,
  eachDate,
  type Hotel,
  type InnkeeperStore,
  type IsoDate,
  isIsoDate,
  type RateCard,
  type RoomType,
  type StayQuery,
  type StayView,
} from '@innkeeper/core';
import { invalid } from '@innkeeper/core/store';
import { eachMatching, type RedisClient, unlinkMatching } from './redis-client.js';
import {
  calendarKey,
  calendarPattern,
  cursorKey,
  DEFAULT_KEY_PREFIX,
  decodeDay,
  encodeDay,
} from './redis-keys.js';
import {
  dropDatesBefore,
  type FieldWrite,
  parseCursor,
  readDays,
  setNewer,
} from './redis-scripts.js';

/** The store reads the cache needs: fills on a miss, and the catalog (with the rate card). */
export type CacheStore = Pick<
  InnkeeperStore,
  'readStay' | 'getHotel' | 'listRoomTypes' | 'getRateCard'
>;

export interface RedisAvailabilityCacheOptions {
  redis: RedisClient;
  store: CacheStore;
  /** Prefix of every key the cache owns. Default `innkeeper:avail:`; the relay must use the same. */
  keyPrefix?: string;
  /**
   * How long a hotel, its room types and its rate card are kept in process. Catalog and
   * rate card changes emit no change-feed events, so this bounds how stale a name, base
   * rate, new room type, rate plan, restriction, tax or policy may be in search; after
   * half of it they are refreshed in the background. Default 30 000 ms; 0 reads them from
   * the store on every search.
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
 * An `AvailabilitySource` serving calendar rows from Redis: one hash per (hotel, room
 * type), one field per date, filled from the store on a miss and kept fresh by the
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
  private readonly catalog = new Map<string, CatalogEntry>();
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
  }

  async readStay(query: StayQuery): Promise<AvailabilityView | null> {
    const catalog = await this.catalogOf(query.hotelId);
    if (catalog === null) return null;
    const wanted = query.roomTypeIds === undefined ? null : new Set(query.roomTypeIds);
    const roomTypes = catalog.roomTypes.filter((rt) => wanted === null || wanted.has(rt.id));
    const dates = eachDate(query.from, query.to);

    let cached: { cursor: number; days: (CalendarDay[] | null)[] };
    try {
      cached = await this.withTimeout(this.readCached(query.hotelId, roomTypes, dates));
    } catch (error) {
      this.counters.fallbacks++;
      this.onError(error);
      return availabilityOf(await this.store.readStay(query));
    }

    const missed = roomTypes.filter((_, i) => cached.days[i] === null).map((rt) => rt.id);
    this.counters.hits += roomTypes.length - missed.length;
    this.counters.misses += missed.length;
    let filled = new Map<string, CalendarDay[]>();
    if (missed.length > 0) {
      const fresh = await this.store.readStay({ ...query, roomTypeIds: missed });
      if (fresh === null) return null;
      filled = groupByRoomType(fresh.days);
      await this.fill(query.hotelId, missed, dates, filled, cached.cursor);
    }
    const days = roomTypes.flatMap((rt, i) => cached.days[i] ?? filled.get(rt.id) ?? []);
    return {
      hotel: { ...catalog.hotel },
      roomTypes: roomTypes.map((rt) => ({ ...rt })),
      // The card comes with the catalog (not from a fill), so every search of a hotel
      // prices from the same card until the catalog is refreshed.
      rateCard: catalog.rateCard === null ? null : structuredClone(catalog.rateCard),
      days,
    };
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
    if (hotelId === undefined) this.catalog.clear();
    else this.catalog.delete(hotelId);
    return unlinkMatching(this.redis, calendarPattern(this.prefix, hotelId));
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
    return eachMatching(this.redis, calendarPattern(this.prefix, hotelId), (key) =>
      dropDatesBefore(this.redis, key, before),
    );
  }

  /**
   * Each room type's dates, or `null` for a room type with any date missing, unreadable
   * or newer than the cursor (not settled: see the scripts in `redis-scripts.ts`); and
   * the cursor, read in the same atomic script call as the rows.
   */
  private async readCached(hotelId: string, roomTypes: RoomType[], dates: string[]) {
    const keys = roomTypes.map((rt) => calendarKey(this.prefix, hotelId, rt.id));
    const reply = await readDays(this.redis, keys, cursorKey(this.prefix), dates);
    const cursor = parseCursor(reply.cursor);
    const days = roomTypes.map((rt, i) => {
      const values = reply.values[i];
      if (!values) return null;
      const out: CalendarDay[] = [];
      for (let d = 0; d < dates.length; d++) {
        const cachedDay = decodeDay(values[d] as string | null);
        if (cachedDay === undefined || cachedDay.seq > cursor) return null;
        if (cachedDay.day !== null) {
          out.push({ hotelId, roomTypeId: rt.id, date: dates[d] as string, ...cachedDay.day });
        }
      }
      return out;
    });
    return { cursor, days };
  }

  private async fill(
    hotelId: string,
    roomTypeIds: string[],
    dates: string[],
    fresh: Map<string, CalendarDay[]>,
    seq: number,
  ): Promise<void> {
    const writes: FieldWrite[] = [];
    for (const roomTypeId of roomTypeIds) {
      const key = calendarKey(this.prefix, hotelId, roomTypeId);
      const byDate = new Map((fresh.get(roomTypeId) ?? []).map((d) => [d.date, d]));
      // Dates without a row are cached too (as "no row"), so they do not miss forever.
      for (const date of dates) {
        writes.push({ key, field: date, value: encodeDay(seq, byDate.get(date) ?? null) });
      }
    }
    try {
      await this.withTimeout(setNewer(this.redis, cursorKey(this.prefix), writes));
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * The hotel, its room types and its rate card from process memory. A catalog older than half its TTL
   * is still served while one refresh runs in the background, so a search rarely waits
   * for the store; one older than the TTL is never served.
   */
  private catalogOf(hotelId: string): Promise<Catalog | null> {
    const now = Date.now();
    const entry = this.catalog.get(hotelId);
    if (!entry || entry.expires <= now) return this.loadCatalog(hotelId, now, undefined);
    if (entry.refreshAt <= now && !entry.refreshing) {
      entry.refreshing = true;
      this.loadCatalog(hotelId, now, entry).catch((error) => this.onError(error));
    }
    return entry.value;
  }

  /** Loads a catalog; a background refresh (`replacing`) is installed only once loaded. */
  private loadCatalog(
    hotelId: string,
    now: number,
    replacing: CatalogEntry | undefined,
  ): Promise<Catalog | null> {
    this.counters.catalogLoads++;
    const value = Promise.all([
      this.store.getHotel(hotelId),
      this.store.listRoomTypes(hotelId),
      this.store.getRateCard(hotelId),
    ]).then(([hotel, roomTypes, rateCard]) =>
      hotel === null ? null : { hotel, roomTypes, rateCard },
    );
    if (this.catalogTtlMs <= 0) return value;
    const ttl = this.catalogTtlMs;
    const entry: CatalogEntry = {
      expires: now + ttl,
      refreshAt: now + ttl / 2,
      refreshing: false,
      value,
    };
    // Concurrent searches of a hotel share one load; a failed load is not kept.
    if (!replacing) this.catalog.set(hotelId, entry);
    value.then(
      () => {
        if (replacing && this.catalog.get(hotelId) === replacing) this.catalog.set(hotelId, entry);
      },
      () => {
        if (replacing) replacing.refreshing = false;
        else if (this.catalog.get(hotelId) === entry) this.catalog.delete(hotelId);
      },
    );
    return value;
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

interface Catalog {
  hotel: Hotel;
  roomTypes: RoomType[];
  rateCard: RateCard | null;
}

interface CatalogEntry {
  expires: number;
  refreshAt: number;
  refreshing: boolean;
  value: Promise<Catalog | null>;
}

function groupByRoomType(days: CalendarDay[]): Map<string, CalendarDay[]> {
  const out = new Map<string, CalendarDay[]>();
  for (const day of days) {
    const list = out.get(day.roomTypeId);
    if (list) list.push(day);
    else out.set(day.roomTypeId, [day]);
  }
  return out;
}

/** See `RedisAvailabilityCache`. Pass it to `createInnkeeper({ store, availability })`. */
export function createRedisAvailabilityCache(
  options: RedisAvailabilityCacheOptions,
): RedisAvailabilityCache {
  return new RedisAvailabilityCache(options);
}

/**
 * A store's stay read as this cache answers it: without the pricing revision, which only
 * booking uses (the cache cannot know it for the rows it holds, and search never needs it).
 */
function availabilityOf(view: StayView | null): AvailabilityView | null {
  if (view === null) return null;
  const { pricingRevision: _, ...availability } = view;
  return availability;
}
