import type { SqliteMigration } from './sqlite-migrations.js';

/**
 * Migration 10: the catalog (store port 8).
 *
 * - Hotels and room types get `active` and a `profile` (the descriptive fields as one
 *   JSON document: address, location, descriptions, amenities, images, ...; rows written
 *   before read as the empty profile), room types a `display_order`.
 * - Hotels get the columns search filters on, derived from the profile by the core's
 *   `hotelSearchKeys` when saved: `city_key`, `country`, `lat`, `lon`, each indexed with
 *   the hotel id so `listHotels` pages a city or a country in index order. A location box
 *   is a range on `lat` with `lon` checked from the same index: at a chain's scale (a few
 *   thousand hotels, a few hundred per city) a latitude band holds few enough hotels that
 *   an R*Tree would save nothing measurable, and plain indexes keep the SQL the same as
 *   Postgres'.
 * - Triggers append `hotel.*`, `room-type.*` and `rate-card.updated` to the change feed
 *   in the statement that writes them, so a catalog write and its event commit together.
 * - Deactivating or reactivating a hotel moves its pricing revision (as any room type
 *   write already does), so a booking priced before the change is priced again.
 */
export const migration10Catalog: SqliteMigration = {
  version: 10,
  name: 'catalog: profiles, active flags, search columns, catalog events',
  sql: (t) => {
    const event = (type: string, hotelId: string, at: string) =>
      `INSERT INTO ${t.events} (type, at, hotel_id, reservation_id, days)
         VALUES ('${type}', ${at}, ${hotelId}, NULL, '[]');`;
    return `
      ALTER TABLE ${t.hotels} ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
      ALTER TABLE ${t.hotels} ADD COLUMN profile TEXT NOT NULL DEFAULT '{"address":null,"location":null,"starRating":null,"description":{},"amenities":[],"images":[],"contact":null,"policies":{}}';
      ALTER TABLE ${t.hotels} ADD COLUMN city_key TEXT;
      ALTER TABLE ${t.hotels} ADD COLUMN country TEXT;
      ALTER TABLE ${t.hotels} ADD COLUMN lat REAL;
      ALTER TABLE ${t.hotels} ADD COLUMN lon REAL;
      CREATE INDEX ${t.prefix}hotels_by_city ON ${t.hotels} (city_key, hotel_id);
      CREATE INDEX ${t.prefix}hotels_by_country ON ${t.hotels} (country, hotel_id);
      CREATE INDEX ${t.prefix}hotels_by_location ON ${t.hotels} (lat, lon);

      ALTER TABLE ${t.roomTypes} ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
      ALTER TABLE ${t.roomTypes} ADD COLUMN display_order INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE ${t.roomTypes} ADD COLUMN profile TEXT NOT NULL DEFAULT '{"description":{},"sizeSqm":null,"beds":[],"amenities":[],"images":[]}';

      CREATE TRIGGER ${t.prefix}reprice_hotel_active AFTER UPDATE OF active ON ${t.hotels}
        WHEN OLD.active IS NOT NEW.active
        BEGIN UPDATE ${t.hotels} SET pricing_revision = pricing_revision + 1 WHERE hotel_id = NEW.hotel_id; END;

      CREATE TRIGGER ${t.prefix}hotel_created_event AFTER INSERT ON ${t.hotels}
        BEGIN ${event('hotel.created', 'NEW.hotel_id', 'NEW.updated_at')} END;
      CREATE TRIGGER ${t.prefix}hotel_updated_event AFTER UPDATE OF updated_at ON ${t.hotels}
        BEGIN ${event('hotel.updated', 'NEW.hotel_id', 'NEW.updated_at')} END;
      CREATE TRIGGER ${t.prefix}room_type_created_event AFTER INSERT ON ${t.roomTypes}
        BEGIN ${event('room-type.created', 'NEW.hotel_id', 'NEW.updated_at')} END;
      CREATE TRIGGER ${t.prefix}room_type_updated_event AFTER UPDATE OF updated_at ON ${t.roomTypes}
        BEGIN ${event('room-type.updated', 'NEW.hotel_id', 'NEW.updated_at')} END;
      CREATE TRIGGER ${t.prefix}rate_card_created_event AFTER INSERT ON ${t.rateCards}
        BEGIN ${event('rate-card.updated', 'NEW.hotel_id', "json_extract(NEW.data, '$.updatedAt')")} END;
      CREATE TRIGGER ${t.prefix}rate_card_updated_event AFTER UPDATE ON ${t.rateCards}
        BEGIN ${event('rate-card.updated', 'NEW.hotel_id', "json_extract(NEW.data, '$.updatedAt')")} END;
    `;
  },
};
