// Loaded with `node --import` (NODE_OPTIONS) in every process of the `sqlite` campaign, so
// that a child process a test forks (its `node` is Stryker's Node 22) loads better-sqlite3
// compiled for that Node from INNKEEPER_MUTATION_DRIVERS (see scripts/mutation.ts) instead
// of the workspace's copy, which is built for the workspace's Node. Vitest's own workers get
// the same redirection from the alias in vitest.config.ts.
import { register } from 'node:module';

const drivers = process.env.INNKEEPER_MUTATION_DRIVERS;
if (drivers) register('./drivers-hook-resolve.mjs', import.meta.url, { data: { drivers } });
