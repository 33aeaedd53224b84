/**
 * The `innkeeper` bin: the command line (`runCommandLine`) on the process's streams,
 * with Ctrl-C turned into an abort signal. Every error is one line on stderr (no stack
 * trace) and a non-zero exit code.
 */
import { EXIT } from './cli-error.js';
import { runCommandLine } from './cli-main.js';

const controller = new AbortController();
// First Ctrl-C: stop issuing requests, let in-flight ones finish, report. Second: leave now.
const onSigint = () => {
  if (controller.signal.aborted) process.exit(EXIT.interrupted);
  process.stderr.write('\ninterrupted: finishing in-flight requests (Ctrl-C again to quit now)\n');
  controller.abort();
};
process.on('SIGINT', onSigint);
// SIGTERM (systemd, a container runtime) asks for the same clean stop as a first Ctrl-C.
const onSigterm = () => controller.abort();
process.on('SIGTERM', onSigterm);

runCommandLine(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then((code) => {
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  process.exitCode = code;
});
