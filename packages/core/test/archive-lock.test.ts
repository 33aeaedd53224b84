import { createMemoryStore } from '@innkeeper/adapter-memory';
import {
  createInnkeeper,
  createManualClock,
  createMemoryArchiveSink,
  type LockName,
  type WorkerLock,
} from '@innkeeper/core';
import { describe, expect, test } from 'vitest';
import { archiveLock } from '../src/engine/archive-lock.js';

/**
 * Archiving's lock is a mutex within the engine whatever lock it is given across servers: a
 * store's worker lock answers `true` again to the server already holding a name (its worker
 * asks every turn to keep leading), which would let two erasures, or an erasure and an
 * archive run, of one process hold the same name at once.
 */

/** A lock across servers as the stores' are: held again by the server holding it. */
function reentrantLock() {
  const calls: string[] = [];
  const lock: WorkerLock = {
    async acquire(name) {
      calls.push(`acquire ${name}`);
      return true;
    },
    async release(name) {
      calls.push(`release ${name}`);
    },
  };
  return { lock, calls };
}

describe('archiveLock', () => {
  test('a name held in this engine is refused to a second caller until released', async () => {
    const { lock: across, calls } = reentrantLock();
    const lock = archiveLock(across);
    expect(await lock.acquire('erase-guest')).toBe(true);
    expect(await lock.acquire('erase-guest')).toBe(false);
    // Another name is not held.
    expect(await lock.acquire('archive')).toBe(true);
    await lock.release('erase-guest');
    expect(await lock.acquire('erase-guest')).toBe(true);
    expect(calls).toEqual([
      'acquire erase-guest',
      'acquire archive',
      'release erase-guest',
      'acquire erase-guest',
    ]);
  });

  test('what the lock across servers refuses, or fails to answer, is not held here', async () => {
    let answer: boolean | Error = false;
    const across: WorkerLock = {
      acquire: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
      release: async () => {},
    };
    const lock = archiveLock(across);
    expect(await lock.acquire('archive')).toBe(false);
    answer = new Error('connection lost');
    await expect(lock.acquire('archive')).rejects.toThrow('connection lost');
    answer = true;
    expect(await lock.acquire('archive')).toBe(true);
  });

  test('a release not held is nothing; a failed release still frees the name here', async () => {
    const released: LockName[] = [];
    let fail = false;
    const across: WorkerLock = {
      acquire: async () => true,
      release: async (name) => {
        released.push(name);
        if (fail) throw new Error('connection lost');
      },
    };
    const lock = archiveLock(across);
    await lock.release('archive');
    expect(released).toEqual([]);
    expect(await lock.acquire('archive')).toBe(true);
    fail = true;
    await expect(lock.release('archive')).rejects.toThrow('connection lost');
    expect(await lock.acquire('archive')).toBe(true);
  });

  test('without a lock across servers it is the engine’s own', async () => {
    const lock = archiveLock();
    expect(await lock.acquire('archive')).toBe(true);
    expect(await lock.acquire('archive')).toBe(false);
    await lock.release('archive');
    expect(await lock.acquire('archive')).toBe(true);
  });

  test('two archive runs of one engine at once: one runs, the other finds the lock taken', async () => {
    // The lock across servers grants both, as a store's does to the server holding it; its
    // first answer waits until the second run has asked, so the two overlap.
    let grant: () => void = () => {};
    const granted = new Promise<void>((resolve) => {
      grant = resolve;
    });
    const asked: LockName[] = [];
    const across: WorkerLock = {
      async acquire(name) {
        asked.push(name);
        await granted;
        return true;
      },
      async release() {},
    };
    const inn = createInnkeeper({
      store: createMemoryStore(),
      clock: createManualClock('2027-04-01T10:00:00.000Z'),
      archive: { sink: createMemoryArchiveSink(), lock: across },
    });
    const first = inn.archive();
    const second = inn.archive();
    const refused = await second;
    grant();
    const ran = await first;
    expect([ran.ran, refused.ran]).toEqual([true, false]);
    expect(asked).toEqual(['archive']);
    await inn.close();
  });
});
