/**
 * How a task's answers read (BIO tags, bracketed entities, entity lists, labels, free text) and the
 * entity type untyped BIO tags stand for: one answer for the item view, the run item view and Compare.
 * Its own module so the run store can use it without importing itemRuns (which imports the store).
 */
import type { AnswerKind } from '../../shared/itemRuns';
import { taskMetrics } from '../metrics/taskMetrics';

/** The reading a task's primary metric gives its answers. */
const KIND_OF_METRIC: Readonly<Record<string, AnswerKind>> = {
  bioTagF1: 'bio',
  entityF1: 'bracketEntities',
  nerF1: 'entityList',
  labelMacroF1: 'labels',
  multiLabelF1: 'labels',
  mcqAccuracy: 'labels',
  hocF1: 'labels',
  nliAccuracy: 'labels',
  factAccuracy: 'labels',
  exactMatch: 'labels',
};

export function answerKind(benchmark: string, task: string): AnswerKind {
  const tm = taskMetrics(benchmark, task);
  return KIND_OF_METRIC[tm.metrics[tm.primary]?.id ?? ''] ?? 'text';
}

/** "disease" from "…its disease-mention label…": the type untyped B/I tags stand for. */
export function entityTypeOf(instruction: string): string | null {
  const m = /\b([A-Za-z]+)[- ]mentions?\b/.exec(instruction);
  return m ? m[1]!.toLowerCase() : null;
}
