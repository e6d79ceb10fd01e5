/**
 * Reading a call's request body under a size limit. A body over the limit is read to its end and
 * dropped before the 413 goes out: answering early and closing would reset the connection while
 * the client is still sending, and it would see a network error instead of the reason.
 */
import type { IncomingMessage } from 'node:http';

export const MAX_BODY = 10 * 1024 * 1024;
/** Past this much discarded input the client is not worth waiting for: close the connection. */
const MAX_DRAIN = 256 * 1024 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true; size: number };

export function readBody(req: IncomingMessage, limit = MAX_BODY): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAIN) {
        req.destroy();
        reject(new Error('request body far over the limit; connection closed'));
        return;
      }
      if (size <= limit) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > limit) resolve({ ok: false, tooLarge: true, size });
      else resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

/** `application/json`, optionally with parameters (`; charset=utf-8`). Anything else could be a form a page posted. */
export function isJsonContentType(value: string | undefined): boolean {
  if (typeof value !== 'string') return false;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
