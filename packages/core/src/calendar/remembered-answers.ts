/**
 * Answers of a pure function remembered under a key of three parts, the leading two of few
 * values (a time zone and a time of day; a number of hours), in maps nested by part. One map
 * keyed by the parts joined into a string would build that string on every lookup, and V8
 * would then copy it into one piece to hash it: about 0.14 µs a lookup, six times the nested
 * maps' (see docs/benchmarks.md, "Strings in pieces").
 *
 * At most `limit` answers are kept. Once full, everything is forgotten at once before the
 * next answer is kept: the keys in use are few, and come back. Maps are made only to keep an
 * answer, so a lookup that misses (or an answer that is never worked out, because working it
 * out threw) leaves nothing behind.
 */
export class RememberedAnswers {
  private readonly byFirst = new Map<string | number, Map<string, Map<string, string>>>();
  private kept = 0;

  constructor(private readonly limit: number) {}

  /** How many answers are kept. */
  get size(): number {
    return this.kept;
  }

  get(first: string | number, second: string, third: string): string | undefined {
    return this.byFirst.get(first)?.get(second)?.get(third);
  }

  /** Keeps `answer` under the three parts and returns it. */
  keep(first: string | number, second: string, third: string, answer: string): string {
    if (this.kept >= this.limit) {
      this.byFirst.clear();
      this.kept = 0;
    }
    const byThird = childOf(childOf(this.byFirst, first), second);
    if (!byThird.has(third)) this.kept++;
    byThird.set(third, answer);
    return answer;
  }
}

/** The map kept under `key` in `parent`, made empty the first time it is asked for. */
function childOf<K, C, V>(parent: Map<K, Map<C, V>>, key: K): Map<C, V> {
  let child = parent.get(key);
  if (!child) {
    child = new Map();
    parent.set(key, child);
  }
  return child;
}
