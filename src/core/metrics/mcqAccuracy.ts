/**
 * MedS-Bench MCQA accuracy (Metrics/MCQA.py), ×100.
 *
 * Both sides: `str(x).lower().replace('the right answer is', '').strip()`;
 * task123 (PubMedQA) compares first characters when both are in 'yn', every
 * other task when both are in 'abcd'; anything else scores 0.
 *
 * reference: a gold 'maybe' can never be correct (README "Notes for scorers");
 * an empty side (IndexError in the script) scores 0.
 * corrected (task123 only): the first word (letters only) of each side is
 * compared when both are yes/no/maybe, so 'maybe' can be scored.
 */
import { pyFirstChar, pyStrip } from './pyString';
import { assertSameLength } from './aggregate';
import { type MetricOptions, modeOf } from './types';

export interface McqOptions extends MetricOptions {
  /** MedS-Bench task id, e.g. 'task123'; selects the yes/no rule. */
  taskId?: string;
}

export const YES_NO_TASKS: ReadonlySet<string> = new Set(['task123']);

function prep(s: string): string {
  return pyStrip(s.toLowerCase().split('the right answer is').join(''));
}

const FIRST_WORD = /^[^\p{L}]*(\p{L}+)/u;
const YNM = new Set(['yes', 'no', 'maybe']);

export function mcqCorrect(prediction: string, gold: string, options?: McqOptions): number {
  const pred = prep(prediction);
  const gt = prep(gold);
  const yesNo = options?.taskId !== undefined && YES_NO_TASKS.has(options.taskId);
  if (yesNo && modeOf(options) === 'corrected') {
    const pw = FIRST_WORD.exec(pred)?.[1];
    const gw = FIRST_WORD.exec(gt)?.[1];
    if (pw !== undefined && gw !== undefined && YNM.has(pw) && YNM.has(gw)) return pw === gw ? 1 : 0;
    return 0;
  }
  if (pred.length === 0 || gt.length === 0) return 0;
  const p0 = pyFirstChar(pred);
  const g0 = pyFirstChar(gt);
  const allowed = yesNo ? 'yn' : 'abcd';
  if (allowed.includes(p0) && allowed.includes(g0)) return p0 === g0 ? 1 : 0;
  return 0;
}

export function mcqAccuracy(preds: readonly string[], golds: readonly string[], options?: McqOptions): number {
  assertSameLength(preds, golds);
  if (preds.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < preds.length; i++) right += mcqCorrect(preds[i]!, golds[i]!, options);
  return (100 * right) / preds.length;
}
