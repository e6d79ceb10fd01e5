/**
 * Runs and their items as review sessions see them: by uid, with every item's stable key and
 * content fingerprint, and aligned across runs by item key.
 * A comparison scope is aligned by the compare workbench instead (comparisonScope.ts); a run
 * or a sample keeps every item, finished or not, in the first run's order.
 */
import type { MetricMode } from '../../shared/runs';
import type { Db } from '../db/open';
import { itemFingerprint, itemKey } from '../items/identity';
import { mulberry32 } from '../random';
import { scoreOneItem, type ItemScore } from './itemScore';
import { NotFoundError } from '../errors';

export interface RunRef {
  id: number;
  uid: string;
  name: string;
  modelLabel: string;
  createdAt: string;
  metricMode: MetricMode;
}

export interface RunItem {
  ord: number;
  key: string;
  benchmark: string;
  task: string;
  index: number | null;
  input: string;
  goldJson: string;
  output: string | null;
  status: 'pending' | 'done' | 'error';
}

export function runById(db: Db, id: number): RunRef {
  const r = db.prepare('SELECT id, uid, name, model_label AS modelLabel, created_at AS createdAt, metric_mode AS metricMode FROM runs WHERE id = ?').get(id) as
    RunRef | undefined;
  if (!r) throw new NotFoundError(`no run with id ${id}`, { field: 'runId' });
  return r;
}

export function runByUid(db: Db, uid: string): RunRef | undefined {
  return db.prepare('SELECT id, uid, name, model_label AS modelLabel, created_at AS createdAt, metric_mode AS metricMode FROM runs WHERE uid = ?').get(uid) as
    RunRef | undefined;
}

interface ItemDbRow {
  ord: number;
  benchmark: string;
  task: string;
  idx: number | null;
  input: string;
  gold_json: string;
  raw_output: string | null;
  status: RunItem['status'];
}

const toItem = (r: ItemDbRow): RunItem => ({
  ord: r.ord,
  key: itemKey({ benchmark: r.benchmark, task: r.task, index: r.idx, input: r.input }),
  benchmark: r.benchmark,
  task: r.task,
  index: r.idx,
  input: r.input,
  goldJson: r.gold_json,
  output: r.raw_output,
  status: r.status,
});

const ITEM_COLUMNS = 'ord, benchmark, task, idx, input, gold_json, raw_output, status';

export function runItems(db: Db, runId: number): RunItem[] {
  return (db.prepare(`SELECT ${ITEM_COLUMNS} FROM run_items WHERE run_id = ? ORDER BY ord`).all(runId) as ItemDbRow[]).map(toItem);
}

export function runItem(db: Db, runId: number, ord: number): RunItem | undefined {
  const r = db.prepare(`SELECT ${ITEM_COLUMNS} FROM run_items WHERE run_id = ? AND ord = ?`).get(runId, ord) as ItemDbRow | undefined;
  return r ? toItem(r) : undefined;
}

export function scoreOf(run: RunRef, it: RunItem): ItemScore {
  return scoreOneItem(it.benchmark, it.task, it.status === 'done' ? it.output : null, JSON.parse(it.goldJson) as string[], run.metricMode);
}

/** Fingerprints of the library's items at this key (several where a task has several configs or splits). */
export function libraryFingerprints(db: Db, benchmark: string, task: string, index: number | null): string[] | null {
  const taskExists = db.prepare('SELECT 1 FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id WHERE b.name = ? AND t.name = ?').get(benchmark, task);
  if (!taskExists) return null;
  if (index === null) return [];
  const rows = db
    .prepare(
      `SELECT i.input, i.output, i.outputs_json FROM items i JOIN splits s ON s.id = i.split_id JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
        WHERE b.name = ? AND t.name = ? AND i.idx = ?`,
    )
    .all(benchmark, task, index) as { input: string; output: string; outputs_json: string | null }[];
  return rows.map((r) => itemFingerprint(r.input, r.outputs_json ?? JSON.stringify([r.output])));
}

/** The library's input for this item, for runs that kept none (predictions files carry only outputs and targets). */
export function libraryInput(db: Db, benchmark: string, task: string, index: number | null): string | null {
  if (index === null) return null;
  return (
    (db
      .prepare(
        `SELECT i.input FROM items i JOIN splits s ON s.id = i.split_id JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
          WHERE b.name = ? AND t.name = ? AND i.idx = ? LIMIT 1`,
      )
      .pluck()
      .get(benchmark, task, index) as string | undefined) ?? null
  );
}

/**
 * What an annotation's fingerprint records: the library item's content where the library holds
 * the key (so a changed file is detected later), else the run's own copy of input and gold.
 */
export function fingerprintFor(db: Db, it: RunItem): string {
  const own = itemFingerprint(it.input, it.goldJson);
  const lib = libraryFingerprints(db, it.benchmark, it.task, it.index);
  if (!lib || lib.length === 0 || lib.includes(own)) return own;
  return lib[0]!;
}

/** Items present in every run, in the first run's order: key plus each run's ord. */
export function alignRuns(db: Db, runs: readonly RunRef[]): { key: string; ords: number[]; items: RunItem[] }[] {
  const perRun = runs.map((r) => {
    const byKey = new Map<string, RunItem>();
    for (const it of runItems(db, r.id)) if (!byKey.has(it.key)) byKey.set(it.key, it);
    return byKey;
  });
  const out: { key: string; ords: number[]; items: RunItem[] }[] = [];
  for (const [key] of perRun[0] ?? new Map<string, RunItem>()) {
    const items = perRun.map((m) => m.get(key));
    if (items.every((x): x is RunItem => x !== undefined)) out.push({ key, ords: items.map((x) => x.ord), items });
  }
  return out;
}

/** A seeded sample of n, kept in the runs' order so neighbouring items stay together. */
export function sampleAligned<T>(aligned: T[], n: number, seed: number): T[] {
  const rnd = mulberry32(seed);
  const idx = aligned.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => aligned[i]!);
}

/** The order in which a blind session shows an item's k outputs: column c shows run perm[c]. */
export function columnOrder(k: number, blind: boolean, seed: number, ord: number): number[] {
  const perm = Array.from({ length: k }, (_, i) => i);
  if (!blind) return perm;
  const rnd = mulberry32((seed ^ Math.imul(ord + 1, 0x9e3779b1)) >>> 0);
  for (let i = k - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm;
}
