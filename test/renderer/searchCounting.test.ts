/**
 * The search store with a broad query whose counts the engine capped: the hits show at once with
 * the counts flagged as not exact ("counting…"), then the store's background searchFacets call fills
 * in the exact numbers. A real MedtaskCore (count limit lowered so three real files exceed it).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { setClient } from '../../src/renderer/src/client/current';
import { useSearch } from '../../src/renderer/src/features/search/searchStore';
import { data, tempDir } from '../helpers';
import { coreClient, settle } from './coreClient';

let home: string;
let core: MedtaskCore;

beforeAll(async () => {
  home = tempDir('medtask-search-counting-');
  // Counts take 150 ms in their thread, as on a large library, so that another window can overlap them.
  core = new MedtaskCore({ home, searchCountLimit: 100, searchCountHoldMs: 150 });
  await core.importPaths(['PubMedQA-labeled.json', 'NCBI-disease.json', 'Hallmarks-of-Cancer.json'].map((f) => data('medinst32/unseen_tests', f)));
  setClient(coreClient(core));
});

afterAll(() => {
  setClient(null);
  core.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('search counts past the cap', () => {
  it('the first answer says its counts are not exact; the background call replaces them with the exact ones', async () => {
    const capped = await core.handlers.search({ query: 'the', limit: 50, offset: 0 });
    expect(capped.exact).toBe(false);
    const exact = await core.handlers.searchFacets({ query: 'the' });
    expect(exact.total).toBeGreaterThan(capped.total);

    const seen: { exact: boolean; counting: boolean; total: number | null }[] = [];
    const unsubscribe = useSearch.subscribe((s) => seen.push({ exact: s.exact, counting: s.counting, total: s.total }));
    useSearch.getState().setQuery('the');
    await settle(() => !useSearch.getState().loading && !useSearch.getState().counting && useSearch.getState().exact);
    unsubscribe();
    // The capped answer was shown first, marked as counting, never as exact.
    expect(seen).toContainEqual({ exact: false, counting: true, total: capped.total });
    expect(seen.some((x) => x.exact && x.total === capped.total)).toBe(false);
    const s = useSearch.getState();
    expect(s.total).toBe(exact.total);
    expect(s.facets).toEqual(exact.facets);
    expect(s.hits.map((h) => h.itemId)).toEqual(capped.hits.map((h) => h.itemId));
  });

  it("a count stopped by another window's search is asked for once more, and still ends exact", async () => {
    useSearch.getState().setQuery('');
    const exact = await core.handlers.searchFacets({ query: 'the' });
    let other: Promise<unknown> | null = null;
    const unsubscribe = useSearch.subscribe((s) => {
      // Another window searches (and counts) something else while this one is counting.
      if (s.counting && !other)
        setImmediate(
          () =>
            (other = Promise.resolve(core.handlers.searchFacets({ query: 'cancer' })).then(
              () => 'counted',
              (e: { domainKind?: string }) => e.domainKind,
            )),
        );
    });
    useSearch.getState().setQuery('the');
    await settle(() => !useSearch.getState().loading && !useSearch.getState().counting);
    unsubscribe();
    expect(other).not.toBeNull();
    // The retry stopped the other window's count in turn (its store would ask again the same way).
    expect(await other).toBe('cancelled');
    const s = useSearch.getState();
    expect({ exact: s.exact, total: s.total, facets: s.facets }).toEqual({ exact: true, total: exact.total, facets: exact.facets });
  });
});
