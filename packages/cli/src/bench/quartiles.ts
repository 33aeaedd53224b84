/**
 * The lower quartile, median and upper quartile of `xs` (linear interpolation), to 2 places:
 * how the bench sums up its rounds' own `engine/store` ratios.
 */
export function quartilesOf(xs: readonly number[]): { q1: number; median: number; q3: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (p: number) => {
    if (sorted.length === 0) return 0;
    const rank = p * (sorted.length - 1);
    const below = sorted[Math.floor(rank)] ?? 0;
    const above = sorted[Math.ceil(rank)] ?? below;
    return Math.round((below + (above - below) * (rank - Math.floor(rank))) * 100) / 100;
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75) };
}
