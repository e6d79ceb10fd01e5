/**
 * Scores a prediction set with the metrics registry ({@link scoreTask}): per task, the
 * task's default metrics and the item count. MedS-Bench rows are grouped by `task_id`;
 * the summarisation groups CT and MRI are also reported pooled, as TextSummarization.py
 * does. Pure: no I/O.
 */
import {
  METRICS,
  MEDS_SUMMARIZATION_GROUPS,
  medinstEvalType,
  medsTaskIdFromFileName,
  medsTaskSpec,
  scoreTask,
  usesWordTokenize,
  PUNKT_MISSING_NOTE,
  type Benchmark,
  type MetricDefinition,
  type MetricId,
} from '../metrics/registry';
import type { MetricMode } from '../metrics/types';
import type { PredictionPair, PredictionSet, PredictionsFormat } from './types';
import { pandasView } from './pandasNa';
import { punktApproximate } from '../metrics/nltkWordTokenize';

export interface TaskScore {
  task: string;
  category?: string;
  /** Number of prediction/gold pairs given to the metrics. */
  count: number;
  metrics: Partial<Record<MetricId, number>>;
  /** Values stored in the file itself (MedINST32 `metrics`), for comparison. */
  reportedMetrics?: Record<string, number>;
  /** For pooled groups: the tasks pooled. */
  pooled?: string[];
  note?: string;
}

export interface ScoreReport {
  format: PredictionsFormat;
  benchmark: Benchmark;
  mode: MetricMode;
  tasks: TaskScore[];
  /** MedS-Bench CT / MRI summarisation groups, pooled over their tasks. */
  groups: TaskScore[];
  /** Tasks that were not scored, with the reason. */
  skipped: { task: string; count: number; reason: string }[];
  /** Display name, direction, reference key and scale of every metric that appears. */
  metricInfo: Partial<Record<MetricId, Omit<MetricDefinition, 'id'>>>;
  /** Where the values are not the reference's to the last digit, and why (e.g. {@link PUNKT_MISSING_NOTE}). */
  notes: string[];
}

export { PUNKT_MISSING_NOTE };

export interface ScoreOptions {
  mode?: MetricMode;
  /** MedS-Bench: score every row as this task (e.g. `DDXPlus`, whose script ignores task_id). */
  task?: string;
}

const preds = (pairs: readonly PredictionPair[]) => pairs.map((p) => p.prediction);
const golds = (pairs: readonly PredictionPair[]) => pairs.map((p) => p.target);

export function scorePredictionSet(set: PredictionSet, opts: ScoreOptions = {}): ScoreReport {
  const mode = opts.mode ?? 'reference';
  const report: ScoreReport = { format: set.format, benchmark: set.benchmark, mode, tasks: [], groups: [], skipped: [], metricInfo: {}, notes: [] };
  // reference mode on a MedS-Bench CSV: the strings the scripts see after pandas read the file
  const pandas = mode === 'reference' && set.format === 'meds-bench-csv';
  const view = (task: string, pairs: readonly PredictionPair[]): { p: string[]; g: string[]; note?: string } => {
    if (!pandas) return { p: preds(pairs), g: golds(pairs) };
    const v = pandasView(task, pairs);
    const parts: string[] = [];
    if (v.skipped > 0) parts.push(`${v.skipped} row(s) skipped: pandas reads the cell as NaN and the script skips it`);
    if (v.raisesAt.length > 0) {
      parts.push(
        `the reference script raises on a NaN cell (${v.raisesAt.slice(0, 3).join(', ')}${v.raisesAt.length > 3 ? ', …' : ''}); scored as the text given`,
      );
    }
    return parts.length > 0 ? { p: v.preds, g: v.golds, note: parts.join('; ') } : { p: v.preds, g: v.golds };
  };
  let tasks = set.tasks;
  if (opts.task !== undefined) {
    if (set.benchmark !== 'meds-bench') throw new Error('--task applies to MedS-Bench CSV files only (MedINST32 results name their tasks)');
    tasks = [{ task: opts.task, pairs: tasks.flatMap((t) => t.pairs) }];
  }
  for (const t of tasks) {
    if (t.pairs.length === 0) {
      report.skipped.push({ task: t.task, count: 0, reason: 'no predictions' });
      continue;
    }
    let note: string | undefined;
    if (set.benchmark === 'meds-bench') {
      const spec = medsTaskSpec(medsTaskIdFromFileName(t.task));
      if (!spec) {
        report.skipped.push({ task: t.task, count: t.pairs.length, reason: 'not a task of the MedS-Bench metric scripts (pass --task to score it as one)' });
        continue;
      }
    } else if (medinstEvalType(t.task.replace(/-zs$/, '')) === null && !['Multi-XScience', 'ParaMed'].includes(t.task.replace(/-zs$/, ''))) {
      note = 'not a MedINST32 test task: only rouge and f1';
    }
    const v = set.benchmark === 'meds-bench' ? view(t.task, t.pairs) : { p: preds(t.pairs), g: golds(t.pairs) };
    const entry: TaskScore = { task: t.task, count: v.p.length, metrics: scoreTask(set.benchmark, t.task, v.p, v.g, mode) };
    if (t.category !== undefined) entry.category = t.category;
    if (t.reportedMetrics) entry.reportedMetrics = t.reportedMetrics;
    const notes = [note, v.note].filter((n): n is string => n !== undefined);
    if (notes.length > 0) entry.note = notes.join('; ');
    if (set.benchmark === 'meds-bench' && usesWordTokenize(t.task) && punktApproximate() && !report.notes.includes(PUNKT_MISSING_NOTE)) {
      report.notes.push(PUNKT_MISSING_NOTE);
    }
    report.tasks.push(entry);
  }
  if (set.benchmark === 'meds-bench') {
    for (const group of ['CT', 'MRI'] as const) {
      const members = tasks.filter(
        (t) => (MEDS_SUMMARIZATION_GROUPS[group] as readonly string[]).includes(medsTaskIdFromFileName(t.task)) && t.pairs.length > 0,
      );
      if (members.length === 0) continue;
      const v = view(
        MEDS_SUMMARIZATION_GROUPS[group][0],
        members.flatMap((t) => t.pairs),
      );
      const entry: TaskScore = {
        task: group,
        count: v.p.length,
        pooled: members.map((t) => t.task),
        metrics: scoreTask('meds-bench', MEDS_SUMMARIZATION_GROUPS[group][0], v.p, v.g, mode),
      };
      if (v.note !== undefined) entry.note = v.note;
      report.groups.push(entry);
    }
  }
  for (const s of [...report.tasks, ...report.groups]) {
    for (const id of Object.keys(s.metrics) as MetricId[]) {
      const { id: _id, ...info } = METRICS[id];
      report.metricInfo[id] = info;
    }
  }
  return report;
}

/**
 * The `metrics` object evaluation.py stores for a MedINST32 task, keyed by its reference
 * keys (`rouge`, `f1`, `label_level_f1`, `em`, `entity_level_f1`, `label_leval_f1`, `mse`).
 */
export function medinst32ReferenceMetrics(
  task: string,
  predictions: readonly string[],
  targets: readonly string[],
  mode: MetricMode = 'reference',
): Record<string, number> {
  const scores = scoreTask('medinst32', task, predictions, targets, mode);
  const out: Record<string, number> = {};
  for (const [id, v] of Object.entries(scores) as [MetricId, number][]) out[METRICS[id].referenceKey] = v;
  return out;
}
