/**
 * CSV for prediction files: reading goes through the app's one CSV reader (core/csv/reader.ts, which
 * says why it is hand-written), with its problems as PredictionsError (file, line, field). Writing
 * follows Python's `csv.writer` defaults (QUOTE_MINIMAL, `\r\n` row ends), which MedS-Bench's eval.py uses.
 */
import { parseCsvText, type CsvRow } from '../csv/reader';
import { PredictionsError } from './errors';

export { formatCsv, formatCsvField, type CsvRow } from '../csv/reader';

/** All rows (header included); blank lines are skipped (a quoted `""` line is a row). A leading UTF-8 BOM is ignored. */
export function parseCsv(text: string, file = '<csv>'): CsvRow[] {
  return parseCsvText(text, (p) => new PredictionsError(file, p.problem, { line: p.line, field: p.field }));
}
