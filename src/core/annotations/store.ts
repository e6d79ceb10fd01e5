/**
 * Reading and writing annotations by their stable identity (item key, run uid — '' for the item
 * itself — and reviewer). A write replaces the whole state, so undo and redo are plain writes;
 * an annotation cleared of everything is deleted rather than kept empty.
 */
import type { AnnotationState, Severity, Verdict } from '../../shared/annotations';
import type { Db } from '../db/open';
import { BadInputError } from '../errors';

export interface AnnotationIdentity {
  itemKey: string;
  runUid: string;
  reviewer: string;
}

export interface AnnotationPlace extends AnnotationIdentity {
  fingerprint: string;
  benchmark: string;
  task: string;
  index: number | null;
  runLabel: string | null;
  sessionUid: string | null;
}

export interface StoredAnnotation extends AnnotationPlace, AnnotationState {
  id: number;
  tags: string[];
}

interface Row {
  id: number;
  item_key: string;
  run_uid: string;
  reviewer: string;
  fingerprint: string;
  benchmark: string;
  task: string;
  idx: number | null;
  run_label: string | null;
  verdict: Verdict | null;
  severity: Severity | null;
  note: string;
  session_uid: string | null;
  updated_at: string;
  tag_ids: string | null;
  tag_names: string | null;
}

const SELECT = `SELECT a.*, (SELECT json_group_array(l.tag_id) FROM annotation_tag_links l WHERE l.annotation_id = a.id) AS tag_ids,
                       (SELECT json_group_array(t.name) FROM annotation_tag_links l JOIN annotation_tags t ON t.id = l.tag_id WHERE l.annotation_id = a.id) AS tag_names
                  FROM annotations a`;

function fromRow(r: Row): StoredAnnotation {
  const ids = (JSON.parse(r.tag_ids ?? '[]') as number[]).sort((a, b) => a - b);
  return {
    id: r.id,
    itemKey: r.item_key,
    runUid: r.run_uid,
    reviewer: r.reviewer,
    fingerprint: r.fingerprint,
    benchmark: r.benchmark,
    task: r.task,
    index: r.idx,
    runLabel: r.run_label,
    sessionUid: r.session_uid,
    tagIds: ids,
    tags: (JSON.parse(r.tag_names ?? '[]') as string[]).sort(),
    verdict: r.verdict,
    severity: r.severity,
    note: r.note,
    updatedAt: r.updated_at,
  };
}

export const EMPTY_STATE: AnnotationState = { tagIds: [], verdict: null, severity: null, note: '', updatedAt: null };

export function stateOf(a: StoredAnnotation | undefined): AnnotationState {
  return a ? { tagIds: a.tagIds, verdict: a.verdict, severity: a.severity, note: a.note, updatedAt: a.updatedAt } : EMPTY_STATE;
}

export function isEmptyState(s: Pick<AnnotationState, 'tagIds' | 'verdict' | 'severity' | 'note'>): boolean {
  return s.tagIds.length === 0 && s.verdict === null && s.severity === null && s.note.trim() === '';
}

export function readAnnotation(db: Db, id: AnnotationIdentity): StoredAnnotation | undefined {
  const r = db.prepare(`${SELECT} WHERE a.item_key = ? AND a.run_uid = ? AND a.reviewer = ?`).get(id.itemKey, id.runUid, id.reviewer) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** Every annotation of these item keys (all runs, all reviewers). */
export function annotationsForItems(db: Db, itemKeys: readonly string[]): StoredAnnotation[] {
  const out: StoredAnnotation[] = [];
  const stmt = db.prepare(`${SELECT} WHERE a.item_key = ?`);
  for (const key of new Set(itemKeys)) for (const r of stmt.all(key) as Row[]) out.push(fromRow(r));
  return out;
}

export function allAnnotations(db: Db, where?: { runUid: string }): StoredAnnotation[] {
  const rows = (
    where
      ? db.prepare(`${SELECT} WHERE a.run_uid = ? ORDER BY a.item_key, a.reviewer`).all(where.runUid)
      : db.prepare(`${SELECT} ORDER BY a.item_key, a.run_uid, a.reviewer`).all()
  ) as Row[];
  return rows.map(fromRow);
}

/** Replaces the annotation at `place` with `state` (deleting it when empty); returns what is stored. */
export function writeAnnotation(
  db: Db,
  place: AnnotationPlace,
  state: Pick<AnnotationState, 'tagIds' | 'verdict' | 'severity' | 'note'>,
  updatedAt = new Date().toISOString(),
): StoredAnnotation | undefined {
  return db.transaction(() => {
    const known = new Set(db.prepare('SELECT id FROM annotation_tags').pluck().all() as number[]);
    for (const t of state.tagIds) if (!known.has(t)) throw new BadInputError(`no tag with id ${t}`, { field: 'tagIds' });
    if (isEmptyState(state)) {
      db.prepare('DELETE FROM annotations WHERE item_key = ? AND run_uid = ? AND reviewer = ?').run(place.itemKey, place.runUid, place.reviewer);
      return undefined;
    }
    db.prepare(
      `INSERT INTO annotations (item_key, run_uid, reviewer, fingerprint, benchmark, task, idx, run_label, verdict, severity, note, session_uid, updated_at)
       VALUES (@itemKey, @runUid, @reviewer, @fingerprint, @benchmark, @task, @index, @runLabel, @verdict, @severity, @note, @sessionUid, @updatedAt)
       ON CONFLICT (item_key, run_uid, reviewer) DO UPDATE SET fingerprint = excluded.fingerprint, run_label = COALESCE(excluded.run_label, run_label),
         verdict = excluded.verdict, severity = excluded.severity, note = excluded.note, session_uid = COALESCE(excluded.session_uid, session_uid), updated_at = excluded.updated_at`,
    ).run({ ...place, verdict: state.verdict, severity: state.severity, note: state.note, updatedAt });
    const id = db
      .prepare('SELECT id FROM annotations WHERE item_key = ? AND run_uid = ? AND reviewer = ?')
      .pluck()
      .get(place.itemKey, place.runUid, place.reviewer) as number;
    db.prepare('DELETE FROM annotation_tag_links WHERE annotation_id = ?').run(id);
    const link = db.prepare('INSERT OR IGNORE INTO annotation_tag_links (annotation_id, tag_id) VALUES (?, ?)');
    for (const t of state.tagIds) link.run(id, t);
    return readAnnotation(db, place);
  })();
}
