/**
 * Streams a `.csv` file into records through the app's one CSV reader (core/csv/reader.ts, which says
 * why it is hand-written): bytes are decoded strictly here (naming the line of bad UTF-8), the reader
 * cuts rows, and each row after the header becomes an object keyed by the header's names.
 */
import { CsvReader, type CsvRow } from '../csv/reader';
import { decodeUtf8, importError, readChunks, type ReadOptions } from './bytes';
import type { RawRecord } from './jsonfile';

/** Bytes at the end of `chunk` that start a UTF-8 sequence the next chunk finishes. */
function incompleteTail(chunk: Buffer): number {
  let k = chunk.length - 1;
  let back = 0;
  while (k >= 0 && back < 3 && (chunk[k]! & 0xc0) === 0x80) {
    k--;
    back++;
  }
  if (k >= 0 && chunk[k]! >= 0xc0) {
    const need = chunk[k]! >= 0xf0 ? 4 : chunk[k]! >= 0xe0 ? 3 : 2;
    if (chunk.length - k < need) return chunk.length - k;
  }
  return 0;
}

export async function* readCsvRecords(file: string, opts: ReadOptions & { maxRowChars?: number } = {}): AsyncGenerator<RawRecord> {
  const reader = new CsvReader({
    fail: (p) => importError({ file, line: p.line, record: p.record }, p.problem, p.field ?? (p.record === undefined ? undefined : `column ${p.column}`)),
    maxRowChars: opts.maxRowChars,
  });
  let header: string[] | null = null;
  let index = 0;
  // Line at which the next decoded chunk starts (bad UTF-8 is reported there or after).
  let line = 1;
  let carry: Buffer | null = null;

  const records = function* (rows: CsvRow[]): Generator<RawRecord> {
    for (const r of rows) {
      if (!header) {
        header = reader.header!;
        continue;
      }
      if (r.fields.length !== header.length) {
        throw importError({ file, line: r.line, record: index }, `has ${r.fields.length} columns but the header has ${header.length}`);
      }
      const obj: Record<string, unknown> = {};
      for (let k = 0; k < header.length; k++) obj[header[k]!] = r.fields[k];
      Object.defineProperty(obj, '__csv', { value: true, enumerable: false });
      yield { index: index++, line: r.line, value: obj };
    }
  };
  const decode = (bytes: Buffer): string => {
    const text = decodeUtf8(bytes, { file, line });
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) line++;
    return text;
  };

  for await (const chunk0 of readChunks(file, opts)) {
    let chunk: Buffer = carry ? Buffer.concat([carry, chunk0]) : chunk0;
    carry = null;
    const tail = incompleteTail(chunk);
    if (tail) {
      carry = Buffer.from(chunk.subarray(chunk.length - tail));
      chunk = chunk.subarray(0, chunk.length - tail);
    }
    yield* records(reader.push(decode(chunk)));
  }
  if (carry) yield* records(reader.push(decode(carry)));
  yield* records(reader.end());
  if (!header) throw importError({ file }, 'the file is empty');
}
