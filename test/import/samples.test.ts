import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isDefinitionsPlan, planImport, type DefinitionsPlan } from '../../src/core/import/plan';
import { data, dataDir, readAll, records } from './helpers';

async function one(file: string) {
  const plans = await planImport([file]);
  expect(plans).toHaveLength(1);
  return plans[0]!;
}

describe('MedINST32 JSON samples', () => {
  const cases = [
    { task: 'PubMedQA-labeled', n: 500, category: 'QA' },
    { task: 'NCBI-disease', n: 120, category: 'NER' },
    { task: 'Hallmarks-of-Cancer', n: 150, category: 'TXTCLASS' },
  ];
  for (const c of cases) {
    for (const [dir, config, pairs] of [
      ['unseen_tests', 'few-shot', 2],
      ['unseen_tests_zs', 'zero-shot', 0],
    ] as const) {
      it(`${dir}/${c.task}.json`, async () => {
        const p = records(await one(data('medinst32', dir, `${c.task}.json`)));
        expect(p.layout).toBe('medinst32-json');
        expect(p.descriptor).toMatchObject({
          benchmark: { name: 'medinst32', title: 'MedINST32' },
          task: c.task,
          category: c.category,
          config,
          split: 'test',
        });
        const rs = await readAll(p);
        expect(rs).toHaveLength(c.n);
        expect(rs.map((r) => r.index)).toEqual([...Array(c.n).keys()]);
        for (const r of rs) {
          expect(r.history).toHaveLength(pairs);
          expect(r.outputs).toHaveLength(1);
          expect(typeof r.instruction).toBe('string');
          expect(r.input.length).toBeGreaterThan(0);
        }
      });
    }
  }

  it('keeps non-ASCII characters and matches a plain JSON parse (JSON Lines file)', async () => {
    const file = data('medinst32/unseen_tests/PubMedQA-labeled.json');
    const expected = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    const rs = await readAll(await one(file));
    expect(rs.map((r) => ({ instruction: r.instruction, input: r.input, output: r.outputs[0], history: r.history }))).toEqual(expected);
    expect(rs.filter((r) => /[^ -~\n\t]/.test(r.input)).length).toBe(115);
    expect(rs[0]!.line).toBe(1);
    const labels = rs.map((r) => r.outputs[0]);
    expect(labels.filter((l) => l === 'yes')).toHaveLength(276);
  });

  it('matches a plain JSON parse (pretty-printed array) and reports record lines', async () => {
    const file = data('medinst32/unseen_tests/NCBI-disease.json');
    const expected = JSON.parse(await readFile(file, 'utf8'));
    const rs = await readAll(await one(file));
    expect(rs.map((r) => ({ instruction: r.instruction, input: r.input, output: r.outputs[0], history: r.history }))).toEqual(expected);
    expect(rs[0]!.line).toBe(2);
    expect(rs.filter((r) => !/\[[BI]\]/.test(r.outputs[0]!))).toHaveLength(20);
  });

  it('reports cumulative bytes up to totalBytes, and streams before the end of the file', async () => {
    const p = records(await one(data('medinst32/unseen_tests/PubMedQA-labeled.json')));
    const seen: number[] = [];
    let atFirst = -1;
    for await (const r of p.read({ onBytes: (n) => seen.push(n) })) {
      if (r.index === 0) atFirst = seen[seen.length - 1]!;
    }
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBe(p.totalBytes);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(atFirst).toBeLessThan(p.totalBytes);
  });

  it('honours an AbortSignal', async () => {
    const p = records(await one(data('medinst32/unseen_tests/PubMedQA-labeled.json')));
    const ac = new AbortController();
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of p.read({ signal: ac.signal })) {
          void _;
          if (++n === 10) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(n).toBeLessThan(500);
  });
});

describe('MedINST32 parquet samples', () => {
  for (const [dir, jsonDir, config, pairs] of [
    ['PubMedQA-labeled', 'unseen_tests', 'few-shot', 2],
    ['PubMedQA-labeled-zs', 'unseen_tests_zs', 'zero-shot', 0],
  ] as const) {
    it(`${dir}/test/0000.parquet equals the JSON rows`, async () => {
      const p = records(await one(data('medinst32-parquet', dir, 'test/0000.parquet')));
      expect(p.layout).toBe('medinst32-parquet');
      expect(p.descriptor).toMatchObject({
        benchmark: { name: 'medinst32' },
        task: 'PubMedQA-labeled',
        category: 'QA',
        config,
        split: 'test',
        expectedCount: 500,
      });
      const fromParquet = await readAll(p);
      const fromJson = await readAll(await one(data('medinst32', jsonDir, 'PubMedQA-labeled.json')));
      expect(fromParquet).toHaveLength(500);
      const strip = (r: (typeof fromJson)[number]) => ({ index: r.index, instruction: r.instruction, input: r.input, outputs: r.outputs, history: r.history });
      expect(fromParquet.map(strip)).toEqual(fromJson.map(strip));
      expect(fromParquet.every((r) => r.history.length === pairs)).toBe(true);
    });
  }

  it('reports progress per row group and ends at totalBytes', async () => {
    const p = records(await one(data('medinst32-parquet/PubMedQA-labeled/test/0000.parquet')));
    const seen: number[] = [];
    for await (const _ of p.read({ onBytes: (n) => seen.push(n) })) void _;
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen[seen.length - 1]).toBe(p.totalBytes);
  });
});

describe('MedS-Bench samples', () => {
  it('task114 MeQSum: 300 instances, string outputs, metadata on the descriptor', async () => {
    const p = records(await one(data('meds-bench/Text_summarization/task114_meqsum_summarization.json')));
    expect(p.layout).toBe('meds-bench-task');
    const d = p.descriptor;
    expect(d).toMatchObject({
      benchmark: { name: 'meds-bench', title: 'MedS-Bench' },
      task: 'task114_meqsum_summarization',
      taskId: 'task114',
      category: 'Text_summarization',
      config: 'default',
      split: 'test',
      definition: 'You will be given a long medical question. Your task is to summarize the consumer health question.',
      categories: ['Text Summarization'],
      domains: ['Public Health', 'Healthcare'],
      inputLanguages: ['English'],
      outputLanguages: ['English'],
      contributors: ['MeQSum'],
      sources: ['MeQSum'],
      urls: ['https://github.com/abachaa/MeQSum'],
      negativeExamples: [],
      expectedCount: 300,
    });
    expect(d.positiveExamples).toHaveLength(3);
    expect(d.positiveExamples![0]!.explanation).toEqual(expect.any(String));
    const rs = await readAll(p);
    expect(rs).toHaveLength(300);
    const raw = JSON.parse(await readFile(p.file, 'utf8'));
    rs.forEach((r, i) => {
      expect(r.outputs).toEqual([raw.Instances[i].output]);
      expect(r.input).toBe(raw.Instances[i].input);
      expect(r.instruction).toBe(d.definition);
      expect(r.sourceId).toBeNull();
    });
    expect(rs.filter((r) => r.input.includes('\n'))).toHaveLength(240);
  });

  it('task123 PubMedQA: 500 instances, one-element list outputs, ids', async () => {
    const p = records(await one(data('meds-bench/MCQA/task123_pubmedqa_test_set.json')));
    expect(p.descriptor).toMatchObject({ benchmark: { name: 'meds-bench' }, category: 'MCQA', taskId: 'task123', positiveExamples: [], expectedCount: 500 });
    expect(p.descriptor.definition).toMatch(/^Next I will give you a 'context'/);
    const rs = await readAll(p);
    expect(rs).toHaveLength(500);
    expect(rs.every((r) => r.outputs.length === 1 && /^The right answer is (yes|no|maybe)$/.test(r.outputs[0]!))).toBe(true);
    expect(rs.filter((r) => r.outputs[0] === 'The right answer is maybe')).toHaveLength(55);
    expect(rs[0]!.sourceId).toBe('10808977');
  });
});

describe('MedS-Ins RewriteDefinitions.json', () => {
  it('is a definitions plan with 122 task ids and 18,996 paraphrases', async () => {
    const p = await one(data('meds-ins/RewriteDefinitions.json'));
    expect(isDefinitionsPlan(p)).toBe(true);
    const dp = p as DefinitionsPlan;
    expect(dp.benchmark).toEqual({ name: 'meds-ins', title: 'MedS-Ins' });
    const seen: number[] = [];
    const m = await dp.read({ onBytes: (n) => seen.push(n) });
    expect(m.size).toBe(122);
    expect([...m.values()].reduce((a, v) => a + v.rewrites.length, 0)).toBe(18996);
    expect(m.get('task114')!.original).toBe('You will be given a long medical question. Your task is to summarize the consumer health question.');
    for (const absent of ['task4', 'task10', 'task30', 'task121', 'task127']) expect(m.has(absent)).toBe(false);
    expect(seen[seen.length - 1]).toBe(dp.totalBytes);
  });
});

describe('folder import of the whole sample folder', () => {
  it('plans every file, sorted deterministically', async () => {
    const plans = await planImport([dataDir]);
    const summary = plans.map((p) =>
      isDefinitionsPlan(p)
        ? `${p.benchmark.name} definitions`
        : `${p.descriptor.benchmark.name} ${p.descriptor.task} ${p.descriptor.config} ${p.descriptor.split} ${p.layout}`,
    );
    expect(summary).toEqual([
      'medinst32 Hallmarks-of-Cancer few-shot test medinst32-json',
      'medinst32 Hallmarks-of-Cancer zero-shot test medinst32-json',
      'medinst32 NCBI-disease few-shot test medinst32-json',
      'medinst32 NCBI-disease zero-shot test medinst32-json',
      'medinst32 PubMedQA-labeled few-shot test medinst32-parquet',
      'medinst32 PubMedQA-labeled few-shot test medinst32-json',
      'medinst32 PubMedQA-labeled zero-shot test medinst32-parquet',
      'medinst32 PubMedQA-labeled zero-shot test medinst32-json',
      'meds-bench task114_meqsum_summarization default test meds-bench-task',
      'meds-bench task123_pubmedqa_test_set default test meds-bench-task',
      'meds-ins definitions',
    ]);
    const again = await planImport([dataDir]);
    expect(again.map((p) => p.file)).toEqual(plans.map((p) => p.file));
  });
});
