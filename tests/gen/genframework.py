#!/usr/bin/env python3
"""genframework.py SEED OUTDIR — a random but valid kpi framework, the same for
the same SEED (Python 3, standard library only).

Writes into OUTDIR the CSV files `kpi import` reads (README "Input files"):
indicators.csv, values.csv, targets.csv, projects.csv, statuses.csv, and
areas.csv (area,code) for a kpi that has `kpi import areas`; a report template
template.md that uses every directive of docs/templates.md; and meta.json:
the home area, the first month of the financial year, the periods worth
comparing (one of them with no data at all), the areas, indicator and project
codes, and values to POST through the API.

What a framework holds: every unit, aggregate, frequency and polarity;
formula indicators (sums of parts of the same unit, aggregate and frequency);
1 to 180 months of history per series with missing months; monthly indicators
with some quarters given as one quarter value; zero, negative (not for counts)
and 10^12-sized values; zero denominators (0 out of 0) for ratio indicators that are
not percentages; percentages with numerator <= denominator and denominator > 0;
long and non-ASCII titles (some with a newline) and area names; 0 to 200
projects with statuses.
Values stay inside what kpi stores (|value| < 10^12, six decimals) and formula
parts are small enough that their sum does too.
"""
import csv
import json
import os
import random
import sys

UNITS = ["count", "percent", "number", "rate", "currency"]
AGGREGATES = ["sum", "ratio", "mean", "last"]
FREQS = ["month", "quarter", "year"]
POLARITIES = ["lower", "higher", "none"]
STATUSES = ["green", "amber", "red", "complete", "unreported"]
MAXV = 999999999999  # largest whole part a stored value may have

WORDS = ["crime", "Burglary", "fires", "waits", "Café", "Łódź", "Gwasanaeth ŵyr", "東京", "数据",
         "🚒", "naïve", "Ærø", "ß", "\"quoted\"", "a, comma", "<script>alert(1)</script>", "&amp;",
         "O'Brien", "résumé", "Ŵ", "ĳ", "Straße", "≥ 5", "½", "tab\there", "100%", "{{not a directive}}",
         "*star*", "under_score", "#hash", "back\\slash", "Zürich"]
AREA_BASE = ["Chorley", "Ynys Môn", "Llanfair ŵ", "Łęczyca", "Île-de-France", "東京都", "Åre",
             "O'Neill Ward", "\"Quoted\" Town", "Comma, Place", "<b>Bold</b> Borough", "🏴 Flag End",
             "São Paulo", "Niederösterreich", "Kraków-Śródmieście", "Dún Laoghaire"]


def fmt_micro(m):
    """A micro-unit integer as the decimal text kpi reads (at most 6 places)."""
    neg = m < 0
    m = abs(m)
    whole, frac = divmod(m, 10**6)
    s = str(whole)
    if frac:
        s += "." + ("%06d" % frac).rstrip("0")
    return "-" + s if neg else s


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.r = random.Random(seed)
        r = self.r
        # Features of this framework, chosen by the seed.
        self.fy_start = r.choice([4, 4, 4, 1, 7])
        self.big = r.random() < 0.5          # 10^12-sized values
        self.wide = r.random() < 0.3         # an unbreakable word in a title
        self.nareas = r.randint(1, 4)
        self.ninds_extra = r.randint(0, 14)
        self.nprojects = r.choice([0, r.randint(1, 20), r.randint(20, 200)])
        self.maxhist = r.choice([1, 12, 40, 180, r.randint(1, 180)])
        self.pmiss = r.choice([0.0, 0.02, 0.1, 0.3])
        self.end = r.randint(2008 * 12, 2030 * 12)  # the last month with data (absolute)
        if r.random() < 0.7:  # most often the data end with a quarter of the financial year
            self.end = self.quarter_first(self.end) + 2

    # ---- names ----
    def text(self, lo, hi):
        r = self.r
        n = r.randint(lo, hi)
        t = " ".join(r.choice(WORDS) for _ in range(n))
        return t.replace("\t", " ")

    def title(self, i):
        r = self.r
        kind = r.random()
        if kind < 0.15:
            t = self.text(25, 45)  # long
        elif kind < 0.6:
            t = self.text(1, 4)
        else:
            t = r.choice(["All Crime", "Accidental Dwelling Fires", "Satisfaction", "Average wait (days)",
                          "Budget", "Rate per 1,000"]) + " " + self.text(0, 2)
        if self.wide and i % 5 == 0:
            t += " " + "Supercalifragilistic" * 4
        if r.random() < 0.05:
            t = t.replace(" ", "\n", 1)  # a quoted newline inside the title
        return (t.strip() or "Indicator") + " #%d" % i

    def areas(self):
        r = self.r
        names = r.sample(AREA_BASE, self.nareas)
        if r.random() < 0.3:
            names[-1] = names[-1] + " " + "Long-named ward " * 10  # under 200 bytes
        return [n.strip() for n in names]

    # ---- periods ----
    def fy_of(self, m):
        y, mo = divmod(m, 12)
        return y if mo + 1 >= self.fy_start else y - 1

    def fy_first(self, fy):
        return fy * 12 + self.fy_start - 1

    def quarter_first(self, m):
        f = self.fy_first(self.fy_of(m))
        return f + (m - f) // 3 * 3

    def pmonth(self, m):
        return "%04d-%02d" % (m // 12, m % 12 + 1)

    def pyear(self, fy):
        return "%d" % fy if self.fy_start == 1 else "%d/%02d" % (fy, (fy + 1) % 100)

    def pquarter(self, m):
        f = self.fy_first(self.fy_of(m))
        return "%s Q%d" % (self.pyear(self.fy_of(m)), (m - f) // 3 + 1)

    # ---- numbers ----
    def number(self, unit, neg_ok, cap):
        r = self.r
        x = r.random()
        if x < 0.08:
            v = 0
        elif x < 0.25 and self.big:
            v = cap * 10**6 if unit == "count" else r.choice(
                [cap * 10**6, cap * 10**6 + 999999, r.randint(cap * 10**5, cap * 10**6 + 999999)])
        elif unit == "count":
            v = r.randint(0, 2000) * 10**6
        elif unit == "percent":
            v = r.randint(0, 100 * 10**6) // r.choice([1, 10**4, 10**5])*r.choice([1, 10**4, 10**5])
        else:
            v = r.randint(0, 10**10) // r.choice([1, 1000, 10**6]) * r.choice([1, 1000])
        v = min(v, cap * 10**6 + 999999)
        if neg_ok and r.random() < 0.25:
            v = -v
        return v

    def ratio(self, unit, allow_zero_den):
        """(numerator, denominator) in micro-units."""
        r = self.r
        x = r.random()
        if allow_zero_den and x < 0.1:
            return (0, 0)  # nothing to count that period (any other x out of 0 is refused)
        if self.big and x < 0.18:
            # near 10^12 with every one of the six decimals used: fractions that
            # need most of 128 bits once several are added
            den = r.choice([MAXV * 10**6, MAXV * 10**6 + 999999, 10**17, r.randint(10**17, MAXV * 10**6 + 999999)])
        else:
            den = r.randint(1, 5000) * 10**6 // r.choice([1, 1, 1000])
            den = max(den, 1)
        if unit == "percent":
            num = r.choice([0, den, r.randint(0, den)])
        else:
            num = r.randint(0, min(den * 3, MAXV * 10**6))
        return (num, den)

    # ---- the framework ----
    def run(self, out):
        r = self.r
        os.makedirs(out, exist_ok=True)
        areas = self.areas()
        home = areas[0]
        partners = ["Police", "Cyngor Sir Ynys Môn", "NHS \"Central\"", "Łódź, Fire & Rescue", "東京 Partners"]
        inds = []  # dicts
        # Every unit × its aggregates, every frequency and polarity at least once.
        combos = []
        for u in UNITS:
            for a in AGGREGATES:
                if a == "ratio" and u == "count":
                    continue  # a count is a whole number: no ratio of counts
                combos.append((u, a))
        r.shuffle(combos)
        for k, (u, a) in enumerate(combos):
            inds.append({"unit": u, "aggregate": a, "frequency": FREQS[k % 3], "polarity": POLARITIES[k % 3]})
        for _ in range(self.ninds_extra):
            u = r.choice(UNITS)
            a = r.choice([x for x in AGGREGATES if not (x == "ratio" and u == "count")])
            inds.append({"unit": u, "aggregate": a, "frequency": r.choice(FREQS), "polarity": r.choice(POLARITIES)})
        for k, ind in enumerate(inds):
            ind["code"] = "g%02d.%s-%s" % (k, ind["unit"][:3], ind["aggregate"])
        # Formulas: 1-3 groups of 2-9 parts (sum aggregate, same unit and frequency).
        formulas = []
        for f in range(r.randint(1, 3)):
            u = r.choice(UNITS)
            fr = r.choice(["month", "month", "quarter", "year"])
            np_ = r.randint(2, 9)
            parts = []
            for p in range(np_):
                code = "f%d.part-%d" % (f, p)
                parts.append(code)
                inds.append({"code": code, "unit": u, "aggregate": "sum", "frequency": fr,
                             "polarity": r.choice(POLARITIES), "part": np_})
            fcode = "f%d.total" % f
            inds.append({"code": fcode, "unit": u, "aggregate": "sum", "frequency": fr,
                         "polarity": r.choice(POLARITIES), "formula": " + ".join(parts)})
            formulas.append(fcode)
            if f == 1:  # a formula of a formula
                inds.append({"code": "f1.grand", "unit": u, "aggregate": "sum", "frequency": fr,
                             "polarity": r.choice(POLARITIES), "formula": "f1.total + f1.part-0"})
                formulas.append("f1.grand")
        for k, ind in enumerate(inds):
            ind["title"] = self.title(k)
            ind["decimals"] = r.choice(["", "", "0", "1", "2", "6"])
            ind["partner"] = r.choice(partners + [""])
            ind["parent"] = inds[r.randrange(k)]["code"] if k and r.random() < 0.2 else ""
            ind["explicit_agg"] = r.random() < 0.7 or ind.get("formula") or ind["aggregate"] not in (
                {"percent": "ratio", "rate": "mean"}.get(ind["unit"], "sum"),)
        with open(os.path.join(out, "indicators.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["code", "title", "unit", "polarity", "aggregate", "frequency", "decimals", "parent",
                        "partner", "formula"])
            for ind in inds:
                w.writerow([ind["code"], ind["title"], ind["unit"], ind["polarity"],
                            ind["aggregate"] if ind["explicit_agg"] else "", ind["frequency"], ind["decimals"],
                            ind["parent"], ind["partner"], ind.get("formula", "")])

        # ---- values ----
        rows = []
        end = self.end
        for ind in inds:
            if ind.get("formula"):
                continue
            part = ind.get("part")
            cap = MAXV // 10 // part if part else MAXV
            neg_ok = ind["unit"] in ("number", "currency", "rate")
            for ai, area in enumerate(areas):
                if r.random() < 0.15 and ai > 0:
                    continue  # an area without this indicator
                hist = self.maxhist if r.random() < 0.6 else r.randint(1, self.maxhist)
                first = end - hist + 1
                step = {"month": 1, "quarter": 3, "year": 12}[ind["frequency"]]
                if step == 1:
                    m = first
                elif step == 3:
                    m = self.quarter_first(first)
                else:
                    m = self.fy_first(self.fy_of(first))
                while m <= end:
                    length = step
                    # a monthly indicator may get a whole quarter (or year) as one value
                    if step == 1 and not part and m == self.quarter_first(m) and r.random() < 0.06:
                        length = 3
                    if m + length - 1 > end:
                        break
                    if r.random() >= self.pmiss:
                        ptext = self.pmonth(m) if length == 1 else self.pquarter(m) if length == 3 else self.pyear(
                            self.fy_of(m))
                        row = {"indicator": ind["code"], "area": "" if (area == home and r.random() < 0.5) else area,
                               "period": ptext, "value": "", "numerator": "", "denominator": "", "note": ""}
                        if ind["aggregate"] == "ratio":
                            num, den = self.ratio(ind["unit"], ind["unit"] != "percent")
                            row["numerator"], row["denominator"] = fmt_micro(num), fmt_micro(den)
                            if den and r.random() < 0.2:
                                # a value that agrees at two decimals, rounded half away from zero
                                q = num * 100 * 100
                                v2 = (2 * q + den) // (2 * den)
                                row["value"] = "%d.%02d" % divmod(v2, 100)
                        else:
                            v = self.number(ind["unit"], neg_ok, cap)
                            if ind["unit"] == "percent" and not neg_ok:
                                v = min(v, 100 * 10**6) if not self.big else v
                            row["value"] = fmt_micro(v)
                        if r.random() < 0.05:
                            row["note"] = self.text(1, 8)
                        rows.append(row)
                    m += length
        r.shuffle(rows)
        with open(os.path.join(out, "values.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, ["indicator", "area", "period", "value", "numerator", "denominator", "note"])
            w.writeheader()
            w.writerows(rows)

        # ---- targets ----
        trows = []
        fy_end = self.fy_of(end)
        for ind in inds:
            for area in areas:
                if r.random() < 0.5:
                    continue
                for fy in range(fy_end - 2, fy_end + 1):
                    if r.random() < 0.3:
                        continue
                    if ind["unit"] == "percent":
                        t = r.randint(0, 100 * 10**6) // 10**5 * 10**5
                    elif ind["unit"] == "count":
                        t = r.randint(0, 5000) * 10**6
                    else:
                        t = r.randint(-5000 * 10**6, 5000 * 10**6) // 1000
                    if self.big and r.random() < 0.1 and ind["unit"] != "percent":
                        t = MAXV * 10**6
                    tol = r.choice(["", "0", "5", "2.5", "50", "12.345678"])
                    trows.append([ind["code"], "" if area == home and r.random() < 0.5 else area, self.pyear(fy),
                                  fmt_micro(t), tol])
        with open(os.path.join(out, "targets.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["indicator", "area", "year", "target", "tolerance"])
            w.writerows(trows)

        # ---- areas ----
        with open(os.path.join(out, "areas.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["area", "code"])
            for k, a in enumerate(areas):
                w.writerow([a, "E0%07d" % (k + 1) if r.random() < 0.7 else ""])

        # ---- projects and statuses ----
        projects = []
        with open(os.path.join(out, "projects.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["code", "title", "description", "lead", "key"])
            for k in range(self.nprojects):
                code = "p-%03d" % k
                desc = self.text(0, 30)
                if r.random() < 0.3:
                    desc += "\n- first point " + self.text(1, 3) + "\n- second point\n1. numbered"
                lead = r.choice(partners) + (" / " + r.choice(partners) if r.random() < 0.3 else "")
                w.writerow([code, self.title(k), desc, lead, r.choice(["yes", "no", ""])])
                projects.append(code)
        srows = []
        for code in projects:
            m = end - r.randint(0, 24)
            for _ in range(r.randint(0, 6)):
                kind = r.choice(["m", "m", "q"])
                p = self.pmonth(m) if kind == "m" else self.pquarter(m)
                srows.append([code, p, r.choice(STATUSES), self.text(0, 12) if r.random() < 0.7 else ""])
                m += r.randint(1, 4)
        # one (project, period) once
        seen, uniq = set(), []
        for s in srows:
            if (s[0], s[1]) not in seen:
                seen.add((s[0], s[1]))
                uniq.append(s)
        with open(os.path.join(out, "statuses.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["project", "period", "status", "commentary"])
            w.writerows(uniq)

        # ---- periods worth comparing ----
        periods = [self.pquarter(end), self.pmonth(end), self.pyear(self.fy_of(end) - 1),
                   self.pquarter(end - 3), self.pquarter(end - r.randint(3, 60)), self.pmonth(end - r.randint(1, 100))]
        empty = self.pquarter(end + 12 * 40)  # no data at all
        write_template(out, inds, projects, r)
        api = []
        for ind in inds:
            if ind.get("formula") or ind["frequency"] != "month":
                continue
            body = {"indicator": ind["code"], "area": areas[-1], "period": self.pmonth(end + 25)}
            if ind["aggregate"] == "ratio":
                body.update({"numerator": 3, "denominator": 4})
            else:
                body["value"] = 7
            body["note"] = "API ŵ <i>note</i>"
            api.append(body)
            if len(api) >= 3:
                break
        meta = {"seed": self.seed, "fy_start": self.fy_start, "home": home, "areas": areas,
                "periods": periods, "empty_period": empty, "post_period": self.pmonth(end + 25),
                "indicators": [i["code"] for i in inds], "projects": projects, "api_values": api,
                "features": {"big": self.big, "wide": self.wide, "nprojects": self.nprojects,
                             "maxhist": self.maxhist, "pmiss": self.pmiss, "nindicators": len(inds)}}
        with open(os.path.join(out, "meta.json"), "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)


def write_template(out, inds, projects, r):
    """A template that uses every directive of docs/templates.md."""
    codes = [i["code"] for i in inds]
    c0 = codes[0]
    some = r.sample(codes, min(len(codes), 6))
    cols = "title code partner previous value change change_pct ytd ytd_previous ytd_change_pct target " \
           "target_to_date rag direction note"
    lines = [
        "---",
        "title: \"{{period ordinal upper}} PARTNERSHIP REPORT {{year long}} — Ŵ 東京 <script>\"",
        "report_of: Director of \"Partnerships\", Łódź & Ynys Môn",
        "meeting: Executive Cabinet",
        "date: 1 April 2030",
        "purpose:",
        "  - To update members on performance from {{period span}}.",
        "  - A second, longer purpose that goes on",
        "    over the next line.",
        "recommendations:",
        "  - That the report be noted.",
        "reasons:",
        "  - Reasons *in italic* and **in bold**.",
        "alternatives:",
        "  - None.",
        "confidential: no",
        "key_decision: yes",
        "priorities:",
        "  - [x] Strong Family Support",
        "  - [ ] Being Healthy",
        "implications:",
        "  - [x] Finance",
        "  - [ ] Legal",
        "# a comment",
        "signatory: Jane O'Brien",
        "signatory_title: Director",
        "background_papers: There are no background papers to this report.",
        "author: Zoë Ŵyn",
        "extension: 5248",
        "author_date: 1 April 2030",
        "doc_id: GEN-REPORT",
        "---",
        "",
        "{{frame head}}",
        "",
        "# {{area}} in {{period words}}",
        "",
        "## Summary for {{period}} ({{period label}}, {{period short}}, {{period ordinal}}, {{period span}})",
        "",
        "- {{change %s subject=\"the first indicator\"}}" % c0,
        "- {{change %s period=\"this period\"}}" % codes[-1],
        "- {{target %s}}" % some[0],
        "- {{movement %s subject=\"the first\"}} and {{movement %s lead=no}}." % (c0, some[-1]),
        "  - nested {{year}} {{year long}} {{year ago}} {{period label ago}} {{period words capital}} "
        "{{period words title}} {{period ordinal upper}}",
        "",
        "{{frame decision}}",
        "",
        "{{frame priorities number=9}}",
        "",
        "{{frame implications intro=\"The report has these implications:\"}}",
        "",
        "#. A numbered paragraph with **bold**, *italic*, a literal \\* and \\{{ and 3 * 4.",
        "14. A paragraph numbered 14.",
        "#. The next: {{value %s}} {{value %s change abs=yes}} {{value %s ytd trim=yes}} "
        "{{value %s change_pct sign=yes}} {{value %s change sign=no}} {{value %s unit=no}} "
        "{{value %s decimals=3}} {{value %s zero=\"no\"}} {{value %s missing=\"nothing\"}} "
        "{{value %s words=yes}}." % tuple(r.choice(codes) for _ in range(10)),
        "",
        "### Every column",
        "",
    ]
    for c in cols.split():
        lines.append("- %s: {{value %s %s}}" % (c, r.choice(codes), c))
    lines += [
        "",
        "{{table %s}}" % " ".join(some),
        "",
        "{{table %s\n        columns=\"%s\"\n        headers=\"%s\"\n        caption=\"Every column, {period label}\"}}"
        % (" ".join(codes), cols, "|".join("H{period ago} %d" % k for k in range(len(cols.split())))),
        "",
        "{{table f0.*}}",
        "",
        "{{targets %s rag=yes caption=\"Targets\"}}" % " ".join(some),
        "",
        "{{targets %s headers=\"A|B|C\"}}" % c0,
        "",
        "{{chart %s}}" % " ".join(some[:3]),
        "",
        "{{chart %s kind=bar by=indicator columns=\"previous value ytd\" title=\"Bars {period label}\"}}"
        % " ".join(some),
        "",
        "{{chart %s kind=line by=month}}" % c0,
        "",
        "{{chart %s title=\"Every indicator\"}}" % " ".join(codes),
        "",
        "{{chart %s kind=line by=quarter title=\"Quarters of {year}\"}}" % some[-1],
        "",
        "{{chart %s kind=bar by=quarter}}" % some[0],
        "",
        "## Delivery plan {{year}}",
        "",
        "{{delivery}}",
        "",
        "{{delivery total}} items, {{delivery reported}} reported: {{delivery green}} green, "
        "{{delivery amber}} ({{delivery amber percent}}%) amber, {{delivery red}} red, "
        "{{delivery complete}} complete, {{delivery unreported words=yes}} unreported.",
        "",
        "{{projects key}}",
        "",
        "{{projects all}}",
        "",
    ]
    if projects:
        lines += ["{{projects %s}}" % " ".join(projects[:3]), ""]
    lines += [
        "There are {{projects key count words=yes}} key projects, {{projects key green}} green, "
        "{{projects all amber}} amber of {{projects all count}}.",
        "",
        "{{frame signature}}",
        "",
        "{{frame author}}",
        "",
    ]
    with open(os.path.join(out, "template.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: genframework.py SEED OUTDIR")
    Gen(int(sys.argv[1])).run(sys.argv[2])


if __name__ == "__main__":
    main()
