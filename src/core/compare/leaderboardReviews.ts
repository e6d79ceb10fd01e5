/**
 * The leaderboard's review columns: per run × task, how many outputs reviewers annotated,
 * tagged (per tag) and judged (verdict and severity counts, every reviewer), and the task's
 * score adjusted by review beside the automatic one (LeaderboardReview in src/shared/compare.ts).
 */
import type { LeaderboardReview } from '../../shared/compare';
import { VERDICTS, type Severity, type Verdict } from '../../shared/enums';
import type { Db } from '../db/open';
import { itemKey } from '../items/identity';
import type { ItemScores } from './itemScores';

const VERDICT_VALUE: Record<Verdict, number> = { correct: 1, partly: 0.5, incorrect: 0 };

interface Ann {
  item_key: string;
  verdict: Verdict | null;
  severity: Severity | null;
  tags: string | null;
}

export interface RunReviews {
  /** Per item key: this run's annotations of that output. */
  byKey: Map<string, Ann[]>;
  /** Per ord: the item key. */
  keyOfOrd: Map<number, string>;
}

/** The run's annotations, or null when nobody annotated any of its outputs (the usual case: no work). */
export function loadRunReviews(db: Db, runId: number): RunReviews | null {
  const uid = db.prepare('SELECT uid FROM runs WHERE id = ?').pluck().get(runId) as string | null | undefined;
  if (!uid) return null;
  const list = db
    .prepare(
      `SELECT a.item_key, a.verdict, a.severity,
              (SELECT json_group_array(t.name) FROM annotation_tag_links l JOIN annotation_tags t ON t.id = l.tag_id WHERE l.annotation_id = a.id) AS tags
         FROM annotations a WHERE a.run_uid = ?`,
    )
    .all(uid) as Ann[];
  if (list.length === 0) return null;
  const byKey = new Map<string, Ann[]>();
  for (const a of list) byKey.set(a.item_key, [...(byKey.get(a.item_key) ?? []), a]);
  const keyOfOrd = new Map<number, string>();
  const rows = db
    .prepare(`SELECT ord, benchmark, task, idx, CASE WHEN idx IS NULL THEN input END AS input FROM run_items WHERE run_id = ? AND status != 'pending'`)
    .all(runId) as { ord: number; benchmark: string; task: string; idx: number | null; input: string | null }[];
  for (const r of rows) keyOfOrd.set(r.ord, itemKey({ benchmark: r.benchmark, task: r.task, index: r.idx, input: r.input ?? '' }));
  return { byKey, keyOfOrd };
}

/** One task's review counts and adjusted score; null when none of its outputs was annotated. */
export function taskReview(
  reviews: RunReviews,
  ords: readonly number[],
  scores: Map<number, ItemScores>,
  metric: { id: string; scale: 1 | 100; higherIsBetter: boolean },
): LeaderboardReview | null {
  const out: LeaderboardReview = { annotated: 0, verdicts: 0, tags: {}, verdictCounts: {}, severityCounts: {}, automatic: null, adjusted: null };
  let auto = 0;
  let adj = 0;
  let n = 0;
  for (const ord of ords) {
    const key = reviews.keyOfOrd.get(ord);
    const anns = key === undefined ? undefined : reviews.byKey.get(key);
    const value = scores.get(ord)?.[metric.id] ?? null;
    let verdictSum = 0;
    let verdictN = 0;
    if (anns) {
      out.annotated++;
      const tags = new Set<string>();
      for (const a of anns) {
        for (const t of JSON.parse(a.tags ?? '[]') as string[]) tags.add(t);
        if (a.verdict) {
          out.verdictCounts[a.verdict] = (out.verdictCounts[a.verdict] ?? 0) + 1;
          verdictSum += VERDICT_VALUE[a.verdict];
          verdictN++;
        }
        if (a.severity) out.severityCounts[a.severity] = (out.severityCounts[a.severity] ?? 0) + 1;
      }
      for (const t of tags) out.tags[t] = (out.tags[t] ?? 0) + 1;
      if (verdictN) out.verdicts++;
    }
    if (value === null) continue;
    n++;
    auto += value;
    adj += verdictN ? (verdictSum / verdictN) * metric.scale : value;
  }
  if (out.annotated === 0) return null;
  // A verdict says how right an output is; on a lower-is-better metric there is no value to put it in place of.
  if (n && metric.higherIsBetter) {
    out.automatic = auto / n;
    out.adjusted = adj / n;
  }
  // Keep VERDICTS order stable for readers of the JSON.
  out.verdictCounts = Object.fromEntries(VERDICTS.filter((v) => out.verdictCounts[v]).map((v) => [v, out.verdictCounts[v]!]));
  return out;
}
