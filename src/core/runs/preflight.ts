/**
 * A run's pre-flight check: every selected item's prompt rendered exactly as the runner would,
 * and counted against the context the engine would give it, so a run whose prompts cannot fit
 * is seen before it fails every item in a second.
 */
import type { Llama, LlamaModel } from 'node-llama-cpp';
import type { RemoteModelSpec, RunPreflight, RunSpec } from '../../shared/runs';
import type { Db } from '../db/open';
import { chatWrapperFor, renderChat } from '../inference/chatPrompt';
import { inspectModelFile } from '../gguf/inspect';
import { renderPrompt } from '../prompts/render';
import { resolveTemplate } from '../prompts/template';
import type { RenderedPrompt } from '../prompts/types';
import { BadInputError } from '../errors';
import { apiKeyForRun } from '../inference/remote/keys';
import { RemoteBackend } from '../inference/remote/remoteBackend';
import { ContextCache, toTemplate } from './runner';
import { loadItemRecords, selectItems } from './store';

/** The engine's context when a run sets none (src/core/inference/engine.ts DEFAULT_CONTEXT_SIZE), capped by the model's training context. */
const ENGINE_DEFAULT_CONTEXT = 4096;
/** node-llama-cpp's contextSizePad (config.js): contexts are allocated in multiples of it. */
const CONTEXT_PAD = 256;
/** A remote server without llama.cpp's /props and /tokenize: prompts are estimated at about 4 characters a token. */
const CHARS_PER_TOKEN_ESTIMATE = 4;
/** Records loaded and prompts counted per step; the event loop gets a turn between steps. */
const STEP = 200;
/** Prompts a llama.cpp server is asked to count at once (a server's tokenizer is fast; the round trips are not). */
const SERVER_COUNTS_IN_FLIGHT = 8;

export interface PreflightDeps {
  /** node-llama-cpp in this process: the model is opened vocabulary-only (its tokenizer and chat template, no weights). */
  getLlama(): Promise<Llama>;
  /**
   * How a remote model's key is found, as for its run (runs/remoteGenerator.ts): confined (a host
   * serving pages), the key variable must be bound to the spec's base URL. Default: the CLI's rule.
   */
  remote?: { home?: string; confine?: boolean; env?: NodeJS.ProcessEnv };
}

type Counter = (p: RenderedPrompt) => number | Promise<number>;

/** The backend a remote run would use, with the same key rule, for asking the server (never for generating). */
function remoteBackend(spec: RemoteModelSpec, opts: NonNullable<PreflightDeps['remote']>): RemoteBackend {
  const apiKey = apiKeyForRun(spec, opts);
  return new RemoteBackend({
    baseUrl: spec.baseUrl,
    model: spec.model,
    ...(apiKey ? { apiKey } : {}),
    ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
  });
}

/** Counts a prompt as the engine will (src/core/inference/engine.ts promptTokens): chat template, then BOS when the model wants one. */
function tokenCounter(model: LlamaModel, chatTemplate: string | undefined): (p: RenderedPrompt) => number {
  const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? 1 : 0;
  // Resolved once, up front: an unusable override is the run's error, not every item's.
  const wrapper = chatWrapperFor(model, chatTemplate);
  return (p) => {
    if ('text' in p) return model.tokenize(p.text).length + bos;
    return renderChat(model, wrapper, p.messages).tokens.length + bos;
  };
}

function estimate(p: RenderedPrompt): number {
  const chars = 'text' in p ? p.text.length : p.messages.reduce((n, m) => n + m.content.length, 0);
  return Math.ceil(chars / CHARS_PER_TOKEN_ESTIMATE);
}

export async function preflightRun(db: Db, spec: RunSpec, deps: PreflightDeps, signal?: AbortSignal): Promise<RunPreflight> {
  const template = resolveTemplate(toTemplate(spec.template));
  const { items } = selectItems(db, spec.selection);
  if (items.length === 0) throw new BadInputError('the selection has no items', { field: 'selection' });
  const maxTokens = spec.decoding.maxTokens;
  let count: Counter = estimate;
  let counting: RunPreflight['counting'] = 'estimate';
  let model: LlamaModel | null = null;
  let backend: RemoteBackend | null = null;
  let contextSize: number | null = null;
  let budget: number | null = null;
  const truncate = spec.model.kind === 'local' ? (spec.model.truncate ?? 'error') : 'error';
  if (spec.model.kind === 'local') {
    const llama = await deps.getLlama();
    // This load runs in the host, not the engine's child process: the file passes our own GGUF header
    // checks first, as every model does before llama.cpp reads it (a crafted header must not abort the host).
    try {
      await inspectModelFile(spec.model.path, { llama });
      model = await llama.loadModel({ modelPath: spec.model.path, vocabOnly: true });
    } catch (err) {
      throw new BadInputError(`the model ${spec.model.path} could not be read: ${err instanceof Error ? err.message : String(err)}`, { field: 'model.path' });
    }
    // A vocabulary-only model has no hyperparameters loaded: the training context comes from the header.
    const train = model.fileInsights.trainContextSize ?? 0;
    const wanted = spec.model.contextSize ?? ENGINE_DEFAULT_CONTEXT;
    contextSize = train > 0 ? Math.min(wanted, train) : wanted;
    // node-llama-cpp pads a context up to a multiple of 256 cells (llama.cpp's GGML_PAD) while that
    // stays under the training context, and the engine's budget is the padded size.
    const padded = Math.ceil(Math.max(2, contextSize) / CONTEXT_PAD) * CONTEXT_PAD;
    if (train > 0 && contextSize <= train && padded < train) contextSize = padded;
    budget = Math.min(contextSize - maxTokens, spec.model.maxPromptTokens ?? Infinity);
    try {
      count = tokenCounter(model, spec.model.chatTemplate);
      counting = 'model';
    } catch (err) {
      await model.dispose();
      throw new BadInputError(err instanceof Error ? err.message : String(err), { field: 'model.chatTemplate' });
    }
  } else {
    backend = remoteBackend(spec.model, deps.remote ?? {});
    // llama.cpp's server says its context and counts exactly; any other server (or a llama.cpp
    // server that answers out of shape) leaves the estimate, which the result says it is.
    const server = backend;
    const serverContext = await server.serverContext(signal).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      return null;
    });
    if (serverContext !== null) {
      contextSize = serverContext;
      budget = contextSize - maxTokens;
      count = (p) => server.countPromptTokens(p, signal);
      counting = 'model';
    }
  }
  try {
    const result = await countAll(count);
    if (backend && counting === 'model' && 'failed' in result) {
      // The server said its context but could not count a prompt: every prompt is estimated instead, and said so.
      contextSize = null;
      budget = null;
      counting = 'estimate';
      return finish(await countAll(estimate));
    }
    return finish(result);
  } finally {
    backend?.close();
    await model?.dispose();
  }

  type Counted = Pick<RunPreflight, 'checked' | 'renderErrors' | 'firstRenderError' | 'largest'> & { lengths: number[] };

  function finish(c: Counted | { failed: unknown }): RunPreflight {
    if ('failed' in c) throw c.failed;
    const overBudget = budget === null ? 0 : c.lengths.filter((n) => n > budget!).length;
    return {
      items: items.length,
      checked: c.checked,
      renderErrors: c.renderErrors,
      firstRenderError: c.firstRenderError,
      counting,
      contextSize,
      maxTokens,
      budget,
      overBudget,
      largest: c.largest,
      truncate,
    };
  }

  /** Renders and counts every prompt; a counter that throws (a server, not a template) ends the count with `failed`. */
  async function countAll(counter: Counter): Promise<Counted | { failed: unknown }> {
    const cache = new ContextCache(db, template);
    let checked = 0;
    let renderErrors = 0;
    let firstRenderError: string | null = null;
    let largest: RunPreflight['largest'] = null;
    const lengths: number[] = [];
    for (let at = 0; at < items.length; at += STEP) {
      if (signal?.aborted) throw signal.reason;
      const chunk = items.slice(at, at + STEP);
      const records = new Map(loadItemRecords(db, { ids: chunk.map((c) => c.itemId).filter((x): x is number => x !== null) }).map((r) => [r.id, r]));
      const rendered: { item: (typeof chunk)[number]; prompt: RenderedPrompt }[] = [];
      for (const item of chunk) {
        const record = item.itemId !== null ? records.get(item.itemId) : undefined;
        try {
          if (!record) throw new Error('the library item was removed');
          rendered.push({ item, prompt: renderPrompt(template, cache.context(record)) });
        } catch (err) {
          renderErrors++;
          firstRenderError ??= `item #${item.index ?? '?'} of ${item.task}: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      for (let i = 0; i < rendered.length; i += SERVER_COUNTS_IN_FLIGHT) {
        const group = rendered.slice(i, i + SERVER_COUNTS_IN_FLIGHT);
        let counts: number[];
        try {
          counts = await Promise.all(group.map((r) => counter(r.prompt)));
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          // The local tokenizer throwing is a template problem of one item, said as such.
          if (model) {
            counts = [];
            for (const r of group) {
              try {
                counts.push(await counter(r.prompt));
              } catch (e) {
                counts.push(-1);
                renderErrors++;
                firstRenderError ??= `item #${r.item.index ?? '?'} of ${r.item.task}: ${e instanceof Error ? e.message : String(e)}`;
              }
            }
          } else return { failed: err };
        }
        group.forEach((r, gi) => {
          const n = counts[gi]!;
          if (n < 0) return;
          checked++;
          lengths.push(n);
          if (!largest || n > largest.promptTokens) largest = { itemId: r.item.itemId, index: r.item.index, task: r.item.task, promptTokens: n };
        });
      }
      // Tokenizing thousands of long prompts takes seconds: other calls are served in between.
      await new Promise((r) => setImmediate(r));
    }
    return { checked, renderErrors, firstRenderError, largest, lengths };
  }
}
