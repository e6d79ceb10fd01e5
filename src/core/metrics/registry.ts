/**
 * Metric registry: ids, display names, direction, and the default per-task
 * assignment of MedINST32 (aialt/MedINST evaluation.py) and MedS-Bench
 * (MAGIC-AI4Med/MedS-Ins Metrics/*.py), plus {@link scoreTask}.
 *
 * Scales follow the references: MedINST32 values are fractions (0..1, MSE in
 * squared points); MedS-Bench values are percentages (×100).
 */
import type { MetricMode } from './types';
import { rougeScoreL, pyRougeLPairOrNull } from './rougeL';
import { wordF1 } from './wordF1';
import { labelMacroF1 } from './labelMacroF1';
import { exactMatch } from './exactMatch';
import { entityF1 } from './entityF1';
import { multiLabelF1 } from './multiLabelF1';
import { bioTagF1 } from './bioTagF1';
import { biossesMse } from './biossesMse';
import { mcqAccuracy } from './mcqAccuracy';
import { bleu1Pair, sentenceBleu1, type BleuLanguage } from './bleu1';
import { cjkTokenize } from './cjkTokenize';
import { substringAccuracy, type SubstringVariant } from './substringAccuracy';
import { nerMicroPrf } from './nerMicroF1';
import { hocMacroPrf } from './hocMacroPRF';
import { trueFalseAccuracy } from './trueFalseAccuracy';
import { pyStrip, pyReplace } from './pyString';
import { assertSameLength } from './aggregate';
import { MEDINST32_TESTS } from '../benchmarks/medinst32Tasks';
import { punktApproximate } from './nltkWordTokenize';

export { MEDINST32_TESTS };

export type Benchmark = 'medinst32' | 'meds-bench';

export type MetricId =
  | 'rougeL'
  | 'wordF1'
  | 'labelMacroF1'
  | 'exactMatch'
  | 'entityF1'
  | 'multiLabelF1'
  | 'bioTagF1'
  | 'biossesMse'
  | 'mcqAccuracy'
  | 'bleu1'
  | 'pyRougeL'
  | 'ieAccuracy'
  | 'diagnosisAccuracy'
  | 'treatmentAccuracy'
  | 'outcomeAccuracy'
  | 'nliAccuracy'
  | 'factAccuracy'
  | 'nerPrecision'
  | 'nerRecall'
  | 'nerF1'
  | 'hocPrecision'
  | 'hocRecall'
  | 'hocF1';

export interface MetricDefinition {
  id: MetricId;
  benchmark: Benchmark;
  displayName: string;
  higherIsBetter: boolean;
  /** Key (or column) under which the reference script reports the value. */
  referenceKey: string;
  /** 1 for fractions, 100 for percentages. */
  scale: 1 | 100;
}

const def = (id: MetricId, benchmark: Benchmark, displayName: string, referenceKey: string, scale: 1 | 100, higherIsBetter = true): MetricDefinition => ({
  id,
  benchmark,
  displayName,
  referenceKey,
  scale,
  higherIsBetter,
});

export const METRICS: Readonly<Record<MetricId, MetricDefinition>> = {
  rougeL: def('rougeL', 'medinst32', 'ROUGE-L F (rouge_score, stemmed)', 'rouge', 1),
  wordF1: def('wordF1', 'medinst32', 'Word F1 (SQuAD)', 'f1', 1),
  labelMacroF1: def('labelMacroF1', 'medinst32', 'Label macro-F1', 'label_level_f1', 1),
  exactMatch: def('exactMatch', 'medinst32', 'Exact match', 'em', 1),
  entityF1: def('entityF1', 'medinst32', 'Entity F1 (per sample)', 'entity_level_f1', 1),
  multiLabelF1: def('multiLabelF1', 'medinst32', 'Multi-label F1 (per sample)', 'entity_level_f1', 1),
  bioTagF1: def('bioTagF1', 'medinst32', 'BIO tag macro-F1', 'label_leval_f1', 1),
  biossesMse: def('biossesMse', 'medinst32', 'MSE (0-5 scores)', 'mse', 1, false),
  mcqAccuracy: def('mcqAccuracy', 'meds-bench', 'MCQA accuracy', 'accuracy', 100),
  bleu1: def('bleu1', 'meds-bench', 'BLEU-1', 'BLEU', 100),
  pyRougeL: def('pyRougeL', 'meds-bench', 'ROUGE-L F (rouge package)', 'ROUGE', 100),
  ieAccuracy: def('ieAccuracy', 'meds-bench', 'Extraction accuracy', 'accuracy', 100),
  diagnosisAccuracy: def('diagnosisAccuracy', 'meds-bench', 'Diagnosis accuracy', 'Accuracy', 100),
  treatmentAccuracy: def('treatmentAccuracy', 'meds-bench', 'Treatment accuracy', 'accuracy', 100),
  outcomeAccuracy: def('outcomeAccuracy', 'meds-bench', 'Outcome accuracy', 'accuracy', 100),
  nliAccuracy: def('nliAccuracy', 'meds-bench', 'NLI accuracy', 'accuracy', 100),
  factAccuracy: def('factAccuracy', 'meds-bench', 'Verification accuracy', 'accuracy', 100),
  nerPrecision: def('nerPrecision', 'meds-bench', 'NER micro precision', 'precision', 100),
  nerRecall: def('nerRecall', 'meds-bench', 'NER micro recall', 'recall', 100),
  nerF1: def('nerF1', 'meds-bench', 'NER micro F1', 'f1_score', 100),
  hocPrecision: def('hocPrecision', 'meds-bench', 'HoC macro precision', 'precision', 100),
  hocRecall: def('hocRecall', 'meds-bench', 'HoC macro recall', 'recall', 100),
  hocF1: def('hocF1', 'meds-bench', 'HoC macro F1', 'f1_score', 100),
};

// ---------------------------------------------------------------- MedINST32

export type MedinstEvalType = 'cls' | 'em' | 'entity' | 'multicls' | 'bio' | 'mse';

const MEDINST_TYPE_LISTS: ReadonlyArray<readonly [MedinstEvalType, readonly string[]]> = [
  ['cls', ['BioASQ-Task-B-yesno', 'PubMedQA-labeled', 'SciFact', 'ManConCorpus', 'CoVERt', 'MedDialog']],
  ['em', ['MedQA', 'MeDAL']],
  [
    'entity',
    [
      'AnEM-COREF',
      'MLEE-COREF',
      'tmVar-v3-NED',
      'AnEM',
      'BioNLP-2009',
      'BioNLP-2011-GE',
      'BioNLP-2011-ID',
      'BioNLP-2011-REL',
      'BioNLP-2013-CG',
      'BioNLP-2013-GE',
      'BioNLP-2013-GRO',
      'BioNLP-2013-PC',
      'BioRED',
      'tmVar-v3',
      'AnEM-RE',
      'BC5CDR-RE',
      'BioInfer-RE',
      'MLEE-EE',
    ],
  ],
  ['multicls', ['Hallmarks-of-Cancer']],
  ['bio', ['NCBI-disease', 'BC5CDR']],
  ['mse', ['BIOSSES']],
];

/** The evaluation type evaluation.py picks (first match: cls > em > entity > multicls > bio > mse), or null. */
export function medinstEvalType(task: string): MedinstEvalType | null {
  for (const [type, tasks] of MEDINST_TYPE_LISTS) if (tasks.includes(task)) return type;
  return null;
}

const MEDINST_TYPE_METRIC: Readonly<Record<MedinstEvalType, MetricId>> = {
  cls: 'labelMacroF1',
  em: 'exactMatch',
  entity: 'entityF1',
  multicls: 'multiLabelF1',
  bio: 'bioTagF1',
  mse: 'biossesMse',
};

/** Metrics evaluation.py reports for a MedINST32 task (rouge and f1 always). */
export function medinstMetrics(task: string): MetricId[] {
  const type = medinstEvalType(task);
  return type === null ? ['rougeL', 'wordF1'] : ['rougeL', 'wordF1', MEDINST_TYPE_METRIC[type]];
}

export const MEDINST32_TASKS: readonly string[] = Object.values(MEDINST32_TESTS).flat();

// --------------------------------------------------------------- MedS-Bench

export type MedsCategory =
  | 'MCQA'
  | 'TextSummarization'
  | 'InformationExtraction'
  | 'Explanation'
  | 'Rationale'
  | 'NER'
  | 'Diagnosis'
  | 'TreatmentPlanning'
  | 'ClinicalOutcomePrediction'
  | 'TextClassification'
  | 'FactVerification'
  | 'NLI';

export type MedsScorer =
  | { kind: 'mcq' }
  | { kind: 'substring'; variant: SubstringVariant }
  | { kind: 'trueFalse' }
  | { kind: 'ner' }
  | { kind: 'hoc' }
  /** Label macro-F1 (MedINST32's `label_level_f1`): classification tasks of neither benchmark. */
  | { kind: 'labels' }
  /** BLEU-1 + pyRouge-L; `skipEmpty`: pairs the script skips; `prep`: the script's pre-processing. */
  | { kind: 'generation'; lang: BleuLanguage; skipEmpty: boolean; prep: 'none' | 'strip' | 'factVerification' };

export interface MedsTaskSpec {
  taskId: string;
  category: MedsCategory;
  scorer: MedsScorer;
  metrics: MetricId[];
}

const GEN_METRICS: MetricId[] = ['bleu1', 'pyRougeL'];

function specs(category: MedsCategory, ids: readonly string[], scorer: MedsScorer, metrics: MetricId[]): MedsTaskSpec[] {
  return ids.map((taskId) => ({ taskId, category, scorer, metrics }));
}

const RATIONALE_LANG: Readonly<Record<string, BleuLanguage>> = {
  task51: 'zh',
  task52: 'en',
  task53: 'fr',
  task54: 'ja',
  task55: 'ru',
  task56: 'es',
};

/** Default task ids of each Metrics/*.py script, with the scorer it applies. */
export const MEDS_BENCH_TASKS: readonly MedsTaskSpec[] = [
  ...specs(
    'MCQA',
    ['task4', 'task5', 'task6', 'task8', 'task9', 'task57', 'task58', 'task59', 'task60', 'task61', 'task122', 'task123', 'task129'],
    { kind: 'mcq' },
    ['mcqAccuracy'],
  ),
  ...specs(
    'TextSummarization',
    [
      'task78',
      'task114',
      'task112',
      'task110',
      'task83',
      'task84',
      'task85',
      'task86',
      'task87',
      'task88',
      'task89',
      'task90',
      'task91',
      'task92',
      'task93',
      'task94',
    ],
    { kind: 'generation', lang: 'en', skipEmpty: false, prep: 'none' },
    GEN_METRICS,
  ),
  ...specs('InformationExtraction', ['task1', 'task2', 'task3', 'task29', 'task74'], { kind: 'substring', variant: 'informationExtraction' }, ['ieAccuracy']),
  ...specs('Explanation', ['task18', 'task46', 'task50'], { kind: 'generation', lang: 'en', skipEmpty: true, prep: 'none' }, GEN_METRICS),
  ...Object.entries(RATIONALE_LANG).map(([taskId, lang]) => ({
    taskId,
    category: 'Rationale' as const,
    scorer: { kind: 'generation' as const, lang, skipEmpty: true, prep: 'strip' as const },
    metrics: GEN_METRICS,
  })),
  ...specs('NER', ['task125', 'task126', 'task127', 'task128'], { kind: 'ner' }, ['nerPrecision', 'nerRecall', 'nerF1']),
  ...specs('Diagnosis', ['DDXPlus'], { kind: 'substring', variant: 'diagnosis' }, ['diagnosisAccuracy']),
  ...specs('TreatmentPlanning', ['task131'], { kind: 'substring', variant: 'treatmentPlanning' }, ['treatmentAccuracy']),
  ...specs('ClinicalOutcomePrediction', ['task117', 'task118', 'task119'], { kind: 'trueFalse' }, ['outcomeAccuracy']),
  ...specs('TextClassification', ['task106'], { kind: 'hoc' }, ['hocPrecision', 'hocRecall', 'hocF1']),
  ...specs('FactVerification', ['task12', 'task16'], { kind: 'substring', variant: 'factVerification' }, ['factAccuracy']),
  ...specs('FactVerification', ['task100'], { kind: 'generation', lang: 'en', skipEmpty: false, prep: 'factVerification' }, GEN_METRICS),
  ...specs('NLI', ['task41'], { kind: 'substring', variant: 'nli' }, ['nliAccuracy']),
  ...specs('NLI', ['task42'], { kind: 'generation', lang: 'en', skipEmpty: false, prep: 'none' }, GEN_METRICS),
];

/** Summarisation groups pooled by TextSummarization.py ("CT", "MRI"); the average uses the 4 primary tasks only. */
export const MEDS_SUMMARIZATION_GROUPS = {
  primary: ['task78', 'task114', 'task112', 'task110'],
  CT: ['task83', 'task84', 'task85', 'task86', 'task87', 'task88'],
  MRI: ['task89', 'task90', 'task91', 'task92', 'task93', 'task94'],
} as const;

export function medsTaskSpec(taskId: string): MedsTaskSpec | undefined {
  return MEDS_BENCH_TASKS.find((s) => s.taskId === taskId);
}

/** MedS-Bench task id from a file name such as `task123_pubmedqa_test_set.json`. */
export function medsTaskIdFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.split('_')[0] ?? base;
}

// ----------------------------------------------------------------- scoring

export type TaskScores = Partial<Record<MetricId, number>>;

function scoreGeneration(
  preds: readonly string[],
  golds: readonly string[],
  scorer: Extract<MedsScorer, { kind: 'generation' }>,
  mode: MetricMode,
): TaskScores {
  let bleuSum = 0;
  let rougeSum = 0;
  let count = 0;
  for (let i = 0; i < preds.length; i++) {
    let p = preds[i]!;
    let g = golds[i]!;
    if (scorer.prep === 'strip') {
      p = pyStrip(p);
      g = pyStrip(g);
    } else if (scorer.prep === 'factVerification') {
      g = pyStrip(pyReplace(g, '.', '')).toLowerCase();
      p = pyStrip(p).toLowerCase();
    }
    const empty = p.length === 0 || g.length === 0;
    if (empty && scorer.skipEmpty && mode === 'reference') continue;
    count++;
    if (empty) continue; // scores 0 (the package would raise on an empty side)
    if (scorer.lang === 'zh' || scorer.lang === 'ja') {
      // utils.py segments zh/ja for both metrics: BLEU on the token lists,
      // ROUGE on the tokens joined by spaces (pltrdy splits words on spaces)
      const pt = cjkTokenize(p, scorer.lang);
      const gt = cjkTokenize(g, scorer.lang);
      bleuSum += sentenceBleu1(gt, pt);
      rougeSum += pyRougeLPairOrNull(pt.join(' '), gt.join(' ')) ?? 0;
      continue;
    }
    bleuSum += bleu1Pair(p, g, scorer.lang);
    rougeSum += pyRougeLPairOrNull(p, g) ?? 0;
  }
  return {
    bleu1: count > 0 ? (100 * bleuSum) / count : 0,
    pyRougeL: count > 0 ? (100 * rougeSum) / count : 0,
  };
}

function scoreMeds(taskId: string, preds: readonly string[], golds: readonly string[], mode: MetricMode): TaskScores {
  const spec = medsTaskSpec(taskId);
  if (spec === undefined) throw new Error(`unknown MedS-Bench task: ${taskId}`);
  return scoreWithSpec(spec, preds, golds, mode);
}

function scoreWithSpec(spec: MedsTaskSpec, preds: readonly string[], golds: readonly string[], mode: MetricMode): TaskScores {
  const taskId = spec.taskId;
  const s = spec.scorer;
  switch (s.kind) {
    case 'labels':
      return { labelMacroF1: labelMacroF1(preds, golds) };
    case 'mcq':
      return { mcqAccuracy: mcqAccuracy(preds, golds, { mode, taskId }) };
    case 'substring': {
      const id = spec.metrics[0]!;
      return { [id]: substringAccuracy(preds, golds, s.variant) };
    }
    case 'trueFalse':
      return { outcomeAccuracy: trueFalseAccuracy(preds, golds) };
    case 'ner': {
      const r = nerMicroPrf(preds, golds, { mode });
      return { nerPrecision: r.precision, nerRecall: r.recall, nerF1: r.f1 };
    }
    case 'hoc': {
      const r = hocMacroPrf(preds, golds);
      return { hocPrecision: r.precision, hocRecall: r.recall, hocF1: r.f1 };
    }
    case 'generation':
      return scoreGeneration(preds, golds, s, mode);
  }
}

function scoreMedinst(task: string, preds: readonly string[], golds: readonly string[], mode: MetricMode): TaskScores {
  const out: TaskScores = {
    rougeL: rougeScoreL(preds, golds),
    wordF1: wordF1(preds, golds, { mode }),
  };
  switch (medinstEvalType(task)) {
    case 'cls':
      out.labelMacroF1 = labelMacroF1(preds, golds);
      break;
    case 'em':
      out.exactMatch = exactMatch(preds, golds);
      break;
    case 'entity':
      out.entityF1 = entityF1(preds, golds, { mode });
      break;
    case 'multicls':
      out.multiLabelF1 = multiLabelF1(preds, golds, { mode });
      break;
    case 'bio':
      out.bioTagF1 = bioTagF1(preds, golds);
      break;
    case 'mse':
      out.biossesMse = biossesMse(preds, golds);
      break;
    case null:
      break;
  }
  return out;
}

/** True when a MedS-Bench task's BLEU tokenises with NLTK `word_tokenize` (en/fr/es/ru), so depends on the Punkt model. */
export function usesWordTokenize(task: string): boolean {
  const s = medsTaskSpec(medsTaskIdFromFileName(task))?.scorer;
  return s !== undefined && s.kind === 'generation' && s.lang !== 'zh' && s.lang !== 'ja';
}

// ------------------------------------------------ tasks of neither benchmark

/** A category folder name as compared: lower case, spaces/hyphens as underscores. */
const categoryKey = (c: string): string =>
  c
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const NATURAL: Readonly<Record<string, Omit<MedsTaskSpec, 'taskId'>>> = {
  mcqa: { category: 'MCQA', scorer: { kind: 'mcq' }, metrics: ['mcqAccuracy'] },
  text_classification: { category: 'TextClassification', scorer: { kind: 'labels' }, metrics: ['labelMacroF1'] },
  classification: { category: 'TextClassification', scorer: { kind: 'labels' }, metrics: ['labelMacroF1'] },
  ner: { category: 'NER', scorer: { kind: 'ner' }, metrics: ['nerPrecision', 'nerRecall', 'nerF1'] },
  information_extraction: { category: 'InformationExtraction', scorer: { kind: 'substring', variant: 'informationExtraction' }, metrics: ['ieAccuracy'] },
  diagnosis: { category: 'Diagnosis', scorer: { kind: 'substring', variant: 'diagnosis' }, metrics: ['diagnosisAccuracy'] },
  treatment_planning: { category: 'TreatmentPlanning', scorer: { kind: 'substring', variant: 'treatmentPlanning' }, metrics: ['treatmentAccuracy'] },
  clinical_outcome_prediction: { category: 'ClinicalOutcomePrediction', scorer: { kind: 'trueFalse' }, metrics: ['outcomeAccuracy'] },
  nli: { category: 'NLI', scorer: { kind: 'substring', variant: 'nli' }, metrics: ['nliAccuracy'] },
  fact_verication: { category: 'FactVerification', scorer: { kind: 'substring', variant: 'factVerification' }, metrics: ['factAccuracy'] },
  fact_verification: { category: 'FactVerification', scorer: { kind: 'substring', variant: 'factVerification' }, metrics: ['factAccuracy'] },
  explanation: { category: 'Explanation', scorer: { kind: 'generation', lang: 'en', skipEmpty: false, prep: 'none' }, metrics: GEN_METRICS },
  rationale: { category: 'Rationale', scorer: { kind: 'generation', lang: 'en', skipEmpty: false, prep: 'strip' }, metrics: GEN_METRICS },
  text_summarization: { category: 'TextSummarization', scorer: { kind: 'generation', lang: 'en', skipEmpty: false, prep: 'none' }, metrics: GEN_METRICS },
};

/**
 * The natural metric of a task that belongs to neither benchmark (a generic import, the demo
 * pack), by its category (MedS-Bench's category folder names, or "classification"): accuracy on
 * the chosen letter for MCQA, label macro-F1 for classification, entity P/R/F for NER, the
 * category's MedS-Bench accuracy for extraction, diagnosis, treatment, outcome, NLI and fact
 * verification, BLEU-1 + ROUGE-L for free text. Undefined for other categories.
 */
export function naturalTaskSpec(category: string | null | undefined): Omit<MedsTaskSpec, 'taskId'> | undefined {
  return category ? NATURAL[categoryKey(category)] : undefined;
}

/** True when (benchmark, task) is scored by MedINST(32)'s evaluation.py or a MedS-Bench script. */
export function isBenchmarkTask(benchmark: string, task: string): boolean {
  return benchmark === 'medinst32' || benchmark === 'medinst' || benchmark === 'meds-bench' || medsTaskSpec(medsTaskIdFromFileName(task)) !== undefined;
}

/** Scores a task of neither benchmark with {@link naturalTaskSpec}'s metrics; null when its category has none. */
export function scoreNaturalTask(
  category: string | null | undefined,
  preds: readonly string[],
  golds: readonly string[],
  mode: MetricMode = 'reference',
): TaskScores | null {
  const spec = naturalTaskSpec(category);
  if (spec === undefined) return null;
  assertSameLength(preds, golds);
  return scoreWithSpec({ taskId: '', ...spec }, preds, golds, mode);
}

/** Said wherever English BLEU is scored without NLTK's Punkt model (docs/METRICS.md says how to install it). */
export const PUNKT_MISSING_NOTE = 'English BLEU approximate: Punkt model not found';

/**
 * Notes on how far scores of these tasks are from the reference's: the Punkt note when a
 * MedS-Bench task tokenises English-style (en/fr/es/ru BLEU) and no Punkt model is installed.
 */
export function scoreNotes(tasks: readonly { task: string; benchmark: string }[]): string[] {
  const english = tasks.some((t) => t.benchmark !== 'medinst32' && usesWordTokenize(t.task));
  return english && punktApproximate() ? [PUNKT_MISSING_NOTE] : [];
}

/** The metrics {@link scoreTask} reports for a task (same task naming), without scoring anything. */
export function taskMetricIds(benchmark: Benchmark, task: string): MetricId[] {
  if (benchmark === 'medinst32') return medinstMetrics(task.replace(/-zs$/, ''));
  return medsTaskSpec(medsTaskIdFromFileName(task))?.metrics ?? [];
}

/**
 * Scores one task the way its benchmark's reference script does.
 * MedINST32: `task` is the config name (e.g. 'PubMedQA-labeled'; a '-zs'
 * suffix is ignored). MedS-Bench: `task` is the task id ('task123') or a file
 * name starting with it; DDXPlus is 'DDXPlus'.
 */
export function scoreTask(benchmark: Benchmark, task: string, preds: readonly string[], golds: readonly string[], mode: MetricMode = 'reference'): TaskScores {
  assertSameLength(preds, golds);
  if (benchmark === 'medinst32') return scoreMedinst(task.replace(/-zs$/, ''), preds, golds, mode);
  return scoreMeds(medsTaskIdFromFileName(task), preds, golds, mode);
}
