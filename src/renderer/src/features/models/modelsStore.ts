/**
 * The Models view: the model library (models, adapters, saved configurations; add, rescan, pull), the runtime
 * panel's load settings and loaded models, model loads and downloads with their progress events.
 */
import { create } from 'zustand';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { ModelAddResult, ModelConfig, ModelList, ModelRecord, ModelRescanResult, PullProgress, PullResult, RuntimeInfo } from '../../../../shared/models';
import { getClient } from '../../client/current';
import { lateAnswerGuard } from '../../lib/lateAnswer';
import { checkLoadSettings, type LoadSettingsErrors, type LoadSettingsForm } from '../../lib/loadSettings';
import { newImportId } from '../../lib/newId';

export type LoadStatus = 'loading' | 'done' | 'failed' | 'cancelled';

/** One explicit load (the Load button), by model file. */
export interface LoadState {
  loadId: string;
  path: string;
  progress: number;
  status: LoadStatus;
  error: ApiErrorData | null;
  loadMs: number | null;
}

/** What the toolbar's last action (add, rescan, pull) answered, shown under the toolbar. */
export type ToolbarOutcome =
  { kind: 'add'; paths: string[]; result: ModelAddResult } | { kind: 'rescan'; result: ModelRescanResult } | { kind: 'pull'; result: PullResult } | null;

export type ToolbarAction = 'add' | 'rescan' | 'pull';
export type RowAction = 'rename' | 'remove' | 'base';

interface ModelsState {
  list: ModelList | null;
  listError: ApiErrorData | null;
  configs: ModelConfig[] | null;
  configsError: ApiErrorData | null;
  /** The configuration removed last, kept so "Undo" can save it again; null once undone or dismissed. */
  removedConfig: ModelConfig | null;
  undoingRemove: boolean;
  runtime: RuntimeInfo | null;
  runtimeError: ApiErrorData | null;
  runtimeBusy: boolean;
  /** Keyboard cursor in the model list (a record id). */
  cursor: number | null;
  /** Load settings shared by every Load button and the playground. */
  loadForm: LoadSettingsForm;
  loadFormErrors: LoadSettingsErrors;
  loads: Record<string, LoadState | undefined>;
  unloading: Record<string, boolean | undefined>;
  unloadErrors: Record<string, ApiErrorData | undefined>;
  rowBusy: Record<number, RowAction | undefined>;
  rowErrors: Record<number, ApiErrorData | undefined>;
  toolbarBusy: ToolbarAction | null;
  toolbarErrors: Partial<Record<ToolbarAction, ApiErrorData>>;
  outcome: ToolbarOutcome;
  /** The download in flight: its id (for Cancel) and its latest progress event. */
  pullState: { pullId: string; progress: PullProgress | null; cancelling: boolean } | null;

  init(): Promise<void>;
  refreshList(): Promise<void>;
  refreshConfigs(): Promise<void>;
  refreshRuntime(): Promise<void>;
  select(id: number): void;
  setLoadForm(patch: Partial<LoadSettingsForm>): void;
  add(paths: string[]): Promise<boolean>;
  rescan(refresh: boolean): Promise<void>;
  pull(uri: string): Promise<boolean>;
  cancelPull(): Promise<void>;
  rename(id: number, name: string): Promise<void>;
  remove(id: number): Promise<void>;
  setAdapterBase(adapterId: number, baseModelId: number | null): Promise<void>;
  loadModel(record: ModelRecord): Promise<void>;
  cancelLoad(path: string): Promise<void>;
  unload(path: string): Promise<void>;
  /** Removes a configuration and keeps it for `undoRemoveConfig`; true when it was removed. */
  removeConfig(id: number): Promise<boolean>;
  /** Saves the configuration removed last again (same name, model, adapters, settings; a new id). */
  undoRemoveConfig(): Promise<ModelConfig | null>;
  dismissRemovedConfig(): void;
  dismissRowError(id: number): void;
  /** Listens for load progress events; returns the unsubscribe. */
  listen(): () => void;
}

const listAnswer = lateAnswerGuard();
const runtimeAnswer = lateAnswerGuard();

function allRecords(list: ModelList | null): ModelRecord[] {
  return list ? [...list.models, ...list.adapters] : [];
}

export const useModels = create<ModelsState>()((set, get) => {
  const setRowError = (id: number, error: ApiErrorData | undefined) => set((s) => ({ rowErrors: { ...s.rowErrors, [id]: error } }));
  const setRowBusy = (id: number, action: RowAction | undefined) => set((s) => ({ rowBusy: { ...s.rowBusy, [id]: action } }));
  const patchLoad = (path: string, patch: Partial<LoadState>) =>
    set((s) => {
      const current = s.loads[path];
      return current ? { loads: { ...s.loads, [path]: { ...current, ...patch } } } : {};
    });

  /** Runs a toolbar call; its error shows under the toolbar, naming the action. */
  async function toolbar<T>(action: ToolbarAction, call: () => Promise<T>): Promise<T | null> {
    if (get().toolbarBusy) return null;
    // The area under the toolbar answers for the latest action only.
    set({ toolbarBusy: action, toolbarErrors: {}, outcome: null });
    try {
      return await call();
    } catch (err) {
      set((s) => ({ toolbarErrors: { ...s.toolbarErrors, [action]: toErrorData(err) } }));
      return null;
    } finally {
      set({ toolbarBusy: null });
    }
  }

  return {
    list: null,
    listError: null,
    configs: null,
    configsError: null,
    removedConfig: null,
    undoingRemove: false,
    runtime: null,
    runtimeError: null,
    runtimeBusy: false,
    cursor: null,
    loadForm: { gpuLayers: 'auto', threads: '', batchSize: '', flashAttention: '', mmap: '' },
    loadFormErrors: {},
    loads: {},
    unloading: {},
    unloadErrors: {},
    rowBusy: {},
    rowErrors: {},
    toolbarBusy: null,
    toolbarErrors: {},
    outcome: null,
    pullState: null,

    async init() {
      await Promise.all([get().refreshList(), get().refreshConfigs(), get().refreshRuntime()]);
    },

    async refreshList() {
      const isLatest = listAnswer.start();
      try {
        const list = await getClient().listModels({});
        if (!isLatest()) return;
        set((s) => {
          const records = allRecords(list);
          return {
            list,
            listError: null,
            cursor: s.cursor !== null && records.some((r) => r.id === s.cursor) ? s.cursor : (list.models[0]?.id ?? list.adapters[0]?.id ?? null),
          };
        });
      } catch (err) {
        if (!isLatest()) return;
        set({ listError: toErrorData(err) });
      }
    },

    async refreshConfigs() {
      try {
        set({ configs: await getClient().listModelConfigs({}), configsError: null });
      } catch (err) {
        set({ configsError: toErrorData(err) });
      }
    },

    async refreshRuntime() {
      const isLatest = runtimeAnswer.start();
      set({ runtimeBusy: true });
      try {
        const runtime = await getClient().runtimeInfo({});
        if (!isLatest()) return;
        set({ runtime, runtimeError: null });
      } catch (err) {
        if (!isLatest()) return;
        set({ runtimeError: toErrorData(err) });
      } finally {
        if (isLatest()) set({ runtimeBusy: false });
      }
    },

    select(id) {
      set({ cursor: id });
    },

    setLoadForm(patch) {
      set((s) => {
        const loadForm = { ...s.loadForm, ...patch };
        // Errors show while the field is wrong and go away as soon as it is right.
        const errors = checkLoadSettings(loadForm).errors;
        const loadFormErrors: LoadSettingsErrors = {};
        for (const key of Object.keys(s.loadFormErrors) as (keyof LoadSettingsForm)[]) if (errors[key]) loadFormErrors[key] = errors[key];
        return { loadForm, loadFormErrors };
      });
    },

    async add(paths) {
      const result = await toolbar('add', () => getClient().addModels({ paths }));
      if (!result) return false;
      set({ outcome: { kind: 'add', paths, result } });
      const first = result.added[0] ?? result.updated[0];
      if (first) set({ cursor: first.id });
      await get().refreshList();
      return true;
    },

    async rescan(refresh) {
      const result = await toolbar('rescan', () => getClient().rescanModels({ refresh }));
      if (!result) return;
      set({ outcome: { kind: 'rescan', result } });
      await get().refreshList();
    },

    async pull(uri) {
      const pullId = newImportId();
      set({ pullState: { pullId, progress: null, cancelling: false } });
      const result = await toolbar('pull', () => getClient().pullModel({ uri, pullId }));
      set({ pullState: null });
      if (!result) return false;
      set({ outcome: { kind: 'pull', result }, cursor: result.record.id });
      await get().refreshList();
      return true;
    },

    async cancelPull() {
      const state = get().pullState;
      if (!state || state.cancelling) return;
      set({ pullState: { ...state, cancelling: true } });
      await getClient().cancelPull({ pullId: state.pullId });
    },

    async rename(id, name) {
      const record = allRecords(get().list).find((r) => r.id === id);
      if (!record || record.name === name.trim() || name.trim() === '') return;
      setRowBusy(id, 'rename');
      setRowError(id, undefined);
      try {
        await getClient().renameModel({ id, name: name.trim() });
        await Promise.all([get().refreshList(), get().refreshConfigs()]);
      } catch (err) {
        setRowError(id, toErrorData(err));
      } finally {
        setRowBusy(id, undefined);
      }
    },

    async remove(id) {
      setRowBusy(id, 'remove');
      setRowError(id, undefined);
      try {
        await getClient().removeModel({ id });
        await Promise.all([get().refreshList(), get().refreshConfigs()]);
      } catch (err) {
        setRowError(id, toErrorData(err));
      } finally {
        setRowBusy(id, undefined);
      }
    },

    async setAdapterBase(adapterId, baseModelId) {
      setRowBusy(adapterId, 'base');
      setRowError(adapterId, undefined);
      try {
        await getClient().setAdapterBase({ adapterId, baseModelId });
        await get().refreshList();
      } catch (err) {
        setRowError(adapterId, toErrorData(err));
      } finally {
        setRowBusy(adapterId, undefined);
      }
    },

    async loadModel(record) {
      const { value, errors } = checkLoadSettings(get().loadForm);
      if (!value) {
        set({ loadFormErrors: errors });
        return;
      }
      if (get().loads[record.path]?.status === 'loading') return;
      const loadId = newImportId();
      set((s) => ({
        loadFormErrors: {},
        loads: { ...s.loads, [record.path]: { loadId, path: record.path, progress: 0, status: 'loading', error: null, loadMs: null } },
      }));
      try {
        const loaded = await getClient().loadModel({
          path: record.path,
          loadId,
          gpuLayers: value.gpuLayers,
          ...(value.threads !== undefined ? { threads: value.threads } : {}),
          ...(value.mmap !== undefined ? { mmap: value.mmap } : {}),
        });
        if (get().loads[record.path]?.loadId === loadId) patchLoad(record.path, { status: 'done', progress: 1, loadMs: loaded.loadMs });
      } catch (err) {
        const error = toErrorData(err);
        const current = get().loads[record.path];
        if (current?.loadId === loadId)
          patchLoad(record.path, { status: current.status === 'cancelled' || /cancelled/.test(error.message) ? 'cancelled' : 'failed', error });
      }
      await get().refreshRuntime();
    },

    async cancelLoad(path) {
      const current = get().loads[path];
      if (!current || current.status !== 'loading') return;
      patchLoad(path, { status: 'cancelled' });
      try {
        await getClient().cancelLoad({ loadId: current.loadId });
      } catch (err) {
        patchLoad(path, { error: toErrorData(err) });
      }
    },

    async unload(path) {
      set((s) => ({ unloading: { ...s.unloading, [path]: true }, unloadErrors: { ...s.unloadErrors, [path]: undefined } }));
      try {
        await getClient().unloadModel({ path });
        // The last load's bar no longer describes what is in memory.
        set((s) => ({ loads: { ...s.loads, [path]: undefined } }));
      } catch (err) {
        set((s) => ({ unloadErrors: { ...s.unloadErrors, [path]: toErrorData(err) } }));
      } finally {
        set((s) => ({ unloading: { ...s.unloading, [path]: undefined } }));
      }
      await get().refreshRuntime();
    },

    async removeConfig(id) {
      const removed = get().configs?.find((c) => c.id === id) ?? null;
      try {
        await getClient().removeModelConfig({ id });
        set({ removedConfig: removed });
        await get().refreshConfigs();
        return true;
      } catch (err) {
        set({ configsError: toErrorData(err) });
        return false;
      }
    },

    async undoRemoveConfig() {
      const c = get().removedConfig;
      if (!c || get().undoingRemove) return null;
      set({ undoingRemove: true });
      try {
        const saved = await getClient().saveModelConfig({
          name: c.name,
          modelId: c.modelId,
          adapters: c.adapters.map((a) => ({ adapterId: a.adapterId, scale: a.scale })),
          settings: c.settings,
        });
        set({ removedConfig: null });
        await get().refreshConfigs();
        return saved;
      } catch (err) {
        // The model or adapter may have been removed meanwhile, or the name taken: say so where the list is.
        set({ configsError: toErrorData(err) });
        return null;
      } finally {
        set({ undoingRemove: false });
      }
    },

    dismissRemovedConfig() {
      set({ removedConfig: null });
    },

    dismissRowError(id) {
      setRowError(id, undefined);
    },

    listen() {
      const offLoad = getClient().on('modelLoadProgress', (p) => {
        const current = get().loads[p.path];
        if (!current || current.loadId !== p.loadId || current.status !== 'loading') return;
        // The final event of a failed load also says done; the call's answer decides how it ended.
        patchLoad(p.path, { progress: Math.max(current.progress, Math.min(1, p.progress)) });
      });
      const offPull = getClient().on('pullProgress', (p) => {
        const state = get().pullState;
        if (state?.pullId === p.pullId) set({ pullState: { ...state, progress: p } });
      });
      return () => {
        offLoad();
        offPull();
      };
    },
  };
});

/** Models in display order, each followed by the adapters applied to it; then adapters with no base. */
export function orderedRecords(list: ModelList | null): { record: ModelRecord; nested: boolean }[] {
  if (!list) return [];
  const rows: { record: ModelRecord; nested: boolean }[] = [];
  const placed = new Set<number>();
  for (const m of list.models) {
    rows.push({ record: m, nested: false });
    for (const a of list.adapters) {
      if (a.base?.modelId === m.id) {
        rows.push({ record: a, nested: true });
        placed.add(a.id);
      }
    }
  }
  for (const a of list.adapters) if (!placed.has(a.id)) rows.push({ record: a, nested: false });
  return rows;
}
