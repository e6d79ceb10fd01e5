/**
 * Who may talk to the web host. The API token travels only in the `Authorization` header (calls)
 * or the WebSocket subprotocol list (events): a browser attaches neither on its own, so another
 * page cannot borrow them the way it borrows cookies. The one cookie left opens only the static
 * shell (public code), and carries a different random value from the API token.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookies are shared by every port of 127.0.0.1: this one must never be worth stealing. */
export const SHELL_COOKIE = 'medtask_shell';

/** The subprotocol the host answers with; the token rides in a second, never-echoed one. */
export const WS_PROTOCOL = 'medtask.v1';
export const WS_TOKEN_PREFIX = 'medtask.token.';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/**
 * Every value a cookie `name` has in the header. Never decodes: a page on another local port can
 * plant `name=%` (or a second cookie of the same name on a narrower path), and neither may throw
 * or shadow the real one.
 */
export function cookieValues(req: IncomingMessage, name: string): string[] {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** The token from `Sec-WebSocket-Protocol: medtask.v1, medtask.token.<token>`. */
export function protocolToken(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  for (const p of header.split(',')) {
    const name = p.trim();
    if (name.startsWith(WS_TOKEN_PREFIX)) return name.slice(WS_TOKEN_PREFIX.length);
  }
  return undefined;
}

export function matches(given: string | undefined, expected: string): boolean {
  return given !== undefined && safeEqual(given, expected);
}

export function hasShellCookie(req: IncomingMessage, shellSecret: string): boolean {
  return cookieValues(req, SHELL_COOKIE).some((v) => safeEqual(v, shellSecret));
}
