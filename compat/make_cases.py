#!/usr/bin/env python3
"""Writes synthetic TFRecord inputs for the TFMA comparison with TensorFlow's own writer, so
Fairbeam's reader is checked on files it did not write. Verification only.

Usage: make_cases.py OUT_DIR
  edge.tfrecord: decile scores lying exactly on the thresholds (float32 rule), float weights,
    an int64 and a float slicing feature, and a string feature that is missing or multi-valued
    in some examples.
"""
import os
import random
import sys

import tensorflow as tf


def feature(values):
    if isinstance(values[0], bytes):
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))
    if isinstance(values[0], float):
        return tf.train.Feature(float_list=tf.train.FloatList(value=values))
    return tf.train.Feature(int64_list=tf.train.Int64List(value=values))


def edge_case(path, n=3000, seed=7):
    rng = random.Random(seed)
    with tf.io.TFRecordWriter(path) as writer:
        for _ in range(n):
            features = {
                "label": feature([rng.randint(0, 1)]),
                "score": feature([rng.randint(0, 10) / 10.0]),
                "weight": feature([rng.choice([0.5, 1.0, 2.0, 3.25])]),
                "age_group": feature([rng.randint(1, 4)]),
                "ratio": feature([rng.choice([0.25, 0.5, 0.1])]),
            }
            tags = rng.choice([[], [b"a"], [b"b"], [b"a", b"b"], [b"c"]])
            if tags:
                features["tag"] = feature(tags)
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    edge_case(os.path.join(out, "edge.tfrecord"))


if __name__ == "__main__":
    main()
