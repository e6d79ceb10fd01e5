/**
 * The renderer's stores against a real engine: a MedtaskCore in a temp home, reached through a
 * client that goes through `dispatchCall` (the same validation and error envelope the IPC and
 * HTTP hosts use). Real benchmark files are imported; nothing is mocked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoreApi } from 'zustand';
import { MedtaskCore } from '../../src/core/service';
import { setClient } from '../../src/renderer/src/client/current';
import { useImporter } from '../../src/renderer/src/features/import/importerStore';
import { PAGE_SIZE, useItems } from '../../src/renderer/src/features/library/itemsStore';
import { useItemView } from '../../src/renderer/src/features/library/itemViewStore';
import { useLibrary } from '../../src/renderer/src/features/library/libraryStore';
import { useTaskDetail } from '../../src/renderer/src/features/library/taskDetailStore';
import { useRunItems } from '../../src/renderer/src/features/runs/runItemsStore';
import { useRuns } from '../../src/renderer/src/features/runs/runsStore';
import { useSearch } from '../../src/renderer/src/features/search/searchStore';
import { data, readRecords, tempDir } from '../helpers';
import { coreClient, settle } from './coreClient';

const PUBMEDQA = data('medinst32/unseen_tests/PubMedQA-labeled.json');
const NCBI = data('medinst32/unseen_tests/NCBI-disease.json');

let home: string;
let core: MedtaskCore;

// zustand stores are module singletons: each test starts them from their initial state.
function resetter<S>(store: StoreApi<S>): () => void {
  const initial = store.getState();
  return () => store.setState(initial, true);
}
const resets = [
  resetter(useLibrary),
  resetter(useItems),
  resetter(useItemView),
  resetter(useTaskDetail),
  resetter(useSearch),
  resetter(useRuns),
  resetter(useRunItems),
  resetter(useImporter),
];

beforeAll(() => {
  home = tempDir('medtask-renderer-');
  core = new MedtaskCore({ home });
  setClient(coreClient(core));
});

afterAll(async () => {
  setClient(null);
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  for (const reset of resets) reset();
});

describe('library', () => {
  it('an empty library answers an empty list and opens nothing', async () => {
    await useLibrary.getState().init();
    const s = useLibrary.getState();
    expect(s.benchmarks).toEqual([]);
    expect(s.benchmarksError).toBeNull();
    expect(s.openBenchmarkId).toBeNull();
    expect(s.tasks).toBeNull();
  });

  it('after an import through the importer store, init opens the first benchmark and lists its tasks', async () => {
    await useImporter.getState().importNow({ paths: [PUBMEDQA, NCBI] });
    const importer = useImporter.getState();
    expect(importer.error).toBeNull();
    expect(importer.status).toBe('done');
    expect(importer.result?.splits.length).toBeGreaterThan(0);

    await useLibrary.getState().init();
    const s = useLibrary.getState();
    const benchmarks = await core.handlers.listBenchmarks({});
    expect(s.benchmarks).toEqual(benchmarks);
    expect(s.openBenchmarkId).toBe(benchmarks[0]!.id);
    const tasks = await core.handlers.listTasks({ benchmarkId: benchmarks[0]!.id });
    expect(s.tasks).toEqual(tasks);
    expect(tasks.map((t) => t.name).sort()).toEqual(['NCBI-disease', 'PubMedQA-labeled']);
  });
});

describe('items paging', () => {
  it('pages through every item of a task in order, once each, and stops at the end', async () => {
    await useLibrary.getState().init();
    const task = useLibrary.getState().tasks!.find((t) => t.name === 'PubMedQA-labeled')!;
    useLibrary.getState().openTask(task.id);
    await settle(() => !useItems.getState().loading && useItems.getState().total !== null);
    expect(useItems.getState().items).toHaveLength(PAGE_SIZE);
    expect(useItems.getState().total).toBe(readRecords(PUBMEDQA).length);
    // The task's details were asked for as well.
    await settle(() => useTaskDetail.getState().detail?.id === task.id);

    for (let pages = 0; useItems.getState().nextCursor !== null; pages++) {
      expect(pages).toBeLessThan(10);
      await useItems.getState().loadMore();
    }
    const { items, total } = useItems.getState();
    expect(items).toHaveLength(500);
    expect(total).toBe(500);
    expect(new Set(items.map((i) => i.id)).size).toBe(500);
    // In file order: the record positions 0..499.
    expect(items.map((i) => i.index)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // At the end, asking again changes nothing (no request, no duplicate page).
    await useItems.getState().loadMore();
    expect(useItems.getState().items).toHaveLength(500);

    useItems.getState().openItem(3);
    await settle(() => useItemView.getState().item !== null);
    expect(useItemView.getState().item!.id).toBe(items[3]!.id);
    expect(useTaskDetail.getState().tab).toBe('item');
  });

  it('drops the late answer for a task that is no longer open', async () => {
    await useLibrary.getState().init();
    const tasks = useLibrary.getState().tasks!;
    const pubmed = tasks.find((t) => t.name === 'PubMedQA-labeled')!;
    const ncbi = tasks.find((t) => t.name === 'NCBI-disease')!;
    // Both first pages are in flight; the first one's answer must not land in the second's list.
    useItems.getState().open(pubmed);
    useItems.getState().open(ncbi);
    await settle(() => !useItems.getState().loading && useItems.getState().total !== null);
    const s = useItems.getState();
    expect(s.task?.id).toBe(ncbi.id);
    expect(s.total).toBe(readRecords(NCBI).length);
    expect(s.items).toHaveLength(120);
    expect(s.items.map((i) => i.index)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(s.items.every((i) => i.output.includes('[O]'))).toBe(true);
  });
});

describe('search', () => {
  it('a query finds hits with facets; a facet narrows them; opening a hit reveals it in the library', async () => {
    await useLibrary.getState().init();
    useSearch.getState().setQuery('disease');
    await settle(() => !useSearch.getState().loading && useSearch.getState().total !== null);
    let s = useSearch.getState();
    expect(s.error).toBeNull();
    expect(s.total).toBeGreaterThan(0);
    expect(s.hits.length).toBeGreaterThan(0);
    expect(s.cursor).toBe(0);
    const taskFacet = s.facets!.task;
    // Task facet values name the benchmark too.
    const ncbi = taskFacet.find((f) => f.value.endsWith('/NCBI-disease'))!;
    expect(ncbi.count).toBeLessThan(s.total!);

    useSearch.getState().toggleFacet('task', ncbi.value);
    await settle(() => !useSearch.getState().loading && useSearch.getState().filters.task === ncbi.value);
    s = useSearch.getState();
    expect(s.total).toBe(ncbi.count);
    expect(s.hits.every((h) => h.task === 'NCBI-disease')).toBe(true);
    expect(s.hits.length).toBeGreaterThan(0);

    await useSearch.getState().openHit(0);
    const hit = useSearch.getState().hits[0]!;
    await settle(() => useItemView.getState().item?.id === hit.itemId);
    expect(useLibrary.getState().openTaskId).toBe(hit.taskId);
    expect(useItems.getState().task?.id).toBe(hit.taskId);
  });

  it('text typed after a search drops the older answer, and clearing leaves no results', async () => {
    useSearch.getState().setQuery('disease');
    useSearch.getState().setQuery('pubmed question yes');
    await useSearch.getState().submit();
    await settle(() => !useSearch.getState().loading);
    expect(useSearch.getState().query).toBe('pubmed question yes');
    const direct = await core.handlers.search({ query: 'pubmed question yes', limit: 50, offset: 0 });
    expect(useSearch.getState().total).toBe(direct.total);

    useSearch.getState().clear();
    const s = useSearch.getState();
    expect(s.hits).toEqual([]);
    expect(s.total).toBeNull();
  });
});

describe('runs', () => {
  it('imported predictions become runs in the list; opening one loads its detail and item rows', async () => {
    const dir = tempDir('medtask-renderer-runs-');
    const golds = readRecords<{ output: string }>(data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'))
      .slice(0, 12)
      .map((r) => r.output);
    const file = path.join(dir, 'results.json');
    // A MedINST32 results file: every prediction right except the first.
    const generated = golds.map((g, i) => ({ prediction: i === 0 ? (g === 'yes' ? 'no' : 'yes') : g, target: g }));
    fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated } } }));

    await useRuns.getState().load();
    expect(useRuns.getState().runs).toEqual([]);

    const run = await useRuns.getState().importPredictions({ file, name: 'published' });
    let s = useRuns.getState();
    expect(s.runs?.map((r) => r.id)).toEqual([run.id]);
    expect(s.openRunId).toBe(run.id);
    expect(s.detail?.id).toBe(run.id);
    expect(s.detail?.name).toBe('published');

    await settle(() => !useRunItems.getState().loading && useRunItems.getState().total !== null);
    const items = useRunItems.getState();
    expect(items.runId).toBe(run.id);
    expect(items.total).toBe(12);
    expect(items.items).toHaveLength(12);
    expect(items.items.map((r) => r.rawOutput)).toEqual(generated.map((g) => g.prediction));

    // A fresh list from the engine agrees with what the store assembled.
    useRuns.setState({ runs: null });
    await useRuns.getState().load();
    s = useRuns.getState();
    expect(s.listError).toBeNull();
    expect(s.runs).toEqual(await core.handlers.listRuns({}));
    expect(s.cursor).toBe(run.id);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an engine refusal reaches the store as the envelope error, not a crash', async () => {
    await expect(useRuns.getState().importPredictions({ file: path.join(home, 'no-such-results.json') })).rejects.toMatchObject({ code: 'not_found' });
    await useRuns.getState().open(999_999);
    expect(useRuns.getState().detailError?.code).toBe('not_found');
  });
});
