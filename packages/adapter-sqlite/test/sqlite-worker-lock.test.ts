import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { createSqliteWorkerLock } from '../src/index.js';
import { makeTempDir, removeDatabaseFiles } from './sqlite-temp-files.js';

const dir = makeTempDir('innkeeper-lock-');
const WORKER = fileURLToPath(new URL('./workers/lock-worker.ts', import.meta.url));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('createSqliteWorkerLock', () => {
  test('one holder per job; the holder renews; a lapsed lease is taken over; released, it is free', async () => {
    const file = join(dir, 'leases.db');
    let clock = 1_000_000;
    const now = () => clock;
    const a = createSqliteWorkerLock({ filename: file }, { owner: 'a', leaseMs: 1000, now });
    const b = createSqliteWorkerLock({ filename: file }, { owner: 'b', leaseMs: 1000, now });
    try {
      expect(await a.acquire('expire-holds')).toBe(true);
      expect(await b.acquire('expire-holds')).toBe(false);
      expect(await b.acquire('no-shows')).toBe(true);
      clock += 900;
      expect(await a.acquire('expire-holds')).toBe(true); // renewed until 1,001,900
      clock += 900;
      expect(await b.acquire('expire-holds')).toBe(false);
      clock += 200; // a's lease lapsed
      expect(await b.acquire('expire-holds')).toBe(true);
      expect(await a.acquire('expire-holds')).toBe(false);
      await b.release('expire-holds');
      expect(await a.acquire('expire-holds')).toBe(true);
    } finally {
      a.close();
      b.close();
      removeDatabaseFiles(file);
    }
  });

  test('three processes on one file: one leader at a time; the leader killed, another takes over once its lease lapses', async () => {
    const file = join(dir, 'processes.db');
    const setup = new Database(file);
    setup.pragma('journal_mode = WAL');
    setup.exec('CREATE TABLE held_log (owner TEXT NOT NULL, at INTEGER NOT NULL)');
    const leaseMs = 300;
    const owners = ['p1', 'p2', 'p3'];
    const processes = new Map<string, ChildProcess>();
    const ready: Promise<void>[] = [];
    for (const owner of owners) {
      const child = fork(WORKER, [JSON.stringify({ file, owner, leaseMs, durationMs: 2500 })], {
        execArgv: ['--import', 'tsx', '--conditions=dev-source'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.add(child);
      processes.set(owner, child);
      ready.push(new Promise((resolve) => child.once('message', () => resolve())));
    }
    const exited = [...processes.values()].map(
      (child) => new Promise<void>((resolve) => child.on('exit', () => resolve())),
    );
    await Promise.all(ready);
    await new Promise((r) => setTimeout(r, 600));
    const leader = (
      setup
        .prepare("SELECT owner FROM innkeeper_worker_leases WHERE job = 'expire-holds'")
        .get() as { owner: string }
    ).owner;
    // The leader may log a turn between the kill being sent and its death: what counts is
    // when it was gone (its exit), after which no row of it may appear.
    const killed = processes.get(leader);
    const gone = new Promise<number>((resolve) => killed?.once('exit', () => resolve(Date.now())));
    killed?.kill('SIGKILL');
    const killedAt = await gone;
    await Promise.all(exited);

    const rows = setup.prepare('SELECT owner, at FROM held_log ORDER BY at, rowid').all() as {
      owner: string;
      at: number;
    }[];
    setup.close();
    removeDatabaseFiles(file);
    // Leadership changed hands at least once (the kill), and never while a lease was live:
    // a new owner's first turn comes a whole lease after the previous owner's last.
    const switches: string[] = [];
    let last: { owner: string; at: number } | undefined;
    const lastOf = new Map<string, number>();
    for (const row of rows) {
      if (last && row.owner !== last.owner) {
        switches.push(`${last.owner}->${row.owner}`);
        // (Less a few ms: each logs its turn just after taking the lease.)
        expect(row.at - (lastOf.get(last.owner) ?? 0)).toBeGreaterThanOrEqual(leaseMs - 20);
      }
      lastOf.set(row.owner, row.at);
      last = row;
    }
    expect(switches.length).toBeGreaterThanOrEqual(1);
    expect(rows.filter((r) => r.owner === leader && r.at > killedAt)).toEqual([]);
    expect(new Set(rows.filter((r) => r.at > killedAt).map((r) => r.owner)).size).toBe(1);
  });
});
