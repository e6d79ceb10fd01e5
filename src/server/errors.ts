/**
 * How the web host turns failures into answers: the shared status per error code, and messages
 * bounded tighter than the shared model does, so a page that posts a megabyte of hostile input
 * never sees more than a short prefix of it quoted back.
 */
import { HTTP_STATUS, type ApiErrorData } from '../shared/errors';

/** A code added to the contract later is a client error until someone says otherwise. */
export function statusOf(code: string): number {
  return (HTTP_STATUS as Readonly<Record<string, number>>)[code] ?? 400;
}

export const MAX_MESSAGE = 500;
/** Input strings at least this long are quoted by a prefix only. */
const LONG_INPUT = 200;
const KEPT_INPUT = 80;

/** Strings in the request long enough that echoing them would matter. */
function longStrings(value: unknown, out: Set<string>, depth = 0): void {
  if (out.size > 1000 || depth > 32) return;
  if (typeof value === 'string') {
    if (value.length >= LONG_INPUT) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) longStrings(v, out, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.length >= LONG_INPUT) out.add(k);
      longStrings(v, out, depth + 1);
    }
  }
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

const WINDOW = 64;
const STRIDE = 32;

/**
 * Cuts every run of text copied from a long input string down to a short prefix. Messages may quote
 * input whole or already cut elsewhere (zod, the shared model), so runs are found, not exact strings:
 * any run of 96+ characters contains a 64-character window starting at a multiple of 32, which is
 * looked up in the input and then extended both ways.
 */
function unquote(text: string, long: string[]): string {
  if (!long.length || text.length < WINDOW) return text;
  const runs: [number, number][] = [];
  for (let p = 0; p + WINDOW <= text.length; p += STRIDE) {
    if (runs.length && p < runs[runs.length - 1]![1]) continue;
    const window = text.slice(p, p + WINDOW);
    for (const s of long) {
      const at = s.indexOf(window);
      if (at < 0) continue;
      let a = p;
      let b = at;
      while (a > 0 && b > 0 && text[a - 1] === s[b - 1]) {
        a--;
        b--;
      }
      let e = p + WINDOW;
      let f = at + WINDOW;
      while (e < text.length && f < s.length && text[e] === s[f]) {
        e++;
        f++;
      }
      runs.push([a, e]);
      break;
    }
  }
  let out = '';
  let last = 0;
  for (const [start, e] of runs) {
    const a = Math.max(start, last);
    out += text.slice(last, a);
    out += e - a > KEPT_INPUT ? `${text.slice(a, a + KEPT_INPUT)}…` : text.slice(a, e);
    last = e;
  }
  return out + text.slice(last);
}

/** An error as the host sends it: long input quoted by a prefix only, message, details and issues capped. */
export function boundError(error: ApiErrorData, input: unknown): ApiErrorData {
  const found = new Set<string>();
  longStrings(input, found);
  const long = [...found].sort((a, b) => b.length - a.length);
  const bounded: ApiErrorData = { code: error.code, message: shorten(unquote(error.message, long), MAX_MESSAGE) };
  if (error.details) {
    const details: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(error.details).slice(0, 20)) {
      details[shorten(k, 60)] = typeof v === 'string' ? shorten(unquote(v, long), LONG_INPUT) : v;
    }
    bounded.details = details;
  }
  if (error.issues) {
    bounded.issues = error.issues.slice(0, 50).map((i) => ({ path: shorten(i.path, LONG_INPUT), message: shorten(unquote(i.message, long), 300) }));
  }
  return bounded;
}
