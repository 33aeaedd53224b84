/**
 * The `innkeeper` command line as a function: parses the subcommand, runs it and turns
 * every error into one line on `stderr` (no stack trace) and an exit code. The bin
 * (`cli.ts`) calls it with the process's streams and a Ctrl-C signal; tests call it with
 * strings, without spawning a process.
 */
import { EXIT, errorLine, UsageError } from './cli-error.js';
import { CLI_VERSION } from './cli-version.js';
import { ARCHIVE_HELP, archiveCommand } from './commands/archive-command.js';
import { AUDIT_HELP, auditCommand } from './commands/audit-command.js';
import { BENCH_HELP, benchCommand } from './commands/bench-command.js';
import type { CommandContext } from './commands/command-context.js';
import { DEMO_HELP, demoCommand } from './commands/demo-command.js';
import { ERASE_GUEST_HELP, eraseGuestCommand } from './commands/erase-guest-command.js';
import { MIGRATE_HELP, migrateCommand } from './commands/migrate-command.js';
import { WORKER_HELP, workerCommand } from './commands/worker-command.js';

export const HELP = `Usage: innkeeper <command> [options]
       innkeeper <command> --help    one command's options
       innkeeper --version           the installed version

Commands:
  demo     load a hotel chain and run a booking day against it, then print a report
  migrate  bring a SQLite file or a Postgres schema up to the current version
  audit    recompute reserved rooms from reservations; exit 1 on any drift
  archive  move finished reservations and past calendar rows to gzip NDJSON files
  erase-guest  erase a guest's personal data from the database and the archive
  bench    the stores side by side with their raw baselines; writes Markdown and JSON
  worker   run the maintenance jobs (holds, payments, no-shows) until SIGTERM

${DEMO_HELP}

${MIGRATE_HELP}

${AUDIT_HELP}

${ARCHIVE_HELP}

${ERASE_GUEST_HELP}

${BENCH_HELP}

${WORKER_HELP}

Exit codes: 0 ok, 1 failed (drift, unreachable database, storage error), 2 bad usage,
130 interrupted by Ctrl-C (the partial report is still printed; the worker exits 0 on
SIGTERM or Ctrl-C, its normal way to stop).`;

type Command = (args: string[], context: CommandContext) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  demo: { run: demoCommand, help: DEMO_HELP },
  migrate: { run: migrateCommand, help: MIGRATE_HELP },
  audit: { run: auditCommand, help: AUDIT_HELP },
  archive: { run: archiveCommand, help: ARCHIVE_HELP },
  'erase-guest': { run: eraseGuestCommand, help: ERASE_GUEST_HELP },
  bench: { run: benchCommand, help: BENCH_HELP },
  worker: { run: workerCommand, help: WORKER_HELP },
};

const isHelpFlag = (arg: string) => arg === '--help' || arg === '-h';

/** Runs `innkeeper <argv...>`; resolves to the exit code, never rejects. */
export async function runCommandLine(argv: string[], context: CommandContext): Promise<number> {
  try {
    const [name, ...args] = argv;
    if (name === undefined || isHelpFlag(name) || name === 'help') {
      context.stdout.write(`${HELP}\n`);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      context.stdout.write(`${CLI_VERSION}\n`);
      return EXIT.ok;
    }
    const command = commands[name];
    if (!command) throw new UsageError(`unknown command "${name}" (innkeeper --help lists them)`);
    // `--help` anywhere among a command's flags wins over the others, even invalid ones:
    // someone asking how to call a command should not get an error about how they called it.
    if (args.some(isHelpFlag)) {
      context.stdout.write(`${command.help}\n`);
      return EXIT.ok;
    }
    return await command.run(args, context);
  } catch (error) {
    context.stderr.write(`${errorLine(error)}\n`);
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
}
