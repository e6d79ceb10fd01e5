// itemRuns on a real library and real run store: every run that answered an item (its few-shot and zero-shot copies, an imported predictions file), with per-item values in the benchmark's scale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { createRunRow, recordItem, selectItems, setRunStatus } from '../../src/core/runs/store';
import { extractAnswer } from '../../src/core/runs/scoring';
import { entityTypeOf } from '../../src/core/itemRuns/itemRuns';
import type { TaskConfig } from '../../src/shared/domain';
import { call, writePredictionsFile } from '../compare/fixtures';
import { data, tempDir } from '../helpers';

let core: MedtaskCore;
let home: string;
let pubmedqa: number;
let task123: number;
let ncbi: number;

/** A local run over the first `limit` items of one config of a task, answering `answer(gold, idx)`. */
function writeRun(name: string, taskId: number, config: TaskConfig, limit: number, answer: (gold: string, idx: number) => string): number {
  const { items } = selectItems(core.db, { taskIds: [taskId], config, limit });
  const spec = {
    model: { kind: 'local', path: '/models/tiny.gguf', configName: `${name}-config` },
    template: { strategy: 'medinst32', k: null },
    decoding: { maxTokens: 16, temperature: 0 },
    selection: { taskIds: [taskId], config, limit },
  };
  const runId = createRunRow(
    core.db,
    // The spec is stored as JSON and read back through its schema; a minimal valid one.
    { name, kind: 'local', status: 'running', spec: spec as never, modelLabel: `model-${name}`, templateHash: null, metricMode: 'reference' },
    items,
  );
  items.forEach((it, ord) => {
    const output = answer(it.gold[0]!, it.index!);
    recordItem(core.db, runId, ord, {
      promptJson: 'null',
      renderedPrompt: `<user>${it.input.slice(0, 40)}</user>`,
      rawOutput: output,
      extracted: extractAnswer(it.benchmark, it.task, output),
      promptTokens: 10,
      outputTokens: 2,
      latencyMs: 9,
      ttftMs: 3,
      error: null,
    });
  });
  setRunStatus(core.db, runId, 'done');
  return runId;
}

beforeAll(async () => {
  home = tempDir('medtask-itemruns-');
  core = new MedtaskCore({ home });
  await core.importPaths([
    data('medinst32/unseen_tests/PubMedQA-labeled.json'),
    data('medinst32/unseen_tests_zs/PubMedQA-labeled.json'),
    data('medinst32/unseen_tests/NCBI-disease.json'),
    data('meds-bench/MCQA/task123_pubmedqa_test_set.json'),
  ]);
  const tasks = await core.handlers.listTasks({});
  pubmedqa = tasks.find((t) => t.name === 'PubMedQA-labeled')!.id;
  task123 = tasks.find((t) => t.name.startsWith('task123'))!.id;
  ncbi = tasks.find((t) => t.name === 'NCBI-disease')!.id;
});
afterAll(() => core?.close());

async function itemOf(taskId: number, config: TaskConfig, index: number): Promise<number> {
  let after: number | undefined;
  for (;;) {
    const page = await core.handlers.pageItems({ taskId, config, limit: 1000, ...(after !== undefined ? { after } : {}) });
    const hit = page.items.find((i) => i.index === index);
    if (hit) return hit.id;
    if (page.nextCursor === null) throw new Error(`no item #${index}`);
    after = page.nextCursor;
  }
}

describe('itemRuns', () => {
  it("lists a few-shot run, a zero-shot run and an imported predictions file on the same record, each with the item's values", async () => {
    const right = writeRun('fewshot', pubmedqa, 'few-shot', 5, (g) => g);
    const wrong = writeRun('zeroshot', pubmedqa, 'zero-shot', 5, (g) => (g === 'yes' ? 'no' : 'yes'));
    const golds = (core.db.prepare('SELECT gold_json FROM run_items WHERE run_id = ? ORDER BY ord').pluck().all(right) as string[]).map(
      (g) => (JSON.parse(g) as string[])[0]!,
    );
    const file = writePredictionsFile(home, golds, () => true);
    const imported = (await core.handlers.importPredictions({ file, name: 'published' })).id;

    const fewShotItem = await itemOf(pubmedqa, 'few-shot', 2);
    const res = await call(core, 'itemRuns', { itemId: fewShotItem });
    expect(res.key).toBe('medinst32/PubMedQA-labeled#2');
    expect(res.answerKind).toBe('labels');
    expect(res.shots.source).toBe('history');
    expect(res.shots.count).toBe(2);
    expect(res.metrics.map((m) => m.id)).toEqual(['rougeL', 'wordF1', 'labelMacroF1']);
    expect(res.metrics.every((m) => m.scale === 1)).toBe(true);
    expect(res.runs.map((r) => r.runId)).toEqual([imported, wrong, right]);

    const r = res.runs.find((x) => x.runId === right)!;
    expect(r).toMatchObject({ runName: 'fewshot', modelLabel: 'model-fewshot', configName: 'fewshot-config', taskConfig: 'few-shot', ord: 2, status: 'done' });
    expect(r.rawOutput).toBe(golds[2]);
    // MedINST32 values are fractions: a right label scores 1 on every metric of a one-item corpus.
    expect(r.scores).toEqual({ rougeL: 1, wordF1: 1, labelMacroF1: 1 });
    const w = res.runs.find((x) => x.runId === wrong)!;
    expect(w.taskConfig).toBe('zero-shot');
    expect(w.scores!['labelMacroF1']).toBe(0);
    // Cached where the compare view reads it.
    expect(core.db.prepare('SELECT COUNT(*) FROM run_item_scores WHERE run_id = ? AND ord = 2').pluck().get(wrong)).toBe(1);

    // The zero-shot copy lists the same runs: one record, one identity.
    const zeroShotItem = await itemOf(pubmedqa, 'zero-shot', 2);
    const zs = await call(core, 'itemRuns', { itemId: zeroShotItem });
    expect(zs.runs.map((x) => x.runId)).toEqual([imported, wrong, right]);
    expect(zs.shots.source).toBe('none');

    // An item no run reached lists none.
    const later = await call(core, 'itemRuns', { itemId: await itemOf(pubmedqa, 'few-shot', 100) });
    expect(later.runs).toEqual([]);
  });

  it('MedS-Bench items: percentages, and shots drawn from the task at run time', async () => {
    const run = writeRun('meds', task123, 'default', 3, (g) => g);
    const res = await call(core, 'itemRuns', { itemId: await itemOf(task123, 'default', 1) });
    expect(res.shots).toMatchObject({ source: 'drawn', count: 3 });
    expect(res.shots.note).toMatch(/other instances/);
    expect(res.metrics.map((m) => [m.id, m.scale])).toEqual([['mcqAccuracy', 100]]);
    expect(res.runs).toHaveLength(1);
    expect(res.runs[0]!.runId).toBe(run);
    expect(res.runs[0]!.scores).toEqual({ mcqAccuracy: 100 });
  });

  it('NCBI-disease: BIO answers, the entity type read from the instruction', async () => {
    const res = await call(core, 'itemRuns', { itemId: await itemOf(ncbi, 'few-shot', 0) });
    expect(res.answerKind).toBe('bio');
    expect(res.entityType).toBe('disease');
    expect(entityTypeOf('Tag every chemical mention')).toBe('chemical');
    expect(entityTypeOf('Summarise the text')).toBeNull();
  });

  it('an unknown item is a not-found error naming the field', async () => {
    await expect(call(core, 'itemRuns', { itemId: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('finding an item in runs reads an index, not every run item', () => {
  it('the item view and deleting items each search run_items by an index', () => {
    const plan = (sql: string, ...params: unknown[]) =>
      (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const place = plan(
      'SELECT run_id, ord, input, raw_output FROM run_items WHERE benchmark = ? AND task = ? AND (idx = ? OR idx IS NULL) ORDER BY run_id DESC, ord',
      'b',
      't',
      1,
    );
    expect(place).toMatch(/SEARCH run_items USING INDEX run_items_place \(benchmark=\? AND task=\?/);
    expect(place).not.toMatch(/SCAN run_items/);
    // The lookup SQLite makes for ON DELETE SET NULL when a library item is deleted.
    expect(plan('SELECT 1 FROM run_items WHERE item_id = ?', 1)).toMatch(/USING (COVERING )?INDEX run_items_item/);
  });
});
