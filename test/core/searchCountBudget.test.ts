// Counting on a time budget: a walk that ran out of time (budget 0, small slices) still serves the exact page, flags what it did not count, and never shows a wrong count as exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { search } from '../../src/core/search/query';
import type { FacetCount } from '../../src/shared/domain';
import { data, tempDir } from '../helpers';

const FILES = ['PubMedQA-labeled.json', 'NCBI-disease.json', 'Hallmarks-of-Cancer.json'].map((f) => data('medinst32/unseen_tests', f));
let core: MedtaskCore;
beforeAll(async () => {
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths(FILES);
});
afterAll(() => core.close());

const flat = (f: Record<string, FacetCount[]>) => Object.entries(f).flatMap(([name, values]) => values.map((v) => ({ name, ...v })));

describe('match counting on a time budget', () => {
  it('stops after the slice that fills the page once the budget is spent; exact-flagged counts are true, the rest lower bounds', () => {
    const args = { query: 'the', limit: 7, offset: 0 };
    const truth = search(core.db, args, 0, Infinity, Infinity);
    expect(truth.exact).toBe(true);
    expect(truth.total).toBeGreaterThan(200);
    // Budget 0, slices of 50 matches: once the page is in hand, the clock says stop.
    const hurried = search(core.db, args, 0, Infinity, 0, 50);
    expect(hurried.exact).toBe(false);
    expect(hurried.total).toBeLessThan(truth.total);
    expect(hurried.ranked).toBe(false);
    expect(hurried.hits.map((h) => h.itemId)).toEqual(truth.hits.map((h) => h.itemId));
    const truthOf = (v: { name: string; value: string }) => flat(truth.facets).find((t) => t.name === v.name && t.value === v.value)!.count;
    for (const v of flat(hurried.facets)) {
      if (v.exact) expect(v.count, `${v.name}=${v.value}`).toBe(truthOf(v));
      else expect(v.count, `${v.name}=${v.value}`).toBeLessThan(truthOf(v));
    }
    // With time to spare the same small slices add up to the whole walk.
    const sliced = search(core.db, args, 0, Infinity, Infinity, 50);
    expect({ total: sliced.total, exact: sliced.exact, facets: sliced.facets }).toEqual({ total: truth.total, exact: true, facets: truth.facets });
  });

  it('counts past the rank limit before the clock may stop it, so ranking never depends on the machine', () => {
    const args = { query: 'the', limit: 7, offset: 0 };
    const truth = search(core.db, args, 0, Infinity, Infinity);
    const rankLimit = truth.total - 1;
    const hurried = search(core.db, args, rankLimit, Infinity, 0, 50);
    expect(hurried.ranked).toBe(false);
    expect(hurried.total).toBeGreaterThan(rankLimit);
    const ranked = search(core.db, args, truth.total, Infinity, 0, 50);
    expect(ranked.ranked).toBe(true);
    expect(ranked.exact).toBe(true);
    expect(ranked.total).toBe(truth.total);
  });

  it('a page beyond what the budget allowed still comes whole and exact', () => {
    const args = { query: 'the', limit: 7, offset: 120 };
    const truth = search(core.db, args, 0, Infinity, Infinity);
    const hurried = search(core.db, args, 0, Infinity, 0, 50);
    expect(hurried.hits.map((h) => h.itemId)).toEqual(truth.hits.map((h) => h.itemId));
    expect(hurried.total).toBeLessThanOrEqual(truth.total);
    if (!hurried.exact) expect(hurried.total).toBeGreaterThanOrEqual(127);
  });
});
