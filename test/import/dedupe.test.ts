import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dedupeSplits } from '../../src/core/import/dedupe';
import { planImport } from '../../src/core/import/plan';
import { previewImport } from '../../src/core/import/preview';
import { ImportError } from '../../src/core/import/types';
import { copyTo, data, put, records, tempDir } from './helpers';

const JSON_FS = data('medinst32/unseen_tests/PubMedQA-labeled.json'); // 500 records, JSON Lines
const PQ_FS = data('medinst32-parquet/PubMedQA-labeled/test/0000.parquet'); // the same 500 rows

/** A Hub download holding a split twice: the main-branch JSON and the parquet-branch conversion. */
async function twins(jsonRows?: number): Promise<{ root: string; json: string; parquet: string }> {
  const root = `${await tempDir()}/MedINST32`;
  const json =
    jsonRows === undefined
      ? await copyTo(root, 'unseen_tests/PubMedQA-labeled.json', JSON_FS)
      : await put(root, 'unseen_tests/PubMedQA-labeled.json', (await readFile(JSON_FS, 'utf8')).split('\n').slice(0, jsonRows).join('\n') + '\n');
  const parquet = await copyTo(root, 'PubMedQA-labeled/test/0000.parquet', PQ_FS);
  return { root, json, parquet };
}

describe('dedupeSplits', () => {
  it('keeps the JSON of true twins (same row count) and says which parquet was left out', async () => {
    const { root, json, parquet } = await twins();
    const planned = await planImport([root]);
    expect(planned).toHaveLength(2);
    const { plans, skipped } = dedupeSplits(planned);
    expect(plans.map((p) => records(p).file)).toEqual([json]);
    expect(skipped).toEqual([{ file: parquet, reason: `medinst32/PubMedQA-labeled few-shot/test is imported from ${json}` }]);
    const preview = await previewImport([root]);
    expect(preview.entries.map((e) => [e.file, e.rowCount, e.skippedBecause !== undefined])).toEqual([
      [parquet, 500, true],
      [json, 500, false],
    ]);
  });

  it('twins with different row counts fail, naming both files and their counts (import and dry run)', async () => {
    const { root, json, parquet } = await twins(100);
    const planned = await planImport([root]);
    let err: unknown;
    try {
      dedupeSplits(planned);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    const e = err as ImportError;
    expect(e.message).toContain(`${json} (100 rows)`);
    expect(e.message).toContain(`${parquet} (500 rows)`);
    expect(e.message).toMatch(/medinst32\/PubMedQA-labeled few-shot\/test/);
    await expect(previewImport([root])).rejects.toThrow(/\(100 rows\).*\(500 rows\)|\(500 rows\).*\(100 rows\)/s);
  });
});

describe('countJsonLines (the twin count without parsing)', () => {
  it('counts the records of a real JSON Lines file as the reader does', async () => {
    const { countJsonLines } = await import('../../src/core/import/jsonfile');
    const n = (await readFile(JSON_FS, 'utf8')).split('\n').filter((l) => l.trim() !== '').length;
    expect(n).toBe(500);
    expect(await countJsonLines(JSON_FS)).toBe(500);
  });

  it('skips blank and whitespace-only lines, a BOM and CRLF, and counts a last line without a newline', async () => {
    const { countJsonLines, readJsonLines } = await import('../../src/core/import/jsonfile');
    const dir = await tempDir();
    const file = await put(dir, 'x.jsonl', '\uFEFF{"a":1}\r\n\r\n  \t\n{"a":2}\n{"a":3}');
    let read = 0;
    for await (const _ of readJsonLines(file)) read++;
    expect(read).toBe(3);
    expect(await countJsonLines(file)).toBe(3);
    expect(await countJsonLines(await put(dir, 'empty.jsonl', '\n \n'))).toBe(0);
  });
});
