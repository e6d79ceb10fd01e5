import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { scoreRunTask } from '../../src/core/runs/scoring';
import { dispatchCall } from '../../src/shared/dispatch';
import type { TaskDetail } from '../../src/shared/domain';
import { data, tempDir } from '../helpers';

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const MEQSUM = data('meds-bench/Text_summarization/task114_meqsum_summarization.json');
const PUBMEDQA_MCQA = data('meds-bench/MCQA/task123_pubmedqa_test_set.json');
const DEFINITIONS = data('meds-ins/RewriteDefinitions.json');
const NCBI = data('medinst32/unseen_tests/NCBI-disease.json');
const NCBI_ZS = data('medinst32/unseen_tests_zs/NCBI-disease.json');

interface NatInstFile {
  Definition: string[];
  Source: string | string[];
  Domains: string[];
  'Positive Examples': { input: string; output: string | string[]; explanation?: string }[];
  'Negative Examples': unknown[];
}

// The expectations come from the files themselves, read independently of the importer.
const meqsumFile = JSON.parse(fs.readFileSync(MEQSUM, 'utf8')) as NatInstFile;
const rewrites = JSON.parse(fs.readFileSync(DEFINITIONS, 'utf8')) as Record<string, { original_def: string; auto_rewrite_def: string[] }>;

let home: string;
let core: MedtaskCore;

beforeEach(() => {
  home = tempDir();
  core = new MedtaskCore({ home });
});
afterEach(() => core.close());

async function taskNamed(name: string): Promise<TaskDetail> {
  const task = (await core.handlers.listTasks({})).find((t) => t.name === name);
  if (!task) throw new Error(`no task ${name}`);
  const res = await dispatchCall(core.handlers, 'getTask', { taskId: task.id });
  if (!res.ok) throw new Error(res.error.message);
  return res.value as TaskDetail;
}

/** The metric ids a run's scoring reports for a task, from scoring one perfect prediction. */
function scoredMetricIds(benchmark: string, task: string, gold: string): string[] {
  return Object.keys(scoreRunTask(benchmark, task, [gold], [gold], 'reference')).sort();
}

describe('getTask on real MedS-Bench / MedS-Ins files', () => {
  it('returns definition, languages, instruction variants, examples, metrics and provenance', async () => {
    await core.handlers.importPaths({ paths: [MEQSUM, DEFINITIONS] });
    const task = await taskNamed('task114_meqsum_summarization');

    expect(task).toMatchObject({ benchmark: 'meds-bench', category: 'Text_summarization', externalId: 'task114', itemCount: 300 });
    expect(task.definition).toBe(meqsumFile.Definition[0]);
    expect(task.sourceDataset).toBe('MeQSum');
    expect(task.languages).toEqual(['English']);
    expect(task.domains).toEqual(meqsumFile.Domains);

    // RewriteDefinitions.json: the original definition first, then every paraphrase.
    const expected = rewrites.task114!;
    expect(task.instructionVariants.total).toBe(1 + expected.auto_rewrite_def.length);
    expect(task.instructionVariants.total).toBeGreaterThan(50);
    expect(task.instructionVariants.items).toHaveLength(50);
    expect(task.instructionVariants.items[0]).toEqual({ ord: 0, kind: 'original', text: expected.original_def });
    expect(task.instructionVariants.items[1]).toEqual({ ord: 1, kind: 'rewrite', text: expected.auto_rewrite_def[0] });

    const positives = meqsumFile['Positive Examples'];
    expect(task.positiveExamples.total).toBe(positives.length);
    expect(task.positiveExamples.items).toEqual(positives.map((e) => ({ input: e.input, outputs: [e.output].flat(), explanation: e.explanation ?? null })));
    expect(task.negativeExamples).toEqual({ total: 0, items: [] });

    // MedS-Bench TextSummarization.py reports BLEU-1 and ROUGE-L, as a run of the task would.
    expect(task.metricFamily).toBe('meds-bench');
    expect(task.metrics.map((m) => m.id)).toEqual(['bleu1', 'pyRougeL']);
    expect(task.metrics.map((m) => m.name)).toEqual(['BLEU-1', 'ROUGE-L F (rouge package)']);
    expect(task.metrics.map((m) => m.id).sort()).toEqual(scoredMetricIds(task.benchmark, task.name, 'What causes swelling?'));

    const split = task.sources.find((s) => s.kind === 'split')!;
    expect(split).toMatchObject({ path: MEQSUM, size: fs.statSync(MEQSUM).size, layout: 'meds-bench-task', config: 'default', split: 'test' });
    expect(split.sha256).toBe(sha256(MEQSUM));
    expect(split.importedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(split.appVersion).toBeTruthy();
    const defs = task.sources.find((s) => s.kind === 'definitions')!;
    expect(defs).toMatchObject({ path: DEFINITIONS, size: fs.statSync(DEFINITIONS).size });
    expect(defs.sha256).toBe(sha256(DEFINITIONS));
  });

  it('caps variants at variantLimit and still gives the total', async () => {
    await core.handlers.importPaths({ paths: [MEQSUM, DEFINITIONS] });
    const task = (await core.handlers.listTasks({}))[0]!;
    const few = await core.handlers.getTask({ taskId: task.id, variantLimit: 3 });
    expect(few.instructionVariants.items.map((v) => v.ord)).toEqual([0, 1, 2]);
    const all = await core.handlers.getTask({ taskId: task.id, variantLimit: 1000 });
    expect(all.instructionVariants.items).toHaveLength(all.instructionVariants.total);
  });

  it('a task with no paraphrases in RewriteDefinitions.json has none, and its own metric', async () => {
    // task123's id is not a key of RewriteDefinitions.json (see ../shared/data/README.md).
    await core.handlers.importPaths({ paths: [PUBMEDQA_MCQA, DEFINITIONS] });
    const task = await taskNamed('task123_pubmedqa_test_set');
    expect(rewrites.task123).toBeUndefined();
    expect(task.instructionVariants).toEqual({ total: 0, items: [] });
    expect(task.sources.map((s) => s.kind)).toEqual(['split']);
    expect(task.metrics).toEqual([expect.objectContaining({ id: 'mcqAccuracy', name: 'MCQA accuracy', scale: 100 })]);
    expect(task.positiveExamples.total).toBe(0);
  });
});

describe('getTask on MedINST32 files', () => {
  it("has no definition but lists the items' instruction, both configs' files and the benchmark's metrics", async () => {
    await core.handlers.importPaths({ paths: [NCBI, NCBI_ZS] });
    const task = await taskNamed('NCBI-disease');
    const firstInstruction = (JSON.parse(fs.readFileSync(NCBI, 'utf8')) as { instruction: string }[])[0]!.instruction;
    expect(task.definition).toBeNull();
    expect(task.instructions.total).toBeGreaterThanOrEqual(1);
    expect(task.instructions.items[0]).toMatchObject({ text: firstInstruction });
    expect(task.languages.length).toBeGreaterThan(0);
    expect(task.metricFamily).toBe('medinst32');
    expect(task.metrics.map((m) => m.id)).toEqual(['rougeL', 'wordF1', 'bioTagF1']);
    expect(task.metrics.map((m) => m.id).sort()).toEqual(scoredMetricIds('medinst32', 'NCBI-disease', 'cancer [B]'));
    expect(task.sources.map((s) => [s.config, s.split, s.path])).toEqual([
      ['few-shot', 'test', NCBI],
      ['zero-shot', 'test', NCBI_ZS],
    ]);
    expect(task.sources.map((s) => s.sha256)).toEqual([sha256(NCBI), sha256(NCBI_ZS)]);
  });
});

describe('getTask errors', () => {
  it('an unknown task id is not_found naming the field; a bad id is invalid_input', async () => {
    const missing = await dispatchCall(core.handlers, 'getTask', { taskId: 424242 });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: 'no task with id 424242', details: { field: 'taskId' } } });
    const wrong = await dispatchCall(core.handlers, 'getTask', { taskId: 'task114' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/taskId/);
    const extra = await dispatchCall(core.handlers, 'getTask', { taskId: 1, sql: 'x' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
