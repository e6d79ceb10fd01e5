/**
 * One generation on one context sequence, driven token by token over node-llama-cpp's
 * `LlamaContextSequence.evaluate` generator.
 *
 * Why not `LlamaCompletion`: its loop cannot wait for the other sequences of the context, so
 * parallel generations drift apart and batch badly (see StepBarrier). The loop here does what
 * the engine used from it: the same sampler options and repeat-penalty window, stop strings
 * and stop token sequences (never part of the response), streaming that holds back a possible
 * stop string or a split UTF-8 character, max tokens and abort.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { StepBarrier } from './stepBarrier';
import { StopText } from './stopText';
import type { StopReason } from './types';

/** Tokens the repeat penalty looks back over, as in LlamaCompletion. */
const REPEAT_PENALTY_WINDOW = 64;
/** A UTF-8 character spans at most four byte tokens. */
const MAX_PARTIAL_TOKENS = 4;
const REPLACEMENT_CHAR = '\uFFFD';

export interface SequenceGenerationOptions {
  /** Prompt tokens including BOS when the model wants one. */
  tokens: Token[];
  maxTokens: number;
  temperature: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: number;
  /** Repeat penalty factor; 1 or undefined is off. */
  repeatPenalty?: number;
  textStops: readonly string[];
  /** Stop triggers holding special tokens, matched on token ids. */
  tokenStops: readonly (readonly Token[])[];
  /** Keep the longest matching prefix already in the sequence's KV cache instead of clearing it. */
  reusePrefix: boolean;
  signal?: AbortSignal;
  onText?: (chunk: string) => void;
  /** Shared by the generations on one context so their steps batch together. */
  barrier?: StepBarrier;
  /** The sequence's id in its context: the barrier releases in this order. */
  sequenceId?: number;
}

export interface SequenceGenerationResult {
  text: string;
  /** Tokens sampled, counting an end-of-generation token. */
  outputTokens: number;
  /** Prompt tokens the KV cache already held. */
  reusedPromptTokens: number;
  /** performance.now() when the first token was sampled. */
  firstTokenAt: number | null;
  stopReason: StopReason;
}

function endsWithTokens(tokens: readonly Token[], tail: readonly Token[]): boolean {
  if (tail.length === 0 || tail.length > tokens.length) return false;
  const offset = tokens.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (tokens[offset + i] !== tail[i]) return false;
  return true;
}

export async function generateOnSequence(sequence: LlamaContextSequence, options: SequenceGenerationOptions): Promise<SequenceGenerationResult> {
  const model = sequence.model;
  const { tokens, signal, barrier } = options;
  if (tokens.length === 0) throw new Error('a generation needs at least one prompt token');

  if (options.reusePrefix) await sequence.adaptStateToTokens(tokens.slice(0, -1), false);
  else await sequence.clearHistory();
  // At least the last prompt token is evaluated: its logits give the first generated token.
  const evalTokens = tokens.slice(Math.min(sequence.nextTokenIndex, tokens.length - 1));
  if (sequence.nextTokenIndex > tokens.length - 1) await sequence.eraseContextTokenRanges([{ start: tokens.length - 1, end: sequence.nextTokenIndex }]);

  const generated: Token[] = [];
  const newline = model.tokens.nl;
  const penalty = options.repeatPenalty !== undefined && options.repeatPenalty !== 1 ? options.repeatPenalty : undefined;
  const iterator = sequence.evaluate(evalTokens, {
    temperature: options.temperature,
    ...(options.topK !== undefined ? { topK: options.topK } : {}),
    ...(options.topP !== undefined ? { topP: options.topP } : {}),
    ...(options.minP !== undefined ? { minP: options.minP } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(penalty !== undefined
      ? {
          repeatPenalty: {
            punishTokens: () => generated.slice(-REPEAT_PENALTY_WINDOW).filter((t) => t !== newline),
            maxPunishTokens: REPEAT_PENALTY_WINDOW,
            penalty,
          },
        }
      : {}),
  });

  const text = new StopText(options.textStops);
  const committed: Token[] = [];
  const pending: Token[] = [];
  let sampled = 0;
  let firstTokenAt: number | null = null;
  let stopReason: StopReason = 'maxTokens';
  const stream = (chunk: string): void => {
    if (chunk) options.onText?.(chunk);
  };

  barrier?.join();
  try {
    for (;;) {
      if (signal?.aborted) {
        stopReason = 'abort';
        break;
      }
      if (barrier) await barrier.arrive(options.sequenceId ?? 0);
      const step = await iterator.next();
      sampled++;
      firstTokenAt ??= performance.now();
      if (step.done) {
        // The generator ends on an end-of-generation token, which it does not yield.
        stopReason = 'eos';
        break;
      }
      const token = step.value;
      generated.push(token);
      const tokenStop = options.tokenStops.find((stop) => endsWithTokens(generated, stop));
      if (tokenStop) {
        // The trigger's tokens may already be in the text (a plain-text part): rebuild it without them.
        text.reset(model.detokenize(generated.slice(0, generated.length - tokenStop.length)));
        stopReason = 'stop';
        break;
      }
      pending.push(token);
      const piece = model.detokenize(pending, false, committed);
      if (piece.endsWith(REPLACEMENT_CHAR) && pending.length < MAX_PARTIAL_TOKENS && !model.isSpecialToken(token)) {
        if (sampled >= options.maxTokens) {
          text.push(piece);
          break;
        }
        continue; // the rest of a UTF-8 character is still to come
      }
      committed.push(...pending);
      pending.length = 0;
      if (text.push(piece)) {
        stopReason = 'stop';
        break;
      }
      stream(text.take());
      if (sampled >= options.maxTokens) break;
    }
  } finally {
    barrier?.leave();
    await iterator.return();
  }
  stream(text.take(true));
  return { text: text.value, outputTokens: sampled, reusedPromptTokens: tokens.length - evalTokens.length, firstTokenAt, stopReason };
}
