#!/usr/bin/env python3
"""Checks what TFMA's loader makes of a result on an object store whose commit by copy was cut
short (README, "Results on HDFS, S3 and Cloud Storage"). Fairbeam deletes the previous result's
files first and then copies the new ones, eval_config.json after every metrics, plots and
validations file and fairbeam_run.json last. TFMA 0.52's loader takes every file as optional, so
a result cut short before eval_config.json loads without error: it must then have no config
(EvalResult.config is None), which is how a TFMA user tells it; one with eval_config.json but not
yet fairbeam_run.json must load exactly as the complete result does. Verification only.

Usage: check_partial_result.py FAIRBEAM_RESULT WORK_DIR
"""
import os
import shutil
import sys

import tensorflow_model_analysis as tfma


def slices(result):
    return {str(key): metrics for key, metrics in result.slicing_metrics}


complete_dir, work = sys.argv[1], sys.argv[2]
complete = tfma.load_eval_result(complete_dir)
if complete.config is None or not slices(complete):
    sys.exit("the complete result has no config or no metrics")

# Killed part-way through the copy: the metrics are in, the plots, eval_config.json and the
# marker are not.
partial = os.path.join(work, "partial")
shutil.copytree(complete_dir, partial)
for name in os.listdir(partial):
    if name in ("fairbeam_run.json", "eval_config.json") or name.startswith("plots-"):
        os.remove(os.path.join(partial, name))
cut_short = tfma.load_eval_result(partial)
if cut_short.config is not None:
    sys.exit("TFMA loaded a config from a result without eval_config.json")

# Killed with every file but the marker copied.
copied = os.path.join(work, "copied")
shutil.copytree(complete_dir, copied)
os.remove(os.path.join(copied, "fairbeam_run.json"))
loaded = tfma.load_eval_result(copied)
if loaded.config != complete.config or slices(loaded) != slices(complete):
    sys.exit("without fairbeam_run.json TFMA's loader read another result than the complete one")
print("checked: TFMA loaded", len(slices(loaded)), "slices of a result without its marker,"
      " equal to the complete result's, and no config from one cut short before eval_config.json")
