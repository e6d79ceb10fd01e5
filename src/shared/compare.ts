/**
 * The compare workbench's calls (input schemas, result shapes) and the pure row filters and
 * sorts both the renderer and the CLI apply, so `medtask compare --filter …` and the app show
 * the same rows and counts. Statistics themselves are computed in src/core/stats.
 */
import { z } from 'zod';
import { metricModeSchema } from './enums';
import type { AnswerKind } from './itemRuns';
import { countReview, emptyReviewCounts, reviewFilterSchema, reviewPasses, type CompareReviews, type ReviewCounts } from './compareReviews';

const id = z.number().int().positive();

const statOptions = {
  /** Bootstrap resamples for every interval (default 1,000). */
  resamples: z.number().int().min(100).max(100_000).default(1000),
  /** Seed of the resampling stream; the same seed reproduces the same intervals. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(20261207),
};

export const compareCallInputs = {
  /**
   * 2–8 runs aligned by item identity (benchmark/task#index): one compact row per item the
   * runs share, grouped by task, with each run's extracted answer and per-item metric values.
   */
  compareRuns: z
    .object({
      runIds: z.array(id).min(2, 'pick at least 2 runs to compare').max(8, 'compare at most 8 runs at once'),
      /** The run deltas are measured against (default: the first). */
      baselineRunId: id.optional(),
      /** Score with this metric mode (default: the baseline run's). */
      mode: metricModeSchema.optional(),
      /** Only this task (`benchmark/task`). */
      task: z.string().min(1).max(300).optional(),
      /** Full-text search over inputs, gold outputs and every run's raw and extracted output (all words must occur). */
      search: z.string().trim().max(500).optional(),
      /** Only the first this many rows (a first screenful while the rest loads); `totalRows` says how many there are. */
      limit: z.number().int().min(1).max(1_000_000).optional(),
    })
    .strict(),
  /** Per run and task: each metric with a bootstrap CI; per run against the baseline: paired differences and tests. */
  compareStats: z
    .object({
      runIds: z.array(id).min(2, 'pick at least 2 runs to compare').max(8, 'compare at most 8 runs at once'),
      baselineRunId: id.optional(),
      mode: metricModeSchema.optional(),
      task: z.string().min(1).max(300).optional(),
      ...statOptions,
    })
    .strict(),
  /** Everything about one aligned item: the library record and, per run, prompt, raw output and figures. */
  getCompareItem: z
    .object({
      runIds: z.array(id).min(1).max(8),
      key: z.string().min(1).max(2000),
      mode: metricModeSchema.optional(),
    })
    .strict(),
  /** Runs × tasks with each task's primary metric and CI, and MedS-Bench's category means. */
  leaderboard: z
    .object({
      benchmark: z.string().min(1).max(100).optional(),
      category: z.string().min(1).max(100).optional(),
      ...statOptions,
    })
    .strict(),
} as const;

// ------------------------------------------------------------------- results

export interface CompareRunInfo {
  id: number;
  name: string;
  modelLabel: string;
  kind: 'local' | 'remote' | 'imported';
  status: string;
  /** Finished items of this run (over all its tasks). */
  items: number;
  /** Items another compared run has (same task) that this run lacks. */
  missing: number;
}

export interface CompareMetricInfo {
  id: string;
  displayName: string;
  higherIsBetter: boolean;
  /** 1: fractions (MedINST32), 100: percentages (MedS-Bench). */
  scale: 1 | 100;
  /** A corpus metric (macro/micro F1): the task's value is not the mean of per-item values. */
  corpus: boolean;
}

export interface CompareGroup {
  /** `benchmark/task`. */
  key: string;
  benchmark: string;
  task: string;
  category: string | null;
  metrics: CompareMetricInfo[];
  /** Index into `metrics` of the task's primary metric (right/wrong filters, deltas). */
  primary: number;
  /** Items every compared run has. */
  common: number;
  /** Per run (same order as `runs`): items of this task the run lacks that another run has. */
  missing: number[];
}

export interface CompareRow {
  /** Item identity: `benchmark/task#index`. */
  key: string;
  /** Index into `groups`. */
  group: number;
  /** Position in the source file. */
  index: number | null;
  /** The input's first 240 characters; `inputLength` says how long it really is. */
  input: string;
  inputLength: number;
  /** The first gold output's first 400 characters. */
  gold: string;
  goldLength: number;
  goldCount: number;
  /** Per run: the extracted answer (first 400 characters), null for a failed item. */
  answers: (string | null)[];
  answerLengths: number[];
  /** Per run: the item failed (its error is in getCompareItem). */
  errors: boolean[];
  /** Per run, per metric of the group: the item's value; null where the benchmark skips the item. */
  values: (number | null)[][];
}

export interface CompareResult {
  runs: CompareRunInfo[];
  /** Index into `runs` of the baseline. */
  baseline: number;
  mode: 'reference' | 'corrected';
  groups: CompareGroup[];
  rows: CompareRow[];
  /** Rows of the whole comparison: more than `rows.length` when the call asked for a `limit`. */
  totalRows: number;
  /** The search text applied (rows are only the matches), if any. */
  search: string | null;
  /** What reviewers said about each row (src/shared/compareReviews.ts); absent where not asked. */
  reviews?: CompareReviews | null;
}

export interface MetricInterval {
  metric: string;
  estimate: number;
  low: number;
  high: number;
  n: number;
}

export interface PairComparison {
  /** Index into runs of the compared run; the other side is the baseline. */
  run: number;
  metric: string;
  n: number;
  /** run − baseline with its paired-bootstrap CI. */
  diff: { estimate: number; low: number; high: number };
  test: 'mcnemar-mid-p' | 'permutation';
  p: number;
  /** Holm-adjusted over the k − 1 comparisons against the baseline (primary metric; else = p). */
  pAdjusted: number;
  /** McNemar's discordant counts: b = run right & baseline wrong, c = the reverse. */
  b?: number;
  c?: number;
  permutations?: number;
  exact?: boolean;
  distinguishable: boolean;
  sentence: string;
}

export interface CompareGroupStats {
  key: string;
  /** Per run (same order as runs): each metric's value with its CI over the common items. */
  perRun: MetricInterval[][];
  pairs: PairComparison[];
}

export interface CompareStatsResult {
  baseline: number;
  level: number;
  resamples: number;
  seed: number;
  groups: CompareGroupStats[];
}

export interface CompareItemRun {
  runId: number;
  ord: number | null;
  status: 'pending' | 'done' | 'error' | 'missing';
  renderedPrompt: string | null;
  promptMessages: unknown;
  rawOutput: string | null;
  extracted: string | null;
  promptTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  truncatedTokens: number | null;
  error: string | null;
  metrics: Record<string, number | null>;
}

export interface CompareItemDetail {
  key: string;
  benchmark: string;
  task: string;
  index: number | null;
  instruction: string | null;
  input: string;
  gold: string[];
  /** Few-shot turns of the library record: [user, assistant]. */
  history: [string, string][];
  runs: CompareItemRun[];
  /** How the task's answers read (BIO tags, entities, labels, text), from the engine, so the view shows spans or chips. */
  answerKind?: AnswerKind;
  /** What untyped BIO tags stand for (from the instruction, e.g. "disease"); null when not known. */
  entityType?: string | null;
}

export interface LeaderboardColumn {
  key: string;
  benchmark: string;
  task: string;
  category: string | null;
  metric: string;
  displayName: string;
  scale: 1 | 100;
  higherIsBetter: boolean;
}

export interface LeaderboardCell {
  estimate: number;
  low: number;
  high: number;
  n: number;
}

export interface LeaderboardEntry {
  runId: number;
  name: string;
  modelLabel: string;
  kind: 'local' | 'remote' | 'imported';
  /** What the run is: strategy and shots, or the source file of imported predictions. */
  config: string;
  cells: Record<string, LeaderboardCell>;
  /** MedS-Bench: mean of each category's task values (the benchmark's own grouping). */
  categories: Record<string, { mean: number; tasks: number }>;
  /** Per task key: what reviewers said about this run's outputs (absent where nobody annotated any). */
  reviews?: Record<string, LeaderboardReview>;
}

/**
 * Review counts of one run × task over every reviewer and session, and the score "adjusted by
 * review": the mean per-item primary value with each reviewed item's value replaced by its
 * reviewers' mean verdict (correct 1, partly ½, incorrect 0, times the metric's scale). Both
 * `automatic` and `adjusted` are item means, so they compare with each other; for a corpus
 * metric (macro F1) they differ from the cell's corpus value by construction.
 */
export interface LeaderboardReview {
  /** Outputs of the task anyone annotated. */
  annotated: number;
  /** Outputs with at least one verdict. */
  verdicts: number;
  /** Outputs given each tag by at least one reviewer. */
  tags: Record<string, number>;
  /** Annotations giving each verdict / severity (one per reviewer and output). */
  verdictCounts: Record<string, number>;
  severityCounts: Record<string, number>;
  /** Mean per-item value, automatic and adjusted by review; null where the metric is lower-is-better or no item has a value. */
  automatic: number | null;
  adjusted: number | null;
}

export interface LeaderboardResult {
  columns: LeaderboardColumn[];
  entries: LeaderboardEntry[];
  categories: string[];
  level: number;
  resamples: number;
  seed: number;
}

export interface CompareCallResults {
  compareRuns: CompareResult;
  compareStats: CompareStatsResult;
  getCompareItem: CompareItemDetail;
  leaderboard: LeaderboardResult;
}

// ------------------------------------------------------------------- filters

export const AGREEMENT_STATES = ['any', 'differ', 'agree'] as const;
export const OUTCOME_STATES = ['any', 'a-right-b-wrong', 'b-right-a-wrong', 'all-wrong', 'all-right'] as const;
export type Agreement = (typeof AGREEMENT_STATES)[number];
export type Outcome = (typeof OUTCOME_STATES)[number];

export const metricRangeSchema = z
  .object({
    run: z.number().int().min(0).max(7),
    /** Metric id; rows whose group lacks it pass. */
    metric: z.string().min(1).max(100),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();
export type MetricRange = z.output<typeof metricRangeSchema>;

/** The Compare view's filters; also a comparison session's scope, so the session holds exactly the rows the view shows. */
export const compareFilterSchema = z
  .object({
    agreement: z.enum(AGREEMENT_STATES),
    outcome: z.enum(OUTCOME_STATES),
    /** Runs A and B of the right/wrong filters (indexes into runs). */
    a: z.number().int().min(0).max(7),
    b: z.number().int().min(0).max(7),
    /**
     * Right means the primary metric reaches this fraction of its scale (0.5: ≥ 0.5 for
     * fractions, ≥ 50 for percentages); for lower-is-better metrics, at most it.
     */
    threshold: z.number().min(0).max(1),
    ranges: z.array(metricRangeSchema).max(16),
    /** Group key (`benchmark/task`), or null for all. */
    task: z.string().max(300).nullable(),
    category: z.string().max(100).nullable(),
    /** Review tags, verdicts and severity (compareReviews.ts); absent or unset: every row passes. */
    review: reviewFilterSchema.optional(),
  })
  .strict();
export type CompareFilter = z.output<typeof compareFilterSchema>;

export type CompareSortBy = 'order' | 'delta' | 'metric' | 'inputLength';
export interface CompareSort {
  by: CompareSortBy;
  /** The run whose delta or metric is sorted on. */
  run: number;
  /** Metric id for `metric` (default: each group's primary). */
  metric?: string;
  desc: boolean;
}

export function defaultFilter(runCount: number, baseline = 0): CompareFilter {
  const other = baseline === 0 ? Math.min(1, runCount - 1) : 0;
  return { agreement: 'any', outcome: 'any', a: other, b: baseline, threshold: 0.5, ranges: [], task: null, category: null };
}

/** Canonical form of an extracted answer for agreement: case and surrounding space ignored. */
export function answerForm(a: string | null): string {
  return a === null ? '\u0000error' : a.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function rowAgrees(row: CompareRow): boolean {
  const first = answerForm(row.answers[0] ?? null);
  return row.answers.every((a) => answerForm(a) === first);
}

/** Whether run r got the row right by its group's primary metric; null when the item is skipped. */
export function rowRight(res: Pick<CompareResult, 'groups'>, row: CompareRow, r: number, threshold: number): boolean | null {
  const g = res.groups[row.group]!;
  const v = row.values[r]?.[g.primary];
  if (v === null || v === undefined) return null;
  const m = g.metrics[g.primary]!;
  const t = threshold * m.scale;
  return m.higherIsBetter ? v >= t - 1e-12 : v <= t + 1e-12;
}

function outcomeOf(res: Pick<CompareResult, 'groups'>, row: CompareRow, f: CompareFilter, outcome: Outcome): boolean {
  if (outcome === 'any') return true;
  if (outcome === 'a-right-b-wrong' || outcome === 'b-right-a-wrong') {
    const [x, y] = outcome === 'a-right-b-wrong' ? [f.a, f.b] : [f.b, f.a];
    return rowRight(res, row, x, f.threshold) === true && rowRight(res, row, y, f.threshold) === false;
  }
  const want = outcome === 'all-right';
  for (let r = 0; r < row.answers.length; r++) if (rowRight(res, row, r, f.threshold) !== want) return false;
  return true;
}

function baseFilter(res: Pick<CompareResult, 'groups'>, row: CompareRow, f: CompareFilter): boolean {
  const g = res.groups[row.group]!;
  if (f.task !== null && g.key !== f.task) return false;
  if (f.category !== null && g.category !== f.category) return false;
  for (const range of f.ranges) {
    const mi = g.metrics.findIndex((m) => m.id === range.metric);
    if (mi < 0) continue;
    const v = row.values[range.run]?.[mi];
    if (v === null || v === undefined) return false;
    if (range.min !== undefined && v < range.min) return false;
    if (range.max !== undefined && v > range.max) return false;
  }
  return true;
}

function agreementOf(row: CompareRow, agreement: Agreement): boolean {
  if (agreement === 'any') return true;
  return rowAgrees(row) === (agreement === 'agree');
}

export type CompareCounts = {
  agreement: Record<Agreement, number>;
  outcome: Record<Outcome, number>;
  shown: number;
  total: number;
  /** Present when the result carries reviews. */
  review?: ReviewCounts;
};

/** Rows passing every filter (indexes into rows), plus the count each filter state would give with the others held. */
export function filterRows(res: Pick<CompareResult, 'groups' | 'rows' | 'reviews'>, f: CompareFilter): { indexes: number[]; counts: CompareCounts } {
  const agreement = { any: 0, differ: 0, agree: 0 } as Record<Agreement, number>;
  const outcome = { any: 0, 'a-right-b-wrong': 0, 'b-right-a-wrong': 0, 'all-wrong': 0, 'all-right': 0 } as Record<Outcome, number>;
  const review = res.reviews ? emptyReviewCounts(res.reviews) : undefined;
  const indexes: number[] = [];
  res.rows.forEach((row, i) => {
    if (!baseFilter(res, row, f)) return;
    const agrees = rowAgrees(row);
    const okOutcome = outcomeOf(res, row, f, f.outcome);
    const okAgreement = agreementOf(row, f.agreement);
    if (review && okOutcome && okAgreement) countReview(res.reviews!, i, f.review, review);
    if (!reviewPasses(res.reviews, i, f.review)) return;
    if (okOutcome) {
      agreement.any++;
      agreement[agrees ? 'agree' : 'differ']++;
    }
    if (okAgreement) for (const o of OUTCOME_STATES) if (outcomeOf(res, row, f, o)) outcome[o]++;
    if (okOutcome && okAgreement) indexes.push(i);
  });
  return { indexes, counts: { agreement, outcome, shown: indexes.length, total: res.rows.length, ...(review ? { review } : {}) } };
}

/** A run's primary-metric value minus the baseline's on one row (null when either is skipped). */
export function rowDelta(res: Pick<CompareResult, 'groups'>, row: CompareRow, run: number, baseline: number): number | null {
  const p = res.groups[row.group]!.primary;
  const a = row.values[run]?.[p];
  const b = row.values[baseline]?.[p];
  return a === null || a === undefined || b === null || b === undefined ? null : a - b;
}

/** Sorts row indexes in place (stable; rows without a value go last). */
export function sortRows(res: Pick<CompareResult, 'groups' | 'rows' | 'baseline'>, indexes: number[], s: CompareSort): number[] {
  if (s.by === 'order') return indexes;
  const key = (i: number): number | null => {
    const row = res.rows[i]!;
    if (s.by === 'inputLength') return row.inputLength;
    if (s.by === 'delta') return rowDelta(res, row, s.run, res.baseline);
    const g = res.groups[row.group]!;
    const mi = s.metric ? g.metrics.findIndex((m) => m.id === s.metric) : g.primary;
    return mi < 0 ? null : (row.values[s.run]?.[mi] ?? null);
  };
  const keys = new Map<number, number | null>();
  for (const i of indexes) keys.set(i, key(i));
  const sign = s.desc ? -1 : 1;
  return indexes.sort((x, y) => {
    const a = keys.get(x) ?? null;
    const b = keys.get(y) ?? null;
    if (a === null || b === null) return a === null ? (b === null ? x - y : 1) : -1;
    return a === b ? x - y : sign * (a - b);
  });
}

/** Parses a CLI/URL filter word (`differ`, `a-right-b-wrong`, …) into a filter. */
export function filterFromWord(word: string, runCount: number, baseline = 0): CompareFilter {
  const f = defaultFilter(runCount, baseline);
  if ((AGREEMENT_STATES as readonly string[]).includes(word)) f.agreement = word as Agreement;
  else if ((OUTCOME_STATES as readonly string[]).includes(word)) f.outcome = word as Outcome;
  else throw new Error(`unknown filter "${word}": use one of ${[...AGREEMENT_STATES, ...OUTCOME_STATES].filter((w) => w !== 'any').join(', ')}`);
  return f;
}
