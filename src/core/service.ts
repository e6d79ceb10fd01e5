/**
 * The engine behind the contract: one object per data directory that implements every
 * call and fans events out to whichever host is listening. Hosts add transport only.
 */
import crypto from 'node:crypto';
import nodePath from 'node:path';
import type { CallHandlers, EventName, EventPayloads, EventSink } from '../shared/contract';
import { openDatabase, type Db } from './db/open';
import { Logger, logFile } from './log/logger';
import { ConflictError, UnsupportedError } from './errors';
import { SerialQueue } from './serialQueue';
import { getItem, listBenchmarks, listTasks, pageItems } from './benchmarks/browse';
import { getTask } from './taskDetail';
import { planImport, type ImportPlan, type PlanOptions } from './import/plan';
import { previewImport } from './import/preview';
import { COUNT_LIMIT, RANK_LIMIT, search } from './search/query';
import { BackgroundCounts } from './search/backgroundCounts';
import { attachSearchDb, indexVersion, libraryVersion } from './search/searchDb';
import { rebuildSearchIndex } from './search/rebuild';
import { dedupeSplits } from './import/dedupe';
import { EngineProcess } from './inference/child/engineProcess';
import type { EngineTransportFactory } from './inference/child/transport';
import type { InferenceEngineApi } from './inference/engineApi';
import { listDirectory } from './files/listDirectory';
import { FileAccess, type FileAccessOptions } from './files/access';
import * as guard from './files/guard';
import { annotationHandlers } from './annotations/handlers';
import { loadModelWithProgress, runtimeInfo, unloadModel, type RuntimeDeps } from './modelLibrary/runtime';
import { RunManager } from './runs/manager';
import { localGenerator } from './runs/localGenerator';
import { remoteGenerator } from './runs/remoteGenerator';
import { previewPrompt } from './runs/preview';
import { preflightRun } from './runs/preflight';
import { exportRun, importPredictionsAsRun } from './runs/exchange';
import { getRunDetail, listRunSummaries, pageRunItems } from './runs/store';
import type { Generator } from './runs/runner';
import type { RunSpec } from '../shared/runs';
import { storePlans } from './import/store';
import { ModelLibrary, pullModelFile, runGenerate } from './modelLibrary';
import { compareHandlers } from './compare/handlers';
import { forgetItemScores } from './compare/itemScores';
import { itemRuns } from './itemRuns/itemRuns';
import { readPredictionsFile, scorePredictionSet } from './predictions';
import type { PredictionsScore } from '../shared/predictions';
import { EngineBuildJob } from './inference/engineBuildJob';

export interface CoreOptions {
  home: string;
  /** Folder of the synthetic demo pack shipped in resources/ (hosts know where that is). */
  demoPackDir?: string;
  /** The engine log; default: `<home>/logs/medtask.log` at info level. */
  log?: Logger;
  /** Which paths calls may read and write (src/core/files/access.ts); default `{ confine: false }` (the CLI). */
  fileAccess?: FileAccessOptions;
  /** Starts the inference engine's child process (default: `child_process.fork`; Electron: a utilityProcess). */
  engineTransport?: EngineTransportFactory;
  /** Matches `search` counts before leaving the rest to `searchFacets` (default COUNT_LIMIT; tests use a small one). */
  searchCountLimit?: number;
  /** For tests: the search counting thread waits this long before each count, as a large library's count takes. */
  searchCountHoldMs?: number;
  /** Tests only: a stand-in for the engine build's command (the real build takes minutes: 6 on this 2-core machine, and rewrites node_modules). */
  engineBuildCommand?: readonly string[];
  /** Tests only: why a build cannot start (default: cmake, a compiler and a writable engine folder are checked on this machine). */
  engineBuildBlockers?: () => string[];
}

export const DEMO_BENCHMARK = { name: 'demo', title: 'Demo pack (synthetic)' };

/** A built-in template's name (not Jinja text, which is long and may come from a file). */
function shortName(value: string | undefined): string | undefined {
  return value !== undefined && value.length <= 100 && !/[{}%\n]/.test(value) ? value : undefined;
}

export class MedtaskCore {
  readonly home: string;
  readonly log: Logger;
  /** The file-access policy every file-facing call is checked against; Electron grants dialog answers here. */
  readonly files: FileAccess;
  readonly demoPackDir: string | undefined;
  readonly db: Db;
  readonly handlers: CallHandlers;
  private readonly sinks = new Set<EventSink>();
  private engineInstance: InferenceEngineApi | null = null;
  private readonly engineTransport: EngineTransportFactory | undefined;
  private readonly modelLoads = new Map<string, AbortController>();
  private readonly activePulls = new Map<string, AbortController>();
  readonly models: ModelLibrary;
  private readonly activeGenerations = new Map<string, AbortController>();
  readonly runs: RunManager;
  /** The one-time build of the engine for this CPU (at most one at a time). */
  private readonly engineBuild: EngineBuildJob;
  /** Writers (imports, index rebuilds) run one at a time, in order. */
  private readonly writers = new SerialQueue();
  private readonly activeImports = new Map<string, AbortController>();
  /** Settles once the search index matches the library (immediately, unless it must be rebuilt). */
  private indexReady: Promise<unknown> = Promise.resolve();
  /** Exact search counts (`searchFacets`), counted on a worker thread of their own. */
  private readonly counts: BackgroundCounts;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(opts: CoreOptions) {
    this.home = opts.home;
    this.demoPackDir = opts.demoPackDir;
    this.engineTransport = opts.engineTransport;
    this.log = opts.log ?? new Logger({ file: logFile(opts.home) });
    this.db = openDatabase(opts.home);
    this.files = new FileAccess(opts.home, opts.fileAccess ?? { confine: false });
    attachSearchDb(this.db, opts.home);
    this.counts = new BackgroundCounts(this.db, opts.home, opts.searchCountHoldMs);
    if (indexVersion(this.db) !== libraryVersion(this.db)) this.indexReady = this.enqueue(() => rebuildSearchIndex(this.home));
    this.runs = new RunManager(
      this.db,
      (spec) => this.generatorFor(spec),
      (event, payload) => this.emit(event, payload),
    );
    // Fit estimates use the engine's runtime (one node-llama-cpp instance).
    this.models = new ModelLibrary({ db: this.db, llama: () => this.engine.getLlama() });
    this.engineBuild = new EngineBuildJob({
      getLlama: () => this.engine.getLlama(),
      emit: (state) => this.emit('engineBuildProgress', state),
      // A stand-in build command (tests) needs neither cmake nor a compiler.
      ...(opts.engineBuildCommand ? { command: opts.engineBuildCommand, blockers: () => [] } : {}),
      ...(opts.engineBuildBlockers ? { blockers: opts.engineBuildBlockers } : {}),
    });
    this.handlers = {
      ...annotationHandlers(this.db, this),
      ...compareHandlers(this.db),
      itemRuns: (args) => itemRuns(this.db, args),
      listBenchmarks: () => listBenchmarks(this.db),
      listTasks: (args) => listTasks(this.db, args),
      pageItems: (args) => pageItems(this.db, args),
      getItem: (args) => getItem(this.db, args),
      getTask: (args) => getTask(this.db, args),
      importPaths: async (args) =>
        this.importPaths(await guard.guardImportPaths(this.files, args.paths), {
          importId: args.importId,
          planOptions: { mapping: args.mapping, target: args.target, benchmark: args.target?.benchmark, skipUnknown: args.skipUnknown },
        }),
      previewImport: async (args) => {
        const paths = await guard.guardImportPaths(this.files, args.paths);
        try {
          return await previewImport(paths, { mapping: args.mapping, target: args.target, benchmark: args.target?.benchmark, skipUnknown: args.skipUnknown });
        } catch (err) {
          throw guard.scrubParserSnippets(err);
        }
      },
      cancelImport: (args) => this.cancelImport(args.importId),
      importDemo: (args) => this.importDemo(args.importId),
      previewPrompt: (args) => previewPrompt(this.db, args),
      createRun: (args) => this.runs.create(guard.guardRunSpec(this.files, args)),
      preflightRun: (args) =>
        preflightRun(this.db, guard.guardRunSpec(this.files, args), {
          getLlama: () => this.engine.getLlama(),
          remote: { home: this.home, confine: this.files.confine },
        }),
      listRuns: () => listRunSummaries(this.db),
      getRun: (args) => getRunDetail(this.db, args.runId),
      pageRunItems: (args) =>
        pageRunItems(this.db, args.runId, args.after, args.limit, {
          show: args.show,
          search: args.search,
          gold: args.gold,
          metric: args.metric,
          sort: args.sort,
        }),
      pauseRun: (args) => this.runs.pause(args.runId),
      resumeRun: (args) => {
        // The call answers at once; progress arrives as runProgress events.
        this.runs.resume(args.runId).catch(() => undefined);
        return getRunDetail(this.db, args.runId);
      },
      cancelRun: (args) => this.runs.cancel(args.runId),
      rescoreRun: (args) => {
        // Per-item values are scored again too (the compare view's, from the same code as the run's totals).
        forgetItemScores(this.db, args.runId, args.mode);
        return this.runs.rescore(args.runId, args.mode);
      },
      exportRun: (args) =>
        exportRun(this.db, args.runId, args.format, this.files.checkWrite(args.out, { overwrite: args.overwrite }), { overwrite: args.overwrite }),
      importPredictions: async (args) => {
        const file = guard.guardPredictionsFile(this.files, args.file);
        try {
          return await importPredictionsAsRun(this.db, file, args);
        } catch (err) {
          throw guard.scrubParserSnippets(err);
        }
      },
      scorePredictions: async (args) => {
        const file = guard.guardPredictionsFile(this.files, args.file);
        try {
          const report: PredictionsScore = { file, ...scorePredictionSet(await readPredictionsFile(file, args.format), { mode: args.mode, task: args.task }) };
          return report;
        } catch (err) {
          throw guard.scrubParserSnippets(err);
        }
      },
      search: async (args) => {
        await this.indexReady;
        this.counts.searched(args.query);
        return search(this.db, args, RANK_LIMIT, opts.searchCountLimit ?? COUNT_LIMIT);
      },
      searchFacets: async (args) => {
        await this.indexReady;
        return this.counts.count(args);
      },
      addModels: async (args) => {
        const paths = await guard.guardModelPaths(this.files, args.paths);
        return guard.scrubAddResult(await guard.withScrubbedErrors(paths, () => this.models.add(paths)));
      },
      listModels: async () => guard.scrubModelList(await this.models.list()),
      inspectModel: (args) => {
        const checked = guard.guardInspect(this.files, args);
        return guard.withScrubbedErrors([checked.path], () => this.models.inspect(checked));
      },
      removeModel: (args) => this.models.remove(args.id),
      renameModel: (args) => this.models.rename(args.id, args.name),
      rescanModels: async (args) => guard.scrubAddResult(await this.models.rescan(args)),
      setAdapterBase: (args) => this.models.setAdapterBase(args.adapterId, args.baseModelId),
      pullModel: (args) =>
        this.track(
          (async () => {
            const pullId = args.pullId ?? crypto.randomUUID();
            if (this.activePulls.has(pullId)) throw new ConflictError(`a download with pull id "${pullId}" is already running`);
            const controller = new AbortController();
            this.activePulls.set(pullId, controller);
            try {
              const pulled = await pullModelFile(args.uri, {
                directory: nodePath.join(this.home, 'models'),
                timeoutMs: args.timeoutMs,
                ...(args.allowInsecure ? { allowInsecure: true } : {}),
                signal: controller.signal,
                onProgress: (s) =>
                  this.emit('pullProgress', {
                    pullId,
                    uri: args.uri,
                    downloadedBytes: s.downloadedSize,
                    totalBytes: s.totalSize,
                    bytesPerSecond: s.averageSpeed,
                    etaMs: Number.isFinite(s.estimatedTimeLeft) && s.averageSpeed > 0 ? s.estimatedTimeLeft : null,
                  }),
              });
              const added = await this.models.add([pulled.path]);
              const record = added.added[0] ?? added.updated[0];
              // Not a user's fault: a bug, reported as internal with its stack logged.
              if (!record) throw new Error(`downloaded ${pulled.path} but could not add it to the library`);
              return { path: pulled.path, record, resumedBytes: pulled.resumedBytes };
            } finally {
              this.activePulls.delete(pullId);
            }
          })(),
        ),
      cancelPull: (args) => {
        const c = this.activePulls.get(args.pullId);
        c?.abort();
        return c !== undefined;
      },
      saveModelConfig: (args) => this.models.saveConfig(args),
      listModelConfigs: () => this.models.configs(),
      removeModelConfig: (args) => this.models.removeConfig(args.id),
      generate: (args) => {
        const checked = guard.guardGenerate(this.files, this.models, args);
        // A chat template name the caller sent is theirs to see quoted back ("unknown chat template …").
        const keep = [
          typeof checked.model === 'string' ? checked.model : undefined,
          checked.requestId,
          shortName(checked.settings?.chatTemplate),
          ...(checked.adapters ?? []).map((a) => a.path),
        ];
        return this.track(
          guard.withScrubbedErrors(keep, () =>
            runGenerate({ library: this.models, engine: this.engine, emit: (e, p) => this.emit(e, p), active: this.activeGenerations }, checked),
          ),
        );
      },
      loadModel: (args) => {
        const checked = guard.guardLoad(this.files, args);
        return this.track(guard.withScrubbedErrors([checked.path], () => loadModelWithProgress(this.runtimeDeps(), checked)));
      },
      cancelLoad: (args) => {
        const c = this.modelLoads.get(args.loadId);
        c?.abort();
        return c !== undefined;
      },
      unloadModel: (args) => unloadModel(this.runtimeDeps(), args.path),
      runtimeInfo: () => runtimeInfo(this.runtimeDeps()),
      engineInfo: () => this.engineBuild.info(),
      buildEngine: async () => {
        const { state, done } = await this.engineBuild.start();
        // done never rejects (the outcome is in the state); tracked so that dispose() waits for the kill.
        void this.track(done);
        return state;
      },
      cancelEngineBuild: () => this.engineBuild.cancel(),
      listDirectory: (args) => listDirectory({ ...args, home: this.home, access: this.files }),
      cancelGenerate: (args) => {
        const c = this.activeGenerations.get(args.requestId);
        c?.abort();
        return c !== undefined;
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
    if (!dir) throw new UnsupportedError('this build ships no demo pack');
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
        const unknown: { file: string; reason: string }[] = [];
        const planned = await planImport(paths, { ...opts.planOptions, onUnknown: (file, reason) => unknown.push({ file, reason }) });
        const { plans, skipped } = dedupeSplits(opts.adjust ? opts.adjust(planned) : planned);
        skipped.push(...unknown);
        const stored = await storePlans(this.home, plans, {
          importId,
          signal: controller.signal,
          onProgress: (p) => this.emit('importProgress', p),
        });
        this.log.info('import finished', { importId, splits: plans.length, skipped: skipped.length });
        return { importId, ...stored, skipped };
      } catch (err) {
        this.log.warn('import stopped', { importId, reason: err instanceof Error ? err.name : 'unknown' });
        // Import faults are typed (ImportError, ImportCancelledError) and errno codes map in dispatch.
        throw err;
      } finally {
        this.activeImports.delete(importId);
      }
    };
    return this.enqueue(run);
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    return this.writers.run(job);
  }

  /** Rebuilds the item search index from the library (`medtask reindex`). */
  reindex(onProgress?: (done: number, total: number) => void): Promise<number> {
    this.indexReady = this.enqueue(() => rebuildSearchIndex(this.home, onProgress));
    return this.indexReady as Promise<number>;
  }

  /**
   * node-llama-cpp lives here, in the host process (Electron's main process, never the
   * renderer), created on first use: starting it costs ~0.4 s.
   */
  private runtimeDeps(): RuntimeDeps {
    return { engine: () => this.engine, emit: (e, p) => this.emit(e, p), loads: this.modelLoads };
  }

  /**
   * The one engine of this host: every model is loaded once and threads are set per context.
   * Models load and run in a child process, so a native abort in llama.cpp cannot end the host.
   */
  get engine(): InferenceEngineApi {
    this.engineInstance ??= new EngineProcess(this.engineTransport ? { transport: this.engineTransport } : {});
    return this.engineInstance;
  }

  private async generatorFor(spec: RunSpec): Promise<Generator> {
    if (spec.model.kind === 'local')
      return guard.scrubGenerator(await localGenerator(this.engine, spec.model), [
        spec.model.path,
        shortName(spec.model.chatTemplate),
        ...(spec.model.loras ?? []).map((l) => l.path),
      ]);
    return remoteGenerator(spec.model, { home: this.home, confine: this.files.confine });
  }

  /** Typed subscription to one event. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    return this.subscribe((e: EventName, payload: unknown) => {
      if (e === event) listener(payload as EventPayloads[E]);
    });
  }

  /**
   * Closes the engine gracefully: every kind of in-flight work is cancelled (imports roll
   * back, the running run pauses with its finished items kept, generations, downloads and model
   * loads stop) and waited for, then the inference child and the database close. Hosts call
   * this on shutdown; `close()` is the immediate variant.
   */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.cancelAll();
    await Promise.allSettled([this.writers.idle(), this.runs.shutdown(), ...this.inFlight]);
    const engine = this.engineInstance;
    this.engineInstance = null;
    this.close();
    await engine?.dispose();
  }

  /** Aborts every kind of in-flight work; each stops at its next check and leaves stored data consistent. */
  private cancelAll(): void {
    for (const c of this.activeImports.values()) c.abort();
    for (const c of this.activeGenerations.values()) c.abort();
    for (const c of this.activePulls.values()) c.abort();
    for (const c of this.modelLoads.values()) c.abort();
    this.engineBuild.cancel();
    void this.runs.shutdown();
  }

  /** Work a call started that dispose() must wait for (generations, downloads, model loads). */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  cancelImport(importId: string): boolean {
    const c = this.activeImports.get(importId);
    c?.abort();
    return c !== undefined;
  }

  /** Closes at once: in-flight work is aborted but not waited for (a run still going is found paused on the next start). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelAll();
    this.counts.stopAll();
    // An engine left (dispose() awaits it instead) is freed in the background.
    void this.engineInstance?.dispose().catch(() => undefined);
    this.engineInstance = null;
    this.sinks.clear();
    this.db.close();
  }
}
