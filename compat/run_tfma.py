#!/usr/bin/env python3
"""Runs TFMA itself (model-agnostic) on a TFRecord file of tf.Example with an EvalConfig in text
format, writing TFMA's output directory. Verification only: Fairbeam never needs Python.

Usage: run_tfma.py CONFIG.pbtxt DATA.tfrecord OUTPUT_DIR
"""
import sys

import tensorflow_model_analysis as tfma
from fairness_indicators import fairness_indicators_metrics  # noqa: F401 (registers the metric)
from google.protobuf import text_format
from tensorflow_model_analysis.proto import config_pb2


def main():
    config_path, data, output = sys.argv[1:4]
    with open(config_path) as f:
        eval_config = text_format.Parse(f.read(), config_pb2.EvalConfig())
    tfma.run_model_analysis(eval_config=eval_config, data_location=data, output_path=output)


if __name__ == "__main__":
    main()
