/**
 * The one CSV reader (RFC 4180) behind the importer's `.csv` files and the MedS-Bench predictions CSV.
 *
 * Hand-written on purpose. Issue #13 asked for `csv-parse` unless it was more than 10% slower on the
 * import path; scripts/bench/csvReaders.ts measured it 1.12× (quiet machine) and 1.27× (loaded) slower
 * than a reader of our own on the same 159 MB file, so the rule says: keep ONE shared reader and say why.
 * It scans with `indexOf` and slices fields out of the text (no per-character string building), and it
 * reports problems the way the rest of the app does: the line, the record and the field they are in.
 *
 * Accepts quoted fields with doubled quotes, line breaks (LF or CRLF) inside quoted fields, LF or CRLF row
 * ends, a leading UTF-8 BOM, and blank lines (skipped; a quoted `""` line is a row). Refuses, with the
 * line: a quote inside an unquoted field or text after a closing quote (what csv-parse and RFC 4180 refuse;
 * such a file was not written by a CSV writer and would be misread), a quoted field the file ends inside
 * (a truncated file), a NUL character (a UTF-16 or binary file), and a row longer than `maxRowChars`
 * (an unclosed quote would otherwise swallow the rest of the file into memory).
 *
 * Text comes in chunks (`push`), so a file of any size streams; `parseCsv` reads a whole string.
 */

export interface CsvRow {
  /** 1-based line on which the row starts. */
  line: number;
  fields: string[];
}

/** Where a problem is: enough for each caller's own typed error (file/line/record/field). */
export interface CsvProblem {
  /** 1-based line of the problem (for an unclosed quote: the line where it opened). */
  line: number;
  /** 0-based index of the data row (the header excluded); undefined for a problem in the header. */
  record: number | undefined;
  /** 1-based column of the field. */
  column: number;
  /** The header's name for that column, when the header is known and has one. */
  field: string | undefined;
  problem: string;
}

export interface CsvReaderOptions {
  /** Builds the error to throw: the importer's ImportError, the predictions' PredictionsError. */
  fail: (p: CsvProblem) => Error;
  /** Longest row accepted, in characters (default 64 Mi). */
  maxRowChars?: number;
}

export const MAX_ROW_CHARS = 64 * 1024 * 1024;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const NUL = 0;

/** A row could not be finished with the text seen so far. */
const INCOMPLETE = Symbol('incomplete');

export class CsvReader {
  /** The first row, once read (used to name fields in errors). */
  header: string[] | null = null;
  private pending = '';
  private line = 1;
  private rows = 0;
  private started = false;
  private readonly fail: (p: CsvProblem) => Error;
  private readonly maxRowChars: number;

  constructor(opts: CsvReaderOptions) {
    this.fail = opts.fail;
    this.maxRowChars = opts.maxRowChars ?? MAX_ROW_CHARS;
  }

  /** Rows completed by this chunk of text (header included, as the first row). */
  push(text: string): CsvRow[] {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.scan(this.pending ? this.pending + text : text, false);
  }

  /** The rows left once the text has ended. */
  end(): CsvRow[] {
    const rest = this.pending;
    this.pending = '';
    return rest ? this.scan(rest, true) : [];
  }

  private problem(line: number, column: number, problem: string): Error {
    const record = this.rows === 0 ? undefined : this.rows - 1;
    const field = record === undefined ? undefined : this.header?.[column - 1] || undefined;
    return this.fail({ line, record, column, field, problem });
  }

  private scan(buf: string, final: boolean): CsvRow[] {
    const out: CsvRow[] = [];
    const n = buf.length;
    let i = 0;
    while (i < n) {
      const rowStart = i;
      const rowLine = this.line;
      const row = this.row(buf, i, final);
      if (row === INCOMPLETE) {
        // Rescanned when more text comes; the cap keeps an unclosed quote from holding the whole file.
        if (n - rowStart > this.maxRowChars) {
          throw this.problem(rowLine, 1, `a row longer than ${this.maxRowChars.toLocaleString('en-US')} characters starts here (a quoted field not closed?)`);
        }
        this.line = rowLine;
        this.pending = buf.slice(rowStart);
        return out;
      }
      i = row.next;
      if (row.quoted || !(row.fields.length === 1 && row.fields[0] === '')) {
        if (row.next - rowStart > this.maxRowChars) {
          throw this.problem(rowLine, 1, `a row longer than ${this.maxRowChars.toLocaleString('en-US')} characters starts here`);
        }
        if (this.rows === 0) this.header = row.fields.map((h) => h.trim());
        this.rows++;
        out.push({ line: rowLine, fields: row.fields });
      }
    }
    this.pending = '';
    return out;
  }

  /** One row from `i`: its fields and where the next row starts, or INCOMPLETE (more text needed). */
  private row(buf: string, i: number, final: boolean): { fields: string[]; quoted: boolean; next: number } | typeof INCOMPLETE {
    const n = buf.length;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      const column = fields.length + 1;
      let field: string;
      if (buf.charCodeAt(i) === QUOTE) {
        quoted = true;
        const quoteLine = this.line;
        let start = i + 1;
        field = '';
        for (;;) {
          const q = buf.indexOf('"', start);
          if (q < 0) {
            if (!final) return INCOMPLETE;
            throw this.problem(quoteLine, column, `unterminated quoted field (opened on line ${quoteLine}; the file ends inside it: truncated?)`);
          }
          // A quote at the end of the text may be the first of a doubled pair.
          if (q + 1 >= n && !final) return INCOMPLETE;
          field += buf.slice(start, q);
          if (buf.charCodeAt(q + 1) === QUOTE) {
            field += '"';
            start = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        this.checkNul(field, quoteLine, column);
        this.line += countLf(field);
        const c = buf.charCodeAt(i);
        if (i < n && c !== COMMA && c !== LF) {
          if (c === CR && i + 1 >= n && !final) return INCOMPLETE;
          if (!(c === CR && (i + 1 >= n || buf.charCodeAt(i + 1) === LF))) {
            throw this.problem(this.line, column, `unexpected character ${JSON.stringify(buf[i])} after a closing quote`);
          }
        }
      } else {
        const start = i;
        while (i < n) {
          const c = buf.charCodeAt(i);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) throw this.problem(this.line, column, 'a quote inside an unquoted field (fields with quotes must be quoted, quotes doubled)');
          if (c === NUL) throw this.nul(this.line, column);
          i++;
        }
        if (i >= n && !final) return INCOMPLETE;
        field = buf.slice(start, buf.charCodeAt(i - 1) === CR && i > start && (i >= n || buf.charCodeAt(i) === LF) ? i - 1 : i);
      }
      fields.push(field);
      if (i >= n) return { fields, quoted, next: n };
      const c = buf.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      // Row end: LF, or CRLF after a quoted field (an unquoted field's CR was cut above).
      i += c === CR ? 2 : 1;
      this.line++;
      return { fields, quoted, next: Math.min(i, n) };
    }
  }

  private checkNul(field: string, line: number, column: number): void {
    const k = field.indexOf('\0');
    if (k >= 0) throw this.nul(line + countLf(field.slice(0, k)), column);
  }

  private nul(line: number, column: number): Error {
    return this.problem(line, column, 'a NUL character: this is not a UTF-8 text CSV (UTF-16 or binary?); save it as UTF-8 CSV');
  }
}

function countLf(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/** All rows of a whole text (header included). */
export function parseCsvText(text: string, fail: CsvReaderOptions['fail'], maxRowChars?: number): CsvRow[] {
  const reader = new CsvReader({ fail, maxRowChars });
  const rows = reader.push(text);
  for (const r of reader.end()) rows.push(r);
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
