/**
 * Annotations out and in. Export: JSON (lossless, re-importable) or CSV (one row per annotation
 * with item, task, gold, the output, its metric values, tags, verdict, severity, note, reviewer,
 * time). Import: a colleague's JSON export is validated whole before anything is written, then
 * merged by identity — new ones added, identical ones left, differing ones listed as conflicts
 * and replaced only when the caller names them in `take`.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { SEVERITIES, VERDICTS, type AnnotationState, type ImportAnnotationsResult, type ImportConflict } from '../../shared/annotations';
import type { Db } from '../db/open';
import { formatCsv } from '../predictions/csv';
import { runByUid, runItems, scoreOf, type RunItem, type RunRef } from './runItems';
import { runContentUid, runMatcher } from './runIdentity';
import { sessionRow } from './sessions';
import { allAnnotations, readAnnotation, writeAnnotation, type StoredAnnotation } from './store';
import { listTags, tagIdForName } from './taxonomy';
import { BadInputError, NotFoundError, TooLargeError } from '../errors';

export const EXPORT_FORMAT = 'medtask-annotations';
/** Imports larger than this are refused before reading (an export of 100k annotations is ~100 MB). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

const runRefSchema = z
  .object({
    uid: z.string().min(1).max(200),
    /** The hash of the run's predictions and targets (runIdentity.ts): finds the run where it came in as a predictions file. */
    contentUid: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'a content uid of 32 hex digits')
      .nullable()
      .optional(),
    name: z.string().max(500),
    modelLabel: z.string().max(1000),
    createdAt: z.string().max(100),
  })
  .strict();

const recordSchema = z
  .object({
    itemKey: z
      .string()
      .min(3)
      .max(2000)
      .regex(/^[^/]+\/.+#.+$/, 'an item key such as "benchmark/task#12"'),
    benchmark: z.string().min(1).max(500),
    task: z.string().min(1).max(1000),
    index: z.number().int().min(0).nullable(),
    fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, 'a hex fingerprint'),
    run: runRefSchema.nullable(),
    reviewer: z.string().trim().min(1).max(100),
    tags: z.array(z.string().trim().min(1).max(100)).max(50),
    verdict: z.enum(VERDICTS).nullable(),
    severity: z.enum(SEVERITIES).nullable(),
    note: z.string().max(20_000),
    updatedAt: z.string().max(100),
    session: z.string().max(200).nullable().optional(),
    // Context for readers of the file; not imported (the library has or lacks the item itself).
    input: z.string().nullable().optional(),
    gold: z.array(z.string()).nullable().optional(),
    output: z.string().nullable().optional(),
    metrics: z.record(z.string(), z.number()).nullable().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(1),
    exportedAt: z.string().max(100),
    scope: z.string().max(2000),
    tags: z
      .array(
        z
          .object({ name: z.string().trim().min(1).max(100), color: z.string().regex(/^#[0-9a-fA-F]{6}$/), hotkey: z.number().int().min(1).max(9).nullable() })
          .strict(),
      )
      .max(10_000),
    annotations: z.array(recordSchema).max(1_000_000),
  })
  .strict();

export type AnnotationRecord = z.infer<typeof recordSchema>;
export type AnnotationFile = z.infer<typeof fileSchema>;

export interface ExportSelection {
  sessionId?: number;
  runId?: number;
}

/** The annotations a selection names: a session's (its reviewer, its items and runs), a run's (all reviewers), or all. */
export function selectAnnotations(db: Db, sel: ExportSelection): { scope: string; list: StoredAnnotation[] } {
  if (sel.sessionId !== undefined) {
    const s = sessionRow(db, sel.sessionId);
    const keys = new Set(db.prepare('SELECT item_key FROM annotation_session_items WHERE session_id = ?').pluck().all(s.id) as string[]);
    const uids = new Set(['', ...(JSON.parse(s.run_uids_json) as string[])]);
    return {
      scope: `session ${s.uid} "${s.name}" (${s.reviewer})`,
      list: allAnnotations(db).filter((a) => a.reviewer === s.reviewer && keys.has(a.itemKey) && uids.has(a.runUid)),
    };
  }
  if (sel.runId !== undefined) {
    const uid = db.prepare('SELECT uid FROM runs WHERE id = ?').pluck().get(sel.runId) as string | undefined;
    if (!uid) throw new NotFoundError(`no run with id ${sel.runId}`, { field: 'runId' });
    return { scope: `run ${uid}`, list: allAnnotations(db, { runUid: uid }) };
  }
  return { scope: 'all annotations', list: allAnnotations(db) };
}

/** Records with what a reader needs beside each annotation: input, gold, the output and its metric values. */
export function exportRecords(db: Db, list: StoredAnnotation[]): AnnotationRecord[] {
  const runs = new Map<string, { ref: RunRef; contentUid: string; byKey: Map<string, RunItem> } | null>();
  const runOf = (uid: string) => {
    if (!runs.has(uid)) {
      const ref = runByUid(db, uid);
      runs.set(uid, ref ? { ref, contentUid: runContentUid(db, ref.id), byKey: new Map(runItems(db, ref.id).map((it) => [it.key, it])) } : null);
    }
    return runs.get(uid) ?? null;
  };
  const anyRunItem = (key: string): RunItem | undefined => {
    for (const r of runs.values()) {
      const it = r?.byKey.get(key);
      if (it) return it;
    }
    return undefined;
  };
  // Load every run first, so an item annotation can borrow its input and gold from one of them.
  for (const a of list) if (a.runUid) runOf(a.runUid);
  return list.map((a) => {
    const run = a.runUid ? runOf(a.runUid) : null;
    const it = run ? run.byKey.get(a.itemKey) : anyRunItem(a.itemKey);
    const [name, model] = splitLabel(a.runLabel);
    return {
      itemKey: a.itemKey,
      benchmark: a.benchmark,
      task: a.task,
      index: a.index,
      fingerprint: a.fingerprint,
      run: a.runUid
        ? run
          ? { uid: a.runUid, contentUid: run.contentUid, name: run.ref.name, modelLabel: run.ref.modelLabel, createdAt: run.ref.createdAt }
          : { uid: a.runUid, name, modelLabel: model, createdAt: '' }
        : null,
      reviewer: a.reviewer,
      tags: a.tags,
      verdict: a.verdict,
      severity: a.severity,
      note: a.note,
      updatedAt: a.updatedAt ?? '',
      session: a.sessionUid,
      input: it?.input ?? null,
      gold: it ? (JSON.parse(it.goldJson) as string[]) : null,
      output: run && it ? it.output : null,
      metrics: run && it ? scoreOf(run.ref, it).metrics : null,
    };
  });
}

function splitLabel(label: string | null): [string, string] {
  const m = label?.match(/^(.*) \((.*)\)$/s);
  return m ? [m[1]!, m[2]!] : [label ?? '', ''];
}

export function exportJson(db: Db, sel: ExportSelection): { text: string; count: number } {
  const { scope, list } = selectAnnotations(db, sel);
  const file: AnnotationFile = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: new Date().toISOString(),
    scope,
    tags: listTags(db).map((t) => ({ name: t.name, color: t.color, hotkey: t.hotkey })),
    annotations: exportRecords(db, list),
  };
  return { text: `${JSON.stringify(file, null, 2)}\n`, count: list.length };
}

/** A spreadsheet opening the CSV must not run a cell as a formula (CSV injection). */
function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export const CSV_HEADER = [
  'item',
  'benchmark',
  'task',
  'index',
  'gold',
  'run',
  'model',
  'run_uid',
  'output',
  'metrics',
  'tags',
  'verdict',
  'severity',
  'note',
  'reviewer',
  'time',
  'input',
];

export function exportCsv(db: Db, sel: ExportSelection): { text: string; count: number } {
  const { list } = selectAnnotations(db, sel);
  const rows = exportRecords(db, list).map((r) =>
    [
      r.itemKey,
      r.benchmark,
      r.task,
      r.index === null ? '' : String(r.index),
      (r.gold ?? []).join(' | '),
      r.run?.name ?? '(item)',
      r.run?.modelLabel ?? '',
      r.run?.uid ?? '',
      r.output ?? '',
      r.metrics
        ? Object.entries(r.metrics)
            .map(([k, v]) => `${k}=${v}`)
            .join('; ')
        : '',
      r.tags.join('; '),
      r.verdict ?? '',
      r.severity ?? '',
      r.note,
      r.reviewer,
      r.updatedAt,
      r.input ?? '',
    ].map(safeCell),
  );
  return { text: formatCsv([CSV_HEADER, ...rows]), count: rows.length };
}

/** Reads and validates an export; errors name the file and the field (annotations[3].note). */
export function readAnnotationFile(file: string): AnnotationFile {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new NotFoundError(`${file}: no such file`, { file });
  }
  if (!st.isFile()) throw new BadInputError(`${file}: not a regular file`, { file });
  if (st.size > MAX_IMPORT_BYTES)
    throw new TooLargeError(`${file}: ${st.size} bytes is over the ${MAX_IMPORT_BYTES}-byte limit for an annotations file`, { file });
  const text = fs.readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new BadInputError(
      `${file}${line ? `, line ${line}` : ''}: not valid JSON (${(err as Error).message.slice(0, 200)})`,
      line ? { file, line } : { file },
    );
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && (json as { format?: unknown }).format !== EXPORT_FORMAT) {
    throw new BadInputError(`${file}: not a MedTask annotations export (expected "format": "${EXPORT_FORMAT}")`, { file, field: 'format' });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    throw new BadInputError(`${file}: ${field || 'file'}: ${issue.message}`, { file, field: field || 'file' });
  }
  return parsed.data;
}

export const conflictKey = (itemKey: string, runUid: string, reviewer: string) => `${itemKey}|${runUid}|${reviewer}`;

type Comparable = Pick<AnnotationState, 'verdict' | 'severity' | 'note'> & { tags: string[] };
const sameContent = (a: Comparable, b: Comparable) =>
  a.verdict === b.verdict &&
  a.severity === b.severity &&
  a.note === b.note &&
  JSON.stringify([...a.tags].map((t) => t.toLowerCase()).sort()) === JSON.stringify([...b.tags].map((t) => t.toLowerCase()).sort());

/** Merges a validated export into the library in one transaction. */
export function mergeAnnotations(db: Db, file: string, data: AnnotationFile, take: readonly string[]): ImportAnnotationsResult {
  const takeSet = new Set(take);
  const result: ImportAnnotationsResult = { file, added: 0, unchanged: 0, taken: 0, tagsCreated: [], conflicts: [] };
  // The run here each record names: by uid, else by content (the same outputs imported as a predictions file).
  const match = runMatcher(db);
  const runUids = data.annotations.map((r) => (r.run ? (match(r.run) ?? r.run.uid) : ''));
  const seen = new Set<string>();
  for (const [i, r] of data.annotations.entries()) {
    const key = conflictKey(r.itemKey, runUids[i]!, r.reviewer);
    if (seen.has(key))
      throw new BadInputError(`${file}: annotations[${i}]: a second annotation for ${r.itemKey} by ${r.reviewer} on the same output`, {
        file,
        field: `annotations[${i}]`,
      });
    seen.add(key);
  }
  const colors = new Map(data.tags.map((t) => [t.name.toLowerCase(), t.color]));
  db.transaction(() => {
    for (const [i, r] of data.annotations.entries()) {
      const runUid = runUids[i]!;
      const identity = { itemKey: r.itemKey, runUid, reviewer: r.reviewer };
      const local = readAnnotation(db, identity);
      const incoming: Comparable = { verdict: r.verdict, severity: r.severity, note: r.note, tags: r.tags };
      const key = conflictKey(r.itemKey, runUid, r.reviewer);
      if (local && sameContent(local, incoming) && local.fingerprint === r.fingerprint) {
        result.unchanged++;
        continue;
      }
      if (local && !takeSet.has(key)) {
        result.conflicts.push(conflictOf(key, r, local));
        continue;
      }
      const tagIds = [...new Set(r.tags.map((t) => tagIdForName(db, t, colors.get(t.toLowerCase()), result.tagsCreated)))];
      const place = {
        ...identity,
        fingerprint: r.fingerprint,
        benchmark: r.benchmark,
        task: r.task,
        index: r.index,
        runLabel: r.run ? `${r.run.name} (${r.run.modelLabel})` : null,
        sessionUid: r.session ?? null,
      };
      const stored = writeAnnotation(db, place, { tagIds, verdict: r.verdict, severity: r.severity, note: r.note }, r.updatedAt || new Date().toISOString());
      if (!stored && !local) continue; // an empty record: nothing to keep
      if (local) result.taken++;
      else result.added++;
    }
  })();
  return result;
}

function conflictOf(key: string, r: AnnotationRecord, local: StoredAnnotation): ImportConflict {
  return {
    key,
    itemKey: r.itemKey,
    run: r.run ? `${r.run.name} (${r.run.modelLabel})` : null,
    reviewer: r.reviewer,
    local: { tagIds: local.tagIds, tags: local.tags, verdict: local.verdict, severity: local.severity, note: local.note, updatedAt: local.updatedAt },
    incoming: { tagIds: [], tags: r.tags, verdict: r.verdict, severity: r.severity, note: r.note, updatedAt: r.updatedAt },
    fingerprintDiffers: local.fingerprint !== r.fingerprint,
  };
}
