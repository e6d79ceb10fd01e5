/** MedINST32 `em`: exact match after `normalize_answer`, averaged over samples. */
import { normalizeAnswer } from './normalize';
import { assertSameLength, pyMeanOf } from './aggregate';

export function exactMatchPair(prediction: string, groundTruth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(groundTruth) ? 1 : 0;
}

export function exactMatch(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => exactMatchPair(preds[i]!, golds[i]!));
}
