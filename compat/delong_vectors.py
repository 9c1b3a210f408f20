"""Prints DeLong's AUC and variance, computed pair by pair, for SmallNIntervalsTest.

Run: python compat/delong_vectors.py > \
  transforms/src/test/resources/io/fairbeam/stats/delong-vectors.txt (needs numpy). A second algorithm for the same quantities:
DeLong's structural components from every (positive, negative) pair's kernel
psi = 1 if the positive scores higher, 1/2 on a tie, 0 otherwise, instead of from bucket counts.
Each line: the bucket of each positive, -1, the bucket of each negative, -2, the AUC, the
variance, separated by spaces.
"""
import numpy as np

rng = np.random.default_rng(7)
cases = [
    (np.array([3, 5, 5, 7]), np.array([1, 2, 5, 6, 3])),
    (np.array([0, 0, 1]), np.array([0, 1, 1, 1])),
]
for size, separation in [(8, 1.0), (30, 0.5), (200, 0.8)]:
    pos = np.floor(10 * (rng.normal(separation, 1, size) + 3)).astype(int).clip(0, 59)
    neg = np.floor(10 * (rng.normal(0, 1, size + 5) + 3)).astype(int).clip(0, 59)
    cases.append((pos, neg))

for pos, neg in cases:
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    auc = psi.mean()
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    values = list(pos) + [-1] + list(neg) + [-2, auc, var]
    print(" ".join(repr(float(v)) for v in values))
