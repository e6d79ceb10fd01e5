/**
 * The leaderboard: every run with finished items × the tasks it ran, each cell the task's
 * primary metric with a seeded 95% bootstrap interval over the run's items (corpus metrics
 * recomputed per resample), plus MedS-Bench's own grouping — the mean over each category's
 * tasks. Imported predictions sit beside local runs. Where reviewers annotated a run's outputs,
 * its entry carries per-task review counts and the score adjusted by review (leaderboardReviews.ts).
 */
import type { LeaderboardColumn, LeaderboardEntry, LeaderboardResult } from '../../shared/compare';
import type { RunDetail } from '../../shared/runs';
import type { Db } from '../db/open';
import { medsTaskIdFromFileName, medsTaskSpec } from '../metrics/registry';
import { getRunDetail } from '../runs/store';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrapCi } from '../stats';
import { categoryOf } from './align';
import { ensureItemScores, loadItemScores } from './itemScores';
import { loadRunReviews, taskReview } from './leaderboardReviews';
import { corpusFormula, metricFamily, prepareTexts, taskMetrics } from '../metrics/taskMetrics';
import type { StatOptions } from './compareStats';

export function describeRun(run: RunDetail): string {
  const spec = run.spec;
  if (!spec) return run.kind === 'imported' ? `imported ${run.modelLabel.replace(/^predictions file /, '')}` : run.modelLabel;
  const shots = spec.template.k === undefined || spec.template.k === null ? '' : `, ${spec.template.k}-shot`;
  const model =
    spec.model.kind === 'local'
      ? spec.model.path.split(/[\\/]/).pop() + (spec.model.loras?.length ? ` + ${spec.model.loras.length} LoRA` : '')
      : `${spec.model.model} @ ${spec.model.baseUrl}`;
  return `${model}; ${spec.template.strategy}${shots}; T=${spec.decoding.temperature}`;
}

function categoryFor(db: Db, benchmark: string, task: string): string | null {
  if (metricFamily(benchmark, task) === 'meds-bench') return medsTaskSpec(medsTaskIdFromFileName(task))?.category ?? null;
  return categoryOf(db, benchmark, task);
}

export function leaderboard(db: Db, given: Partial<StatOptions> & { benchmark?: string; category?: string }): LeaderboardResult {
  const opts = { ...given, resamples: given.resamples ?? DEFAULT_RESAMPLES, seed: given.seed ?? DEFAULT_SEED };
  const runIds = db.prepare("SELECT DISTINCT run_id FROM run_items WHERE status != 'pending' ORDER BY run_id").pluck().all() as number[];
  const columns = new Map<string, LeaderboardColumn>();
  const entries: LeaderboardEntry[] = [];
  const boot = { resamples: opts.resamples, seed: opts.seed, level: 0.95 };
  for (const runId of runIds) {
    const run = getRunDetail(db, runId);
    ensureItemScores(db, runId, run.metricMode);
    const scores = loadItemScores(db, runId, run.metricMode);
    const rows = db.prepare("SELECT ord, benchmark, task FROM run_items WHERE run_id = ? AND status != 'pending' ORDER BY ord").all(runId) as {
      ord: number;
      benchmark: string;
      task: string;
    }[];
    const byTask = new Map<string, { benchmark: string; task: string; ords: number[] }>();
    for (const r of rows) {
      const k = `${r.benchmark}/${r.task}`;
      const t = byTask.get(k) ?? { benchmark: r.benchmark, task: r.task, ords: [] };
      t.ords.push(r.ord);
      byTask.set(k, t);
    }
    const entry: LeaderboardEntry = { runId, name: run.name, modelLabel: run.modelLabel, kind: run.kind, config: describeRun(run), cells: {}, categories: {} };
    const reviews = loadRunReviews(db, runId);
    for (const [key, t] of byTask) {
      if (opts.benchmark !== undefined && t.benchmark !== opts.benchmark) continue;
      const category = categoryFor(db, t.benchmark, t.task);
      if (opts.category !== undefined && category !== opts.category) continue;
      const tm = taskMetrics(t.benchmark, t.task);
      const m = tm.metrics[tm.primary];
      if (!m) continue;
      if (!columns.has(key))
        columns.set(key, {
          key,
          benchmark: t.benchmark,
          task: t.task,
          category,
          metric: m.id,
          displayName: m.displayName,
          scale: m.scale,
          higherIsBetter: m.higherIsBetter,
        });
      let ci;
      if (m.corpus) {
        const text = db
          .prepare(
            `SELECT ord, raw_output AS o, gold_json AS g FROM run_items WHERE run_id = ? AND benchmark = ? AND task = ? AND status != 'pending' ORDER BY ord`,
          )
          .all(runId, t.benchmark, t.task) as { o: string | null; g: string }[];
        const formula = corpusFormula(m.id, run.metricMode);
        const preds = prepareTexts(
          m.id,
          text.map((x) => x.o ?? ''),
        );
        const golds = prepareTexts(
          m.id,
          text.map((x) => (JSON.parse(x.g) as string[])[0] ?? ''),
        );
        ci = bootstrapCi(
          preds.length,
          (idx) =>
            idx
              ? formula(
                  Array.from(idx, (i) => preds[i]!),
                  Array.from(idx, (i) => golds[i]!),
                )
              : formula(preds, golds),
          boot,
        );
      } else {
        const vals = t.ords.map((o) => scores.get(o)?.[m.id] ?? null).filter((v): v is number => v !== null);
        ci = bootstrapCi(
          vals.length,
          (idx) => {
            let s = 0;
            if (!idx) for (const v of vals) s += v;
            else for (let j = 0; j < idx.length; j++) s += vals[idx[j]!]!;
            return s / (idx ? idx.length : vals.length);
          },
          boot,
        );
      }
      entry.cells[key] = { estimate: ci.estimate, low: ci.low, high: ci.high, n: ci.n };
      const review = reviews ? taskReview(reviews, t.ords, scores, m) : null;
      if (review) (entry.reviews ??= {})[key] = review;
      if (metricFamily(t.benchmark, t.task) === 'meds-bench' && category && Number.isFinite(ci.estimate)) {
        const c = entry.categories[category] ?? { mean: 0, tasks: 0 };
        c.mean = (c.mean * c.tasks + ci.estimate) / (c.tasks + 1);
        c.tasks++;
        entry.categories[category] = c;
      }
    }
    if (Object.keys(entry.cells).length) entries.push(entry);
  }
  const cols = [...columns.values()].sort(
    (a, b) => a.benchmark.localeCompare(b.benchmark) || (a.category ?? '').localeCompare(b.category ?? '') || a.task.localeCompare(b.task),
  );
  const categories = [...new Set(cols.map((c) => c.category).filter((c): c is string => c !== null))].sort();
  return { columns: cols, entries, categories, level: 0.95, resamples: opts.resamples, seed: opts.seed };
}
