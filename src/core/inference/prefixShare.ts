/**
 * Sharing the evaluation of a common prompt prefix (a task's definition and few-shot examples)
 * between the sequences of one context, so that a run spread over N sequences evaluates it
 * once instead of once per sequence.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/** Below this many tokens a copy of another sequence's KV cache is not worth its cost. */
export const MIN_SHARED_PREFIX = 32;

export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** The longest prefix every token list shares (0 for none or an empty list). */
export function sharedPrefixLength(lists: readonly (readonly Token[])[]): number {
  const [first, ...rest] = lists;
  if (!first) return 0;
  let n = first.length;
  for (const l of rest) n = Math.min(n, commonPrefixLength(first, l));
  return n;
}

/**
 * The sequence whose cache holds the longest prefix of `tokens`, when it beats what `target`
 * already holds by at least MIN_SHARED_PREFIX tokens. At most `tokens.length - 1` tokens count:
 * the last prompt token is always evaluated, for its logits.
 */
export function pickDonor(
  target: LlamaContextSequence,
  candidates: Iterable<LlamaContextSequence>,
  tokens: readonly Token[],
): { donor: LlamaContextSequence; length: number } | null {
  const limit = tokens.length - 1;
  const own = Math.min(commonPrefixLength(target.contextTokens, tokens), limit);
  let best: { donor: LlamaContextSequence; length: number } | null = null;
  for (const seq of candidates) {
    if (seq === target || seq.disposed) continue;
    const length = Math.min(commonPrefixLength(seq.contextTokens, tokens), limit);
    if (length >= own + MIN_SHARED_PREFIX && (!best || length > best.length)) best = { donor: seq, length };
  }
  return best;
}

/**
 * node-llama-cpp can copy one sequence's KV cache into another (llama.cpp `llama_memory_seq_cp`)
 * but keeps the method internal (`_copyStateFromOtherSequence`, node-llama-cpp 3.x). Feature-
 * detected here so that a release without it falls back to evaluating the prefix; the engine
 * test on shared few-shot prefixes fails if the installed version lacks it.
 */
type CopyableSequence = LlamaContextSequence & {
  _copyStateFromOtherSequence?: (other: LlamaContextSequence, upToTokenIndex: number) => Promise<boolean>;
};

/** Copies the first `length` cached tokens of `donor` into `target`; false when not possible. */
export async function copyPrefix(target: LlamaContextSequence, donor: LlamaContextSequence, length: number): Promise<boolean> {
  const copy = (target as CopyableSequence)._copyStateFromOtherSequence;
  if (typeof copy !== 'function') return false;
  try {
    return (await copy.call(target, donor, length)) && commonPrefixLength(target.contextTokens, donor.contextTokens) >= length;
  } catch {
    // A failed copy leaves the target to evaluate the prefix itself; clear what may be half-copied.
    await target.clearHistory();
    return false;
  }
}
