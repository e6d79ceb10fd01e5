/** `medtask task TASK`: one task's definition, languages, variants, examples, metrics and provenance. */
import type { Command } from 'commander';
import { intInRange } from '../args';
import type { TaskDetail, TaskExample } from '../../shared/domain';
import { call, openCore } from '../core';
import { printJson, printTable } from '../output';
import { resolveTask } from '../resolveTask';

/** Variants are ~150 near-identical paraphrases per MedS-Ins task; a terminal shows a few. */
const TEXT_VARIANTS = 5;
const VARIANT_CHARS = 200;

const FAMILY_TITLE: Record<TaskDetail['metricFamily'], string> = { medinst32: 'MedINST32', 'meds-bench': 'MedS-Bench' };

const variantCount = intInRange(0, 1000);

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function shown(total: number, listed: number): string {
  return listed < total ? `${total}; first ${listed} shown` : String(total);
}

function splitLabel(config: string, split: string): string {
  return config === 'default' ? split : `${config}/${split}`;
}

export function formatTaskDetail(t: TaskDetail): string {
  const out: string[] = [];
  const facts: [string, string][] = [
    ['id', String(t.id)],
    ['task id', t.externalId ?? ''],
    ['category', t.category ?? ''],
    ['source dataset', t.sourceDataset ?? ''],
    ['languages', t.languages.join(', ')],
    ['domains', t.domains.join(', ')],
    ['url', t.urls.join(' ')],
    ['items', `${t.itemCount} (${t.splits.map((s) => `${splitLabel(s.config, s.split)} ${s.itemCount}`).join(', ')})`],
    [
      'metrics',
      t.metrics.length
        ? `${t.metrics.map((m) => `${m.name} [${m.id}${m.higherIsBetter ? '' : ', lower is better'}]`).join(', ')} — ${FAMILY_TITLE[t.metricFamily]} scoring${t.metrics[0]?.scale === 100 ? ', in %' : ''}`
        : '(none)',
    ],
  ];
  out.push(`${t.benchmark}/${t.name}`);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) if (v) out.push(`  ${k.padEnd(width)}  ${v}`);

  out.push('', 'Definition');
  if (t.definition) out.push(indent(t.definition));
  else {
    out.push('  (none in the source)');
    if (t.instructions.items.length) {
      out.push('', `Instructions of the items (${shown(t.instructions.total, t.instructions.items.length)})`);
      for (const i of t.instructions.items) out.push(indent(`${i.itemCount} items: ${i.text}`));
    }
  }

  const v = t.instructionVariants;
  out.push('', `Instruction variants (${shown(v.total, v.items.length)}${v.items.length < v.total ? '; --variants N for more' : ''})`);
  for (const item of v.items) out.push(`  ${String(item.ord).padStart(3)}  ${item.kind.padEnd(8)}  ${oneLine(item.text, VARIANT_CHARS)}`);

  const examples = (title: string, list: TaskDetail['positiveExamples']) => {
    out.push('', `${title} (${shown(list.total, list.items.length)})`);
    list.items.forEach((e: TaskExample, i) => {
      out.push(`  ${i + 1}. input:`, indent(e.input, '       '));
      out.push(`     output${e.outputs.length > 1 ? 's' : ''}:`, ...e.outputs.map((o) => indent(o, '       ')));
      if (e.explanation) out.push('     explanation:', indent(e.explanation, '       '));
    });
  };
  examples('Positive examples', t.positiveExamples);
  examples('Negative examples', t.negativeExamples);

  out.push('', 'Provenance');
  return `${out.join('\n')}\n`;
}

export function registerTaskCommand(program: Command): void {
  program
    .command('task')
    .description("show a task's definition, languages, instruction variants, examples, default metrics and source files")
    .argument('<task>', 'task id, name, or benchmark/name')
    .option('--variants <n>', `how many instruction variants to list (default: ${TEXT_VARIANTS}; 50 with --json)`, variantCount)
    .option('--json', 'print the task details as JSON')
    .action(async (ref: string, opts: { variants?: number; json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const task = resolveTask(await call(core, 'listTasks', {}), ref);
        const detail = await call(core, 'getTask', { taskId: task.id, variantLimit: opts.variants ?? (opts.json ? undefined : TEXT_VARIANTS) });
        if (opts.json) {
          printJson(detail);
          return;
        }
        process.stdout.write(formatTaskDetail(detail));
        if (detail.sources.length === 0) process.stdout.write('  (no source files recorded)\n');
        else
          printTable(
            detail.sources.map((s) => ({
              source: s.kind === 'split' ? splitLabel(s.config ?? '', s.split ?? '') : 'variants',
              size: s.size,
              sha256: s.sha256,
              imported: s.importedAt,
              app: s.appVersion,
              path: s.path,
            })),
            ['source', 'size', 'sha256', 'imported', 'app', 'path'],
          );
        for (const s of detail.sources.filter((x) => x.files.length > 1)) {
          process.stdout.write(`${splitLabel(s.config ?? '', s.split ?? '')}: ${s.files.length} shards (the sha256 above is over theirs)\n`);
          for (const f of s.files) process.stdout.write(`  ${f.sha256}  ${f.size}  ${f.path}\n`);
        }
      } finally {
        core.close();
      }
    });
}
