#!/usr/bin/env python3
"""Recomputes Fairbeam's intervals of the titanic-ci and titanic-cross cases independently, with
numpy and scipy, for every slice and every cross-slice comparison (baseline - comparison, the
same replicate on both sides).

jackknife: the bucket of every record from the documented hash (SampleAssignment: FNV-1a of the
file name, SplitMix64, seed 0, 20 buckets; a TFRecord record is keyed by its byte offset), per-bucket confusion counts of every (sex, class) slice
and Overall at each threshold, the leave-one-bucket-out rates, TFMA's pseudo-values, standard
error and t bounds.
bootstrap: each record's Poisson(1) weight in each of 20 replicates from the documented hash
(inverse CDF of a SplitMix64 uniform), the weighted confusion counts of every replicate, the
replicate rates, their mean, standard deviation (ddof 1) and t bounds.

Every Fairness Indicators interval Fairbeam wrote must agree to 1e-9, and so must the intervals of
the metrics derived from per-example sums (titanic-ci-losses: the regression errors, cross entropy,
r² and Tjur's coefficient), recomputed from each bucket's sums of the terms in float64.

Usage: check_intervals.py TITANIC.tfrecord FAIRBEAM_RESULT_DIR [jackknife|bootstrap]
Verification only.
"""
import glob
import math
import os
import sys

import numpy as np
import tensorflow as tf
from scipy import stats
from tensorflow_model_analysis.proto import metrics_for_slice_pb2

MASK = (1 << 64) - 1
SAMPLES = 20
SEED = 0
THRESHOLDS = {"0.1": 0.1, "0.5": 0.5, "0.9": 0.9}


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & MASK
    return h


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def poisson_cdf():
    """P(X <= k) for X ~ Poisson(1), summed in doubles until it reaches 1."""
    p = math.exp(-1)
    total, cdf = p, [p]
    while total < 1 and len(cdf) < 32:
        p /= len(cdf)
        total += p
        cdf.append(total)
    return cdf


CDF = poisson_cdf()


def poisson_weight(h, replicate):
    u = (splitmix64((h + replicate) & MASK) >> 11) * 2.0 ** -53
    k = 0
    while k < len(CDF) - 1 and u >= CDF[k]:
        k += 1
    return k


def slice_of(slice_key):
    return tuple(sorted((s.column, s.bytes_value.decode()) for s in slice_key.single_slice_keys))


def rates(tp, fp, tn, fn):
    def ratio(a, b):
        return a / b if b != 0 else math.nan
    total = tp + fp + tn + fn
    return {
        "false_positive_rate": ratio(fp, fp + tn), "false_negative_rate": ratio(fn, fn + tp),
        "true_positive_rate": ratio(tp, tp + fn), "true_negative_rate": ratio(tn, tn + fp),
        "positive_rate": ratio(tp + fp, total), "negative_rate": ratio(tn + fn, total),
        "false_discovery_rate": ratio(fp, fp + tp), "false_omission_rate": ratio(fn, fn + tn),
        "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn),
    }


# The per-example sums behind the metrics of titanic-ci-losses.pbtxt, and each metric from them.
TERMS = ["w", "y", "p", "yy", "pp", "yp", "nyp", "ae", "se", "bce"]


def terms(label, score):
    y, p = float(label), float(score)
    return np.array([1.0, y, p, y * y, p * p, y * p, (1 - y) * p, abs(y - p), (y - p) ** 2,
                     -y * math.log(p) - (1 - y) * math.log(1 - p)])


def from_sums(name, s):
    t = dict(zip(TERMS, s))
    w = t["w"]
    if name == "squared_pearson_correlation":
        cov = t["yp"] - t["y"] * t["p"] / w
        var = (t["yy"] - t["y"] ** 2 / w) * (t["pp"] - t["p"] ** 2 / w)
        return cov * cov / var if var > 0 else math.nan
    if name == "coefficient_of_discrimination":
        negatives = w - t["y"]
        if t["y"] == 0 or negatives == 0:
            return math.nan
        return t["yp"] / t["y"] - t["nyp"] / negatives
    total = {"mean_absolute_error": "ae", "mean_squared_error": "se",
             "binary_crossentropy": "bce"}[name]
    return t[total] / w if w != 0 else math.nan


def main():
    data, result = sys.argv[1:3]
    method = sys.argv[3] if len(sys.argv) > 3 else "jackknife"
    source = splitmix64(SEED ^ fnv1a64(os.path.basename(data).encode("utf-8")))
    # counts[slice][threshold] = array [bucket, (tp, fp, tn, fn)]
    counts = {}
    sums = {}  # sums[slice] = array [bucket, term]
    offset = 0
    for record in tf.compat.v1.io.tf_record_iterator(data):
        # The record's byte offset: each record before it took a 12-byte header, its data and a
        # 4-byte footer.
        key = offset
        offset += 16 + len(record)
        example = tf.train.Example.FromString(record)
        feature = example.features.feature
        label = feature["survived"].int64_list.value[0]
        score = feature["predicted"].float_list.value[0]
        h = splitmix64((source + key) & MASK)
        if method == "jackknife":
            weights = np.zeros(SAMPLES)
            weights[h % SAMPLES] = 1
        else:
            weights = np.array([poisson_weight(h, r) for r in range(SAMPLES)], dtype=float)
        sex = ("sex", feature["sex"].bytes_list.value[0].decode())
        group = (("class", feature["class"].bytes_list.value[0].decode()), sex)
        for key in ((), (sex,), group):
            per_threshold = counts.setdefault(key, {t: np.zeros((SAMPLES, 4))
                                                    for t in THRESHOLDS})
            for text, t in THRESHOLDS.items():
                positive = score > t
                cell = (0 if positive else 3) if label == 1 else (1 if positive else 2)
                per_threshold[text][:, cell] += weights
            sums.setdefault(key, np.zeros((SAMPLES, len(TERMS))))
            sums[key] += np.outer(weights, terms(label, score))
    t_quantile = stats.t.ppf(0.975, SAMPLES - 1)
    checked, problems = 0, []
    for path in glob.glob(result + "/metrics-*"):
        for record in tf.compat.v1.io.tf_record_iterator(path):
            metrics = metrics_for_slice_pb2.MetricsForSlice.FromString(record)
            if metrics.HasField("cross_slice_key"):
                sides = [slice_of(metrics.cross_slice_key.baseline_slice_key),
                         slice_of(metrics.cross_slice_key.comparison_slice_key)]
            else:
                sides = [slice_of(metrics.slice_key)]
            for kv in metrics.metric_keys_and_values:
                name = kv.key.name
                from_terms = name in ("mean_absolute_error", "mean_squared_error",
                                      "binary_crossentropy", "squared_pearson_correlation",
                                      "coefficient_of_discrimination")
                if not name.startswith("fairness_indicators_metrics/") and not from_terms:
                    continue
                if not kv.HasField("confidence_interval"):
                    problems.append("%s %s: no interval" % (sides, name))
                    continue
                signs = [1.0, -1.0][:len(sides)]
                if not from_terms:
                    rate, text = name.split("/")[1].split("@")
                if from_terms:
                    point, left_out, replicates = 0.0, np.zeros(SAMPLES), np.zeros(SAMPLES)
                    for sign, side in zip(signs, sides):
                        buckets = sums[side]
                        total = buckets.sum(axis=0)
                        point += sign * from_sums(name, total)
                        left_out += sign * np.array([from_sums(name, total - buckets[b])
                                                     for b in range(SAMPLES)])
                        replicates += sign * np.array([from_sums(name, buckets[r])
                                                       for r in range(SAMPLES)])
                    if method == "jackknife":
                        pseudo = SAMPLES * point - (SAMPLES - 1) * left_out
                        error = np.std(pseudo, ddof=1) / math.sqrt(SAMPLES)
                        mean = np.mean(left_out)
                    else:
                        error = np.std(replicates, ddof=1)
                        mean = np.mean(replicates)
                elif method == "jackknife":
                    point, left_out = 0.0, np.zeros(SAMPLES)
                    for sign, side in zip(signs, sides):
                        buckets = counts[side][text]
                        total = buckets.sum(axis=0)
                        point += sign * rates(*total)[rate]
                        left_out += sign * np.array([rates(*(total - buckets[b]))[rate]
                                                     for b in range(SAMPLES)])
                    pseudo = SAMPLES * point - (SAMPLES - 1) * left_out
                    error = np.std(pseudo, ddof=1) / math.sqrt(SAMPLES)
                    mean = np.mean(left_out)
                else:
                    replicates = np.zeros(SAMPLES)
                    for sign, side in zip(signs, sides):
                        buckets = counts[side][text]
                        replicates += sign * np.array([rates(*buckets[r])[rate]
                                                       for r in range(SAMPLES)])
                    error = np.std(replicates, ddof=1)
                    mean = np.mean(replicates)
                expected = (mean - t_quantile * error, mean + t_quantile * error, error)
                key = " vs ".join(str(side) for side in sides)
                ci = kv.confidence_interval
                got = (ci.lower_bound.double_value.value, ci.upper_bound.double_value.value,
                       ci.standard_error.double_value.value)
                for e, g in zip(expected, got):
                    same = (math.isnan(e) and math.isnan(g)) or abs(e - g) <= 1e-9 * max(
                        1.0, abs(e))
                    if not same:
                        problems.append("%s %s: numpy %r, Fairbeam %r" % (key, name, e, g))
                checked += 1
    print("checked %d %s intervals of %d slices against numpy" % (checked, method, len(counts)))
    for problem in problems[:40]:
        print(problem)
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
