/**
 * The new-run form as text fields, its checks, and the RunSpec it turns into. The engine
 * validates again (ranges, paths); its `invalid_input` messages name the spec field, which
 * `fieldForPath` maps back to the form field that should show it.
 */
import type { ApiErrorData } from '../../../../shared/errors';
import { fieldErrors } from '../../ui/fieldErrors';
import { compareSplitPreference } from '../../../../shared/enums';
import type { SplitName, TaskConfig, TaskSummary } from '../../../../shared/domain';
import { CHAT_TEMPLATE_NAMES, type TruncationPolicy } from '../../../../shared/models';
import type { LoadSettingsFields } from '../../lib/loadSettings';
import { chatTemplateSetting } from '../../lib/promptChoices';
import type { MetricMode, PromptTemplateSpec, RunSpec } from '../../../../shared/runs';

export type Strategy = PromptTemplateSpec['strategy'];
export const STRATEGIES: readonly { value: Strategy; label: string; hint: string }[] = [
  { value: 'medinst32', label: 'MedINST32', hint: 'chat turns as MedINST32 evaluates; k demonstrations (default: the file’s history)' },
  { value: 'meds-bench', label: 'MedS-Bench', hint: 'MedS-Bench prompt with k sampled examples (default 3)' },
  { value: 'generic', label: 'Generic', hint: 'instruction, examples and input in one user message' },
  { value: 'zero-shot', label: 'Zero-shot', hint: 'instruction and input only' },
  { value: 'raw', label: 'Raw', hint: 'the input as plain text, no chat template' },
];

/** The load-settings fields (GPU layers, threads, batch, flash attention) are the shared ones. */
export interface RunForm extends LoadSettingsFields {
  name: string;
  taskIds: number[];
  config: '' | TaskConfig;
  split: '' | SplitName;
  modelKind: 'local' | 'remote';
  modelPath: string;
  loraPath: string;
  loraScale: string;
  /** Further adapters a library configuration brings (the form edits one; these ride along). */
  extraLoras: { path: string; scale: number }[];
  /** The saved configuration the model fields came from ('' for none); the run records it. */
  configName: string;
  contextSize: string;
  /** '' the model's own, a built-in template's name, or 'jinja' for `chatTemplateJinja`. */
  chatTemplate: string;
  chatTemplateJinja: string;
  truncate: TruncationPolicy;
  maxPromptTokens: string;
  remoteUrl: string;
  remoteModel: string;
  apiKeyEnv: string;
  /** Seconds per request attempt; empty: the backend's default. */
  remoteTimeout: string;
  strategy: Strategy;
  shots: string;
  seed: string;
  variant: string;
  promptMode: '' | MetricMode;
  maxTokens: string;
  temperature: string;
  selectionMode: 'all' | 'limit' | 'sample';
  count: string;
  parallel: string;
  metricMode: MetricMode;
  /** Decoding settings the form has no field for (top-p, top-k, stop strings), kept from a duplicated run. */
  decodingExtra: Pick<RunSpec['decoding'], 'topP' | 'topK' | 'stop'>;
}

export type RunField = keyof RunForm | 'tasks';
export type RunErrors = Partial<Record<RunField, string>>;

export function initialRunForm(taskIds: number[] = []): RunForm {
  return {
    name: '',
    taskIds,
    config: '',
    split: '',
    modelKind: 'local',
    modelPath: '',
    loraPath: '',
    loraScale: '1',
    extraLoras: [],
    configName: '',
    gpuLayers: '',
    threads: '',
    contextSize: '',
    batchSize: '',
    flashAttention: '',
    chatTemplate: '',
    chatTemplateJinja: '',
    truncate: 'error',
    maxPromptTokens: '',
    remoteUrl: '',
    remoteModel: '',
    apiKeyEnv: '',
    remoteTimeout: '',
    strategy: 'medinst32',
    shots: '',
    seed: '0',
    variant: '0',
    promptMode: '',
    maxTokens: '256',
    temperature: '0',
    selectionMode: 'all',
    count: '',
    parallel: '1',
    metricMode: 'reference',
    decodingExtra: {},
  };
}

const text = (n: number | undefined): string => (n === undefined ? '' : String(n));

/**
 * The form a run's stored spec fills in ("Duplicate with changes"): every field the form has, plus
 * the decoding settings it has no field for. A template with fields beyond the Prompt fields
 * (pool, system, user…) comes back as the template editor's JSON.
 */
export function formFromSpec(spec: RunSpec): { form: RunForm; template: PromptTemplateSpec | null } {
  const base = initialRunForm([...spec.selection.taskIds]);
  const t = spec.template;
  const { sample, limit } = spec.selection;
  const selection = sample
    ? { selectionMode: 'sample' as const, count: String(sample.n) }
    : limit !== undefined
      ? { selectionMode: 'limit' as const, count: String(limit) }
      : { selectionMode: 'all' as const, count: '' };
  const m = spec.model;
  const model: Partial<RunForm> =
    m.kind === 'local'
      ? {
          modelKind: 'local',
          modelPath: m.path,
          loraPath: m.loras?.[0]?.path ?? '',
          loraScale: String(m.loras?.[0]?.scale ?? 1),
          extraLoras: (m.loras ?? []).slice(1).map((l) => ({ path: l.path, scale: l.scale ?? 1 })),
          configName: m.configName ?? '',
          gpuLayers: m.gpuLayers === undefined ? '' : String(m.gpuLayers),
          threads: text(m.threads),
          contextSize: text(m.contextSize),
          batchSize: text(m.batchSize),
          flashAttention: m.flashAttention === undefined ? '' : m.flashAttention ? 'on' : 'off',
          ...(m.chatTemplate === undefined
            ? {}
            : CHAT_TEMPLATE_NAMES.includes(m.chatTemplate as (typeof CHAT_TEMPLATE_NAMES)[number])
              ? { chatTemplate: m.chatTemplate }
              : { chatTemplate: 'jinja', chatTemplateJinja: m.chatTemplate }),
          truncate: m.truncate ?? 'error',
          maxPromptTokens: text(m.maxPromptTokens),
          parallel: text(spec.parallel) || '1',
        }
      : {
          modelKind: 'remote',
          remoteUrl: m.baseUrl,
          remoteModel: m.model,
          apiKeyEnv: m.apiKeyEnv ?? '',
          remoteTimeout: m.timeoutMs !== undefined ? String(m.timeoutMs / 1000) : '',
          parallel: text(m.concurrency ?? spec.parallel) || '1',
        };
  const form: RunForm = {
    ...base,
    ...(spec.selection.config ? { config: spec.selection.config } : {}),
    ...(spec.selection.split ? { split: spec.selection.split } : {}),
    ...selection,
    ...model,
    strategy: t.strategy,
    shots: t.k === null || t.k === undefined ? '' : String(t.k),
    seed: text(t.seed ?? spec.decoding.seed ?? sample?.seed) || '0',
    variant: text(t.variant) || '0',
    promptMode: t.mode ?? '',
    maxTokens: String(spec.decoding.maxTokens),
    temperature: String(spec.decoding.temperature),
    metricMode: spec.metricMode ?? 'reference',
    decodingExtra: {
      ...(spec.decoding.topP !== undefined ? { topP: spec.decoding.topP } : {}),
      ...(spec.decoding.topK !== undefined ? { topK: spec.decoding.topK } : {}),
      ...(spec.decoding.stop?.length ? { stop: spec.decoding.stop } : {}),
    },
  };
  // Do the Prompt fields say everything the stored template says? Then it follows them, else the editor holds it.
  return { form, template: canonicalTemplate(formTemplate(form)) === canonicalTemplate(t) ? null : t };
}

/** A template as the engine reads it: defaults (k null or unset, seed 0, variant 0) left out, keys in order. */
function canonicalTemplate(t: PromptTemplateSpec): string {
  const defaults: Record<string, unknown> = { k: null, seed: 0, variant: 0 };
  const entries = Object.entries(t).filter(([k, v]) => v !== undefined && defaults[k] !== v);
  return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
}

type Parsed = { ok: true; value: number | undefined } | { ok: false; error: string };

function parseNumber(text: string, whole: boolean): Parsed {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, error: 'Enter a number.' };
  if (whole && !Number.isInteger(n)) return { ok: false, error: 'Enter a whole number.' };
  return { ok: true, value: n };
}

const WHOLE: readonly (keyof RunForm)[] = [
  'threads',
  'contextSize',
  'batchSize',
  'maxPromptTokens',
  'shots',
  'seed',
  'variant',
  'maxTokens',
  'count',
  'parallel',
];
const DECIMAL: readonly (keyof RunForm)[] = ['loraScale', 'temperature', 'remoteTimeout'];

export function validateRunForm(form: RunForm): RunErrors {
  const errors: RunErrors = {};
  if (form.taskIds.length === 0) errors.tasks = 'Choose at least one task.';
  if (form.modelKind === 'local') {
    if (form.modelPath.trim() === '') errors.modelPath = 'Required: the path of a .gguf file on the engine’s machine.';
    const g = form.gpuLayers.trim();
    if (g !== '' && g !== 'auto' && g !== 'max' && !/^\d+$/.test(g)) errors.gpuLayers = '“auto”, “max” or a number of layers.';
    if (chatTemplateSetting(form.chatTemplate, form.chatTemplateJinja) === null) errors.chatTemplateJinja = 'A Jinja template, with {{ }} or {% %} tags.';
  } else {
    if (form.remoteUrl.trim() === '') errors.remoteUrl = 'Required: the server’s base URL, e.g. http://127.0.0.1:8080.';
    if (form.remoteModel.trim() === '') errors.remoteModel = 'Required: the model name the server knows.';
  }
  const timeout = num(form.remoteTimeout);
  if (form.modelKind === 'remote' && timeout !== undefined && Number.isFinite(timeout) && timeout <= 0) errors.remoteTimeout = 'Seconds, more than 0.';
  for (const name of WHOLE) {
    const r = parseNumber(form[name] as string, true);
    if (!r.ok) errors[name] = r.error;
  }
  for (const name of DECIMAL) {
    const r = parseNumber(form[name] as string, false);
    if (!r.ok) errors[name] = r.error;
  }
  if (form.maxTokens.trim() === '') errors.maxTokens = 'Required.';
  if (form.temperature.trim() === '') errors.temperature = 'Required (0 = greedy).';
  if (form.selectionMode !== 'all' && form.count.trim() === '') errors.count = 'Required: how many items per task.';
  return errors;
}

function num(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/** The prompt template the form's Prompt fields describe (what the template editor starts from). */
export function formTemplate(form: RunForm): PromptTemplateSpec {
  const shots = num(form.shots);
  const seed = num(form.seed);
  const variant = num(form.variant);
  return {
    strategy: form.strategy,
    ...(shots !== undefined ? { k: shots } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(variant ? { variant } : {}),
    ...(form.promptMode !== '' ? { mode: form.promptMode } : {}),
  };
}

/**
 * The spec sent to `createRun`; optional fields left empty are left out. `template`, when
 * given (the template editor's JSON), replaces the one the Prompt fields describe.
 */
export function toRunSpec(form: RunForm, template?: PromptTemplateSpec): RunSpec {
  const seed = num(form.seed);
  let model: RunSpec['model'];
  if (form.modelKind === 'local') {
    const g = form.gpuLayers.trim();
    const threads = num(form.threads);
    const contextSize = num(form.contextSize);
    const batchSize = num(form.batchSize);
    const chatTemplate = chatTemplateSetting(form.chatTemplate, form.chatTemplateJinja);
    const loras = [
      ...(form.loraPath.trim() !== '' ? [{ path: form.loraPath.trim(), ...(num(form.loraScale) !== undefined ? { scale: num(form.loraScale)! } : {}) }] : []),
      ...form.extraLoras,
    ];
    model = {
      kind: 'local',
      path: form.modelPath.trim(),
      ...(form.configName !== '' ? { configName: form.configName } : {}),
      ...(loras.length ? { loras } : {}),
      ...(g === 'auto' || g === 'max' ? { gpuLayers: g } : g !== '' ? { gpuLayers: Number(g) } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(contextSize !== undefined ? { contextSize } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(form.flashAttention !== '' ? { flashAttention: form.flashAttention === 'on' } : {}),
      ...(chatTemplate ? { chatTemplate } : {}),
      ...(form.truncate !== 'error' ? { truncate: form.truncate } : {}),
      ...(num(form.maxPromptTokens) !== undefined ? { maxPromptTokens: num(form.maxPromptTokens)! } : {}),
    };
  } else {
    const parallel = num(form.parallel);
    model = {
      kind: 'remote',
      baseUrl: form.remoteUrl.trim(),
      model: form.remoteModel.trim(),
      ...(form.apiKeyEnv.trim() !== '' ? { apiKeyEnv: form.apiKeyEnv.trim() } : {}),
      ...(parallel !== undefined ? { concurrency: parallel } : {}),
      ...(num(form.remoteTimeout) !== undefined ? { timeoutMs: Math.round(num(form.remoteTimeout)! * 1000) } : {}),
    };
  }
  const count = num(form.count);
  const parallel = num(form.parallel);
  return {
    ...(form.name.trim() !== '' ? { name: form.name.trim() } : {}),
    model,
    template: template ?? formTemplate(form),
    decoding: {
      maxTokens: num(form.maxTokens) ?? 256,
      temperature: num(form.temperature) ?? 0,
      ...(seed !== undefined ? { seed } : {}),
      ...form.decodingExtra,
    },
    selection: {
      taskIds: form.taskIds,
      ...(form.config !== '' ? { config: form.config } : {}),
      ...(form.split !== '' ? { split: form.split } : {}),
      ...(form.selectionMode === 'limit' && count !== undefined ? { limit: count } : {}),
      ...(form.selectionMode === 'sample' && count !== undefined ? { sample: { n: count, seed: seed ?? 0 } } : {}),
    },
    ...(parallel !== undefined ? { parallel } : {}),
    metricMode: form.metricMode,
  };
}

/** The form field that shows an error about a spec path such as `model.threads`. */
export function fieldForPath(path: string, form: RunForm): RunField | null {
  const p = path.trim();
  const exact: Record<string, RunField> = {
    name: 'name',
    'model.path': 'modelPath',
    'model.gpuLayers': 'gpuLayers',
    'model.contextSize': 'contextSize',
    'model.threads': 'threads',
    'model.batchSize': 'batchSize',
    'model.flashAttention': 'flashAttention',
    'model.timeoutMs': 'remoteTimeout',
    'model.chatTemplate': 'chatTemplate',
    'model.truncate': 'truncate',
    'model.maxPromptTokens': 'maxPromptTokens',
    'model.baseUrl': 'remoteUrl',
    'model.model': 'remoteModel',
    'model.apiKeyEnv': 'apiKeyEnv',
    'model.concurrency': 'parallel',
    'template.strategy': 'strategy',
    'template.k': 'shots',
    'template.seed': 'seed',
    'template.variant': 'variant',
    'template.mode': 'promptMode',
    'decoding.maxTokens': 'maxTokens',
    'decoding.temperature': 'temperature',
    'decoding.seed': 'seed',
    'selection.config': 'config',
    'selection.split': 'split',
    'selection.limit': 'count',
    'selection.sample': 'count',
    'selection.sample.n': 'count',
    'selection.sample.seed': 'seed',
    parallel: 'parallel',
    metricMode: 'metricMode',
  };
  if (exact[p]) return exact[p];
  if (/^model\.loras(\.\d+)?\.scale$/.test(p)) return 'loraScale';
  if (/^model\.loras/.test(p)) return 'loraPath';
  if (p === 'model') return form.modelKind === 'local' ? 'modelPath' : 'remoteUrl';
  if (p === 'selection' || p.startsWith('selection.taskIds')) return 'tasks';
  return null;
}

/** Splits an engine error into per-field messages and whatever names no field. */
export function engineErrors(error: ApiErrorData, form: RunForm): { fields: RunErrors; rest: string[] } {
  return fieldErrors<RunField>(error, (path) => fieldForPath(path, form));
}

/** The split the engine will pick for a task (the same preference order), or null if none fits. */
export function chosenSplit(task: TaskSummary, config: '' | TaskConfig, split: '' | SplitName): TaskSummary['splits'][number] | null {
  const fits = task.splits.filter((s) => (config === '' || s.config === config) && (split === '' || s.split === split));
  fits.sort(compareSplitPreference);
  return fits[0] ?? null;
}
