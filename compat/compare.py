#!/usr/bin/env python3
"""Compares two evaluation result directories (TFMA's and Fairbeam's) metric by metric.

Usage: compare.py TFMA_DIR FAIRBEAM_DIR [--rel 1e-9] [--auc 1e-6]
Exit status 0 when every key of every slice agrees, 1 otherwise (a table of differences is
printed). Verification only.
"""
import argparse
import glob
import math
import sys

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


def key_name(key):
    parts = [key.name]
    if key.model_name:
        parts.append("model=" + key.model_name)
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
    if kind == "debug_message":
        return {"": value.debug_message}
    return {"": str(value)}


def flatten_plot(data):
    """A PlotData as {suffix: float}."""
    out = {}
    for i, m in enumerate(data.confusion_matrix_at_thresholds.matrices):
        for field, v in m.ListFields():
            out[".matrices[%d].%s" % (i, field.name)] = v
    for i, b in enumerate(data.calibration_histogram_buckets.buckets):
        for field, v in b.ListFields():
            out[".buckets[%d].%s" % (i, field.name)] = getattr(v, "value", v)
    if data.debug_message:
        out[".debug_message"] = data.debug_message
    return out


def plot_key_name(key):
    parts = ["plot " + key.name]
    if key.model_name:
        parts.append("model=" + key.model_name)
    if key.HasField("example_weighted"):
        parts.append("weighted=%s" % key.example_weighted.value)
    return " ".join(parts)


def load(directory):
    result = {}
    for path in sorted(glob.glob(directory + "/plots*")):
        for record in tf.compat.v1.io.tf_record_iterator(path):
            plots = metrics_for_slice_pb2.PlotsForSlice.FromString(record)
            values = result.setdefault(slice_name(plots.slice_key), {})
            for kv in plots.plot_keys_and_values:
                for suffix, v in flatten_plot(kv.value).items():
                    values[plot_key_name(kv.key) + suffix] = v
            for k, v in plots.plots.items():
                values["plot " + k] = v.debug_message
    for path in sorted(glob.glob(directory + "/metrics*")):
        for record in tf.compat.v1.io.tf_record_iterator(path):
            metrics = metrics_for_slice_pb2.MetricsForSlice.FromString(record)
            name = slice_name(metrics.slice_key)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tfma")
    parser.add_argument("fairbeam")
    parser.add_argument("--rel", type=float, default=1e-9)
    parser.add_argument("--auc", type=float, default=1e-6)
    args = parser.parse_args()
    tfma_result, fairbeam_result = load(args.tfma), load(args.fairbeam)
    rows, compared = [], 0
    for name in sorted(set(tfma_result) | set(fairbeam_result)):
        a, b = tfma_result.get(name), fairbeam_result.get(name)
        if a is None or b is None:
            rows.append((name, "(slice)", "present" if a else "absent",
                         "present" if b else "absent"))
            continue
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                rows.append((name, key, a.get(key, "absent"), b.get(key, "absent")))
                continue
            tolerance = args.auc if key.startswith("auc") else args.rel
            compared += 1
            if not close(a[key], b[key], tolerance):
                rows.append((name, key, a[key], b[key]))
    print("compared %d values in %d slices" % (compared, len(tfma_result)))
    if rows:
        print("%-34s %-60s %-24s %-24s" % ("slice", "key", "TFMA", "Fairbeam"))
        for row in rows:
            print("%-34s %-60s %-24s %-24s" % tuple(str(x) for x in row))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
