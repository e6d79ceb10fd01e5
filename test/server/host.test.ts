import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MedtaskCore } from '../../src/core/service';
import { startWebHost, type WebHost } from '../../src/server/host';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
let host: WebHost;
let base: string;
let staticDir: string;

beforeAll(async () => {
  core = new MedtaskCore({ home: tempDir() });
  staticDir = tempDir('medtask-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  host = await startWebHost({ core, staticDir, port: 0 });
  base = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  core.close();
});

const auth = () => ({ authorization: `Bearer ${host.token}`, 'content-type': 'application/json' });

describe('web host', () => {
  it('binds loopback and prints a URL carrying a random token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('answers 401 without the token, for the page, assets and calls', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401);
    const call = await fetch(`${base}/api/call/listBenchmarks`, { method: 'POST', body: '{}' });
    expect(call.status).toBe(401);
    expect(await call.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await fetch(`${base}/api/call/listBenchmarks`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('sets an HttpOnly shell cookie on the tokened first load: it opens the assets and nothing else', async () => {
    const first = await fetch(host.url);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^medtask_shell=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // Cookies reach every port of 127.0.0.1: this one must not carry the API token.
    expect(cookie).not.toContain(host.token);
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port};`);
    const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');
    const call = await fetch(`${base}/api/call/listBenchmarks`, {
      method: 'POST',
      body: '{}',
      headers: { cookie: cookie.split(';')[0]!, 'content-type': 'application/json' },
    });
    expect(call.status).toBe(401);
    const query = await fetch(`${base}/api/call/listBenchmarks?token=${host.token}`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(query.status).toBe(401);
  });

  it('refuses path traversal and foreign Host headers', async () => {
    // fetch() would normalise the dots away and drop a Host header: send raw requests as an attacker would.
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
      });
    const traversal = await raw('/..%2f..%2f..%2fetc%2fpasswd', auth());
    expect(traversal.status).toBe(403);
    expect(traversal.body).not.toContain('root:');
    const rebinding = await raw('/', { ...auth(), host: 'evil.example' });
    expect(rebinding.status).toBe(421);
  });

  it('validates call input and maps error codes to statuses', async () => {
    const bad = await fetch(`${base}/api/call/pageItems`, { method: 'POST', headers: auth(), body: JSON.stringify({ taskId: -1 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await fetch(`${base}/api/call/listTasks`, { method: 'POST', headers: auth(), body: '{' });
    expect(notJson.status).toBe(400);
    const unknown = await fetch(`${base}/api/call/nope`, { method: 'POST', headers: auth(), body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('runs an import over HTTP and pushes progress over the WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, ['medtask.v1', `medtask.token.${host.token}`]);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    // The host answers with the fixed protocol, never echoing the token.
    expect(ws.protocol).toBe('medtask.v1');
    const events: { event: string; payload: { rows: number; done: boolean } }[] = [];
    ws.on('message', (m) => events.push(JSON.parse(m.toString()) as (typeof events)[number]));
    const res = await fetch(`${base}/api/call/importPaths`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ paths: [data('medinst32/unseen_tests/Hallmarks-of-Cancer.json')] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: true; value: { splits: { itemCount: number }[] } };
    expect(body.value.splits[0]!.itemCount).toBe(150);
    await expect.poll(() => events.some((e) => e.event === 'importProgress' && e.payload.done && e.payload.rows === 150)).toBe(true);
    ws.close();
  });

  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    const attempt = (url: string, headers: Record<string, string> = {}, protocols = ['medtask.v1', `medtask.token.${host.token}`]) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, protocols, { headers });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('error', () => resolve('refused'));
      });
    const events = `ws://127.0.0.1:${host.port}/api/events`;
    expect(await attempt(events)).toBe('open');
    expect(await attempt(events, {}, ['medtask.v1'])).toBe('refused');
    expect(await attempt(`${events}?token=${host.token}`, {}, ['medtask.v1'])).toBe('refused');
    expect(await attempt(events, { cookie: `medtask_token=${host.token}` }, ['medtask.v1'])).toBe('refused');
    expect(await attempt(events, { origin: 'http://evil.example' })).toBe('refused');
    expect(await attempt(events, { origin: 'http://127.0.0.1:1' })).toBe('refused');
    expect(await attempt(events, { origin: `http://127.0.0.1:${host.port}`, 'sec-fetch-site': 'same-site' })).toBe('refused');
    expect(await attempt(events, { origin: `http://127.0.0.1:${host.port}`, 'sec-fetch-site': 'same-origin' })).toBe('open');
  });
});
