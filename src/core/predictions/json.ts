/**
 * A small JSON parser that remembers on which line every value starts, so validation
 * errors can name the line of the offending field (JSON.parse cannot). Strings are
 * decoded with JSON.parse, so escapes behave exactly as in JSON.parse.
 */
import { PredictionsError } from './errors';

export type JsonPath = readonly (string | number)[];

export interface LocatedJson {
  value: unknown;
  /** Line (1-based) where the value at `path` starts; the nearest known ancestor's line otherwise. */
  lineOf(path: JsonPath): number;
}

export function parseJsonWithLines(text: string, file = '<json>'): LocatedJson {
  const lines = new Map<string, number>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  const fail = (problem: string): never => {
    throw new PredictionsError(file, `invalid JSON: ${problem}`, { line });
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) break;
      i++;
    }
  };
  const pathKey = (path: JsonPath) => JSON.stringify(path);
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) i += 2;
      else if (c < 32) fail(c === 10 ? 'line break inside a string (write it as \\n)' : 'control character inside a string');
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad escape in string');
    }
  };
  const value = (path: (string | number)[]): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input');
    lines.set(pathKey(path), line);
    const c = text[i]!;
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted key, found ${JSON.stringify(text[i] ?? 'end of input')}`);
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ":" after key ${JSON.stringify(key)}`);
        i++;
        path.push(key);
        const v = value(path);
        path.pop();
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(`expected "," or "}", found ${JSON.stringify(text[i] ?? 'end of input')}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        path.push(arr.length);
        arr.push(value(path));
        path.pop();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected "," or "]", found ${JSON.stringify(text[i] ?? 'end of input')}`);
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)/.exec(text.slice(i, i + 400));
    if (!m) return fail(`unexpected ${JSON.stringify(c)}`);
    i += m[0].length;
    const t = m[0];
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === 'null') return null;
    // Python's json.dump writes NaN / Infinity for such floats; accept them as numbers.
    if (t === 'NaN') return NaN;
    if (t.endsWith('Infinity')) return t.startsWith('-') ? -Infinity : Infinity;
    return Number(t);
  };
  const root = value([]);
  ws();
  if (i < n) fail(`unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
  return {
    value: root,
    lineOf(path: JsonPath): number {
      for (let k = path.length; k >= 0; k--) {
        const l = lines.get(pathKey(path.slice(0, k)));
        if (l !== undefined) return l;
      }
      return 1;
    },
  };
}
