// The index writer hands text to its worker as UTF-8 bytes: non-ASCII words, folded diacritics, a text longer than a batch and an empty output are indexed as the text itself.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { search } from '../../src/core/search/query';
import { tempDir } from '../helpers';

const dir = tempDir('medtask-fts-text-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('search index text', () => {
  it('finds every row by its own words, whatever the script, and a 3 MB input', async () => {
    const long = `${'filler '.repeat(450_000)}needleword ${'tail '.repeat(10)}`;
    const rows = [
      { q: 'Café au lait spots in NF1', a: 'naïve' },
      { q: '日本語 の 文書 ward', a: 'ÅNGSTRÖM' },
      { q: 'emoji 🙂 between words zeta', a: '' },
      { q: long, a: 'yes' },
      ...Array.from({ length: 3000 }, (_, i) => ({ q: `row number${i} ${'x'.repeat(i % 700)}`, a: `ans${i}` })),
    ];
    const file = path.join(dir, 'rows.jsonl');
    fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const core = new MedtaskCore({ home: path.join(dir, 'home') });
    try {
      await core.handlers.importPaths({ paths: [file], mapping: { input: 'q', output: 'a' } });
      const total = (query: string) => search(core.db, { query, limit: 5, offset: 0 }).total;
      expect(total('cafe')).toBe(1);
      expect(total('Café')).toBe(1);
      expect(total('naive')).toBe(1);
      expect(total('angstrom')).toBe(1);
      expect(total('日本語')).toBe(1);
      expect(total('zeta')).toBe(1);
      expect(total('needleword')).toBe(1);
      expect(total('tail')).toBe(1);
      expect(total('number0')).toBe(1);
      expect(total('number2999')).toBe(1);
      expect(total('ans1234')).toBe(1);
      expect(total('row')).toBe(3000);
      expect(search(core.db, { query: 'needleword', limit: 1, offset: 0 }).hits[0]!.snippet).toContain('needleword');
    } finally {
      core.close();
    }
  });
});
