/**
 * The web host: the built renderer plus the contract over HTTP (calls) and WebSocket (events),
 * on loopback by default, behind a per-start token. Same core, same validation as Electron.
 *
 * Every handler catches everything: one odd request (a bad percent-escape, a planted cookie, a
 * malformed request line) gets a 400 and the host keeps serving the user's tab.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiErrorData, Envelope } from '../shared/errors';
import { dispatchCall } from '../shared/dispatch';
import type { MedtaskCore } from '../core/service';
import { bearerToken, hasShellCookie, matches, newToken, protocolToken, SHELL_COOKIE, WS_PROTOCOL } from './auth';
import { checkBind, isWildcard, type TlsMaterial } from './bind';
import { isJsonContentType, MAX_BODY, readBody } from './body';
import { boundError, shorten, statusOf } from './errors';
import { crossOriginRefusal, hasDuplicateHost, hostIdentity, isAllowedHost, type HostIdentity } from './origin';
import { serveStatic } from './static';

export interface WebHostOptions {
  core: MedtaskCore;
  staticDir: string;
  port?: number;
  host?: string;
  token?: string;
  /** Needed, with `tls`, for any address other than loopback. */
  allowRemote?: boolean;
  tls?: Pick<TlsMaterial, 'cert' | 'key'>;
  maxBodyBytes?: number;
}

export interface WebHost {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CALL_PREFIX = '/api/call/';
const EVENTS_PATH = '/api/events';

function csp(wsOrigin: string): string {
  return (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    `connect-src 'self' ${wsOrigin}; worker-src 'self' blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; ` +
    "form-action 'none'; frame-ancestors 'none'"
  );
}

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra });
  res.end(text);
}

function fail(res: ServerResponse, error: ApiErrorData, status = statusOf(error.code)): void {
  sendJson(res, status, { ok: false, error: { ...error, message: shorten(error.message, 500) } });
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
}

/** The request target as a URL, or null for anything but an origin-form path (`GET //`, `GET *`, absolute forms). */
function parseTarget(raw: string | undefined): URL | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    return new URL(`http://host${raw}`);
  } catch {
    return null;
  }
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const boundHost = opts.host ?? '127.0.0.1';
  checkBind(boundHost, { allowRemote: opts.allowRemote, tls: Boolean(opts.tls) });
  const scheme = opts.tls ? 'https' : 'http';
  const token = opts.token ?? newToken();
  // The shell cookie carries its own secret: a neighbour port that reads it learns nothing about the token.
  const shellSecret = newToken();
  const core = opts.core;
  const maxBody = opts.maxBodyBytes ?? MAX_BODY;
  let id: HostIdentity = hostIdentity(boundHost, opts.port ?? 0, scheme);

  async function handleCall(rawName: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      fail(res, { code: 'invalid_input', message: 'calls are POST requests' }, 405);
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      // A form or a `no-cors` fetch cannot send this type without a preflight, which we never approve.
      fail(res, { code: 'invalid_input', message: 'calls must be sent with Content-Type: application/json' }, 415);
      return;
    }
    const body = await readBody(req, maxBody);
    if (!body.ok) {
      fail(res, { code: 'too_large', message: `request body of ${body.size} bytes is over the ${maxBody}-byte limit` });
      return;
    }
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      fail(res, { code: 'invalid_input', message: 'the call name is not valid percent-encoding' });
      return;
    }
    let input: unknown = {};
    try {
      if (body.text.trim()) input = JSON.parse(body.text);
    } catch (err) {
      fail(res, { code: 'invalid_input', message: `request body is not JSON: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    const envelope = await dispatchCall(core.handlers, name, input, { onBug: (call, err) => core.log.error(`bug in ${call}`, err) });
    if (envelope.ok) sendJson(res, 200, envelope);
    else sendJson(res, statusOf(envelope.error.code), { ok: false, error: boundError(envelope.error, input) });
  }

  function handleApi(url: URL, req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'OPTIONS') {
      // A CORS preflight: answered, but with no Access-Control-Allow-* headers, so the browser refuses.
      res.writeHead(204, { allow: 'POST' }).end();
      return;
    }
    const refusal = crossOriginRefusal(req, id);
    if (refusal) {
      fail(res, { code: 'forbidden', message: `cross-origin request refused: ${refusal}` });
      return;
    }
    if (!matches(bearerToken(req), token)) {
      fail(res, { code: 'unauthorized', message: 'missing or wrong token: send Authorization: Bearer <the token printed by `medtask serve`>' });
      return;
    }
    if (!url.pathname.startsWith(CALL_PREFIX)) {
      fail(res, { code: 'not_found', message: 'no such endpoint' });
      return;
    }
    handleCall(url.pathname.slice(CALL_PREFIX.length), req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else fail(res, { code: 'invalid_input', message: `request failed: ${err instanceof Error ? err.message : String(err)}` });
    });
  }

  function handleShell(url: URL, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const viaQuery = matches(url.searchParams.get('token') ?? undefined, token);
    if (!viaQuery && !hasShellCookie(req, shellSecret) && !matches(bearerToken(req), token)) {
      plain(res, 401, '401: open the URL printed by `medtask serve` (it carries the token)');
      return;
    }
    if (viaQuery) {
      const secure = scheme === 'https' ? '; Secure' : '';
      res.setHeader('set-cookie', `${SHELL_COOKIE}=${shellSecret}; HttpOnly; SameSite=Strict; Path=/${secure}`);
    }
    const wsOrigin = `${scheme === 'https' ? 'wss' : 'ws'}://${String(req.headers.host)}`;
    res.setHeader('content-security-policy', csp(wsOrigin));
    res.setHeader('x-frame-options', 'DENY');
    serveStatic(opts.staticDir, url.pathname, res);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('cross-origin-resource-policy', 'same-origin');
      res.setHeader('cross-origin-opener-policy', 'same-origin');
      const url = parseTarget(req.url);
      if (!url || hasDuplicateHost(req)) {
        plain(res, 400, 'bad request target or Host');
        return;
      }
      if (!isAllowedHost(req, id)) {
        plain(res, 421, 'misdirected request');
        return;
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) handleApi(url, req, res);
      else handleShell(url, req, res);
    } catch {
      if (!res.headersSent) plain(res, 400, 'bad request');
      else res.destroy();
    }
  };

  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : http.createServer(onRequest);
  // Node answers a request it cannot parse on its own; say so explicitly and never let it throw.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    try {
      const status =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? '408 Request Timeout'
            : '400 Bad Request';
      if (socket.writable && !(socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      } else socket.destroy();
    } catch {
      socket.destroy();
    }
  });
  server.on('tlsClientError', () => {
    // A port scan or a browser refusing our self-signed certificate: nothing to answer.
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without its error listener: a reset here must not crash us.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string) => {
      try {
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      } catch {
        socket.destroy();
      }
    };
    try {
      const url = parseTarget(req.url);
      if (!url || hasDuplicateHost(req)) return refuse('400 Bad Request');
      if (!isAllowedHost(req, id)) return refuse('421 Misdirected Request');
      if (url.pathname !== EVENTS_PATH) return refuse('404 Not Found');
      if (crossOriginRefusal(req, id)) return refuse('403 Forbidden');
      if (!matches(protocolToken(req), token)) return refuse('401 Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        ws.on('error', () => ws.terminate());
        ws.on('close', () => clients.delete(ws));
      });
    } catch {
      refuse('400 Bad Request');
    }
  });
  const unsubscribe = core.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, boundHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  id = hostIdentity(boundHost, port, scheme);
  const shownHost = isWildcard(boundHost) ? os.hostname() : boundHost;
  const hostForUrl = shownHost.includes(':') && !shownHost.startsWith('[') ? `[${shownHost}]` : shownHost;
  const origin = `${scheme}://${hostForUrl}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
