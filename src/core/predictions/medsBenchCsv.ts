/**
 * MedS-Bench results CSV, as Evaluation/eval.py writes it with `csv.writer`:
 * header `task_id,input,GT,output`, one row per instance; `input` is the full prompt,
 * `GT` the gold output (`output[0]` for list outputs), `output` the model's text.
 * Fields are RFC 4180-quoted and may span lines.
 */
import { formatCsv, parseCsv } from './csv';
import { PredictionsError } from './errors';
import type { PredictionSet, TaskPredictions } from './types';
import { isPandasNa } from './pandasNa';

export const MEDS_CSV_COLUMNS = ['task_id', 'input', 'GT', 'output'] as const;

export interface MedsBenchRow {
  taskId: string;
  input: string;
  gt: string;
  output: string;
  /** 1-based line where the row starts (absent for rows not read from a file). */
  line?: number;
}

/**
 * Parses the CSV. The four columns are found by name (any order; other columns are
 * ignored); a missing column or a row with the wrong number of fields is an error that
 * names the file and line.
 */
export function parseMedsBenchCsv(text: string, file = '<csv>'): MedsBenchRow[] {
  const rows = parseCsv(text, file);
  const header = rows[0];
  if (!header) throw new PredictionsError(file, `the file is empty; expected a header ${MEDS_CSV_COLUMNS.join(',')}`);
  const names = header.fields.map((h) => h.trim());
  const col = (name: string): number => {
    const k = names.indexOf(name);
    if (k < 0)
      throw new PredictionsError(file, `is missing from the header (found: ${names.join(', ') || 'nothing'}); expected ${MEDS_CSV_COLUMNS.join(',')}`, {
        line: header.line,
        field: name,
      });
    return k;
  };
  const [t, i, g, o] = MEDS_CSV_COLUMNS.map(col) as [number, number, number, number];
  const out: MedsBenchRow[] = [];
  for (const r of rows.slice(1)) {
    if (r.fields.length !== names.length) {
      throw new PredictionsError(file, `the row has ${r.fields.length} fields but the header has ${names.length}`, { line: r.line });
    }
    const taskId = r.fields[t]!.trim();
    if (taskId === '') throw new PredictionsError(file, 'is empty', { line: r.line, field: 'task_id' });
    out.push({ taskId, input: r.fields[i]!, gt: r.fields[g]!, output: r.fields[o]!, line: r.line });
  }
  return out;
}

/** The CSV text eval.py would write for these rows (`\r\n` row ends). */
export function serialiseMedsBenchCsv(rows: readonly MedsBenchRow[]): string {
  return formatCsv([[...MEDS_CSV_COLUMNS], ...rows.map((r) => [r.taskId, r.input, r.gt, r.output])]);
}

/** Groups rows by `task_id`, tasks in order of first appearance. */
export function medsRowsToPredictionSet(rows: readonly MedsBenchRow[]): PredictionSet {
  const byTask = new Map<string, TaskPredictions>();
  for (const r of rows) {
    let t = byTask.get(r.taskId);
    if (!t) byTask.set(r.taskId, (t = { task: r.taskId, pairs: [] }));
    const pair: TaskPredictions['pairs'][number] = { prediction: r.output, target: r.gt, input: r.input };
    if (r.line !== undefined) pair.line = r.line;
    if (isPandasNa(r.output)) pair.predictionNa = true;
    if (isPandasNa(r.gt)) pair.targetNa = true;
    t.pairs.push(pair);
  }
  return { format: 'meds-bench-csv', benchmark: 'meds-bench', tasks: [...byTask.values()] };
}
