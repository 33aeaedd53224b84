import { addDays, daysBetween, eachDate, toEpochDay } from '../calendar/calendar-date.js';
import {
  type CalendarConflict,
  type CalendarDay,
  type CalendarUpdate,
  emptyCalendarDay,
} from '../calendar/calendar-day.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import { InnkeeperError, invalid, notFound } from '../errors.js';
import { WEEKDAYS } from '../rate-card/rate-card.js';
import { isAssignable, isOutOfOrderOn } from '../rooms/room.js';
import type { Catalog } from './catalog.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import {
  type CalendarQuery,
  calendarQuerySchema,
  type OutOfOrderInput,
  outOfOrderInputSchema,
  type ReturnToServiceInput,
  returnToServiceInputSchema,
  type SetInventoryInput,
  type SetRatesInput,
  type StopSellInput,
  setInventoryInputSchema,
  setRatesInputSchema,
  stopSellInputSchema,
} from './requests.js';

/** Calendar ranges longer than this are refused (about three years). */
const MAX_CALENDAR_RANGE_DAYS = 1100;

/** The calendar of a room type: inventory, out of order, stop-sell, rates, and reading it. */
export class CalendarEditing {
  constructor(
    private readonly context: EngineContext,
    private readonly catalog: Catalog,
  ) {}

  async setInventory(input: SetInventoryInput): Promise<CalendarDay[]> {
    const parsed = parse(setInventoryInputSchema, input);
    const total =
      parsed.total === undefined ? await this.totalsFromRooms(parsed) : { set: parsed.total };
    return this.change(parsed, { total, allowOverbooked: false });
  }

  /**
   * The totals a room type's physical rooms give each date of a range: its active,
   * in-service rooms, less those out of order that night. `VALIDATION` when it has none
   * (a hotel that does not use rooms gives `total`).
   */
  private async totalsFromRooms(range: {
    hotelId: string;
    roomTypeId: string;
    from: string;
    to: string;
  }): Promise<{ setEach: Record<string, number> }> {
    const rooms = (await this.context.store.listRooms(range.hotelId)).filter(
      (r) => r.roomTypeId === range.roomTypeId && isAssignable(r),
    );
    if (rooms.length === 0) {
      throw invalid([
        {
          path: ['total'],
          message: `Give total: room type ${range.roomTypeId} has no rooms in use to count`,
        },
      ]);
    }
    const setEach: Record<string, number> = {};
    for (const date of calendarDates(range.from, range.to)) {
      setEach[date] = rooms.filter((r) => !isOutOfOrderOn(r, date)).length;
    }
    return { setEach };
  }

  async takeOutOfOrder(input: OutOfOrderInput): Promise<CalendarDay[]> {
    const parsed = parse(outOfOrderInputSchema, input);
    return this.change(parsed, {
      total: { adjust: -parsed.rooms },
      allowOverbooked: parsed.allowOverbooked,
    });
  }

  async returnToService(input: ReturnToServiceInput): Promise<CalendarDay[]> {
    const parsed = parse(returnToServiceInputSchema, input);
    return this.change(parsed, { total: { adjust: parsed.rooms }, allowOverbooked: false });
  }

  async setStopSell(input: StopSellInput): Promise<CalendarDay[]> {
    const parsed = parse(stopSellInputSchema, input);
    return this.change(parsed, { stopSell: parsed.stopSell, allowOverbooked: false });
  }

  async setRates(input: SetRatesInput): Promise<CalendarDay[]> {
    const parsed = parse(setRatesInputSchema, input);
    const weekdays = parsed.weekdays ? new Set(parsed.weekdays) : null;
    return this.change(
      parsed,
      { rate: parsed.amount, allowOverbooked: false },
      weekdays ? (date) => weekdays.has(weekdayOf(date)) : undefined,
    );
  }

  async getCalendar(input: CalendarQuery): Promise<CalendarDay[]> {
    const { hotelId, roomTypeId, from, to } = parse(calendarQuerySchema, input);
    const dates = calendarDates(from, to);
    const stay = await this.context.store.readStay({
      hotelId,
      roomTypeIds: [roomTypeId],
      from,
      to: addDays(to, 1),
    });
    if (!stay) throw notFound('hotel', hotelId);
    if (!stay.roomTypes.some((rt) => rt.id === roomTypeId))
      throw notFound('roomType', `${hotelId}/${roomTypeId}`);
    const byDate = new Map(stay.days.map((day) => [day.date, day]));
    // The caller's own rows: what `readStay` returns may be the store's, read-only.
    return dates.map((date) => {
      const day = byDate.get(date);
      return day ? { ...day } : emptyCalendarDay(hotelId, roomTypeId, date);
    });
  }

  private async change(
    range: { hotelId: string; roomTypeId: string; from: string; to: string },
    change: Pick<CalendarUpdate, 'total' | 'stopSell' | 'rate' | 'allowOverbooked'>,
    only?: (date: string) => boolean,
  ): Promise<CalendarDay[]> {
    const all = calendarDates(range.from, range.to);
    const dates = only ? all.filter(only) : all;
    if (dates.length === 0) return [];
    const hotel = await this.catalog.getHotel(range.hotelId);
    const roomType = await this.catalog.getRoomType(range.hotelId, range.roomTypeId);
    const update = calendarUpdate(hotel, roomType, dates, change);
    const result = await this.context.store.updateCalendar(update, nowIso(this.context));
    if (result.kind === 'rejected') throw inventoryConflict(update, result.conflicts);
    return result.days;
  }
}

/** The store's `CalendarUpdate` of `dates` of a room type, with its overbooking percent. */
export function calendarUpdate(
  hotel: Hotel,
  roomType: RoomType,
  dates: string[],
  change: Pick<CalendarUpdate, 'total' | 'stopSell' | 'rate' | 'allowOverbooked'>,
): CalendarUpdate {
  return {
    hotelId: hotel.id,
    roomTypeId: roomType.id,
    dates,
    overbookingPercent: roomType.overbookingPercent ?? hotel.overbookingPercent,
    ...change,
  };
}

/** A calendar change the store refused: `CONFLICT` naming every date and the first reason. */
export function inventoryConflict(
  update: CalendarUpdate,
  conflicts: CalendarConflict[],
): InnkeeperError<'CONFLICT'> {
  const dates = conflicts.map((c) => c.date);
  const reason = conflicts[0]?.reason ?? 'conflict';
  return new InnkeeperError(
    'CONFLICT',
    `Inventory change refused on ${dates.join(', ')}: ${reason}`,
    {
      entity: 'inventory',
      id: `${update.hotelId}/${update.roomTypeId}`,
      reason,
      dates,
    },
  );
}

function calendarDates(from: string, to: string): string[] {
  if (daysBetween(from, to) + 1 > MAX_CALENDAR_RANGE_DAYS) {
    throw invalid([
      { path: ['to'], message: `A calendar range spans at most ${MAX_CALENDAR_RANGE_DAYS} days` },
    ]);
  }
  return eachDate(from, addDays(to, 1));
}

function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  // 1970-01-01 (epoch day 0) was a Thursday.
  return WEEKDAYS[(((toEpochDay(date) + 3) % 7) + 7) % 7] as (typeof WEEKDAYS)[number];
}
