import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'medtask_token';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** The token may come as a bearer header (API clients), a cookie (the page), or `?token=` (first load, WebSocket). */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return url.searchParams.get('token') ?? cookieValue(req, TOKEN_COOKIE);
}

export function isAuthorised(req: IncomingMessage, url: URL, token: string): boolean {
  const given = presentedToken(req, url);
  return given !== undefined && safeEqual(given, token);
}

/**
 * Refuses requests whose Host is not the loopback address we bound: a web page elsewhere
 * cannot reach us through DNS rebinding even if it guessed the token.
 */
export function isAllowedHost(req: IncomingMessage, port: number, boundHost: string): boolean {
  const host = req.headers.host;
  if (!host) return false;
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${boundHost}:${port}`]);
  return allowed.has(host.toLowerCase());
}
