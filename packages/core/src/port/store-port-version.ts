/**
 * The version of the store port this core speaks. It changes whenever the port does (a
 * command added, removed or given a different contract), and `createInnkeeper` refuses
 * a store that declares another one: a store built for an older port fails at start-up
 * with both versions named, instead of at the first call it lacks.
 *
 * - 1: the first published port (one command per reservation transition).
 * - 2: `changeReservation(id, decide)` replaces `confirmHold`, `releaseHold`,
 *   `beginCharge`, `markNoShow`, `recordRefund`, `applyCancellation` and
 *   `applyModification`; `saveHotel` / `saveRoomType` replace the insert/update pairs;
 *   every store refuses a decision that breaks the revision rule (`checkDecision`), a
 *   rate card whose revision is not `expected + 1`, and throws `storeClosedError` after
 *   `close()`.
 * - 3: the stay. Reservations can be `checked-in` and `checked-out` (a store keeps them
 *   counted in `reserved`, as the core's `ACTIVE_STATUSES` say), and `listReservations`
 *   takes the front desk's filters `{ by: 'arrivals' | 'departures' | 'in-house' }`
 *   (`onFrontDeskList`) and `{ by: 'external-ref' }`; `changeReservation` refuses an
 *   external reference another reservation of the hotel holds (`external-ref-taken`)
 *   and follows a corrected guest e-mail. A store of port 2 would refuse the new
 *   statuses or answer the new filters wrongly, so it is refused at start-up.
 * - 4: physical rooms. `saveRoom`, `listRooms` and `listRoomNights`; reservations carry
 *   `rooms` (their assignments), and `changeReservation` keeps a unique index of
 *   room-nights in the same atomic step, answering `room-taken` or `room-unusable`.
 * - 5: the archive. `listArchivable`, `listCalendarBefore`, `removeArchived` (removes
 *   what an archive file holds and indexes it, atomically), `findArchived`,
 *   `getArchiveHorizon`; the audit leaves out dates before a hotel's archive horizon.
 * - 6: retention. Named change-feed cursors (`saveFeedCursor`, `listFeedCursors`,
 *   `deleteFeedCursor`), `pruneEvents` and `readEvents` refusing a reader behind what
 *   was pruned (`FEED_PRUNED`); `forgetArchivedKeys` ends the archive index's memory of
 *   idempotency keys past their retention; `eraseArchivedEntries` erases a guest from it.
 * - 7: pricing revisions. `readStay` returns the hotel's `pricingRevision`, which every
 *   write a price is computed from changes; `applyBooking` takes the revision the plan was
 *   priced on and answers `repriced` (writing nothing) when it has changed. A store of
 *   port 6 would book a plan priced from a stale cache, so it is refused at start-up.
 * - 8: the catalog. Hotels and room types carry their profile (address, location,
 *   descriptions, amenities, images, ...) and an `active` flag; `listHotels` filters by
 *   `active`, city, country and a location box, each from an index (`hotelSearchKeys`);
 *   `readStays` reads many hotels' stays at once (search across hotels); `saveHotel`,
 *   `saveRoomType` and `putRateCard` append `hotel.*`, `room-type.*` and
 *   `rate-card.updated` events to the change feed in the same atomic step.
 */
export const STORE_PORT_VERSION = 8;
export type StorePortVersion = typeof STORE_PORT_VERSION;
