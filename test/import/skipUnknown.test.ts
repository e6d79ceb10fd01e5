/**
 * A folder that holds, beside real benchmark files, a file in no known layout: by default the
 * import stops and names it; asked to skip, preview and import leave it out and list it, and
 * the rest is imported. A file named on its own still fails.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import type { ImportPreview, ImportResult } from '../../src/shared/domain';
import { copyTo, data, put, tempDir } from './helpers';

const NCBI = data('medinst32/unseen_tests/NCBI-disease.json');
const ncbiRows = fs.readFileSync(NCBI, 'utf8').trim().startsWith('[')
  ? (JSON.parse(fs.readFileSync(NCBI, 'utf8')) as unknown[]).length
  : fs
      .readFileSync(NCBI, 'utf8')
      .split('\n')
      .filter((l) => l.trim()).length;

let home: string;
let root: string;
let stray: string;
let core: MedtaskCore;

beforeEach(async () => {
  home = await tempDir('medtask-skip-home-');
  root = await tempDir('medtask-skip-data-');
  await copyTo(root, 'unseen_tests/NCBI-disease.json', NCBI);
  // A lab's own notes next to the benchmark: JSON, but in no layout the importer knows.
  stray = await put(root, 'notes/annotator-guidelines.json', JSON.stringify({ version: 2, rules: ['mark disease mentions'] }));
  core = new MedtaskCore({ home });
});

afterEach(() => {
  core.close();
  for (const d of [home, root]) fs.rmSync(d, { recursive: true, force: true });
});

const itemCount = () => (core.db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n;

describe('skipUnknown', () => {
  it('by default stops on the unknown file, naming it, and writes nothing', async () => {
    const res = await dispatchCall(core.handlers, 'importPaths', { paths: [root] });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('import_failed');
    expect(res.error.message).toContain(`${stray}: unknown layout`);
    // The client offers to skip only what was found inside a folder.
    expect(res.error.details).toMatchObject({ file: stray, layout: 'unknown-in-folder' });
    expect(itemCount()).toBe(0);
  });

  it('preview lists the unknown file as left out, beside what would be imported', async () => {
    const res = await dispatchCall(core.handlers, 'previewImport', { paths: [root], skipUnknown: true });
    expect(res.ok).toBe(true);
    const { entries } = (res as { value: ImportPreview }).value;
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ benchmark: 'medinst32', task: 'NCBI-disease', rowCount: ncbiRows });
    expect(entries[0]!.skippedBecause).toBeUndefined();
    expect(entries[1]).toMatchObject({ file: stray, layout: 'unknown', rowCount: 0, bytes: fs.statSync(stray).size, skippedBecause: 'in no known layout' });
    expect(itemCount()).toBe(0);
  });

  it('imports the rest and reports the file it left out', async () => {
    const res = await dispatchCall(core.handlers, 'importPaths', { paths: [root], skipUnknown: true });
    expect(res.ok).toBe(true);
    const result = (res as { value: ImportResult }).value;
    expect(result.splits).toEqual([expect.objectContaining({ task: 'NCBI-disease', itemCount: ncbiRows, changed: true })]);
    expect(result.skipped).toEqual([{ file: stray, reason: 'in no known layout' }]);
    expect(itemCount()).toBe(ncbiRows);
  });

  it('still fails for an unknown file named on its own', async () => {
    const res = await dispatchCall(core.handlers, 'importPaths', { paths: [stray], skipUnknown: true });
    expect(res.ok).toBe(false);
    expect(res.ok ? null : res.error).toMatchObject({ code: 'import_failed', details: { file: stray, layout: 'unknown' } });
    expect(res.ok ? '' : res.error.message).toContain(`${stray}: unknown layout`);
  });
});
