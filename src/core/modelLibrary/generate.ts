/**
 * `generate`: one prompt (or chat) on a model configuration, a library model, or a `.gguf` path,
 * through the InferenceEngine; tokens stream out as `generateToken` events.
 */
import crypto from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CallArgs, EventSink } from '../../shared/contract';
import type { GenerateOutput, ModelLoadSettings } from '../../shared/models';
import { ChatTemplateError } from '../inference/chatPrompt';
import { PromptTooLongError } from '../inference/engine';
import type { InferenceEngineApi } from '../inference/engineApi';
import type { ModelLibrary } from './modelLibrary';
import { BadInputError, DomainError, NotFoundError } from '../errors';

const ENGINE_DEFAULT_CONTEXT = 4096;

export interface GenerateDeps {
  library: ModelLibrary;
  engine: InferenceEngineApi;
  emit: EventSink;
  /** Running generations by request id (for `cancelGenerate`). */
  active: Map<string, AbortController>;
}

interface Target {
  modelPath: string;
  adapters: { path: string; scale: number }[];
  settings: Partial<ModelLoadSettings>;
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

function libraryModelPath(library: ModelLibrary, id: number): string {
  const row = library.findById(id);
  if (!row) throw new NotFoundError(`no model with id ${id} in the library`);
  if (row.kind !== 'model') throw new BadInputError(`${row.name} (id ${id}) is a LoRA adapter; run it on its base model with --lora`);
  return row.path;
}

/** Resolves `model` / `configId` / `adapters` to files and settings. */
async function resolveTarget(library: ModelLibrary, args: CallArgs<'generate'>): Promise<Target> {
  let target: Target;
  if (args.configId !== undefined) {
    if (args.model !== undefined) throw new BadInputError('generate: give either model or configId, not both');
    const c = library.config(args.configId);
    target = { modelPath: c.modelPath, adapters: c.adapters.map((a) => ({ path: a.path, scale: a.scale })), settings: c.settings };
  } else if (typeof args.model === 'number') {
    target = { modelPath: libraryModelPath(library, args.model), adapters: [], settings: {} };
  } else if (typeof args.model === 'string') {
    const ref = args.model;
    if (/^\d+$/.test(ref) && library.findById(Number(ref))) {
      target = { modelPath: libraryModelPath(library, Number(ref)), adapters: [], settings: {} };
    } else if (ref.toLowerCase().endsWith('.gguf') || ref.includes('/') || ref.includes(path.sep) || (await isFile(ref))) {
      // A path: the engine reports a missing or unreadable file naming it.
      target = { modelPath: path.resolve(ref), adapters: [], settings: {} };
    } else {
      const { models, config } = library.findByName(ref);
      const bases = models.filter((m) => m.kind === 'model');
      if (config) target = { modelPath: config.modelPath, adapters: config.adapters.map((a) => ({ path: a.path, scale: a.scale })), settings: config.settings };
      else if (bases.length === 1 && bases[0]) target = { modelPath: bases[0].path, adapters: [], settings: {} };
      else if (bases.length > 1) throw new BadInputError(`several models are named "${ref}" (ids ${bases.map((b) => b.id).join(', ')}); use an id`);
      else throw new NotFoundError(`no model file, library model or configuration named "${ref}"`);
    }
  } else {
    throw new BadInputError('generate: give model (a library id, name or .gguf path) or configId');
  }
  for (const a of args.adapters ?? []) {
    if ((a.adapterId === undefined) === (a.path === undefined)) throw new BadInputError('generate: each adapter needs either adapterId or path');
    if (a.adapterId !== undefined) {
      const row = library.findById(a.adapterId);
      if (!row) throw new NotFoundError(`no adapter with id ${a.adapterId} in the library`);
      if (row.kind !== 'adapter') throw new BadInputError(`${row.name} (id ${a.adapterId}) is a model, not an adapter`);
      target.adapters.push({ path: row.path, scale: a.scale });
    } else {
      target.adapters.push({ path: path.resolve(a.path ?? ''), scale: a.scale });
    }
  }
  target.settings = { ...target.settings, ...(args.settings ?? {}) };
  return target;
}

export async function runGenerate(deps: GenerateDeps, args: CallArgs<'generate'>): Promise<GenerateOutput> {
  if ((args.prompt === undefined) === (args.messages === undefined)) throw new BadInputError('generate: give either prompt or messages');
  const requestId = args.requestId ?? crypto.randomUUID();
  if (deps.active.has(requestId)) throw new BadInputError(`a generation with request id "${requestId}" is already running`);
  const target = await resolveTarget(deps.library, args);
  const s = target.settings;
  const engine = deps.engine;
  const controller = new AbortController();
  deps.active.set(requestId, controller);
  let lastPct = -1;
  try {
    const loaded = await engine.loadModel(target.modelPath, {
      gpuLayers: s.gpuLayers ?? 'auto',
      ...(s.threads !== undefined ? { threads: s.threads } : {}),
      signal: controller.signal,
      // Tagged with the request id, so a caller (the Playground) can say "loading model…" with progress.
      onProgress: (progress) => {
        const pct = Math.floor(progress * 100);
        if (pct === lastPct) return;
        lastPct = pct;
        deps.emit('modelLoadProgress', { loadId: requestId, path: target.modelPath, progress, done: progress >= 1 });
      },
    });
    const result = await engine.generate({
      modelPath: target.modelPath,
      ...(target.adapters.length > 0 ? { loraPaths: target.adapters } : {}),
      ...(args.prompt !== undefined ? { prompt: args.prompt } : {}),
      ...(args.messages !== undefined ? { messages: args.messages } : {}),
      maxTokens: args.maxTokens,
      temperature: args.temperature,
      ...(args.topK !== undefined ? { topK: args.topK } : {}),
      ...(args.topP !== undefined ? { topP: args.topP } : {}),
      ...(args.minP !== undefined ? { minP: args.minP } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(args.stop !== undefined ? { stop: args.stop } : {}),
      ...(args.repeatPenalty !== undefined ? { repeatPenalty: args.repeatPenalty } : {}),
      ...(s.contextSize !== undefined ? { contextSize: s.contextSize } : {}),
      ...(s.batchSize !== undefined ? { batchSize: s.batchSize } : {}),
      ...(s.flashAttention !== undefined ? { flashAttention: s.flashAttention } : {}),
      ...(s.threads !== undefined ? { threads: s.threads } : {}),
      ...(s.chatTemplate !== undefined ? { chatTemplate: s.chatTemplate } : {}),
      ...(args.truncate !== undefined ? { truncate: args.truncate } : {}),
      ...(args.maxPromptTokens !== undefined ? { maxPromptTokens: args.maxPromptTokens } : {}),
      signal: controller.signal,
      onToken: (text) => deps.emit('generateToken', { requestId, text }),
    });
    const wanted = s.contextSize ?? ENGINE_DEFAULT_CONTEXT;
    // A model stays loaded with the GPU layers of its first load (one copy of the weights serves
    // every context); a different count asked for now is said, not silently dropped.
    const ignoredSettings: string[] = [];
    if (typeof s.gpuLayers === 'number' && s.gpuLayers !== loaded.gpuLayers) {
      const backend = await engine.backendInfo();
      ignoredSettings.push(
        backend.supportsGpuOffloading
          ? `gpuLayers ${s.gpuLayers}: the model is loaded with ${loaded.gpuLayers}; unload it to change`
          : `gpuLayers ${s.gpuLayers}: the ${backend.backend} backend does not offload layers`,
      );
    }
    return {
      requestId,
      text: result.text,
      renderedPrompt: result.renderedPrompt,
      promptTokens: result.promptTokens,
      outputTokens: result.outputTokens,
      timeToFirstTokenMs: result.timeToFirstTokenMs,
      tokensPerSecond: result.tokensPerSecond,
      totalMs: result.totalMs,
      stopReason: result.stopReason,
      modelPath: loaded.path,
      adapters: target.adapters,
      settings: {
        gpuLayers: loaded.gpuLayers,
        contextSize: result.context?.size ?? (loaded.trainContextLength > 0 ? Math.min(wanted, loaded.trainContextLength) : wanted),
        threads: result.context?.threads ?? s.threads ?? null,
        batchSize: result.context?.batchSize ?? null,
        flashAttention: result.context?.flashAttention ?? null,
        chatTemplate: args.messages !== undefined ? (s.chatTemplate ?? null) : null,
      },
      ignoredSettings,
      truncation: result.truncation ?? null,
    };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (err instanceof ChatTemplateError) throw new BadInputError(err.message);
    if (err instanceof PromptTooLongError) {
      throw new BadInputError(err.message, {
        promptTokens: err.promptTokens,
        contextSize: err.contextSize,
        ...(err.maxPromptTokens !== undefined ? { maxPromptTokens: err.maxPromptTokens } : {}),
      });
    }
    if (controller.signal.aborted) throw new BadInputError(`generation ${requestId} was cancelled`);
    if (err instanceof RangeError || (err instanceof Error && /messages|prompt/.test(err.message))) throw new BadInputError(err.message);
    throw err;
  } finally {
    deps.active.delete(requestId);
  }
}
