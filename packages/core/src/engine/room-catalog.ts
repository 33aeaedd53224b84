import { todayIn } from '../calendar/calendar-date.js';
import { InnkeeperError, notFound } from '../errors.js';
import {
  type CreateRoomInput,
  createRoomInputSchema,
  normalizeFeatures,
  type Room,
} from '../rooms/room.js';
import { hotelIdArgumentsSchema } from './call-arguments.js';
import type { Catalog } from './catalog.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { conflict } from './outcome-errors.js';
import { type UpdateRoomInput, updateRoomInputSchema } from './room-requests.js';

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
    const result = await this.context.store.saveRoom(room, 'create', '9999-12-31');
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
    const result = await this.context.store.saveRoom(room, 'update', today);
    if (result === 'missing') throw notFound('room', `${hotelId}/${id}`);
    if (result === 'number-taken') throw numberTaken(room);
    if (result === 'assigned') {
      throw new InnkeeperError(
        'CONFLICT',
        `Room ${room.number} is assigned to a stay from ${today} on: move or unassign it before changing its type or taking it out of use`,
        { entity: 'room', id: room.id, reason: 'room assigned' },
      );
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
