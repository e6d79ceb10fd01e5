/**
 * bench:infer's load spinners: they really use CPU, and they are gone after stop(), after the bench
 * process is interrupted (SIGINT), and after it is killed outright (they notice they are orphans).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSpinners } from '../../scripts/bench/loadSpinners';
import { startCpuSample } from '../../src/core/inference/threads';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: readonly number[], ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pids.every((p) => !alive(p))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids.every((p) => !alive(p));
}

/** A bench stand-in: starts 2 spinners, prints their pids, then waits to be signalled. */
const CHILD = `
import { startSpinners } from ${JSON.stringify(path.resolve('scripts/bench/loadSpinners.ts'))};
const s = await startSpinners(2);
process.stdout.write(JSON.stringify(s.pids) + '\\n');
setInterval(() => {}, 1000);
`;

async function startStandIn(): Promise<{ pid: number; spinners: number[] }> {
  // Run as the bench runs: a TypeScript file through scripts/run-ts.cjs (esbuild), in one process.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-spinners-'));
  const file = path.join(dir, `standin${process.pid}.ts`);
  fs.writeFileSync(file, CHILD);
  const child = spawn(process.execPath, [path.resolve('scripts/run-ts.cjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited (${code}) before starting its spinners`)));
  });
  return { pid: child.pid!, spinners: JSON.parse(line) as number[] };
}

describe('load spinners', () => {
  it('hold CPU while running and are gone after stop()', async () => {
    const s = await startSpinners(1);
    try {
      expect(s.pids).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 150));
      const sample = startCpuSample();
      await new Promise((r) => setTimeout(r, 500));
      const { total } = sample();
      console.log(`CPUs busy with one spinner running: ${total.toFixed(2)}`);
      expect(total).toBeGreaterThan(0.5);
    } finally {
      await s.stop();
    }
    expect(alive(s.pids[0]!)).toBe(false);
    await s.stop(); // idempotent
  });

  it('refuses a negative or fractional count', async () => {
    await expect(startSpinners(-1)).rejects.toThrow(/whole number/);
    await expect(startSpinners(1.5)).rejects.toThrow(/whole number/);
  });

  it('are killed when the bench is interrupted with SIGINT', async () => {
    const { pid, spinners } = await startStandIn();
    expect(spinners.every(alive)).toBe(true);
    process.kill(pid, 'SIGINT');
    expect(await waitGone([pid, ...spinners], 5000)).toBe(true);
  }, 20_000);

  it('exit by themselves when the bench is killed outright (SIGKILL runs no handler)', async () => {
    const { pid, spinners } = await startStandIn();
    process.kill(pid, 'SIGKILL');
    expect(await waitGone(spinners, 8000)).toBe(true);
  }, 20_000);
});
