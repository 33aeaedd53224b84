/**
 * Migration 8: physical rooms. A room is a row, its number unique per hotel. A
 * reservation's room assignments claim one `room_nights` row per room and night: its
 * primary key (hotel, room, night) is what makes two guests in one room on one night
 * impossible, whichever transactions race to write it (the second insert waits for the
 * first to commit, then fails on the key). One row per night, like the calendar, rather
 * than a `daterange` under an exclusion constraint: the same guarantee without the
 * `btree_gist` extension, which not every managed Postgres lets an application create.
 */
export function roomsMigration(s: string): string {
  return `
CREATE TABLE ${s}.rooms (
  hotel_id     text COLLATE "C" NOT NULL,
  room_id      text COLLATE "C" NOT NULL,
  number       text COLLATE "C" NOT NULL,
  room_type_id text COLLATE "C" NOT NULL,
  data         jsonb NOT NULL,
  CONSTRAINT rooms_pkey PRIMARY KEY (hotel_id, room_id),
  CONSTRAINT rooms_by_number UNIQUE (hotel_id, number),
  FOREIGN KEY (hotel_id, room_type_id) REFERENCES ${s}.room_types (hotel_id, room_type_id)
);

CREATE TABLE ${s}.room_nights (
  hotel_id       text COLLATE "C" NOT NULL,
  room_id        text COLLATE "C" NOT NULL,
  night          date NOT NULL,
  reservation_id text COLLATE "C" NOT NULL,
  CONSTRAINT room_nights_pkey PRIMARY KEY (hotel_id, room_id, night),
  FOREIGN KEY (hotel_id, room_id) REFERENCES ${s}.rooms (hotel_id, room_id)
);
CREATE INDEX room_nights_by_reservation ON ${s}.room_nights (reservation_id);
`;
}
