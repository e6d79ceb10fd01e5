/**
 * MedS-Bench NER (Metrics/NamedEntityRecognition.py), ×100: micro P/R/F1 over
 * the corpus of entity *sets*. Each side: remove every '.', strip, lower; the
 * (sic) sentence "there is no related enetity" means the empty set; otherwise
 * `set(text[:-1].split(", "))`.
 *
 * reference: `text[:-1]` drops the last character (code point) of the last entity (the
 * periods were already removed), so "a, b." → {"a", ""}… → {a, b-minus-last-char}.
 * corrected: nothing is dropped, and "there is no related entity" (correct
 * spelling) is also recognised as the empty answer.
 */
import { pyDropLast, pyStrip } from './pyString';
import { assertSameLength } from './aggregate';
import { type MetricOptions, modeOf } from './types';

export function parseNerEntities(text: string, options?: MetricOptions): Set<string> {
  const t = pyStrip(text.split('.').join('')).toLowerCase();
  const corrected = modeOf(options) === 'corrected';
  if (t === 'there is no related enetity') return new Set();
  if (corrected && t === 'there is no related entity') return new Set();
  const body = corrected ? t : pyDropLast(t);
  return new Set(body.split(', '));
}

export interface PrfResult {
  precision: number;
  recall: number;
  f1: number;
}

export function nerMicroPrf(preds: readonly string[], golds: readonly string[], options?: MetricOptions): PrfResult {
  assertSameLength(preds, golds);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < preds.length; i++) {
    const g = parseNerEntities(golds[i]!, options);
    const o = parseNerEntities(preds[i]!, options);
    let inter = 0;
    for (const e of o) if (g.has(e)) inter++;
    tp += inter;
    fp += o.size - inter;
    fn += g.size - inter;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * (precision * recall)) / (precision + recall) : 0;
  return { precision: 100 * precision, recall: 100 * recall, f1: 100 * f1 };
}

export function nerMicroF1(preds: readonly string[], golds: readonly string[], options?: MetricOptions): number {
  return nerMicroPrf(preds, golds, options).f1;
}
