import type { ArchiveFile, ArchiveFileKind } from './archive-records.js';

/**
 * # Cold storage: the archive sink port
 *
 * Where archived records go. `createFileArchiveSink` is the default (gzip NDJSON files in
 * a directory, partitioned by hotel and month, with a manifest); anything that can write
 * a file durably and read it back can implement this (docs/archive.md shows one over S3).
 *
 * The archiver relies on these promises:
 * - `write` returns only once the file is durable (flushed to stable storage) and was
 *   read back and verified against the count and checksum it returns, and its manifest
 *   entry is recorded with `committed: false`;
 * - `rewrite` replaces a file by one holding only some of its records with the same
 *   care (the new file is durable and verified before the old one goes), or removes it
 *   when none are kept;
 * - every call is safe to repeat after a crash at any point.
 */
export interface ArchiveSink {
  /** Writes `records` (one JSON document each) as a new file of `kind` for the partition. */
  write(file: {
    kind: ArchiveFileKind;
    hotelId: string;
    month: string;
    records: readonly unknown[];
    writtenAt: string;
  }): Promise<ArchiveFile>;
  /** The records of a file, verified against its manifest entry (count and checksum). */
  read(path: string): Promise<unknown[]>;
  /**
   * Rewrites the file with each record replaced by what `edit` returns for it, and left
   * out where that is `null` (settling keeps what left the store; erasing a guest replaces
   * their reservations): a new verified file in its place (its entry returned,
   * uncommitted), or none when no record is left (`null`).
   */
  rewrite(path: string, edit: (record: unknown) => unknown): Promise<ArchiveFile | null>;
  /** Marks a file committed: what it holds is archived and out of the store. */
  commit(path: string): Promise<void>;
  /** Every file of the manifest (of `hotelId` only, when given), oldest first. */
  files(query?: { hotelId?: string }): Promise<ArchiveFile[]>;
}
