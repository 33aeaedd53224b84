import { expect, test } from 'vitest';
import manifest from '../package.json';

/**
 * Which pg these tests run against: the workspace's own, or the one
 * `INNKEEPER_DRIVERS_FROM` points at (CI's run against the oldest supported version).
 * Either way it must be a major the package declares as a peer.
 */
test('pg is a version the peer range declares', async () => {
  const { version } = (await import('pg/package.json')).default as { version: string };
  const range = manifest.peerDependencies.pg;
  const majors = [...range.matchAll(/\^(\d+)\./g)].map((m) => Number(m[1]));
  console.log(`pg ${version} (peer range ${range})`);
  expect(majors).toContain(Number(version.split('.')[0]));
  const expected = process.env.INNKEEPER_EXPECT_DRIVERS?.match(/(?:^|,)pg@([^,]+)/)?.[1];
  if (expected) expect(version).toBe(expected);
});
