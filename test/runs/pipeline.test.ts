/**
 * The runner keeps the engine's sequences fed: the next chunk of items is handed over while the
 * current one drains, never more than two at once, and the outputs are those of a straight run.
 * Real SQLite library, real node-llama-cpp engine with the generated tiny model; the generator is
 * the app's own local generator, only wrapped to note when each chunk starts and ends.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceEngine } from '../../src/core/inference/engine';
import { writeTinyModel } from '../tooling/tinyModel';
import { localGenerator } from '../../src/core/runs/localGenerator';
import { RunManager } from '../../src/core/runs/manager';
import type { Generator } from '../../src/core/runs/runner';
import { MedtaskCore } from '../../src/core/service';
import type { RunSpec } from '../../src/shared/runs';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
let engine: InferenceEngine;
let model: string;
let taskId: number;

beforeAll(async () => {
  const dir = tempDir('medtask-pipeline-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 4096 });
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths([data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  taskId = (await core.handlers.listTasks({})).find((t) => t.name.startsWith('task123'))!.id;
  engine = new InferenceEngine({ gpu: false, threads: 1 });
});

afterAll(async () => {
  await engine?.dispose();
  await core?.dispose();
});

interface Window {
  items: number;
  start: number;
  end: number;
}

/** The local generator, noting each chunk's start and end. */
function observed(windows: Window[]): (spec: RunSpec) => Promise<Generator> {
  return async (spec) => {
    if (spec.model.kind !== 'local') throw new Error('local only');
    const inner = localGenerator(engine, spec.model);
    return {
      ...inner,
      async generateMany(requests, opts) {
        const w: Window = { items: requests.length, start: performance.now(), end: Infinity };
        windows.push(w);
        try {
          await inner.generateMany(requests, opts);
        } finally {
          w.end = performance.now();
        }
      },
    };
  };
}

const spec = (parallel: number): RunSpec => ({
  model: { kind: 'local', path: model, threads: 1, contextSize: 4096 },
  template: { strategy: 'meds-bench', k: 0 },
  decoding: { maxTokens: 5, temperature: 0 },
  selection: { taskIds: [taskId], limit: 10 },
  parallel,
});

async function outputs(manager: RunManager, parallel: number): Promise<(string | null)[]> {
  const created = manager.create(spec(parallel), { start: true });
  const run = await manager.wait(created.id);
  expect(run.status).toBe('done');
  expect([run.itemDone, run.itemErrors]).toEqual([10, 0]);
  return (await core.handlers.pageRunItems({ runId: run.id, limit: 100 })).items.map((i) => i.rawOutput);
}

describe('run pipelining', () => {
  it('hands the next chunk over before the current one drains, two at most, with the outputs of a straight run', async () => {
    const straight: Window[] = [];
    const one = await outputs(new RunManager(core.db, observed(straight), () => undefined), 1);
    const windows: Window[] = [];
    const two = await outputs(new RunManager(core.db, observed(windows), () => undefined), 2);

    expect(two).toEqual(one);
    expect(one.every((o) => typeof o === 'string' && o.length > 0)).toBe(true);
    // 10 items, chunks of 2 × parallel: 4, 4, 2.
    expect(windows.map((w) => w.items)).toEqual([4, 4, 2]);
    // The second chunk starts while the first is still generating ...
    expect(windows[1]!.start).toBeLessThan(windows[0]!.end);
    // ... and the third only once one of the two before it is done.
    expect(windows[2]!.start).toBeGreaterThanOrEqual(Math.min(windows[0]!.end, windows[1]!.end));
  });
});
