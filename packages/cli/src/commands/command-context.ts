import type { ProgressSink } from '../progress-bar.js';

/** What a command may touch: its output streams and the Ctrl-C signal. */
export interface CommandContext {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  signal: AbortSignal;
}
