import type { ConformanceGroup } from '../group.js';
import { archiveGroup } from './archive.js';
import { auditAndEventsGroup } from './audit-and-events.js';
import { bookingGroup } from './booking.js';
import { cancellationGroup } from './cancellation.js';
import { catalogGroup } from './catalog.js';
import { catalogLifecycleGroup } from './catalog-lifecycle.js';
import { changeReservationGroup } from './change-reservation.js';
import { closedStoreGroup } from './closed-store.js';
import { correctionsGroup } from './corrections.js';
import { erasureGroup } from './erasure.js';
import { frontDeskListsGroup } from './front-desk-lists.js';
import { holdsGroup } from './holds.js';
import { hotelSearchGroup } from './hotel-search.js';
import { idempotencyGroup } from './idempotency.js';
import { inventoryGroup } from './inventory.js';
import { listingGroup } from './listing.js';
import { maintenanceWorkerGroup } from './maintenance-worker.js';
import { modificationGroup } from './modification.js';
import { modificationMoneyGroup } from './modification-money.js';
import { paymentBookingGroup } from './payment-booking.js';
import { paymentCommandsGroup } from './payment-commands.js';
import { paymentReconciliationGroup } from './payment-reconciliation.js';
import { paymentRecoveryGroup } from './payment-recovery.js';
import { paymentRefundsGroup } from './payment-refunds.js';
import { portCallsGroup } from './port-calls.js';
import { pricingRevisionsGroup } from './pricing-revisions.js';
import { rateCardsGroup } from './rate-cards.js';
import { retentionGroup } from './retention.js';
import { roomAssignmentGroup } from './room-assignment.js';
import { roomsGroup } from './rooms.js';
import { searchGroup } from './search.js';
import { snapshotsGroup } from './snapshots.js';
import { stayGroup } from './stay.js';
import { validationGroup } from './validation.js';

/** Behaviour groups, one file each; registered here in the order they run. */
export const behaviourGroups: Record<string, ConformanceGroup> = {
  catalog: catalogGroup,
  'catalog lifecycle': catalogLifecycleGroup,
  inventory: inventoryGroup,
  search: searchGroup,
  'hotel search': hotelSearchGroup,
  booking: bookingGroup,
  validation: validationGroup,
  idempotency: idempotencyGroup,
  holds: holdsGroup,
  cancellation: cancellationGroup,
  stay: stayGroup,
  'front-desk-lists': frontDeskListsGroup,
  corrections: correctionsGroup,
  rooms: roomsGroup,
  'room-assignment': roomAssignmentGroup,
  modification: modificationGroup,
  listing: listingGroup,
  archive: archiveGroup,
  retention: retentionGroup,
  'pricing revisions': pricingRevisionsGroup,
  erasure: erasureGroup,
  snapshots: snapshotsGroup,
  'rate-cards': rateCardsGroup,
  'payment-booking': paymentBookingGroup,
  'payment-recovery': paymentRecoveryGroup,
  'payment-refunds': paymentRefundsGroup,
  'modification-money': modificationMoneyGroup,
  'payment-reconciliation': paymentReconciliationGroup,
  'maintenance-worker': maintenanceWorkerGroup,
  'audit-and-events': auditAndEventsGroup,
  'port-calls': portCallsGroup,
  'closed-store': closedStoreGroup,
  'change-reservation': changeReservationGroup,
  'payment-commands': paymentCommandsGroup,
};
