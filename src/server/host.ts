/**
 * The web host: the built renderer plus the contract over HTTP (calls) and WebSocket
 * (events), on loopback, behind a per-start token. Same core, same validation as Electron.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiErrorCode, ApiErrorData, Envelope } from '../shared/errors';
import { dispatchCall } from '../shared/dispatch';
import type { MedtaskCore } from '../core/service';
import { isAllowedHost, isAuthorised, newToken, TOKEN_COOKIE } from './auth';
import { serveStatic } from './static';

export interface WebHostOptions {
  core: MedtaskCore;
  staticDir: string;
  port?: number;
  host?: string;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

const STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  import_failed: 422,
  internal: 500,
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; worker-src 'self' blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function fail(res: ServerResponse, error: ApiErrorData): void {
  sendJson(res, STATUS[error.code], { ok: false, error });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handleCall(core: MedtaskCore, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let input: unknown = {};
  try {
    const text = await readBody(req);
    if (text.trim()) input = JSON.parse(text);
  } catch (err) {
    fail(res, { code: 'invalid_input', message: `request body: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  const envelope = await dispatchCall(core.handlers, name, input);
  sendJson(res, envelope.ok ? 200 : STATUS[envelope.error.code], envelope);
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const boundHost = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const core = opts.core;
  let port = opts.port ?? 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (!isAllowedHost(req, port, boundHost)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request');
      return;
    }
    if (!isAuthorised(req, url, token)) {
      if (url.pathname.startsWith('/api/')) {
        fail(res, { code: 'unauthorized', message: 'missing or wrong token: open the URL printed by `medtask serve`' });
      } else {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('401: open the URL printed by `medtask serve` (it carries the token)');
      }
      return;
    }
    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') {
        fail(res, { code: 'invalid_input', message: 'calls are POST requests' });
        return;
      }
      handleCall(core, decodeURIComponent(url.pathname.slice('/api/call/'.length)), req, res).catch((err: unknown) =>
        fail(res, { code: 'internal', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.searchParams.has('token')) {
      res.setHeader('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-frame-options', 'DENY');
    serveStatic(opts.staticDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const originOk = !origin || isAllowedHost({ headers: { host: origin.replace(/^https?:\/\//, '') } } as IncomingMessage, port, boundHost);
    if (url.pathname !== '/api/events' || !isAllowedHost(req, port, boundHost) || !originOk || !isAuthorised(req, url, token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
    });
  });
  const unsubscribe = core.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, boundHost, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = boundHost.includes(':') ? `[${boundHost}]` : boundHost;
  return {
    url: `http://${hostForUrl}:${port}/?token=${token}`,
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
