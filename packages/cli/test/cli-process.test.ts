import { describe, expect, it } from 'vitest';
import { startCli } from './run-cli.js';

/**
 * The bin as a user runs it, in a child process: only what needs a real process (the
 * SIGINT handler, the exit code, what reaches the real stderr). Every other command-line
 * case runs in process through `runCommandLine` (cli-commands.test.ts), which is what
 * the bin calls.
 */
describe('innkeeper (the bin, run as a child process)', () => {
  it('demo on Ctrl-C stops, waits for in-flight requests and prints the partial report (exit 130)', async () => {
    const { child, done } = startCli([
      'demo',
      '--store',
      'memory',
      '--quick',
      '--hotels',
      '10',
      '--bookings',
      '10000000',
    ]);
    let sent = false;
    // Interrupt shortly after the load's final progress line: the booking day starts right
    // after it (off a terminal, the booking bar draws its first line only after 5 s).
    // The fallback only guards a hung start.
    const interrupt = () => {
      if (!sent) child.kill('SIGINT');
      sent = true;
    };
    const fallback = setTimeout(interrupt, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('loading: 100%')) setTimeout(interrupt, 500);
    });
    const result = await done;
    clearTimeout(fallback);
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('INTERRUPTED during booking');
    expect(result.stdout).toContain('audit         ok, zero drift');
    expect(result.stdout).toContain('(adds up)');
    expect(result.stdout).toContain('(matches the reservations)');
    expect(result.stderr).toContain('interrupted: finishing in-flight requests');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('rejects an unknown flag with one line on stderr, no stack trace, and exit code 2', async () => {
    const result = await startCli(['demo', '--bogus']).done;
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).toContain("Unknown option '--bogus'");
    expect(result.stdout).toBe('');
  });
});
