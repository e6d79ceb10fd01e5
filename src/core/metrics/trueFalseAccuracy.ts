/**
 * MedS-Bench clinical outcome prediction (Metrics/ClinicalOutcomePrediction.py),
 * ×100: gold 'true' is correct iff the lower-cased output contains 'true' and
 * not 'false' (and vice versa); any other gold counts as wrong.
 */
import { pyStrip } from './pyString';
import { assertSameLength } from './aggregate';

export function trueFalseCorrect(prediction: string, gold: string): number {
  const out = pyStrip(prediction.toLowerCase());
  const gt = pyStrip(gold.toLowerCase());
  if (gt === 'true') return out.includes('true') && !out.includes('false') ? 1 : 0;
  if (gt === 'false') return out.includes('false') && !out.includes('true') ? 1 : 0;
  return 0;
}

export function trueFalseAccuracy(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  if (preds.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < preds.length; i++) right += trueFalseCorrect(preds[i]!, golds[i]!);
  return (100 * right) / preds.length;
}
