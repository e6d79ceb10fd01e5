/**
 * MedINST32 `multicls` (Hallmarks-of-Cancer): labels are `split(', ')`,
 * lower-cased and stripped, then scored with the per-sample multiset F1 of
 * `entity_level_f1` and averaged; the result is stored under `entity_level_f1`.
 */
import { pyStrip } from './pyString';
import { assertSameLength, pyMeanOf } from './aggregate';
import { entityListF1 } from './entityF1';
import type { MetricOptions } from './types';

export function splitLabels(s: string): string[] {
  return s.split(', ').map((x) => pyStrip(x.toLowerCase()));
}

export function multiLabelF1Pair(prediction: string, gold: string, options?: MetricOptions): number {
  return entityListF1(splitLabels(gold), splitLabels(prediction), options);
}

export function multiLabelF1(preds: readonly string[], golds: readonly string[], options?: MetricOptions): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => multiLabelF1Pair(preds[i]!, golds[i]!, options));
}
