import { createHash } from 'node:crypto';

/**
 * A digest of a normalized request. The same idempotency key with the same fingerprint
 * is a replay; with another fingerprint it is a reused key. Callers build `request`
 * with a fixed key order, so `JSON.stringify` is canonical.
 */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url');
}
