/**
 * `pnpm check:consumer`: the packed packages installed the way an adopter installs them,
 * with npm, in a project outside this workspace, next to real driver versions:
 *
 * - **newest**: the newest major of each driver that runs on this Node (ioredis 6,
 *   better-sqlite3 12 on Node 20, 13 on Node 22+, pg 8 latest). After it, `npm install
 *   --dry-run better-sqlite3@13` must also be accepted (no ERESOLVE) even where 13 cannot
 *   run, since the adapter declares it.
 * - **oldest**: the lowest version of every declared peer range (ioredis 5.3.0,
 *   better-sqlite3 11.0.0, pg 8.11.0).
 *
 * Each profile's `npm install` must succeed without `--legacy-peer-deps`, then a smoke
 * program runs as ESM, as CommonJS and under `node --conditions=dev-source` (that
 * condition is the workspace's own and must not leak into what is published): it books on
 * the memory, SQLite and Postgres stores and searches through the Redis cache.
 *
 * `--keep <dir>` leaves the oldest profile's project in `<dir>`; `.ci/run` then runs the
 * adapters' tests against its drivers (`INNKEEPER_DRIVERS_FROM`, see vitest.shared.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PackedPackage, packAll } from './packed-packages.ts';

interface Profile {
  name: string;
  drivers: Record<'better-sqlite3' | 'ioredis' | 'pg', string>;
}

const nodeMajor = Number(process.versions.node.split('.')[0]);
const profiles: Profile[] = [
  {
    name: 'newest',
    drivers: { 'better-sqlite3': nodeMajor >= 22 ? '13' : '12', ioredis: '6', pg: '8' },
  },
  { name: 'oldest', drivers: { 'better-sqlite3': '11.0.0', ioredis: '5.3.0', pg: '8.11.0' } },
];

const keepIndex = process.argv.indexOf('--keep');
const keep = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) {
  // Like the tests: Redis is required under CI; Postgres may be absent on a machine where
  // the tests start an embedded server instead (the smoke program does not).
  if (!redisUrl && process.env.CI === 'true') {
    console.error('check:consumer: REDIS_URL is not set, and CI=true requires the Redis part.');
    process.exit(1);
  }
  console.warn(
    '\n!!! check:consumer: DATABASE_URL and REDIS_URL are both needed for the Postgres + Redis ' +
      'part of the smoke program; it is SKIPPED (memory and SQLite still run).\n',
  );
}

const work = mkdtempSync(join(tmpdir(), 'innkeeper-consumer-'));
try {
  const packed = packAll(join(work, 'tarballs'));
  for (const profile of profiles) {
    const started = Date.now();
    const project = join(work, profile.name);
    install(project, packed, profile);
    if (profile.name === 'newest') {
      npm(project, ['install', '--dry-run', '--no-save', 'better-sqlite3@13']);
      console.log('  npm install --dry-run better-sqlite3@13: accepted');
    }
    smoke(project, profile);
    console.log(`✓ ${profile.name} profile (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (keep && profile.name === 'oldest') {
      rmSync(keep, { recursive: true, force: true });
      cpSync(project, keep, { recursive: true });
      console.log(`  kept in ${keep}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function install(project: string, packed: PackedPackage[], profile: Profile): void {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: `consumer-${profile.name}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  const drivers = Object.entries(profile.drivers).map(([name, range]) => `${name}@${range}`);
  // The CLI is an application with its own driver dependencies; a library consumer
  // installs the packages below.
  const libraries = packed.filter((p) => p.dir !== 'cli').map((p) => p.tarball);
  console.log(
    `\n── ${profile.name}: npm install ${drivers.join(' ')} + ${libraries.length} tarballs`,
  );
  // Plain `npm install`, no --legacy-peer-deps or --force: an ERESOLVE fails the check.
  npm(project, ['install', '--no-audit', '--no-fund', ...libraries, ...drivers]);
  const installed = npm(project, ['ls', '--depth=0', ...Object.keys(profile.drivers)]);
  console.log(installed.trim().split('\n').slice(1).join('\n'));
}

function smoke(project: string, profile: Profile): void {
  const schema = `consumer_${profile.name}_${process.pid}`;
  writeFileSync(join(project, 'smoke.mjs'), smokeProgram('esm'));
  writeFileSync(join(project, 'smoke.cjs'), smokeProgram('cjs'));
  const env = { ...process.env, SCHEMA: schema };
  for (const args of [['smoke.mjs'], ['smoke.cjs'], ['--conditions=dev-source', 'smoke.mjs']]) {
    const output = execFileSync('node', args, { cwd: project, env, encoding: 'utf8' });
    console.log(`  node ${args.join(' ')}: ${output.trim()}`);
  }
}

function npm(cwd: string, args: string[]): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // Outside the workspace: never pick up its .npmrc or pnpm settings.
    env: { ...process.env, npm_config_workspaces: 'false', npm_config_loglevel: 'error' },
  });
}

/** One program, written as ESM or CommonJS: what an adopter's first file does. */
function smokeProgram(kind: 'esm' | 'cjs'): string {
  const load =
    kind === 'esm'
      ? `import { createInnkeeper, createManualClock } from '@innkeeper/core';
import { createMemoryStore } from '@innkeeper/adapter-memory';
import { createSqliteStore } from '@innkeeper/adapter-sqlite';
import { createPostgresStore, migrate } from '@innkeeper/adapter-postgres';
import { createRedisAvailabilityCache } from '@innkeeper/cache-redis';
import { createTestGateway } from '@innkeeper/test-gateway';
import { runStoreConformance } from '@innkeeper/conformance';
import { Redis } from 'ioredis';
import pg from 'pg';
`
      : `const { createInnkeeper, createManualClock } = require('@innkeeper/core');
const { createMemoryStore } = require('@innkeeper/adapter-memory');
const { createSqliteStore } = require('@innkeeper/adapter-sqlite');
const { createPostgresStore, migrate } = require('@innkeeper/adapter-postgres');
const { createRedisAvailabilityCache } = require('@innkeeper/cache-redis');
const { createTestGateway } = require('@innkeeper/test-gateway');
const { runStoreConformance } = require('@innkeeper/conformance');
const { Redis } = require('ioredis');
const pg = require('pg');
`;
  const body = `
if (typeof runStoreConformance !== 'function') throw new Error('conformance did not load');
const schema = process.env.SCHEMA + '_${kind}';
const hotelId = 'h1';
async function bookOn(store, options = {}) {
  const inn = createInnkeeper({
    store,
    clock: createManualClock('2030-03-01T10:00:00Z'),
    payments: createTestGateway(),
    ...options,
  });
  await inn.createHotel({ id: hotelId, name: 'Rio', timeZone: 'Europe/Lisbon', currency: 'EUR' });
  await inn.createRoomType({ hotelId, id: 'double', name: 'Double', maxAdults: 2, baseRate: 12000 });
  await inn.setInventory({ hotelId, roomTypeId: 'double', from: '2030-03-01', to: '2030-03-31', total: 3 });
  const stay = { hotelId, checkIn: '2030-03-14', checkOut: '2030-03-16' };
  const { offers } = await inn.search({ ...stay, adults: 2 });
  const booked = await inn.book({
    ...stay,
    idempotencyKey: 'k1',
    lines: [{ roomTypeId: 'double', adults: 2 }],
    guest: { name: 'Ana', email: 'ana@example.com' },
  });
  if (booked.status !== 'confirmed' || booked.payment?.status !== 'charged') {
    throw new Error('unexpected booking ' + JSON.stringify(booked));
  }
  if (!(await inn.audit()).ok) throw new Error('audit failed');
  return { inn, total: booked.total, offers: offers.length };
}

const results = [];
const memory = await bookOn(createMemoryStore());
results.push('memory ' + memory.total);
await memory.inn.close();

const sqlite = await bookOn(createSqliteStore({ filename: ':memory:' }));
results.push('sqlite ' + sqlite.total);
await sqlite.inn.close();

if (process.env.DATABASE_URL && process.env.REDIS_URL) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  pool.on('error', () => {});
  await pool.query('DROP SCHEMA IF EXISTS ' + schema + ' CASCADE');
  const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await migrate({ pool }, { schema });
    const store = createPostgresStore({ pool }, { schema });
    const availability = createRedisAvailabilityCache({ redis, store, keyPrefix: schema + ':' });
    const postgres = await bookOn(store, { availability });
    results.push('postgres+redis ' + postgres.total + ' (' + postgres.offers + ' offer)');
    await postgres.inn.close();
  } finally {
    await pool.query('DROP SCHEMA IF EXISTS ' + schema + ' CASCADE');
    await pool.end();
    redis.disconnect();
  }
}
console.log(results.join(', '));
`;
  // CommonJS has no top-level await.
  return kind === 'esm'
    ? `${load}${body}`
    : `${load}(async () => {${body}})().catch((error) => { console.error(error); process.exit(1); });\n`;
}
