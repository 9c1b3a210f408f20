#!/usr/bin/env python3
"""Compares two evaluation result directories (TFMA's and Fairbeam's) metric by metric.

Usage: compare.py TFMA_DIR FAIRBEAM_DIR [--rel 1e-9] [--auc 1e-6] [--float32 1e-6]
Exit status 0 when every key of every slice agrees, 1 otherwise (a table of differences is
printed). Verification only. Cross entropies and the mean squared logarithmic error (keys
containing "crossentropy" or "logarithmic") are compared at --float32: TFMA 0.52 takes the
logarithms of scores with numpy in float32, the type of the scores it reads from a float_list,
while Fairbeam takes them in float64 (Titanic's mean binary cross entropy is
0.4532506176219327 in TFMA, 0.4532506167937659 in Fairbeam and in numpy over float64, and TFMA's
value is what numpy gives with float32 logarithms). So are the Keras metrics TFMA runs by a
class_name it does not register itself (Hinge, Poisson, RootMeanSquaredError, ...): TensorFlow
computes and sums them in float32.

With confidence intervals (both runs jackknife with 20 buckets, but TFMA assigns its buckets at
random and Fairbeam by a hash), the intervals are two independent estimates of the same
standard error, so they are compared statistically: the same keys carry intervals, with the same
degrees of freedom; each bound lies t quantile x SE from the centre with TFMA's t quantile (1e-6);
each standard error is within a factor of TFMA's that two independent estimates with 19 degrees
of freedom each exceed with probability 1e-4 over all the values of a case together (their squared
ratio follows F(19, 19); Bonferroni over the n values compared: a factor of 2.63 for one value,
3.5 for about a hundred, so that a case with many intervals does not fail by chance: a factor of
2.6 for each of the ~400 values of a CI run would fail about one run in 25 even for normal
replicates, and a rate with few examples behind it is skewed, which makes that worse); and the
median ratio over all values is within [0.75, 1.33] (a wrong sqrt(n) would put it near 4.5 or
0.22).
"""
import statistics
import argparse
import glob
import math
import sys

from scipy.stats import f as f_distribution

import tensorflow as tf
from tensorflow_model_analysis.proto import metrics_for_slice_pb2


def slice_name(slice_key):
    if not slice_key.single_slice_keys:
        return "Overall"
    columns, values = [], []
    for single in slice_key.single_slice_keys:
        columns.append(single.column)
        kind = single.WhichOneof("kind")
        value = getattr(single, kind)
        values.append(value.decode() if isinstance(value, bytes) else str(value))
    return "_X_".join(columns) + ":" + "_X_".join(values)


def record_name(record):
    """The slice of a MetricsForSlice or PlotsForSlice; a cross slice as 'baseline vs comparison'."""
    if record.HasField("cross_slice_key"):
        cross = record.cross_slice_key
        return "%s vs %s" % (slice_name(cross.baseline_slice_key),
                             slice_name(cross.comparison_slice_key))
    return slice_name(record.slice_key)


def sub_key_name(key):
    """A key's output name, TFMA's string form of its sub_key (classId:1, k:2, topK:3) and its
    aggregation type."""
    parts = []
    if key.output_name:
        parts.append("output=" + key.output_name)
    if key.HasField("sub_key"):
        sub = key.sub_key
        for field, label in (("class_id", "classId"), ("k", "k"), ("top_k", "topK")):
            if sub.HasField(field):
                parts.append("%s:%d" % (label, getattr(sub, field).value))
    if hasattr(key, "aggregation_type") and key.HasField("aggregation_type"):
        parts.append("aggregation=" + key.aggregation_type.WhichOneof("type"))
    return parts


def key_name(key):
    parts = [key.name]
    if key.model_name:
        parts.append("model=" + key.model_name)
    parts.extend(sub_key_name(key))
    if key.is_diff:
        parts.append("diff")
    if key.HasField("example_weighted"):
        parts.append("weighted=%s" % key.example_weighted.value)
    return " ".join(parts)


def flatten(value):
    """A metric value as {suffix: float or str}."""
    kind = value.WhichOneof("type")
    if kind == "double_value":
        return {"": value.double_value.value}
    if kind == "array_value":
        return {"[%d]" % i: v for i, v in enumerate(value.array_value.float64_values)}
    if kind == "confusion_matrix_at_thresholds":
        out = {}
        for i, m in enumerate(value.confusion_matrix_at_thresholds.matrices):
            for field, v in m.ListFields():
                out["[%d].%s" % (i, field.name)] = v
        return out
    if kind == "multi_class_confusion_matrix_at_thresholds":
        return flatten_multi_class(value.multi_class_confusion_matrix_at_thresholds)
    if kind == "debug_message":
        return {"": value.debug_message}
    return {"": str(value)}


def flatten_multi_class(matrices):
    """Multi-class confusion matrices as {"[threshold].actual>predicted": weight}."""
    out = {}
    for m in matrices.matrices:
        out["[%r].count" % m.threshold] = len(m.entries)
        for e in m.entries:
            out["[%r].%d>%d" % (m.threshold, e.actual_class_id, e.predicted_class_id)] = (
                e.num_weighted_examples)
    return out


def flatten_multi_label(matrices):
    """Multi-label confusion matrices as {"[threshold].actual>predicted.count": weight}."""
    out = {}
    for m in matrices.matrices:
        out["[%r].count" % m.threshold] = len(m.entries)
        for e in m.entries:
            for field in COUNT_FIELDS:
                out["[%r].%d>%d.%s" % (m.threshold, e.actual_class_id, e.predicted_class_id,
                                       field)] = getattr(e, field)
    return out


def flatten_plot(data):
    """A PlotData as {suffix: float}."""
    out = {}
    if data.HasField("multi_class_confusion_matrix_at_thresholds"):
        out.update(flatten_multi_class(data.multi_class_confusion_matrix_at_thresholds))
    if data.HasField("multi_label_confusion_matrix_at_thresholds"):
        out.update(flatten_multi_label(data.multi_label_confusion_matrix_at_thresholds))
    for i, m in enumerate(data.confusion_matrix_at_thresholds.matrices):
        for field, v in m.ListFields():
            out[".matrices[%d].%s" % (i, field.name)] = v
    for i, b in enumerate(data.calibration_histogram_buckets.buckets):
        for field, v in b.ListFields():
            out[".buckets[%d].%s" % (i, field.name)] = getattr(v, "value", v)
    if data.debug_message:
        out[".debug_message"] = data.debug_message
    return out


COUNT_FIELDS = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def flatten_interval(value, interval):
    """{suffix: (lower, upper, standard error)} of an interval, by the value's kind."""
    kind = value.WhichOneof("type")
    lower, upper, error = interval.lower_bound, interval.upper_bound, interval.standard_error
    if kind == "double_value":
        return {"": (lower.double_value.value, upper.double_value.value,
                     error.double_value.value)}
    if kind == "array_value":
        return {"[%d]" % i: (lower.array_value.float64_values[i],
                             upper.array_value.float64_values[i],
                             error.array_value.float64_values[i])
                for i in range(len(value.array_value.float64_values))}
    if kind == "confusion_matrix_at_thresholds":
        out = {}
        for i in range(len(value.confusion_matrix_at_thresholds.matrices)):
            for field in COUNT_FIELDS:
                out["[%d].%s" % (i, field)] = tuple(
                    getattr(b.confusion_matrix_at_thresholds.matrices[i], field)
                    for b in (lower, upper, error))
        return out
    return {}


def load_intervals(directory):
    """{(slice, key+suffix): (lower, upper, se, dof)} of every interval."""
    result = {}
    for path in sorted(glob.glob(directory + "/metrics*")):
        for record in tf.compat.v1.io.tf_record_iterator(path):
            metrics = metrics_for_slice_pb2.MetricsForSlice.FromString(record)
            name = record_name(metrics)
            for kv in metrics.metric_keys_and_values:
                if kv.HasField("confidence_interval"):
                    dof = kv.confidence_interval.degrees_of_freedom.value
                    for suffix, bounds in flatten_interval(
                            kv.value, kv.confidence_interval).items():
                        result[(name, key_name(kv.key) + suffix)] = bounds + (dof,)
    return result


CI_MISSING = "CI not computed because only"
MIN_EXAMPLES_FOR_SE = 100


def sampled_slices(result):
    """Slices where every jackknife sample had data, and slices of at least 100 examples."""
    complete, large = set(), set()
    for name, values in result.items():
        if not any(isinstance(v, str) and CI_MISSING in v for v in values.values()):
            complete.add(name)
        counts = [v for k, v in values.items()
                  if k.startswith("example_count") and " diff" not in k and isinstance(v, float)]
        if counts and min(counts) >= MIN_EXAMPLES_FOR_SE:
            large.add(name)
    return complete, large


def se_ratio_bound(n, family_alpha=1e-4, dof=19):
    """The factor two independent SE estimates (dof each) exceed, in either direction, with
    probability family_alpha over n comparisons (Bonferroni)."""
    return math.sqrt(f_distribution.ppf(1 - family_alpha / (2 * n), dof, dof))


def compare_intervals(tfma_dir, fairbeam_dir, tfma_result, fairbeam_result, rows):
    """Appends to rows what disagrees; returns (values compared, median SE ratio or None).

    Which samples a small slice's few examples fall in is chance (TFMA's random buckets against
    Fairbeam's hash), so whether a slice has all 20 samples is only compared where both have
    them, and standard errors only for slices of at least 100 examples, where the F(19, 19)
    argument holds.
    """
    a, b = load_intervals(tfma_dir), load_intervals(fairbeam_dir)
    complete_a, large = sampled_slices(tfma_result)
    complete_b, _ = sampled_slices(fairbeam_result)
    both = complete_a & complete_b
    a = {k: v for k, v in a.items() if k[0] in both}
    b = {k: v for k, v in b.items() if k[0] in both}
    for key in sorted(set(a) ^ set(b)):
        rows.append((key[0], key[1] + " interval", "present" if key in a else "absent",
                     "present" if key in b else "absent"))
    ratios, unpaired = [], []
    outliers = []  # (ratio, row) of each standard error compared, judged once all are counted
    for key in sorted(set(a) & set(b)):
        (la, ua, sa, da), (lb, ub, sb, db) = a[key], b[key]
        if " vs " in key[0]:
            # TFMA draws its buckets (or Poisson weights) after slicing, independently for each
            # slice, so its cross-slice intervals are unpaired: its SE estimates
            # sqrt(SE(baseline)^2 + SE(comparison)^2). Fairbeam's are paired (the same replicate on
            # both sides, recomputed exactly by check_intervals.py); TFMA's SE is checked against
            # the unpaired combination of Fairbeam's single-slice SEs.
            baseline, comparison = key[0].split(" vs ")
            sides = [b.get((baseline, key[1])), b.get((comparison, key[1]))]
            if da != db:
                rows.append((key[0], key[1] + " dof", da, db))
            if (None in sides or baseline not in large or comparison not in large
                    or not math.isfinite(sa) or sa <= 1e-12):
                continue
            expected = math.sqrt(sides[0][2] ** 2 + sides[1][2] ** 2)
            if expected <= 1e-12:
                continue
            ratio = expected / sa
            unpaired.append(ratio)
            outliers.append((ratio, (key[0], key[1] + " unpaired SE", sa, expected)))
            continue
        if da != db:
            rows.append((key[0], key[1] + " dof", da, db))
        if not all(map(math.isfinite, (la, ua, sa, lb, ub, sb))) or sa <= 1e-12 or sb <= 1e-12:
            continue
        if key[0] not in large:
            continue
        qa, qb = (ua - la) / (2 * sa), (ub - lb) / (2 * sb)
        if abs(qa - qb) > 1e-6 * qa:
            rows.append((key[0], key[1] + " t quantile", qa, qb))
        ratio = sb / sa
        ratios.append(ratio)
        outliers.append((ratio, (key[0], key[1] + " SE", sa, sb)))
    if outliers:
        bound = se_ratio_bound(len(outliers))
        rows.extend(row for ratio, row in outliers if not 1 / bound <= ratio <= bound)
    median = statistics.median(ratios) if ratios else None
    if median is not None and not 0.75 <= median <= 1.33:
        rows.append(("(all)", "median SE ratio Fairbeam/TFMA", 1.0, median))
    if unpaired:
        median_unpaired = statistics.median(unpaired)
        print("cross slices: %d TFMA standard errors against the unpaired combination of"
              " Fairbeam's, median ratio %.3f" % (len(unpaired), median_unpaired))
        if not 0.75 <= median_unpaired <= 1.33:
            rows.append(("(all)", "median unpaired cross-slice SE ratio", 1.0, median_unpaired))
    return len(ratios), median


def plot_key_name(key):
    parts = ["plot " + key.name]
    if key.model_name:
        parts.append("model=" + key.model_name)
    parts.extend(sub_key_name(key))
    if key.HasField("example_weighted"):
        parts.append("weighted=%s" % key.example_weighted.value)
    return " ".join(parts)


def load(directory):
    result = {}
    for path in sorted(glob.glob(directory + "/plots*")):
        for record in tf.compat.v1.io.tf_record_iterator(path):
            plots = metrics_for_slice_pb2.PlotsForSlice.FromString(record)
            values = result.setdefault(record_name(plots), {})
            for kv in plots.plot_keys_and_values:
                for suffix, v in flatten_plot(kv.value).items():
                    values[plot_key_name(kv.key) + suffix] = v
            for k, v in plots.plots.items():
                values["plot " + k] = v.debug_message
    for path in sorted(glob.glob(directory + "/metrics*")):
        for record in tf.compat.v1.io.tf_record_iterator(path):
            metrics = metrics_for_slice_pb2.MetricsForSlice.FromString(record)
            name = record_name(metrics)
            values = result.setdefault(name, {})
            for kv in metrics.metric_keys_and_values:
                for suffix, v in flatten(kv.value).items():
                    values[key_name(kv.key) + suffix] = v
            for k, v in metrics.metrics.items():
                values[k] = v.debug_message
    return result


def close(a, b, tolerance):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def keras_metric_names(tfma_dir):
    """The key names of the metrics TFMA ran through Keras: class names TFMA does not register,
    named by their config or by TFMA's snake case of the class name."""
    import json
    import re
    from tensorflow_model_analysis.metrics import metric_types
    with open(tfma_dir + "/eval_config.json") as f:
        config = json.load(f)["evalConfig"]
    registered = metric_types.registered_metrics()
    names = set()
    for spec in config.get("metricsSpecs", []):
        for metric in spec.get("metrics", []):
            class_name = metric["className"]
            if class_name in registered:
                continue
            arguments = json.loads(metric.get("config") or "{}")
            default = re.sub("([a-z])([A-Z])", r"\1_\2",
                             re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", class_name)).lower()
            names.add(arguments.get("name", default))
    return names


def float32_sum_names(tfma_dir):
    """The key names of TFMA's unweighted Means: TFMA sums a float32 feature into a float32 total
    (a Python float weight of 1 does not widen it under NumPy 2), so its mean carries a relative
    error of about n * 2**-24 for n examples; Fairbeam sums in double precision."""
    import json
    with open(tfma_dir + "/eval_config.json") as f:
        config = json.load(f)["evalConfig"]
    names = set()
    for spec in config.get("metricsSpecs", []):
        for metric in spec.get("metrics", []):
            if metric["className"] != "Mean":
                continue
            arguments = json.loads(metric.get("config") or "{}")
            if arguments.get("example_weights_key_path"):
                continue
            path = arguments.get("feature_key_path", [])
            names.add(arguments.get("name", "mean_" + ".".join(path)))
    return names


MICRO = " aggregation=micro_average"


def match_collapsed_keys(tfma_result, fairbeam_result, tolerance):
    """Matches the keys TFMA 0.52 collapses: a metric TFMA keys without its micro average's
    aggregation_type (a binary cross entropy) whose name another metric of the config has (its
    default multi-class specs name a sparse categorical cross entropy "loss" too). TFMA writes the
    micro average's value under the shared key; Fairbeam keys the micro average apart. Where
    TFMA's value is Fairbeam's micro average, the two are compared and Fairbeam's other metric,
    which TFMA lost, is left out. Returns the keys so matched."""
    matched = set()
    for name, fairbeam in fairbeam_result.items():
        tfma = tfma_result.get(name)
        if tfma is None:
            continue
        for key in list(fairbeam):
            base = key.replace(MICRO, "")
            if (MICRO in key and key not in tfma and base in tfma and base in fairbeam
                    and close(tfma[base], fairbeam[key], tolerance)):
                tfma[key] = tfma.pop(base)
                del fairbeam[base]
                matched.add(base)
    return matched


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tfma")
    parser.add_argument("fairbeam")
    parser.add_argument("--rel", type=float, default=1e-9)
    parser.add_argument("--auc", type=float, default=1e-6)
    parser.add_argument("--float32", type=float, default=1e-6)
    parser.add_argument("--float32-sum", type=float, default=1e-5)
    args = parser.parse_args()
    tfma_result, fairbeam_result = load(args.tfma), load(args.fairbeam)
    collapsed = match_collapsed_keys(tfma_result, fairbeam_result, args.float32)
    keras_names = keras_metric_names(args.tfma)
    float32_sums = float32_sum_names(args.tfma)
    rows, compared = [], 0
    for name in sorted(set(tfma_result) | set(fairbeam_result)):
        a, b = tfma_result.get(name), fairbeam_result.get(name)
        if a is None or b is None:
            rows.append((name, "(slice)", "present" if a else "absent",
                         "present" if b else "absent"))
            continue
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                if key.startswith("__ERROR__") and CI_MISSING in str(a.get(key, b.get(key))):
                    continue  # which slices lack samples is chance, see compare_intervals
                rows.append((name, key, a.get(key, "absent"), b.get(key, "absent")))
                continue
            tolerance = (args.auc if key.startswith("auc")
                         else args.float32_sum if key.split(" ")[0] in float32_sums
                         else args.float32 if "crossentropy" in key or "logarithmic" in key
                         or key.split(" ")[0] in keras_names
                         else args.rel)
            if key.startswith("__ERROR__") and CI_MISSING in str(a[key]) + str(b[key]):
                continue  # which slices lack samples is chance, see compare_intervals
            compared += 1
            if not close(a[key], b[key], tolerance):
                rows.append((name, key, a[key], b[key]))
    intervals, median = compare_intervals(
        args.tfma, args.fairbeam, tfma_result, fairbeam_result, rows)
    for key in sorted(collapsed):
        print("TFMA wrote one value for two metrics keyed %s; it is Fairbeam's micro average"
              % key)
    print("compared %d values in %d slices" % (compared, len(tfma_result))
          + ("" if median is None else
             "; %d standard errors, median ratio Fairbeam/TFMA %.3f" % (intervals, median)))
    if rows:
        print("%-34s %-60s %-24s %-24s" % ("slice", "key", "TFMA", "Fairbeam"))
        for row in rows:
            print("%-34s %-60s %-24s %-24s" % tuple(str(x) for x in row))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
