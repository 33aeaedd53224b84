/**
 * Progress on stderr while the demo loads and books. On a terminal it redraws one line
 * with `\r` a few times a second; anywhere else (CI logs, a pipe, a test) a redrawn line
 * would pile up as garbage, so it prints a plain line every few seconds instead.
 */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Where to draw; `null` draws nothing (tests, `--json` into a file is still fine on stderr). */
  sink: ProgressSink | null;
  /** Milliseconds between plain lines when the sink is not a terminal. Default 5000. */
  lineEveryMs?: number;
}

export class ProgressBar {
  private done = 0;
  private readonly started = performance.now();
  private lastDrawn = 0;
  private lastLine = 0;
  private detail: string | (() => string) = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly tty: boolean;
  private readonly lineEveryMs: number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
    private readonly options: ProgressOptions,
  ) {
    this.tty = options.sink?.isTTY === true;
    this.lineEveryMs = options.lineEveryMs ?? 5000;
    if (options.sink) {
      // Redraws on a timer, not per tick: ticks come tens of thousands of times a second.
      this.timer = setInterval(() => this.draw(false), this.tty ? 200 : 500);
      this.timer.unref();
    }
  }

  /** Adds `n` to the count: called per request, so it does nothing else. */
  tick(n = 1): void {
    this.done += n;
  }

  /**
   * What is shown after the rate (e.g. live counters). A function is called only when a
   * line is drawn, a few times a second, never per tick.
   */
  setDetail(detail: string | (() => string)): void {
    this.detail = detail;
  }

  /** Stops the timer without drawing (the phase failed: its error is the one line to show). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the timer and leaves a final line. */
  finish(note = ''): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.options.sink) return;
    this.draw(true, note);
  }

  private draw(final: boolean, note = ''): void {
    const sink = this.options.sink;
    if (!sink) return;
    const now = performance.now();
    if (!this.tty && !final && now - this.lastLine < this.lineEveryMs) return;
    this.lastLine = now;
    if (this.tty && !final && now - this.lastDrawn < 100) return;
    this.lastDrawn = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const counts = `${formatCount(this.done)}/${formatCount(this.total)} ${this.unit}`;
    const stats = `${formatCount(Math.round(rate))}/s ${seconds.toFixed(1)}s`;
    const detail = typeof this.detail === 'function' ? this.detail() : this.detail;
    const tail = [detail, note].filter(Boolean).join(' ');
    if (this.tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      const line = `${this.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${counts} ${stats} ${tail}`;
      sink.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    } else {
      sink.write(
        `${this.label}: ${(fraction * 100).toFixed(0)}% ${counts} ${stats}${tail ? ` ${tail}` : ''}\n`,
      );
    }
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
