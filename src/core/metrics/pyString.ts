/**
 * Python `str` semantics that the reference scripts rely on and that differ
 * from JavaScript's built-ins: `str.split()` / `str.strip()` whitespace, the
 * Unicode-aware `\w`/`\b`/`\d` of Python 3 `re`, and code-point ordering.
 */

/** Characters for which Python's `str.isspace()` is true. */
export const PY_WS_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python 3 `\w` on str patterns (letters, numbers, underscore). */
export const PY_WORD_CLASS = '\\p{L}\\p{N}_';

const WS_RUN = new RegExp(`[${PY_WS_CLASS}]+`, 'u');
const WS_LEAD = new RegExp(`^[${PY_WS_CLASS}]+`, 'u');
const WS_TRAIL = new RegExp(`[${PY_WS_CLASS}]+$`, 'u');

/**
 * True when `s` holds only printable ASCII and \t\n\v\f\r: there JS `\s`
 * and Python's whitespace coincide, so the fast non-Unicode regexes apply.
 */
const NOT_ASCIIISH = /[^\x20-\x7e\t\n\v\f\r]/;
export function isAsciiWs(s: string): boolean {
  return !NOT_ASCIIISH.test(s);
}
const ASCII_WS_RUN = /\s+/;

/** Python `s.split()` (no argument): split on whitespace runs, drop empties. */
export function pySplit(s: string): string[] {
  const parts = s.split(isAsciiWs(s) ? ASCII_WS_RUN : WS_RUN);
  const out: string[] = [];
  for (const p of parts) if (p.length > 0) out.push(p);
  return out;
}

/** Python `s.strip()` (no argument). */
export function pyStrip(s: string): string {
  return s.replace(WS_LEAD, '').replace(WS_TRAIL, '');
}

/** Python `str.lower()`; JS `toLowerCase` follows the same Unicode mappings (incl. final sigma). */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

/**
 * Python `s[:-1]`: drops the last *code point*. JS `slice(0, -1)` drops one UTF-16
 * unit, which leaves half of a character outside the Basic Multilingual Plane
 * (e.g. a mathematical Greek letter 𝛼) and then matches nothing.
 */
export function pyDropLast(s: string): string {
  const n = s.length;
  if (n >= 2) {
    const lo = s.charCodeAt(n - 1);
    const hi = s.charCodeAt(n - 2);
    if (lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff) return s.slice(0, -2);
  }
  return s.slice(0, -1);
}

/** Python `s[0]` for a non-empty str: the first code point (a whole surrogate pair). */
export function pyFirstChar(s: string): string {
  return String.fromCodePoint(s.codePointAt(0)!);
}

/** Python `str.replace(old, new)` (all occurrences, literal). */
export function pyReplace(s: string, oldS: string, newS: string): string {
  if (oldS === '') return s; // not used by the ports with an empty needle
  return s.split(oldS).join(newS);
}

/** Python string ordering (by code point), for `sorted()` of str. */
export function pyCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Mean as Python's `sum(xs) / len(xs)` (sequential float summation). */
export function pyMean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
