/**
 * McNemar's exact test for two runs scored right/wrong on the same items. Only the
 * discordant items count: b = A right and B wrong, c = A wrong and B right; under "no
 * difference" b ~ Binomial(b + c, ½). Reports the exact conditional p (statsmodels'
 * `mcnemar(exact=True)`) and the mid-p, which Fagerland, Lydersen & Laake (2013) found
 * never exceeded the nominal level while keeping nearly the asymptotic test's power.
 */

export interface McNemarResult {
  /** A right, B wrong. */
  b: number;
  /** A wrong, B right. */
  c: number;
  /** Two-sided exact p = min(1, 2·P(X ≤ min(b, c))). */
  pExact: number;
  /** Mid-p: the exact p minus P(X = min(b, c)). */
  pMid: number;
}

/** log(n!) by summation (n is an item count, so at most a few hundred thousand). */
const logFactCache: number[] = [0];
function logFactorial(n: number): number {
  for (let k = logFactCache.length; k <= n; k++) logFactCache.push(logFactCache[k - 1]! + Math.log(k));
  return logFactCache[n]!;
}

/** P(X = k) for X ~ Binomial(n, ½). */
export function binomHalfPmf(k: number, n: number): number {
  if (k < 0 || k > n) return 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) - n * Math.LN2);
}

/** P(X ≤ k) for X ~ Binomial(n, ½). */
export function binomHalfCdf(k: number, n: number): number {
  let s = 0;
  for (let i = 0; i <= Math.min(k, n); i++) s += binomHalfPmf(i, n);
  return Math.min(1, s);
}

export function mcnemarExact(b: number, c: number): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a count (got ${v})`);
  const n = b + c;
  if (n === 0) return { b, c, pExact: 1, pMid: 1 };
  const k = Math.min(b, c);
  const twice = 2 * binomHalfCdf(k, n);
  // Mid-p = 2·(P(X ≤ k) − ½·P(X = k)); it is exactly 1 when b = c.
  return { b, c, pExact: Math.min(1, twice), pMid: Math.min(1, Math.max(0, twice - binomHalfPmf(k, n))) };
}

/** Discordant counts from per-item right/wrong flags. */
export function discordantPairs(aRight: ArrayLike<boolean>, bRight: ArrayLike<boolean>): { b: number; c: number } {
  if (aRight.length !== bRight.length) throw new RangeError(`paired samples differ in length (${aRight.length} vs ${bRight.length})`);
  let b = 0;
  let c = 0;
  for (let i = 0; i < aRight.length; i++) {
    if (aRight[i] && !bRight[i]) b++;
    else if (!aRight[i] && bRight[i]) c++;
  }
  return { b, c };
}
