import { expect, test } from 'vitest';
import { main } from '../../../examples/quickstart.js';
import { createSqliteStore } from '../src/index.js';

// `pnpm example` runs the quickstart on SQLite by default: the same tour must hold there.
test('examples/quickstart.ts main() gives the same summary on the SQLite store', async () => {
  const store = createSqliteStore({ filename: ':memory:' });
  try {
    const summary = await main(() => {}, store);
    expect(summary.booking).toEqual({ id: 'res-1', total: 84_000, retriedId: 'res-1' });
    expect(summary.pages).toEqual([['res-4 cancelled', 'res-3 confirmed'], ['res-1 confirmed']]);
    expect(summary.audit).toEqual({ ok: true, findings: 0 });
    expect(summary.events).toHaveLength(13);
  } finally {
    await store.close();
  }
});
