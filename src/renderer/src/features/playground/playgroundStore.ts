/**
 * The Playground: the prompt form, turning it into a `generate` request (with the runtime panel's load
 * settings), the streamed answer, stopping it, and saving the form's model setup as a configuration.
 */
import { create } from 'zustand';
import type { CallInput } from '../../../../shared/contract';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import type { TruncationPolicy } from '../../../../shared/models';
import type { GenerateOutput, ModelConfig } from '../../../../shared/models';
import { getClient } from '../../client/current';
import { checkLoadSettings, loadSettingsRequest, parseOptionalInt } from '../../lib/loadSettings';
import { chatTemplateSetting } from '../../lib/promptChoices';
import { newImportId } from '../../lib/newId';
import { useModels } from '../models/modelsStore';
import { fieldErrors } from '../../ui/fieldErrors';

/** Which model the playground runs: a library model, a saved configuration, or a file path. */
export type ModelChoice = { kind: 'model'; id: number } | { kind: 'config'; id: number } | { kind: 'path' } | null;

export interface PlaygroundForm {
  choice: ModelChoice;
  path: string;
  /** Library adapters to apply (not with a configuration, which brings its own), with their scales as typed. */
  adapters: Record<number, { on: boolean; scale: string }>;
  /** Through the model's chat template (system + user messages), or the user text as a raw prompt. */
  chat: boolean;
  system: string;
  /** '' the model's own template, a built-in template's name, or 'jinja' for `chatTemplateJinja`. */
  chatTemplate: string;
  chatTemplateJinja: string;
  prompt: string;
  maxTokens: string;
  temperature: string;
  topP: string;
  topK: string;
  seed: string;
  contextSize: string;
  /** A prompt longer than the context less max tokens: an error, or cut by this policy. */
  truncate: TruncationPolicy;
  /** Stop strings, one per line (the matched text is left out of the output). */
  stop: string;
}

export type PlaygroundField =
  'model' | 'adapters' | 'chatTemplate' | 'stop' | 'prompt' | 'maxTokens' | 'temperature' | 'topP' | 'topK' | 'seed' | 'contextSize' | 'configName';
export type PlaygroundErrors = Partial<Record<PlaygroundField, string>>;

/** The form field showing an input path of `generate` or `saveModelConfig` (the engine's issues land there). */
export function playgroundField(path: string): PlaygroundField | null {
  const p = path.replace(/^settings\./, '').replace(/^decoding\./, '');
  if (p === 'name') return 'configName';
  if (p === 'model' || p === 'modelId' || p === 'configId' || p === 'path') return 'model';
  if (p.startsWith('adapters')) return 'adapters';
  if (p === 'messages' || p.startsWith('messages.')) return 'prompt';
  const own: readonly PlaygroundField[] = ['chatTemplate', 'stop', 'prompt', 'maxTokens', 'temperature', 'topP', 'topK', 'seed', 'contextSize'];
  const f = own.find((k) => p === k || p.startsWith(`${k}.`));
  // Load settings without a field here (GPU layers, threads, batch) are set in the runtime panel.
  return f ?? (/^(gpuLayers|threads|batchSize|flashAttention)/.test(p) ? 'model' : null);
}

interface PlaygroundState {
  form: PlaygroundForm;
  errors: PlaygroundErrors;
  /** The generation in flight, if any. */
  requestId: string | null;
  stopping: boolean;
  /** Streamed text of the current (or last) generation. */
  output: string;
  result: GenerateOutput | null;
  error: ApiErrorData | null;
  configName: string;
  saving: boolean;
  saveError: ApiErrorData | null;
  saved: ModelConfig | null;

  set<K extends keyof PlaygroundForm>(key: K, value: PlaygroundForm[K]): void;
  toggleAdapter(id: number, on: boolean): void;
  setScale(id: number, scale: string): void;
  setConfigName(name: string): void;
  generate(): Promise<void>;
  stop(): Promise<void>;
  saveConfig(): Promise<void>;
  listen(): () => void;
}

const INITIAL: PlaygroundForm = {
  choice: null,
  path: '',
  adapters: {},
  chat: true,
  system: '',
  chatTemplate: '',
  chatTemplateJinja: '',
  prompt: '',
  maxTokens: '256',
  temperature: '0',
  topP: '',
  topK: '',
  seed: '',
  contextSize: '',
  truncate: 'error',
  stop: '',
};

function parseNumber(text: string, min: number, max: number): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

type Request = CallInput<'generate'>;

/** The generate request for a form, or the fields that are wrong. */
export function toRequest(form: PlaygroundForm): { request: Omit<Request, 'requestId'> | null; errors: PlaygroundErrors } {
  const errors: PlaygroundErrors = {};
  const request: Omit<Request, 'requestId'> = {};
  const choice = form.choice;
  if (!choice) errors.model = 'choose a model, a configuration or a file';
  else if (choice.kind === 'model') request.model = choice.id;
  else if (choice.kind === 'config') request.configId = choice.id;
  else if (form.path.trim() === '') errors.model = 'type the path of a .gguf file';
  else request.model = form.path.trim();

  if (choice?.kind !== 'config') {
    const adapters: NonNullable<Request['adapters']> = [];
    for (const [id, a] of Object.entries(form.adapters)) {
      if (!a.on) continue;
      const scale = parseNumber(a.scale, -100, 100);
      if (scale === null) errors.adapters = 'each scale is a number from -100 to 100';
      else adapters.push({ adapterId: Number(id), scale: scale ?? 1 });
    }
    if (adapters.length > 0) request.adapters = adapters;
    // The runtime panel's settings, so the playground uses the model the Load button loaded.
    const load = checkLoadSettings(useModels.getState().loadForm).value;
    if (!load) errors.model = 'the load settings in the runtime panel are not valid';
    const settings: NonNullable<Request['settings']> = load ? loadSettingsRequest(load) : {};
    const chatTemplate = form.chat ? chatTemplateSetting(form.chatTemplate, form.chatTemplateJinja) : undefined;
    if (chatTemplate === null) errors.chatTemplate = 'a Jinja template, with {{ }} or {% %} tags';
    else if (chatTemplate !== undefined) settings.chatTemplate = chatTemplate;
    const contextSize = parseOptionalInt(form.contextSize, 16, 4_194_304);
    if (contextSize === null) errors.contextSize = 'empty (the default) or 16 or more';
    else if (contextSize !== undefined) settings.contextSize = contextSize;
    if (Object.keys(settings).length > 0) request.settings = settings;
  }

  if (form.prompt.trim() === '') errors.prompt = 'type a prompt';
  else if (form.chat) {
    request.messages = [...(form.system.trim() ? [{ role: 'system' as const, content: form.system }] : []), { role: 'user' as const, content: form.prompt }];
  } else {
    request.prompt = form.prompt;
  }

  const maxTokens = parseOptionalInt(form.maxTokens, 1, 131_072);
  if (maxTokens === null || maxTokens === undefined) errors.maxTokens = '1 to 131072';
  else request.maxTokens = maxTokens;
  const temperature = parseNumber(form.temperature, 0, 10);
  if (temperature === null) errors.temperature = '0 to 10';
  else if (temperature !== undefined) request.temperature = temperature;
  const topP = parseNumber(form.topP, 0, 1);
  if (topP === null) errors.topP = '0 to 1';
  else if (topP !== undefined) request.topP = topP;
  const topK = parseOptionalInt(form.topK, 0, 1_000_000);
  if (topK === null) errors.topK = 'a whole number, 0 or more';
  else if (topK !== undefined) request.topK = topK;
  const seed = parseOptionalInt(form.seed, 0, Number.MAX_SAFE_INTEGER);
  if (seed === null) errors.seed = 'a whole number, 0 or more';
  else if (seed !== undefined) request.seed = seed;
  if (form.truncate !== 'error') request.truncate = form.truncate;
  const stops = form.stop.split('\n').filter((s) => s !== '');
  if (stops.length > 16) errors.stop = 'at most 16 stop strings';
  else if (stops.length > 0) request.stop = stops;

  return { request: Object.keys(errors).length > 0 ? null : request, errors };
}

export const usePlayground = create<PlaygroundState>()((set, get) => ({
  form: INITIAL,
  errors: {},
  requestId: null,
  stopping: false,
  output: '',
  result: null,
  error: null,
  configName: '',
  saving: false,
  saveError: null,
  saved: null,

  set(key, value) {
    set((s) => {
      const errors = { ...s.errors };
      // The field changed, so what was said about it no longer holds.
      if (key === 'choice' || key === 'path') delete errors.model;
      else delete errors[key as PlaygroundField];
      return { form: { ...s.form, [key]: value }, errors };
    });
  },

  toggleAdapter(id, on) {
    set((s) => {
      const errors = { ...s.errors };
      delete errors.adapters;
      return { form: { ...s.form, adapters: { ...s.form.adapters, [id]: { on, scale: s.form.adapters[id]?.scale ?? '1' } } }, errors };
    });
  },

  setScale(id, scale) {
    set((s) => {
      const errors = { ...s.errors };
      delete errors.adapters;
      return { form: { ...s.form, adapters: { ...s.form.adapters, [id]: { on: s.form.adapters[id]?.on ?? true, scale } } }, errors };
    });
  },

  setConfigName(name) {
    set((s) => {
      const errors = { ...s.errors };
      delete errors.configName;
      return { configName: name, errors, saveError: null };
    });
  },

  async generate() {
    if (get().requestId) return;
    const { request, errors } = toRequest(get().form);
    set({ errors });
    const load = checkLoadSettings(useModels.getState().loadForm);
    if (!load.value) useModels.setState({ loadFormErrors: load.errors }); // shown where they are typed
    if (!request) return;
    const requestId = newImportId();
    set({ requestId, stopping: false, output: '', result: null, error: null });
    try {
      const result = await getClient().generate({ ...request, requestId });
      // The answer's text is the whole output; late token events for this request are ignored.
      set({ result, output: result.text });
    } catch (err) {
      const error = toErrorData(err);
      set((st) => ({ error, errors: { ...st.errors, ...fieldErrors(error, playgroundField).fields } }));
    } finally {
      set({ requestId: null, stopping: false });
    }
    // Generating loads the model if it was not loaded.
    void useModels.getState().refreshRuntime();
  },

  async stop() {
    const requestId = get().requestId;
    if (!requestId || get().stopping) return;
    set({ stopping: true });
    try {
      await getClient().cancelGenerate({ requestId });
    } catch (err) {
      set({ error: toErrorData(err), stopping: false });
    }
  },

  async saveConfig() {
    const { form, configName } = get();
    const choice = form.choice;
    const errors: PlaygroundErrors = {};
    if (configName.trim() === '') errors.configName = 'name the configuration';
    if (choice?.kind !== 'model') errors.configName = 'a configuration starts from a library model: choose one above';
    const { request, errors: formErrors } = toRequest({ ...form, prompt: form.prompt || ' ' });
    if (formErrors.adapters) errors.adapters = formErrors.adapters;
    if (formErrors.contextSize) errors.contextSize = formErrors.contextSize;
    if (formErrors.chatTemplate) errors.chatTemplate = formErrors.chatTemplate;
    if (Object.keys(errors).length > 0 || !request || choice?.kind !== 'model') {
      set((s) => ({ errors: { ...s.errors, ...errors } }));
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
    return getClient().on('generateToken', (t) => {
      if (t.requestId !== get().requestId || get().result) return;
      set((s) => ({ output: s.output + t.text }));
    });
  },
}));
