/**
 * Is this request for us and from us? `Host` must name an address we are bound to (DNS rebinding),
 * and for the API and WebSocket `Origin` must be our own origin and `Sec-Fetch-Site` same-origin
 * or none: `127.0.0.1:OTHER` is same-site to a browser but a different origin, and it is exactly
 * the neighbour we do not trust.
 */
import os from 'node:os';
import type { IncomingMessage } from 'node:http';
import { isWildcard } from './bind';

export interface HostIdentity {
  scheme: 'http' | 'https';
  port: number;
  /** Lower-case `name:port` forms a Host header may carry. */
  hosts: Set<string>;
}

function bracket(name: string): string {
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/** The names a browser may use for this host: loopback always, the bound address, and every interface address for wildcard binds. */
export function hostIdentity(boundHost: string, port: number, scheme: 'http' | 'https', extraNames: string[] = []): HostIdentity {
  const names = new Set<string>(['127.0.0.1', 'localhost', '[::1]', bracket(boundHost.toLowerCase())]);
  if (isWildcard(boundHost)) {
    names.add(os.hostname().toLowerCase());
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.add(bracket(a.address.toLowerCase()));
  }
  for (const n of extraNames) names.add(bracket(n.toLowerCase()));
  const hosts = new Set<string>();
  for (const n of names) hosts.add(`${n}:${port}`);
  return { scheme, port, hosts };
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** `Host` (or an origin's host part) as `name:port`, the port filled in when the scheme's default was left out. */
export function normaliseHost(value: string, scheme: 'http' | 'https'): string {
  const v = value.trim().toLowerCase();
  return /:\d+$/.test(v) ? v : `${v}:${DEFAULT_PORT[scheme]}`;
}

/** Two Host headers are a smuggling attempt or a broken client (RFC 9112 §3.2: answer 400); Node would keep the first. */
export function hasDuplicateHost(req: IncomingMessage): boolean {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') n++;
  return n > 1;
}

export function isAllowedHost(req: IncomingMessage, id: HostIdentity): boolean {
  const host = req.headers.host;
  if (typeof host !== 'string' || host.length > 300) return false;
  return id.hosts.has(normaliseHost(host, id.scheme));
}

/**
 * Why an API or WebSocket request is refused as cross-origin, or null when it is not. Clients that
 * are not browsers (the CLI's tests, curl) send neither header and still need the token.
 */
export function crossOriginRefusal(req: IncomingMessage, id: HostIdentity): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site ${String(site).slice(0, 40)} is not allowed`;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'Origin is not a URL';
  }
  if (parsed.protocol !== `${id.scheme}:`) return 'Origin is not this host';
  const originHost = normaliseHost(parsed.host, id.scheme);
  const ownHost = normaliseHost(typeof req.headers.host === 'string' ? req.headers.host : '', id.scheme);
  if (originHost !== ownHost || !id.hosts.has(originHost)) return 'Origin is not this host';
  return null;
}
