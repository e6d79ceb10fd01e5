/** `medtask score`: scores a MedS-Bench results CSV or a MedINST32 results JSON with the metric ports. */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { itemReport, readPredictionsFile, writeItemReport } from '../../core/predictions';
import { printJson, printTable } from '../output';
import { METRIC_MODES, type MetricMode } from '../../shared/enums';
import { PREDICTIONS_FORMAT_NAMES, type PredictionsScore } from '../../shared/predictions';
import { call, openCore } from '../core';

interface ScoreOpts {
  predictions: string;
  format?: PredictionsScore['format'];
  mode: MetricMode;
  task?: string;
  items?: string;
  json?: boolean;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

function printReport(r: PredictionsScore): void {
  const rows: Record<string, string | number>[] = [];
  for (const t of [...r.tasks, ...r.groups]) {
    for (const [id, v] of Object.entries(t.metrics)) {
      if (v === undefined) continue;
      rows.push({
        task: t.pooled ? `${t.task} (pooled)` : t.task,
        count: t.count,
        metric: id,
        value: formatValue(v),
        scale: r.metricInfo[id]?.scale === 100 ? '%' : '',
      });
    }
  }
  process.stdout.write(`${r.benchmark} (${r.format}), ${r.mode} mode\n`);
  printTable(rows, ['task', 'count', 'metric', 'value', 'scale']);
  for (const s of r.skipped) process.stdout.write(`skipped ${s.task} (${s.count} rows): ${s.reason}\n`);
  for (const t of [...r.tasks, ...r.groups]) if (t.note) process.stdout.write(`note ${t.task}: ${t.note}\n`);
  for (const n of r.notes) process.stdout.write(`${n}\n`);
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score a predictions file (MedS-Bench results CSV or MedINST32 results JSON) with the benchmark metrics')
    .requiredOption('--predictions <file>', 'the predictions file')
    .addOption(new Option('--format <format>', 'file format (default: by extension, then by content)').choices([...PREDICTIONS_FORMAT_NAMES]))
    .addOption(
      new Option('--mode <mode>', 'reference: the scripts bit for bit; corrected: documented bugs fixed').choices([...METRIC_MODES]).default('reference'),
    )
    .option('--task <id>', 'MedS-Bench: score every row as this task (e.g. DDXPlus)')
    .option('--items <file>', 'also write a per-item report (.csv or .json)')
    .option('--json', 'print machine-readable results')
    .action(async (opts: ScoreOpts, cmd: Command) => {
      const file = path.resolve(opts.predictions);
      // Scored through the contract, as the app scores it: the same validation and typed errors.
      const core = openCore(cmd);
      let report: PredictionsScore;
      try {
        report = await call(core, 'scorePredictions', {
          file,
          mode: opts.mode,
          ...(opts.format ? { format: opts.format } : {}),
          ...(opts.task ? { task: opts.task } : {}),
        });
      } finally {
        core.close();
      }
      // The per-item report is the CLI's own output file, written beside the scores.
      if (opts.items) await writeItemReport(path.resolve(opts.items), itemReport(await readPredictionsFile(file, opts.format), opts.mode, { task: opts.task }));
      if (opts.json) printJson(report);
      else printReport(report);
      if (report.tasks.length === 0 && report.groups.length === 0) throw new Error(`${file}: no task could be scored`);
    });
}
