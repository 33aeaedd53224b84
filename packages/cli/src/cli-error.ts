import { isInnkeeperError } from '@innkeeper/core';

/** A mistake on the command line: printed as one line with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Exit codes: 0 ok, 1 the command ran and found a problem (audit drift) or failed
 * (database unreachable, storage error), 2 bad usage, 130 interrupted by Ctrl-C.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** The one line printed for an error: the message, never a stack trace. */
export function errorLine(error: unknown): string {
  if (error instanceof UsageError) return `innkeeper: ${error.message} (see innkeeper --help)`;
  if (isInnkeeperError(error)) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `innkeeper: ${error.code}: ${firstLine(error.message)}${firstLine(cause)}`;
  }
  if (error instanceof Error) return `innkeeper: ${firstLine(error.message)}`;
  return `innkeeper: ${String(error)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
