import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { isDefinitionsPlan, planImport } from '../../src/core/import/plan';
import { previewImport } from '../../src/core/import/preview';
import { storePlans } from '../../src/core/import/store';
import { ImportError } from '../../src/core/import/types';
import { globToRegExp, hubConfigs, parseYaml } from '../../src/core/import/yaml';
import { copyTo, data, put, readAll, readError, records, tempDir } from './helpers';

const PQ = data('medinst32-parquet/PubMedQA-labeled/test/0000.parquet');
const PQ_ZS = data('medinst32-parquet/PubMedQA-labeled-zs/test/0000.parquet');
const JL_ZS = data('medinst32/unseen_tests_zs/PubMedQA-labeled.json');
let jsonlZs: string;

beforeAll(async () => {
  jsonlZs = await readFile(JL_ZS, 'utf8');
});

describe('MedINST32 train files and sniffing', () => {
  it('merged_train_100k.json as a JSON array and unseen_train_100k.json as JSON Lines', async () => {
    const dir = await tempDir();
    const rows = jsonlZs
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const a = await put(dir, 'merged_train_100k.json', JSON.stringify(rows.slice(0, 50), null, 2));
    const b = await put(
      dir,
      'unseen_train_100k.json',
      rows
        .slice(0, 30)
        .map((r) => JSON.stringify(r))
        .join('\r\n') + '\r\n',
    );
    const plans = (await planImport([dir])).map(records);
    expect(plans.map((p) => [p.descriptor.task, p.descriptor.split, p.descriptor.config, p.layout, p.descriptor.category])).toEqual([
      ['merged_train_100k', 'train', 'default', 'medinst32-json', null],
      ['unseen_train_100k', 'train', 'default', 'medinst32-json', null],
    ]);
    expect(await readAll(plans[0]!)).toHaveLength(50);
    const rb = await readAll(plans[1]!);
    expect(rb).toHaveLength(30);
    expect(rb[29]!.line).toBe(30);
    expect(plans[1]!.file).toBe(b);
    void a;
  });
});

describe('MedINST layouts', () => {
  it('<Config>/<split>/0000.parquet and sharded files become one plan per split', async () => {
    const dir = await tempDir();
    const root = `${dir}/MedINST`;
    await copyTo(root, 'PubMedQA-labeled/test/0000.parquet', PQ_ZS);
    await copyTo(root, 'PubMedQA-labeled/train/train-00000-of-00002.parquet', PQ_ZS);
    await copyTo(root, 'PubMedQA-labeled/train/train-00001-of-00002.parquet', PQ_ZS);
    const plans = (await planImport([root])).map(records);
    expect(
      plans.map((p) => [
        p.layout,
        p.descriptor.benchmark.name,
        p.descriptor.task,
        p.descriptor.category,
        p.descriptor.config,
        p.descriptor.split,
        p.files.length,
      ]),
    ).toEqual([
      ['medinst-parquet', 'medinst', 'PubMedQA-labeled', 'QA', 'default', 'test', 1],
      ['medinst-parquet', 'medinst', 'PubMedQA-labeled', 'QA', 'default', 'train', 2],
    ]);
    const train = await readAll(plans[1]!);
    expect(train).toHaveLength(1000);
    expect(train[999]!.index).toBe(999);
    expect(train[500]!.input).toBe(train[0]!.input);
    const seen: number[] = [];
    for await (const _ of plans[1]!.read({ onBytes: (n) => seen.push(n) })) void _;
    expect(seen[seen.length - 1]).toBe(plans[1]!.totalBytes);
  });

  it('<Config>/<split>.json(l) is medinst-json; the benchmark option settles ambiguous parquet', async () => {
    const dir = await tempDir();
    await put(dir, 'AnEM-RE/dev.jsonl', jsonlZs);
    await put(dir, 'AnEM-RE/test.json', `[${jsonlZs.split('\n').filter(Boolean).slice(0, 4).join(',')}]`);
    const plans = (await planImport([dir])).map(records);
    expect(plans.map((p) => [p.layout, p.descriptor.benchmark.name, p.descriptor.task, p.descriptor.category, p.descriptor.split])).toEqual([
      ['medinst-json', 'medinst', 'AnEM-RE', 'RE', 'dev'],
      ['medinst-json', 'medinst', 'AnEM-RE', 'RE', 'test'],
    ]);
    expect(await readAll(plans[1]!)).toHaveLength(4);

    // an un-named folder: PubMedQA-labeled/test is a MedINST32 test task by default, MedINST when asked
    const d2 = await tempDir();
    const f = await copyTo(d2, 'x/PubMedQA-labeled/test/0000.parquet', PQ);
    expect(records((await planImport([f]))[0]!).descriptor.benchmark.name).toBe('medinst32');
    expect(records((await planImport([f], { benchmark: 'medinst' }))[0]!).descriptor.benchmark.name).toBe('medinst');
  });

  it('uses the README configs section (config_name -> data_files per split)', async () => {
    const dir = await tempDir();
    await put(
      dir,
      'README.md',
      [
        '---',
        'license: cc-by-4.0',
        'configs:',
        '- config_name: PubMedQA-labeled',
        '  data_files:',
        '  - split: train',
        '    path: "data/pqal_train.json"',
        '  - split: validation',
        '    path:',
        '    - data/pqal_dev_*.jsonl',
        '- config_name: AnEM # a comment',
        "  data_files: 'anem/*.json'",
        '---',
        '# MedINST',
        '',
      ].join('\n'),
    );
    const rows = jsonlZs.split('\n').filter(Boolean);
    await put(dir, 'data/pqal_train.json', rows.slice(0, 5).join('\n'));
    await put(dir, 'data/pqal_dev_1.jsonl', rows.slice(5, 8).join('\n'));
    await put(dir, 'data/pqal_dev_2.jsonl', rows.slice(8, 10).join('\n'));
    await put(dir, 'anem/all.json', `[${rows.slice(0, 2).join(',')}]`);
    await put(dir, '.gitattributes', '*.json filter=lfs');
    const plans = (await planImport([dir])).map(records);
    expect(plans.map((p) => [p.layout, p.descriptor.benchmark.name, p.descriptor.task, p.descriptor.split, p.files.length])).toEqual([
      ['medinst-json', 'medinst', 'AnEM', 'train', 1],
      ['medinst-json', 'medinst', 'PubMedQA-labeled', 'dev', 2],
      ['medinst-json', 'medinst', 'PubMedQA-labeled', 'train', 1],
    ]);
    const dev = await readAll(plans[1]!);
    expect(dev.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('MedINST and MedINST32 task languages and source dataset', () => {
  it('are set on the descriptor and stored in the tasks table (the language facet needs them)', async () => {
    const dir = await tempDir();
    const rows = jsonlZs.split('\n').filter(Boolean);
    // MedINST: parquet branch, JSON by config folder, a README configs: mapping, translation tasks
    await copyTo(dir, 'MedINST/PubMedQA-labeled/test/0000.parquet', PQ_ZS);
    await put(dir, 'MedINST/AnEM-RE/dev.jsonl', rows.slice(0, 3).join('\n'));
    await put(dir, 'MedINST/ParaMed/train.jsonl', rows.slice(0, 3).join('\n'));
    await put(dir, 'MedINST/MuchMore-TRANSL/train.jsonl', rows.slice(0, 3).join('\n'));
    await put(dir, 'MedINST/SciELO/train.jsonl', rows.slice(0, 3).join('\n'));
    await put(dir, 'MedINST/Foo-TRANSL/train.jsonl', rows.slice(0, 3).join('\n'));
    await put(dir, 'hub/README.md', '---\nconfigs:\n- config_name: SciQ\n  data_files:\n  - split: test\n    path: sciq/test.json\n---\n# MedINST\n');
    await put(dir, 'hub/sciq/test.json', rows.slice(0, 2).join('\n'));
    // MedINST32: unseen_tests JSON, parquet branch, a train file
    await copyTo(dir, 'MedINST32/unseen_tests/PubMedQA-labeled.json', data('medinst32/unseen_tests/PubMedQA-labeled.json'));
    await copyTo(dir, 'MedINST32-pq/ParaMed-zs/test/0000.parquet', PQ_ZS);
    await put(dir, 'MedINST32/unseen_train_100k.json', rows.slice(0, 3).join('\n'));

    const plans = (await planImport([dir])).map(records);
    const got = plans.map((p) => [p.descriptor.benchmark.name, p.descriptor.task, p.descriptor.sourceDataset, p.descriptor.languages]);
    expect(got).toEqual([
      ['medinst', 'AnEM-RE', 'AnEM-RE', ['English']],
      ['medinst', 'Foo-TRANSL', 'Foo-TRANSL', ['English']], // a translation task whose languages we do not know
      ['medinst', 'MuchMore-TRANSL', 'MuchMore-TRANSL', ['English', 'German']],
      ['medinst', 'ParaMed', 'ParaMed', ['Chinese', 'English']],
      ['medinst', 'PubMedQA-labeled', 'PubMedQA-labeled', ['English']],
      ['medinst', 'SciELO', 'SciELO', ['English', 'Spanish', 'Portuguese']],
      ['medinst', 'SciQ', 'SciQ', ['English']],
      ['medinst32', 'ParaMed', 'ParaMed', ['Chinese', 'English']],
      ['medinst32', 'PubMedQA-labeled', 'PubMedQA-labeled', ['English']],
      ['medinst32', 'unseen_train_100k', null, ['English']], // a mix of many source datasets
    ]);

    const home = await tempDir();
    await storePlans(home, plans, { importId: 'languages' });
    const db = openDatabase(home, { readonly: true });
    try {
      const tasks = db
        .prepare(
          'SELECT b.name AS benchmark, t.name AS task, t.source_dataset AS source, t.languages_json AS languages FROM tasks t JOIN benchmarks b ON b.id = t.benchmark_id ORDER BY 1, 2',
        )
        .all();
      expect(tasks).toEqual(got.map(([benchmark, task, source, languages]) => ({ benchmark, task, source, languages: JSON.stringify(languages) })));
    } finally {
      db.close();
    }
  });
});

describe('MedS-Bench and MedS-Ins task files', () => {
  it('accepts a .jsonl file holding one pretty-printed object, and a flat MedS-Ins folder', async () => {
    const dir = await tempDir();
    const src = await readFile(data('meds-bench/MCQA/task123_pubmedqa_test_set.json'), 'utf8');
    await put(dir, 'MedS-Bench/MCQA/task123_pubmedqa_test_set.jsonl', src);
    const [p] = await planImport([`${dir}/MedS-Bench`]);
    expect(records(p!).layout).toBe('meds-bench-task');
    expect(await readAll(p!)).toHaveLength(500);

    const ins = `${dir}/ins`;
    await copyTo(ins, 'task114_medqsum_text_summurization.json', data('meds-bench/Text_summarization/task114_meqsum_summarization.json'));
    await copyTo(ins, 'RewriteDefinitions.json', data('meds-ins/RewriteDefinitions.json'));
    await put(ins, 'README.md', '# MedS-Ins\n');
    const plans = await planImport([ins]);
    expect(plans.map((x) => x.layout)).toEqual(['meds-ins-task', 'meds-ins-definitions']);
    const t = records(plans[0]!);
    expect(t.descriptor).toMatchObject({
      benchmark: { name: 'meds-ins', title: 'MedS-Ins' },
      task: 'task114_medqsum_text_summurization',
      taskId: 'task114',
      category: 'Text Summarization',
      split: 'train',
    });
    expect(isDefinitionsPlan(plans[1]!)).toBe(true);
  });

  it('instance key order does not matter (Instances first, metadata after)', async () => {
    const dir = await tempDir();
    const obj = JSON.parse(await readFile(data('meds-bench/Text_summarization/task114_meqsum_summarization.json'), 'utf8'));
    const { Instances, ...rest } = obj;
    const f = await put(dir, 'Text_summarization/task114_x.json', JSON.stringify({ Instances, ...rest }));
    const p = records((await planImport([f]))[0]!);
    expect(p.descriptor.definition).toMatch(/^You will be given/);
    const rs = await readAll(p);
    expect(rs).toHaveLength(300);
    expect(rs[0]!.instruction).toBe(p.descriptor.definition);
  });
});

describe('generic reader with a column mapping', () => {
  it('CSV with quoted fields, embedded newlines and a JSON history column', async () => {
    const dir = await tempDir();
    const f = await put(dir, 'my.csv', 'question,answer,hist,id\r\n"What is ""X""?\nSecond line",yes,"[[""u"",""a""]]",q1\r\nplain,"no, really",,q2\r\n');
    const [p] = await planImport([f], {
      mapping: { input: 'question', output: 'answer', history: 'hist', id: 'id' },
      benchmark: 'mine',
      target: { task: 'qa', split: 'dev', instruction: 'Answer.' },
    });
    const rp = records(p!);
    expect(rp.layout).toBe('generic');
    expect(rp.descriptor).toMatchObject({ benchmark: { name: 'mine', title: 'mine' }, task: 'qa', split: 'dev', config: 'default', category: null });
    const rs = await readAll(rp);
    expect(rs).toEqual([
      { index: 0, line: 2, instruction: 'Answer.', input: 'What is "X"?\nSecond line', outputs: ['yes'], history: [['u', 'a']], sourceId: 'q1' },
      { index: 1, line: 4, instruction: 'Answer.', input: 'plain', outputs: ['no, really'], history: [], sourceId: 'q2' },
    ]);
  });

  it('the preview shows the first records as the mapping reads them, long texts cut', async () => {
    const dir = await tempDir();
    const long = 'x'.repeat(400);
    const f = await put(
      dir,
      'triage.jsonl',
      [
        { q: 'first question', a: 'yes' },
        { q: long, a: 'no' },
        { q: 'third', a: 'maybe' },
        { q: 'fourth', a: 'no' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const preview = await previewImport([f], { mapping: { input: 'q', output: 'a' }, target: { instruction: 'Triage this.' } });
    expect(preview.entries).toHaveLength(1);
    expect(preview.entries[0]!.rowCount).toBe(4);
    expect(preview.entries[0]!.sample).toEqual([
      { instruction: 'Triage this.', input: 'first question', output: 'yes', historyTurns: 0 },
      { instruction: 'Triage this.', input: `${'x'.repeat(300)}…`, output: 'no', historyTurns: 0 },
      { instruction: 'Triage this.', input: 'third', output: 'maybe', historyTurns: 0 },
    ]);
    // A known layout shows its records too (few-shot history counted).
    const pq = await previewImport([PQ]);
    expect(pq.entries[0]!.sample[0]!.historyTurns).toBe(2);
  });

  it('CSV row with the wrong number of columns', async () => {
    const dir = await tempDir();
    const f = await put(dir, 'bad.csv', 'q,a\nx,y\nonly-one\n');
    const [p] = await planImport([f], { mapping: { input: 'q', output: 'a' } });
    const e = (await readError(p!)) as ImportError;
    expect(e.message).toMatch(/record 1, line 3: has 1 columns but the header has 2/);
  });

  it('JSONL and parquet with mapped columns; missing mapped column is named', async () => {
    const dir = await tempDir();
    const f = await put(dir, 'x.jsonl', '{"q":"a","a":1,"gold":["x","y"]}\n{"q":"b","a":2}\n');
    const [p] = await planImport([f], { mapping: { input: 'q', output: 'a' } });
    expect((await readAll(p!)).map((r) => r.outputs)).toEqual([['1'], ['2']]);
    const [p2] = await planImport([f], { mapping: { input: 'q', output: 'gold' } });
    const e = (await readError(p2!)) as ImportError;
    expect(e.location).toMatchObject({ line: 2, record: 1, field: 'gold' });

    const [pq] = await planImport([PQ], {
      mapping: { instruction: 'instruction', input: 'input', output: 'output', history: 'history' },
      target: { task: 'pq' },
    });
    const rs = await readAll(pq!);
    expect(rs).toHaveLength(500);
    expect(rs[0]!.history).toHaveLength(2);
    await expect(planImport([PQ], { mapping: { input: 'question', output: 'output' } })).rejects.toThrow(/no column "question"/);
  });
});

describe('tiny YAML', () => {
  it('parses the subset used by dataset cards', () => {
    expect(parseYaml('a: 1\nb:\n  - x\n  - "y z"\nc:\n  d: [p, "q"]\n  e: true\n')).toEqual({ a: 1, b: ['x', 'y z'], c: { d: ['p', 'q'], e: true } });
    expect(hubConfigs('---\nconfigs:\n- config_name: A\n  data_files:\n    train: a/train.json\n    test: [a/t1.json, a/t2.json]\n---\n')).toEqual([
      { config: 'A', split: 'train', patterns: ['a/train.json'] },
      { config: 'A', split: 'test', patterns: ['a/t1.json', 'a/t2.json'] },
    ]);
    expect(globToRegExp('AnEM/train-*').test('AnEM/train-00000-of-00001.parquet')).toBe(true);
    expect(globToRegExp('**/x.json').test('a/b/x.json')).toBe(true);
    expect(globToRegExp('*.json').test('a/x.json')).toBe(false);
  });
});

describe('dataset card front matter (yaml package)', () => {
  it('reads what the old subset skipped: multi-line strings, anchors, flow maps', () => {
    const card = [
      '---',
      'pretty_name: >-',
      '  MedINST',
      '  benchmark',
      'defaults: &files',
      '  train: a/train.json',
      'configs:',
      '- config_name: A',
      '  data_files: *files',
      '- {config_name: B, data_files: {test: "b/t*.json"}}',
      '---',
      '# card',
    ].join('\n');
    expect(hubConfigs(card)).toEqual([
      { config: 'A', split: 'train', patterns: ['a/train.json'] },
      { config: 'B', split: 'test', patterns: ['b/t*.json'] },
    ]);
    expect((parseYaml('note: |\n  line one\n  line two\n') as { note: string }).note).toBe('line one\nline two\n');
  });

  it('a broken configs section names the README and line; a broken card without configs is ignored', () => {
    expect(() => hubConfigs('---\nconfigs:\n- config_name: A\n  data_files: [a\n---\n', '/data/README.md')).toThrow(
      /\/data\/README\.md: line \d+: the dataset card's front matter is not valid YAML/,
    );
    expect(hubConfigs('---\ntitle: [unclosed\n---\n')).toEqual([]);
  });
});
