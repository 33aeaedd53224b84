import { invalid } from '../errors.js';

/** A position in a newest-first listing: the last item's (createdAt, id). */
export interface ListPosition {
  createdAt: string;
  id: string;
}

/** Cursors are opaque to callers: base64url of the last item's position. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the typed error below
  }
  throw invalid([{ path: ['cursor'], message: 'Not a cursor returned by listReservations' }]);
}
