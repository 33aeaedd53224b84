import { isIsoDate } from '../calendar/calendar-date.js';
import { ENTITY_ID_PATTERN } from '../catalog/ids.js';

/**
 * The predicates of the hand checks that run before the schemas on the engine's hottest
 * calls (`booking-input-check.ts`, `search-input-check.ts`): each answers whether a value
 * certainly passes one schema of `requests.ts`. A value they are unsure of is
 * refused here and left to the schema, which reports it.
 */

/** An object literal (or `Object.create(null)`): anything else is left to the schema. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** No key the strict schema would refuse. */
export function hasOnly(value: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}

/** `entityIdSchema`. */
export function isEntityId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= 64 &&
    ENTITY_ID_PATTERN.test(value)
  );
}

/** `isoDateSchema`. */
export function isDate(value: unknown): value is string {
  return typeof value === 'string' && isIsoDate(value);
}

/** `textSchema` after its trim: a length in range, no control characters. */
export function isText(value: unknown, min: number, max: number): value is string {
  return (
    typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    !LEFT_TO_SCHEMA.test(value)
  );
}

/**
 * Characters that leave a text to the schema: control characters (refused) and surrogate
 * halves (zod counts a text's length in code points, which, without them, is `length`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const LEFT_TO_SCHEMA = /[\u0000-\u001f\u007f\ud800-\udfff]/;

/** An integer in `[min, max]`. */
export function isCount(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
