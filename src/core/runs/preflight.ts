/**
 * A run's pre-flight check: every selected item's prompt rendered exactly as the runner would,
 * and counted against the context the engine would give it, so a run whose prompts cannot fit
 * is seen before it fails every item in a second.
 */
import type { Llama, LlamaModel } from 'node-llama-cpp';
import type { RunPreflight, RunSpec } from '../../shared/runs';
import type { Db } from '../db/open';
import { chatWrapperFor, renderChat } from '../inference/chatPrompt';
import { renderPrompt } from '../prompts/render';
import { resolveTemplate } from '../prompts/template';
import type { RenderedPrompt } from '../prompts/types';
import { BadInputError } from '../errors';
import { ContextCache, toTemplate } from './runner';
import { loadItemRecords, selectItems } from './store';

/** The engine's context when a run sets none (src/core/inference/engine.ts DEFAULT_CONTEXT_SIZE), capped by the model's training context. */
const ENGINE_DEFAULT_CONTEXT = 4096;
/** node-llama-cpp's contextSizePad (config.js): contexts are allocated in multiples of it. */
const CONTEXT_PAD = 256;
/** A remote server's tokenizer is not at hand: prompts are estimated at about 4 characters a token. */
const CHARS_PER_TOKEN_ESTIMATE = 4;
/** Records loaded and prompts counted per step; the event loop gets a turn between steps. */
const STEP = 200;

export interface PreflightDeps {
  /** node-llama-cpp in this process: the model is opened vocabulary-only (its tokenizer and chat template, no weights). */
  getLlama(): Promise<Llama>;
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
  let count: (p: RenderedPrompt) => number = estimate;
  let model: LlamaModel | null = null;
  let contextSize: number | null = null;
  let budget: number | null = null;
  const truncate = spec.model.kind === 'local' ? (spec.model.truncate ?? 'error') : 'error';
  if (spec.model.kind === 'local') {
    const llama = await deps.getLlama();
    try {
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
    } catch (err) {
      await model.dispose();
      throw new BadInputError(err instanceof Error ? err.message : String(err), { field: 'model.chatTemplate' });
    }
  }
  try {
    const cache = new ContextCache(db, template);
    let checked = 0;
    let renderErrors = 0;
    let firstRenderError: string | null = null;
    let overBudget = 0;
    let largest: RunPreflight['largest'] = null;
    for (let at = 0; at < items.length; at += STEP) {
      if (signal?.aborted) throw signal.reason;
      const chunk = items.slice(at, at + STEP);
      const records = new Map(loadItemRecords(db, { ids: chunk.map((c) => c.itemId).filter((x): x is number => x !== null) }).map((r) => [r.id, r]));
      for (const item of chunk) {
        const record = item.itemId !== null ? records.get(item.itemId) : undefined;
        let n: number;
        try {
          if (!record) throw new Error('the library item was removed');
          n = count(renderPrompt(template, cache.context(record)));
        } catch (err) {
          renderErrors++;
          firstRenderError ??= `item #${item.index ?? '?'} of ${item.task}: ${err instanceof Error ? err.message : String(err)}`;
          continue;
        }
        checked++;
        if (budget !== null && n > budget) overBudget++;
        if (!largest || n > largest.promptTokens) largest = { itemId: item.itemId, index: item.index, task: item.task, promptTokens: n };
      }
      // Tokenizing thousands of long prompts takes seconds: other calls are served in between.
      await new Promise((r) => setImmediate(r));
    }
    return {
      items: items.length,
      checked,
      renderErrors,
      firstRenderError,
      counting: model ? 'model' : 'estimate',
      contextSize,
      maxTokens,
      budget,
      overBudget,
      largest,
      truncate,
    };
  } finally {
    await model?.dispose();
  }
}
