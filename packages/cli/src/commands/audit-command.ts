import { createPostgresStore } from '@innkeeper/adapter-postgres';
import { createSqliteStore } from '@innkeeper/adapter-sqlite';
import { type AuditReport, createInnkeeper, type InnkeeperStore } from '@innkeeper/core';
import { parseFlags } from '../cli-args.js';
import { openCheckedPool } from '../stores/postgres-pool.js';
import type { CommandContext } from './command-context.js';
import { DATABASE_FLAGS, type DatabaseTarget, databaseTarget } from './database-flags.js';

export const AUDIT_HELP = `innkeeper audit (--file <sqlite file> [--table-prefix <prefix>] | --url <postgres url> [--schema <name>]) [--hotel <id>] [--json]
  Recomputes every calendar row's reserved rooms from the reservations; exits 1 on any finding.`;

/** How many findings the text summary lists; `--json` has them all. */
const LISTED = 20;

/**
 * Runs the store's audit. The SQLite file is opened read-only, so auditing never
 * migrates or otherwise changes the file it inspects.
 */
export async function runAudit(target: DatabaseTarget, hotelId?: string): Promise<AuditReport> {
  let store: InnkeeperStore;
  let closePool = async () => {};
  if (target.kind === 'sqlite') {
    store = createSqliteStore(
      { filename: target.file },
      {
        readonly: true,
        migrate: false,
        ...(target.tablePrefix === undefined ? {} : { tablePrefix: target.tablePrefix }),
      },
    );
  } else {
    const pool = await openCheckedPool(target.url, 2);
    closePool = () => pool.end();
    store = createPostgresStore({ pool }, { schema: target.schema });
  }
  const inn = createInnkeeper({ store });
  try {
    return await inn.audit(hotelId === undefined ? undefined : { hotelId });
  } finally {
    await inn.close();
    await closePool();
  }
}

export async function auditCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags('audit', args, {
    ...DATABASE_FLAGS,
    hotel: { type: 'string' },
    json: { type: 'boolean' },
  });
  const report = await runAudit(
    databaseTarget('audit', values, { fileMustExist: true }),
    values.hotel,
  );
  if (values.json) {
    context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const byProblem = new Map<string, number>();
    for (const f of report.findings) byProblem.set(f.problem, (byProblem.get(f.problem) ?? 0) + 1);
    const summary = [...byProblem].map(([problem, n]) => `${n} ${problem}`).join(', ');
    const lines = [
      `audit: ${report.rowsChecked.toLocaleString('en-US')} calendar rows, ${report.reservationsChecked.toLocaleString('en-US')} reservations checked`,
      report.ok
        ? 'audit: ok, zero drift'
        : `audit: ${report.findings.length} findings (${summary})`,
      ...report.findings
        .slice(0, LISTED)
        .map(
          (f) =>
            `  ${f.problem} ${f.hotelId}/${f.roomTypeId} ${f.date}: reserved ${f.reserved}, expected ${f.expected}, capacity ${f.capacity}`,
        ),
      ...(report.findings.length > LISTED
        ? [`  ... and ${report.findings.length - LISTED} more (--json lists all)`]
        : []),
    ];
    context.stdout.write(`${lines.join('\n')}\n`);
  }
  return report.ok ? 0 : 1;
}
