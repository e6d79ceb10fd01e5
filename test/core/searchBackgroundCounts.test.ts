// Exact search counts in the background: the same numbers as one synchronous walk, counted on a worker thread (the engine keeps answering), shared by identical requests, and stopped when the user searches for something else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { BackgroundCounts } from '../../src/core/search/backgroundCounts';
import { searchFacets } from '../../src/core/search/query';
import { data, tempDir } from '../helpers';

const FILES = ['PubMedQA-labeled.json', 'NCBI-disease.json', 'Hallmarks-of-Cancer.json'].map((f) => data('medinst32/unseen_tests', f));
let core: MedtaskCore;
let home: string;
beforeAll(async () => {
  home = tempDir();
  core = new MedtaskCore({ home });
  await core.importPaths(FILES);
});
afterAll(() => core.close());

describe('background exact counts', () => {
  it('gives exactly what one synchronous walk gives, filtered or not', async () => {
    const counts = new BackgroundCounts(core.db, home);
    const truth = searchFacets(core.db, { query: 'the' });
    expect(truth.total).toBeGreaterThan(200);
    expect(await counts.count({ query: 'the' })).toEqual(truth);
    const ncbi = (await core.handlers.listTasks({})).find((t) => t.name === 'NCBI-disease')!;
    expect(await counts.count({ query: 'the', taskId: ncbi.id })).toEqual(searchFacets(core.db, { query: 'the', taskId: ncbi.id }));
  });

  it('leaves the engine free while it counts', async () => {
    // The worker holds the count for 300 ms, as a large library's count takes.
    const counts = new BackgroundCounts(core.db, home, 300);
    const order: string[] = [];
    const counted = counts.count({ query: 'the' }).then(() => order.push('counted'));
    // Work that arrives while the walk is under way (a timer, a request) runs before the walk ends, and still finds the library answering.
    await new Promise((r) => setTimeout(r, 0));
    order.push(`other work (${(await core.handlers.listTasks({})).length} tasks)`);
    await counted;
    expect(order).toEqual(['other work (3 tasks)', 'counted']);
  });

  it('the same search asked twice shares one walk; a count for another query stops the older one', async () => {
    const counts = new BackgroundCounts(core.db, home, 100);
    const first = counts.count({ query: 'the' });
    expect(counts.count({ query: ' the ' })).toBe(first);
    const second = counts.count({ query: 'cancer' });
    await expect(first).rejects.toMatchObject({ domainKind: 'cancelled', message: expect.stringContaining('"the"') });
    expect(await second).toEqual(searchFacets(core.db, { query: 'cancer' }));
  });

  it('a search for another query stops a count; a search for the same query does not', async () => {
    const counts = new BackgroundCounts(core.db, home, 100);
    const same = counts.count({ query: 'the' });
    counts.searched('the');
    expect(await same).toEqual(searchFacets(core.db, { query: 'the' }));
    const stale = counts.count({ query: 'the' });
    counts.searched('cancer');
    await expect(stale).rejects.toMatchObject({ domainKind: 'cancelled' });
  });

  it('through the contract: a newer searchFacets stops an older one, and closing the library mid-count rejects it cleanly', async () => {
    const own = new MedtaskCore({ home: tempDir() });
    await own.importPaths(FILES.slice(0, 1));
    const older = own.handlers.searchFacets({ query: 'the' });
    const newer = own.handlers.searchFacets({ query: 'patients' });
    await expect(older).rejects.toMatchObject({ domainKind: 'cancelled' });
    expect((await newer).exact).toBe(true);
    const pending = own.handlers.searchFacets({ query: 'the' });
    own.close();
    await expect(pending).rejects.toMatchObject({ domainKind: 'cancelled', message: expect.stringContaining('closing') });
  });

  it('a query with no searchable words is refused as bad input naming the field', async () => {
    const counts = new BackgroundCounts(core.db, home);
    await expect(counts.count({ query: '""' })).rejects.toMatchObject({ domainKind: 'invalid_input', details: { field: 'query' } });
  });
});
