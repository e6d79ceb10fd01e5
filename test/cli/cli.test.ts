import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { data, REPO, tempDir } from '../helpers';

const run = promisify(execFile);

async function medtask(...args: string[]) {
  try {
    const r = await run(process.execPath, ['bin/medtask.cjs', ...args], { cwd: REPO });
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
    const imp = await medtask(
      '--home',
      home,
      'import',
      data('medinst32/unseen_tests/PubMedQA-labeled.json'),
      data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'),
      '--json',
    );
    expect(imp.code).toBe(0);
    expect((JSON.parse(imp.stdout) as { splits: unknown[] }).splits).toEqual([
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

describe('medtask CLI: files in no known layout inside a folder', () => {
  it('stops on them by default; --skip-unknown leaves them out, lists them, and imports the rest', async () => {
    const home = tempDir();
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'unseen_tests'));
    fs.copyFileSync(data('medinst32/unseen_tests/PubMedQA-labeled.json'), path.join(root, 'unseen_tests/PubMedQA-labeled.json'));
    // Beside the benchmark folder, not in it: a file inside unseen_tests/ is MedINST32 by its place and must be valid.
    fs.mkdirSync(path.join(root, 'notes'));
    const stray = path.join(root, 'notes/annotator-notes.jsonl');
    fs.writeFileSync(stray, '{"note":"ask the second annotator"}\n');

    const stopped = await medtask('--home', home, 'import', root);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toContain(`${stray}: unknown layout`);

    const dry = await medtask('--home', home, 'import', root, '--skip-unknown', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const entries = JSON.parse(dry.stdout) as { file: string; task: string; skippedBecause?: string }[];
    expect(entries.map((e) => [e.task, e.skippedBecause ?? null])).toEqual([
      ['PubMedQA-labeled', null],
      ['', 'in no known layout'],
    ]);

    const res = await medtask('--home', home, 'import', root, '--skip-unknown');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`skipped ${stray}: in no known layout`);
    const tasks = JSON.parse((await medtask('--home', home, 'tasks', '--json')).stdout) as { name: string }[];
    expect(tasks.map((t) => t.name)).toEqual(['PubMedQA-labeled']);
  });
});

describe('medtask CLI: folders, previews, mapping and search', () => {
  it('previews a folder without writing, then imports it and searches it', async () => {
    const home = tempDir();
    const dry = await medtask('--home', home, 'import', data('meds-bench'), '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const entries = JSON.parse(dry.stdout) as { benchmark: string; task: string; rowCount: number }[];
    expect(entries.map((e) => [e.benchmark, e.task, e.rowCount])).toEqual([
      ['meds-bench', 'task114_meqsum_summarization', 300],
      ['meds-bench', 'task123_pubmedqa_test_set', 500],
    ]);
    expect(JSON.parse((await medtask('--home', home, 'tasks', '--json')).stdout)).toEqual([]);

    expect((await medtask('--home', home, 'import', data('meds-bench'))).code).toBe(0);
    const found = JSON.parse((await medtask('--home', home, 'search', 'migraine', '--json')).stdout) as { total: number; hits: { task: string }[] };
    expect(found.total).toBeGreaterThan(0);
    expect(found.hits.every((h) => h.task.startsWith('task114') || h.task.startsWith('task123'))).toBe(true);
    const scoped = JSON.parse((await medtask('--home', home, 'search', 'migraine', '--task', 'task123_pubmedqa_test_set', '--json')).stdout) as {
      total: number;
    };
    expect(scoped.total).toBeLessThan(found.total);
    const english = JSON.parse((await medtask('--home', home, 'search', 'migraine', '--language', 'English', '--json')).stdout) as { total: number };
    expect(english.total).toBe(found.total);
    const none = JSON.parse((await medtask('--home', home, 'search', 'migraine', '--language', 'Klingon', '--json')).stdout) as { total: number };
    expect(none.total).toBe(0);
    const page2 = JSON.parse((await medtask('--home', home, 'search', 'migraine', '--limit', '1', '--offset', '1', '--json')).stdout) as {
      hits: { itemId: number }[];
    };
    const page1 = JSON.parse((await medtask('--home', home, 'search', 'migraine', '--limit', '2', '--json')).stdout) as { hits: { itemId: number }[] };
    expect(page2.hits[0]?.itemId).toBe(page1.hits[1]?.itemId);
  });

  it('imports a file in no published layout through a column mapping', async () => {
    const home = tempDir();
    const dir = tempDir();
    const file = path.join(dir, 'my-qa.csv');
    fs.writeFileSync(file, 'question,answer\n"Is aspirin an NSAID?",yes\n"Is insulin made in the liver?",no\n');
    const bad = await medtask('--home', home, 'import', file);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/my-qa\.csv/);
    const res = await medtask(
      '--home',
      home,
      'import',
      file,
      '--map',
      'input=question,output=answer',
      '--benchmark',
      'lab',
      '--task',
      'aspirin-qa',
      '--instruction',
      'Answer yes or no.',
      '--json',
    );
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      splits: [expect.objectContaining({ benchmark: 'lab', task: 'aspirin-qa', itemCount: 2 })],
      definitions: [],
      skipped: [],
    });
    const items = JSON.parse((await medtask('--home', home, 'items', 'lab/aspirin-qa', '--json')).stdout) as {
      items: { instruction: string; input: string; output: string }[];
    };
    expect(items.items[1]).toMatchObject({ instruction: 'Answer yes or no.', input: 'Is insulin made in the liver?', output: 'no' });
    const badMap = await medtask('--home', home, 'import', file, '--map', 'question=input');
    expect(badMap.code).not.toBe(0);
  });
});

describe('medtask task', () => {
  it('prints a task as JSON and as text, resolving names like `items` does', async () => {
    const home = tempDir();
    const meqsum = data('meds-bench/Text_summarization/task114_meqsum_summarization.json');
    const definitions = data('meds-ins/RewriteDefinitions.json');
    expect((await medtask('--home', home, 'import', meqsum, definitions)).code).toBe(0);
    const file = JSON.parse(fs.readFileSync(meqsum, 'utf8')) as { Definition: string[]; 'Positive Examples': { output: string }[] };
    const variants = (JSON.parse(fs.readFileSync(definitions, 'utf8')) as Record<string, { auto_rewrite_def: string[] }>).task114!.auto_rewrite_def;

    const json = await medtask('--home', home, 'task', 'meds-bench/task114_meqsum_summarization', '--json');
    expect(json.code).toBe(0);
    const detail = JSON.parse(json.stdout) as {
      id: number;
      name: string;
      definition: string;
      languages: string[];
      instructionVariants: { total: number; items: unknown[] };
      positiveExamples: { total: number };
      metrics: { id: string }[];
      sources: { kind: string; path: string; sha256: string }[];
    };
    expect(detail).toMatchObject({ name: 'task114_meqsum_summarization', definition: file.Definition[0], languages: ['English'] });
    expect(detail.instructionVariants.total).toBe(variants.length + 1);
    expect(detail.instructionVariants.items).toHaveLength(50);
    expect(detail.positiveExamples.total).toBe(file['Positive Examples'].length);
    expect(detail.metrics.map((m) => m.id)).toEqual(['bleu1', 'pyRougeL']);
    expect(detail.sources.map((s) => [s.kind, s.path])).toEqual([
      ['split', meqsum],
      ['definitions', definitions],
    ]);

    const text = await medtask('--home', home, 'task', 'task114_meqsum_summarization', '--variants', '2');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^meds-bench\/task114_meqsum_summarization\n/);
    expect(text.stdout).toContain(`\nDefinition\n  ${file.Definition[0]}\n`);
    expect(text.stdout).toMatch(/languages\s+English\n/);
    expect(text.stdout).toMatch(/metrics\s+BLEU-1 \[bleu1\], ROUGE-L F \(rouge package\) \[pyRougeL\]/);
    expect(text.stdout).toContain(`Instruction variants (${variants.length + 1}; first 2 shown`);
    expect(text.stdout).toContain(variants[0]!);
    expect(text.stdout).not.toContain(variants[1]!);
    expect(text.stdout).toContain(file['Positive Examples'][0]!.output);
    expect(text.stdout).toMatch(new RegExp(`test\\s+${fs.statSync(meqsum).size}\\s+[0-9a-f]{64}\\s`));

    const byId = JSON.parse((await medtask('--home', home, 'task', String(detail.id), '--json')).stdout) as { name: string };
    expect(byId.name).toBe('task114_meqsum_summarization');
    const missing = await medtask('--home', home, 'task', 'Nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no task "Nope"/);
  });
});
