/**
 * `medtask serve` is a long-lived process like the desktop app's main process: a stray promise
 * rejection inside a library (the model downloader leaves some when a server misbehaves) must not
 * take it down. Electron warns on unhandled rejections; Node's default would exit.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../e2e/fixtures';
import { REPO, tempDir } from '../helpers';

const run = promisify(execFile);
let host: Served | null = null;
let files: Server | null = null;

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
});

afterAll(async () => {
  await host?.stop();
  await new Promise<void>((r) => (files ? files.close(() => r()) : r()));
});

/** A file server that says it serves byte ranges and then ignores them: the downloader fails its parallel parts. */
async function rangeIgnoringServer(): Promise<number> {
  const size = 12 * 1024 * 1024;
  files = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size), 'accept-ranges': 'bytes' });
    if (req.method === 'HEAD') res.end();
    else res.end(Buffer.alloc(size));
  });
  await new Promise<void>((r) => files!.listen(0, '127.0.0.1', () => r()));
  return (files.address() as AddressInfo).port;
}

async function callApi(served: Served, name: string, input: unknown): Promise<{ ok: boolean; error?: { message: string } }> {
  const res = await fetch(`${served.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${served.token}` },
    body: JSON.stringify(input),
  });
  return (await res.json()) as { ok: boolean; error?: { message: string } };
}

describe('medtask serve', () => {
  it('answers a failed model pull with an error and goes on serving', async () => {
    const base = (host = await serve(tempDir()));
    const port = await rangeIgnoringServer();
    const pulled = await callApi(base, 'pullModel', { uri: `http://127.0.0.1:${port}/models/bad-ranges.gguf`, timeoutMs: 5000 });
    expect(pulled.ok).toBe(false);
    expect(pulled.error?.message).toMatch(/^cannot download http:\/\/127\.0\.0\.1:\d+\/models\/bad-ranges\.gguf: /);
    // Give a stray rejection time to surface, then the same process still answers.
    await new Promise((r) => setTimeout(r, 500));
    expect(base.stderr()).toMatch(/medtask: warning: unhandled rejection in a background task, ignored as the desktop app does: /);
    expect(base.child.exitCode).toBeNull();
    expect((await callApi(base, 'listModels', {})).ok).toBe(true);
  });
});
