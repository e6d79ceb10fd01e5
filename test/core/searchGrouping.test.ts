// Search groups copies of one record (MedINST32 few-shot, zero-shot, and MedS-Bench's reordered copy) into one hit, on a real library and index; the config facet counts and filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { search } from '../../src/core/search/query';
import { recordKey } from '../../src/core/search/recordKey';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
beforeAll(async () => {
  core = new MedtaskCore({ home: tempDir('medtask-group-') });
  await core.importPaths([
    data('medinst32/unseen_tests/PubMedQA-labeled.json'),
    data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'),
    data('meds-bench/MCQA/task123_pubmedqa_test_set.json'),
    data('medinst32/unseen_tests/NCBI-disease.json'),
  ]);
});
afterAll(() => core?.close());

const QUERY = '"tailored interventions increase mammography"';

describe('grouped search hits', () => {
  it('three copies of a record are one hit with a chip per copy, best-ranked copy first', async () => {
    const res = await core.handlers.search({ query: QUERY, limit: 50, offset: 0 });
    // Three matching items…
    expect(res.total).toBe(3);
    // …one record.
    expect(res.hits).toHaveLength(1);
    const hit = res.hits[0]!;
    expect(hit.copies).toHaveLength(3);
    expect(hit.copies[0]!.itemId).toBe(hit.itemId);
    expect(hit.copies.map((c) => `${c.benchmark}/${c.config}`).sort()).toEqual(['medinst32/few-shot', 'medinst32/zero-shot', 'meds-bench/default']);
    expect(new Set(hit.copies.map((c) => c.index)).size).toBeGreaterThanOrEqual(1);
    expect(hit.snippet).toContain('mammography');
  });

  it('the config facet counts each copy and filters to one', async () => {
    const res = await core.handlers.search({ query: QUERY, limit: 50, offset: 0 });
    expect(res.facets.config).toEqual([
      { value: 'default', count: 1, exact: true },
      { value: 'few-shot', count: 1, exact: true },
      { value: 'zero-shot', count: 1, exact: true },
    ]);
    const zs = await core.handlers.search({ query: QUERY, config: 'zero-shot', limit: 50, offset: 0 });
    expect(zs.total).toBe(1);
    expect(zs.hits[0]!.copies.map((c) => c.config)).toEqual(['zero-shot']);
    expect(zs.facets.config).toEqual([{ value: 'zero-shot', count: 1, exact: true }]);
    const facets = await core.handlers.searchFacets({ query: QUERY, config: 'few-shot' });
    expect(facets.total).toBe(1);
  });

  it('different records stay apart; paging is by matching items, so every copy is listed once over the pages', async () => {
    const all = search(core.db, { query: 'mammography', limit: 200, offset: 0 });
    const keys = all.hits.map((h) => h.recordKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.hits.reduce((n, h) => n + h.copies.length, 0)).toBe(all.total);
    // Two-item pages: the copies end up split across pages, and together they are every match exactly once.
    const seen: number[] = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const page = search(core.db, { query: 'mammography', limit: 2, offset });
      seen.push(...page.hits.flatMap((h) => h.copies.map((c) => c.itemId)));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(all.hits.flatMap((h) => h.copies.map((c) => c.itemId)).sort((a, b) => a - b));
  });

  it('the record key ignores line order, field labels, case and spacing, and nothing else', () => {
    expect(recordKey('Question: Is it?\nContext: Some  text.')).toBe(recordKey('Context: some text.\nQuestion: is it?'));
    expect(recordKey('Question: Is it?')).not.toBe(recordKey('Question: Is it not?'));
  });
});
