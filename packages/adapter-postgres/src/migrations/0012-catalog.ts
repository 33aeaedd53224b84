/**
 * Migration 12: the catalog (store port 8).
 *
 * - Hotels and room types get `active` and a `profile` (the descriptive fields as one
 *   jsonb document: address, location, descriptions, amenities, images, ...; rows written
 *   before read as the empty profile), room types a `display_order`. `hotel_json` and
 *   `room_type_json` return them.
 * - Hotels get the columns search filters on, derived from the profile by the core's
 *   `hotelSearchKeys` when saved: `city_key`, `country`, `lat`, `lon`. The city and the
 *   country are btree indexes led by the key and followed by the hotel id, so a city's
 *   hotels come out in `listHotels`' id order with no sort. A location box is a range on
 *   `(lat, lon)`: at a chain's scale (thousands of hotels, hundreds per city) a latitude
 *   band holds few enough hotels that a GiST index (PostGIS, `earthdistance`) would save
 *   nothing measurable, and those are extensions a managed database may not offer.
 * - Triggers append `hotel.*`, `room-type.*` and `rate-card.updated` to the change feed in
 *   the statement that writes them, so a catalog write and its event commit together.
 *   Hotel triggers fire only on writes that set `updated_at`: the pricing-revision and
 *   archive bookkeeping that also update the hotel row are not catalog changes.
 * - Deactivating or reactivating a hotel moves its pricing revision (a room type's write
 *   already does), so a booking priced before the change is priced again.
 */
export function catalogMigration(s: string): string {
  return `
ALTER TABLE ${s}.hotels
  ADD COLUMN active boolean NOT NULL DEFAULT true,
  ADD COLUMN profile jsonb NOT NULL DEFAULT '{"address":null,"location":null,"starRating":null,"description":{},"amenities":[],"images":[],"contact":null,"policies":{}}',
  ADD COLUMN city_key text,
  ADD COLUMN country text COLLATE "C",
  ADD COLUMN lat double precision,
  ADD COLUMN lon double precision;
CREATE INDEX hotels_by_city ON ${s}.hotels (city_key, hotel_id);
CREATE INDEX hotels_by_country ON ${s}.hotels (country, hotel_id);
CREATE INDEX hotels_by_location ON ${s}.hotels (lat, lon);

ALTER TABLE ${s}.room_types
  ADD COLUMN active boolean NOT NULL DEFAULT true,
  ADD COLUMN display_order integer NOT NULL DEFAULT 0,
  ADD COLUMN profile jsonb NOT NULL DEFAULT '{"description":{},"sizeSqm":null,"beds":[],"amenities":[],"images":[]}';

CREATE OR REPLACE FUNCTION ${s}.hotel_json(h ${s}.hotels) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'id', h.hotel_id, 'name', h.name, 'timeZone', h.time_zone, 'currency', h.currency,
    'overbookingPercent', h.overbooking_percent, 'active', h.active,
    'createdAt', ${s}.iso_instant(h.created_at), 'updatedAt', ${s}.iso_instant(h.updated_at))
    || h.profile
$$;

CREATE OR REPLACE FUNCTION ${s}.room_type_json(r ${s}.room_types) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'id', r.room_type_id, 'hotelId', r.hotel_id, 'name', r.name,
    'maxAdults', r.max_adults, 'maxChildren', r.max_children,
    'maxOccupancy', r.max_occupancy, 'overbookingPercent', r.overbooking_percent,
    'baseRate', r.base_rate, 'active', r.active, 'displayOrder', r.display_order,
    'createdAt', ${s}.iso_instant(r.created_at), 'updatedAt', ${s}.iso_instant(r.updated_at))
    || r.profile
$$;

CREATE TRIGGER reprice_hotel_active
  BEFORE UPDATE OF active ON ${s}.hotels
  FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active)
  EXECUTE FUNCTION ${s}.reprice_hotel_row();

-- A hotel or a room type written: TG_ARGV[0] is the event type's first part, an insert
-- '.created' and an update '.updated'; the instant is the row's own updated_at.
CREATE FUNCTION ${s}.catalog_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${s}.events (hotel_id, type, at, reservation_id, days)
  VALUES (NEW.hotel_id,
          TG_ARGV[0] || CASE WHEN TG_OP = 'INSERT' THEN '.created' ELSE '.updated' END,
          NEW.updated_at, NULL, '[]'::jsonb);
  RETURN NULL;
END
$$;

-- A rate card written: its instant is the card's own updatedAt (the time of the write for
-- a card without one, which no store writes but a hand-made row may have).
CREATE FUNCTION ${s}.rate_card_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${s}.events (hotel_id, type, at, reservation_id, days)
  VALUES (NEW.hotel_id, 'rate-card.updated',
          coalesce((NEW.data ->> 'updatedAt')::timestamptz, now()), NULL, '[]'::jsonb);
  RETURN NULL;
END
$$;
CREATE TRIGGER hotel_created_event AFTER INSERT ON ${s}.hotels
  FOR EACH ROW EXECUTE FUNCTION ${s}.catalog_event('hotel');
CREATE TRIGGER hotel_updated_event AFTER UPDATE OF updated_at ON ${s}.hotels
  FOR EACH ROW EXECUTE FUNCTION ${s}.catalog_event('hotel');
CREATE TRIGGER room_type_event AFTER INSERT OR UPDATE OF updated_at ON ${s}.room_types
  FOR EACH ROW EXECUTE FUNCTION ${s}.catalog_event('room-type');
CREATE TRIGGER rate_card_event AFTER INSERT OR UPDATE ON ${s}.rate_cards
  FOR EACH ROW EXECUTE FUNCTION ${s}.rate_card_event();
`;
}
