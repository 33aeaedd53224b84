import { z } from 'zod';
import type { ArchivedReservation } from '../archive/archive-records.js';
import { textSchema } from '../catalog/text.js';
import { invalid, notFound } from '../errors.js';
import { decideErasure } from '../reservation/erasure.js';
import { guestSchema, type Reservation } from '../reservation/reservation.js';
import type { Archiving } from './archiving.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { reservationRefSchema } from './requests.js';

/** `eraseGuest(input)`: every reservation of a guest by e-mail, or one reservation. */
export const eraseGuestInputSchema = z
  .strictObject({
    email: guestSchema.shape.email.optional(),
    reservationId: reservationRefSchema.shape.reservationId.optional(),
    /** Why (a request's number): recorded on each erased reservation. Never whose data. */
    reason: textSchema({ min: 1, max: 500 }).optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.email === undefined) === (input.reservationId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'Give either email or reservationId (one of them)',
      });
    }
  });
export type EraseGuestInput = z.input<typeof eraseGuestInputSchema>;

/** What `eraseGuest` did, where. Ids only: the report holds no personal data either. */
export interface GuestErasureReport {
  at: string;
  /** Reservations in the store: erased now, or found erased already (nothing written). */
  reservations: { erased: string[]; alreadyErased: string[] };
  /** Archived reservations likewise, and the archive files rewritten. */
  archived: { erased: string[]; alreadyErased: string[]; files: string[] };
}

const PAGE = 500;

/**
 * Erasing a guest (docs/archive.md, "Erasing a guest"): their personal data replaced
 * by a tombstone in the store (one `changeReservation` per reservation, with its
 * `erased` history entry and event), in the archive files that hold their archived
 * reservations, and in the archive index, in that order. The change feed carries no
 * personal data (ids, dates and calendar rows), so there is nothing to erase there.
 * Idempotent: a repeat finds nothing left, or only reservations erased already.
 */
export class GuestErasure {
  constructor(
    private readonly context: EngineContext,
    private readonly archiving: Archiving,
    private readonly archives: boolean,
  ) {}

  async erase(input: EraseGuestInput): Promise<GuestErasureReport> {
    const { email, reservationId, reason } = parse(eraseGuestInputSchema, input);
    const at = nowIso(this.context);
    const report: GuestErasureReport = {
      at,
      reservations: { erased: [], alreadyErased: [] },
      archived: { erased: [], alreadyErased: [], files: [] },
    };
    // Everything is looked up before anything is written: an erasure that cannot reach
    // the archive is refused whole.
    const hot = email !== undefined ? await this.hotOf(email) : await this.hotById(reservationId);
    let archived = await this.archivedOf(email, reservationId);
    if (reservationId !== undefined && hot.length === 0 && archived.length === 0) {
      throw notFound('reservation', reservationId);
    }
    this.requireArchive(archived);

    const movedMeanwhile: string[] = [];
    for (const r of hot) {
      const outcome = await this.context.store.changeReservation(r.id, (current) =>
        decideErasure(current, at, reason),
      );
      if (outcome.kind === 'applied') report.reservations.erased.push(r.id);
      else if (outcome.kind === 'unchanged') report.reservations.alreadyErased.push(r.id);
      else movedMeanwhile.push(r.id); // archived since it was read: the archive pass takes it
    }
    if (movedMeanwhile.length > 0) {
      archived = await this.archivedOf(email, reservationId);
      this.requireArchive(archived);
    }
    report.archived = await this.archiving.eraseGuest(archived, at, reason);
    return report;
  }

  private requireArchive(archived: ArchivedReservation[]): void {
    if (archived.length === 0 || this.archives) return;
    throw invalid([
      {
        path: ['archive'],
        message:
          `${archived.length} archived reservation(s) of this guest exist: give createInnkeeper ` +
          'the archive ({ archive: { sink } }) so their files can be erased too',
      },
    ]);
  }

  private async hotOf(email: string): Promise<Reservation[]> {
    const found: Reservation[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await this.context.store.listReservations({
        filter: { by: 'guest', email },
        limit: PAGE,
        ...(after ? { after } : {}),
      });
      found.push(...page);
      const last = page.at(-1);
      if (page.length < PAGE || !last) return found;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  private async hotById(reservationId: string | undefined): Promise<Reservation[]> {
    const r =
      reservationId === undefined ? null : await this.context.store.getReservation(reservationId);
    return r ? [r] : [];
  }

  private async archivedOf(
    email: string | undefined,
    reservationId: string | undefined,
  ): Promise<ArchivedReservation[]> {
    if (email === undefined) {
      return this.context.store.findArchived({ by: 'ids', reservationIds: [reservationId ?? ''] });
    }
    const found: ArchivedReservation[] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await this.context.store.findArchived({
        by: 'guest',
        email,
        ...(afterId === undefined ? {} : { afterId }),
        limit: PAGE,
      });
      found.push(...page);
      const last = page.at(-1);
      if (page.length < PAGE || !last) return found;
      afterId = last.reservationId;
    }
  }
}
