/**
 * RFC 4180 CSV, in memory: quoted fields with doubled quotes, line breaks (LF or CRLF)
 * inside quoted fields, CRLF or LF row ends. Writing follows Python's `csv.writer`
 * defaults (QUOTE_MINIMAL, `\r\n` row ends), which is what MedS-Bench's eval.py uses.
 */
import { PredictionsError } from './errors';

export interface CsvRow {
  /** 1-based line on which the row starts. */
  line: number;
  fields: string[];
}

/** All rows (header included); blank lines are skipped (a quoted `""` line is a row). A leading UTF-8 BOM is ignored. */
export function parseCsv(text: string, file = '<csv>'): CsvRow[] {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const rowLine = line;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        quoted = true;
        const quoteLine = line;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new PredictionsError(file, `unterminated quoted field (opened on line ${quoteLine})`, { line: quoteLine });
          const chunk = text.slice(i, q);
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          field += chunk;
          if (text[q + 1] === '"') {
            field += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
          throw new PredictionsError(file, `unexpected character ${JSON.stringify(next)} after a closing quote`, { line });
        }
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 44 || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10)) break;
          if (c === 34) throw new PredictionsError(file, 'a quote inside an unquoted field (fields with quotes must be quoted, quotes doubled)', { line });
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      if (i >= n) break;
      if (text[i] === ',') {
        i++;
        continue;
      }
      // row end
      i += text[i] === '\r' ? 2 : 1;
      line++;
      break;
    }
    if (quoted || !(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
  }
  return rows;
}

/** One field as Python's csv.writer (QUOTE_MINIMAL) writes it. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows joined with `\r\n` (Python csv default), one after each row. */
export function formatCsv(rows: readonly (readonly string[])[], lineTerminator = '\r\n'): string {
  let out = '';
  for (const r of rows) {
    // Python writes a lone empty field as "" so that the row is not read back as blank.
    out += (r.length === 1 && r[0] === '' ? '""' : r.map(formatCsvField).join(',')) + lineTerminator;
  }
  return out;
}
