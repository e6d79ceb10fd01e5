/**
 * The `itemRuns` call: every run that answered one library item, found by item identity
 * (benchmark/task#index, src/core/items/identity.ts) — a run over the item's few-shot or zero-shot
 * copy, or an imported predictions file, answered the same record — with its answer and per-item
 * metric values (the compare cache, run_item_scores), the kind of answer the task expects and where
 * the item's demonstrations come from.
 */
import type { ItemRunAnswer, ItemRunsResult, ItemShots } from '../../shared/itemRuns';
import type { MetricMode, RunDetail } from '../../shared/runs';
import type { Item } from '../../shared/domain';
import type { Db } from '../db/open';
import { getItem } from '../benchmarks/browse';
import { itemKey } from '../items/identity';
import { getRunDetail } from '../runs/store';
import { loadItemScore, scoreItem, type ItemScores } from '../compare/itemScores';
import { metricFamily, taskMetrics } from '../metrics/taskMetrics';
import { MEDS_DEFAULT_K } from '../prompts/medsBench';
import { answerKind, entityTypeOf } from './answerKind';

/** Moved to ./answerKind (the run store and Compare use them too); still exported here for existing callers. */
export { answerKind, entityTypeOf };

export function itemShots(item: Pick<Item, 'benchmark' | 'task' | 'history'>): ItemShots {
  if (item.history.length > 0) {
    const n = item.history.length;
    return {
      source: 'history',
      count: n,
      note: `${n} ${n === 1 ? 'pair' : 'pairs'} stored with the record (its file's history field), shown to the model before the input.`,
    };
  }
  if (metricFamily(item.benchmark, item.task) === 'meds-bench') {
    return {
      source: 'drawn',
      count: MEDS_DEFAULT_K,
      note:
        `None stored with the record: MedS-Bench runs draw ${MEDS_DEFAULT_K} demonstrations (the run's k) from this task's other instances ` +
        "in the same split when the run starts, seeded per item by the run's seed, as MedS-Ins' eval.py does (its reference mode can " +
        "draw the item itself), or from the task's positive examples when the run's template says so. Each run's exact prompt is under its answer.",
    };
  }
  return { source: 'none', count: 0, note: 'None: this record is prompted zero-shot unless a run asks for drawn examples.' };
}

interface Row {
  run_id: number;
  ord: number;
  item_id: number | null;
  idx: number | null;
  input: string;
  gold_json: string;
  status: 'pending' | 'done' | 'error';
  rendered_prompt: string | null;
  raw_output: string | null;
  extracted: string | null;
  error: string | null;
  output_tokens: number | null;
  latency_ms: number | null;
}

/** One item's cached values, scored and cached now when missing (one item, not the whole run). */
function itemScores(db: Db, run: RunDetail, row: Row, benchmark: string, task: string): ItemScores | null {
  if (row.status === 'pending') return null;
  const mode: MetricMode = run.metricMode;
  const cached = loadItemScore(db, run.id, mode, row.ord);
  if (cached) return cached;
  const gold = (JSON.parse(row.gold_json) as string[])[0] ?? '';
  const scores = scoreItem(benchmark, task, row.raw_output, gold, mode);
  db.prepare('INSERT OR REPLACE INTO run_item_scores (run_id, mode, ord, scores_json) VALUES (?, ?, ?, ?)').run(run.id, mode, row.ord, JSON.stringify(scores));
  return scores;
}

export function itemRuns(db: Db, args: { itemId: number }): ItemRunsResult {
  const item = getItem(db, { itemId: args.itemId });
  const key = itemKey({ benchmark: item.benchmark, task: item.task, index: item.index, input: item.input });
  const rows = db
    .prepare(
      `SELECT run_id, ord, item_id, idx, input, gold_json, status, rendered_prompt, raw_output, extracted, error, output_tokens, latency_ms
         FROM run_items WHERE benchmark = ? AND task = ? AND (idx = ? OR idx IS NULL) ORDER BY run_id DESC, ord`,
    )
    .all(item.benchmark, item.task, item.index) as Row[];
  // Same identity is not enough where a task has several splits (test #5 and train #5 share a key):
  // the row must be this item, or hold its text (its copy in the other config, a predictions file).
  const seen = new Set<number>();
  const runs: ItemRunAnswer[] = [];
  for (const row of rows) {
    if (seen.has(row.run_id)) continue;
    // A predictions file without inputs names items by position only: its key is all there is.
    const positional = row.item_id === null && row.input === '' && row.idx === item.index;
    if (row.item_id !== item.id && row.input !== item.input && !positional) continue;
    seen.add(row.run_id);
    const run = getRunDetail(db, row.run_id);
    const spec = run.spec;
    runs.push({
      runId: run.id,
      runName: run.name,
      kind: run.kind,
      runStatus: run.status,
      modelLabel: run.modelLabel,
      configName: spec?.model.kind === 'local' ? (spec.model.configName ?? null) : null,
      taskConfig: spec?.selection.config ?? null,
      strategy: spec?.template.strategy ?? null,
      shots: spec?.template.k ?? null,
      metricMode: run.metricMode,
      ord: row.ord,
      status: row.status,
      extracted: row.extracted,
      rawOutput: row.raw_output,
      renderedPrompt: row.rendered_prompt,
      error: row.error,
      outputTokens: row.output_tokens,
      latencyMs: row.latency_ms,
      scores: itemScores(db, run, row, item.benchmark, item.task),
    });
  }
  const tm = taskMetrics(item.benchmark, item.task);
  const kind = answerKind(item.benchmark, item.task);
  return {
    itemId: item.id,
    key,
    answerKind: kind,
    entityType: kind === 'bio' ? entityTypeOf(item.instruction) : null,
    shots: itemShots(item),
    metrics: tm.metrics,
    primary: tm.primary,
    runs,
  };
}
