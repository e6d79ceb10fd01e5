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
 * Cuts `tokens` to `limit` tokens, never inside the first `head` or the last `tail` tokens (BOS;
 * a chat template's generation prompt, without which the model would go on writing the user's
 * text). keep-start drops the end of the rest (MedS-Bench's eval.py cuts at 2,048 tokens this way,
 * though it also cut the generation prompt), keep-end drops its start (the task's definition and
 * examples go first, the question stays), keep-both drops its middle.
 */
export function truncateTokens<T>(tokens: readonly T[], limit: number, policy: Exclude<TruncationPolicy, 'error'>, head: number, tail = 0): Truncated<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a prompt budget must be a positive whole number of tokens, got ${limit}`);
  if (tokens.length <= limit) return { tokens: [...tokens], removed: 0 };
  const h = Math.min(head, tokens.length);
  const t = Math.min(tail, tokens.length - h);
  if (limit <= h + t) throw new RangeError(`a prompt budget of ${limit} tokens leaves no room after the ${h + t} that are always kept`);
  const removed = tokens.length - limit;
  const start = tokens.slice(0, h);
  const end = tokens.slice(tokens.length - t);
  const body = tokens.slice(h, tokens.length - t);
  const room = limit - h - t;
  if (policy === 'keep-start') return { tokens: [...start, ...body.slice(0, room), ...end], removed };
  if (policy === 'keep-end') return { tokens: [...start, ...body.slice(body.length - room), ...end], removed };
  const front = Math.ceil(room / 2);
  return { tokens: [...start, ...body.slice(0, front), ...body.slice(body.length - (room - front)), ...end], removed };
}
