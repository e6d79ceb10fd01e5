/**
 * Runs for compare tests, written through the real run store on a real library: real items of
 * MedINST32 PubMedQA-labeled and MedS-Bench task123, with outputs chosen per item so every
 * count and statistic can be worked out by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/core/db/open';
import type { CallInput, CallName, CallResults } from '../../src/shared/contract';
import { dispatchCall } from '../../src/shared/dispatch';
import { unwrap } from '../../src/shared/errors';
import { MedtaskCore } from '../../src/core/service';
import { extractAnswer, scoreRunTask } from '../../src/core/runs/scoring';
import { createRunRow, recordItem, scoreRunRows, selectItems, setRunStatus } from '../../src/core/runs/store';
import { data, tempDir } from '../helpers';

export const WRONG_LABEL: Record<string, string> = { yes: 'no', no: 'maybe', maybe: 'yes' };

/** A run over the first `limit` items of each task, answering right where `right(idx)` holds. */
export function writeRun(db: Db, name: string, taskIds: number[], limit: number, right: (task: string, idx: number) => boolean): number {
  const { items } = selectItems(db, { taskIds, limit });
  const runId = createRunRow(db, { name, kind: 'local', status: 'running', spec: null, modelLabel: name, templateHash: null, metricMode: 'reference' }, items);
  items.forEach((it, ord) => {
    const gold = it.gold[0]!;
    const ok = right(it.task, it.index!);
    // MCQA golds look like "A. ..."; a wrong answer picks another letter.
    const output = it.task.startsWith('task')
      ? ok
        ? gold
        : gold.startsWith('A')
          ? 'B. other'
          : 'A. other'
      : ok
        ? gold
        : (WRONG_LABEL[gold.trim().toLowerCase()] ?? 'unsure');
    recordItem(db, runId, ord, {
      promptJson: JSON.stringify({ messages: [{ role: 'user', content: it.input.slice(0, 50) }] }),
      renderedPrompt: `<user>${it.input.slice(0, 50)}</user>`,
      rawOutput: output,
      extracted: extractAnswer(it.benchmark, it.task, output),
      promptTokens: 10,
      outputTokens: 3,
      latencyMs: 12.5,
      ttftMs: 4,
      error: null,
    });
  });
  scoreRunRows(db, runId, 'reference', (b, t, p, g) => scoreRunTask(b, t, p, g, 'reference'));
  setRunStatus(db, runId, 'done');
  return runId;
}

export async function compareLibrary(): Promise<{ core: MedtaskCore; pubmedqa: number; task123: number; home: string }> {
  const home = tempDir('medtask-compare-');
  const core = new MedtaskCore({ home });
  await core.importPaths([data('medinst32/unseen_tests/PubMedQA-labeled.json'), data('meds-bench/MCQA/task123_pubmedqa_test_set.json')]);
  const tasks = await core.handlers.listTasks({});
  return { core, home, pubmedqa: tasks.find((t) => t.name === 'PubMedQA-labeled')!.id, task123: tasks.find((t) => t.name.startsWith('task123'))!.id };
}

/** A MedINST32 results file answering the first n PubMedQA items, right where `right(i)` holds. */
export function writePredictionsFile(dir: string, golds: string[], right: (i: number) => boolean): string {
  const file = path.join(dir, 'predictions.json');
  const generated = golds.map((g, i) => ({ prediction: right(i) ? g : (WRONG_LABEL[g] ?? 'unsure'), target: g }));
  fs.writeFileSync(file, JSON.stringify({ QA: { 'PubMedQA-labeled': { generated } } }));
  return file;
}

/** A call through the contract (validation and defaults), as the hosts make it. */
export async function call<N extends CallName>(core: MedtaskCore, name: N, input: CallInput<N>): Promise<CallResults[N]> {
  return unwrap(await dispatchCall(core.handlers, name, input)) as CallResults[N];
}
