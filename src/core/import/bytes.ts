/**
 * Low-level byte helpers shared by the readers: chunked file reading with progress and
 * cancellation, BOM stripping, strict UTF-8 decoding that names the offending line.
 */
import { open } from 'node:fs/promises';
import { ImportError } from './types';

export const CHUNK_SIZE = 1 << 20;

export interface ReadOptions {
  onBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
  /** Every raw byte read from disk, in order (BOM included): lets the store hash while it imports. */
  onRaw?: (chunk: Buffer) => void;
}

/** Throws the signal's reason (a DOMException named `AbortError` by default). */
export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error) throw reason;
    const err = new Error('The import was aborted');
    err.name = 'AbortError';
    throw err;
  }
}

/**
 * Yields the file in fresh (never reused) buffers, the UTF-8 BOM removed from the first.
 * `onBytes` gets the cumulative number of bytes read from disk (BOM included).
 */
export async function* readChunks(file: string, opts: ReadOptions = {}, chunkSize = CHUNK_SIZE): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  try {
    let total = 0;
    let first = true;
    for (;;) {
      checkAbort(opts.signal);
      const buf = Buffer.allocUnsafe(chunkSize);
      const { bytesRead } = await handle.read(buf, 0, chunkSize, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      let chunk = buf.subarray(0, bytesRead);
      opts.onRaw?.(chunk);
      if (first) {
        first = false;
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      opts.onBytes?.(total);
      if (chunk.length > 0) yield chunk;
    }
  } finally {
    await handle.close();
  }
}

/** Offset of the first byte that makes `buf` invalid UTF-8, or -1 when it is valid. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need > n - 1) return i; // truncated sequence
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countNewlines(buf: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (buf[i] === 0x0a) n++;
  return n;
}

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface Where {
  file: string;
  /** 1-based line at which `bytes` starts. */
  line?: number;
  /** 0-based record index. */
  record?: number;
}

export function describe(where: Where, field?: string): string {
  const parts: string[] = [];
  if (where.record !== undefined) parts.push(`record ${where.record}`);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (field) parts.push(`field "${field}"`);
  return parts.length ? `${where.file}: ${parts.join(', ')}` : where.file;
}

export function importError(where: Where, problem: string, field?: string): ImportError {
  return new ImportError(`${describe(where, field)}: ${problem}`, where.file, {
    line: where.line,
    record: where.record,
    field,
  });
}

/** Decodes strictly; invalid UTF-8 becomes an ImportError naming the exact line. */
export function decodeUtf8(bytes: Uint8Array, where: Where): string {
  try {
    return fatal.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = where.line !== undefined && at >= 0 ? where.line + countNewlines(bytes, at) : where.line;
    const byte = at >= 0 ? ` (byte 0x${bytes[at]!.toString(16).padStart(2, '0')})` : '';
    throw importError({ ...where, line }, `invalid UTF-8${byte}; the file must be UTF-8 encoded`);
  }
}

/** JSON.parse with an ImportError that names the line of the syntax error. */
export function parseJson(text: string, where: Where, what = 'JSON'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    let line = where.line;
    const m = /position (\d+)/.exec(msg);
    if (m && line !== undefined) {
      const pos = Math.min(Number(m[1]), text.length);
      for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
    }
    const short = msg.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '');
    const truncatedHint = /end of (JSON|data) input|Unterminated/i.test(msg) ? ' (the value is incomplete)' : '';
    throw importError({ ...where, line }, `malformed ${what}: ${short}${truncatedHint}`);
  }
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
