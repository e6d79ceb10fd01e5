/**
 * `scorePredictions` reads a file the caller names: through a confined host it reads only
 * inside the allowed folders, refuses a link or a hidden path the way every file-facing call
 * does, and a malformed file is bad input with file/line/field (never `internal`, never the
 * file's contents). A valid file scores exactly as the metric ports score it directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { readPredictionsFile, scorePredictionSet } from '../../src/core/predictions';
import { dispatchCall } from '../../src/shared/dispatch';
import { HTTP_STATUS, type ApiErrorData } from '../../src/shared/errors';
import { tempDir } from '../helpers';

const SECRET = 'root:x:0:0-secret-line';
let userHome: string;
let allowed: string;
let outside: string;
let core: MedtaskCore;

beforeAll(() => {
  userHome = tempDir('medtask-score-home-');
  allowed = path.join(userHome, 'work');
  fs.mkdirSync(allowed);
  outside = tempDir('medtask-score-outside-');
  core = new MedtaskCore({ home: path.join(userHome, '.medtask'), fileAccess: { confine: true, allowDirs: [], userHome } });
});

afterAll(() => {
  core.close();
  for (const d of [userHome, outside]) fs.rmSync(d, { recursive: true, force: true });
});

async function failure(input: unknown, bugs: unknown[] = []): Promise<ApiErrorData> {
  const env = await dispatchCall(core.handlers, 'scorePredictions', input, { onBug: (_c, err) => bugs.push(err) });
  expect(env.ok).toBe(false);
  return (env as { error: ApiErrorData }).error;
}

describe('scorePredictions', () => {
  it('scores a file inside the allowed folders exactly as the metric ports do', async () => {
    const file = path.join(allowed, 'preds.csv');
    fs.writeFileSync(file, 'task_id,input,GT,output\ntask123,"q1","yes","yes"\ntask123,"q2","no","yes"\n');
    const env = await dispatchCall(core.handlers, 'scorePredictions', { file });
    expect(env.ok).toBe(true);
    const report = (env as { value: { file: string; tasks: unknown[]; mode: string } }).value;
    expect(report).toEqual({ file, ...scorePredictionSet(await readPredictionsFile(file), { mode: 'reference' }) });
    expect(report.tasks.length).toBeGreaterThan(0);
  });

  it('a malformed CSV is bad input naming file, line and field, not a bug', async () => {
    const file = path.join(allowed, 'broken.csv');
    fs.writeFileSync(file, 'task_id,input,GT,output\ntask123,"q","yes","no"\n,"q2","no","no"\n');
    const bugs: unknown[] = [];
    const error = await failure({ file }, bugs);
    expect(error.code).toBe('invalid_input');
    expect(HTTP_STATUS[error.code]).toBe(400);
    expect(error.details).toMatchObject({ file, line: 3, field: 'task_id' });
    expect(bugs).toEqual([]);
  });

  it('refuses a file outside the allowed folders, a link out of them, and a hidden path', async () => {
    const secret = path.join(outside, 'secret.csv');
    fs.writeFileSync(secret, `task_id,input,GT,output\n${SECRET},"q","a","b"\n`);
    const link = path.join(allowed, 'link.csv');
    fs.symlinkSync(secret, link);
    const hidden = path.join(userHome, '.ssh', 'preds.csv');
    fs.mkdirSync(path.dirname(hidden));
    fs.writeFileSync(hidden, 'task_id,input,GT,output\n');
    for (const [file, reason] of [
      [secret, 'outside_allowed_folders'],
      // A link is followed and judged by where it leads.
      [link, 'outside_allowed_folders'],
      [hidden, 'hidden_path'],
    ] as const) {
      const error = await failure({ file });
      expect(error.code, file).toBe('invalid_input');
      expect(error.details?.reason, file).toBe(reason);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('a file that is not UTF-8 text does not echo its bytes', async () => {
    const file = path.join(allowed, 'binary.json');
    fs.writeFileSync(file, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x72, 0x6f, 0x6f, 0x74]));
    const error = await failure({ file });
    expect(['invalid_input', 'import_failed']).toContain(error.code);
    expect(error.message).not.toMatch(/root/);
  });
});
