/**
 * The pre-flight check of a remote run against a real llama-server serving the tiny model: the
 * server's own context (GET /props) and its exact prompt counts (POST /apply-template, /tokenize),
 * checked against the prompt tokens the same server reports when it runs those prompts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLlama } from '../../scripts/llamaBuild.mjs';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import { llamaServerAvailable, startServer, type Server } from '../inference/llamaServer';
import { TINY } from '../models/fixtures';
import { data, tempDir } from '../helpers';

const canRun = llamaServerAvailable('remote pre-flight tests');
const suite = canRun ? describe : describe.skip;
const CONTEXT = 2048;

suite('pre-flight of a run on llama-server', () => {
  let server: Server | undefined;
  let core: MedtaskCore;
  let taskId: number;

  beforeAll(async () => {
    const built = await buildLlama({ targets: ['llama-server'] });
    const model = path.join(tempDir(), 'tiny.gguf');
    await writeTinyModel(model, { ...TINY, contextLength: 8192 });
    // One slot: the slot's context is the whole -c.
    server = await startServer(built.binaries['llama-server']!, model, { context: CONTEXT, parallel: 1 });
    core = new MedtaskCore({ home: tempDir() });
    await core.importPaths([data('medinst32/unseen_tests_zs/Hallmarks-of-Cancer.json')]);
    taskId = (await core.handlers.listTasks({}))[0]!.id;
  }, 30 * 60_000);

  afterAll(async () => {
    await core?.dispose();
    await server?.stop();
  });

  const spec = (maxTokens: number, baseUrl = server!.url) => ({
    model: { kind: 'remote' as const, baseUrl, model: 'tiny' },
    template: { strategy: 'medinst32' as const },
    decoding: { maxTokens, temperature: 0 },
    selection: { taskIds: [taskId], limit: 4 },
  });

  it("counts with the server's tokenizer against its context, as many tokens as the server then reports", async () => {
    for (const baseUrl of [server!.url, `${server!.url}/v1`]) {
      const pre = await core.handlers.preflightRun(spec(8, baseUrl));
      expect(pre).toMatchObject({ counting: 'model', contextSize: CONTEXT, budget: CONTEXT - 8, checked: 4, overBudget: 0 });
    }
    const pre = await core.handlers.preflightRun(spec(8));
    const run = await core.runs.wait((await core.handlers.createRun(spec(8))).id);
    expect(run.status).toBe('done');
    const items = (await core.handlers.pageRunItems({ runId: run.id, limit: 10 })).items;
    const largest = Math.max(...items.map((i) => i.promptTokens ?? 0));
    expect(largest).toBeGreaterThan(10);
    expect(pre.largest!.promptTokens).toBe(largest);
  });

  it('a max-tokens that leaves less than the largest prompt is seen before the run', async () => {
    const first = await core.handlers.preflightRun(spec(8));
    const maxTokens = CONTEXT - first.largest!.promptTokens + 1;
    const pre = await core.handlers.preflightRun(spec(maxTokens));
    expect(pre.budget).toBe(first.largest!.promptTokens - 1);
    expect(pre.overBudget).toBeGreaterThanOrEqual(1);
  });
});
