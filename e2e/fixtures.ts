/**
 * Real components only: a fresh data directory per test, the real `medtask` CLI to import,
 * and the real web host started as a child process.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DATA = path.resolve(REPO, '../shared/data');
const CLI = path.join(REPO, 'bin/medtask.cjs');
const run = promisify(execFile);

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-e2e-'));
}

export async function medtask(home: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, '--home', home, ...args], { cwd: REPO });
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  /** What the host has written to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * `serve` confines file access to the home folder, the data folder and --allow-dir folders; the
 * journeys read the shared benchmark data and write (models, exports) into temporary folders.
 */
const ALLOW_DIRS = [SHARED_DATA, os.tmpdir()].filter((d) => fs.existsSync(d)).flatMap((d) => ['--allow-dir', d]);

export async function serve(home: string): Promise<Served> {
  const child = spawn(process.execPath, [CLI, '--home', home, 'serve', '--port', '0', ...ALLOW_DIRS], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`medtask serve printed no URL in 15 s\n${out}\n${err}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`medtask serve exited with ${code}\n${err}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
