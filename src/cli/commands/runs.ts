/**
 * `medtask run | runs | resume | export | import-predictions`: benchmark runs from a terminal,
 * with a progress bar, Ctrl+C pausing (resumable), and the benchmarks' own scores at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { finiteNumber, nonNegativeInt, positiveInt } from '../args';
import { preflightFailures, type LocalModelSpec, type RunDetail, type RunPreflight, type RunSpec, type RunSummary } from '../../shared/runs';
import type { MedtaskCore } from '../../core/service';
import { CHAT_TEMPLATE_HELP, chatTemplateArg } from '../chatTemplate';
import { TRUNCATE_HELP } from '../truncate';
import { TRUNCATION_POLICIES, type ModelLoadSettings, type TruncationPolicy } from '../../shared/models';
import { call, openCore } from '../core';
import { CliError, printJson, printTable } from '../output';
import { resolveTask } from '../resolveTask';
import {
  argByPrefix,
  checkInput,
  CONFIG_OVERRIDE_HELP,
  CONFIG_PREFIX,
  envNameFlag,
  plainModel,
  resolveModelRef,
  timeoutFlag,
  type LocalModelChoice,
} from '../modelConfigs';
import { METRIC_MODES, PROMPT_STRATEGIES, SPLIT_NAMES, TASK_CONFIGS } from '../../shared/enums';

function lora(value: string, previous: { path: string; scale?: number }[] = []): { path: string; scale?: number }[] {
  const m = /^(.*?)(?::(-?\d+(?:\.\d+)?))?$/.exec(value)!;
  return [...previous, { path: path.resolve(m[1]!), ...(m[2] !== undefined ? { scale: Number(m[2]) } : {}) }];
}

function benchmarkTasks(tasks: { id: number; benchmark: string }[], name: string): number[] {
  const ids = tasks.filter((t) => t.benchmark === name).map((t) => t.id);
  if (ids.length === 0) throw new InvalidArgumentError(`no tasks of benchmark "${name}" in the library (see \`medtask tasks\`)`);
  return ids;
}

/** A path that exists wins; otherwise a configuration or a library model (see resolveModelRef). */
async function resolveLocalModel(core: MedtaskCore, ref: string): Promise<LocalModelChoice> {
  if (fs.existsSync(ref)) return plainModel(path.resolve(ref));
  const [list, configs] = await Promise.all([call(core, 'listModels', {}), call(core, 'listModelConfigs', {})]);
  return resolveModelRef(list, configs, ref);
}

/** The load settings given as flags; each replaces a configuration's own value. */
function flagSettings(opts: RunOptions): Partial<ModelLoadSettings> {
  return {
    ...(opts.gpuLayers !== undefined ? { gpuLayers: opts.gpuLayers } : {}),
    ...(opts.contextSize !== undefined ? { contextSize: opts.contextSize } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
    ...(opts.flashAttention !== undefined ? { flashAttention: opts.flashAttention } : {}),
    ...(opts.chatTemplate !== undefined ? { chatTemplate: opts.chatTemplate } : {}),
  };
}

/** The run's local model: the choice's file, its adapters then --lora's, its settings under the flags'. */
function localSpec(choice: LocalModelChoice, opts: RunOptions): LocalModelSpec {
  const s = { ...choice.settings, ...flagSettings(opts) };
  const loras = [...choice.loras, ...(opts.lora ?? [])];
  return {
    kind: 'local',
    path: choice.path,
    ...(choice.config ? { configName: choice.config.name } : {}),
    ...(loras.length > 0 ? { loras } : {}),
    ...(s.gpuLayers !== undefined ? { gpuLayers: s.gpuLayers } : {}),
    ...(s.contextSize !== undefined ? { contextSize: s.contextSize } : {}),
    ...(s.batchSize !== undefined ? { batchSize: s.batchSize } : {}),
    ...(s.threads !== undefined ? { threads: s.threads } : {}),
    ...(s.flashAttention !== undefined ? { flashAttention: s.flashAttention } : {}),
    ...(s.chatTemplate !== undefined ? { chatTemplate: s.chatTemplate } : {}),
    ...(opts.truncate !== undefined ? { truncate: opts.truncate } : {}),
    ...(opts.maxPromptTokens !== undefined ? { maxPromptTokens: opts.maxPromptTokens } : {}),
  };
}

function remoteSpec(opts: RunOptions): RunSpec['model'] {
  return {
    kind: 'remote',
    baseUrl: opts.remote!,
    model: opts.remoteModel ?? 'default',
    concurrency: opts.parallel,
    ...(opts.apiKeyEnv !== undefined ? { apiKeyEnv: opts.apiKeyEnv } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
  };
}

const MODEL_REF_HELP = [
  `--model is, in this order: a file that exists; with ${CONFIG_PREFIX}ID or ${CONFIG_PREFIX}NAME, a configuration;`,
  "a number, a library model's id; a name, a configuration, else a library model.",
].join('\n');

/** Run spec fields to the flags that fill them, for errors that name the flag. */
const RUN_ARGS: Record<string, string> = {
  name: '--name',
  'model.path': '--model',
  'model.loras': '--lora',
  'model.gpuLayers': '--gpu-layers',
  'model.contextSize': '--context-size',
  'model.batchSize': '--batch-size',
  'model.threads': '--threads',
  'model.flashAttention': '--flash-attention',
  'model.chatTemplate': '--chat-template',
  'model.truncate': '--truncate',
  'model.maxPromptTokens': '--max-prompt-tokens',
  'model.baseUrl': '--remote',
  'model.model': '--remote-model',
  'model.apiKeyEnv': '--api-key-env',
  'model.concurrency': '--parallel',
  'model.timeoutMs': '--timeout',
  template: '--template',
  'template.k': '--shots',
  'template.variant': '--variant',
  'template.seed': '--seed',
  'decoding.maxTokens': '--max-tokens',
  'decoding.temperature': '--temperature',
  'decoding.seed': '--seed',
  'selection.taskIds': '--task',
  'selection.limit': '--limit',
  'selection.sample': '--sample',
  parallel: '--parallel',
};

/**
 * The argument behind a run spec field: a value the configuration supplied (an adapter of its
 * own, or a setting no flag replaced) is blamed on the configuration, not on a flag not given.
 */
function runArgFor(opts: RunOptions, choice: LocalModelChoice | undefined): (field: string) => string | undefined {
  const flags = flagSettings(opts);
  return (field) => {
    const config = choice?.config;
    if (config) {
      const from = `--model ${opts.model} (configuration "${config.name}"`;
      const adapter = /^model\.loras\.(\d+)/.exec(field);
      if (adapter && Number(adapter[1]) < choice.loras.length) return `${from}, adapter ${choice.loras[Number(adapter[1])]!.path})`;
      const key = /^model\.(\w+)/.exec(field)?.[1] as keyof ModelLoadSettings | undefined;
      if (key && key in choice.settings && !(key in flags)) return `${from}, setting ${key})`;
    }
    if (opts.template && field.startsWith('template')) return `--template ${opts.template}`;
    return argByPrefix(RUN_ARGS, field);
  };
}

/** Flags that only one kind of model takes, refused on the other. */
function checkModelFlags(opts: RunOptions): void {
  if (!opts.model === !opts.remote) throw new InvalidArgumentError('give either --model PATH or --remote URL');
  if (opts.remote && opts.chatTemplate !== undefined)
    throw new InvalidArgumentError('--chat-template is for local models; a remote server applies its own template');
  if (opts.remote && (opts.truncate !== undefined || opts.maxPromptTokens !== undefined)) {
    throw new InvalidArgumentError('--truncate and --max-prompt-tokens are for local models; a remote server tokenizes the prompt itself');
  }
  if (opts.model && (opts.apiKeyEnv !== undefined || opts.timeout !== undefined)) throw new CliError('--api-key-env and --timeout are for --remote servers');
  // Said before the run is created: the core would only find it when the run starts, and fail it.
  if (opts.apiKeyEnv !== undefined && !process.env[opts.apiKeyEnv]) throw new CliError(`--api-key-env: the API key variable ${opts.apiKeyEnv} is not set`);
}

function scoreLines(run: RunSummary): string[] {
  return run.scores.map(
    (s) =>
      `  ${s.benchmark}/${s.task} (${s.itemCount} items): ${Object.entries(s.metrics)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ')}`,
  );
}

function describe(run: RunDetail | RunSummary): string {
  const rate = run.tokensPerSecond !== null ? `, ${run.tokensPerSecond} tok/s` : '';
  const cut =
    'truncatedItems' in run && run.truncatedItems > 0
      ? [
          `  ${run.truncatedItems} item prompts were cut to fit (${run.spec?.model.kind === 'local' ? (run.spec.model.truncate ?? 'error') : 'remote'}); items-csv/items-json exports list the tokens removed`,
        ]
      : [];
  return [
    `run ${run.id} ${run.status}: ${run.itemDone}/${run.itemTotal} items (${run.itemErrors} errors${rate}, ${(run.wallMs / 1000).toFixed(1)} s) — ${run.name}`,
    ...cut,
    ...scoreLines(run),
    ...(run.error ? [`  error: ${run.error}`] : []),
  ].join('\n');
}

/** Waits for a run, drawing progress; Ctrl+C pauses it so `medtask resume` can finish it. */
async function follow(core: MedtaskCore, runId: number, json: boolean, wait: () => Promise<RunDetail>): Promise<RunDetail> {
  const bar =
    !json && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { stream: process.stderr, format: 'run {runId} |{bar}| {value}/{total} items  {errors} errors  {rate} tok/s  ETA {etaText}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
  let started = false;
  const off = core.on('runProgress', (p) => {
    if (p.runId !== runId || !bar) return;
    if (!started) {
      bar.start(p.total, p.done, { runId, errors: p.errors, rate: '-', etaText: '-' });
      started = true;
    }
    bar.update(p.done, { errors: p.errors, rate: p.tokensPerSecond ?? '-', etaText: p.etaMs !== null ? `${Math.round(p.etaMs / 1000)} s` : '-' });
  });
  const pause = () => {
    process.stderr.write(`\npausing run ${runId}; finish it later with \`medtask resume ${runId}\`\n`);
    core.runs.pause(runId);
  };
  process.once('SIGINT', pause);
  try {
    return await wait();
  } finally {
    process.off('SIGINT', pause);
    off();
    if (started) bar?.stop();
  }
}

/** The pre-flight check in words: how many prompts do not fit, the largest, and what happens to them. */
export function describePreflight(p: RunPreflight): string {
  const how = p.counting === 'model' ? "counted with the model's tokenizer and chat template" : 'estimated at ~4 characters a token';
  const lines = [
    p.budget === null
      ? `pre-flight: ${p.checked}/${p.items} prompts rendered; the remote server checks them against its own context`
      : `pre-flight: ${p.overBudget} of ${p.checked} prompts do not fit (budget ${p.budget} prompt tokens = context ${p.contextSize} - ${p.maxTokens} max tokens${
          p.budget < (p.contextSize ?? 0) - p.maxTokens ? ', or --max-prompt-tokens' : ''
        })`,
  ];
  if (p.largest)
    lines.push(
      `  largest: item #${p.largest.index ?? '?'} of ${p.largest.task}, ${p.largest.promptTokens} tokens${p.budget !== null ? ` vs ${p.budget}` : ''} (${how})`,
    );
  if (p.renderErrors > 0) lines.push(`  ${p.renderErrors} prompts did not render: ${p.firstRenderError}`);
  if (p.overBudget > 0)
    lines.push(
      p.truncate === 'error'
        ? '  those items will fail: raise --context-size, lower --max-tokens, or set --truncate keep-start|keep-end|keep-both'
        : `  those prompts will be cut (--truncate ${p.truncate}); each item records the tokens removed`,
    );
  return lines.join('\n');
}

async function finish(core: MedtaskCore, run: RunDetail, json: boolean): Promise<void> {
  if (json) printJson(run);
  else process.stdout.write(`${describe(run)}\n`);
  if (run.status === 'failed') process.exitCode = 1;
  await core.dispose();
}

/** A template file, or the strategy flags. The host validates either against the same schema. */
function templateFrom(opts: {
  template?: string;
  strategy: RunSpec['template']['strategy'];
  seed: number;
  shots?: number;
  variant?: number;
  promptMode?: 'reference' | 'corrected';
}): RunSpec['template'] {
  if (opts.template) {
    try {
      return JSON.parse(fs.readFileSync(path.resolve(opts.template), 'utf8')) as RunSpec['template'];
    } catch (err) {
      throw new InvalidArgumentError(`${opts.template}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    strategy: opts.strategy,
    seed: opts.seed,
    ...(opts.shots !== undefined ? { k: opts.shots } : {}),
    ...(opts.variant !== undefined ? { variant: opts.variant } : {}),
    ...(opts.promptMode ? { mode: opts.promptMode } : {}),
  };
}

interface RunOptions {
  dryRun?: boolean;
  template?: string;
  task?: string[];
  benchmark?: string;
  config?: 'few-shot' | 'zero-shot' | 'default';
  split?: 'train' | 'dev' | 'test';
  model?: string;
  lora?: { path: string; scale?: number }[];
  remote?: string;
  remoteModel?: string;
  apiKeyEnv?: string;
  /** In milliseconds (the flag takes seconds). */
  timeout?: number;
  strategy: 'medinst32' | 'meds-bench' | 'generic' | 'zero-shot' | 'raw';
  shots?: number;
  variant?: number;
  promptMode?: 'reference' | 'corrected';
  limit?: number;
  sample?: number;
  seed: number;
  maxTokens: number;
  temperature: number;
  parallel: number;
  threads?: number;
  gpuLayers?: 'auto' | 'max' | number;
  contextSize?: number;
  batchSize?: number;
  flashAttention?: boolean;
  chatTemplate?: string;
  truncate?: TruncationPolicy;
  maxPromptTokens?: number;
  mode: 'reference' | 'corrected';
  name?: string;
  json?: boolean;
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description("run a model over benchmark tasks and score it with the benchmark's own metrics")
    .option('--task <task...>', 'task id, name or benchmark/name (repeatable)')
    .option('--benchmark <name>', 'every task of a benchmark (e.g. medinst32)')
    .addOption(new Option('--config <config>', 'few-shot or zero-shot').choices([...TASK_CONFIGS]))
    .addOption(new Option('--split <split>', 'split').choices([...SPLIT_NAMES]))
    .option(
      '--model <path|id|name>',
      `a GGUF model file, a model of the library (\`medtask models list\`), or a model configuration by name or ${CONFIG_PREFIX}ID (\`medtask models config list\`)`,
    )
    .option('--lora <path[:scale]>', 'a LoRA adapter on the model (repeatable)', lora)
    .option('--remote <url>', 'an OpenAI-compatible server instead of a local model (e.g. http://127.0.0.1:8080)')
    .option('--remote-model <name>', 'model name on the remote server', 'default')
    .option('--api-key-env <name>', "environment variable holding the remote server's API key (the key is never stored)", envNameFlag)
    .option('--timeout <seconds>', 'per-request timeout on the remote server (default 300)', timeoutFlag)
    .addOption(new Option('--strategy <strategy>', 'prompt strategy').choices([...PROMPT_STRATEGIES]).default('medinst32'))
    .option('--template <file>', 'a prompt template as JSON (strategy, k, seed, variant, system, user, example, text…); overrides --strategy/--shots/--variant')
    .option('--shots <k>', "demonstrations per prompt (default: the strategy's own)", nonNegativeInt)
    .option('--variant <n>', 'instruction variant: 0 original, n the n-th paraphrase', nonNegativeInt)
    .addOption(new Option('--prompt-mode <mode>', 'MedS-Bench sampler: reference (may draw the query) or corrected').choices([...METRIC_MODES]))
    .option('--limit <n>', 'first N items of each task', positiveInt)
    .option('--sample <n>', 'a seeded sample of N items of each task', positiveInt)
    .option('--seed <n>', 'seed for example and item sampling', nonNegativeInt, 0)
    .option('--max-tokens <n>', 'maximum output tokens', positiveInt, 256)
    .option('--temperature <t>', '0 = greedy', finiteNumber, 0)
    .option('--parallel <n>', 'parallel sequences (local) or requests (remote)', positiveInt, 1)
    .option('--threads <n>', 'CPU threads for local inference', positiveInt)
    .option('--gpu-layers <n>', 'GPU layers for local inference: auto, max or a number', (v: string) => (v === 'auto' || v === 'max' ? v : nonNegativeInt(v)))
    .option('--context-size <n>', 'context size per sequence', positiveInt)
    .option('--batch-size <n>', 'tokens per llama.cpp batch', positiveInt)
    .option('--flash-attention', "use flash attention (default: the model's own default)")
    .option('--no-flash-attention', 'do not use flash attention')
    .option('--chat-template <name|file>', `${CHAT_TEMPLATE_HELP} (local models)`, chatTemplateArg)
    .addOption(new Option('--truncate <policy>', `${TRUNCATE_HELP} (local models)`).choices(TRUNCATION_POLICIES))
    .option('--max-prompt-tokens <n>', 'prompt budget in tokens, when smaller than the context less --max-tokens (local models)', positiveInt)
    .addOption(new Option('--mode <mode>', 'metric mode').choices([...METRIC_MODES]).default('reference'))
    .option('--name <name>', 'run name')
    .option('--json', 'print the finished run as JSON')
    .option('--dry-run', "render and count the prompts against the model's context (pre-flight), then stop without running")
    .addHelpText('after', `\n${MODEL_REF_HELP}\n${CONFIG_OVERRIDE_HELP}`)
    .action(async (opts: RunOptions, cmd: Command) => {
      checkModelFlags(opts);
      if (!opts.task?.length && !opts.benchmark) throw new InvalidArgumentError('give --task T (repeatable) or --benchmark NAME');
      const core = openCore(cmd);
      const tasks = await call(core, 'listTasks', {});
      const choice = opts.model ? await resolveLocalModel(core, opts.model) : undefined;
      const spec: RunSpec = {
        ...(opts.name ? { name: opts.name } : {}),
        model: choice ? localSpec(choice, opts) : remoteSpec(opts),
        template: templateFrom(opts),
        decoding: { maxTokens: opts.maxTokens, temperature: opts.temperature, seed: opts.seed },
        selection: {
          taskIds: opts.task?.length ? opts.task.map((t) => resolveTask(tasks, t).id) : benchmarkTasks(tasks, opts.benchmark!),
          ...(opts.config ? { config: opts.config } : {}),
          ...(opts.split ? { split: opts.split } : {}),
          ...(opts.sample !== undefined ? { sample: { n: opts.sample, seed: opts.seed } } : opts.limit !== undefined ? { limit: opts.limit } : {}),
        },
        parallel: opts.parallel,
        metricMode: opts.mode,
      };
      checkInput('createRun', spec, runArgFor(opts, choice));
      // Pre-flight: a run whose prompts cannot fit is said before it fails every item. --dry-run stops
      // here (exit code 1 when items would fail); a real run goes on, with the warning on stderr.
      if (opts.dryRun) {
        const preflight = await call(core, 'preflightRun', spec);
        if (opts.json) printJson(preflight);
        else process.stdout.write(`${describePreflight(preflight)}\n`);
        if (preflightFailures(preflight) > 0) process.exitCode = 1;
        await core.dispose();
        return;
      }
      // Before a real run the check only warns: a model it cannot read is the run's own error to report.
      const preflight = await call(core, 'preflightRun', spec).catch(() => null);
      if (preflight && (preflight.overBudget > 0 || preflight.renderErrors > 0)) process.stderr.write(`${describePreflight(preflight)}\n`);
      const created = await call(core, 'createRun', spec);
      const run = await follow(core, created.id, !!opts.json, () => core.runs.wait(created.id));
      await finish(core, run, !!opts.json);
    });

  program
    .command('prompt')
    .description('show the exact prompt a run would send for one item, and its template hash')
    .requiredOption('--task <task>', 'task id, name or benchmark/name')
    .option('--index <n>', 'record index (default: the first item)', nonNegativeInt)
    .addOption(new Option('--config <config>', 'few-shot or zero-shot').choices([...TASK_CONFIGS]))
    .addOption(new Option('--strategy <strategy>', 'prompt strategy').choices([...PROMPT_STRATEGIES]).default('medinst32'))
    .option('--template <file>', 'a prompt template as JSON')
    .option('--shots <k>', 'demonstrations per prompt', nonNegativeInt)
    .option('--variant <n>', 'instruction variant', nonNegativeInt)
    .addOption(new Option('--prompt-mode <mode>', 'MedS-Bench sampler').choices([...METRIC_MODES]))
    .option('--seed <n>', 'seed for example sampling', nonNegativeInt, 0)
    .option('--json', 'print machine-readable results')
    .action(
      async (
        opts: {
          task: string;
          index?: number;
          config?: 'few-shot' | 'zero-shot' | 'default';
          strategy: RunSpec['template']['strategy'];
          template?: string;
          shots?: number;
          variant?: number;
          promptMode?: 'reference' | 'corrected';
          seed: number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const core = openCore(cmd);
        try {
          const task = resolveTask(await call(core, 'listTasks', {}), opts.task);
          const preview = await call(core, 'previewPrompt', {
            template: templateFrom(opts),
            taskId: task.id,
            ...(opts.config ? { config: opts.config } : {}),
            ...(opts.index !== undefined ? { index: opts.index } : {}),
          });
          if (opts.json) printJson(preview);
          else {
            process.stdout.write(`template ${preview.templateHash} · ${task.benchmark}/${task.name} #${preview.index}\n`);
            if ('text' in preview.prompt) process.stdout.write(`--- raw prompt ---\n${preview.prompt.text}\n`);
            else for (const m of preview.prompt.messages) process.stdout.write(`--- ${m.role} ---\n${m.content}\n`);
          }
        } finally {
          await core.dispose();
        }
      },
    );

  program
    .command('runs')
    .description('list runs with their status and scores')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const runs = await call(core, 'listRuns', {});
        if (opts.json) printJson(runs);
        else
          printTable(
            runs.map((r) => ({
              id: r.id,
              status: r.status,
              kind: r.kind,
              items: `${r.itemDone}/${r.itemTotal}`,
              errors: r.itemErrors,
              'tok/s': r.tokensPerSecond ?? '',
              model: r.modelLabel,
              name: r.name,
            })),
            ['id', 'status', 'kind', 'items', 'errors', 'tok/s', 'model', 'name'],
          );
      } finally {
        await core.dispose();
      }
    });

  program
    .command('resume')
    .description('finish a paused or interrupted run (no item is lost or done twice)')
    .argument('<run>', 'run id', positiveInt)
    .option('--json', 'print the finished run as JSON')
    .action(async (runId: number, opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      const run = await follow(core, runId, !!opts.json, () => core.runs.resume(runId));
      await finish(core, run, !!opts.json);
    });

  program
    .command('export')
    .description('write a run as MedS-Bench CSV, MedINST32 results JSON, or a per-item report')
    .argument('<run>', 'run id', positiveInt)
    .addOption(new Option('--format <format>', 'output format').choices(['meds-bench-csv', 'medinst32-json', 'items-json', 'items-csv']).makeOptionMandatory())
    .requiredOption('--out <file>', 'output file (written through a temporary file, then renamed)')
    .option('--overwrite', 'replace the output file if it exists (without it, an existing file is an error)')
    .option('--json', 'print machine-readable results')
    .action(
      async (
        runId: number,
        opts: { format: 'meds-bench-csv' | 'medinst32-json' | 'items-json' | 'items-csv'; out: string; overwrite?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const core = openCore(cmd);
        try {
          const res = await call(core, 'exportRun', {
            runId,
            format: opts.format,
            out: path.resolve(opts.out),
            ...(opts.overwrite ? { overwrite: true } : {}),
          });
          if (opts.json) printJson(res);
          else process.stdout.write(`wrote ${res.items} items to ${res.file} (${res.bytes} bytes)\n`);
        } finally {
          await core.dispose();
        }
      },
    );

  program
    .command('import-predictions')
    .description('store predictions made elsewhere as a scored run (MedS-Bench CSV or MedINST32 results JSON)')
    .argument('<file>', 'predictions file')
    .addOption(new Option('--format <format>', 'file format (default: detected)').choices(['meds-bench-csv', 'medinst32-json']))
    .addOption(new Option('--mode <mode>', 'metric mode').choices([...METRIC_MODES]).default('reference'))
    .option('--name <name>', 'run name')
    .option('--json', 'print the run as JSON')
    .action(
      async (
        file: string,
        opts: { format?: 'meds-bench-csv' | 'medinst32-json'; mode: 'reference' | 'corrected'; name?: string; json?: boolean },
        cmd: Command,
      ) => {
        const core = openCore(cmd);
        const run = await call(core, 'importPredictions', {
          file: path.resolve(file),
          mode: opts.mode,
          ...(opts.format ? { format: opts.format } : {}),
          ...(opts.name ? { name: opts.name } : {}),
        });
        await finish(core, run, !!opts.json);
      },
    );

  program
    .command('rescore')
    .description("score a run's stored outputs again (e.g. in the other metric mode) without re-running the model")
    .argument('<run>', 'run id', positiveInt)
    .addOption(new Option('--mode <mode>', 'metric mode').choices([...METRIC_MODES]).makeOptionMandatory())
    .option('--json', 'print the run as JSON')
    .action(async (runId: number, opts: { mode: 'reference' | 'corrected'; json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      const run = await call(core, 'rescoreRun', { runId, mode: opts.mode });
      await finish(core, run, !!opts.json);
    });
}
