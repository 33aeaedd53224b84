/**
 * Shared set-up for engine-level tests of pricing, restrictions, cancellation and
 * payments: an engine over the in-memory store with a manual clock, one hotel with two
 * room types and inventory, and a scriptable fake payment gateway.
 */
import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  type ChargeLookup,
  type ChargeRequest,
  type ChargeResult,
  createInnkeeper,
  createManualClock,
  type Innkeeper,
  InnkeeperError,
  type ManualClock,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
  type SetRateCardInput,
} from '@innkeeper/core';
import { expect } from 'vitest';

export const HOTEL = 'h1';
export const GUEST = { name: 'Ada Lovelace', email: 'ada@example.com' };

export type ChargeScript = 'approve' | 'decline' | 'throw' | 'approve-then-throw';

/**
 * A PaymentGateway that is idempotent by key like a real processor: a repeated charge or
 * refund with a key it has answered gets the same answer and moves no money. What each
 * new charge does is scripted (`next`), defaulting to approval.
 */
export class FakeGateway implements PaymentGateway {
  readonly charges = new Map<string, { request: ChargeRequest; result: ChargeResult }>();
  readonly refunds = new Map<string, { request: RefundRequest; result: RefundResult }>();
  readonly calls: { method: 'charge' | 'refund' | 'findCharge'; key: string }[] = [];
  /** Outcomes for the next new charges, in order; then `defaultCharge`. */
  readonly next: ChargeScript[] = [];
  defaultCharge: ChargeScript = 'approve';
  /** Refunds throw while true (the gateway does not answer). */
  refundsDown = false;
  /** `findCharge` throws while true. */
  lookupsDown = false;
  private seq = 0;

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.calls.push({ method: 'charge', key: request.idempotencyKey });
    const seen = this.charges.get(request.idempotencyKey);
    if (seen) return seen.result;
    const script = this.next.shift() ?? this.defaultCharge;
    if (script === 'throw') throw new Error('gateway timeout');
    const result: ChargeResult =
      script === 'decline'
        ? { status: 'declined', reason: 'card_declined' }
        : { status: 'approved', chargeId: `ch_${++this.seq}` };
    this.charges.set(request.idempotencyKey, { request, result });
    // The money moved but the answer was lost on the way back.
    if (script === 'approve-then-throw') throw new Error('connection reset');
    return result;
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    this.calls.push({ method: 'refund', key: request.idempotencyKey });
    const seen = this.refunds.get(request.idempotencyKey);
    if (seen) return seen.result;
    if (this.refundsDown) throw new Error('gateway timeout');
    const charge = [...this.charges.values()].find(
      (c) => c.result.status === 'approved' && c.result.chargeId === request.chargeId,
    );
    if (!charge) throw new Error(`unknown charge ${request.chargeId}`);
    if (request.amount <= 0 || request.amount > charge.request.amount - this.refundedOf(request)) {
      throw new Error(`refund of ${request.amount} exceeds what is left of ${request.chargeId}`);
    }
    const result: RefundResult = { status: 'refunded', refundId: `re_${++this.seq}` };
    this.refunds.set(request.idempotencyKey, { request, result });
    return result;
  }

  async findCharge(idempotencyKey: string): Promise<ChargeLookup | null> {
    this.calls.push({ method: 'findCharge', key: idempotencyKey });
    if (this.lookupsDown) throw new Error('gateway timeout');
    const seen = this.charges.get(idempotencyKey);
    if (!seen) return null;
    return seen.result.status === 'approved'
      ? {
          status: 'approved',
          chargeId: seen.result.chargeId,
          amount: seen.request.amount,
          currency: seen.request.currency,
        }
      : seen.result;
  }

  /** Money the guest actually paid and did not get back. */
  get netCollected(): number {
    let total = 0;
    for (const c of this.charges.values()) {
      if (c.result.status === 'approved') total += c.request.amount;
    }
    for (const r of this.refunds.values()) total -= r.request.amount;
    return total;
  }

  get refundedTotal(): number {
    let total = 0;
    for (const r of this.refunds.values()) total += r.request.amount;
    return total;
  }

  private refundedOf(request: RefundRequest): number {
    let total = 0;
    for (const r of this.refunds.values()) {
      if (r.request.chargeId === request.chargeId) total += r.request.amount;
    }
    return total;
  }
}

export interface EngineSetup {
  engine: Innkeeper;
  clock: ManualClock;
  gateway: FakeGateway | null;
}

export interface EngineOptions {
  now: string;
  timeZone?: string;
  currency?: string;
  payments?: boolean;
  /** Inventory dates, inclusive; defaults to the year after `now`. */
  from?: string;
  to?: string;
  rooms?: number;
  stdRate?: number;
  suiteRate?: number;
  card?: Omit<SetRateCardInput, 'hotelId'>;
}

/**
 * A hotel `h1` with room types `std` (2 adults + 1 child) and `suite` (4 adults +
 * 2 children), `rooms` of each on every date of `[from, to]`, no overbooking.
 */
export async function setupEngine(options: EngineOptions): Promise<EngineSetup> {
  const clock = createManualClock(options.now);
  const gateway = options.payments ? new FakeGateway() : null;
  let id = 0;
  const engine = createInnkeeper({
    store: createMemoryStore(),
    clock,
    generateId: () => `res_${++id}`,
    ...(gateway ? { payments: gateway } : {}),
  });
  await engine.createHotel({
    id: HOTEL,
    name: 'Hotel',
    timeZone: options.timeZone ?? 'UTC',
    currency: options.currency ?? 'EUR',
    overbookingPercent: 0,
  });
  await engine.createRoomType({
    id: 'std',
    hotelId: HOTEL,
    name: 'Standard',
    maxAdults: 2,
    maxChildren: 1,
    baseRate: options.stdRate ?? 10_000,
  });
  await engine.createRoomType({
    id: 'suite',
    hotelId: HOTEL,
    name: 'Suite',
    maxAdults: 4,
    maxChildren: 2,
    baseRate: options.suiteRate ?? 25_000,
  });
  const from = options.from ?? options.now.slice(0, 10);
  const to = options.to ?? addYear(from);
  for (const roomTypeId of ['std', 'suite']) {
    await engine.setInventory({ hotelId: HOTEL, roomTypeId, from, to, total: options.rooms ?? 5 });
  }
  if (options.card) await engine.setRateCard({ hotelId: HOTEL, ...options.card });
  return { engine, clock, gateway };
}

function addYear(date: string): string {
  const year = Number(date.slice(0, 4)) + 1;
  const rest = date.slice(4);
  return rest === '-02-29' ? `${year}-02-28` : `${year}${rest}`;
}

let keySeq = 0;
export function key(): string {
  return `key-${++keySeq}`;
}

/** Runs `run` and returns the `InnkeeperError` it throws (failing if it does not). */
export async function errorOf(run: () => Promise<unknown>): Promise<InnkeeperError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(InnkeeperError);
    return error as InnkeeperError;
  }
  throw new Error('expected an InnkeeperError, nothing was thrown');
}

/** Everything observable a failed write could have touched, over `[from, to]`. */
export async function snapshot(engine: Innkeeper, from: string, to: string) {
  const [card, reservations, events, audit, std, suite] = await Promise.all([
    engine.getRateCard(HOTEL),
    engine.listReservations({ hotelId: HOTEL, limit: 100 }),
    engine.readEvents(0, 10_000),
    engine.audit({ hotelId: HOTEL }),
    engine.getCalendar({ hotelId: HOTEL, roomTypeId: 'std', from, to }),
    engine.getCalendar({ hotelId: HOTEL, roomTypeId: 'suite', from, to }),
  ]);
  return { card, reservations: reservations.items, events, audit, std, suite };
}
