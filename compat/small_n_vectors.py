"""Prints statsmodels' score intervals as Java rows for transforms' SmallNIntervalsTest.

Run: python compat/small_n_vectors.py (needs statsmodels; any recent version). Each row is
{x1, n1, x2, n2, level, lower, upper}: Wilson and Clopper-Pearson ("beta") for x1/n1 (x2, n2
unused), Newcombe's hybrid score
interval for x1/n1 - x2/n2 and its p-value (the alpha at which its bound nearer 0 reaches 0, in
the row's lower), and Koopman's score interval (statsmodels' "score" without the
Miettinen-Nurminen correction) for (x1/n1) / (x2/n2). The ratio's bounds are found here by
inverting statsmodels' score test (test_proportions_2indep) with scipy's brentq, because its
confint_proportions_2indep misplaces them when a rate is 1 (for 3/3 against 281/534 it returns
[1.891, 2.067], an interval that excludes ratios its own test accepts at p = 0.9).
"""
import math

from scipy.optimize import brentq
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_confint,
                                          test_proportions_2indep)

ONE = [(0, 1), (1, 1), (0, 4), (3, 3), (3, 4), (10, 10), (1, 18), (17, 534), (267, 534),
       (533, 534), (0, 1000), (5, 7)]
TWO = [(3, 3, 281, 534), (3, 4, 200, 534), (0, 18, 30, 377), (10, 10, 300, 377),
       (1, 18, 255, 377), (5, 20, 5, 20), (0, 5, 1, 5), (5, 5, 4, 5), (50, 200, 80, 200),
       (1, 2, 0, 3), (200, 1000, 150, 1000)]


def row(values):
    return "{" + ", ".join(repr(float(v)) for v in values) + "},"


print("// Wilson")
for level in (0.95, 0.9):
    for k, n in ONE:
        lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
        print(row((k, n, 0, 0, level, lo, hi)))
print("// ClopperPearson")
for level in (0.95, 0.9):
    for k, n in ONE:
        lo, hi = proportion_confint(k, n, alpha=1 - level, method="beta")
        print(row((k, n, 0, 0, level, lo, hi)))
print("// Newcombe")
for level in (0.95, 0.9):
    for x1, n1, x2, n2 in TWO:
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff",
                                           alpha=1 - level)
        print(row((x1, n1, x2, n2, level, lo, hi)))
print("// Koopman")
for level in (0.95, 0.9):
    for x1, n1, x2, n2 in TWO:
        if x2 == 0 or x1 == 0:
            continue  # a bound of 0 or infinity: checked by hand in the test

        def excess(log_theta):
            return test_proportions_2indep(
                x1, n1, x2, n2, value=math.exp(log_theta), method="score", compare="ratio",
                correction=False).pvalue - (1 - level)

        centre = math.log((x1 / n1) / (x2 / n2))
        lo = math.exp(brentq(excess, centre - 30, centre, xtol=1e-14))
        hi = math.exp(brentq(excess, centre, centre + 30, xtol=1e-14))
        print(row((x1, n1, x2, n2, level, lo, hi)))
print("// NewcombeP")
for x1, n1, x2, n2 in TWO:
    d = x1 / n1 - x2 / n2
    if d == 0:
        continue  # 1 by definition, checked by hand in the test

    def bound(alpha):
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff",
                                            alpha=alpha)
        return lo if d > 0 else -hi

    # The bound nearer 0 crosses it at alpha = p (it is monotone in alpha).
    p = brentq(bound, 1e-300, 1 - 1e-12, xtol=1e-300, rtol=1e-13)
    print(row((x1, n1, x2, n2, 0, p, 0)))
