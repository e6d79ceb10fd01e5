/**
 * What reviewers said about the compared rows (tags, verdicts, harm severity over every reviewer
 * and session), as the compare call returns it, and the pure review filter the Compare view and
 * the CLI apply beside the metric filters: "has tag X on run R", "any reviewer said incorrect",
 * "severity at least moderate" — with the count each choice would leave.
 */
import { z } from 'zod';
import { SEVERITIES, VERDICTS, type Severity, type Verdict } from './enums';

/** All reviewers' annotations of one output (or of the item itself), merged. */
export interface OutputReview {
  /** Indexes into `CompareReviews.tags`: given by at least one reviewer. */
  tags: number[];
  /** How many reviewers gave each verdict, in VERDICTS order (correct, partly, incorrect). */
  verdicts: [number, number, number];
  /** The highest harm severity any reviewer gave, as an index into SEVERITIES; -1 for none given. */
  severity: number;
  reviewers: number;
}

export interface RowReview {
  /** Per compared run (same order as `runs`); null where nobody annotated that output. */
  runs: (OutputReview | null)[];
  /** Annotations of the item itself ("gold answer wrong"). */
  item: OutputReview | null;
}

export interface CompareReviews {
  /** Tag names in taxonomy order. */
  tags: string[];
  /** Per row of the result (same order); null where nothing of the row was annotated. */
  rows: (RowReview | null)[];
  /** Rows with at least one annotation. */
  reviewed: number;
}

/**
 * Every condition set must hold on one output: the output of run `run`, or (run null) any
 * compared run's output or the item itself. Unset conditions (null) always hold.
 */
export const reviewFilterSchema = z
  .object({
    /** Tag name (matched without regard to case). */
    tag: z.string().trim().min(1).max(100).nullable(),
    /** At least one reviewer gave this verdict. */
    verdict: z.enum(VERDICTS).nullable(),
    /** Some reviewer's severity is at least this. */
    minSeverity: z.enum(SEVERITIES).nullable(),
    /** Index into runs, or null for any output of the row. */
    run: z.number().int().min(0).max(7).nullable(),
  })
  .strict();
export type ReviewFilter = z.output<typeof reviewFilterSchema>;

export const NO_REVIEW_FILTER: ReviewFilter = { tag: null, verdict: null, minSeverity: null, run: null };

export function reviewFilterActive(f: ReviewFilter | undefined): f is ReviewFilter {
  return !!f && (f.tag !== null || f.verdict !== null || f.minSeverity !== null);
}

export interface ReviewCounts {
  /** Per tag (same order as `CompareReviews.tags`): rows left with that tag chosen and the other filters held. */
  tags: number[];
  verdict: Record<Verdict, number>;
  /** Rows left with "severity at least" this level. */
  severity: Record<Severity, number>;
  /** Rows left with no tag, verdict or severity chosen (the other filters held) that anyone annotated. */
  reviewed: number;
}

function outputPasses(o: OutputReview | null, tagIndex: number, verdict: number, minSeverity: number): boolean {
  if (!o) return false;
  if (tagIndex >= 0 && !o.tags.includes(tagIndex)) return false;
  if (verdict >= 0 && o.verdicts[verdict]! === 0) return false;
  if (minSeverity >= 0 && o.severity < minSeverity) return false;
  return true;
}

interface Resolved {
  tag: number;
  verdict: number;
  minSeverity: number;
  run: number | null;
}

function resolve(reviews: CompareReviews, f: ReviewFilter): Resolved {
  const wanted = f.tag?.toLowerCase();
  return {
    tag: f.tag === null ? -1 : reviews.tags.findIndex((t) => t.toLowerCase() === wanted),
    verdict: f.verdict === null ? -1 : VERDICTS.indexOf(f.verdict),
    minSeverity: f.minSeverity === null ? -1 : SEVERITIES.indexOf(f.minSeverity),
    run: f.run,
  };
}

function rowPassesResolved(review: RowReview | null, r: Resolved): boolean {
  if (r.tag === -2) return false;
  if (r.tag < 0 && r.verdict < 0 && r.minSeverity < 0) return true;
  if (!review) return false;
  if (r.run !== null) return outputPasses(review.runs[r.run] ?? null, r.tag, r.verdict, r.minSeverity);
  return outputPasses(review.item, r.tag, r.verdict, r.minSeverity) || review.runs.some((o) => outputPasses(o, r.tag, r.verdict, r.minSeverity));
}

/** Whether row `i` passes the review filter (a tag the taxonomy lacks passes nothing). */
export function reviewPasses(reviews: CompareReviews | null | undefined, i: number, f: ReviewFilter | undefined): boolean {
  if (!reviewFilterActive(f)) return true;
  if (!reviews) return false;
  const r = resolve(reviews, f);
  if (f.tag !== null && r.tag < 0) r.tag = -2;
  return rowPassesResolved(reviews.rows[i] ?? null, r);
}

export function emptyReviewCounts(reviews: CompareReviews): ReviewCounts {
  return {
    tags: reviews.tags.map(() => 0),
    verdict: { correct: 0, partly: 0, incorrect: 0 },
    severity: { none: 0, mild: 0, moderate: 0, severe: 0 },
    reviewed: 0,
  };
}

/** Adds row `i` (which passes every non-review filter) to the counts each review choice would give, the other review choices held. */
export function countReview(reviews: CompareReviews, i: number, f: ReviewFilter | undefined, counts: ReviewCounts): void {
  const review = reviews.rows[i] ?? null;
  if (!review) return;
  const base = resolve(reviews, f ?? NO_REVIEW_FILTER);
  if (f?.tag !== null && f?.tag !== undefined && base.tag < 0) return;
  if (base.run === null || review.runs[base.run]) counts.reviewed++;
  reviews.tags.forEach((_, t) => {
    if (rowPassesResolved(review, { ...base, tag: t })) counts.tags[t]!++;
  });
  VERDICTS.forEach((v, vi) => {
    if (rowPassesResolved(review, { ...base, verdict: vi })) counts.verdict[v]++;
  });
  SEVERITIES.forEach((s, si) => {
    if (rowPassesResolved(review, { ...base, minSeverity: si })) counts.severity[s]++;
  });
}
