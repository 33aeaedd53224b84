import { randomUUID } from 'node:crypto';
import type { ArchiveFileKind } from './archive-records.js';

/**
 * Where a file goes in a sink: Hive-style partitions (`hotel=<id>/month=<YYYY-MM>/`), so
 * DuckDB, Spark or a warehouse's external table read the hotel and month as columns
 * straight from the path, and a query for one hotel or month opens only its files.
 */
export function archivePathFor(file: {
  kind: ArchiveFileKind;
  hotelId: string;
  month: string;
  writtenAt: string;
}): string {
  // Hotel ids are 1–64 of `[A-Za-z0-9_.:-]`: only `:` needs escaping in a file name.
  const hotel = encodeURIComponent(file.hotelId);
  const stamp = file.writtenAt.replace(/[-:.]/g, '');
  return `hotel=${hotel}/month=${file.month}/${file.kind}-${stamp}-${randomUUID().slice(0, 8)}.ndjson.gz`;
}
