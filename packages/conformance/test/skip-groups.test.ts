import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryStore } from '@innkeeper/adapter-memory';
import { describe, expect, test } from 'vitest';
import { conformanceGroupNames, runStoreConformance } from '../src/index.js';

/** A runner that records the suite's structure instead of running it. */
function recordGroups(skipGroups: string[]): string[] {
  const names: string[] = [];
  let depth = 0;
  runStoreConformance(
    {
      describe: (name, body) => {
        if (depth === 1) names.push(name);
        depth++;
        body();
        depth--;
      },
      test: () => {},
    },
    { createStore: () => createMemoryStore(), skipGroups },
  );
  return names;
}

describe('skipGroups', () => {
  test('conformanceGroupNames lists every group the suite runs', () => {
    expect(recordGroups([])).toEqual([...conformanceGroupNames]);
    expect(conformanceGroupNames).toContain('interleavings');
  });

  test('a named group is left out, the others still run', () => {
    const names = recordGroups(['interleavings']);
    expect(names).not.toContain('interleavings');
    expect(names).toHaveLength(conformanceGroupNames.length - 1);
  });

  test('an unknown group name is an error naming the real ones', () => {
    expect(() => recordGroups(['interleaving'])).toThrow(
      /unknown skipGroups 'interleaving'.*'interleavings'/,
    );
  });
});

test('docs/store-port.md lists every group skipGroups accepts', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../../docs/store-port.md'), 'utf8');
  const listed = doc.slice(doc.indexOf('`skipGroups` takes group names'));
  for (const name of conformanceGroupNames) expect(listed).toContain(`\`${name}\``);
});
