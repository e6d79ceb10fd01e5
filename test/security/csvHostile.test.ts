/**
 * Hostile CSV through both paths that read CSV (the generic import with a column mapping, and scoring
 * a predictions file), through the same dispatch the hosts use: an unclosed quote, a stray quote, a NUL
 * byte, a UTF-16 file, a huge unclosed field are 4xx errors naming file, line and field, never `internal`,
 * and the library is left unchanged; a BOM, CRLF row ends and a field larger than a read chunk are read right.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import { HTTP_STATUS, type ApiErrorData } from '../../src/shared/errors';
import { tempDir } from '../helpers';

let dir: string;
let core: MedtaskCore;

beforeAll(() => {
  dir = tempDir('medtask-csv-hostile-');
  core = new MedtaskCore({ home: path.join(dir, 'home') });
});

afterAll(() => {
  core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const items = () => core.db.prepare('SELECT count(*) FROM items').pluck().get() as number;

function put(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function importFailure(file: string): Promise<ApiErrorData> {
  const bugs: unknown[] = [];
  const env = await dispatchCall(core.handlers, 'importPaths', { paths: [file], mapping: { input: 'q', output: 'a' } }, { onBug: (_c, e) => bugs.push(e) });
  expect(env.ok, file).toBe(false);
  expect(bugs).toEqual([]);
  const error = (env as { error: ApiErrorData }).error;
  expect(HTTP_STATUS[error.code]).toBeGreaterThanOrEqual(400);
  expect(HTTP_STATUS[error.code]).toBeLessThan(500);
  expect(error.message).toContain(file);
  return error;
}

async function scoreFailure(file: string): Promise<ApiErrorData> {
  const bugs: unknown[] = [];
  const env = await dispatchCall(core.handlers, 'scorePredictions', { file }, { onBug: (_c, e) => bugs.push(e) });
  expect(env.ok, file).toBe(false);
  expect(bugs).toEqual([]);
  const error = (env as { error: ApiErrorData }).error;
  expect(error.code).toBe('invalid_input');
  expect(error.message).toContain(file);
  return error;
}

describe('hostile CSV on the import path', () => {
  it('an unclosed quote names the line it opened on and the column', async () => {
    const file = put('unclosed.csv', 'q,a\nfirst,yes\n"never closed,no\nmore text\n');
    const error = await importFailure(file);
    expect(error.code).toBe('import_failed');
    expect(error.message).toMatch(/record 1, line 3, field "q": unterminated quoted field/);
    expect(error.details).toMatchObject({ file, line: 3, record: 1, field: 'q' });
    expect(items()).toBe(0);
  });

  it('a huge unclosed field (larger than a read chunk) fails at the end with the line it opened on', async () => {
    const file = put('huge-unclosed.csv', `q,a\nx,y\n"${'w '.repeat(1_500_000)}`);
    const error = await importFailure(file);
    expect(error.details).toMatchObject({ line: 3, field: 'q' });
    expect(items()).toBe(0);
  });

  it('a stray quote, a NUL byte and a UTF-16 file are refused with their line', async () => {
    const stray = put('stray.csv', 'q,a\nheight,5" tall\n');
    expect((await importFailure(stray)).details).toMatchObject({ line: 2, field: 'a' });
    const nul = put('nul.csv', 'q,a\nx,y\nab\0c,d\n');
    const e = await importFailure(nul);
    expect(e.message).toMatch(/NUL character/);
    expect(e.details).toMatchObject({ line: 3, field: 'q' });
    const utf16 = put('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('q,a\r\nx,y\r\n', 'utf16le')]));
    expect((await importFailure(utf16)).message).toMatch(/invalid UTF-8/);
    expect(items()).toBe(0);
  });

  it('a BOM, CRLF row ends and a 3 MB quoted field spanning read chunks are read right', async () => {
    const big = `${'long, "quoted"\r\ntext '.repeat(150_000)}end`;
    const file = put('ok.csv', `\uFEFFq,a\r\n"${big.replace(/"/g, '""')}",yes\r\nshort,"no\r\nreally"\r\n`);
    const env = await dispatchCall(core.handlers, 'importPaths', { paths: [file], mapping: { input: 'q', output: 'a' } });
    expect(env.ok).toBe(true);
    const rows = core.db.prepare('SELECT input, output FROM items ORDER BY idx').all() as { input: string; output: string }[];
    expect(rows).toEqual([
      { input: big, output: 'yes' },
      { input: 'short', output: 'no\r\nreally' },
    ]);
  });
});

describe('hostile CSV on the predictions path', () => {
  it('unclosed quote, stray quote and NUL are bad input with file, line and field', async () => {
    const header = 'task_id,input,GT,output\n';
    const unclosed = await scoreFailure(put('p-unclosed.csv', `${header}task123,"q","yes","no\n`));
    expect(unclosed.details).toMatchObject({ line: 2, field: 'output' });
    const stray = await scoreFailure(put('p-stray.csv', `${header}task123,q,ye"s,no\n`));
    expect(stray.details).toMatchObject({ line: 2, field: 'GT' });
    const nul = await scoreFailure(put('p-nul.csv', `${header}task123,q,yes,no\ntask123,q\0,yes,no\n`));
    expect(nul.details).toMatchObject({ line: 3, field: 'input' });
  });
});
