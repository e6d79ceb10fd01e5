/**
 * Write side of an import: takes reader plans and writes them into the library on a
 * connection of its own, all in ONE transaction. A failure or a cancel anywhere rolls
 * everything back, so the library is always either as before or fully updated.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ImportedDefinitions, ImportedSplit, ImportProgress } from '../../shared/domain';
import { openDatabase, type Db } from '../db/open';
import { FtsWriter } from '../search/ftsWriter';
import { ensureSearchDb } from '../search/searchDb';
import { APP_VERSION } from '../version';
import { CancelledError } from '../errors';
import { isDefinitionsPlan, type DefinitionsPlan, type ImportPlan, type SourcePlan } from './plan';
import { ImportError, type NormalisedRecord, type TaskDescriptor } from './types';
import { sha256File } from './fileHash';

export { sha256File };

export interface StoreOptions {
  importId: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Minimum milliseconds between progress reports for one file. */
  progressIntervalMs?: number;
}

export class ImportCancelledError extends CancelledError {
  constructor() {
    super('import cancelled; the library is unchanged');
  }
}

function prepareStatements(db: Db) {
  return {
    benchmark: db.prepare(
      `INSERT INTO benchmarks (name, title) VALUES (@name, @title)
       ON CONFLICT(name) DO UPDATE SET title = excluded.title RETURNING id`,
    ),
    task: db.prepare(
      `INSERT INTO tasks (benchmark_id, name, category, source_dataset, definition, languages_json, metadata_json, external_id)
       VALUES (@benchmarkId, @name, @category, @sourceDataset, @definition, @languages, @metadata, @externalId)
       ON CONFLICT(benchmark_id, name) DO UPDATE SET
         category = COALESCE(excluded.category, category),
         source_dataset = COALESCE(excluded.source_dataset, source_dataset),
         definition = COALESCE(excluded.definition, definition),
         languages_json = COALESCE(excluded.languages_json, languages_json),
         metadata_json = COALESCE(excluded.metadata_json, metadata_json),
         external_id = COALESCE(excluded.external_id, external_id)
       RETURNING id`,
    ),
    clearExamples: db.prepare('DELETE FROM task_examples WHERE task_id = ?'),
    example: db.prepare('INSERT INTO task_examples (task_id, polarity, ord, input, outputs_json, explanation) VALUES (?, ?, ?, ?, ?, ?)'),
    splitRange: db.prepare('SELECT min_item_id AS min, max_item_id AS max FROM splits WHERE id = ?'),
    setRange: db.prepare('UPDATE splits SET min_item_id = ?, max_item_id = ? WHERE id = ?'),
    bumpVersion: db.prepare('UPDATE library_state SET items_version = items_version + 1 WHERE id = 1 RETURNING items_version').pluck(),
    instruction: db.prepare('SELECT id FROM instructions WHERE text = ?').pluck(),
    newInstruction: db.prepare('INSERT INTO instructions (text) VALUES (?)'),
    instructionFts: db.prepare('INSERT INTO instructions_fts (rowid, text) VALUES (?, ?)'),
    orphanInstructions: db.prepare('SELECT id, text FROM instructions WHERE id NOT IN (SELECT instruction_id FROM split_instructions)'),
    clearSplitInstructions: db.prepare('DELETE FROM split_instructions WHERE split_id = ?'),
    splitInstruction: db.prepare('INSERT INTO split_instructions (split_id, instruction_id, item_count) VALUES (?, ?, ?)'),
    dropInstructionFts: db.prepare(`INSERT INTO instructions_fts (instructions_fts, rowid, text) VALUES ('delete', ?, ?)`),
    dropInstruction: db.prepare('DELETE FROM instructions WHERE id = ?'),
    split: db.prepare(
      `INSERT INTO splits (task_id, config, split) VALUES (?, ?, ?)
       ON CONFLICT(task_id, config, split) DO UPDATE SET config = excluded.config RETURNING id, item_count AS itemCount`,
    ),
    source: db.prepare('SELECT sha256, size FROM sources WHERE split_id = ?'),
    clearSourceFiles: db.prepare('DELETE FROM source_files WHERE split_id = ?'),
    sourceFile: db.prepare('INSERT INTO source_files (split_id, part, path, size, sha256) VALUES (?, ?, ?, ?, ?)'),
    clearItems: db.prepare('DELETE FROM items WHERE split_id = ?'),
    item: db.prepare(
      `INSERT INTO items (split_id, idx, source_id, instruction_id, input, output, outputs_json, history_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    count: db.prepare('UPDATE splits SET item_count = ? WHERE id = ?'),
    definitionSource: db.prepare('SELECT sha256 FROM definition_sources WHERE path = ?'),
    clearVariants: db.prepare('DELETE FROM instruction_variants WHERE external_id = ?'),
    variant: db.prepare('INSERT INTO instruction_variants (external_id, ord, kind, text) VALUES (?, ?, ?, ?)'),
    upsertDefinitionSource: db.prepare(
      `INSERT INTO definition_sources (path, size, sha256, task_count, imported_at, app_version)
       VALUES (@path, @size, @sha256, @taskCount, @importedAt, @appVersion)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, task_count = excluded.task_count,
         imported_at = excluded.imported_at, app_version = excluded.app_version`,
    ),
    upsertSource: db.prepare(
      `INSERT INTO sources (split_id, path, size, sha256, layout, imported_at, app_version)
       VALUES (@splitId, @path, @size, @sha256, @layout, @importedAt, @appVersion)
       ON CONFLICT(split_id) DO UPDATE SET path = excluded.path, size = excluded.size, sha256 = excluded.sha256,
         layout = excluded.layout, imported_at = excluded.imported_at, app_version = excluded.app_version`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

interface FileHash {
  path: string;
  size: number;
  sha256: string;
}

/** Each file's own size and sha256, in read order. */
async function hashFiles(files: readonly string[]): Promise<FileHash[]> {
  const out: FileHash[] = [];
  for (const f of files) out.push({ path: f, size: fs.statSync(f).size, sha256: await sha256File(f) });
  return out;
}

/**
 * Each file's hash from the bytes the reader streamed; a file the reader did not stream whole,
 * exactly once (parquet reads by pages; a size that changed under the read), is hashed again.
 */
async function streamedHashes(files: readonly string[], streamed: Map<string, { hash: crypto.Hash; bytes: number }>): Promise<FileHash[]> {
  const out: FileHash[] = [];
  for (const f of files) {
    const size = fs.statSync(f).size;
    const h = streamed.get(f);
    out.push({ path: f, size, sha256: h && h.bytes === size ? h.hash.digest('hex') : await sha256File(f) });
  }
  return out;
}

/** A split's provenance hash: the file's own, or for shards sha256 over the shards' hashes in read order. */
function splitHash(files: readonly FileHash[]): string {
  if (files.length === 1) return files[0]!.sha256;
  return crypto
    .createHash('sha256')
    .update(files.map((f) => f.sha256).join('\n'))
    .digest('hex');
}

/** Interns instruction texts: one row (and one index entry) per distinct text. */
function instructionInterner(st: Statements): (text: string) => number | bigint {
  let lastText: string | null = null;
  let lastId: number | bigint = 0;
  const cache = new Map<string, number | bigint>();
  return (text) => {
    if (text === lastText) return lastId;
    let id = cache.get(text) ?? (st.instruction.get(text) as number | undefined);
    if (id === undefined) {
      id = st.newInstruction.run(text).lastInsertRowid;
      st.instructionFts.run(id, text);
    }
    if (cache.size < 100_000) cache.set(text, id);
    lastText = text;
    lastId = id;
    return id;
  };
}

/** After splits were replaced, instructions no item uses any more leave the library. */
function dropOrphanInstructions(st: Statements): void {
  for (const row of st.orphanInstructions.all() as { id: number; text: string }[]) {
    st.dropInstructionFts.run(row.id, row.text);
    st.dropInstruction.run(row.id);
  }
}

/** Natural-instructions metadata worth keeping but not worth a column each. */
function taskMetadata(d: TaskDescriptor): string | null {
  const meta = {
    categories: d.categories,
    domains: d.domains,
    inputLanguages: d.inputLanguages,
    outputLanguages: d.outputLanguages,
    instructionLanguages: d.instructionLanguages,
    contributors: d.contributors,
    sources: d.sources,
    urls: d.urls,
    reasoning: d.reasoning,
    definitions: d.definitions && d.definitions.length > 1 ? d.definitions : undefined,
  };
  const kept = Object.fromEntries(Object.entries(meta).filter(([, v]) => Array.isArray(v) && v.length > 0));
  return Object.keys(kept).length ? JSON.stringify(kept) : null;
}

function writeExamples(st: Statements, taskId: number, d: TaskDescriptor): void {
  if (d.positiveExamples === undefined && d.negativeExamples === undefined) return;
  st.clearExamples.run(taskId);
  for (const [polarity, list] of [
    ['positive', d.positiveExamples ?? []],
    ['negative', d.negativeExamples ?? []],
  ] as const) {
    list.forEach((ex, ord) => st.example.run(taskId, polarity, ord, ex.input, JSON.stringify(ex.outputs), ex.explanation));
  }
}

export function splitKey(plan: SourcePlan): string {
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
  st: Statements,
  plan: SourcePlan,
  opts: StoreOptions,
  intern: (text: string) => number | bigint,
  fts: FtsWriter,
): Promise<ImportedSplit & { replaced: boolean }> {
  const d = plan.descriptor;
  const { id: benchmarkId } = st.benchmark.get(d.benchmark) as { id: number };
  const { id: taskId } = st.task.get({
    benchmarkId,
    name: d.task,
    category: d.category ?? null,
    sourceDataset: d.sourceDataset ?? null,
    definition: d.definition ?? d.definitions?.[0] ?? null,
    languages: d.languages?.length ? JSON.stringify(d.languages) : null,
    metadata: taskMetadata(d),
    externalId: d.taskId ?? null,
  }) as { id: number };
  writeExamples(st, taskId, d);
  const split = st.split.get(taskId, d.config, d.split) as { id: number; itemCount: number };
  const size = plan.files.length === 1 ? fs.statSync(plan.file).size : plan.totalBytes;
  const summary = { file: plan.file, benchmark: d.benchmark.name, task: d.task, config: d.config, split: d.split };
  const previous = st.source.get(split.id) as { sha256: string; size: number } | undefined;
  const report = (rows: number, bytesRead: number, done: boolean) =>
    opts.onProgress?.({ importId: opts.importId, file: plan.file, rows, bytesRead, totalBytes: plan.totalBytes, done });

  // Only a split stored with the same size can be unchanged: then the files are hashed first
  // (a skipped re-import reads them once). Otherwise they are hashed as the import reads them,
  // on this thread (on two cores the parser and the index writer already use both, and a hash
  // thread measured slower): reading a 200 MB file twice was a third of a single-file import.
  if (previous?.size === size) {
    const before = await hashFiles(plan.files);
    if (previous.sha256 === splitHash(before)) {
      report(split.itemCount, plan.totalBytes, true);
      return { ...summary, itemCount: split.itemCount, changed: false, replaced: false };
    }
  }
  const streamed = new Map(plan.files.map((f) => [f, { hash: crypto.createHash('sha256'), bytes: 0 }]));
  const onRaw = (file: string, chunk: Buffer) => {
    const h = streamed.get(file);
    if (!h) return;
    h.hash.update(chunk);
    h.bytes += chunk.length;
  };

  const old = st.splitRange.get(split.id) as { min: number | null; max: number | null };
  if (old.min !== null && old.max !== null) await fts.dropRange(old.min, old.max);
  st.clearItems.run(split.id);
  st.clearSplitInstructions.run(split.id);
  const usage = new Map<number | bigint, number>();
  const interval = opts.progressIntervalMs ?? 100;
  const seenIds = new Set<string>();
  let rows = 0;
  let minId: number | null = null;
  let maxId: number | null = null;
  let bytesRead = 0;
  let lastReport = 0;
  for await (const rec of plan.read({ onBytes: (b) => (bytesRead = b), signal: opts.signal, onRaw })) {
    if (opts.signal?.aborted) throw new ImportCancelledError();
    checkRecord(plan, rec, seenIds);
    const [first, ...rest] = rec.outputs;
    const instructionId = intern(rec.instruction);
    usage.set(instructionId, (usage.get(instructionId) ?? 0) + 1);
    const { lastInsertRowid } = st.item.run(
      split.id,
      rec.index,
      rec.sourceId ?? null,
      instructionId,
      rec.input,
      first,
      rest.length ? JSON.stringify(rec.outputs) : null,
      rec.history.length ? JSON.stringify(rec.history) : null,
    );
    const rowid = Number(lastInsertRowid);
    minId ??= rowid;
    maxId = rowid;
    await fts.add(rowid, rec.input, first ?? '');
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
  const fileHashes = await streamedHashes(plan.files, streamed);
  const sha256 = splitHash(fileHashes);
  st.count.run(rows, split.id);
  st.setRange.run(minId, maxId, split.id);
  for (const [instructionId, n] of usage) st.splitInstruction.run(split.id, instructionId, n);
  st.upsertSource.run({
    splitId: split.id,
    path: plan.file,
    size,
    sha256,
    layout: plan.layout,
    importedAt: new Date().toISOString(),
    appVersion: APP_VERSION,
  });
  st.clearSourceFiles.run(split.id);
  fileHashes.forEach((f, part) => st.sourceFile.run(split.id, part, f.path, f.size, f.sha256));
  report(rows, plan.totalBytes, true);
  return { ...summary, itemCount: rows, changed: true, replaced: split.itemCount > 0 };
}

async function writeDefinitions(st: Statements, plan: DefinitionsPlan, opts: StoreOptions): Promise<ImportedDefinitions> {
  const size = fs.statSync(plan.file).size;
  const sha256 = await sha256File(plan.file);
  const previous = st.definitionSource.get(plan.file) as { sha256: string } | undefined;
  const report = (rows: number, bytesRead: number, done: boolean) =>
    opts.onProgress?.({ importId: opts.importId, file: plan.file, rows, bytesRead, totalBytes: plan.totalBytes, done });
  const variants = await plan.read({ signal: opts.signal, onBytes: (b) => report(0, b, false) });
  let variantCount = 0;
  for (const v of variants.values()) variantCount += 1 + v.rewrites.length;
  if (sha256 !== null && previous?.sha256 === sha256) {
    report(variants.size, plan.totalBytes, true);
    return { file: plan.file, taskCount: variants.size, variantCount, changed: false };
  }
  for (const [externalId, v] of variants) {
    st.clearVariants.run(externalId);
    st.variant.run(externalId, 0, 'original', v.original);
    v.rewrites.forEach((text, i) => st.variant.run(externalId, i + 1, 'rewrite', text));
  }
  st.upsertDefinitionSource.run({ path: plan.file, size, sha256, taskCount: variants.size, importedAt: new Date().toISOString(), appVersion: APP_VERSION });
  report(variants.size, plan.totalBytes, true);
  return { file: plan.file, taskCount: variants.size, variantCount, changed: true };
}

/** Writes every plan or none. */
export async function storePlans(
  home: string,
  plans: ImportPlan[],
  opts: StoreOptions,
): Promise<{ splits: ImportedSplit[]; definitions: ImportedDefinitions[] }> {
  const owners = new Map<string, string>();
  for (const plan of plans) {
    if (isDefinitionsPlan(plan)) continue;
    const key = splitKey(plan);
    const other = owners.get(key);
    if (other) {
      throw new ImportError(`${plan.file} and ${other} both hold ${key}; import one of them`, plan.file, {});
    }
    owners.set(key, plan.file);
  }

  const db = openDatabase(home);
  ensureSearchDb(home);
  const fts = new FtsWriter(home);
  try {
    // A large page cache keeps the B-tree pages of a bulk load in memory.
    db.pragma('cache_size = -16384');
    const st = prepareStatements(db);
    const intern = instructionInterner(st);
    db.exec('BEGIN IMMEDIATE');
    try {
      await fts.begin();
      const splits: ImportedSplit[] = [];
      const definitions: ImportedDefinitions[] = [];
      let replaced = false;
      for (const plan of plans) {
        if (opts.signal?.aborted) throw new ImportCancelledError();
        if (isDefinitionsPlan(plan)) definitions.push(await writeDefinitions(st, plan, opts));
        else {
          const { replaced: r, ...split } = await writePlan(st, plan, opts, intern, fts);
          replaced ||= r;
          splits.push(split);
        }
      }
      if (opts.signal?.aborted) throw new ImportCancelledError();
      if (replaced) dropOrphanInstructions(st);
      if (splits.some((s) => s.changed)) {
        // Index first, library second: a crash in between leaves the index one version
        // ahead, which the next start detects and repairs by rebuilding it.
        const version = st.bumpVersion.get() as number;
        await fts.commit(version);
      } else {
        await fts.rollback();
      }
      db.exec('COMMIT');
      return { splits, definitions };
    } catch (err) {
      await fts.rollback();
      if (db.inTransaction) db.exec('ROLLBACK');
      if (opts.signal?.aborted && !(err instanceof ImportCancelledError)) throw new ImportCancelledError();
      throw err;
    }
  } finally {
    await fts.close();
    db.close();
  }
}
