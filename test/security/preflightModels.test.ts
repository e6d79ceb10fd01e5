/**
 * The pre-flight check reads a local model's vocabulary in the host process (not the engine's child),
 * so every crafted GGUF must be refused by our own header checks before llama.cpp sees it: a clear
 * bad-input error naming model.path and the reason, and a host that goes on answering.
 * Real library, real node-llama-cpp, hostile files written from the tiny model.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import type { RunSpec } from '../../src/shared/runs';
import { HOSTILE_CASES, writeHostileModels } from '../models/hostile';
import { data, tempDir } from '../helpers';
import { call } from '../compare/fixtures';

let core: MedtaskCore;
let taskId: number;
let hostile: Map<string, string>;

beforeAll(async () => {
  hostile = await writeHostileModels(tempDir('medtask-preflight-hostile-'));
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths([data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  taskId = (await core.handlers.listTasks({})).find((t) => t.name.startsWith('task123'))!.id;
});

afterAll(async () => {
  await core?.dispose();
});

const spec = (modelPath: string): RunSpec =>
  ({
    model: { kind: 'local', path: modelPath, threads: 1 },
    template: { strategy: 'meds-bench', k: 0 },
    decoding: { maxTokens: 4, temperature: 0 },
    selection: { taskIds: [taskId], limit: 2 },
    parallel: 1,
  }) as RunSpec;

it('refuses every crafted model header with its reason, and the host still answers', async () => {
  for (const c of HOSTILE_CASES) {
    const file = hostile.get(c.name)!;
    await expect(call(core, 'preflightRun', spec(file)), c.name).rejects.toMatchObject({
      details: { field: 'model.path' },
      message: expect.stringMatching(c.reason),
    });
  }
  expect((await core.handlers.listTasks({})).length).toBeGreaterThan(0);
});
