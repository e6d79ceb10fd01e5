/**
 * MedS-Bench "gold is a substring of the output" accuracies, ×100. Each
 * category normalises differently in its script:
 *
 * - informationExtraction (InformationExtraction.py): both sides lower, strip,
 *   remove `"`, `'` and newlines.
 * - diagnosis (Diagnosis.py): gold minus '.', minus "The diagnosis result is",
 *   strip, lower; output lower.
 * - treatmentPlanning (TreatmentPlanning.py): gold minus '.', minus
 *   "The treatment planning is:", strip, lower; output lower.
 * - nli (NatureLanguageInference.py, task41): gold minus '.', strip, lower;
 *   output lower, strip.
 * - factVerification (FactVerification.py, task12/task16): gold minus '.',
 *   strip, lower; only the output's first line, strip, lower.
 */
import { pyReplace, pyStrip } from './pyString';
import { assertSameLength } from './aggregate';

export type SubstringVariant = 'informationExtraction' | 'diagnosis' | 'treatmentPlanning' | 'nli' | 'factVerification';

function ieNorm(s: string): string {
  return pyStrip(s.toLowerCase()).replace(/["'\n]/g, '');
}

export function substringCorrect(prediction: string, gold: string, variant: SubstringVariant): number {
  switch (variant) {
    case 'informationExtraction':
      return ieNorm(prediction).includes(ieNorm(gold)) ? 1 : 0;
    case 'diagnosis': {
      const g = pyStrip(pyReplace(pyReplace(gold, '.', ''), 'The diagnosis result is', '')).toLowerCase();
      return prediction.toLowerCase().includes(g) ? 1 : 0;
    }
    case 'treatmentPlanning': {
      const g = pyStrip(pyReplace(pyReplace(gold, '.', ''), 'The treatment planning is:', '')).toLowerCase();
      return prediction.toLowerCase().includes(g) ? 1 : 0;
    }
    case 'nli': {
      const g = pyStrip(pyReplace(gold, '.', '')).toLowerCase();
      return pyStrip(prediction.toLowerCase()).includes(g) ? 1 : 0;
    }
    case 'factVerification': {
      const g = pyStrip(pyReplace(gold, '.', '')).toLowerCase();
      const firstLine = prediction.split('\n')[0] ?? '';
      return pyStrip(firstLine).toLowerCase().includes(g) ? 1 : 0;
    }
  }
}

export function substringAccuracy(preds: readonly string[], golds: readonly string[], variant: SubstringVariant): number {
  assertSameLength(preds, golds);
  if (preds.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < preds.length; i++) right += substringCorrect(preds[i]!, golds[i]!, variant);
  return (100 * right) / preds.length;
}
