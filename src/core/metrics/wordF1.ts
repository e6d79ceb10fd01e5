/**
 * SQuAD word-level F1 after `normalize_answer` (MedINST32 `f1`, computed for
 * every task and averaged over samples).
 */
import { normalizeAnswer } from './normalize';
import { assertSameLength, multisetOverlap, pyMeanOf } from './aggregate';
import { type MetricOptions, modeOf } from './types';

/**
 * reference: 0 whenever no token is shared, including when both sides
 * normalise to nothing. corrected: two empty answers score 1 (SQuAD v2 rule).
 */
export function wordF1Pair(prediction: string, groundTruth: string, options?: MetricOptions): number {
  const p = normalizeAnswer(prediction);
  const g = normalizeAnswer(groundTruth);
  const pt = p.length === 0 ? [] : p.split(' ');
  const gt = g.length === 0 ? [] : g.split(' ');
  if (modeOf(options) === 'corrected' && pt.length === 0 && gt.length === 0) return 1;
  const { tp } = multisetOverlap(gt, pt);
  if (tp === 0) return 0;
  const precision = (1.0 * tp) / pt.length;
  const recall = (1.0 * tp) / gt.length;
  return (2 * precision * recall) / (precision + recall);
}

export function wordF1(preds: readonly string[], golds: readonly string[], options?: MetricOptions): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => wordF1Pair(preds[i]!, golds[i]!, options));
}
