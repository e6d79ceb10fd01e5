/**
 * The remote pre-flight reads a server's GET /props, POST /apply-template and POST /tokenize:
 * outside data over a connection. Against real hostile HTTP servers on loopback: huge, endless,
 * malformed or out-of-range answers leave the estimate (said as such) or a clear error, never a
 * crash or an unbounded read; the key goes only to the registered server, never through a redirect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteBackend } from '../../src/core/inference/remote/remoteBackend';
import { preflightRun } from '../../src/core/runs/preflight';
import { MedtaskCore } from '../../src/core/service';
import type { RunSpec } from '../../src/shared/runs';
import { data, tempDir } from '../helpers';

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface Stub {
  base: string;
  seen: { url: string; authorization: string | undefined }[];
  answers: Record<string, Answer>;
  close(): Promise<void>;
}

const json =
  (body: unknown, status = 200): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
const GOOD_PROPS = json({ default_generation_settings: { n_ctx: 4096 } });
const GOOD_TEMPLATE = json({ prompt: '<|user|>hello' });
const GOOD_TOKENIZE = json({ tokens: [1, 2, 3] });

/** A server answering each path as `answers` says (404 otherwise), recording what reached it. */
async function stub(answers: Record<string, Answer>): Promise<Stub> {
  const seen: Stub['seen'] = [];
  const s = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    const answer = answers[req.url ?? ''];
    if (answer) answer(req, res);
    else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    seen,
    answers,
    close: () =>
      new Promise<void>((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

/** Writes `total` bytes of a never-closing JSON string in 64 KiB chunks (no content-length). */
const endless =
  (total: number): Answer =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"default_generation_settings":{"n_ctx":4096},"x":"');
    const chunk = 'a'.repeat(65_536);
    let sent = 0;
    const more = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', more);
          return;
        }
      }
      res.end('"}');
    };
    res.on('error', () => undefined);
    more();
  };

let core: MedtaskCore;
let taskId: number;
const stubs: Stub[] = [];

beforeAll(async () => {
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths([data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  taskId = (await core.handlers.listTasks({}))[0]!.id;
});

afterAll(async () => {
  await core.dispose();
  await Promise.all(stubs.map((s) => s.close()));
});

async function serve(answers: Record<string, Answer>): Promise<Stub> {
  const s = await stub(answers);
  stubs.push(s);
  return s;
}

const spec = (baseUrl: string, extra: { apiKeyEnv?: string; timeoutMs?: number } = {}): RunSpec => ({
  model: { kind: 'remote', baseUrl, model: 'm', timeoutMs: 2000, ...extra },
  template: { strategy: 'meds-bench' },
  decoding: { maxTokens: 16, temperature: 0 },
  selection: { taskIds: [taskId], limit: 3 },
});

describe('hostile answers to the remote pre-flight', () => {
  const estimated = { counting: 'estimate', contextSize: null, budget: null, overBudget: 0, checked: 3 };

  it('a server without /props (vLLM, Ollama, …) is estimated; a well-formed llama.cpp server is counted', async () => {
    const plain = await serve({});
    expect(await core.handlers.preflightRun(spec(`${plain.base}/v1`))).toMatchObject(estimated);
    expect(plain.seen.map((s) => s.url)).toEqual(['/props']);
    const good = await serve({ '/props': GOOD_PROPS, '/apply-template': GOOD_TEMPLATE, '/tokenize': GOOD_TOKENIZE });
    expect(await core.handlers.preflightRun(spec(good.base))).toMatchObject({ counting: 'model', contextSize: 4096, budget: 4080, checked: 3 });
    expect(good.seen.filter((s) => s.url === '/tokenize')).toHaveLength(3);
  });

  it.each([
    ['a huge /props streamed without a length', { '/props': endless(64 * 1024 * 1024) }],
    [
      'a /props declaring 1 GiB',
      {
        '/props': ((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) });
          res.write('{');
        }) as Answer,
      },
    ],
    ['/props that is not JSON', { '/props': ((_req, res) => res.end('<html>{{{')) as Answer }],
    ['n_ctx negative', { '/props': json({ default_generation_settings: { n_ctx: -5 } }) }],
    ['n_ctx a string', { '/props': json({ default_generation_settings: { n_ctx: '4096' } }) }],
    ['n_ctx absurd', { '/props': json({ default_generation_settings: { n_ctx: 1e15 } }) }],
    ['/props a JSON array', { '/props': json([1, 2, 3]) }],
    ['/props failing with 500', { '/props': json({ error: 'boom' }, 500) }],
    ['/props that never answers', { '/props': (() => undefined) as Answer }],
    ['a huge /tokenize', { '/props': GOOD_PROPS, '/apply-template': GOOD_TEMPLATE, '/tokenize': endless(64 * 1024 * 1024) }],
    ['/tokenize without tokens', { '/props': GOOD_PROPS, '/apply-template': GOOD_TEMPLATE, '/tokenize': json({ tokens: 'many' }) }],
    ['/tokenize missing', { '/props': GOOD_PROPS, '/apply-template': GOOD_TEMPLATE }],
    ['/apply-template without a prompt', { '/props': GOOD_PROPS, '/apply-template': json({ prompt: 42 }), '/tokenize': GOOD_TOKENIZE }],
    ['/apply-template missing', { '/props': GOOD_PROPS, '/tokenize': GOOD_TOKENIZE }],
  ] as [string, Record<string, Answer>][])('%s: the estimate, said as such', async (what, answers) => {
    const s = await serve(answers);
    const started = Date.now();
    const pre = await core.handlers.preflightRun(spec(s.base, { timeoutMs: 1000 }));
    console.log(`${what}: counting ${pre.counting} in ${Date.now() - started} ms`);
    expect(pre).toMatchObject(estimated);
    expect(pre.largest!.promptTokens).toBeGreaterThan(0);
  });

  it('the backend names the endpoint and the limit when an answer is too big or out of shape', async () => {
    const big = await serve({ '/props': endless(8 * 1024 * 1024) });
    await expect(new RemoteBackend({ baseUrl: big.base, model: 'm' }).serverContext()).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/props failed: the answer is more than the 2097152 bytes allowed/,
    );
    const bad = await serve({ '/props': json({ default_generation_settings: { n_ctx: 'lots' } }) });
    await expect(new RemoteBackend({ baseUrl: `${bad.base}/v1`, model: 'm' }).serverContext()).rejects.toThrow(
      /\/props: default_generation_settings\.n_ctx is not a context size: "lots"/,
    );
    const tok = await serve({ '/tokenize': json({ nope: 1 }) });
    await expect(new RemoteBackend({ baseUrl: tok.base, model: 'm' }).countPromptTokens({ text: 'hi' })).rejects.toThrow(
      /\/tokenize: the answer has no "tokens" list/,
    );
  });
});

describe('the key of the remote pre-flight', () => {
  it('is sent to the server it is bound to, and a redirect of /props with a key is not followed', async () => {
    const elsewhere = await serve({ '/props': GOOD_PROPS });
    const env = { MEDTASK_LAB_API_KEY: 'sk-secret', MEDTASK_LAB_BASE_URL: '' };
    const s = await serve({
      '/props': (req, res) => {
        res.writeHead(307, { location: `${elsewhere.base}/props` });
        res.end();
      },
    });
    env.MEDTASK_LAB_BASE_URL = s.base;
    const pre = await preflightRun(core.db, spec(s.base, { apiKeyEnv: 'MEDTASK_LAB_API_KEY' }), {
      getLlama: () => Promise.reject(new Error('not used')),
      remote: { confine: true, env },
    });
    expect(pre.counting).toBe('estimate');
    expect(s.seen).toEqual([{ url: '/props', authorization: 'Bearer sk-secret' }]);
    expect(elsewhere.seen).toEqual([]);
  });

  it('confined, a key bound to another server is refused before any request', async () => {
    const s = await serve({ '/props': GOOD_PROPS });
    const env = { MEDTASK_LAB_API_KEY: 'sk-secret', MEDTASK_LAB_BASE_URL: 'https://api.example.org' };
    await expect(
      preflightRun(core.db, spec(s.base, { apiKeyEnv: 'MEDTASK_LAB_API_KEY' }), {
        getLlama: () => Promise.reject(new Error('not used')),
        remote: { confine: true, env },
      }),
    ).rejects.toThrow(/only sent to https:\/\/api\.example\.org/);
    expect(s.seen).toEqual([]);
  });
});
