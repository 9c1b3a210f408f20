#!/usr/bin/env python3
"""Exports the small TensorFlow SavedModels that Fairbeam's model tests and demo run, with the
TensorFlow release that TensorFlow Java 1.1.0 embeds (2.18), and records the predictions Python
computes on fixed inputs. Verification only: Fairbeam never needs Python.

Usage: export_models.py SHARED_DATA_DIR OUT_DIR [GROUP...]   (run by scripts/export-test-models)
GROUP: titanic, cnn or titanic_heads (default: all), so one model can be added without
re-exporting the others.

Writes into OUT_DIR:
  titanic_keras/      Keras tabular model trained on Titanic; named inputs (Keras style):
                      pclass int64, sex string, fare float32, sibsp int64, parch int64, each
                      [batch, 1]; output survival_probability [batch, 1].
  titanic_examples/   the same model behind a signature that takes serialized tf.Example
                      (Estimator/TFX style: input "examples", string [batch]); two outputs,
                      survival_probability [batch] and logit [batch].
  cnn_plain/          Keras CNN on 28x28x3 float images (input "image"), output smiling [batch, 1].
  cnn_reweighted/     the same CNN trained with examples weighted so that both Young groups
                      weigh the same (the constrained-versus-unconstrained notebook's style).
  titanic_heads/      a two-headed Keras model on Titanic (inputs sex, fare, sibsp, parch as in
                      titanic_keras): survival_probability [batch, 1] and class_probabilities
                      [batch, 3], the softmax over the passenger class (First, Second, Third).
  missing_op/         titanic_keras with one op renamed to an op no TensorFlow has, to check the
                      error that names it.
  fixtures/titanic.tfrecord     every Titanic row as a tf.Example (columns typed as pandas does).
  fixtures/celeba.tfrecord.gz   synthetic faces: image (2352 floats), Smiling, Young.
  expected/*.json     the predictions of each model's loaded SavedModel on its fixture.
"""
import json
import os
import shutil
import sys

import numpy as np
import pandas as pd
import tensorflow as tf

# The same tf.Example typing of CSV rows as the TFMA harness uses (columns typed as pandas reads
# them, blanks left out).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "compat"))
from make_cases import csv_examples, feature  # noqa: E402

SEED = 20261123
IMAGE_SHAPE = (28, 28, 3)
TITANIC_INPUTS = {"pclass": tf.int64, "sex": tf.string, "fare": tf.float32,
                  "sibsp": tf.int64, "parch": tf.int64}


def titanic_inputs(frame):
    """The model's named inputs for every row, as [rows, 1] tensors."""
    return {name: tf.reshape(tf.constant(frame[name].values.tolist(), dtype=dtype), [-1, 1])
            for name, dtype in TITANIC_INPUTS.items()}


def titanic_model(frame):
    inputs = {name: tf.keras.Input(shape=(1,), dtype=dtype, name=name)
              for name, dtype in TITANIC_INPUTS.items()}
    sex = tf.keras.layers.StringLookup(vocabulary=["male", "female"], output_mode="one_hot",
                                       num_oov_indices=1)(inputs["sex"])
    pclass = tf.keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode="one_hot",
                                           num_oov_indices=1)(inputs["pclass"])
    numeric = tf.keras.layers.Concatenate()([
        tf.keras.layers.Lambda(lambda x: tf.math.log1p(tf.cast(x, tf.float32)))(inputs["fare"]),
        tf.keras.layers.Lambda(lambda x: tf.cast(x, tf.float32))(inputs["sibsp"]),
        tf.keras.layers.Lambda(lambda x: tf.cast(x, tf.float32))(inputs["parch"]),
    ])
    x = tf.keras.layers.Concatenate()([sex, pclass, numeric])
    x = tf.keras.layers.Dense(8, activation="relu")(x)
    output = tf.keras.layers.Dense(1, activation="sigmoid", name="survival_probability")(x)
    model = tf.keras.Model(inputs, output)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    model.fit(titanic_inputs(frame), frame["survived"].values.astype("float32"), epochs=30,
              batch_size=32, verbose=0)
    return model


class TitanicKeras(tf.Module):
    """Named inputs, one [batch, 1] output."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    @tf.function(input_signature=[{name: tf.TensorSpec([None, 1], dtype, name=name)
                                   for name, dtype in TITANIC_INPUTS.items()}])
    def serve(self, inputs):
        return {"survival_probability": self.model(inputs)}


HEADS_INPUTS = {name: TITANIC_INPUTS[name] for name in ("sex", "fare", "sibsp", "parch")}
CLASSES = ["First", "Second", "Third"]


def heads_model(frame):
    """Survival and the passenger class, from the features other than the class."""
    inputs = {name: tf.keras.Input(shape=(1,), dtype=dtype, name=name)
              for name, dtype in HEADS_INPUTS.items()}
    sex = tf.keras.layers.StringLookup(vocabulary=["male", "female"], output_mode="one_hot",
                                       num_oov_indices=1)(inputs["sex"])
    numeric = tf.keras.layers.Concatenate()([
        tf.keras.layers.Lambda(lambda x: tf.math.log1p(tf.cast(x, tf.float32)))(inputs["fare"]),
        tf.keras.layers.Lambda(lambda x: tf.cast(x, tf.float32))(inputs["sibsp"]),
        tf.keras.layers.Lambda(lambda x: tf.cast(x, tf.float32))(inputs["parch"]),
    ])
    x = tf.keras.layers.Dense(12, activation="relu")(tf.keras.layers.Concatenate()([sex, numeric]))
    survival = tf.keras.layers.Dense(1, activation="sigmoid", name="survival_probability")(x)
    classes = tf.keras.layers.Dense(len(CLASSES), activation="softmax",
                                    name="class_probabilities")(x)
    model = tf.keras.Model(inputs, {"survival_probability": survival,
                                    "class_probabilities": classes})
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01),
                  loss={"survival_probability": "binary_crossentropy",
                        "class_probabilities": "sparse_categorical_crossentropy"})
    targets = {"survival_probability": frame["survived"].values.astype("float32"),
               "class_probabilities": frame["class"].map(CLASSES.index).values.astype("int64")}
    model.fit({name: tf.reshape(tf.constant(frame[name].values.tolist(), dtype=dtype), [-1, 1])
               for name, dtype in HEADS_INPUTS.items()}, targets, epochs=30, batch_size=32,
              verbose=0)
    return model


class TitanicHeads(tf.Module):
    """Named inputs, two outputs: one score and three class scores per example."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    @tf.function(input_signature=[{name: tf.TensorSpec([None, 1], dtype, name=name)
                                   for name, dtype in HEADS_INPUTS.items()}])
    def serve(self, inputs):
        outputs = self.model(inputs)
        return {"survival_probability": outputs["survival_probability"],
                "class_probabilities": outputs["class_probabilities"]}


class TitanicExamples(tf.Module):
    """Serialized tf.Example in, two outputs."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.spec = {name: tf.io.FixedLenFeature([1], dtype)
                     for name, dtype in TITANIC_INPUTS.items()}

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
    def serve(self, examples):
        parsed = tf.io.parse_example(examples, self.spec)
        probability = tf.reshape(self.model(parsed), [-1])
        logit = tf.math.log(probability) - tf.math.log1p(-probability)
        return {"survival_probability": probability, "logit": logit}


def synthetic_faces(n, rng):
    """28x28x3 images in steps of 1/255; a smile is a brighter band, fainter for Young=0."""
    young = (rng.random(n) < 0.7).astype(np.int64)
    smiling = (rng.random(n) < 0.5).astype(np.int64)
    images = rng.random((n,) + IMAGE_SHAPE) * 0.6
    strength = np.where(young == 1, 0.35, 0.12)
    for i in range(n):
        if smiling[i]:
            images[i, 18:21, 8:20, :] += strength[i]
        if rng.random() < 0.3:  # distractor band elsewhere
            images[i, 6:9, 8:20, :] += 0.2
    images = np.round(np.clip(images, 0.0, 1.0) * 255.0) / 255.0
    return images.astype(np.float32), smiling, young


def cnn(images, labels, weights):
    tf.keras.utils.set_random_seed(SEED)
    model = tf.keras.Sequential([
        tf.keras.Input(shape=IMAGE_SHAPE, name="image"),
        tf.keras.layers.Conv2D(8, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    model.fit(images, labels.astype("float32"), sample_weight=weights, epochs=4, batch_size=64,
              verbose=0)
    return model


class FaceCnn(tf.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    @tf.function(input_signature=[tf.TensorSpec([None] + list(IMAGE_SHAPE), tf.float32,
                                                name="image")])
    def serve(self, image):
        return {"smiling": self.model(image)}


def save(module, path):
    """Exports with Keras' ExportArchive, the TF Serving route: its SavedModel also loads into a
    TF1-style session (TensorFlow's C API, which TensorFlow Java uses); tf.saved_model.save of a
    Keras 3 model does not restore its variables there."""
    shutil.rmtree(path, ignore_errors=True)
    archive = tf.keras.export.ExportArchive()
    archive.track(module.model)
    archive.add_endpoint("serving_default", module.serve)
    archive.write_out(path, verbose=False)


def loaded_predictions(path, output, inputs):
    """Runs the SavedModel as loaded from disk, as TensorFlow Java will."""
    serve = tf.saved_model.load(path).signatures["serving_default"]
    return [float(v) for v in np.reshape(serve(**inputs)[output].numpy(), [-1])]


def loaded_class_scores(path, output, inputs):
    """Each example's class scores from the SavedModel as loaded from disk."""
    serve = tf.saved_model.load(path).signatures["serving_default"]
    return [[float(v) for v in row] for row in serve(**inputs)[output].numpy()]


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def rename_an_op(source, target, new_type="FairbeamNoSuchOp"):
    """Copies a SavedModel and renames the type of its first Sigmoid op to one nobody has."""
    from tensorflow.core.protobuf import saved_model_pb2
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    saved = saved_model_pb2.SavedModel()
    with open(os.path.join(target, "saved_model.pb"), "rb") as f:
        saved.ParseFromString(f.read())
    graph = saved.meta_graphs[0].graph_def
    for function in graph.library.function:
        for node in function.node_def:
            if node.op == "Sigmoid":
                node.op = new_type
                with open(os.path.join(target, "saved_model.pb"), "wb") as f:
                    f.write(saved.SerializeToString())
                return
    raise RuntimeError("no Sigmoid op found to rename")


def main():
    shared, out = sys.argv[1:3]
    groups = set(sys.argv[3:]) or {"titanic", "cnn", "titanic_heads"}
    tf.keras.utils.set_random_seed(SEED)
    os.makedirs(os.path.join(out, "fixtures"), exist_ok=True)
    os.makedirs(os.path.join(out, "expected"), exist_ok=True)
    frame = pd.read_csv(os.path.join(shared, "titanic.csv"))
    if "titanic" in groups:
        export_titanic(shared, out, frame)
    if "cnn" in groups:
        export_cnn(out)
    if "titanic_heads" in groups:
        export_titanic_heads(out, frame)


def export_titanic_heads(out, frame):
    tf.keras.utils.set_random_seed(SEED)
    save(TitanicHeads(heads_model(frame)), os.path.join(out, "titanic_heads"))
    inputs = {name: tf.reshape(tf.constant(frame[name].values.tolist(), dtype=dtype), [-1, 1])
              for name, dtype in HEADS_INPUTS.items()}
    path = os.path.join(out, "titanic_heads")
    write_json(os.path.join(out, "expected", "titanic_heads.json"), {
        "fixture": "fixtures/titanic.tfrecord", "classes": CLASSES,
        "survival_probability": loaded_predictions(path, "survival_probability", inputs),
        "class_probabilities": loaded_class_scores(path, "class_probabilities", inputs)})


def export_titanic(shared, out, frame):
    records = list(csv_examples(os.path.join(shared, "titanic.csv")))
    with tf.io.TFRecordWriter(os.path.join(out, "fixtures", "titanic.tfrecord")) as writer:
        for record in records:
            writer.write(record)
    model = titanic_model(frame)
    save(TitanicKeras(model), os.path.join(out, "titanic_keras"))
    save(TitanicExamples(model), os.path.join(out, "titanic_examples"))
    named = titanic_inputs(frame)
    write_json(os.path.join(out, "expected", "titanic_keras.json"), {
        "fixture": "fixtures/titanic.tfrecord", "output": "survival_probability",
        "predictions": loaded_predictions(os.path.join(out, "titanic_keras"),
                                          "survival_probability", named)})
    serialized = {"examples": tf.constant(records)}
    write_json(os.path.join(out, "expected", "titanic_examples.json"), {
        "fixture": "fixtures/titanic.tfrecord", "output": "survival_probability",
        "predictions": loaded_predictions(os.path.join(out, "titanic_examples"),
                                          "survival_probability", serialized),
        "logit": loaded_predictions(os.path.join(out, "titanic_examples"), "logit",
                                    serialized)})
    rename_an_op(os.path.join(out, "titanic_keras"), os.path.join(out, "missing_op"))


def export_cnn(out):
    rng = np.random.default_rng(SEED)
    images, smiling, young = synthetic_faces(4000, rng)
    plain = cnn(images, smiling, None)
    group_weight = np.where(young == 1, 0.5 / young.mean(), 0.5 / (1.0 - young.mean()))
    reweighted = cnn(images, smiling, group_weight)
    save(FaceCnn(plain), os.path.join(out, "cnn_plain"))
    save(FaceCnn(reweighted), os.path.join(out, "cnn_reweighted"))

    eval_images, eval_smiling, eval_young = synthetic_faces(400, rng)
    options = tf.io.TFRecordOptions(compression_type="GZIP")
    with tf.io.TFRecordWriter(os.path.join(out, "fixtures", "celeba.tfrecord.gz"),
                              options) as writer:
        for i in range(len(eval_images)):
            example = tf.train.Example(features=tf.train.Features(feature={
                "image": feature([float(v) for v in eval_images[i].reshape(-1)]),
                "Smiling": feature([int(eval_smiling[i])]),
                "Young": feature([int(eval_young[i])]),
            }))
            writer.write(example.SerializeToString())
    for name in ("cnn_plain", "cnn_reweighted"):
        write_json(os.path.join(out, "expected", name + ".json"), {
            "fixture": "fixtures/celeba.tfrecord.gz", "output": "smiling",
            "predictions": loaded_predictions(os.path.join(out, name), "smiling",
                                              {"image": tf.constant(eval_images)})})


if __name__ == "__main__":
    main()
