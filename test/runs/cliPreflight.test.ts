/**
 * `medtask run --dry-run`: the pre-flight check from a terminal, through the real CLI program on a
 * real library and a generated tiny GGUF trained for a small context; no run is created.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { medtaskIn } from '../cliHelpers';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

let home: string;
let small: string;
const exitCode = process.exitCode;

const medtask = (...args: string[]): Promise<string> => medtaskIn(home, ...args);

beforeAll(async () => {
  const dir = tempDir('medtask-cli-preflight-');
  home = path.join(dir, 'home');
  small = path.join(dir, 'tiny-256.gguf');
  await writeTinyModel(small, { ...TINY, contextLength: 256 });
  const core = new MedtaskCore({ home });
  await core.importPaths([data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  await core.dispose();
});

afterAll(() => {
  process.exitCode = exitCode;
});

const flags = () => [
  'run',
  '--task',
  'task123_pubmedqa_test_set',
  '--model',
  small,
  '--threads',
  '1',
  '--limit',
  '3',
  '--max-tokens',
  '4',
  '--strategy',
  'meds-bench',
  '--dry-run',
];

it('says how many prompts do not fit, the largest and what to change, exits 1, and creates no run', async () => {
  const out = await medtask(...flags());
  expect(out).toMatch(/^pre-flight: 3 of 3 prompts do not fit \(budget 252 prompt tokens = context 256 - 4 max tokens\)/);
  expect(out).toMatch(/largest: item #\d+ of task123_pubmedqa_test_set, \d+ tokens vs 252 \(counted with the model's tokenizer and chat template\)/);
  expect(out).toContain('those items will fail: raise --context-size');
  expect(process.exitCode).toBe(1);
  process.exitCode = 0;
  const db = new Database(path.join(home, 'library.sqlite'), { readonly: true });
  expect(db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
  db.close();
});

it('--json prints the check itself; a truncation policy says the prompts will be cut, and exits 0', async () => {
  const json = JSON.parse(await medtask(...flags(), '--json')) as { overBudget: number; budget: number; counting: string };
  expect(json).toMatchObject({ overBudget: 3, budget: 252, counting: 'model' });
  process.exitCode = 0;
  const out = await medtask(...flags(), '--truncate', 'keep-end');
  expect(out).toContain('those prompts will be cut (--truncate keep-end)');
  expect(process.exitCode).toBe(0);
});
