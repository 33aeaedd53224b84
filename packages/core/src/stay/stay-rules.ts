import { daysBetween, todayIn } from '../calendar/calendar-date.js';
import type { Hotel } from '../catalog/hotel.js';
import type { RoomType } from '../catalog/room-type.js';
import { invalid, notFound, type ValidationIssue } from '../errors.js';

export interface StayLimits {
  /** Longest stay accepted, in nights. */
  maxStayNights: number;
}

/**
 * Checks a stay against the hotel's own "today" (in its time zone, from the injected
 * clock) and the configured maximum length. Same-day arrivals are allowed.
 */
export function checkStay(
  hotel: Hotel,
  stay: { checkIn: string; checkOut: string },
  now: Date,
  limits: StayLimits,
  options: { pastCheckIn?: boolean } = {},
): void {
  const issues: ValidationIssue[] = [];
  const today = todayIn(hotel.timeZone, now);
  if (!options.pastCheckIn && stay.checkIn < today) {
    issues.push({
      path: ['checkIn'],
      message: `checkIn ${stay.checkIn} is in the past for the hotel (today is ${today})`,
    });
  }
  if (stay.checkOut < today) {
    issues.push({
      path: ['checkOut'],
      message: `checkOut ${stay.checkOut} is in the past for the hotel (today is ${today})`,
    });
  }
  const nights = daysBetween(stay.checkIn, stay.checkOut);
  if (nights > limits.maxStayNights) {
    issues.push({
      path: ['checkOut'],
      message: `Stay of ${nights} nights exceeds the maximum of ${limits.maxStayNights}`,
    });
  }
  if (issues.length > 0) throw invalid(issues);
}

/** Resolves each line's room type and checks that the guests fit in one room of it. */
export function resolveLines<L extends { roomTypeId: string; adults: number; children: number }>(
  hotelId: string,
  lines: L[],
  roomTypes: RoomType[],
  pathPrefix: (string | number)[] = ['lines'],
): { line: L; roomType: RoomType }[] {
  const issues: ValidationIssue[] = [];
  const resolved = lines.map((line, index) => {
    // A stay names a few room types (the store read only those): a scan, not a map.
    const roomType = roomTypes.find((rt) => rt.id === line.roomTypeId);
    if (!roomType) throw notFound('roomType', `${hotelId}/${line.roomTypeId}`);
    if (fitsOccupancy(roomType, line.adults, line.children)) return { line, roomType };
    const path = [...pathPrefix, index];
    if (line.adults > roomType.maxAdults) {
      issues.push({
        path: [...path, 'adults'],
        message: `${roomType.name} holds at most ${roomType.maxAdults} adults`,
      });
    }
    if (line.children > roomType.maxChildren) {
      issues.push({
        path: [...path, 'children'],
        message: `${roomType.name} holds at most ${roomType.maxChildren} children`,
      });
    }
    if (line.adults + line.children > roomType.maxOccupancy) {
      issues.push({
        path,
        message: `${roomType.name} holds at most ${roomType.maxOccupancy} guests per room`,
      });
    }
    return { line, roomType };
  });
  if (issues.length > 0) throw invalid(issues);
  return resolved;
}

export function fitsOccupancy(roomType: RoomType, adults: number, children: number): boolean {
  return (
    adults <= roomType.maxAdults &&
    children <= roomType.maxChildren &&
    adults + children <= roomType.maxOccupancy
  );
}
