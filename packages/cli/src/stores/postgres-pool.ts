import pg from 'pg';

/** The bench's Postgres when neither `--url` nor DATABASE_URL says: the local test database. */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A pg pool for the cli, and a first query that proves the server answers: a wrong
 * host or port then fails once, quickly, with one clear message instead of from inside
 * the first of many concurrent calls.
 */
export async function openCheckedPool(url: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    application_name: 'innkeeper-cli',
  });
  // Idle clients that die would otherwise crash the process with an unhandled 'error'.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnreachableError(url, error);
  }
  return pool;
}

/** Postgres did not answer; the message names the server (never its password) and why. */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
  constructor(url: string, cause: unknown) {
    super(`cannot reach PostgreSQL at ${redactUrl(url)}: ${describe(cause)}`, { cause });
  }
}

/**
 * Whether the Postgres server a URL names runs on this machine (a loopback address,
 * `localhost` or a Unix socket), its backends then sharing this machine's CPUs with the
 * process that talks to it; `undefined` when the URL cannot be read.
 */
export function isLocalServer(url: string): boolean | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // libpq's `?host=` wins over the URL's host; no host at all means the local socket.
  const host = parsed.searchParams.get('host') ?? parsed.hostname;
  return (
    host === '' ||
    host.startsWith('/') ||
    host === 'localhost' ||
    host.startsWith('127.') ||
    host === '[::1]' ||
    host === '::1'
  );
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
