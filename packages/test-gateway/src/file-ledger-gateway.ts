import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type {
  ChargeLookup,
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from '@innkeeper/core';

/**
 * A payment gateway whose money lives in a file, for tests where a process really dies:
 * every charge and refund is one JSON line appended to `file`, idempotent by key (a
 * repeated key returns the first line's answer). A process killed after the append has
 * still taken the money; another process reading the same file sees it, as a real
 * processor would, and `readLedger` lets a test count what was charged after the
 * process that charged is gone. The hooks are where a test kills its own process.
 * It approves every charge and refund; scripted outcomes are `TestGateway`'s job.
 */
export type LedgerEntry =
  | {
      type: 'charge';
      idempotencyKey: string;
      chargeId: string;
      amount: number;
      currency: string;
      reservationId: string;
      pid: number;
    }
  | {
      type: 'refund';
      idempotencyKey: string;
      refundId: string;
      chargeId: string;
      amount: number;
      currency: string;
      reservationId: string;
      pid: number;
    };

export interface LedgerHooks {
  /** In `charge()` for a key not seen before, before the charge is written. */
  beforeRecord?: (request: ChargeRequest) => Promise<void>;
  /** In `charge()` once the charge is written (the money is taken), before answering. */
  afterRecord?: (request: ChargeRequest, chargeId: string) => Promise<void>;
}

export function readLedger(file: string): LedgerEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LedgerEntry);
}

export class FileLedgerGateway implements PaymentGateway {
  /** The calls this instance answered (one process's view, not the ledger's). */
  readonly calls = { charge: 0, refund: 0, findCharge: 0 };

  constructor(
    readonly file: string,
    private readonly hooks: LedgerHooks = {},
  ) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.calls.charge++;
    const first = this.entry('charge', request.idempotencyKey);
    if (first) {
      if (first.amount !== request.amount || first.currency !== request.currency) {
        throw new Error(`key ${request.idempotencyKey} was charged for a different amount`);
      }
      return { status: 'approved', chargeId: first.chargeId };
    }
    await this.hooks.beforeRecord?.(request);
    const chargeId = `ch_${randomBytes(6).toString('hex')}`;
    this.append({
      type: 'charge',
      idempotencyKey: request.idempotencyKey,
      chargeId,
      amount: request.amount,
      currency: request.currency,
      reservationId: request.reservationId,
      pid: process.pid,
    });
    await this.hooks.afterRecord?.(request, chargeId);
    return { status: 'approved', chargeId };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    this.calls.refund++;
    const first = this.entry('refund', request.idempotencyKey);
    if (first) return { status: 'refunded', refundId: first.refundId };
    const refundId = `re_${randomBytes(6).toString('hex')}`;
    this.append({
      type: 'refund',
      idempotencyKey: request.idempotencyKey,
      refundId,
      chargeId: request.chargeId,
      amount: request.amount,
      currency: request.currency,
      reservationId: request.reservationId,
      pid: process.pid,
    });
    return { status: 'refunded', refundId };
  }

  async findCharge(idempotencyKey: string): Promise<ChargeLookup | null> {
    this.calls.findCharge++;
    const first = this.entry('charge', idempotencyKey);
    return first
      ? {
          status: 'approved',
          chargeId: first.chargeId,
          amount: first.amount,
          currency: first.currency,
        }
      : null;
  }

  private entry<T extends LedgerEntry['type']>(
    type: T,
    idempotencyKey: string,
  ): Extract<LedgerEntry, { type: T }> | undefined {
    return readLedger(this.file).find(
      (e): e is Extract<LedgerEntry, { type: T }> =>
        e.type === type && e.idempotencyKey === idempotencyKey,
    );
  }

  /** One write(2) with O_APPEND: on the page cache as soon as it returns, SIGKILL or not. */
  private append(entry: LedgerEntry): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
