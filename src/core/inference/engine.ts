/**
 * Local inference over node-llama-cpp: one `Llama` per engine, models cached by path, one context per
 * (model, LoRA set, context size) so a base model and the same model with LoRA adapters share weights.
 * Never imports electron; runs in Node (CLI, server) and in Electron's main process.
 */
import { resolve as resolvePath } from 'node:path';
import { getLlama, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel, LlamaText, Token } from 'node-llama-cpp';
import { describeFile, ModelFileError } from '../models/errors';
import { inspectModelFile } from '../models/inspect';
import type { ModelFileInfo } from '../models/inspect';
import { chatWrapperFor, renderChat } from './chatPrompt';
import { SequencePool } from './sequencePool';
import type {
  BackendInfo,
  EngineOptions,
  GenerateBatchOptions,
  GenerateBatchResult,
  GenerateRequest,
  GenerateResult,
  InferenceBackend,
  LoadedModel,
  LoadModelOptions,
  LoraAdapterRef,
  StopReason,
} from './types';

export * from './types';

const DEFAULT_CONTEXT_SIZE = 4096;
const DEFAULT_MAX_TOKENS = 256;

/** The request's prompt does not fit in the context; never cut silently. */
export class PromptTooLongError extends Error {
  constructor(
    readonly promptTokens: number,
    readonly maxTokens: number,
    readonly contextSize: number,
  ) {
    super(
      promptTokens >= contextSize
        ? `Prompt is ${promptTokens} tokens but the context holds ${contextSize}.`
        : `Prompt (${promptTokens} tokens) plus maxTokens (${maxTokens}) is ${promptTokens + maxTokens} tokens, more than the context size of ${contextSize}.`,
    );
    this.name = 'PromptTooLongError';
  }
}

interface ContextEntry {
  key: string;
  context: LlamaContext;
  pool: SequencePool<LlamaContextSequence>;
  lastUsed: number;
  active: number;
}

interface ModelEntry {
  path: string;
  model: LlamaModel;
  info: ModelFileInfo;
  loaded: LoadedModel;
  contexts: Map<string, Promise<ContextEntry>>;
  chatWrapper?: ChatWrapper;
  /** For unloading the least recently used model when memory is needed. */
  lastUsed?: number;
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('The operation was aborted', 'AbortError');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class InferenceEngine {
  private readonly options: EngineOptions;
  private llamaPromise: Promise<Llama> | null = null;
  private readonly models = new Map<string, Promise<ModelEntry>>();
  private disposed = false;

  constructor(options: EngineOptions = {}) {
    this.options = options;
  }

  private ensureOpen(): void {
    if (this.disposed) throw new Error('InferenceEngine has been disposed');
  }

  /** The node-llama-cpp runtime, created once (prebuilt binaries only, never a source build). */
  getLlama(): Promise<Llama> {
    this.ensureOpen();
    if (!this.llamaPromise) {
      this.llamaPromise = getLlama({
        gpu: this.options.gpu ?? 'auto',
        build: 'never',
        logLevel: (this.options.logLevel ?? 'error') as LlamaLogLevel,
      });
      this.llamaPromise.catch(() => {
        this.llamaPromise = null;
      });
    }
    return this.llamaPromise;
  }

  async backendInfo(): Promise<BackendInfo> {
    const llama = await this.getLlama();
    const backend: InferenceBackend = llama.gpu === false ? 'cpu' : llama.gpu;
    return {
      backend,
      deviceNames: backend === 'cpu' ? [] : await llama.getGpuDeviceNames(),
      supportsGpuOffloading: llama.supportsGpuOffloading,
      llamaCppRelease: llama.llamaCppRelease.release,
    };
  }

  /** Loads (or returns the already loaded) model; the first load's gpuLayers win until `unloadModel`. */
  async loadModel(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
    return (await this.modelEntry(path, options)).loaded;
  }

  private modelEntry(path: string, options: LoadModelOptions = {}): Promise<ModelEntry> {
    this.ensureOpen();
    const key = resolvePath(path);
    let entry = this.models.get(key);
    void entry?.then((e) => (e.lastUsed = Date.now()), () => undefined);
    if (!entry) {
      entry = this.doLoad(key, options);
      this.models.set(key, entry);
      entry.catch(() => {
        if (this.models.get(key) === entry) this.models.delete(key);
      });
    } else if (options.onProgress) {
      const cb = options.onProgress;
      void entry.then(() => cb(1), () => undefined);
    }
    return entry;
  }

  /**
   * Unloads idle models, least recently used first, until the new one fits: in the memory
   * budget when one is set, else in free RAM (VRAM when offloading) with 20% headroom.
   */
  private async makeRoomFor(path: string, bytes: number): Promise<void> {
    const llama = await this.getLlama();
    const free = async (): Promise<number> => {
      if (this.options.maxLoadedBytes !== undefined) {
        let used = 0;
        for (const [p, e] of this.models) if (p !== path) used += (await e.catch(() => null))?.loaded.sizeBytes ?? 0;
        return this.options.maxLoadedBytes - used;
      }
      const state = llama.gpu ? await llama.getVramState() : await llama.getRamState();
      return state.free;
    };
    while ((await free()) < bytes * 1.2) {
      let victim: { key: string; lastUsed: number } | null = null;
      for (const [key, p] of this.models) {
        if (key === path) continue;
        const e = await p.catch(() => null);
        if (!e) continue;
        let busy = false;
        for (const c of e.contexts.values()) if (((await c.catch(() => null))?.active ?? 0) > 0) busy = true;
        if (busy) continue;
        const lastUsed = e.lastUsed ?? 0;
        if (!victim || lastUsed < victim.lastUsed) victim = { key, lastUsed };
      }
      if (!victim) return; // nothing idle to unload: let llama.cpp's own checks decide
      await this.unloadModel(victim.key);
    }
  }

  private async doLoad(path: string, options: LoadModelOptions): Promise<ModelEntry> {
    const llama = await this.getLlama();
    const info = await inspectModelFile(path, { llama, ...(options.signal ? { signal: options.signal } : {}) });
    if (info.kind !== 'model') {
      throw new ModelFileError('not_a_model', path, `File ${describeFile(path)} is a ${info.adapterType ?? ''} adapter, not a model; load it as a LoRA on its base model.`);
    }
    if (!info.architectureSupported) {
      throw new ModelFileError(
        'unsupported_architecture',
        path,
        `Model ${describeFile(path)} has architecture "${info.architecture || '(none)'}", which this llama.cpp build (${llama.llamaCppRelease.release}) does not support.`,
      );
    }
    await this.makeRoomFor(path, info.sizeBytes);
    const started = performance.now();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: path,
        gpuLayers: options.gpuLayers ?? 'auto',
        ...(options.onProgress ? { onLoadProgress: options.onProgress } : {}),
        ...(options.signal ? { loadSignal: options.signal } : {}),
      });
    } catch (err) {
      if (options.signal?.aborted) throw abortError(options.signal);
      throw new ModelFileError('load_failed', path, `Cannot load model ${describeFile(path)}: ${errorMessage(err)}`, { cause: err });
    }
    const loadMs = performance.now() - started;
    options.onProgress?.(1);
    const loaded: LoadedModel = {
      path,
      architecture: info.architecture,
      parameterCount: info.parameterCount,
      trainContextLength: model.trainContextSize,
      sizeBytes: info.sizeBytes,
      gpuLayers: model.gpuLayers,
      loadMs,
      hasChatTemplate: info.hasChatTemplate,
    };
    return { path, model, info, loaded, contexts: new Map() };
  }

  async unloadModel(path: string): Promise<void> {
    const key = resolvePath(path);
    const entry = this.models.get(key);
    if (!entry) return;
    this.models.delete(key);
    const e = await entry.catch(() => null);
    if (!e) return;
    for (const c of e.contexts.values()) {
      const ce = await c.catch(() => null);
      ce?.pool.close();
    }
    await e.model.dispose();
  }

  /** Loaded models (settled loads only). */
  async loadedModels(): Promise<LoadedModel[]> {
    const out: LoadedModel[] = [];
    for (const p of this.models.values()) {
      const e = await p.catch(() => null);
      if (e) out.push(e.loaded);
    }
    return out;
  }

  async tokenize(modelPath: string, text: string): Promise<number[]> {
    const { model } = await this.modelEntry(modelPath);
    return model.tokenize(text);
  }

  async detokenize(modelPath: string, tokens: readonly number[]): Promise<string> {
    const { model } = await this.modelEntry(modelPath);
    return model.detokenize(tokens as Token[]);
  }

  private async validateLoras(entry: ModelEntry, loras: readonly LoraAdapterRef[]): Promise<void> {
    const llama = await this.getLlama();
    for (const lora of loras) {
      const info = await inspectModelFile(lora.path, { llama });
      if (info.kind !== 'adapter' || info.adapterType !== 'lora') {
        throw new ModelFileError('not_an_adapter', lora.path, `File ${describeFile(lora.path)} is not a LoRA adapter (general.type "${info.kind}"${info.adapterType ? `, adapter.type "${info.adapterType}"` : ''}).`);
      }
      if (info.architecture !== entry.info.architecture) {
        throw new ModelFileError(
          'adapter_mismatch',
          lora.path,
          `LoRA adapter ${describeFile(lora.path)} is for architecture "${info.architecture}" but base model ${describeFile(entry.path)} is "${entry.info.architecture}".`,
        );
      }
    }
  }

  private resolveContextSize(entry: ModelEntry, requested?: number): number {
    const wanted = requested ?? this.options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const train = entry.model.trainContextSize;
    return train > 0 ? Math.min(wanted, train) : wanted;
  }

  private contextFor(entry: ModelEntry, loras: readonly LoraAdapterRef[], contextSize: number, sequences: number): Promise<ContextEntry> {
    const loraKey = loras.map((l) => `${resolvePath(l.path)}@${l.scale ?? 1}`).join('|');
    const base = `${loraKey}#${contextSize}`;
    // Reuse any context with this configuration and enough sequences.
    for (const [key, ctx] of entry.contexts) {
      const [cfg, seqs] = key.split('~');
      if (cfg === base && Number(seqs) >= sequences) return ctx;
    }
    const key = `${base}~${sequences}`;
    const created = this.createContext(entry, loras, contextSize, sequences, key);
    entry.contexts.set(key, created);
    created.catch(() => {
      if (entry.contexts.get(key) === created) entry.contexts.delete(key);
    });
    void created.then(() => this.evictIdleContexts(entry, key), () => undefined);
    return created;
  }

  private async createContext(entry: ModelEntry, loras: readonly LoraAdapterRef[], contextSize: number, sequences: number, key: string): Promise<ContextEntry> {
    if (loras.length > 0) await this.validateLoras(entry, loras);
    let context: LlamaContext;
    try {
      context = await entry.model.createContext({
        contextSize,
        sequences,
        ...(this.options.threads !== undefined ? { threads: this.options.threads } : {}),
        ...(loras.length > 0 ? { lora: { adapters: loras.map((l) => ({ filePath: resolvePath(l.path), scale: l.scale ?? 1 })) } } : {}),
      });
    } catch (err) {
      if (loras.length > 0) {
        const first = loras[0]?.path ?? '';
        const names = loras.map((l) => describeFile(l.path)).join(', ');
        throw new ModelFileError('adapter_mismatch', first, `LoRA adapter ${names} cannot be applied to base model ${describeFile(entry.path)}: ${errorMessage(err)}`, {
          cause: err,
        });
      }
      throw err;
    }
    const seqs: LlamaContextSequence[] = [];
    for (let i = 0; i < sequences; i++) seqs.push(context.getSequence());
    return { key, context, pool: new SequencePool(seqs.reverse()), lastUsed: Date.now(), active: 0 };
  }

  private async evictIdleContexts(entry: ModelEntry, keep: string): Promise<void> {
    const limit = Math.max(1, this.options.maxContextsPerModel ?? 2);
    if (entry.contexts.size <= limit) return;
    const settled: ContextEntry[] = [];
    for (const p of entry.contexts.values()) {
      const c = await p.catch(() => null);
      if (c && c.key !== keep && c.active === 0 && c.pool.idle) settled.push(c);
    }
    settled.sort((a, b) => a.lastUsed - b.lastUsed);
    for (const c of settled) {
      if (entry.contexts.size <= limit) break;
      if (c.active !== 0 || !c.pool.idle || entry.contexts.get(c.key) === undefined) continue; // picked up meanwhile
      entry.contexts.delete(c.key);
      c.pool.close();
      await c.context.dispose();
    }
  }

  /** One generation. Aborting returns the text so far with stopReason "abort"; it never throws for an abort. */
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const entry = await this.modelEntry(request.modelPath);
    const contextSize = this.resolveContextSize(entry, request.contextSize);
    const ctx = await this.contextFor(entry, request.loraPaths ?? [], contextSize, 1);
    return this.runOnContext(entry, ctx, request);
  }

  /**
   * Runs many requests, `parallel` at a time as sequences of one shared context per
   * (model, LoRA set, context size) so their tokens are evaluated in the same batches.
   * Results come back in request order, settled like `Promise.allSettled`.
   */
  async generateBatch(requests: readonly GenerateRequest[], options: GenerateBatchOptions = {}): Promise<GenerateBatchResult[]> {
    const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
    const results: GenerateBatchResult[] = new Array<GenerateBatchResult>(requests.length);
    const groups = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const k = `${resolvePath(r.modelPath)}\n${(r.loraPaths ?? []).map((l) => `${resolvePath(l.path)}@${l.scale ?? 1}`).join('|')}\n${r.contextSize ?? ''}`;
      const list = groups.get(k) ?? [];
      list.push(i);
      groups.set(k, list);
    });
    const settle = (i: number, result: GenerateBatchResult): void => {
      results[i] = result;
      options.onResult?.(i, result);
    };
    for (const indices of groups.values()) {
      const firstReq = requests[indices[0] ?? 0];
      if (!firstReq) continue;
      let entry: ModelEntry;
      let ctx: ContextEntry;
      try {
        entry = await this.modelEntry(firstReq.modelPath);
        const contextSize = this.resolveContextSize(entry, firstReq.contextSize);
        ctx = await this.contextFor(entry, firstReq.loraPaths ?? [], contextSize, Math.min(parallel, indices.length));
      } catch (err) {
        for (const i of indices) settle(i, { status: 'rejected', reason: err instanceof Error ? err : new Error(String(err)) });
        continue;
      }
      const queue = [...indices];
      ctx.active++; // hold the context (no eviction) between items
      const worker = async (): Promise<void> => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const req = requests[i];
          if (!req) continue;
          const signal = req.signal && options.signal ? AbortSignal.any([req.signal, options.signal]) : (req.signal ?? options.signal);
          try {
            settle(i, { status: 'fulfilled', value: await this.runOnContext(entry, ctx, { ...req, ...(signal ? { signal } : {}) }) });
          } catch (err) {
            settle(i, { status: 'rejected', reason: err instanceof Error ? err : new Error(String(err)) });
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(parallel, indices.length, ctx.pool.size) }, () => worker()));
      } finally {
        ctx.active--;
      }
    }
    return results;
  }

  private promptTokens(entry: ModelEntry, request: GenerateRequest): { tokens: Token[]; stopTriggers: (string | LlamaText)[] } {
    const { model } = entry;
    const stops: (string | LlamaText)[] = (request.stop ?? []).filter((s) => s.length > 0);
    if (request.messages !== undefined && request.prompt !== undefined) throw new Error('give either messages or prompt, not both');
    if (request.messages !== undefined) {
      entry.chatWrapper ??= chatWrapperFor(model);
      const rendered = renderChat(model, entry.chatWrapper, request.messages);
      return { tokens: rendered.tokens, stopTriggers: [...stops, ...rendered.stopTriggers] };
    }
    if (request.prompt === undefined) throw new Error('a generate request needs messages or prompt');
    // Tokenized like llama.cpp's `llama_tokenize(text, add_special)` (SPM models keep their leading-space
    // prefix); LlamaCompletion adds the BOS token.
    return { tokens: model.tokenize(request.prompt), stopTriggers: stops };
  }

  private async runOnContext(entry: ModelEntry, ctx: ContextEntry, request: GenerateRequest): Promise<GenerateResult> {
    this.ensureOpen();
    const { model } = entry;
    const { tokens, stopTriggers } = this.promptTokens(entry, request);
    const bosCount = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? 1 : 0;
    const promptTokens = tokens.length + bosCount;
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be a positive integer, got ${maxTokens}`);
    const contextSize = ctx.context.contextSize;
    if (promptTokens + maxTokens > contextSize) throw new PromptTooLongError(promptTokens, maxTokens, contextSize);

    const renderedPrompt = model.detokenize(bosCount && model.tokens.bos !== null ? [model.tokens.bos, ...tokens] : tokens, true);
    const empty = (reason: StopReason): GenerateResult => ({
      text: '', renderedPrompt, promptTokens, outputTokens: 0, timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0, stopReason: reason,
    });
    const signal = request.signal;
    if (signal?.aborted) return empty('abort');

    ctx.active++;
    ctx.lastUsed = Date.now();
    let sequence: LlamaContextSequence;
    try {
      sequence = await ctx.pool.acquire(signal);
    } catch (err) {
      ctx.active--;
      if (signal?.aborted) return empty('abort');
      throw err;
    }
    const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      if (!this.options.reusePrefix) await sequence.clearHistory();
      const outputBefore = sequence.tokenMeter.usedOutputTokens;
      const started = performance.now();
      let firstTokenAt: number | null = null;
      const temperature = request.temperature ?? 0;
      let response: Awaited<ReturnType<LlamaCompletion['generateCompletionWithMeta']>>;
      try {
        response = await completion.generateCompletionWithMeta(tokens, {
          maxTokens,
          temperature,
          ...(request.topK !== undefined ? { topK: request.topK } : {}),
          ...(request.topP !== undefined ? { topP: request.topP } : {}),
          ...(request.minP !== undefined ? { minP: request.minP } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
          repeatPenalty: request.repeatPenalty !== undefined && request.repeatPenalty !== 1 ? { penalty: request.repeatPenalty } : false,
          ...(stopTriggers.length > 0 ? { customStopTriggers: stopTriggers } : {}),
          ...(signal ? { signal, stopOnAbortSignal: true } : {}),
          // Never shift or cut the context: the length check above guarantees the room.
          disableContextShift: true,
          contextShiftSize: 1,
          onToken: () => {
            firstTokenAt ??= performance.now();
          },
          ...(request.onToken ? { onTextChunk: request.onToken } : {}),
        });
      } catch (err) {
        if (signal?.aborted) {
          return { ...empty('abort'), totalMs: performance.now() - started };
        }
        throw err;
      }
      const ended = performance.now();
      const outputTokens = sequence.tokenMeter.usedOutputTokens - outputBefore;
      const first = firstTokenAt ?? ended;
      const decodeMs = ended - first;
      const tokensPerSecond =
        outputTokens > 1 && decodeMs > 0 ? ((outputTokens - 1) * 1000) / decodeMs : outputTokens > 0 ? (outputTokens * 1000) / Math.max(ended - started, 1e-3) : 0;
      const reason = response.metadata.stopReason;
      const stopReason: StopReason =
        reason === 'eogToken' ? 'eos' : reason === 'maxTokens' ? 'maxTokens' : reason === 'abort' ? 'abort' : 'stop';
      return {
        text: response.response,
        renderedPrompt,
        promptTokens,
        outputTokens,
        timeToFirstTokenMs: firstTokenAt !== null ? first - started : 0,
        tokensPerSecond,
        totalMs: ended - started,
        stopReason,
      };
    } finally {
      completion.dispose({ disposeSequence: false });
      ctx.pool.release(sequence);
      ctx.active--;
      ctx.lastUsed = Date.now();
    }
  }

  /** Frees every context, model and the runtime. The engine cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const entries = [...this.models.values()];
    this.models.clear();
    for (const p of entries) {
      const e = await p.catch(() => null);
      if (!e) continue;
      for (const c of e.contexts.values()) (await c.catch(() => null))?.pool.close();
      await e.model.dispose().catch(() => undefined);
    }
    const llama = await this.llamaPromise?.catch(() => null);
    await llama?.dispose().catch(() => undefined);
  }
}
