import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/**
 * Writes calendar fields and optionally moves the relay's cursor forward, in one atomic
 * call.
 *
 * KEYS[1] is the cursor key, KEYS[2..] the dates' hashes. ARGV[1] is the new cursor
 * (or '' to leave it), then triples (key index, field, value) where value starts with
 * `seq|`. The cursor only ever grows. A field counts as *settled* when it parses (same
 * rules as `decodeDay`) and its seq is at most the cursor; a settled field is replaced
 * only by a larger seq. Anything else is replaced: absent, unreadable, or carrying a seq
 * past the cursor (an event delivered early by `apply()`, or a forged value): the relay
 * applies every event past the cursor again, so nothing is lost by overwriting it.
 * A key under the prefix of the wrong type (someone else's) is deleted first.
 * Returns the number of fields written.
 */
const SET_NEWER = `
local function seqOf(v)
  if not v then return nil end
  local s = string.match(v, '^(%d+)|%-$')
  if s then
    if #s > 15 then return nil end
    return tonumber(s)
  end
  local t, o, r, rate
  s, t, o, r, rate = string.match(v, '^(%d+)|(%d+)|(%d+)|(%d+)|[01]|(.+)$')
  if not s or #s > 15 or #t > 15 or #o > 15 or #r > 15 then return nil end
  if rate ~= '-' and (#rate > 15 or not string.match(rate, '^%d+$')) then return nil end
  if tonumber(r) > tonumber(t) + tonumber(o) then return nil end
  return tonumber(s)
end
local function ownKey(key, kind)
  local found = redis.call('TYPE', key).ok
  if found ~= kind and found ~= 'none' then redis.call('DEL', key) end
end
ownKey(KEYS[1], 'string')
local raw = redis.call('GET', KEYS[1])
local cursor = 0
if raw and #raw <= 15 and string.match(raw, '^%d+$') then cursor = tonumber(raw) end
if ARGV[1] ~= '' then
  local next = tonumber(ARGV[1])
  if next > cursor or not raw then
    redis.call('SET', KEYS[1], ARGV[1])
    if next > cursor then cursor = next end
  end
end
local checked = {}
local written = 0
for i = 2, #ARGV, 3 do
  local key = KEYS[tonumber(ARGV[i])]
  if not checked[key] then
    ownKey(key, 'hash')
    checked[key] = true
  end
  local value = ARGV[i + 2]
  local current = seqOf(redis.call('HGET', key, ARGV[i + 1]))
  if current == nil or current > cursor or current < seqOf(value) then
    redis.call('HSET', key, ARGV[i + 1], value)
    written = written + 1
  end
end
return written
`;

/**
 * Reads a search's fields in one call. KEYS are the hashes of its dates, then the cursor
 * key; ARGV the (hotel, room type) fields. Returns per date one string, the values of the
 * fields in order joined by `,` (empty for an absent field; no value holds a comma), or
 * nil for a key that is not a hash (someone else's: a miss); and, last, the cursor, read
 * in the same atomic step, so every settled field returned is at most it. One string per
 * date, not an array of hundreds: decoding the reply was a sixth of a search's time in
 * Node. One EVALSHA costs ioredis far less than a pipeline of HMGETs.
 */
const READ_DAYS = `
local out = {}
for i = 1, #KEYS - 1 do
  local values = {}
  -- HMGET a page of fields at a time: Lua's unpack takes a few thousand values at most.
  for first = 1, #ARGV, 1000 do
    local page = redis.pcall('HMGET', KEYS[i], unpack(ARGV, first, math.min(first + 999, #ARGV)))
    if type(page) == 'table' and page.err then values = false break end
    for j = 1, #page do values[first + j - 1] = page[j] or '' end
  end
  if values then out[i] = table.concat(values, ',') else out[i] = false end
end
local cursor = redis.pcall('GET', KEYS[#KEYS])
if type(cursor) == 'table' then cursor = false end
out[#KEYS] = cursor
return out
`;

class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, loading the script with EVAL after a NOSCRIPT (a restarted or flushed Redis). */
  async run(redis: RedisClient, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Deletes the fields of the hash KEYS[1] matching the HSCAN pattern ARGV[1] (`*`: the
 * whole key) and returns how many went; a key of another type under the prefix (someone
 * else's) is deleted and counts none. One hash per call, a page of fields at a time, so
 * Redis is never blocked long.
 */
const DROP_FIELDS = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'hash' then
  if kind ~= 'none' then redis.call('DEL', KEYS[1]) end
  return 0
end
if ARGV[1] == '*' then
  local count = redis.call('HLEN', KEYS[1])
  redis.call('UNLINK', KEYS[1])
  return count
end
local cursor = '0'
local dropped = 0
repeat
  local page = redis.call('HSCAN', KEYS[1], cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = page[1]
  local fields = {}
  for i = 1, #page[2], 2 do fields[#fields + 1] = page[2][i] end
  if #fields > 0 then dropped = dropped + redis.call('HDEL', KEYS[1], unpack(fields)) end
until cursor == '0'
return dropped
`;

const setNewerScript = new Script(SET_NEWER);
const dropFieldsScript = new Script(DROP_FIELDS);

/** Deletes the fields of `key` (a date's hash) matching `pattern`; how many went. */
export async function dropFields(
  redis: RedisClient,
  key: string,
  pattern: string,
): Promise<number> {
  return Number(await dropFieldsScript.run(redis, [key], [pattern]));
}
const readDaysScript = new Script(READ_DAYS);

/** One field to write: a date's hash, a (hotel, room type), and an encoded value (see `encodeDay`). */
export interface FieldWrite {
  key: string;
  field: string;
  value: string;
}

/** Runs the compare-and-set script; returns the number of fields written. */
export async function setNewer(
  redis: RedisClient,
  cursorKey: string,
  writes: FieldWrite[],
  newCursor?: number,
): Promise<number> {
  const keys = [cursorKey];
  const index = new Map<string, number>();
  const args: string[] = [newCursor === undefined ? '' : String(newCursor)];
  for (const w of writes) {
    let i = index.get(w.key);
    if (i === undefined) {
      keys.push(w.key);
      i = keys.length;
      index.set(w.key, i);
    }
    args.push(String(i), w.field, w.value);
  }
  return Number(await setNewerScript.run(redis, keys, args));
}

/**
 * Each date hash's values of `fields` as one string (see `READ_DAYS`; `null` for a key of
 * the wrong type) and the raw cursor.
 */
export async function readDays(
  redis: RedisClient,
  keys: string[],
  cursorKey: string,
  fields: string[],
): Promise<{ values: (string | null)[]; cursor: unknown }> {
  const reply = await readDaysScript.run(redis, [...keys, cursorKey], fields);
  if (!Array.isArray(reply) || reply.length > keys.length + 1) {
    throw new Error('Unexpected reply from the availability read script');
  }
  const values = keys.map((_, i) => (typeof reply[i] === 'string' ? (reply[i] as string) : null));
  return { values, cursor: reply[keys.length] };
}

/** Parses the stored cursor; anything unreadable counts as "nothing applied yet". */
export function parseCursor(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : 0;
  return n;
}
