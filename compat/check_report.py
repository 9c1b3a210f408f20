#!/usr/bin/env python3
"""Checks a Fairbeam report (report.html) against TFMA's own loader: every scalar metric that
tfma.load_eval_result reads from RESULT_DIR (Fairbeam's or TFMA's output, a single model) is in the
report's embedded data (<script type="application/json" id="fairbeam-data">) under the same slice
name with the same value (and the same bounds where it has an interval), and the report has no
other slice.

Usage: check_report.py RESULT_DIR REPORT_HTML
"""
import json
import math
import re
import sys

import tensorflow_model_analysis as tfma
from tensorflow_model_analysis.slicer import slicer_lib


def same(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))


def main():
    result_dir, report = sys.argv[1:3]
    with open(report, encoding="utf-8") as f:
        page = f.read()
    island = re.search(
        r'<script type="application/json" id="fairbeam-data">(.*?)</script>', page, re.S
    )
    data = json.loads(island.group(1))["results"][0]
    ours = {(s["slice"], s.get("model", "")): s.get("metrics", {}) for s in data["slicingMetrics"]}
    problems = []
    compared = 0
    slices = set()
    for slice_key, metrics in tfma.load_eval_result(result_dir).slicing_metrics:
        name = slicer_lib.stringify_slice_key(slice_key)
        slices.add(name)
        mine = ours.get((name, ""))
        if mine is None:
            problems.append(f"{name}: not in the report")
            continue
        for metric, value in metrics[""][""].items():
            if "doubleValue" in value:
                want, bounds = value["doubleValue"], None
            elif "boundedValue" in value:
                b = value["boundedValue"]
                want, bounds = b["value"], (b["lowerBound"], b["upperBound"])
            else:
                continue
            got = mine.get(metric)
            if got is None:
                problems.append(f"{name} {metric}: not in the report")
                continue
            value_of = got.get("doubleValue", got.get("boundedValue", {}).get("value"))
            if not same(float(value_of), float(want)):
                problems.append(f"{name} {metric}: report {value_of}, TFMA's loader {want}")
            if bounds is not None:
                got_bounds = got.get("boundedValue", {})
                if not (same(float(got_bounds.get("lowerBound")), float(bounds[0]))
                        and same(float(got_bounds.get("upperBound")), float(bounds[1]))):
                    problems.append(f"{name} {metric}: bounds {got_bounds} != {bounds}")
            compared += 1
    extra = {s for s, _ in ours if s not in slices and " - " not in s}
    if extra:
        problems.append(f"slices only in the report: {sorted(extra)}")
    if problems:
        print("\n".join(problems[:40]))
        sys.exit(1)
    print(f"checked {compared} values of {len(slices)} slices in the report against TFMA's loader")


if __name__ == "__main__":
    main()
