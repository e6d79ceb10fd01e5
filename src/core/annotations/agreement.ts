/**
 * Chance-corrected agreement between reviewers, pure: Cohen's kappa for two (Cohen 1960) and
 * Fleiss' kappa for more (Fleiss 1971). Both match scikit-learn's `cohen_kappa_score` and
 * statsmodels' `fleiss_kappa` (golden numbers in test/annotations/golden/). Kappa is null
 * where it is undefined (every rating in one category: expected agreement 1), never NaN.
 */

export interface Kappa {
  kappa: number | null;
  observedAgreement: number | null;
  units: number;
  counts: Record<string, number>;
}

/** Two reviewers' labels for the same units, in the same order. */
export function cohenKappa(a: readonly string[], b: readonly string[]): Kappa {
  if (a.length !== b.length) throw new Error(`cohenKappa: ${a.length} labels against ${b.length}`);
  const n = a.length;
  const counts: Record<string, number> = {};
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) agree++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
    counts[x] = (counts[x] ?? 0) + 1;
    counts[y] = (counts[y] ?? 0) + 1;
  }
  if (n === 0) return { kappa: null, observedAgreement: null, units: 0, counts };
  const po = agree / n;
  let pe = 0;
  for (const [label, k] of ca) pe += (k / n) * ((cb.get(label) ?? 0) / n);
  return { kappa: pe >= 1 ? null : (po - pe) / (1 - pe), observedAgreement: po, units: n, counts };
}

/**
 * `table[i][j]`: how many reviewers put unit i in category j; every row must sum to the same
 * number of reviewers (>= 2), as Fleiss' statistic requires.
 */
export function fleissKappaFromTable(table: readonly (readonly number[])[]): number | null {
  const n = table.length;
  if (n === 0) return null;
  const raters = table[0]!.reduce((s, v) => s + v, 0);
  if (raters < 2) return null;
  const k = table[0]!.length;
  const colTotals = new Array<number>(k).fill(0);
  let pBarSum = 0;
  for (const row of table) {
    const sum = row.reduce((s, v) => s + v, 0);
    if (sum !== raters) throw new Error(`fleissKappa: rows must all sum to ${raters} ratings, got ${sum}`);
    let sq = 0;
    row.forEach((v, j) => {
      colTotals[j]! += v;
      sq += v * v;
    });
    pBarSum += (sq - raters) / (raters * (raters - 1));
  }
  const pBar = pBarSum / n;
  const pe = colTotals.reduce((s, c) => s + (c / (n * raters)) ** 2, 0);
  return pe >= 1 ? null : (pBar - pe) / (1 - pe);
}

/** `ratings[i]`: every reviewer's label for unit i (same reviewers, same count per unit). */
export function fleissKappa(ratings: readonly (readonly string[])[]): Kappa {
  const labels = [...new Set(ratings.flat())].sort();
  const counts: Record<string, number> = {};
  for (const l of ratings.flat()) counts[l] = (counts[l] ?? 0) + 1;
  const table = ratings.map((unit) => labels.map((l) => unit.filter((x) => x === l).length));
  // Observed agreement: the share of agreeing reviewer pairs, averaged over units.
  const po = ratings.length
    ? table.reduce((s, row) => {
        const m = row.reduce((a, v) => a + v, 0);
        return s + row.reduce((a, v) => a + v * (v - 1), 0) / (m * (m - 1));
      }, 0) / ratings.length
    : null;
  return { kappa: fleissKappaFromTable(table), observedAgreement: po, units: ratings.length, counts };
}

/** Cohen's kappa for two reviewers, Fleiss' for more: `ratings[i][r]` is reviewer r's label for unit i. */
export function kappaFor(ratings: readonly (readonly string[])[], reviewers: number): Kappa & { method: 'cohen' | 'fleiss' } {
  if (reviewers === 2)
    return {
      ...cohenKappa(
        ratings.map((u) => u[0]!),
        ratings.map((u) => u[1]!),
      ),
      method: 'cohen',
    };
  return { ...fleissKappa(ratings), method: 'fleiss' };
}

export type KappaWeights = 'linear' | 'quadratic';

/**
 * Weighted Cohen's kappa for ordinal labels (Cohen 1968): 1 − Σ w·observed / Σ w·expected with
 * w = |i − j| (linear) or (i − j)² (quadratic) over the positions in `order`, as scikit-learn's
 * `cohen_kappa_score(labels=order, weights=…)`. Labels outside `order` are an error; null when
 * the expected disagreement is 0 (both reviewers used one category only).
 */
export function weightedCohenKappa(a: readonly string[], b: readonly string[], order: readonly string[], weights: KappaWeights): number | null {
  if (a.length !== b.length) throw new Error(`weightedCohenKappa: ${a.length} labels against ${b.length}`);
  const n = a.length;
  if (n === 0) return null;
  const k = order.length;
  const pos = (x: string) => {
    const i = order.indexOf(x);
    if (i < 0) throw new Error(`weightedCohenKappa: "${x}" is not one of ${order.join(', ')}`);
    return i;
  };
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const rowTotals = new Array<number>(k).fill(0);
  const colTotals = new Array<number>(k).fill(0);
  for (let u = 0; u < n; u++) {
    const i = pos(a[u]!);
    const j = pos(b[u]!);
    observed[i]![j]!++;
    rowTotals[i]!++;
    colTotals[j]!++;
  }
  let wo = 0;
  let we = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const w = weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
      wo += w * observed[i]![j]!;
      we += (w * rowTotals[i]! * colTotals[j]!) / n;
    }
  return we === 0 ? null : 1 - wo / we;
}

/**
 * Weighted kappa for any number of reviewers: Cohen's for two; for more, the mean of every
 * reviewer pair's weighted Cohen's kappa (Light 1971 applied to the weighted statistic), since
 * Fleiss' kappa has no standard ordinal weighting. Pairs whose kappa is undefined are left out.
 */
export function weightedKappaFor(
  ratings: readonly (readonly string[])[],
  reviewers: number,
  order: readonly string[],
  weights: KappaWeights,
): { kappa: number | null; method: 'cohen' | 'pairwise-mean' } {
  const values: number[] = [];
  for (let r = 0; r < reviewers; r++)
    for (let s = r + 1; s < reviewers; s++) {
      const v = weightedCohenKappa(
        ratings.map((u) => u[r]!),
        ratings.map((u) => u[s]!),
        order,
        weights,
      );
      if (v !== null) values.push(v);
    }
  return { kappa: values.length ? values.reduce((x, y) => x + y, 0) / values.length : null, method: reviewers === 2 ? 'cohen' : 'pairwise-mean' };
}
