import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommandLine, runDemo } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'innkeeper-cli-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `innkeeper <args>` in this process, as the bin runs it, with its output captured. */
async function innkeeper(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCommandLine(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('innkeeper command line (in process, through runCommandLine)', () => {
  it('prints the help and exits 0 with --help, 2 with no command', async () => {
    const help = await innkeeper(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: innkeeper <command>');
    expect((await innkeeper([])).code).toBe(2);
  });

  it('prints the package version with --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const result = await innkeeper([flag]);
      expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it.each([
    ['demo', 'innkeeper demo'],
    ['migrate', 'innkeeper migrate'],
    ['audit', 'innkeeper audit'],
    ['archive', 'innkeeper archive'],
    ['erase-guest', 'innkeeper erase-guest'],
    ['bench', 'innkeeper bench'],
  ])(
    'innkeeper %s --help prints that command’s options and exits 0, running nothing',
    async (name, usage) => {
      // `--bogus` would be a usage error: asking for help wins over every other flag.
      for (const args of [
        [name, '--help'],
        [name, '-h'],
        [name, '--bogus', '--help'],
      ]) {
        const result = await innkeeper(args);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout.startsWith(usage)).toBe(true);
        expect(result.stdout).not.toContain('Commands:');
      }
    },
  );

  it('rejects an unknown command, an unknown flag and a bad --store value with one line and exit code 2', async () => {
    const command = await innkeeper(['serve']);
    expect(command.code).toBe(2);
    expectOneLine(command.stderr);
    expect(command.stderr).toContain('unknown command "serve"');

    const flag = await innkeeper(['demo', '--bogus']);
    expect(flag.code).toBe(2);
    expectOneLine(flag.stderr);
    expect(flag.stderr).toContain("Unknown option '--bogus'");

    const store = await innkeeper(['demo', '--store', 'mongo']);
    expect(store.code).toBe(2);
    expectOneLine(store.stderr);
    expect(store.stderr).toContain('--store must be one of memory, sqlite, postgres');

    const number = await innkeeper(['demo', '--bookings', 'many']);
    expect(number.code).toBe(2);
    expectOneLine(number.stderr);
    expect(number.stderr).toContain('--bookings must be a whole number');
  });

  it('reports an unreachable Postgres URL in one line, password hidden, and exits 1', async () => {
    const result = await innkeeper([
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
    const first = await innkeeper(['migrate', '--file', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/migrated from version 0 to \d+/);
    const again = await innkeeper(['migrate', '--file', file, '--json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.from).toBe(report.to);
  });

  it('migrate takes over a file of the release before table prefixes, and says so', async () => {
    const file = join(dir, 'legacy.db');
    const fixture = join(here, '../../adapter-sqlite/test/fixtures/legacy-v2.db');
    copyFileSync(fixture, file);
    const taken = await innkeeper(['migrate', '--file', file]);
    expect(taken.code).toBe(0);
    expect(taken.stdout).toContain('(its unprefixed tables renamed)');
    const again = await innkeeper(['migrate', '--file', file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ legacyTablesRenamed: false });
    expect((await innkeeper(['audit', '--file', file])).stdout).toContain('audit: ok');
  });

  it('--table-prefix picks the SQLite store sharing a file; it is refused for Postgres', async () => {
    const file = join(dir, 'prefixed.db');
    const migrated = await innkeeper(['migrate', '--file', file, '--table-prefix', 'app_inn_']);
    expect(migrated.code).toBe(0);
    const db = new Database(file);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%calendar'")
      .pluck()
      .all();
    db.close();
    expect(tables).toEqual(['app_inn_calendar']);
    const audit = await innkeeper(['audit', '--file', file, '--table-prefix', 'app_inn_']);
    expect(audit.stdout).toContain('audit: ok');
    const refused = await innkeeper([
      'migrate',
      '--url',
      'postgres://x@127.0.0.1:1/y',
      '--table-prefix',
      'p_',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--table-prefix is for SQLite');
  });

  it('audit on a demo file reports zero drift, and exits 1 once a row is tampered with', async () => {
    const file = join(dir, 'audit.db');
    await runDemo({
      store: { kind: 'sqlite', file },
      quick: true,
      scale: { hotels: 5, bookings: 200 },
    });
    const clean = await innkeeper(['audit', '--file', file]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('audit: ok, zero drift');

    const db = new Database(file);
    db.prepare(
      "UPDATE innkeeper_calendar SET reserved = reserved + 1 WHERE hotel_id = 'h1' AND date = (SELECT min(date) FROM innkeeper_calendar)",
    ).run();
    db.close();
    const drifted = await innkeeper(['audit', '--file', file]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/audit: \d+ findings \(\d+ drift\)/);
  });

  it('archive on a demo file moves the finished stays of its first days into gzip NDJSON files; the audit stays clean; a second run moves nothing', async () => {
    const file = join(dir, 'archive.db');
    const to = join(dir, 'archive');
    await runDemo({
      store: { kind: 'sqlite', file },
      quick: true,
      scale: { hotels: 5, bookings: 300 },
    });
    const finishedBy = (date: string) => {
      const db = new Database(file, { readonly: true });
      const { n } = db
        .prepare(
          `SELECT count(*) AS n FROM innkeeper_reservations WHERE check_out <= ?
             AND status IN ('checked-out', 'cancelled', 'expired', 'no-show')
             AND payment_pending IS NULL`,
        )
        .get(date) as { n: number };
      db.close();
      return n;
    };
    // The demo's year starts next 1 January: archive as of 100 days in, cut-off day 10.
    const start = `${new Date().getUTCFullYear() + 1}-01-01`;
    const asOf = `${start.slice(0, 4)}-04-11`;
    const due = finishedBy(`${start.slice(0, 4)}-01-11`);
    expect(due).toBeGreaterThan(0);
    const run = await innkeeper(['archive', '--file', file, '--to', to, '--as-of', asOf, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ran: true, hotels: 5, reservations: due, kept: 0, settled: 0 });
    expect(report.calendarDays).toBeGreaterThan(0);
    expect(finishedBy(`${start.slice(0, 4)}-01-11`)).toBe(0);
    const manifest = readFileSync(join(to, 'manifest.ndjson'), 'utf8');
    expect(manifest).toContain('"committed":true');
    expect((await innkeeper(['audit', '--file', file])).stdout).toContain('audit: ok');
    const again = await innkeeper(['archive', '--file', file, '--to', to, '--as-of', asOf]);
    expect(again.stdout).toMatch(
      /^archive: 0 reservations and 0 calendar rows of 5 hotels moved into 0 files/,
    );
    const bad = await innkeeper(['archive', '--file', file, '--to', to, '--as-of', 'soon']);
    expect(bad.code).toBe(2);
    expectOneLine(bad.stderr);
  });

  it('two archivers at once on one file: the worker lock lets one run at a time, and every stay is archived once', async () => {
    const file = join(dir, 'archive-twice.db');
    const to = join(dir, 'archive-twice');
    await runDemo({
      store: { kind: 'sqlite', file },
      quick: true,
      scale: { hotels: 5, bookings: 300 },
    });
    const asOf = `${new Date().getUTCFullYear() + 1}-04-11`;
    const runs = await Promise.all(
      [1, 2].map(() =>
        innkeeper(['archive', '--file', file, '--to', to, '--as-of', asOf, '--json']),
      ),
    );
    const reports = runs.map(
      (run) => JSON.parse(run.stdout) as { ran: boolean; reservations: number },
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expect(reports.some((r) => r.ran)).toBe(true);
    // Whoever ran, the files hold each archived reservation once.
    const { execFileSync } = await import('node:child_process');
    const ids = execFileSync('sh', ['-c', `zcat ${to}/*/*/reservations-*.ndjson.gz`])
      .toString()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(reports.reduce((n, r) => n + r.reservations, 0));
    expect((await innkeeper(['audit', '--file', file])).stdout).toContain('audit: ok');
  });

  it('erase-guest on a demo file erases a guest in the database and in the archive files; a second run finds nothing; bad flags are usage errors', async () => {
    const file = join(dir, 'erase.db');
    const to = join(dir, 'erase-archive');
    await runDemo({
      store: { kind: 'sqlite', file },
      quick: true,
      scale: { hotels: 5, bookings: 300 },
    });
    const asOf = `${new Date().getUTCFullYear() + 1}-04-11`;
    expect((await innkeeper(['archive', '--file', file, '--to', to, '--as-of', asOf])).code).toBe(
      0,
    );
    // A guest with archived stays (and whatever is still in the database).
    const db = new Database(file, { readonly: true });
    const { email } = db
      .prepare(
        `SELECT guest_email AS email FROM innkeeper_archived_reservations
         GROUP BY guest_email ORDER BY count(*) DESC, guest_email LIMIT 1`,
      )
      .get() as { email: string };
    const hot = (
      db
        .prepare('SELECT count(*) AS n FROM innkeeper_reservations WHERE guest_email = ?')
        .get(email) as {
        n: number;
      }
    ).n;
    db.close();

    const withoutArchive = await innkeeper(['erase-guest', '--file', file, '--email', email]);
    expect(withoutArchive.code).toBe(1);
    expectOneLine(withoutArchive.stderr);
    expect(withoutArchive.stderr).toContain('archive');

    const run = await innkeeper([
      'erase-guest',
      '--file',
      file,
      '--email',
      email,
      '--archive',
      to,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.reservations.erased).toHaveLength(hot);
    expect(report.archived.erased.length).toBeGreaterThan(0);
    const { execFileSync } = await import('node:child_process');
    const files = execFileSync('sh', ['-c', `zcat ${to}/*/*/reservations-*.ndjson.gz`]).toString();
    expect(files).not.toContain(email);
    const after = new Database(file, { readonly: true });
    for (const table of ['innkeeper_reservations', 'innkeeper_archived_reservations']) {
      const { n } = after
        .prepare(`SELECT count(*) AS n FROM ${table} WHERE guest_email = ?`)
        .get(email) as { n: number };
      expect(n).toBe(0);
    }
    after.close();
    const again = await innkeeper([
      'erase-guest',
      '--file',
      file,
      '--email',
      email,
      '--archive',
      to,
    ]);
    expect(again.stdout).toBe(
      'erase-guest: 0 reservations erased in the database, 0 archived reservations erased in 0 files\n',
    );
    expect((await innkeeper(['audit', '--file', file])).stdout).toContain('audit: ok');
    for (const args of [[], ['--email', email, '--reservation', 'r1']]) {
      const bad = await innkeeper(['erase-guest', '--file', file, ...args]);
      expect(bad.code).toBe(2);
      expectOneLine(bad.stderr);
    }
  });

  it('audit of a missing file is one line and exit code 2', async () => {
    const result = await innkeeper(['audit', '--file', join(dir, 'missing.db')]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
  });
});
