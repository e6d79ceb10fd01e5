/**
 * RemoteBackend against a real llama-server (built from the llama.cpp source node-llama-cpp ships,
 * cached under ~/.cache/medtask/llama.cpp or $MEDTASK_LLAMA_CACHE) serving the tiny test model.
 * The first build takes minutes; later runs find the binary in the cache.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLlama } from '../../scripts/llamaBuild.mjs';
import { InferenceEngine } from '../../src/core/inference/engine';
import { endpointUrl, RemoteBackend, RemoteInferenceError, Semaphore } from '../../src/core/inference/remote';
import { readSse } from '../../src/core/inference/remote/sse';
import type { RemoteBackendOptions, RemoteGenerateRequest, RemoteRetryInfo } from '../../src/core/inference/remote';
import { writeTinyModel } from '../tooling/tinyModel';
import { TINY } from '../models/fixtures';
import { llamaServerAvailable, startServer, type Server } from './llamaServer';

const TARGETS = ['llama-server'];
const canRun = llamaServerAvailable('remote backend tests');
const suite = canRun ? describe : describe.skip;

let dir = '';
let modelPath = '';
let serverBinary = '';
let server: Server | undefined;
const extraServers: Server[] = [];

const backend = (opts: Partial<RemoteBackendOptions> = {}): RemoteBackend =>
  new RemoteBackend({ baseUrl: server?.url ?? '', model: 'tiny', retries: 0, timeoutMs: 30_000, ...opts });

const chat = (content: string, extra: Partial<RemoteGenerateRequest> = {}): RemoteGenerateRequest => ({
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content },
  ],
  maxTokens: 16,
  temperature: 0,
  ...extra,
});

/** Wraps fetch to record when each request (told apart by its prompt) was sent. */
function recordingFetch(): { fetch: typeof fetch; sentAt: Map<string, number> } {
  const sentAt = new Map<string, number>();
  const wrapped: typeof fetch = (input, init) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { messages?: { content: string }[] }) : {};
    const key = body.messages?.at(-1)?.content ?? '';
    sentAt.set(key, performance.now());
    return fetch(input, init);
  };
  return { fetch: wrapped, sentAt };
}

/** Most intervals open at one instant. */
function maxOverlap(intervals: [number, number][]): number {
  const points = intervals
    .flatMap(([a, b]): [number, number][] => [
      [a, 1],
      [b, -1],
    ])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (open += d));
  return max;
}

describe('remote backend building blocks', () => {
  it('joins base URLs and API paths', () => {
    expect(endpointUrl('http://h:8080', 'chat/completions')).toBe('http://h:8080/v1/chat/completions');
    expect(endpointUrl('http://h:8080/', 'completions')).toBe('http://h:8080/v1/completions');
    expect(endpointUrl('https://h/v1/', 'chat/completions')).toBe('https://h/v1/chat/completions');
    expect(endpointUrl('https://h/openai/v2', 'models')).toBe('https://h/openai/v2/models');
    expect(endpointUrl('http://h:11434/api?x=1', 'models')).toBe('http://h:11434/api/v1/models');
    expect(() => endpointUrl('ftp://h', 'models')).toThrow(/http\(s\)/);
    expect(() => endpointUrl('not a url', 'models')).toThrow(/not a URL/);
  });

  it('the semaphore is FIFO, bounded and abortable', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    expect(s.active).toBe(2);
    const ac = new AbortController();
    const p3 = s.acquire().then((r) => (order.push(3), r));
    const p4 = s.acquire(ac.signal);
    const p5 = s.acquire().then((r) => (order.push(5), r));
    expect(s.queued).toBe(3);
    ac.abort(new Error('gave up'));
    await expect(p4).rejects.toThrow('gave up');
    r1();
    r1(); // a second release is a no-op
    const r3 = await p3;
    expect(s.active).toBe(2);
    r2();
    const r5 = await p5;
    expect(order).toEqual([3, 5]);
    r3();
    r5();
    expect(s.active).toBe(0);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });

  it('parses server-sent events split across chunks and line-end styles', async () => {
    const raw = 'data: {"a":1}\r\n\r\n: comment\n\nevent: error\ndata: line1\ndata: line2\n\ndata: [DONE]';
    const enc = new TextEncoder().encode(raw);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < enc.length; i += 3) c.enqueue(enc.subarray(i, i + 3));
        c.close();
      },
    });
    const events = [];
    for await (const e of readSse(body)) events.push(e);
    expect(events).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'error', data: 'line1\nline2' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('rejects requests it cannot serve before any network call', async () => {
    const b = new RemoteBackend({ baseUrl: 'http://127.0.0.1:9', model: 'm', fetch: () => Promise.reject(new Error('no network expected')) });
    await expect(b.generate({ maxTokens: 4 })).rejects.toThrow(/messages or prompt/);
    await expect(b.generate({ prompt: 'x', messages: [], maxTokens: 4 })).rejects.toThrow(/not both/);
    await expect(b.generate({ prompt: 'x', maxTokens: 0 })).rejects.toThrow(RangeError);
    const withLora = { prompt: 'x', loraPaths: [{ path: 'a.gguf' }] } as RemoteGenerateRequest;
    await expect(b.generate(withLora)).rejects.toThrow(/LoRA/);
  });
});

suite('RemoteBackend against llama-server', () => {
  beforeAll(async () => {
    const started = performance.now();
    const built = await buildLlama({
      targets: TARGETS,
      log: (line) => {
        if (/^\[\d+\/\d+\]|^\$ |error/i.test(line)) console.log(`[build-llama] ${line.slice(0, 200)}`);
      },
    });
    if (!built.cached) console.log(`[build-llama] built llama-server in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    serverBinary = built.binaries['llama-server'] ?? '';
    dir = await mkdtemp(join(tmpdir(), 'medtask-remote-'));
    modelPath = join(dir, 'tiny.gguf');
    await writeTinyModel(modelPath, { ...TINY, chatTemplate: true });
    server = await startServer(serverBinary, modelPath);
  }, 30 * 60_000);

  afterAll(async () => {
    for (const s of [server, ...extraServers]) await s?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the served model', async () => {
    const models = await backend().listModels();
    expect(models.length).toBeGreaterThan(0);
  });

  it('greedy chat completion is reproducible and its token counts match the server tokenizer', async () => {
    const b = backend({ stream: false });
    const req = chat('the patient has a fever');
    const first = await b.generate(req);
    const second = await b.generate(req);
    expect(first.text.length).toBeGreaterThan(0);
    expect(second.text).toBe(first.text);
    // The tiny model never emits end-of-sequence: generation always runs to maxTokens.
    expect(first.outputTokens).toBe(16);
    expect(first.stopReason).toBe('maxTokens');
    expect(first.attempts).toBe(1);
    expect(first.usageReported).toBe(true);

    // Prompt tokens = the chat template applied by the server, tokenized with special tokens.
    const applied = (await (await fetch(`${server?.url}/apply-template`, { method: 'POST', body: JSON.stringify({ messages: req.messages }) })).json()) as {
      prompt: string;
    };
    expect(applied.prompt).toContain('User: the patient has a fever');
    const tokenized = (await (
      await fetch(`${server?.url}/tokenize`, { method: 'POST', body: JSON.stringify({ content: applied.prompt, add_special: true, parse_special: true }) })
    ).json()) as { tokens: number[] };
    expect(first.promptTokens).toBe(tokenized.tokens.length);

    // Streaming gives the same text and counts.
    const streamed = await backend().generate(req);
    expect(streamed.text).toBe(first.text);
    expect(streamed.outputTokens).toBe(first.outputTokens);
    expect(streamed.promptTokens).toBe(first.promptTokens);
  });

  it('a raw prompt via /v1/completions gives the same tokens as the local engine', async () => {
    const prompt = 'the patient has a fever and';
    const remote = await backend().generate({ prompt, maxTokens: 12 });
    expect(remote.url).toMatch(/\/v1\/completions$/);
    expect(remote.renderedPrompt).toBe(prompt);
    const engine = new InferenceEngine({ gpu: false, threads: 1, contextSize: 512 });
    try {
      const local = await engine.generate({ modelPath, prompt, maxTokens: 12 });
      expect(remote.promptTokens).toBe(local.promptTokens);
      expect(remote.outputTokens).toBe(local.outputTokens);
      // Same greedy tokens. llama-server keeps the first piece's leading space (" E…", the true
      // continuation of the prompt); node-llama-cpp's completion drops it.
      expect(remote.text.trimStart()).toBe(local.text.trimStart());
    } finally {
      await engine.dispose();
    }
  });

  it('streams tokens and reports time to first token and decode speed', async () => {
    const pieces: { text: string; at: number }[] = [];
    const sent = performance.now();
    const r = await backend().generate(chat('what is the diagnosis', { maxTokens: 40, onToken: (text) => pieces.push({ text, at: performance.now() }) }));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((p) => p.text).join('')).toBe(r.text);
    expect(r.outputTokens).toBe(40);
    expect(pieces.length).toBeLessThanOrEqual(r.outputTokens);
    expect(r.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(r.timeToFirstTokenMs).toBeLessThan(r.totalMs);
    // TTFT is the client-side wait for the first streamed text.
    const firstPiece = pieces[0];
    expect(firstPiece).toBeDefined();
    expect(Math.abs((firstPiece?.at ?? 0) - sent - r.timeToFirstTokenMs)).toBeLessThan(50);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
    expect(r.serverTimings?.predictedTokens).toBe(40);
    expect(r.promptTokens).toBeGreaterThan(0);
  });

  it('honours the concurrency limit (1 serializes, 2 overlaps)', async () => {
    for (const limit of [1, 2]) {
      const rec = recordingFetch();
      // llama-server may close a kept-alive connection between requests; the backend retries
      // such network errors by design, and this test is about concurrency, not retries.
      const b = backend({ concurrency: limit, fetch: rec.fetch, retries: 2, backoffMs: 10 });
      const lastTokenAt = new Map<string, number>();
      const prompts = ['fever', 'cough', 'chest pain', 'blood pressure'].map((p) => `${p} (limit ${limit})`);
      let maxActive = 0;
      const results = await Promise.all(
        prompts.map((p) =>
          b.generate(
            chat(p, {
              maxTokens: 48,
              onToken: () => {
                lastTokenAt.set(p, performance.now());
                maxActive = Math.max(maxActive, b.active);
              },
            }),
          ),
        ),
      );
      expect(results.every((r) => r.outputTokens === 48)).toBe(true);
      const intervals = prompts.map((p): [number, number] => [rec.sentAt.get(p) ?? NaN, lastTokenAt.get(p) ?? NaN]);
      expect(intervals.flat().every(Number.isFinite)).toBe(true);
      expect(maxOverlap(intervals)).toBe(limit);
      expect(maxActive).toBeLessThanOrEqual(limit);
      // Requests beyond the limit waited for a slot.
      expect(results.filter((r) => r.queueMs > 1).length).toBeGreaterThanOrEqual(limit === 1 ? 3 : 1);
    }
  });

  it('an attempt over the timeout is retried, then fails with a clear error', async () => {
    const retries: RemoteRetryInfo[] = [];
    const b = backend({ timeoutMs: 5, retries: 1, backoffMs: 10 });
    const err = await b.generate(chat('pain', { maxTokens: 400, onRetry: (info) => retries.push(info) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteInferenceError);
    const e = err as RemoteInferenceError;
    expect(e.kind).toBe('timeout');
    expect(e.attempts).toBe(2);
    expect(retries).toHaveLength(1);
    // The first attempt times out, or (when it was handed a keep-alive socket the server had just closed, which
    // happens under load after the earlier tests' requests) fails on the closed connection: both are retried.
    expect(retries[0]?.error.message).toMatch(/timed out after 5 ms|other side closed|ECONNRESET|socket hang up/);
    expect(e.message).toContain(`${server?.url}/v1/chat/completions`);
    expect(e.message).toMatch(/timed out after 5 ms \(2 attempts\)/);
  });

  it('a wrong URL (404) fails at once with the URL, status and body, without retrying', async () => {
    const retries: RemoteRetryInfo[] = [];
    const b = backend({ baseUrl: `${server?.url}/no-such-prefix`, retries: 3, backoffMs: 2_000 });
    const t0 = performance.now();
    const err = await b.generate(chat('fever', { onRetry: (info) => retries.push(info) })).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(err).toBeInstanceOf(RemoteInferenceError);
    const e = err as RemoteInferenceError;
    expect(e.kind).toBe('http');
    expect(e.status).toBe(404);
    expect(e.retryable).toBe(false);
    expect(e.attempts).toBe(1);
    expect(retries).toHaveLength(0);
    expect(e.message).toContain(`POST ${server?.url}/no-such-prefix/v1/chat/completions failed with HTTP 404`);
    expect(e.message).toContain('not retried');
  });

  it('a request the server rejects (400) is not retried and quotes the server', async () => {
    const b = backend({ retries: 3, backoffMs: 2_000 });
    const err = await b.generate(chat('fever', { maxTokens: 16, extraBody: { messages: 'not a list' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteInferenceError);
    const e = err as RemoteInferenceError;
    expect(e.status).toBeGreaterThanOrEqual(400);
    expect(e.status).toBeLessThan(500);
    expect(e.attempts).toBe(1);
    expect(e.bodyExcerpt?.length).toBeGreaterThan(0);
    expect(e.message).toContain(e.bodyExcerpt?.slice(0, 40) ?? '');
  });

  it('a prompt longer than the server context is refused with its counts, never cut, and not retried', async () => {
    // Letters in no order the tiny vocabulary merges: one token per byte, well over the 2,048 the server holds.
    const long = Array.from({ length: 3_000 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
    const retries: RemoteRetryInfo[] = [];
    const err = await backend({ retries: 3, backoffMs: 2_000 })
      .generate(chat(long, { maxTokens: 8, onRetry: (info) => retries.push(info) }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteInferenceError);
    const e = err as RemoteInferenceError;
    expect(e.status).toBe(400);
    expect(e.attempts).toBe(1);
    expect(retries).toHaveLength(0);
    expect(e.message).toMatch(/\(\d+ tokens\) exceeds the available context size \(\d+ tokens\)/);
  });

  it('aborting returns the text so far with stopReason "abort", like the local engine', async () => {
    const ac = new AbortController();
    let pieces = 0;
    const r = await backend({ retries: 2 }).generate(
      chat('kidney', {
        maxTokens: 1500,
        signal: ac.signal,
        onToken: () => {
          if (++pieces === 5) ac.abort();
        },
      }),
    );
    expect(r.stopReason).toBe('abort');
    expect(r.attempts).toBe(1);
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.outputTokens).toBeLessThan(1500);
  });

  it('a server killed mid-generation is retried with backoff, then the error names the URL', async () => {
    const doomed = await startServer(serverBinary, modelPath);
    extraServers.push(doomed);
    const retries: RemoteRetryInfo[] = [];
    const b = new RemoteBackend({ baseUrl: doomed.url, model: 'tiny', retries: 2, backoffMs: 50, timeoutMs: 30_000 });
    let killed = false;
    const err = await b
      .generate(
        chat('liver', {
          maxTokens: 1800,
          onToken: () => {
            if (!killed) {
              killed = true;
              doomed.process.kill('SIGKILL');
            }
          },
          onRetry: (info) => retries.push(info),
        }),
      )
      .catch((e: unknown) => e);
    expect(killed).toBe(true);
    expect(err).toBeInstanceOf(RemoteInferenceError);
    const e = err as RemoteInferenceError;
    expect(e.kind).toBe('network');
    expect(e.attempts).toBe(3);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    // Backoff doubles (with jitter in [cap/2, cap]).
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(25);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(50);
    expect(retries[1]?.delayMs).toBeGreaterThanOrEqual(50);
    expect(retries[1]?.delayMs).toBeLessThanOrEqual(100);
    expect(e.message).toContain(`POST ${doomed.url}/v1/chat/completions failed`);
    expect(e.message).toContain('(3 attempts)');
  });
});
