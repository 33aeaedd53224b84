import { createMemoryStore } from '@innkeeper/adapter-memory';
import { createInnkeeper, createTimeOrderedIds } from '@innkeeper/core';
import { describe, expect, test } from 'vitest';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createTimeOrderedIds()', () => {
  test('ids are UUIDv7-shaped, carry the time in their first 48 bits, and sort in creation order', () => {
    let ms = Date.UTC(2030, 5, 1);
    const next = createTimeOrderedIds(() => ms);
    const ids: string[] = [];
    const madeAt: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      if (i % 100 === 0) ms += 1;
      ids.push(next());
      madeAt.push(ms);
    }
    for (const id of ids) expect(id).toMatch(UUID_V7);
    // Each id carries the millisecond it was made in (the time's part follows the clock).
    const timeOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ids.map(timeOf)).toEqual(madeAt);
    expect(timeOf(ids[0] ?? '')).toBe(Date.UTC(2030, 5, 1) + 1);
    // Within one millisecond too: the counter orders them.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('two generators at the same instant never give the same id (their random bits differ)', () => {
    const at = () => Date.UTC(2030, 5, 1);
    const a = createTimeOrderedIds(at);
    const b = createTimeOrderedIds(at);
    const ids = new Set<string>();
    for (let i = 0; i < 500; i++) {
      ids.add(a());
      ids.add(b());
    }
    expect(ids.size).toBe(1_000);
  });

  test('a clock that gives fractions of a millisecond still gives well-formed ids', () => {
    let ms = Date.UTC(2030, 5, 1) + 0.25;
    const next = createTimeOrderedIds(() => ms);
    const first = next();
    ms += 0.5;
    const second = next();
    expect(first).toMatch(UUID_V7);
    expect(second).toMatch(UUID_V7);
    expect(Number.parseInt(first.slice(0, 8) + first.slice(9, 13), 16)).toBe(Date.UTC(2030, 5, 1));
    expect(second > first).toBe(true);
  });

  test("the engine's default: reservations get time-ordered ids", async () => {
    const inn = createInnkeeper({ store: createMemoryStore() });
    const hotel = await inn.createHotel({ name: 'H', timeZone: 'UTC', currency: 'EUR' });
    expect(hotel.id).toMatch(UUID_V7);
  });
});
