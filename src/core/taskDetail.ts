/**
 * One task's facts for the task details panel and `medtask task`: what the importer stored
 * beside the items (definition, languages, variants, examples, provenance) and the metrics
 * a run of the task is scored with. Long lists are capped; their totals are always given.
 */
import type { CallArgs } from '../shared/contract';
import type { Capped, InstructionVariant, SplitName, TaskConfig, TaskDetail, TaskExample, TaskMetric, TaskSource } from '../shared/domain';
import type { Db } from './db/open';
import { taskSummaries } from './benchmarks/browse';
import { METRICS, isBenchmarkTask, naturalTaskSpec, taskMetricIds } from './metrics/registry';
import { metricFamily } from './metrics/taskMetrics';
import { NotFoundError } from './errors';
import { preferenceOrderSql } from './db/preferenceOrder';
import { CONFIG_PREFERENCE, SPLIT_PREFERENCE } from '../shared/enums';

/** Natural-instructions files hold a handful of examples; this only guards against odd files. */
export const EXAMPLE_LIMIT = 20;
/** Distinct instructions listed; MedINST tasks have one, generic imports may have one per item. */
export const INSTRUCTION_LIMIT = 5;

interface TaskRow {
  definition: string | null;
  sourceDataset: string | null;
  languagesJson: string | null;
  metadataJson: string | null;
  externalId: string | null;
}

function stringList(json: string | null): string[] {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function metadataList(json: string | null, key: string): string[] {
  if (!json) return [];
  const meta = JSON.parse(json) as Record<string, unknown>;
  const value = meta[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function examples(db: Db, taskId: number, polarity: 'positive' | 'negative'): Capped<TaskExample> {
  const total = db.prepare('SELECT COUNT(*) FROM task_examples WHERE task_id = ? AND polarity = ?').pluck().get(taskId, polarity) as number;
  const rows = db
    .prepare('SELECT input, outputs_json AS outputsJson, explanation FROM task_examples WHERE task_id = ? AND polarity = ? ORDER BY ord LIMIT ?')
    .all(taskId, polarity, EXAMPLE_LIMIT) as { input: string; outputsJson: string; explanation: string | null }[];
  return { total, items: rows.map((r) => ({ input: r.input, outputs: stringList(r.outputsJson), explanation: r.explanation })) };
}

function variants(db: Db, externalId: string | null, limit: number): Capped<InstructionVariant> {
  if (externalId === null) return { total: 0, items: [] };
  const total = db.prepare('SELECT COUNT(*) FROM instruction_variants WHERE external_id = ?').pluck().get(externalId) as number;
  const items = db
    .prepare('SELECT ord, kind, text FROM instruction_variants WHERE external_id = ? ORDER BY ord LIMIT ?')
    .all(externalId, limit) as InstructionVariant[];
  return { total, items };
}

function instructions(db: Db, taskId: number): TaskDetail['instructions'] {
  const total = db
    .prepare('SELECT COUNT(DISTINCT si.instruction_id) FROM split_instructions si JOIN splits s ON s.id = si.split_id WHERE s.task_id = ?')
    .pluck()
    .get(taskId) as number;
  const items = db
    .prepare(
      `SELECT n.text, u.itemCount FROM (
          SELECT si.instruction_id AS id, SUM(si.item_count) AS itemCount
            FROM split_instructions si JOIN splits s ON s.id = si.split_id
           WHERE s.task_id = ? GROUP BY si.instruction_id ORDER BY itemCount DESC, si.instruction_id LIMIT ?
        ) u JOIN instructions n ON n.id = u.id ORDER BY u.itemCount DESC, u.id`,
    )
    .all(taskId, INSTRUCTION_LIMIT) as { text: string; itemCount: number }[];
  return { total, items };
}

function sources(db: Db, taskId: number, hasVariants: boolean): TaskSource[] {
  const splits = db
    .prepare(
      `SELECT s.id AS splitId, s.config, s.split, src.path, src.size, src.sha256, src.layout, src.imported_at AS importedAt, src.app_version AS appVersion
         FROM sources src JOIN splits s ON s.id = src.split_id
        WHERE s.task_id = ?
        ORDER BY ${preferenceOrderSql('s.config', CONFIG_PREFERENCE)}, ${preferenceOrderSql('s.split', SPLIT_PREFERENCE)}`,
    )
    .all(taskId) as (Omit<TaskSource, 'kind' | 'config' | 'split' | 'files'> & { splitId: number; config: TaskConfig; split: SplitName })[];
  const files = db.prepare('SELECT path, size, sha256 FROM source_files WHERE split_id = ? ORDER BY part');
  const out: TaskSource[] = splits.map(({ splitId, ...s }) => ({ kind: 'split', ...s, files: files.all(splitId) as TaskSource['files'] }));
  if (hasVariants) {
    // Variants are keyed by task id, not by file: every definitions file imported may have supplied them.
    const defs = db
      .prepare('SELECT path, size, sha256, imported_at AS importedAt, app_version AS appVersion FROM definition_sources ORDER BY imported_at DESC, path')
      .all() as Omit<TaskSource, 'kind' | 'config' | 'split' | 'layout' | 'files'>[];
    for (const d of defs) out.push({ kind: 'definitions', config: null, split: null, layout: 'meds-ins-definitions', ...d, files: [] });
  }
  return out;
}

function metrics(benchmark: string, task: string, category: string | null): Pick<TaskDetail, 'metricFamily' | 'metrics'> {
  // The same choice a run makes when it scores this task (runs/scoring.ts, runs/store.ts):
  // a task of neither benchmark with a known category gets that category's natural metric.
  const family = metricFamily(benchmark, task);
  const natural = isBenchmarkTask(benchmark, task) ? undefined : naturalTaskSpec(category);
  const list: TaskMetric[] = (natural?.metrics ?? taskMetricIds(family, task)).map((id) => {
    const m = METRICS[id];
    return { id: m.id, name: m.displayName, higherIsBetter: m.higherIsBetter, scale: m.scale };
  });
  return { metricFamily: family, metrics: list };
}

export function getTask(db: Db, args: CallArgs<'getTask'>): TaskDetail {
  const [summary] = taskSummaries(db, { taskId: args.taskId });
  if (!summary) throw new NotFoundError(`no task with id ${args.taskId}`, { field: 'taskId' });
  const row = db
    .prepare(
      `SELECT definition, source_dataset AS sourceDataset, languages_json AS languagesJson, metadata_json AS metadataJson, external_id AS externalId
         FROM tasks WHERE id = ?`,
    )
    .get(args.taskId) as TaskRow;
  const instructionVariants = variants(db, row.externalId, args.variantLimit);
  return {
    ...summary,
    externalId: row.externalId,
    definition: row.definition,
    sourceDataset: row.sourceDataset,
    languages: stringList(row.languagesJson),
    domains: metadataList(row.metadataJson, 'domains'),
    urls: metadataList(row.metadataJson, 'urls'),
    instructions: instructions(db, args.taskId),
    instructionVariants,
    positiveExamples: examples(db, args.taskId, 'positive'),
    negativeExamples: examples(db, args.taskId, 'negative'),
    ...metrics(summary.benchmark, summary.name, summary.category),
    sources: sources(db, args.taskId, instructionVariants.total > 0),
  };
}
