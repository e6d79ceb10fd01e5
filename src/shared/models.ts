/**
 * Model library types: GGUF models and LoRA adapters the user keeps on disk, what their
 * headers say, whether they fit this machine, and runnable configurations. Plain data only.
 */

import type { z } from 'zod';
import type { modelLoadSettingsSchema } from './runSchemas';

export type ModelKind = 'model' | 'adapter';

/** `missing`: a file is gone; `changed`: its size or modification time differs from when it was read. */
export type ModelStatus = 'ok' | 'missing' | 'changed';

export interface ModelFilePart {
  path: string;
  sizeBytes: number;
  /** Modification time when the header was read (ms since the epoch). */
  mtimeMs: number;
  status: ModelStatus;
}

/** Facts read from the GGUF header, without loading weights. */
export interface ModelHeader {
  architecture: string;
  architectureSupported: boolean;
  /** `general.name`. */
  name: string | null;
  ggufVersion: number;
  tensorCount: number;
  parameterCount: number;
  /** Human name of the quantization, e.g. "MOSTLY_Q4_K_M", or the dominant tensor type, e.g. "Q4_K". */
  quantization: string | null;
  fileType: number | null;
  dominantTensorType: string | null;
  trainContextLength: number | null;
  layerCount: number | null;
  embeddingLength: number | null;
  headCount: number | null;
  headCountKv: number | null;
  vocabularySize: number | null;
  tokenizerModel: string | null;
  /** `tokenizer.chat_template` text, or null when the file has none. */
  chatTemplate: string | null;
  /** Bytes on disk, all parts. */
  sizeBytes: number;
  /** Adapters only: `adapter.type` (e.g. "lora"). */
  adapterType: string | null;
  loraAlpha: number | null;
  loraRank: number | null;
  /** Adapters only: how many weight matrices the adapter changes. */
  adapterTargets: number | null;
  /** Adapters only: the base model named in the adapter's metadata (`general.base_model.0.name`), if any. */
  baseModelHint: string | null;
}

export type InferenceBackendName = 'cuda' | 'vulkan' | 'metal' | 'cpu';

/**
 * Estimate of how a model would load here, before loading it (node-llama-cpp GgufInsights).
 * `gpu`: every layer on the GPU; `partial`: some layers; `cpu`: none (CPU backend or no room);
 * `too_large`: neither VRAM nor RAM is enough for the weights plus the context.
 */
export interface ModelFit {
  verdict: 'gpu' | 'partial' | 'cpu' | 'too_large';
  backend: InferenceBackendName;
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  ramBytes: number;
  vramBytes: number;
  ramTotalBytes: number;
  ramFreeBytes: number;
  vramTotalBytes: number;
  vramFreeBytes: number;
  /** node-llama-cpp compatibility score in [0, 1]. */
  score: number;
  /** One line for people, e.g. "runs on CPU: 1.2 GB RAM at context 4096 (20.6 GB free)". */
  summary: string;
  estimatedAt: string;
}

export interface AdapterBaseLink {
  /** The base model the adapter is applied to; null when none or several match and nobody chose. */
  modelId: number | null;
  chosenBy: 'auto' | 'user' | null;
  /** Models in the library whose architecture and tensor shapes fit this adapter. */
  candidates: number[];
}

export interface ModelRecord {
  id: number;
  kind: ModelKind;
  /** Display name (renameable); defaults to `general.name` or the file name. */
  name: string;
  /** The file (for split models: the first part). */
  path: string;
  parts: ModelFilePart[];
  status: ModelStatus;
  statusDetail: string | null;
  /** The scanned folder the file was found in; null when added as a file. */
  folder: string | null;
  header: ModelHeader;
  /** Models only (null for adapters, or when the estimate failed). */
  fit: ModelFit | null;
  /** Adapters only. */
  base: AdapterBaseLink | null;
  /** Models only: adapters whose base is this model. */
  adapterIds: number[];
  addedAt: string;
  checkedAt: string;
}

/** A `.gguf` file in an added folder that is not a valid model (malformed, out-of-bounds or truncated header). */
export interface ModelInvalidFile {
  path: string;
  folder: string | null;
  /** Machine-readable: `invalid`, `truncated`, `not_gguf`, ... */
  problem: string;
  /** "Invalid model file …: <reason>": never loaded until a rescan finds it valid. */
  reason: string;
  checkedAt: string;
}

export interface ModelList {
  models: ModelRecord[];
  adapters: ModelRecord[];
  /** Files found in added folders that cannot be models; a rescan reads them again. */
  invalid: ModelInvalidFile[];
  /** Folders that `rescanModels` walks for new files. */
  folders: string[];
}

export interface ModelAddProblem {
  file: string;
  message: string;
}

export interface ModelAddResult {
  /** Newly added models and adapters. */
  added: ModelRecord[];
  /** Already in the library; re-read (status back to ok). */
  updated: ModelRecord[];
  /** Files found in folders that could not be read (single files given directly throw instead). */
  skipped: ModelAddProblem[];
}

export interface ModelRescanResult {
  checked: number;
  ok: number;
  missing: number;
  changed: number;
  /** New files found in scanned folders. */
  added: ModelRecord[];
  skipped: ModelAddProblem[];
}

/**
 * Built-in chat templates a model's own template can be replaced with (node-llama-cpp's specialized
 * chat wrappers; test/inference/chatTemplate.test.ts keeps the list in step with the package).
 */
export const CHAT_TEMPLATE_NAMES = [
  'general',
  'deepSeek',
  'qwen',
  'llama3.2-lightweight',
  'llama3.1',
  'llama3',
  'llama2Chat',
  'mistral',
  'alpacaChat',
  'functionary',
  'chatML',
  'falconChat',
  'gemma4',
  'gemma',
  'harmony',
  'muse',
  'seed',
] as const;

/** A chat template override is Jinja text when it has a Jinja tag; otherwise it names a built-in template. */
export function isJinjaChatTemplate(template: string): boolean {
  return template.includes('{{') || template.includes('{%');
}

/**
 * What the local engine does with a prompt longer than its budget (the context less maxTokens, or
 * maxPromptTokens when smaller): refuse it, or cut tokens (a leading BOS always stays) and record
 * how many with the output. keep-start with maxPromptTokens 2048 is what MedS-Bench's eval.py does.
 */
export const TRUNCATION_POLICIES = ['error', 'keep-start', 'keep-end', 'keep-both'] as const;
export type TruncationPolicy = (typeof TRUNCATION_POLICIES)[number];

/** A prompt the engine cut, as recorded with its output. */
export interface PromptTruncation {
  policy: Exclude<TruncationPolicy, 'error'>;
  /** Prompt tokens before cutting (promptTokens is after). */
  originalTokens: number;
  removedTokens: number;
}

/** How a model is loaded and its contexts are created (all applied by the local engine). */
/**
 * How a model is loaded (a saved configuration's settings, the Playground's): derived from the
 * one schema runs share (runSchemas.ts), so the type and the validation cannot drift apart.
 * chatTemplate: a name from CHAT_TEMPLATE_NAMES or Jinja text; unset, the model file's own.
 */
export type ModelLoadSettings = z.output<typeof modelLoadSettingsSchema>;

export interface ModelConfigAdapter {
  adapterId: number;
  name: string;
  path: string;
  scale: number;
}

/** An adapter in a configuration whose recorded base model is not the configuration's model (shared/adapterBase.ts). */
export interface ModelConfigWarning {
  adapterId: number;
  /** The base the adapter was made for: a library model's name or the name in the adapter's metadata. */
  expectedBase: string;
  message: string;
}

/** A runnable configuration: base model + optional adapters with scales + load settings. */
export interface ModelConfig {
  id: number;
  name: string;
  modelId: number;
  modelName: string;
  modelPath: string;
  adapters: ModelConfigAdapter[];
  settings: ModelLoadSettings;
  /** Adapters paired with a different base than the one they record; saved anyway, shown as warnings. */
  warnings: ModelConfigWarning[];
  createdAt: string;
  updatedAt: string;
}

export interface ModelInspection {
  path: string;
  kind: ModelKind;
  parts: string[];
  header: ModelHeader;
  fit: ModelFit | null;
  /** The library entry for this file, if it is in the library. */
  libraryId: number | null;
}

export interface ModelRemoveResult {
  id: number;
  /** Configurations that used the model or adapter and were removed with it. */
  removedConfigs: string[];
}

export type GenerateStopReason = 'maxTokens' | 'eos' | 'stop' | 'abort';

export interface GenerateOutput {
  requestId: string;
  text: string;
  /** The exact prompt the model saw (after the chat template, special tokens written out). */
  renderedPrompt: string;
  promptTokens: number;
  outputTokens: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  totalMs: number;
  stopReason: GenerateStopReason;
  modelPath: string;
  adapters: { path: string; scale: number }[];
  /** Settings actually in effect, read back from the loaded model and the context that ran. */
  settings: {
    gpuLayers: number;
    contextSize: number | null;
    threads: number | null;
    batchSize: number | null;
    flashAttention: boolean | 'auto' | null;
    /** The override that rendered `messages`; null: the model's own template (or a raw prompt). */
    chatTemplate: string | null;
  };
  /** Requested settings the engine does not apply yet (recorded only). */
  ignoredSettings: string[];
  /** Set when the prompt was cut to fit, by the policy the request chose. */
  truncation: PromptTruncation | null;
}

export interface GenerateTokenEvent {
  requestId: string;
  text: string;
}

export interface PullResult {
  path: string;
  record: ModelRecord;
  /** Bytes already on disk from an earlier, interrupted download of the same file. */
  resumedBytes: number;
}

export interface PullProgress {
  pullId: string;
  uri: string;
  downloadedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Null until the speed is known. */
  etaMs: number | null;
}

/** A model held in memory by the engine (one per file; contexts for base and LoRA share it). */
export interface LoadedModelInfo {
  path: string;
  architecture: string;
  parameterCount: number;
  trainContextLength: number;
  sizeBytes: number;
  gpuLayers: number;
  loadMs: number;
  hasChatTemplate: boolean;
  threads: number | null;
  /** Set when threads were chosen automatically: "auto: 2 physical cores, 1 busy with other programs at load; …". */
  threadsReason?: string | null;
  /** false: the weights were read into RAM instead of memory-mapped. */
  mmap: boolean;
  /** Why: "as set", or the automatic choice with the model's size and the memory available at load. */
  mmapReason: string;
}

export interface RuntimeInfo {
  backend: InferenceBackendName;
  deviceNames: string[];
  supportsGpuOffloading: boolean;
  llamaCppRelease: string;
  vram: { total: number; used: number; free: number };
  ram: { total: number; used: number; free: number };
  loaded: LoadedModelInfo[];
}

export interface ModelLoadProgress {
  loadId: string;
  path: string;
  /** 0..1 */
  progress: number;
  done: boolean;
}

/** Which llama.cpp binary the engine runs (node-llama-cpp's portable prebuilt or a build for this CPU). */
export interface EngineBinaryInfo {
  /** "prebuilt": node-llama-cpp's portable binary, as a fresh install gets it; "localBuild": built on this machine. */
  buildType: 'prebuilt' | 'localBuild';
  /** The CPU backend variant the prebuilt loaded (e.g. "zen4", "haswell"), from the libraries mapped; null if unknown. */
  cpuVariant: string | null;
  /** Instruction sets the loaded binary uses (llama.cpp's system info). */
  binaryFeatures: string[];
  /** Instruction sets this CPU has (Linux /proc/cpuinfo; empty elsewhere). */
  cpuFeatures: string[];
  /** What the CPU has and the binary does not use. */
  unused: string[];
  openmp: boolean;
  /** One line for the runtime panel, the CLI and bench:infer. */
  summary: string;
  /** Whether a build for this CPU is likely to be faster, and why. */
  buildRecommended: boolean;
  buildReason: string;
}

/** Where a build for this CPU stands: each `engineBuildProgress` event carries the whole state. */
export interface EngineBuildState {
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** clone: the bundled source is unpacked; configure: cmake; compile: the build proper; done: finished. */
  phase: 'starting' | 'clone' | 'configure' | 'compile' | 'done';
  /** 0–1 while compiling, else null. */
  fraction: number | null;
  /** The last lines of the build's output (at most 12). */
  tail: string[];
  startedAt: number;
  /** Seconds the build took, once it ended. */
  seconds: number | null;
  /** Why it failed or was cancelled, and what to do next; null while running or after success. */
  message: string | null;
}

export interface EngineInfo {
  binary: EngineBinaryInfo;
  /** The build started in this session (running or ended); null when none was. */
  build: EngineBuildState | null;
  /** A build succeeded: node-llama-cpp keeps the binary it loaded until the app restarts. */
  restartNeeded: boolean;
  /** One sentence for a clinician or researcher: what runs, and whether building is worth it. */
  advice: string;
  /** Why a build for this CPU cannot start on this machine (no cmake, no compiler, a read-only install), with what to do; null when it can. */
  cannotBuild: string | null;
}
