import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { parseQuery, snippet } from '../../src/core/search/highlight';
import { search } from '../../src/core/search/query';
import { searchDbPath } from '../../src/core/search/searchDb';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../src/shared/domain';
import { DomainError } from '../../src/core/errors';
import { data, tempDir } from '../helpers';

const PUBMEDQA = data('medinst32/unseen_tests/PubMedQA-labeled.json');
const cores: MedtaskCore[] = [];
const open = (home: string) => {
  const c = new MedtaskCore({ home });
  cores.push(c);
  return c;
};
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

describe('snippets for the contentless index', () => {
  it('marks words, phrases and prefixes with the tokenizer rules (case and diacritics folded)', () => {
    expect(snippet('Café au lait spots in NF1.', parseQuery('cafe'))).toBe(`${S}Café${E} au lait spots in NF1.`);
    expect(snippet('the NCBI-disease corpus', parseQuery('NCBI-disease'))).toBe(`the ${S}NCBI${E}${S}disease${E} corpus`.replace(`${E}${S}`, `${E}-${S}`));
    expect(snippet('Diabetes and diabetic feet', parseQuery('diab*'))).toBe(`${S}Diabetes${E} and ${S}diabetic${E} feet`);
    expect(snippet('no match here', parseQuery('absent'))).toBeNull();
    const long = `${'word '.repeat(100)}target ${'tail '.repeat(100)}`;
    const cut = snippet(long, parseQuery('target'))!;
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).toContain(`${S}target${E}`);
  });
});

describe('counting matches at scale (the unranked path)', () => {
  it('gives the same totals, facets and pages as SQL over the library, filtered or not', async () => {
    const home = tempDir();
    const core = open(home);
    await core.importPaths([PUBMEDQA, data('medinst32/unseen_tests/NCBI-disease.json'), data('medinst32/unseen_tests/Hallmarks-of-Cancer.json')]);
    const tasks = await core.handlers.listTasks({});
    const ncbi = tasks.find((t) => t.name === 'NCBI-disease')!;
    const inTask = (taskId?: number) =>
      `SELECT f.rowid FROM search.items_fts f JOIN items i ON i.id = f.rowid JOIN splits s ON s.id = i.split_id
        WHERE items_fts MATCH ? ${taskId ? 'AND s.task_id = ' + taskId : ''} ORDER BY f.rowid`;
    for (const [query, taskId] of [
      ['cancer', undefined],
      ['the', undefined],
      ['the', ncbi.id],
      ['"breast cancer"', undefined],
      ['cell*', undefined],
    ] as const) {
      const args = { query, limit: 7, offset: 3, ...(taskId ? { taskId } : {}) };
      const unranked = search(core.db, args, 0); // every query takes the path used beyond RANK_LIMIT
      const ranked = search(core.db, args);
      const match = query.startsWith('"') || query.endsWith('*') ? (query.endsWith('*') ? `"${query.slice(0, -1)}"*` : query) : `"${query}"`;
      const expected = core.db.prepare(inTask(taskId)).pluck().all(match) as number[];
      expect(expected.length, query).toBeGreaterThan(10);
      expect(unranked.ranked).toBe(false);
      expect(unranked.total, query).toBe(expected.length);
      expect(
        unranked.hits.map((h) => h.itemId),
        query,
      ).toEqual(expected.slice(3, 10));
      expect(unranked.facets, query).toEqual(ranked.facets);
      expect(ranked.total).toBe(expected.length);
    }
  });
});

describe('search index lifecycle', () => {
  it('is rebuilt from the library when it is lost or out of step', async () => {
    const home = tempDir();
    const core = open(home);
    await core.importPaths([PUBMEDQA]);
    const before = await core.handlers.search({ query: 'mammography', limit: 50, offset: 0 });
    expect(before.total).toBeGreaterThan(0);
    core.close();
    cores.length = 0;

    // Simulate a crash between the two commits: the index lost its data and its version.
    const idx = new Database(searchDbPath(home));
    idx.exec('DELETE FROM items_fts; UPDATE index_state SET items_version = 99');
    idx.close();
    const reopened = open(home);
    const after = await reopened.handlers.search({ query: 'mammography', limit: 50, offset: 0 });
    expect(after.total).toBe(before.total);
    expect(after.hits.map((h) => h.itemId)).toEqual(before.hits.map((h) => h.itemId));

    reopened.close();
    cores.length = 0;
    fs.rmSync(searchDbPath(home));
    for (const f of fs.readdirSync(home)) if (f.startsWith(path.basename(searchDbPath(home)))) fs.rmSync(path.join(home, f));
    const again = open(home);
    expect((await again.handlers.search({ query: 'mammography', limit: 50, offset: 0 })).total).toBe(before.total);
  });

  it('a cancelled import leaves library and index as they were', async () => {
    const home = tempDir();
    const core = open(home);
    await core.importPaths([data('medinst32/unseen_tests/NCBI-disease.json')]);
    const tasksBefore = await core.handlers.listTasks({});
    const searchBefore = await core.handlers.search({ query: 'Question', limit: 5, offset: 0 });
    const controller = new AbortController();
    const running = core.importPaths([PUBMEDQA], { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    const err = await running.then(
      () => null,
      (e: unknown) => e,
    );
    // A tiny file may finish before the abort lands; either way nothing is half-written.
    const tasksAfter = await core.handlers.listTasks({});
    if (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).message).toMatch(/cancelled/);
      expect(tasksAfter).toEqual(tasksBefore);
      expect((await core.handlers.search({ query: 'Question', limit: 5, offset: 0 })).total).toBe(searchBefore.total);
    } else {
      expect(tasksAfter.find((t) => t.name === 'PubMedQA-labeled')?.itemCount).toBe(500);
    }
  });

  it('replacing a split replaces its index entries', async () => {
    const home = tempDir();
    const core = open(home);
    await core.importPaths([PUBMEDQA]);
    const dir = path.join(tempDir(), 'unseen_tests');
    fs.mkdirSync(dir);
    const copy = path.join(dir, 'PubMedQA-labeled.json');
    const lines = fs.readFileSync(PUBMEDQA, 'utf8').split('\n').slice(0, 3);
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]!), input: 'Question: zebrafishxyz only here' });
    fs.writeFileSync(copy, lines.join('\n'));
    await core.importPaths([copy]);
    expect((await core.handlers.search({ query: 'zebrafishxyz', limit: 5, offset: 0 })).total).toBe(1);
    expect((await core.handlers.search({ query: 'mammography', limit: 5, offset: 0 })).total).toBe(0);
  });
});
