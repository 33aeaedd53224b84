import {
  type CreateHotelInput,
  createHotelInputSchema,
  type Hotel,
  type UpdateHotelInput,
  updateHotelInputSchema,
} from '../catalog/hotel.js';
import { cityKey } from '../catalog/hotel-location.js';
import {
  type CreateRoomTypeInput,
  createRoomTypeInputSchema,
  type RoomType,
  type UpdateRoomTypeInput,
  updateRoomTypeInputSchema,
} from '../catalog/room-type.js';
import { notFound } from '../errors.js';
import {
  hotelIdArgumentsSchema,
  type ListHotelsInput,
  listHotelsInputSchema,
  type RoomTypeRef,
  roomTypeRefSchema,
} from './call-arguments.js';
import { type EngineContext, nowIso, parse } from './engine-context.js';
import { conflict } from './outcome-errors.js';

/** One page of `listHotels`. */
export interface HotelPage {
  items: Hotel[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Hotels and room types: create, update, read. */
export class Catalog {
  constructor(private readonly context: EngineContext) {}

  async createHotel(input: CreateHotelInput): Promise<Hotel> {
    const parsed = parse(createHotelInputSchema, input);
    const at = nowIso(this.context);
    const hotel: Hotel = {
      ...parsed,
      id: parsed.id ?? this.context.generateId(),
      active: true,
      createdAt: at,
      updatedAt: at,
    };
    const result = await this.context.store.saveHotel(hotel, 'create');
    if (result === 'exists')
      throw conflict('hotel', hotel.id, 'A hotel with this id already exists');
    return hotel;
  }

  async updateHotel(input: UpdateHotelInput): Promise<Hotel> {
    const { id, ...patch } = parse(updateHotelInputSchema, input);
    const current = await this.getHotel(id);
    const hotel: Hotel = { ...current, ...definedFields(patch), updatedAt: nowIso(this.context) };
    const result = await this.context.store.saveHotel(hotel, 'update');
    if (result === 'missing') throw notFound('hotel', id);
    return hotel;
  }

  /**
   * Deactivates (`active: false`) or reactivates a hotel. A deactivated hotel sells nothing
   * new (`RESTRICTED`, rule `inactive`) and is left out of `searchHotels`; its
   * reservations live on. The write moves the hotel's pricing revision, so a booking
   * priced before it commits is priced again, and refused.
   */
  async setHotelActive(hotelId: string, active: boolean): Promise<Hotel> {
    const current = await this.getHotel(hotelId);
    if (current.active === active) return current;
    const hotel: Hotel = { ...current, active, updatedAt: nowIso(this.context) };
    const result = await this.context.store.saveHotel(hotel, 'update');
    if (result === 'missing') throw notFound('hotel', hotel.id);
    return hotel;
  }

  /** Deactivates or reactivates a room type, like `setHotelActive`. */
  async setRoomTypeActive(input: RoomTypeRef, active: boolean): Promise<RoomType> {
    const { hotelId, roomTypeId } = parse(roomTypeRefSchema, input);
    const current = await this.getRoomType(hotelId, roomTypeId);
    if (current.active === active) return current;
    const roomType: RoomType = { ...current, active, updatedAt: nowIso(this.context) };
    const result = await this.context.store.saveRoomType(roomType, 'update');
    if (result === 'missing') throw notFound('roomType', `${hotelId}/${roomTypeId}`);
    return roomType;
  }

  async getHotel(hotelId: string): Promise<Hotel> {
    const { hotelId: id } = parse(hotelIdArgumentsSchema, { hotelId });
    const hotel = await this.context.store.getHotel(id);
    if (!hotel) throw notFound('hotel', id);
    return hotel;
  }

  /**
   * The hotels in id order, a page at a time (keyset paging on the id: a hotel created
   * while paging is listed if its id sorts after the page being read, never twice),
   * filtered by `active`, city and country.
   */
  async listHotels(input: ListHotelsInput = {}): Promise<HotelPage> {
    const { limit, cursor, active, city, country } = parse(listHotelsInputSchema, input);
    // One more than the page, to know whether another page follows.
    const hotels = await this.context.store.listHotels({
      limit: limit + 1,
      ...(cursor === undefined ? {} : { afterId: cursor }),
      ...(active === undefined ? {} : { active }),
      ...(city === undefined ? {} : { cityKey: cityKey(city) }),
      ...(country === undefined ? {} : { country }),
    });
    const items = hotels.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: hotels.length > limit && last ? last.id : null };
  }

  async createRoomType(input: CreateRoomTypeInput): Promise<RoomType> {
    const parsed = parse(createRoomTypeInputSchema, input);
    await this.getHotel(parsed.hotelId);
    const at = nowIso(this.context);
    const roomType: RoomType = {
      ...parsed,
      id: parsed.id ?? this.context.generateId(),
      maxOccupancy: parsed.maxOccupancy ?? parsed.maxAdults + parsed.maxChildren,
      active: true,
      createdAt: at,
      updatedAt: at,
    };
    const result = await this.context.store.saveRoomType(roomType, 'create');
    if (result === 'exists')
      throw conflict('roomType', roomType.id, 'A room type with this id already exists');
    return roomType;
  }

  async updateRoomType(input: UpdateRoomTypeInput): Promise<RoomType> {
    const { hotelId, id, ...patch } = parse(updateRoomTypeInputSchema, input);
    const current = await this.getRoomType(hotelId, id);
    const roomType: RoomType = {
      ...current,
      ...definedFields(patch),
      updatedAt: nowIso(this.context),
    };
    if (
      patch.maxOccupancy === undefined &&
      (patch.maxAdults !== undefined || patch.maxChildren !== undefined)
    ) {
      roomType.maxOccupancy = Math.min(
        current.maxOccupancy,
        roomType.maxAdults + roomType.maxChildren,
      );
    }
    const result = await this.context.store.saveRoomType(roomType, 'update');
    if (result === 'missing') throw notFound('roomType', `${hotelId}/${id}`);
    return roomType;
  }

  /** The hotel's room types in display order (`displayOrder`, then id). */
  async listRoomTypes(hotelId: string): Promise<RoomType[]> {
    const { id } = await this.getHotel(hotelId); // parses hotelId
    return inDisplayOrder(await this.context.store.listRoomTypes(id));
  }

  async getRoomType(hotelId: string, roomTypeId: string): Promise<RoomType> {
    const roomTypes = await this.listRoomTypes(hotelId);
    const roomType = roomTypes.find((rt) => rt.id === roomTypeId);
    if (!roomType) throw notFound('roomType', `${hotelId}/${roomTypeId}`);
    return roomType;
  }
}

/** Room types by `displayOrder`, then id (the store's order; the sort is stable). */
export function inDisplayOrder(roomTypes: RoomType[]): RoomType[] {
  return roomTypes.sort((a, b) => a.displayOrder - b.displayOrder);
}

function definedFields<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
