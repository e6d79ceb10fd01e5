/** Public types of the local inference engine (no node-llama-cpp types leak out of here). */
import type { PromptTruncation, TruncationPolicy } from '../../shared/models';

export type InferenceBackend = 'cuda' | 'vulkan' | 'metal' | 'cpu';

export interface BackendInfo {
  backend: InferenceBackend;
  /** GPU device names; empty on CPU. */
  deviceNames: string[];
  supportsGpuOffloading: boolean;
  /** The llama.cpp release the bindings were built from, e.g. "b6000". */
  llamaCppRelease: string;
}

export interface EngineOptions {
  /** Backend choice handed to node-llama-cpp `getLlama`. Default "auto". */
  gpu?: 'auto' | 'cuda' | 'vulkan' | 'metal' | false;
  /** Threads per context (node-llama-cpp default when unset). 1 is fastest for tiny models. */
  threads?: number;
  /** Default context size per sequence, clamped to the model's trained context. Default 4096. */
  contextSize?: number;
  /** Idle contexts kept per loaded model (each base/LoRA/size combination is one context). Default 2. */
  maxContextsPerModel?: number;
  /**
   * Keep the KV cache between requests on a sequence and evaluate only what follows the longest
   * common prefix (a task's instruction and few-shot examples). Default true; false starts each request clean.
   */
  reusePrefix?: boolean;
  /** Total bytes of loaded model files the engine may hold; beyond it idle models are unloaded (LRU). Default: free memory decides. */
  maxLoadedBytes?: number;
  /** llama.cpp log level. Default "error". */
  logLevel?: 'disabled' | 'fatal' | 'error' | 'warn' | 'info' | 'debug';
}

export interface LoadModelOptions {
  /** "auto" (fit in VRAM), "max" (all, or fail) or a layer count. Default "auto". */
  gpuLayers?: 'auto' | 'max' | number;
  /** CPU threads for this model's contexts when a request does not say (the first load's value wins). */
  threads?: number;
  /**
   * Memory-map the file (true) or read the weights into RAM at load (false): slower to load and it
   * needs the RAM, but nothing is paged in from disk mid-run (network or slow drives), generation on
   * CPU keeps its speed through long runs, and the load reports per-tensor progress. Unset: the
   * engine chooses (weightPlacement.ts: in RAM for CPU work when it leaves most memory free).
   */
  mmap?: boolean;
  /** Load progress in [0, 1]. */
  onProgress?: (progress: number) => void;
  signal?: AbortSignal;
}

export interface LoadedModel {
  path: string;
  architecture: string;
  parameterCount: number;
  trainContextLength: number;
  sizeBytes: number;
  /** Layers actually offloaded to the GPU. */
  gpuLayers: number;
  loadMs: number;
  hasChatTemplate: boolean;
  /** Threads its contexts use unless a request says otherwise (null: the engine's default). */
  threads: number | null;
  /** When `threads` was chosen automatically (no setting): why that many (threads.ts). */
  threadsReason: string | null;
  /** Whether the weights are memory-mapped (false: read into RAM). */
  mmap: boolean;
  /** Why (weightPlacement.ts): as set, or the automatic choice and its figures. */
  mmapReason: string;
}

export interface LoraAdapterRef {
  path: string;
  /** Adapter scale (llama.cpp multiplies by alpha/rank as well). Default 1. */
  scale?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type StopReason = 'maxTokens' | 'eos' | 'stop' | 'abort';

export interface GenerateRequest {
  modelPath: string;
  loraPaths?: LoraAdapterRef[];
  /** Chat messages rendered with the model's chat template (give `messages` or `prompt`). */
  messages?: ChatMessage[];
  /** Raw completion prompt (BOS is added when the model wants it). */
  prompt?: string;
  /** Default 256. The prompt plus maxTokens must fit in the context. */
  maxTokens?: number;
  /** 0 = greedy. Default 0. */
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  /** Extra stop strings; the matched text is not included in the result. */
  stop?: string[];
  /** Repeat penalty (e.g. 1.1); default off for reproducibility. */
  repeatPenalty?: number;
  /** Context size for this request (see EngineOptions.contextSize). */
  contextSize?: number;
  /** Tokens per llama.cpp batch for the context (node-llama-cpp default when unset). */
  batchSize?: number;
  /** Flash attention for the context; unset: node-llama-cpp's default for the model. */
  flashAttention?: boolean;
  /** CPU threads for the context; unset: the model's load setting, else the engine's. */
  threads?: number;
  /** Chat template override for `messages` (a built-in name or Jinja text); unset: the model's own. */
  chatTemplate?: string;
  /** A prompt over its budget: PromptTooLongError ('error', the default) or cut by this policy. */
  truncate?: TruncationPolicy;
  /** A smaller prompt budget than the context allows (e.g. 2048, as MedS-Bench evaluates). */
  maxPromptTokens?: number;
  signal?: AbortSignal;
  /** Streams text as it is generated. */
  onToken?: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  /** The exact prompt the model saw, after the chat template, special tokens written out. */
  renderedPrompt: string;
  promptTokens: number;
  /** Prompt tokens not evaluated again because the sequence's KV cache already held them (local engine). */
  reusedPromptTokens?: number;
  outputTokens: number;
  /** From the start of prompt evaluation to the first generated token. */
  timeToFirstTokenMs: number;
  /** Decode speed: tokens after the first, per second of decoding (all tokens / total time when only one). */
  tokensPerSecond: number;
  totalMs: number;
  stopReason: StopReason;
  /** Set when the prompt was cut to fit its budget; promptTokens counts what was evaluated. */
  truncation?: PromptTruncation;
  /** The context the generation ran on, as llama.cpp created it (local engine). */
  context?: { size: number; batchSize: number; flashAttention: boolean | 'auto'; threads: number };
}

export type GenerateBatchResult = { status: 'fulfilled'; value: GenerateResult } | { status: 'rejected'; reason: Error };

export interface GenerateBatchOptions {
  /** Sequences evaluated together in one context. Default 1. */
  parallel?: number;
  signal?: AbortSignal;
  /** Called as each request finishes, with its index in `requests`. */
  onResult?: (index: number, result: GenerateBatchResult) => void;
}
