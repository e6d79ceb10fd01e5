/**
 * How MedS-Bench's scripts see a missing answer. They read the results CSV with
 * pandas `read_csv` defaults, which turn an empty cell and the strings in
 * pandas' default NA list into NaN (a float); each script then does something
 * different with it:
 *
 * - `str(x)` first (MCQA, information extraction, clinical outcome, text
 *   classification, NLI task41): NaN is the text `nan` (so an empty answer is
 *   "no" on task123);
 * - `isinstance(x, str)` checks: Explanation skips the row if either side is
 *   NaN; NER skips it if the output is NaN;
 * - string methods on the value (summarisation, rationale, diagnosis,
 *   treatment planning, fact verification, NLI task42, NER's gold): the script
 *   raises (AttributeError/TypeError) and prints nothing.
 *
 * Reference mode applies this to MedS-Bench CSV files; where the script would
 * raise, the cell's text is scored as given and the report says so.
 */
import { medsTaskIdFromFileName, medsTaskSpec, type MedsTaskSpec } from '../metrics/registry';
import type { PredictionPair } from './types';

/** pandas (2.x) `STR_NA_VALUES`: the default `na_values` of `read_csv`, matched against the whole raw cell. */
export const PANDAS_NA_VALUES: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

export function isPandasNa(cell: string): boolean {
  return PANDAS_NA_VALUES.has(cell);
}

type NaRule = 'str' | 'skipEither' | 'skipOutputRaiseGold' | 'raise';

function naRule(spec: MedsTaskSpec): NaRule {
  switch (spec.category) {
    case 'MCQA':
    case 'InformationExtraction':
    case 'ClinicalOutcomePrediction':
    case 'TextClassification':
      return 'str';
    case 'NLI':
      return spec.scorer.kind === 'substring' ? 'str' : 'raise';
    case 'Explanation':
      return 'skipEither';
    case 'NER':
      return 'skipOutputRaiseGold';
    default:
      return 'raise';
  }
}

export interface PandasView {
  preds: string[];
  golds: string[];
  /** Rows the script skips (NaN in a column it checks). */
  skipped: number;
  /** 1-based CSV lines (or 0-based indices) where the script would raise on a NaN. */
  raisesAt: string[];
}

/**
 * The (prediction, gold) strings a MedS-Bench script scores for `task`'s pairs after
 * pandas has read them. Pairs carry `predictionNa`/`targetNa` from the CSV reader.
 */
export function pandasView(task: string, pairs: readonly PredictionPair[]): PandasView {
  const spec = medsTaskSpec(medsTaskIdFromFileName(task));
  const view: PandasView = { preds: [], golds: [], skipped: 0, raisesAt: [] };
  const rule = spec ? naRule(spec) : 'raise';
  pairs.forEach((p, i) => {
    const where = p.line !== undefined ? `line ${p.line}` : `item ${i}`;
    let pred = p.prediction;
    let gold = p.target;
    const pNa = p.predictionNa === true;
    const gNa = p.targetNa === true;
    if (pNa || gNa) {
      switch (rule) {
        case 'str':
          if (pNa) pred = 'nan';
          if (gNa) gold = 'nan';
          break;
        case 'skipEither':
          view.skipped++;
          return;
        case 'skipOutputRaiseGold':
          if (pNa) {
            view.skipped++;
            return;
          }
          view.raisesAt.push(where);
          break;
        case 'raise':
          view.raisesAt.push(where);
          break;
      }
    }
    view.preds.push(pred);
    view.golds.push(gold);
  });
  return view;
}
