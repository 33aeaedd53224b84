import type { LockName, WorkerLock } from '../worker/worker-lock.js';

/**
 * The lock archiving takes (`archive`, `erase-guest`): one caller at a time in this
 * process, and, through `across` when given (the `archive.lock` option), one server at a
 * time.
 *
 * A store's worker lock answers `true` to a server already holding a name: the worker asks
 * again every turn to keep leading its job. Archiving needs a mutex instead: two erasures
 * in one process would both get `erase-guest`, and the first to finish would release it
 * while the second still rewrites a file; an erasure settling a file would get `archive`
 * while this process's archive run holds it. So a name held here is refused until it is
 * released, whatever `across` says.
 */
export function archiveLock(across?: WorkerLock): WorkerLock {
  const held = new Set<LockName>();
  return {
    async acquire(name) {
      if (held.has(name)) return false;
      held.add(name);
      let taken = false;
      try {
        taken = across ? await across.acquire(name) : true;
      } finally {
        if (!taken) held.delete(name);
      }
      return taken;
    },
    async release(name) {
      if (!held.has(name)) return;
      try {
        await across?.release(name);
      } finally {
        held.delete(name);
      }
    },
  };
}
