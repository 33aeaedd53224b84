import type { InnkeeperLogger } from '@innkeeper/core';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One JSON object per line, in pino's shape (`level`, `time`, `msg`, then the fields), so a
 * log shipper that reads pino reads the worker too. Lines below `level` are dropped. The
 * fields are what the engine and the worker log: identifiers and counts, never a guest's
 * personal data (the engine's logging never hands any to a logger).
 */
export function jsonLinesLogger(
  out: { write(text: string): unknown },
  level: LogLevel,
  now: () => Date = () => new Date(),
): InnkeeperLogger {
  const threshold = LOG_LEVELS.indexOf(level);
  const line =
    (name: Exclude<LogLevel, 'silent'>) =>
    (fields: object, message: string): void => {
      if (LOG_LEVELS.indexOf(name) < threshold) return;
      out.write(
        `${JSON.stringify({ level: name, time: now().toISOString(), msg: message, ...fields })}\n`,
      );
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
