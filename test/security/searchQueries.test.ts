// Hostile search text through search and the background exact counts (a worker thread with its own connection): FTS5 syntax, SQL, NUL and very long input either answer as plain words or are refused naming the query field; counts agree; the library keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { search, searchFacets } from '../../src/core/search/query';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
beforeAll(async () => {
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths(['PubMedQA-labeled.json', 'NCBI-disease.json'].map((f) => data('medinst32/unseen_tests', f)));
});
afterAll(() => core.close());

const HOSTILE = [
  'input:cancer',
  '{input output}:cancer',
  'NEAR(cancer patients, 2)',
  'cancer NOT patients',
  'cancer OR patients',
  '^cancer',
  '"unbalanced',
  'cancer"',
  '""',
  '*',
  '* cancer',
  "'); DROP TABLE items; --",
  "cancer' OR 1=1 --",
  'rowid',
  'items_fts',
  'cancer\u0000patients',
  '\u202Ecancer',
  '🧬 cancer',
  'a'.repeat(500),
  `${'the '.repeat(120)}`.trim(),
  'p<0.05',
  'NCBI-disease',
];

describe('hostile search text', () => {
  it('is searched as plain words or refused on the query field, and the background count agrees with one full walk', async () => {
    const outcomes: string[] = [];
    for (const query of HOSTILE) {
      let answered: Awaited<ReturnType<typeof core.handlers.search>> | null = null;
      try {
        answered = await core.handlers.search({ query, limit: 5, offset: 0 });
      } catch (err) {
        expect(err, query).toMatchObject({ domainKind: 'invalid_input', details: { field: 'query' } });
        await expect(core.handlers.searchFacets({ query }), query).rejects.toMatchObject({ domainKind: 'invalid_input', details: { field: 'query' } });
        outcomes.push('refused');
        continue;
      }
      const counted = await core.handlers.searchFacets({ query });
      // The worker's one pass and the engine's own full walk count the same matches.
      expect(counted, query).toEqual(searchFacets(core.db, { query }));
      expect(counted.total, query).toBe(search(core.db, { query, limit: 1, offset: 0 }, 0, Infinity).total);
      if (answered.exact) expect(counted.total, query).toBe(answered.total);
      outcomes.push(String(counted.total));
    }
    // Operators are words, not syntax: "cancer OR patients" needs all three words, so it matches no more than "cancer".
    const plain = (q: string) => outcomes[HOSTILE.indexOf(q)];
    const cancer = (await core.handlers.searchFacets({ query: 'cancer' })).total;
    expect(Number(plain('cancer OR patients'))).toBeLessThanOrEqual(cancer);
    // A column filter is two words of one phrase, as typed.
    expect(Number(plain('input:cancer'))).toBe((await core.handlers.searchFacets({ query: '"input cancer"' })).total);
    expect(plain('""')).toBe('refused');
    // The tables are all there and the library still answers.
    expect((await core.handlers.listTasks({})).length).toBe(2);
    expect((await core.handlers.search({ query: 'cancer', limit: 1, offset: 0 })).total).toBeGreaterThan(0);
  });

  it('a flood of counts for different queries ends with the last one exact and every other one stopped, not a crashed thread', async () => {
    const queries = ['cancer', 'patients', 'the', 'disease', 'gene', 'protein', 'cell', 'study'];
    const settled = await Promise.allSettled(queries.map((query) => core.handlers.searchFacets({ query })));
    const last = settled.at(-1)!;
    expect(last.status).toBe('fulfilled');
    for (const s of settled.slice(0, -1)) {
      if (s.status === 'rejected') expect(s.reason).toMatchObject({ domainKind: 'cancelled' });
    }
    expect((await core.handlers.searchFacets({ query: 'cancer' })).exact).toBe(true);
  });
});
