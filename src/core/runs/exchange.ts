/**
 * Runs in and out of the benchmarks' own result formats: predictions made elsewhere become
 * runs that compare with local ones, and any run can be written back out.
 */
import path from 'node:path';
import type { MetricMode, RunDetail } from '../../shared/runs';
import type { Db } from '../db/open';
import { writeFileAtomic } from '../files/atomicWrite';
import { medsTaskIdFromFileName } from '../metrics/registry';
import { formatCsv } from '../predictions/csv';
import { readPredictionsFile } from '../predictions/files';
import { serialiseMedinst32Results, type Medinst32TaskResult } from '../predictions/medinst32Json';
import { serialiseMedsBenchCsv } from '../predictions/medsBenchCsv';
import type { PredictionsFormat } from '../predictions/types';
import { extractAnswer, scoreRunTask } from './scoring';
import { createRunRow, getRunDetail, recordItem, scoreRunRows, setRunStatus, type SelectedItem } from './store';
import { BadInputError } from '../errors';
import { adoptContentUid, runContentUid } from '../annotations/runIdentity';

export async function importPredictionsAsRun(db: Db, file: string, opts: { format?: PredictionsFormat; mode?: MetricMode; name?: string }): Promise<RunDetail> {
  const set = await readPredictionsFile(path.resolve(file), opts.format);
  const items: SelectedItem[] = [];
  const outputs: string[] = [];
  for (const t of set.tasks) {
    t.pairs.forEach((p, i) => {
      items.push({ itemId: null, benchmark: set.benchmark, task: t.task, index: i, input: p.input ?? '', gold: [p.target] });
      outputs.push(p.prediction);
    });
  }
  if (items.length === 0) throw new BadInputError(`${file}: no predictions to import`, { file });
  const mode = opts.mode ?? 'reference';
  const runId = createRunRow(
    db,
    {
      name: opts.name ?? `imported: ${path.basename(file)}`,
      kind: 'imported',
      status: 'running',
      spec: null,
      modelLabel: `predictions file ${path.basename(file)}`,
      templateHash: null,
      metricMode: mode,
    },
    items,
  );
  db.transaction(() => {
    items.forEach((it, ord) =>
      recordItem(db, runId, ord, {
        promptJson: 'null',
        renderedPrompt: null,
        rawOutput: outputs[ord] ?? '',
        extracted: extractAnswer(it.benchmark, it.task, outputs[ord] ?? ''),
        promptTokens: null,
        outputTokens: null,
        latencyMs: null,
        ttftMs: null,
        error: null,
      }),
    );
    db.prepare('UPDATE runs SET hardware_json = ? WHERE id = ?').run(JSON.stringify({ source: path.resolve(file), format: set.format }), runId);
  })();
  // The same predictions imported on another workstation get the same uid, so annotations travel with them.
  adoptContentUid(db, runId);
  scoreRunRows(db, runId, mode, (b, t, p, g) => scoreRunTask(b, t, p, g, mode));
  setRunStatus(db, runId, 'done');
  return getRunDetail(db, runId);
}

interface ExportRow {
  ord: number;
  benchmark: string;
  task: string;
  idx: number | null;
  input: string;
  gold_json: string;
  raw_output: string | null;
  extracted: string | null;
  status: string;
  prompt_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  error: string | null;
  truncated_tokens: number | null;
  category: string | null;
}

export type ExportFormat = 'meds-bench-csv' | 'medinst32-json' | 'items-json' | 'items-csv';

/**
 * Writes `out` through a temporary file and a rename, so a crash never leaves half an export; an
 * existing file is an error unless `overwrite`. Which folders `out` may be in is the caller's
 * check (FileAccess.checkWrite at the service boundary).
 */
export async function exportRun(
  db: Db,
  runId: number,
  format: ExportFormat,
  out: string,
  opts: { overwrite?: boolean } = {},
): Promise<{ file: string; bytes: number; items: number }> {
  const run = getRunDetail(db, runId);
  const rows = db
    .prepare(
      `SELECT r.*, (SELECT t.category FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id WHERE t.name = r.task AND b.name = r.benchmark) AS category
         FROM run_items r WHERE r.run_id = ? ORDER BY r.ord`,
    )
    .all(runId) as ExportRow[];
  const gold = (r: ExportRow) => (JSON.parse(r.gold_json) as string[])[0] ?? '';
  let text: string;
  switch (format) {
    case 'meds-bench-csv':
      text = serialiseMedsBenchCsv(rows.map((r) => ({ taskId: medsTaskIdFromFileName(r.task), input: r.input, gt: gold(r), output: r.raw_output ?? '' })));
      break;
    case 'medinst32-json': {
      const byTask = new Map<string, Medinst32TaskResult>();
      for (const r of rows) {
        const t = byTask.get(r.task) ?? {
          category: r.category ?? 'UNKNOWN',
          task: r.task,
          generated: [],
          metrics: run.scores.find((s) => s.task === r.task)?.metrics ?? {},
        };
        t.generated.push({ prediction: r.raw_output ?? '', target: gold(r) });
        byTask.set(r.task, t);
      }
      text = serialiseMedinst32Results([...byTask.values()]);
      break;
    }
    case 'items-json':
      text = `${JSON.stringify(
        {
          run: {
            id: run.id,
            uid: db.prepare('SELECT uid FROM runs WHERE id = ?').pluck().get(runId) as string,
            contentUid: runContentUid(db, runId),
            name: run.name,
            model: run.modelLabel,
            templateHash: run.templateHash,
            metricMode: run.metricMode,
            scores: run.scores,
            hardware: run.hardware,
          },
          items: rows.map(itemRecord),
        },
        null,
        2,
      )}\n`;
      break;
    case 'items-csv': {
      const header = [
        'ord',
        'benchmark',
        'task',
        'index',
        'status',
        'input',
        'gold',
        'output',
        'extracted',
        'prompt_tokens',
        'output_tokens',
        'latency_ms',
        'ttft_ms',
        'error',
        'truncated_tokens',
      ];
      text = formatCsv([header, ...rows.map((r) => Object.values(itemRecord(r)).map((v) => (v === null || v === undefined ? '' : String(v))))]);
      break;
    }
  }
  await writeFileAtomic(path.resolve(out), text, { overwrite: opts.overwrite ?? false });
  return { file: path.resolve(out), bytes: Buffer.byteLength(text), items: rows.length };

  function itemRecord(r: ExportRow) {
    return {
      ord: r.ord,
      benchmark: r.benchmark,
      task: r.task,
      index: r.idx,
      status: r.status,
      input: r.input,
      gold: gold(r),
      output: r.raw_output,
      extracted: r.extracted,
      promptTokens: r.prompt_tokens,
      outputTokens: r.output_tokens,
      latencyMs: r.latency_ms,
      ttftMs: r.ttft_ms,
      error: r.error,
      truncatedTokens: r.truncated_tokens,
    };
  }
}
