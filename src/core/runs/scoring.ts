/**
 * Which metrics a run's task gets: the benchmark's own assignment where the task is one of
 * the benchmark's (MedINST32's 32 tasks, MedS-Bench's task ids, also when the same task file
 * came in as MedS-Ins or in the demo pack), else MedINST32's always-on pair (ROUGE-L, word F1).
 */
import { medinstEvalType, medsTaskIdFromFileName, medsTaskSpec, scoreTask } from '../metrics/registry';
import type { MetricMode } from '../metrics/types';
import { normalizeAnswer } from '../metrics/normalize';
import { metricFamily } from '../metrics/taskMetrics';

export function scoreRunTask(benchmark: string, task: string, preds: readonly string[], golds: readonly string[], mode: MetricMode): Record<string, number> {
  const family = metricFamily(benchmark, task);
  const scores = scoreTask(family, task, preds, golds, mode);
  return Object.fromEntries(Object.entries(scores).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/** What the task's metric compares, shown beside the raw output in the run view. */
export function extractAnswer(benchmark: string, task: string, output: string): string {
  if (metricFamily(benchmark, task) === 'meds-bench') {
    const spec = medsTaskSpec(medsTaskIdFromFileName(task));
    if (spec?.category === 'MCQA') return output.toLowerCase().replace('the right answer is', '').trim().slice(0, 1);
    return output.trim();
  }
  const type = medinstEvalType(task);
  return type === 'cls' || type === 'em' ? normalizeAnswer(output) : output.trim();
}
