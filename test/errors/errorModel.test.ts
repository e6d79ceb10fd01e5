/**
 * The error model end to end through the real dispatch and a real core: expected errors keep
 * their kind and location, validation failures come as structured issues, and only bugs are
 * `internal` (and reach the host's bug hook).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { dispatchCall } from '../../src/shared/dispatch';
import { HTTP_STATUS, toErrorData, type ApiErrorData } from '../../src/shared/errors';
import { BadInputError, ConflictError, NotFoundError } from '../../src/core/errors';
import { tempDir } from '../helpers';

const cores: MedtaskCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

function newCore(): MedtaskCore {
  const core = new MedtaskCore({ home: tempDir('medtask-errors-') });
  cores.push(core);
  return core;
}

async function failure(core: MedtaskCore, name: string, input: unknown, bugs: unknown[] = []): Promise<ApiErrorData> {
  const envelope = await dispatchCall(core.handlers, name, input, { onBug: (_call, err) => bugs.push(err) });
  if (envelope.ok) throw new Error(`${name} unexpectedly succeeded`);
  return envelope.error;
}

describe('error model', () => {
  it('a malformed predictions CSV is bad input with its file, line and field, not internal', async () => {
    const core = newCore();
    const dir = tempDir('medtask-errors-csv-');
    const file = path.join(dir, 'preds.csv');
    fs.writeFileSync(file, 'task_id,input,GT,output\ntask123,"q","yes","no"\n,"q2","no","no"\n');
    const bugs: unknown[] = [];
    const error = await failure(core, 'importPredictions', { file }, bugs);
    expect(error.code).toBe('invalid_input');
    expect(HTTP_STATUS[error.code]).toBe(400);
    expect(error.details).toMatchObject({ file, line: 3, field: 'task_id' });
    expect(error.message).toContain('line 3');
    expect(bugs).toHaveLength(0);
  });

  it('a missing predictions file is not_found (404) naming the file', async () => {
    const core = newCore();
    const file = path.join(tempDir(), 'nope.csv');
    const error = await failure(core, 'importPredictions', { file });
    expect(error.code).toBe('not_found');
    expect(HTTP_STATUS[error.code]).toBe(404);
    expect(error.message).toContain('nope.csv');
  });

  it('validation failures carry one structured issue per field', async () => {
    const core = newCore();
    const error = await failure(core, 'pageItems', { taskId: -1, limit: 5000, bogus: 1 });
    expect(error.code).toBe('invalid_input');
    const paths = (error.issues ?? []).map((i) => i.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['taskId', 'limit']));
    expect(error.issues!.every((i) => typeof i.message === 'string' && i.message.length > 0)).toBe(true);
  });

  it('messages never echo a huge input back', async () => {
    const core = newCore();
    const huge = 'x'.repeat(5_000_000);
    const error = await failure(core, huge, {});
    expect(error.code).toBe('not_found');
    expect(error.message.length).toBeLessThan(300);
    const bad = await failure(core, 'search', { query: 'a', benchmark: huge });
    expect(JSON.stringify(bad).length).toBeLessThan(5_000);
  });

  it('typed core errors map by kind; anything else is a bug reported as internal', () => {
    expect(toErrorData(new BadInputError('bad', { file: 'f.csv', line: 2 }))).toEqual({
      code: 'invalid_input',
      message: 'bad',
      details: { file: 'f.csv', line: 2 },
    });
    expect(toErrorData(new NotFoundError('gone')).code).toBe('not_found');
    expect(HTTP_STATUS[toErrorData(new ConflictError('exists')).code]).toBe(409);
    const bugs: unknown[] = [];
    const data = toErrorData(new TypeError('x is undefined'), (e) => bugs.push(e));
    expect(data.code).toBe('internal');
    expect(data.message).toContain('bug');
    expect(bugs).toHaveLength(1);
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/nope/x' });
    expect(toErrorData(enoent)).toMatchObject({ code: 'not_found', details: { file: '/nope/x' } });
  });

  it('every error code is a 4xx except bugs', () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
      if (code === 'internal') expect(status).toBe(500);
      else expect(status >= 400 && status < 500, code).toBe(true);
    }
  });
});
