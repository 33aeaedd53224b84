import * as crypto from 'node:crypto';

/**
 * A digest of a normalized request. The same idempotency key with the same fingerprint
 * is a replay; with another fingerprint it is a reused key. Callers build `request`
 * with a fixed key order, so `JSON.stringify` is canonical.
 */
export function fingerprintOf(request: unknown): string {
  return sha256(JSON.stringify(request));
}

/**
 * SHA-256 as base64url. Node's one-shot `crypto.hash` (20.12 and later) does not build a
 * `Hash` object per call, which was half of a booking's fingerprint; earlier 20.x fall back.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'base64url')
    : (text) => crypto.createHash('sha256').update(text).digest('base64url');
