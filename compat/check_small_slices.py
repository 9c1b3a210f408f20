#!/usr/bin/env python3
"""Checks Fairbeam's decisions on small slices (issue 25) against a second implementation in
numpy/pandas over the raw rows, on ProPublica's COMPAS data (7,214 rows) sliced by race,
race x sex and age group, Fairness Indicators at 0.25/0.45/0.65, jackknife intervals on.

For every disparity of a Fairness Indicators rate in fairbeam_disparities.json:
- the tested slices are, among those with at least 10 examples behind the rate (its
  denominator), the pair whose gap Wilson's intervals (what Fairbeam ranks by) support best
  (largest lower bound of one minus smallest upper bound of another), and their counts are the
  rows' counts;
- each side's Clopper-Pearson interval (scipy's beta quantiles), Newcombe's interval of the
  difference (from Wilson's, closed form) and its p-value (the level at which it reaches 0, by
  brentq; times the pairs of tested slices) equal what is computed here, and Holm's adjustment over every p-value of the run
  gives adjusted_p_value and significant.
For every AUC disparity: the tested pair is the best supported among the slices with at least 10
positives and 10 negatives, each side's score interval (Hanley-McNeil's variance at the bound,
N = (m + n) / 2, solved by brentq over the rows' Mann-Whitney AUC), MOVER's difference and its
p-value (times the pairs) equal what is computed here.
Then the report's findings: no side rests on fewer than min_count examples behind its rate, no
rate interval leaves [0, 1] or has zero width, and the issue's three examples (a 4-example and
an 18-example slice made "significant" by zero-width jackknife intervals) are not supported.

Usage: check_small_slices.py COMPAS.csv FAIRBEAM_RESULT_DIR
(COMPAS.csv as compat/make_compas.py writes it: race, sex, age_cat, score = decile_score / 10,
two_year_recid.) Runs in compat's fairlearn environment (numpy, pandas, scipy). Verification only.
"""
import base64
import json
import math
import re
import sys

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import beta, norm

LEVEL = 0.95


def wilson(k, n, z):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def clopper_pearson(k, n):
    lower = 0.0 if k == 0 else beta.ppf((1 - LEVEL) / 2, k, n - k + 1)
    upper = 1.0 if k == n else beta.ppf(1 - (1 - LEVEL) / 2, k + 1, n - k)
    return lower, upper


def newcombe(k1, n1, k2, n2, z):
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    return (p1 - p2 - math.hypot(p1 - l1, u2 - p2), p1 - p2 + math.hypot(u1 - p1, p2 - l2))


def newcombe_p(k1, n1, k2, n2):
    """The p-value that inverts Newcombe's interval: where its bound nearer 0 reaches 0."""
    d = k1 / n1 - k2 / n2
    if d == 0:
        return 1.0

    def excess(z):
        lower, upper = newcombe(k1, n1, k2, n2, z)
        return lower if d > 0 else -upper

    return 2 * norm.sf(brentq(excess, 1e-12, 40, xtol=1e-14)) if excess(40) < 0 else 0.0


def auc_of(rows):
    """The rows' ROC AUC (Mann-Whitney, ties one half) and their positives and negatives."""
    score = rows["score"].to_numpy()
    label = rows["two_year_recid"].to_numpy() == 1
    pos, neg = score[label], score[~label]
    if len(pos) < 2 or len(neg) < 2:
        return None
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return greater / (len(pos) * len(neg)), len(pos), len(neg)


def auc_score(a, m, n, z):
    """The AUC's score interval: (a - t)^2 = z^2 V(t), V Hanley-McNeil's with N = (m + n) / 2."""
    half = (m + n) / 2

    def excess(t):
        v = t * (1 - t) / (m * n) * (1 + (half - 1) * ((1 - t) / (2 - t) + t / (1 + t)))
        return (a - t) ** 2 - z * z * v

    lower = 0.0 if a <= 0 else brentq(excess, 0, a, xtol=1e-14)
    upper = 1.0 if a >= 1 else brentq(excess, a, 1, xtol=1e-14)
    return lower, upper


def auc_mover(high, low, z):
    (a, m1, n1), (b, m2, n2) = high, low
    la, ua = auc_score(a, m1, n1, z)
    lb, ub = auc_score(b, m2, n2, z)
    return a - b - math.hypot(a - la, ub - b), a - b + math.hypot(ua - a, b - lb)


def auc_mover_p(high, low):
    d = high[0] - low[0]
    if d == 0:
        return 1.0

    def excess(z):
        lower, upper = auc_mover(high, low, z)
        return lower if d > 0 else -upper

    return 2 * norm.sf(brentq(excess, 1e-9, 40, xtol=1e-12)) if excess(40) < 0 else 0.0


def check_auc(d, frame, z, problems):
    """An AUC disparity: the best-supported pair of slices with >= 10 of each class, each side's
    score interval, MOVER's difference and the p-value that inverts it. True when checked."""
    features = d["featureKeys"]
    where = "auc by " + " x ".join(features)
    groups = []
    for values, rows in frame.groupby(features, sort=True):
        values = values if isinstance(values, tuple) else (values,)
        estimate = auc_of(rows)
        if estimate is not None and min(estimate[1], estimate[2]) >= 10:
            groups.append((tuple(zip(features, values)), estimate))
    if len(groups) < 2:
        if "test" in d:
            problems.append("%s: tested with %d slices" % (where, len(groups)))
        return False
    test = d.get("test")
    if test is None or test["method"] != "auc-score":
        problems.append("%s: no auc-score test" % where)
        return False
    bounds = {g: auc_score(*e, z) for g, e in groups}
    best_gap = max(bounds[a][0] - bounds[b][1] for a in bounds for b in bounds if a != b)
    by_slice = dict(groups)
    high, low = slice_of(test["high"]["slice"]), slice_of(test["low"]["slice"])
    if high not in by_slice or low not in by_slice:
        problems.append("%s: untested slices %r, %r" % (where, high, low))
        return False
    gap = max(bounds[high][0] - bounds[low][1], bounds[low][0] - bounds[high][1])
    if not close(gap, best_gap, 1e-8):
        problems.append("%s: the pair's supported gap %r is not the best, %r" % (
            where, gap, best_gap))
    for side, key in (("high", high), ("low", low)):
        v = test[side]["value"]
        if not (close(v["lowerBound"], bounds[key][0], 1e-8)
                and close(v["upperBound"], bounds[key][1], 1e-8)):
            problems.append("%s: %s side [%r, %r], want %r" % (
                where, side, v["lowerBound"], v["upperBound"], bounds[key]))
    lower, upper = auc_mover(by_slice[high], by_slice[low], z)
    diff = test["difference"]
    if not (close(diff["lowerBound"], max(-1, lower), 1e-8)
            and close(diff["upperBound"], min(1, upper), 1e-8)):
        problems.append("%s: MOVER [%r, %r], want [%r, %r]" % (
            where, diff["lowerBound"], diff["upperBound"], lower, upper))
    pairs = len(groups) * (len(groups) - 1) / 2
    want_p = min(1.0, pairs * auc_mover_p(by_slice[high], by_slice[low]))
    if not close(d["pValue"], want_p, 1e-6):
        problems.append("%s: p %r, want %r" % (where, d["pValue"], want_p))
    return True


def counts(rows, rate, threshold):
    """The numerator and denominator of a Fairness Indicators rate over rows."""
    predicted = rows["score"].to_numpy() > threshold
    label = rows["two_year_recid"].to_numpy() == 1
    tp = int(np.sum(predicted & label))
    fp = int(np.sum(predicted & ~label))
    tn = int(np.sum(~predicted & ~label))
    fn = int(np.sum(~predicted & label))
    return {
        "false_positive_rate": (fp, fp + tn),
        "false_negative_rate": (fn, fn + tp),
        "true_positive_rate": (tp, tp + fn),
        "recall": (tp, tp + fn),
        "true_negative_rate": (tn, tn + fp),
        "positive_rate": (tp + fp, len(rows)),
        "negative_rate": (tn + fn, len(rows)),
        "precision": (tp, tp + fp),
        "false_discovery_rate": (fp, tp + fp),
        "false_omission_rate": (fn, fn + tn),
    }[rate]


def slice_of(key):
    return tuple((s["column"], base64.b64decode(s["bytesValue"]).decode())
                 for s in key.get("singleSliceKeys", []))


def close(a, b, tolerance=1e-9):
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def main():
    data, result = sys.argv[1:3]
    frame = pd.read_csv(data)
    z = norm.ppf(1 - (1 - LEVEL) / 2)
    report = json.load(open(result + "/fairbeam_disparities.json"))
    disparities = report["disparities"]
    problems = []
    checked = 0
    auc_checked = 0
    for d in disparities:
        name = d["metricKey"]["name"]
        if name == "auc":
            auc_checked += check_auc(d, frame, z, problems)
            continue
        m = re.fullmatch(r"fairness_indicators_metrics/(\w+)@([0-9.]+)", name)
        if not m:
            continue
        rate, threshold = m.group(1), float(m.group(2))
        features = d["featureKeys"]
        groups = []
        for values, rows in frame.groupby(features, sort=True):
            values = values if isinstance(values, tuple) else (values,)
            k, n = counts(rows, rate, threshold)
            if n > 0:
                groups.append((tuple(zip(features, values)), k, n))
        tested = [g for g in groups if g[2] >= 10]
        where = "%s by %s" % (name, " x ".join(features))
        if len(tested) < 2:
            if "test" in d:
                problems.append("%s: tested with %d slices of >= 10" % (where, len(tested)))
            continue
        test = d.get("test")
        if test is None or test["method"] != "score":
            problems.append("%s: no score test" % where)
            continue
        bounds = [(g, wilson(g[1], g[2], z)) for g in tested]
        best_gap = max(a[1][0] - b[1][1] for a in bounds for b in bounds if a[0] != b[0])
        sides = {}
        for side in ("high", "low"):
            s = test[side]
            key = tuple(sorted(slice_of(s["slice"])))
            match = [g for g in tested if tuple(sorted(g[0])) == key]
            if not match:
                problems.append("%s: %s slice %s is not one with >= 10" % (where, side, key))
                continue
            _, k, n = match[0]
            sides[side] = (k, n)
            if not close(s["value"]["value"], k / n):
                problems.append("%s: %s value %r, want %r" % (where, side, s["value"]["value"],
                                                             k / n))
            if not close(s["count"], n):
                problems.append("%s: %s count %r, want %d" % (where, side, s["count"], n))
            lo, hi = clopper_pearson(k, n)
            if not (close(s["value"]["lowerBound"], lo, 1e-8)
                    and close(s["value"]["upperBound"], hi, 1e-8)):
                problems.append("%s: %s Clopper-Pearson [%r, %r], want [%r, %r]" % (
                    where, side, s["value"]["lowerBound"], s["value"]["upperBound"], lo, hi))
        if len(sides) < 2:
            continue
        (k1, n1), (k2, n2) = sides["high"], sides["low"]
        p1, p2 = k1 / n1, k2 / n2
        if p1 < p2:
            problems.append("%s: high %r below low %r" % (where, p1, p2))
        c1, d1 = wilson(k1, n1, z)
        c2, d2 = wilson(k2, n2, z)
        if not close(max(c1 - d2, c2 - d1), best_gap, 1e-8):
            problems.append("%s: the pair's supported gap %r is not the best, %r" % (
                where, max(c1 - d2, c2 - d1), best_gap))
        lower, upper = newcombe(k1, n1, k2, n2, z)
        diff = test["difference"]
        if not (close(diff["lowerBound"], max(-1, lower)) and close(diff["upperBound"],
                                                                      min(1, upper))):
            problems.append("%s: Newcombe [%r, %r], want [%r, %r]" % (
                where, diff["lowerBound"], diff["upperBound"], lower, upper))
        pairs = len(tested) * (len(tested) - 1) / 2
        want_p = min(1.0, pairs * newcombe_p(k1, n1, k2, n2))
        if not close(d["pValue"], want_p, 1e-7):
            problems.append("%s: p %r, want %r" % (where, d["pValue"], want_p))
        checked += 1
    # Holm over every disparity with a p-value.
    tested_ps = sorted((d["pValue"], i) for i, d in enumerate(disparities)
                       if isinstance(d.get("pValue"), (int, float)) and not math.isnan(d["pValue"]))
    running = 0.0
    for rank, (p, i) in enumerate(tested_ps):
        running = max(running, min(1.0, (len(tested_ps) - rank) * p))
        d = disparities[i]
        if not close(d["adjustedPValue"], running, 1e-7):
            problems.append("Holm: %s adjusted %r, want %r" % (
                d["metricKey"]["name"], d["adjustedPValue"], running))
        if d.get("significant", False) != (running < 1 - LEVEL):
            problems.append("Holm: %s significant %r" % (d["metricKey"]["name"],
                                                       d.get("significant")))
    # The report's findings.
    html = open(result + "/report.html", encoding="utf-8").read()
    data_json = re.search(r'<script type="application/json" id="fairbeam-data">(.*?)</script>',
                          html, re.S).group(1)
    findings = json.loads(data_json)["results"][0].get("findings", [])
    for f in findings:
        for side in (f["high"], f["low"]):
            if side.get("rateDenominator", 0) == 0:
                continue
            if side["rateDenominator"] < 10:
                problems.append("finding on %d examples: %s" % (side["rateDenominator"],
                                                               f["sentence"]))
            b = side["value"]["boundedValue"]
            if not (0 <= b["lowerBound"] < b["upperBound"] <= 1):
                problems.append("rate interval [%r, %r]: %s" % (b["lowerBound"], b["upperBound"],
                                                                 f["sentence"]))
    issue_examples = [
        ("precision@0.65", "race=Native American × sex=Female"),
        ("recall@0.25", "race=Native American"),
        ("false_positive_rate@0.45", "race=Native American"),
    ]
    for metric, label in issue_examples:
        for f in findings:
            labels = (f["high"]["label"], f["low"]["label"])
            if f["metric"].endswith("/" + metric) and label in labels and \
                    f["support"] == "significant":
                problems.append("the issue's example is still supported: " + f["sentence"])
    if problems:
        print("\n".join(problems[:40]))
        sys.exit(1)
    if auc_checked == 0:
        print("no AUC disparity was tested")
        sys.exit(1)
    print("checked: %d score-tested disparities against scipy (Clopper-Pearson, Newcombe, "
          "its p-value), %d AUC disparities (score intervals, MOVER, its p-value), "
          "Holm over %d p-values and %d findings (none on < 10 examples behind a rate)"
          % (checked, auc_checked, len(tested_ps), len(findings)))


if __name__ == "__main__":
    main()
