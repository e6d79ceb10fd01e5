/**
 * The run journey from a terminal, on the real runtime: `medtask run` is killed with
 * SIGKILL half-way, and `medtask resume` finishes it with no item lost or done twice.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../tooling/tinyModel';
import { TINY } from '../models/fixtures';
import { data, REPO, tempDir } from '../helpers';

const run = promisify(execFile);
let model: string;

async function medtask(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/medtask.cjs', ...args], { cwd: REPO, maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function doneCount(home: string, runId: number): number {
  const db = new Database(path.join(home, 'library.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT COUNT(*) FROM run_items WHERE run_id = ? AND status = 'done'").pluck().get(runId) as number;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
  const dir = tempDir('medtask-cli-runs-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
});

describe('medtask run / resume / export / import-predictions', () => {
  it('survives kill -9 mid-run: resume finishes the rest, none lost, none twice, same outputs as a straight run', async () => {
    const home = tempDir();
    expect((await medtask('--home', home, 'import', data('medinst32/unseen_tests_zs/NCBI-disease.json'))).code).toBe(0);
    const args = [
      '--home',
      home,
      'run',
      '--task',
      'NCBI-disease',
      '--model',
      model,
      '--threads',
      '1',
      '--context-size',
      '8192',
      '--max-tokens',
      '24',
      '--limit',
      '16',
    ];

    const straight = await medtask(...args, '--json');
    expect(straight.code).toBe(0);
    const straightRun = JSON.parse(straight.stdout) as { id: number; status: string; itemDone: number };
    expect(straightRun).toMatchObject({ status: 'done', itemDone: 16 });

    const child = spawn(process.execPath, ['bin/medtask.cjs', ...args], { cwd: REPO, stdio: 'ignore' });
    const killedRunId = straightRun.id + 1;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (fs.existsSync(path.join(home, 'library.sqlite')) && doneCount(home, killedRunId) >= 3) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = doneCount(home, killedRunId);
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(16);

    const listed = JSON.parse((await medtask('--home', home, 'runs', '--json')).stdout) as { id: number; status: string }[];
    expect(listed.find((r) => r.id === killedRunId)?.status).toBe('paused');

    const resumed = await medtask('--home', home, 'resume', String(killedRunId), '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'done', itemDone: 16, itemTotal: 16, itemErrors: 0 });

    const out = (runId: number) => {
      const db = new Database(path.join(home, 'library.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT ord, raw_output FROM run_items WHERE run_id = ? ORDER BY ord').all(runId);
      } finally {
        db.close();
      }
    };
    expect(out(killedRunId)).toEqual(out(straightRun.id));

    const csv = path.join(home, 'export.csv');
    const exported = await medtask('--home', home, 'export', String(killedRunId), '--format', 'meds-bench-csv', '--out', csv);
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').startsWith('task_id,input,GT,output')).toBe(true);
    const json = path.join(home, 'export.json');
    expect((await medtask('--home', home, 'export', String(killedRunId), '--format', 'medinst32-json', '--out', json)).code).toBe(0);
    const scored = JSON.parse((await medtask('score', '--predictions', json, '--json')).stdout) as unknown;
    const imported = JSON.parse((await medtask('--home', home, 'import-predictions', json, '--json')).stdout) as {
      kind: string;
      scores: { metrics: Record<string, number> }[];
    };
    expect(imported.kind).toBe('imported');
    expect(JSON.stringify(scored)).toContain(String(imported.scores[0]!.metrics.rougeL));
  });

  it('refuses bad arguments with one line', async () => {
    const home = tempDir();
    const res = await medtask('--home', home, 'run', '--task', 'Nope', '--model', model);
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/no task "Nope"/);
    const bench = await medtask('--home', home, 'run', '--benchmark', 'nope', '--model', model);
    expect(bench.code).not.toBe(0);
    expect(bench.stderr).toMatch(/no tasks of benchmark "nope"/);
    const remote = await medtask('--home', home, 'run', '--task', 'x', '--remote', 'http://127.0.0.1:9', '--truncate', 'keep-end');
    expect(remote.stderr).toMatch(/--truncate and --max-prompt-tokens are for local models/);
    const remoteTemplate = await medtask('--home', home, 'run', '--task', 'x', '--remote', 'http://127.0.0.1:9', '--chat-template', 'chatML');
    expect(remoteTemplate.stderr).toMatch(/--chat-template is for local models/);
  });
});
