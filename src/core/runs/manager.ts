/**
 * The run queue of one library: runs execute one at a time (they share the machine's
 * cores and the loaded model), can be paused, resumed and cancelled, and report progress.
 */
import type { EventSink } from '../../shared/contract';
import type { MetricMode, RunDetail, RunSpec, RunStatus } from '../../shared/runs';
import type { Db } from '../db/open';
import { templateHash } from '../prompts/hash';
import { resolveTemplate } from '../prompts/template';
import { isEngineCrash } from '../inference/child/engineProcess';
import { localModelLabel } from './localGenerator';
import { executePending, toTemplate, type Generator } from './runner';
import { scoreRunTask } from './scoring';
import { addRunTime, createRunRow, getRunDetail, markInterruptedRuns, saveTemplate, scoreRunRows, selectItems, setRunStatus } from './store';
import { BadInputError } from '../errors';
import { SerialQueue } from '../serialQueue';

export type GeneratorFactory = (spec: RunSpec) => Promise<Generator>;

export class RunManager {
  private readonly queue = new SerialQueue();
  private readonly controllers = new Map<number, { controller: AbortController; reason: 'pause' | 'cancel' | null }>();
  /** Set by shutdown(): queued runs no longer start. */
  private closing = false;

  constructor(
    private readonly db: Db,
    private readonly makeGenerator: GeneratorFactory,
    private readonly emit: EventSink,
  ) {
    markInterruptedRuns(db);
  }

  /** Creates the run (all its items, pending) and queues it. */
  create(spec: RunSpec, opts: { start?: boolean } = {}): RunDetail {
    const template = resolveTemplate(toTemplate(spec.template));
    const hash = templateHash(template);
    saveTemplate(this.db, hash, template);
    const { items, splits } = selectItems(this.db, spec.selection);
    if (items.length === 0) throw new BadInputError('the selection has no items', { field: 'selection' });
    // The adapters are part of the label: a run with a LoRA must not look like one on the base alone.
    const modelLabel =
      spec.model.kind === 'local'
        ? `${spec.model.configName !== undefined ? `${spec.model.configName}: ` : ''}${localModelLabel(spec.model)}`
        : `${spec.model.model} @ ${spec.model.baseUrl}`;
    const name = spec.name ?? `${modelLabel} · ${[...new Set(splits.map((s) => s.task))].join(', ')} · ${template.strategy}`;
    const runId = createRunRow(
      this.db,
      { name, kind: spec.model.kind, status: 'queued', spec, modelLabel, templateHash: hash, metricMode: spec.metricMode ?? 'reference' },
      items,
    );
    if (opts.start !== false) void this.enqueue(runId).catch(() => undefined);
    return getRunDetail(this.db, runId);
  }

  /** Queues a paused or interrupted run; resolves when it stops (done, paused, cancelled or failed). */
  resume(runId: number): Promise<RunDetail> {
    const run = getRunDetail(this.db, runId);
    if (run.kind === 'imported') throw new BadInputError(`run ${runId} holds imported predictions; there is nothing to resume`);
    if (run.status === 'done') return Promise.resolve(run);
    if (run.status === 'running' || this.controllers.has(runId)) throw new BadInputError(`run ${runId} is already ${run.status}`);
    setRunStatus(this.db, runId, 'queued', { error: null });
    return this.enqueue(runId);
  }

  /** Resolves when the run has stopped (for the CLI, which waits). */
  wait(runId: number): Promise<RunDetail> {
    return this.queue.idle().then(() => getRunDetail(this.db, runId));
  }

  pause(runId: number): RunDetail {
    return this.stop(runId, 'pause');
  }

  cancel(runId: number): RunDetail {
    return this.stop(runId, 'cancel');
  }

  private stop(runId: number, reason: 'pause' | 'cancel'): RunDetail {
    const active = this.controllers.get(runId);
    if (active) {
      active.reason = reason;
      active.controller.abort();
    } else {
      const run = getRunDetail(this.db, runId);
      if (run.status === 'queued' || run.status === 'paused') setRunStatus(this.db, runId, reason === 'pause' ? 'paused' : 'cancelled');
    }
    return getRunDetail(this.db, runId);
  }

  /**
   * Pauses the running run (its finished items are kept; it resumes later) and keeps queued
   * ones from starting; resolves when the queue has stopped. Used when the engine closes.
   */
  shutdown(): Promise<void> {
    this.closing = true;
    for (const entry of this.controllers.values()) {
      entry.reason = 'pause';
      entry.controller.abort();
    }
    return this.queue.idle();
  }

  rescore(runId: number, mode: MetricMode): RunDetail {
    scoreRunRows(this.db, runId, mode, (b, t, p, g) => scoreRunTask(b, t, p, g, mode));
    return getRunDetail(this.db, runId);
  }

  /**
   * A write that must land (a run's final status): while another connection holds the write lock
   * (a running import transaction) it is retried — each try already waits busy_timeout — instead of
   * leaving the run marked running with nothing behind it.
   */
  private async writeWhenFree(write: () => void): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        write();
        return;
      } catch (err) {
        if (!isLibraryBusy(err) || this.closing || attempt >= 120) throw err;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  private enqueue(runId: number): Promise<RunDetail> {
    return this.queue.run(() => this.execute(runId));
  }

  private progress(
    runId: number,
    status: RunStatus,
    p?: { done: number; errors: number; total: number; tokensPerSecond: number | null; etaMs: number | null },
  ): void {
    const run =
      p ??
      (() => {
        const d = getRunDetail(this.db, runId);
        return { done: d.itemDone, errors: d.itemErrors, total: d.itemTotal, tokensPerSecond: d.tokensPerSecond, etaMs: null };
      })();
    this.emit('runProgress', { runId, status, ...run });
  }

  private async execute(runId: number): Promise<RunDetail> {
    const run = getRunDetail(this.db, runId);
    if (run.status === 'cancelled' || run.status === 'paused' || run.status === 'done') return run;
    if (this.closing) {
      // Closing: a run that never started waits, paused, for the next start.
      setRunStatus(this.db, runId, 'paused', { error: 'interrupted (the app stopped while the run was going)' });
      return getRunDetail(this.db, runId);
    }
    const spec = run.spec!;
    const entry = { controller: new AbortController(), reason: null as 'pause' | 'cancel' | null };
    this.controllers.set(runId, entry);
    const started = performance.now();
    try {
      const generator = await this.makeGenerator(spec);
      const hardware = await generator.describe();
      setRunStatus(this.db, runId, 'running', { hardware, error: null });
      this.progress(runId, 'running');
      const finished = await executePending({
        db: this.db,
        runId,
        spec,
        generator,
        signal: entry.controller.signal,
        onProgress: (p) => this.progress(runId, 'running', p),
        onItemTime: (_wall, gen) => addRunTime(this.db, runId, 0, gen),
      });
      if (finished) {
        scoreRunRows(this.db, runId, run.metricMode, (b, t, p, g) => scoreRunTask(b, t, p, g, run.metricMode));
        setRunStatus(this.db, runId, 'done');
      } else setRunStatus(this.db, runId, entry.reason === 'cancel' ? 'cancelled' : 'paused');
    } catch (err) {
      // The engine process died under the run (a model that aborts llama.cpp, memory, a kill): the
      // items it finished are kept and the rest stay pending, so the run pauses and can be resumed.
      // Likewise when an import held the library's write lock past busy_timeout.
      const message = err instanceof Error ? err.message : String(err);
      const [status, error]: [RunStatus, string] = isEngineCrash(err)
        ? ['paused', message]
        : isLibraryBusy(err)
          ? ['paused', 'the library was busy (an import was writing to it): resume the run when the import has finished']
          : ['failed', message];
      await this.writeWhenFree(() => setRunStatus(this.db, runId, status, { error }));
    } finally {
      const wall = performance.now() - started;
      await this.writeWhenFree(() => addRunTime(this.db, runId, wall, 0));
      this.controllers.delete(runId);
    }
    const final = getRunDetail(this.db, runId);
    this.progress(runId, final.status);
    return final;
  }
}

/** SQLite's "database is locked" after busy_timeout: another connection held the write lock. */
function isLibraryBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}
