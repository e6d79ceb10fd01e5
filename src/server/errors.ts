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

function unquote(text: string, long: string[]): string {
  let out = text;
  for (const s of long) if (out.includes(s)) out = out.split(s).join(`${s.slice(0, KEPT_INPUT)}…`);
  return out;
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
