/**
 * What callers (runs, generate, the runtime panel, model fit estimates) need from a local
 * inference engine. Two implementations: `InferenceEngine` (node-llama-cpp in this process: the
 * engine child, benchmarks, engine tests) and `EngineProcess` (the same engine in a child process,
 * so that a native abort inside llama.cpp cannot take the host down).
 */
import type { Llama } from 'node-llama-cpp';
import type { BackendInfo, GenerateBatchOptions, GenerateBatchResult, GenerateRequest, GenerateResult, LoadedModel, LoadModelOptions } from './types';

export interface InferenceEngineApi {
  /**
   * A node-llama-cpp runtime in this process for header insights and memory figures only
   * (fit estimates, the runtime panel); models are never loaded through it by callers.
   */
  getLlama(): Promise<Llama>;
  backendInfo(): Promise<BackendInfo>;
  checkChatTemplate(path: string, chatTemplate: string): Promise<void>;
  loadModel(path: string, options?: LoadModelOptions): Promise<LoadedModel>;
  unloadModel(path: string): Promise<void>;
  loadedModels(): Promise<LoadedModel[]>;
  tokenize(modelPath: string, text: string): Promise<number[]>;
  detokenize(modelPath: string, tokens: readonly number[]): Promise<string>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  generateBatch(requests: readonly GenerateRequest[], options?: GenerateBatchOptions): Promise<GenerateBatchResult[]>;
  dispose(): Promise<void>;
}
