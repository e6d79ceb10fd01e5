/**
 * Benchmark runs as the UI and CLI see them: what was asked (model configuration, prompt
 * template, decoding, item selection), how far it got, and what each item produced.
 */
import type { z } from 'zod';
import type { MetricMode, RunKind, RunStatus } from './enums';
import type { AnswerKind } from './itemRuns';
import type { runSpecSchema } from './runSchemas';

export type { MetricMode, RunKind, RunStatus } from './enums';

/*
 * What a run was asked to do: derived from the createRun schema (src/shared/runSchemas.ts),
 * so the type and the validation cannot drift apart. The schema documents each field.
 */
export type RunSpec = z.output<typeof runSpecSchema>;
export type ModelSpec = RunSpec['model'];
export type LocalModelSpec = Extract<ModelSpec, { kind: 'local' }>;
export type RemoteModelSpec = Extract<ModelSpec, { kind: 'remote' }>;
export type PromptTemplateSpec = RunSpec['template'];
export type DecodingSpec = RunSpec['decoding'];
export type SelectionSpec = RunSpec['selection'];

export interface TaskScore {
  task: string;
  benchmark: string;
  itemCount: number;
  metrics: Record<string, number>;
}

export interface RunSummary {
  id: number;
  name: string;
  kind: RunKind;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  modelLabel: string;
  templateHash: string | null;
  itemTotal: number;
  itemDone: number;
  itemErrors: number;
  outputTokens: number;
  /** Output tokens per second of generation over the whole run. */
  tokensPerSecond: number | null;
  wallMs: number;
  error: string | null;
  metricMode: MetricMode;
  scores: TaskScore[];
  /** What the run is, for the run list: read from its items and stored spec. */
  setup?: RunSetup;
}

/** What a run is, without opening it: tasks, config, prompt strategy and shots, model, adapters. */
export interface RunSetup {
  /** Task names in run order. */
  tasks: string[];
  /** The split configs its items come from (few-shot, zero-shot, default…). */
  configs: string[];
  /** null for imported predictions (no spec). */
  strategy: PromptTemplateSpec['strategy'] | null;
  /** Shots asked for; null: the strategy's default. */
  shots: number | null;
  /** The model file (local) or model name (remote); null for imported predictions. */
  model: string | null;
  /** Adapters with their scales, file names only: `lora.gguf×0.5`. */
  adapters: string[];
  /** The saved configuration the run was started from. */
  configName: string | null;
}

export interface RunDetail extends RunSummary {
  spec: RunSpec | null;
  hardware: Record<string, unknown> | null;
  /** Items whose prompt the engine cut by the run's truncation policy. */
  truncatedItems: number;
  /** Where the scores are not the reference's to the last digit (e.g. "English BLEU approximate: Punkt model not found"). */
  scoreNotes?: string[];
}

export interface RunItemRow {
  ord: number;
  itemId: number | null;
  task: string;
  benchmark: string;
  index: number | null;
  status: 'pending' | 'done' | 'error';
  input: string;
  gold: string[];
  rawOutput: string | null;
  extracted: string | null;
  renderedPrompt: string | null;
  promptTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  error: string | null;
  /** Prompt tokens the engine cut by the run's truncation policy (null: the prompt was not cut). */
  truncatedTokens: number | null;
  /** The item's own value of its task's primary metric (the compare cache), in the benchmark's scale; null while pending. */
  score?: RunItemScore | null;
  /** How the task's answers read (BIO tags, entities, labels, text), from the engine, so the view shows spans or chips. */
  answerKind?: AnswerKind;
  /** What untyped BIO tags stand for (from the item's instruction, e.g. "disease"); null when not known. */
  entityType?: string | null;
}

export interface RunItemScore {
  metric: string;
  displayName: string;
  /** null where the benchmark skips the item (MedS-Bench's empty explanations). */
  value: number | null;
  /** 1: fractions (MedINST32), 100: percentages (MedS-Bench). */
  scale: 1 | 100;
  /** Every metric of the task for this item. */
  all: Record<string, number | null>;
}

export interface RunItemPage {
  items: RunItemRow[];
  nextCursor: number | null;
  total: number;
  /** What the list can be filtered and sorted by (the whole run, not the filtered items). */
  facets?: RunItemFacets;
}

export interface RunItemFacets {
  /** The run's gold labels with their item counts; null when the golds are free text, not labels, and on pages after the first. */
  goldLabels: { label: string; count: number }[] | null;
  /** Every metric of the run's tasks (values in the benchmark's scale: 1 fractions, 100 percentages). */
  metrics: { id: string; displayName: string; scale: 1 | 100 }[];
}

/** A run's prompts rendered and counted before it starts: how many would not fit the model's context. */
export interface RunPreflight {
  /** Items the selection covers. */
  items: number;
  /** Prompts rendered and counted. */
  checked: number;
  /** Items whose prompt did not render (the run would fail them), with the first reason. */
  renderErrors: number;
  firstRenderError: string | null;
  /** 'model': counted with the model's own tokenizer and chat template (for a llama.cpp server, by the server); 'estimate': about 4 characters a token (another OpenAI-compatible server, or one whose answers could not be read). */
  counting: 'model' | 'estimate';
  /** The context the run would use (null: a remote server that does not say, and checks its own). */
  contextSize: number | null;
  maxTokens: number;
  /** The most prompt tokens that fit: the context less maxTokens, or maxPromptTokens when smaller. */
  budget: number | null;
  /** Prompts over the budget: failed by the run, or cut when a truncation policy is set. */
  overBudget: number;
  /** The longest prompt. */
  largest: { itemId: number | null; index: number | null; task: string; promptTokens: number } | null;
  /** What the engine does with a prompt over its budget ('error': the item fails). */
  truncate: 'error' | 'keep-start' | 'keep-end' | 'keep-both';
}

/** Items a run would fail by its pre-flight: prompts over the budget with no truncation policy, and prompts that do not render. */
export function preflightFailures(p: RunPreflight): number {
  return p.renderErrors + (p.truncate === 'error' ? p.overBudget : 0);
}

export interface RunProgress {
  runId: number;
  status: RunStatus;
  done: number;
  errors: number;
  total: number;
  tokensPerSecond: number | null;
  etaMs: number | null;
}

export interface PromptPreview {
  templateHash: string;
  /** The resolved template (defaults filled in) that the hash identifies. */
  template: PromptTemplateSpec;
  itemId: number;
  index: number;
  /** Chat messages (rendered with the model's chat template at run time) or a raw completion prompt. */
  prompt: { messages: { role: 'system' | 'user' | 'assistant'; content: string }[] } | { text: string };
}
