/**
 * The run list says what each run is without opening it (tasks, configs, strategy and shots,
 * model and adapters, saved configuration), and a selection a task cannot serve is named by the
 * task's name, not its internal id. Real library and run store.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MedtaskCore } from '../../src/core/service';
import type { RunSpec } from '../../src/shared/runs';
import { TASK_CONFIGS } from '../../src/shared/enums';
import { call, compareLibrary, writeRun } from '../compare/fixtures';

let lib: Awaited<ReturnType<typeof compareLibrary>>;
let core: MedtaskCore;

beforeAll(async () => {
  lib = await compareLibrary();
  core = lib.core;
});
afterAll(async () => {
  await core.dispose();
});

const spec = (over: Partial<RunSpec> = {}): RunSpec => ({
  model: {
    kind: 'local',
    path: '/models/base.gguf',
    configName: 'half-lora',
    loras: [{ path: '/models/a-lora.gguf', scale: 0.5 }, { path: '/models/b.gguf' }],
  },
  template: { strategy: 'meds-bench', k: 3 },
  decoding: { maxTokens: 4, temperature: 0 },
  selection: { taskIds: [lib.pubmedqa, lib.task123], limit: 2 },
  ...over,
});

it('each listed run carries its setup: tasks, configs, strategy and shots, model, adapters, configuration', async () => {
  const created = core.runs.create(spec(), { start: false });
  const listed = (await call(core, 'listRuns', {})).find((r) => r.id === created.id)!;
  const configs = core.db.prepare('SELECT DISTINCT s.config FROM splits s').pluck().all() as string[];
  expect(listed.setup).toEqual({
    tasks: ['PubMedQA-labeled', expect.stringMatching(/^task123/)],
    configs: expect.arrayContaining([expect.any(String)]),
    strategy: 'meds-bench',
    shots: 3,
    model: 'base.gguf',
    adapters: ['a-lora.gguf×0.5', 'b.gguf'],
    configName: 'half-lora',
  });
  expect(listed.setup!.configs.every((c) => configs.includes(c))).toBe(true);
  // Imported-like rows (no spec): tasks and configs from the items, no strategy or model.
  const bare = writeRun(core.db, 'bare', [lib.pubmedqa], 2, () => true);
  const bareSetup = (await call(core, 'getRun', { runId: bare })).setup!;
  expect(bareSetup).toMatchObject({ tasks: ['PubMedQA-labeled'], strategy: null, shots: null, model: null, adapters: [], configName: null });
});

it('a config the task lacks is an error naming the task by benchmark and name, on the config field', async () => {
  const has = core.db.prepare('SELECT DISTINCT config FROM splits WHERE task_id = ?').pluck().all(lib.task123) as string[];
  const lacked = TASK_CONFIGS.find((c) => !has.includes(c))!;
  const err = await call(core, 'createRun', spec({ selection: { taskIds: [lib.task123], config: lacked } })).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'not_found', details: { field: 'selection.config' } });
  expect((err as Error).message).toMatch(new RegExp(`^meds-bench/task123\\S* has no ${lacked} split to run`));
  expect((err as Error).message).not.toMatch(new RegExp(`task ${lib.task123}\\b`));
});
