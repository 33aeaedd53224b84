import type { Hotel, HotelListQuery, InnkeeperStore, RateCard, RoomType } from '@innkeeper/core';
import { deepFreeze } from '@innkeeper/core/store';

/** The store reads the cache needs: fills on a miss, and the catalog (with the rate card). */
export type CacheStore = Pick<
  InnkeeperStore,
  'readStay' | 'readStays' | 'getHotel' | 'listHotels' | 'listRoomTypes' | 'getRateCard'
>;

/** A hotel, its room types and its rate card, frozen: handed out read-only, never copied. */
export interface Catalog {
  hotel: Hotel;
  roomTypes: RoomType[];
  rateCard: RateCard | null;
}

/** Areas whose hotel lists are kept at most (a chain searches a few hundred). */
const MAX_HOTEL_LISTS = 10_000;

interface CatalogEntry {
  /** The hotel's catalog version when it was loaded (the cache's `catalogVersions`). */
  version: number;
  expires: number;
  refreshAt: number;
  refreshing: boolean;
  value: Promise<Catalog | null>;
}

interface HotelListEntry {
  /** The hotel directory's version when it was read. */
  version: number;
  expires: number;
  hotels: Promise<Hotel[]>;
}

/**
 * What the Redis cache keeps in process rather than in Redis: each hotel's catalog and the
 * hotels of each area searched. Both are read from the store and kept until the relay
 * marks a change (a version read from Redis by the caller, newer than the one they were
 * loaded at) or `ttlMs` passes; a version is always read before the load it tags, so the
 * store's answer is at least that new.
 */
export class ProcessCatalog {
  private readonly catalogs = new Map<string, CatalogEntry>();
  private readonly hotelLists = new Map<string, HotelListEntry>();

  constructor(
    private readonly store: CacheStore,
    private readonly ttlMs: number,
    /** Called for every catalog read from the store (the cache's `catalogLoads`). */
    private readonly onLoad: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * The hotel's catalog, reloaded when the relay has applied a catalog event of the hotel
   * since it was loaded (`version`). While a relay follows the feed (`followed`: it has
   * reached the feed's end within seconds) that is the only reason; otherwise a catalog
   * is also reloaded once older than the TTL, and one older than half of it is still
   * served while one refresh runs in the background.
   */
  catalogOf(hotelId: string, version: number, followed: boolean): Promise<Catalog | null> {
    const now = Date.now();
    const entry = this.catalogs.get(hotelId);
    if (!entry || entry.version < version || (!followed && entry.expires <= now)) {
      return this.loadCatalog(hotelId, now, version, undefined);
    }
    if (!followed && entry.refreshAt <= now && !entry.refreshing) {
      entry.refreshing = true;
      this.loadCatalog(hotelId, now, version, entry).catch((error) => this.onError(error));
    }
    return entry.value;
  }

  /**
   * The hotels of an area, reloaded once the hotel directory's `version` moved, or (when
   * no relay follows the feed) the TTL passed.
   */
  hotelList(query: HotelListQuery, version: number, followed: boolean): Promise<Hotel[]> {
    const key = JSON.stringify(query);
    const now = Date.now();
    const entry = this.hotelLists.get(key);
    if (entry && entry.version >= version && (followed || entry.expires > now)) {
      return entry.hotels;
    }
    const hotels = this.store.listHotels(query).then((list) => deepFreeze(list));
    if (this.ttlMs <= 0) return hotels;
    // Bounded: a cache serving many areas forgets them all at once rather than grow.
    if (this.hotelLists.size >= MAX_HOTEL_LISTS) this.hotelLists.clear();
    const fresh = { version, expires: now + this.ttlMs, hotels };
    this.hotelLists.set(key, fresh);
    hotels.catch(() => {
      if (this.hotelLists.get(key) === fresh) this.hotelLists.delete(key);
    });
    return hotels;
  }

  /** Forgets one hotel's catalog (or all of them) and every area's list. */
  forget(hotelId?: string): void {
    if (hotelId === undefined) this.catalogs.clear();
    else this.catalogs.delete(hotelId);
    this.hotelLists.clear();
  }

  /** Loads a catalog; a background refresh (`replacing`) is installed only once loaded. */
  private loadCatalog(
    hotelId: string,
    now: number,
    version: number,
    replacing: CatalogEntry | undefined,
  ): Promise<Catalog | null> {
    this.onLoad();
    const value = Promise.all([
      this.store.getHotel(hotelId),
      this.store.listRoomTypes(hotelId),
      this.store.getRateCard(hotelId),
    ]).then(([hotel, roomTypes, rateCard]) =>
      hotel === null ? null : deepFreeze({ hotel, roomTypes, rateCard }),
    );
    if (this.ttlMs <= 0) return value;
    const entry: CatalogEntry = {
      version,
      expires: now + this.ttlMs,
      refreshAt: now + this.ttlMs / 2,
      refreshing: false,
      value,
    };
    // Concurrent searches of a hotel share one load; a failed load is not kept.
    if (!replacing) this.catalogs.set(hotelId, entry);
    value.then(
      () => {
        if (replacing && this.catalogs.get(hotelId) === replacing) {
          this.catalogs.set(hotelId, entry);
        }
      },
      () => {
        if (replacing) replacing.refreshing = false;
        else if (this.catalogs.get(hotelId) === entry) this.catalogs.delete(hotelId);
      },
    );
    return value;
  }
}
