import {
  addDays,
  type InnkeeperEvent,
  type InnkeeperStore,
  isCatalogEvent,
  isInnkeeperError,
  todayIn,
} from '@innkeeper/core';
import { dropCachedDates, dropCalendar } from './calendar-cleanup.js';
import type { RedisClient } from './redis-client.js';
import {
  ALL_CATALOGS,
  catalogVersionsKey,
  cursorKey,
  DEFAULT_KEY_PREFIX,
  dayKey,
  encodeDay,
  HOTEL_DIRECTORY,
  pairField,
  RELAY_CAUGHT_UP,
} from './redis-keys.js';
import { type FieldWrite, parseCursor, setNewer } from './redis-scripts.js';

/**
 * Something that calls `onWake` when new events may be in the feed, and returns how to
 * stop listening. The relay knows nothing of where it comes from; on Postgres,
 * `createPostgresWake` of `@innkeeper/adapter-postgres` (LISTEN/NOTIFY) is one.
 */
export type RelayWake = (
  onWake: () => void,
) => (() => Promise<void>) | Promise<() => Promise<void>>;

export interface ChangeFeedRelayOptions {
  redis: RedisClient;
  store: Pick<InnkeeperStore, 'readEvents' | 'saveFeedCursor'>;
  /**
   * The relay's named cursor in the store (default `redis-relay`): moved after what it
   * applied, so the feed is never pruned past what Redis has. Give each relay feeding a
   * different Redis its own name.
   */
  cursorName?: string;
  /** The time the store cursor is stamped with; the engine's clock (default: the system's). */
  now?: () => Date;
  /** Must match the cache's. Default `innkeeper:avail:`. */
  keyPrefix?: string;
  /** Events read and applied per Redis call. Default 500. */
  batchSize?: number;
  /** First pause after finding the feed empty; doubles while it stays empty. Default 50 ms. */
  pollIntervalMs?: number;
  /**
   * Longest pause between reads of an empty feed. Default 1 000 ms. With `wake`, the
   * relay reads at this interval anyway, in case a notification was lost.
   */
  maxPollIntervalMs?: number;
  /** Wakes the relay as soon as events are written, instead of waiting for the next poll. */
  wake?: RelayWake;
  /** Called with every error of the background loop (it retries after a pause). */
  onError?: (error: unknown) => void;
  /**
   * How often the loop deletes the cached dates before yesterday (UTC, the earliest
   * "today" anywhere), so past nights do not pile up in Redis. Default one hour; 0: never.
   */
  dropPastDatesEveryMs?: number;
}

export interface RelayLag {
  /** Events in the feed not yet applied (counted up to `LAG_PROBE_LIMIT`). */
  events: number;
  /** Age of the oldest unapplied event by its `at` (0 when none). */
  ms: number;
}

/** The relay's cursor in the store unless `cursorName` says otherwise. */
export const DEFAULT_RELAY_CURSOR = 'redis-relay';

/** While idle, the relay still touches its store cursor this often, so it is not taken for abandoned. */
const CURSOR_HEARTBEAT_MS = 60_000;

/** `lag()` counts at most this many pending events. */
export const LAG_PROBE_LIMIT = 10_000;

/**
 * Tails the store's change feed into Redis. Each batch of events is applied by one Lua
 * call that sets every row only if the event's seq is newer than the row's, and moves
 * the cursor (kept in Redis) to the batch's last seq in the same atomic step. So a
 * restart resumes exactly where the last applied batch ended, a batch applied twice (a
 * crash between Redis and the relay's memory) changes nothing, and two relays running at
 * once are merely wasteful: delivery is at-least-once, application idempotent.
 */
export class ChangeFeedRelay {
  private readonly redis: RedisClient;
  private readonly store: Pick<InnkeeperStore, 'readEvents' | 'saveFeedCursor'>;
  private readonly cursorName: string;
  private readonly now: () => Date;
  /** The seq and time the store's cursor was last saved at (it is refreshed while idle). */
  private savedCursor = { seq: -1, at: 0 };
  private readonly prefix: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxPollIntervalMs: number;
  private readonly wake: RelayWake | undefined;
  private readonly onError: (error: unknown) => void;
  private readonly dropPastDatesEveryMs: number;
  private droppedAt = 0;
  private cursor = 0;
  private pass: Promise<number> = Promise.resolve(0);
  private markedCaughtUpAt = 0;
  private loop: Promise<void> | null = null;
  private running = false;
  private woken = false;
  private interrupt: (() => void) | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(options: ChangeFeedRelayOptions) {
    this.redis = options.redis;
    this.store = options.store;
    this.cursorName = options.cursorName ?? DEFAULT_RELAY_CURSOR;
    this.now = options.now ?? (() => new Date());
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.maxPollIntervalMs = Math.max(options.maxPollIntervalMs ?? 1_000, this.pollIntervalMs);
    this.wake = options.wake;
    this.onError = options.onError ?? (() => {});
    this.dropPastDatesEveryMs = options.dropPastDatesEveryMs ?? 3_600_000;
  }

  /** Starts the background loop (no-op when running). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.wake) this.unsubscribe = await this.wake(() => this.signal());
    this.loop = this.run();
  }

  /** Stops the loop and waits for the batch in flight; the cursor stays in Redis. */
  async stop(): Promise<void> {
    this.running = false;
    this.signal();
    await this.loop;
    this.loop = null;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
  }

  /**
   * Applies events until the feed has none left; returns how many it applied. Passes
   * never overlap: a call made during one waits for it, then runs its own.
   */
  catchUp(): Promise<number> {
    const next = this.pass.catch(() => 0).then(() => this.drain());
    this.pass = next;
    return next;
  }

  /**
   * Applies `events` to the rows only (any order, duplicates welcome: each row keeps the
   * newest seq it has seen) without moving the cursor, which only follows the feed.
   */
  async apply(events: InnkeeperEvent[]): Promise<void> {
    await setNewer(this.redis, cursorKey(this.prefix), writesOf(this.prefix, events));
  }

  /** Pending events and the age of the oldest, read from the feed past the Redis cursor. */
  async lag(): Promise<RelayLag> {
    const cursor = Math.max(this.cursor, parseCursor(await this.redis.get(cursorKey(this.prefix))));
    const pending = await this.store.readEvents(cursor, LAG_PROBE_LIMIT);
    const oldest = pending[0];
    return {
      events: pending.length,
      ms: oldest ? Math.max(0, Date.now() - Date.parse(oldest.at)) : 0,
    };
  }

  /** The cursor as stored in Redis (0 when absent or unreadable). */
  async storedCursor(): Promise<number> {
    return parseCursor(await this.redis.get(cursorKey(this.prefix)));
  }

  /**
   * Drops the cached calendar (of one hotel, when given) so it refills lazily from the
   * store; the cursor stays, so the relay carries on where it was. Returns keys removed.
   */
  rebuild(hotelId?: string): Promise<number> {
    return dropCalendar(this.redis, this.prefix, hotelId);
  }

  private async drain(): Promise<number> {
    // Resume from Redis (a restart, or another relay ahead of us); keep our own position
    // if Redis lost the cursor (flushed), rather than replaying the whole feed. The
    // catalog marks were lost with it: every catalog then counts as changed.
    const stored = await this.storedCursor();
    if (stored < this.cursor) await this.markAllCatalogs(this.cursor);
    this.cursor = Math.max(this.cursor, stored);
    let applied = 0;
    for (;;) {
      let events: InnkeeperEvent[];
      try {
        events = await this.store.readEvents(this.cursor, this.batchSize);
      } catch (error) {
        if (!isInnkeeperError(error, 'FEED_PRUNED')) throw error;
        // Reported (it means the cache was behind for a while), then handled here.
        this.onError(error);
        await this.resync(error.details.prunedThrough);
        continue;
      }
      const last = events[events.length - 1];
      if (last) {
        await setNewer(this.redis, cursorKey(this.prefix), writesOf(this.prefix, events), last.seq);
        this.cursor = last.seq;
        applied += events.length;
      }
      if (events.length < this.batchSize) {
        await this.markCaughtUp();
        await this.saveStoreCursor();
        return applied;
      }
    }
  }

  /**
   * The feed was pruned past this relay (it was stopped longer than the retention, or
   * Redis lost its cursor): the events it missed are gone, so the cached calendar is
   * dropped (it refills from the store) and the relay reads on from `prunedThrough`,
   * replaying what is left (idempotent: each row keeps the newest seq it has seen).
   */
  private async resync(prunedThrough: number): Promise<void> {
    await this.rebuild();
    await this.redis.set(cursorKey(this.prefix), String(prunedThrough));
    // Catalog events may have been pruned too: every cache reloads every catalog once.
    await this.markAllCatalogs(prunedThrough);
    this.cursor = prunedThrough;
  }

  /** Marks every hotel's catalog as changed at `seq`: each cache reloads each one once. */
  private async markAllCatalogs(seq: number): Promise<void> {
    await setNewer(this.redis, cursorKey(this.prefix), [
      { key: catalogVersionsKey(this.prefix), field: ALL_CATALOGS, value: encodeDay(seq, null) },
    ]);
  }

  /**
   * Tells the caches this relay has just reached the end of the feed (see
   * `RELAY_CAUGHT_UP`): by the wall clock, which the caches compare with theirs.
   */
  private async markCaughtUp(): Promise<void> {
    const now = Date.now();
    if (now - this.markedCaughtUpAt < 1_000) return;
    await this.redis.hset(catalogVersionsKey(this.prefix), RELAY_CAUGHT_UP, String(now));
    this.markedCaughtUpAt = now;
  }

  /** Moves the store's cursor to what Redis holds (or refreshes it while idle). */
  private async saveStoreCursor(): Promise<void> {
    const now = this.now().getTime();
    if (this.savedCursor.seq === this.cursor && now - this.savedCursor.at < CURSOR_HEARTBEAT_MS) {
      return;
    }
    await this.store.saveFeedCursor({
      name: this.cursorName,
      seq: this.cursor,
      updatedAt: new Date(now).toISOString(),
    });
    this.savedCursor = { seq: this.cursor, at: now };
  }

  /**
   * Deletes the cached dates before `before` (default: yesterday, UTC); how many went.
   * The loop calls it every `dropPastDatesEveryMs`.
   */
  dropPastDates(before: string = addDays(todayIn('UTC', new Date()), -1)): Promise<number> {
    return dropCachedDates(this.redis, this.prefix, { before });
  }

  private async run(): Promise<void> {
    let pause = this.pollIntervalMs;
    while (this.running) {
      this.woken = false;
      try {
        const every = this.dropPastDatesEveryMs;
        if (every > 0 && Date.now() - this.droppedAt >= every) {
          this.droppedAt = Date.now();
          await this.dropPastDates();
        }
        const applied = await this.catchUp();
        pause = applied > 0 ? this.pollIntervalMs : Math.min(pause * 2, this.maxPollIntervalMs);
      } catch (error) {
        this.onError(error);
        pause = this.maxPollIntervalMs;
      }
      if (!this.running || this.woken) continue;
      await this.sleep(this.wake ? this.maxPollIntervalMs : pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.interrupt = () => {
        this.interrupt = null;
        done();
      };
    });
  }

  private signal(): void {
    this.woken = true;
    this.interrupt?.();
  }
}

function writesOf(prefix: string, events: InnkeeperEvent[]): FieldWrite[] {
  const writes: FieldWrite[] = [];
  for (const event of events) {
    // A catalog write: the hotel's catalog version moves, and every cache reloads it.
    if (isCatalogEvent(event)) {
      const version = encodeDay(event.seq, null);
      writes.push({ key: catalogVersionsKey(prefix), field: event.hotelId, value: version });
      // A hotel written may have joined or left a city, a country or a box.
      if (event.type.startsWith('hotel.')) {
        writes.push({ key: catalogVersionsKey(prefix), field: HOTEL_DIRECTORY, value: version });
      }
    }
    for (const day of event.days) {
      writes.push({
        key: dayKey(prefix, day.date),
        field: pairField(day.hotelId, day.roomTypeId),
        value: encodeDay(event.seq, day),
      });
    }
  }
  return writes;
}

/** See `ChangeFeedRelay`. Call `start()` (or `catchUp()` yourself). */
export function createChangeFeedRelay(options: ChangeFeedRelayOptions): ChangeFeedRelay {
  return new ChangeFeedRelay(options);
}
