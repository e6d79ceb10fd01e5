/**
 * The statistics of a compare: per run and task every metric with a seeded 95% bootstrap
 * interval over the common items, and per run against the baseline the paired difference
 * with its paired-bootstrap interval and a test — McNemar's mid-p where both runs score each
 * item simply right or wrong, else a paired permutation test — Holm-adjusted over the k − 1
 * comparisons, with a plain sentence saying whether the difference stands out from noise.
 */
import type { CompareGroupStats, CompareStatsResult, MetricInterval, PairComparison } from '../../shared/compare';
import type { Db } from '../db/open';
import { DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrapCi, mcnemarExact, pairedPermutationTest, resampleIndices, type IndexedStatistic } from '../stats';
import { sortedUnique } from '../metrics/labelMacroF1';
import { alignRuns, groupValues, type AlignOptions, type AlignedGroup, type Alignment } from './align';
import { corpusFormula, prepareTexts } from '../metrics/taskMetrics';

export interface StatOptions {
  resamples: number;
  seed: number;
}

const LEVEL = 0.95;
const PERMUTATIONS_MEAN = 10_000;
const PERMUTATIONS_CORPUS = 1_000;

/** Mean of the non-null values at the given positions (NaN when none). */
function meanStat(values: Float64Array): IndexedStatistic {
  return (idx) => {
    let s = 0;
    let n = 0;
    const len = idx ? idx.length : values.length;
    for (let j = 0; j < len; j++) {
      const v = values[idx ? idx[j]! : j]!;
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
    return n === 0 ? NaN : s / n;
  };
}

/**
 * Label macro-F1 (scikit-learn, labels = the resample's distinct gold labels) on integer codes:
 * the same sums as sklearnMacroF1 in the same label order (codes follow the sorted labels),
 * without building string arrays for each of the thousands of resamples.
 */
function macroF1Codes(gold: Int32Array, labels: number): (pred: Int32Array, idx: Int32Array | null) => number {
  const tc = new Int32Array(labels);
  const pc = new Int32Array(labels);
  const tp = new Int32Array(labels);
  return (pred, idx) => {
    tc.fill(0);
    pc.fill(0);
    tp.fill(0);
    const len = idx ? idx.length : gold.length;
    for (let j = 0; j < len; j++) {
      const i = idx ? idx[j]! : j;
      const g = gold[i]!;
      const p = pred[i]!;
      tc[g]!++;
      pc[p]!++;
      if (g === p) tp[g]!++;
    }
    let sum = 0;
    let n = 0;
    for (let c = 0; c < labels; c++) {
      if (tc[c] === 0) continue;
      n++;
      sum += (2 * tp[c]!) / (tc[c]! + pc[c]!);
    }
    return n === 0 ? 0 : sum / n;
  };
}

function corpusStat(formula: (p: readonly string[], g: readonly string[]) => number, preds: string[], golds: string[]): IndexedStatistic {
  return (idx) =>
    idx
      ? formula(
          Array.from(idx, (i) => preds[i]!),
          Array.from(idx, (i) => golds[i]!),
        )
      : formula(preds, golds);
}

/** Holm's step-down adjustment (Holm 1979), in the input order. */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

export function formatValue(v: number, scale: 1 | 100): string {
  if (!Number.isFinite(v)) return 'n/a';
  return scale === 100 ? v.toFixed(1) : v.toFixed(3);
}

const signed = (v: number, scale: 1 | 100) => (v > 0 ? '+' : v < 0 ? '−' : '±') + formatValue(Math.abs(v), scale);

function groupStats(db: Db, al: Alignment, g: AlignedGroup, opts: StatOptions): CompareGroupStats {
  const n = g.keys.length;
  // One set of resample positions for every statistic of the task (up to 64M positions; beyond, each draws its own).
  const indices = n * opts.resamples <= 64_000_000 ? resampleIndices(n, opts.resamples, opts.seed) : undefined;
  const boot = { resamples: opts.resamples, seed: opts.seed, level: LEVEL, indices };
  const needsText = g.metrics.some((m) => m.corpus);
  let raw: string[][] = [];
  let golds: string[] = [];
  if (needsText) {
    raw = al.runs.map((run, r) => {
      const byOrd = new Map(
        (db.prepare('SELECT ord, raw_output AS o FROM run_items WHERE run_id = ?').all(run.id) as { ord: number; o: string | null }[]).map((x) => [
          x.ord,
          x.o ?? '',
        ]),
      );
      return g.ords[r]!.map((ord) => byOrd.get(ord) ?? '');
    });
    const goldByOrd = new Map(
      (db.prepare('SELECT ord, gold_json AS g FROM run_items WHERE run_id = ?').all(al.runs[0]!.id) as { ord: number; g: string }[]).map((x) => [
        x.ord,
        (JSON.parse(x.g) as string[])[0] ?? '',
      ]),
    );
    golds = g.ords[0]!.map((ord) => goldByOrd.get(ord) ?? '');
  }

  const perRun: MetricInterval[][] = al.runs.map(() => []);
  const pairsByMetric: Omit<PairComparison, 'pAdjusted' | 'distinguishable' | 'sentence'>[][] = [];
  for (const m of g.metrics) {
    let stats: IndexedStatistic[];
    let swapStat: ((r: number) => (swap: Uint8Array) => number) | null = null;
    const values = groupValues(al, g, m.id).map((vs) => Float64Array.from(vs, (v) => (v === null ? NaN : v)));
    if (m.id === 'labelMacroF1') {
      const gp = prepareTexts(m.id, golds);
      const preds = raw.map((p) => prepareTexts(m.id, p));
      const labels = sortedUnique([...gp, ...preds.flat()]);
      const code = new Map(labels.map((l, i) => [l, i]));
      const gc = Int32Array.from(gp, (x) => code.get(x)!);
      const pcs = preds.map((p) => Int32Array.from(p, (x) => code.get(x)!));
      const f1 = macroF1Codes(gc, labels.length);
      stats = pcs.map((pc) => (idx: Int32Array | null) => f1(pc, idx));
      swapStat = (r) => {
        const a = pcs[r]!;
        const b = pcs[al.baseline]!;
        const pa = new Int32Array(n);
        const pb = new Int32Array(n);
        return (swap) => {
          for (let i = 0; i < n; i++) {
            pa[i] = swap[i] ? b[i]! : a[i]!;
            pb[i] = swap[i] ? a[i]! : b[i]!;
          }
          return f1(pa, null) - f1(pb, null);
        };
      };
    } else if (m.corpus) {
      const formula = corpusFormula(m.id, al.mode);
      const gp = prepareTexts(m.id, golds);
      const preds = raw.map((p) => prepareTexts(m.id, p));
      stats = preds.map((p) => corpusStat(formula, p, gp));
      swapStat = (r) => {
        const a = preds[r]!;
        const b = preds[al.baseline]!;
        const pa = new Array<string>(n);
        const pb = new Array<string>(n);
        return (swap) => {
          for (let i = 0; i < n; i++) {
            pa[i] = swap[i] ? b[i]! : a[i]!;
            pb[i] = swap[i] ? a[i]! : b[i]!;
          }
          return formula(pa, gp) - formula(pb, gp);
        };
      };
    } else {
      stats = values.map(meanStat);
    }
    al.runs.forEach((_, r) => {
      const ci = bootstrapCi(n, stats[r]!, boot);
      perRun[r]!.push({ metric: m.id, estimate: ci.estimate, low: ci.low, high: ci.high, n });
    });
    const pairs: Omit<PairComparison, 'pAdjusted' | 'distinguishable' | 'sentence'>[] = [];
    al.runs.forEach((_, r) => {
      if (r === al.baseline) return;
      const sa = stats[r]!;
      const sb = stats[al.baseline]!;
      const a = values[r]!;
      const b = values[al.baseline]!;
      // Item means with no skipped items: the mean of per-item differences is the difference of means.
      const complete = !m.corpus && !a.some(Number.isNaN) && !b.some(Number.isNaN);
      const diff = complete ? bootstrapCi(n, meanStat(Float64Array.from(a, (v, i) => v - b[i]!)), boot) : bootstrapCi(n, (idx) => sa(idx) - sb(idx), boot);
      const isBinary = !m.corpus && [a, b].every((vs) => vs.every((v) => Number.isNaN(v) || v === 0 || v === m.scale));
      const base = { run: r, metric: m.id, n, diff: { estimate: diff.estimate, low: diff.low, high: diff.high } };
      if (isBinary) {
        let bb = 0;
        let cc = 0;
        for (let i = 0; i < n; i++) {
          if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) continue;
          const ra = a[i] === m.scale;
          const rb = b[i] === m.scale;
          // "Right" is the good end of the scale (0 for lower-is-better metrics).
          const goodA = m.higherIsBetter ? ra : !ra;
          const goodB = m.higherIsBetter ? rb : !rb;
          if (goodA && !goodB) bb++;
          else if (!goodA && goodB) cc++;
        }
        const t = mcnemarExact(bb, cc);
        pairs.push({ ...base, test: 'mcnemar-mid-p', p: t.pMid, b: bb, c: cc });
      } else {
        // Only items whose values differ move the statistic when swapped; the mean is still over
        // every item both runs scored. Exact enumeration then covers up to 16 differing items.
        let both = 0;
        const nonzero: number[] = [];
        for (let i = 0; i < n; i++) {
          if (Number.isNaN(a[i]!) || Number.isNaN(b[i]!)) continue;
          both++;
          if (a[i] !== b[i]) nonzero.push(a[i]! - b[i]!);
        }
        const d = Float64Array.from(nonzero);
        const t = swapStat
          ? pairedPermutationTest(n, swapStat(r), { resamples: PERMUTATIONS_CORPUS, seed: opts.seed, exactUpTo: 10 })
          : pairedPermutationTest(
              d.length,
              (swap) => {
                let s = 0;
                for (let j = 0; j < d.length; j++) s += swap[j] ? -d[j]! : d[j]!;
                return s / both;
              },
              { resamples: PERMUTATIONS_MEAN, seed: opts.seed },
            );
        pairs.push({ ...base, test: 'permutation', p: t.p, permutations: t.permutations, exact: t.exact });
      }
    });
    pairsByMetric.push(pairs);
  }

  const out: PairComparison[] = [];
  g.metrics.forEach((m, mi) => {
    const pairs = pairsByMetric[mi]!;
    const adjusted = holm(pairs.map((p) => p.p));
    pairs.forEach((p, j) => {
      const pAdj = adjusted[j]!;
      const distinguishable = Number.isFinite(p.diff.estimate) && pAdj < 0.05;
      const runName = al.runs[p.run]!.name;
      const baseName = al.runs[al.baseline]!.name;
      const test = p.test === 'mcnemar-mid-p' ? `McNemar mid-p (b = ${p.b}, c = ${p.c})` : `paired permutation test${p.exact ? ' (exact)' : ''}`;
      const pText = pairs.length > 1 ? `p = ${fmtP(p.p)}, Holm-adjusted ${fmtP(pAdj)}` : `p = ${fmtP(p.p)}`;
      const sentence =
        `${runName} vs ${baseName} on ${g.task}, ${m.displayName}: ${signed(p.diff.estimate, m.scale)} ` +
        `(95% CI ${signed(p.diff.low, m.scale)} to ${signed(p.diff.high, m.scale)}) over ${n} items; ${test}, ${pText}. ` +
        (distinguishable
          ? 'The difference is distinguishable from noise at this sample size.'
          : 'The difference is not distinguishable from noise at this sample size.');
      out.push({ ...p, pAdjusted: pAdj, distinguishable, sentence });
    });
  });
  return { key: g.key, perRun, pairs: out };
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export function compareStats(db: Db, given: AlignOptions & Partial<StatOptions>): CompareStatsResult {
  // Calls through the contract arrive with defaults filled; direct callers may leave them out.
  const opts = { ...given, resamples: given.resamples ?? DEFAULT_RESAMPLES, seed: given.seed ?? DEFAULT_SEED };
  const al = alignRuns(db, opts);
  return {
    baseline: al.baseline,
    level: LEVEL,
    resamples: opts.resamples,
    seed: opts.seed,
    groups: al.groups.map((g) => groupStats(db, al, g, opts)),
  };
}
