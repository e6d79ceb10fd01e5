/**
 * What `--model`, `--lora` and the configuration commands name, resolved against the model
 * library and its saved configurations, and the flag parsers they share. Errors are CliErrors
 * that start with the argument at fault, so `main` prints them as one line.
 */
import path from 'node:path';
import { callInputs, type CallInput, type CallName } from '../shared/contract';
import { formatZodIssues } from '../shared/dispatch';
import { isJinjaChatTemplate, type ModelConfig, type ModelKind, type ModelList, type ModelLoadSettings, type ModelRecord } from '../shared/models';
import { CliError } from './output';

/** `--model config:ID` or `config:NAME` picks a configuration even where a model shares the name. */
export const CONFIG_PREFIX = 'config:';

/** How flags combine with a configuration, said in every command's help that accepts one. */
export const CONFIG_OVERRIDE_HELP = [
  'With a configuration (`medtask models config list`): --lora adds adapters after the',
  "configuration's own, and each load setting given as a flag (GPU layers, context size, batch",
  "size, threads, flash attention, chat template) replaces the configuration's value; settings",
  "not given keep the configuration's.",
].join('\n');

/** A local model as a run takes it: the file, its adapters and load settings (from a configuration). */
export interface LocalModelChoice {
  path: string;
  loras: { path: string; scale: number }[];
  settings: Partial<ModelLoadSettings>;
  /** The configuration it came from, if any. */
  config: ModelConfig | null;
}

export function configChoice(c: ModelConfig): LocalModelChoice {
  return { path: c.modelPath, loras: c.adapters.map((a) => ({ path: a.path, scale: a.scale })), settings: c.settings, config: c };
}

/** A configuration by its name, else (for a number) by its id. Names are unique in the library. */
export function findConfig(configs: ModelConfig[], ref: string): ModelConfig | undefined {
  return configs.find((c) => c.name === ref) ?? (/^\d+$/.test(ref) ? configs.find((c) => c.id === Number(ref)) : undefined);
}

export function requireConfig(configs: ModelConfig[], ref: string, arg: string): ModelConfig {
  const c = findConfig(configs, ref);
  if (!c) throw new CliError(`${arg}: no model configuration "${ref}" (see \`medtask models config list\`)`);
  return c;
}

/**
 * `run --model REF` once REF is known not to be a file: `config:REF` a configuration; a number
 * a library model's id; a name a configuration first, then a library model (as `generate` does).
 */
export function resolveModelRef(list: ModelList, configs: ModelConfig[], ref: string): LocalModelChoice {
  if (ref.startsWith(CONFIG_PREFIX)) return configChoice(requireConfig(configs, ref.slice(CONFIG_PREFIX.length), '--model'));
  if (/^\d+$/.test(ref)) return modelById(list, configs, Number(ref));
  const config = configs.find((c) => c.name === ref);
  if (config) return configChoice(config);
  const hit = list.models.filter((m) => m.name === ref);
  if (hit.length === 1) return plainModel(hit[0]!.path);
  if (hit.length > 1) throw new CliError(`--model: "${ref}" is ambiguous: ${hit.map((m) => `${m.id} (${m.path})`).join(', ')}; give an id`);
  throw new CliError(`--model: no file, library model or configuration "${ref}" (see \`medtask models list\` and \`medtask models config list\`)`);
}

export function plainModel(file: string): LocalModelChoice {
  return { path: file, loras: [], settings: {}, config: null };
}

function modelById(list: ModelList, configs: ModelConfig[], id: number): LocalModelChoice {
  const model = list.models.find((m) => m.id === id);
  if (model) return plainModel(model.path);
  const adapter = list.adapters.find((a) => a.id === id);
  if (adapter) throw new CliError(`--model: ${adapter.name} (id ${id}) is a LoRA adapter; give its base model to --model and the adapter to --lora`);
  // Model and configuration ids are separate sequences; a bare number always means a model.
  const hint = configs.some((c) => c.id === id) ? `; for configuration ${id} write --model ${CONFIG_PREFIX}${id}` : '';
  throw new CliError(`--model: no library model with id ${id} (see \`medtask models list\`)${hint}`);
}

/**
 * A library entry of the kind wanted by id, path (of any of its parts) or name. One of the other
 * kind is refused here, naming the argument; the core checks kinds and shapes again, as for the app.
 */
export function findRecord(list: ModelList, ref: string, want: ModelKind, arg: string): ModelRecord {
  const [mine, other] = want === 'model' ? [list.models, list.adapters] : [list.adapters, list.models];
  const hit = matchRecords(mine, ref);
  if (hit.length === 1) return hit[0]!;
  if (hit.length > 1) throw new CliError(`${arg}: "${ref}" is ambiguous: ids ${hit.map((r) => r.id).join(', ')}; give an id`);
  const wrong = matchRecords(other, ref)[0];
  if (wrong)
    throw new CliError(`${arg}: ${wrong.name} (id ${wrong.id}) is ${want === 'model' ? 'a LoRA adapter, not a base model' : 'a model, not a LoRA adapter'}`);
  const abs = path.resolve(ref);
  const looksLikePath = ref.includes('/') || ref.includes(path.sep) || ref.toLowerCase().endsWith('.gguf');
  if (looksLikePath) throw new CliError(`${arg}: ${abs} is not in the model library; add it with \`medtask models add ${abs}\``);
  throw new CliError(`${arg}: no library ${want === 'model' ? 'model' : 'adapter'} "${ref}" (see \`medtask models list\`)`);
}

/** Records by id (a number), by file (any part), else by name. */
function matchRecords(records: ModelRecord[], ref: string): ModelRecord[] {
  if (/^\d+$/.test(ref)) {
    const byId = records.filter((r) => r.id === Number(ref));
    if (byId.length > 0) return byId;
  }
  const abs = path.resolve(ref);
  const byPath = records.filter((r) => r.path === abs || r.parts.some((p) => p.path === abs));
  return byPath.length > 0 ? byPath : records.filter((r) => r.name === ref);
}

/** `--lora ADAPTER[@SCALE]` (`:SCALE` as in `generate` too), repeatable; the scale defaults to 1. */
export function scaledAdapter(value: string, previous: { ref: string; scale: number }[] = []): { ref: string; scale: number }[] {
  // A value ending in .gguf is a file name even with an @ in it ("lora@v2.gguf"); otherwise
  // what follows the last @ is the scale.
  const at = value.toLowerCase().endsWith('.gguf') ? null : /^(.+)@([^@/\\]*)$/.exec(value);
  const colon = /^(.+):(-?\d+(?:\.\d+)?)$/.exec(value);
  const split = at ?? colon;
  if (!split) return [...previous, { ref: value, scale: 1 }];
  const scale = Number(split[2]);
  if (split[2]!.trim() === '' || !Number.isFinite(scale))
    throw new CliError(`--lora: scale "${split[2]}" in "${value}" is not a number (ADAPTER@SCALE, e.g. my-lora@0.5)`);
  return [...previous, { ref: split[1]!, scale }];
}

// The CLI's number parsers are named once, in args.ts.
export { intFlag } from './args';

export function gpuLayersFlag(value: string): 'auto' | 'max' | number {
  if (value === 'auto' || value === 'max') return value;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new CliError(`--gpu-layers: expected auto, max or a non-negative integer, got "${value}"`);
  return n;
}

/** `--flash-attention [on|off]`: bare means on, as on `run` and `generate`. */
export function onOffFlag(value: string): boolean {
  if (value === 'on' || value === 'true') return true;
  if (value === 'off' || value === 'false') return false;
  throw new CliError(`--flash-attention: expected on or off, got "${value}"`);
}

/** Bounds of RemoteModelSpec.timeoutMs in runSchemas.ts, in the seconds the flag takes. */
const TIMEOUT_MIN_S = 0.1;
const TIMEOUT_MAX_S = 3600;

/** `--timeout SECONDS` to the run spec's timeoutMs. */
export function timeoutFlag(value: string): number {
  const s = Number(value);
  if (value.trim() === '' || !Number.isFinite(s) || s <= 0) throw new CliError(`--timeout: expected a positive number of seconds, got "${value}"`);
  if (s < TIMEOUT_MIN_S || s > TIMEOUT_MAX_S) throw new CliError(`--timeout: ${value} s is outside ${TIMEOUT_MIN_S}–${TIMEOUT_MAX_S} s`);
  return Math.round(s * 1000);
}

/** The same rule as RemoteModelSpec.apiKeyEnv: a variable's name, never the key itself. */
export function envNameFlag(value: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(value))
    throw new CliError(`--api-key-env: expected the name of an environment variable (capitals, digits and _, e.g. OPENAI_API_KEY), got "${value}"`);
  return value;
}

/**
 * Validates a call's input with the contract's own schema before calling, so that each fault is
 * reported by the argument it came from (`argFor` maps a field path such as `model.loras.0.scale`)
 * and not only by the field name the app's forms use.
 */
export function checkInput<N extends CallName>(name: N, input: CallInput<N>, argFor: (field: string) => string | undefined): void {
  const parsed = callInputs[name].safeParse(input);
  if (parsed.success) return;
  const faults = parsed.error.issues.map((i) => {
    const field = i.path.map(String).join('.');
    const arg = argFor(field);
    return arg ? `${arg}: ${i.message} (${field})` : formatZodIssues([i]);
  });
  throw new CliError(faults.join('; '));
}

/** The argument for `field` in a table of field-path prefixes, the longest prefix first. */
export function argByPrefix(table: Record<string, string>, field: string): string | undefined {
  for (let parts = field.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const arg = table[parts.join('.')];
    if (arg) return arg;
  }
  return undefined;
}

/** One cell for a configuration's load settings. */
export function settingsText(s: Partial<ModelLoadSettings>): string {
  const parts = [
    ...(s.gpuLayers !== undefined ? [`gpu-layers ${s.gpuLayers}`] : []),
    ...(s.contextSize !== undefined ? [`context ${s.contextSize}`] : []),
    ...(s.batchSize !== undefined ? [`batch ${s.batchSize}`] : []),
    ...(s.threads !== undefined ? [`threads ${s.threads}`] : []),
    ...(s.flashAttention !== undefined ? [`flash-attention ${s.flashAttention ? 'on' : 'off'}`] : []),
    ...(s.chatTemplate !== undefined
      ? [`chat-template ${isJinjaChatTemplate(s.chatTemplate) ? `(Jinja, ${s.chatTemplate.length} characters)` : s.chatTemplate}`]
      : []),
  ];
  return parts.join(', ');
}
