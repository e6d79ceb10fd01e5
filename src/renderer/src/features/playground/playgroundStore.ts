/**
 * The Playground: the prompt form with 1–4 model columns, a benchmark item it was opened with,
 * running every column on the same prompt (one after another), each column's streamed answer,
 * figures, load progress, cancel and error, the history of generations, and saving a column's
 * model setup as a configuration.
 */
import { create } from 'zustand';
import type { Item } from '../../../../shared/domain';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { GenerateOutput, ModelConfig } from '../../../../shared/models';
import { getClient } from '../../client/current';
import { checkLoadSettings } from '../../lib/loadSettings';
import { newImportId } from '../../lib/newId';
import { useModels } from '../models/modelsStore';
import { fieldErrors } from '../../ui/fieldErrors';
import { loadHistory, saveHistory, type HistoryColumn, type HistoryEntry } from './playgroundHistory';
import { defaultStrategy, promptFields, type PlaygroundItem, type RenderedPrompt, type Strategy } from './playgroundItem';
import {
  COLUMN_FIELDS,
  INITIAL_FORM,
  MAX_COLUMNS,
  newColumn,
  playgroundField,
  toRequest,
  type ColumnSetup,
  type GenerateRequest,
  type ModelChoice,
  type PlaygroundErrors,
  type PlaygroundField,
  type PlaygroundForm,
} from './playgroundRequest';

export { playgroundField, toRequest, MAX_COLUMNS } from './playgroundRequest';
export type { ColumnSetup, ModelChoice, PlaygroundErrors, PlaygroundField, PlaygroundForm, Turn } from './playgroundRequest';

/**
 * Where a column's generation stands. `waiting`: queued behind the columns before it (the columns run
 * one after another, so each model has the machine to itself and its figures are its own);
 * `starting`: sent, the model being found; `loading`: the model is loading (with progress).
 */
export type ColumnStatus = 'idle' | 'waiting' | 'starting' | 'loading' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ColumnRun {
  status: ColumnStatus;
  requestId: string | null;
  /** 0..1 while the model loads. */
  loadProgress: number | null;
  stopping: boolean;
  /** Streamed text of the current (or last) generation. */
  output: string;
  result: GenerateOutput | null;
  error: ApiErrorData | null;
  /** The history entry this column's text was re-opened from, if it was. */
  fromHistory: string | null;
}

const IDLE: ColumnRun = { status: 'idle', requestId: null, loadProgress: null, stopping: false, output: '', result: null, error: null, fromHistory: null };

export function isActive(status: ColumnStatus): boolean {
  return status === 'waiting' || status === 'starting' || status === 'loading' || status === 'running';
}

interface PlaygroundState {
  form: PlaygroundForm;
  /** Errors of the shared fields (prompt, decoding, template). */
  errors: PlaygroundErrors;
  /** Errors of each column's own fields (model, adapters), by column key. */
  columnErrors: Record<string, PlaygroundErrors>;
  runs: Record<string, ColumnRun>;
  /** True from Generate until every column has finished. */
  generating: boolean;
  item: PlaygroundItem | null;
  rendering: boolean;
  renderError: ApiErrorData | null;
  history: HistoryEntry[];
  /** The history entry shown in the columns, if one was re-opened. */
  openedHistory: string | null;
  configName: string;
  /** Which column "Save as configuration" saves. */
  configColumn: string;
  saving: boolean;
  saveError: ApiErrorData | null;
  saved: ModelConfig | null;

  set<K extends Exclude<keyof PlaygroundForm, 'columns'>>(key: K, value: PlaygroundForm[K]): void;
  setChoice(column: string, choice: ModelChoice): void;
  setPath(column: string, path: string): void;
  toggleAdapter(column: string, id: number, on: boolean): void;
  setScale(column: string, id: number, scale: string): void;
  addColumn(choice?: ModelChoice): void;
  removeColumn(column: string): void;
  setTurn(index: number, content: string): void;
  removeTurn(index: number): void;
  generate(): Promise<void>;
  /** Cancel one column: a waiting one is taken out of the queue, a running one stopped where it is. */
  cancel(column: string): Promise<void>;
  cancelAll(): Promise<void>;
  openItem(item: Item): Promise<void>;
  openPrompt(item: Omit<PlaygroundItem, 'ref' | 'strategy' | 'shots' | 'templateHash'>, prompt: RenderedPrompt): void;
  setItemStrategy(strategy: Strategy): Promise<void>;
  setItemShots(shots: string): Promise<void>;
  rerender(): Promise<void>;
  clearItem(): void;
  reopen(id: string): void;
  removeHistory(id: string): void;
  clearHistory(): void;
  setConfigName(name: string): void;
  setConfigColumn(column: string): void;
  saveConfig(): Promise<void>;
  listen(): () => void;
}

let columnSeq = 1;
const nextColumnKey = () => `c${++columnSeq}`;

/** A label for a column's model (the library's name, the configuration's, or the file's). */
export function columnLabel(setup: ColumnSetup): string {
  const { list, configs } = useModels.getState();
  const c = setup.choice;
  if (!c) return 'no model';
  if (c.kind === 'model') return list?.models.find((m) => m.id === c.id)?.name ?? `model ${c.id}`;
  if (c.kind === 'config') return configs?.find((x) => x.id === c.id)?.name ?? `configuration ${c.id}`;
  return setup.path.trim().split(/[\\/]/).pop() || 'a .gguf file';
}

export const usePlayground = create<PlaygroundState>()((set, get) => {
  const patchColumn = (key: string, patch: Partial<ColumnSetup>) =>
    set((s) => {
      const columnErrors = { ...s.columnErrors };
      delete columnErrors[key];
      return { form: { ...s.form, columns: s.form.columns.map((c) => (c.key === key ? { ...c, ...patch } : c)) }, columnErrors };
    });
  const patchRun = (key: string, patch: Partial<ColumnRun>) => set((s) => ({ runs: { ...s.runs, [key]: { ...(s.runs[key] ?? IDLE), ...patch } } }));
  const keyOfRequest = (requestId: string) => Object.keys(get().runs).find((k) => get().runs[k]?.requestId === requestId);

  /** One column's generation; resolves when it has finished, however it ended. */
  async function runColumn(key: string, request: GenerateRequest): Promise<void> {
    const requestId = newImportId();
    patchRun(key, { status: 'starting', requestId, loadProgress: null, stopping: false, output: '', result: null, error: null });
    try {
      const result = await getClient().generate({ ...request, requestId });
      // The answer's text is the whole output; late token events for this request are ignored.
      patchRun(key, { status: 'done', result, output: result.text, loadProgress: null });
    } catch (err) {
      const error = toErrorData(err);
      const cancelled = get().runs[key]?.stopping === true && /cancelled/.test(error.message);
      patchRun(key, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : error, loadProgress: null });
      if (!cancelled) {
        const fields = fieldErrors(error, playgroundField).fields;
        const own: PlaygroundErrors = {};
        const shared: PlaygroundErrors = {};
        for (const [f, m] of Object.entries(fields) as [PlaygroundField, string][]) (COLUMN_FIELDS.includes(f) ? own : shared)[f] = m;
        set((s) => ({ errors: { ...s.errors, ...shared }, columnErrors: { ...s.columnErrors, [key]: { ...s.columnErrors[key], ...own } } }));
      }
    } finally {
      patchRun(key, { requestId: null, stopping: false });
    }
  }

  async function render(item: PlaygroundItem): Promise<void> {
    const ref = item.ref;
    if (!ref) return;
    const shots = item.shots.trim();
    const k = shots === '' ? undefined : /^\d+$/.test(shots) && Number(shots) <= 64 ? Number(shots) : null;
    if (k === null) {
      set({ renderError: { code: 'invalid_input', message: 'shots: empty (the strategy’s default) or a whole number from 0 to 64' } });
      return;
    }
    set({ rendering: true, renderError: null });
    try {
      const preview = await getClient().previewPrompt({
        template: { strategy: item.strategy, ...(k !== undefined ? { k } : {}) },
        taskId: ref.taskId,
        config: ref.config,
        split: ref.split,
        index: ref.index,
      });
      if (get().item !== item) return; // another item (or strategy) was chosen meanwhile
      set((s) => ({ form: { ...s.form, ...promptFields(preview.prompt) }, item: { ...item, templateHash: preview.templateHash }, errors: {} }));
    } catch (err) {
      if (get().item === item) set({ renderError: toErrorData(err) });
    } finally {
      if (get().item === item || get().item?.ref === item.ref) set({ rendering: false });
    }
  }

  return {
    form: INITIAL_FORM,
    errors: {},
    columnErrors: {},
    runs: {},
    generating: false,
    item: null,
    rendering: false,
    renderError: null,
    history: loadHistory(),
    openedHistory: null,
    configName: '',
    configColumn: INITIAL_FORM.columns[0]!.key,
    saving: false,
    saveError: null,
    saved: null,

    set(key, value) {
      set((s) => {
        const errors = { ...s.errors };
        // The field changed, so what was said about it no longer holds.
        delete errors[key as PlaygroundField];
        return { form: { ...s.form, [key]: value }, errors };
      });
    },

    setChoice(column, choice) {
      patchColumn(column, { choice });
    },
    setPath(column, path) {
      patchColumn(column, { path });
    },
    toggleAdapter(column, id, on) {
      const c = get().form.columns.find((x) => x.key === column);
      if (c) patchColumn(column, { adapters: { ...c.adapters, [id]: { on, scale: c.adapters[id]?.scale ?? '1' } } });
    },
    setScale(column, id, scale) {
      const c = get().form.columns.find((x) => x.key === column);
      if (c) patchColumn(column, { adapters: { ...c.adapters, [id]: { on: c.adapters[id]?.on ?? true, scale } } });
    },

    addColumn(choice = null) {
      if (get().form.columns.length >= MAX_COLUMNS) return;
      set((s) => ({ form: { ...s.form, columns: [...s.form.columns, newColumn(nextColumnKey(), choice)] } }));
    },
    removeColumn(column) {
      const { form, runs } = get();
      if (form.columns.length <= 1 || (runs[column] && isActive(runs[column].status))) return;
      set((s) => {
        const rest = { ...s.runs };
        delete rest[column];
        const columns = s.form.columns.filter((c) => c.key !== column);
        return { form: { ...s.form, columns }, runs: rest, configColumn: s.configColumn === column ? columns[0]!.key : s.configColumn };
      });
    },

    setTurn(index, content) {
      set((s) => ({ form: { ...s.form, turns: s.form.turns.map((t, i) => (i === index ? { ...t, content } : t)) } }));
    },
    removeTurn(index) {
      set((s) => ({ form: { ...s.form, turns: s.form.turns.filter((_, i) => i !== index) } }));
    },

    async generate() {
      if (get().generating) return;
      const { form } = get();
      const load = checkLoadSettings(useModels.getState().loadForm);
      if (!load.value) useModels.setState({ loadFormErrors: load.errors }); // shown where they are typed
      const errors: PlaygroundErrors = {};
      const columnErrors: Record<string, PlaygroundErrors> = {};
      const requests: { key: string; request: GenerateRequest }[] = [];
      for (const column of form.columns) {
        const r = toRequest(form, column, load.value);
        for (const [f, m] of Object.entries(r.errors) as [PlaygroundField, string][]) {
          if (COLUMN_FIELDS.includes(f)) columnErrors[column.key] = { ...columnErrors[column.key], [f]: m };
          else errors[f] = m;
        }
        if (r.request) requests.push({ key: column.key, request: r.request });
      }
      set({ errors, columnErrors });
      // Nothing runs while a field is wrong: a half-run comparison would be read as a whole one.
      if (requests.length !== form.columns.length) return;
      const at = Date.now();
      set((s) => ({
        generating: true,
        openedHistory: null,
        runs: Object.fromEntries(form.columns.map((c) => [c.key, { ...IDLE, status: 'waiting' as const, stopping: false, requestId: null, error: null }])),
        saved: s.saved,
      }));
      try {
        // One after another: two models generating at once share the CPU (or GPU), and each column's
        // tokens/s and time to first token would measure the other column as much as its own model.
        for (const { key, request } of requests) {
          if (get().runs[key]?.status !== 'waiting') continue; // cancelled while it waited
          await runColumn(key, request);
        }
      } finally {
        set({ generating: false });
      }
      const { runs, item } = get();
      const columns: HistoryColumn[] = form.columns.map((c) => {
        const r = runs[c.key] ?? IDLE;
        return {
          setup: c,
          label: columnLabel(c),
          outcome: r.status === 'done' ? 'done' : r.status === 'failed' ? 'failed' : 'cancelled',
          output: r.output,
          result: r.result,
          error: r.error?.message ?? null,
        };
      });
      const entry: HistoryEntry = { id: newImportId(), at, form, item, columns };
      set((s) => ({ history: saveHistory([entry, ...s.history]) }));
      // Generating loads models that were not loaded.
      void useModels.getState().refreshRuntime();
    },

    async cancel(column) {
      const run = get().runs[column];
      if (!run) return;
      if (run.status === 'waiting') {
        patchRun(column, { status: 'cancelled' });
        return;
      }
      if (!run.requestId || run.stopping || !isActive(run.status)) return;
      patchRun(column, { stopping: true });
      const requestId = run.requestId;
      try {
        // A request the engine has not registered yet (still resolving its model) is not found:
        // ask again until it is, or until it has ended on its own.
        for (let tries = 0; tries < 50; tries++) {
          if (await getClient().cancelGenerate({ requestId })) return;
          if (get().runs[column]?.requestId !== requestId) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch (err) {
        patchRun(column, { error: toErrorData(err), stopping: false });
      }
    },

    async cancelAll() {
      // The waiting ones first, so the queue does not start the next while the running one stops.
      const keys = Object.keys(get().runs);
      for (const k of keys) if (get().runs[k]?.status === 'waiting') patchRun(k, { status: 'cancelled' });
      await Promise.all(keys.map((k) => get().cancel(k)));
    },

    async openItem(item) {
      const strategy = defaultStrategy(item.benchmark);
      const next: PlaygroundItem = {
        label: `${item.benchmark} / ${item.task} · ${item.config} · ${item.split} · #${item.index}`,
        source: 'the library',
        gold: item.outputs.length > 0 ? item.outputs : [item.output],
        ref: { itemId: item.id, taskId: item.taskId, config: item.config, split: item.split, index: item.index },
        strategy,
        shots: '',
        templateHash: null,
      };
      set({ item: next, renderError: null, openedHistory: null });
      await render(next);
    },

    openPrompt(item, prompt) {
      set((s) => ({
        item: { ...item, ref: null, strategy: 'medinst32', shots: '', templateHash: null },
        renderError: null,
        rendering: false,
        openedHistory: null,
        form: { ...s.form, ...promptFields(prompt) },
        errors: {},
      }));
    },

    async setItemStrategy(strategy) {
      const item = get().item;
      if (!item?.ref) return;
      const next = { ...item, strategy };
      set({ item: next });
      await render(next);
    },
    async setItemShots(shots) {
      const item = get().item;
      if (!item?.ref) return;
      const next = { ...item, shots };
      set({ item: next });
      await render(next);
    },
    async rerender() {
      const item = get().item;
      if (item) await render(item);
    },
    clearItem() {
      set({ item: null, renderError: null, rendering: false });
    },

    reopen(id) {
      const entry = get().history.find((e) => e.id === id);
      if (!entry || get().generating) return;
      set({
        form: entry.form,
        item: entry.item,
        errors: {},
        columnErrors: {},
        openedHistory: id,
        configColumn: entry.form.columns[0]?.key ?? get().configColumn,
        runs: Object.fromEntries(
          entry.columns.map((c) => [
            c.setup.key,
            {
              ...IDLE,
              status: c.outcome,
              output: c.output,
              result: c.result,
              error: c.error !== null ? { code: 'internal', message: c.error } : null,
              fromHistory: id,
            } satisfies ColumnRun,
          ]),
        ),
      });
      // Columns added after this one keep keys of their own.
      for (const c of entry.form.columns) {
        const n = Number(/^c(\d+)$/.exec(c.key)?.[1] ?? 0);
        if (n > columnSeq) columnSeq = n;
      }
    },
    removeHistory(id) {
      set((s) => ({ history: saveHistory(s.history.filter((e) => e.id !== id)), openedHistory: s.openedHistory === id ? null : s.openedHistory }));
    },
    clearHistory() {
      set({ history: saveHistory([]), openedHistory: null });
    },

    setConfigName(name) {
      set((s) => {
        const errors = { ...s.errors };
        delete errors.configName;
        return { configName: name, errors, saveError: null };
      });
    },
    setConfigColumn(column) {
      set({ configColumn: column });
    },

    async saveConfig() {
      const { form, configName, configColumn } = get();
      const column = form.columns.find((c) => c.key === configColumn) ?? form.columns[0]!;
      const choice = column.choice;
      const errors: PlaygroundErrors = {};
      if (configName.trim() === '') errors.configName = 'name the configuration';
      if (choice?.kind !== 'model') errors.configName = 'a configuration starts from a library model: choose one in the column';
      const load = checkLoadSettings(useModels.getState().loadForm).value;
      const { request, errors: formErrors } = toRequest({ ...form, prompt: form.prompt || ' ' }, column, load);
      if (formErrors.chatTemplate) errors.chatTemplate = formErrors.chatTemplate;
      if (formErrors.contextSize) errors.contextSize = formErrors.contextSize;
      const own: PlaygroundErrors = formErrors.adapters ? { adapters: formErrors.adapters } : {};
      if (Object.keys(errors).length > 0 || Object.keys(own).length > 0 || !request || choice?.kind !== 'model') {
        set((s) => ({ errors: { ...s.errors, ...errors }, columnErrors: { ...s.columnErrors, [column.key]: { ...s.columnErrors[column.key], ...own } } }));
        return;
      }
      set({ saving: true, saveError: null, saved: null });
      try {
        const saved = await getClient().saveModelConfig({
          name: configName.trim(),
          modelId: choice.id,
          adapters: (request.adapters ?? []).map((a) => ({ adapterId: a.adapterId ?? 0, scale: a.scale ?? 1 })),
          settings: request.settings ?? {},
        });
        set({ saved, configName: '' });
        await useModels.getState().refreshConfigs();
      } catch (err) {
        const saveError = toErrorData(err);
        set((st) => ({ saveError, errors: { ...st.errors, ...fieldErrors(saveError, playgroundField).fields } }));
      } finally {
        set({ saving: false });
      }
    },

    listen() {
      const offToken = getClient().on('generateToken', (t) => {
        const key = keyOfRequest(t.requestId);
        const run = key ? get().runs[key] : undefined;
        if (!key || !run || run.result) return;
        patchRun(key, { output: run.output + t.text, status: 'running', loadProgress: null });
      });
      const offLoad = getClient().on('modelLoadProgress', (p) => {
        const key = keyOfRequest(p.loadId);
        const run = key ? get().runs[key] : undefined;
        if (!key || !run || (run.status !== 'starting' && run.status !== 'loading')) return;
        // A model already loaded reports done at once: the column goes straight on to generating.
        if (p.done) patchRun(key, { status: 'running', loadProgress: null });
        else patchRun(key, { status: 'loading', loadProgress: Math.max(run.loadProgress ?? 0, Math.min(1, p.progress)) });
      });
      return () => {
        offToken();
        offLoad();
      };
    },
  };
});
