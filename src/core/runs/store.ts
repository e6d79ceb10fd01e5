/**
 * Persistence of runs. Every finished item is one guarded UPDATE (`WHERE status =
 * 'pending'`), committed on its own: after a crash the pending rows are exactly the work
 * left, and an item can never be written twice.
 */
import type { HistoryTurn, SplitName, TaskConfig } from '../../shared/domain';
import { CONFIG_PREFERENCE, SPLIT_PREFERENCE } from '../../shared/enums';
import { preferenceOrderSql } from '../db/preferenceOrder';
import { BadInputError, NotFoundError } from '../errors';
import { readStoredJson } from '../storedJson';
import { runSpecSchema } from '../../shared/runSchemas';
import type {
  MetricMode,
  RunDetail,
  RunItemFacets,
  RunItemPage,
  RunItemRow,
  RunItemScore,
  RunKind,
  RunSetup,
  RunSpec,
  RunStatus,
  RunSummary,
  SelectionSpec,
  TaskScore,
} from '../../shared/runs';
import type { Db } from '../db/open';
import { canonicalJson } from '../prompts/template';
import { mulberry32, sampleWithoutReplacement } from '../prompts/prng';
import { APP_VERSION } from '../version';
import { isBenchmarkTask, scoreNaturalTask, scoreNotes } from '../metrics/registry';
import { ensureItemScores, loadItemScores } from '../compare/itemScores';
import { taskMetrics } from '../metrics/taskMetrics';
import { answerKind, entityTypeOf } from '../itemRuns/answerKind';

export interface SelectedItem {
  itemId: number | null;
  benchmark: string;
  task: string;
  index: number | null;
  input: string;
  gold: string[];
}

interface SplitChoice {
  splitId: number;
  benchmark: string;
  task: string;
  config: TaskConfig;
  split: SplitName;
}

function chooseSplit(db: Db, taskId: number, config?: TaskConfig, split?: SplitName): SplitChoice {
  const row = db
    .prepare(
      `SELECT s.id AS splitId, b.name AS benchmark, t.name AS task, s.config, s.split
         FROM splits s JOIN tasks t ON t.id = s.task_id JOIN benchmarks b ON b.id = t.benchmark_id
        WHERE t.id = @taskId AND (@config IS NULL OR s.config = @config) AND (@split IS NULL OR s.split = @split)
        ORDER BY ${preferenceOrderSql('s.split', SPLIT_PREFERENCE)}, ${preferenceOrderSql('s.config', CONFIG_PREFERENCE)}
        LIMIT 1`,
    )
    .get({ taskId, config: config ?? null, split: split ?? null }) as SplitChoice | undefined;
  if (!row) {
    // Named as the user sees the task (benchmark/name), never by its internal id.
    const task = db.prepare("SELECT b.name || '/' || t.name FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id WHERE t.id = ?").pluck().get(taskId) as
      string | undefined;
    const what = [config, split].filter(Boolean).join(' ');
    throw new NotFoundError(
      task === undefined
        ? `no task with id ${taskId} (removed from the library?)`
        : `${task} has no ${what ? `${what} ` : ''}split to run${config ? '; pick another config or leave it automatic' : ''}`,
      { field: config ? 'selection.config' : 'selection.taskIds' },
    );
  }
  return row;
}

/** The items a run covers, in a stable order: per task, file order (or a seeded sample in file order). */
export function selectItems(db: Db, selection: SelectionSpec): { items: SelectedItem[]; splits: SplitChoice[] } {
  const items: SelectedItem[] = [];
  const splits: SplitChoice[] = [];
  const rows = db.prepare('SELECT id, idx, input, output, outputs_json FROM items WHERE split_id = ? ORDER BY idx');
  for (const taskId of selection.taskIds) {
    const choice = chooseSplit(db, taskId, selection.config, selection.split);
    splits.push(choice);
    let list = rows.all(choice.splitId) as { id: number; idx: number; input: string; output: string; outputs_json: string | null }[];
    if (selection.sample) {
      const picked = new Set(
        sampleWithoutReplacement(
          list.map((r) => r.idx),
          selection.sample.n,
          mulberry32(selection.sample.seed),
        ),
      );
      list = list.filter((r) => picked.has(r.idx));
    } else if (selection.limit !== undefined) list = list.slice(0, selection.limit);
    for (const r of list) {
      items.push({
        itemId: r.id,
        benchmark: choice.benchmark,
        task: choice.task,
        index: r.idx,
        input: r.input,
        gold: r.outputs_json ? (JSON.parse(r.outputs_json) as string[]) : [r.output],
      });
    }
  }
  return { items, splits };
}

export function saveTemplate(db: Db, hash: string, template: unknown): void {
  db.prepare('INSERT OR IGNORE INTO prompt_templates (hash, json, created_at) VALUES (?, ?, ?)').run(hash, canonicalJson(template), new Date().toISOString());
}

export function createRunRow(
  db: Db,
  r: { name: string; kind: RunKind; status: RunStatus; spec: RunSpec | null; modelLabel: string; templateHash: string | null; metricMode: MetricMode },
  items: readonly SelectedItem[],
): number {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO runs (name, kind, status, spec_json, model_label, template_hash, metric_mode, created_at, app_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.name,
          r.kind,
          r.status,
          r.spec ? JSON.stringify(r.spec) : null,
          r.modelLabel,
          r.templateHash,
          r.metricMode,
          new Date().toISOString(),
          APP_VERSION,
        ).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO run_items (run_id, ord, item_id, benchmark, task, idx, input, gold_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    items.forEach((it, ord) => insert.run(id, ord, it.itemId, it.benchmark, it.task, it.index, it.input, JSON.stringify(it.gold)));
    return id;
  })();
}

export interface PendingItem {
  ord: number;
  itemId: number | null;
  benchmark: string;
  task: string;
  index: number | null;
}

export function pendingItems(db: Db, runId: number): PendingItem[] {
  return db
    .prepare("SELECT ord, item_id AS itemId, benchmark, task, idx AS 'index' FROM run_items WHERE run_id = ? AND status = 'pending' ORDER BY ord")
    .all(runId) as PendingItem[];
}

export interface ItemOutcome {
  promptJson: string;
  renderedPrompt: string | null;
  rawOutput: string | null;
  extracted: string | null;
  promptTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  error: string | null;
  /** Prompt tokens cut by the run's truncation policy. */
  truncatedTokens?: number | null;
}

/** Returns false when the item was no longer pending (never written twice). */
export function recordItem(db: Db, runId: number, ord: number, o: ItemOutcome): boolean {
  const res = db
    .prepare(
      `UPDATE run_items SET status = ?, prompt_json = ?, rendered_prompt = ?, raw_output = ?, extracted = ?,
              prompt_tokens = ?, output_tokens = ?, latency_ms = ?, ttft_ms = ?, error = ?, truncated_tokens = ?
        WHERE run_id = ? AND ord = ? AND status = 'pending'`,
    )
    .run(
      o.error ? 'error' : 'done',
      o.promptJson,
      o.renderedPrompt,
      o.rawOutput,
      o.extracted,
      o.promptTokens,
      o.outputTokens,
      o.latencyMs,
      o.ttftMs,
      o.error,
      o.truncatedTokens ?? null,
      runId,
      ord,
    );
  return res.changes === 1;
}

export function setRunStatus(db: Db, runId: number, status: RunStatus, extra: { error?: string | null; hardware?: unknown } = {}): void {
  const now = new Date().toISOString();
  db.prepare(
    `UPDATE runs SET status = @status,
        started_at = CASE WHEN @status = 'running' AND started_at IS NULL THEN @now ELSE started_at END,
        finished_at = CASE WHEN @status IN ('done', 'failed', 'cancelled') THEN @now ELSE finished_at END,
        error = CASE WHEN @setError THEN @error ELSE error END,
        hardware_json = COALESCE(@hardware, hardware_json)
      WHERE id = @runId`,
  ).run({
    status,
    now,
    runId,
    setError: extra.error !== undefined ? 1 : 0,
    error: extra.error ?? null,
    hardware: extra.hardware ? JSON.stringify(extra.hardware) : null,
  });
}

export function addRunTime(db: Db, runId: number, wallMs: number, generateMs: number): void {
  db.prepare('UPDATE runs SET wall_ms = wall_ms + ?, generate_ms = generate_ms + ? WHERE id = ?').run(Math.round(wallMs), Math.round(generateMs), runId);
}

/** Runs left `running` by a crash or kill become `paused`: `medtask resume` finishes them. */
export function markInterruptedRuns(db: Db): number {
  return db
    .prepare("UPDATE runs SET status = 'paused', error = 'interrupted (the app stopped while the run was going)' WHERE status IN ('running', 'queued')")
    .run().changes;
}

/** Scores every task of a run from its stored outputs (failed items count as empty answers). */
export function scoreRunRows(
  db: Db,
  runId: number,
  mode: MetricMode,
  score: (benchmark: string, task: string, preds: string[], golds: string[]) => Record<string, number>,
): TaskScore[] {
  const rows = db
    .prepare("SELECT benchmark, task, raw_output AS output, gold_json AS gold FROM run_items WHERE run_id = ? AND status != 'pending' ORDER BY ord")
    .all(runId) as { benchmark: string; task: string; output: string | null; gold: string }[];
  const groups = new Map<string, { benchmark: string; task: string; preds: string[]; golds: string[] }>();
  for (const r of rows) {
    const key = `${r.benchmark}\u0000${r.task}`;
    const g = groups.get(key) ?? { benchmark: r.benchmark, task: r.task, preds: [], golds: [] };
    g.preds.push(r.output ?? '');
    g.golds.push((JSON.parse(r.gold) as string[])[0] ?? '');
    groups.set(key, g);
  }
  const out: TaskScore[] = [];
  // A task of neither benchmark (demo pack, generic imports) gets its category's natural metric.
  const categoryOf = db.prepare('SELECT t.category FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id WHERE b.name = ? AND t.name = ?').pluck();
  db.transaction(() => {
    db.prepare('DELETE FROM run_scores WHERE run_id = ? AND mode = ?').run(runId, mode);
    const insert = db.prepare('INSERT INTO run_scores (run_id, benchmark, task, mode, metric, value, item_count) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const g of groups.values()) {
      const natural = isBenchmarkTask(g.benchmark, g.task)
        ? null
        : scoreNaturalTask(categoryOf.get(g.benchmark, g.task) as string | null | undefined, g.preds, g.golds, mode);
      const metrics =
        natural !== null
          ? (Object.fromEntries(Object.entries(natural).filter((e): e is [string, number] => typeof e[1] === 'number')) as Record<string, number>)
          : score(g.benchmark, g.task, g.preds, g.golds);
      for (const [metric, value] of Object.entries(metrics)) insert.run(runId, g.benchmark, g.task, mode, metric, value, g.preds.length);
      out.push({ benchmark: g.benchmark, task: g.task, itemCount: g.preds.length, metrics });
    }
    db.prepare('UPDATE runs SET metric_mode = ? WHERE id = ?').run(mode, runId);
  })();
  return out;
}

interface RunRow {
  id: number;
  name: string;
  kind: RunKind;
  status: RunStatus;
  spec_json: string | null;
  model_label: string;
  template_hash: string | null;
  metric_mode: MetricMode;
  hardware_json: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  wall_ms: number;
  generate_ms: number;
  error: string | null;
}

function scoresOf(db: Db, runId: number, mode: MetricMode): TaskScore[] {
  const rows = db
    .prepare('SELECT benchmark, task, metric, value, item_count AS n FROM run_scores WHERE run_id = ? AND mode = ? ORDER BY benchmark, task, metric')
    .all(runId, mode) as {
    benchmark: string;
    task: string;
    metric: string;
    value: number;
    n: number;
  }[];
  const byTask = new Map<string, TaskScore>();
  for (const r of rows) {
    const key = `${r.benchmark}/${r.task}`;
    const t = byTask.get(key) ?? { benchmark: r.benchmark, task: r.task, itemCount: r.n, metrics: {} };
    t.metrics[r.metric] = r.value;
    byTask.set(key, t);
  }
  return [...byTask.values()];
}

function fileName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** What the run is (tasks, configs, strategy and shots, model and adapters), from its items and stored spec. */
function setupOf(db: Db, r: RunRow): RunSetup {
  const rows = db
    .prepare(
      `SELECT ri.task, MIN(ri.ord) AS first, s.config FROM run_items ri
         LEFT JOIN items i ON i.id = ri.item_id LEFT JOIN splits s ON s.id = i.split_id
        WHERE ri.run_id = ? GROUP BY ri.task, s.config ORDER BY first`,
    )
    .all(r.id) as { task: string; first: number; config: string | null }[];
  const tasks = [...new Set(rows.map((x) => x.task))];
  const configs = [...new Set(rows.map((x) => x.config).filter((c): c is string => c !== null))];
  // A spec this version cannot read leaves the setup without strategy and model: getRun says why.
  let spec: RunSpec | null = null;
  try {
    const parsed = r.spec_json ? runSpecSchema.safeParse(JSON.parse(r.spec_json)) : null;
    spec = parsed?.success ? parsed.data : null;
  } catch {
    spec = null;
  }
  const model = spec?.model;
  return {
    tasks,
    configs,
    strategy: spec?.template.strategy ?? null,
    shots: spec?.template.k ?? null,
    model: !model ? null : model.kind === 'local' ? fileName(model.path) : `${model.model} @ ${model.baseUrl}`,
    adapters:
      model?.kind === 'local' ? (model.loras ?? []).map((l) => `${fileName(l.path)}${l.scale !== undefined && l.scale !== 1 ? `×${l.scale}` : ''}`) : [],
    configName: model?.kind === 'local' ? (model.configName ?? null) : null,
  };
}

function summarise(db: Db, r: RunRow): RunSummary {
  const c = db
    .prepare(
      `SELECT COUNT(*) AS total, SUM(status != 'pending') AS done, SUM(status = 'error') AS errors, COALESCE(SUM(output_tokens), 0) AS tokens
         FROM run_items WHERE run_id = ?`,
    )
    .get(r.id) as { total: number; done: number | null; errors: number | null; tokens: number };
  // A finished run whose every item failed has no answers to score: it reads as failed with the
  // first item's error, not as a run that scored 0.
  const allFailed = r.status === 'done' && c.total > 0 && c.errors === c.total;
  const firstError = allFailed
    ? (db.prepare("SELECT error FROM run_items WHERE run_id = ? AND status = 'error' ORDER BY ord LIMIT 1").pluck().get(r.id) as string | null)
    : null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    status: allFailed ? 'failed' : r.status,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    modelLabel: r.model_label,
    templateHash: r.template_hash,
    itemTotal: c.total,
    itemDone: c.done ?? 0,
    itemErrors: c.errors ?? 0,
    outputTokens: c.tokens,
    tokensPerSecond: r.generate_ms > 0 ? Math.round((c.tokens * 1000 * 100) / r.generate_ms) / 100 : null,
    wallMs: r.wall_ms,
    error: allFailed ? (r.error ?? `every item failed (${c.total}); the first: ${firstError ?? 'no message'}`) : r.error,
    metricMode: r.metric_mode,
    scores: allFailed ? [] : scoresOf(db, r.id, r.metric_mode),
    setup: setupOf(db, r),
  };
}

export function listRunSummaries(db: Db): RunSummary[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[]).map((r) => summarise(db, r));
}

export function getRunDetail(db: Db, runId: number): RunDetail {
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!r) throw new NotFoundError(`no run with id ${runId}`, { field: 'runId' });
  const detail: RunDetail = {
    ...summarise(db, r),
    spec: r.spec_json ? readStoredJson(runSpecSchema, r.spec_json, `run ${runId}'s saved settings`, { runId }) : null,
    hardware: r.hardware_json ? (JSON.parse(r.hardware_json) as Record<string, unknown>) : null,
    truncatedItems: db.prepare('SELECT COUNT(*) FROM run_items WHERE run_id = ? AND truncated_tokens > 0').pluck().get(runId) as number,
  };
  const notes = scoreNotes(detail.scores);
  if (notes.length > 0) detail.scoreNotes = notes;
  return detail;
}

/** Which items a run's item list shows: all, right (the primary metric at its maximum), wrong (below it), failed, or cut to fit. */
export interface RunItemFilter {
  show?: 'all' | 'right' | 'wrong' | 'errors' | 'truncated';
  /** Every word must occur (case-insensitive) in the input, a gold output, the raw output or the extracted answer. */
  search?: string;
  /** Only items whose (first) gold output is exactly this label. */
  gold?: string;
  /** Only items with a value of this metric within [min, max] (the benchmark's own scale). */
  metric?: { id: string; min?: number | undefined; max?: number | undefined };
  /** Items ordered by one metric's value (items without a value last), ties by ord. */
  sort?: { metric: string; dir: 'asc' | 'desc' };
}

/** Distinct golds up to which a run's golds read as labels (a chooser, not a list of free texts). */
const MAX_GOLD_LABELS = 40;

/** The run's gold labels with their counts, or null when its golds are free text (too many distinct values, or long ones). */
function goldLabelsOf(db: Db, runId: number, total: number): RunItemFacets['goldLabels'] {
  const rows = db
    .prepare(
      `SELECT json_extract(gold_json, '$[0]') AS label, COUNT(*) AS count FROM run_items WHERE run_id = ?
        GROUP BY label ORDER BY count DESC, label LIMIT ${MAX_GOLD_LABELS + 1}`,
    )
    .all(runId) as { label: string | null; count: number }[];
  const labels = rows.filter((r): r is { label: string; count: number } => typeof r.label === 'string');
  // Labels repeat: a task whose golds are mostly distinct (QA, summaries) has no label chooser.
  if (labels.length === 0 || labels.length > MAX_GOLD_LABELS || labels.length > Math.max(2, total / 2) || labels.some((l) => l.label.length > 80)) return null;
  return labels;
}

/** The metrics a run's items can be filtered and sorted by: every metric of each of its tasks, once. */
function runMetricsOf(db: Db, runId: number): RunItemFacets['metrics'] {
  const tasks = db.prepare('SELECT DISTINCT benchmark, task FROM run_items WHERE run_id = ?').all(runId) as { benchmark: string; task: string }[];
  const seen = new Map<string, RunItemFacets['metrics'][number]>();
  for (const t of tasks)
    for (const m of taskMetrics(t.benchmark, t.task).metrics) if (!seen.has(m.id)) seen.set(m.id, { id: m.id, displayName: m.displayName, scale: m.scale });
  return [...seen.values()];
}

const ITEM_COLUMNS = `ord, item_id AS itemId, task, benchmark, idx AS "index", status, input, gold_json, raw_output AS rawOutput, extracted,
              rendered_prompt AS renderedPrompt, prompt_tokens AS promptTokens, output_tokens AS outputTokens,
              latency_ms AS latencyMs, ttft_ms AS timeToFirstTokenMs, error, truncated_tokens AS truncatedTokens`;

function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function pageRunItems(db: Db, runId: number, after: number | undefined, limit: number, filter: RunItemFilter = {}): RunItemPage {
  // Only the metric mode is needed: the run's whole detail (counts, setup) costs a scan per page.
  const mode = db.prepare('SELECT metric_mode FROM runs WHERE id = ?').pluck().get(runId) as MetricMode | undefined;
  if (mode === undefined) throw new NotFoundError(`no run with id ${runId}`, { field: 'runId' });
  // Per-item values come from the compare cache (run_item_scores), filled for newly finished items.
  ensureItemScores(db, runId, mode);
  const values = loadItemScores(db, runId, mode);
  const metricsOf = new Map<string, ReturnType<typeof taskMetrics>>();
  const scoreOf = (ord: number, benchmark: string, task: string): RunItemScore | null => {
    const all = values.get(ord);
    if (!all) return null;
    const key = `${benchmark}/${task}`;
    let tm = metricsOf.get(key);
    if (!tm) metricsOf.set(key, (tm = taskMetrics(benchmark, task)));
    const m = tm.metrics[tm.primary];
    if (!m) return null;
    return { metric: m.id, displayName: m.displayName, value: all[m.id] ?? null, scale: m.scale, all };
  };
  type Row = Omit<RunItemRow, 'gold'> & { gold_json: string };
  const kindOf = new Map<string, ReturnType<typeof answerKind>>();
  const kindFor = (benchmark: string, task: string) => {
    const key = `${benchmark}/${task}`;
    let k = kindOf.get(key);
    if (!k) kindOf.set(key, (k = answerKind(benchmark, task)));
    return k;
  };
  const finish = (rows: Row[], total: number): RunItemPage => {
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    // Untyped BIO tags take their type from the item's instruction: one lookup for the page's BIO items.
    const bioIds = kept.filter((r) => r.itemId !== null && kindFor(r.benchmark, r.task) === 'bio').map((r) => r.itemId!);
    const instructionOf = new Map(
      (bioIds.length
        ? (db
            .prepare(`SELECT i.id, n.text FROM items i JOIN instructions n ON n.id = i.instruction_id WHERE i.id IN (${bioIds.map(() => '?').join(',')})`)
            .all(...bioIds) as { id: number; text: string }[])
        : []
      ).map((r) => [r.id, r.text]),
    );
    const page = kept.map(({ gold_json, ...r }) => {
      const kind = kindFor(r.benchmark, r.task);
      const instruction = r.itemId !== null ? instructionOf.get(r.itemId) : undefined;
      return {
        ...r,
        gold: JSON.parse(gold_json) as string[],
        score: scoreOf(r.ord, r.benchmark, r.task),
        answerKind: kind,
        entityType: kind === 'bio' && instruction !== undefined ? entityTypeOf(instruction) : null,
      };
    });
    return { items: page, nextCursor: more ? (page.at(-1)?.ord ?? null) : null, total };
  };
  const show = filter.show ?? 'all';
  const words = (filter.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const runTotal = db.prepare('SELECT COUNT(*) FROM run_items WHERE run_id = ?').pluck().get(runId) as number;
  // The gold labels are counted for the first page only (the list keeps them while it pages).
  const first = after === undefined || after < 0;
  const facets: RunItemFacets = { goldLabels: first ? goldLabelsOf(db, runId, runTotal) : null, metrics: runMetricsOf(db, runId) };
  for (const [field, id] of [
    ['metric.id', filter.metric?.id],
    ['sort.metric', filter.sort?.metric],
  ] as const) {
    if (id !== undefined && !facets.metrics.some((m) => m.id === id))
      throw new BadInputError(`this run's tasks have no metric "${id}"; they have ${facets.metrics.map((m) => m.id).join(', ') || 'none'}`, { field });
  }
  if (filter.metric && filter.metric.min !== undefined && filter.metric.max !== undefined && filter.metric.min > filter.metric.max)
    throw new BadInputError(`the metric range is empty: min ${filter.metric.min} is above max ${filter.metric.max}`, { field: 'metric.min' });
  const plain = show === 'all' && words.length === 0 && filter.gold === undefined && !filter.metric && !filter.sort;
  if (plain) {
    const rows = db
      .prepare(`SELECT ${ITEM_COLUMNS} FROM run_items WHERE run_id = ? AND ord > ? ORDER BY ord LIMIT ?`)
      .all(runId, after ?? -1, limit + 1) as Row[];
    return { ...finish(rows, runTotal), facets };
  }
  // Filtered: the matching ords first (SQL for status, cut and words; the cached scores for right/wrong),
  // then the page's full rows, so the total is the filtered count and paging stays keyset by ord.
  const where = ['run_id = ?'];
  const params: (string | number)[] = [runId];
  if (show === 'errors') where.push("status = 'error'");
  if (show === 'truncated') where.push('truncated_tokens > 0');
  if (show === 'right' || show === 'wrong') where.push("status != 'pending'");
  if (filter.gold !== undefined) {
    where.push("json_extract(gold_json, '$[0]') = ?");
    params.push(filter.gold);
  }
  for (const w of words) {
    where.push("(input LIKE ? ESCAPE '\\' OR gold_json LIKE ? ESCAPE '\\' OR raw_output LIKE ? ESCAPE '\\' OR extracted LIKE ? ESCAPE '\\')");
    const p = likePattern(w);
    params.push(p, p, p, p);
  }
  let matches = db.prepare(`SELECT ord, benchmark, task FROM run_items WHERE ${where.join(' AND ')} ORDER BY ord`).all(...params) as {
    ord: number;
    benchmark: string;
    task: string;
  }[];
  if (show === 'right' || show === 'wrong') {
    matches = matches.filter((m) => {
      const sc = scoreOf(m.ord, m.benchmark, m.task);
      if (!sc || sc.value === null) return false;
      return show === 'right' ? sc.value === sc.scale : sc.value < sc.scale;
    });
  }
  const range = filter.metric;
  if (range) {
    matches = matches.filter((m) => {
      const v = values.get(m.ord)?.[range.id];
      return typeof v === 'number' && (range.min === undefined || v >= range.min) && (range.max === undefined || v <= range.max);
    });
  }
  const sort = filter.sort;
  let window: number[];
  if (sort) {
    // Sorted pages are still keyset: `after` is the last ord shown, found in the sorted order
    // (10k cached values sort in a few ms, so the order is recomputed per page, never stored).
    const sign = sort.dir === 'asc' ? 1 : -1;
    const keyed = matches.map((m) => {
      const v = values.get(m.ord)?.[sort.metric];
      return { ord: m.ord, v: typeof v === 'number' ? v : null };
    });
    keyed.sort((a, b) => (a.v === null ? (b.v === null ? a.ord - b.ord : 1) : b.v === null ? -1 : (a.v - b.v) * sign || a.ord - b.ord));
    const at = after === undefined || after < 0 ? 0 : keyed.findIndex((k) => k.ord === after) + 1;
    window = keyed.slice(at, at + limit + 1).map((k) => k.ord);
  } else {
    const from = after ?? -1;
    window = matches
      .filter((m) => m.ord > from)
      .slice(0, limit + 1)
      .map((m) => m.ord);
  }
  const byOrd = new Map(
    (window.length
      ? (db.prepare(`SELECT ${ITEM_COLUMNS} FROM run_items WHERE run_id = ? AND ord IN (${window.map(() => '?').join(',')})`).all(runId, ...window) as Row[])
      : []
    ).map((r) => [r.ord, r]),
  );
  const rows = window.map((o) => byOrd.get(o)).filter((r): r is Row => r !== undefined);
  return { ...finish(rows, matches.length), facets };
}

/** Full item records for prompt building: the query and, for k-shot strategies, its pool. */
export interface ItemRecord {
  id: number;
  idx: number;
  instruction: string;
  input: string;
  output: string;
  outputs: string[];
  history: HistoryTurn[];
}

export function loadItemRecords(db: Db, where: { splitId: number } | { ids: number[] }): ItemRecord[] {
  const sql = `SELECT i.id, i.idx, n.text AS instruction, i.input, i.output, i.outputs_json, i.history_json
                 FROM items i JOIN instructions n ON n.id = i.instruction_id`;
  const rows = (
    'splitId' in where
      ? db.prepare(`${sql} WHERE i.split_id = ? ORDER BY i.idx`).all(where.splitId)
      : where.ids.length
        ? db.prepare(`${sql} WHERE i.id IN (${where.ids.map(() => '?').join(',')})`).all(...where.ids)
        : []
  ) as { id: number; idx: number; instruction: string; input: string; output: string; outputs_json: string | null; history_json: string | null }[];
  return rows.map((r) => ({
    id: r.id,
    idx: r.idx,
    instruction: r.instruction,
    input: r.input,
    output: r.output,
    outputs: r.outputs_json ? (JSON.parse(r.outputs_json) as string[]) : [r.output],
    history: r.history_json ? (JSON.parse(r.history_json) as HistoryTurn[]) : [],
  }));
}
