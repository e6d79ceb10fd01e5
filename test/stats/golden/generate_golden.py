"""Golden values for src/core/stats, from numpy / scipy / statsmodels / scikit-learn.

Run with Debian's interpreter (python3-scipy, python3-statsmodels, python3-sklearn):
    /usr/bin/python3 test/stats/golden/generate_golden.py > test/stats/golden/goldenValues.json

Bootstrap intervals are reproduced exactly by porting the app's mulberry32 stream (the
resample positions are floor(u * n)); scipy.stats.bootstrap gives an independent check
with its own generator, compared within Monte-Carlo tolerance.
"""
import json
import numpy as np
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from sklearn.metrics import f1_score


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return nxt


def resample_positions(n, resamples, seed):
    r = mulberry32(seed)
    return [[int(r() * n) for _ in range(n)] for _ in range(resamples)]


def pct_ci(dist, level=0.95):
    a = (1 - level) / 2
    return float(np.percentile(dist, 100 * a)), float(np.percentile(dist, 100 * (1 - a)))


rng = np.random.default_rng(7)
out = {}

# numpy's linear percentile
arr = rng.normal(size=37).round(6).tolist()
out['percentile'] = {'values': arr, 'q': [0, 0.025, 0.5, 0.975, 1], 'expected': [float(np.percentile(arr, 100 * q)) for q in [0, 0.025, 0.5, 0.975, 1]]}

# bootstrap CI of a mean: continuous scores and right/wrong
cont = rng.uniform(0, 1, size=50).round(4).tolist()
binary = [float(x) for x in (rng.uniform(size=40) < 0.6)]
boot = {}
for name, vals, seed in [('continuous', cont, 11), ('binary', binary, 20261207)]:
    pos = resample_positions(len(vals), 1000, seed)
    v = np.array(vals)
    dist = [v[p].mean() for p in pos]
    lo, hi = pct_ci(dist)
    sp = stats.bootstrap((v,), np.mean, n_resamples=100000, method='percentile', confidence_level=0.95, random_state=1)
    boot[name] = {'values': vals, 'seed': seed, 'resamples': 1000, 'estimate': float(v.mean()), 'low': lo, 'high': hi,
                  'scipyLow': float(sp.confidence_interval.low), 'scipyHigh': float(sp.confidence_interval.high)}
out['bootstrapMean'] = boot

# paired bootstrap of a difference of means
a = rng.uniform(0, 1, size=60).round(4)
b = np.clip(a - 0.05 + rng.normal(scale=0.1, size=60), 0, 1).round(4)
pos = resample_positions(60, 2000, 5)
dist = [a[p].mean() - b[p].mean() for p in pos]
lo, hi = pct_ci(dist)
sp = stats.bootstrap((a, b), lambda x, y: np.mean(x) - np.mean(y), paired=True, vectorized=False, n_resamples=20000, method='percentile', random_state=2)
out['pairedBootstrap'] = {'a': a.tolist(), 'b': b.tolist(), 'seed': 5, 'resamples': 2000, 'estimate': float(a.mean() - b.mean()), 'low': lo, 'high': hi,
                          'scipyLow': float(sp.confidence_interval.low), 'scipyHigh': float(sp.confidence_interval.high)}

# corpus metric: macro-F1 recomputed on each resample (labels = sorted distinct gold labels of the resample)
labels = ['yes', 'no', 'maybe']
gold = [labels[i] for i in rng.integers(0, 3, size=30)]
pred = [g if u < 0.7 else labels[int(k)] for g, u, k in zip(gold, rng.uniform(size=30), rng.integers(0, 3, size=30))]
def macro(ix):
    g = [gold[i] for i in ix]; p = [pred[i] for i in ix]
    return float(f1_score(g, p, labels=sorted(set(g)), average='macro', zero_division=0))
pos = resample_positions(30, 500, 99)
dist = [macro(p) for p in pos]
lo, hi = pct_ci(dist)
out['macroF1Bootstrap'] = {'gold': gold, 'pred': pred, 'seed': 99, 'resamples': 500, 'estimate': macro(range(30)), 'low': lo, 'high': hi}

# exact paired permutation test (sign flips of the differences), two-sided
perm = []
for n, seed in [(8, 1), (12, 2), (15, 3)]:
    r = np.random.default_rng(seed)
    x = r.uniform(size=n).round(3)
    y = (x - 0.1 + r.normal(scale=0.15, size=n)).round(3)
    res = stats.permutation_test((x, y), lambda u, v: np.mean(u - v), permutation_type='samples', n_resamples=np.inf, alternative='two-sided')
    perm.append({'a': x.tolist(), 'b': y.tolist(), 'observed': float(np.mean(x - y)), 'p': float(res.pvalue)})
out['permutationExact'] = perm

# a large sample: the seeded test must agree with scipy's Monte-Carlo test within its error
r = np.random.default_rng(4)
x = r.uniform(size=200).round(3); y = (x - 0.02 + r.normal(scale=0.2, size=200)).round(3)
res = stats.permutation_test((x, y), lambda u, v, axis=-1: np.mean(u - v, axis=axis), permutation_type='samples', n_resamples=100000, alternative='two-sided', vectorized=True, random_state=5)
out['permutationLarge'] = {'a': x.tolist(), 'b': y.tolist(), 'p': float(res.pvalue)}

# McNemar exact (statsmodels) and mid-p (scipy binomial)
mc = []
for b_, c_ in [(0, 0), (1, 0), (3, 9), (10, 10), (12, 3), (25, 40), (0, 7), (150, 120)]:
    res = mcnemar([[5, b_], [c_, 5]], exact=True)
    n = b_ + c_
    k = min(b_, c_)
    mid = 1.0 if n == 0 else min(1.0, 2 * stats.binom.cdf(k, n, 0.5) - stats.binom.pmf(k, n, 0.5))
    mc.append({'b': b_, 'c': c_, 'pExact': float(res.pvalue), 'pMid': float(mid)})
out['mcnemar'] = mc

print(json.dumps(out, indent=1))
