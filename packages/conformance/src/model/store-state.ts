import type {
  AuditReport,
  CalendarDay,
  InnkeeperEvent,
  InnkeeperStore,
  Reservation,
} from '@innkeeper/core';
import { day, HOTEL_ID, INVENTORY_DAYS, TODAY } from '../fixture.js';

/**
 * Everything the checks look at, read straight through the port after a run. The checks
 * judge what the store persisted, not what the engine said it did: an engine call can
 * report success for a write the store never made (or made twice).
 */
export interface StoreState {
  audit: AuditReport;
  /** Every calendar row of the fixture hotel, all room types. */
  rows: CalendarDay[];
  /** Every reservation of the fixture hotel. */
  reservations: Reservation[];
  /** The whole change feed, in the order the store returned it. */
  events: InnkeeperEvent[];
}

const PAGE = 1000;

export async function readStoreState(store: InnkeeperStore): Promise<StoreState> {
  const audit = await store.audit({ hotelId: HOTEL_ID });
  const stay = await store.readStay({ hotelId: HOTEL_ID, from: TODAY, to: day(INVENTORY_DAYS) });
  return {
    audit,
    rows: stay?.days ?? [],
    reservations: await readAllReservations(store),
    events: await readAllEvents(store),
  };
}

async function readAllReservations(store: InnkeeperStore): Promise<Reservation[]> {
  const all: Reservation[] = [];
  let after: { createdAt: string; id: string } | undefined;
  for (;;) {
    const page = await store.listReservations({
      filter: { by: 'hotel', hotelId: HOTEL_ID },
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    all.push(...page);
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return all;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

async function readAllEvents(store: InnkeeperStore): Promise<InnkeeperEvent[]> {
  const all: InnkeeperEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await store.readEvents(afterSeq, PAGE);
    all.push(...page);
    const last = page[page.length - 1];
    // A feed that does not move forward would loop forever; the model reports the order.
    if (page.length < PAGE || !last || last.seq <= afterSeq) return all;
    afterSeq = last.seq;
  }
}

/** The last event's seq now: where a phase of a run starts in the change feed. */
export async function lastSeq(store: InnkeeperStore): Promise<number> {
  const events = await readAllEvents(store);
  return events[events.length - 1]?.seq ?? 0;
}
