import { createMemoryStore } from '@innkeeper/adapter-memory';
import { createInnkeeper, InnkeeperError, type InnkeeperStore } from '@innkeeper/core';
import { STORE_PORT_VERSION } from '@innkeeper/core/store';
import { describe, expect, it } from 'vitest';

/** The memory store as a store built for another port version would present itself. */
function storeDeclaring(portVersion: unknown): InnkeeperStore {
  const store = createMemoryStore();
  return new Proxy(store, {
    get: (target, property, receiver) =>
      property === 'portVersion' ? portVersion : Reflect.get(target, property, receiver),
  });
}

function refusal(store: InnkeeperStore): InnkeeperError {
  try {
    createInnkeeper({ store });
  } catch (error) {
    if (error instanceof InnkeeperError) return error;
    throw error;
  }
  throw new Error('createInnkeeper accepted the store');
}

describe('createInnkeeper() and the store port version', () => {
  it('is port version 8: changeReservation(id, decide), saveHotel/saveRoomType, the stay, rooms, the archive, retention, pricing revisions, the catalog', () => {
    expect(STORE_PORT_VERSION).toBe(8);
    const store: InnkeeperStore = createMemoryStore();
    expect(typeof store.changeReservation).toBe('function');
    expect(typeof store.saveHotel).toBe('function');
    expect(typeof store.saveRoomType).toBe('function');
    // A store of port 1 (one command per transition) or 2 (no stay statuses, no front
    // desk lists) is refused at start-up.
    expect(refusal(storeDeclaring(1)).message).toContain('implements store port version 1');
    expect(refusal(storeDeclaring(2)).message).toContain('implements store port version 2');
    // A store of port 3 keeps no room-night index: two guests could get one room.
    expect(typeof store.saveRoom).toBe('function');
    expect(refusal(storeDeclaring(3)).message).toContain('implements store port version 3');
    // A store of port 4 cannot archive, and would not answer an archived key.
    expect(typeof store.removeArchived).toBe('function');
    expect(refusal(storeDeclaring(4)).message).toContain('implements store port version 4');
    // A store of port 5 would never prune its feed nor forget an expired key.
    expect(typeof store.pruneEvents).toBe('function');
    expect(typeof store.forgetArchivedKeys).toBe('function');
    expect(refusal(storeDeclaring(5)).message).toContain('implements store port version 5');
    // A store of port 6 would book a plan priced on rates that changed since.
    expect(refusal(storeDeclaring(6)).message).toContain('implements store port version 6');
    // A store of port 7 cannot filter hotels by area nor read many stays at once, and its
    // feed says nothing of catalog writes.
    expect(typeof store.readStays).toBe('function');
    expect(refusal(storeDeclaring(7)).message).toContain('implements store port version 7');
  });

  it('accepts a store that declares the port version this core speaks', () => {
    expect(createMemoryStore().portVersion).toBe(STORE_PORT_VERSION);
    expect(() => createInnkeeper({ store: createMemoryStore() })).not.toThrow();
  });

  it('refuses a store built for an older or newer port, naming both versions', () => {
    for (const other of [STORE_PORT_VERSION - 1, STORE_PORT_VERSION + 1]) {
      const error = refusal(storeDeclaring(other));
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toContain(`implements store port version ${other}`);
      expect(error.message).toContain(`speaks store port version ${STORE_PORT_VERSION}`);
      expect(error.details).toEqual({
        issues: [
          {
            path: ['store', 'portVersion'],
            message: `Expected store port version ${STORE_PORT_VERSION}, got ${other}`,
          },
        ],
      });
    }
  });

  it('refuses a store from before port versions (no portVersion at all)', () => {
    const error = refusal(storeDeclaring(undefined));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('declares no store port version');
    expect(error.message).toContain(`speaks store port version ${STORE_PORT_VERSION}`);
  });

  it('refuses something that is not a store at all with the same typed error', () => {
    for (const notAStore of [undefined, null, 'memory', {}]) {
      const error = refusal(notAStore as unknown as InnkeeperStore);
      expect(error.code).toBe('VALIDATION');
    }
  });
});
