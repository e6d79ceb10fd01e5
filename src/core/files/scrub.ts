/**
 * Error messages that never quote file contents. Parsers name what they found ("Invalid GGUF
 * magic ... but got "root"", JSON.parse's "Unexpected token 'r', "root:x:0:0"..."), which turns a
 * file-facing call into a way to read the first bytes of any file. The handler boundary passes
 * such errors through here: quoted text is replaced unless it is something the caller sent
 * (a path, a name), byte dumps are dropped, and the message is bounded.
 */
import { ApiError } from '../../shared/errors';
import { DomainError } from '../errors';

/** What stands where quoted text was: neutral, since a quoted value is not always from a file. */
export const CONTENTS_HIDDEN = '"…"';
const MAX_MESSAGE = 600;

/** Quoted runs: "…", '…' (not an apostrophe), `…`, “…”, ‘…’ (up to 400 characters, newlines included). */
const QUOTED = /"[^"]{0,400}"|(?<!\w)'[^']{0,400}'(?!\w)|`[^`]{0,400}`|“[^”]{0,400}”|‘[^’]{0,400}’/g;
/** An opening quote with no end; an apostrophe inside a word ("can't") is not one. */
const STRAY = /["`“‘]|(?<!\w)'/;
/** Byte dumps: <Buffer 72 6f …>, 0x-prefixed runs of 4+ bytes, bare hex runs of 16+ digits. */
const BYTES = /<Buffer[^>]*>|\b0x[0-9a-f]{8,}\b|\b[0-9a-f]{16,}\b/gi;

export function scrubMessage(message: string, keep: readonly string[] = []): string {
  const kept = new Set(keep.filter((k) => k.length > 0));
  let out = '';
  let last = 0;
  const gap = (text: string): boolean => {
    // A quote left open (a value cut mid-way) may still carry bytes: drop everything after it.
    const stray = text.search(STRAY);
    out += stray >= 0 ? `${text.slice(0, stray)}${CONTENTS_HIDDEN}` : text;
    return stray >= 0;
  };
  let cut = false;
  for (const m of message.matchAll(QUOTED)) {
    if (gap(message.slice(last, m.index))) {
      cut = true;
      break;
    }
    out += kept.has(m[0].slice(1, -1)) ? m[0] : CONTENTS_HIDDEN;
    last = m.index + m[0].length;
  }
  if (!cut) gap(message.slice(last));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not be echoed
  out = out.replace(BYTES, CONTENTS_HIDDEN).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/**
 * The same error with its message scrubbed; a domain error (or an ApiError) keeps its kind and
 * details (details carry locations, never contents), any other Error its name.
 */
export function scrubError(err: unknown, keep: readonly string[] = []): unknown {
  if (err instanceof DomainError) {
    const clean = scrubMessage(err.message, keep);
    if (clean === err.message) return err;
    const e = new DomainError(err.domainKind, clean, err.details);
    e.name = err.name;
    e.stack = `${err.name}: ${clean}\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
    return e;
  }
  if (err instanceof ApiError) {
    const clean = scrubMessage(err.message, keep);
    if (clean === err.message) return err;
    const e = new ApiError(err.code, clean, err.details);
    e.stack = `ApiError: ${clean}\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
    return e;
  }
  if (err instanceof Error) {
    if (err.name === 'AbortError') return err;
    const clean = scrubMessage(err.message, keep);
    if (clean === err.message) return err;
    const e = new Error(clean);
    e.name = err.name;
    // The frames stay for the log; the first line carried the message.
    e.stack = `${err.name}: ${clean}\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
    return e;
  }
  return err;
}
