#!/usr/bin/env python3
"""Opens a Fairbeam report of RESULT_DIR in headless Chromium (Debian's /usr/bin/chromium, or
$FAIRBEAM_CHROMIUM) and checks what the page's script drew against TFMA's own loader: the script
ran to the end (data-ready-ms), reported no error, and each chart mark of the default panel
(false_positive_rate@0.5) sits at the value tfma.load_eval_result reads for its slice, one mark per
slice.

Usage: check_report_browser.py RESULT_DIR REPORT_HTML
"""
import html.parser
import os
import pathlib
import subprocess
import sys

import tensorflow_model_analysis as tfma
from tensorflow_model_analysis.slicer import slicer_lib

METRIC = "fairness_indicators_metrics/false_positive_rate@0.5"


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ready = None
        self.errors = []
        self.marks = {}
        self.in_errors = False
        self.panel = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.ready = a.get("data-ready-ms")
        if a.get("id") == "fb-errors":
            self.in_errors = True
        if tag == "section" and "panel" in (a.get("class") or ""):
            self.panel = a.get("data-metric")
        if self.panel == METRIC and "mark" in (a.get("class") or "").split():
            self.marks.setdefault(a["data-slice"], []).append(float(a["data-value"]))

    def handle_endtag(self, tag):
        if tag == "div":
            self.in_errors = False
        if tag == "section":
            self.panel = None

    def handle_data(self, data):
        if self.in_errors and data.strip() and data.strip() != "The page could not draw everything:":
            self.errors.append(data.strip())


def main():
    result_dir, report = sys.argv[1:3]
    chromium = os.environ.get("FAIRBEAM_CHROMIUM", "/usr/bin/chromium")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
         "--dump-dom", pathlib.Path(report).resolve().as_uri()],
        check=True, capture_output=True, text=True, timeout=120).stdout
    page = Page()
    page.feed(dom)
    problems = []
    if page.ready is None:
        problems.append("the page's script did not finish (no data-ready-ms)")
    if page.errors:
        problems.append(f"the page reported errors: {page.errors}")
    expected = {}
    for slice_key, metrics in tfma.load_eval_result(result_dir).slicing_metrics:
        value = metrics[""][""].get(METRIC)
        if value is None:
            continue
        v = value.get("doubleValue", value.get("boundedValue", {}).get("value"))
        expected[slicer_lib.stringify_slice_key(slice_key)] = float(v)
    if set(page.marks) != set(expected):
        problems.append(f"slices drawn {sorted(page.marks)} != TFMA's {sorted(expected)}")
    for name, values in page.marks.items():
        if values != [expected.get(name)]:
            problems.append(f"{name}: drawn at {values}, TFMA's loader reads {expected.get(name)}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"checked {len(page.marks)} chart marks drawn by Chromium (in {page.ready} ms) against"
          " TFMA's loader")


if __name__ == "__main__":
    main()
