/**
 * MedS-Bench text classification (Metrics/TextClassification.py, task106 HoC),
 * ×100: each side is lower-cased and stripped, the ten hallmark names found in
 * it by substring form its label set, and scikit-learn macro precision, recall
 * and F1 (`zero_division=0`) are taken over the ten binarised columns.
 */
import { pyStrip } from './pyString';
import { assertSameLength } from './aggregate';
import type { PrfResult } from './nerMicroF1';

export const HOC_CLASSES: readonly string[] = [
  'sustaining proliferative signaling',
  'evading growth suppressors',
  'resisting cell death',
  'enabling replicative immortality',
  'inducing angiogenesis',
  'activating invasion and metastasis',
  'genomic instability and mutation',
  'tumor promoting inflammation',
  'cellular energetics',
  'avoiding immune destruction',
];

function classMask(text: string): number {
  const t = pyStrip(text.toLowerCase());
  let mask = 0;
  for (let k = 0; k < HOC_CLASSES.length; k++) if (t.includes(HOC_CLASSES[k]!)) mask |= 1 << k;
  return mask;
}

export function hocMacroPrf(preds: readonly string[], golds: readonly string[]): PrfResult {
  assertSameLength(preds, golds);
  const k = HOC_CLASSES.length;
  const tp = new Array<number>(k).fill(0);
  const tc = new Array<number>(k).fill(0);
  const pc = new Array<number>(k).fill(0);
  for (let i = 0; i < preds.length; i++) {
    const g = classMask(golds[i]!);
    const p = classMask(preds[i]!);
    for (let c = 0; c < k; c++) {
      const bit = 1 << c;
      if (g & bit) tc[c]!++;
      if (p & bit) {
        pc[c]!++;
        if (g & bit) tp[c]!++;
      }
    }
  }
  let ps = 0;
  let rs = 0;
  let fs = 0;
  for (let c = 0; c < k; c++) {
    ps += pc[c]! > 0 ? tp[c]! / pc[c]! : 0;
    rs += tc[c]! > 0 ? tp[c]! / tc[c]! : 0;
    const d = tc[c]! + pc[c]!;
    fs += d > 0 ? (2 * tp[c]!) / d : 0;
  }
  return { precision: (100 * ps) / k, recall: (100 * rs) / k, f1: (100 * fs) / k };
}
