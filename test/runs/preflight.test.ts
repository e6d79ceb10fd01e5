/**
 * The pre-flight check counts each selected prompt with the model's own tokenizer and chat
 * template and says how many would not fit: checked against what the real engine then does with
 * the same spec (items over the budget fail with the same token count, the rest fit).
 * Real library, real node-llama-cpp with generated tiny GGUFs.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeTinyModel } from '../tooling/tinyModel';
import { MedtaskCore } from '../../src/core/service';
import type { RunSpec } from '../../src/shared/runs';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';
import { call } from '../compare/fixtures';

let core: MedtaskCore;
let model: string;
let small: string;
let taskId: number;

beforeAll(async () => {
  const dir = tempDir('medtask-preflight-');
  model = path.join(dir, 'tiny.gguf');
  small = path.join(dir, 'tiny-256.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
  // Trained for 256 tokens: byte-level PubMedQA prompts (~1,000+ tokens) cannot fit.
  await writeTinyModel(small, { ...TINY, contextLength: 256 });
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths([data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  taskId = (await core.handlers.listTasks({})).find((t) => t.name.startsWith('task123'))!.id;
});

afterAll(async () => {
  await core?.dispose();
});

const spec = (over: Partial<RunSpec['model']> = {}, limit = 8): RunSpec => ({
  model: { kind: 'local', path: model, threads: 1, ...over } as RunSpec['model'],
  template: { strategy: 'meds-bench', k: 0 },
  decoding: { maxTokens: 4, temperature: 0 },
  selection: { taskIds: [taskId], limit },
  parallel: 1,
});

it('a model trained for a small context: every prompt is over, the largest named with its tokens', async () => {
  const pre = await call(core, 'preflightRun', spec({ path: small }));
  expect(pre.counting).toBe('model');
  expect(pre.contextSize).toBe(256);
  expect(pre.budget).toBe(256 - 4);
  expect([pre.items, pre.checked, pre.renderErrors]).toEqual([8, 8, 0]);
  expect(pre.overBudget).toBe(8);
  expect(pre.largest!.promptTokens).toBeGreaterThan(256);
  expect(pre.largest!.task).toMatch(/^task123/);
  expect(pre.truncate).toBe('error');
});

it('counts exactly as the engine: the items it says are over fail with the same token count, the rest run', async () => {
  const wide = await call(core, 'preflightRun', spec({ contextSize: 8192 }));
  expect(wide.overBudget).toBe(0);
  const largest = wide.largest!.promptTokens;
  // The largest prompt and its 4 answer tokens do not fit a context of the 256-multiple below them
  // (node-llama-cpp allocates contexts in multiples of 256 cells; the engine's budget is that size).
  const context = Math.floor((largest + 3) / 256) * 256;
  const pre = await call(core, 'preflightRun', spec({ contextSize: context }));
  expect(pre.contextSize).toBe(context);
  expect(pre.budget).toBe(context - 4);
  expect(pre.overBudget).toBeGreaterThanOrEqual(1);
  expect(pre.overBudget).toBeLessThan(8);
  const run = await core.runs.wait((await core.handlers.createRun(spec({ contextSize: context }))).id);
  expect(run.itemErrors).toBe(pre.overBudget);
  const items = (await core.handlers.pageRunItems({ runId: run.id, limit: 100 })).items;
  const failed = items.filter((i) => i.status === 'error');
  expect(failed.map((i) => i.error).join('\n')).toContain(`Prompt is ${largest} tokens`);
  expect(failed.find((i) => i.index === pre.largest!.index)).toBeDefined();
  for (const i of items.filter((x) => x.status === 'done')) expect(i.promptTokens).toBeLessThanOrEqual(pre.budget!);
});

it('a truncation policy is reported (the items are cut, not failed); maxPromptTokens lowers the budget', async () => {
  const pre = await call(core, 'preflightRun', spec({ contextSize: 8192, truncate: 'keep-end', maxPromptTokens: 100 }));
  expect(pre.budget).toBe(100);
  expect(pre.truncate).toBe('keep-end');
  expect(pre.overBudget).toBe(8);
});

it('a remote model is estimated (no tokenizer here) and has no context to check against', async () => {
  const pre = await call(core, 'preflightRun', {
    ...spec(),
    model: { kind: 'remote', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' },
  });
  expect(pre.counting).toBe('estimate');
  expect([pre.contextSize, pre.budget, pre.overBudget]).toEqual([null, null, 0]);
  expect(pre.largest!.promptTokens).toBeGreaterThan(0);
});

it('a file that is not a model is bad input naming model.path', async () => {
  await expect(call(core, 'preflightRun', spec({ path: path.join(tempDir(), 'missing.gguf') }))).rejects.toMatchObject({
    details: { field: 'model.path' },
  });
});
