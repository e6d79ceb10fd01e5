/**
 * The web host under attack, in-process with a real core in a temporary data directory: raw-socket
 * fuzzing of request lines, headers, cookies and paths; every contract call fed invalid payloads;
 * cross-origin, wrong content type and cookie-only requests refused with no effect; oversized
 * bodies answered 413; remote binds refused without TLS. Counts are printed: a crash in any handler
 * would end this process, so surviving the counts is part of the proof.
 */
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { callInputs } from '../../src/shared/contract';
import { CALL_NAMES } from '../../src/shared/names';
import { MedtaskCore } from '../../src/core/service';
import { startWebHost, type WebHost } from '../../src/server/host';
import { selfSignedTls } from '../../src/server/bind';
import { REPO, tempDir } from '../helpers';

let core: MedtaskCore;
let host: WebHost;
let base: string;
let staticDir: string;
let home: string;

beforeAll(async () => {
  home = tempDir('medtask-sec-home-');
  core = new MedtaskCore({ home, demoPackDir: path.join(REPO, 'resources/demo-pack') });
  staticDir = tempDir('medtask-sec-static-');
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

const json = { 'content-type': 'application/json' };
const bearer = () => ({ authorization: `Bearer ${host.token}` });

async function post(
  name: string,
  body: string,
  headers: Record<string, string> = { ...json, ...bearer() },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${base}/api/call/${name}`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The host still answers an authorised call: run after every hostile request. */
async function alive(): Promise<void> {
  const res = await post('listBenchmarks', '{}');
  expect(res.status).toBe(200);
}

/**
 * One raw request over TCP, exactly the bytes given; resolves with the status line's code (0 = closed
 * without an answer). The socket stays open until an answer comes, as a browser's would (Node drops
 * an unanswered request when the client half-closes); after a quiet spell it half-closes so that a
 * truncated request reaches the parser's end.
 */
function raw(bytes: Buffer | string, timeoutMs = 3000): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(host.port, '127.0.0.1');
    let text = '';
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(idle);
      clearTimeout(halfClose);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    };
    const timer = setTimeout(finish, timeoutMs);
    const halfClose = setTimeout(() => socket.end(), 200);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      clearTimeout(halfClose);
      clearTimeout(idle);
      // A complete answer (Content-Length reached) ends the wait at once.
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && length && text.length - end - 4 >= Number(length[1])) finish();
      else if (end >= 0 && /\r\ntransfer-encoding: *chunked/i.test(text.slice(0, end)) && text.endsWith('\r\n0\r\n\r\n')) finish();
      else idle = setTimeout(finish, 100);
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  });
}

/** A seeded generator: the same fuzz cases every run, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tally(counts: Record<string, number>, key: string | number): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

describe('raw-socket fuzzing', () => {
  it('answers every malformed request line, header, cookie and path with a 4xx and keeps serving', async () => {
    const h = () => `Host: 127.0.0.1:${host.port}\r\n`;
    const auth = () => `Authorization: Bearer ${host.token}\r\n`;
    const handWritten: { name: string; req: string; want?: number[] }[] = [
      { name: 'GET //', req: `GET // HTTP/1.1\r\n${h()}\r\n`, want: [400] },
      { name: 'GET //evil', req: `GET //evil.example/x HTTP/1.1\r\n${h()}\r\n`, want: [400] },
      { name: 'GET ///', req: `GET /// HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [400] },
      { name: 'GET *', req: `GET * HTTP/1.1\r\n${h()}\r\n`, want: [400] },
      { name: 'OPTIONS *', req: `OPTIONS * HTTP/1.1\r\n${h()}\r\n`, want: [400] },
      { name: 'absolute-form', req: `GET http://127.0.0.1:${host.port}/ HTTP/1.1\r\n${h()}\r\n`, want: [400] },
      { name: 'bad escape in path (no token)', req: `GET /%E0%A4%A HTTP/1.1\r\n${h()}\r\n`, want: [401] },
      { name: 'bad escape in path', req: `GET /%E0%A4%A HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [400] },
      { name: 'lone % in path', req: `GET /% HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [400] },
      {
        name: 'bad escape in call name',
        req: `POST /api/call/%E0%A4%A HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [400],
      },
      {
        name: 'lone % call name',
        req: `POST /api/call/% HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [400],
      },
      {
        name: 'prototype call name',
        req: `POST /api/call/__proto__ HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [404],
      },
      {
        name: 'constructor call name',
        req: `POST /api/call/constructor HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [404],
      },
      { name: 'traversal', req: `GET /..%2f..%2fetc%2fpasswd HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [403] },
      { name: 'NUL in path', req: `GET /%00 HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [200, 400, 403, 404] },
      { name: 'cookie %', req: `GET / HTTP/1.1\r\n${h()}Cookie: %\r\n\r\n`, want: [401] },
      { name: 'shell cookie %', req: `GET / HTTP/1.1\r\n${h()}Cookie: medtask_shell=%\r\n\r\n`, want: [401] },
      { name: 'old token cookie %', req: `GET / HTTP/1.1\r\n${h()}Cookie: medtask_token=%; medtask_shell=%E0%A4%A\r\n\r\n`, want: [401] },
      { name: 'cookie % with token', req: `GET /?token=${host.token} HTTP/1.1\r\n${h()}Cookie: medtask_shell=%\r\n\r\n`, want: [200] },
      {
        name: 'cookie % on a call',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}Cookie: medtask_shell=%; =; ;;\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [200],
      },
      { name: 'cookie without =', req: `GET / HTTP/1.1\r\n${h()}Cookie: medtask_shell\r\n\r\n`, want: [401] },
      { name: 'token %', req: `GET /?token=% HTTP/1.1\r\n${h()}\r\n`, want: [401] },
      { name: 'bad escape in query', req: `GET /?token=%E0%A4%A HTTP/1.1\r\n${h()}\r\n`, want: [401] },
      { name: 'no Host', req: `GET / HTTP/1.1\r\n\r\n`, want: [400] },
      { name: 'two Hosts', req: `GET / HTTP/1.1\r\n${h()}${h()}\r\n`, want: [400] },
      { name: 'ours then a foreign Host', req: `GET / HTTP/1.1\r\n${h()}Host: evil.example\r\n${auth()}\r\n`, want: [400] },
      { name: 'foreign Host', req: `GET / HTTP/1.1\r\nHost: evil.example\r\n${auth()}\r\n`, want: [421] },
      { name: 'huge Host', req: `GET / HTTP/1.1\r\nHost: ${'a'.repeat(5000)}\r\n\r\n`, want: [421] },
      {
        name: 'bearer lower case',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}authorization: bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [200],
      },
      {
        name: 'bearer with no token',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}Authorization: Bearer\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [401],
      },
      {
        name: 'basic auth',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}Authorization: Basic ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
        want: [401],
      },
      { name: 'unknown method', req: `BREW / HTTP/1.1\r\n${h()}\r\n`, want: [400, 405, 501] },
      { name: 'HTTP/9.9', req: `GET / HTTP/9.9\r\n${h()}\r\n`, want: [400, 505] },
      { name: 'garbage line', req: `\x00\x01\x02 garbage\r\n\r\n`, want: [400] },
      { name: 'only CRLF', req: `\r\n\r\n\r\n`, want: [0, 400] },
      { name: 'LF only', req: `GET / HTTP/1.1\n${h().replace('\r', '')}\n`, want: [400, 401] },
      { name: 'space in header name', req: `GET / HTTP/1.1\r\n${h()}Bad Header: x\r\n\r\n`, want: [400] },
      { name: 'header without colon', req: `GET / HTTP/1.1\r\n${h()}NoColon\r\n\r\n`, want: [400] },
      { name: 'header overflow', req: `GET / HTTP/1.1\r\n${h()}X-Big: ${'x'.repeat(70_000)}\r\n\r\n`, want: [431] },
      { name: '4000 cookies', req: `GET / HTTP/1.1\r\n${h()}Cookie: ${Array.from({ length: 4000 }, (_, i) => `c${i}=%`).join('; ')}\r\n\r\n`, want: [431] },
      {
        name: 'negative Content-Length',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}`,
        want: [400],
      },
      {
        name: 'CL and TE',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
        want: [400],
      },
      {
        name: 'bad chunk',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`,
        want: [400],
      },
      {
        name: 'short body',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{}`,
        want: [0, 400],
      },
      {
        name: 'body not JSON',
        req: `POST /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 3\r\n\r\n{{{`,
        want: [400],
      },
      {
        name: 'invalid UTF-8 body',
        req: `POST /api/call/listTasks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 4\r\n\r\n"\xff\xfe"`,
        want: [400],
      },
      { name: 'GET a call', req: `GET /api/call/listBenchmarks HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [405] },
      { name: 'api root', req: `GET /api HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [404] },
      { name: 'events without upgrade', req: `GET /api/events HTTP/1.1\r\n${h()}${auth()}\r\n`, want: [404] },
      {
        name: 'upgrade with bad key',
        req: `GET /api/events HTTP/1.1\r\n${h()}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %\r\nSec-WebSocket-Protocol: medtask.v1, medtask.token.${host.token}\r\n\r\n`,
        want: [400],
      },
      {
        name: 'upgrade with bad protocol list',
        req: `GET /api/events HTTP/1.1\r\n${h()}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ,,, medtask.token.%\r\n\r\n`,
        want: [401],
      },
      { name: 'upgrade GET //', req: `GET // HTTP/1.1\r\n${h()}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`, want: [400] },
      { name: 'upgrade elsewhere', req: `GET /x HTTP/1.1\r\n${h()}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`, want: [404] },
      { name: 'upgrade foreign Host', req: `GET /api/events HTTP/1.1\r\nHost: evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`, want: [421] },
    ];
    const counts: Record<string, number> = {};
    for (const c of handWritten) {
      const res = await raw(c.req);
      tally(counts, res.status);
      expect(c.want ?? [400], `${c.name}: ${res.text.slice(0, 200)}`).toContain(res.status);
      await alive();
    }

    // Random mutations of three valid requests: inserted, deleted and swapped bytes.
    const rnd = prng(12);
    const seeds = [
      `GET /?token=${host.token} HTTP/1.1\r\n${h()}Cookie: medtask_shell=abc\r\n\r\n`,
      `GET /assets/app.js HTTP/1.1\r\n${h()}Cookie: a=b; medtask_shell=%41\r\nAccept: */*\r\n\r\n`,
      `POST /api/call/listTasks HTTP/1.1\r\n${h()}${auth()}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    ];
    const nasty = [
      '%',
      '%0',
      '%zz',
      '\x00',
      '\r',
      '\n',
      '\r\n',
      ' ',
      ':',
      '/',
      '//',
      '..',
      '?',
      '#',
      ';',
      '=',
      '"',
      '\xff',
      '\x7f',
      '%E0%A4%A',
      'Cookie: %\r\n',
    ];
    const randomCounts: Record<string, number> = {};
    const RANDOM_CASES = 400;
    for (let i = 0; i < RANDOM_CASES; i++) {
      let req = seeds[i % seeds.length]!;
      const edits = 1 + Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * req.length);
        const kind = rnd();
        if (kind < 0.5) req = req.slice(0, at) + nasty[Math.floor(rnd() * nasty.length)]! + req.slice(at);
        else if (kind < 0.75) req = req.slice(0, at) + req.slice(at + 1 + Math.floor(rnd() * 6));
        else req = req.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 256)) + req.slice(at + 1);
      }
      const res = await raw(req, 2000);
      tally(randomCounts, res.status);
      expect(res.status, `case ${i}: ${JSON.stringify(req)} -> ${res.text.slice(0, 200)}`).toBeLessThan(500);
      if (i % 10 === 0) await alive();
    }
    await alive();
    console.log(
      `web host raw fuzzing: ${handWritten.length} hand-written cases by status ${JSON.stringify(counts)}; ${RANDOM_CASES} random mutations by status ${JSON.stringify(randomCounts)} (0 = closed without an answer); host alive after each`,
    );
  }, 120_000);

  it('survives connections reset mid-request and mid-upgrade', async () => {
    let resets = 0;
    for (const partial of [
      `POST /api/call/listBenchmarks HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nContent-Length: 100\r\n\r\n{`,
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: medtask.v1, medtask.token.${host.token}\r\n\r\n`,
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    ]) {
      for (let i = 0; i < 10; i++) {
        await new Promise<void>((resolve) => {
          const s = net.connect(host.port, '127.0.0.1', () => {
            s.write(partial);
            setTimeout(() => {
              s.resetAndDestroy();
              resets++;
              resolve();
            }, i);
          });
          s.on('error', () => resolve());
        });
      }
      await alive();
    }
    console.log(`web host: ${resets} connections reset mid-request or mid-upgrade; host alive`);
  });
});

describe('every contract call with invalid payloads', () => {
  it('answers 400 (or 404 for unknown names) with a bounded message, never 500', async () => {
    const LONG = 'Z'.repeat(20_000);
    const generic = [
      '[]',
      '"x"',
      '42',
      'true',
      '[{}]',
      `"${LONG}"`,
      '{"__proto__":{"polluted":1},"zzUnknown":1}',
      `{"${'K'.repeat(300)}":1}`,
      '{"constructor":{"prototype":{"polluted":1}}}',
    ];
    const values: unknown[] = [-1, 1.5, 2 ** 53, LONG, [], [LONG], {}, { [LONG]: 1 }, true, '%', '../../../../etc/passwd', '\u0000', 'x'.repeat(300)];
    const counts = { sent: 0, byStatus: {} as Record<string, number>, skippedValid: 0 };
    const check = (name: string, body: string, res: { status: number; body: unknown }) => {
      counts.sent++;
      tally(counts.byStatus, res.status);
      const label = `${name} ${body.slice(0, 120)}`;
      expect([400, 404], label).toContain(res.status);
      const err = (res.body as { ok: boolean; error: { message: string; issues?: { message: string; path: string }[]; details?: Record<string, unknown> } })
        .error;
      expect(err.message.length, label).toBeLessThanOrEqual(530);
      const whole = JSON.stringify(res.body);
      expect(whole.includes('Z'.repeat(201)), `${label} echoes input: ${whole.slice(0, 300)}`).toBe(false);
      expect(whole.includes('K'.repeat(201)), label).toBe(false);
      expect(whole.length, label).toBeLessThan(40_000);
    };
    for (const name of CALL_NAMES) {
      const schema = callInputs[name] as unknown as { safeParse(v: unknown): { success: boolean }; shape?: Record<string, unknown> };
      for (const body of generic) {
        if (schema.safeParse(JSON.parse(body)).success) {
          counts.skippedValid++;
          continue;
        }
        check(name, body, await post(name, body));
      }
      for (const key of Object.keys(schema.shape ?? {})) {
        for (const v of values) {
          const input = { [key]: v };
          if (schema.safeParse(input).success) {
            counts.skippedValid++;
            continue;
          }
          const body = JSON.stringify(input);
          check(name, body, await post(name, body));
        }
      }
      for (const bad of [`${name}%`, `${name}%zz`, `${name}/x`, name.toUpperCase(), `${name}${'Q'.repeat(300)}`]) {
        const res = await post(encodeURI(bad).replace('%25', '%'), '{}');
        check(bad, '{}', res);
      }
    }
    // A megabyte-sized string in a real field: still a short message.
    const big = await post('listTasks', JSON.stringify({ benchmarkId: 'Z'.repeat(5_000_000) }));
    check('listTasks', '5 MB benchmarkId', big);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await alive();
    console.log(
      `web host contract fuzzing: ${CALL_NAMES.length} calls, ${counts.sent} invalid requests by status ${JSON.stringify(counts.byStatus)}, ` +
        `${counts.skippedValid} generated payloads were valid for their call and not sent`,
    );
  }, 180_000);
});

describe('cross-origin and forged calls', () => {
  const benchmarks = async () => ((await post('listBenchmarks', '{}')).body as { value: { name: string }[] }).value.map((b) => b.name);

  it('refuses every forged form of a state-changing call, with no effect', async () => {
    const other = 'http://127.0.0.1:1';
    const attempts: { name: string; headers: Record<string, string>; status: number; path?: string }[] = [
      { name: 'form POST (text/plain), token', headers: { 'content-type': 'text/plain', ...bearer() }, status: 415 },
      { name: 'urlencoded form', headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer() }, status: 415 },
      { name: 'multipart form', headers: { 'content-type': 'multipart/form-data; boundary=x', ...bearer() }, status: 415 },
      { name: 'no content type', headers: { ...bearer() }, status: 415 },
      { name: 'json-ish type', headers: { 'content-type': 'text/json', ...bearer() }, status: 415 },
      { name: 'cookie only', headers: { ...json, cookie: `medtask_token=${host.token}; medtask_shell=${host.token}` }, status: 401 },
      { name: 'token in query', headers: { ...json }, status: 401, path: `?token=${host.token}` },
      { name: 'other local port', headers: { ...json, ...bearer(), origin: other }, status: 403 },
      { name: 'localhost alias', headers: { ...json, ...bearer(), origin: `http://localhost:${host.port}` }, status: 403 },
      { name: 'https origin', headers: { ...json, ...bearer(), origin: `https://127.0.0.1:${host.port}` }, status: 403 },
      { name: 'null origin', headers: { ...json, ...bearer(), origin: 'null' }, status: 403 },
      { name: 'same-site fetch', headers: { ...json, ...bearer(), 'sec-fetch-site': 'same-site' }, status: 403 },
      { name: 'cross-site fetch', headers: { ...json, ...bearer(), 'sec-fetch-site': 'cross-site' }, status: 403 },
      { name: 'same-origin claimed, other Origin', headers: { ...json, ...bearer(), 'sec-fetch-site': 'same-origin', origin: other }, status: 403 },
    ];
    for (const a of attempts) {
      const res = await fetch(`${base}/api/call/importDemo${a.path ?? ''}`, { method: 'POST', headers: a.headers, body: '{}' });
      expect(res.status, a.name).toBe(a.status);
      expect(res.headers.get('access-control-allow-origin'), a.name).toBeNull();
    }
    expect(await benchmarks()).not.toContain('demo');
    // The preflight a browser would send first: answered without any CORS grant.
    const preflight = await fetch(`${base}/api/call/importDemo`, {
      method: 'OPTIONS',
      headers: { origin: other, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    for (const [k] of preflight.headers) expect(k.startsWith('access-control-'), k).toBe(false);
    // The same call, sent as the app sends it, does take effect: the probes above could have seen it.
    const own = await post('importDemo', '{}', { ...json, ...bearer(), origin: base, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
    expect(await benchmarks()).toContain('demo');
    console.log(`web host: ${attempts.length + 1} forged call forms refused, none took effect`);
  });

  it('accepts the bearer scheme in any case and nothing else', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      expect((await post('listBenchmarks', '{}', { ...json, authorization: `${scheme} ${host.token}` })).status, scheme).toBe(200);
    }
    for (const header of [`Basic ${host.token}`, `Bearer${host.token}`, `Bearer ${host.token}x`, `Token ${host.token}`, `Bearer ${host.token} ${host.token}`]) {
      expect((await post('listBenchmarks', '{}', { ...json, authorization: header })).status, header).toBe(401);
    }
  });

  it('answers an oversized body with 413 after reading it, not a reset', async () => {
    const body = `{"paths":["${'a'.repeat(10 * 1024 * 1024)}"]}`;
    const res = await post('previewImport', body);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(JSON.stringify(res.body).length).toBeLessThan(600);
    await alive();
  });

  it('reports a missing file as a 4xx user error, never 500', async () => {
    const missing = path.join(home, 'no-such-file.json');
    for (const [name, input] of [
      ['previewImport', { paths: [missing] }],
      ['importPaths', { paths: [missing] }],
      ['inspectModel', { path: path.join(home, 'no-such-model.gguf') }],
    ] as const) {
      const res = await post(name, JSON.stringify(input));
      expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
    }
  });

  it('sends a CSP that lets the page open WebSockets to itself only', async () => {
    const res = await fetch(host.url);
    const csp = res.headers.get('content-security-policy')!;
    const connect = /connect-src ([^;]*)/.exec(csp)![1]!.trim().split(/\s+/);
    expect(connect).toEqual(["'self'", `ws://127.0.0.1:${host.port}`]);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('refuses WebSockets from other origins, with the token in a cookie or the query', async () => {
    const url = `ws://127.0.0.1:${host.port}/api/events`;
    const attempt = (protocols: string[], headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, protocols, { headers });
        ws.once('open', () => {
          ws.close();
          resolve('open');
        });
        ws.once('error', () => resolve('refused'));
      });
    const good = ['medtask.v1', `medtask.token.${host.token}`];
    expect(await attempt(good, { origin: base, 'sec-fetch-site': 'same-origin' })).toBe('open');
    expect(await attempt(good, { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site' })).toBe('refused');
    expect(await attempt(good, { origin: 'http://127.0.0.1:1' })).toBe('refused');
    expect(await attempt(['medtask.v1'], { cookie: `medtask_token=${host.token}` })).toBe('refused');
    expect(await attempt(['medtask.v1', 'medtask.token.%'], {})).toBe('refused');
  });
});

describe('binding beyond loopback', () => {
  it('refuses 0.0.0.0, :: and other addresses without --allow-remote and TLS', async () => {
    for (const address of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(startWebHost({ core, staticDir, port: 0, host: address }), address).rejects.toThrow(/refusing to serve on .*--allow-remote/);
      await expect(startWebHost({ core, staticDir, port: 0, host: address, allowRemote: true }), address).rejects.toThrow(/plain HTTP/);
    }
    for (const loop of ['127.0.0.1', '127.0.0.2', 'localhost']) {
      const h = await startWebHost({ core, staticDir, port: 0, host: loop });
      await h.close();
    }
  });

  it('serves HTTPS on every interface with a self-signed certificate whose fingerprint it reports', async () => {
    const tls = await selfSignedTls('0.0.0.0');
    const remote = await startWebHost({ core, staticDir, port: 0, host: '0.0.0.0', allowRemote: true, tls });
    try {
      expect(remote.url).toMatch(/^https:\/\//);
      const get = (hostHeader: string) =>
        new Promise<{ status: number; fingerprint: string; csp: string }>((resolve, reject) => {
          // The certificate must verify against itself for 127.0.0.1: its names cover the address.
          // Verified as 127.0.0.1 whatever the Host header says: the certificate's names must cover the address.
          const options = {
            host: '127.0.0.1',
            port: remote.port,
            path: `/?token=${remote.token}`,
            ca: tls.cert,
            servername: 'localhost',
            headers: { host: hostHeader },
          };
          const req = https.get(
            { ...options, checkServerIdentity: (_name: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity('127.0.0.1', cert) },
            (res) => {
              const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
              res.resume();
              res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint, csp: String(res.headers['content-security-policy'] ?? '') }));
            },
          );
          req.on('error', reject);
        });
      const ok = await get(`127.0.0.1:${remote.port}`);
      expect(ok.status).toBe(200);
      expect(ok.fingerprint).toBe(tls.fingerprint256);
      expect(ok.csp).toContain(`connect-src 'self' wss://127.0.0.1:${remote.port};`);
      expect((await get(`evil.example:${remote.port}`)).status).toBe(421);
    } finally {
      await remote.close();
    }
  });
});
