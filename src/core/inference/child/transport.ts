/**
 * How the host starts the engine child and talks to it, kept abstract so each host picks its
 * process kind: `forkTransport` (Node `child_process.fork`, for the CLI and the web host) here;
 * Electron can pass a factory over `utilityProcess.fork` with the same entry file.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromChild, ToChild } from './protocol';

export interface EngineTransport {
  readonly pid: number | undefined;
  send(message: ToChild): void;
  onMessage(listener: (message: FromChild) => void): void;
  /** Called once when the process is gone, however it ended. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Output lines of the process (llama.cpp's own messages before an abort end up here). */
  onOutput?(listener: (text: string) => void): void;
  kill(): void;
}

export type EngineTransportFactory = (env: Record<string, string>) => EngineTransport | Promise<EngineTransport>;

/** Walks up from this module's folder to the folder holding the app's package.json. */
function appRoot(from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'node_modules'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

let bundled: Promise<string> | null = null;

/**
 * The child's entry file: `MEDTASK_ENGINE_ENTRY` when set; the built `out/inference/engineChild.js`
 * when this code runs from a bundle (CLI, web host, Electron main); when it runs from the
 * TypeScript sources (vitest, scripts/run-ts.cjs), the entry bundled here with esbuild, as
 * scripts/run-ts-impl.mjs bundles scripts, into a per-process file under out/.
 */
export function resolveEngineEntry(): Promise<string> {
  const override = process.env.MEDTASK_ENGINE_ENTRY;
  if (override) return Promise.resolve(override);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromSource = import.meta.url.endsWith('.ts');
  const root = appRoot(here);
  if (!fromSource) {
    const candidates = [
      path.join(here, '..', 'inference', 'engineChild.js'),
      path.join(here, 'inference', 'engineChild.js'),
      ...(root ? [path.join(root, 'out', 'inference', 'engineChild.js')] : []),
    ];
    const found = candidates.find((c) => existsSync(c));
    if (!found) return Promise.reject(new Error(`the inference engine entry (out/inference/engineChild.js) is not built; run \`npm run build\``));
    return Promise.resolve(found);
  }
  bundled ??= (async () => {
    if (!root) throw new Error('cannot find the app folder to build the inference engine entry');
    const outDir = path.join(root, 'out', 'engine-child');
    mkdirSync(outDir, { recursive: true });
    const outfile = path.join(outDir, `engineChild-${process.pid}.mjs`);
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    // A dev dependency, loaded only when running from sources: bundles never reach this line.
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(here, 'engineChild.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      define: { __APP_VERSION__: JSON.stringify(version) },
      logLevel: 'warning',
    });
    // The child has read it by the time this process ends; do not leave one per test process.
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  bundled.catch(() => (bundled = null));
  return bundled;
}

/** The engine child as a Node process (`child_process.fork`), its output passed to our stderr. */
export async function forkTransport(env: Record<string, string>): Promise<EngineTransport> {
  return forkEntry(await resolveEngineEntry(), env);
}

/** `child_process.fork` of a given entry file speaking the protocol (forkTransport's, or a test's). */
export function forkEntry(entry: string, env: Record<string, string>): EngineTransport {
  const child = fork(entry, [], {
    env: { ...process.env, ...env },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const outputs: ((text: string) => void)[] = [];
  const forward = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    process.stderr.write(text);
    for (const l of outputs) l(text);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  // A send to a process that just died fails asynchronously; the exit handler reports it.
  child.on('error', () => undefined);
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (child.connected) child.send(message, (err) => void err);
    },
    onMessage(listener) {
      child.on('message', (m) => listener(m as FromChild));
    },
    onExit(listener) {
      child.once('exit', (code, signal) => listener(code, signal));
    },
    onOutput(listener) {
      outputs.push(listener);
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
