/**
 * Tasks of neither benchmark (here the demo pack's) are scored by their category's natural
 * metric: MCQA by accuracy on the chosen letter, classification by label F1, NER by entity
 * P/R/F, free text by BLEU-1 + ROUGE-L; a benchmark's own tasks keep the benchmark's metrics.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { writeTinyModel } from '../tooling/tinyModel';
import { naturalTaskSpec, scoreNaturalTask } from '../../src/core/metrics';
import { TINY } from '../models/fixtures';
import { tempDir } from '../helpers';

let core: MedtaskCore;
let model: string;

beforeAll(async () => {
  const dir = tempDir('medtask-natural-');
  model = path.join(dir, 'tiny.gguf');
  await writeTinyModel(model, { ...TINY, contextLength: 4096 });
  core = new MedtaskCore({ home: tempDir(), demoPackDir: path.resolve(__dirname, '../../resources/demo-pack') });
  await core.handlers.importDemo({});
});
afterAll(async () => {
  await core.dispose();
});

it('maps categories to their natural metrics', () => {
  expect(naturalTaskSpec('MCQA')?.metrics).toEqual(['mcqAccuracy']);
  expect(naturalTaskSpec('Text_classification')?.metrics).toEqual(['labelMacroF1']);
  expect(naturalTaskSpec('text classification')?.metrics).toEqual(['labelMacroF1']);
  expect(naturalTaskSpec('NER')?.metrics).toEqual(['nerPrecision', 'nerRecall', 'nerF1']);
  expect(naturalTaskSpec('Text_summarization')?.metrics).toEqual(['bleu1', 'pyRougeL']);
  expect(naturalTaskSpec('Something else')).toBeUndefined();
  expect(scoreNaturalTask('MCQA', ['The right answer is B', 'c'], ['The right answer is B.', 'The right answer is A.'])).toEqual({ mcqAccuracy: 50 });
  expect(scoreNaturalTask('Text_classification', ['yes', 'no'], ['yes', 'yes'])!.labelMacroF1).toBeCloseTo(2 / 3, 12);
});

it("a run over demo tasks reports each category's natural metric, not ROUGE-L and word F1", async () => {
  const tasks = await core.handlers.listTasks({});
  const pick = (prefix: string) => tasks.find((t) => t.name.startsWith(prefix))!.id;
  const run = await core.handlers.createRun({
    model: { kind: 'local', path: model, threads: 1, contextSize: 4096 },
    template: { strategy: 'meds-bench', k: 0 },
    decoding: { maxTokens: 3, temperature: 0 },
    selection: { taskIds: [pick('task901'), pick('task910'), pick('task906')], limit: 2 },
    parallel: 1,
  });
  await core.runs.wait(run.id);
  const detail = await core.handlers.getRun({ runId: run.id });
  const byTask = Object.fromEntries(detail.scores.map((s) => [s.task.split('_')[0], Object.keys(s.metrics).sort()]));
  expect(byTask.task901).toEqual(['mcqAccuracy']);
  expect(byTask.task910).toEqual(['labelMacroF1']);
  expect(byTask.task906).toEqual(['nerF1', 'nerPrecision', 'nerRecall']);
  // the task view lists the same metrics the run reports
  expect((await core.handlers.getTask({ taskId: pick('task901'), variantLimit: 0 })).metrics.map((m) => m.id)).toEqual(['mcqAccuracy']);
  expect((await core.handlers.getTask({ taskId: pick('task910'), variantLimit: 0 })).metrics.map((m) => m.id)).toEqual(['labelMacroF1']);
});
