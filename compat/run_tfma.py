#!/usr/bin/env python3
"""Runs TFMA itself (model-agnostic) on a TFRecord file of tf.Example with an EvalConfig in text
format, writing TFMA's output directory. Verification only: Fairbeam never needs Python.

Usage: run_tfma.py CONFIG.pbtxt DATA.tfrecord OUTPUT_DIR [--no-baseline]

TFMA's model-agnostic run_model_analysis has no EvalSharedModel, so its defaults step would not
know that a baseline model exists (and would refuse change thresholds). As the TFX Evaluator does
when it passes a baseline model, this tells that step whether there is one; --no-baseline is TFX's
first run ("rubber stamp"): the baseline model_specs and change thresholds are dropped.
"""
import sys

import tensorflow_model_analysis as tfma
from fairness_indicators import fairness_indicators_metrics  # noqa: F401 (registers the metric)
from google.protobuf import text_format
from tensorflow_model_analysis.api import model_eval_lib
from tensorflow_model_analysis.proto import config_pb2
from tensorflow_model_analysis.utils import config_util, model_util


def main():
    config_path, data, output = sys.argv[1:4]
    with open(config_path) as f:
        eval_config = text_format.Parse(f.read(), config_pb2.EvalConfig())
    no_baseline = "--no-baseline" in sys.argv[4:]
    has_baseline = any(m.is_baseline for m in eval_config.model_specs) and not no_baseline

    def with_defaults(config, _eval_shared_model):
        return config_util.update_eval_config_with_defaults(
            config, has_baseline=has_baseline, rubber_stamp=no_baseline
        )

    model_eval_lib._update_eval_config_with_defaults = with_defaults
    if no_baseline:
        model_util.has_rubber_stamp = lambda _eval_shared_models: True
    tfma.run_model_analysis(eval_config=eval_config, data_location=data, output_path=output)


if __name__ == "__main__":
    main()
