/**
 * The Punkt parameters are read from folders named by the environment ($NLTK_DATA, ~/nltk_data,
 * system folders): only the four fixed files under tokenizers/punkt_tab/english are opened, a
 * folder missing one of them is passed over, a malformed entry is an error naming file and
 * line, and file contents are data (looked up in sets), never patterns or paths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nltkDataPaths, punktModel, punktSentences, readPunktParameters } from '../../src/core/metrics';
import { tempDir } from '../helpers';

function writeModel(base: string, files: Partial<Record<string, string>>): string {
  const dir = path.join(base, 'tokenizers', 'punkt_tab', 'english');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text!);
  return dir;
}
const GOOD = { 'abbrev_types.txt': 'dr\n', 'collocations.tab': '', 'sent_starters.txt': 'he\n', 'ortho_context.tab': 'smith\t2\n' };

const saved = { nltk: process.env.NLTK_DATA, home: process.env.HOME };
afterEach(() => {
  if (saved.nltk === undefined) delete process.env.NLTK_DATA;
  else process.env.NLTK_DATA = saved.nltk;
  process.env.HOME = saved.home;
});

describe('Punkt model files', () => {
  it('searches $NLTK_DATA entries first, then ~/nltk_data and the system folders', () => {
    const paths = nltkDataPaths({ NLTK_DATA: ['/a', '/b'].join(path.delimiter) });
    expect(paths.slice(0, 2)).toEqual(['/a', '/b']);
    expect(paths).toContain('/usr/share/nltk_data');
  });

  it('passes over a folder that lacks one of the four files and uses the next', () => {
    const partial = tempDir();
    const full = tempDir();
    writeModel(partial, { 'abbrev_types.txt': 'dr\n' });
    const dir = writeModel(full, GOOD);
    process.env.NLTK_DATA = [partial, full].join(path.delimiter);
    expect(punktModel()?.dir).toBe(dir);
  });

  it('names the file and line of a malformed entry', () => {
    const base = tempDir();
    const dir = writeModel(base, { ...GOOD, 'ortho_context.tab': 'smith\t2\njones\tnot-a-number\n' });
    expect(() => readPunktParameters(dir)).toThrow(`${path.join(dir, 'ortho_context.tab')}:2: expected a word, a tab and an integer`);
    const dir2 = writeModel(tempDir(), { ...GOOD, 'collocations.tab': 'one-word-only\n' });
    expect(() => readPunktParameters(dir2)).toThrow(/collocations\.tab:1: expected two tab-separated words/);
  });

  it('treats entries as data: regex metacharacters and path-like words change nothing but lookups', () => {
    const dir = writeModel(tempDir(), { ...GOOD, 'abbrev_types.txt': '(.*\n../../etc/passwd\n[a-z]+\ndr\n' });
    const params = readPunktParameters(dir);
    expect(params.abbrevTypes.has('(.*')).toBe(true);
    expect(punktSentences(params, 'Dr. Smith came. He left.')).toEqual(['Dr. Smith came.', 'He left.']);
  });
});
