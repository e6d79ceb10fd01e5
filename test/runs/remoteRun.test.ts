/**
 * A benchmark run against a real llama-server (OpenAI-compatible) serving the tiny model:
 * the same run machinery, scored the same way, with per-item figures from the stream.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLlama } from '../../scripts/llamaBuild.mjs';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import { llamaServerAvailable, startServer, type Server } from '../inference/llamaServer';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

const canRun = llamaServerAvailable('remote run tests');
const suite = canRun ? describe : describe.skip;

suite('runs on a remote OpenAI-compatible server', () => {
  let server: Server | undefined;
  let core: MedtaskCore;
  let taskId: number;

  beforeAll(async () => {
    const built = await buildLlama({ targets: ['llama-server'] });
    const model = path.join(tempDir(), 'tiny.gguf');
    await writeTinyModel(model, { ...TINY, contextLength: 8192 });
    server = await startServer(built.binaries['llama-server']!, model, { context: 16384, parallel: 2 });
    core = new MedtaskCore({ home: tempDir() });
    await core.importPaths([data('medinst32/unseen_tests_zs/Hallmarks-of-Cancer.json')]);
    taskId = (await core.handlers.listTasks({}))[0]!.id;
  }, 30 * 60_000);

  afterAll(async () => {
    await core?.dispose();
    await server?.stop();
  });

  it('runs, records figures per item, scores, and is reproducible', async () => {
    const spec = {
      model: { kind: 'remote' as const, baseUrl: server!.url, model: 'tiny', concurrency: 2 },
      template: { strategy: 'medinst32' as const },
      decoding: { maxTokens: 8, temperature: 0 },
      selection: { taskIds: [taskId], limit: 4 },
      parallel: 2,
    };
    const a = await core.runs.wait((await core.handlers.createRun(spec)).id);
    expect(a.status).toBe('done');
    expect(a.kind).toBe('remote');
    expect([a.itemDone, a.itemErrors]).toEqual([4, 0]);
    expect(a.hardware).toMatchObject({ backend: 'remote', baseUrl: server!.url });
    const items = (await core.handlers.pageRunItems({ runId: a.id, limit: 10 })).items;
    for (const it of items) {
      expect(it.outputTokens).toBeGreaterThan(0);
      expect(it.promptTokens).toBeGreaterThan(0);
      expect(it.timeToFirstTokenMs).toBeGreaterThan(0);
    }
    expect(Object.keys(a.scores[0]!.metrics).sort()).toEqual(['multiLabelF1', 'rougeL', 'wordF1']);
    const b = await core.runs.wait((await core.handlers.createRun(spec)).id);
    expect((await core.handlers.pageRunItems({ runId: b.id, limit: 10 })).items.map((i) => i.rawOutput)).toEqual(items.map((i) => i.rawOutput));
  });

  it('an unreachable server fails the run with a message naming the URL', async () => {
    const run = await core.runs.wait(
      (
        await core.handlers.createRun({
          model: { kind: 'remote', baseUrl: 'http://127.0.0.1:9', model: 'tiny', timeoutMs: 2000 },
          template: { strategy: 'medinst32' },
          decoding: { maxTokens: 4, temperature: 0 },
          selection: { taskIds: [taskId], limit: 1 },
        })
      ).id,
    );
    const items = (await core.handlers.pageRunItems({ runId: run.id, limit: 10 })).items;
    expect(run.itemErrors).toBe(1);
    expect(items[0]!.error).toContain('127.0.0.1:9');
  });
});
