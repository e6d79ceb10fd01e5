/**
 * The Library item view's `itemRuns` call: every run that answered one library item (aligned by
 * item identity, benchmark/task#index), with its answer and per-item metric values, what kind of
 * answer the task expects (so the view can show entity spans or label chips), and where the
 * item's few-shot demonstrations come from.
 */
import { z } from 'zod';
import type { CompareMetricInfo } from './compare';
import type { MetricMode, RunKind, RunStatus, TaskConfig } from './enums';

const id = z.number().int().positive();

export const itemRunsCallInputs = {
  /** Every run's answer to one library item (runs over its few-shot and zero-shot copies included). */
  itemRuns: z.object({ itemId: id }).strict(),
} as const;

/**
 * How a task's answers read: `bio`: `word [B] word [I] word [O]` tags (MedINST32 NCBI-disease, BC5CDR);
 * `bracketEntities`: entities in `[brackets]` (MedINST32 entity tasks); `entityList`: `a, b, c.` or
 * "there is no related enetity" (MedS-Bench NER); `labels`: one or more labels (classification,
 * multiple choice, Hallmarks of Cancer); `text`: free text (summaries, explanations).
 */
export const ANSWER_KINDS = ['bio', 'bracketEntities', 'entityList', 'labels', 'text'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/** Where an item's demonstrations come from when a run prompts it. */
export interface ItemShots {
  /** `history`: the record's own `history` pairs; `drawn`: drawn from the task's other instances at run time; `none`: zero-shot. */
  source: 'history' | 'drawn' | 'none';
  /** Pairs in `history`, or demonstrations a run draws by default. */
  count: number;
  /** One sentence saying where they come from, for the item view. */
  note: string;
}

export interface ItemRunAnswer {
  runId: number;
  runName: string;
  kind: RunKind;
  runStatus: RunStatus;
  modelLabel: string;
  /** The saved model configuration the run was started from, if any. */
  configName: string | null;
  /** The task config (few-shot, zero-shot…) the run selected, when it named one. */
  taskConfig: TaskConfig | null;
  /** Prompt strategy and demonstrations asked for (null k: the strategy's default). */
  strategy: string | null;
  shots: number | null;
  metricMode: MetricMode;
  /** The item's position in the run (to open the run at it). */
  ord: number;
  status: 'pending' | 'done' | 'error';
  extracted: string | null;
  rawOutput: string | null;
  renderedPrompt: string | null;
  error: string | null;
  outputTokens: number | null;
  latencyMs: number | null;
  /** Per-item value of every task metric in the benchmark's scale (null: skipped by the benchmark); null while pending. */
  scores: Record<string, number | null> | null;
}

export interface ItemRunsResult {
  itemId: number;
  /** Item identity shared by the runs: `benchmark/task#index`. */
  key: string;
  answerKind: AnswerKind;
  /** The entity type BIO tags stand for when untyped (e.g. "disease", from the instruction), else null. */
  entityType: string | null;
  shots: ItemShots;
  /** The task's metrics (name, scale: 1 fractions, 100 percentages); `primary` indexes the benchmark's main one. */
  metrics: CompareMetricInfo[];
  primary: number;
  /** Newest run first. */
  runs: ItemRunAnswer[];
}

export interface ItemRunsCallResults {
  itemRuns: ItemRunsResult;
}
