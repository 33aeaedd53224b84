import type { InnkeeperStore, PaymentRecord } from '@innkeeper/core';
import {
  decideCancel,
  decideConfirm,
  decideNoShow,
  decideRefundRecorded,
  decideRelease,
} from '@innkeeper/core/store';

/**
 * The engine's reservation transitions as direct port calls: `changeReservation` with the
 * decider each one passes, for tests that drive a store through its port alone.
 */
export const applyCancellation = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; reason?: string },
) => store.changeReservation(c.reservationId, (r) => decideCancel(r, c.at, c.reason));
export const confirmHold = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; payment?: PaymentRecord },
) => store.changeReservation(c.reservationId, (r) => decideConfirm(r, c.at, c.payment));
export const markNoShow = (store: InnkeeperStore, c: { reservationId: string; at: string }) =>
  store.changeReservation(c.reservationId, (r) => decideNoShow(r, c.at));
export const recordRefund = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; refundId: string },
) => store.changeReservation(c.reservationId, (r) => decideRefundRecorded(r, c.at, c.refundId));
export const releaseHold = (
  store: InnkeeperStore,
  c: { reservationId: string; at: string; reason: string; payment: PaymentRecord | null },
) => store.changeReservation(c.reservationId, (r) => decideRelease(r, c.at, c.reason, c.payment));
