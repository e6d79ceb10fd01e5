import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyLora, writeTinyModel } from '../tooling/tinyModel';
import { readPredictionsFile } from '../../src/core/predictions/files';
import { scorePredictionSet } from '../../src/core/predictions/score';
import type { RunProgress, RunSpec } from '../../src/shared/runs';
import { TINY } from '../models/fixtures';
import { data, readRecords, tempDir } from '../helpers';

let dir: string;
let model: string;
let loraFile: string;
let home: string;
let core: MedtaskCore;
let pubmedFs: number;
let meds: number;

beforeAll(async () => {
  dir = tempDir('medtask-runs-');
  model = path.join(dir, 'tiny.gguf');
  loraFile = path.join(dir, 'tiny-lora.gguf');
  // Byte-level tokens make a PubMedQA two-shot prompt ~3,500 tokens: train the tiny model for 8k.
  await writeTinyModel(model, { ...TINY, contextLength: 8192 });
  await writeTinyLora(loraFile, { ...TINY, contextLength: 8192 }, { seed: 3, rank: 4, alpha: 8 });
  home = tempDir();
  core = new MedtaskCore({ home });
  await core.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json'), data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  const tasks = await core.handlers.listTasks({});
  pubmedFs = tasks.find((t) => t.name === 'PubMedQA-labeled')!.id;
  meds = tasks.find((t) => t.name.startsWith('task123'))!.id;
});

afterAll(async () => {
  await core.dispose();
});

const spec = (over: Partial<RunSpec> = {}): RunSpec => ({
  model: { kind: 'local', path: model, threads: 1, contextSize: 8192 },
  template: { strategy: 'medinst32' },
  decoding: { maxTokens: 6, temperature: 0 },
  selection: { taskIds: [pubmedFs], limit: 3 },
  parallel: 1,
  ...over,
});

async function outputs(runId: number): Promise<(string | null)[]> {
  return (await core.handlers.pageRunItems({ runId, limit: 1000 })).items.map((i) => i.rawOutput);
}

describe('benchmark runs on the real runtime with a generated model', () => {
  it('runs MedINST32 few-shot prompts, stores the exact prompt and figures per item, and scores the task', async () => {
    const progress: RunProgress[] = [];
    const off = core.on('runProgress', (p) => progress.push(p));
    const created = await core.handlers.createRun(spec());
    const run = await core.runs.wait(created.id);
    off();
    expect(run.status).toBe('done');
    expect([run.itemDone, run.itemTotal, run.itemErrors]).toEqual([3, 3, 0]);
    expect(run.hardware).toMatchObject({ backend: 'cpu', threads: 1 });
    expect(run.templateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.at(-1)).toMatchObject({ runId: run.id, status: 'done', done: 3, total: 3 });

    const first = readRecords<{ instruction: string; input: string; history: [string, string][] }>(data('medinst32/unseen_tests/PubMedQA-labeled.json'))[0]!;
    const items = (await core.handlers.pageRunItems({ runId: run.id, limit: 10 })).items;
    expect(items[0]!.renderedPrompt).toContain(`${first.instruction}\n${first.input}`);
    expect(items[0]!.renderedPrompt).toContain(first.history[0]![1]);
    for (const it of items) {
      expect(it.status).toBe('done');
      expect(it.outputTokens).toBe(6);
      expect(it.promptTokens).toBeGreaterThan(100);
      expect(it.latencyMs).toBeGreaterThan(0);
      expect(typeof it.rawOutput).toBe('string');
    }
    const scores = run.scores.find((s) => s.task === 'PubMedQA-labeled')!;
    expect(scores.itemCount).toBe(3);
    expect(Object.keys(scores.metrics).sort()).toEqual(['labelMacroF1', 'rougeL', 'wordF1']);
  });

  it('gives identical greedy outputs on a second run and with 2 parallel sequences; a LoRA changes them', async () => {
    const a = await core.runs.wait((await core.handlers.createRun(spec())).id);
    const b = await core.runs.wait((await core.handlers.createRun(spec({ parallel: 2 }))).id);
    const c = await core.runs.wait(
      (await core.handlers.createRun(spec({ model: { kind: 'local', path: model, threads: 1, contextSize: 8192, loras: [{ path: loraFile, scale: 1 }] } }))).id,
    );
    expect(await outputs(b.id)).toEqual(await outputs(a.id));
    expect(await outputs(c.id)).not.toEqual(await outputs(a.id));
  });

  it('pauses mid-run and resumes with no item lost or done twice', async () => {
    const straight = await core.runs.wait((await core.handlers.createRun(spec({ selection: { taskIds: [pubmedFs], limit: 8 } }))).id);
    const created = await core.handlers.createRun(spec({ selection: { taskIds: [pubmedFs], limit: 8 } }));
    const off = core.on('runProgress', (p) => {
      if (p.runId === created.id && p.done >= 2 && p.status === 'running') core.runs.pause(created.id);
    });
    const paused = await core.runs.wait(created.id);
    off();
    expect(paused.status).toBe('paused');
    expect(paused.itemDone).toBeGreaterThanOrEqual(2);
    expect(paused.itemDone).toBeLessThan(8);

    // A new core over the same files, as after a restart.
    await core.dispose();
    core = new MedtaskCore({ home });
    const resumed = await core.runs.resume(created.id);
    expect(resumed.status).toBe('done');
    expect(resumed.itemDone).toBe(8);
    expect(await outputs(created.id)).toEqual(await outputs(straight.id));
  });

  it('runs MedS-Bench k-shot prompts and rescores in corrected mode without re-running', async () => {
    const run = await core.runs.wait(
      (
        await core.handlers.createRun(
          spec({ template: { strategy: 'meds-bench', k: 2, seed: 1, mode: 'corrected' }, selection: { taskIds: [meds], limit: 3 } }),
        )
      ).id,
    );
    expect(run.status).toBe('done');
    const items = (await core.handlers.pageRunItems({ runId: run.id, limit: 10 })).items;
    expect(items[0]!.renderedPrompt).toContain('Please learn from the few-shot cases to see what content you have to output.');
    expect(items[0]!.renderedPrompt).toContain(`Input:\n${items[0]!.input}\nOutput:\n`);
    expect(Object.keys(run.scores[0]!.metrics)).toContain('mcqAccuracy');
    const rescored = await core.handlers.rescoreRun({ runId: run.id, mode: 'corrected' });
    expect(rescored.metricMode).toBe('corrected');
    expect(await outputs(run.id)).toEqual(items.map((i) => i.rawOutput));
  });

  it("exports a run in both benchmark formats; scoring the export gives the run's own numbers; importing it makes a comparable run", async () => {
    const run = (await core.handlers.listRuns({})).find((r) => r.status === 'done' && r.scores[0]?.task === 'PubMedQA-labeled')!;
    const json = path.join(dir, 'results.json');
    const csv = path.join(dir, 'results.csv');
    const report = path.join(dir, 'items.csv');
    await core.handlers.exportRun({ runId: run.id, format: 'medinst32-json', out: json });
    await core.handlers.exportRun({ runId: run.id, format: 'meds-bench-csv', out: csv });
    const rep = await core.handlers.exportRun({ runId: run.id, format: 'items-csv', out: report });
    expect(rep.items).toBe(run.itemTotal);
    expect(fs.readFileSync(report, 'utf8').split('\r\n')[0]).toMatch(/^ord,benchmark,task,index,status,input,gold,output/);
    const scored = scorePredictionSet(await readPredictionsFile(json));
    expect(scored.tasks[0]!.metrics).toEqual(run.scores[0]!.metrics);
    const imported = await core.handlers.importPredictions({ file: json });
    expect(imported.kind).toBe('imported');
    expect(imported.scores[0]!.metrics).toEqual(run.scores[0]!.metrics);
  });

  it("draws k-shot demonstrations from the task's positive examples when asked", async () => {
    await core.importPaths([data('meds-bench/Text_summarization/task114_meqsum_summarization.json')]);
    const meqsum = (await core.handlers.listTasks({})).find((t) => t.name.startsWith('task114'))!;
    const file = JSON.parse(fs.readFileSync(data('meds-bench/Text_summarization/task114_meqsum_summarization.json'), 'utf8')) as {
      'Positive Examples': { input: string }[];
    };
    const run = await core.runs.wait(
      (
        await core.handlers.createRun(
          spec({ template: { strategy: 'generic', k: 2, seed: 3, pool: 'positive' }, selection: { taskIds: [meqsum.id], limit: 1 } }),
        )
      ).id,
    );
    expect(run.status).toBe('done');
    const prompt = (await core.handlers.pageRunItems({ runId: run.id, limit: 1 })).items[0]!.renderedPrompt!;
    const used = file['Positive Examples'].filter((ex) => prompt.includes(ex.input));
    expect(used).toHaveLength(2);
    const noPositives = await core.runs.wait(
      (
        await core.handlers.createRun(
          spec({ template: { strategy: 'generic', k: 2, seed: 3, pool: 'positive' }, selection: { taskIds: [pubmedFs], limit: 1 } }),
        )
      ).id,
    );
    expect((await core.handlers.pageRunItems({ runId: noPositives.id, limit: 1 })).items[0]!.error).toMatch(/no positive examples/);
  });

  it('fails a run clearly when the model file is bad, and keeps the app running', async () => {
    const bad = path.join(dir, 'bad.gguf');
    fs.writeFileSync(bad, 'not a model');
    const run = await core.runs.wait((await core.handlers.createRun(spec({ model: { kind: 'local', path: bad, threads: 1 } }))).id);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('bad.gguf');
    expect((await core.handlers.listTasks({})).length).toBeGreaterThan(0);
  });

  it('renders every item with a chat template override, records it, and fails before the first item on an unknown one', async () => {
    const local = { kind: 'local' as const, path: model, threads: 1, contextSize: 8192 };
    const run = await core.runs.wait(
      (await core.handlers.createRun(spec({ model: { ...local, chatTemplate: 'chatML' }, selection: { taskIds: [pubmedFs], limit: 2 } }))).id,
    );
    expect(run.status).toBe('done');
    expect(run.hardware).toMatchObject({ chatTemplate: 'chatML' });
    const items = (await core.handlers.pageRunItems({ runId: run.id, limit: 2 })).items;
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.error).toBeNull();
      expect(item.renderedPrompt).toContain('<|im_start|>');
    }
    const bad = await core.runs.wait(
      (await core.handlers.createRun(spec({ model: { ...local, chatTemplate: 'llama9' }, selection: { taskIds: [pubmedFs], limit: 2 } }))).id,
    );
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/unknown chat template "llama9"/);
    expect((await core.handlers.pageRunItems({ runId: bad.id, limit: 2 })).items.every((i) => i.renderedPrompt === null)).toBe(true);
  });
});

describe('long prompts in a run', () => {
  it("cut by the run's policy: every item records what was cut, and the exports list it", async () => {
    const local = { kind: 'local' as const, path: model, threads: 1, contextSize: 8192 };
    const cut = await core.runs.wait(
      (await core.handlers.createRun(spec({ model: { ...local, truncate: 'keep-end', maxPromptTokens: 64 }, selection: { taskIds: [pubmedFs], limit: 3 } })))
        .id,
    );
    expect(cut.status).toBe('done');
    expect(cut.truncatedItems).toBe(3);
    expect(cut.hardware).toMatchObject({ truncate: 'keep-end', maxPromptTokens: 64 });
    const items = (await core.handlers.pageRunItems({ runId: cut.id, limit: 3 })).items;
    for (const item of items) {
      expect(item.error).toBeNull();
      expect(item.promptTokens).toBe(64);
      expect(item.truncatedTokens).toBeGreaterThan(100);
    }
    const csv = path.join(dir, 'cut.csv');
    await core.handlers.exportRun({ runId: cut.id, format: 'items-csv', out: csv });
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(lines[0]!.endsWith(',truncated_tokens')).toBe(true);
    expect(lines[1]!.endsWith(`,${items[0]!.truncatedTokens}`)).toBe(true);

    // The same budget without a policy: each item fails with the reason, nothing is cut.
    const refused = await core.runs.wait(
      (await core.handlers.createRun(spec({ model: { ...local, maxPromptTokens: 64 }, selection: { taskIds: [pubmedFs], limit: 2 } }))).id,
    );
    expect(refused.truncatedItems).toBe(0);
    const failed = (await core.handlers.pageRunItems({ runId: refused.id, limit: 2 })).items;
    expect(failed.every((i) => i.status === 'error' && /more than maxPromptTokens \(64\)/.test(i.error ?? ''))).toBe(true);
  });
});

describe('prompt preview', () => {
  it('renders what a run would send, with the hash the run stores', async () => {
    const preview = await core.handlers.previewPrompt({ template: { strategy: 'medinst32' }, taskId: pubmedFs, index: 0 });
    const first = readRecords<{ instruction: string; input: string; history: [string, string][] }>(data('medinst32/unseen_tests/PubMedQA-labeled.json'))[0]!;
    expect('messages' in preview.prompt && preview.prompt.messages.at(-1)).toEqual({ role: 'user', content: `${first.instruction}\n${first.input}` });
    expect('messages' in preview.prompt && preview.prompt.messages.length).toBe(first.history.length * 2 + 1);
    const run = await core.runs.wait((await core.handlers.createRun(spec({ selection: { taskIds: [pubmedFs], limit: 1 } }))).id);
    expect(run.templateHash).toBe(preview.templateHash);
    const custom = await core.handlers.previewPrompt({
      template: { strategy: 'generic', k: 0, system: 'You are a careful clinician.', user: 'Q: {input}\nA:' },
      taskId: pubmedFs,
    });
    expect(custom.templateHash).not.toBe(preview.templateHash);
    expect('messages' in custom.prompt && custom.prompt.messages).toEqual([
      { role: 'system', content: 'You are a careful clinician.' },
      { role: 'user', content: `Q: ${first.input}\nA:` },
    ]);
  });
});
