/**
 * The Playground's form as text fields, one model setup per column, and how a form plus one column
 * becomes a `generate` request (or the fields that are wrong). Pure: the store and the tests use it.
 */
import type { CallInput } from '../../../../shared/contract';
import type { TruncationPolicy } from '../../../../shared/models';
import { loadSettingsRequest, parseOptionalInt, type ParsedLoadSettings } from '../../lib/loadSettings';
import { chatTemplateSetting } from '../../lib/promptChoices';

/** Which model a column runs: a library model, a saved configuration, or a file path. */
export type ModelChoice = { kind: 'model'; id: number } | { kind: 'config'; id: number } | { kind: 'path' } | null;

/** One column's model: what runs there, and (not with a configuration, which brings its own) the adapters. */
export interface ColumnSetup {
  /** Stable across edits and reorderings (React key, request routing). */
  key: string;
  choice: ModelChoice;
  path: string;
  /** Library adapters to apply, with their scales as typed. */
  adapters: Record<number, { on: boolean; scale: string }>;
}

/** A few-shot turn before the prompt (from a benchmark item's rendered prompt), editable. */
export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export const MAX_COLUMNS = 4;

export interface PlaygroundForm {
  /** 1 to MAX_COLUMNS model setups; every Generate runs each on the same prompt. */
  columns: ColumnSetup[];
  /** Through the model's chat template (system + turns + user message), or the user text as a raw prompt. */
  chat: boolean;
  system: string;
  /** Turns between the system message and the prompt (a benchmark item's few-shot history). */
  turns: Turn[];
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
/** The fields that belong to one column rather than to the shared prompt and settings. */
export type ColumnField = 'model' | 'adapters';
export const COLUMN_FIELDS: readonly PlaygroundField[] = ['model', 'adapters'];

/** The form field showing an input path of `generate` or `saveModelConfig` (the engine's issues land there). */
export function playgroundField(path: string): PlaygroundField | null {
  const p = path.replace(/^settings\./, '').replace(/^decoding\./, '');
  if (p === 'name') return 'configName';
  if (p === 'model' || p === 'modelId' || p === 'configId' || p === 'path') return 'model';
  if (p.startsWith('adapters')) return 'adapters';
  if (p === 'messages' || p.startsWith('messages.')) return 'prompt';
  const own: readonly PlaygroundField[] = ['chatTemplate', 'stop', 'prompt', 'maxTokens', 'temperature', 'topP', 'topK', 'seed', 'contextSize'];
  const f = own.find((k) => p === k || p.startsWith(`${k}.`));
  // Load settings without a field here (GPU layers, threads, batch) are set in the load settings.
  return f ?? (/^(gpuLayers|threads|batchSize|flashAttention)/.test(p) ? 'model' : null);
}

export function newColumn(key: string, choice: ModelChoice = null): ColumnSetup {
  return { key, choice, path: '', adapters: {} };
}

export const INITIAL_FORM: PlaygroundForm = {
  columns: [newColumn('c1')],
  chat: true,
  system: '',
  turns: [],
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

export type GenerateRequest = Omit<CallInput<'generate'>, 'requestId'>;

/**
 * The generate request for one column of a form, or the fields that are wrong. `load` is the checked
 * load settings (null when they are not valid), shared by every column that is not a configuration.
 */
export function toRequest(
  form: PlaygroundForm,
  column: ColumnSetup,
  load: ParsedLoadSettings | null,
): { request: GenerateRequest | null; errors: PlaygroundErrors } {
  const errors: PlaygroundErrors = {};
  const request: GenerateRequest = {};
  const choice = column.choice;
  if (!choice) errors.model = 'choose a model, a configuration or a file';
  else if (choice.kind === 'model') request.model = choice.id;
  else if (choice.kind === 'config') request.configId = choice.id;
  else if (column.path.trim() === '') errors.model = 'type the path of a .gguf file';
  else request.model = column.path.trim();

  if (choice?.kind !== 'config') {
    const adapters: NonNullable<GenerateRequest['adapters']> = [];
    for (const [id, a] of Object.entries(column.adapters)) {
      if (!a.on) continue;
      const scale = parseNumber(a.scale, -100, 100);
      if (scale === null) errors.adapters = 'each scale is a number from -100 to 100';
      else adapters.push({ adapterId: Number(id), scale: scale ?? 1 });
    }
    if (adapters.length > 0) request.adapters = adapters;
    // The shared load settings, so the playground uses the model the Load button loaded.
    if (!load) errors.model = 'the load settings (shared with the runtime panel) are not valid';
    const settings: NonNullable<GenerateRequest['settings']> = load ? loadSettingsRequest(load) : {};
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
    request.messages = [
      ...(form.system.trim() ? [{ role: 'system' as const, content: form.system }] : []),
      ...form.turns.map((t) => ({ role: t.role, content: t.content })),
      { role: 'user' as const, content: form.prompt },
    ];
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
