import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { data, REPO, tempDir } from '../helpers';

const run = promisify(execFile);

async function medtask(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/medtask.js', ...args], { cwd: REPO });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
});

describe('medtask CLI', () => {
  it('imports, lists tasks and items as JSON, sharing one --home', async () => {
    const home = tempDir();
    const imp = await medtask('--home', home, 'import', data('medinst32/unseen_tests/PubMedQA-labeled.json'), data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'), '--json');
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout)).toEqual([
      expect.objectContaining({ benchmark: 'medinst32', task: 'PubMedQA-labeled', config: 'few-shot', split: 'test', itemCount: 500 }),
      expect.objectContaining({ benchmark: 'medinst32', task: 'PubMedQA-labeled', config: 'zero-shot', split: 'test', itemCount: 500 }),
    ]);

    const tasks = JSON.parse((await medtask('--home', home, 'tasks', '--json')).stdout) as { name: string; itemCount: number }[];
    expect(tasks.map((t) => [t.name, t.itemCount])).toEqual([['PubMedQA-labeled', 1000]]);

    const items = JSON.parse((await medtask('--home', home, 'items', 'PubMedQA-labeled', '--limit', '2', '--config', 'zero-shot', '--json')).stdout) as {
      total: number;
      items: { index: number; config: string; history: unknown[] }[];
    };
    expect(items.total).toBe(500);
    expect(items.items.map((i) => [i.index, i.config, i.history.length])).toEqual([
      [0, 'zero-shot', 0],
      [1, 'zero-shot', 0],
    ]);

    const table = await medtask('--home', home, 'tasks');
    expect(table.stdout).toMatch(/PubMedQA-labeled\s+QA\s+1000/);
  });

  it('exits non-zero with one line naming the file on bad input', async () => {
    const home = tempDir();
    const res = await medtask('--home', home, 'import', '/no/such/Task.json');
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^medtask: .*\/no\/such\/Task\.json/);
    const unknownTask = await medtask('--home', home, 'items', 'Nope');
    expect(unknownTask.code).not.toBe(0);
    expect(unknownTask.stderr).toMatch(/no task "Nope"/);
  });
});
