import { statSync } from 'node:fs';
import type { ImportPreview, ImportPreviewEntry, ImportSampleRecord } from '../../shared/domain';
import { dedupeSplits } from './dedupe';
import { planImport, type PlanOptions } from './plan';

const SAMPLE_SIZE = 3;

/** A file passed over may vanish before it is listed; its size is then unknown, not an error. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
const SAMPLE_CHARS = 300;

function cut(text: string): string {
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}

/**
 * What an import would write, by reading every file once without touching the library:
 * the folder dialog and `medtask import --dry-run` show it before the user confirms.
 */
export async function previewImport(paths: string[], opts: PlanOptions = {}): Promise<ImportPreview> {
  const unknown: ImportPreviewEntry[] = [];
  const planned = await planImport(paths, {
    ...opts,
    onUnknown: (file, reason) =>
      unknown.push({
        file,
        files: [file],
        layout: 'unknown',
        benchmark: '',
        task: '',
        config: null,
        split: null,
        rowCount: 0,
        bytes: sizeOf(file),
        sample: [],
        skippedBecause: reason,
      }),
  });
  const { skipped } = dedupeSplits(planned);
  const skippedWhy = new Map(skipped.map((s) => [s.file, s.reason]));
  const entries: ImportPreviewEntry[] = [];
  for (const plan of planned) {
    if (plan.kind === 'definitions') {
      const defs = await plan.read();
      entries.push({
        file: plan.file,
        files: plan.files,
        layout: plan.layout,
        benchmark: plan.benchmark.name,
        task: '(instruction variants)',
        config: null,
        split: null,
        rowCount: defs.size,
        bytes: plan.totalBytes,
        sample: [],
      });
      continue;
    }
    let rows = 0;
    const sample: ImportSampleRecord[] = [];
    for await (const r of plan.read()) {
      rows++;
      if (sample.length < SAMPLE_SIZE)
        sample.push({ instruction: cut(r.instruction), input: cut(r.input), output: cut(r.outputs[0] ?? ''), historyTurns: r.history.length });
    }
    const d = plan.descriptor;
    const entry: ImportPreviewEntry = {
      file: plan.file,
      files: plan.files,
      layout: plan.layout,
      benchmark: d.benchmark.name,
      task: d.task,
      config: d.config,
      split: d.split,
      rowCount: rows,
      bytes: plan.totalBytes,
      sample,
    };
    const why = skippedWhy.get(plan.file);
    if (why) entry.skippedBecause = why;
    entries.push(entry);
  }
  return { entries: [...entries, ...unknown] };
}
