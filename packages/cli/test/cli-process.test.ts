import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/index.js';
import { runCli, startCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'innkeeper-cli-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('innkeeper (the bin, run as a child process)', () => {
  it('demo on Ctrl-C stops, waits for in-flight requests and prints the partial report (exit 130)', async () => {
    const { child, done } = startCli([
      'demo',
      '--store',
      'memory',
      '--quick',
      '--bookings',
      '10000000',
    ]);
    let sent = false;
    // Interrupt about 1 s into the booking phase (the fallback only guards a hung start).
    const interrupt = () => {
      if (!sent) child.kill('SIGINT');
      sent = true;
    };
    const fallback = setTimeout(interrupt, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('booking:')) setTimeout(interrupt, 1_000);
    });
    const result = await done;
    clearTimeout(fallback);
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('INTERRUPTED during booking');
    expect(result.stdout).toContain('audit         ok, zero drift');
    expect(result.stdout).toContain('(adds up)');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('rejects an unknown flag with one line and exit code 2', async () => {
    const result = await runCli(['demo', '--bogus']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain("Unknown option '--bogus'");
  });

  it('rejects a bad --store value with one line and exit code 2', async () => {
    const result = await runCli(['demo', '--store', 'mongo']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('--store must be one of memory, sqlite, postgres');
  });

  it('reports an unreachable Postgres URL in one line and exits 1', async () => {
    const result = await runCli([
      'demo',
      '--store',
      'postgres',
      '--url',
      'postgres://postgres:secret@127.0.0.1:1/none',
    ]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(
      'cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/none',
    );
    expect(result.stderr).not.toContain('secret');
  });

  it('migrate creates and migrates a SQLite file, then finds it current', async () => {
    const file = join(dir, 'migrate.db');
    const first = await runCli(['migrate', '--file', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/migrated from version 0 to \d+/);
    const again = await runCli(['migrate', '--file', file, '--json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.from).toBe(report.to);
  });

  it('audit on a demo file reports zero drift, and exits 1 once a row is tampered with', async () => {
    const file = join(dir, 'audit.db');
    await runDemo({
      store: { kind: 'sqlite', file },
      quick: true,
      scale: { hotels: 5, bookings: 200 },
    });
    const clean = await runCli(['audit', '--file', file]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('audit: ok, zero drift');

    const db = new Database(file);
    db.prepare(
      "UPDATE calendar SET reserved = reserved + 1 WHERE hotel_id = 'h1' AND date = (SELECT min(date) FROM calendar)",
    ).run();
    db.close();
    const drifted = await runCli(['audit', '--file', file]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/audit: \d+ findings \(\d+ drift\)/);
  });

  it('audit of a missing file is one line and exit code 2', async () => {
    const result = await runCli(['audit', '--file', join(dir, 'missing.db')]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
  });
});
