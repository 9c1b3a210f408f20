#!/usr/bin/env python3
"""Checks that TFMA's own readers open Fairbeam's output as they open TFMA's: load_eval_result
and load_validation_result succeed, slice names are equal, and the viewer's data conversion
(tfma.view.util.get_slicing_metrics, per slicing column and for Overall, and
get_plot_data_and_config for the Overall plots) yields the same data for both. TFMA and
fairness-indicators 0.52 no longer ship the Fairness Indicators widget's own conversion; these
are the functions their remaining viewers call. With confidence intervals, the viewer's bounds
(boundedValue lowerBound/upperBound) must be present on the same metrics and both finite or both
not (unless one side's is undefined and the other's has no width: a metric with so few events that
a replicate can lose them all, which depends on the partition); their values come from TFMA's random buckets and Fairbeam's hashed ones, and compare.py
compares them statistically. Verification only.

Usage: check_loading.py TFMA_DIR FAIRBEAM_DIR
"""
import math
import sys

import tensorflow_model_analysis as tfma
from tensorflow_model_analysis.slicer import slicer_lib
from tensorflow_model_analysis.view import util as view_util


def bounds_finite(bounded):
    return all(math.isfinite(float(bounded.get(k, "nan"))) for k in ("lowerBound", "upperBound"))


def same(a, b, path, problems):
    if (isinstance(a, dict) and isinstance(b, dict) and path.endswith("/boundedValue")
            and bounds_finite(a) != bounds_finite(b)):
        # One side's interval is undefined: a replicate lost every example the metric's
        # denominator counts (TFMA leaves a random 1/20 out, Fairbeam a hashed one). Only a
        # metric with that few events can do so, and then every other replicate gives the same
        # value: the finite side's interval must have no width.
        finite = b if bounds_finite(b) else a
        if float(finite["lowerBound"]) != float(finite["upperBound"]):
            problems.append("%s: TFMA %r, Fairbeam %r" % (path, a, b))
        same(a.get("value"), b.get("value"), path + "/value", problems)
        return
    if isinstance(a, dict) and isinstance(b, dict):
        match_collapsed_keys(a, b)
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                problems.append("%s/%s: only in %s" % (path, key, "TFMA" if key in a else
                                                       "Fairbeam"))
            else:
                same(a[key], b[key], path + "/" + str(key), problems)
    elif isinstance(a, list) and isinstance(b, list):
        # Plot points: element by element, so sums of weights added in another order (TFMA's and
        # Fairbeam's) are compared with the tolerance below rather than exactly.
        if len(a) != len(b):
            problems.append("%s: TFMA has %d items, Fairbeam %d" % (path, len(a), len(b)))
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                same(x, y, "%s[%d]" % (path, i), problems)
    elif (isinstance(a, float) and isinstance(b, float)
          and path.endswith(("/lowerBound", "/upperBound"))):
        if math.isfinite(a) != math.isfinite(b):
            problems.append("%s: TFMA %r, Fairbeam %r" % (path, a, b))
    elif isinstance(a, float) and isinstance(b, float):
        # Loose enough for TFMA's float32 sums (its Mean); compare.py checks each value closely.
        if not (a == b or (math.isnan(a) and math.isnan(b))
                or abs(a - b) <= 1e-5 * max(1.0, abs(a), abs(b))):
            problems.append("%s: TFMA %r, Fairbeam %r" % (path, a, b))
    elif a != b:
        problems.append("%s: TFMA %r, Fairbeam %r" % (path, a, b))


MICRO = "micro_average: true\n_"


def match_collapsed_keys(a, b):
    """As compare.py's match_collapsed_keys, for the viewer's names: where TFMA wrote one value
    for two metrics of one name (its default multi-class specs' two "loss"), TFMA's value is
    compared with Fairbeam's micro average, which Fairbeam names apart, and Fairbeam's other
    metric, which TFMA lost, is left out."""
    for key in [k for k in b if isinstance(k, str) and k.startswith(MICRO) and k not in a]:
        base = key[len(MICRO):]
        if base in a and base in b and isinstance(a[base], dict) and isinstance(b[key], dict):
            problems = []
            same(a[base], b[key], "", problems)
            if not problems:
                a[key] = a.pop(base)
                del b[base]


def name(key):
    if slicer_lib.is_cross_slice_key(key):
        return "%s vs %s" % (slicer_lib.stringify_slice_key(key[0]),
                             slicer_lib.stringify_slice_key(key[1]))
    return slicer_lib.stringify_slice_key(key)


def single(result):
    return [(k, v) for k, v in result.slicing_metrics if not slicer_lib.is_cross_slice_key(k)]


def main():
    tfma_dir, fairbeam_dir = sys.argv[1:3]
    tfma_result = tfma.load_eval_result(tfma_dir)
    fairbeam_result = tfma.load_eval_result(fairbeam_dir)
    tfma.load_validation_result(fairbeam_dir)
    problems = []
    tfma_names = sorted(name(k) for k, _ in tfma_result.slicing_metrics)
    fairbeam_names = sorted(name(k) for k, _ in fairbeam_result.slicing_metrics)
    if tfma_names != fairbeam_names:
        problems.append("slice names differ: TFMA %s, Fairbeam %s" % (tfma_names, fairbeam_names))
    columns = sorted({column for key, _ in tfma_result.slicing_metrics
                      if not slicer_lib.is_cross_slice_key(key) and len(key) == 1
                      for column, _ in key})
    for column in [None] + columns:
        # TFMA's viewer conversion fails on cross-slice keys, its own included: single slices only.
        a = view_util.get_slicing_metrics(single(tfma_result), slicing_column=column)
        b = view_util.get_slicing_metrics(single(fairbeam_result), slicing_column=column)
        key = lambda item: item["slice"]
        same({x["slice"]: x["metrics"] for x in sorted(a, key=key)},
             {x["slice"]: x["metrics"] for x in sorted(b, key=key)},
             "viewer[%s]" % (column or "Overall"), problems)
    plots_checked = 0
    if any(plots for _, plots in tfma_result.plots):
        overall = slicer_lib.SingleSliceSpec()
        # A multi-output model's plots are keyed by output: the viewer asks for one at a time.
        outputs = sorted({output for key, plots in tfma_result.plots if key == ()
                          for output in plots})
        for output in outputs:
            a = view_util.get_plot_data_and_config(tfma_result.plots, overall, output or None)
            b = view_util.get_plot_data_and_config(fairbeam_result.plots, overall, output or None)
            same({"data": a[0], "config": a[1]}, {"data": b[0], "config": b[1]},
                 "plots[Overall%s]" % (" " + output if output else ""), problems)
        plots_checked = len(outputs)
    print("TFMA loaded Fairbeam's result: %d slices, %d slicing columns checked in the viewer"
          " conversion, %d plot sets" % (len(fairbeam_names), len(columns) + 1, plots_checked))
    for problem in problems[:50]:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
