/**
 * Per-item metric values of a run: each finished item scored on its own with the task's
 * metrics (the benchmark's formula on a one-item corpus), null where the reference script
 * skips the item (MedS-Bench's empty explanations). Values are cached in run_item_scores.
 */
import type { MetricMode } from '../../shared/runs';
import type { Db } from '../db/open';
import { medsTaskIdFromFileName, medsTaskSpec } from '../metrics/registry';
import { pyStrip } from '../metrics/pyString';
import { scoreRunTask } from '../runs/scoring';
import { metricFamily, taskMetrics } from '../metrics/taskMetrics';
import { invalidateCompareRun, runCache, runStamp } from './runCache';

export type ItemScores = Record<string, number | null>;

function skippedByReference(benchmark: string, task: string, prediction: string, gold: string, mode: MetricMode): boolean {
  if (mode !== 'reference' || metricFamily(benchmark, task) !== 'meds-bench') return false;
  const spec = medsTaskSpec(medsTaskIdFromFileName(task));
  if (!spec || spec.scorer.kind !== 'generation' || !spec.scorer.skipEmpty) return false;
  const prep = spec.scorer.prep === 'strip' ? pyStrip : (s: string) => s;
  return prep(prediction) === '' || prep(gold) === '';
}

/** One item's values; a failed item (no output) is scored as an empty answer, as the run's score does. */
export function scoreItem(benchmark: string, task: string, output: string | null, gold: string, mode: MetricMode): ItemScores {
  const p = output ?? '';
  const ids = taskMetrics(benchmark, task).metrics.map((m) => m.id);
  if (skippedByReference(benchmark, task, p, gold, mode)) return Object.fromEntries(ids.map((id) => [id, null]));
  const all = scoreRunTask(benchmark, task, [p], [gold], mode);
  return Object.fromEntries(ids.map((id) => [id, all[id] ?? null]));
}

/**
 * Scores and caches every finished item of a run that has no cached values yet; returns how many were scored.
 * `done` (the run's finished items, when the caller knows it) skips the search for unscored items when every one has a row.
 */
export function ensureItemScores(db: Db, runId: number, mode: MetricMode, done?: number): number {
  if (done !== undefined && storedCount(db, runId, mode) === done) return 0;
  const rows = db
    .prepare(
      `SELECT ri.ord, ri.benchmark, ri.task, ri.raw_output AS output, ri.gold_json AS gold
         FROM run_items ri
        WHERE ri.run_id = ? AND ri.status != 'pending'
          AND NOT EXISTS (SELECT 1 FROM run_item_scores s WHERE s.run_id = ri.run_id AND s.mode = ? AND s.ord = ri.ord)`,
    )
    .all(runId, mode) as { ord: number; benchmark: string; task: string; output: string | null; gold: string }[];
  if (rows.length === 0) return 0;
  const insert = db.prepare('INSERT OR REPLACE INTO run_item_scores (run_id, mode, ord, scores_json) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) {
      const gold = (JSON.parse(r.gold) as string[])[0] ?? '';
      insert.run(runId, mode, r.ord, JSON.stringify(scoreItem(r.benchmark, r.task, r.output, gold, mode)));
    }
  })();
  return rows.length;
}

function storedCount(db: Db, runId: number, mode: MetricMode): number {
  return db.prepare('SELECT COUNT(*) FROM run_item_scores WHERE run_id = ? AND mode = ?').pluck().get(runId, mode) as number;
}

/**
 * Cached values by ord (call {@link ensureItemScores} first). Parsed values are kept in the compare
 * cache (runCache.ts) while the number of stored rows is unchanged: a stored row never changes
 * (an item is scored once; a rescore drops them), so a compare, its statistics and a search re-use them.
 */
export function loadItemScores(db: Db, runId: number, mode: MetricMode, stamp?: string): Map<number, ItemScores> {
  const count = storedCount(db, runId, mode);
  return runCache(db).get(runId, stamp ?? runStamp(db, runId)?.stamp ?? '', `scores/${mode}`, count, () => {
    const out = new Map<number, ItemScores>();
    const rows = db.prepare('SELECT ord, scores_json AS json FROM run_item_scores WHERE run_id = ? AND mode = ?').all(runId, mode) as {
      ord: number;
      json: string;
    }[];
    for (const r of rows) out.set(r.ord, JSON.parse(r.json) as ItemScores);
    return { value: out, items: out.size };
  });
}

/** The parsed values if the compare cache holds them current, else undefined (nothing is read but a count). */
export function cachedItemScores(db: Db, runId: number, mode: MetricMode, stamp: string): Map<number, ItemScores> | undefined {
  return runCache(db).peek(runId, stamp, `scores/${mode}`, storedCount(db, runId, mode));
}

/** Drops a run's stored and cached per-item values of one mode (a rescore): the next compare scores its items again. */
export function forgetItemScores(db: Db, runId: number, mode: MetricMode): void {
  db.prepare('DELETE FROM run_item_scores WHERE run_id = ? AND mode = ?').run(runId, mode);
  invalidateCompareRun(db, runId);
}

export function loadItemScore(db: Db, runId: number, mode: MetricMode, ord: number): ItemScores | null {
  const json = db.prepare('SELECT scores_json FROM run_item_scores WHERE run_id = ? AND mode = ? AND ord = ?').pluck().get(runId, mode, ord) as
    string | undefined;
  return json === undefined ? null : (JSON.parse(json) as ItemScores);
}
