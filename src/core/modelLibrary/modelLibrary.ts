/**
 * The model library: GGUF models and LoRA adapters the user keeps on disk. Files are never
 * copied; rows point at them and remember the size and mtime seen when the header was read, so
 * a file that vanished or changed is reported as missing or changed instead of failing later.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Llama } from 'node-llama-cpp';
import type {
  ModelAddProblem,
  ModelAddResult,
  ModelConfig,
  ModelFilePart,
  ModelFit,
  ModelHeader,
  ModelInspection,
  ModelInvalidFile,
  ModelKind,
  ModelList,
  ModelLoadSettings,
  ModelRecord,
  ModelRemoveResult,
  ModelRescanResult,
  ModelStatus,
} from '../../shared/models';
import type { Db } from '../db/open';
import { describeFile, ModelFileError } from '../gguf/errors';
import { estimateFit } from './fit';
import { defaultModelName, findGgufFiles, readModelFile, shapesCompatible } from './scan';
import type { FileStamp, ReadModel, TensorShapes } from './scan';
import { BadInputError, NotFoundError } from '../errors';
import { readStoredJson } from '../storedJson';
import { SerialQueue } from '../serialQueue';
import { modelLoadSettingsSchema } from '../../shared/runSchemas';
import { adapterBaseWarning } from '../../shared/adapterBase';

/** A saved configuration's settings as stored (only what was set; GPU layers may be absent). */
const storedSettings = modelLoadSettingsSchema.partial();

interface ModelRow {
  id: number;
  kind: ModelKind;
  name: string;
  path: string;
  folder: string | null;
  architecture: string;
  header_json: string;
  shapes_json: string;
  fit_json: string | null;
  status: ModelStatus;
  status_detail: string | null;
  base_model_id: number | null;
  base_chosen_by: 'auto' | 'user' | null;
  added_at: string;
  checked_at: string;
}

interface FileRow {
  model_id: number;
  part: number;
  path: string;
  size: number;
  mtime_ms: number;
}

interface ConfigRow {
  id: number;
  name: string;
  model_id: number;
  settings_json: string;
  created_at: string;
  updated_at: string;
}

export interface ModelLibraryOptions {
  db: Db;
  /** The node-llama-cpp runtime (for fit estimates); created lazily by the caller. */
  llama: () => Promise<Llama>;
}

const now = (): string => new Date().toISOString();

/** An invalid file with the size and mtime it had when read. */
type InvalidFileRow = ModelInvalidFile & { size: number; mtimeMs: number };

function isEnoent(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as NodeJS.ErrnoException).code === 'ENOENT';
}

export function normalizeSettings(s: Partial<ModelLoadSettings> = {}): ModelLoadSettings {
  const out: ModelLoadSettings = { gpuLayers: s.gpuLayers ?? 'auto' };
  if (s.flashAttention !== undefined) out.flashAttention = s.flashAttention;
  if (s.contextSize !== undefined) out.contextSize = s.contextSize;
  if (s.batchSize !== undefined) out.batchSize = s.batchSize;
  if (s.threads !== undefined) out.threads = s.threads;
  if (s.chatTemplate !== undefined) out.chatTemplate = s.chatTemplate;
  return out;
}

export class ModelLibrary {
  private readonly db: Db;
  private readonly llama: () => Promise<Llama>;
  /** Writes (add, rescan) run one at a time. */
  private readonly queue = new SerialQueue();

  constructor(opts: ModelLibraryOptions) {
    this.db = opts.db;
    this.llama = opts.llama;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }

  // ---- reading files -------------------------------------------------------------------

  private async read(file: string, settings?: Partial<ModelLoadSettings>): Promise<{ read: ReadModel; fit: ModelFit | null }> {
    const llama = await this.llama().catch(() => undefined);
    const read = await readModelFile(file, llama);
    let fit: ModelFit | null = null;
    if (read.kind === 'model' && llama && read.header.architectureSupported) {
      fit = await estimateFit(llama, read.gguf, settings).catch(() => null);
    }
    return { read, fit };
  }

  // ---- add / rescan --------------------------------------------------------------------

  /**
   * Adds files and folders. A file given directly that cannot be read throws (naming it) and
   * nothing is written; unreadable files found inside folders are reported in `skipped`.
   */
  add(paths: readonly string[]): Promise<ModelAddResult> {
    return this.serial(async () => {
      const folders: string[] = [];
      const direct: string[] = [];
      for (const p of paths) {
        const abs = path.resolve(p);
        let s;
        try {
          s = await stat(abs);
        } catch (err) {
          if (isEnoent(err)) throw new ModelFileError('not_found', abs, `${describeFile(abs)} does not exist.`, { cause: err });
          throw err;
        }
        if (s.isDirectory()) folders.push(abs);
        else direct.push(abs);
      }
      const reads: { read: ReadModel; fit: ModelFit | null; folder: string | null }[] = [];
      const seen = new Set<string>();
      for (const file of direct) {
        const r = await this.read(file);
        if (seen.has(r.read.path)) continue;
        seen.add(r.read.path);
        reads.push({ ...r, folder: null });
      }
      const skipped: ModelAddProblem[] = [];
      const invalid: (InvalidFileRow | null)[] = [];
      for (const folder of folders) {
        for (const file of await findGgufFiles(folder)) {
          if (seen.has(file)) continue;
          seen.add(file);
          try {
            reads.push({ ...(await this.read(file)), folder });
          } catch (err) {
            skipped.push({ file, message: err instanceof Error ? err.message : String(err) });
            invalid.push(await invalidFile(file, folder, err));
          }
        }
      }
      const added: number[] = [];
      const updated: number[] = [];
      this.db.transaction(() => {
        for (const folder of folders) this.db.prepare('INSERT OR IGNORE INTO model_folders (path, added_at) VALUES (?, ?)').run(folder, now());
        this.markInvalid(invalid);
        for (const r of reads) {
          this.db.prepare('DELETE FROM model_exclusions WHERE path = ?').run(r.read.path);
          this.db.prepare('DELETE FROM model_invalid_files WHERE path = ?').run(r.read.path);
          const { id, isNew } = this.upsert(r.read, r.fit, r.folder);
          (isNew ? added : updated).push(id);
        }
        this.relinkAdapters();
      })();
      return { added: added.map((id) => this.record(id)), updated: updated.map((id) => this.record(id)), skipped };
    });
  }

  private upsert(read: ReadModel, fit: ModelFit | null, folder: string | null): { id: number; isNew: boolean } {
    const existing = this.db.prepare('SELECT id, folder FROM models WHERE path = ?').get(read.path) as { id: number; folder: string | null } | undefined;
    const t = now();
    let id: number;
    if (existing) {
      id = existing.id;
      this.db
        .prepare(
          `UPDATE models SET kind = ?, architecture = ?, header_json = ?, shapes_json = ?, fit_json = ?, status = 'ok', status_detail = NULL,
             folder = COALESCE(folder, ?), checked_at = ? WHERE id = ?`,
        )
        .run(read.kind, read.header.architecture, JSON.stringify(read.header), JSON.stringify(read.shapes), fit ? JSON.stringify(fit) : null, folder, t, id);
      this.db.prepare('DELETE FROM model_files WHERE model_id = ?').run(id);
      if (read.kind === 'model') this.db.prepare('UPDATE models SET base_model_id = NULL, base_chosen_by = NULL WHERE id = ?').run(id);
    } else {
      const res = this.db
        .prepare(
          `INSERT INTO models (kind, name, path, folder, architecture, header_json, shapes_json, fit_json, status, added_at, checked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?)`,
        )
        .run(
          read.kind,
          defaultModelName(read.path, read.header),
          read.path,
          folder,
          read.header.architecture,
          JSON.stringify(read.header),
          JSON.stringify(read.shapes),
          fit ? JSON.stringify(fit) : null,
          t,
          t,
        );
      id = Number(res.lastInsertRowid);
    }
    const ins = this.db.prepare('INSERT INTO model_files (model_id, part, path, size, mtime_ms) VALUES (?, ?, ?, ?, ?)');
    read.parts.forEach((p, i) => ins.run(id, i + 1, p.path, p.size, p.mtimeMs));
    return { id, isNew: !existing };
  }

  /** Re-checks every file; walks added folders for new files; with `refresh`, re-reads changed files. */
  rescan(opts: { refresh?: boolean } = {}): Promise<ModelRescanResult> {
    return this.serial(async () => {
      await this.refreshStatuses();
      const skipped: ModelAddProblem[] = [];
      const rereads: { read: ReadModel; fit: ModelFit | null; id: number }[] = [];
      if (opts.refresh) {
        const changed = this.db.prepare("SELECT id, path FROM models WHERE status = 'changed'").all() as { id: number; path: string }[];
        for (const c of changed) {
          try {
            rereads.push({ ...(await this.read(c.path)), id: c.id });
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            skipped.push({ file: c.path, message });
            this.db.prepare('UPDATE models SET status_detail = ? WHERE id = ?').run(message, c.id);
          }
        }
      }
      const known = new Set((this.db.prepare('SELECT path FROM model_files').all() as { path: string }[]).map((r) => r.path));
      const excluded = new Set((this.db.prepare('SELECT path FROM model_exclusions').all() as { path: string }[]).map((r) => r.path));
      const folders = (this.db.prepare('SELECT path FROM model_folders ORDER BY path').all() as { path: string }[]).map((r) => r.path);
      const fresh: { read: ReadModel; fit: ModelFit | null; folder: string }[] = [];
      const invalid: (InvalidFileRow | null)[] = [];
      // Files marked invalid are read again (they may have been replaced); gone ones are forgotten.
      const wasInvalid = this.db.prepare('SELECT path FROM model_invalid_files').pluck().all() as string[];
      this.db.prepare('DELETE FROM model_invalid_files').run();
      for (const folder of folders) {
        let files: string[];
        try {
          files = await findGgufFiles(folder);
        } catch (err) {
          skipped.push({ file: folder, message: `folder ${folder} cannot be read: ${err instanceof Error ? err.message : String(err)}` });
          continue;
        }
        for (const file of files) {
          if (known.has(file) || excluded.has(file)) continue;
          known.add(file);
          try {
            fresh.push({ ...(await this.read(file)), folder });
          } catch (err) {
            skipped.push({ file, message: err instanceof Error ? err.message : String(err) });
            invalid.push(await invalidFile(file, folder, err));
          }
        }
      }
      for (const file of wasInvalid) if (!known.has(file)) invalid.push(await invalidFile(file, null, null));
      const added: number[] = [];
      this.db.transaction(() => {
        this.markInvalid(invalid);
        for (const r of rereads) this.upsert(r.read, r.fit, null);
        for (const r of fresh) added.push(this.upsert(r.read, r.fit, r.folder).id);
        this.relinkAdapters();
      })();
      const counts = this.db.prepare('SELECT status, COUNT(*) AS n FROM models GROUP BY status').all() as { status: ModelStatus; n: number }[];
      const count = (s: ModelStatus) => counts.find((c) => c.status === s)?.n ?? 0;
      return {
        checked: counts.reduce((a, c) => a + c.n, 0),
        ok: count('ok'),
        missing: count('missing'),
        changed: count('changed'),
        added: added.map((id) => this.record(id)),
        skipped,
      };
    });
  }

  /** Compares every file with the size and mtime recorded when it was read; updates statuses. */
  async refreshStatuses(): Promise<void> {
    const files = this.db.prepare('SELECT model_id, part, path, size, mtime_ms FROM model_files ORDER BY model_id, part').all() as FileRow[];
    const byModel = new Map<number, { status: ModelStatus; detail: string | null }>();
    for (const f of files) {
      const { status, detail } = await fileStatus(f);
      const prev = byModel.get(f.model_id);
      // missing outranks changed outranks ok
      if (!prev || rank(status) > rank(prev.status)) byModel.set(f.model_id, { status, detail });
    }
    const rows = this.db.prepare('SELECT id, status, status_detail FROM models').all() as { id: number; status: ModelStatus; status_detail: string | null }[];
    const upd = this.db.prepare('UPDATE models SET status = ?, status_detail = ?, checked_at = ? WHERE id = ?');
    const t = now();
    this.db.transaction(() => {
      for (const r of rows) {
        const s = byModel.get(r.id) ?? { status: 'missing' as const, detail: 'no files recorded' };
        // A refresh that failed keeps its reason until the file is read again.
        const detail = s.status === 'changed' && r.status === 'changed' && r.status_detail ? r.status_detail : s.detail;
        if (s.status !== r.status || detail !== r.status_detail) upd.run(s.status, detail, t, r.id);
      }
    })();
  }

  // ---- reading the library ---------------------------------------------------------------

  async list(): Promise<ModelList> {
    await this.refreshStatuses();
    const rows = this.db.prepare('SELECT * FROM models ORDER BY kind, name COLLATE NOCASE, id').all() as ModelRow[];
    const records = this.records(rows);
    const folders = (this.db.prepare('SELECT path FROM model_folders ORDER BY path').all() as { path: string }[]).map((r) => r.path);
    const invalid = (
      this.db.prepare('SELECT path, folder, problem, reason, checked_at FROM model_invalid_files ORDER BY path').all() as {
        path: string;
        folder: string | null;
        problem: string;
        reason: string;
        checked_at: string;
      }[]
    ).map((r): ModelInvalidFile => ({ path: r.path, folder: r.folder, problem: r.problem, reason: r.reason, checkedAt: r.checked_at }));
    return { models: records.filter((r) => r.kind === 'model'), adapters: records.filter((r) => r.kind === 'adapter'), invalid, folders };
  }

  /** Records files that are not valid models (inside a write transaction); null entries are skipped. */
  private markInvalid(files: readonly (InvalidFileRow | null)[]): void {
    const ins = this.db.prepare(
      `INSERT INTO model_invalid_files (path, folder, problem, reason, size, mtime_ms, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET folder = COALESCE(excluded.folder, folder), problem = excluded.problem, reason = excluded.reason,
         size = excluded.size, mtime_ms = excluded.mtime_ms, checked_at = excluded.checked_at`,
    );
    for (const f of files) if (f) ins.run(f.path, f.folder, f.problem, f.reason, f.size, f.mtimeMs, f.checkedAt);
  }

  record(id: number): ModelRecord {
    const rec = this.records([this.row(id)])[0];
    if (!rec) throw new NotFoundError(`no model or adapter with id ${id} in the library`);
    return rec;
  }

  private row(id: number): ModelRow {
    const row = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
    if (!row) throw new NotFoundError(`no model or adapter with id ${id} in the library`);
    return row;
  }

  private records(rows: ModelRow[]): ModelRecord[] {
    const files = this.db.prepare('SELECT model_id, part, path, size, mtime_ms FROM model_files ORDER BY model_id, part').all() as FileRow[];
    const partsOf = new Map<number, FileRow[]>();
    for (const f of files) {
      const list = partsOf.get(f.model_id) ?? [];
      list.push(f);
      partsOf.set(f.model_id, list);
    }
    const models = this.allModelShapes();
    const adapterIds = new Map<number, number[]>();
    const adapters = this.db.prepare("SELECT id, base_model_id FROM models WHERE kind = 'adapter' AND base_model_id IS NOT NULL ORDER BY id").all() as {
      id: number;
      base_model_id: number;
    }[];
    for (const a of adapters) adapterIds.set(a.base_model_id, [...(adapterIds.get(a.base_model_id) ?? []), a.id]);
    return rows.map((row): ModelRecord => {
      const header = JSON.parse(row.header_json) as ModelHeader;
      const parts: ModelFilePart[] = (partsOf.get(row.id) ?? []).map((f) => ({ path: f.path, sizeBytes: f.size, mtimeMs: f.mtime_ms, status: 'ok' }));
      if (row.status !== 'ok' && row.status_detail) {
        // Mark which part the status is about (the detail names it).
        for (const p of parts) if (row.status_detail.includes(p.path)) p.status = row.status;
      }
      return {
        id: row.id,
        kind: row.kind,
        name: row.name,
        path: row.path,
        parts,
        status: row.status,
        statusDetail: row.status_detail,
        folder: row.folder,
        header,
        fit: row.fit_json ? (JSON.parse(row.fit_json) as ModelFit) : null,
        base: row.kind === 'adapter' ? { modelId: row.base_model_id, chosenBy: row.base_chosen_by, candidates: this.candidates(row, models) } : null,
        adapterIds: row.kind === 'model' ? (adapterIds.get(row.id) ?? []) : [],
        addedAt: row.added_at,
        checkedAt: row.checked_at,
      };
    });
  }

  private allModelShapes(): { id: number; architecture: string; name: string; headerName: string | null; shapes: TensorShapes }[] {
    const rows = this.db.prepare("SELECT id, architecture, name, header_json, shapes_json FROM models WHERE kind = 'model' ORDER BY id").all() as {
      id: number;
      architecture: string;
      name: string;
      header_json: string;
      shapes_json: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      architecture: r.architecture,
      name: r.name,
      headerName: (JSON.parse(r.header_json) as ModelHeader).name,
      shapes: JSON.parse(r.shapes_json) as TensorShapes,
    }));
  }

  /** Models whose architecture and matrix shapes fit this adapter. */
  private candidates(adapter: Pick<ModelRow, 'architecture' | 'shapes_json'>, models: ReturnType<ModelLibrary['allModelShapes']>): number[] {
    const shapes = JSON.parse(adapter.shapes_json) as TensorShapes;
    return models.filter((m) => m.architecture === adapter.architecture && shapesCompatible(shapes, m.shapes)).map((m) => m.id);
  }

  /**
   * Matches adapters to base models: the only compatible model, or the one the adapter's metadata
   * names when several fit. A user's choice is kept while its model exists.
   */
  private relinkAdapters(): void {
    const models = this.allModelShapes();
    const adapters = this.db.prepare("SELECT * FROM models WHERE kind = 'adapter'").all() as ModelRow[];
    const upd = this.db.prepare('UPDATE models SET base_model_id = ?, base_chosen_by = ? WHERE id = ?');
    for (const a of adapters) {
      if (a.base_chosen_by === 'user' && a.base_model_id !== null) continue;
      const cands = this.candidates(a, models);
      const hint = (JSON.parse(a.header_json) as ModelHeader).baseModelHint;
      let pick: number | null = null;
      if (cands.length === 1) pick = cands[0] ?? null;
      else if (cands.length > 1 && hint) {
        const named = cands.filter((id) => {
          const m = models.find((x) => x.id === id);
          return m && (m.headerName === hint || m.name === hint);
        });
        if (named.length === 1) pick = named[0] ?? null;
      }
      if (pick !== a.base_model_id || (pick !== null ? 'auto' : null) !== a.base_chosen_by) upd.run(pick, pick !== null ? 'auto' : null, a.id);
    }
  }

  // ---- inspect -----------------------------------------------------------------------------

  async inspect(args: { path?: string; id?: number; settings?: Partial<ModelLoadSettings> }): Promise<ModelInspection> {
    if ((args.path === undefined) === (args.id === undefined)) throw new BadInputError('inspectModel: give either path or id');
    const file = args.id !== undefined ? this.row(args.id).path : path.resolve(args.path ?? '');
    const { read, fit } = await this.read(file, args.settings);
    const lib = this.db.prepare('SELECT model_id AS id FROM model_files WHERE path = ?').get(read.path) as { id: number } | undefined;
    return { path: read.path, kind: read.kind, parts: read.parts.map((p) => p.path), header: read.header, fit, libraryId: lib?.id ?? null };
  }

  // ---- edit -------------------------------------------------------------------------------

  rename(id: number, name: string): ModelRecord {
    this.row(id);
    this.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(name.trim(), id);
    return this.record(id);
  }

  /** Forgets a model or adapter (the file stays). Configurations that use it go with it. */
  remove(id: number): ModelRemoveResult {
    const row = this.row(id);
    const configs = this.db
      .prepare(
        `SELECT DISTINCT c.name FROM model_configs c LEFT JOIN model_config_adapters a ON a.config_id = c.id
         WHERE c.model_id = ? OR a.adapter_id = ? ORDER BY c.name`,
      )
      .all(id, id) as { name: string }[];
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM model_configs WHERE name IN (SELECT value FROM json_each(?))').run(JSON.stringify(configs.map((c) => c.name)));
      if (row.folder !== null) {
        const parts = this.db.prepare('SELECT path FROM model_files WHERE model_id = ?').all(id) as { path: string }[];
        const ins = this.db.prepare('INSERT OR IGNORE INTO model_exclusions (path) VALUES (?)');
        for (const p of parts) ins.run(p.path);
        ins.run(row.path);
      }
      this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
      this.relinkAdapters();
    })();
    return { id, removedConfigs: configs.map((c) => c.name) };
  }

  setAdapterBase(adapterId: number, baseModelId: number | null): ModelRecord {
    const adapter = this.row(adapterId);
    if (adapter.kind !== 'adapter') throw new BadInputError(`${adapter.name} (id ${adapterId}) is a model, not an adapter`);
    if (baseModelId === null) {
      this.db.transaction(() => {
        this.db.prepare('UPDATE models SET base_model_id = NULL, base_chosen_by = NULL WHERE id = ?').run(adapterId);
        this.relinkAdapters();
      })();
      return this.record(adapterId);
    }
    const base = this.row(baseModelId);
    if (base.kind !== 'model') throw new BadInputError(`${base.name} (id ${baseModelId}) is an adapter, not a base model`);
    if (base.architecture !== adapter.architecture) {
      throw new BadInputError(
        `adapter ${describeFile(adapter.path)} is for architecture "${adapter.architecture}" but ${describeFile(base.path)} is "${base.architecture}"`,
      );
    }
    if (!shapesCompatible(JSON.parse(adapter.shapes_json) as TensorShapes, JSON.parse(base.shapes_json) as TensorShapes)) {
      throw new BadInputError(`adapter ${describeFile(adapter.path)} does not match the tensor shapes of ${describeFile(base.path)}`);
    }
    this.db.prepare("UPDATE models SET base_model_id = ?, base_chosen_by = 'user' WHERE id = ?").run(baseModelId, adapterId);
    return this.record(adapterId);
  }

  // ---- configurations -------------------------------------------------------------------

  saveConfig(args: {
    id?: number;
    name: string;
    modelId: number;
    adapters: { adapterId: number; scale: number }[];
    settings: Partial<ModelLoadSettings>;
  }): ModelConfig {
    const model = this.row(args.modelId);
    if (model.kind !== 'model') throw new BadInputError(`${model.name} (id ${model.id}) is an adapter; a configuration needs a base model`);
    for (const a of args.adapters) {
      const ad = this.row(a.adapterId);
      if (ad.kind !== 'adapter') throw new BadInputError(`${ad.name} (id ${ad.id}) is not an adapter`);
      if (
        ad.architecture !== model.architecture ||
        !shapesCompatible(JSON.parse(ad.shapes_json) as TensorShapes, JSON.parse(model.shapes_json) as TensorShapes)
      ) {
        throw new BadInputError(`adapter ${ad.name} (id ${ad.id}) does not fit base model ${model.name} (id ${model.id})`);
      }
    }
    const settings = JSON.stringify(normalizeSettings(args.settings));
    const clash = this.db.prepare('SELECT id FROM model_configs WHERE name = ?').get(args.name) as { id: number } | undefined;
    if (clash && clash.id !== args.id) throw new BadInputError(`a configuration named "${args.name}" already exists (id ${clash.id})`);
    const t = now();
    let id = args.id;
    this.db.transaction(() => {
      if (id !== undefined) {
        const res = this.db
          .prepare('UPDATE model_configs SET name = ?, model_id = ?, settings_json = ?, updated_at = ? WHERE id = ?')
          .run(args.name, args.modelId, settings, t, id);
        if (res.changes === 0) throw new NotFoundError(`no configuration with id ${id}`);
        this.db.prepare('DELETE FROM model_config_adapters WHERE config_id = ?').run(id);
      } else {
        id = Number(
          this.db
            .prepare('INSERT INTO model_configs (name, model_id, settings_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
            .run(args.name, args.modelId, settings, t, t).lastInsertRowid,
        );
      }
      const ins = this.db.prepare('INSERT INTO model_config_adapters (config_id, ord, adapter_id, scale) VALUES (?, ?, ?, ?)');
      args.adapters.forEach((a, i) => ins.run(id, i, a.adapterId, a.scale));
    })();
    return this.config(id ?? 0);
  }

  config(id: number): ModelConfig {
    const c = this.configs().find((x) => x.id === id);
    if (!c) throw new NotFoundError(`no configuration with id ${id}`);
    return c;
  }

  configs(): ModelConfig[] {
    const rows = this.db.prepare('SELECT * FROM model_configs ORDER BY name COLLATE NOCASE').all() as ConfigRow[];
    const ads = this.db
      .prepare(
        'SELECT a.config_id, a.adapter_id, a.scale, m.name, m.path FROM model_config_adapters a JOIN models m ON m.id = a.adapter_id ORDER BY a.config_id, a.ord',
      )
      .all() as { config_id: number; adapter_id: number; scale: number; name: string; path: string }[];
    // Records (with each adapter's base link) once, for the base-model check of every configuration.
    const records = rows.length > 0 ? this.records(this.db.prepare('SELECT * FROM models').all() as ModelRow[]) : [];
    const byId = new Map(records.map((rec) => [rec.id, rec]));
    const nameOf = (id: number) => byId.get(id)?.name;
    return rows.map((r) => {
      const m = this.row(r.model_id);
      const configAds = ads.filter((a) => a.config_id === r.id);
      const model = byId.get(r.model_id);
      const warnings = model
        ? configAds.flatMap((a) => {
            const adapter = byId.get(a.adapter_id);
            const w = adapter ? adapterBaseWarning(model, adapter, nameOf) : null;
            return w ? [w] : [];
          })
        : [];
      return {
        id: r.id,
        name: r.name,
        modelId: r.model_id,
        modelName: m.name,
        modelPath: m.path,
        adapters: configAds.map((a) => ({ adapterId: a.adapter_id, name: a.name, path: a.path, scale: a.scale })),
        settings: normalizeSettings(
          readStoredJson(storedSettings, r.settings_json, `model configuration ${r.id}'s ("${r.name}") saved settings`, { configId: r.id }),
        ),
        warnings,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    });
  }

  removeConfig(id: number): boolean {
    return this.db.prepare('DELETE FROM model_configs WHERE id = ?').run(id).changes > 0;
  }

  /** Library lookups used by `generate`. */
  findById(id: number): ModelRow | undefined {
    return this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
  }

  findByName(name: string): { models: ModelRow[]; config: ModelConfig | undefined } {
    const models = this.db.prepare('SELECT * FROM models WHERE name = ?').all(name) as ModelRow[];
    const config = this.configs().find((c) => c.name === name);
    return { models, config };
  }
}

/**
 * A file that failed to read as a model, as the library records it; null when it is gone or
 * reads fine now (a file re-checked by rescan with `err` null is read again here).
 */
async function invalidFile(file: string, folder: string | null, err: unknown): Promise<InvalidFileRow | null> {
  let error = err;
  if (error === null) {
    try {
      await readModelFile(file);
      return null;
    } catch (e) {
      error = e;
    }
  }
  if (!(error instanceof ModelFileError) || error.problem === 'not_found' || error.problem === 'split_part_missing') return null;
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) return null;
  return { path: file, folder, problem: error.problem, reason: error.message, checkedAt: now(), size: s.size, mtimeMs: s.mtimeMs };
}

function rank(s: ModelStatus): number {
  return s === 'missing' ? 2 : s === 'changed' ? 1 : 0;
}

async function fileStatus(f: FileRow): Promise<{ status: ModelStatus; detail: string | null }> {
  let s;
  try {
    s = await stat(f.path);
  } catch (err) {
    if (isEnoent(err)) return { status: 'missing', detail: `file not found: ${f.path}` };
    return { status: 'missing', detail: `cannot read ${f.path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!s.isFile()) return { status: 'missing', detail: `not a file: ${f.path}` };
  if (s.size !== f.size) return { status: 'changed', detail: `${f.path} changed size: ${f.size} → ${s.size} bytes` };
  if (Math.abs(s.mtimeMs - f.mtime_ms) > 1) {
    return { status: 'changed', detail: `${f.path} was modified at ${new Date(s.mtimeMs).toISOString()} (recorded ${new Date(f.mtime_ms).toISOString()})` };
  }
  return { status: 'ok', detail: null };
}

export type { FileStamp };
