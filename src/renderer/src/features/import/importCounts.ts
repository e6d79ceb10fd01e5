/**
 * The counts an import's preview and its result both say, in one unit and one wording: splits (a
 * task in one config and split), the tasks they belong to, and items (one per record, or row, of a
 * file). A task published in several configs (few-shot and zero-shot) is one split per config, so
 * its records are items once per config: that is where "rows" and "items" seemed to disagree.
 */
import type { ImportPreview, ImportResult } from '../../../../shared/domain';
import { formatCount, plural } from '../../lib/format';

export interface ImportCounts {
  splits: number;
  tasks: number;
  items: number;
  /** Instruction-paraphrase (MedS-Ins definitions) files: the task ids they cover, and (after import) their variants. */
  definitionTasks: number;
  variants: number | null;
  /** Tasks that come in more than one config, with those configs: why splits outnumber tasks. */
  copies: { task: string; configs: string[] }[];
  /** Task names, in order, for a short summary. */
  taskNames: string[];
}

function counts(
  splits: readonly { benchmark: string; task: string; config: string; count: number }[],
  definitionTasks: number,
  variants: number | null,
): ImportCounts {
  const byTask = new Map<string, { task: string; configs: Set<string> }>();
  for (const s of splits) {
    const key = `${s.benchmark}\u0000${s.task}`;
    const t = byTask.get(key) ?? { task: s.task, configs: new Set<string>() };
    t.configs.add(s.config);
    byTask.set(key, t);
  }
  const tasks = [...byTask.values()];
  return {
    splits: splits.length,
    tasks: tasks.length,
    items: splits.reduce((n, s) => n + s.count, 0),
    definitionTasks,
    variants,
    copies: tasks.filter((t) => t.configs.size > 1).map((t) => ({ task: t.task, configs: [...t.configs].sort() })),
    taskNames: tasks.map((t) => t.task),
  };
}

/** What the preview would write (files left out are not counted). */
export function previewCounts(preview: ImportPreview): ImportCounts {
  const kept = preview.entries.filter((e) => e.skippedBecause === undefined);
  const splits = kept.flatMap((e) =>
    e.config !== null && e.split !== null ? [{ benchmark: e.benchmark, task: e.task, config: e.config, count: e.rowCount }] : [],
  );
  const definitionTasks = kept.filter((e) => e.config === null || e.split === null).reduce((n, e) => n + e.rowCount, 0);
  return counts(splits, definitionTasks, null);
}

/** What the import wrote. */
export function resultCounts(result: ImportResult): ImportCounts {
  const definitions = result.definitions ?? []; // older engines may answer without the field
  return counts(
    result.splits.map((s) => ({ benchmark: s.benchmark, task: s.task, config: s.config, count: s.itemCount })),
    definitions.reduce((n, d) => n + d.taskCount, 0),
    definitions.length > 0 ? definitions.reduce((n, d) => n + d.variantCount, 0) : null,
  );
}

/** "8 splits of 5 tasks · 2,340 items · instruction paraphrases for 122 task ids (19,118 variants)". */
export function countsText(c: ImportCounts): string {
  const parts = [c.splits === c.tasks ? plural(c.splits, 'split') : `${plural(c.splits, 'split')} of ${plural(c.tasks, 'task')}`, plural(c.items, 'item')];
  if (c.definitionTasks > 0) {
    parts.push(`instruction paraphrases for ${plural(c.definitionTasks, 'task id')}${c.variants !== null ? ` (${plural(c.variants, 'variant')})` : ''}`);
  }
  return parts.join(' · ');
}

/** "a", "a and b", "a, b and c". */
function andList(xs: readonly string[]): string {
  return xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)!}`;
}

/** Why splits outnumber tasks, or null: "NCBI-disease and PubMedQA-labeled come as few-shot and zero-shot splits: …". */
export function copiesText(c: ImportCounts): string | null {
  if (c.copies.length === 0) return null;
  const names = c.copies.map((t) => t.task);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${formatCount(names.length - 3)} more` : andList(names);
  const configs = [...new Set(c.copies.flatMap((t) => t.configs))].sort();
  return `${shown} ${names.length === 1 ? 'comes' : 'come'} as ${andList(configs)} splits: each record (a row of the file) is one item per split, so the same record counts once per config.`;
}
