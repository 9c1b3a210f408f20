#!/usr/bin/env python3
"""Checks Fairbeam's group disparities (fairbeam_disparities.json) against fairlearn 0.15's
MetricFrame on the same data: for every disparity Fairbeam wrote for a Fairness Indicators rate or
mean_label, MetricFrame over the same sensitive features (one column, or several for a
multi-feature spec) must give the same group_max, group_min, difference() (between groups),
ratio() and difference(method="to_overall"), to 1e-9.

Usage: check_disparities.py DATA.csv LABEL PREDICTION FAIRBEAM_RESULT_DIR [WEIGHT]
Runs in its own pinned environment (compat/fairlearn-requirements.lock). Verification only.
"""
import base64
import json
import math
import sys

import numpy as np
import pandas as pd
from fairlearn import metrics as fm
from sklearn.metrics import precision_score


def rate_metric(name):
    """The fairlearn or scikit-learn function of a Fairness Indicators rate, on y_pred = s > t."""
    def precision(y, p, sample_weight):
        return precision_score(y, p, sample_weight=sample_weight, zero_division=np.nan)

    def omission(y, p, sample_weight):
        negatives = np.sum(sample_weight * (p == 0))
        return np.sum(sample_weight * ((p == 0) & (y == 1))) / negatives if negatives else np.nan

    return {
        "false_positive_rate": fm.false_positive_rate,
        "false_negative_rate": fm.false_negative_rate,
        "true_positive_rate": fm.true_positive_rate,
        "true_negative_rate": fm.true_negative_rate,
        "recall": fm.true_positive_rate,
        "positive_rate": lambda y, p, sample_weight: fm.selection_rate(
            y, p, sample_weight=sample_weight),
        "negative_rate": lambda y, p, sample_weight: 1 - fm.selection_rate(
            y, p, sample_weight=sample_weight),
        "precision": precision,
        "false_discovery_rate": lambda y, p, sample_weight: 1 - precision(y, p, sample_weight),
        "false_omission_rate": omission,
    }.get(name)


def slice_text(key):
    return ", ".join("%s=%s" % (s["column"], base64.b64decode(s["bytesValue"]).decode())
                     for s in key.get("singleSliceKeys", []))


def close(a, b):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    data, label, prediction, result = sys.argv[1:5]
    frame = pd.read_csv(data)
    weights = (frame[sys.argv[5]].to_numpy(dtype=float) if len(sys.argv) > 5
               else np.ones(len(frame)))
    y = frame[label].to_numpy()
    scores = frame[prediction].to_numpy()
    with open(result + "/fairbeam_disparities.json") as f:
        report = json.load(f)
    checked, problems = 0, []
    for d in report["disparities"]:
        name = d["metricKey"]["name"]
        if name == "mean_label":
            metric, y_pred = (lambda yt, yp, sample_weight: float(
                np.sum(sample_weight * yt) / np.sum(sample_weight))), scores
        elif name.startswith("fairness_indicators_metrics/"):
            rate, threshold = name.split("/")[1].split("@")
            metric, y_pred = rate_metric(rate), (scores > float(threshold)).astype(int)
            if metric is None:
                continue
        else:
            continue
        features = frame[d["featureKeys"]] if len(d["featureKeys"]) > 1 \
            else frame[d["featureKeys"][0]]
        mf = fm.MetricFrame(metrics=metric, y_true=y, y_pred=y_pred, sensitive_features=features,
                            sample_params={"sample_weight": weights})
        by_group = mf.by_group.dropna()
        ours = {
            # Protobuf JSON leaves out zeros.
            "group_max": d.get("maxValue", 0.0), "group_min": d.get("minValue", 0.0),
            "difference": d["difference"].get("value", 0.0),
            "ratio": d["ratio"].get("value", 0.0),
            "difference_to_overall": d["differenceToOverall"].get("value", 0.0),
        }
        theirs = {
            "group_max": float(by_group.max()), "group_min": float(by_group.min()),
            "difference": float(mf.difference()), "ratio": float(mf.ratio()),
            "difference_to_overall": float(mf.difference(method="to_overall")),
        }
        if len(by_group) != d["sliceCount"]:
            problems.append("%s by %s: fairlearn %d groups, Fairbeam %d slices"
                            % (name, d["featureKeys"], len(by_group), d["sliceCount"]))
        for statistic in ours:
            checked += 1
            if not close(float(ours[statistic]), theirs[statistic]):
                problems.append("%s by %s %s: fairlearn %r, Fairbeam %r (max %s, min %s)" % (
                    name, d["featureKeys"], statistic, theirs[statistic], ours[statistic],
                    slice_text(d["maxSlice"]), slice_text(d["minSlice"])))
    print("checked %d disparity statistics of %d disparities against fairlearn's MetricFrame"
          % (checked, len(report["disparities"])))
    for problem in problems[:40]:
        print(problem)
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
