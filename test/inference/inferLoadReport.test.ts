/**
 * bench:infer --load's verdicts: medians of the rounds, the sweep's best, and the two targets
 * (defaults ≥ 90% of the best, never below llama-bench's defaults), with cut measurements named.
 */
import { describe, expect, it } from 'vitest';
import { formatLoadReport, median, type LoadCondition } from '../../scripts/bench/inferLoad';

const condition = (load: number, defaults: number[], one: number[], two: number[], lb: number[], cut: string[] = []): LoadCondition => ({
  load,
  loadAvg: [1.5, 2.5],
  defaults: { tps: defaults, threads: defaults.map(() => 2), reasons: ['auto: 2 physical cores, 0 busy with other programs at load'] },
  sweep: [
    { threads: 1, tps: one },
    { threads: 2, tps: two },
  ],
  llamaBench: { tps: lb, threads: 2 },
  cut,
});

describe('formatLoadReport', () => {
  it('takes medians and checks both targets per condition', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const lines = formatLoadReport(
      [
        condition(0, [100, 95, 99], [60, 61, 59], [100, 102, 98], [110, 104, 105]),
        condition(1, [50, 52, 48], [55, 56, 54], [1, 2, 1], [1, 1, 1], ['round 1 llama-bench (upper bound)']),
      ],
      64,
    );
    const text = lines.join('\n');
    // Idle: defaults 99 of the best 100 (2 threads), but under llama-bench's 105.
    expect(text).toContain('| idle (0) | 1.50 → 2.50 | 2 | 99.0 | 1: 60.0 · 2: 100.0 | 100.0 (2) | **99%** | 105.0 (2) | **94%** |');
    expect(text).toMatch(/Idle: defaults at 99% of the sweep's best \(target ≥ 90%: met\), 94% of llama-bench's defaults \(target ≥ 100%: missed\)/);
    // Loaded: the best is 1 thread; 50 of 55 is 91%.
    expect(text).toMatch(
      /With 1 busy process \(cut at their time budget: round 1 llama-bench \(upper bound\)\): defaults at 91% of the sweep's best \(target ≥ 90%: met\), 5000% of llama-bench's defaults \(target ≥ 100%: met\)/,
    );
  });
});
