import { describe, expect, it } from 'vitest';
import { truncateTokens } from '../../src/core/inference/promptTruncation';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('truncateTokens', () => {
  it('leaves a prompt that fits alone', () => {
    expect(truncateTokens(ids(5), 5, 'keep-start', 1)).toEqual({ tokens: ids(5), removed: 0 });
  });

  it('keep-start drops the end, keep-end the start after the head, keep-both the middle', () => {
    const t = ids(10); // 0 is BOS
    expect(truncateTokens(t, 6, 'keep-start', 1)).toEqual({ tokens: [0, 1, 2, 3, 4, 5], removed: 4 });
    expect(truncateTokens(t, 6, 'keep-end', 1)).toEqual({ tokens: [0, 5, 6, 7, 8, 9], removed: 4 });
    expect(truncateTokens(t, 6, 'keep-both', 1)).toEqual({ tokens: [0, 1, 2, 3, 8, 9], removed: 4 });
    expect(truncateTokens(t, 7, 'keep-both', 1)).toEqual({ tokens: [0, 1, 2, 3, 7, 8, 9], removed: 3 });
    // Without a BOS nothing is pinned.
    expect(truncateTokens(t, 3, 'keep-end', 0)).toEqual({ tokens: [7, 8, 9], removed: 7 });
  });

  it('always returns exactly the budget when cutting', () => {
    for (const policy of ['keep-start', 'keep-end', 'keep-both'] as const) {
      for (let limit = 2; limit < 40; limit++) {
        const r = truncateTokens(ids(40), limit, policy, 1);
        expect(r.tokens).toHaveLength(limit);
        expect(r.tokens[0]).toBe(0);
        expect(r.removed).toBe(40 - limit);
        expect(new Set(r.tokens).size).toBe(limit);
      }
    }
  });

  it("never cuts inside a pinned tail (a chat template's generation prompt)", () => {
    const t = ids(10);
    expect(truncateTokens(t, 6, 'keep-start', 1, 2)).toEqual({ tokens: [0, 1, 2, 3, 8, 9], removed: 4 });
    expect(truncateTokens(t, 7, 'keep-both', 1, 2)).toEqual({ tokens: [0, 1, 2, 6, 7, 8, 9], removed: 3 });
    expect(truncateTokens(t, 6, 'keep-end', 1, 2)).toEqual(truncateTokens(t, 6, 'keep-end', 1));
    expect(() => truncateTokens(t, 3, 'keep-start', 1, 2)).toThrow(/no room after the 3/);
  });

  it('refuses a budget that leaves nothing after the head', () => {
    expect(() => truncateTokens(ids(10), 1, 'keep-end', 1)).toThrow(/no room/);
    expect(() => truncateTokens(ids(10), 0, 'keep-end', 0)).toThrow(/positive whole number/);
  });
});
