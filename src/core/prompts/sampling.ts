/** Drawing demonstrations for one query from a pool. */
import { deriveSeed, mulberry32, sampleWithoutReplacement } from './prng';
import type { PromptRecord } from './types';

/** The key that seeds a query's draw: its `key`, else its input text. */
export function queryKey(query: PromptRecord): string | number {
  return query.key ?? query.input;
}

/** True when `candidate` is the query itself: same object, or both have keys and they are equal. */
export function isSameRecord(candidate: PromptRecord, query: PromptRecord): boolean {
  if (candidate === query) return true;
  return candidate.key !== undefined && query.key !== undefined && candidate.key === query.key;
}

/**
 * `min(k, |pool|)` demonstrations drawn with mulberry32 seeded by `deriveSeed(seed, key of query)`.
 * `includeQuery` keeps the query in the pool (MedS-Bench reference behaviour).
 */
export function drawExamples(pool: readonly PromptRecord[], query: PromptRecord, k: number, seed: number, includeQuery = false): PromptRecord[] {
  if (k <= 0 || pool.length === 0) return [];
  const candidates = includeQuery ? pool : pool.filter((r) => !isSameRecord(r, query));
  return sampleWithoutReplacement(candidates, k, mulberry32(deriveSeed(seed, queryKey(query))));
}

/** A record's gold output as one string: the first element of a list output. */
export function firstOutput(output: string | readonly string[] | undefined): string {
  if (output === undefined) return '';
  return typeof output === 'string' ? output : (output[0] ?? '');
}
