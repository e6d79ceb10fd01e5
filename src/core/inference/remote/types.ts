/** Public types of the remote (OpenAI-compatible HTTP) inference backend. */
import type { GenerateBatchOptions, GenerateRequest, GenerateResult } from '../types';

export interface RemoteBackendOptions {
  /**
   * Server base URL, e.g. "http://gpu-node:8000" (vLLM), "http://host:8080" (llama-server, TGI),
   * "http://localhost:11434" (Ollama). "/v1" is appended unless the path already ends in /v<N>.
   */
  baseUrl: string;
  /** Model name sent in each request (vLLM and Ollama route on it; llama-server ignores it). */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never included in error messages. */
  apiKey?: string;
  /** Extra HTTP headers on every request. */
  headers?: Record<string, string>;
  /** Requests in flight at once from this backend (a waiting request holds no connection). Default 4. */
  concurrency?: number;
  /** Limit per attempt, connection to last byte, in ms. Default 300 000. */
  timeoutMs?: number;
  /** Further attempts after a retryable failure (network error, timeout, 408, 429, 5xx). Default 3. */
  retries?: number;
  /** First backoff delay in ms; doubles per attempt, with jitter. Default 500. */
  backoffMs?: number;
  /** Cap on one backoff delay (and on a server's Retry-After) in ms. Default 30 000. */
  maxBackoffMs?: number;
  /** Stream with SSE (needed for time to first token and onToken). Default true. */
  stream?: boolean;
  /** Replaces the global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/**
 * The local engine's request without the local-only fields (model file, LoRA, context size).
 * `topK`, `minP` and `repeatPenalty` are sent as the common extensions `top_k`, `min_p`,
 * `repeat_penalty` (llama.cpp, Ollama) and `repetition_penalty` (vLLM, TGI) only when set.
 */
export interface RemoteGenerateRequest extends Omit<GenerateRequest, 'modelPath' | 'loraPaths' | 'contextSize'> {
  /** Overrides the backend's model name for this request. */
  model?: string;
  /** Merged into the JSON body last (server-specific parameters). */
  extraBody?: Record<string, unknown>;
  /** Called before each retry. Text already streamed to onToken is generated again from the start. */
  onRetry?: (info: RemoteRetryInfo) => void;
}

export interface RemoteRetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  error: Error;
  delayMs: number;
}

/** llama-server's extra `timings` object, when the server sends one. */
export interface RemoteServerTimings {
  promptTokens?: number;
  promptMs?: number;
  predictedTokens?: number;
  predictedMs?: number;
  predictedPerSecond?: number;
  cachedTokens?: number;
}

/**
 * The local engine's result plus what only a remote run has. For chat requests the server applies
 * the chat template, so `renderedPrompt` is the messages as JSON, not the text the model saw.
 * `timeToFirstTokenMs` is measured at the client (request sent → first streamed text), so it
 * includes the network and the server's queue; without streaming it equals `totalMs`.
 */
export interface RemoteGenerateResult extends GenerateResult {
  /** HTTP attempts made (1 = no retry). */
  attempts: number;
  /** The model name the server reported (or the one requested). */
  model: string;
  /** The endpoint called. */
  url: string;
  /** Time spent waiting for a concurrency slot, all attempts together. */
  queueMs: number;
  /** False when the server sent no `usage`: token counts are then streamed chunks (≈ tokens) and prompt tokens 0. */
  usageReported: boolean;
  serverTimings?: RemoteServerTimings;
}

export type RemoteGenerateBatchResult = { status: 'fulfilled'; value: RemoteGenerateResult } | { status: 'rejected'; reason: Error };

export type RemoteGenerateBatchOptions = Omit<GenerateBatchOptions, 'onResult'> & {
  onResult?: (index: number, result: RemoteGenerateBatchResult) => void;
};
