import { createHash } from 'node:crypto';
import { storageError } from '../errors.js';
import { archivePathFor } from './archive-paths.js';
import type { ArchiveFile } from './archive-records.js';
import type { ArchiveSink } from './archive-sink.js';

/**
 * An archive sink in memory: the records kept as JSON text, with the same manifest
 * entries as the file sink (the checksum is of the NDJSON text, uncompressed). For tests
 * and for an engine on the memory store; it keeps nothing across a restart.
 */
export function createMemoryArchiveSink(): ArchiveSink {
  const files = new Map<string, { entry: ArchiveFile; lines: string[] }>();

  const stored = (path: string) => {
    const file = files.get(path);
    if (!file) throw storageError('archive', new Error(`No archive file ${path}`));
    return file;
  };
  const entryOf = (entry: Omit<ArchiveFile, 'count' | 'bytes' | 'sha256'>, lines: string[]) => {
    const text = lines.map((line) => `${line}\n`).join('');
    return {
      ...entry,
      count: lines.length,
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    };
  };

  return {
    async write({ kind, hotelId, month, records, writtenAt }) {
      const path = archivePathFor({ kind, hotelId, month, writtenAt });
      const lines = records.map((record) => JSON.stringify(record));
      const entry = entryOf({ path, kind, hotelId, month, writtenAt, committed: false }, lines);
      files.set(path, { entry, lines });
      return { ...entry };
    },
    async read(path) {
      return stored(path).lines.map((line) => JSON.parse(line) as unknown);
    },
    async rewrite(path, edit) {
      const { entry, lines } = stored(path);
      const kept = lines
        .map((line) => edit(JSON.parse(line)))
        .filter((record) => record !== null)
        .map((record) => JSON.stringify(record));
      if (kept.length === 0) {
        files.delete(path);
        return null;
      }
      const next = entryOf({ ...entry, committed: false }, kept);
      files.set(path, { entry: next, lines: kept });
      return { ...next };
    },
    async commit(path) {
      const file = stored(path);
      file.entry = { ...file.entry, committed: true };
    },
    async files(query) {
      return [...files.values()]
        .map(({ entry }) => ({ ...entry }))
        .filter((entry) => query?.hotelId === undefined || entry.hotelId === query.hotelId)
        .sort((a, b) => (a.writtenAt < b.writtenAt ? -1 : a.writtenAt > b.writtenAt ? 1 : 0));
    },
  };
}
