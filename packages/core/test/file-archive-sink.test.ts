import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { ARCHIVE_MANIFEST, createFileArchiveSink } from '../src/index.js';

const AT = '2026-04-02T10:00:00.000Z';
const directories: string[] = [];

function sinkDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'innkeeper-archive-'));
  directories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

const records = [
  { id: 'r1', total: 100 },
  { id: 'r2', total: 200 },
  { id: 'r3', total: 300 },
];

function write(directory: string) {
  return createFileArchiveSink({ directory }).write({
    kind: 'reservations',
    hotelId: 'h:1',
    month: '2026-01',
    records,
    writtenAt: AT,
  });
}

/** Every file under `directory`, relative, sorted. */
function filesUnder(directory: string): string[] {
  return (readdirSync(directory, { recursive: true }) as string[])
    .filter((name) => name.includes('.'))
    .sort();
}

describe('createFileArchiveSink', () => {
  test('write: a gzip NDJSON file under hotel=/month=, verified, recorded in the manifest uncommitted', async () => {
    const directory = sinkDirectory();
    const entry = await write(directory);
    expect(entry.path).toMatch(
      /^hotel=h%3A1\/month=2026-01\/reservations-20260402T100000000Z-[0-9a-f]{8}\.ndjson\.gz$/,
    );
    const bytes = readFileSync(join(directory, entry.path));
    expect(entry).toEqual({
      path: entry.path,
      kind: 'reservations',
      hotelId: 'h:1',
      month: '2026-01',
      count: 3,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      writtenAt: AT,
      committed: false,
    });
    const lines = gunzipSync(bytes).toString('utf8').split('\n');
    expect(lines.slice(0, 3).map((line) => JSON.parse(line))).toEqual(records);
    expect(lines[3]).toBe('');
    expect(filesUnder(directory)).toEqual([ARCHIVE_MANIFEST, entry.path].sort());
    expect(await createFileArchiveSink({ directory }).files()).toEqual([entry]);
  });

  test('commit, read back by a new sink on the same directory; a committed file that changed on disk is a STORAGE error', async () => {
    const directory = sinkDirectory();
    const entry = await write(directory);
    await createFileArchiveSink({ directory }).commit(entry.path);
    const sink = createFileArchiveSink({ directory });
    expect(await sink.files({ hotelId: 'h:1' })).toEqual([{ ...entry, committed: true }]);
    expect(await sink.files({ hotelId: 'other' })).toEqual([]);
    expect(await sink.read(entry.path)).toEqual(records);
    writeFileSync(
      join(directory, entry.path),
      readFileSync(join(directory, entry.path)).subarray(0, 20),
    );
    await expect(sink.read(entry.path)).rejects.toMatchObject({ code: 'STORAGE' });
    await expect(sink.read('hotel=x/none.ndjson.gz')).rejects.toMatchObject({ code: 'STORAGE' });
  });

  test('rewrite keeps or replaces records at the same path (uncommitted again); keeping none deletes the file and its entry', async () => {
    const directory = sinkDirectory();
    const sink = createFileArchiveSink({ directory });
    const entry = await write(directory);
    await sink.commit(entry.path);
    const kept = await sink.rewrite(entry.path, (r) =>
      (r as { id: string }).id !== 'r2' ? r : null,
    );
    expect(kept).toMatchObject({ path: entry.path, count: 2, committed: false });
    expect(await sink.read(entry.path)).toEqual([records[0], records[2]]);
    // An edit replaces records in place (erasing a guest does this).
    const edited = await sink.rewrite(entry.path, (r) =>
      (r as { id: string }).id === 'r1' ? { ...(r as object), erased: true } : r,
    );
    expect(edited).toMatchObject({ path: entry.path, count: 2, committed: false });
    expect(await sink.read(entry.path)).toEqual([
      { ...(records[0] as object), erased: true },
      records[2],
    ]);
    expect(await sink.rewrite(entry.path, () => null)).toBeNull();
    expect(await sink.files()).toEqual([]);
    expect(filesUnder(directory)).toEqual([ARCHIVE_MANIFEST]);
  });

  test('a manifest line cut short by a crash is ignored; an uncommitted file deleted before its entry was read as empty', async () => {
    const directory = sinkDirectory();
    const sink = createFileArchiveSink({ directory });
    const entry = await write(directory);
    appendFileSync(join(directory, ARCHIVE_MANIFEST), '{"path":"hotel=h1/x.ndjson.gz","ki');
    expect(await sink.files()).toEqual([entry]);
    // A rewrite that deleted the file and stopped before marking it removed.
    rmSync(join(directory, entry.path));
    expect(await sink.read(entry.path)).toEqual([]);
    expect(await sink.rewrite(entry.path, (r) => r)).toBeNull();
    expect(await sink.files()).toEqual([]);
  });
});
