#!/usr/bin/env python3
"""expected.py — the figures of `kpi compare` and `kpi delivery`, computed
independently of kpi from the CSV files genframework.py writes, by the rules of
README.md "Input files" and "How the figures are computed" (exact fractions,
rounding half away from zero once), and compared with what kpi printed.

  expected.py [--label L] compare DIR PERIOD AREA|- KPI_CSV [PERIOD AREA|- KPI_CSV...]
      the rows of `kpi compare --format csv` (AREA: what --area was, - for none)
  expected.py [--label L] delivery DIR PERIOD KPI_CSV [PERIOD KPI_CSV...]
      the rows of `kpi delivery --format csv`
  expected.py [--label L] json DIR CSV JSON [CSV JSON...]
      the rows of `--format json` are those of `--format csv` (numbers read exactly)
  expected.py [--label L] table DIR CSV TXT [CSV TXT...]
      `--format table` has one line per row of `--format csv`

For each: "ok - L: ..." or "not ok - L: ..." followed by the differences (at
most 20); the exit status is the number of checks that failed.

The model, in words (written from the README, not from kpi's code):
- a value covers the months of its period; a span's figure is covered by the
  values that lie wholly inside it; a month of the span not covered is missing,
  and then the figure is empty (the generator never makes values overlap);
- sum: the sum; ratio: sum of numerators / sum of denominators × 100, empty when
  the denominators add to zero; mean: the months-weighted mean over the span;
  last: the value covering the span's last month;
- a formula indicator has, for every period one of its parts has a value for,
  the sum of its parts' figures over that period when every part has one;
- previous: the same span a year earlier; ytd: from the first month of the
  financial year of the period's last month to that month; change = value −
  previous; change_pct = change / previous × 100 (not for percentages, not when
  previous is 0); the same for the year to date;
- target: the target of the financial year of the period's first month;
  target_to_date = target × months of the year to date / 12 for sums, else the
  target; RAG compares ytd with target_to_date: green on or better, amber worse
  by at most |target_to_date| × tolerance / 100, red beyond (none without a
  polarity, target or ytd); direction compares value with previous;
- note: "no figure for R1, R2 and R3" (every missing month of value, previous,
  ytd and ytd_previous, once, in runs of consecutive months split where a
  financial year starts; a run that is a whole financial year is its name,
  "2010/11" ("2010" for a January start), any other its months in words: "July
  2011", "July to September 2011", "November 2010 to February 2011"), then
  "denominator is zero" when a covered ratio span had none, joined by "; ";
- a row for every indicator and area with a value in the period's financial
  year or the one before, or with a target; with an area given, every indicator.
A change whose exact fraction needs more than ~100 bits may be left empty by
kpi with the note "change too large to compute exactly": that is accepted.
"""
import csv
import io
import json
import os
import sys
from fractions import Fraction

COLS = ["indicator", "title", "area", "period", "value", "previous", "change", "change_pct", "ytd",
        "ytd_previous", "ytd_change_pct", "target", "target_to_date", "rag", "direction", "note"]
# The statistical process control columns that follow the note (docs/spc.md). Their exact
# figures are checked against hand-worked series and a second method in tests/e2e/spc.sh and
# tests/unit/test_spc.c; here every row is checked for what must hold whatever the data.
SPC_COLS = ["variation", "assurance", "spc_mean", "spc_lower", "spc_upper", "significance", "p_value"]
VARIATIONS = {"", "common", "improvement-high", "concern-low", "concern-high", "improvement-low",
              "neutral-high", "neutral-low"}
SPC_NOTE_PREFIXES = ("fewer than 12 points", "SPC leaves out", "SPC baseline of", "SPC too large",
                     "no significance test")


def strip_spc_notes(note):
    """The note without the parts the SPC columns add (they follow the compare notes)."""
    return "; ".join(p for p in note.split("; ") if p and not p.startswith(SPC_NOTE_PREFIXES))


def spc_problems(row, kind):
    """What is wrong with a row's SPC columns, by rules that hold for any data."""
    out = []
    v, a = row["variation"], row["assurance"]
    if v not in VARIATIONS:
        out.append("variation %r" % v)
    if a not in ("", "pass", "fail", "hit-and-miss"):
        out.append("assurance %r" % a)
    lim = [row[c] for c in ("spc_lower", "spc_mean", "spc_upper")]
    if (v == "") != (lim == ["", "", ""]):
        out.append("variation %r with limits %r" % (v, lim))
    if v and not (Fraction(lim[0]) <= Fraction(lim[1]) <= Fraction(lim[2])):
        out.append("limits out of order %r" % lim)
    if a and not v:
        out.append("assurance without limits")
    if v and kind["polarity"] == "none" and (v.startswith("improvement") or v.startswith("concern")):
        out.append("polarity none but %r" % v)
    if v and kind["polarity"] != "none" and v.startswith("neutral"):
        out.append("polarity %s but %r" % (kind["polarity"], v))
    sig, p = row["significance"], row["p_value"]
    if sig not in ("", "none", "increase", "decrease"):
        out.append("significance %r" % sig)
    if sig and not (kind["unit"] == "count" and kind["aggregate"] == "sum"):
        out.append("significance for a %s/%s indicator" % (kind["unit"], kind["aggregate"]))
    if (sig == "") != (p == ""):
        out.append("significance %r with p %r" % (sig, p))
    if p:
        if not (0 <= Fraction(p) <= 1) or len(p.split(".")[-1]) != 3:
            out.append("p_value %r" % p)
        elif (sig == "none") != (Fraction(p) >= Fraction(5, 100)) and p != "0.050":
            out.append("significance %r but p %r" % (sig, p))
        elif sig in ("increase", "decrease") and row["change"]:
            if (sig == "increase") != (Fraction(row["change"]) > 0):
                out.append("significance %r but change %r" % (sig, row["change"]))
    return out
DEFAULT_AGG = {"percent": "ratio", "rate": "mean"}
STATUSES = ["green", "amber", "red", "complete", "unreported"]


def micro(text):
    """Decimal text → exact Fraction."""
    return Fraction(text.strip())


class Cal:
    def __init__(self, fy_start):
        self.fs = fy_start

    def fy_of(self, m):
        y, mo = divmod(m, 12)
        return y if mo + 1 >= self.fs else y - 1

    def fy_first(self, fy):
        return fy * 12 + self.fs - 1

    def parse(self, t):
        """Period text (canonical forms) → (first month, months)."""
        t = t.strip()
        if " Q" in t:
            fy, q = t.split(" Q")
            return self.fy_first(int(fy.split("/")[0])) + 3 * (int(q) - 1), 3
        if "/" in t or (self.fs == 1 and len(t) == 4):
            return self.fy_first(int(t.split("/")[0])), 12
        y, mo = t.split("-")
        return int(y) * 12 + int(mo) - 1, 1

    MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]

    def year_name(self, fy):
        return "%d" % fy if self.fs == 1 else "%d/%02d" % (fy, (fy + 1) % 100)

    def run_text(self, a, b):
        """Months a..b (inclusive, one financial year) in words."""
        if b - a == 11:
            return self.year_name(self.fy_of(a))
        ya, yb = a // 12, b // 12
        na, nb = self.MONTHS[a % 12], self.MONTHS[b % 12]
        if a == b:
            return "%s %d" % (na, ya)
        if ya == yb:
            return "%s to %s %d" % (na, nb, yb)
        return "%s %d to %s %d" % (na, ya, nb, yb)

    def gaps_text(self, months):
        runs = []
        for m in sorted(set(months)):
            if runs and m == runs[-1][1] + 1 and self.fy_of(m) == self.fy_of(runs[-1][0]):
                runs[-1][1] = m
            else:
                runs.append([m, m])
        words = [self.run_text(a, b) for a, b in runs]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def fmt(q, decimals):
    """Round half away from zero to `decimals` places; no sign on a zero result."""
    neg = q < 0
    a = abs(q) * 10**decimals
    whole = (a.numerator * 2 + a.denominator) // (2 * a.denominator)
    s = str(whole).rjust(decimals + 1, "0")
    if decimals:
        s = s[:-decimals] + "." + s[-decimals:]
    return "-" + s if neg and whole else s


class Model:
    def __init__(self, d):
        self.meta = json.load(open(os.path.join(d, "meta.json"), encoding="utf-8"))
        self.cal = Cal(self.meta["fy_start"])
        home = self.meta["home"]
        self.inds = []
        with open(os.path.join(d, "indicators.csv"), encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                unit = r["unit"] or "count"
                agg = r["aggregate"] or DEFAULT_AGG.get(unit, "sum")
                dec = int(r["decimals"]) if r["decimals"] else (0 if unit == "count" else 1)
                self.inds.append({"code": r["code"], "title": r["title"], "unit": unit, "agg": agg,
                                  "dec": dec, "pol": r["polarity"] or "none",
                                  "parts": [p.strip() for p in r["formula"].split("+")] if r["formula"] else None})
        self.by_code = {i["code"]: i for i in self.inds}
        self.kind = lambda code: {"polarity": self.by_code[code]["pol"], "unit": self.by_code[code]["unit"],
                                  "aggregate": self.by_code[code]["agg"]}
        self.values = {}  # (code, area) -> list of (first, months, value, num, den)
        with open(os.path.join(d, "values.csv"), encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                first, n = self.cal.parse(r["period"])
                area = r["area"].strip() or home
                num = micro(r["numerator"]) if r["numerator"].strip() else None
                den = micro(r["denominator"]) if r["denominator"].strip() else None
                v = micro(r["value"]) if r["value"].strip() else None
                self.values.setdefault((r["indicator"], area), []).append((first, n, v, num, den))
        self.targets = {}  # (code, area, fy) -> (target, tolerance)
        with open(os.path.join(d, "targets.csv"), encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                area = r["area"].strip() or home
                fy = self.cal.parse(r["year"])[0]
                tol = micro(r["tolerance"]) if r["tolerance"].strip() else Fraction(5)
                self.targets[(r["indicator"], area, self.cal.fy_of(fy))] = (micro(r["target"]), tol)
        self.areas = sorted({a for (_, a) in self.values} | {a for (_, a, _) in self.targets} | {home})

    # ---- a series in the window [lo, hi] of months ----
    def series(self, code, area, lo, hi, memo):
        key = (code, area)
        if key in memo:
            return memo[key]
        ind = self.by_code[code]
        if not ind["parts"]:
            s = [v for v in self.values.get(key, []) if lo <= v[0] <= hi]
        else:
            parts = [self.series(p, area, lo, hi, memo) for p in ind["parts"]]
            periods = []
            for ps in parts:
                for v in ps:
                    if (v[0], v[1]) not in periods:
                        periods.append((v[0], v[1]))
            s = []
            for (first, n) in periods:
                total = Fraction(0)
                for p, ps in zip(ind["parts"], parts):
                    fig, miss, _ = self.aggregate(self.by_code[p], ps, first, n)
                    if fig is None:
                        break
                    total += fig
                else:
                    s.append((first, n, total, None, None))
        memo[key] = s
        return s

    @staticmethod
    def aggregate(ind, s, first, n):
        """(figure or None, missing months, denominator-zero flag)."""
        end = first + n
        inside = {}
        for v in s:
            if v[0] >= first and v[0] + v[1] <= end:
                inside[v[0]] = v
        pieces, missing, m = [], [], first
        while m < end:
            v = inside.get(m)
            if v is None:
                missing.append(m)
                m += 1
            else:
                pieces.append(v)
                m += v[1]
        if missing:
            return None, missing, False
        agg = ind["agg"]
        if agg == "sum":
            return sum((v[2] for v in pieces), Fraction(0)), [], False
        if agg == "mean":
            return sum((v[2] * v[1] for v in pieces), Fraction(0)) / n, [], False
        if agg == "last":
            return pieces[-1][2], [], False
        num = sum((v[3] if v[3] is not None else v[2] for v in pieces), Fraction(0))
        den = sum((v[4] if v[4] is not None else Fraction(100) for v in pieces), Fraction(0))
        if den == 0:
            return None, [], True
        return num / den * 100, [], False

    def compare(self, period_text, only_area):
        cal = self.cal
        pfirst, pn = cal.parse(period_text)
        plast = pfirst + pn - 1
        fy = cal.fy_of(pfirst)
        lo, hi = cal.fy_first(fy - 1), cal.fy_first(fy + 1) - 1
        yfirst = cal.fy_first(cal.fy_of(plast))
        yn = plast - yfirst + 1
        rows = {}
        for area in ([only_area] if only_area else self.areas):
            memo = {}
            for ind in self.inds:
                code = ind["code"]
                s = self.series(code, area, lo, hi, memo)
                has_target = any(k[0] == code and k[1] == area for k in self.targets)
                if not only_area and not s and not has_target:
                    continue
                figs, missing, denzero = {}, [], False
                for name, f0, n in (("value", pfirst, pn), ("previous", pfirst - 12, pn),
                                    ("ytd", yfirst, yn), ("ytd_previous", yfirst - 12, yn)):
                    fig, miss, dz = self.aggregate(ind, s, f0, n)
                    figs[name] = fig
                    missing += miss
                    denzero = denzero or dz
                r = {c: "" for c in COLS}
                r.update(indicator=code, title=ind["title"], area=area, period=period_text)
                exact = dict(figs)
                v, p, y, yp = figs["value"], figs["previous"], figs["ytd"], figs["ytd_previous"]
                if v is not None and p is not None:
                    exact["change"] = v - p
                    if ind["unit"] != "percent" and p != 0:
                        exact["change_pct"] = (v - p) / p * 100
                if ind["unit"] != "percent" and y is not None and yp is not None and yp != 0:
                    exact["ytd_change_pct"] = (y - yp) / yp * 100
                t = self.targets.get((code, area, fy))
                rag = "none"
                if t:
                    exact["target"] = t[0]
                    ttd = t[0] * yn / 12 if ind["agg"] == "sum" else t[0]
                    exact["target_to_date"] = ttd
                    if y is not None and ind["pol"] != "none":
                        band = abs(ttd) * t[1] / 100
                        if ind["pol"] == "lower":
                            rag = "green" if y <= ttd else "amber" if y <= ttd + band else "red"
                        else:
                            rag = "green" if y >= ttd else "amber" if y >= ttd - band else "red"
                r["rag"] = rag
                direction = "none"
                if v is not None and p is not None and ind["pol"] != "none":
                    better = v < p if ind["pol"] == "lower" else v > p
                    direction = "same" if v == p else "improving" if better else "worsening"
                r["direction"] = direction
                for c, q in exact.items():
                    if q is not None:
                        r[c] = fmt(q, 1 if c.endswith("change_pct") else ind["dec"])
                notes = []
                if missing:
                    notes.append("no figure for " + self.cal.gaps_text(missing))
                if denzero:
                    notes.append("denominator is zero")
                r["note"] = "; ".join(notes)
                r["_exact"] = exact
                r["_ops"] = {"change": (v, p), "change_pct": (v, p), "ytd_change_pct": (y, yp)}
                rows[(code, area)] = r
        return rows


def bits(q):
    return max(q.numerator.bit_length(), q.denominator.bit_length())


def main_compare(d, period, area, kpi_csv):
    m = Model(d)
    want = m.compare(period, None if area == "-" else area)
    got = {}
    with open(kpi_csv, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLS + SPC_COLS:
            print("columns differ: %s" % reader.fieldnames)
            return 1
        for r in reader:
            k = (r["indicator"], r["area"])
            if k in got:
                print("row twice: %s" % (k,))
            got[k] = r
    diffs = []
    for k in sorted(set(want) - set(got)):
        diffs.append("missing row %s" % (k,))
    for k in sorted(set(got) - set(want)):
        diffs.append("unexpected row %s: %s" % (k, dict(got[k])))
    for k in sorted(set(want) & set(got)):
        w, g = want[k], got[k]
        for problem in spc_problems(g, m.kind(k[0])):
            diffs.append("%s %s %s SPC: %s" % (period, k[0], k[1][:30], problem))
        g = dict(g)
        g["note"] = strip_spc_notes(g["note"])
        too_large = "change too large to compute exactly" in g["note"]
        for c in COLS:
            wc, gc = w[c], g[c]
            if c == "note" and too_large:
                gc = gc.replace("; change too large to compute exactly", "").replace(
                    "change too large to compute exactly", "")
            if wc == gc:
                continue
            if too_large and gc == "" and c in ("change", "change_pct", "ytd_change_pct"):
                a, b = w["_ops"][c]
                if bits(a) + bits(b) > 100:
                    continue  # beyond 128-bit exact arithmetic: kpi says so in the note
            diffs.append("%s %s %s %s: kpi %r, expected %r (exact %s)" % (
                period, k[0], k[1][:30], c, gc, wc, w["_exact"].get(c)))
    for line in diffs[:20]:
        print(line)
    if diffs:
        print("%d differences" % len(diffs))
        return 1
    print("same: %d rows" % len(want))
    return 0


def main_delivery(d, period, kpi_csv):
    meta = json.load(open(os.path.join(d, "meta.json"), encoding="utf-8"))
    cal = Cal(meta["fy_start"])
    pfirst, pn = cal.parse(period)
    plast = pfirst + pn - 1
    best = {}
    with open(os.path.join(d, "statuses.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            first, n = cal.parse(r["period"])
            if first >= pfirst and first + n - 1 <= plast:
                key = (first + n, n)  # the latest end, then the longest span
                if r["project"] not in best or key > best[r["project"]][0]:
                    best[r["project"]] = (key, r["status"].strip().lower())
    counts = dict.fromkeys(STATUSES, 0)
    for p in meta["projects"]:
        counts[best[p][1] if p in best else "unreported"] += 1
    reported = sum(counts[s] for s in STATUSES[:4])
    pct = dict.fromkeys(STATUSES[:4], 0)
    if reported:
        rem = {}
        for s in STATUSES[:4]:
            pct[s], rem[s] = divmod(counts[s] * 100, reported)
        left = 100 - sum(pct.values())
        order = sorted(STATUSES[:4], key=lambda s: (-rem[s], -counts[s], STATUSES.index(s)))
        for s in order[:left]:
            pct[s] += 1
    want = [["status", "count", "percent"]]
    for s in STATUSES:
        want.append([s, str(counts[s]), str(pct[s]) if reported and s != "unreported" else ""])
    want.append(["total", str(len(meta["projects"])), "100" if reported else ""])
    got = list(csv.reader(open(kpi_csv, encoding="utf-8", newline="")))
    if got != want:
        print("delivery %s: kpi %s, expected %s" % (period, got, want))
        return 1
    print("same: %d rows" % (len(want) - 1))
    return 0


def main_json(csv_path, json_path):
    """The rows of `--format json` are those of `--format csv`: the same cells,
    numbers as JSON numbers (read exactly) and empty cells as null."""
    from decimal import Decimal
    rows = list(csv.DictReader(open(csv_path, encoding="utf-8", newline="")))
    js = json.loads(open(json_path, encoding="utf-8").read(), parse_float=Decimal, parse_int=Decimal)
    diffs = []
    if len(rows) != len(js):
        diffs.append("%d csv rows, %d json rows" % (len(rows), len(js)))
    for k, (c, j) in enumerate(zip(rows, js)):
        if list(c) != list(j):
            diffs.append("row %d: keys %s, json %s" % (k + 1, list(c), list(j)))
            continue
        for key, cell in c.items():
            v = j[key]
            if isinstance(v, Decimal):
                same = cell != "" and Decimal(cell) == v
            elif v is None:
                same = cell == ""
            else:
                same = v == cell
            if not same:
                diffs.append("row %d %s: csv %r, json %r" % (k + 1, key, cell, v))
    for line in diffs[:20]:
        print(line)
    if diffs:
        return 1
    print("same: %d rows" % len(rows))
    return 0


def main_table(csv_path, txt_path):
    """`--format table` has one line per row of `--format csv` (after its
    header and rule), each starting with the row's first cell."""
    rows = list(csv.reader(open(csv_path, encoding="utf-8", newline="")))
    lines = open(txt_path, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(rows) + 1:
        print("%d table lines for %d csv rows (and a header)" % (len(lines), len(rows) - 1))
        return 1
    for k, (r, line) in enumerate(zip(rows[1:], lines[2:])):
        if not line.startswith(r[0]):
            print("line %d: %r does not start with %r" % (k + 3, line[:80], r[0]))
            return 1
    print("%d rows" % (len(rows) - 1))
    return 0


def main():
    """Each check prints "ok - LABEL: ..." or "not ok - LABEL: ..." with its
    differences; the exit status is the number of checks that failed."""
    a = sys.argv[1:]
    label = "expected.py"
    if len(a) > 2 and a[0] == "--label":
        label, a = a[1], a[2:]
    if len(a) >= 5 and a[0] == "compare" and (len(a) - 2) % 3 == 0:
        jobs = [(main_compare, "compare %s%s" % (p, "" if ar == "-" else " --area " + ar), (a[1], p, ar, f))
                for p, ar, f in zip(a[2::3], a[3::3], a[4::3])]
    elif len(a) >= 4 and a[0] == "delivery" and len(a) % 2 == 0:
        jobs = [(main_delivery, "delivery %s" % p, (a[1], p, f)) for p, f in zip(a[2::2], a[3::2])]
    elif len(a) >= 4 and a[0] == "table" and len(a) % 2 == 0:
        jobs = [(main_table, "table %s = csv %s" % (t, c), (c, t)) for c, t in zip(a[2::2], a[3::2])]
    elif len(a) >= 4 and a[0] == "json" and len(a) % 2 == 0:
        jobs = [(main_json, "json %s = csv %s" % (j, c), (c, j)) for c, j in zip(a[2::2], a[3::2])]
    else:
        sys.exit(__doc__.split("\n\n")[1])
    bad = 0
    for fn, what, args in jobs:
        buf = io.StringIO()
        stdout, sys.stdout = sys.stdout, buf
        try:
            rc = fn(*args)
        except Exception as e:  # a file kpi wrote that cannot be read is a failure too
            print("%s: %s" % (type(e).__name__, e))
            rc = 1
        sys.stdout = stdout
        lines = buf.getvalue().splitlines()
        eq = "" if fn in (main_json, main_table) else " = expected.py"
        if rc == 0:
            print("ok - %s: %s%s (%s)" % (label, what, eq, lines[-1] if lines else ""))
        else:
            bad += 1
            print("not ok - %s: %s%s" % (label, what, eq))
            for line in lines:
                print("  " + line)
    sys.exit(min(bad, 100))


if __name__ == "__main__":
    main()
