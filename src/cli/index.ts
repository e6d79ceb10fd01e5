/**
 * `medtask`: the library, imports and the web host from a terminal, over the same core
 * and data directory as the desktop app.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { HIGHLIGHT_END, HIGHLIGHT_START, type CallInput } from '../shared';
import { call, openCore } from './core';
import { APP_VERSION } from '../core/version';
import { oneLine, printJson, printTable } from './output';
import { importProgressBar } from './progress';
import { resolveTask } from './resolveTask';
import { registerScoreCommand } from './commands/score';
import { registerRunCommands } from './commands/runs';
import { registerModelCommands } from './commands/models';
import { registerTaskCommand } from './commands/task';
import { registerAnnotationCommands } from './commands/annotations';
import { registerServeCommand } from './commands/serve';
import { registerCompareCommand } from './commands/compare';
import { registerLeaderboardCommand } from './commands/leaderboard';
import { registerEngineCommands } from './commands/engine';
import { SPLIT_NAMES, TASK_CONFIGS } from '../shared/enums';
import { nonNegativeInt, positiveInt } from './args';

interface ImportOptions {
  dryRun?: boolean;
  json?: boolean;
  map?: ColumnMappingInput;
  benchmark?: string;
  benchmarkTitle?: string;
  task?: string;
  category?: string;
  split?: 'train' | 'dev' | 'test';
  config?: 'few-shot' | 'zero-shot' | 'default';
  instruction?: string;
  skipUnknown?: boolean;
}

type ColumnMappingInput = NonNullable<CallInput<'importPaths'>['mapping']>;

const MAPPING_KEYS = ['instruction', 'input', 'output', 'history', 'id'] as const;

function parseMapping(value: string): ColumnMappingInput {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const [key, col] = pair.split('=').map((s) => s.trim());
    if (!key || !col || !(MAPPING_KEYS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`expected ${MAPPING_KEYS.join('|')}=COLUMN pairs separated by commas, got "${pair}"`);
    }
    out[key] = col;
  }
  if (!out.input || !out.output) throw new InvalidArgumentError('input=COLUMN and output=COLUMN are required');
  return out as ColumnMappingInput;
}

export function buildProgram(): Command {
  const program = new Command('medtask')
    .description('MedTask Studio: biomedical LLM benchmarks, locally')
    .version(APP_VERSION)
    .addOption(new Option('--home <dir>', 'data directory (default: $MEDTASK_HOME or the OS app-data folder)'))
    .option('--verbose', 'show the engine log on stderr (debug level; it is always written to <home>/logs/medtask.log at info level)')
    .showHelpAfterError();

  program
    .command('import')
    .description('import benchmark files or folders into the library')
    .argument('<paths...>', 'files or folders')
    .option('--dry-run', 'show the detected layout and record counts without writing')
    .option('--map <columns>', 'for files in no published layout: input=COL,output=COL[,instruction=COL,history=COL,id=COL]', parseMapping)
    .option('--benchmark <name>', 'benchmark to import into (with --map), or to settle an ambiguous layout')
    .option('--benchmark-title <title>', 'display title of a new benchmark')
    .option('--task <name>', 'task name (with --map; default: the file name)')
    .option('--category <category>', 'task category (with --map)')
    .addOption(new Option('--split <split>', 'split (with --map)').choices([...SPLIT_NAMES]))
    .addOption(new Option('--config <config>', 'config (with --map)').choices([...TASK_CONFIGS]))
    .option('--instruction <text>', 'instruction for every record (with --map, when no column holds it)')
    .option('--skip-unknown', 'inside folders, leave out files in no known layout (listed) instead of stopping')
    .option('--json', 'print machine-readable results')
    .action(async (paths: string[], opts: ImportOptions, cmd: Command) => {
      const resolved = paths.map((p) => path.resolve(p));
      const target = {
        benchmark: opts.benchmark,
        benchmarkTitle: opts.benchmarkTitle,
        task: opts.task,
        category: opts.category,
        split: opts.split,
        config: opts.config,
        instruction: opts.instruction,
      };
      const hasTarget = Object.values(target).some((v) => v !== undefined);
      const core = openCore(cmd);
      try {
        if (opts.dryRun) {
          const preview = await call(core, 'previewImport', {
            paths: resolved,
            mapping: opts.map,
            target: hasTarget ? target : undefined,
            skipUnknown: opts.skipUnknown,
          });
          if (opts.json) printJson(preview.entries);
          else
            printTable(
              preview.entries.map((e) => ({
                ...e,
                config: e.config ?? '',
                split: e.split ?? '',
                note: e.skippedBecause ? `skipped: ${e.skippedBecause}` : '',
              })),
              ['benchmark', 'task', 'config', 'split', 'rowCount', 'layout', 'file', 'note'],
            );
          return;
        }
        const bar = importProgressBar(!opts.json);
        const off = core.on('importProgress', (p) => bar.update(p));
        const importId = `cli-${process.pid}-${Date.now()}`;
        const abort = () => core.cancelImport(importId);
        process.once('SIGINT', abort);
        try {
          const result = await call(core, 'importPaths', {
            paths: resolved,
            importId,
            mapping: opts.map,
            target: hasTarget ? target : undefined,
            skipUnknown: opts.skipUnknown,
          });
          bar.stop();
          // One shape whatever was imported, so scripts need not tell an array from an object.
          if (opts.json) printJson({ splits: result.splits, definitions: result.definitions, skipped: result.skipped });
          else {
            printTable(
              result.splits.map((s) => ({ ...s, changed: s.changed ? 'imported' : 'unchanged' })),
              ['benchmark', 'task', 'config', 'split', 'itemCount', 'changed', 'file'],
            );
            for (const d of result.definitions) {
              process.stdout.write(`instruction variants: ${d.taskCount} tasks, ${d.variantCount} texts from ${d.file}${d.changed ? '' : ' (unchanged)'}\n`);
            }
            for (const s of result.skipped) process.stdout.write(`skipped ${s.file}: ${s.reason}\n`);
          }
        } finally {
          bar.stop();
          off();
          process.off('SIGINT', abort);
        }
      } finally {
        core.close();
      }
    });

  program
    .command('tasks')
    .description('list the tasks in the library')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const tasks = await call(core, 'listTasks', {});
        if (opts.json) printJson(tasks);
        else
          printTable(
            tasks.map((t) => ({
              id: t.id,
              benchmark: t.benchmark,
              task: t.name,
              category: t.category,
              items: t.itemCount,
              splits: t.splits.map((s) => `${s.config}/${s.split}:${s.itemCount}`).join(' '),
            })),
            ['id', 'benchmark', 'task', 'category', 'items', 'splits'],
          );
      } finally {
        core.close();
      }
    });

  registerTaskCommand(program);
  registerAnnotationCommands(program);

  program
    .command('items')
    .description("list a task's items")
    .argument('<task>', 'task id, name, or benchmark/name')
    .option('--limit <n>', 'how many items', positiveInt, 20)
    .option('--after <index>', 'start after this record index (keyset paging)', nonNegativeInt)
    .addOption(new Option('--config <config>', 'few-shot or zero-shot').choices([...TASK_CONFIGS]))
    .addOption(new Option('--split <split>', 'split').choices([...SPLIT_NAMES]))
    .option('--json', 'print full items as JSON')
    .action(
      async (
        ref: string,
        opts: { limit: number; after?: number; config?: 'few-shot' | 'zero-shot' | 'default'; split?: 'train' | 'dev' | 'test'; json?: boolean },
        cmd: Command,
      ) => {
        const core = openCore(cmd);
        try {
          const task = resolveTask(await call(core, 'listTasks', {}), ref);
          const page = await call(core, 'pageItems', {
            taskId: task.id,
            config: opts.config,
            split: opts.split,
            after: opts.after,
            limit: Math.max(1, Math.min(opts.limit, 1000)),
          });
          if (opts.json) {
            const items = [];
            for (const s of page.items) items.push(await call(core, 'getItem', { itemId: s.id }));
            printJson({ task: task.name, benchmark: task.benchmark, total: page.total, nextCursor: page.nextCursor, items });
          } else {
            printTable(
              page.items.map((i) => ({ index: i.index, config: i.config, split: i.split, output: i.output.slice(0, 40), input: i.preview.slice(0, 80) })),
              ['index', 'config', 'split', 'output', 'input'],
            );
          }
        } finally {
          core.close();
        }
      },
    );

  program
    .command('search')
    .description('full-text search over instruction, input and output of every item')
    .argument('<query...>', 'words or "quoted phrases"; a trailing * searches by prefix')
    .option('--task <task>', 'only this task (id, name or benchmark/name)')
    .option('--benchmark <name>', 'only this benchmark (e.g. medinst32)')
    .option('--category <category>', 'only this category')
    .addOption(new Option('--split <split>', 'only this split').choices([...SPLIT_NAMES]))
    .addOption(new Option('--config <config>', 'only this config (few-shot, zero-shot, default)').choices([...TASK_CONFIGS]))
    .option('--language <language>', 'only tasks in this language (e.g. English)')
    .option('--offset <n>', 'skip this many hits (the next page)', nonNegativeInt, 0)
    .option('--limit <n>', 'how many hits', positiveInt, 20)
    .option('--json', 'print machine-readable results')
    .action(
      async (
        words: string[],
        opts: {
          task?: string;
          benchmark?: string;
          category?: string;
          split?: 'train' | 'dev' | 'test';
          config?: (typeof TASK_CONFIGS)[number];
          language?: string;
          offset: number;
          limit: number;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const core = openCore(cmd);
        try {
          const taskId = opts.task ? resolveTask(await call(core, 'listTasks', {}), opts.task).id : undefined;
          const result = await call(core, 'search', {
            query: words.join(' '),
            taskId,
            benchmark: opts.benchmark,
            category: opts.category,
            split: opts.split,
            config: opts.config,
            language: opts.language,
            offset: Math.min(opts.offset, 10_000),
            limit: Math.max(1, Math.min(opts.limit, 200)),
          });
          if (opts.json) {
            printJson(result);
            return;
          }
          const [on, off] = process.stdout.isTTY ? ['\u001b[1;33m', '\u001b[0m'] : ['*', '*'];
          const bold = (s: string) => s.split(HIGHLIGHT_START).join(on).split(HIGHLIGHT_END).join(off);
          process.stdout.write(`${result.total} matches in ${result.tookMs} ms\n`);
          for (const h of result.hits) {
            process.stdout.write(`${h.benchmark}/${h.task} ${h.config}/${h.split} #${h.index} [${h.field}]  ${bold(h.snippet.replace(/\s+/g, ' '))}\n`);
            // Copies of the same record (another config or benchmark) are listed under it, not as more hits.
            for (const c of h.copies.slice(1)) process.stdout.write(`  also ${c.benchmark}/${c.task} ${c.config}/${c.split} #${c.index}\n`);
          }
        } finally {
          core.close();
        }
      },
    );

  program
    .command('demo')
    .description('import the small synthetic demo pack shipped with the app')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const result = await call(core, 'importDemo', {});
        if (opts.json) printJson(result.splits);
        else
          printTable(
            result.splits.map((s) => ({ ...s, changed: String(s.changed) })),
            ['benchmark', 'task', 'split', 'itemCount'],
          );
      } finally {
        core.close();
      }
    });

  registerServeCommand(program);
  registerScoreCommand(program);
  registerRunCommands(program);
  registerCompareCommand(program);
  registerLeaderboardCommand(program);
  registerEngineCommands(program);
  registerModelCommands(program, { openCore, call });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    process.stderr.write(`medtask: ${oneLine(err)}\n`);
    return 1;
  }
}
