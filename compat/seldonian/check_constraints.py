#!/usr/bin/env python3
"""Runs the Seldonian Engine 0.8.11's own safety test (seldonian.safety_test.SafetyTest with its
ParseTree, ttest bounds and delta split) on the rows Fairbeam evaluated, for every constraint in
Fairbeam's constraints.json, and requires the same verdict and the upper bound of g equal to 1e-9
(both infinite alike). Each group becomes a sensitive-attribute column (1 where every
feature_values of its spec matches the row), and the model's score column is the probability the
engine's model predicts (rounded to float32, as Fairbeam reads every score). A constraint written with Fairbeam's thresholded measures (ACC@0.5) is
given to the engine without the threshold and with the 0/1 decisions score > 0.5 as the
probabilities, which is how the engine measures thresholded accuracy.

With --weight COLUMN the engine is not used (it has no weights): each base node is recomputed with
numpy from Fairbeam's documented weighted formulas (weighted mean, sandwich standard error,
effective size) and compared to 1e-9.

Usage: check_constraints.py DATA.csv LABEL SCORE FAIRBEAM_DIR [--weight COLUMN]
"""
import csv
import json
import math
import re
import sys

import numpy as np
from scipy import stats

from seldonian.dataset import SupervisedDataSet, SupervisedMetaData
from seldonian.parse_tree.parse_tree import ParseTree
from seldonian.safety_test.safety_test import SafetyTest


class ScoreModel:
    """The engine's model interface, predicting the score column itself."""

    def predict(self, theta, X):
        return X[:, 0]


def matches(row, spec):
    for key, value in spec.get("feature_values", {}).items():
        cell = row.get(key, "")
        if cell != value:
            try:
                if float(cell) != float(value):
                    return False
            except ValueError:
                return False
    return True


def close(a, b):
    if math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
        return a == b or (math.isnan(a) and math.isnan(b))
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


THRESHOLDED = re.compile(r"\b(ACC|PR|NR|FPR|TPR|FNR|TNR)@([0-9.eE+-]+)")


def engine_bound(c, rows, labels, scores):
    constraint = c["constraint"]
    thresholds = set(t for _, t in THRESHOLDED.findall(constraint))
    if thresholds:
        assert len(thresholds) == 1 and not re.search(
            r"\b(ACC|PR|NR|FPR|TPR|FNR|TNR)\b(?!@)", constraint
        ), "a constraint mixing thresholds cannot be given to the engine"
        t = float(thresholds.pop())
        scores = (scores > t).astype(float)
        constraint = THRESHOLDED.sub(r"\1", constraint)
    names = sorted(c.get("groups", {}))
    sensitive = np.array(
        [[1 if matches(row, c["groups"][n]) else 0 for n in names] for row in rows]
    ).reshape(len(rows), len(names))
    meta = SupervisedMetaData(
        "classification",
        all_col_names=["score", "label"] + names,
        feature_col_names=["score"],
        label_col_names=["label"],
        sensitive_col_names=names,
    )
    dataset = SupervisedDataSet(
        features=scores.reshape(-1, 1),
        labels=labels,
        sensitive_attrs=sensitive if names else [],
        num_datapoints=len(rows),
        meta=meta,
    )
    tree = ParseTree(
        c["delta"], regime="supervised_learning", sub_regime="classification", columns=names
    )
    tree.build_tree(constraint_str=constraint)
    test = SafetyTest(dataset, ScoreModel(), [tree])
    passed = test.run(np.zeros(1))
    return float(tree.root.upper), passed, tree


def weighted_nodes(c, rows, labels, scores, weights):
    """Each base node from the documented weighted formulas, with numpy."""
    problems = []
    for node in c["base_nodes"]:
        m = re.match(r"(\w+)(?:@([0-9.eE+-]+))?(?: \| \[(.*)\])?$", node["name"])
        measure, t, groups = m.group(1), m.group(2), m.group(3)
        p = scores if t is None else (scores > float(t)).astype(float)
        member = np.ones(len(rows), dtype=bool)
        for g in (groups.split(",") if groups else []):
            member &= np.array([matches(row, c["groups"][g]) for row in rows])
        y = labels
        population = {
            "ACC": np.ones_like(member), "PR": np.ones_like(member), "NR": np.ones_like(member),
            "FPR": y != 1, "TNR": y != 1, "TPR": y == 1, "FNR": y == 1,
        }[measure]
        keep = member & population & (weights > 0)
        z = {"ACC": y * p + (1 - y) * (1 - p), "PR": p, "FPR": p, "TPR": p}.get(measure, 1 - p)
        z, w = z[keep], weights[keep]
        n = len(z)
        mean = np.sum(w * z) / np.sum(w)
        n_eff = np.sum(w) ** 2 / np.sum(w**2)
        se = math.sqrt(np.sum(w**2 * (z - mean) ** 2) / np.sum(w) ** 2 * n / (n - 1))
        lower, upper = -math.inf, math.inf
        if n_eff >= 5:
            if node["delta_lower"] > 0:
                lower = mean - se * stats.t.ppf(1 - node["delta_lower"], n_eff - 1)
            if node["delta_upper"] > 0:
                upper = mean + se * stats.t.ppf(1 - node["delta_upper"], n_eff - 1)
        for field, value in (("value", mean), ("effective_n", n_eff), ("lower", lower),
                             ("upper", upper)):
            if not close(float(node[field]), float(value)):
                problems.append(f"{c['name']}: {node['name']} {field} {node[field]} != {value}")
    return problems


def number(v):
    return float(v) if not isinstance(v, str) else float(v.replace("Infinity", "inf"))


def main():
    data, label, score, result = sys.argv[1:5]
    weight = sys.argv[sys.argv.index("--weight") + 1] if "--weight" in sys.argv else None
    with open(data, newline="") as f:
        rows = list(csv.DictReader(f))
    labels = np.array([float(r[label]) for r in rows])
    # Fairbeam reads a CSV's decimal columns as tf.Example's float32, whatever the input format.
    scores = np.array([float(r[score]) for r in rows], dtype=np.float32).astype(np.float64)
    with open(f"{result}/constraints.json") as f:
        constraints = json.load(f)
    problems = []
    for c in constraints:
        for node in c["base_nodes"]:
            for field in ("value", "lower", "upper", "effective_n"):
                node[field] = number(node[field])
        ours = number(c["g_upper_bound"])
        if weight:
            weights = np.array([float(r[weight]) for r in rows], dtype=np.float32).astype(float)
            problems += weighted_nodes(c, rows, labels, scores, weights)
            print(f"{c['name']}: base nodes recomputed with weights")
            continue
        theirs, passed, tree = engine_bound(c, rows, labels, scores)
        print(f"{c['name']}: Fairbeam U(g) = {ours!r}, engine U(g) = {theirs!r}, "
              f"passed {c['passed']} / {passed}")
        if not close(ours, theirs):
            problems.append(f"{c['name']}: upper bound of g {ours} != engine's {theirs}")
        if c["passed"] != passed:
            problems.append(f"{c['name']}: verdict {c['passed']} != engine's {passed}")
        for node in c["base_nodes"]:
            name = THRESHOLDED.sub(r"\1", node["name"])
            engine_node = tree.base_node_dict.get(name)
            if engine_node is None:
                problems.append(f"{c['name']}: the engine has no node {name}")
                continue
            for field in ("lower", "upper"):
                if not close(node[field], float(engine_node[field])):
                    problems.append(
                        f"{c['name']}: {node['name']} {field} {node[field]} != engine's "
                        f"{engine_node[field]}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"checked {len(constraints)} constraints against the "
          f"{'documented weighted formulas' if weight else 'Seldonian Engine 0.8.11'}: all equal")


if __name__ == "__main__":
    main()
