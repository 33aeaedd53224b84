import type {
  AuditFinding,
  AuditReport,
  AvailabilityView,
  CalendarDay,
  Hotel,
  HotelListQuery,
  Reservation,
  ReservationQuery,
  StayQuery,
  StaysQuery,
  StayView,
} from '@innkeeper/core';
import { availabilityView, leadingHotelFilter } from '@innkeeper/core/store';
import {
  dayFromRow,
  hotelFromRow,
  rateCardFromRow,
  reservationFromRow,
  roomTypeFromRow,
} from './sqlite-rows.js';
import type { SqliteStatements } from './sqlite-statements.js';

// The store's reads of several statements or with a mapping of their own. Each runs
// inside the caller's deferred transaction (or is one statement), so it sees one snapshot.

/** `readStay`: the hotel, its (named) room types, their rows in `[from, to)`, its rate card. */
export function readStay(st: SqliteStatements, query: StayQuery): StayView | null {
  const hotel = st.getHotel.get(query.hotelId);
  if (!hotel) return null;
  const wanted = query.roomTypeIds ? new Set(query.roomTypeIds) : null;
  const roomTypes = st.listRoomTypes
    .all(query.hotelId)
    .filter((rt) => !wanted || wanted.has(rt.room_type_id))
    .map(roomTypeFromRow);
  const days: CalendarDay[] = [];
  for (const roomType of roomTypes) {
    for (const row of st.listDays.all(query.hotelId, roomType.id, query.from, query.to)) {
      days.push(dayFromRow(row));
    }
  }
  const rateCard = st.getRateCard.get(query.hotelId);
  return {
    hotel: hotelFromRow(hotel),
    roomTypes,
    rateCard: rateCard ? rateCardFromRow(rateCard) : null,
    days,
    // Read with the hotel, first: the rows read after it are at least as new.
    pricingRevision: hotel.pricing_revision,
  };
}

/** `readStays`: `readStay` of each hotel, in the caller's one snapshot. */
export function readStays(st: SqliteStatements, query: StaysQuery): AvailabilityView[] {
  const stays: AvailabilityView[] = [];
  for (const hotelId of query.hotelIds) {
    const stay = readStay(st, { hotelId, from: query.from, to: query.to });
    if (stay !== null) stays.push(availabilityView(stay));
  }
  return stays;
}

/** `listHotels`: the statement of the index that leads the filters (see `hotelListings`). */
export function listHotels(st: SqliteStatements, query: HotelListQuery): Hotel[] {
  const params = {
    afterId: query.afterId ?? '',
    limit: query.limit,
    active: query.active === undefined ? null : query.active ? 1 : 0,
    cityKey: query.cityKey ?? null,
    country: query.country ?? null,
    south: query.box?.south ?? null,
    west: query.box?.west ?? null,
    north: query.box?.north ?? null,
    east: query.box?.east ?? null,
  };
  const statement = {
    city: st.listHotelsInCity,
    country: st.listHotelsInCountry,
    box: st.listHotelsInBox,
    none: st.listHotels,
  }[leadingHotelFilter(query) ?? 'none'];
  return statement.all(params).map(hotelFromRow);
}

/** `listReservations`: one statement, picked by filter and cursor, its parameters by name. */
export function listReservations(st: SqliteStatements, query: ReservationQuery): Reservation[] {
  const { filter, after, limit } = query;
  const cursor = after ? { createdAt: after.createdAt, id: after.id } : {};
  const paging = { limit, ...cursor };
  const rows = (() => {
    switch (filter.by) {
      case 'guest':
        return (after ? st.byGuestAfter : st.byGuest).all({
          email: filter.email,
          hotelId: filter.hotelId ?? null,
          ...paging,
        });
      case 'hotel':
        return (after ? st.byHotelAfter : st.byHotel).all({
          hotelId: filter.hotelId,
          from: filter.from ?? null,
          to: filter.to ?? null,
          statuses: filter.statuses ? JSON.stringify(filter.statuses) : null,
          ...paging,
        });
      case 'external-ref':
        return (after ? st.byExternalRefAfter : st.byExternalRef).all({
          hotelId: filter.hotelId,
          externalRef: filter.externalRef,
          ...paging,
        });
      default: {
        const first = { arrivals: st.arrivals, departures: st.departures, 'in-house': st.inHouse };
        const next = {
          arrivals: st.arrivalsAfter,
          departures: st.departuresAfter,
          'in-house': st.inHouseAfter,
        };
        return (after ? next : first)[filter.by].all({
          hotelId: filter.hotelId,
          date: filter.date,
          ...paging,
        });
      }
    }
  })();
  return rows.map(reservationFromRow);
}

/** `audit`: the SQL finds the rows that disagree; this reports them like `auditCalendar`. */
export function readAudit(st: SqliteStatements, hotelId: string | undefined): AuditReport {
  const scoped = hotelId !== undefined;
  const rows = scoped ? st.auditHotel.all({ hotelId }) : st.auditAll.all();
  const findings: AuditFinding[] = [];
  for (const row of rows) {
    const base = {
      hotelId: row.hotel_id,
      roomTypeId: row.room_type_id,
      date: row.date,
      reserved: row.reserved,
      expected: row.expected,
      capacity: row.capacity,
    };
    // Same findings, in the same order per row, as the core's auditCalendar.
    if (row.has_row === 0 || row.reserved !== row.expected) {
      findings.push({ ...base, problem: 'drift' });
    }
    if (row.reserved < 0) findings.push({ ...base, problem: 'negative' });
    if (row.reserved > row.capacity && row.has_row === 1) {
      findings.push({ ...base, problem: 'over-capacity' });
    }
  }
  const count = (n: { n: number } | undefined) => n?.n ?? 0;
  return {
    ok: findings.length === 0,
    rowsChecked: count(scoped ? st.countHotelDays.get(hotelId) : st.countDays.get()),
    reservationsChecked: count(
      scoped ? st.countHotelReservations.get(hotelId) : st.countReservations.get(),
    ),
    findings,
  };
}
