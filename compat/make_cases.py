#!/usr/bin/env python3
"""Writes synthetic TFRecord inputs for the TFMA comparison with TensorFlow's own writer, so
Fairbeam's reader is checked on files it did not write. Verification only.

Usage: make_cases.py SHARED_DATA_DIR OUT_DIR
       make_cases.py --replicate CSV N OUT.tfrecord   (CSV rows repeated to N examples)
       make_cases.py --titanic-class-demo TITANIC.csv OUT.tfrecord   (the multi-class demo's data)
  titanic.tfrecord, adult.tfrecord: the shared CSV files, one tf.Example per row, each column
    typed as pandas reads it (int64, float, bytes); blank cells are left out.
  celeba.tfrecord: CelebA-style rows (Smiling label, a score, the Young group feature).
  models.tfrecord: two models' scores for the same examples (candidate and baseline).
  infinite.tfrecord: predictions of +inf and -inf among ordinary ones.
  adult-regression.tfrecord: Adult's rows with a least-squares model's prediction of the weekly
    hours worked (predicted_hours) from age, years of education, sex and capital gain (numpy).
  adult-multiclass.tfrecord: Adult's rows with a multinomial logistic regression's six class
    scores for the relationship column (relationship_scores), the class id (relationship_id) and
    the same label one-hot (relationship_onehot).
  adult-two-heads.tfrecord: Adult's rows with a two-output model's predictions (numpy logistic
    regressions): whether income is over 50K (income_label, income_score) and whether the person
    is married (married_label, married_score); the same as one multi-label model, a multi-hot label
    (tags) and a score per label (tag_scores); a baseline model of both outputs
    (income_baseline_score, married_baseline_score).
  edge.tfrecord: decile scores lying exactly on the thresholds (float32 rule), float weights,
    an int64 and a float slicing feature, and a string feature that is missing or multi-valued
    in some examples (FaceSSD-style).
"""
import os
import random
import sys

import pandas as pd
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


def infinite_case(path, n=2000, seed=13):
    """Scores of +inf and -inf among ordinary ones (and on the thresholds), with a group."""
    rng = random.Random(seed)
    with tf.io.TFRecordWriter(path) as writer:
        for _ in range(n):
            score = rng.choice([float("inf"), float("-inf"), 0.5, rng.random(), rng.random(),
                                rng.random(), rng.random(), rng.random()])
            features = {
                "label": feature([rng.randint(0, 1)]),
                "score": feature([score]),
                "group": feature([rng.choice([b"p", b"q"])]),
            }
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


def models_case(path, n=3000, seed=11):
    """Candidate and baseline scores for the same examples (model-agnostic, several ModelSpecs),
    with weights and a group feature."""
    rng = random.Random(seed)
    with tf.io.TFRecordWriter(path) as writer:
        for _ in range(n):
            label = rng.randint(0, 1)
            new = min(1.0, max(0.0, rng.gauss(0.35 + 0.3 * label, 0.25)))
            old = min(1.0, max(0.0, rng.gauss(0.4 + 0.2 * label, 0.25)))
            features = {
                "label": feature([label]),
                "score_new": feature([new]),
                "score_old": feature([rng.choice([old, round(old, 1)])]),
                "weight": feature([rng.choice([0.5, 1.0, 2.0])]),
                "group": feature([rng.choice([b"x", b"y", b"z"])]),
            }
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


def csv_examples(csv_path):
    """The rows of a CSV file as serialized tf.Examples, typed as pandas reads them."""
    frame = pd.read_csv(csv_path)
    for row in frame.itertuples(index=False):
        features = {}
        for column, value in zip(frame.columns, row):
            if pd.isna(value):
                continue
            kind = frame[column].dtype.kind
            if kind in "iu":
                features[column] = feature([int(value)])
            elif kind == "f":
                features[column] = feature([float(value)])
            else:
                features[column] = feature([str(value).encode()])
        example = tf.train.Example(features=tf.train.Features(feature=features))
        yield example.SerializeToString()


def csv_case(csv_path, path):
    with tf.io.TFRecordWriter(path) as writer:
        for record in csv_examples(csv_path):
            writer.write(record)


def replicated_case(csv_path, n, path):
    """The rows of a CSV file repeated until there are n examples (for benchmarks)."""
    records = list(csv_examples(csv_path))
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(n):
            writer.write(records[i % len(records)])


def regression_case(csv_path, path):
    """Adult with a linear regression of hours_per_week (least squares, numpy): a regression
    model's label (int64) and prediction (float) beside the rows' own features."""
    import numpy as np
    frame = pd.read_csv(csv_path)
    design = np.column_stack([
        np.ones(len(frame)), frame["age"], frame["education_num"],
        (frame["sex"] == "Male").astype(float), frame["capital_gain"] / 1e4])
    coefficients, *_ = np.linalg.lstsq(design, frame["hours_per_week"].astype(float), rcond=None)
    predictions = design @ coefficients
    with tf.io.TFRecordWriter(path) as writer:
        for row, predicted in zip(frame.itertuples(index=False), predictions):
            features = {
                "hours_per_week": feature([int(row.hours_per_week)]),
                "predicted_hours": feature([float(predicted)]),
                "sex": feature([row.sex.encode()]), "race": feature([row.race.encode()]),
                "fnlwgt": feature([int(row.fnlwgt)]),
            }
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


RELATIONSHIPS = ["Husband", "Not-in-family", "Other-relative", "Own-child", "Unmarried", "Wife"]


def multiclass_case(csv_path, path):
    """Adult with a multinomial logistic regression (numpy, 300 steps of gradient descent from
    zero) of the relationship column's six classes (RELATIONSHIPS order) from age, years of
    education, weekly hours, sex and marital status: a multi-class model's class id (int64) and
    its six class scores (floats) beside the rows' own features."""
    import numpy as np
    frame = pd.read_csv(csv_path)
    married = (frame["marital_status"] == "Married-civ-spouse").astype(float)
    never = (frame["marital_status"] == "Never-married").astype(float)
    design = np.column_stack([
        np.ones(len(frame)), frame["age"] / 50.0, frame["education_num"] / 10.0,
        frame["hours_per_week"] / 40.0, (frame["sex"] == "Male").astype(float), married, never])
    labels = frame["relationship"].map(RELATIONSHIPS.index).to_numpy()
    onehot = np.eye(len(RELATIONSHIPS))[labels]
    weights = np.zeros((design.shape[1], len(RELATIONSHIPS)))
    for _ in range(300):
        logits = design @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        weights -= 2.0 * design.T @ (probabilities - onehot) / len(frame)
    logits = design @ weights
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    with tf.io.TFRecordWriter(path) as writer:
        for row, label, scores in zip(frame.itertuples(index=False), labels, probabilities):
            features = {
                "relationship_id": feature([int(label)]),
                "relationship_onehot": feature([int(c == label) for c in range(len(RELATIONSHIPS))]),
                "relationship_scores": feature([float(p) for p in scores]),
                "sex": feature([row.sex.encode()]), "race": feature([row.race.encode()]),
                "fnlwgt": feature([int(row.fnlwgt)]),
            }
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


def two_heads_case(csv_path, path):
    """Adult with a two-output model: income over 50K (the CSV's own label and prediction) and
    married (marital status Married-civ-spouse), a logistic regression (numpy, 300 steps of
    gradient descent from zero) from age, years of education, weekly hours and sex; and a baseline
    model of both outputs (the same regression for each after 20 steps)."""
    import numpy as np
    frame = pd.read_csv(csv_path)
    design = np.column_stack([
        np.ones(len(frame)), frame["age"] / 50.0, frame["education_num"] / 10.0,
        frame["hours_per_week"] / 40.0, (frame["sex"] == "Male").astype(float)])
    married = (frame["marital_status"] == "Married-civ-spouse").astype(float).to_numpy()
    weights = np.zeros(design.shape[1])
    for _ in range(300):
        predicted = 1.0 / (1.0 + np.exp(-(design @ weights)))
        weights -= 2.0 * design.T @ (predicted - married) / len(frame)
    married_score = 1.0 / (1.0 + np.exp(-(design @ weights)))
    # A baseline for both outputs: logistic regressions from the same columns after 20 steps.
    income = frame["income_gt_50k"].astype(float).to_numpy()
    baseline = {}
    for name, label in (("income", income), ("married", married)):
        weights = np.zeros(design.shape[1])
        for _ in range(20):
            predicted = 1.0 / (1.0 + np.exp(-(design @ weights)))
            weights -= 2.0 * design.T @ (predicted - label) / len(frame)
        baseline[name] = 1.0 / (1.0 + np.exp(-(design @ weights)))
    with tf.io.TFRecordWriter(path) as writer:
        for i, row in enumerate(frame.itertuples(index=False)):
            features = {
                "sex": feature([row.sex.encode()]), "race": feature([row.race.encode()]),
                "income_label": feature([int(row.income_gt_50k)]),
                "income_score": feature([float(row.predicted)]),
                "married_label": feature([int(married[i])]),
                "married_score": feature([float(married_score[i])]),
                "income_baseline_score": feature([float(baseline["income"][i])]),
                "married_baseline_score": feature([float(baseline["married"][i])]),
                # The same two outputs as one multi-label model: a multi-hot label.
                "tags": feature([int(row.income_gt_50k), int(married[i])]),
                "tag_scores": feature([float(row.predicted), float(married_score[i])]),
            }
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


TITANIC_CLASSES = ["First", "Second", "Third"]


def titanic_class_demo(csv_path, path):
    """The multi-class demo's data (data/titanic-class.tfrecord, committed): Titanic's rows, each
    column typed as pandas reads it (blank cells left out), with a multinomial logistic
    regression's out-of-fold scores for the passenger class (5 folds of rows in order, 500 steps
    of gradient descent from zero; from log fare, sex, port, family aboard and travelling alone)
    as class_scores and the class as class_id (TITANIC_CLASSES order)."""
    import numpy as np
    frame = pd.read_csv(csv_path)
    design = np.column_stack([
        np.ones(len(frame)), np.log1p(frame["fare"]), (frame["sex"] == "male").astype(float),
        (frame["embarked"] == "C").astype(float), (frame["embarked"] == "Q").astype(float),
        frame["sibsp"] / 3.0, frame["parch"] / 3.0, frame["alone"].astype(float)])
    labels = frame["class"].map(TITANIC_CLASSES.index).to_numpy()
    onehot = np.eye(len(TITANIC_CLASSES))[labels]

    def softmax(logits):
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    scores = np.zeros((len(frame), len(TITANIC_CLASSES)))
    folds = np.arange(len(frame)) * 5 // len(frame)
    for fold in range(5):
        train, test = folds != fold, folds == fold
        weights = np.zeros((design.shape[1], len(TITANIC_CLASSES)))
        for _ in range(500):
            gradient = design[train].T @ (softmax(design[train] @ weights) - onehot[train])
            weights -= 0.5 * gradient / train.sum()
        scores[test] = softmax(design[test] @ weights)
    with tf.io.TFRecordWriter(path) as writer:
        for record, label, row_scores in zip(csv_examples(csv_path), labels, scores):
            example = tf.train.Example.FromString(record)
            example.features.feature["class_id"].CopyFrom(feature([int(label)]))
            example.features.feature["class_scores"].CopyFrom(
                feature([round(float(p), 6) for p in row_scores]))
            writer.write(example.SerializeToString())


def celeba_case(path, n=2000, seed=3):
    rng = random.Random(seed)
    with tf.io.TFRecordWriter(path) as writer:
        for _ in range(n):
            young = rng.randint(0, 1)
            smiling = rng.randint(0, 1)
            score = min(1.0, max(0.0, 0.5 * smiling + 0.1 * young + rng.gauss(0.25, 0.2)))
            features = {"Smiling": feature([smiling]), "prediction": feature([score]),
                        "Young": feature([young])}
            example = tf.train.Example(features=tf.train.Features(feature=features))
            writer.write(example.SerializeToString())


def main():
    if sys.argv[1] == "--replicate":
        replicated_case(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    if sys.argv[1] == "--titanic-class-demo":
        titanic_class_demo(sys.argv[2], sys.argv[3])
        return
    shared, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    csv_case(os.path.join(shared, "titanic.csv"), os.path.join(out, "titanic.tfrecord"))
    csv_case(os.path.join(shared, "adult.csv"), os.path.join(out, "adult.tfrecord"))
    celeba_case(os.path.join(out, "celeba.tfrecord"))
    edge_case(os.path.join(out, "edge.tfrecord"))
    infinite_case(os.path.join(out, "infinite.tfrecord"))
    models_case(os.path.join(out, "models.tfrecord"))
    regression_case(os.path.join(shared, "adult.csv"), os.path.join(out, "adult-regression.tfrecord"))
    multiclass_case(os.path.join(shared, "adult.csv"), os.path.join(out, "adult-multiclass.tfrecord"))
    two_heads_case(os.path.join(shared, "adult.csv"), os.path.join(out, "adult-two-heads.tfrecord"))


if __name__ == "__main__":
    main()
