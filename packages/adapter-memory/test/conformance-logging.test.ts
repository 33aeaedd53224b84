import { runStoreConformance } from '@innkeeper/conformance';
import type { InnkeeperLogger, LogFields } from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { createMemoryStore } from '../src/index.js';

/**
 * The whole conformance suite with a logger on every engine, then every line it wrote
 * scanned for the suite's guests: their names, e-mails and phone numbers must never reach
 * a log, whatever call failed how. (Properties run fewer times here: the point is the
 * lines, and the suite already runs in full in conformance.test.ts.)
 */
const lines: { level: string; fields: LogFields; message: string }[] = [];
const capture =
  (level: string) =>
  (fields: LogFields, message: string): void => {
    lines.push({ level, fields: { ...fields }, message });
  };
const logger: InnkeeperLogger = {
  debug: capture('debug'),
  info: capture('info'),
  warn: capture('warn'),
  error: capture('error'),
};

runStoreConformance(
  { describe, test },
  { createStore: () => createMemoryStore(), logger, propertyRuns: 10 },
);

/** Every guest of the suite, as far as a line could leak them. */
const PERSONAL = [
  /@/, // any e-mail address
  /Lovelace|Hopper|Ada King|Ana Lima|Someone Else|Bad Mail|No Mail/i,
  /\+\d{2,3}[ \d]{6,}/, // a phone number
];

describe('logging over the conformance run', () => {
  test('every public call is logged, at the level its outcome calls for, with structured fields', () => {
    expect(lines.length).toBeGreaterThan(1000);
    const levels = new Set(lines.map((l) => l.level));
    expect([...levels].sort()).toEqual(expect.arrayContaining(['debug', 'info', 'warn']));
    const booked = lines.find(
      (l) => l.fields.operation === 'innkeeper.book' && l.level === 'debug',
    );
    expect(booked?.fields).toMatchObject({
      outcome: 'ok',
      hotelId: expect.any(String),
      reservationId: expect.any(String),
      idempotencyKey: expect.any(String),
      status: expect.any(String),
      durationMs: expect.any(Number),
    });
    const soldOut = lines.find((l) => l.fields.outcome === 'SOLD_OUT');
    expect(soldOut?.level).toBe('info');
    const payment = lines.find((l) => l.fields.outcome === 'PAYMENT_FAILED');
    expect(payment?.level).toBe('warn');
    expect(payment?.fields.detail).toMatch(/^(declined|unknown)$/);
  });

  test("no line carries a guest's name, e-mail or phone", () => {
    const leaks = lines
      .map((l) => `${l.message} ${JSON.stringify(l.fields)}`)
      .filter((text) => PERSONAL.some((pattern) => pattern.test(text)));
    expect(leaks).toEqual([]);
  });
});
