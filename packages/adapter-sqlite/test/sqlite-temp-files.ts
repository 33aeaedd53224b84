import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from '../src/index.js';

/** A fresh temporary directory for one test file's databases. */
export function makeTempDir(prefix = 'innkeeper-sqlite-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a database file with its WAL, shared-memory and rollback-journal companions. */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${file}${suffix}`, { force: true });
}

/**
 * A store on a new file in `dir` whose `close()` also deletes the file, so the hundreds
 * of stores a property run creates do not pile up on disk.
 */
export function createTempFileStore(dir: string, options?: SqliteStoreOptions): SqliteStore {
  const file = join(dir, `${process.pid}-${++created}.db`);
  const store = createSqliteStore({ filename: file }, options);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    removeDatabaseFiles(file);
  };
  return store;
}
let created = 0;
