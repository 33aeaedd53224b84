/** What every loader is given: somewhere to report rows written, and a way to be stopped. */
export interface LoadContext {
  /** Called after each batch with the number of calendar rows just written. */
  onRows: (rows: number) => void;
  /** When aborted, the loader stops after its current batch and returns what it has. */
  signal?: AbortSignal | undefined;
}

/**
 * Lets timers (the progress bar) and signal handlers (Ctrl-C) run between synchronous
 * batches; without it a SQLite load would hold the event loop for a minute.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Times the phases of a load: `lap(name)` closes the phase that ran since the last lap. */
export function phaseTimer(): {
  lap(phase: string): void;
  phases: { phase: string; seconds: number }[];
} {
  const phases: { phase: string; seconds: number }[] = [];
  let last = performance.now();
  return {
    phases,
    lap(phase) {
      const now = performance.now();
      phases.push({ phase, seconds: Math.round(now - last) / 1000 });
      last = now;
    },
  };
}
