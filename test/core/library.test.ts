import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import { DomainError } from '../../src/core/errors';
import type { ImportProgress } from '../../src/shared/domain';
import { data, readRecords, tempDir } from '../helpers';

interface Rec {
  instruction: string;
  input: string;
  output: string;
  history?: [string, string][];
}

const PUBMEDQA = data('medinst32/unseen_tests/PubMedQA-labeled.json');
const PUBMEDQA_ZS = data('medinst32/unseen_tests_zs/PubMedQA-labeled.json');
const NCBI = data('medinst32/unseen_tests/NCBI-disease.json');

let home: string;
let core: MedtaskCore;

beforeEach(() => {
  home = tempDir();
  core = new MedtaskCore({ home });
});
afterEach(() => core.close());

describe('library after importing real MedINST32 files', () => {
  it('stores benchmark → task → config/split → items with the counts of the files', async () => {
    const progress: ImportProgress[] = [];
    core.on('importProgress', (p) => progress.push(p));
    const result = await core.handlers.importPaths({ paths: [PUBMEDQA, PUBMEDQA_ZS, NCBI] });
    expect(result.splits.map((s) => [s.task, s.config, s.split, s.itemCount, s.changed])).toEqual(
      expect.arrayContaining([
        ['PubMedQA-labeled', 'few-shot', 'test', 500, true],
        ['PubMedQA-labeled', 'zero-shot', 'test', 500, true],
        ['NCBI-disease', 'few-shot', 'test', 120, true],
      ]),
    );
    expect(result.splits).toHaveLength(3);
    expect(
      progress
        .filter((p) => p.done)
        .map((p) => p.rows)
        .sort(),
    ).toEqual([120, 500, 500]);

    const benchmarks = await core.handlers.listBenchmarks({});
    expect(benchmarks).toEqual([expect.objectContaining({ name: 'medinst32', title: 'MedINST32', taskCount: 2, itemCount: 1120 })]);

    const tasks = await core.handlers.listTasks({ benchmarkId: benchmarks[0]!.id });
    const pubmed = tasks.find((t) => t.name === 'PubMedQA-labeled')!;
    expect(pubmed.itemCount).toBe(1000);
    expect(pubmed.category).toBe('QA');
    expect(pubmed.splits.map((s) => [s.config, s.split, s.itemCount])).toEqual([
      ['few-shot', 'test', 500],
      ['zero-shot', 'test', 500],
    ]);
  });

  it('returns every record exactly as the file holds it, history pairs included', async () => {
    await core.handlers.importPaths({ paths: [NCBI] });
    const [task] = await core.handlers.listTasks({});
    const records = readRecords<Rec>(NCBI);
    const page = await core.handlers.pageItems({ taskId: task!.id, limit: 1000 });
    expect(page.items).toHaveLength(records.length);
    for (const [i, summary] of page.items.entries()) {
      const item = await core.handlers.getItem({ itemId: summary.id });
      const rec = records[i]!;
      expect(item.index).toBe(i);
      expect(item.instruction).toBe(rec.instruction);
      expect(item.input).toBe(rec.input);
      expect(item.output).toBe(rec.output);
      expect(item.outputs).toEqual([rec.output]);
      expect(item.history).toEqual(rec.history);
      expect(item.history).toHaveLength(2);
    }
  });

  it('pages by keyset: consecutive pages cover all items once, in order', async () => {
    await core.handlers.importPaths({ paths: [PUBMEDQA] });
    const [task] = await core.handlers.listTasks({});
    const seen: number[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await core.handlers.pageItems({ taskId: task!.id, after, limit: 64 });
      expect(page.total).toBe(500);
      seen.push(...page.items.map((i) => i.index));
      if (page.nextCursor === null) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('selects a config: zero-shot items have no history', async () => {
    await core.handlers.importPaths({ paths: [PUBMEDQA, PUBMEDQA_ZS] });
    const [task] = await core.handlers.listTasks({});
    const zs = await core.handlers.pageItems({ taskId: task!.id, config: 'zero-shot', limit: 3 });
    expect(zs.items.every((i) => i.config === 'zero-shot')).toBe(true);
    const item = await core.handlers.getItem({ itemId: zs.items[0]!.id });
    expect(item.history).toEqual([]);
    const fs1 = await core.handlers.pageItems({ taskId: task!.id, config: 'few-shot', limit: 1 });
    expect((await core.handlers.getItem({ itemId: fs1.items[0]!.id })).history).toHaveLength(2);
  });

  it('re-importing the same file changes nothing; a changed file replaces that split', async () => {
    await core.handlers.importPaths({ paths: [PUBMEDQA] });
    const again = await core.handlers.importPaths({ paths: [PUBMEDQA] });
    expect(again.splits[0]).toMatchObject({ changed: false, itemCount: 500 });

    const dir = path.join(tempDir(), 'unseen_tests');
    fs.mkdirSync(dir);
    const copy = path.join(dir, 'PubMedQA-labeled.json');
    fs.writeFileSync(copy, fs.readFileSync(PUBMEDQA, 'utf8').split('\n').slice(0, 10).join('\n'));
    const changed = await core.handlers.importPaths({ paths: [copy] });
    expect(changed.splits[0]).toMatchObject({ changed: true, itemCount: 10 });
    const [task] = await core.handlers.listTasks({});
    expect(task!.itemCount).toBe(10);
    const source = core.db.prepare('SELECT path, size, sha256, layout, app_version FROM sources').get() as Record<string, unknown>;
    expect(source).toMatchObject({ path: copy, size: fs.statSync(copy).size, layout: 'medinst32-json' });
    expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a bad file in a batch rolls the whole import back and names file and line', async () => {
    await core.handlers.importPaths({ paths: [NCBI] });
    const dir = path.join(tempDir(), 'unseen_tests');
    fs.mkdirSync(dir);
    const broken = path.join(dir, 'PubMedQA-labeled.json');
    const lines = fs.readFileSync(PUBMEDQA, 'utf8').split('\n');
    lines[41] = lines[41]!.slice(0, 50); // truncate record 42 mid-way
    fs.writeFileSync(broken, lines.join('\n'));
    const err = await core.importPaths([PUBMEDQA_ZS, broken]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).domainKind).toBe('import_failed');
    expect((err as DomainError).message).toContain(broken);
    expect((err as DomainError).message).toMatch(/line 42/);
    const tasks = await core.handlers.listTasks({});
    expect(tasks.map((t) => [t.name, t.itemCount])).toEqual([['NCBI-disease', 120]]);
  });

  it('a missing file is a not_found error naming the path', async () => {
    const res = await dispatchCall(core.handlers, 'importPaths', { paths: ['/no/such/file.json'] });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toContain('/no/such/file.json');
  });
});

describe('boundary validation', () => {
  it('rejects unknown calls, wrong types and unknown fields with the field named', async () => {
    const unknown = await dispatchCall(core.handlers, 'dropTables', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const wrong = await dispatchCall(core.handlers, 'getItem', { itemId: '7' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/itemId/);
    const extra = await dispatchCall(core.handlers, 'listBenchmarks', { sql: 'x' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const missing = await dispatchCall(core.handlers, 'getItem', { itemId: 99999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('importing the whole shared data folder', () => {
  it('imports every layout once, keeps JSON over its parquet twin, and attaches instruction variants', async () => {
    const result = await core.handlers.importPaths({ paths: [data()] });
    const summary = result.splits.map((s) => `${s.benchmark}/${s.task} ${s.config}/${s.split}=${s.itemCount}`).sort();
    expect(summary).toEqual(
      [
        'medinst32/Hallmarks-of-Cancer few-shot/test=150',
        'medinst32/Hallmarks-of-Cancer zero-shot/test=150',
        'medinst32/NCBI-disease few-shot/test=120',
        'medinst32/NCBI-disease zero-shot/test=120',
        'medinst32/PubMedQA-labeled few-shot/test=500',
        'medinst32/PubMedQA-labeled zero-shot/test=500',
        'meds-bench/task114_meqsum_summarization default/test=300',
        'meds-bench/task123_pubmedqa_test_set default/test=500',
      ].map((s) => expect.stringMatching(new RegExp(`^${s.replace(/[/.]/g, '\\$&').replace(/ default\//, ' [a-z-]+/')}$`))),
    );
    expect(result.skipped.map((s) => s.file.endsWith('.parquet'))).toEqual([true, true]);
    expect(result.definitions).toEqual([expect.objectContaining({ taskCount: 122, variantCount: 122 + 18_996 })]);

    const variants = core.db
      .prepare("SELECT COUNT(*) AS n FROM instruction_variants v JOIN tasks t ON t.external_id = v.external_id WHERE t.name = 'task114_meqsum_summarization'")
      .get() as { n: number };
    expect(variants.n).toBeGreaterThan(1);

    const meqsum = (await core.handlers.listTasks({})).find((t) => t.name.startsWith('task114'))!;
    expect(meqsum.category).toBe('Text_summarization');
    const item = await core.handlers.getItem({ itemId: (await core.handlers.pageItems({ taskId: meqsum.id, limit: 1 })).items[0]!.id });
    expect(item.input).toMatch(/^SUBJECT: /);
    expect(item.instruction.length).toBeGreaterThan(20);
  });

  it('searches item text with facets and reports instruction matches per task', async () => {
    await core.handlers.importPaths({ paths: [PUBMEDQA, NCBI] });
    const records = readRecords<Rec>(PUBMEDQA);
    const expected = records.filter((r) => /\bmammography\b/i.test(`${r.input} ${r.output}`)).length;
    const res = await core.handlers.search({ query: 'mammography', limit: 50, offset: 0 });
    expect(expected).toBeGreaterThan(0);
    expect(res.total).toBe(expected);
    expect(res.hits[0]!.snippet).toContain('\u0002');
    expect(res.facets.task).toEqual([{ value: 'medinst32/PubMedQA-labeled', count: expected, exact: true }]);
    const filtered = await core.handlers.search({
      query: 'mammography',
      taskId: (await core.handlers.listTasks({})).find((t) => t.name === 'NCBI-disease')!.id,
      limit: 50,
      offset: 0,
    });
    expect(filtered.total).toBe(0);
    const word = records[0]!.instruction.split(/\s+/).find((w) => /^[a-z]{6,}$/i.test(w))!;
    const instr = await core.handlers.search({ query: word, limit: 5, offset: 0 });
    expect(instr.instructionMatches.some((m) => m.tasks.some((t) => t.task === 'PubMedQA-labeled' && t.itemCount === 500))).toBe(true);
    // Clinical text is never parsed as FTS syntax.
    const odd = await core.handlers.search({ query: 'p<0.05 AND "NCBI-disease" OR *', limit: 5, offset: 0 });
    expect(odd.total).toBe(0);
  });
});

describe('sharded splits', () => {
  it('import as one split; re-importing unchanged shards changes nothing; a changed shard replaces the split', async () => {
    const root = path.join(tempDir(), 'MedINST');
    const dir = path.join(root, 'Toy-QA');
    fs.mkdirSync(dir, { recursive: true });
    const rec = (i: number) => JSON.stringify({ instruction: 'Answer.', input: `question ${i}`, output: `answer ${i}` });
    fs.writeFileSync(path.join(dir, 'train-00000-of-00002.jsonl'), [0, 1, 2].map(rec).join('\n'));
    fs.writeFileSync(path.join(dir, 'train-00001-of-00002.jsonl'), [3, 4].map(rec).join('\n'));
    const first = await core.handlers.importPaths({ paths: [root] });
    expect(first.splits).toEqual([expect.objectContaining({ task: 'Toy-QA', split: 'train', itemCount: 5, changed: true })]);
    const again = await core.handlers.importPaths({ paths: [root] });
    expect(again.splits[0]).toMatchObject({ itemCount: 5, changed: false });
    fs.writeFileSync(path.join(dir, 'train-00001-of-00002.jsonl'), [3, 4, 5].map(rec).join('\n'));
    const changed = await core.handlers.importPaths({ paths: [root] });
    expect(changed.splits[0]).toMatchObject({ itemCount: 6, changed: true });
    const [task] = await core.handlers.listTasks({});
    const page = await core.handlers.pageItems({ taskId: task!.id, limit: 10 });
    expect(page.items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5]);
    // Provenance names every shard with its own size and sha256.
    const detail = await core.handlers.getTask({ taskId: task!.id, variantLimit: 50 });
    const shards = ['train-00000-of-00002.jsonl', 'train-00001-of-00002.jsonl'].map((f) => path.join(dir, f));
    expect(detail.sources[0]!.files).toEqual(
      shards.map((f) => ({ path: f, size: fs.statSync(f).size, sha256: crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') })),
    );
  });
});

describe('database files', () => {
  it('creates new files with 16 KiB pages and opens an existing 4 KiB library as it is', async () => {
    const Database = (await import('better-sqlite3')).default;
    const fresh = tempDir();
    const a = new MedtaskCore({ home: fresh });
    await a.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json')]);
    expect(a.db.pragma('page_size', { simple: true })).toBe(16384);
    expect(a.db.pragma('search.page_size', { simple: true })).toBe(16384);
    a.close();

    // A library made before the change: the page size is fixed at creation and must stay readable.
    const old = tempDir();
    const pre = new Database(path.join(old, 'library.sqlite'));
    pre.pragma('page_size = 4096');
    pre.pragma('journal_mode = WAL');
    pre.close();
    const b = new MedtaskCore({ home: old });
    await b.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json')]);
    expect(b.db.pragma('page_size', { simple: true })).toBe(4096);
    expect((await b.handlers.search({ query: 'mammography', limit: 5, offset: 0 })).total).toBeGreaterThan(0);
    b.close();
  });
});
