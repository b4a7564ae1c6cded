#!/usr/bin/env python3
"""coverage.py DIR... — do the frameworks in these folders (genframework.py's
output, one per seed) between them hold every feature the generated test is
meant to cover? Prints "ok - coverage: FEATURE" or "not ok - ..." for each and
exits with the number missing.
"""
import csv
import json
import os
import sys
from fractions import Fraction


def rows(d, name):
    with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    seen = set()
    for d in sys.argv[1:]:
        meta = json.load(open(os.path.join(d, "meta.json"), encoding="utf-8"))
        seen.add("financial year starting in month %d" % meta["fy_start"])
        seen.add("%d area(s)" % len(meta["areas"]))
        n = len(meta["projects"])
        seen.add("no projects" if n == 0 else "150 or more projects" if n >= 150 else "some projects")
        freq = {}
        for r in rows(d, "indicators.csv"):
            seen.update({"unit " + r["unit"], "polarity " + r["polarity"], "frequency " + r["frequency"]})
            if r["aggregate"]:
                seen.add("aggregate " + r["aggregate"])
            if r["formula"]:
                seen.add("a formula")
                if any(p.strip().endswith(".total") for p in r["formula"].split("+")):
                    seen.add("a formula of a formula")
            if "\n" in r["title"]:
                seen.add("a title with a newline")
            if len(r["title"]) > 150:
                seen.add("a title over 150 characters")
            if any(ord(c) > 0xFFFF for c in r["title"]):
                seen.add("an emoji in a title")
            if "<script>" in r["title"]:
                seen.add("markup in a title")
            freq[r["code"]] = r["frequency"]
        for a in meta["areas"]:
            if any(ord(c) > 127 for c in a):
                seen.add("a non-ASCII area name")
        months = {}
        for r in rows(d, "values.csv"):
            if r["denominator"] == "0":
                seen.add("a zero denominator")
            v = r["value"] if r["value"] and not r["denominator"] else r["denominator"]
            if v:
                q = Fraction(v)
                seen.add("a zero value" if q == 0 else "a negative value" if q < 0 else "a positive value")
                if abs(q) >= 999999999999:
                    seen.add("a value of 999999999999 or more (10^12)")
            if freq.get(r["indicator"]) == "month" and " Q" in r["period"]:
                seen.add("a quarter's value of a monthly indicator")
            months.setdefault((r["indicator"], r["area"]), set()).add(r["period"])
        if any(len(p) >= 150 for p in months.values()):
            seen.add("150 or more periods of one series")
        if any(len(p) == 1 for p in months.values()):
            seen.add("a series of one value")
    want = ["unit " + u for u in ("count", "percent", "number", "rate", "currency")]
    want += ["aggregate " + a for a in ("sum", "ratio", "mean", "last")]
    want += ["frequency " + f for f in ("month", "quarter", "year")]
    want += ["polarity " + p for p in ("lower", "higher", "none")]
    want += ["financial year starting in month %d" % m for m in (1, 4, 7)]
    want += ["%d area(s)" % n for n in (1, 2, 3, 4)]
    want += ["no projects", "some projects", "150 or more projects", "a formula", "a formula of a formula",
             "a title with a newline", "a title over 150 characters", "an emoji in a title", "markup in a title",
             "a non-ASCII area name", "a zero denominator", "a zero value", "a negative value",
             "a value of 999999999999 or more (10^12)", "a quarter's value of a monthly indicator",
             "150 or more periods of one series", "a series of one value"]
    bad = 0
    for w in want:
        if w in seen:
            print("ok - coverage: %s" % w)
        else:
            bad += 1
            print("not ok - coverage: %s" % w)
    sys.exit(bad)


if __name__ == "__main__":
    main()
