/** A real llama-server (built from the llama.cpp source bundled in node-llama-cpp) on a free loopback port. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { checkBuildTools, findCachedLlamaBinaries } from '../../scripts/llamaBuild.mjs';

/**
 * Whether a llama-server can be had (cached, or buildable here). Where it cannot, the suite is
 * skipped with the reason printed, except under MEDTASK_REQUIRE_LLAMA_SERVER=1 (set by .ci/run,
 * which installs the build tools): there a missing server must fail CI, not pass it unseen.
 */
export function llamaServerAvailable(suite: string): boolean {
  const tools = checkBuildTools();
  if (tools.ok || findCachedLlamaBinaries({ targets: ['llama-server'] }) !== null) return true;
  const reason = `llama-server is not built and cannot be: ${tools.message}`;
  if (process.env.MEDTASK_REQUIRE_LLAMA_SERVER === '1') throw new Error(`${suite}: ${reason} (MEDTASK_REQUIRE_LLAMA_SERVER=1)`);
  console.log(`SKIPPED ${suite}: ${reason}`);
  return false;
}

export interface Server {
  url: string;
  port: number;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(binary: string, model: string, opts: { context?: number; parallel?: number } = {}): Promise<Server> {
  const port = await freePort();
  const args = [
    '-m',
    model,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '-t',
    '1',
    '-c',
    String(opts.context ?? 2048),
    '--parallel',
    String(opts.parallel ?? 2),
    '--no-webui',
    '--no-warmup',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama-server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`llama-server did not become healthy in 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, process: child, log: () => log, stop };
}
