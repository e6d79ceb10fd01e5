/**
 * Review sessions: a scope (run, comparison with a filter, seeded sample) fixed into items when
 * the session starts, one reviewer, progress and resume position, and blind mode — run names
 * and models withheld and each item's columns shuffled (seeded) until the session ends. The
 * renderer addresses outputs by their column on screen; only this module maps columns to runs.
 */
import crypto from 'node:crypto';
import type {
  AdjustedScore,
  AnnotationState,
  SessionDetail,
  SessionItem,
  SessionItemFilter,
  SessionItemRow,
  SessionScope,
  SessionSummary,
  Severity,
  Verdict,
} from '../../shared/annotations';
import type { Db } from '../db/open';
import { annotationsForItems, readAnnotation, stateOf, writeAnnotation, type StoredAnnotation } from './store';
import { alignRuns, columnOrder, fingerprintFor, libraryInput, runById, runByUid, runItem, sampleAligned, scoreOf, type RunRef } from './runItems';
import { comparisonItems } from './comparisonScope';
import { BadInputError, NotFoundError } from '../errors';

interface SessionRow {
  id: number;
  uid: string;
  name: string;
  reviewer: string;
  scope_json: string;
  run_uids_json: string;
  blind: number;
  seed: number;
  status: 'open' | 'ended';
  position: number;
  created_at: string;
  ended_at: string | null;
}

const LETTERS = 'ABCDEFGH';

export function sessionRow(db: Db, id: number): SessionRow {
  const r = db.prepare('SELECT * FROM annotation_sessions WHERE id = ?').get(id) as SessionRow | undefined;
  if (!r) throw new NotFoundError(`no annotation session with id ${id}`, { field: 'sessionId' });
  return r;
}

const hidden = (s: SessionRow) => s.blind === 1 && s.status === 'open';

export function scopeRunIds(scope: SessionScope): number[] {
  return scope.kind === 'run' ? [scope.runId] : scope.runIds;
}

export function createSession(db: Db, args: { reviewer: string; name?: string; scope: SessionScope; blind: boolean; seed?: number }): SessionDetail {
  const runs = scopeRunIds(args.scope).map((id) => runById(db, id));
  if (new Set(runs.map((r) => r.id)).size !== runs.length) throw new BadInputError('a run appears twice in the scope', { field: 'scope.runIds' });
  let aligned: { key: string; ords: number[] }[];
  if (args.scope.kind === 'comparison') aligned = comparisonItems(db, args.scope);
  else {
    aligned = alignRuns(db, runs);
    if (args.scope.kind === 'sample') aligned = sampleAligned(aligned, args.scope.n, args.scope.seed);
  }
  if (aligned.length === 0) throw new BadInputError('the scope holds no items (the runs share no items, or the filter keeps none)', { field: 'scope' });
  const seed = args.seed ?? crypto.randomInt(0, 2 ** 31 - 1);
  const name = args.name ?? defaultName(args.scope, runs);
  const id = db.transaction(() => {
    const sid = Number(
      db
        .prepare(
          `INSERT INTO annotation_sessions (uid, name, reviewer, scope_json, run_uids_json, blind, seed, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
        )
        .run(
          crypto.randomUUID(),
          name,
          args.reviewer,
          JSON.stringify(args.scope),
          JSON.stringify(runs.map((r) => r.uid)),
          args.blind ? 1 : 0,
          seed,
          new Date().toISOString(),
        ).lastInsertRowid,
    );
    const insert = db.prepare('INSERT INTO annotation_session_items (session_id, ord, item_key, ords_json) VALUES (?, ?, ?, ?)');
    aligned.forEach((a, ord) => insert.run(sid, ord, a.key, JSON.stringify(a.ords)));
    return sid;
  })();
  return sessionDetail(db, id);
}

function defaultName(scope: SessionScope, runs: RunRef[]): string {
  if (scope.kind === 'run') return `Review of ${runs[0]!.name}`;
  if (scope.kind === 'sample') return `Sample of ${scope.n} (seed ${scope.seed})`;
  return `Comparison of ${runs.length} runs${scope.filter === 'all' ? '' : ` (${scope.filter})`}${scope.view || scope.search ? ' (Compare view filter)' : ''}`;
}

/** The session's runs in scope order (undefined where a run was deleted since). */
export function sessionRuns(db: Db, s: SessionRow): (RunRef | undefined)[] {
  return (JSON.parse(s.run_uids_json) as string[]).map((uid) => runByUid(db, uid));
}

interface SessionItemDb {
  ord: number;
  item_key: string;
  ords_json: string;
}

export function sessionItems(db: Db, sessionId: number): { ord: number; key: string; ords: number[] }[] {
  return (db.prepare('SELECT ord, item_key, ords_json FROM annotation_session_items WHERE session_id = ? ORDER BY ord').all(sessionId) as SessionItemDb[]).map(
    (r) => ({
      ord: r.ord,
      key: r.item_key,
      ords: JSON.parse(r.ords_json) as number[],
    }),
  );
}

function reviewedKeys(db: Db, s: SessionRow): Set<string> {
  const keys = db
    .prepare(
      `SELECT DISTINCT si.item_key FROM annotation_session_items si JOIN annotations a ON a.item_key = si.item_key AND a.reviewer = ?
        WHERE si.session_id = ? AND (a.run_uid = '' OR a.run_uid IN (SELECT value FROM json_each(?)))`,
    )
    .pluck()
    .all(s.reviewer, s.id, s.run_uids_json) as string[];
  return new Set(keys);
}

function maskScope(scope: SessionScope): SessionScope {
  if (scope.kind === 'run') return { ...scope, runId: 0 };
  return { ...scope, runIds: scope.runIds.map(() => 0) };
}

export function sessionSummary(db: Db, s: SessionRow): SessionSummary {
  const total = db.prepare('SELECT COUNT(*) FROM annotation_session_items WHERE session_id = ?').pluck().get(s.id) as number;
  const scope = JSON.parse(s.scope_json) as SessionScope;
  return {
    id: s.id,
    uid: s.uid,
    name: s.name,
    reviewer: s.reviewer,
    scope: hidden(s) ? maskScope(scope) : scope,
    blind: s.blind === 1,
    revealed: !hidden(s),
    status: s.status,
    seed: s.seed,
    total,
    reviewed: reviewedKeys(db, s).size,
    position: Math.min(s.position, Math.max(0, total - 1)),
    createdAt: s.created_at,
    endedAt: s.ended_at,
  };
}

export function listSessions(db: Db): SessionSummary[] {
  return (db.prepare('SELECT * FROM annotation_sessions ORDER BY id DESC').all() as SessionRow[]).map((s) => sessionSummary(db, s));
}

const VERDICT_VALUE: Record<Verdict, number> = { correct: 1, partly: 0.5, incorrect: 0 };

/** Per run: the mean automatic per-item score, and the same with this reviewer's verdicts in place of it where given. */
export function adjustedScores(db: Db, s: SessionRow): AdjustedScore[] {
  const runs = sessionRuns(db, s);
  const items = sessionItems(db, s.id);
  return runs.flatMap((run, i) => {
    if (!run) return [];
    let auto = 0;
    let adj = 0;
    let n = 0;
    let reviewed = 0;
    let metric: string | null = null;
    for (const it of items) {
      const ri = runItem(db, run.id, it.ords[i]!);
      if (!ri) continue;
      const score = scoreOf(run, ri);
      if (score.value === null) continue;
      metric ??= score.primary;
      n++;
      auto += score.value;
      const a = readAnnotation(db, { itemKey: it.key, runUid: run.uid, reviewer: s.reviewer });
      if (a?.verdict) {
        reviewed++;
        adj += VERDICT_VALUE[a.verdict];
      } else adj += score.value;
    }
    return [{ runLabel: run.name, metric: metric ?? '(none)', items: n, reviewed, automatic: n ? auto / n : null, adjusted: n ? adj / n : null }];
  });
}

export function sessionDetail(db: Db, id: number): SessionDetail {
  const s = sessionRow(db, id);
  const runs = sessionRuns(db, s);
  const blind = hidden(s);
  return {
    ...sessionSummary(db, s),
    runs: runs.map((r, i) =>
      blind
        ? { label: `Run ${i + 1}`, runId: null, name: null, modelLabel: null }
        : { label: r?.name ?? '(deleted run)', runId: r?.id ?? null, name: r?.name ?? null, modelLabel: r?.modelLabel ?? null },
    ),
    adjusted: blind ? null : adjustedScores(db, s),
  };
}

function disagrees(list: StoredAnnotation[]): boolean {
  const byTarget = new Map<string, StoredAnnotation[]>();
  for (const a of list) byTarget.set(a.runUid, [...(byTarget.get(a.runUid) ?? []), a]);
  for (const group of byTarget.values()) {
    if (group.length < 2) continue;
    const sig = (a: StoredAnnotation) => JSON.stringify([a.verdict, a.severity, a.tagIds]);
    if (new Set(group.map(sig)).size > 1) return true;
  }
  return false;
}

export function listSessionItems(db: Db, sessionId: number, filter: SessionItemFilter): SessionItemRow[] {
  const s = sessionRow(db, sessionId);
  const items = sessionItems(db, sessionId);
  const reviewed = reviewedKeys(db, s);
  const uids = new Set(['', ...(JSON.parse(s.run_uids_json) as string[])]);
  const byKey = new Map<string, StoredAnnotation[]>();
  if (filter === 'disagreements' || filter === 'all') {
    for (const a of annotationsForItems(
      db,
      items.map((i) => i.key),
    ))
      if (uids.has(a.runUid)) byKey.set(a.itemKey, [...(byKey.get(a.itemKey) ?? []), a]);
  }
  const rows = items.map((it) => ({
    ord: it.ord,
    itemKey: it.key,
    task: it.key.slice(it.key.indexOf('/') + 1, it.key.lastIndexOf('#')),
    reviewed: reviewed.has(it.key),
    disagreement: disagrees(byKey.get(it.key) ?? []),
  }));
  if (filter === 'unreviewed') return rows.filter((r) => !r.reviewed);
  if (filter === 'reviewed') return rows.filter((r) => r.reviewed);
  if (filter === 'disagreements') return rows.filter((r) => r.disagreement);
  return rows;
}

function itemAt(db: Db, s: SessionRow, ord: number) {
  const it = db.prepare('SELECT ord, item_key, ords_json FROM annotation_session_items WHERE session_id = ? AND ord = ?').get(s.id, ord) as
    SessionItemDb | undefined;
  if (!it) throw new NotFoundError(`session ${s.id} has no item ${ord}`, { field: 'ord' });
  return { ord: it.ord, key: it.item_key, ords: JSON.parse(it.ords_json) as number[] };
}

export function getSessionItem(db: Db, sessionId: number, ord: number): SessionItem {
  const s = sessionRow(db, sessionId);
  const it = itemAt(db, s, ord);
  const runs = sessionRuns(db, s);
  const blind = hidden(s);
  const perm = columnOrder(runs.length, s.blind === 1, s.seed, ord);
  const rows = runs.map((r, i) => (r ? runItem(db, r.id, it.ords[i]!) : undefined));
  const first = rows.find((x) => x !== undefined);
  if (!first) throw new NotFoundError(`the runs of session ${s.id} no longer exist`, { field: 'sessionId' });
  const all = annotationsForItems(db, [it.key]);
  const mine = (uid: string) => all.find((a) => a.runUid === uid && a.reviewer === s.reviewer);
  const others = (uid: string) =>
    blind ? [] : all.filter((a) => a.runUid === uid && a.reviewer !== s.reviewer).map((a) => ({ ...stateOf(a), reviewer: a.reviewer }));
  const total = db.prepare('SELECT COUNT(*) FROM annotation_session_items WHERE session_id = ?').pluck().get(s.id) as number;
  return {
    ord,
    total,
    itemKey: it.key,
    benchmark: first.benchmark,
    task: first.task,
    input: first.input || (libraryInput(db, first.benchmark, first.task, first.index) ?? ''),
    gold: JSON.parse(first.goldJson) as string[],
    item: stateOf(mine('')),
    columns: perm.map((runIndex, column) => {
      const run = runs[runIndex];
      const row = rows[runIndex];
      return {
        column,
        label: blind ? `Output ${LETTERS[column]}` : (run?.name ?? '(deleted run)'),
        runId: blind ? null : (run?.id ?? null),
        modelLabel: blind ? null : (run?.modelLabel ?? null),
        output: row?.output ?? null,
        status: row?.status ?? 'pending',
        metrics: run && row ? scoreOf(run, row).metrics : {},
        annotation: run ? stateOf(mine(run.uid)) : stateOf(undefined),
        others: run ? others(run.uid) : [],
      };
    }),
  };
}

export function annotateInSession(
  db: Db,
  args: { sessionId: number; ord: number; column: number | null; tagIds: number[]; verdict: Verdict | null; severity: Severity | null; note: string },
): SessionItem {
  const s = sessionRow(db, args.sessionId);
  const it = itemAt(db, s, args.ord);
  const runs = sessionRuns(db, s);
  const perm = columnOrder(runs.length, s.blind === 1, s.seed, args.ord);
  let run: RunRef | undefined;
  let rowRun: RunRef | undefined;
  if (args.column !== null) {
    const runIndex = perm[args.column];
    if (runIndex === undefined) throw new BadInputError(`column ${args.column} does not exist (the session has ${runs.length})`, { field: 'column' });
    run = runs[runIndex];
    if (!run) throw new NotFoundError('that run was deleted', { field: 'column' });
    rowRun = run;
  } else rowRun = runs.find((r) => r !== undefined);
  if (!rowRun) throw new NotFoundError(`the runs of session ${s.id} no longer exist`, { field: 'sessionId' });
  const row = runItem(db, rowRun.id, it.ords[runs.indexOf(rowRun)]!);
  if (!row) throw new NotFoundError(`run ${rowRun.id} has no item ${it.key}`, { field: 'ord' });
  const state: Pick<AnnotationState, 'tagIds' | 'verdict' | 'severity' | 'note'> = {
    tagIds: [...new Set(args.tagIds)],
    verdict: args.verdict,
    severity: args.severity,
    note: args.note,
  };
  writeAnnotation(
    db,
    {
      itemKey: it.key,
      runUid: run?.uid ?? '',
      reviewer: s.reviewer,
      fingerprint: fingerprintFor(db, row),
      benchmark: row.benchmark,
      task: row.task,
      index: row.index,
      runLabel: run ? `${run.name} (${run.modelLabel})` : null,
      sessionUid: s.uid,
    },
    state,
  );
  return getSessionItem(db, s.id, args.ord);
}

export function setPosition(db: Db, sessionId: number, ord: number): boolean {
  sessionRow(db, sessionId);
  db.prepare('UPDATE annotation_sessions SET position = ? WHERE id = ?').run(ord, sessionId);
  return true;
}

export function endSession(db: Db, sessionId: number): SessionDetail {
  sessionRow(db, sessionId);
  db.prepare("UPDATE annotation_sessions SET status = 'ended', ended_at = COALESCE(ended_at, ?) WHERE id = ?").run(new Date().toISOString(), sessionId);
  return sessionDetail(db, sessionId);
}
