/**
 * The "offline" answer of a model pull, on hosts that fail whatever this machine's network: a
 * port nothing listens on, a server that accepts connections and never answers, and a file server
 * that falls silent or keeps dropping the connection part-way through.
 * (models.test.ts checks the same message through the call, against the real Hub host.)
 */
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pullModelFile } from '../../src/core/modelLibrary';
import { DomainError } from '../../src/core/errors';
import { tempDir } from '../helpers';
import { serveFile, type FileServer } from './fileServer';

const sockets: Socket[] = [];
const servers: Server[] = [];
const fileServers: FileServer[] = [];
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  await Promise.all(fileServers.map((f) => f.close()));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** An 8 MB file served with byte ranges, cut after the first 64 KB of each response. */
async function cutServer(then: 'hang' | 'drop'): Promise<{ url: string; port: number }> {
  const file = join(tempDir(), 'cut.gguf');
  writeFileSync(file, Buffer.alloc(8 * 1024 * 1024));
  const server = await serveFile(file, { cut: { bytes: 64 * 1024, then } });
  fileServers.push(server);
  const url = server.url(`${then}.gguf`);
  return { url, port: Number(new URL(url).port) };
}

async function pullError(uri: string, probeUrl: string, timeoutMs: number): Promise<{ err: DomainError; ms: number }> {
  const started = performance.now();
  const err = await pullModelFile(uri, { directory: tempDir(), timeoutMs, probeUrl }).then(
    () => {
      throw new Error('the pull succeeded');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return { err: err as DomainError, ms: performance.now() - started };
}

describe('pulling a model with no way to the host', () => {
  it('a refused connection answers at once, naming the host and the way to add a local file', async () => {
    const port = await closedPort();
    const { err, ms } = await pullError('hf:someone/some-model-GGUF:Q4_K_M', `http://127.0.0.1:${port}/`, 10_000);
    expect(ms).toBeLessThan(5_000);
    expect(err.domainKind).toBe('not_found');
    expect(err.message).toBe('offline: cannot reach huggingface.co; copy the .gguf file to this machine and use `medtask models add PATH`');
  });

  it('a host that never answers is given up after the timeout, not waited on', async () => {
    const port = await listen(createServer()); // accepts, never replies
    const { err, ms } = await pullError(`http://127.0.0.1:${port}/models/x.gguf`, `http://127.0.0.1:${port}/`, 700);
    expect(ms).toBeGreaterThanOrEqual(650);
    expect(ms).toBeLessThan(5_000);
    expect(err.domainKind).toBe('not_found');
    expect(err.message).toMatch(new RegExp(`^offline: cannot reach 127\\.0\\.0\\.1:${port};`));
  });

  it('a download that stops sending bytes is given up, not waited on', async () => {
    const { url, port } = await cutServer('hang');
    const { err, ms } = await pullError(url, `http://127.0.0.1:${port}/`, 1_000);
    expect(ms).toBeLessThan(10_000);
    expect(err.domainKind).toBe('not_found');
    expect(err.message).toMatch(
      new RegExp(`^offline: cannot reach 127\\.0\\.0\\.1:${port}; .*\\(download from 127\\.0\\.0\\.1:${port} made no progress for 1000 ms\\)$`),
    );
  });

  it('a connection that drops mid-download and keeps dropping is given up, not retried forever', async () => {
    const { url, port } = await cutServer('drop');
    const { err, ms } = await pullError(url, `http://127.0.0.1:${port}/`, 2_000);
    expect(ms).toBeLessThan(15_000);
    expect(err.domainKind).toBe('not_found');
    expect(err.message).toMatch(
      new RegExp(`^offline: cannot reach 127\\.0\\.0\\.1:${port}; .*\\(download from 127\\.0\\.0\\.1:${port} made no progress for 2000 ms\\)$`),
    );
  });
});
