/**
 * compareRuns / compareStats / getCompareItem / leaderboard on a real library and real run
 * store: runs over different selections align on their common items, per-item values and
 * task values match the benchmark's own scoring, and the paired statistics are the ones the
 * stats module gives for the hand-known right/wrong pattern.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../src/shared/dispatch';
import { filterFromWord, filterRows, rowDelta, sortRows, defaultFilter } from '../../src/shared/compare';
import type { MedtaskCore } from '../../src/core/service';
import { mcnemarExact } from '../../src/core/stats';
import { labelMacroF1 } from '../../src/core/metrics/labelMacroF1';
import { call, compareLibrary, writePredictionsFile, writeRun } from './fixtures';

let core: MedtaskCore;
let home: string;
let a: number;
let b: number;
let imported: number;
const aRight = (_t: string, i: number) => i % 2 === 0;
const bRight = (_t: string, i: number) => i % 3 !== 0;
/** MedS-Bench's reference MCQA scorer only reads y/n for PubMedQA, so a "maybe" item is never right. */
let maybe: boolean[] = [];
const mcq = (right: (t: string, i: number) => boolean) => (i: number) => right('', i) && !maybe[i];

beforeAll(async () => {
  const lib = await compareLibrary();
  core = lib.core;
  home = lib.home;
  a = writeRun(core.db, 'A', [lib.pubmedqa, lib.task123], 30, aRight);
  b = writeRun(core.db, 'B', [lib.pubmedqa, lib.task123], 25, bRight);
  const golds = (core.db.prepare("SELECT gold_json FROM run_items WHERE run_id = ? AND task = 'PubMedQA-labeled' ORDER BY ord").pluck().all(a) as string[]).map(
    (g) => (JSON.parse(g) as string[])[0]!,
  );
  const file = writePredictionsFile(home, golds.slice(0, 20), (i) => i < 10);
  imported = (await core.handlers.importPredictions({ file, name: 'published' })).id;
  maybe = (core.db.prepare("SELECT gold_json FROM run_items WHERE run_id = ? AND task LIKE 'task123%' ORDER BY ord").pluck().all(a) as string[]).map((g) =>
    g.includes('maybe'),
  );
});

afterAll(() => core?.close());

describe('compareRuns', () => {
  it('aligns runs by item identity, groups by task and counts what each run lacks', async () => {
    const r = await core.handlers.compareRuns({ runIds: [a, b] });
    expect(r.groups.map((g) => [g.key, g.common, g.missing])).toEqual([
      ['medinst32/PubMedQA-labeled', 25, [0, 5]],
      ['meds-bench/task123_pubmedqa_test_set', 25, [0, 5]],
    ]);
    expect(r.runs.map((x) => [x.items, x.missing])).toEqual([
      [60, 0],
      [50, 10],
    ]);
    expect(r.rows).toHaveLength(50);
    const row = r.rows.find((x) => x.key === 'medinst32/PubMedQA-labeled#3')!;
    // Item 3: A wrong (odd), B wrong (divisible by 3); per-item label macro-F1 of a wrong label is 0.
    expect(row.values.map((v) => v[2])).toEqual([0, 0]);
    expect(row.answers).toHaveLength(2);
    expect(row.inputLength).toBeGreaterThan(row.input.length - 1);
  });

  it('an imported predictions file joins on the same items; the gold comes from the run store', async () => {
    const r = await core.handlers.compareRuns({ runIds: [a, imported], task: 'medinst32/PubMedQA-labeled' });
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.common).toBe(20);
    expect(r.groups[0]!.missing).toEqual([0, 10]);
    const right = r.rows.map((row) => row.values[1]![2]);
    expect(right.slice(0, 10).every((v) => v === 1)).toBe(true);
    expect(right.slice(10).every((v) => v === 0)).toBe(true);
  });

  it('with the imported run first, the input and item facts still come from a run that kept them', async () => {
    const r = await core.handlers.compareRuns({ runIds: [imported, a] });
    expect(r.rows[0]!.input).toMatch(/^Question: /);
    const hit = await core.handlers.compareRuns({ runIds: [imported, a], search: r.rows[0]!.input.split(/\s+/)[2]! });
    expect(hit.rows.length).toBeGreaterThan(0);
    const d = await core.handlers.getCompareItem({ runIds: [imported, a], key: r.rows[0]!.key });
    expect(d.input).toHaveLength(r.rows[0]!.inputLength);
    expect(d.input.startsWith(r.rows[0]!.input)).toBe(true);
    expect(d.instruction).toMatch(/Respond with yes, no, or maybe/);
  });

  it('filters and counts: differ/agree, A right B wrong, all wrong — by hand', async () => {
    const r = await core.handlers.compareRuns({ runIds: [a, b], task: 'meds-bench/task123_pubmedqa_test_set' });
    const idx = Array.from({ length: 25 }, (_, i) => i);
    const [ra, rb] = [mcq(aRight), mcq(bRight)];
    const expectAB = idx.filter((i) => ra(i) && !rb(i)).length;
    const expectBA = idx.filter((i) => !ra(i) && rb(i)).length;
    const allWrong = idx.filter((i) => !ra(i) && !rb(i)).length;
    expect(maybe.slice(0, 25).some(Boolean)).toBe(true);
    const f = defaultFilter(2, 0);
    expect([f.a, f.b]).toEqual([1, 0]);
    const { counts } = filterRows(r, { ...f, a: 0, b: 1 });
    expect(counts.outcome['a-right-b-wrong']).toBe(expectAB);
    expect(counts.outcome['b-right-a-wrong']).toBe(expectBA);
    expect(counts.outcome['all-wrong']).toBe(allWrong);
    // Outputs differ wherever one run answered the gold and the other did not ("maybe" items included).
    const differs = idx.filter((i) => aRight('', i) !== bRight('', i)).length;
    expect(counts.agreement.differ).toBe(differs);
    expect(counts.agreement.agree + counts.agreement.differ).toBe(25);
    const differ = filterRows(r, filterFromWord('differ', 2));
    expect(differ.indexes).toHaveLength(differs);
    expect(() => filterFromWord('sideways', 2)).toThrow(/unknown filter "sideways"/);
  });

  it('sorts by delta to the baseline, best first, stable', async () => {
    const r = await core.handlers.compareRuns({ runIds: [a, b], task: 'meds-bench/task123_pubmedqa_test_set' });
    const order = sortRows(
      r,
      r.rows.map((_, i) => i),
      { by: 'delta', run: 1, desc: true },
    );
    const deltas = order.map((i) => rowDelta(r, r.rows[i]!, 1, 0)!);
    expect(deltas[0]).toBe(100);
    expect(deltas.at(-1)).toBe(-100);
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!).toBeLessThanOrEqual(deltas[i - 1]!);
  });

  it('full-text search covers inputs and outputs; every word must occur', async () => {
    const all = await core.handlers.compareRuns({ runIds: [a, b] });
    const word = all.rows[0]!.input.split(/\s+/)[3]!;
    const hit = await core.handlers.compareRuns({ runIds: [a, b], search: word });
    expect(hit.rows.length).toBeGreaterThan(0);
    expect(hit.rows.length).toBeLessThanOrEqual(all.rows.length);
    expect(hit.search).toBe(word);
    const none = await core.handlers.compareRuns({ runIds: [a, b], search: `${word} zzzqqqxxx` });
    expect(none.rows).toHaveLength(0);
  });

  it('refuses bad selections with the field named (through the contract)', async () => {
    expect(await dispatchCall(core.handlers, 'compareRuns', { runIds: [a] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatchCall(core.handlers, 'compareRuns', { runIds: [a, 999] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatchCall(core.handlers, 'compareRuns', { runIds: [a, a] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: { field: 'runIds' } },
    });
    expect(await dispatchCall(core.handlers, 'compareRuns', { runIds: [a, b], baselineRunId: imported })).toMatchObject({
      ok: false,
      error: { details: { field: 'baselineRunId' } },
    });
    expect(await dispatchCall(core.handlers, 'compareRuns', { runIds: [a, b], task: 'nope/nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('compareStats', () => {
  it('task values equal the benchmark scoring of the common items; CIs bracket them', async () => {
    const s = await call(core, 'compareStats', { runIds: [a, b] });
    expect([s.resamples, s.seed, s.level]).toEqual([1000, 20261207, 0.95]);
    const idx = Array.from({ length: 25 }, (_, i) => i);
    const task = s.groups[1]!;
    expect(task.perRun[0]![0]!.estimate).toBeCloseTo((100 * idx.filter(mcq(aRight)).length) / 25, 10);
    expect(task.perRun[1]![0]!.estimate).toBeCloseTo((100 * idx.filter(mcq(bRight)).length) / 25, 10);
    for (const r of task.perRun) {
      expect(r[0]!.low).toBeLessThanOrEqual(r[0]!.estimate);
      expect(r[0]!.high).toBeGreaterThanOrEqual(r[0]!.estimate);
    }
    // Corpus metric: label macro-F1 recomputed over the common items, not averaged per item.
    const golds = (
      core.db.prepare("SELECT gold_json FROM run_items WHERE run_id = ? AND task = 'PubMedQA-labeled' ORDER BY ord LIMIT 25").pluck().all(a) as string[]
    ).map((g) => (JSON.parse(g) as string[])[0]!);
    const preds = core.db
      .prepare("SELECT raw_output FROM run_items WHERE run_id = ? AND task = 'PubMedQA-labeled' ORDER BY ord LIMIT 25")
      .pluck()
      .all(a) as string[];
    expect(s.groups[0]!.perRun[0]![2]!.estimate).toBeCloseTo(labelMacroF1(preds, golds), 12);
  });

  it('MCQA pairs use McNemar with the hand-counted discordant items', async () => {
    const s = await call(core, 'compareStats', { runIds: [a, b] });
    const pair = s.groups[1]!.pairs[0]!;
    const idx = Array.from({ length: 25 }, (_, i) => i);
    const [ra, rb] = [mcq(aRight), mcq(bRight)];
    const bb = idx.filter((i) => rb(i) && !ra(i)).length;
    const cc = idx.filter((i) => ra(i) && !rb(i)).length;
    expect(pair.test).toBe('mcnemar-mid-p');
    expect([pair.b, pair.c]).toEqual([bb, cc]);
    expect(pair.p).toBeCloseTo(mcnemarExact(bb, cc).pMid, 14);
    const diff = (100 * (idx.filter(rb).length - idx.filter(ra).length)) / 25;
    expect(pair.diff.estimate).toBeCloseTo(diff, 10);
    expect(pair.sentence).toContain(`B vs A on task123_pubmedqa_test_set, MCQA accuracy: +${diff.toFixed(1)} (95% CI `);
    expect(pair.sentence).toMatch(/over 25 items; McNemar mid-p \(b = \d+, c = \d+\), p = 0\.\d+/);
    expect(pair.sentence).toMatch(/not distinguishable from noise at this sample size/);
    expect(pair.distinguishable).toBe(false);
  });

  it('a clear difference is called distinguishable; three runs get Holm-adjusted p-values', async () => {
    const lib = { db: core.db };
    const perfect = writeRun(lib.db, 'perfect', [core.db.prepare("SELECT id FROM tasks WHERE name LIKE 'task123%'").pluck().get() as number], 30, () => true);
    const awful = writeRun(lib.db, 'awful', [core.db.prepare("SELECT id FROM tasks WHERE name LIKE 'task123%'").pluck().get() as number], 30, () => false);
    const s = await call(core, 'compareStats', { runIds: [awful, perfect, a] });
    const pairs = s.groups[0]!.pairs;
    expect(pairs.map((p) => p.run)).toEqual([1, 2]);
    expect(pairs[0]!.distinguishable).toBe(true);
    expect(pairs[0]!.sentence).toMatch(/The difference is distinguishable from noise/);
    for (const p of pairs) expect(p.pAdjusted).toBeGreaterThanOrEqual(p.p);
    // Every item but the "maybe" ones (never right under the reference scorer) differs by 100.
    const right = (100 * maybe.slice(0, 30).filter((m) => !m).length) / 30;
    expect(pairs[0]!.diff.estimate).toBeCloseTo(right, 10);
    expect(pairs[0]!.diff.high).toBeLessThanOrEqual(100);
  });

  it('the same seed reproduces every number; another seed moves the intervals', async () => {
    const x = await call(core, 'compareStats', { runIds: [a, b], seed: 7 });
    const y = await call(core, 'compareStats', { runIds: [a, b], seed: 7 });
    const z = await call(core, 'compareStats', { runIds: [a, b], seed: 8 });
    expect(x).toEqual(y);
    expect(JSON.stringify(x)).not.toBe(JSON.stringify(z));
  });
});

describe('getCompareItem', () => {
  it('returns the whole item and per run the prompt, raw output, figures and metrics', async () => {
    const d = await core.handlers.getCompareItem({ runIds: [a, b, imported], key: 'medinst32/PubMedQA-labeled#0' });
    expect(d.instruction).toMatch(/Respond with yes, no, or maybe/);
    expect(d.gold).toHaveLength(1);
    expect(d.runs.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(d.runs[0]!.renderedPrompt).toMatch(/^<user>/);
    expect(d.runs[0]!.latencyMs).toBe(12.5);
    expect(d.runs[0]!.metrics.labelMacroF1).toBe(1);
    expect(d.runs[1]!.metrics.labelMacroF1).toBe(0);
    const missing = await core.handlers.getCompareItem({ runIds: [a, imported], key: 'medinst32/PubMedQA-labeled#25' });
    expect(missing.runs[1]!.status).toBe('missing');
    expect(await dispatchCall(core.handlers, 'getCompareItem', { runIds: [a], key: 'garbage' })).toMatchObject({
      ok: false,
      error: { details: { field: 'key' } },
    });
  });
});

describe('leaderboard', () => {
  it('runs × tasks with the primary metric and CI; full-run cells equal the run scores', async () => {
    const lb = await call(core, 'leaderboard', {});
    expect(lb.columns.map((c) => [c.key, c.metric])).toEqual(
      expect.arrayContaining([
        ['medinst32/PubMedQA-labeled', 'labelMacroF1'],
        ['meds-bench/task123_pubmedqa_test_set', 'mcqAccuracy'],
      ]),
    );
    const runs = await core.handlers.listRuns({});
    for (const e of lb.entries) {
      const run = runs.find((r) => r.id === e.runId)!;
      for (const col of lb.columns) {
        const cell = e.cells[col.key];
        const stored = run.scores.find((t) => `${t.benchmark}/${t.task}` === col.key)?.metrics[col.metric];
        if (!cell || stored === undefined) continue;
        expect(cell.estimate).toBeCloseTo(stored, 10);
        expect(cell.low).toBeLessThanOrEqual(cell.estimate + 1e-12);
      }
    }
    expect(lb.entries.find((e) => e.runId === imported)!.config).toMatch(/imported/);
    const meds = await call(core, 'leaderboard', { benchmark: 'meds-bench' });
    expect(meds.columns.every((c) => c.benchmark === 'meds-bench')).toBe(true);
    expect(meds.entries.find((e) => e.runId === a)!.categories.MCQA).toEqual({ mean: 50, tasks: 1 });
    void path;
  });
});
