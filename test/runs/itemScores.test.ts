/**
 * A run's item pages carry each item's own primary-metric value (the compare cache, in the
 * benchmark's scale), and a finished run whose every item failed reads as failed, unscored.
 * Real library (MedINST32 PubMedQA-labeled, MedS-Bench task123) and the real run store.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunRow, recordItem, scoreRunRows, selectItems, setRunStatus } from '../../src/core/runs/store';
import { scoreRunTask } from '../../src/core/runs/scoring';
import type { MedtaskCore } from '../../src/core/service';
import { call, compareLibrary, writeRun } from '../compare/fixtures';

let lib: Awaited<ReturnType<typeof compareLibrary>>;
let core: MedtaskCore;

beforeAll(async () => {
  lib = await compareLibrary();
  core = lib.core;
});
afterAll(async () => {
  await core.dispose();
});

it('item pages carry per-item primary scores: 1/0 fractions for PubMedQA, 100/0 percentages for task123', async () => {
  const runId = writeRun(core.db, 'half', [lib.pubmedqa, lib.task123], 6, (_t, idx) => idx % 2 === 0);
  const page = await call(core, 'pageRunItems', { runId, limit: 100 });
  expect(page.items).toHaveLength(12);
  for (const item of page.items) {
    const right = (item.index ?? 0) % 2 === 0;
    expect(item.score).not.toBeNull();
    if (item.benchmark === 'medinst32') {
      expect(item.score!.scale).toBe(1);
      // Per-item macro-F1 on one item: 1 when right, 0 when wrong.
      expect(item.score!.value).toBe(right ? 1 : 0);
    } else {
      expect(item.score!.scale).toBe(100);
      expect(item.score!.value).toBe(right ? 100 : 0);
    }
    expect(item.score!.all[item.score!.metric]).toBe(item.score!.value);
  }
});

it('a finished run whose every item failed is failed, with the first error and no scores', async () => {
  const { items } = selectItems(core.db, { taskIds: [lib.pubmedqa], limit: 3 });
  const runId = createRunRow(
    core.db,
    { name: 'broken', kind: 'local', status: 'running', spec: null, modelLabel: 'broken', templateHash: null, metricMode: 'reference' },
    items,
  );
  items.forEach((_it, ord) =>
    recordItem(core.db, runId, ord, {
      promptJson: '{}',
      renderedPrompt: null,
      rawOutput: null,
      extracted: null,
      promptTokens: null,
      outputTokens: null,
      latencyMs: null,
      ttftMs: null,
      error: `model refused item ${ord}`,
    }),
  );
  scoreRunRows(core.db, runId, 'reference', (b, t, p, g) => scoreRunTask(b, t, p, g, 'reference'));
  setRunStatus(core.db, runId, 'done');
  const run = await call(core, 'getRun', { runId });
  expect(run.status).toBe('failed');
  expect(run.scores).toEqual([]);
  expect(run.error).toBe('every item failed (3); the first: model refused item 0');
  expect((await call(core, 'listRuns', {})).find((r) => r.id === runId)?.status).toBe('failed');
  // One success among failures keeps the run done and scored.
  const mixed = writeRun(core.db, 'fine', [lib.pubmedqa], 3, () => true);
  expect((await call(core, 'getRun', { runId: mixed })).status).toBe('done');
});

it('the item list filters: right, wrong, failed and search words, with the filtered total and keyset paging', async () => {
  const runId = writeRun(core.db, 'filters', [lib.pubmedqa], 10, (_t, idx) => idx < 6);
  const right = await call(core, 'pageRunItems', { runId, limit: 4, show: 'right' });
  expect(right.total).toBe(6);
  expect(right.items.map((i) => i.score?.value)).toEqual([1, 1, 1, 1]);
  expect(right.nextCursor).toBe(right.items.at(-1)!.ord);
  const rest = await call(core, 'pageRunItems', { runId, limit: 4, show: 'right', after: right.nextCursor! });
  expect(rest.items).toHaveLength(2);
  expect(rest.nextCursor).toBeNull();
  const wrong = await call(core, 'pageRunItems', { runId, show: 'wrong' });
  expect(wrong.total).toBe(4);
  expect(wrong.items.every((i) => i.score?.value === 0)).toBe(true);
  expect((await call(core, 'pageRunItems', { runId, show: 'errors' })).total).toBe(0);
  // A word of the third item's input, in upper case: found case-insensitively; a % is literal, not a wildcard.
  const all = await call(core, 'pageRunItems', { runId, limit: 100 });
  const word = all.items[2]!.input.split(/\s+/).find((w) => /^[a-z]{7,}$/i.test(w))!;
  const found = await call(core, 'pageRunItems', { runId, search: word.toUpperCase() });
  expect(found.items.map((i) => i.ord)).toContain(all.items[2]!.ord);
  expect(found.items.every((i) => `${i.input} ${i.gold.join(' ')} ${i.rawOutput ?? ''}`.toLowerCase().includes(word.toLowerCase()))).toBe(true);
  expect((await call(core, 'pageRunItems', { runId, search: '%' })).total).toBe(
    all.items.filter((i) => `${i.input}${JSON.stringify(i.gold)}${i.rawOutput ?? ''}`.includes('%')).length,
  );
});
