/**
 * Keeps every sample (a Float64Array that doubles as it fills: 250k bookings are 2 MB)
 * rather than a histogram, so percentiles are exact and need no bucket tuning.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private size = 0;

  record(ms: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  /** p50, p95 and p99 in milliseconds (nearest rank); zeros when nothing was recorded. */
  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.size).sort();
    const at = (p: number) =>
      sorted.length === 0
        ? 0
        : round3(
            sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0,
          );
    return { count: this.size, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
