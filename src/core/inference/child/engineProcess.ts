/**
 * The host's side of the inference engine child: the InferenceEngineApi, implemented by
 * forwarding each call to a child process (see engineChild.ts and protocol.ts). A native abort
 * in llama.cpp (a crafted model the header checks did not catch, a driver fault) ends only the
 * child: every call in flight fails with EngineCrashedError ("this model crashed the inference
 * engine"), runs pause, and the next call starts a fresh child that reloads models on demand
 * with the settings they were first loaded with.
 */
import { basename } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { DomainError } from '../../errors';
import { InferenceEngine } from '../engine';
import type { InferenceEngineApi } from '../engineApi';
import type {
  BackendInfo,
  EngineOptions,
  GenerateBatchOptions,
  GenerateBatchResult,
  GenerateRequest,
  GenerateResult,
  LoadedModel,
  LoadModelOptions,
} from '../types';
import { errorFromWire, type CallArgsOf, type EngineMethod, type FromChild, type WireRequest } from './protocol';
import { forkTransport, type EngineTransport, type EngineTransportFactory } from './transport';

/** The engine process died (native abort, out of memory, killed) while this call was in it. */
export class EngineCrashedError extends DomainError {
  constructor(
    readonly models: readonly string[],
    readonly exit: { code: number | null; signal: string | null },
    readonly lastOutput: string,
  ) {
    const how = exit.signal ? `was ended by ${exit.signal}` : `exited with code ${exit.code}`;
    const which = models.length ? ` (${models.map((m) => basename(m)).join(', ')})` : '';
    super(
      'unsupported',
      `This model crashed the inference engine${which}: the engine process ${how}${lastOutput ? ` after reporting: ${lastOutput}` : ''}. The library and runs are unaffected; the next use starts a fresh engine.`,
      { engine: 'crashed', ...(models[0] ? { file: models[0] } : {}), ...(exit.signal ? { signal: exit.signal } : {}) },
    );
    this.name = 'EngineCrashedError';
  }
}

/**
 * Whether an error says the engine process died. By its details, not its class: the handler
 * boundary may rebuild a domain error (scrubbing its message) and keeps only kind and details.
 */
export function isEngineCrash(err: unknown): boolean {
  return err instanceof DomainError && err.details?.engine === 'crashed';
}

export interface EngineProcessOptions extends EngineOptions {
  /** Starts the child (default: `child_process.fork` of the built entry). */
  transport?: EngineTransportFactory;
}

interface Pending {
  method: EngineMethod;
  models: string[];
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: number) => void;
  onToken?: (index: number, text: string) => void;
  onItem?: (index: number, result: GenerateBatchResult) => void;
}

interface Child {
  transport: Promise<EngineTransport>;
  ready: Promise<void>;
  pid: number | undefined;
  /** Models loaded in this child (a fresh child has none). */
  loaded: Set<string>;
  dead: boolean;
  disposing: boolean;
  output: string;
}

/** Stack frames printed after an abort (Node's and glibc's backtraces): not what went wrong. */
const FRAME = /^(#?\d+[:\s]|-{3,}|at\s|\/.*\.so|\[0x)/;
/** Lines that say what failed: llama.cpp's asserts, C++ exceptions, errors. */
const CAUSE = /GGML_ASSERT|GGML_ABORT|terminate called|what\(\)|error|failed/i;

/** The line of the child's last output that says why it died (at most 240 characters). */
function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !FRAME.test(l));
  const causes = lines.filter((l) => CAUSE.test(l));
  const line = causes[causes.length - 1] ?? lines[lines.length - 1] ?? '';
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('The operation was aborted', 'AbortError');
}

function wireRequest(r: GenerateRequest): WireRequest {
  const { signal: _s, onToken: _t, ...rest } = r;
  return rest;
}

export class EngineProcess implements InferenceEngineApi {
  private readonly options: EngineProcessOptions;
  /** node-llama-cpp in this process for getLlama/backendInfo only: no model is ever loaded here. */
  private readonly local: InferenceEngine;
  private child: Child | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Settings each model was loaded with, replayed when a fresh child needs it again. */
  private readonly loadSettings = new Map<string, Omit<LoadModelOptions, 'signal' | 'onProgress'>>();
  private disposed = false;
  /** How many engine processes were started (1 until a crash). */
  starts = 0;

  constructor(options: EngineProcessOptions = {}) {
    this.options = options;
    const { transport: _t, ...engineOptions } = options;
    this.local = new InferenceEngine(engineOptions);
  }

  /** The running child's process id (undefined before the first call or after a crash). */
  get pid(): number | undefined {
    return this.child && !this.child.dead ? this.child.pid : undefined;
  }

  getLlama(): Promise<Llama> {
    return this.local.getLlama();
  }

  /** From the running child when there is one: starting node-llama-cpp here too costs a second under load. */
  async backendInfo(): Promise<BackendInfo> {
    if (this.child && !this.child.dead) return (await this.call('backendInfo', [], { models: [] })) as BackendInfo;
    return this.local.backendInfo();
  }

  private spawn(): Child {
    if (this.disposed) throw new Error('InferenceEngine has been disposed');
    const { transport: factory = forkTransport, ...engineOptions } = this.options;
    const env = { MEDTASK_ENGINE_OPTIONS: JSON.stringify(engineOptions), UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '1' };
    const transport = Promise.resolve().then(() => factory(env));
    let markReady!: () => void;
    let failReady!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => undefined);
    const child: Child = { transport, ready, pid: undefined, loaded: new Set(), dead: false, disposing: false, output: '' };
    this.starts++;
    transport.then(
      (t) => {
        child.pid = t.pid;
        t.onOutput?.((text) => (child.output = (child.output + text).slice(-4096)));
        t.onMessage((m) => {
          if (m.type === 'ready') markReady();
          else this.onMessage(m);
        });
        t.onExit((code, signal) => {
          child.dead = true;
          if (this.child === child) this.child = null;
          const err = new EngineCrashedError([], { code, signal }, lastLine(child.output));
          failReady(err);
          if (child.disposing) return;
          // One child at a time: everything pending was in this one.
          for (const [id, p] of [...this.pending]) {
            this.pending.delete(id);
            p.reject(new EngineCrashedError(p.models, { code, signal }, lastLine(child.output)));
          }
        });
      },
      (err: unknown) => {
        child.dead = true;
        if (this.child === child) this.child = null;
        failReady(err instanceof Error ? err : new Error(String(err)));
      },
    );
    return child;
  }

  private onMessage(m: FromChild): void {
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'result':
        this.pending.delete(m.id);
        p.resolve(m.value);
        break;
      case 'error':
        this.pending.delete(m.id);
        p.reject(errorFromWire(m.error));
        break;
      case 'progress':
        p.onProgress?.(m.progress);
        break;
      case 'token':
        p.onToken?.(m.index, m.text);
        break;
      case 'item':
        p.onItem?.(
          m.index,
          m.result.status === 'fulfilled'
            ? { status: 'fulfilled', value: m.result.value as GenerateResult }
            : { status: 'rejected', reason: errorFromWire(m.result.reason) },
        );
        break;
    }
  }

  /** Sends one call to the child (starting one if none runs) and waits for its answer. */
  private async call<M extends EngineMethod>(
    method: M,
    args: CallArgsOf[M],
    extra: { models: string[]; signal?: AbortSignal; itemSignals?: (AbortSignal | undefined)[] } & Pick<Pending, 'onProgress' | 'onToken' | 'onItem'>,
  ): Promise<unknown> {
    if (this.disposed) throw new Error('InferenceEngine has been disposed');
    const child = (this.child ??= this.spawn());
    await child.ready;
    const transport = await child.transport;
    const id = this.nextId++;
    const { models, signal, itemSignals, ...callbacks } = extra;
    if (signal?.aborted) throw abortError(signal);
    return new Promise<unknown>((resolve, reject) => {
      const cleanup: (() => void)[] = [];
      const done = () => cleanup.forEach((f) => f());
      this.pending.set(id, {
        method,
        models,
        ...callbacks,
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      const watch = (s: AbortSignal | undefined, index?: number) => {
        if (!s) return;
        const onAbort = () => transport.send({ type: 'abort', id, ...(index !== undefined ? { index } : {}) });
        if (s.aborted) onAbort();
        else {
          s.addEventListener('abort', onAbort, { once: true });
          cleanup.push(() => s.removeEventListener('abort', onAbort));
        }
      };
      transport.send({ type: 'call', id, method, args });
      watch(signal);
      itemSignals?.forEach((s, i) => watch(s, i));
    });
  }

  /** A model that an earlier (crashed) child had loaded is loaded again with the same settings. */
  private async ensureLoaded(path: string): Promise<void> {
    const settings = this.loadSettings.get(path);
    if (!settings || (this.child && !this.child.dead && this.child.loaded.has(path))) return;
    await this.loadModel(path, settings);
  }

  async loadModel(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
    const { signal, onProgress, ...settings } = options;
    const loaded = (await this.call('loadModel', [path, { ...settings, progress: onProgress !== undefined }], {
      models: [path],
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    })) as LoadedModel;
    if (!this.loadSettings.has(path)) this.loadSettings.set(path, settings);
    this.child?.loaded.add(path);
    return loaded;
  }

  async unloadModel(path: string): Promise<void> {
    this.loadSettings.delete(path);
    if (!this.child || this.child.dead) return;
    this.child.loaded.delete(path);
    await this.call('unloadModel', [path], { models: [] });
  }

  async loadedModels(): Promise<LoadedModel[]> {
    if (!this.child || this.child.dead) return [];
    return (await this.call('loadedModels', [], { models: [] })) as LoadedModel[];
  }

  async checkChatTemplate(path: string, chatTemplate: string): Promise<void> {
    await this.ensureLoaded(path);
    await this.call('checkChatTemplate', [path, chatTemplate], { models: [path] });
  }

  async tokenize(modelPath: string, text: string): Promise<number[]> {
    await this.ensureLoaded(modelPath);
    return (await this.call('tokenize', [modelPath, text], { models: [modelPath] })) as number[];
  }

  async detokenize(modelPath: string, tokens: readonly number[]): Promise<string> {
    await this.ensureLoaded(modelPath);
    return (await this.call('detokenize', [modelPath, [...tokens]], { models: [modelPath] })) as string;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    await this.ensureLoaded(request.modelPath);
    const onToken = request.onToken;
    return (await this.call('generate', [wireRequest(request), onToken !== undefined], {
      models: [request.modelPath],
      ...(request.signal ? { signal: request.signal } : {}),
      ...(onToken ? { onToken: (_i: number, text: string) => onToken(text) } : {}),
    })) as GenerateResult;
  }

  async generateBatch(requests: readonly GenerateRequest[], options: GenerateBatchOptions = {}): Promise<GenerateBatchResult[]> {
    const paths = [...new Set(requests.map((r) => r.modelPath))];
    for (const p of paths) await this.ensureLoaded(p);
    const results = new Array<GenerateBatchResult>(requests.length);
    await this.call(
      'generateBatch',
      [
        requests.map(wireRequest),
        { ...(options.parallel !== undefined ? { parallel: options.parallel } : {}), stream: requests.map((r) => r.onToken !== undefined) },
      ],
      {
        models: paths,
        ...(options.signal ? { signal: options.signal } : {}),
        itemSignals: requests.map((r) => r.signal),
        onToken: (i, text) => requests[i]?.onToken?.(text),
        onItem: (i, result) => {
          results[i] = result;
          options.onResult?.(i, result);
        },
      },
    );
    return results;
  }

  /** Ends the child (politely, then by force) and frees this process's runtime. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const child = this.child;
    this.child = null;
    if (child && !child.dead) {
      child.disposing = true;
      const t = await child.transport.catch(() => null);
      if (t) {
        const exited = new Promise<void>((resolve) => t.onExit(() => resolve()));
        t.send({ type: 'dispose' });
        const timer = setTimeout(() => t.kill(), 5000);
        await exited;
        clearTimeout(timer);
      }
    }
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      p.reject(new Error('InferenceEngine has been disposed'));
    }
    await this.local.dispose();
  }
}
