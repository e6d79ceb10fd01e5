/**
 * Streaming readers for JSON-family files: JSON Lines, big top-level arrays, and sniffing
 * which of the two a `.json` file really is.
 */
import { open } from 'node:fs/promises';
import { checkAbort, decodeUtf8, importError, parseJson, readChunks, type ReadOptions } from './bytes';
import { JsonScanner, type ScanEvent } from './jsonscan';

export interface RawRecord {
  index: number;
  line: number;
  value: unknown;
}

export type JsonShape = 'array' | 'jsonl' | 'object' | 'empty';

/** Looks at the first non-whitespace byte (after a BOM): `[` array, `{` object or JSON Lines. */
export async function sniffJson(file: string): Promise<{ first: number | null; shape: JsonShape; firstLineIsValue: boolean }> {
  const handle = await open(file, 'r');
  try {
    const size = 1 << 16;
    const buf = Buffer.alloc(size);
    let pos = 0;
    let first: number | null = null;
    let text = '';
    // read until a non-whitespace byte (and the first line, for object-vs-JSONL) is seen
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, size, pos);
      if (bytesRead === 0) break;
      let chunk = buf.subarray(0, bytesRead);
      if (pos === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      pos += bytesRead;
      if (first === null) {
        for (const b of chunk) {
          if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
          first = b;
          break;
        }
      }
      text += chunk.toString('latin1');
      if (first !== null) {
        const trimmed = text.replace(/^\s+/, '');
        if (trimmed.includes('\n') || pos > 1 << 22) break;
      }
    }
    if (first === null) return { first, shape: 'empty', firstLineIsValue: false };
    if (first === 0x5b) return { first, shape: 'array', firstLineIsValue: false };
    const trimmed = text.replace(/^\s+/, '');
    const nl = trimmed.indexOf('\n');
    const firstLine = (nl < 0 ? trimmed : trimmed.slice(0, nl)).trim();
    let firstLineIsValue = false;
    try {
      // latin1 text is fine for a structural check
      JSON.parse(firstLine);
      firstLineIsValue = true;
    } catch {
      firstLineIsValue = false;
    }
    return { first, shape: first === 0x7b ? (firstLineIsValue ? 'jsonl' : 'object') : 'jsonl', firstLineIsValue };
  } finally {
    await handle.close();
  }
}

/**
 * The records of a JSON Lines file (its non-blank lines) without parsing them: a byte scan,
 * many times faster than reading the records, for comparing a file with its parquet twin.
 */
export async function countJsonLines(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let count = 0;
    let content = false; // the current line has a byte other than whitespace
    for (let pos = 0; ;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      // A byte-order mark is not content.
      const start = pos === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      pos += bytesRead;
      const chunk = buf.subarray(0, bytesRead);
      let i = start;
      while (i < bytesRead) {
        if (!content) {
          const b = chunk[i]!;
          if (b === 0x0a || b === 0x20 || b === 0x0d || b === 0x09) {
            i++;
            continue;
          }
          content = true;
        }
        // The rest of a line with content needs no look: jump to its end (memchr).
        const nl = chunk.indexOf(0x0a, i);
        if (nl < 0) break;
        count++;
        content = false;
        i = nl + 1;
      }
    }
    return content ? count + 1 : count;
  } finally {
    await handle.close();
  }
}

/** Streams JSON Lines: one value per non-blank line. Line numbers are 1-based. */
export async function* readJsonLines(file: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  let line = 0;
  let index = 0;
  let pieces: Buffer[] = [];
  let pendingLen = 0;
  let sawAny = false;
  let endedWithNewline = true;
  function* emit(bytes: Buffer): Generator<RawRecord> {
    line++;
    let s = 0;
    let e = bytes.length;
    while (s < e && (bytes[s] === 0x20 || bytes[s] === 0x09 || bytes[s] === 0x0d)) s++;
    while (e > s && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09 || bytes[e - 1] === 0x0d)) e--;
    if (s === e) return;
    sawAny = true;
    const where = { file, line, record: index };
    const text = decodeUtf8(bytes.subarray(s, e), where);
    const value = parseJson(text, where);
    yield { index: index++, line, value };
  }
  for await (const chunk of readChunks(file, opts)) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      let bytes: Buffer;
      if (pieces.length) {
        bytes = Buffer.concat([...pieces, chunk.subarray(start, nl)]);
        pieces = [];
        pendingLen = 0;
      } else bytes = chunk.subarray(start, nl);
      yield* emit(bytes);
      start = nl + 1;
    }
    if (start < chunk.length) {
      pieces.push(chunk.subarray(start));
      pendingLen += chunk.length - start;
      endedWithNewline = false;
    } else endedWithNewline = true;
  }
  if (pieces.length) {
    const bytes = Buffer.concat(pieces);
    try {
      yield* emit(bytes);
    } catch (e) {
      // an unparsable last line without a newline is most likely a cut-off file
      if (e instanceof Error && !endedWithNewline && /malformed JSON/.test(e.message)) {
        throw importError({ file, line, record: index }, 'unexpected end of file (truncated?): the last line is not complete JSON');
      }
      throw e;
    }
  }
  void pendingLen;
  if (!sawAny) throw importError({ file }, 'the file is empty (no JSON lines found)');
}

/** Streams the elements of a top-level JSON array. */
export async function* readJsonArray(file: string, opts: ReadOptions = {}, noun = 'record'): AsyncGenerator<RawRecord> {
  const scanner = new JsonScanner(file, { mode: 'array', noun });
  const events: ScanEvent[] = [];
  for await (const chunk of readChunks(file, opts)) {
    scanner.push(chunk, events);
    for (const ev of events) yield toRaw(file, ev);
    events.length = 0;
  }
  scanner.end(events);
  for (const ev of events) yield toRaw(file, ev);
}

function toRaw(file: string, ev: ScanEvent): RawRecord {
  if (ev.kind !== 'element' || !ev.bytes) throw new Error('unexpected scan event');
  const where = { file, line: ev.line, record: ev.index };
  return { index: ev.index, line: ev.line, value: parseJson(decodeUtf8(ev.bytes, where), where) };
}

/** Array or JSON Lines, whatever the extension says. */
export async function* readJsonRecords(file: string, opts: ReadOptions = {}): AsyncGenerator<RawRecord> {
  checkAbort(opts.signal);
  const { shape } = await sniffJson(file);
  if (shape === 'empty') throw importError({ file }, 'the file is empty');
  if (shape === 'array') yield* readJsonArray(file, opts);
  else yield* readJsonLines(file, opts);
}
