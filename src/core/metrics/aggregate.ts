/** Corpus aggregation helpers shared by the metric ports. */

export function assertSameLength(preds: readonly unknown[], golds: readonly unknown[]): void {
  if (preds.length !== golds.length) {
    throw new Error(`predictions (${preds.length}) and golds (${golds.length}) differ in length`);
  }
}

/**
 * `sum(score(i) for i in range(n)) / n` with sequential float addition, as the
 * reference scripts accumulate (`metrics[k] += ...; metrics[k] /= len(...)`).
 * Returns 0 for n = 0 (the references divide by zero or print 0 there).
 */
export function pyMeanOf(n: number, score: (i: number) => number): number {
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += score(i);
  return s / n;
}

/** Multiset (Counter) helper: counts of each string. */
export function countStrings(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(it, (m.get(it) ?? 0) + 1);
  return m;
}

/** tp/fp/fn of `Counter(gold) & Counter(pred)` etc. */
export function multisetOverlap(gold: readonly string[], pred: readonly string[]): { tp: number; fp: number; fn: number } {
  const g = countStrings(gold);
  const p = countStrings(pred);
  let tp = 0;
  for (const [k, c] of p) {
    const gc = g.get(k);
    if (gc !== undefined) tp += gc < c ? gc : c;
  }
  return { tp, fp: pred.length - tp, fn: gold.length - tp };
}

/** The per-sample F1 of evaluation.py's `entity_level_f1` (0 when undefined). */
export function prfF1(tp: number, fp: number, fn: number): number {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return precision + recall > 0 ? (2 * (precision * recall)) / (precision + recall) : 0;
}
