/**
 * The Runs view: the run list, the open run's detail, the actions on a run (pause, resume, cancel,
 * rescore), the dialogs (new run, import predictions, export) and the progress events.
 */
import { create } from 'zustand';
import type { CallInput } from '../../../../shared/contract';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { MetricMode, RunDetail, RunProgress, RunSpec, RunSummary } from '../../../../shared/runs';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { isActiveStatus } from './runFormat';
import { useRunItems } from './runItemsStore';

export type RunAction = 'pause' | 'resume' | 'cancel' | 'rescore';
export type ExportFormat = CallInput<'exportRun'>['format'];
export type ImportRequest = CallInput<'importPredictions'>;

/** `from`: the run a new run is duplicated from (its stored spec pre-fills the form). */
export type RunsDialog = { kind: 'new'; from?: { runId: number; name: string; spec: RunSpec } } | { kind: 'import' } | { kind: 'export'; runId: number } | null;

interface RunsState {
  /** null until the first answer arrives. */
  runs: RunSummary[] | null;
  listError: ApiErrorData | null;
  /** Latest progress event per run (for the ETA, which only events carry). */
  progress: Record<number, RunProgress>;
  /** Keyboard cursor in the run list (a run id, so it survives refreshes). */
  cursor: number | null;
  openRunId: number | null;
  detail: RunDetail | null;
  detailError: ApiErrorData | null;
  /** The action in flight per run, so its button can say so. */
  busy: Record<number, RunAction | undefined>;
  /** The last failed action per run, shown in that run's row. */
  actionErrors: Record<number, ApiErrorData | undefined>;
  dialog: RunsDialog;

  load(): Promise<void>;
  select(runId: number): void;
  open(runId: number): Promise<void>;
  act(runId: number, action: RunAction): Promise<void>;
  dismissError(runId: number): void;
  /** Puts a run the engine just returned into the list and, if open, the detail. */
  applyRun(run: RunDetail): void;
  /** Creates a run; resolves to the run, or throws the engine's error for the form to show. */
  create(spec: CallInput<'createRun'>): Promise<RunDetail>;
  importPredictions(request: ImportRequest): Promise<RunDetail>;
  /** `overwrite`: replace an existing file (without it the engine refuses one). */
  exportRun(runId: number, format: ExportFormat, out: string, overwrite?: boolean): Promise<{ file: string; bytes: number; items: number }>;
  openDialog(dialog: RunsDialog): void;
  /** Opens the New run dialog pre-filled from a run's stored spec ("Duplicate with changes"). */
  duplicate(runId: number): Promise<void>;
  closeDialog(): void;
  /** Listens for progress events; returns the unsubscribe. */
  listen(): () => void;
}

const listAnswer = lateAnswerGuard();
const detailAnswer = lateAnswerGuard();

function summaryOf(run: RunDetail): RunSummary {
  const { spec: _spec, hardware: _hardware, ...summary } = run;
  return summary;
}

function withProgress<T extends RunSummary>(run: T, p: RunProgress): T {
  return {
    ...run,
    status: p.status,
    itemDone: p.done,
    itemErrors: p.errors,
    itemTotal: p.total,
    tokensPerSecond: p.tokensPerSecond ?? run.tokensPerSecond,
  };
}

export const useRuns = create<RunsState>()((set, get) => {
  /** Fetches one run again (after it stopped: scores, wall time and error are final). */
  async function refreshRun(runId: number): Promise<void> {
    try {
      get().applyRun(await getClient().getRun({ runId }));
    } catch {
      await get().load();
    }
  }

  return {
    runs: null,
    listError: null,
    progress: {},
    cursor: null,
    openRunId: null,
    detail: null,
    detailError: null,
    busy: {},
    actionErrors: {},
    dialog: null,

    async load() {
      const isLatest = listAnswer.start();
      try {
        const runs = await getClient().listRuns({});
        if (!isLatest()) return;
        set((s) => ({
          runs,
          listError: null,
          cursor: s.cursor !== null && runs.some((r) => r.id === s.cursor) ? s.cursor : (runs[0]?.id ?? null),
        }));
      } catch (err) {
        if (!isLatest()) return;
        set({ listError: toErrorData(err) });
      }
    },

    select(runId) {
      set({ cursor: runId });
    },

    async open(runId) {
      const isLatest = detailAnswer.start();
      const known = get().runs?.find((r) => r.id === runId);
      set((s) => ({
        cursor: runId,
        openRunId: runId,
        detailError: null,
        // Keep showing the run (without spec and hardware) until its detail arrives.
        detail: s.detail?.id === runId ? s.detail : known ? { ...known, spec: null, hardware: null, truncatedItems: 0 } : null,
      }));
      useRunItems.getState().open(runId);
      try {
        const detail = await getClient().getRun({ runId });
        if (!isLatest()) return;
        get().applyRun(detail);
      } catch (err) {
        if (!isLatest()) return;
        set({ detailError: toErrorData(err) });
      }
    },

    async act(runId, action) {
      if (get().busy[runId]) return;
      const run = get().runs?.find((r) => r.id === runId);
      set((s) => ({ busy: { ...s.busy, [runId]: action }, actionErrors: { ...s.actionErrors, [runId]: undefined } }));
      try {
        const client = getClient();
        let result: RunDetail;
        if (action === 'pause') result = await client.pauseRun({ runId });
        else if (action === 'resume') result = await client.resumeRun({ runId });
        else if (action === 'cancel') result = await client.cancelRun({ runId });
        else {
          const mode: MetricMode = run?.metricMode === 'corrected' ? 'reference' : 'corrected';
          result = await client.rescoreRun({ runId, mode });
        }
        get().applyRun(result);
      } catch (err) {
        set((s) => ({ actionErrors: { ...s.actionErrors, [runId]: toErrorData(err) } }));
      } finally {
        set((s) => ({ busy: { ...s.busy, [runId]: undefined } }));
      }
    },

    dismissError(runId) {
      set((s) => ({ actionErrors: { ...s.actionErrors, [runId]: undefined } }));
    },

    applyRun(run) {
      const summary = summaryOf(run);
      set((s) => {
        const runs = s.runs ?? [];
        const at = runs.findIndex((r) => r.id === run.id);
        const next = at === -1 ? [summary, ...runs].sort((a, b) => b.id - a.id) : runs.map((r) => (r.id === run.id ? summary : r));
        return { runs: next, detail: s.openRunId === run.id ? run : s.detail };
      });
      if (get().openRunId === run.id) useRunItems.getState().refreshLive();
    },

    async create(spec) {
      const run = await getClient().createRun(spec);
      get().applyRun(run);
      set({ dialog: null });
      await get().open(run.id);
      return run;
    },

    async importPredictions(request) {
      const run = await getClient().importPredictions(request);
      get().applyRun(run);
      set({ dialog: null });
      await get().open(run.id);
      return run;
    },

    async exportRun(runId, format, out, overwrite) {
      return getClient().exportRun({ runId, format, out, ...(overwrite ? { overwrite: true } : {}) });
    },

    openDialog(dialog) {
      set({ dialog });
    },

    async duplicate(runId) {
      const known = get().detail;
      try {
        const run = known?.id === runId && known.spec ? known : await getClient().getRun({ runId });
        if (!run.spec) {
          set((s) => ({
            actionErrors: {
              ...s.actionErrors,
              [runId]: { code: 'invalid_input', message: `run ${run.name} holds imported predictions: it has no settings to start a new run from` },
            },
          }));
          return;
        }
        set({ dialog: { kind: 'new', from: { runId, name: run.name, spec: run.spec } } });
      } catch (err) {
        set((s) => ({ actionErrors: { ...s.actionErrors, [runId]: toErrorData(err) } }));
      }
    },

    closeDialog() {
      set({ dialog: null });
    },

    listen() {
      return getClient().on('runProgress', (p) => {
        const { runs, openRunId } = get();
        const known = runs?.some((r) => r.id === p.runId) ?? false;
        set((s) => ({
          progress: { ...s.progress, [p.runId]: p },
          runs: s.runs ? s.runs.map((r) => (r.id === p.runId ? withProgress(r, p) : r)) : s.runs,
          detail: s.detail && s.detail.id === p.runId ? withProgress(s.detail, p) : s.detail,
        }));
        // A run started elsewhere (another window, the CLI on the same engine): list it.
        if (!known && runs !== null) void get().load();
        if (!isActiveStatus(p.status)) void refreshRun(p.runId);
        else if (openRunId === p.runId) useRunItems.getState().refreshLive();
      });
    },
  };
});
