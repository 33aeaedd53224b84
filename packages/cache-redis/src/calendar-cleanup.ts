import { eachMatching, type RedisClient, unlinkMatching } from './redis-client.js';
import {
  dateOfDayKey,
  dayPattern,
  hotelFieldPattern,
  legacyCalendarPattern,
} from './redis-keys.js';
import { dropFields } from './redis-scripts.js';

/**
 * Deletes cached dates: every hotel's or one hotel's (`hotelId`), on every date or only
 * on those before `before`. Returns how many (hotel, room type, date) values went. A
 * date's hash goes whole when all its fields go (UNLINK); one hotel's fields go by HSCAN
 * + HDEL, one hash at a time.
 */
export function dropCachedDates(
  redis: RedisClient,
  prefix: string,
  which: { hotelId?: string; before?: string },
): Promise<number> {
  const fields = hotelFieldPattern(which.hotelId);
  return eachMatching(redis, dayPattern(prefix), (key) => {
    if (which.before !== undefined) {
      const date = dateOfDayKey(prefix, key);
      if (date === undefined || date >= which.before) return Promise.resolve(0);
    }
    return dropFields(redis, key, fields);
  });
}

/**
 * Drops the cached calendar (of one hotel, when given) so it refills lazily from the
 * store; the whole of it goes with any hash an earlier key layout left. Returns how many
 * cached values went.
 */
export async function dropCalendar(
  redis: RedisClient,
  prefix: string,
  hotelId?: string,
): Promise<number> {
  const dropped = await dropCachedDates(redis, prefix, hotelId === undefined ? {} : { hotelId });
  if (hotelId === undefined) await unlinkMatching(redis, legacyCalendarPattern(prefix));
  return dropped;
}
