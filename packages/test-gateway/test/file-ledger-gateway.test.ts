import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileLedgerGateway, readLedger } from '../src/index.js';

const charge = (key: string, amount = 10_000) => ({
  idempotencyKey: key,
  amount,
  currency: 'EUR',
  hotelId: 'h1',
  reservationId: `r-${key}`,
  description: 'test',
});

function ledgerFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'innkeeper-ledger-')), 'ledger.jsonl');
}

describe('FileLedgerGateway', () => {
  test('charges once per key, and another instance on the same file sees the charge', async () => {
    const file = ledgerFile();
    const first = new FileLedgerGateway(file);
    const approved = await first.charge(charge('k1'));
    expect(approved.status).toBe('approved');
    // A second "process": a fresh instance reading the same file.
    const second = new FileLedgerGateway(file);
    expect(await second.charge(charge('k1'))).toEqual(approved);
    expect(await second.findCharge('k1')).toEqual({
      status: 'approved',
      chargeId: approved.status === 'approved' ? approved.chargeId : '',
      amount: 10_000,
      currency: 'EUR',
    });
    expect(await second.findCharge('never')).toBeNull();
    expect(readLedger(file).filter((e) => e.type === 'charge')).toHaveLength(1);
    expect(second.calls).toEqual({ charge: 1, refund: 0, findCharge: 2 });
  });

  test('a key reused for another amount is refused; refunds are idempotent by key', async () => {
    const gateway = new FileLedgerGateway(ledgerFile());
    const approved = await gateway.charge(charge('k1'));
    await expect(gateway.charge(charge('k1', 9_999))).rejects.toThrow(/different amount/);
    if (approved.status !== 'approved') throw new Error('approved expected');
    const refund = {
      idempotencyKey: 'k1:refund',
      chargeId: approved.chargeId,
      amount: 4_000,
      currency: 'EUR',
      reservationId: 'r-k1',
    };
    const first = await gateway.refund(refund);
    expect(await gateway.refund(refund)).toEqual(first);
    expect(readLedger(gateway.file).map((e) => e.type)).toEqual(['charge', 'refund']);
  });

  test('the hooks run around the write, where a crash test kills its process', async () => {
    const seen: string[] = [];
    const gateway = new FileLedgerGateway(ledgerFile(), {
      beforeRecord: async () => {
        seen.push(`before:${readLedger(gateway.file).length}`);
      },
      afterRecord: async () => {
        seen.push(`after:${readLedger(gateway.file).length}`);
      },
    });
    await gateway.charge(charge('k1'));
    await gateway.charge(charge('k1'));
    expect(seen).toEqual(['before:0', 'after:1']);
  });
});
