/**
 * Write side of an import: takes reader plans and writes them into the library on a
 * connection of its own, all in ONE transaction. A failure or a cancel anywhere rolls
 * everything back, so the library is always either as before or fully updated.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ImportedSplit, ImportProgress } from '../../shared/domain';
import { openDatabase, type Db } from '../db/open';
import { APP_VERSION } from '../version';
import type { SourcePlan } from './plan';
import { ImportError, type NormalisedRecord } from './types';

export interface StoreOptions {
  importId: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Minimum milliseconds between progress reports for one file. */
  progressIntervalMs?: number;
}

export class ImportCancelledError extends Error {
  constructor() {
    super('import cancelled; the library is unchanged');
    this.name = 'ImportCancelledError';
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function prepareStatements(db: Db) {
  return {
    benchmark: db.prepare(
      `INSERT INTO benchmarks (name, title) VALUES (@name, @title)
       ON CONFLICT(name) DO UPDATE SET title = excluded.title RETURNING id`,
    ),
    task: db.prepare(
      `INSERT INTO tasks (benchmark_id, name, category, source_dataset, definition, languages_json)
       VALUES (@benchmarkId, @name, @category, @sourceDataset, @definition, @languages)
       ON CONFLICT(benchmark_id, name) DO UPDATE SET
         category = COALESCE(excluded.category, category),
         source_dataset = COALESCE(excluded.source_dataset, source_dataset),
         definition = COALESCE(excluded.definition, definition),
         languages_json = COALESCE(excluded.languages_json, languages_json)
       RETURNING id`,
    ),
    split: db.prepare(
      `INSERT INTO splits (task_id, config, split) VALUES (?, ?, ?)
       ON CONFLICT(task_id, config, split) DO UPDATE SET config = excluded.config RETURNING id, item_count AS itemCount`,
    ),
    source: db.prepare('SELECT sha256 FROM sources WHERE split_id = ?'),
    clearItems: db.prepare('DELETE FROM items WHERE split_id = ?'),
    item: db.prepare(
      `INSERT INTO items (split_id, idx, source_id, instruction, input, output, outputs_json, history_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    count: db.prepare('UPDATE splits SET item_count = ? WHERE id = ?'),
    upsertSource: db.prepare(
      `INSERT INTO sources (split_id, path, size, sha256, layout, imported_at, app_version)
       VALUES (@splitId, @path, @size, @sha256, @layout, @importedAt, @appVersion)
       ON CONFLICT(split_id) DO UPDATE SET path = excluded.path, size = excluded.size, sha256 = excluded.sha256,
         layout = excluded.layout, imported_at = excluded.imported_at, app_version = excluded.app_version`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function splitKey(plan: SourcePlan): string {
  const d = plan.descriptor;
  return `${d.benchmark.name}/${d.task} ${d.config}/${d.split}`;
}

function checkRecord(plan: SourcePlan, rec: NormalisedRecord, seenIds: Set<string>): void {
  if (rec.outputs.length === 0) {
    throw new ImportError(`${plan.file}: record ${rec.index}${rec.line ? ` (line ${rec.line})` : ''}: field "output" is empty`, plan.file, {
      record: rec.index,
      line: rec.line,
      field: 'output',
    });
  }
  if (rec.sourceId != null) {
    if (seenIds.has(rec.sourceId)) {
      throw new ImportError(`${plan.file}: record ${rec.index}${rec.line ? ` (line ${rec.line})` : ''}: duplicate id "${rec.sourceId}"`, plan.file, {
        record: rec.index,
        line: rec.line,
        field: 'id',
      });
    }
    seenIds.add(rec.sourceId);
  }
}

async function writePlan(
  db: Db,
  st: Statements,
  plan: SourcePlan,
  opts: StoreOptions,
): Promise<ImportedSplit> {
  const d = plan.descriptor;
  const { id: benchmarkId } = st.benchmark.get(d.benchmark) as { id: number };
  const { id: taskId } = st.task.get({
    benchmarkId,
    name: d.task,
    category: d.category ?? null,
    sourceDataset: d.sourceDataset ?? null,
    definition: d.definition ?? null,
    languages: d.languages?.length ? JSON.stringify(d.languages) : null,
  }) as { id: number };
  const split = st.split.get(taskId, d.config, d.split) as { id: number; itemCount: number };
  const stat = fs.statSync(plan.file);
  const sha256 = await sha256File(plan.file);
  const summary = { file: plan.file, benchmark: d.benchmark.name, task: d.task, config: d.config, split: d.split };
  const previous = st.source.get(split.id) as { sha256: string } | undefined;
  const report = (rows: number, bytesRead: number, done: boolean) =>
    opts.onProgress?.({ importId: opts.importId, file: plan.file, rows, bytesRead, totalBytes: plan.totalBytes, done });

  if (previous?.sha256 === sha256) {
    report(split.itemCount, plan.totalBytes, true);
    return { ...summary, itemCount: split.itemCount, changed: false };
  }

  st.clearItems.run(split.id);
  const interval = opts.progressIntervalMs ?? 100;
  const seenIds = new Set<string>();
  let rows = 0;
  let bytesRead = 0;
  let lastReport = 0;
  for await (const rec of plan.read({ onBytes: (b) => (bytesRead = b), signal: opts.signal })) {
    if (opts.signal?.aborted) throw new ImportCancelledError();
    checkRecord(plan, rec, seenIds);
    const [first, ...rest] = rec.outputs;
    st.item.run(
      split.id,
      rec.index,
      rec.sourceId ?? null,
      rec.instruction,
      rec.input,
      first,
      rest.length ? JSON.stringify(rec.outputs) : null,
      rec.history.length ? JSON.stringify(rec.history) : null,
    );
    rows++;
    const now = Date.now();
    if (now - lastReport >= interval) {
      lastReport = now;
      report(rows, bytesRead, false);
    }
  }
  if (rows === 0) {
    throw new ImportError(`${plan.file}: no records found (empty file)`, plan.file, {});
  }
  st.count.run(rows, split.id);
  st.upsertSource.run({
    splitId: split.id,
    path: plan.file,
    size: stat.size,
    sha256,
    layout: plan.layout,
    importedAt: new Date().toISOString(),
    appVersion: APP_VERSION,
  });
  report(rows, plan.totalBytes, true);
  return { ...summary, itemCount: rows, changed: true };
}

/** Writes every plan or none. */
export async function storePlans(home: string, plans: SourcePlan[], opts: StoreOptions): Promise<ImportedSplit[]> {
  const owners = new Map<string, string>();
  for (const plan of plans) {
    const key = splitKey(plan);
    const other = owners.get(key);
    if (other) {
      throw new ImportError(`${plan.file} and ${other} both hold ${key}; import one of them`, plan.file, {});
    }
    owners.set(key, plan.file);
  }

  const db = openDatabase(home);
  try {
    const st = prepareStatements(db);
    db.exec('BEGIN IMMEDIATE');
    try {
      const results: ImportedSplit[] = [];
      for (const plan of plans) {
        if (opts.signal?.aborted) throw new ImportCancelledError();
        results.push(await writePlan(db, st, plan, opts));
      }
      if (opts.signal?.aborted) throw new ImportCancelledError();
      db.exec('COMMIT');
      return results;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      if (opts.signal?.aborted && !(err instanceof ImportCancelledError)) throw new ImportCancelledError();
      throw err;
    }
  } finally {
    db.close();
  }
}
