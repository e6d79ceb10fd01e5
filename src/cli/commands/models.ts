/**
 * `medtask models add|list|inspect|remove|rename|rescan|pull` and `medtask generate`: the model
 * library and one-off generations from a terminal.
 */
import { formatBytes } from '../../shared/format';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type {
  CallInput,
  CallName,
  CallResults,
  GenerateOutput,
  ModelConfig,
  ModelFit,
  ModelHeader,
  ModelList,
  ModelLoadSettings,
  ModelRecord,
  PullResult,
} from '../../shared';
import { pullProgressBar } from '../progress';
import type { MedtaskCore } from '../../core/service';
import { CHAT_TEMPLATE_HELP, chatTemplateArg } from '../chatTemplate';
import { TRUNCATE_HELP } from '../truncate';
import { TRUNCATION_POLICIES, type TruncationPolicy } from '../../shared/models';
import { call as defaultCall, openCore as defaultOpenCore } from '../core';
import { finiteNumber, nonNegativeInt, positiveInt } from '../args';
import { CliError, printJson, printTable } from '../output';
import {
  argByPrefix,
  checkInput,
  CONFIG_OVERRIDE_HELP,
  CONFIG_PREFIX,
  findRecord,
  gpuLayersFlag,
  intFlag,
  onOffFlag,
  requireConfig,
  scaledAdapter,
  settingsText,
} from '../modelConfigs';

export interface ModelCommandDeps {
  openCore(cmd: Command): MedtaskCore;
  call<N extends CallName>(core: MedtaskCore, name: N, input: CallInput<N>): Promise<CallResults[N]>;
}

/** A library id: a positive whole number (see `medtask models list`). */
const id = positiveInt;

/** `--lora PATH[:SCALE]`, repeatable; a bare number is a library adapter id. */
function lora(value: string, previous: { path?: string; adapterId?: number; scale: number }[] = []) {
  const m = /^(.*?)(?::(-?\d+(?:\.\d+)?))?$/.exec(value);
  const ref = m?.[1] ?? value;
  const scale = m?.[2] !== undefined ? Number(m[2]) : 1;
  return [...previous, /^\d+$/.test(ref) ? { adapterId: Number(ref), scale } : { path: path.resolve(ref), scale }];
}

function gpuLayers(value: string): 'auto' | 'max' | number {
  if (value === 'auto' || value === 'max') return value;
  return nonNegativeInt(value);
}

export { formatBytes };

function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}K`;
  return String(n);
}

function fitCell(fit: ModelFit | null): string {
  if (!fit) return '';
  return fit.verdict === 'gpu' || fit.verdict === 'partial' ? `${fit.verdict} ${fit.gpuLayers}/${fit.totalLayers}` : fit.verdict;
}

function statusCell(r: ModelRecord): string {
  return r.status === 'ok' ? 'ok' : r.status;
}

function printLibrary(list: ModelList): void {
  const byId = new Map(list.adapters.map((a) => [a.id, a]));
  const rows: Record<string, string | number>[] = [];
  for (const m of list.models) {
    rows.push({
      id: m.id,
      name: m.name,
      arch: m.header.architecture,
      params: formatParams(m.header.parameterCount),
      quant: m.header.quantization ?? '',
      ctx: m.header.trainContextLength ?? '',
      size: formatBytes(m.header.sizeBytes),
      fit: fitCell(m.fit),
      status: statusCell(m),
      path: m.parts.length > 1 ? `${m.path} (+${m.parts.length - 1} parts)` : m.path,
    });
    for (const aid of m.adapterIds) {
      const a = byId.get(aid);
      if (!a) continue;
      rows.push({
        id: a.id,
        name: `  └ ${a.name}`,
        arch: a.header.architecture,
        params: formatParams(a.header.parameterCount),
        quant: `${a.header.adapterType ?? 'adapter'}${a.header.loraRank !== null ? ` r${a.header.loraRank}` : ''}`,
        ctx: '',
        size: formatBytes(a.header.sizeBytes),
        fit: a.base?.chosenBy === 'user' ? 'chosen' : '',
        status: statusCell(a),
        path: a.path,
      });
    }
  }
  const loose = list.adapters.filter((a) => a.base?.modelId === null || a.base === null);
  for (const a of loose) {
    const cands = a.base?.candidates ?? [];
    rows.push({
      id: a.id,
      name: a.name,
      arch: a.header.architecture,
      params: formatParams(a.header.parameterCount),
      quant: `${a.header.adapterType ?? 'adapter'}${a.header.loraRank !== null ? ` r${a.header.loraRank}` : ''}`,
      ctx: '',
      size: formatBytes(a.header.sizeBytes),
      fit: cands.length > 1 ? `base? ${cands.join('|')}` : 'no base',
      status: statusCell(a),
      path: a.path,
    });
  }
  printTable(rows, ['id', 'name', 'arch', 'params', 'quant', 'ctx', 'size', 'fit', 'status', 'path']);
  for (const r of [...list.models, ...list.adapters]) {
    if (r.status !== 'ok') process.stdout.write(`${r.status}: ${r.name} (id ${r.id}): ${r.statusDetail ?? ''}\n`);
  }
  // Files in added folders that are not valid models: never loaded; a rescan reads them again.
  for (const f of list.invalid) process.stdout.write(`invalid: ${f.reason}\n`);
  for (const a of loose) {
    const cands = a.base?.candidates ?? [];
    if (cands.length > 1)
      process.stdout.write(
        `adapter ${a.name} (id ${a.id}) fits several models (${cands.join(', ')}); choose its base with \`medtask models base ${a.id} MODEL\`\n`,
      );
  }
}

function headerLines(h: ModelHeader): string[] {
  const lines = [
    `architecture: ${h.architecture}${h.architectureSupported ? '' : ' (not supported by this llama.cpp build)'}`,
    ...(h.name ? [`name: ${h.name}`] : []),
    `parameters: ${formatParams(h.parameterCount)} (${h.parameterCount})`,
    `quantization: ${h.quantization ?? 'unknown'}`,
    `size: ${formatBytes(h.sizeBytes)} (${h.sizeBytes} bytes)`,
  ];
  if (h.adapterType) {
    lines.push(
      `adapter: ${h.adapterType}${h.loraRank !== null ? `, rank ${h.loraRank}` : ''}${h.loraAlpha !== null ? `, alpha ${h.loraAlpha}` : ''}, ${h.adapterTargets ?? 0} matrices`,
    );
    if (h.baseModelHint) lines.push(`base model (from metadata): ${h.baseModelHint}`);
  } else {
    lines.push(`trained context: ${h.trainContextLength ?? 'unknown'}`);
    lines.push(
      `layers: ${h.layerCount ?? '?'}, embedding: ${h.embeddingLength ?? '?'}, heads: ${h.headCount ?? '?'}/${h.headCountKv ?? '?'} (kv), vocabulary: ${h.vocabularySize ?? '?'}`,
    );
    lines.push(`chat template: ${h.chatTemplate ? `yes (${h.chatTemplate.length} characters)` : 'none'}`);
  }
  return lines;
}

type WithCore = <T>(cmd: Command, fn: (core: MedtaskCore) => Promise<T>) => Promise<T>;

interface ConfigAddOptions {
  model: string;
  lora?: { ref: string; scale: number }[];
  gpuLayers?: 'auto' | 'max' | number;
  contextSize?: number;
  batchSize?: number;
  threads?: number;
  flashAttention?: boolean;
  chatTemplate?: string;
  replace?: boolean;
  json?: boolean;
}

/** saveModelConfig's fields to the arguments of `models config add` that fill them. */
const CONFIG_ARGS: Record<string, string> = {
  name: '<name>',
  modelId: '--model',
  adapters: '--lora',
  'settings.gpuLayers': '--gpu-layers',
  'settings.contextSize': '--context-size',
  'settings.batchSize': '--batch-size',
  'settings.threads': '--threads',
  'settings.flashAttention': '--flash-attention',
  'settings.chatTemplate': '--chat-template',
};

function configArgFor(opts: ConfigAddOptions): (field: string) => string | undefined {
  return (field) => {
    const adapter = /^adapters\.(\d+)/.exec(field);
    const given = adapter ? opts.lora?.[Number(adapter[1])] : undefined;
    return given ? `--lora ${given.ref}@${given.scale}` : argByPrefix(CONFIG_ARGS, field);
  };
}

function configSettings(opts: ConfigAddOptions): Partial<ModelLoadSettings> {
  return {
    ...(opts.gpuLayers !== undefined ? { gpuLayers: opts.gpuLayers } : {}),
    ...(opts.contextSize !== undefined ? { contextSize: opts.contextSize } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.flashAttention !== undefined ? { flashAttention: opts.flashAttention } : {}),
    ...(opts.chatTemplate !== undefined ? { chatTemplate: opts.chatTemplate } : {}),
  };
}

function adaptersText(c: ModelConfig): string {
  return c.adapters.map((a) => `${a.name}@${a.scale}`).join(', ');
}

function printConfigs(configs: ModelConfig[]): void {
  if (configs.length === 0) {
    process.stdout.write('no model configurations; save one with `medtask models config add NAME --model MODEL`\n');
    return;
  }
  printTable(
    configs.map((c) => ({ id: c.id, name: c.name, model: `${c.modelName} (id ${c.modelId})`, adapters: adaptersText(c), settings: settingsText(c.settings) })),
    ['id', 'name', 'model', 'adapters', 'settings'],
  );
}

/** A configuration's adapter/base mismatches, on stderr so `--json` output stays parseable. */
function printConfigWarnings(c: ModelConfig): void {
  for (const w of c.warnings) process.stderr.write(`warning: configuration "${c.name}": ${w.message}\n`);
}

/** `medtask models config add|list|remove`: the configurations the app's Playground saves. */
function registerConfigCommands(models: Command, call: ModelCommandDeps['call'], withCore: WithCore): void {
  const config = models.command('config').description('model configurations: a base model, LoRA adapters with scales, and load settings, runnable by name');

  config
    .command('add')
    .description('save a configuration (run it with `medtask generate --model NAME` or `medtask run --model NAME`)')
    .argument('<name>', 'configuration name')
    .requiredOption('--model <model>', 'base model: library id, name or file path (`medtask models list`)')
    .option('--lora <adapter[@scale]>', 'LoRA adapter (library id, name or path) with its scale (default 1), repeatable and applied in order', scaledAdapter)
    .option('--gpu-layers <n>', 'GPU layers: auto, max or a number (default auto)', gpuLayersFlag)
    .option('--context-size <n>', 'context size', intFlag('--context-size', 1))
    .option('--batch-size <n>', 'tokens per llama.cpp batch', intFlag('--batch-size', 1))
    .option('--threads <n>', 'CPU threads', intFlag('--threads', 1))
    .option('--flash-attention [on|off]', "use flash attention (bare: on; default: the model's own default)", onOffFlag)
    .option('--no-flash-attention', 'do not use flash attention')
    .option('--chat-template <name|file>', CHAT_TEMPLATE_HELP, chatTemplateArg)
    .option('--replace', 'overwrite a configuration of the same name')
    .option('--json', 'print the saved configuration as JSON')
    .action(async (name: string, opts: ConfigAddOptions, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const [list, configs] = await Promise.all([call(core, 'listModels', {}), call(core, 'listModelConfigs', {})]);
        const existing = configs.find((c) => c.name === name.trim());
        if (existing && !opts.replace)
          throw new CliError(`<name>: a configuration named "${existing.name}" already exists (id ${existing.id}); give --replace to overwrite it`);
        const input: CallInput<'saveModelConfig'> = {
          ...(existing ? { id: existing.id } : {}),
          name,
          modelId: findRecord(list, opts.model, 'model', '--model').id,
          adapters: (opts.lora ?? []).map((l) => ({ adapterId: findRecord(list, l.ref, 'adapter', `--lora ${l.ref}`).id, scale: l.scale })),
          settings: configSettings(opts),
        };
        checkInput('saveModelConfig', input, configArgFor(opts));
        const saved = await call(core, 'saveModelConfig', input);
        // Saved anyway (the shapes fit), but a LoRA on a base it was not made for is said out loud.
        printConfigWarnings(saved);
        if (opts.json) return printJson(saved);
        const adapters = adaptersText(saved);
        process.stdout.write(
          `${existing ? 'replaced' : 'saved'} configuration ${saved.id}: ${saved.name} = ${saved.modelName}${adapters ? ` + ${adapters}` : ''} (${settingsText(saved.settings)})\n`,
        );
      });
    });

  config
    .command('list')
    .description('list saved configurations with their model, adapters and settings')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const configs = await call(core, 'listModelConfigs', {});
        if (opts.json) printJson(configs);
        else printConfigs(configs);
        for (const c of configs) printConfigWarnings(c);
      });
    });

  config
    .command('remove')
    .description('forget a configuration (its model and adapters stay in the library)')
    .argument('<name>', 'configuration name or id')
    .option('--json', 'print the removed configuration as JSON')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const target = requireConfig(await call(core, 'listModelConfigs', {}), ref, '<name>');
        await call(core, 'removeModelConfig', { id: target.id });
        if (opts.json) return printJson(target);
        process.stdout.write(`removed configuration ${target.id}: ${target.name}\n`);
      });
    });
}

/** `medtask models base ADAPTER MODEL|auto`: which model an adapter belongs to, as the app's choice does. */
function registerBaseCommand(models: Command, call: ModelCommandDeps['call'], withCore: WithCore): void {
  models
    .command('base')
    .description('choose the base model of a LoRA adapter (for one that fits several), or `auto` to match it automatically again')
    .argument('<adapter>', 'adapter: library id, name or path')
    .argument('<model>', 'base model: library id, name or path, or auto')
    .option('--json', 'print the adapter as JSON')
    .action(async (adapterRef: string, modelRef: string, opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const list = await call(core, 'listModels', {});
        const adapter = findRecord(list, adapterRef, 'adapter', '<adapter>');
        const base = modelRef === 'auto' ? null : findRecord(list, modelRef, 'model', '<model>');
        const r = await call(core, 'setAdapterBase', { adapterId: adapter.id, baseModelId: base?.id ?? null });
        if (opts.json) return printJson(r);
        const chosen = list.models.find((m) => m.id === r.base?.modelId);
        const how = r.base?.chosenBy === 'user' ? 'chosen' : 'automatic';
        process.stdout.write(`adapter ${r.id}: ${r.name} → ${chosen ? `${chosen.name} (id ${chosen.id})` : 'no base model'} (${how})\n`);
      });
    });
}

/** `generate --model config:REF` names a configuration even where a model shares its name. */
async function generateTarget(core: MedtaskCore, call: ModelCommandDeps['call'], ref: string): Promise<{ model: string } | { configId: number }> {
  if (!ref.startsWith(CONFIG_PREFIX)) return { model: ref };
  return { configId: requireConfig(await call(core, 'listModelConfigs', {}), ref.slice(CONFIG_PREFIX.length), '--model').id };
}

export function registerModelCommands(program: Command, deps: ModelCommandDeps = { openCore: defaultOpenCore, call: defaultCall }): void {
  const { openCore, call } = deps;
  const models = program.command('models').description('the model library: local GGUF models and LoRA adapters');

  /** Runs `fn` with a core and frees it (and any loaded model) afterwards. */
  const withCore = async <T>(cmd: Command, fn: (core: MedtaskCore) => Promise<T>): Promise<T> => {
    const core = openCore(cmd);
    try {
      return await fn(core);
    } finally {
      await core.dispose();
    }
  };

  models
    .command('add')
    .description('add .gguf files, or folders to scan recursively (files stay where they are)')
    .argument('<paths...>', '.gguf files or folders')
    .option('--json', 'print machine-readable results')
    .action(async (paths: string[], opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const r = await call(core, 'addModels', { paths: paths.map((p) => path.resolve(p)) });
        if (opts.json) return printJson(r);
        for (const m of r.added)
          process.stdout.write(
            `added ${m.kind} ${m.id}: ${m.name} (${m.header.architecture}, ${formatBytes(m.header.sizeBytes)}${m.fit ? `, ${m.fit.summary}` : ''})\n`,
          );
        for (const m of r.updated) process.stdout.write(`updated ${m.kind} ${m.id}: ${m.name}\n`);
        // Kept in the library (a newer llama.cpp may load it), but said now rather than at load time.
        for (const m of [...r.added, ...r.updated].filter((x) => !x.header.architectureSupported)) {
          process.stderr.write(
            `warning: ${m.name} (${m.path}): architecture "${m.header.architecture}" is not supported by this build's llama.cpp; it will not load\n`,
          );
        }
        for (const s of r.skipped) process.stdout.write(`skipped ${s.file}: ${s.message}\n`);
        if (r.added.length + r.updated.length === 0 && r.skipped.length === 0) process.stdout.write('no .gguf files found\n');
      });
    });

  models
    .command('list')
    .description('list models (with their adapters under them), header facts and fit estimates')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const list = await call(core, 'listModels', {});
        if (opts.json) printJson(list);
        else printLibrary(list);
      });
    });

  models
    .command('inspect')
    .description("read a .gguf file's header and estimate whether it fits this machine, without loading it")
    .argument('<path>', '.gguf file (or a library id)')
    .option('--context <n>', 'context size for the fit estimate', positiveInt)
    .addOption(new Option('--gpu-layers <n>', 'GPU layers for the fit estimate: auto, max or a number').argParser(gpuLayers))
    .option('--json', 'print machine-readable results')
    .action(async (ref: string, opts: { context?: number; gpuLayers?: 'auto' | 'max' | number; json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const settings = {
          ...(opts.context !== undefined ? { contextSize: opts.context } : {}),
          ...(opts.gpuLayers !== undefined ? { gpuLayers: opts.gpuLayers } : {}),
        };
        const target = /^\d+$/.test(ref) ? { id: Number(ref) } : { path: path.resolve(ref) };
        const r = await call(core, 'inspectModel', { ...target, settings });
        if (opts.json) return printJson(r);
        process.stdout.write(`${r.path}${r.parts.length > 1 ? ` (${r.parts.length} parts)` : ''}\nkind: ${r.kind}\n`);
        for (const l of headerLines(r.header)) process.stdout.write(`${l}\n`);
        if (r.fit) process.stdout.write(`fit (${r.fit.backend}): ${r.fit.summary}\n`);
        if (r.libraryId !== null) process.stdout.write(`in library as id ${r.libraryId}\n`);
      });
    });

  models
    .command('remove')
    .description('forget a model or adapter (the file is not deleted)')
    .argument('<id>', 'library id', id)
    .option('--json', 'print machine-readable results')
    .action(async (mid: number, opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const r = await call(core, 'removeModel', { id: mid });
        if (opts.json) return printJson(r);
        process.stdout.write(`removed ${mid}${r.removedConfigs.length ? ` and configurations ${r.removedConfigs.join(', ')}` : ''}\n`);
      });
    });

  models
    .command('rename')
    .description('rename a model or adapter')
    .argument('<id>', 'library id', id)
    .argument('<name>', 'new name')
    .option('--json', 'print machine-readable results')
    .action(async (mid: number, name: string, opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const r = await call(core, 'renameModel', { id: mid, name });
        if (opts.json) return printJson(r);
        process.stdout.write(`${r.id}: ${r.name}\n`);
      });
    });

  models
    .command('rescan')
    .description('re-check every file (missing/changed) and scan added folders for new ones')
    .option('--refresh', 're-read the headers of changed files')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { refresh?: boolean; json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const r = await call(core, 'rescanModels', { refresh: opts.refresh ?? false });
        if (opts.json) return printJson(r);
        process.stdout.write(`${r.checked} checked: ${r.ok} ok, ${r.missing} missing, ${r.changed} changed; ${r.added.length} new\n`);
        for (const m of r.added) process.stdout.write(`added ${m.kind} ${m.id}: ${m.name}\n`);
        for (const s of r.skipped) process.stdout.write(`skipped ${s.file}: ${s.message}\n`);
      });
    });

  registerConfigCommands(models, call, withCore);
  registerBaseCommand(models, call, withCore);

  models
    .command('pull')
    .description(
      'download a model from the Hugging Face Hub (hf:user/repo:quant or an https URL) into the data directory; Ctrl+C stops it and the next pull resumes',
    )
    .argument('<uri>', 'model URI')
    .option('--timeout <ms>', 'give up when the Hub does not answer (or the download stalls) this long', positiveInt, 10_000)
    .option('--allow-insecure', 'allow a cleartext http:// URL to another machine (the file could be replaced on the way)')
    .option('--json', 'print machine-readable results')
    .action(async (uri: string, opts: { timeout: number; allowInsecure?: boolean; json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const pullId = `cli-${process.pid}-${Date.now()}`;
        const bar = pullProgressBar(!opts.json);
        const off = core.on('pullProgress', (p) => p.pullId === pullId && bar.update(p));
        const cancel = () => void call(core, 'cancelPull', { pullId });
        process.once('SIGINT', cancel);
        let r: PullResult;
        try {
          r = await call(core, 'pullModel', { uri, timeoutMs: Math.max(100, opts.timeout), pullId, ...(opts.allowInsecure ? { allowInsecure: true } : {}) });
        } finally {
          bar.stop();
          off();
          process.off('SIGINT', cancel);
        }
        if (opts.json) return printJson(r);
        const resumed = r.resumedBytes > 0 ? ` (resumed after ${formatBytes(r.resumedBytes)})` : '';
        process.stdout.write(`downloaded ${r.path}${resumed}\nadded ${r.record.kind} ${r.record.id}: ${r.record.name}\n`);
      });
    });

  program
    .command('runtime')
    .description('the inference backend this machine uses (CUDA, Vulkan, Metal or CPU), its devices and memory')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const r = await call(core, 'runtimeInfo', {});
        if (opts.json) return printJson(r);
        const mem = (m: { total: number; free: number }) => (m.total > 0 ? `${formatBytes(m.free)} free of ${formatBytes(m.total)}` : 'none');
        process.stdout.write(
          [
            `backend: ${r.backend}${r.supportsGpuOffloading ? '' : ' (no GPU offloading)'} · llama.cpp ${r.llamaCppRelease}`,
            `devices: ${r.deviceNames.length > 0 ? r.deviceNames.join(', ') : 'none reported'}`,
            `VRAM: ${mem(r.vram)}`,
            `RAM: ${mem(r.ram)}`,
          ].join('\n') + '\n',
        );
      });
    });

  program
    .command('generate')
    .description('run a model on one prompt and print the text with its figures')
    .requiredOption('--model <model>', `.gguf path, library id or name, or configuration name (or ${CONFIG_PREFIX}ID|NAME)`)
    .option('--prompt <text>', 'raw completion prompt')
    .option('--chat <text>', 'a user message, rendered with the model chat template')
    .option('--system <text>', 'system message (with --chat)')
    .option('--chat-template <name|file>', CHAT_TEMPLATE_HELP, chatTemplateArg)
    .addOption(new Option('--truncate <policy>', TRUNCATE_HELP).choices(TRUNCATION_POLICIES))
    .option('--max-prompt-tokens <n>', 'prompt budget in tokens, when smaller than the context less --max-tokens', positiveInt)
    .option('--max-tokens <n>', 'tokens to generate', positiveInt, 256)
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', finiteNumber, 0)
    .option('--seed <n>', 'sampling seed', nonNegativeInt)
    .option('--top-k <n>', 'top-k sampling', nonNegativeInt)
    .option('--top-p <p>', 'top-p sampling', finiteNumber)
    .option('--stop <text...>', 'stop strings')
    .option('--lora <path[:scale]>', 'LoRA adapter (path or library id), repeatable', lora)
    .option('--threads <n>', 'CPU threads', positiveInt)
    .option('--context <n>', 'context size', positiveInt)
    .option('--batch-size <n>', 'tokens per llama.cpp batch', positiveInt)
    .option('--flash-attention', "use flash attention (default: the model's own default)")
    .option('--no-flash-attention', 'do not use flash attention')
    .addOption(new Option('--gpu-layers <n>', 'GPU layers: auto, max or a number').argParser(gpuLayers))
    .option('--json', 'print the text and figures as JSON')
    .addHelpText('after', `\n${CONFIG_OVERRIDE_HELP}`)
    .action(
      async (
        opts: {
          model: string;
          prompt?: string;
          chat?: string;
          system?: string;
          chatTemplate?: string;
          truncate?: TruncationPolicy;
          maxPromptTokens?: number;
          maxTokens: number;
          temperature: number;
          seed?: number;
          topK?: number;
          topP?: number;
          stop?: string[];
          lora?: { path?: string; adapterId?: number; scale: number }[];
          threads?: number;
          context?: number;
          batchSize?: number;
          flashAttention?: boolean;
          gpuLayers?: 'auto' | 'max' | number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if ((opts.prompt === undefined) === (opts.chat === undefined)) throw new InvalidArgumentError('give either --prompt or --chat');
        if (opts.chatTemplate !== undefined && opts.chat === undefined)
          throw new InvalidArgumentError('--chat-template applies to --chat, not to a raw --prompt');
        await withCore(cmd, async (core) => {
          const requestId = `cli-${process.pid}-${Date.now()}`;
          const stream = !opts.json && process.stdout.isTTY === true;
          const off = stream ? core.on('generateToken', (t) => t.requestId === requestId && process.stdout.write(t.text)) : () => undefined;
          const cancel = () => void call(core, 'cancelGenerate', { requestId });
          process.once('SIGINT', cancel);
          const settings = {
            ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
            ...(opts.context !== undefined ? { contextSize: opts.context } : {}),
            ...(opts.gpuLayers !== undefined ? { gpuLayers: opts.gpuLayers } : {}),
            ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
            ...(opts.flashAttention !== undefined ? { flashAttention: opts.flashAttention } : {}),
            ...(opts.chatTemplate !== undefined ? { chatTemplate: opts.chatTemplate } : {}),
          };
          let r: GenerateOutput;
          try {
            r = await call(core, 'generate', {
              ...(await generateTarget(core, call, opts.model)),
              requestId,
              ...(opts.prompt !== undefined ? { prompt: opts.prompt } : {}),
              ...(opts.chat !== undefined
                ? {
                    messages: [
                      ...(opts.system !== undefined ? [{ role: 'system' as const, content: opts.system }] : []),
                      { role: 'user' as const, content: opts.chat },
                    ],
                  }
                : {}),
              maxTokens: opts.maxTokens,
              temperature: opts.temperature,
              ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
              ...(opts.topK !== undefined ? { topK: opts.topK } : {}),
              ...(opts.topP !== undefined ? { topP: opts.topP } : {}),
              ...(opts.stop !== undefined ? { stop: opts.stop } : {}),
              ...(opts.lora ? { adapters: opts.lora } : {}),
              ...(opts.truncate !== undefined ? { truncate: opts.truncate } : {}),
              ...(opts.maxPromptTokens !== undefined ? { maxPromptTokens: opts.maxPromptTokens } : {}),
              ...(Object.keys(settings).length ? { settings } : {}),
            });
          } finally {
            off();
            process.off('SIGINT', cancel);
          }
          if (opts.json) return printJson(r);
          if (!stream) process.stdout.write(r.text);
          for (const s of r.ignoredSettings) process.stderr.write(`\nmedtask: not applied: ${s}\n`);
          if (r.truncation) {
            process.stderr.write(
              `\nmedtask: the prompt was cut to fit: ${r.truncation.removedTokens} of ${r.truncation.originalTokens} tokens removed (${r.truncation.policy})\n`,
            );
          }
          process.stdout.write(
            `\n-- ${r.outputTokens} tokens (${r.stopReason}), prompt ${r.promptTokens} tokens, first token ${r.timeToFirstTokenMs.toFixed(1)} ms, ${r.tokensPerSecond.toFixed(1)} tokens/s\n`,
          );
        });
      },
    );
}
