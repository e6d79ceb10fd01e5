// Capped facet counting on a real library: counts past the cap are flagged `exact: false` (never a wrong number as exact), and searchFacets fills in the exact ones.
import { afterEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { search, searchFacets } from '../../src/core/search/query';
import type { FacetCount } from '../../src/shared/domain';
import { data, tempDir } from '../helpers';

const FILES = ['PubMedQA-labeled.json', 'NCBI-disease.json', 'Hallmarks-of-Cancer.json'].map((f) => data('medinst32/unseen_tests', f));
const cores: MedtaskCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

async function library(): Promise<MedtaskCore> {
  const core = new MedtaskCore({ home: tempDir() });
  cores.push(core);
  await core.importPaths(FILES);
  return core;
}

const flat = (f: Record<string, FacetCount[]>) => Object.entries(f).flatMap(([name, values]) => values.map((v) => ({ name, ...v })));

describe('facet counts capped at a number of matches', () => {
  it('flags the counts the cap cut short, keeps the others exact and correct, and searchFacets gives them all exactly', async () => {
    const core = await library();
    const truth = search(core.db, { query: 'the', limit: 7, offset: 0 }, 0, Infinity);
    expect(truth.exact).toBe(true);
    expect(truth.total).toBeGreaterThan(200);
    expect(flat(truth.facets).every((v) => v.exact)).toBe(true);

    const capped = search(core.db, { query: 'the', limit: 7, offset: 0 }, 0, 100);
    expect(capped.exact).toBe(false);
    expect(capped.total).toBe(100);
    // The first page lies before the cut: the same hits as the full walk.
    expect(capped.hits.map((h) => h.itemId)).toEqual(truth.hits.map((h) => h.itemId));
    const exactOnes = flat(capped.facets).filter((v) => v.exact);
    const inexact = flat(capped.facets).filter((v) => !v.exact);
    expect(inexact.length).toBeGreaterThan(0);
    const truthOf = (v: { name: string; value: string }) => flat(truth.facets).find((t) => t.name === v.name && t.value === v.value)!;
    // Every count flagged exact is the true count; every other is a lower bound.
    for (const v of exactOnes) expect(v.count, `${v.name}=${v.value}`).toBe(truthOf(v).count);
    for (const v of inexact) expect(v.count, `${v.name}=${v.value}`).toBeLessThan(truthOf(v).count);

    const filled = searchFacets(core.db, { query: 'the' });
    expect(filled).toEqual({ total: truth.total, exact: true, facets: truth.facets });
    // Through the contract as the renderer calls it, with a filter.
    const ncbi = (await core.handlers.listTasks({})).find((t) => t.name === 'NCBI-disease')!;
    const viaCall = await core.handlers.searchFacets({ query: 'the', taskId: ncbi.id });
    expect(viaCall.total).toBe(search(core.db, { query: 'the', taskId: ncbi.id, limit: 1, offset: 0 }, 0, Infinity).total);
    expect(viaCall.facets.task).toEqual([{ value: `${ncbi.benchmark}/NCBI-disease`, count: viaCall.total, exact: true }]);
  });

  it('a page past the cut-off walks every match, so its hits and counts are exact', async () => {
    const core = await library();
    const truth = search(core.db, { query: 'the', limit: 7, offset: 150 }, 0, Infinity);
    const deep = search(core.db, { query: 'the', limit: 7, offset: 150 }, 0, 100);
    expect(deep.exact).toBe(true);
    expect(deep.total).toBe(truth.total);
    expect(deep.hits.map((h) => h.itemId)).toEqual(truth.hits.map((h) => h.itemId));
    expect(deep.facets).toEqual(truth.facets);
  });

  it('a query under the cap is exact at once', async () => {
    const core = await library();
    const r = await core.handlers.search({ query: 'mammography', limit: 50, offset: 0 });
    expect(r.exact).toBe(true);
    expect(flat(r.facets).every((v) => v.exact)).toBe(true);
  });
});
