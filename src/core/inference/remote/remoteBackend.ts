/**
 * Remote inference over an OpenAI-compatible HTTP API (vLLM, TGI, llama.cpp's llama-server, Ollama):
 * `POST /v1/chat/completions` for messages and `POST /v1/completions` for raw prompts, streamed with
 * SSE so time to first token can be measured. A semaphore limits requests in flight; each attempt has
 * a timeout; network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and
 * jitter (honouring Retry-After); other 4xx fail at once. Uses Node's global fetch; no Electron.
 */
import type { ChatMessage, StopReason } from '../types';
import { excerpt, isRetryableStatus, RemoteInferenceError } from './errors';
import { Semaphore } from './semaphore';
import { readSse } from './sse';
import { parseApplyTemplate, parseProps, parseTokenize, PROPS_MAX_BYTES, readBounded, serverUrl, tokenizeMaxBytes } from './serverTokens';
import type {
  RemoteBackendOptions,
  RemoteGenerateBatchOptions,
  RemoteGenerateBatchResult,
  RemoteGenerateRequest,
  RemoteGenerateResult,
  RemoteServerTimings,
} from './types';

const DEFAULT_MAX_TOKENS = 256;

/** Progress of one attempt; kept outside the attempt so an abort can return the text so far. */
interface AttemptState {
  started: number;
  text: string;
  chunks: number;
  firstTokenAt: number | null;
  finishReason: string | null;
  stopSequence: string | null;
  promptTokens: number | null;
  outputTokens: number | null;
  model: string | null;
  timings: RemoteServerTimings | undefined;
}

interface OpenAiChoice {
  text?: string | null;
  delta?: { content?: string | null; reasoning_content?: string | null };
  message?: { content?: string | null };
  finish_reason?: string | null;
  /** vLLM: the stop string or token that ended generation; null for EOS. */
  stop_reason?: string | number | null;
}

interface OpenAiPayload {
  model?: string;
  choices?: OpenAiChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  timings?: { prompt_n?: number; prompt_ms?: number; predicted_n?: number; predicted_ms?: number; predicted_per_second?: number; cache_n?: number };
  error?: { message?: string; code?: number | string; type?: string } | string;
}

/** Joins the base URL and an API path; adds "/v1" unless the base path already ends in a version. */
export function endpointUrl(baseUrl: string, path: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`Remote backend base URL is not a URL: "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Remote backend base URL must be http(s): "${baseUrl}"`);
  let base = url.pathname.replace(/\/+$/, '');
  if (!/\/v\d+$/.test(base)) base += '/v1';
  url.pathname = `${base}/${path.replace(/^\/+/, '')}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

/** Retry-After in ms (seconds or an HTTP date), or undefined. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RemoteBackend {
  readonly baseUrl: string;
  readonly model: string;
  readonly chatUrl: string;
  readonly completionsUrl: string;
  readonly modelsUrl: string;
  private readonly options: RemoteBackendOptions;
  private readonly semaphore: Semaphore;
  private readonly closing = new AbortController();
  private readonly fetchImpl: typeof fetch;

  constructor(options: RemoteBackendOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl;
    this.model = options.model;
    this.chatUrl = endpointUrl(options.baseUrl, 'chat/completions');
    this.completionsUrl = endpointUrl(options.baseUrl, 'completions');
    this.modelsUrl = endpointUrl(options.baseUrl, 'models');
    this.semaphore = new Semaphore(options.concurrency ?? 4);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    for (const [name, v] of [
      ['timeoutMs', options.timeoutMs],
      ['retries', options.retries],
      ['backoffMs', options.backoffMs],
      ['maxBackoffMs', options.maxBackoffMs],
    ] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
    }
  }

  /** Requests in flight now. */
  get active(): number {
    return this.semaphore.active;
  }

  /** Requests waiting for a concurrency slot. */
  get queued(): number {
    return this.semaphore.queued;
  }

  /**
   * With a key, a redirect is an error rather than followed: the key is bound to this base URL
   * (remote/keys.ts), and a server must not be able to forward it, or the prompts, elsewhere.
   */
  private get redirect(): 'error' | 'follow' {
    return this.options.apiKey ? 'error' : 'follow';
  }

  private headers(json: boolean): Record<string, string> {
    return {
      ...(json ? { 'content-type': 'application/json' } : {}),
      accept: json && this.options.stream !== false ? 'text/event-stream, application/json' : 'application/json',
      ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      ...this.options.headers,
    };
  }

  /** Model ids from `GET /v1/models` (one attempt, same timeout); a cheap connection check. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 300_000);
    const combined = AbortSignal.any([timeout, this.closing.signal, ...(signal ? [signal] : [])]);
    const url = this.modelsUrl;
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method: 'GET', headers: this.headers(false), signal: combined, redirect: this.redirect });
      if (!res.ok) {
        const body = excerpt(await res.text().catch(() => ''));
        throw new Error(`HTTP ${res.status} ${res.statusText}${body ? `: ${body}` : ''}`);
      }
      const json = (await res.json()) as { data?: { id?: string }[]; models?: { name?: string; model?: string }[] };
      return [...(json.data ?? []).map((m) => m.id ?? ''), ...(json.models ?? []).map((m) => m.model ?? m.name ?? '')].filter((id) => id !== '');
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const what = timeout.aborted ? `timed out after ${this.options.timeoutMs ?? 300_000} ms` : `failed: ${errorText(err)}`;
      throw new Error(`GET ${url} ${what}`, { cause: err });
    }
  }

  /**
   * One request to a llama.cpp endpoint with the generation calls' timeout, key and redirect policy
   * (the server root is the base URL's own origin, where the key is bound), its answer read with a
   * byte cap. Null for 404 (not a llama.cpp server); any other failure throws, naming the URL.
   */
  private async llamaCall(path: string, body: unknown, maxBytes: number, signal?: AbortSignal): Promise<string | null> {
    const timeoutMs = this.options.timeoutMs ?? 300_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([timeout, this.closing.signal, ...(signal ? [signal] : [])]);
    const url = serverUrl(this.baseUrl, path);
    const method = body === undefined ? 'GET' : 'POST';
    try {
      const res = await this.fetchImpl(url, {
        method,
        headers: { ...this.headers(body !== undefined), accept: 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: combined,
        redirect: this.redirect,
      });
      if (res.status === 404) {
        await res.body?.cancel().catch(() => undefined);
        return null;
      }
      if (!res.ok) {
        const text = excerpt(await readBounded(res, 4096).catch(() => ''));
        throw new Error(`HTTP ${res.status} ${res.statusText}${text ? `: ${text}` : ''}`);
      }
      return await readBounded(res, maxBytes);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const what = timeout.aborted ? `timed out after ${timeoutMs} ms` : `failed: ${errorText(err)}`;
      throw new Error(`${method} ${url} ${what}`, { cause: err });
    }
  }

  /**
   * The server's context per request slot, from llama.cpp's `GET /props`
   * (default_generation_settings.n_ctx); null where the server has no such endpoint.
   */
  async serverContext(signal?: AbortSignal): Promise<number | null> {
    const text = await this.llamaCall('props', undefined, PROPS_MAX_BYTES, signal);
    if (text === null) return null;
    try {
      return parseProps(text);
    } catch (err) {
      throw new Error(`GET ${serverUrl(this.baseUrl, 'props')}: ${errorText(err)}`, { cause: err });
    }
  }

  /**
   * A prompt's exact token count as llama.cpp's server will see it: chat messages through its chat
   * template (`POST /apply-template`), then `POST /tokenize` with BOS and special tokens, as a
   * completion does. Throws where the server lacks the endpoints or answers out of shape.
   */
  async countPromptTokens(prompt: { text: string } | { messages: readonly ChatMessage[] }, signal?: AbortSignal): Promise<number> {
    let text: string;
    if ('text' in prompt) text = prompt.text;
    else {
      const chars = prompt.messages.reduce((n, m) => n + m.content.length, 0);
      const answer = await this.llamaCall(
        'apply-template',
        { messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })) },
        tokenizeMaxBytes(chars),
        signal,
      );
      if (answer === null) throw new Error(`POST ${serverUrl(this.baseUrl, 'apply-template')}: the server has no chat template endpoint`);
      try {
        text = parseApplyTemplate(answer);
      } catch (err) {
        throw new Error(`POST ${serverUrl(this.baseUrl, 'apply-template')}: ${errorText(err)}`, { cause: err });
      }
    }
    const answer = await this.llamaCall('tokenize', { content: text, add_special: true, parse_special: true }, tokenizeMaxBytes(text.length), signal);
    if (answer === null) throw new Error(`POST ${serverUrl(this.baseUrl, 'tokenize')}: the server has no tokenize endpoint`);
    try {
      return parseTokenize(answer);
    } catch (err) {
      throw new Error(`POST ${serverUrl(this.baseUrl, 'tokenize')}: ${errorText(err)}`, { cause: err });
    }
  }

  private requestBody(request: RemoteGenerateRequest, stream: boolean): Record<string, unknown> {
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    const body: Record<string, unknown> = {
      model: request.model ?? this.model,
      ...(request.messages !== undefined
        ? { messages: request.messages.map((m: ChatMessage) => ({ role: m.role, content: m.content })) }
        : { prompt: request.prompt }),
      max_tokens: maxTokens,
      temperature: request.temperature ?? 0,
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.topK !== undefined ? { top_k: request.topK } : {}),
      ...(request.minP !== undefined ? { min_p: request.minP } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.repeatPenalty !== undefined ? { repeat_penalty: request.repeatPenalty, repetition_penalty: request.repeatPenalty } : {}),
      ...(request.stop && request.stop.filter((s) => s.length > 0).length > 0 ? { stop: request.stop.filter((s) => s.length > 0) } : {}),
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...request.extraBody,
    };
    return body;
  }

  /**
   * One generation. Like the local engine, aborting via `request.signal` returns the text so far with
   * stopReason "abort" instead of throwing. Failures throw `RemoteInferenceError`.
   */
  async generate(request: RemoteGenerateRequest): Promise<RemoteGenerateResult> {
    const loras = (request as { loraPaths?: unknown[] }).loraPaths;
    if (Array.isArray(loras) && loras.length > 0) {
      throw new Error('The remote backend cannot apply LoRA adapters; serve base+adapter as its own model on the server and name that model.');
    }
    if (request.messages !== undefined && request.prompt !== undefined) throw new Error('give either messages or prompt, not both');
    if (request.messages === undefined && request.prompt === undefined) throw new Error('a generate request needs messages or prompt');
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be a positive integer, got ${maxTokens}`);

    const chat = request.messages !== undefined;
    const url = chat ? this.chatUrl : this.completionsUrl;
    const stream = this.options.stream !== false;
    const payload = JSON.stringify(this.requestBody(request, stream));
    const renderedPrompt = chat ? JSON.stringify(request.messages) : (request.prompt ?? '');
    const retries = this.options.retries ?? 3;
    const backoffMs = this.options.backoffMs ?? 500;
    const maxBackoffMs = this.options.maxBackoffMs ?? 30_000;
    const timeoutMs = this.options.timeoutMs ?? 300_000;
    const callerSignal = request.signal;
    const userSignal = callerSignal ? AbortSignal.any([callerSignal, this.closing.signal]) : this.closing.signal;

    const overall = performance.now();
    let queueMs = 0;
    let state: AttemptState = this.newState();
    const aborted = (): RemoteGenerateResult => this.finish(state, request, url, renderedPrompt, 0, queueMs, 'abort', overall);

    for (let attempt = 1; ; attempt++) {
      if (userSignal.aborted) return aborted();
      const waitStart = performance.now();
      let release: () => void;
      try {
        release = await this.semaphore.acquire(userSignal);
      } catch (err) {
        if (userSignal.aborted) return aborted();
        throw err;
      }
      queueMs += performance.now() - waitStart;
      let failure: RemoteInferenceError;
      try {
        state = this.newState();
        await this.attempt(url, payload, stream, timeoutMs, userSignal, state, request);
        return this.finish(state, request, url, renderedPrompt, attempt, queueMs, null, overall);
      } catch (err) {
        if (userSignal.aborted) return { ...aborted(), attempts: attempt };
        failure =
          err instanceof RemoteInferenceError ? err : new RemoteInferenceError('network', url, `failed: ${errorText(err)}`, { retryable: true, cause: err });
      } finally {
        release();
      }
      if (!failure.retryable || attempt > retries) throw failure.withAttempts(attempt, retries);
      const cap = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
      let delayMs = cap / 2 + Math.random() * (cap / 2);
      if (failure.retryAfterMs !== undefined) delayMs = Math.max(delayMs, Math.min(failure.retryAfterMs, maxBackoffMs));
      delayMs = Math.round(delayMs);
      request.onRetry?.({ attempt, error: failure, delayMs });
      try {
        await sleep(delayMs, userSignal);
      } catch {
        return { ...aborted(), attempts: attempt };
      }
    }
  }

  /**
   * Runs many requests through the concurrency limit (at most `parallel` of this call at once, default
   * the backend's limit). Results come back in request order, settled like `Promise.allSettled`.
   */
  async generateBatch(requests: readonly RemoteGenerateRequest[], options: RemoteGenerateBatchOptions = {}): Promise<RemoteGenerateBatchResult[]> {
    const parallel = Math.max(1, Math.floor(options.parallel ?? this.semaphore.limit));
    const results = new Array<RemoteGenerateBatchResult>(requests.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < requests.length; i = next++) {
        const req = requests[i];
        if (!req) continue;
        const signal = req.signal && options.signal ? AbortSignal.any([req.signal, options.signal]) : (req.signal ?? options.signal);
        let result: RemoteGenerateBatchResult;
        try {
          result = { status: 'fulfilled', value: await this.generate({ ...req, ...(signal ? { signal } : {}) }) };
        } catch (err) {
          result = { status: 'rejected', reason: err instanceof Error ? err : new Error(String(err)) };
        }
        results[i] = result;
        options.onResult?.(i, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, requests.length) }, () => worker()));
    return results;
  }

  /** Aborts every request in flight or waiting (they resolve with stopReason "abort"). */
  close(): void {
    this.closing.abort(new Error('RemoteBackend closed'));
  }

  private newState(): AttemptState {
    return {
      started: performance.now(),
      text: '',
      chunks: 0,
      firstTokenAt: null,
      finishReason: null,
      stopSequence: null,
      promptTokens: null,
      outputTokens: null,
      model: null,
      timings: undefined,
    };
  }

  private async attempt(
    url: string,
    payload: string,
    stream: boolean,
    timeoutMs: number,
    userSignal: AbortSignal,
    state: AttemptState,
    request: RemoteGenerateRequest,
  ): Promise<void> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([userSignal, timeout]);
    const timedOut = (cause?: unknown): RemoteInferenceError =>
      new RemoteInferenceError('timeout', url, `timed out after ${timeoutMs} ms`, { retryable: true, cause });
    try {
      const res = await this.fetchImpl(url, { method: 'POST', headers: this.headers(true), body: payload, signal, redirect: this.redirect });
      if (!res.ok) {
        const body = excerpt(await res.text().catch(() => ''));
        throw new RemoteInferenceError('http', url, `failed with HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${body ? `: ${body}` : ''}`, {
          status: res.status,
          bodyExcerpt: body,
          retryable: isRetryableStatus(res.status),
          ...(parseRetryAfter(res.headers.get('retry-after')) !== undefined ? { retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) } : {}),
        });
      }
      const type = res.headers.get('content-type') ?? '';
      if (stream && type.includes('text/event-stream') && res.body) {
        await this.readStream(url, res.body, state, request);
      } else {
        const text = await res.text();
        let json: OpenAiPayload;
        try {
          json = JSON.parse(text) as OpenAiPayload;
        } catch (err) {
          throw new RemoteInferenceError('protocol', url, `returned a body that is not JSON (content-type "${type}"): ${excerpt(text, 200)}`, {
            retryable: false,
            cause: err,
          });
        }
        this.absorb(url, json, state, request, false);
        if (!json.choices || json.choices.length === 0) {
          throw new RemoteInferenceError('protocol', url, `returned no choices: ${excerpt(text, 200)}`, { retryable: false });
        }
      }
    } catch (err) {
      if (userSignal.aborted) throw err;
      if (timeout.aborted) throw timedOut(err);
      throw err;
    }
  }

  private async readStream(url: string, body: ReadableStream<Uint8Array>, state: AttemptState, request: RemoteGenerateRequest): Promise<void> {
    let done = false;
    for await (const event of readSse(body)) {
      if (event.data === '[DONE]') {
        done = true;
        break;
      }
      let json: OpenAiPayload;
      try {
        json = JSON.parse(event.data) as OpenAiPayload;
      } catch (err) {
        throw new RemoteInferenceError('protocol', url, `streamed an event that is not JSON: ${excerpt(event.data, 200)}`, { retryable: false, cause: err });
      }
      this.absorb(url, json, state, request, true);
    }
    if (!done && state.finishReason === null) {
      throw new RemoteInferenceError('network', url, `stream ended before the generation finished (after ${state.chunks} chunks)`, { retryable: true });
    }
  }

  /** Folds one JSON payload (a streamed chunk or the whole response) into the attempt state. */
  private absorb(url: string, json: OpenAiPayload, state: AttemptState, request: RemoteGenerateRequest, streamed: boolean): void {
    if (json.error !== undefined) {
      const e = json.error;
      const message = typeof e === 'string' ? e : (e.message ?? JSON.stringify(e));
      const code = typeof e === 'object' && typeof e.code === 'number' ? e.code : undefined;
      throw new RemoteInferenceError('http', url, `reported an error${code !== undefined ? ` (code ${code})` : ''}: ${excerpt(message)}`, {
        ...(code !== undefined ? { status: code } : {}),
        bodyExcerpt: excerpt(message),
        retryable: code !== undefined && isRetryableStatus(code),
      });
    }
    if (json.model) state.model = json.model;
    if (json.usage) {
      if (typeof json.usage.prompt_tokens === 'number') state.promptTokens = json.usage.prompt_tokens;
      if (typeof json.usage.completion_tokens === 'number') state.outputTokens = json.usage.completion_tokens;
    }
    if (json.timings) {
      const t = json.timings;
      state.timings = {
        ...(t.prompt_n !== undefined ? { promptTokens: t.prompt_n } : {}),
        ...(t.prompt_ms !== undefined ? { promptMs: t.prompt_ms } : {}),
        ...(t.predicted_n !== undefined ? { predictedTokens: t.predicted_n } : {}),
        ...(t.predicted_ms !== undefined ? { predictedMs: t.predicted_ms } : {}),
        ...(t.predicted_per_second !== undefined ? { predictedPerSecond: t.predicted_per_second } : {}),
        ...(t.cache_n !== undefined ? { cachedTokens: t.cache_n } : {}),
      };
    }
    const choice = json.choices?.[0];
    if (!choice) return;
    const piece = streamed ? (choice.delta ? choice.delta.content : choice.text) : choice.message ? choice.message.content : choice.text;
    const thinking = streamed ? choice.delta?.reasoning_content : undefined;
    if ((piece !== undefined && piece !== null && piece !== '') || (thinking !== undefined && thinking !== null && thinking !== '')) {
      state.firstTokenAt ??= performance.now();
    }
    if (piece !== undefined && piece !== null && piece !== '') {
      state.text += piece;
      state.chunks++;
      request.onToken?.(piece); // without streaming: once, with the whole text
    }
    if (choice.finish_reason) state.finishReason = choice.finish_reason;
    if (typeof choice.stop_reason === 'string') state.stopSequence = choice.stop_reason;
  }

  private finish(
    state: AttemptState,
    request: RemoteGenerateRequest,
    url: string,
    renderedPrompt: string,
    attempts: number,
    queueMs: number,
    forced: StopReason | null,
    overallStart: number,
  ): RemoteGenerateResult {
    const ended = performance.now();
    const usageReported = state.outputTokens !== null;
    const outputTokens = state.outputTokens ?? state.chunks;
    const started = attempts > 0 ? state.started : overallStart;
    const first = state.firstTokenAt ?? ended;
    const decodeMs = ended - first;
    const tokensPerSecond =
      outputTokens > 1 && decodeMs > 0
        ? ((outputTokens - 1) * 1000) / decodeMs
        : outputTokens > 0
          ? (outputTokens * 1000) / Math.max(ended - started, 1e-3)
          : 0;
    const stopReason: StopReason =
      forced ??
      (state.finishReason === 'length'
        ? 'maxTokens'
        : state.finishReason === 'stop'
          ? state.stopSequence !== null
            ? 'stop'
            : 'eos'
          : state.finishReason
            ? 'stop'
            : 'eos');
    return {
      text: state.text,
      renderedPrompt,
      promptTokens: state.promptTokens ?? 0,
      outputTokens,
      timeToFirstTokenMs: state.firstTokenAt !== null ? state.firstTokenAt - started : 0,
      tokensPerSecond,
      totalMs: ended - started,
      stopReason,
      attempts,
      model: state.model ?? request.model ?? this.model,
      url,
      queueMs,
      usageReported,
      ...(state.timings ? { serverTimings: state.timings } : {}),
    };
  }
}
