import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PredictionsError,
  detectFormat,
  formatCsv,
  itemReport,
  medinst32ReferenceMetrics,
  parseCsv,
  parseMedinst32Results,
  parseMedsBenchCsv,
  parsePredictions,
  readPredictionsFile,
  scorePredictionSet,
  serialiseItemReportCsv,
  serialiseMedinst32Results,
  serialiseMedsBenchCsv,
  writeItemReport,
  writeMedinst32Results,
  writeMedsBenchCsv,
  type MedsBenchRow,
  type Medinst32TaskResult,
} from '../../src/core/predictions';
import { medsGold, medsBenchMessages } from '../../src/core/prompts';
import { scoreTask } from '../../src/core/metrics';
import { data, readRecords, tempDir } from '../helpers';

interface NatInstFile {
  Definition: string[];
  Instances: { input: string; output: string | string[] }[];
}
const readNatInst = (rel: string) => JSON.parse(fs.readFileSync(data(rel), 'utf8')) as NatInstFile;

/** Rows as eval.py writes them: the prompt as `input`, output[0] as `GT`. */
function medsRows(taskId: string, f: NatInstFile, predict: (gold: string, i: number) => string): MedsBenchRow[] {
  return f.Instances.map((inst, i) => {
    const [system, user] = medsBenchMessages(f.Definition[0]!, inst.input, [], 'reference');
    const gt = medsGold(inst.output);
    return { taskId, input: `${system!.content}\n${user!.content}`, gt, output: predict(gt, i) };
  });
}

function medinstResults(predict: (gold: string, i: number) => string): Medinst32TaskResult[] {
  const specs = [
    ['QA', 'PubMedQA-labeled', 'medinst32/unseen_tests/PubMedQA-labeled.json'],
    ['NER', 'NCBI-disease', 'medinst32/unseen_tests/NCBI-disease.json'],
    ['TXTCLASS', 'Hallmarks-of-Cancer', 'medinst32/unseen_tests_zs/Hallmarks-of-Cancer.json'],
  ] as const;
  return specs.map(([category, task, file]) => ({
    category,
    task,
    generated: readRecords<{ output: string }>(data(file)).map((r, i) => ({ prediction: predict(r.output, i), target: r.output })),
  }));
}

describe('CSV (RFC 4180, Python csv.writer compatible)', () => {
  it('writes exactly what Python csv.writer writes and reads it back', () => {
    const rows = [['task_id', 'input', 'GT', 'output'], ['task123', 'a,b', 'x"y', 'line1\nline2'], ['t', '', ' ', 'z\r\nq'], ['']];
    const text = formatCsv(rows);
    expect(text).toBe('task_id,input,GT,output\r\ntask123,"a,b","x""y","line1\nline2"\r\nt,, ,"z\r\nq"\r\n""\r\n');
    expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
    expect(parseCsv(text).map((r) => r.line)).toEqual([1, 2, 4, 6]);
    expect(parseCsv('a,b\nc,d').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('names file and line on malformed CSV', () => {
    // The field is named by the header's column name.
    expect(() => parseCsv('a,b\r\n"open,\nx\n', 'p.csv')).toThrow(/^p\.csv: line 2, field "a": unterminated quoted field/);
    expect(() => parseCsv('a,b\nx,y"z\n', 'p.csv')).toThrow(/^p\.csv: line 2, field "b": a quote inside an unquoted field/);
    expect(() => parseCsv('a\n"x"y\n', 'p.csv')).toThrow(/line 2, field "a": unexpected character "y" after a closing quote/);
  });
});

describe('MedS-Bench results CSV', () => {
  const task123 = readNatInst('meds-bench/MCQA/task123_pubmedqa_test_set.json');
  const task114 = readNatInst('meds-bench/Text_summarization/task114_meqsum_summarization.json');

  it('round-trips real rows with multi-line prompts and non-ASCII text', () => {
    const rows = [...medsRows('task114', task114, (g) => g), ...medsRows('task123', task123, (g) => `${g}\n\nBecause "reasons", mostly.`)];
    const text = serialiseMedsBenchCsv(rows);
    const back = parseMedsBenchCsv(text, 'r.csv');
    expect(back.map(({ line: _line, ...r }) => r)).toEqual(rows);
    expect(back[0]!.line).toBe(2);
    expect(back[1]!.line).toBeGreaterThan(back[0]!.line! + 3); // prompts span several lines
  });

  it('errors name the file, line and field', () => {
    expect(() => parseMedsBenchCsv('task_id,input,output\r\n', 'r.csv')).toThrow(/^r\.csv: line 1, field "GT": is missing from the header/);
    expect(() => parseMedsBenchCsv('task_id,input,GT,output\r\ntask1,a,b\r\n', 'r.csv')).toThrow(/^r\.csv: line 2: the row has 3 fields but the header has 4/);
    expect(() => parseMedsBenchCsv('task_id,input,GT,output\r\n,a,b,c\r\n', 'r.csv')).toThrow(/line 2, field "task_id": is empty/);
    expect(() => parseMedsBenchCsv('', 'r.csv')).toThrow(PredictionsError);
  });

  it('scores gold-as-prediction perfectly (task123 reference: "maybe" can never be right)', () => {
    const set = parsePredictions(serialiseMedsBenchCsv([...medsRows('task123', task123, (g) => g), ...medsRows('task114', task114, (g) => g)]), 'r.csv');
    const ref = scorePredictionSet(set);
    const t123 = ref.tasks.find((t) => t.task === 'task123')!;
    const maybe = task123.Instances.filter((i) => (i.output as string[])[0]!.endsWith('maybe')).length;
    expect(maybe).toBe(55);
    expect(t123.count).toBe(500);
    expect(t123.metrics.mcqAccuracy).toBeCloseTo((100 * (500 - maybe)) / 500, 12);
    expect(scorePredictionSet(set, { mode: 'corrected' }).tasks.find((t) => t.task === 'task123')!.metrics.mcqAccuracy).toBe(100);
    const t114 = ref.tasks.find((t) => t.task === 'task114')!;
    expect(t114.count).toBe(300);
    expect(t114.metrics.bleu1).toBeCloseTo(100, 9);
    expect(t114.metrics.pyRougeL).toBeCloseTo(100, 5);
    expect(ref.metricInfo.bleu1).toMatchObject({ scale: 100, higherIsBetter: true });
  });

  it('scores a perturbed set as the metrics do directly; unknown tasks are skipped; --task pools', () => {
    const flip = (g: string, i: number) => (i % 3 === 0 ? g.replace(/yes$/, 'no') : i % 5 === 0 ? 'I cannot tell.' : g);
    const cut = (g: string, i: number) => (i % 2 ? g.split(' ').slice(0, 4).join(' ') : `${g} Thanks`);
    const rows = [...medsRows('task123', task123, flip), ...medsRows('task114', task114, cut), ...medsRows('task999', task114, (g) => g).slice(0, 2)];
    const set = parsePredictions(serialiseMedsBenchCsv(rows), 'r.csv');
    for (const mode of ['reference', 'corrected'] as const) {
      const report = scorePredictionSet(set, { mode });
      for (const task of ['task123', 'task114']) {
        const mine = rows.filter((r) => r.taskId === task);
        expect(report.tasks.find((t) => t.task === task)!.metrics).toEqual(
          scoreTask(
            'meds-bench',
            task,
            mine.map((r) => r.output),
            mine.map((r) => r.gt),
            mode,
          ),
        );
      }
      expect(report.skipped).toEqual([{ task: 'task999', count: 2, reason: expect.stringMatching(/not a task/) }]);
    }
    const pooled = scorePredictionSet(set, { task: 'DDXPlus' });
    expect(pooled.tasks).toHaveLength(1);
    expect(pooled.tasks[0]!.count).toBe(802);
    expect(Object.keys(pooled.tasks[0]!.metrics)).toEqual(['diagnosisAccuracy']);
  });

  it('pools the CT group as TextSummarization.py does', () => {
    const rows = [...medsRows('task83', task114, (g) => g).slice(0, 10), ...medsRows('task84', task114, (g) => g.slice(0, 20)).slice(10, 20)];
    const report = scorePredictionSet(parsePredictions(serialiseMedsBenchCsv(rows), 'r.csv'));
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({ task: 'CT', count: 20, pooled: ['task83', 'task84'] });
    expect(report.groups[0]!.metrics).toEqual(
      scoreTask(
        'meds-bench',
        'task83',
        rows.map((r) => r.output),
        rows.map((r) => r.gt),
      ),
    );
  });
});

describe('MedINST32 results JSON', () => {
  it('round-trips, with the metrics evaluation.py would store', () => {
    const results = medinstResults((g) => g).map((r) => ({
      ...r,
      metrics: medinst32ReferenceMetrics(
        r.task,
        r.generated.map((g) => g.prediction),
        r.generated.map((g) => g.target),
      ),
    }));
    const text = serialiseMedinst32Results(results);
    expect(text.startsWith('{\n    "QA": {\n        "PubMedQA-labeled": {\n            "generated": [\n                {\n')).toBe(true);
    expect(parseMedinst32Results(text, 'r.json')).toEqual(results);
    expect(results[0]!.metrics).toEqual({ rouge: 1, f1: 1, label_level_f1: 1 });
    expect(results[1]!.metrics).toEqual({ rouge: 1, f1: 1, label_leval_f1: 1 });
    expect(results[2]!.metrics).toEqual({ rouge: 1, f1: 1, entity_level_f1: 1 });
    expect(
      serialiseMedinst32Results([{ category: 'QA', task: 'MedQA', generated: [{ prediction: 'é\u2028\u0001', target: 't' }], metrics: { rouge: 0.5, em: 1 } }]),
    ).toBe(
      '{\n    "QA": {\n        "MedQA": {\n            "generated": [\n                {\n                    "prediction": "é\u2028\\u0001",\n                    "target": "t"\n                }\n            ],\n            "metrics": {\n                "rouge": 0.5,\n                "em": 1\n            }\n        }\n    }\n}',
    );
  });

  it('scores gold-as-prediction perfectly and a perturbed set as the metrics do directly', () => {
    const gold = scorePredictionSet(parsePredictions(serialiseMedinst32Results(medinstResults((g) => g)), 'r.json'));
    expect(gold.tasks.map((t) => [t.category, t.task, t.count])).toEqual([
      ['QA', 'PubMedQA-labeled', 500],
      ['NER', 'NCBI-disease', 120],
      ['TXTCLASS', 'Hallmarks-of-Cancer', 150],
    ]);
    expect(gold.tasks.map((t) => t.metrics)).toEqual([
      { rougeL: 1, wordF1: 1, labelMacroF1: 1 },
      { rougeL: 1, wordF1: 1, bioTagF1: 1 },
      { rougeL: 1, wordF1: 1, multiLabelF1: 1 },
    ]);
    const perturb = (g: string, i: number) => (i % 4 === 0 ? g.replace(/\[I\]/g, '[O]').replace(/^yes$/, 'no') : i % 7 === 0 ? g.split(', ')[0]! : g);
    const results = medinstResults(perturb);
    const set = parsePredictions(serialiseMedinst32Results(results), 'r.json');
    for (const mode of ['reference', 'corrected'] as const) {
      const report = scorePredictionSet(set, { mode });
      results.forEach((r, k) => {
        expect(report.tasks[k]!.metrics).toEqual(
          scoreTask(
            'medinst32',
            r.task,
            r.generated.map((g) => g.prediction),
            r.generated.map((g) => g.target),
            mode,
          ),
        );
        expect(report.tasks[k]!.metrics.rougeL).toBeLessThan(1);
      });
    }
  });

  it('errors name the file, line and field path', () => {
    const bad =
      '{\n  "QA": {\n    "MedQA": {\n      "generated": [\n        {"prediction": "a", "target": "b"},\n        {"prediction": null, "target": "b"}\n      ]\n    }\n  }\n}';
    expect(() => parseMedinst32Results(bad, 'r.json')).toThrow(
      /^r\.json: line 6, field "QA\.MedQA\.generated\[1\]\.prediction": "prediction" must be a string, got null$/,
    );
    expect(() => parseMedinst32Results('{"QA": {"MedQA": {"generated": [{"target": "b"}]}}}', 'r.json')).toThrow(
      /line 1, field "QA\.MedQA\.generated\[0\]": has no "prediction"/,
    );
    expect(() => parseMedinst32Results('{"QA": {"MedQA": {}}}', 'r.json')).toThrow(/field "QA\.MedQA": has no "generated" list/);
    expect(() => parseMedinst32Results('{\n"QA": [1,\n2,]\n}', 'r.json')).toThrow(/^r\.json: line 3: invalid JSON: unexpected "]"/);
    expect(() => parseMedinst32Results('[]', 'r.json')).toThrow(/must be an object of categories/);
    expect(() => parseMedinst32Results('{"QA": {"MedQA": {"generated": [], "metrics": {"em": "x"}}}}', 'r.json')).toThrow(
      /field "QA\.MedQA\.metrics\.em": must be a number/,
    );
  });
});

describe('files, format detection and per-item reports', () => {
  it('detects the format by extension, then by content', () => {
    expect(detectFormat('x.csv', '{')).toBe('meds-bench-csv');
    expect(detectFormat('x.json', 'task_id')).toBe('medinst32-json');
    expect(detectFormat('x.out', '  {"QA": {}}')).toBe('medinst32-json');
    expect(detectFormat('x.out', '\uFEFFtask_id,input,GT,output\r\n')).toBe('meds-bench-csv');
    expect(() => detectFormat('x.out', 'hello')).toThrow(/cannot tell the format/);
  });

  it('writes and reads files; reads name the file on errors', async () => {
    const dir = tempDir();
    const csv = path.join(dir, 'eval_results.csv');
    const task123 = readNatInst('meds-bench/MCQA/task123_pubmedqa_test_set.json');
    await writeMedsBenchCsv(csv, medsRows('task123', task123, (g) => g).slice(0, 5));
    const set = await readPredictionsFile(csv);
    expect(set.format).toBe('meds-bench-csv');
    expect(set.tasks[0]!.pairs).toHaveLength(5);
    const json = path.join(dir, 'model.json');
    await writeMedinst32Results(
      json,
      medinstResults((g) => g),
    );
    expect((await readPredictionsFile(json)).tasks).toHaveLength(3);
    await expect(readPredictionsFile(path.join(dir, 'none.csv'))).rejects.toThrow(/none\.csv: no such file/);
    fs.writeFileSync(path.join(dir, 'bad.csv'), Buffer.from([0x74, 0x61, 0xff]));
    await expect(readPredictionsFile(path.join(dir, 'bad.csv'))).rejects.toThrow(/bad\.csv: invalid UTF-8/);

    const rows = itemReport(set);
    await writeItemReport(path.join(dir, 'items.csv'), rows);
    await writeItemReport(path.join(dir, 'items.json'), rows);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'items.json'), 'utf8'))).toHaveLength(5);
    expect(parseCsv(fs.readFileSync(path.join(dir, 'items.csv'), 'utf8'))[0]!.fields).toEqual(['task', 'index', 'line', 'target', 'prediction', 'mcqAccuracy']);
  });

  it('per-item scores are the per-sample metrics; their mean is the task score', () => {
    const results = medinstResults((g, i) => (i % 3 ? g : 'yes'));
    const set = parsePredictions(serialiseMedinst32Results(results), 'r.json');
    const rows = itemReport(set);
    const report = scorePredictionSet(set);
    for (const t of report.tasks) {
      const mine = rows.filter((r) => r.task === t.task);
      expect(mine).toHaveLength(t.count);
      const mean = mine.reduce((s, r) => s + (r.scores.rougeL ?? 0), 0) / mine.length;
      expect(mean).toBeCloseTo(t.metrics.rougeL!, 12);
      expect(mine[0]!.line).toBeGreaterThan(1);
      expect('labelMacroF1' in mine[0]!.scores || 'bioTagF1' in mine[0]!.scores).toBe(false);
    }
    expect(serialiseItemReportCsv(rows).split('\r\n')[0]).toBe('task,index,line,target,prediction,rougeL,wordF1,multiLabelF1');
  });

  it('marks pairs the reference skips (empty rationale) as null', () => {
    const rows: MedsBenchRow[] = [
      { taskId: 'task52', input: 'p', gt: 'Because of x.', output: '  ' },
      { taskId: 'task52', input: 'p', gt: 'Because of x.', output: 'Because of x.' },
    ];
    const set = parsePredictions(serialiseMedsBenchCsv(rows), 'r.csv');
    expect(itemReport(set).map((r) => r.scores.bleu1)).toEqual([null, 100]);
    expect(itemReport(set, 'corrected').map((r) => r.scores.bleu1)).toEqual([0, 100]);
    expect(scorePredictionSet(set).tasks[0]!.metrics.bleu1).toBe(100);
  });
});
