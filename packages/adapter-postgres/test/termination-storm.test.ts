import { fileURLToPath } from 'node:url';
import { createFixture, day, HOTEL_ID } from '@innkeeper/conformance';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { forkWorker, killWorkers } from './support/fork-worker.js';
import { startStartupProxy } from './support/startup-proxy.js';
import { databaseUrl, dropSchema, freshSchema, newPool } from './support/test-database.js';
import type { StormJob, StormReport } from './workers/termination-storm-worker.js';

/**
 * Backends terminated every 50-200 ms under three app-server processes (two on pools
 * the store creates, one on its own pg.Pool) booking, cancelling and modifying through a
 * proxy; the proxy also cuts the start-up of every fourth new connection exactly as the
 * handover race needs (support/startup-proxy.ts). No process may crash, every call
 * must end in a result or an expected error, and the calendar's audit must be clean.
 */

const WORKER = fileURLToPath(new URL('./workers/termination-storm-worker.ts', import.meta.url));
const STORM_MS = 6_000;

const admin = newPool(4);
let schema = '';

beforeAll(async () => {
  schema = await freshSchema(admin, 'storm');
});
afterAll(async () => {
  killWorkers();
  await dropSchema(admin, schema);
  await admin.end();
});

const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);

test('three processes under backend terminations every 50-200 ms: none crashes, every call ends in a result or an expected error, audit clean, feed in step with the rows', async () => {
  const base = createPostgresStore({ pool: admin }, { schema });
  await createFixture(base);
  const proxy = await startStartupProxy({
    databaseUrl: databaseUrl(),
    terminate,
    trap: (n) => n % 4 === 0,
  });
  let terminations = 0;
  let storming = true;
  const terminator = (async () => {
    while (storming) {
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      const pids = proxy.livePids();
      const pid = pids[Math.floor(Math.random() * pids.length)];
      if (pid === undefined || !storming) continue;
      await terminate(pid);
      terminations++;
    }
  })();
  try {
    const jobs: StormJob[] = (['owned', 'caller', 'owned'] as const).map((pool, i) => ({
      url: proxy.url,
      schema,
      name: `w${i}`,
      pool,
      durationMs: STORM_MS,
      callers: 4,
    }));
    const exits = await Promise.all(
      jobs.map((job) => forkWorker<StormReport>(WORKER, job, STORM_MS + 20_000)),
    );
    storming = false;
    await terminator;

    for (const exit of exits) {
      expect(
        { code: exit.code, signal: exit.signal, reports: exit.messages.length },
        `worker stderr:\n${exit.stderr}`,
      ).toEqual({ code: 0, signal: null, reports: 1 });
    }
    const reports = exits.map((exit) => exit.messages[0] as StormReport);
    expect(reports.flatMap((r) => r.unexpected)).toEqual([]);
    const booked = reports.reduce((sum, r) => sum + (r.done.book ?? 0), 0);
    expect(booked, JSON.stringify(reports)).toBeGreaterThan(30);
    // The storm did what it is for: the handover race hit, backends died under load.
    expect(proxy.trapped).toBeGreaterThanOrEqual(3);
    expect(terminations).toBeGreaterThanOrEqual(STORM_MS / 200);
  } finally {
    storming = false;
    await terminator;
    await proxy.close();
  }

  // The audit: reserved against the nights of the live reservations, in one snapshot.
  const audit = await base.audit();
  expect(audit.findings).toEqual([]);
  expect(audit.ok).toBe(true);
  const { rows } = await admin.query<{ over: number; negative: number }>(
    `SELECT count(*) FILTER (WHERE reserved > total + overbooking_limit)::int AS over,
            count(*) FILTER (WHERE reserved < 0)::int AS negative
     FROM "${schema}".calendar`,
  );
  expect(rows[0]).toEqual({ over: 0, negative: 0 });

  // Replaying the feed's rows in seq order ends on the rows the store holds.
  const events = await base.readEvents(0, 100_000);
  const last = new Map<string, number>();
  for (const event of events) {
    for (const d of event.days) last.set(`${d.roomTypeId}@${d.date}`, d.reserved);
  }
  const stay = await base.readStay({ hotelId: HOTEL_ID, from: day(0), to: day(60) });
  expect(stay?.days.length).toBeGreaterThan(0);
  for (const d of stay?.days ?? []) {
    expect(last.get(`${d.roomTypeId}@${d.date}`) ?? 0, `${d.roomTypeId}@${d.date}`).toBe(
      d.reserved,
    );
  }
}, 60_000);
