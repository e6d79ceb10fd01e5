/**
 * The engine behind the contract: one object per data directory that implements every
 * call and fans events out to whichever host is listening. Hosts add transport only.
 */
import crypto from 'node:crypto';
import type { CallHandlers, EventName, EventPayloads, EventSink } from '../shared/contract';
import { ApiError } from '../shared/errors';
import { openDatabase, type Db } from './db/open';
import { getItem, listBenchmarks, listTasks, pageItems } from './library';
import { planImport, type ImportPlan, type PlanOptions } from './import/plan';
import { previewImport } from './import/preview';
import { search } from './search/query';
import { attachSearchDb, indexVersion, libraryVersion } from './search/searchDb';
import { rebuildSearchIndex } from './search/rebuild';
import { dedupeSplits } from './import/dedupe';
import { ImportCancelledError, storePlans } from './import/store';
import { ImportError } from './import/types';

export interface CoreOptions {
  home: string;
  /** Folder of the synthetic demo pack shipped in resources/ (hosts know where that is). */
  demoPackDir?: string;
}

export const DEMO_BENCHMARK = { name: 'demo', title: 'Demo pack (synthetic)' };

export function toApiError(err: unknown): unknown {
  if (err instanceof ImportError) {
    const details: Record<string, string | number> = { file: err.file };
    for (const [k, v] of Object.entries(err.location)) if (v !== undefined) details[k] = v;
    return new ApiError('import_failed', err.message, details);
  }
  if (err instanceof ImportCancelledError) return new ApiError('import_failed', err.message);
  if (err && typeof err === 'object' && 'code' in err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
    const e = err as NodeJS.ErrnoException;
    return new ApiError('not_found', `${e.path ?? 'file'}: no such file or directory`, e.path ? { file: e.path } : undefined);
  }
  return err;
}

export class MedtaskCore {
  readonly home: string;
  readonly demoPackDir: string | undefined;
  readonly db: Db;
  readonly handlers: CallHandlers;
  private readonly sinks = new Set<EventSink>();
  private importQueue: Promise<unknown> = Promise.resolve();
  private readonly activeImports = new Map<string, AbortController>();
  /** Settles once the search index matches the library (immediately, unless it must be rebuilt). */
  private indexReady: Promise<unknown> = Promise.resolve();

  constructor(opts: CoreOptions) {
    this.home = opts.home;
    this.demoPackDir = opts.demoPackDir;
    this.db = openDatabase(opts.home);
    attachSearchDb(this.db, opts.home);
    if (indexVersion(this.db) !== libraryVersion(this.db)) this.indexReady = this.enqueue(() => rebuildSearchIndex(this.home));
    this.handlers = {
      listBenchmarks: () => listBenchmarks(this.db),
      listTasks: (args) => listTasks(this.db, args),
      pageItems: (args) => pageItems(this.db, args),
      getItem: (args) => getItem(this.db, args),
      importPaths: (args) => this.importPaths(args.paths, { importId: args.importId, planOptions: { mapping: args.mapping, target: args.target, benchmark: args.target?.benchmark } }),
      previewImport: async (args) => {
        try {
          return await previewImport(args.paths, { mapping: args.mapping, target: args.target, benchmark: args.target?.benchmark });
        } catch (err) {
          throw toApiError(err);
        }
      },
      cancelImport: (args) => this.cancelImport(args.importId),
      importDemo: (args) => this.importDemo(args.importId),
      search: async (args) => {
        await this.indexReady;
        return search(this.db, args);
      },
    };
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const sink of this.sinks) sink(event, payload);
  }

  /** Imports run one at a time: each holds the write lock for its whole transaction. */
  importDemo(importId?: string) {
    const dir = this.demoPackDir;
    if (!dir) throw new ApiError('not_found', 'this build ships no demo pack');
    return this.importPaths([dir], {
      importId,
      // Demo files use real layouts but must never mix with a real benchmark.
      adjust: (plans) =>
        plans.map((p) => (p.kind === 'records' ? { ...p, read: p.read.bind(p), descriptor: { ...p.descriptor, benchmark: DEMO_BENCHMARK } } : p)),
    });
  }

  importPaths(
    paths: string[],
    opts: { signal?: AbortSignal; importId?: string; adjust?: (plans: ImportPlan[]) => ImportPlan[]; planOptions?: PlanOptions } = {},
  ) {
    const importId = opts.importId ?? crypto.randomUUID();
    const controller = new AbortController();
    opts.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    this.activeImports.set(importId, controller);
    const run = async () => {
      try {
        const planned = await planImport(paths, opts.planOptions);
        const { plans, skipped } = dedupeSplits(opts.adjust ? opts.adjust(planned) : planned);
        const stored = await storePlans(this.home, plans, {
          importId,
          signal: controller.signal,
          onProgress: (p) => this.emit('importProgress', p),
        });
        return { importId, ...stored, skipped };
      } catch (err) {
        throw toApiError(err);
      } finally {
        this.activeImports.delete(importId);
      }
    };
    return this.enqueue(run);
  }

  /** Writers (imports, index rebuilds) run one at a time, in order. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.importQueue.then(job, job);
    this.importQueue = result.catch(() => undefined);
    return result;
  }

  /** Rebuilds the item search index from the library (`medtask reindex`). */
  reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
    this.indexReady = this.enqueue(() => rebuildSearchIndex(this.home, onProgress));
    return this.indexReady as Promise<number>;
  }

  cancelImport(importId: string): boolean {
    const c = this.activeImports.get(importId);
    c?.abort();
    return c !== undefined;
  }

  close(): void {
    for (const c of this.activeImports.values()) c.abort();
    this.sinks.clear();
    this.db.close();
  }
}
