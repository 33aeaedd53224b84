import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { storageError } from '../errors.js';
import { archivePathFor } from './archive-paths.js';
import { type ArchiveFile, archiveFileSchema } from './archive-records.js';
import type { ArchiveSink } from './archive-sink.js';

/** The manifest's file name in the sink's directory: one JSON line per change of a file. */
export const ARCHIVE_MANIFEST = 'manifest.ndjson';

/**
 * The default cold storage: gzip-compressed NDJSON files in a directory, partitioned by
 * hotel and month (`hotel=h1/month=2026-01/reservations-….ndjson.gz`), and a manifest
 * (`manifest.ndjson`) with each file's count, size and SHA-256.
 *
 * Why gzip NDJSON: every tool reads it without code (`duckdb -c "SELECT … FROM
 * read_json_auto('archive/**\/*.ndjson.gz', hive_partitioning = true)"`, BigQuery,
 * Snowflake, ClickHouse, `zcat | jq`), it keeps the reservation's nested shape exactly as
 * `getReservation` returns it, and Node writes it with its own zlib: no dependency.
 *
 * Durability: a file is written to `<name>.tmp`, flushed (`fsync`), renamed into place,
 * its directory flushed, then read back and checked (count and checksum) before its
 * manifest line is appended and flushed. A rewrite replaces the file the same way
 * (rename is atomic), so a reader sees the old file or the new one, never a torn one.
 * A file whose rewrite leaves nothing is deleted first, then marked removed.
 */
export function createFileArchiveSink(options: { directory: string }): ArchiveSink {
  const root = options.directory;
  const manifestPath = join(root, ARCHIVE_MANIFEST);

  async function manifest(): Promise<Map<string, ArchiveFile>> {
    const latest = new Map<string, ArchiveFile>();
    let text = '';
    try {
      text = await fs.readFile(manifestPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      // A line cut short by a crash while appending is the last one: it never happened.
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const removed = (parsed as { removed?: unknown }).removed === true;
      const path = (parsed as { path?: unknown }).path;
      if (removed && typeof path === 'string') latest.delete(path);
      else {
        const entry = archiveFileSchema.safeParse(parsed);
        if (entry.success) latest.set(entry.data.path, entry.data);
      }
    }
    return latest;
  }

  async function record(line: object): Promise<void> {
    await fs.mkdir(root, { recursive: true });
    const handle = await fs.open(manifestPath, 'a');
    try {
      // The leading newline ends a line a crash may have cut short, so it cannot swallow
      // this one (blank lines are skipped when reading).
      await handle.appendFile(`\n${JSON.stringify(line)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Writes `lines` durably at `path` (atomically replacing what was there), verified. */
  async function put(path: string, lines: string[]) {
    const target = join(root, path);
    const bytes = gzipSync(lines.map((line) => `${line}\n`).join(''));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await fs.mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.tmp`;
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, target);
    await syncDirectory(dirname(target));
    const back = await fs.readFile(target);
    const found = parseLines(back);
    const backSha = createHash('sha256').update(back).digest('hex');
    if (backSha !== sha256 || found.length !== lines.length) {
      throw storageError('archive', new Error(`Archive file ${path} did not read back as written`));
    }
    return { count: lines.length, bytes: bytes.length, sha256 };
  }

  async function entryOf(path: string): Promise<ArchiveFile> {
    const entry = (await manifest()).get(path);
    if (!entry) throw storageError('archive', new Error(`No archive file ${path} in the manifest`));
    return entry;
  }

  return {
    async write({ kind, hotelId, month, records, writtenAt }) {
      const path = archivePathFor({ kind, hotelId, month, writtenAt });
      const written = await put(
        path,
        records.map((record) => JSON.stringify(record)),
      );
      const entry: ArchiveFile = {
        path,
        kind,
        hotelId,
        month,
        writtenAt,
        committed: false,
        ...written,
      };
      await record(entry);
      return entry;
    },

    async read(path) {
      const entry = await entryOf(path);
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(join(root, path));
      } catch (error) {
        // An uncommitted file may be gone: its rewrite deleted it and then stopped.
        if (!entry.committed && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw storageError('archive', error);
      }
      // A committed file must be exactly what its manifest says. An uncommitted one may be
      // mid-rewrite (renamed, its new line not yet appended): it is settled from its content.
      const sha = createHash('sha256').update(bytes).digest('hex');
      const failed = () =>
        storageError('archive', new Error(`Archive file ${path} fails its manifest check`));
      if (entry.committed && sha !== entry.sha256) throw failed();
      let records: unknown[];
      try {
        records = parseLines(bytes);
      } catch (error) {
        throw storageError('archive', error);
      }
      if (entry.committed && records.length !== entry.count) throw failed();
      return records;
    },

    async rewrite(path, edit) {
      const entry = await entryOf(path);
      const records = await this.read(path);
      const kept = records
        .map(edit)
        .filter((record) => record !== null)
        .map((record) => JSON.stringify(record));
      if (kept.length === 0) {
        await fs.rm(join(root, path), { force: true });
        await syncDirectory(dirname(join(root, path)));
        await record({ path, removed: true });
        return null;
      }
      const next: ArchiveFile = { ...entry, committed: false, ...(await put(path, kept)) };
      await record(next);
      return next;
    },

    async commit(path) {
      const entry = await entryOf(path);
      if (!entry.committed) await record({ ...entry, committed: true });
    },

    async files(query) {
      return [...(await manifest()).values()]
        .filter((entry) => query?.hotelId === undefined || entry.hotelId === query.hotelId)
        .sort((a, b) => (a.writtenAt < b.writtenAt ? -1 : a.writtenAt > b.writtenAt ? 1 : 0));
    },
  };
}

function parseLines(bytes: Buffer): unknown[] {
  return gunzipSync(bytes)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** Flushes a directory's entries (a rename or unlink in it) to stable storage. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
