import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  createInnkeeper,
  Innkeeper,
  type InnkeeperLogger,
  isInnkeeperError,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';

function recorder() {
  const lines: [string, Record<string, unknown>, string][] = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      lines.push([level, { ...fields }, message]);
    };
  const logger: InnkeeperLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { lines, logger };
}

describe('the logger option', () => {
  test('a call that succeeds is debug, an expected refusal info, with the call and its ids only', async () => {
    const { lines, logger } = recorder();
    const inn = createInnkeeper({ store: createMemoryStore(), logger });
    await inn.createHotel({ id: 'h1', name: 'Hotel', timeZone: 'UTC', currency: 'EUR' });
    const missing = await inn.getReservation('nope').catch((e: unknown) => e);
    expect(isInnkeeperError(missing, 'NOT_FOUND')).toBe(true);
    expect(lines).toEqual([
      [
        'debug',
        { operation: 'innkeeper.createHotel', outcome: 'ok', durationMs: expect.any(Number) },
        'innkeeper.createHotel ok',
      ],
      [
        'info',
        {
          operation: 'innkeeper.getReservation',
          outcome: 'NOT_FOUND',
          durationMs: expect.any(Number),
        },
        'innkeeper.getReservation NOT_FOUND',
      ],
    ]);
  });

  test('a storage failure is error, naming the port call and the cause class, never its message', async () => {
    const { lines, logger } = recorder();
    const store = createMemoryStore();
    const inn = createInnkeeper({ store, logger });
    await inn.close();
    await expect(inn.getHotel('h1')).rejects.toMatchObject({ code: 'STORAGE' });
    expect(lines.at(-1)?.[0]).toBe('error');
    expect(lines.at(-1)?.[1]).toMatchObject({ outcome: 'STORAGE', detail: 'getHotel' });
  });

  test('a logger that throws never breaks a call; with or without one the engine is an Innkeeper', async () => {
    const broken: InnkeeperLogger = {
      debug: () => {
        throw new Error('disk full');
      },
      info: () => {},
      warn: () => {},
      error: () => {},
    };
    const inn = createInnkeeper({ store: createMemoryStore(), logger: broken });
    await expect(
      inn.createHotel({ id: 'h1', name: 'Hotel', timeZone: 'UTC', currency: 'EUR' }),
    ).resolves.toMatchObject({ id: 'h1' });
    const plain = createInnkeeper({ store: createMemoryStore(), telemetry: false });
    expect(plain).toBeInstanceOf(Innkeeper);
    expect(inn).toBeInstanceOf(Innkeeper);
  });
});
