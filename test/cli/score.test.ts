import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { serialiseMedinst32Results, serialiseMedsBenchCsv, type MedsBenchRow, type Medinst32TaskResult } from '../../src/core/predictions';
import { medsGold } from '../../src/core/prompts';
import { scoreTask } from '../../src/core/metrics';
import { data, readRecords, REPO, tempDir } from '../helpers';

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

interface ScoreJson {
  file: string;
  format: string;
  benchmark: string;
  mode: string;
  tasks: { task: string; category?: string; count: number; metrics: Record<string, number> }[];
  skipped: { task: string; count: number; reason: string }[];
}

beforeAll(async () => {
  await run(process.execPath, ['scripts/build-node.mjs'], { cwd: REPO });
});

interface NatInstFile {
  Definition: string[];
  Instances: { input: string; output: string | string[] }[];
}

function medsRows(taskId: string, rel: string, predict: (gold: string, i: number) => string): MedsBenchRow[] {
  const f = JSON.parse(fs.readFileSync(data(rel), 'utf8')) as NatInstFile;
  return f.Instances.map((inst, i) => {
    const gt = medsGold(inst.output);
    return { taskId, input: `${f.Definition[0]}\nInput:\n${inst.input}\nOutput:\n`, gt, output: predict(gt, i) };
  });
}

function medinstResults(predict: (gold: string, i: number) => string): Medinst32TaskResult[] {
  return (
    [
      ['QA', 'PubMedQA-labeled', 'medinst32/unseen_tests_zs/PubMedQA-labeled.json'],
      ['NER', 'NCBI-disease', 'medinst32/unseen_tests_zs/NCBI-disease.json'],
      ['TXTCLASS', 'Hallmarks-of-Cancer', 'medinst32/unseen_tests_zs/Hallmarks-of-Cancer.json'],
    ] as const
  ).map(([category, task, file]) => ({
    category,
    task,
    generated: readRecords<{ output: string }>(data(file)).map((r, i) => ({ prediction: predict(r.output, i), target: r.output })),
  }));
}

describe('medtask score', () => {
  it('scores a MedS-Bench results CSV: gold as prediction, both modes, per-item report', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'eval_results_MCQA_1_context_1_oriINS_Llama 3.csv');
    fs.writeFileSync(
      file,
      serialiseMedsBenchCsv([
        ...medsRows('task123', 'meds-bench/MCQA/task123_pubmedqa_test_set.json', (g) => g),
        ...medsRows('task114', 'meds-bench/Text_summarization/task114_meqsum_summarization.json', (g) => g),
      ]),
    );
    const ref = await medtask('score', '--predictions', file, '--json', '--items', path.join(dir, 'items.csv'));
    expect(ref.code).toBe(0);
    const r = JSON.parse(ref.stdout) as ScoreJson;
    expect(r).toMatchObject({ format: 'meds-bench-csv', benchmark: 'meds-bench', mode: 'reference', skipped: [] });
    expect(r.tasks.map((t) => [t.task, t.count])).toEqual([
      ['task123', 500],
      ['task114', 300],
    ]);
    expect(r.tasks[0]!.metrics.mcqAccuracy).toBeCloseTo(89, 10); // the 55 "maybe" golds are never right in reference mode
    expect(r.tasks[1]!.metrics.bleu1).toBeCloseTo(100, 9);
    expect(r.tasks[1]!.metrics.pyRougeL).toBeCloseTo(100, 5);
    expect(fs.readFileSync(path.join(dir, 'items.csv'), 'utf8').split('\r\n')[0]).toBe('task,index,line,target,prediction,mcqAccuracy,bleu1,pyRougeL');

    const cor = JSON.parse((await medtask('score', '--predictions', file, '--mode', 'corrected', '--json')).stdout) as ScoreJson;
    expect(cor.mode).toBe('corrected');
    expect(cor.tasks[0]!.metrics.mcqAccuracy).toBe(100);

    const table = await medtask('score', '--predictions', file);
    expect(table.stdout).toMatch(/task123\s+500\s+mcqAccuracy\s+89(\.0+)?\s+%/);
  });

  it('scores a MedINST32 results JSON: gold gives 1s, a perturbed set gives what the metrics give directly', async () => {
    const dir = tempDir();
    const gold = path.join(dir, 'gold.json');
    fs.writeFileSync(gold, serialiseMedinst32Results(medinstResults((g) => g)));
    const g = JSON.parse((await medtask('score', '--predictions', gold, '--json')).stdout) as ScoreJson;
    expect(g.tasks.map((t) => [t.category, t.task, t.count, t.metrics])).toEqual([
      ['QA', 'PubMedQA-labeled', 500, { rougeL: 1, wordF1: 1, labelMacroF1: 1 }],
      ['NER', 'NCBI-disease', 120, { rougeL: 1, wordF1: 1, bioTagF1: 1 }],
      ['TXTCLASS', 'Hallmarks-of-Cancer', 150, { rougeL: 1, wordF1: 1, multiLabelF1: 1 }],
    ]);

    const perturb = (s: string, i: number) => (i % 3 === 0 ? s.replace(/\[B\]/g, '[O]').replace(/^(yes|no)$/, 'maybe') : i % 5 === 0 ? 'none' : s);
    const results = medinstResults(perturb);
    // no extension: detected by content
    const file = path.join(dir, 'model-output');
    fs.writeFileSync(file, serialiseMedinst32Results(results));
    for (const mode of ['reference', 'corrected'] as const) {
      const out = await medtask('score', '--predictions', file, '--mode', mode, '--json');
      expect(out.code).toBe(0);
      const r = JSON.parse(out.stdout) as ScoreJson;
      expect(r.format).toBe('medinst32-json');
      results.forEach((res, k) => {
        const direct = scoreTask(
          'medinst32',
          res.task,
          res.generated.map((x) => x.prediction),
          res.generated.map((x) => x.target),
          mode,
        );
        expect(r.tasks[k]!.metrics).toEqual(direct);
        expect(r.tasks[k]!.metrics.rougeL).toBeLessThan(1);
      });
    }
  });

  it('exits non-zero with one line naming the file, line and field on bad input', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{\n  "QA": {\n    "MedQA": {\n      "generated": [\n        {"prediction": 3, "target": "b"}\n      ]\n    }\n  }\n}');
    const res = await medtask('score', '--predictions', bad);
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^medtask: .*bad\.json: line 5, field "QA\.MedQA\.generated\[0\]\.prediction": "prediction" must be a string, got a number/);

    const csv = path.join(dir, 'r.csv');
    fs.writeFileSync(csv, 'task_id,input,GT,output\r\ntask123,"unterminated\r\n');
    const c = await medtask('score', '--predictions', csv, '--format', 'meds-bench-csv');
    expect(c.code).not.toBe(0);
    expect(c.stderr).toMatch(/r\.csv: line 2, field "input": unterminated quoted field/);

    const unknown = path.join(dir, 'u.csv');
    fs.writeFileSync(unknown, serialiseMedsBenchCsv([{ taskId: 'task999', input: 'a', gt: 'b', output: 'c' }]));
    const u = await medtask('score', '--predictions', unknown);
    expect(u.code).not.toBe(0);
    expect(u.stdout).toMatch(/skipped task999 \(1 rows\)/);
    expect(u.stderr).toMatch(/no task could be scored/);
  });
});
