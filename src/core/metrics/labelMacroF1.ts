/**
 * scikit-learn `f1_score(y_true, y_pred, labels=sorted(set(y_true)),
 * average='macro')` and the MedINST32 `cls` metric built on it
 * (`label_level_f1` over `normalize_answer`ed targets and predictions).
 *
 * Per label L: F = 2·tp / (|true = L| + |pred = L|) (scikit-learn ≥ 1.3
 * computes the F-score from counts), 0 when undefined; macro = plain mean.
 * Predictions outside `labels` only count as false negatives of the gold label.
 */
import { normalizeAnswer } from './normalize';
import { pyCompare } from './pyString';
import { assertSameLength } from './aggregate';

export interface PerLabelCounts {
  label: string;
  tp: number;
  trueCount: number;
  predCount: number;
}

export function perLabelCounts(yTrue: readonly string[], yPred: readonly string[], labels: readonly string[]): PerLabelCounts[] {
  assertSameLength(yPred, yTrue);
  const index = new Map<string, number>();
  const rows: PerLabelCounts[] = labels.map((label, i) => {
    index.set(label, i);
    return { label, tp: 0, trueCount: 0, predCount: 0 };
  });
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t !== undefined) rows[t]!.trueCount++;
    if (p !== undefined) {
      rows[p]!.predCount++;
      if (t === p) rows[p]!.tp++;
    }
  }
  return rows;
}

export function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(pyCompare);
}

/** Macro F1 over `labels` (default: sorted distinct gold labels). Empty input → 0. */
export function sklearnMacroF1(yTrue: readonly string[], yPred: readonly string[], labels?: readonly string[]): number {
  const labs = labels ?? sortedUnique(yTrue);
  if (labs.length === 0) return 0;
  const rows = perLabelCounts(yTrue, yPred, labs);
  let sum = 0;
  for (const r of rows) {
    const denom = r.trueCount + r.predCount;
    sum += denom > 0 ? (2 * r.tp) / denom : 0;
  }
  return sum / rows.length;
}

/** MedINST32 `label_level_f1` (cls tasks). */
export function labelMacroF1(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  const ts = golds.map(normalizeAnswer);
  const ps = preds.map(normalizeAnswer);
  return sklearnMacroF1(ts, ps);
}
