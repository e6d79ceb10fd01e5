import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { parseQuery, snippet } from '../../src/core/search/highlight';
import { searchDbPath } from '../../src/core/search/searchDb';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S } from '../../src/shared/domain';
import { ApiError } from '../../src/shared/errors';
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
    idx.exec("DELETE FROM items_fts; UPDATE index_state SET items_version = 99");
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
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toMatch(/cancelled/);
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
