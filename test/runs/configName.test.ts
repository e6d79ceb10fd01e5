/** A run started from a saved model configuration records the configuration's name and shows it in its model label. */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import { TINY } from '../models/fixtures';
import { runSpecSchema } from '../../src/shared/runSchemas';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
let model: string;
let task: number;

beforeAll(async () => {
  const dir = tempDir('medtask-runcfg-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 4096 });
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths([data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  task = (await core.handlers.listTasks({})).find((t) => t.name.startsWith('task123'))!.id;
});

afterAll(async () => {
  await core.dispose();
});

it('records configName in the spec and puts it in the model label; a plain model run has none', async () => {
  const base = {
    template: { strategy: 'meds-bench' as const, k: 0 },
    decoding: { maxTokens: 2, temperature: 0 },
    selection: { taskIds: [task], limit: 1 },
    parallel: 1,
  };
  const withCfg = await core.handlers.createRun({ ...base, model: { kind: 'local', path: model, threads: 1, contextSize: 4096, configName: 'tiny-greedy' } });
  const plain = await core.handlers.createRun({ ...base, model: { kind: 'local', path: model, threads: 1, contextSize: 4096 } });
  await core.runs.wait(withCfg.id);
  await core.runs.wait(plain.id);
  const a = await core.handlers.getRun({ runId: withCfg.id });
  const b = await core.handlers.getRun({ runId: plain.id });
  expect(a.spec?.model.kind === 'local' && a.spec.model.configName).toBe('tiny-greedy');
  expect(a.modelLabel.startsWith('tiny-greedy: ')).toBe(true);
  expect(a.modelLabel).toContain('tiny.gguf');
  expect(b.modelLabel).not.toContain('tiny-greedy');
  // the contract refuses an empty name (the hosts validate with this schema)
  expect(runSpecSchema.safeParse({ ...base, model: { kind: 'local', path: model, configName: ' ' } }).success).toBe(false);
  expect(runSpecSchema.safeParse({ ...base, model: { kind: 'local', path: model, configName: 'tiny-greedy' } }).success).toBe(true);
});
