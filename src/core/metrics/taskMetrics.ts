/**
 * Which metrics a run's task is compared on, which one is primary, and how each one is
 * evaluated on a resample of items: the mean of per-item values for item-mean metrics, or
 * the benchmark's corpus formula recomputed (macro-F1 over labels, micro-F1 over entities).
 */
import type { MetricMode } from '../../shared/runs';
import type { CompareMetricInfo } from '../../shared/compare';
import { METRICS, medsTaskIdFromFileName, medsTaskSpec, taskMetricIds, type MetricId } from './registry';
import { sklearnMacroF1 } from './labelMacroF1';
import { normalizeAnswer } from './normalize';
import { bioTagF1 } from './bioTagF1';
import { nerMicroPrf } from './nerMicroF1';
import { hocMacroPrf } from './hocMacroPRF';

/** Which benchmark's scoring rules a task follows: MedS-Bench's when the file name is one of its tasks, MedINST32's otherwise. */
export function metricFamily(benchmark: string, task: string): 'medinst32' | 'meds-bench' {
  if (benchmark === 'medinst32') return 'medinst32';
  if (medsTaskSpec(medsTaskIdFromFileName(task))) return 'meds-bench';
  return 'medinst32';
}

/** Metrics whose task value is not the mean of per-item values. */
const CORPUS_METRICS: ReadonlySet<string> = new Set(['labelMacroF1', 'bioTagF1', 'nerPrecision', 'nerRecall', 'nerF1', 'hocPrecision', 'hocRecall', 'hocF1']);

export function isCorpusMetric(id: string): boolean {
  return CORPUS_METRICS.has(id);
}

export interface TaskMetrics {
  metrics: CompareMetricInfo[];
  /** Index of the primary metric: the benchmark's task-specific metric (the last it reports). */
  primary: number;
}

export function taskMetrics(benchmark: string, task: string): TaskMetrics {
  const ids = taskMetricIds(metricFamily(benchmark, task), task);
  const metrics = ids.map((id) => {
    const d = METRICS[id];
    return { id, displayName: d.displayName, higherIsBetter: d.higherIsBetter, scale: d.scale, corpus: isCorpusMetric(id) };
  });
  return { metrics, primary: Math.max(0, metrics.length - 1) };
}

/** The corpus formula of one metric on arrays of predictions and golds (first gold each). */
export type CorpusFormula = (preds: readonly string[], golds: readonly string[]) => number;

export function corpusFormula(id: string, mode: MetricMode): CorpusFormula {
  switch (id as MetricId) {
    case 'labelMacroF1':
      // Callers pass answers already through normalizeAnswer (see prepareTexts), so each
      // resample does not normalise again.
      return (p, g) => sklearnMacroF1(g, p);
    case 'bioTagF1':
      return bioTagF1;
    case 'nerPrecision':
      return (p, g) => nerMicroPrf(p, g, { mode }).precision;
    case 'nerRecall':
      return (p, g) => nerMicroPrf(p, g, { mode }).recall;
    case 'nerF1':
      return (p, g) => nerMicroPrf(p, g, { mode }).f1;
    case 'hocPrecision':
      return (p, g) => hocMacroPrf(p, g).precision;
    case 'hocRecall':
      return (p, g) => hocMacroPrf(p, g).recall;
    case 'hocF1':
      return (p, g) => hocMacroPrf(p, g).f1;
    default:
      throw new Error(`${id} is an item-mean metric, not a corpus one`);
  }
}

/** Texts as the corpus formula wants them (label macro-F1 compares normalised answers). */
export function prepareTexts(id: string, texts: readonly string[]): string[] {
  return id === 'labelMacroF1' ? texts.map(normalizeAnswer) : [...texts];
}
