/**
 * Fitting a prompt that is longer than its budget, by a policy the user chose. Pure functions over
 * token arrays, so the engine and the tests share them. A leading BOS is never cut: without it a
 * model sees a different kind of input than it was trained on.
 */
import type { TruncationPolicy } from '../../shared/models';

export interface Truncated<T> {
  tokens: T[];
  /** Tokens removed (0 when the prompt fit). */
  removed: number;
}

/**
 * Cuts `tokens` to `limit` tokens. keep-start drops the end (what MedS-Bench's eval.py does with
 * `truncation=True` at 2,048 tokens), keep-end drops the start after the head (the task's definition
 * and examples go first, the question stays), keep-both drops the middle.
 */
export function truncateTokens<T>(tokens: readonly T[], limit: number, policy: Exclude<TruncationPolicy, 'error'>, head: number): Truncated<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a prompt budget must be a positive whole number of tokens, got ${limit}`);
  if (tokens.length <= limit) return { tokens: [...tokens], removed: 0 };
  const kept = Math.min(head, tokens.length);
  if (limit <= kept) throw new RangeError(`a prompt budget of ${limit} tokens leaves no room after the ${kept} that are always kept`);
  const removed = tokens.length - limit;
  const start = tokens.slice(0, kept);
  const body = tokens.slice(kept);
  const room = limit - kept;
  if (policy === 'keep-start') return { tokens: [...start, ...body.slice(0, room)], removed };
  if (policy === 'keep-end') return { tokens: [...start, ...body.slice(body.length - room)], removed };
  const front = Math.ceil(room / 2);
  return { tokens: [...start, ...body.slice(0, front), ...body.slice(body.length - (room - front))], removed };
}
