import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, SCHEMA_VERSION } from '@innkeeper/adapter-postgres';
import { createSqliteStore } from '@innkeeper/adapter-sqlite';
import {
  addDays,
  createInnkeeper,
  createManualClock,
  type InnkeeperStore,
  todayIn,
} from '@innkeeper/core';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCommandLine } from '../src/index.js';
import { startCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'innkeeper-cli-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `innkeeper <args>` in this process, with its output captured and a signal to stop it. */
function innkeeper(args: string[], controller = new AbortController()) {
  const out = { stdout: '', stderr: '' };
  const code = runCommandLine(args, {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    signal: controller.signal,
  });
  return { out, code, controller };
}

/**
 * A hotel with work for every job: a hold whose time ran out an hour ago, and a confirmed
 * guest due yesterday who never came. Made on a clock a day behind, through the engine.
 */
async function seed(store: InnkeeperStore) {
  const yesterday = addDays(todayIn('UTC', new Date()), -1);
  const clock = createManualClock(`${yesterday}T08:00:00Z`);
  const inn = createInnkeeper({ store, clock });
  const hotelId = 'h1';
  await inn.createHotel({ id: hotelId, name: 'Worker Inn', timeZone: 'UTC', currency: 'EUR' });
  await inn.createRoomType({ hotelId, id: 'std', name: 'Std', maxAdults: 2, baseRate: 10_000 });
  const to = addDays(yesterday, 10);
  await inn.setInventory({ hotelId, roomTypeId: 'std', from: yesterday, to, total: 5 });
  const lines = [{ roomTypeId: 'std', rooms: 1, adults: 1 }];
  const guest = { name: 'Guest', email: 'guest@example.com' };
  const stay = { hotelId, lines, guest };
  const noShow = await inn.book({
    ...stay,
    checkIn: yesterday,
    checkOut: addDays(yesterday, 2),
    idempotencyKey: 'due-yesterday',
  });
  const hold = await inn.hold({
    ...stay,
    checkIn: addDays(yesterday, 3),
    checkOut: addDays(yesterday, 4),
    idempotencyKey: 'held',
    ttlSeconds: 60,
  });
  await inn.close();
  return { noShow: noShow.id, hold: hold.id };
}

async function statusesIn(store: InnkeeperStore, ids: string[]) {
  const inn = createInnkeeper({ store });
  const statuses = await Promise.all(ids.map(async (id) => (await inn.getReservation(id)).status));
  await inn.close();
  return statuses;
}

/** Resolves once `out.stdout` has a line containing `text` (polling; the worker is async). */
async function until(out: { stdout: string }, text: string, ms = 20_000) {
  const started = Date.now();
  while (!out.stdout.includes(text)) {
    if (Date.now() - started > ms) throw new Error(`no "${text}" in: ${out.stdout}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('innkeeper worker on SQLite', () => {
  it('--once expires the hold and marks the no-show, prints the counts, and exits 0', async () => {
    const file = join(dir, 'once.db');
    const ids = await seed(createSqliteStore({ filename: file }));
    const { out, code } = innkeeper([
      'worker',
      '--file',
      file,
      '--once',
      '--no-show-after-hours',
      '0',
    ]);
    expect(await code).toBe(0);
    expect(out.stderr).toContain('expire-holds: expired 1');
    expect(out.stderr).toContain('no-shows: marked 1, skipped 0');
    expect(out.stderr).not.toContain('recover-payments');
    expect(await statusesIn(createSqliteStore({ filename: file }), [ids.noShow, ids.hold])).toEqual(
      ['no-show', 'expired'],
    );
    const runs = jsonLines(out.stdout).filter((l) => String(l.msg).startsWith('innkeeper.worker.'));
    expect(runs.map((l) => l.job)).toEqual(['expire-holds', 'no-shows', 'prune-events']);
    expect(runs[0]).toMatchObject({ level: 'info', result: { expired: 1 } });
  });

  it('runs until the signal, one JSON line per run, then stops cleanly and exits 0', async () => {
    const file = join(dir, 'loop.db');
    const ids = await seed(createSqliteStore({ filename: file }));
    const { out, code, controller } = innkeeper([
      'worker',
      '--file',
      file,
      '--no-show-after-hours',
      '0',
    ]);
    await until(out, 'innkeeper.worker.no-shows ok');
    await until(out, 'innkeeper.worker.expire-holds ok');
    controller.abort();
    expect(await code).toBe(0);
    const lines = jsonLines(out.stdout);
    expect(lines[0]).toMatchObject({ msg: 'innkeeper.worker started', store: 'sqlite' });
    expect(lines.at(-1)).toMatchObject({ msg: 'innkeeper.worker stopped' });
    for (const line of lines) expect(typeof line.time).toBe('string');
    // The guest's name and e-mail never reach a log line, whatever the level.
    expect(out.stdout).not.toContain('guest@example.com');
    expect(await statusesIn(createSqliteStore({ filename: file }), [ids.noShow, ids.hold])).toEqual(
      ['no-show', 'expired'],
    );
  });

  it('refuses bad usage with exit code 2 and writes nothing', async () => {
    const file = join(dir, 'usage.db');
    await seed(createSqliteStore({ filename: file }));
    const cases: [string[], string][] = [
      [['--jobs', 'recover-payments'], '--jobs recover-payments needs --gateway'],
      [
        ['--jobs', 'vacuum'],
        '--jobs takes expire-holds, recover-payments, no-shows, archive, prune-events',
      ],
      [['--log-level', 'loud'], '--log-level must be one of'],
      [['--batch-size', '0'], '--batch-size must be a whole number'],
      [['--gateway', join(dir, 'missing.mjs')], 'cannot load --gateway'],
    ];
    for (const [flags, message] of cases) {
      const { out, code } = innkeeper(['worker', '--file', file, '--once', ...flags]);
      expect(await code).toBe(2);
      expect(out.stderr).toContain(message);
      expect(out.stdout).toBe('');
    }
    const notAGateway = join(dir, 'not-a-gateway.mjs');
    writeFileSync(notAGateway, 'export default { charge() {} };\n');
    const { out, code } = innkeeper(['worker', '--file', file, '--gateway', notAGateway]);
    expect(await code).toBe(2);
    expect(out.stderr).toContain('must export (default or "gateway") a PaymentGateway');
    const missing = innkeeper(['worker', '--file', join(dir, 'nowhere.db'), '--once']);
    expect(await missing.code).toBe(2);
    expect(missing.out.stderr).toContain('no such SQLite file');
  });

  it('--gateway loads the module and turns recover-payments on', async () => {
    const file = join(dir, 'gateway.db');
    await seed(createSqliteStore({ filename: file }));
    const module = join(dir, 'gateway.mjs');
    writeFileSync(
      module,
      `export default async () => ({
  async charge() { return { status: 'declined', reason: 'test' }; },
  async refund() { return { status: 'failed', reason: 'test' }; },
  async findCharge() { return null; },
});\n`,
    );
    const { out, code } = innkeeper(['worker', '--file', file, '--once', '--gateway', module]);
    expect(await code).toBe(0);
    expect(out.stderr).toContain('recover-payments: confirmed 0, released 0');
  });

  it('the bin stops on SIGTERM: the run in progress ends, the leases are handed over, exit 0', async () => {
    const file = join(dir, 'sigterm.db');
    await seed(createSqliteStore({ filename: file }));
    const { child, done } = startCli(['worker', '--file', file]);
    let sent = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!sent && chunk.toString().includes('innkeeper.worker.expire-holds ok')) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const result = await done;
    expect(sent).toBe(true);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('innkeeper.worker stopped');
    expect(result.stderr).toBe('');
    // The leases were released: no job is left to a process that is gone.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM innkeeper_worker_leases').pluck().get()).toBe(0);
    db.close();
  }, 30_000);
});

// The global setup's Postgres: DATABASE_URL, or an embedded cluster it started.
const url = inject('databaseUrl');

describe('innkeeper worker on Postgres', () => {
  it('refuses a schema that is not migrated, in one line, exit 1 (it never migrates)', async () => {
    const schema = `worker_cli_bare_${process.pid}`;
    const { out, code } = innkeeper(['worker', '--url', url, '--schema', schema]);
    expect(await code).toBe(1);
    expect(out.stderr).toContain(
      `schema "${schema}" is at version 0, this release needs ${SCHEMA_VERSION}: run innkeeper migrate`,
    );
    expect(out.stdout).toBe('');
  });

  it('two workers on one schema: each job runs on one of them (advisory lock per job)', async () => {
    const schema = `worker_cli_${process.pid}`;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const store = createPostgresStore({ pool }, { schema });
    await store.migrate();
    const ids = await seed(store);
    const flags = ['worker', '--url', url, '--schema', schema, '--no-show-after-hours', '0'];
    const first = innkeeper(flags);
    await until(first.out, 'innkeeper.worker.no-shows ok');
    const second = innkeeper(flags);
    await until(second.out, 'innkeeper.worker started');
    // Give the second worker a few turns at expire-holds (every 5 s, jittered).
    await new Promise((r) => setTimeout(r, 6_000));
    second.controller.abort();
    first.controller.abort();
    expect(await first.code).toBe(0);
    expect(await second.code).toBe(0);
    const ran = (out: { stdout: string }) =>
      jsonLines(out.stdout).filter((l) => String(l.msg).endsWith(' ok')).length;
    expect(ran(first.out)).toBeGreaterThan(0);
    expect(ran(second.out)).toBe(0);
    const stopped = jsonLines(second.out.stdout).at(-1) as {
      status: Record<string, { skipped: number }>;
    };
    expect(stopped.status['expire-holds']?.skipped).toBeGreaterThan(0);
    expect(
      await statusesIn(createPostgresStore({ pool }, { schema }), [ids.noShow, ids.hold]),
    ).toEqual(['no-show', 'expired']);
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  }, 30_000);
});
