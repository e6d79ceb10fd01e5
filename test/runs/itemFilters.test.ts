/**
 * The run item list's gold-label and metric-range filters and its sort by any metric, done by the
 * engine over the whole run (real library: MedINST32 PubMedQA-labeled, MedS-Bench task123; real run store).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MedtaskCore } from '../../src/core/service';
import { createRunRow, selectItems } from '../../src/core/runs/store';
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

it('offers the gold labels present with their counts, and filters by one, combined with right/wrong', async () => {
  const runId = writeRun(core.db, 'labels', [lib.pubmedqa], 30, (_t, idx) => idx % 3 !== 0);
  const all = await call(core, 'pageRunItems', { runId, limit: 1000 });
  const counts = new Map<string, number>();
  for (const i of all.items) counts.set(i.gold[0]!, (counts.get(i.gold[0]!) ?? 0) + 1);
  expect(all.facets?.goldLabels).not.toBeNull();
  expect(new Map(all.facets!.goldLabels!.map((l) => [l.label, l.count]))).toEqual(counts);
  const [label, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const only = await call(core, 'pageRunItems', { runId, gold: label, limit: 1000 });
  expect(only.total).toBe(count);
  expect(only.items.every((i) => i.gold[0] === label)).toBe(true);
  const wrongOfLabel = await call(core, 'pageRunItems', { runId, gold: label, show: 'wrong', limit: 1000 });
  const expected = all.items.filter((i) => i.gold[0] === label && (i.index ?? 0) % 3 === 0).map((i) => i.ord);
  expect(wrongOfLabel.items.map((i) => i.ord)).toEqual(expected);
  expect(wrongOfLabel.total).toBe(expected.length);
  // A label no item has: nothing, not everything.
  expect((await call(core, 'pageRunItems', { runId, gold: 'no such label' })).total).toBe(0);
});

it('free-text golds get no label chooser; the metrics of every task are offered once', async () => {
  const runId = writeRun(core.db, 'mixed', [lib.pubmedqa, lib.task123], 8, () => true);
  const page = await call(core, 'pageRunItems', { runId, limit: 1 });
  const ids = page.facets!.metrics.map((m) => m.id);
  expect(ids.length).toBeGreaterThanOrEqual(2);
  expect(new Set(ids).size).toBe(ids.length);
  // Every gold distinct (as in QA or summaries): a list of texts, not labels.
  const { items } = selectItems(core.db, { taskIds: [lib.pubmedqa], limit: 6 });
  const free = createRunRow(
    core.db,
    { name: 'free', kind: 'local', status: 'done', spec: null, modelLabel: 'free', templateHash: null, metricMode: 'reference' },
    items.map((it, i) => ({ ...it, gold: [`a free answer number ${i}`] })),
  );
  expect((await call(core, 'pageRunItems', { runId: free, limit: 1 })).facets!.goldLabels).toBeNull();
});

it('filters by a metric range and sorts by a metric both ways, paging by keyset in the sorted order', async () => {
  const runId = writeRun(core.db, 'range', [lib.task123], 12, (_t, idx) => idx % 4 === 1);
  const all = await call(core, 'pageRunItems', { runId, limit: 1000 });
  const metric = all.items[0]!.score!.metric;
  const right = all.items.filter((i) => i.score!.value === 100).map((i) => i.ord);
  expect(right.length).toBe(3);
  const high = await call(core, 'pageRunItems', { runId, metric: { id: metric, min: 50 }, limit: 1000 });
  expect(high.items.map((i) => i.ord)).toEqual(right);
  const low = await call(core, 'pageRunItems', { runId, metric: { id: metric, max: 50 }, limit: 1000 });
  expect(low.total).toBe(12 - right.length);
  // Descending: the right items first (ties by ord), then the rest; paged 5 at a time.
  const seen: number[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await call(core, 'pageRunItems', { runId, sort: { metric, dir: 'desc' }, limit: 5, ...(after !== undefined ? { after } : {}) });
    expect(page.total).toBe(12);
    seen.push(...page.items.map((i) => i.ord));
    if (page.nextCursor === null) break;
    after = page.nextCursor;
  }
  expect(seen).toEqual([...right, ...all.items.map((i) => i.ord).filter((o) => !right.includes(o))]);
  const asc = await call(core, 'pageRunItems', { runId, sort: { metric, dir: 'asc' }, limit: 1000 });
  expect(asc.items.slice(-3).map((i) => i.ord)).toEqual(right);
  // Combined: the range and the sort and a show filter.
  const combined = await call(core, 'pageRunItems', { runId, show: 'wrong', metric: { id: metric, max: 0 }, sort: { metric, dir: 'asc' } });
  expect(combined.total).toBe(9);
});

it('an unknown metric or an empty range is bad input naming the field', async () => {
  const runId = writeRun(core.db, 'bad', [lib.pubmedqa], 3, () => true);
  await expect(call(core, 'pageRunItems', { runId, sort: { metric: 'nope', dir: 'asc' } })).rejects.toMatchObject({
    code: 'invalid_input',
    details: { field: 'sort.metric' },
  });
  const metric = (await call(core, 'pageRunItems', { runId, limit: 1 })).items[0]!.score!.metric;
  await expect(call(core, 'pageRunItems', { runId, metric: { id: metric, min: 1, max: 0 } })).rejects.toMatchObject({ details: { field: 'metric.min' } });
});
