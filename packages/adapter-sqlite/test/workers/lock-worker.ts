/**
 * One process of the worker-lock test: tries to hold the `expire-holds` lease every few
 * milliseconds for `durationMs`, and logs each turn it held it (owner, time) in the file.
 */
import Database from 'better-sqlite3';
import { createSqliteWorkerLock } from '../../src/index.js';

const { file, owner, leaseMs, durationMs } = JSON.parse(process.argv[2] ?? '{}') as {
  file: string;
  owner: string;
  leaseMs: number;
  durationMs: number;
};
const db = new Database(file, { timeout: 5000 });
db.pragma('journal_mode = WAL');
const lock = createSqliteWorkerLock({ database: db }, { owner, leaseMs });
const log = db.prepare('INSERT INTO held_log (owner, at) VALUES (?, ?)');
const until = Date.now() + durationMs;
process.send?.('ready');
while (Date.now() < until) {
  if (await lock.acquire('expire-holds')) log.run(owner, Date.now());
  await new Promise((r) => setTimeout(r, 10));
}
db.close();
