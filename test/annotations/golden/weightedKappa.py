"""Golden weighted-kappa numbers for test/annotations/agreement.test.ts: severity (none < mild <
moderate < severe) is ordinal, so disagreeing by one step costs less than by three. Reference:
scikit-learn's cohen_kappa_score(weights='linear'|'quadratic') with the labels in severity order
(its default order is alphabetical, which would make 'mild' and 'severe' neighbours).
For three or more reviewers the app reports the mean over reviewer pairs; the cases here give it too.
Run: /usr/bin/python3 test/annotations/golden/weightedKappa.py > test/annotations/golden/weightedKappa.json"""
import itertools
import json
import random
import sklearn
from sklearn.metrics import cohen_kappa_score

ORDER = ["none", "mild", "moderate", "severe"]
rng = random.Random(20261207)


def pair(a, b, w):
    return float(cohen_kappa_score(a, b, labels=ORDER, weights=w))


cases = []
for n, raters, noise in [(12, 2, 0.0), (40, 2, 0.4), (150, 2, 0.8), (30, 3, 0.5), (60, 4, 0.3)]:
    truth = [rng.randrange(4) for _ in range(n)]
    ratings = []
    for i in range(n):
        unit = []
        for _ in range(raters):
            # A reviewer is off by one step with probability `noise`, by a random amount 10% of the time.
            v = truth[i]
            if rng.random() < noise:
                v = min(3, max(0, v + rng.choice([-1, 1])))
            if rng.random() < 0.1:
                v = rng.randrange(4)
            unit.append(ORDER[v])
        ratings.append(unit)
    case = {"ratings": ratings, "raters": raters}
    for w in ["linear", "quadratic"]:
        pairs = [pair([u[i] for u in ratings], [u[j] for u in ratings], w) for i, j in itertools.combinations(range(raters), 2)]
        case[w] = sum(pairs) / len(pairs)
    cases.append(case)
# Categories left unused still count for distance: only 'none' and 'severe' are used here.
ends = [["none", "severe"], ["none", "none"], ["severe", "severe"], ["severe", "none"], ["none", "none"], ["severe", "severe"]]
cases.append({"ratings": ends, "raters": 2, "linear": pair([u[0] for u in ends], [u[1] for u in ends], "linear"),
              "quadratic": pair([u[0] for u in ends], [u[1] for u in ends], "quadratic")})
print(json.dumps({"sklearn": sklearn.__version__, "order": ORDER, "cases": cases}))
