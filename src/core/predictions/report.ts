/**
 * Per-item report: every pair with the metrics that are means of per-sample scores,
 * computed on that pair alone. Corpus-level metrics (label/tag macro-F1, MedS-Bench NER
 * and HoC P/R/F) have no per-item value and are not itemised.
 */
import { medsTaskIdFromFileName, medsTaskSpec, scoreTask, type MetricId } from '../metrics/registry';
import { pyStrip } from '../metrics/pyString';
import type { MetricMode } from '../metrics/types';
import { formatCsv } from './csv';
import type { PredictionSet } from './types';

/** Metrics whose corpus value is the mean of per-pair values. */
export const PER_ITEM_METRICS: readonly MetricId[] = [
  'rougeL',
  'wordF1',
  'exactMatch',
  'entityF1',
  'multiLabelF1',
  'biossesMse',
  'mcqAccuracy',
  'bleu1',
  'pyRougeL',
  'ieAccuracy',
  'diagnosisAccuracy',
  'treatmentAccuracy',
  'outcomeAccuracy',
  'nliAccuracy',
  'factAccuracy',
];

export interface ItemReportRow {
  task: string;
  /** 0-based position within its task. */
  index: number;
  line?: number;
  target: string;
  prediction: string;
  /** null: the reference script skips this pair (MedS-Bench empty explanations/rationales). */
  scores: Partial<Record<MetricId, number | null>>;
}

function skippedByReference(task: string, prediction: string, target: string, mode: MetricMode): boolean {
  if (mode !== 'reference') return false;
  const spec = medsTaskSpec(medsTaskIdFromFileName(task));
  if (!spec || spec.scorer.kind !== 'generation' || !spec.scorer.skipEmpty) return false;
  const prep = spec.scorer.prep === 'strip' ? pyStrip : (s: string) => s;
  return prep(prediction) === '' || prep(target) === '';
}

export function itemReport(set: PredictionSet, mode: MetricMode = 'reference', opts: { task?: string } = {}): ItemReportRow[] {
  const rows: ItemReportRow[] = [];
  const tasks = opts.task !== undefined ? [{ task: opts.task, pairs: set.tasks.flatMap((t) => t.pairs) }] : set.tasks;
  for (const t of tasks) {
    const known = set.benchmark === 'medinst32' || medsTaskSpec(medsTaskIdFromFileName(t.task)) !== undefined;
    t.pairs.forEach((p, index) => {
      const scores: ItemReportRow['scores'] = {};
      if (known) {
        const skip = set.benchmark === 'meds-bench' && skippedByReference(t.task, p.prediction, p.target, mode);
        const all = scoreTask(set.benchmark, t.task, [p.prediction], [p.target], mode);
        for (const id of PER_ITEM_METRICS) if (all[id] !== undefined) scores[id] = skip ? null : all[id];
      }
      const row: ItemReportRow = { task: t.task, index, target: p.target, prediction: p.prediction, scores };
      if (p.line !== undefined) row.line = p.line;
      rows.push(row);
    });
  }
  return rows;
}

export function serialiseItemReportJson(rows: readonly ItemReportRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** CSV: task, index, line, target, prediction, then one column per metric present (empty = skipped / not applicable). */
export function serialiseItemReportCsv(rows: readonly ItemReportRow[]): string {
  const ids = PER_ITEM_METRICS.filter((id) => rows.some((r) => id in r.scores));
  const header = ['task', 'index', 'line', 'target', 'prediction', ...ids];
  const body = rows.map((r) => [
    r.task,
    String(r.index),
    r.line === undefined ? '' : String(r.line),
    r.target,
    r.prediction,
    ...ids.map((id) => {
      const v = r.scores[id];
      return v === undefined || v === null ? '' : String(v);
    }),
  ]);
  return formatCsv([header, ...body]);
}
