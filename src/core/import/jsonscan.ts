/**
 * A streaming splitter for big JSON documents. It never builds the whole document: it walks
 * the bytes once, tracking strings and nesting, and hands out the raw bytes of
 *  - every element of a top-level array (mode `array`), or
 *  - every member of a top-level object (mode `object`), except that the member named
 *    `streamKey`, when it is an array, is handed out element by element.
 * Each piece is then decoded (strict UTF-8) and JSON.parse'd on its own, so memory stays
 * bounded by the largest single record and errors can name the record and its line.
 * Structural characters are ASCII, so scanning raw UTF-8 bytes is safe.
 */
import { decodeUtf8, importError, parseJson } from './bytes';

export type ScanEvent = { kind: 'element'; index: number; line: number; bytes: Buffer | null } | { kind: 'field'; key: string; line: number; bytes: Buffer };

interface Frame {
  type: 'root' | 'array' | 'object';
  /** root: value|done; array: first|value|comma; object: firstKey|key|colon|value|comma */
  state: string;
  key?: string;
  /** Array frames: are elements reported as records? */
  records?: boolean;
  count: number;
  keyLine?: number;
}

type Capture = 'container' | 'string' | 'scalar';
type Purpose = 'element' | 'field' | 'key';

const WS = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export interface ScanOptions {
  mode: 'array' | 'object';
  /** In object mode, the member whose array value is streamed element by element. */
  streamKey?: string;
  /** Count streamed elements without keeping their bytes (plan-time scans). */
  skipElements?: boolean;
  /** What a streamed element is called in messages. */
  noun?: string;
}

export class JsonScanner {
  private line = 1;
  private stack: Frame[] = [{ type: 'root', state: 'value', count: 0 }];
  private capturing = false;
  private capKind: Capture = 'container';
  private capPurpose: Purpose = 'element';
  private capDepth = 0;
  private capStart = 0;
  private capLine = 1;
  private capKeep = true;
  private pieces: Buffer[] = [];
  private inString = false;
  private escape = false;
  private sawContent = false;
  private streamedArraySeen = false;
  private readonly noun: string;

  constructor(
    private readonly file: string,
    private readonly opts: ScanOptions,
  ) {
    this.noun = opts.noun ?? 'record';
  }

  /** Whether the `streamKey` member was found as an array. */
  get streamed(): boolean {
    return this.streamedArraySeen;
  }

  push(chunk: Buffer, out: ScanEvent[]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const b = chunk[i]!;
      if (this.capturing) {
        if (b === 0x0a) this.line++;
        switch (this.capKind) {
          case 'string':
            if (this.escape) this.escape = false;
            else if (b === 0x5c) this.escape = true;
            else if (b === 0x22) {
              this.finish(chunk, i + 1, out);
            }
            i++;
            continue;
          case 'container':
            if (this.inString) {
              if (this.escape) this.escape = false;
              else if (b === 0x5c) this.escape = true;
              else if (b === 0x22) this.inString = false;
            } else if (b === 0x22) this.inString = true;
            else if (b === 0x7b || b === 0x5b) this.capDepth++;
            else if (b === 0x7d || b === 0x5d) {
              if (--this.capDepth === 0) this.finish(chunk, i + 1, out);
            }
            i++;
            continue;
          case 'scalar':
            if (WS(b) || b === 0x2c || b === 0x5d || b === 0x7d || b === 0x3a) {
              if (b === 0x0a) this.line--; // re-processed below
              this.finish(chunk, i, out);
              continue; // re-process the delimiter structurally
            }
            i++;
            continue;
        }
      }
      if (WS(b)) {
        if (b === 0x0a) this.line++;
        i++;
        continue;
      }
      this.sawContent = true;
      this.structural(b, chunk, i);
      i++;
    }
    if (this.capturing && this.capKeep) {
      this.pieces.push(chunk.subarray(this.capStart));
    }
    this.capStart = 0;
  }

  /** Call at end of input: reports truncation. */
  end(out: ScanEvent[]): void {
    if (this.capturing && this.capKind === 'scalar') {
      this.finish(Buffer.alloc(0), 0, out);
    }
    const top = this.stack[this.stack.length - 1]!;
    if (!this.sawContent) throw importError({ file: this.file }, 'the file is empty');
    if (this.capturing || top.type !== 'root' || top.state !== 'done') {
      const arr = [...this.stack].reverse().find((f) => f.type === 'array' && f.records);
      const where = this.capturing
        ? { file: this.file, line: this.capLine, record: this.capPurpose === 'element' && arr ? arr.count : undefined }
        : { file: this.file, line: this.line };
      const what = this.capturing && this.capPurpose === 'element' ? `this ${this.noun} is incomplete` : 'the JSON document is not closed';
      throw importError(where, `unexpected end of file (truncated?): ${what}`);
    }
  }

  private err(problem: string, b: number): never {
    const top = this.stack[this.stack.length - 1]!;
    const ch = b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16)}`;
    const after = top.type === 'array' && top.records && top.count > 0 ? ` after ${this.noun} ${top.count - 1}` : '';
    throw importError({ file: this.file, line: this.line }, `malformed JSON${after}: ${problem}, found ${ch}`);
  }

  private structural(b: number, chunk: Buffer, i: number): void {
    const top = this.stack[this.stack.length - 1]!;
    switch (top.type) {
      case 'root': {
        if (top.state === 'done') this.err('unexpected content after the end of the top-level value', b);
        const want = this.opts.mode === 'array' ? 0x5b : 0x7b;
        if (b !== want) this.err(`expected a JSON ${this.opts.mode} at the top level`, b);
        top.state = 'done';
        this.stack.push(
          this.opts.mode === 'array' ? { type: 'array', state: 'first', records: true, count: 0 } : { type: 'object', state: 'firstKey', count: 0 },
        );
        return;
      }
      case 'array': {
        if (top.state === 'comma') {
          if (b === 0x2c) top.state = 'value';
          else if (b === 0x5d) this.pop();
          else this.err(`expected ',' or ']'`, b);
          return;
        }
        if (b === 0x5d) {
          if (top.state === 'first') this.pop();
          else this.err('trailing comma before ]', b);
          return;
        }
        this.begin(b, chunk, i, 'element', !this.opts.skipElements);
        return;
      }
      case 'object': {
        switch (top.state) {
          case 'firstKey':
          case 'key':
            if (b === 0x7d && top.state === 'firstKey') return this.pop();
            if (b !== 0x22) this.err('expected a quoted member name', b);
            top.keyLine = this.line;
            this.begin(b, chunk, i, 'key', true);
            return;
          case 'colon':
            if (b !== 0x3a) this.err(`expected ':' after member name "${top.key}"`, b);
            top.state = 'value';
            return;
          case 'value':
            if (b === 0x5b && this.opts.streamKey !== undefined && top.key === this.opts.streamKey && this.stack.length === 2) {
              top.state = 'comma';
              this.streamedArraySeen = true;
              this.stack.push({ type: 'array', state: 'first', records: true, count: 0 });
              return;
            }
            this.begin(b, chunk, i, 'field', true);
            return;
          case 'comma':
            if (b === 0x2c) top.state = 'key';
            else if (b === 0x7d) this.pop();
            else this.err(`expected ',' or '}'`, b);
            return;
        }
      }
    }
  }

  private pop(): void {
    this.stack.pop();
    const parent = this.stack[this.stack.length - 1]!;
    if (parent.type !== 'root') parent.state = 'comma';
  }

  private begin(b: number, chunk: Buffer, i: number, purpose: Purpose, keep: boolean): void {
    this.capturing = true;
    this.capPurpose = purpose;
    this.capStart = i;
    this.capLine = this.line;
    this.capKeep = keep;
    this.pieces = [];
    this.inString = false;
    this.escape = false;
    if (b === 0x22) this.capKind = 'string';
    else if (b === 0x7b || b === 0x5b) {
      this.capKind = 'container';
      this.capDepth = 1;
    } else this.capKind = 'scalar';
    // The opening byte has been consumed by the caller's i++ (string/container);
    // a scalar's first byte is part of it and cannot be a delimiter, so that is fine too.
  }

  private finish(chunk: Buffer, end: number, out: ScanEvent[]): void {
    this.capturing = false;
    const top = this.stack[this.stack.length - 1]!;
    let bytes: Buffer | null = null;
    if (this.capKeep) {
      const last = chunk.subarray(this.capStart, end);
      bytes = this.pieces.length ? Buffer.concat([...this.pieces, last]) : last;
    }
    this.pieces = [];
    switch (this.capPurpose) {
      case 'element':
        out.push({ kind: 'element', index: top.count, line: this.capLine, bytes });
        top.count++;
        top.state = 'comma';
        return;
      case 'key': {
        const where = { file: this.file, line: this.capLine };
        top.key = parseJson(decodeUtf8(bytes!, where), where, 'member name') as string;
        top.state = 'colon';
        return;
      }
      case 'field':
        out.push({ kind: 'field', key: top.key ?? '', line: this.capLine, bytes: bytes! });
        top.state = 'comma';
        return;
    }
  }
}
