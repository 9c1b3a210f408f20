#!/usr/bin/env python3
"""Compares the validations.tfrecord of TFMA and of Fairbeam for the same inputs and thresholds:
validation_ok, missing_thresholds, rubber_stamp, the set of failures (slice, metric key, threshold,
and whether the metric was not found), missing_slices and missing_cross_slices must agree, both read
by TFMA's own tfma.load_validation_result. Two documented differences are allowed, each only where
it is what explains the difference (see the README's "Gating a model in CI"): TFMA files every
check of a cross slice under the Overall spec, so it reports every cross-slicing spec of a threshold
as missing and fails the run. Fairbeam reports one only when no cross slice was checked for it: a
spec TFMA lists and Fairbeam does not must appear in Fairbeam's validation_details as checked, and
validation_ok may then differ only if Fairbeam has no failure at all.

TFMA's bug #150 (a per-slice threshold whose spec has several feature_values reported as a missing
slice) does not occur in TFMA 0.52: case titanic-gate has that spec and both agree it was checked.

Usage: compare_validations.py TFMA_DIR FAIRBEAM_DIR
"""
import sys

import tensorflow_model_analysis as tfma
from google.protobuf import text_format


def one_line(message):
    return text_format.MessageToString(message, as_one_line=True)


def slice_name(key):
    return tuple(
        (k.column, k.WhichOneof("kind") and str(getattr(k, k.WhichOneof("kind"))))
        for k in key.single_slice_keys
    )


def where(per_slice):
    if per_slice.HasField("cross_slice_key"):
        c = per_slice.cross_slice_key
        return ("cross", slice_name(c.baseline_slice_key), slice_name(c.comparison_slice_key))
    return slice_name(per_slice.slice_key)


def failures(result):
    found = set()
    for per_slice in result.metric_validations_per_slice:
        for f in per_slice.failures:
            found.add(
                (
                    where(per_slice),
                    one_line(f.metric_key),
                    one_line(f.metric_threshold),
                    f.message == "Metric not found.",
                )
            )
    return found


def checked_specs(result):
    specs = set()
    for d in result.validation_details.slicing_details:
        if d.HasField("cross_slicing_spec"):
            specs.add(one_line(d.cross_slicing_spec))
        else:
            specs.add(one_line(d.slicing_spec))
    return specs


def main():
    tfma_dir, fairbeam_dir = sys.argv[1:3]
    ours = tfma.load_validation_result(fairbeam_dir)
    theirs = tfma.load_validation_result(tfma_dir)
    problems = []
    checked = checked_specs(ours)
    allowed = []
    missing_cross_t = {one_line(s) for s in theirs.missing_cross_slices}
    missing_cross_o = {one_line(s) for s in ours.missing_cross_slices}
    for spec in sorted(missing_cross_t - missing_cross_o):
        if spec in checked:
            allowed.append("cross-slicing spec TFMA reports missing, checked by Fairbeam: " + spec)
        else:
            problems.append("missing_cross_slices: only TFMA lists " + spec)
    for spec in sorted(missing_cross_o - missing_cross_t):
        problems.append("missing_cross_slices: only Fairbeam lists " + spec)
    missing_t = {one_line(s) for s in theirs.missing_slices}
    missing_o = {one_line(s) for s in ours.missing_slices}
    for spec in sorted(missing_t - missing_o):
        problems.append("missing_slices: only TFMA lists " + spec)
    for spec in sorted(missing_o - missing_t):
        problems.append("missing_slices: only Fairbeam lists " + spec)
    ok_differs_by_allowed = bool(allowed) and not theirs.validation_ok
    if ours.validation_ok != theirs.validation_ok and not (
        ok_differs_by_allowed and not failures(ours) and not ours.missing_slices
        and not ours.missing_cross_slices
    ):
        problems.append(
            f"validation_ok: TFMA {theirs.validation_ok}, Fairbeam {ours.validation_ok}"
        )
    for field in ("missing_thresholds", "rubber_stamp"):
        if getattr(ours, field) != getattr(theirs, field):
            problems.append(
                f"{field}: TFMA {getattr(theirs, field)}, Fairbeam {getattr(ours, field)}"
            )
    f_t, f_o = failures(theirs), failures(ours)
    for f in sorted(f_t - f_o, key=str):
        problems.append("failure only in TFMA: " + str(f))
    for f in sorted(f_o - f_t, key=str):
        problems.append("failure only in Fairbeam: " + str(f))
    for a in allowed:
        print("allowed difference:", a)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(
        f"compared validations: validation_ok={ours.validation_ok}, {len(f_o)} failures "
        f"({sum(1 for f in f_o if f[3])} 'Metric not found.'), {len(missing_o)} missing slices, "
        f"{len(missing_cross_o)} missing cross slices, rubber_stamp={ours.rubber_stamp}, "
        f"missing_thresholds={ours.missing_thresholds}; all equal"
    )


if __name__ == "__main__":
    main()
