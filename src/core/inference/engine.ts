/**
 * Local inference over node-llama-cpp: one `Llama` per engine, models cached by path, one context per
 * (model, LoRA set, context size) so a base model and the same model with LoRA adapters share weights.
 * Never imports electron; runs in Node (CLI, server) and in Electron's main process.
 */
import os from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { LlamaLogLevel } from 'node-llama-cpp';
import { loadLlamaLib } from './llamaLib';
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { PromptTruncation } from '../../shared/models';
import { describeFile, ModelFileError } from '../gguf/errors';
import { inspectModelFile } from '../gguf/inspect';
import type { ModelFileInfo } from '../gguf/inspect';
import { chatWrapperFor, generationTailLength, renderChat } from './chatPrompt';
import { copyPrefix, MIN_SHARED_PREFIX, pickDonor, sharedPrefixLength } from './prefixShare';
import { truncateTokens } from './promptTruncation';
import { chooseThreads, physicalCoreCount, startBusySample } from './threads';
import { chooseWeightPlacement } from './weightPlacement';
import { generateOnSequence } from './sequenceGeneration';
import { SequencePool } from './sequencePool';
import { StepBarrier } from './stepBarrier';
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

/** The request's prompt does not fit its budget and no truncation policy was chosen; never cut silently. */
export class PromptTooLongError extends Error {
  constructor(
    readonly promptTokens: number,
    readonly maxTokens: number,
    readonly contextSize: number,
    readonly maxPromptTokens?: number,
  ) {
    const hint = ' Choose a truncation policy (keep-start, keep-end or keep-both) to cut it instead.';
    super(
      maxPromptTokens !== undefined && promptTokens > maxPromptTokens && promptTokens + maxTokens <= contextSize
        ? `Prompt is ${promptTokens} tokens, more than maxPromptTokens (${maxPromptTokens}).${hint}`
        : promptTokens >= contextSize
          ? `Prompt is ${promptTokens} tokens but the context holds ${contextSize}.${hint}`
          : `Prompt (${promptTokens} tokens) plus maxTokens (${maxTokens}) is ${promptTokens + maxTokens} tokens, more than the context size of ${contextSize}.${hint}`,
    );
    this.name = 'PromptTooLongError';
  }
}

interface ContextEntry {
  key: string;
  context: LlamaContext;
  pool: SequencePool<LlamaContextSequence>;
  /** Keeps parallel generations in step (contexts with more than one sequence). */
  barrier?: StepBarrier;
  sequenceIds: Map<LlamaContextSequence, number>;
  lastUsed: number;
  active: number;
}

interface ModelEntry {
  path: string;
  model: LlamaModel;
  info: ModelFileInfo;
  loaded: LoadedModel;
  contexts: Map<string, Promise<ContextEntry>>;
  /** Chat wrappers by template override ('' for the model's own). */
  chatWrappers: Map<string, ChatWrapper>;
  /** For unloading the least recently used model when memory is needed. */
  lastUsed?: number;
}

/** Context settings besides size and adapters; each combination is its own context. */
interface ContextTuning {
  batchSize?: number;
  flashAttention?: boolean;
  threads?: number;
}

function tuningOf(request: GenerateRequest): ContextTuning {
  return {
    ...(request.batchSize !== undefined ? { batchSize: request.batchSize } : {}),
    ...(request.flashAttention !== undefined ? { flashAttention: request.flashAttention } : {}),
    ...(request.threads !== undefined ? { threads: request.threads } : {}),
  };
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
  /** Loads still in flight, with how many callers wait on each (see modelEntry). */
  private readonly pendingLoads = new Map<Promise<ModelEntry>, { controller: AbortController; waiters: number }>();
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
      this.llamaPromise = loadLlamaLib().then(({ getLlama }) =>
        getLlama({
          gpu: this.options.gpu ?? 'auto',
          build: 'never',
          logLevel: (this.options.logLevel ?? 'error') as LlamaLogLevel,
        }),
      );
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

  /**
   * Resolves a chat template override for a model (loading the model if needed), so that a run with
   * an unknown name or broken Jinja fails before its first item, not on every item.
   */
  async checkChatTemplate(path: string, chatTemplate: string): Promise<void> {
    const entry = await this.modelEntry(path, {});
    this.chatWrapper(entry, chatTemplate);
  }

  /** Loads (or returns the already loaded) model; the first load's gpuLayers win until `unloadModel`. */
  async loadModel(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
    return (await this.modelEntry(path, options)).loaded;
  }

  /**
   * The model's entry, loading it once however many callers ask. Each caller's signal cancels its
   * own wait; the load itself stops only when every caller waiting on it has cancelled.
   */
  private modelEntry(path: string, options: LoadModelOptions = {}): Promise<ModelEntry> {
    this.ensureOpen();
    const key = resolvePath(path);
    let entry = this.models.get(key);
    void entry?.then(
      (e) => (e.lastUsed = Date.now()),
      () => undefined,
    );
    if (!entry) {
      const pending = { controller: new AbortController(), waiters: 0 };
      const { signal: _caller, ...rest } = options;
      entry = this.doLoad(key, { ...rest, signal: pending.controller.signal });
      this.models.set(key, entry);
      this.pendingLoads.set(entry, pending);
      const settled = entry;
      entry.then(
        () => this.pendingLoads.delete(settled),
        () => {
          this.pendingLoads.delete(settled);
          if (this.models.get(key) === settled) this.models.delete(key);
        },
      );
    } else if (options.onProgress) {
      const cb = options.onProgress;
      void entry.then(
        () => cb(1),
        () => undefined,
      );
    }
    return this.waitFor(entry, options.signal);
  }

  private waitFor(entry: Promise<ModelEntry>, signal: AbortSignal | undefined): Promise<ModelEntry> {
    const pending = this.pendingLoads.get(entry);
    if (!pending) return entry; // already settled
    pending.waiters++;
    if (!signal) {
      // A caller that cannot cancel keeps the load going for good.
      pending.waiters = Infinity;
      return entry;
    }
    if (signal.aborted) {
      this.leave(entry, pending);
      return Promise.reject(abortError(signal));
    }
    return new Promise<ModelEntry>((resolve, reject) => {
      const onAbort = () => {
        this.leave(entry, pending);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.then(
        (e) => {
          signal.removeEventListener('abort', onAbort);
          resolve(e);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(signal.aborted ? abortError(signal) : err);
        },
      );
    });
  }

  private leave(entry: Promise<ModelEntry>, pending: { controller: AbortController; waiters: number }): void {
    pending.waiters--;
    if (pending.waiters <= 0 && this.pendingLoads.get(entry) === pending)
      pending.controller.abort(new DOMException('The model load was cancelled', 'AbortError'));
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
      throw new ModelFileError(
        'not_a_model',
        path,
        `File ${describeFile(path)} is a ${info.adapterType ?? ''} adapter, not a model; load it as a LoRA on its base model.`,
      );
    }
    if (!info.architectureSupported) {
      throw new ModelFileError(
        'unsupported_architecture',
        path,
        `Model ${describeFile(path)} has architecture "${info.architecture || '(none)'}", which this llama.cpp build (${llama.llamaCppRelease.release}) does not support.`,
      );
    }
    await this.makeRoomFor(path, info.sizeBytes);
    const placement = chooseWeightPlacement({
      requested: options.mmap,
      sizeBytes: info.sizeBytes,
      // os.freemem() is MemAvailable on Linux (libuv), counting page cache the OS can drop; node-llama-cpp's
      // getRamState().free is MemFree, which the page cache (often this very file) keeps small.
      availableBytes: os.freemem(),
      cpuOnly: options.gpuLayers === 0 || llama.gpu === false,
    });
    // threads "auto": how busy the other programs keep the CPU is measured while the model loads.
    const auto = options.threads === undefined && this.options.threads === undefined ? startBusySample() : null;
    const started = performance.now();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: path,
        gpuLayers: options.gpuLayers ?? 'auto',
        useMmap: placement.mmap,
        ...(options.onProgress ? { onLoadProgress: options.onProgress } : {}),
        ...(options.signal ? { loadSignal: options.signal } : {}),
      });
    } catch (err) {
      if (options.signal?.aborted) throw abortError(options.signal);
      throw new ModelFileError('load_failed', path, `Cannot load model ${describeFile(path)}: ${errorMessage(err)}`, { cause: err });
    }
    const loadMs = performance.now() - started;
    if (auto && performance.now() - started < 200) await new Promise((r) => setTimeout(r, 200 - (performance.now() - started)));
    const choice = auto ? chooseThreads(physicalCoreCount(), os.cpus().length, auto(), info.parameterCount) : null;
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
      threads: options.threads ?? choice?.threads ?? null,
      threadsReason: choice?.reason ?? null,
      mmap: model.useMmap,
      mmapReason: placement.reason,
    };
    return { path, model, info, loaded, contexts: new Map(), chatWrappers: new Map() };
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
        throw new ModelFileError(
          'not_an_adapter',
          lora.path,
          `File ${describeFile(lora.path)} is not a LoRA adapter (general.type "${info.kind}"${info.adapterType ? `, adapter.type "${info.adapterType}"` : ''}).`,
        );
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

  private contextFor(
    entry: ModelEntry,
    loras: readonly LoraAdapterRef[],
    contextSize: number,
    sequences: number,
    tuning: ContextTuning = {},
  ): Promise<ContextEntry> {
    const loraKey = loras.map((l) => `${resolvePath(l.path)}@${l.scale ?? 1}`).join('|');
    const threads = tuning.threads ?? entry.loaded.threads ?? this.options.threads;
    const base = `${loraKey}#${contextSize}#${tuning.batchSize ?? ''}#${tuning.flashAttention ?? ''}#${threads ?? ''}`;
    // Reuse any context with this configuration and enough sequences.
    for (const [key, ctx] of entry.contexts) {
      const [cfg, seqs] = key.split('~');
      if (cfg === base && Number(seqs) >= sequences) return ctx;
    }
    const key = `${base}~${sequences}`;
    const created = this.createContext(entry, loras, contextSize, sequences, key, tuning);
    entry.contexts.set(key, created);
    created.catch(() => {
      if (entry.contexts.get(key) === created) entry.contexts.delete(key);
    });
    void created.then(
      () => this.evictIdleContexts(entry, key),
      () => undefined,
    );
    return created;
  }

  private async createContext(
    entry: ModelEntry,
    loras: readonly LoraAdapterRef[],
    contextSize: number,
    sequences: number,
    key: string,
    tuning: ContextTuning,
  ): Promise<ContextEntry> {
    if (loras.length > 0) await this.validateLoras(entry, loras);
    const threads = tuning.threads ?? entry.loaded.threads ?? this.options.threads;
    let context: LlamaContext;
    try {
      context = await entry.model.createContext({
        contextSize,
        sequences,
        ...(threads !== undefined ? { threads } : {}),
        ...(tuning.batchSize !== undefined ? { batchSize: tuning.batchSize } : {}),
        ...(tuning.flashAttention !== undefined ? { flashAttention: tuning.flashAttention } : {}),
        ...(loras.length > 0 ? { lora: { adapters: loras.map((l) => ({ filePath: resolvePath(l.path), scale: l.scale ?? 1 })) } } : {}),
      });
    } catch (err) {
      if (loras.length > 0) {
        const first = loras[0]?.path ?? '';
        const names = loras.map((l) => describeFile(l.path)).join(', ');
        throw new ModelFileError(
          'adapter_mismatch',
          first,
          `LoRA adapter ${names} cannot be applied to base model ${describeFile(entry.path)}: ${errorMessage(err)}`,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    const seqs: LlamaContextSequence[] = [];
    for (let i = 0; i < sequences; i++) seqs.push(context.getSequence());
    // node-llama-cpp numbers a context's sequences in the order getSequence() hands them out. Lowest
    // free id first keeps the busy ids consecutive, which llama.cpp needs to batch them (see StepBarrier).
    const ids = new Map(seqs.map((s, i) => [s, i]));
    const pool = new SequencePool(seqs, (s) => ids.get(s) ?? 0);
    return { key, context, pool, sequenceIds: ids, ...(sequences > 1 ? { barrier: new StepBarrier() } : {}), lastUsed: Date.now(), active: 0 };
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
    const ctx = await this.contextFor(entry, request.loraPaths ?? [], contextSize, 1, tuningOf(request));
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
      const k = `${resolvePath(r.modelPath)}\n${(r.loraPaths ?? []).map((l) => `${resolvePath(l.path)}@${l.scale ?? 1}`).join('|')}\n${r.contextSize ?? ''}\n${r.batchSize ?? ''}\n${r.flashAttention ?? ''}\n${r.threads ?? ''}`;
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
        ctx = await this.contextFor(entry, firstReq.loraPaths ?? [], contextSize, Math.min(parallel, indices.length), tuningOf(firstReq));
      } catch (err) {
        for (const i of indices) settle(i, { status: 'rejected', reason: err instanceof Error ? err : new Error(String(err)) });
        continue;
      }
      const queue = [...indices];
      ctx.active++; // hold the context (no eviction) between items
      if ((this.options.reusePrefix ?? true) && ctx.pool.size > 1 && indices.length > 1) {
        await this.primeSharedPrefix(
          entry,
          ctx,
          indices.map((i) => requests[i]).filter((r): r is GenerateRequest => r !== undefined),
          options.signal,
        );
      }
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

  /**
   * When a batch's prompts share a long prefix (a task's definition and few-shot examples) that no
   * sequence holds yet, evaluates it once on one sequence, so that the parallel sequences copy it
   * (runOnContext) instead of each evaluating it at the same time.
   */
  private async primeSharedPrefix(entry: ModelEntry, ctx: ContextEntry, requests: readonly GenerateRequest[], signal?: AbortSignal): Promise<void> {
    const lists: Token[][] = [];
    for (const r of requests) {
      try {
        lists.push(this.fitPrompt(entry, ctx, r).tokens);
      } catch {
        // A request that cannot be tokenized fails on its own turn, with its own error.
      }
    }
    const shortest = lists.reduce((m, l) => Math.min(m, l.length), Infinity);
    const length = Math.min(sharedPrefixLength(lists), shortest - 1);
    if (!Number.isFinite(length) || length < MIN_SHARED_PREFIX || signal?.aborted) return;
    const prefix = lists[0]!.slice(0, length);
    for (const seq of ctx.sequenceIds.keys()) if (sharedPrefixLength([seq.contextTokens, prefix]) >= length) return; // already held
    const sequence = await ctx.pool.acquire(signal).catch(() => null);
    if (!sequence) return;
    try {
      await sequence.adaptStateToTokens(prefix, false);
      if (sequence.nextTokenIndex < length) await sequence.evaluateWithoutGeneratingNewTokens(prefix.slice(sequence.nextTokenIndex));
    } finally {
      ctx.pool.release(sequence);
    }
  }

  /** The model's chat wrapper for a template override (undefined: its own), made once per model. */
  private chatWrapper(entry: ModelEntry, template: string | undefined): ChatWrapper {
    const key = template ?? '';
    let wrapper = entry.chatWrappers.get(key);
    if (!wrapper) {
      wrapper = chatWrapperFor(entry.model, template);
      entry.chatWrappers.set(key, wrapper);
    }
    return wrapper;
  }

  /** The prompt's tokens as the model sees them (BOS first when the model wants one) and its stop triggers. */
  private promptTokens(entry: ModelEntry, request: GenerateRequest): { tokens: Token[]; textStops: string[]; tokenStops: Token[][]; chatTail?: () => number } {
    const { model } = entry;
    const bos = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
    const withBos = (tokens: Token[]): Token[] => (bos !== null ? [bos, ...tokens] : tokens);
    const textStops = (request.stop ?? []).filter((s) => s.length > 0);
    const tokenStops: Token[][] = [];
    if (request.messages !== undefined && request.prompt !== undefined) throw new Error('give either messages or prompt, not both');
    if (request.messages !== undefined) {
      const wrapper = this.chatWrapper(entry, request.chatTemplate);
      const rendered = renderChat(model, wrapper, request.messages);
      for (const trigger of rendered.stopTriggers) {
        // Plain text is matched on the response text; special tokens can only be matched as token ids.
        if (trigger.values.every((v) => typeof v === 'string')) textStops.push(trigger.values.join(''));
        else tokenStops.push(trigger.tokenize(model.tokenizer));
      }
      const messages = request.messages;
      return {
        tokens: withBos(rendered.tokens),
        textStops: textStops.filter((s) => s.length > 0),
        tokenStops: tokenStops.filter((t) => t.length > 0),
        // Only needed when the prompt must be cut: a second render.
        chatTail: () => generationTailLength(model, wrapper, messages, rendered.tokens),
      };
    }
    if (request.prompt === undefined) throw new Error('a generate request needs messages or prompt');
    // Tokenized like llama.cpp's `llama_tokenize(text, add_special)` (SPM models keep their leading-space
    // prefix), then BOS when the model wants it.
    return { tokens: withBos(model.tokenize(request.prompt)), textStops, tokenStops };
  }

  /**
   * The prompt's tokens within its budget (the context less maxTokens, or maxPromptTokens when
   * smaller): as they are, cut by the request's truncation policy, or a PromptTooLongError.
   */
  private fitPrompt(
    entry: ModelEntry,
    ctx: ContextEntry,
    request: GenerateRequest,
  ): ReturnType<InferenceEngine['promptTokens']> & { maxTokens: number; truncation?: PromptTruncation } {
    const rendered = this.promptTokens(entry, request);
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be a positive integer, got ${maxTokens}`);
    const max = request.maxPromptTokens;
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new RangeError(`maxPromptTokens must be a positive integer, got ${max}`);
    const contextSize = ctx.context.contextSize;
    const budget = Math.min(contextSize - maxTokens, max ?? Infinity);
    const n = rendered.tokens.length;
    if (n <= budget) return { ...rendered, maxTokens };
    const policy = request.truncate ?? 'error';
    if (policy === 'error' || budget < 2) throw new PromptTooLongError(n, maxTokens, contextSize, max);
    const bos = entry.model.tokens.bos;
    const head = bos !== null && rendered.tokens[0] === bos ? 1 : 0;
    const cut = truncateTokens(rendered.tokens, budget, policy, head, rendered.chatTail?.() ?? 0);
    return { ...rendered, tokens: cut.tokens, maxTokens, truncation: { policy, originalTokens: n, removedTokens: cut.removed } };
  }

  private async runOnContext(entry: ModelEntry, ctx: ContextEntry, request: GenerateRequest): Promise<GenerateResult> {
    this.ensureOpen();
    const { model } = entry;
    const { tokens, textStops, tokenStops, maxTokens, truncation } = this.fitPrompt(entry, ctx, request);
    const promptTokens = tokens.length;

    const renderedPrompt = model.detokenize(tokens, true);
    const empty = (reason: StopReason): GenerateResult => ({
      text: '',
      renderedPrompt,
      promptTokens,
      outputTokens: 0,
      timeToFirstTokenMs: 0,
      tokensPerSecond: 0,
      totalMs: 0,
      stopReason: reason,
      ...(truncation ? { truncation } : {}),
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
    try {
      const started = performance.now();
      const reusePrefix = this.options.reusePrefix ?? true;
      if (reusePrefix && ctx.pool.size > 1) {
        // Another sequence may hold more of this prompt (a task's few-shot prefix): copy, don't re-evaluate.
        const share = pickDonor(sequence, ctx.sequenceIds.keys(), tokens);
        if (share) await copyPrefix(sequence, share.donor, share.length);
      }
      let generation: Awaited<ReturnType<typeof generateOnSequence>>;
      try {
        generation = await generateOnSequence(sequence, {
          tokens,
          maxTokens,
          temperature: request.temperature ?? 0,
          ...(request.topK !== undefined ? { topK: request.topK } : {}),
          ...(request.topP !== undefined ? { topP: request.topP } : {}),
          ...(request.minP !== undefined ? { minP: request.minP } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
          ...(request.repeatPenalty !== undefined ? { repeatPenalty: request.repeatPenalty } : {}),
          textStops,
          tokenStops,
          reusePrefix,
          ...(signal ? { signal } : {}),
          ...(request.onToken ? { onText: request.onToken } : {}),
          ...(ctx.barrier ? { barrier: ctx.barrier, sequenceId: ctx.sequenceIds.get(sequence) ?? 0 } : {}),
        });
      } catch (err) {
        if (signal?.aborted) {
          return { ...empty('abort'), totalMs: performance.now() - started };
        }
        throw err;
      }
      const ended = performance.now();
      const { outputTokens, firstTokenAt } = generation;
      const first = firstTokenAt ?? ended;
      const decodeMs = ended - first;
      const tokensPerSecond =
        outputTokens > 1 && decodeMs > 0
          ? ((outputTokens - 1) * 1000) / decodeMs
          : outputTokens > 0
            ? (outputTokens * 1000) / Math.max(ended - started, 1e-3)
            : 0;
      return {
        text: generation.text,
        renderedPrompt,
        promptTokens,
        reusedPromptTokens: generation.reusedPromptTokens,
        outputTokens,
        timeToFirstTokenMs: firstTokenAt !== null ? first - started : 0,
        tokensPerSecond,
        totalMs: ended - started,
        stopReason: generation.stopReason,
        ...(truncation ? { truncation } : {}),
        context: {
          size: ctx.context.contextSize,
          batchSize: ctx.context.batchSize,
          flashAttention: ctx.context.flashAttention,
          threads: ctx.context.currentThreads,
        },
      };
    } finally {
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
