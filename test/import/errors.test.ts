import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { planImport } from '../../src/core/import/plan';
import { previewImport } from '../../src/core/import/preview';
import { ImportError } from '../../src/core/import/types';
import { copyTo, data, put, readError, tempDir } from './helpers';

let dir: string;
let jsonl: string; // PubMedQA-labeled few-shot, JSON Lines
let arr: string; // NCBI-disease few-shot, pretty-printed array
let task: string; // MeQSum MedS-Bench task file

beforeAll(async () => {
  dir = await tempDir();
  jsonl = await readFile(data('medinst32/unseen_tests/PubMedQA-labeled.json'), 'utf8');
  arr = await readFile(data('medinst32/unseen_tests/NCBI-disease.json'), 'utf8');
  task = await readFile(data('meds-bench/Text_summarization/task114_meqsum_summarization.json'), 'utf8');
});

/** Writes `content` as unseen_tests/<name>.json in a fresh folder and returns the read error. */
async function medinstError(name: string, content: string | Uint8Array): Promise<ImportError> {
  const file = await put(dir, `${name}/unseen_tests/${name}.json`, content);
  let err: unknown;
  try {
    const [p] = await planImport([file]);
    err = await readError(p!);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ImportError);
  const ie = err as ImportError;
  expect(ie.file).toBe(file);
  expect(ie.message).toContain(file);
  return ie;
}

const lines = () => jsonl.split('\n');

describe('JSON Lines faults', () => {
  it('a broken line in the middle names the line and record', async () => {
    const ls = lines();
    expect(ls[41]).toContain('"output": ');
    ls[41] = ls[41]!.replace('"output": ', '"output" '); // line 42: missing colon
    const e = await medinstError('broken-line', ls.join('\n'));
    expect(e.location).toMatchObject({ line: 42, record: 41 });
    expect(e.message).toMatch(/record 41, line 42: malformed JSON/);
  });

  it('a truncated file (cut mid-line) says truncated', async () => {
    const cut = jsonl.slice(0, Math.floor(jsonl.length / 2));
    const lineNo = cut.split('\n').length;
    const e = await medinstError('truncated-jsonl', cut);
    expect(e.message).toMatch(/truncated/);
    expect(e.location.line).toBe(lineNo);
  });

  it('output that is a number names the field', async () => {
    const ls = lines();
    const rec = JSON.parse(ls[9]!);
    rec.output = 1;
    ls[9] = JSON.stringify(rec);
    const e = await medinstError('output-number', ls.join('\n'));
    expect(e.location).toMatchObject({ line: 10, record: 9, field: 'output' });
    expect(e.message).toMatch(/line 10, field "output": must be a string, got number/);
  });

  it('a missing field is named', async () => {
    const ls = lines();
    const rec = JSON.parse(ls[3]!);
    delete rec.input;
    ls[3] = JSON.stringify(rec);
    const e = await medinstError('missing-input', ls.join('\n'));
    expect(e.location).toMatchObject({ line: 4, field: 'input' });
    expect(e.message).toMatch(/field "input": is missing/);
  });

  it('a history pair that is not 2 strings is named', async () => {
    const ls = lines();
    const rec = JSON.parse(ls[5]!);
    rec.history[1] = ['only one'];
    ls[5] = JSON.stringify(rec);
    let e = await medinstError('history-pair', ls.join('\n'));
    expect(e.location).toMatchObject({ line: 6, field: 'history[1]' });
    expect(e.message).toMatch(/pair of 2 strings, got a list of 1/);

    rec.history[1] = ['user', 42];
    ls[5] = JSON.stringify(rec);
    e = await medinstError('history-type', ls.join('\n'));
    expect(e.location).toMatchObject({ line: 6, field: 'history[1][1]' });
    expect(e.message).toMatch(/got number/);
  });

  it('a record that is not an object is rejected', async () => {
    const ls = lines();
    ls[2] = '["a", "b"]';
    const e = await medinstError('not-object', ls.join('\n'));
    expect(e.message).toMatch(/line 3: expected a JSON object for the record, got array/);
  });

  it('invalid UTF-8 names the line', async () => {
    const buf = Buffer.from(jsonl, 'utf8');
    const ls = jsonl.split('\n');
    const offset = Buffer.byteLength(ls.slice(0, 7).join('\n') + '\n', 'utf8') + 50; // inside line 8
    const bad = Buffer.concat([buf.subarray(0, offset), Buffer.from([0xff, 0xfe]), buf.subarray(offset)]);
    const e = await medinstError('bad-utf8', bad);
    expect(e.location.line).toBe(8);
    expect(e.message).toMatch(/invalid UTF-8 \(byte 0xff\)/);
  });

  it('empty and whitespace-only files', async () => {
    expect((await medinstError('empty', '')).message).toMatch(/the file is empty/);
    expect((await medinstError('blank', '\n  \n')).message).toMatch(/the file is empty/);
  });

  it('a UTF-8 BOM is accepted', async () => {
    const file = await put(dir, 'bom/unseen_tests/PubMedQA-labeled.json', '\uFEFF' + jsonl);
    const [p] = await planImport([file]);
    let n = 0;
    if (p?.kind !== 'records') throw new Error('records plan expected');
    for await (const _ of p.read()) {
      void _;
      n++;
    }
    expect(n).toBe(500);
  });
});

describe('JSON array faults', () => {
  it('a truncated array names the incomplete record', async () => {
    const cut = arr.slice(0, Math.floor(arr.length * 0.6));
    const e = await medinstError('truncated-array', cut);
    expect(e.message).toMatch(/unexpected end of file \(truncated\?\): this record is incomplete/);
    expect(e.location.record).toBeGreaterThan(50);
    expect(e.location.line).toBeGreaterThan(1);
  });

  it('a missing closing bracket is reported as truncation', async () => {
    const e = await medinstError('no-close', arr.trimEnd().slice(0, -1));
    expect(e.message).toMatch(/truncated/);
  });

  it('a syntax error inside a record names record and line', async () => {
    const parsed = JSON.parse(arr);
    const pretty = JSON.stringify(parsed, null, 2).split('\n');
    // find the line of record 3's "output" and break it (drop the comma after it)
    let rec = -1;
    let target = -1;
    for (let i = 0; i < pretty.length; i++) {
      if (pretty[i] === '  {') rec++;
      if (rec === 3 && pretty[i]!.startsWith('    "output"')) {
        target = i;
        break;
      }
    }
    pretty[target] = pretty[target]!.replace(/,$/, '');
    const e = await medinstError('syntax-array', pretty.join('\n'));
    expect(e.location.record).toBe(3);
    expect(e.location.line).toBe(target + 2); // the error is on the next line (missing comma)
    expect(e.message).toMatch(/record 3, line \d+: malformed JSON/);
  });

  it('garbage between records names the previous record', async () => {
    const parsed = JSON.parse(arr);
    const text =
      '[\n' +
      parsed
        .slice(0, 3)
        .map((r: unknown) => JSON.stringify(r))
        .join(',\n') +
      '\n' +
      JSON.stringify(parsed[3]) +
      '\n]';
    const e = await medinstError('missing-comma', text);
    expect(e.message).toMatch(/line 5: malformed JSON after record 2: expected ',' or '\]'/);
  });

  it('wrong types in an array record', async () => {
    const parsed = JSON.parse(arr);
    parsed[7].output = ['a'];
    const e = await medinstError('array-output-list', JSON.stringify(parsed, null, 2));
    expect(e.location).toMatchObject({ record: 7, field: 'output' });
    expect(e.message).toMatch(/record 7, line \d+, field "output": must be a string, got array/);
  });

  it('invalid UTF-8 inside an array record', async () => {
    const buf = Buffer.from(arr, 'utf8');
    const at = buf.indexOf('ataxia');
    const bad = Buffer.concat([buf.subarray(0, at), Buffer.from([0xc3, 0x28]), buf.subarray(at)]);
    const e = await medinstError('array-bad-utf8', bad);
    expect(e.location.record).toBe(0);
    expect(e.location.line).toBe(arr.slice(0, arr.indexOf('ataxia')).split('\n').length);
    expect(e.message).toMatch(/invalid UTF-8/);
  });
});

describe('other layouts', () => {
  it('unknown layout lists what was looked for', async () => {
    const file = await put(dir, 'misc/whatever.json', '[]');
    const err = await planImport([file]).catch((e: unknown) => e as ImportError);
    expect(err).toBeInstanceOf(ImportError);
    const msg = (err as ImportError).message;
    expect(msg).toContain(file);
    expect(msg).toMatch(/unknown layout/);
    for (const l of [
      'medinst32-json',
      'medinst32-parquet',
      'medinst-parquet',
      'medinst-json',
      'meds-bench-task',
      'meds-ins-task',
      'meds-ins-definitions',
      'generic',
    ]) {
      expect(msg).toContain(l);
    }
  });

  it('a missing file', async () => {
    await expect(planImport([`${dir}/nope/unseen_tests/X.json`])).rejects.toThrow(/no such file or folder/);
  });

  it('a truncated parquet file', async () => {
    const buf = await readFile(data('medinst32-parquet/PubMedQA-labeled/test/0000.parquet'));
    const file = await put(dir, 'pq/MedINST32/PubMedQA-labeled/test/0000.parquet', buf.subarray(0, buf.length - 5000));
    await expect(planImport([file])).rejects.toThrow(/not a readable parquet file/);
    const empty = await put(dir, 'pq2/MedINST32/PubMedQA-labeled/test/0000.parquet', '');
    await expect(planImport([empty])).rejects.toThrow(/the file is empty/);
  });

  it('MedS-Bench: a numeric instance output names instance and field', async () => {
    const obj = JSON.parse(task);
    obj.Instances[12].output = 3;
    const file = await put(dir, 'mb/MCQA/task999_broken.json', JSON.stringify(obj, null, 4));
    const [p] = await planImport([file]);
    const e = (await readError(p!)) as ImportError;
    expect(e).toBeInstanceOf(ImportError);
    expect(e.location).toMatchObject({ record: 12, field: 'output' });
    expect(e.message).toMatch(/record 12, line \d+, field "output": must be a string or a list of strings, got number/);
  });

  it('MedS-Bench: missing Instances, and truncation', async () => {
    const obj = JSON.parse(task);
    delete obj.Instances;
    const f1 = await put(dir, 'mb/MCQA/task998_noinst.json', JSON.stringify(obj, null, 4));
    await expect(planImport([f1])).rejects.toThrow(/field "Instances": is missing/);
    const f2 = await put(dir, 'mb/MCQA/task997_cut.json', task.slice(0, task.length - 3000));
    await expect(planImport([f2])).rejects.toThrow(/truncated/);
    const f3 = await put(dir, 'mb/MCQA/task996_empty.json', '');
    await expect(planImport([f3])).rejects.toThrow(/the file is empty/);
  });
});

/** The ImportError a promise rejects with (fails when it resolves or throws something else). */
async function rejection(p: Promise<unknown>): Promise<ImportError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

describe('MedS-Bench / MedS-Ins task definition', () => {
  it('a task file without "Definition" is rejected instead of imported with an empty instruction', async () => {
    const obj = JSON.parse(task);
    delete obj.Definition;
    const text = JSON.stringify(obj, null, 4);
    for (const rel of ['nodef/MedS-Bench/Text_summarization/task995_nodef.json', 'nodef/MedS-Ins/task995_nodef.json']) {
      const file = await put(dir, rel, text);
      const e = await rejection(planImport([file]));
      expect(e.file).toBe(file);
      expect(e.location.field).toBe('Definition');
      expect(e.message).toContain(file);
      expect(e.message).toMatch(/field "Definition": is missing/);
      // the dry run plans the same way
      await expect(previewImport([file])).rejects.toThrow(/field "Definition": is missing/);
    }
  });

  it('a "Definition" of the wrong type, or empty, is named', async () => {
    const obj = JSON.parse(task);
    const cases: [unknown, RegExp][] = [
      [42, /line \d+, field "Definition": must be a string or a list of strings, got number/],
      [null, /line \d+, field "Definition": must be a string or a list of strings, got null/],
      [{ en: 'x' }, /line \d+, field "Definition": must be a string or a list of strings, got object/],
      [[], /line \d+, field "Definition": is empty/],
      ['  ', /line \d+, field "Definition": is empty/],
      [[7], /field "Definition\[0\]": must be a string, got number/],
    ];
    for (const [k, [value, re]] of cases.entries()) {
      obj.Definition = value;
      const file = await put(dir, `baddef/MedS-Bench/Text_summarization/task99${k}_baddef.json`, JSON.stringify(obj, null, 4));
      const e = await rejection(planImport([file]));
      expect(e.file).toBe(file);
      expect(e.location.field).toMatch(/^Definition/);
      expect(e.message).toMatch(re);
    }
  });
});

describe('incomplete shards', () => {
  const PQ_ZS = data('medinst32-parquet/PubMedQA-labeled-zs/test/0000.parquet');

  it('a split with only some of its -0000N-of-0000M shards names the folder and the missing numbers', async () => {
    const root = `${dir}/shards-of/MedINST`;
    const split = `${root}/PubMedQA-labeled/train`;
    await copyTo(split, 'train-00000-of-00003.parquet', PQ_ZS);
    await copyTo(split, 'train-00002-of-00003.parquet', PQ_ZS);
    await copyTo(root, 'PubMedQA-labeled/test/0000.parquet', PQ_ZS);
    const e = await rejection(planImport([root]));
    expect(e.file).toBe(split);
    expect(e.message).toContain(split);
    expect(e.message).toMatch(/missing shard 00001 of 00003 \(train-00001-of-00003\.parquet\)/);
    // the dry run (import --dry-run, the folder dialog) plans the same way
    await expect(previewImport([root])).rejects.toThrow(/missing shard 00001 of 00003/);
    // one shard given on its own is not the whole split either
    const one = await rejection(planImport([`${split}/train-00000-of-00003.parquet`]));
    expect(one.message).toMatch(/missing shards 00001, 00002 of 00003/);
  });

  it('the flat <Config>/<split>-0000N-of-0000M layout and shard counts that disagree', async () => {
    const cfg = `${dir}/shards-flat/MedINST/PubMedQA-labeled`;
    await copyTo(cfg, 'dev-00001-of-00002.parquet', PQ_ZS);
    const e = await rejection(planImport([cfg]));
    expect(e.file).toBe(cfg);
    expect(e.message).toMatch(/missing shard 00000 of 00002 \(dev-00000-of-00002\.parquet\)/);

    const mixed = `${dir}/shards-mixed/MedINST/PubMedQA-labeled/train`;
    await copyTo(mixed, 'train-00000-of-00002.parquet', PQ_ZS);
    await copyTo(mixed, 'train-00001-of-00003.parquet', PQ_ZS);
    const m = await rejection(planImport([mixed]));
    expect(m.file).toBe(mixed);
    expect(m.message).toMatch(/disagree on the number of shards \(00002, 00003\)/);
  });

  it("a gap in the Hub parquet branch's 0000.parquet, 0001.parquet, … numbering", async () => {
    const split = `${dir}/shards-hub/MedINST/PubMedQA-labeled/train`;
    await copyTo(split, '0000.parquet', PQ_ZS);
    await copyTo(split, '0002.parquet', PQ_ZS);
    const e = await rejection(planImport([split]));
    expect(e.file).toBe(split);
    expect(e.message).toMatch(/missing shard 0001 \(0001\.parquet\)/);
    const late = `${dir}/shards-hub2/MedINST/PubMedQA-labeled/train`;
    await copyTo(late, '0001.parquet', PQ_ZS);
    expect((await rejection(planImport([late]))).message).toMatch(/missing shard 0000 \(0000\.parquet\)/);
  });
});
