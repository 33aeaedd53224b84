import { existsSync } from 'node:fs';
import { postgresUrl } from '../cli-args.js';
import { UsageError } from '../cli-error.js';

/** The database an admin command (migrate, audit) works on. */
export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; tablePrefix: string | undefined }
  | { kind: 'postgres'; url: string; schema: string };

export const DATABASE_FLAGS = {
  file: { type: 'string' },
  url: { type: 'string' },
  schema: { type: 'string' },
  'table-prefix': { type: 'string' },
} as const;

/**
 * `--file <path>` names a SQLite file, with `--table-prefix` (default `innkeeper_`, the
 * store's default); otherwise `--url` (or DATABASE_URL) a Postgres database, with
 * `--schema` (default `innkeeper`, the store's default).
 */
export function databaseTarget(
  command: string,
  values: {
    file?: string | undefined;
    url?: string | undefined;
    schema?: string | undefined;
    'table-prefix'?: string | undefined;
  },
  options: { fileMustExist: boolean },
): DatabaseTarget {
  if (values.file !== undefined && values.url !== undefined) {
    throw new UsageError(`${command}: give --file (SQLite) or --url (Postgres), not both`);
  }
  if (values.file !== undefined) {
    if (values.schema !== undefined) throw new UsageError(`${command}: --schema is for Postgres`);
    if (options.fileMustExist && !existsSync(values.file)) {
      throw new UsageError(`${command}: no such SQLite file "${values.file}"`);
    }
    return { kind: 'sqlite', file: values.file, tablePrefix: values['table-prefix'] };
  }
  if (values['table-prefix'] !== undefined) {
    throw new UsageError(`${command}: --table-prefix is for SQLite (Postgres has --schema)`);
  }
  if (values.url === undefined && !process.env.DATABASE_URL) {
    throw new UsageError(`${command}: give --file <sqlite file> or --url <postgres url>`);
  }
  return { kind: 'postgres', url: postgresUrl(values.url), schema: values.schema ?? 'innkeeper' };
}
