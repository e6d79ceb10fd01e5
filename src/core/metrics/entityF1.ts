/**
 * MedINST32 `entity_level_f1` for the `entity` tasks: bracketed spans are
 * extracted with a bracket stack (nested brackets stay inside the outer span,
 * an unmatched `]` resets the current span), each span is `normalize_answer`ed,
 * and a per-sample multiset F1 is averaged over samples.
 */
import { normalizeAnswer } from './normalize';
import { assertSameLength, multisetOverlap, prfF1, pyMeanOf } from './aggregate';
import { type MetricOptions, modeOf } from './types';

export function extractBracketEntities(s: string): string[] {
  const entities: string[] = [];
  if (s.indexOf('[') < 0) return entities;
  let depth = 0;
  let current = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '[') {
      if (depth > 0) current += ch;
      depth++;
    } else if (ch === ']') {
      if (depth === 0) {
        current = '';
        continue;
      }
      depth--;
      if (depth > 0) current += ch;
      else {
        entities.push(normalizeAnswer(current));
        current = '';
      }
    } else if (depth > 0) current += ch;
  }
  return entities;
}

/** Per-sample F1 of two entity multisets; corrected mode scores empty-vs-empty as 1. */
export function entityListF1(gold: readonly string[], pred: readonly string[], options?: MetricOptions): number {
  if (modeOf(options) === 'corrected' && gold.length === 0 && pred.length === 0) return 1;
  const { tp, fp, fn } = multisetOverlap(gold, pred);
  return prfF1(tp, fp, fn);
}

export function entityF1Pair(prediction: string, gold: string, options?: MetricOptions): number {
  return entityListF1(extractBracketEntities(gold), extractBracketEntities(prediction), options);
}

export function entityF1(preds: readonly string[], golds: readonly string[], options?: MetricOptions): number {
  assertSameLength(preds, golds);
  return pyMeanOf(preds.length, (i) => entityF1Pair(preds[i]!, golds[i]!, options));
}
