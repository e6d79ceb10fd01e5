/**
 * The compare core's memory of runs (src/core/compare/runCache.ts) on a real library and run
 * store: it stays under its item budget (least recently used runs go first) without changing any
 * answer, a resumed run, a deleted-and-recreated run and a rescore are read anew, and a limited
 * compare returns the first rows of the full one with the full count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedtaskCore } from '../../src/core/service';
import { compareCacheInfo, DEFAULT_MAX_CACHED_ITEMS, invalidateCompareRun, setCompareCacheLimit } from '../../src/core/compare/runCache';
import { extractAnswer } from '../../src/core/runs/scoring';
import { createRunRow, recordItem, selectItems, setRunStatus } from '../../src/core/runs/store';
import { call, compareLibrary, writeRun } from './fixtures';

let core: MedtaskCore;
let pubmedqa: number;
let task123: number;
const runs: number[] = [];

beforeAll(async () => {
  const lib = await compareLibrary();
  core = lib.core;
  pubmedqa = lib.pubmedqa;
  task123 = lib.task123;
  // Four runs of 20 PubMedQA items each.
  for (let r = 0; r < 4; r++) runs.push(writeRun(core.db, `R${r}`, [pubmedqa], 20, (_t, i) => (i + r) % 2 === 0));
});

afterAll(() => core?.close());

describe('compare cache', () => {
  it('keeps at most its item budget, evicting the least recently compared runs, with the same answers', async () => {
    const before = await call(core, 'compareRuns', { runIds: [runs[0]!, runs[1]!] });
    // Items one compared run holds (its facts, answers and per-item values: 3 × 20).
    const perRun = compareCacheInfo(core.db).items / 2;
    expect(perRun).toBe(60);
    setCompareCacheLimit(core.db, 2 * perRun);
    try {
      await call(core, 'compareRuns', { runIds: [runs[2]!, runs[3]!] });
      let info = compareCacheInfo(core.db);
      expect(info.items).toBeLessThanOrEqual(2 * perRun);
      expect(info.runs).toEqual([runs[2], runs[3]]);
      // Evicted runs are read again from the database and give the same rows.
      const again = await call(core, 'compareRuns', { runIds: [runs[0]!, runs[1]!] });
      expect(again.rows).toEqual(before.rows);
      info = compareCacheInfo(core.db);
      expect(info.runs).toEqual([runs[0], runs[1]]);
      expect(info.items).toBe(2 * perRun);
    } finally {
      setCompareCacheLimit(core.db, DEFAULT_MAX_CACHED_ITEMS);
    }
  });

  it('reads a resumed run anew: items finished after a compare appear in the next one', async () => {
    const { items } = selectItems(core.db, { taskIds: [pubmedqa], limit: 20 });
    const runId = createRunRow(
      core.db,
      { name: 'resumed', kind: 'local', status: 'running', spec: null, modelLabel: 'resumed', templateHash: null, metricMode: 'reference' },
      items,
    );
    const answer = (ord: number) => {
      const out = items[ord]!.gold[0]!;
      recordItem(core.db, runId, ord, {
        promptJson: 'null',
        renderedPrompt: null,
        rawOutput: out,
        extracted: extractAnswer(items[ord]!.benchmark, items[ord]!.task, out),
        promptTokens: 1,
        outputTokens: 1,
        latencyMs: 1,
        ttftMs: 1,
        error: null,
      });
    };
    for (let ord = 0; ord < 5; ord++) answer(ord);
    expect((await call(core, 'compareRuns', { runIds: [runs[0]!, runId] })).rows).toHaveLength(5);
    for (let ord = 5; ord < 12; ord++) answer(ord);
    const later = await call(core, 'compareRuns', { runIds: [runs[0]!, runId] });
    expect(later.rows).toHaveLength(12);
    // Every answer of the resumed run is the gold, so its per-item label F1 is 1 on all 12 (scored anew, not the cached 5).
    expect(later.rows.map((row) => row.values[1]![2])).toEqual(Array(12).fill(1));
    setRunStatus(core.db, runId, 'done');
  });

  it('reads a run anew when it was deleted and another run took its id', async () => {
    const victim = writeRun(core.db, 'victim', [pubmedqa], 20, () => true);
    const first = await call(core, 'compareRuns', { runIds: [runs[0]!, victim] });
    expect(first.rows.every((row) => row.values[1]![2] === 1)).toBe(true);
    core.db.prepare('DELETE FROM runs WHERE id = ?').run(victim);
    // created_at has millisecond resolution: make sure the new run's differs.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reborn = writeRun(core.db, 'reborn', [pubmedqa], 20, () => false);
    expect(reborn).toBe(victim); // SQLite hands the freed largest id out again
    const second = await call(core, 'compareRuns', { runIds: [runs[0]!, reborn] });
    expect(second.runs[1]!.name).toBe('reborn');
    expect(second.rows.every((row) => row.values[1]![2] === 0)).toBe(true);
  });

  it('a rescore drops the run from the cache and scores its items again', async () => {
    await call(core, 'compareRuns', { runIds: [runs[0]!, runs[1]!] });
    expect(compareCacheInfo(core.db).runs).toContain(runs[1]);
    const stored = () => core.db.prepare("SELECT COUNT(*) FROM run_item_scores WHERE run_id = ? AND mode = 'reference'").pluck().get(runs[1]) as number;
    expect(stored()).toBe(20);
    await call(core, 'rescoreRun', { runId: runs[1]!, mode: 'reference' });
    expect(compareCacheInfo(core.db).runs).not.toContain(runs[1]);
    expect(stored()).toBe(0);
    const after = await call(core, 'compareRuns', { runIds: [runs[0]!, runs[1]!] });
    expect(stored()).toBe(20);
    expect(after.rows).toHaveLength(20);
  });

  it('invalidateCompareRun forgets one run or all', async () => {
    await call(core, 'compareRuns', { runIds: [runs[2]!, runs[3]!] });
    invalidateCompareRun(core.db, runs[2]);
    expect(compareCacheInfo(core.db).runs).not.toContain(runs[2]);
    expect(compareCacheInfo(core.db).runs).toContain(runs[3]);
    invalidateCompareRun(core.db);
    expect(compareCacheInfo(core.db)).toMatchObject({ runs: [], items: 0 });
  });
});

describe('compareRuns with a limit', () => {
  it('returns the first rows of the full compare and how many there are in all', async () => {
    const a = writeRun(core.db, 'LA', [pubmedqa, task123], 15, (_t, i) => i % 2 === 0);
    const b = writeRun(core.db, 'LB', [pubmedqa, task123], 15, (_t, i) => i % 3 === 0);
    const full = await call(core, 'compareRuns', { runIds: [a, b] });
    expect(full.totalRows).toBe(30);
    const first = await call(core, 'compareRuns', { runIds: [a, b], limit: 7 });
    expect(first.totalRows).toBe(30);
    expect(first.rows).toEqual(full.rows.slice(0, 7));
    expect(first.groups).toEqual(full.groups);
    // With a search, the count is of the matches.
    const word = full.rows[0]!.input.split(/\s+/)[3]!;
    const hits = await call(core, 'compareRuns', { runIds: [a, b], search: word });
    const page = await call(core, 'compareRuns', { runIds: [a, b], search: word, limit: 1 });
    expect(page.totalRows).toBe(hits.rows.length);
    expect(page.rows).toEqual(hits.rows.slice(0, 1));
  });
});
