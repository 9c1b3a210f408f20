#!/usr/bin/env python3
"""Computes Fairness Indicators and AUC for the shared Titanic and Adult data, independently of
Fairbeam (numpy + scikit-learn), and writes the expected values the Java tests compare against.

Usage (from the project root, with numpy, pandas and scikit-learn installed):
    python3 scripts/verify/expected_fairness.py ../shared/data pipeline/src/test/resources/io/fairbeam/expected

Conventions, as TFMA applies them to TFRecord input:
  * a score is stored as float32 in tf.Example, so predictions are rounded to float32 and then
    compared in float64 with the threshold: positive iff float64(float32(p)) > t (strict);
  * every rate is NaN when its denominator is zero;
  * metric keys are fairness_indicators_metrics/<rate>@<t>, with '%.*f' and as many digits as
    the longest str(t) - 2 among the thresholds (at least 1);
  * slice names are TFMA's: columns sorted, joined by _X_, then ':' and the values.
"""
import itertools
import json
import math
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, roc_auc_score

RATES = [
    "false_positive_rate", "false_negative_rate", "true_positive_rate", "true_negative_rate",
    "positive_rate", "negative_rate", "false_discovery_rate", "false_omission_rate",
    "precision", "recall",
]

CASES = {
    "titanic": dict(file="titanic.csv", label="survived", prediction="predicted", weight=None,
                    thresholds=[0.1, 0.3, 0.5, 0.7, 0.9],
                    slicings=[[], ["sex"], ["class"], ["sex", "class"]]),
    "adult": dict(file="adult.csv", label="income_gt_50k", prediction="predicted",
                  weight="fnlwgt", thresholds=[0.25, 0.5, 0.75],
                  slicings=[[], ["sex"], ["race"], ["sex", "race"]]),
}


def ratio(num, den):
    return float("nan") if den == 0 else num / den


def threshold_text(t, thresholds):
    digits = max(1, max(len(str(x)) - 2 for x in thresholds))
    return "%.*f" % (digits, t)


def rates(tp, fp, tn, fn):
    n = tp + fp + tn + fn
    return {
        "false_positive_rate": ratio(fp, fp + tn),
        "false_negative_rate": ratio(fn, fn + tp),
        "true_positive_rate": ratio(tp, tp + fn),
        "true_negative_rate": ratio(tn, tn + fp),
        "positive_rate": ratio(tp + fp, n),
        "negative_rate": ratio(tn + fn, n),
        "false_discovery_rate": ratio(fp, fp + tp),
        "false_omission_rate": ratio(fn, fn + tn),
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
    }


def auc_bucket_tolerance(labels, scores, weights):
    """Share of weighted (positive, negative) pairs whose scores are within two histogram buckets
    (2e-4) of each other: the only pairs TFMA's 10,000-bucket AUC may order differently from the
    exact AUC."""
    order = np.argsort(scores, kind="stable")
    s, y, w = scores[order], labels[order], weights[order]
    pos_w = np.where(y == 1, w, 0.0)
    neg_w = np.where(y == 1, 0.0, w)
    cum_pos = np.concatenate([[0.0], np.cumsum(pos_w)])
    cum_neg = np.concatenate([[0.0], np.cumsum(neg_w)])
    lo = np.searchsorted(s, s - 2e-4, side="left")
    hi = np.searchsorted(s, s + 2e-4, side="right")
    close = np.sum(pos_w * (cum_neg[hi] - cum_neg[lo]))
    total = pos_w.sum() * neg_w.sum()
    return float(close / total) if total > 0 else 0.0


def evaluate(data_dir, case):
    df = pd.read_csv(f"{data_dir}/{case['file']}")
    labels = df[case["label"]].to_numpy(dtype=np.float64)
    preds = df[case["prediction"]].to_numpy(dtype=np.float64).astype(np.float32).astype(np.float64)
    weights = (df[case["weight"]].to_numpy(dtype=np.float64) if case["weight"]
               else np.ones(len(df)))
    thresholds = case["thresholds"]
    out = []
    for columns in case["slicings"]:
        if columns:
            sorted_cols = sorted(columns)
            groups = df.dropna(subset=sorted_cols).groupby(sorted_cols, sort=True)
            members = [(("%s:%s" % ("_X_".join(sorted_cols),
                                      "_X_".join(str(v) for v in (key if isinstance(key, tuple)
                                                                  else (key,))))),
                        idx.to_numpy()) for key, idx in groups.groups.items()]
        else:
            members = [("Overall", np.arange(len(df)))]
        for name, idx in members:
            y, p, w = labels[idx], preds[idx], weights[idx]
            metrics = {}
            for t in thresholds:
                predicted = (p > t).astype(int)
                tn, fp, fn, tp = confusion_matrix(y.astype(int), predicted, labels=[0, 1],
                                                  sample_weight=w).ravel()
                values = rates(tp, fp, tn, fn)
                for rate in RATES:
                    key = "fairness_indicators_metrics/%s@%s" % (rate, threshold_text(t, thresholds))
                    v = values[rate]
                    metrics[key] = "NaN" if math.isnan(v) else float(v)
            both = len(np.unique(y)) == 2
            out.append({
                "slice": name,
                "example_count": int(len(idx)),
                "weighted_example_count": float(w.sum()),
                "metrics": metrics,
                "auc_exact": float(roc_auc_score(y, p, sample_weight=w)) if both else "NaN",
                "auc_tolerance": auc_bucket_tolerance(y, p, w) if both else 0.0,
            })
    return {"thresholds": thresholds, "slices": out}


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    for name, case in CASES.items():
        result = evaluate(data_dir, case)
        with open(f"{out_dir}/{name}.json", "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{name}: {len(result['slices'])} slices")


if __name__ == "__main__":
    main()
