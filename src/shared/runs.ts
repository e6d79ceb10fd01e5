/**
 * Benchmark runs as the UI and CLI see them: what was asked (model configuration, prompt
 * template, decoding, item selection), how far it got, and what each item produced.
 */
import type { SplitName, TaskConfig } from './domain';
import type { TruncationPolicy } from './models';

export type RunStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'done' | 'failed';
export type RunKind = 'local' | 'remote' | 'imported';
export type MetricMode = 'reference' | 'corrected';

export interface LocalModelSpec {
  kind: 'local';
  path: string;
  /** The saved model configuration the run was started from (its name then), if any; shown in the run's model label. */
  configName?: string;
  loras?: { path: string; scale?: number }[];
  gpuLayers?: 'auto' | 'max' | number;
  contextSize?: number;
  threads?: number;
  batchSize?: number;
  flashAttention?: boolean;
  /** Chat template override (a built-in name or Jinja text), as in ModelLoadSettings. */
  chatTemplate?: string;
  /** A prompt over its budget: fail the item (default) or cut it; each item records what was cut. */
  truncate?: TruncationPolicy;
  /** A smaller prompt budget than the context allows (MedS-Bench's eval.py: 2048, keep-start). */
  maxPromptTokens?: number;
}

export interface RemoteModelSpec {
  kind: 'remote';
  baseUrl: string;
  model: string;
  /** Name of the environment variable holding the API key (the key itself is never stored). */
  apiKeyEnv?: string;
  concurrency?: number;
  timeoutMs?: number;
}

export type ModelSpec = LocalModelSpec | RemoteModelSpec;

export interface PromptTemplateSpec {
  strategy: 'medinst32' | 'meds-bench' | 'generic' | 'zero-shot' | 'raw';
  k?: number | null;
  seed?: number;
  variant?: number;
  mode?: 'reference' | 'corrected';
  pool?: 'split' | 'positive';
  system?: string;
  user?: string;
  example?: string;
  exampleSeparator?: string;
  text?: string;
}

export interface DecodingSpec {
  maxTokens: number;
  temperature: number;
  topP?: number;
  topK?: number;
  seed?: number;
  stop?: string[];
}

export interface SelectionSpec {
  taskIds: number[];
  config?: TaskConfig;
  split?: SplitName;
  /** First N items of each task, in file order. */
  limit?: number;
  /** Or a seeded sample of N items of each task. */
  sample?: { n: number; seed: number };
}

export interface RunSpec {
  name?: string;
  model: ModelSpec;
  template: PromptTemplateSpec;
  decoding: DecodingSpec;
  selection: SelectionSpec;
  /** Parallel sequences (local) or concurrent requests (remote). */
  parallel?: number;
  metricMode?: MetricMode;
}

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
}

export interface RunItemPage {
  items: RunItemRow[];
  nextCursor: number | null;
  total: number;
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
