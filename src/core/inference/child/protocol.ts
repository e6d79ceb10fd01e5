/**
 * The message protocol between the host and the inference engine child process. Plain JSON
 * values only, so the same messages travel over Node's `child_process` IPC channel and over an
 * Electron `utilityProcess` port. Functions (signals, token and progress callbacks) stay in the
 * host: the child is told *whether* to stream or report progress, and cancellation is a message.
 */
import type { DomainErrorKind } from '../../../shared/errors';
import { DomainError } from '../../errors';
import { ModelFileError, type ModelFileProblem } from '../../gguf/errors';
import { ChatTemplateError } from '../chatPrompt';
import { PromptTooLongError } from '../engine';
import type { GenerateBatchResult, GenerateRequest, LoadModelOptions } from '../types';

export type EngineMethod =
  'backendInfo' | 'loadModel' | 'unloadModel' | 'loadedModels' | 'tokenize' | 'detokenize' | 'generate' | 'generateBatch' | 'checkChatTemplate';

/** A request as it crosses the boundary: no signal, no callbacks. */
export type WireRequest = Omit<GenerateRequest, 'signal' | 'onToken'>;
export type WireLoadOptions = Omit<LoadModelOptions, 'signal' | 'onProgress'> & { progress?: boolean };

export type CallArgsOf = {
  backendInfo: [];
  loadModel: [path: string, options: WireLoadOptions];
  unloadModel: [path: string];
  loadedModels: [];
  tokenize: [path: string, text: string];
  detokenize: [path: string, tokens: number[]];
  /** `stream`: send `token` messages. */
  generate: [request: WireRequest, stream: boolean];
  /** `stream[i]`: request i streams tokens; results also arrive one by one as `item` messages. */
  generateBatch: [requests: WireRequest[], options: { parallel?: number; stream: boolean[] }];
  checkChatTemplate: [path: string, chatTemplate: string];
};

export type ToChild =
  | { type: 'call'; id: number; method: EngineMethod; args: unknown[] }
  /** Aborts call `id` (a batch: only its request `index` when given). */
  | { type: 'abort'; id: number; index?: number }
  | { type: 'dispose' };

export type WireBatchResult = { status: 'fulfilled'; value: unknown } | { status: 'rejected'; reason: WireError };

export type FromChild =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: WireError }
  | { type: 'progress'; id: number; progress: number }
  | { type: 'token'; id: number; index: number; text: string }
  | { type: 'item'; id: number; index: number; result: WireBatchResult };

export interface WireError {
  name: string;
  message: string;
  kind?: DomainErrorKind;
  details?: Record<string, string | number>;
  problem?: ModelFileProblem;
  file?: string;
  prompt?: { promptTokens: number; maxTokens: number; contextSize: number; maxPromptTokens?: number };
}

/** An error as data, keeping what the host's callers branch on (class, code, file, token counts). */
export function errorToWire(err: unknown): WireError {
  if (err instanceof ModelFileError) return { name: 'ModelFileError', message: err.message, problem: err.problem, file: err.file };
  if (err instanceof PromptTooLongError) {
    return {
      name: 'PromptTooLongError',
      message: err.message,
      prompt: {
        promptTokens: err.promptTokens,
        maxTokens: err.maxTokens,
        contextSize: err.contextSize,
        ...(err.maxPromptTokens !== undefined ? { maxPromptTokens: err.maxPromptTokens } : {}),
      },
    };
  }
  if (err instanceof DomainError) return { name: 'DomainError', message: err.message, kind: err.domainKind, ...(err.details ? { details: err.details } : {}) };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** The error rebuilt in the host as the class callers expect. */
export function errorFromWire(w: WireError): Error {
  switch (w.name) {
    case 'ModelFileError':
      return new ModelFileError(w.problem ?? 'load_failed', w.file ?? '', w.message);
    case 'PromptTooLongError':
      if (w.prompt) return new PromptTooLongError(w.prompt.promptTokens, w.prompt.maxTokens, w.prompt.contextSize, w.prompt.maxPromptTokens);
      break;
    case 'DomainError':
      if (w.kind) return new DomainError(w.kind, w.message, w.details);
      break;
    case 'ChatTemplateError':
      return new ChatTemplateError(w.message);
    case 'AbortError':
      return new DOMException(w.message, 'AbortError');
    case 'RangeError':
      return new RangeError(w.message);
    case 'TypeError':
      return new TypeError(w.message);
  }
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

export function batchResultToWire(r: GenerateBatchResult): WireBatchResult {
  return r.status === 'fulfilled' ? r : { status: 'rejected', reason: errorToWire(r.reason) };
}
