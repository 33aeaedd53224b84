import { migrate as migratePostgres } from '@innkeeper/adapter-postgres';
import { migrate as migrateSqlite } from '@innkeeper/adapter-sqlite';
import { parseFlags } from '../cli-args.js';
import { openCheckedPool, redactUrl } from '../stores/postgres-pool.js';
import type { CommandContext } from './command-context.js';
import { DATABASE_FLAGS, type DatabaseTarget, databaseTarget } from './database-flags.js';

export const MIGRATE_HELP = `innkeeper migrate (--file <sqlite file> [--table-prefix <prefix>] | --url <postgres url> [--schema <name>]) [--json]
  Applies pending migrations (a new SQLite file is created) and prints the versions before and after.
  A SQLite file of a release before table prefixes has its tables renamed to the prefix first.`;

export interface MigrateReport {
  store: 'sqlite' | 'postgres';
  where: string;
  from: number;
  to: number;
  /** SQLite: the file's unprefixed tables (a release before table prefixes) were renamed. */
  legacyTablesRenamed: boolean;
}

/** Brings the schema up to date with each store's own `migrate`: safe to run while it is in use. */
export async function runMigrate(target: DatabaseTarget): Promise<MigrateReport> {
  if (target.kind === 'sqlite') {
    const { from, to, legacyTablesRenamed } = migrateSqlite(
      { filename: target.file },
      target.tablePrefix === undefined ? {} : { tablePrefix: target.tablePrefix },
    );
    return { store: 'sqlite', where: target.file, from, to, legacyTablesRenamed };
  }
  const pool = await openCheckedPool(target.url, 1);
  try {
    const result = await migratePostgres({ pool }, { schema: target.schema });
    return {
      store: 'postgres',
      where: `${redactUrl(target.url)} (schema ${target.schema})`,
      from: result.version - result.applied.length,
      to: result.version,
      legacyTablesRenamed: false,
    };
  } finally {
    await pool.end();
  }
}

export async function migrateCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('migrate', args, { ...DATABASE_FLAGS, json: { type: 'boolean' } });
  const report = await runMigrate(databaseTarget('migrate', values, { fileMustExist: false }));
  const renamed = report.legacyTablesRenamed ? ' (its unprefixed tables renamed)' : '';
  context.stdout.write(
    values.json
      ? `${JSON.stringify(report)}\n`
      : report.from === report.to
        ? `${report.where}: schema already at version ${report.to}${renamed}\n`
        : `${report.where}: migrated from version ${report.from} to ${report.to}${renamed}\n`,
  );
  return 0;
}
