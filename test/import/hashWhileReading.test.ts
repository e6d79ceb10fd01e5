// The provenance hash computed while the import reads a file (no separate read first): it equals the file's sha256, an unchanged re-import is still skipped, a same-size edit is still caught.
import crypto from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { put, tempDir } from './helpers';

const sha = async (f: string) =>
  crypto
    .createHash('sha256')
    .update(await readFile(f))
    .digest('hex');

function line(i: number, answer = 'yes'): string {
  return `${JSON.stringify({ instruction: 'Answer yes or no.', input: `Question ${i}: is ${'x'.repeat(i % 300)} ok?`, output: answer, history: [] })}\n`;
}

let core: MedtaskCore | undefined;
afterEach(() => {
  core?.close();
  core = undefined;
});

function sourceRows(c: MedtaskCore): { sha256: string; size: number }[] {
  return c.db.prepare('SELECT sha256, size FROM source_files ORDER BY split_id, part').all() as { sha256: string; size: number }[];
}

describe('hash while reading', () => {
  it('stores the sha256 of every byte (BOM and a file bigger than one read chunk included) and skips an unchanged re-import', async () => {
    const dir = await tempDir();
    // > 1 MiB so the reader's chunks (1 MiB) are hashed in several updates; a BOM the reader strips.
    let body = '\ufeff';
    for (let i = 0; body.length < 1.5 * (1 << 20); i++) body += line(i);
    const file = await put(dir, 'data/unseen_tests/Big-Task.json', body);
    core = new MedtaskCore({ home: path.join(dir, 'home') });
    const first = await core.handlers.importPaths({ paths: [file] });
    expect(first.splits[0]).toMatchObject({ changed: true });
    expect(sourceRows(core)).toEqual([{ sha256: await sha(file), size: Buffer.byteLength(body) }]);
    const again = await core.handlers.importPaths({ paths: [file] });
    expect(again.splits[0]).toMatchObject({ changed: false, itemCount: first.splits[0]!.itemCount });
  });

  it('a same-size edit and a grown file are imported again, with the new hash', async () => {
    const dir = await tempDir();
    const rows = Array.from({ length: 50 }, (_, i) => line(i));
    const file = await put(dir, 'data/unseen_tests/Task.json', rows.join(''));
    core = new MedtaskCore({ home: path.join(dir, 'home') });
    await core.handlers.importPaths({ paths: [file] });
    // same size: "yes" -> "no " would not be JSON-equal in size, so swap one answer for another of the same length
    rows[7] = line(7, 'ye5');
    await writeFile(file, rows.join(''));
    const edited = await core.handlers.importPaths({ paths: [file] });
    expect(edited.splits[0]).toMatchObject({ changed: true, itemCount: 50 });
    expect(sourceRows(core)[0]!.sha256).toBe(await sha(file));
    await writeFile(file, rows.join('') + line(50));
    const grown = await core.handlers.importPaths({ paths: [file] });
    expect(grown.splits[0]).toMatchObject({ changed: true, itemCount: 51 });
    expect(sourceRows(core)).toEqual([{ sha256: await sha(file), size: (await readFile(file)).length }]);
  });
});
