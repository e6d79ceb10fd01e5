"""Golden agreement numbers for test/annotations/agreement.test.ts, from the reference
implementations: scikit-learn's cohen_kappa_score and statsmodels' fleiss_kappa.
Run: /usr/bin/python3 test/annotations/golden/kappa.py > test/annotations/golden/kappa.json"""
import json
import random
import sklearn
import statsmodels
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

rng = random.Random(20261207)
cats = ["correct", "partly", "incorrect"]
cases = []
for n, raters, skew in [(10, 2, 0.0), (50, 2, 0.5), (200, 2, 0.8), (30, 3, 0.0), (80, 4, 0.6), (25, 5, 0.3), (40, 3, 0.9)]:
    truth = [rng.choice(cats) for _ in range(n)]
    ratings = []
    for i in range(n):
        # Each reviewer agrees with a hidden truth with probability `skew`, else picks at random.
        ratings.append([truth[i] if rng.random() < skew else rng.choice(cats) for _ in range(raters)])
    case = {"ratings": ratings, "raters": raters}
    if raters == 2:
        case["cohen"] = float(cohen_kappa_score([r[0] for r in ratings], [r[1] for r in ratings]))
    table, _ = aggregate_raters(ratings)
    case["fleiss"] = float(fleiss_kappa(table, method="fleiss"))
    cases.append(case)
# Binary tag presence, as the tag statistics use it.
tag = [["yes" if rng.random() < 0.3 else "no", None] for _ in range(60)]
for t in tag:
    t[1] = t[0] if rng.random() < 0.7 else ("no" if t[0] == "yes" else "yes")
cases.append({"ratings": tag, "raters": 2, "cohen": float(cohen_kappa_score([t[0] for t in tag], [t[1] for t in tag])),
              "fleiss": float(fleiss_kappa(aggregate_raters(tag)[0], method="fleiss"))})
print(json.dumps({"sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__, "cases": cases}))
