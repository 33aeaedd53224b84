/**
 * Freezes a plain value and everything inside it, so an object a store (or a cache) keeps
 * can be handed out without a copy: an edit anywhere throws instead of changing what is
 * kept. For reads the port declares read-only (`readStay`, `readStays`).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
