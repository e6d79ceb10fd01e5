/**
 * Read side of the library: the queries behind browsing. Every list is keyset-paged or
 * small by construction (benchmarks, tasks), so no call scans the items table.
 */
import type { Benchmark, HistoryTurn, Item, ItemPage, ItemSummary, SplitName, SplitSummary, TaskConfig, TaskSummary } from '../../shared/domain';
import type { CallArgs } from '../../shared/contract';
import type { Db } from '../db/open';
import { NotFoundError } from '../errors';

const PREVIEW_CHARS = 160;

export function listBenchmarks(db: Db): Benchmark[] {
  return db
    .prepare(
      `SELECT b.id, b.name, b.title,
              (SELECT COUNT(*) FROM tasks t WHERE t.benchmark_id = b.id) AS taskCount,
              COALESCE((SELECT SUM(s.item_count) FROM splits s JOIN tasks t ON t.id = s.task_id WHERE t.benchmark_id = b.id), 0) AS itemCount
         FROM benchmarks b ORDER BY b.title`,
    )
    .all() as Benchmark[];
}

interface TaskRow {
  id: number;
  benchmarkId: number;
  benchmark: string;
  name: string;
  category: string | null;
}

interface SplitRow extends SplitSummary {
  taskId: number;
}

// Few-shot before zero-shot, test before dev before train: the order a benchmark is read in.
const SPLIT_ORDER = `CASE s.config WHEN 'few-shot' THEN 0 WHEN 'zero-shot' THEN 1 ELSE 2 END,
                     CASE s.split WHEN 'test' THEN 0 WHEN 'dev' THEN 1 ELSE 2 END`;

export function listTasks(db: Db, args: CallArgs<'listTasks'>): TaskSummary[] {
  return taskSummaries(db, args.benchmarkId === undefined ? {} : { benchmarkId: args.benchmarkId });
}

/** Tasks with their splits and counts, of one benchmark, one task, or the whole library. */
export function taskSummaries(db: Db, filter: { benchmarkId?: number; taskId?: number }): TaskSummary[] {
  const where = filter.taskId !== undefined ? 'WHERE t.id = @taskId' : filter.benchmarkId !== undefined ? 'WHERE t.benchmark_id = @benchmarkId' : '';
  const params = filter.taskId !== undefined ? { taskId: filter.taskId } : filter.benchmarkId !== undefined ? { benchmarkId: filter.benchmarkId } : {};
  const tasks = db
    .prepare(
      `SELECT t.id, t.benchmark_id AS benchmarkId, b.name AS benchmark, t.name, t.category
         FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id ${where}
        ORDER BY b.title, t.name`,
    )
    .all(params) as TaskRow[];
  const splits = db
    .prepare(
      `SELECT s.id, s.task_id AS taskId, s.config, s.split, s.item_count AS itemCount
         FROM splits s JOIN tasks t ON t.id = s.task_id ${where}
        ORDER BY s.task_id, ${SPLIT_ORDER}`,
    )
    .all(params) as SplitRow[];
  const byTask = new Map<number, SplitSummary[]>();
  for (const { taskId, ...s } of splits) {
    const list = byTask.get(taskId) ?? [];
    list.push(s);
    byTask.set(taskId, list);
  }
  return tasks.map((t) => {
    const taskSplits = byTask.get(t.id) ?? [];
    return { ...t, splits: taskSplits, itemCount: taskSplits.reduce((n, s) => n + s.itemCount, 0) };
  });
}

function resolveSplit(db: Db, args: CallArgs<'pageItems'>): SplitSummary {
  const task = db.prepare('SELECT id FROM tasks WHERE id = ?').get(args.taskId);
  if (!task) throw new NotFoundError(`no task with id ${args.taskId}`, { field: 'taskId' });
  const split = db
    .prepare(
      `SELECT s.id, s.config, s.split, s.item_count AS itemCount FROM splits s
        WHERE s.task_id = @taskId
          AND (@config IS NULL OR s.config = @config)
          AND (@split IS NULL OR s.split = @split)
        ORDER BY ${SPLIT_ORDER} LIMIT 1`,
    )
    .get({ taskId: args.taskId, config: args.config ?? null, split: args.split ?? null }) as SplitSummary | undefined;
  if (!split) {
    const wanted = [args.config, args.split].filter(Boolean).join('/') || 'any';
    throw new NotFoundError(`task ${args.taskId} has no ${wanted} split`, { field: args.split ? 'split' : 'config' });
  }
  return split;
}

function preview(instruction: string, input: string): string {
  const text = (input || instruction).replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/** One page of a task's split, by keyset on the record index: page 10,000 costs what page 1 does. */
export function pageItems(db: Db, args: CallArgs<'pageItems'>): ItemPage {
  const split = resolveSplit(db, args);
  const rows = db
    .prepare(
      `SELECT i.id, i.idx, substr(n.text, 1, 400) AS instruction, substr(i.input, 1, 400) AS input, substr(i.output, 1, 200) AS output
         FROM items i JOIN instructions n ON n.id = i.instruction_id
        WHERE i.split_id = ? AND i.idx > ? ORDER BY i.idx LIMIT ?`,
    )
    .all(split.id, args.after ?? -1, args.limit + 1) as { id: number; idx: number; instruction: string; input: string; output: string }[];
  const more = rows.length > args.limit;
  const page = more ? rows.slice(0, args.limit) : rows;
  const items: ItemSummary[] = page.map((r) => ({
    id: r.id,
    index: r.idx,
    config: split.config,
    split: split.split,
    preview: preview(r.instruction, r.input),
    output: r.output,
  }));
  return { items, nextCursor: more ? (page.at(-1)?.idx ?? null) : null, total: split.itemCount };
}

export function getItem(db: Db, args: CallArgs<'getItem'>): Item {
  const row = db
    .prepare(
      `SELECT i.id, i.idx, n.text AS instruction, i.input, i.output, i.outputs_json, i.history_json,
              s.config, s.split, t.id AS taskId, t.name AS task, b.name AS benchmark
         FROM items i JOIN instructions n ON n.id = i.instruction_id
         JOIN splits s ON s.id = i.split_id JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
        WHERE i.id = ?`,
    )
    .get(args.itemId) as
    | {
        id: number;
        idx: number;
        instruction: string;
        input: string;
        output: string;
        outputs_json: string | null;
        history_json: string | null;
        config: TaskConfig;
        split: SplitName;
        taskId: number;
        task: string;
        benchmark: string;
      }
    | undefined;
  if (!row) throw new NotFoundError(`no item with id ${args.itemId}`, { field: 'itemId' });
  return {
    id: row.id,
    index: row.idx,
    taskId: row.taskId,
    task: row.task,
    benchmark: row.benchmark,
    config: row.config,
    split: row.split,
    instruction: row.instruction,
    input: row.input,
    output: row.output,
    outputs: row.outputs_json ? (JSON.parse(row.outputs_json) as string[]) : [row.output],
    history: row.history_json ? (JSON.parse(row.history_json) as HistoryTurn[]) : [],
  };
}
