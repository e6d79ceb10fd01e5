/**
 * The one CSV reader (core/csv/reader.ts) that the import and the predictions share: text cut into
 * chunks at every position reads the same as the whole text, a row longer than the cap is refused at
 * the line it starts on, and the import's streaming reader gives record, line and field in its errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvReader, parseCsvText, type CsvProblem, type CsvRow } from '../../src/core/csv/reader';
import { readCsvRecords } from '../../src/core/import/csv';
import { ImportError } from '../../src/core/import/types';
import { tempDir } from '../helpers';

const dir = tempDir('medtask-csv-reader-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const fail = (p: CsvProblem) => Object.assign(new Error(`line ${p.line}, column ${p.column}: ${p.problem}`), { problem: p });

function inChunks(text: string, cuts: number[]): CsvRow[] {
  const reader = new CsvReader({ fail });
  const rows: CsvRow[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    rows.push(...reader.push(text.slice(from, cut)));
    from = cut;
  }
  rows.push(...reader.end());
  return rows;
}

describe('CsvReader', () => {
  const text = '\uFEFFid,text,gold\r\n1,"a ""quoted""\r\nword",yes\r\n\r\n2,plain,"x,y"\n3,,"\n"\n""\n4,last,"end"';

  it('reads the same rows whatever the chunks', () => {
    const whole = parseCsvText(text, fail);
    expect(whole).toEqual([
      { line: 1, fields: ['id', 'text', 'gold'] },
      { line: 2, fields: ['1', 'a "quoted"\r\nword', 'yes'] },
      { line: 5, fields: ['2', 'plain', 'x,y'] },
      { line: 6, fields: ['3', '', '\n'] },
      { line: 8, fields: [''] },
      { line: 9, fields: ['4', 'last', 'end'] },
    ]);
    for (let a = 1; a < text.length; a++) {
      expect(inChunks(text, [a]), `cut at ${a}`).toEqual(whole);
      const b = Math.min(text.length - 1, a + 3);
      if (b > a) expect(inChunks(text, [a, b]), `cuts at ${a}, ${b}`).toEqual(whole);
    }
  });

  it('refuses a row longer than the cap at the line it starts on, in chunks or whole', () => {
    const long = `h\nshort\n"${'x'.repeat(500)}\n`;
    const caught = (read: () => unknown): CsvProblem => {
      try {
        read();
      } catch (e) {
        return (e as { problem: CsvProblem }).problem;
      }
      throw new Error('no error');
    };
    const whole = caught(() => parseCsvText(long, fail, 100));
    expect(whole).toMatchObject({ line: 3, record: 1 });
    expect(whole.problem).toMatch(/a row longer than 100 characters/);
    const chunked = caught(() => {
      const r = new CsvReader({ fail, maxRowChars: 100 });
      for (let i = 0; i < long.length; i += 7) r.push(long.slice(i, i + 7));
      r.end();
    });
    expect(chunked).toMatchObject({ line: 3, record: 1 });
  });
});

describe('readCsvRecords (import)', () => {
  it('names record, line and field of a syntax error, and a column count that does not match', async () => {
    const read = async (name: string, content: string, maxRowChars?: number) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      try {
        for await (const _ of readCsvRecords(file, { maxRowChars })) void _;
      } catch (e) {
        return e as ImportError;
      }
      throw new Error('no error');
    };
    const stray = await read('stray.csv', 'q,a\nx,y\nz,w"\n');
    expect(stray).toBeInstanceOf(ImportError);
    expect(stray.message).toMatch(/stray\.csv: record 1, line 3, field "a": a quote inside an unquoted field/);
    const long = await read('long.csv', `q,a\nx,"${'y'.repeat(5000)}"\n`, 1000);
    expect(long.location).toMatchObject({ line: 2, record: 0 });
    const columns = await read('columns.csv', 'q,a\nx,y\nonly\n');
    expect(columns.message).toMatch(/record 1, line 3: has 1 columns but the header has 2/);
  });
});
