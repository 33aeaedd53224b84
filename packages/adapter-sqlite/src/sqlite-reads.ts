import type {
  AuditFinding,
  AuditReport,
  AvailabilityView,
  CalendarDay,
  Hotel,
  HotelListQuery,
  RateCard,
  Reservation,
  ReservationQuery,
  StayQuery,
  StaysQuery,
  StayView,
} from '@innkeeper/core';
import { availabilityView, JsonMemo, leadingHotelFilter } from '@innkeeper/core/store';
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

/**
 * Parsed JSON that `readStay` and `readStays` keep while its text is unchanged (see
 * `JsonMemo`): rate cards by hotel, and the hotel and room type profiles by hotel and room
 * type. A booking reads its stay too, and parsing the rate card was a sizeable part of it.
 */
export interface StayMemos {
  rateCards: JsonMemo<RateCard>;
  profiles: JsonMemo<object>;
}

export function stayMemos(): StayMemos {
  return {
    rateCards: new JsonMemo((text) => JSON.parse(text) as RateCard),
    profiles: new JsonMemo((text) => JSON.parse(text) as object),
  };
}

/** `readStay`: the hotel, its (named) room types, their rows in `[from, to)`, its rate card. */
export function readStay(
  st: SqliteStatements,
  query: StayQuery,
  memos?: StayMemos,
): StayView | null {
  const hotel = st.getHotel.get(query.hotelId);
  if (!hotel) return null;
  const wanted = query.roomTypeIds ? new Set(query.roomTypeIds) : null;
  const roomTypes = st.listRoomTypes
    .all(query.hotelId)
    .filter((rt) => !wanted || wanted.has(rt.room_type_id))
    .map((row) =>
      roomTypeFromRow(row, memos?.profiles.get(`${row.hotel_id}/${row.room_type_id}`, row.profile)),
    );
  const days: CalendarDay[] = [];
  for (const roomType of roomTypes) {
    for (const row of st.listDays.all(query.hotelId, roomType.id, query.from, query.to)) {
      days.push(dayFromRow(row));
    }
  }
  const card = st.getRateCard.get(query.hotelId);
  const rateCard = card
    ? (memos?.rateCards.get(query.hotelId, card.data) ?? rateCardFromRow(card))
    : null;
  return {
    hotel: hotelFromRow(hotel, memos?.profiles.get(query.hotelId, hotel.profile)),
    roomTypes,
    rateCard,
    days,
    // Read with the hotel, first: the rows read after it are at least as new.
    pricingRevision: hotel.pricing_revision,
  };
}

/** `readStays`: `readStay` of each hotel, in the caller's one snapshot. */
export function readStays(
  st: SqliteStatements,
  query: StaysQuery,
  memos: StayMemos,
): AvailabilityView[] {
  const stays: AvailabilityView[] = [];
  for (const hotelId of query.hotelIds) {
    const stay = readStay(st, { hotelId, from: query.from, to: query.to }, memos);
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
  return statement.all(params).map((row) => hotelFromRow(row));
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
