/**
 * MedINST32 `mse` (BIOSSES, lower is better): the distinct integers (`\d+`) of
 * each side are extracted; unless each side has exactly one and both lie in
 * 0..5, the pair scores as t=0, p=5 (squared error 25).
 */
import { assertSameLength } from './aggregate';

const DIGITS = /\p{Nd}+/gu;
const ND = /\p{Nd}/u;

/** Value of one Unicode decimal digit (Nd runs are aligned blocks of ten starting at zero). */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp >= 48 && cp <= 57) return cp - 48;
  let start = cp;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

function parseDigits(run: string): number {
  let v = 0;
  for (const ch of run) v = v * 10 + digitValue(ch);
  return v;
}

export function distinctIntegers(s: string): number[] {
  const m = s.match(DIGITS);
  if (m === null) return [];
  return [...new Set(m.map(parseDigits))];
}

export function biossesPair(prediction: string, gold: string): { t: number; p: number } {
  const t = distinctIntegers(gold);
  const p = distinctIntegers(prediction);
  if (t.length !== 1 || p.length !== 1) return { t: 0, p: 5 };
  const tv = t[0]!;
  const pv = p[0]!;
  if (tv < 0 || tv > 5 || pv < 0 || pv > 5) return { t: 0, p: 5 };
  return { t: tv, p: pv };
}

export function biossesMse(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  if (golds.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < golds.length; i++) {
    const { t, p } = biossesPair(preds[i]!, golds[i]!);
    s += (t - p) ** 2;
  }
  return s / golds.length;
}
