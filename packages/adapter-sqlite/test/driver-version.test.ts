import { expect, test } from 'vitest';
import manifest from '../package.json';

/**
 * Which better-sqlite3 these tests run against: the workspace's own, or the one
 * `INNKEEPER_DRIVERS_FROM` points at (CI's run against the oldest supported version).
 * Either way it must be a major the package declares as a peer.
 */
test('better-sqlite3 is a version the peer range declares', async () => {
  const { version } = (await import('better-sqlite3/package.json')).default as { version: string };
  const range = manifest.peerDependencies['better-sqlite3'];
  const majors = [...range.matchAll(/\^(\d+)\./g)].map((m) => Number(m[1]));
  console.log(`better-sqlite3 ${version} (peer range ${range})`);
  expect(majors).toContain(Number(version.split('.')[0]));
  const expected = process.env.INNKEEPER_EXPECT_DRIVERS?.match(
    /(?:^|,)better-sqlite3@([^,]+)/,
  )?.[1];
  if (expected) expect(version).toBe(expected);
});
