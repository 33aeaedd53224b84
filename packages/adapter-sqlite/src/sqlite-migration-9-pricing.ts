import type { SqliteMigration } from './sqlite-migrations.js';

/**
 * Migration 9: each hotel's pricing revision (store port 7). Triggers add one in the
 * transaction of every write a price or a stay's plan is computed from: the hotel, a room
 * type, the rate card, a calendar row whose rate changes. `applyBooking` compares it with
 * the revision the engine priced on, so a plan priced from a cached read never books at a
 * rate no longer in force. Bookings only touch `reserved`, which fires nothing.
 */
export const migration9Pricing: SqliteMigration = {
  version: 9,
  name: 'pricing revisions',
  sql: (t) => {
    const bump = (hotelId: string) =>
      `UPDATE ${t.hotels} SET pricing_revision = pricing_revision + 1 WHERE hotel_id = ${hotelId};`;
    return `
      ALTER TABLE ${t.hotels} ADD COLUMN pricing_revision INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER ${t.prefix}reprice_hotel
        AFTER UPDATE OF name, time_zone, currency, overbooking_percent ON ${t.hotels}
        BEGIN ${bump('NEW.hotel_id')} END;
      CREATE TRIGGER ${t.prefix}reprice_new_room_type AFTER INSERT ON ${t.roomTypes}
        BEGIN ${bump('NEW.hotel_id')} END;
      CREATE TRIGGER ${t.prefix}reprice_room_type AFTER UPDATE ON ${t.roomTypes}
        BEGIN ${bump('NEW.hotel_id')} END;
      CREATE TRIGGER ${t.prefix}reprice_new_rate_card AFTER INSERT ON ${t.rateCards}
        BEGIN ${bump('NEW.hotel_id')} END;
      CREATE TRIGGER ${t.prefix}reprice_rate_card AFTER UPDATE ON ${t.rateCards}
        BEGIN ${bump('NEW.hotel_id')} END;
      CREATE TRIGGER ${t.prefix}reprice_calendar AFTER UPDATE OF rate ON ${t.calendar}
        WHEN OLD.rate IS NOT NEW.rate
        BEGIN ${bump('NEW.hotel_id')} END;
    `;
  },
};
