/**
 * Streaming CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF).
 * The first row is the header; each later row becomes an object keyed by header names.
 */
import { decodeUtf8, importError, readChunks, type ReadOptions } from './bytes';
import type { RawRecord } from './jsonfile';

export async function* readCsvRecords(file: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  let header: string[] | null = null;
  let index = 0;
  let line = 1;
  let rowLine = 1;
  let field = '';
  let row: string[] = [];
  let inQuotes = false;
  let quoteSeen = false; // just saw a quote inside a quoted field
  let carry: Buffer | null = null;
  let any = false;

  const finishRow = (): RawRecord | null => {
    row.push(field);
    field = '';
    const r = row;
    row = [];
    const startLine = rowLine;
    if (r.length === 1 && r[0] === '') return null; // blank line
    any = true;
    if (!header) {
      header = r.map((h) => h.trim());
      return null;
    }
    if (r.length !== header.length) {
      throw importError({ file, line: startLine, record: index }, `has ${r.length} columns but the header has ${header.length}`);
    }
    const obj: Record<string, unknown> = {};
    header.forEach((h, k) => (obj[h] = r[k]));
    Object.defineProperty(obj, '__csv', { value: true, enumerable: false });
    return { index: index++, line: startLine, value: obj };
  };

  const consume = function* (text: string): Generator<RawRecord> {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // fall through: c is after the closing quote
        } else {
          if (c === '"') quoteSeen = true;
          else {
            if (c === '\n') line++;
            field += c;
          }
          continue;
        }
      }
      if (c === '"' && field === '') {
        inQuotes = true;
      } else if (c === ',') {
        row.push(field);
        field = '';
      } else if (c === '\n') {
        if (field.endsWith('\r')) field = field.slice(0, -1);
        const rec = finishRow();
        line++;
        rowLine = line;
        if (rec) yield rec;
      } else field += c;
    }
  };

  for await (const chunk0 of readChunks(file, opts)) {
    let chunk: Buffer = carry ? Buffer.concat([carry, chunk0]) : chunk0;
    carry = null;
    // keep an incomplete UTF-8 sequence for the next chunk
    let cut = chunk.length;
    let k = chunk.length - 1;
    let back = 0;
    while (k >= 0 && back < 3 && (chunk[k]! & 0xc0) === 0x80) {
      k--;
      back++;
    }
    if (k >= 0 && chunk[k]! >= 0xc0) {
      const need = chunk[k]! >= 0xf0 ? 4 : chunk[k]! >= 0xe0 ? 3 : 2;
      if (chunk.length - k < need) cut = k;
    }
    if (cut < chunk.length) {
      carry = Buffer.from(chunk.subarray(cut));
      chunk = chunk.subarray(0, cut);
    }
    const text = decodeUtf8(chunk, { file, line });
    yield* consume(text);
  }
  if (carry) yield* consume(decodeUtf8(carry, { file, line }));
  if (inQuotes && !quoteSeen) throw importError({ file, line: rowLine, record: index }, 'unexpected end of file (truncated?): a quoted field is not closed');
  if (field !== '' || row.length) {
    if (field.endsWith('\r')) field = field.slice(0, -1);
    const rec = finishRow();
    if (rec) yield rec;
  }
  if (!any) throw importError({ file }, 'the file is empty');
  if (index === 0 && header) return;
}
