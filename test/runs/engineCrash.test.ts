/**
 * The inference engine runs in a child process: killing it (SIGKILL, as a native abort in
 * llama.cpp would end it) mid-run pauses the run with the reason while the core, its library and
 * its database live on; resuming starts a fresh engine and finishes every item exactly once,
 * with the same greedy outputs as a run that was never interrupted.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { EngineProcess } from '../../src/core/inference/child/engineProcess';
import { writeTinyModel } from '../tooling/tinyModel';
import type { RunSpec } from '../../src/shared/runs';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

let dir: string;
let model: string;
let core: MedtaskCore;
let taskId: number;

beforeAll(async () => {
  dir = tempDir('medtask-engine-crash-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
  core = new MedtaskCore({ home: tempDir() });
  await core.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json')]);
  taskId = (await core.handlers.listTasks({})).find((t) => t.name === 'PubMedQA-labeled')!.id;
});

afterAll(async () => {
  await core?.dispose();
});

const ITEMS = 24;
const spec: RunSpec = {
  model: { kind: 'local', path: '', threads: 1, contextSize: 8192 },
  template: { strategy: 'zero-shot' },
  decoding: { maxTokens: 48, temperature: 0 },
  selection: { taskIds: [], limit: ITEMS },
  parallel: 2,
};

function outputs(runId: number): { ord: number; status: string; raw_output: string | null }[] {
  return core.db.prepare('SELECT ord, status, raw_output FROM run_items WHERE run_id = ? ORDER BY ord').all(runId) as {
    ord: number;
    status: string;
    raw_output: string | null;
  }[];
}

describe('a run whose engine process dies', () => {
  it('pauses with the reason, and resumes on a fresh engine with every item exactly once', async () => {
    const s: RunSpec = { ...spec, model: { ...spec.model, path: model } as RunSpec['model'], selection: { taskIds: [taskId], limit: ITEMS } };
    const engine = core.engine as EngineProcess;
    expect(engine).toBeInstanceOf(EngineProcess);

    const straight = await core.runs.wait((await core.handlers.createRun(s)).id);
    expect(straight).toMatchObject({ status: 'done', itemDone: ITEMS, itemErrors: 0 });
    const firstPid = engine.pid;
    expect(firstPid).toBeGreaterThan(0);
    expect(firstPid).not.toBe(process.pid);
    const startsBefore = engine.starts;

    const created = await core.handlers.createRun(s);
    // Kill the engine once a few items are stored (the run keeps two chunks of 4 in flight).
    await new Promise<void>((resolve) => {
      const off = core.on('runProgress', (p) => {
        if (p.runId === created.id && p.done >= 3) {
          off();
          process.kill(firstPid!, 'SIGKILL');
          resolve();
        }
      });
    });
    const paused = await core.runs.wait(created.id);
    expect(paused.status).toBe('paused');
    expect(paused.error).toMatch(/crashed the inference engine.*SIGKILL/);
    expect(paused.itemDone).toBeGreaterThanOrEqual(3);
    expect(paused.itemDone).toBeLessThan(ITEMS);
    const doneBefore = outputs(created.id).filter((o) => o.status === 'done');
    console.log(`engine killed mid-run: ${doneBefore.length}/${ITEMS} items stored before the kill`);

    // The core lives on: the library answers, and the next generation starts a fresh engine.
    expect((await core.handlers.listTasks({})).length).toBeGreaterThan(0);
    const resumed = await core.runs.resume(created.id);
    expect(resumed).toMatchObject({ status: 'done', itemDone: ITEMS, itemTotal: ITEMS, itemErrors: 0, error: null });
    expect(engine.starts).toBe(startsBefore + 1);
    expect(engine.pid).not.toBe(firstPid);

    const after = outputs(created.id);
    // Items stored before the kill were not generated again, and the rest match the uninterrupted run.
    for (const d of doneBefore) expect(after.find((a) => a.ord === d.ord)).toEqual(d);
    expect(after).toEqual(outputs(straight.id));
  });
});
