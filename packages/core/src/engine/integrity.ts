import type { AuditReport } from '../port/audit.js';
import {
  type PaymentReconciliation,
  reconcilePayments,
} from '../reservation/payment-reconciliation.js';
import type { Reservation } from '../reservation/reservation.js';
import {
  type AuditInput,
  auditInputSchema,
  type ReconcilePaymentsInput,
  reconcilePaymentsInputSchema,
} from './call-arguments.js';
import type { Catalog } from './catalog.js';
import { parse } from './engine-context.js';
import type { GuardedStore } from './guarded-store.js';
import { allReservationsOf } from './reservation-pages.js';

/** The checks an operator runs: the audit and the payment reconciliation. */
export class Integrity {
  constructor(
    private readonly store: GuardedStore,
    private readonly catalog: Catalog,
  ) {}

  audit(input: AuditInput): Promise<AuditReport> {
    const { hotelId } = parse(auditInputSchema, input);
    return this.store.audit(hotelId === undefined ? {} : { hotelId });
  }

  async reconcilePayments(input: ReconcilePaymentsInput): Promise<PaymentReconciliation> {
    const { hotelId, movements } = parse(reconcilePaymentsInputSchema, input);
    await this.catalog.getHotel(hotelId);
    const reservations: Reservation[] = [];
    for await (const r of allReservationsOf(this.store, hotelId)) reservations.push(r);
    return reconcilePayments(reservations, movements);
  }
}
