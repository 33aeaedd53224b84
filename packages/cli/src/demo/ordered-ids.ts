import { randomBytes } from 'node:crypto';

/**
 * Reservation ids in creation order, shaped like UUIDv7 (RFC 9562): 48 bits of the real
 * time in milliseconds, then a counter, then random bits. The engine's default
 * (`randomUUID`, v4) scatters every new reservation over the store's id indexes, so each
 * booking dirties a random index page; time-ordered ids append at the right edge, as a
 * production system choosing v7 ids would. Unique within the run (the counter) and across
 * runs (the time and the random tail).
 */
export function orderedIds(): () => string {
  const tail = randomBytes(6).toString('hex');
  let counter = 0;
  return () => {
    const ms = Date.now().toString(16).padStart(12, '0');
    const seq = (counter++ % 0x1_0000_0000).toString(16).padStart(8, '0');
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${seq.slice(0, 3)}-8${seq.slice(3, 6)}-${seq.slice(6)}${tail.slice(0, 10)}`;
  };
}
