/**
 * The `innkeeper` command. Each subcommand parses its own flags and returns an exit
 * code; every error ends here as one line on stderr (no stack trace) and a non-zero exit.
 */
import { EXIT, errorLine, UsageError } from './cli-error.js';
import { AUDIT_HELP, auditCommand } from './commands/audit-command.js';
import { BENCH_HELP, benchCommand } from './commands/bench-command.js';
import type { CommandContext } from './commands/command-context.js';
import { DEMO_HELP, demoCommand } from './commands/demo-command.js';
import { MIGRATE_HELP, migrateCommand } from './commands/migrate-command.js';

const HELP = `Usage: innkeeper <command> [options]

Commands:
  demo     load a hotel chain and run a booking day against it, then print a report
  migrate  bring a SQLite file or a Postgres schema up to the current version
  audit    recompute reserved rooms from reservations; exit 1 on any drift
  bench    the stores side by side with their raw baselines; writes Markdown and JSON

${DEMO_HELP}

${MIGRATE_HELP}

${AUDIT_HELP}

${BENCH_HELP}

Exit codes: 0 ok, 1 failed (drift, unreachable database, storage error), 2 bad usage,
130 interrupted by Ctrl-C (the partial report is still printed).`;

type Command = (args: string[], context: CommandContext) => Promise<number>;

const commands: Record<string, Command> = {
  demo: demoCommand,
  migrate: migrateCommand,
  audit: auditCommand,
  bench: benchCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  const controller = new AbortController();
  // First Ctrl-C: stop issuing requests, let in-flight ones finish, report. Second: leave now.
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(
      '\ninterrupted: finishing in-flight requests (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await command(args, {
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${errorLine(error)}\n`);
    process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failed;
  },
);
