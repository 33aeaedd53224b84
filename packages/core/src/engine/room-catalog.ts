import { eachDate, laterDate, todayIn } from '../calendar/calendar-date.js';
import { InnkeeperError, invalid, notFound } from '../errors.js';
import type { RoomSaveGuard } from '../port/store-arguments.js';
import {
  type CreateRoomInput,
  createRoomInputSchema,
  isAssignable,
  normalizeFeatures,
  type OutOfOrderSpell,
  type Room,
} from '../rooms/room.js';
import { calendarUpdate, inventoryConflict } from './calendar-editing.js';
import { hotelIdArgumentsSchema } from './call-arguments.js';
import type { Catalog } from './catalog.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { conflict } from './outcome-errors.js';
import {
  type RoomBackInServiceInput,
  type RoomOutOfOrderInput,
  roomBackInServiceInputSchema,
  roomOutOfOrderInputSchema,
  type UpdateRoomInput,
  updateRoomInputSchema,
} from './room-requests.js';

/** A date after every stay: a new room holds no nights. */
const NEVER = '9999-12-31';

/**
 * A hotel's physical rooms: numbered doors of a room type, with housekeeping's status.
 * A room that holds nights from today on keeps its type and stays assignable (the store
 * refuses the save atomically), so an assignment is never left on a room that cannot
 * take it; free the nights first (`unassignRoom`, `moveRoom`).
 */
export class RoomCatalog {
  constructor(
    private readonly context: EngineContext,
    private readonly catalog: Catalog,
  ) {}

  async createRoom(input: CreateRoomInput): Promise<Room> {
    const parsed = parse(createRoomInputSchema, input);
    await this.catalog.getRoomType(parsed.hotelId, parsed.roomTypeId);
    const at = nowIso(this.context);
    const room: Room = {
      ...parsed,
      id: parsed.id ?? this.context.generateId(),
      features: normalizeFeatures(parsed.features),
      createdAt: at,
      updatedAt: at,
    };
    // A new room holds no nights: nothing it could make unusable.
    const result = await this.context.store.saveRoom(room, 'create', { assignedFrom: NEVER });
    if (result === 'exists') throw conflict('room', room.id, 'A room with this id already exists');
    if (result === 'number-taken') throw numberTaken(room);
    return room;
  }

  async updateRoom(input: UpdateRoomInput): Promise<Room> {
    const { hotelId, id, ...patch } = parse(updateRoomInputSchema, input);
    const hotel = await this.catalog.getHotel(hotelId);
    const current = await this.getRoom(hotelId, id);
    if (patch.roomTypeId !== undefined) await this.catalog.getRoomType(hotelId, patch.roomTypeId);
    const room: Room = { ...current, updatedAt: nowIso(this.context) };
    for (const [field, value] of Object.entries(patch)) {
      if (value !== undefined) Object.assign(room, { [field]: value });
    }
    room.features = normalizeFeatures(room.features);
    const today = todayIn(hotel.timeZone, this.context.clock.now());
    return this.save(room, { assignedFrom: today }, `from ${today} on`);
  }

  /**
   * Takes one room out of order for the nights `[from, to)`: it cannot be given to a
   * guest, and its room type's `total` is one lower on each night, in one atomic step.
   * Refused while the room is assigned on any of those nights (`CONFLICT`, reason
   * `room assigned`), or where the lower total would not cover what is sold (`CONFLICT`
   * on `inventory`, unless `allowOverbooked`), like `takeOutOfOrder`.
   */
  async takeRoomOutOfOrder(input: RoomOutOfOrderInput): Promise<Room> {
    const { hotelId, roomId, from, to, reason, allowOverbooked } = parse(
      roomOutOfOrderInputSchema,
      input,
    );
    const hotel = await this.catalog.getHotel(hotelId);
    const current = await this.getRoom(hotelId, roomId);
    const spells = current.outOfOrder ?? [];
    const overlap = spells.find((spell) => spell.from < to && from < spell.to);
    if (overlap) {
      throw invalid([
        {
          path: ['from'],
          message: `Room ${current.number} is already out of order from ${overlap.from} to ${overlap.to}`,
        },
      ]);
    }
    if (!isAssignable(current)) {
      throw invalid([
        { path: ['roomId'], message: `Room ${current.number} is inactive or out of service` },
      ]);
    }
    const roomType = await this.catalog.getRoomType(hotelId, current.roomTypeId);
    const room: Room = {
      ...current,
      outOfOrder: [...spells, { from, to, reason }].sort((a, b) => (a.from < b.from ? -1 : 1)),
      updatedAt: nowIso(this.context),
    };
    const calendar = calendarUpdate(hotel, roomType, eachDate(from, to), {
      total: { adjust: -1 },
      allowOverbooked,
    });
    const today = todayIn(hotel.timeZone, this.context.clock.now());
    return this.save(room, { assignedFrom: today, calendar }, `from ${from} to ${to}`);
  }

  /**
   * Ends a room's spells out of order from a night on (the hotel's today by default): the
   * room can be given to guests again, and its type's `total` is one higher on each night
   * given back. A room not out of order from then on is returned as it is.
   */
  async returnRoomToService(input: RoomBackInServiceInput): Promise<Room> {
    const parsed = parse(roomBackInServiceInputSchema, input);
    const hotel = await this.catalog.getHotel(parsed.hotelId);
    const current = await this.getRoom(parsed.hotelId, parsed.roomId);
    const today = todayIn(hotel.timeZone, this.context.clock.now());
    const from = parsed.from ?? today;
    const kept: OutOfOrderSpell[] = [];
    const givenBack: string[] = [];
    for (const spell of current.outOfOrder ?? []) {
      if (spell.to <= from) kept.push(spell);
      else {
        givenBack.push(...eachDate(laterDate(spell.from, from), spell.to));
        if (spell.from < from) kept.push({ ...spell, to: from });
      }
    }
    if (givenBack.length === 0) return current;
    const roomType = await this.catalog.getRoomType(parsed.hotelId, current.roomTypeId);
    const room: Room = { ...current, outOfOrder: kept, updatedAt: nowIso(this.context) };
    const calendar = calendarUpdate(hotel, roomType, givenBack, {
      total: { adjust: 1 },
      allowOverbooked: false,
    });
    return this.save(room, { assignedFrom: today, calendar }, `from ${from} on`);
  }

  /** Saves an update of a room, turning each refusal into its typed error. */
  private async save(room: Room, guard: RoomSaveGuard, nights: string): Promise<Room> {
    const result = await this.context.store.saveRoom(room, 'update', guard);
    if (result === 'missing') throw notFound('room', `${room.hotelId}/${room.id}`);
    if (result === 'number-taken') throw numberTaken(room);
    if (result === 'assigned') {
      throw new InnkeeperError(
        'CONFLICT',
        `Room ${room.number} is assigned to a stay ${nights}: move or unassign it first`,
        { entity: 'room', id: room.id, reason: 'room assigned' },
      );
    }
    if (typeof result === 'object' && guard.calendar) {
      throw inventoryConflict(guard.calendar, result.conflicts);
    }
    return room;
  }

  /** The hotel's rooms, by id (`NOT_FOUND` for an unknown hotel). */
  async listRooms(hotelId: string): Promise<Room[]> {
    const { hotelId: id } = parse(hotelIdArgumentsSchema, { hotelId });
    await this.catalog.getHotel(id);
    return this.context.store.listRooms(id);
  }

  async getRoom(hotelId: string, roomId: string): Promise<Room> {
    const room = (await this.context.store.listRooms(hotelId)).find((r) => r.id === roomId);
    if (!room) throw notFound('room', `${hotelId}/${roomId}`);
    return room;
  }
}

function numberTaken(room: Room): InnkeeperError<'CONFLICT'> {
  return new InnkeeperError(
    'CONFLICT',
    `Another room of hotel ${room.hotelId} already has the number "${room.number}"`,
    { entity: 'room', id: room.id, reason: 'room number taken' },
  );
}
