// `medtask … | head`: the built CLI, its stdout a pipe the reader closes after the first line, stops quietly (exit 0, no stack trace) instead of crashing on EPIPE.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from '../helpers';

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
}, 120_000);

describe('a closed output pipe', () => {
  it('ends the command quietly', async () => {
    const home = tempDir('medtask-pipe-');
    // `engine info` prints its lines in two writes; the reader takes the first chunk and closes its end, as `head -1` does.
    const child = spawn(process.execPath, ['bin/medtask.cjs', '--home', home, 'engine', 'info'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let first = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(first).toContain('engine binary:');
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event|at afterWriteDispatched/);
    expect(code).toBe(0);
  }, 60_000);
});
