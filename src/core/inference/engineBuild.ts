/**
 * "Build for this CPU": a one-time build of node-llama-cpp's binding from the llama.cpp source it bundles
 * (no download but the registry's package), with progress and cancel; until it succeeds the portable
 * prebuilt binary stays in use, and node-llama-cpp loads the local build first from then on.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CancelledError } from '../errors';

export interface EngineBuildProgress {
  /** clone: the bundled source is unpacked; configure: cmake; compile: the build proper; done. */
  phase: 'clone' | 'configure' | 'compile' | 'done';
  /** 0–1 while compiling (from the build tool's "[ 45%]" or "[12/200]" lines), else null. */
  fraction: number | null;
  /** The output line the progress came from. */
  line: string;
}

export interface EngineBuildResult {
  seconds: number;
  /** The last lines of the build's output (for the log, or for the error a failed build shows). */
  tail: string[];
}

/** Progress from one line of `node-llama-cpp source download` output (cmake-js driving make or ninja). */
export function parseBuildLine(line: string): EngineBuildProgress | null {
  const make = /^\[\s*(\d{1,3})%\]/.exec(line);
  if (make) return { phase: 'compile', fraction: Number(make[1]) / 100, line };
  const ninja = /^\[(\d+)\/(\d+)\]/.exec(line);
  if (ninja && Number(ninja[2]) > 0) return { phase: 'compile', fraction: Number(ninja[1]) / Number(ninja[2]), line };
  if (/clon/i.test(line)) return { phase: 'clone', fraction: null, line };
  if (/-- (Configuring|The C|Detecting|Build files)|cmake/i.test(line)) return { phase: 'configure', fraction: null, line };
  return null;
}

/** node-llama-cpp's CLI script, resolved from wherever the package is installed. */
export function nodeLlamaCppCli(): string {
  const entry = createRequire(import.meta.url).resolve('node-llama-cpp');
  return path.join(path.dirname(entry), 'cli', 'cli.js');
}

/** node-llama-cpp's `llama` folder: the bundled source is unpacked and the local build written there. */
export function nodeLlamaCppLlamaDir(): string {
  return path.join(path.dirname(nodeLlamaCppCli()), '..', '..', 'llama');
}

/**
 * Builds the CPU binding for this machine (GGML_NATIVE: the compiler targets this CPU; OpenMP as
 * llama.cpp's default). Runs node-llama-cpp's CLI as a child in its own process group, so that cancel
 * stops cmake and the compilers too. Rejects with CancelledError on cancel and with the build's last
 * lines on failure; either way the prebuilt binary remains what the engine loads.
 */
export function buildEngineForThisCpu(
  options: { onProgress?: (p: EngineBuildProgress) => void; signal?: AbortSignal; command?: readonly string[] } = {},
): Promise<EngineBuildResult> {
  const command = options.command ?? [process.execPath, nodeLlamaCppCli(), 'source', 'download', '--gpu', 'false', '--noUsageExample'];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError('the engine build was cancelled before it started'));
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const tail: string[] = [];
    let partial = '';
    const onData = (d: Buffer): void => {
      const lines = (partial + d.toString()).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        // node-llama-cpp colours its output; progress parsing wants the text.
        // eslint-disable-next-line no-control-regex
        const line = raw.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim();
        if (!line) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        const p = parseBuildLine(line);
        if (p) options.onProgress?.(p);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const kill = (): void => {
      try {
        if (process.platform === 'win32') child.kill('SIGKILL');
        else process.kill(-child.pid!, 'SIGKILL'); // the whole group: cmake, make, the compilers
      } catch {
        /* already gone */
      }
    };
    const onAbort = (): void => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.once('exit', (code, sig) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(new CancelledError('the engine build was cancelled; the portable prebuilt binary stays in use'));
      if (code !== 0)
        return reject(
          new Error(
            `the engine build failed (${sig ?? `exit ${code}`}); the portable prebuilt binary stays in use. Last output:\n${tail.slice(-12).join('\n')}`,
          ),
        );
      options.onProgress?.({ phase: 'done', fraction: 1, line: tail.at(-1) ?? '' });
      resolve({ seconds: (performance.now() - started) / 1000, tail });
    });
  });
}
