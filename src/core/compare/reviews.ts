/**
 * Reviewers' annotations beside the compare rows: per row, each compared run's output and the
 * item itself, merged over every reviewer and session (tags given, verdict counts, highest
 * harm severity), so the shared review filter (src/shared/compareReviews.ts) runs on rows
 * already loaded — in the Compare view and in `medtask compare` alike.
 */
import { SEVERITIES, VERDICTS, type Severity, type Verdict } from '../../shared/enums';
import type { CompareResult } from '../../shared/compare';
import type { CompareReviews, OutputReview } from '../../shared/compareReviews';
import type { Db } from '../db/open';

interface AnnotationRow {
  item_key: string;
  run_uid: string;
  verdict: Verdict | null;
  severity: Severity | null;
  tags: string | null;
}

const emptyReview = (): OutputReview => ({ tags: [], verdicts: [0, 0, 0], severity: -1, reviewers: 0 });

/** The reviews of `rows` for these runs (by id, in compare order). */
export function reviewsFor(db: Db, runIds: readonly number[], rowKeys: readonly string[]): CompareReviews {
  const tags = db.prepare('SELECT id, name FROM annotation_tags ORDER BY ord, id').all() as { id: number; name: string }[];
  const tagIndex = new Map(tags.map((t, i) => [t.id, i]));
  const uidStmt = db.prepare('SELECT uid FROM runs WHERE id = ?').pluck();
  const uids = runIds.map((id) => (uidStmt.get(id) as string | null | undefined) ?? null);
  const runOfUid = new Map<string, number>();
  uids.forEach((u, r) => {
    if (u) runOfUid.set(u, r);
  });
  const rowOfKey = new Map<string, number>();
  rowKeys.forEach((k, i) => {
    if (!rowOfKey.has(k)) rowOfKey.set(k, i);
  });
  const rows: CompareReviews['rows'] = rowKeys.map(() => null);
  const list = db
    .prepare(
      `SELECT a.item_key, a.run_uid, a.verdict, a.severity, (SELECT json_group_array(l.tag_id) FROM annotation_tag_links l WHERE l.annotation_id = a.id) AS tags
         FROM annotations a WHERE a.run_uid = '' OR a.run_uid IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(uids.filter((u): u is string => u !== null))) as AnnotationRow[];
  for (const a of list) {
    const i = rowOfKey.get(a.item_key);
    if (i === undefined) continue;
    const run = a.run_uid === '' ? null : runOfUid.get(a.run_uid);
    if (run === undefined) continue;
    const row = (rows[i] ??= { runs: runIds.map(() => null), item: null });
    const out = run === null ? (row.item ??= emptyReview()) : (row.runs[run] ??= emptyReview());
    out.reviewers++;
    for (const id of JSON.parse(a.tags ?? '[]') as number[]) {
      const t = tagIndex.get(id);
      if (t !== undefined && !out.tags.includes(t)) out.tags.push(t);
    }
    if (a.verdict) out.verdicts[VERDICTS.indexOf(a.verdict)]!++;
    if (a.severity) out.severity = Math.max(out.severity, SEVERITIES.indexOf(a.severity));
  }
  for (const row of rows) for (const out of row ? [row.item, ...row.runs] : []) out?.tags.sort((x, y) => x - y);
  return { tags: tags.map((t) => t.name), rows, reviewed: rows.filter((r) => r !== null).length };
}

/** The compare result with its rows' reviews. */
export function withReviews(db: Db, res: CompareResult): CompareResult {
  return {
    ...res,
    reviews: reviewsFor(
      db,
      res.runs.map((r) => r.id),
      res.rows.map((r) => r.key),
    ),
  };
}
