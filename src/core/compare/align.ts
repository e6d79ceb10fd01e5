/**
 * Aligns 2–8 runs by item identity (benchmark/task#index, src/core/items/identity.ts): per
 * task, the items every run finished, in the first run's order, and how many items of the
 * task each run lacks. Runs on different tasks never share a row; a multi-task selection is
 * grouped by task.
 */
import type { CompareMetricInfo } from '../../shared/compare';
import type { MetricMode, RunDetail } from '../../shared/runs';
import type { Db } from '../db/open';
import { itemKey } from '../items/identity';
import { cachedItemScores, ensureItemScores, loadItemScore, loadItemScores, type ItemScores } from './itemScores';
import { runCache, runStamp, type RunStamp } from './runCache';
import { taskMetrics } from '../metrics/taskMetrics';
import { BadInputError, NotFoundError } from '../errors';

export interface AlignedGroup {
  key: string;
  benchmark: string;
  task: string;
  category: string | null;
  metrics: CompareMetricInfo[];
  primary: number;
  /** Common item keys, in the first run's order. */
  keys: string[];
  /** The source position of each common item. */
  indexes: (number | null)[];
  /** ords[r][i]: run r's ord of common item i. */
  ords: number[][];
  missing: number[];
}

export interface RunItemFacts {
  ord: number;
  status: 'done' | 'error';
  group: string;
  index: number | null;
}

/** A compared run as the compare calls name it. */
export interface CompareRunHeader {
  id: number;
  name: string;
  kind: RunDetail['kind'];
  status: RunDetail['status'];
  modelLabel: string;
  metricMode: MetricMode;
}

export interface Alignment {
  runs: CompareRunHeader[];
  baseline: number;
  mode: MetricMode;
  groups: AlignedGroup[];
  /** Per run: its finished items by key. */
  items: Map<string, RunItemFacts>[];
  /** Per run: what its stored rows were when aligned (keys the cached reads below). */
  stamps: RunStamp[];
  /** Run r's per-item values by ord, every one (read once, then cached). */
  scoresOf(r: number): Map<number, ItemScores>;
}

export interface AlignOptions {
  runIds: number[];
  baselineRunId?: number;
  mode?: MetricMode;
  task?: string;
}

export function categoryOf(db: Db, benchmark: string, task: string): string | null {
  const row = db.prepare('SELECT t.category FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id WHERE b.name = ? AND t.name = ?').get(benchmark, task) as
    { category: string | null } | undefined;
  return row?.category ?? null;
}

interface RunFacts {
  byKey: Map<string, RunItemFacts>;
  tasks: Map<string, { benchmark: string; task: string }>;
}

// A run's finished items by key, kept (runCache.ts) while its stamp is unchanged: a finished
// item is never written again, so only a resumed or replaced run is read anew.
function runFacts(db: Db, runId: number, stamp: RunStamp): RunFacts {
  return runCache(db).get(runId, stamp.stamp, 'facts', undefined, () => {
    // Read from the run_items_status index alone (migration 10): an item row carries its input and
    // outputs, often past a page, and walking them was most of a cold compare.
    const rows = db
      .prepare(
        `SELECT ord, benchmark, task, idx, status FROM run_items INDEXED BY run_items_status
          WHERE run_id = ? AND status != 'pending' ORDER BY ord`,
      )
      .all(runId) as { ord: number; benchmark: string; task: string; idx: number | null; status: 'done' | 'error'; input?: string }[];
    // Items without a source position are named by their input's hash (imported predictions).
    const unplaced = db.prepare('SELECT input FROM run_items WHERE run_id = ? AND ord = ?').pluck();
    for (const row of rows) if (row.idx === null) row.input = unplaced.get(runId, row.ord) as string;
    const byKey = new Map<string, RunItemFacts>();
    const tasks = new Map<string, { benchmark: string; task: string }>();
    let group = '';
    let lastBenchmark = '';
    let lastTask = '';
    for (const row of rows) {
      // Rows of one task come together: one group string per task, not one per item.
      if (row.benchmark !== lastBenchmark || row.task !== lastTask || group === '') {
        lastBenchmark = row.benchmark;
        lastTask = row.task;
        group = `${row.benchmark}/${row.task}`;
      }
      if (!tasks.has(group)) tasks.set(group, { benchmark: row.benchmark, task: row.task });
      // itemKey's `benchmark/task#index`, built from the group string already made.
      const key =
        row.idx !== null && Number.isInteger(row.idx)
          ? `${group}#${row.idx}`
          : itemKey({ benchmark: row.benchmark, task: row.task, index: row.idx, input: row.input ?? '' });
      if (byKey.has(key)) continue; // a run lists an item once; a duplicate position keeps the first
      byKey.set(key, { ord: row.ord, status: row.status, group, index: row.idx });
    }
    return { value: { byKey, tasks }, items: byKey.size };
  });
}

/**
 * What a compare says about each run, read without the run's full summary (its task scores and
 * token totals cost a pass over every item per run): a run whose every item failed reads as
 * failed, as in the run list.
 */
function runHeader(db: Db, runId: number): { header: CompareRunHeader; stamp: RunStamp } {
  const r = db.prepare('SELECT id, name, kind, status, model_label AS modelLabel, metric_mode AS metricMode FROM runs WHERE id = ?').get(runId) as
    CompareRunHeader | undefined;
  const stamp = r && runStamp(db, runId);
  if (!r || !stamp) throw new NotFoundError(`no run with id ${runId}`, { field: 'runId' });
  const allFailed = r.status === 'done' && stamp.total > 0 && stamp.errors === stamp.total;
  return { header: { ...r, status: allFailed ? 'failed' : r.status }, stamp };
}

export function alignRuns(db: Db, opts: AlignOptions): Alignment {
  const ids = opts.runIds;
  if (new Set(ids).size !== ids.length) throw new BadInputError('the same run is listed twice', { field: 'runIds' });
  const heads = ids.map((id) => runHeader(db, id));
  const runs = heads.map((h) => h.header);
  const baseline = opts.baselineRunId === undefined ? 0 : ids.indexOf(opts.baselineRunId);
  if (baseline < 0) throw new BadInputError(`baseline run ${opts.baselineRunId} is not one of the compared runs`, { field: 'baselineRunId' });
  const mode = opts.mode ?? runs[baseline]!.metricMode;

  const items: Map<string, RunItemFacts>[] = [];
  const groupOrder: string[] = [];
  const groupMeta = new Map<string, { benchmark: string; task: string; perRun: number[] }>();
  runs.forEach((run, r) => {
    const stamp = heads[r]!.stamp;
    ensureItemScores(db, run.id, mode, stamp.done);
    const all = runFacts(db, run.id, stamp);
    const byKey = opts.task === undefined ? all.byKey : new Map<string, RunItemFacts>();
    for (const [key, f] of all.byKey) {
      const t = all.tasks.get(f.group)!;
      if (opts.task !== undefined && f.group !== opts.task && t.task !== opts.task) continue;
      let meta = groupMeta.get(f.group);
      if (!meta) {
        meta = { benchmark: t.benchmark, task: t.task, perRun: runs.map(() => 0) };
        groupMeta.set(f.group, meta);
        groupOrder.push(f.group);
      }
      meta.perRun[r]!++;
      if (opts.task !== undefined) byKey.set(key, f);
    }
    items.push(byKey);
  });
  if (opts.task !== undefined && groupOrder.length === 0)
    throw new NotFoundError(`none of the runs has finished items of task "${opts.task}"`, { field: 'task' });

  const groups: AlignedGroup[] = [];
  for (const key of groupOrder) {
    const meta = groupMeta.get(key)!;
    const keys: string[] = [];
    const indexes: (number | null)[] = [];
    const ords: number[][] = runs.map(() => []);
    // The first run that has the task gives the order; common items are in every run.
    const lead = items.find((m) => {
      for (const f of m.values()) if (f.group === key) return true;
      return false;
    })!;
    for (const [k, f] of lead) {
      if (f.group !== key) continue;
      const hits = items.map((m) => m.get(k));
      if (hits.some((h) => h === undefined)) continue;
      keys.push(k);
      indexes.push(f.index);
      hits.forEach((h, r) => ords[r]!.push(h!.ord));
    }
    // Union of the task's items over runs, minus each run's own.
    const union = new Set<string>();
    for (const m of items) for (const [k, f] of m) if (f.group === key) union.add(k);
    const tm = taskMetrics(meta.benchmark, meta.task);
    groups.push({
      key,
      benchmark: meta.benchmark,
      task: meta.task,
      category: categoryOf(db, meta.benchmark, meta.task),
      metrics: tm.metrics,
      primary: tm.primary,
      keys,
      indexes,
      ords,
      missing: meta.perRun.map((n) => union.size - n),
    });
  }
  const stamps = heads.map((h) => h.stamp);
  const scores: Map<number, ItemScores>[] = [];
  const scoresOf = (r: number) => (scores[r] ??= loadItemScores(db, runs[r]!.id, mode, stamps[r]!.stamp));
  return { runs, baseline, mode, groups, items, stamps, scoresOf };
}

/** values[r][i] of one metric over a group's common items (null: skipped by the benchmark). */
export function groupValues(al: Alignment, g: AlignedGroup, metric: string): (number | null)[][] {
  return al.runs.map((_, r) => {
    const scores = al.scoresOf(r);
    return g.ords[r]!.map((ord) => scores.get(ord)?.[metric] ?? null);
  });
}

/**
 * Reads of run r's stored answers and per-item values by ord: all at once (cached) when `many`
 * will be read (the whole comparison, a search), else one row at a time (a first page), unless
 * they are cached already.
 */
export function runReads(db: Db, al: Alignment, r: number, many: boolean): { answer(ord: number): string | null; scores(ord: number): ItemScores | undefined } {
  const runId = al.runs[r]!.id;
  const stamp = al.stamps[r]!.stamp;
  const cache = runCache(db);
  let answers = cache.peek<Map<number, string | null>>(runId, stamp, 'answers');
  if (!answers && many)
    answers = cache.get(runId, stamp, 'answers', undefined, () => {
      const rows = db.prepare("SELECT ord, extracted FROM run_items WHERE run_id = ? AND status != 'pending'").all(runId) as {
        ord: number;
        extracted: string | null;
      }[];
      return { value: new Map(rows.map((x) => [x.ord, x.extracted])), items: rows.length };
    });
  const one = db.prepare('SELECT extracted FROM run_items WHERE run_id = ? AND ord = ?').pluck();
  const scores = many ? al.scoresOf(r) : cachedItemScores(db, runId, al.mode, stamp);
  return {
    answer: (ord) => (answers ? (answers.get(ord) ?? null) : ((one.get(runId, ord) as string | null | undefined) ?? null)),
    scores: (ord) => (scores ? scores.get(ord) : (loadItemScore(db, runId, al.mode, ord) ?? undefined)),
  };
}
