#!/usr/bin/python3
"""xlsx_figures.py -- one stored number and format for each figure of a kpi workbook.

usage: xlsx_figures.py BOOK.xlsx [--compare COMPARE.csv] [--delivery DELIVERY.csv]

Opens a workbook `kpi report --format xlsx` made (openpyxl; Debian's python3) and
checks, printing one line per problem and a last line "checked N figures in M sheets":

  * every percentage is stored the same way: a fraction with a % number format. A
    column headed with a '%' (or named *_pct on the Figures sheet) holds no number
    without a % format, and no number with a % format is outside such a column
    unless its column is a percentage indicator's figure;
  * every figure of a table sheet whose row is an indicator (its first cell is an
    indicator's title on the Figures sheet) has the same number and the same
    number format as one of that indicator's cells on the Figures sheet: a figure
    is stored once, the same wherever it appears;
  * with --compare (the CSV of `kpi compare --period P --area A`), every number of
    the Figures sheet is the CLI's figure (a percentage divided by 100), and an empty
    CLI cell is an empty workbook cell;
  * with --delivery (the CSV of `kpi delivery --period P`), the Delivery sheet's
    counts are the CLI's and its percentages the CLI's / 100, stored with a % format;
  * the Projects sheet's RAG Status is a word of present.h's table or blank, and the
    Figures sheet's rag is blank where the CLI says "none".

Exit status 1 when any problem was found, 2 on bad usage.
"""
import csv
import re
import sys

import openpyxl

EPS = 1e-9
RAG_WORDS = {"Green", "Amber", "Red", "Complete", "Not reported"}
PCT_COLS = {"change_pct", "ytd_change_pct"}


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def pct_format(fmt):
    return "%" in (fmt or "").replace('"%"', "")


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path, opts = argv[1], {}
    i = 2
    while i < len(argv):
        if argv[i] in ("--compare", "--delivery") and i + 1 < len(argv):
            opts[argv[i]] = argv[i + 1]
            i += 2
        else:
            print("xlsx_figures.py: unknown argument %s" % argv[i], file=sys.stderr)
            return 2
    wb = openpyxl.load_workbook(path)
    problems, figures = [], 0

    def bad(msg):
        problems.append("%s: %s" % (path, msg))

    # The Figures sheet: a row per indicator; its numbers by title.
    by_title, fig_rows = {}, {}
    if "Figures" in wb.sheetnames:
        f = wb["Figures"]
        head = [c.value for c in f[1]]
        for row in f.iter_rows(min_row=2):
            cells = {head[k]: row[k] for k in range(len(head))}
            fig_rows[cells["indicator"].value] = cells
            nums = [(c.value, c.number_format) for c in row if is_num(c.value)]
            for key in (cells["title"].value, cells["indicator"].value):  # a table shows the title, else the code
                if key:
                    by_title.setdefault(key, []).append(nums)
            for name, c in cells.items():
                if not is_num(c.value):
                    continue
                figures += 1
                if name in PCT_COLS and not pct_format(c.number_format):
                    bad("Figures!%s (%s) is %r with format %r: a %% change must be a fraction with a %% format"
                        % (c.coordinate, name, c.value, c.number_format))
    elif "--compare" in opts:
        bad("no Figures sheet")

    # Table sheets.
    for ws in wb.worksheets:
        if ws.title in ("Figures", "Projects", "Delivery"):
            continue
        head = [c.value for c in ws[1]]
        if head[:3] == ["Period", "Value", "Shows"]:
            continue  # an SPC chart's data (chart_value numbers, checked by spc_chart.sh)
        for row in ws.iter_rows(min_row=2):
            label = row[0].value if row else None
            for k, c in enumerate(row):
                if not is_num(c.value):
                    continue
                figures += 1
                h = str(head[k]) if k < len(head) and head[k] is not None else ""
                if re.search(r"(?<![0-9])%", h) and not pct_format(c.number_format):  # not "95% lower"
                    bad("%s!%s under '%s' is %r with format %r: a percentage must be a fraction with a %% format"
                        % (ws.title, c.coordinate, h, c.value, c.number_format))
                if isinstance(label, str) and label in by_title:
                    want = by_title[label]  # one list per indicator of that title
                    if not any(abs(v - c.value) <= EPS and fmt == c.number_format for nums in want for v, fmt in nums):
                        bad("%s!%s (%s, '%s') is %r with format %r; the Figures sheet stores that indicator's "
                            "figures as %s" % (ws.title, c.coordinate, label, h, c.value, c.number_format, want))

    # The Figures sheet against the CLI.
    if "--compare" in opts:
        with open(opts["--compare"], newline="") as fh:
            for r in csv.DictReader(fh):
                cells = fig_rows.get(r["indicator"])
                if cells is None:
                    bad("Figures has no row for %s" % r["indicator"])
                    continue
                for name, text in r.items():
                    c = cells.get(name)
                    if c is None:
                        bad("Figures has no column %s" % name)
                        continue
                    if name in ("indicator", "title", "area", "period", "note", "rag", "direction", "variation",
                                "assurance", "significance"):
                        if name == "rag" and text == "none":
                            text = ""  # the workbook leaves a rag blank where there is none
                        if (c.value or "") != text:
                            bad("Figures!%s (%s %s) is %r, the CLI says %r" % (c.coordinate, r["indicator"], name,
                                                                              c.value, text))
                        continue
                    if text == "":
                        if c.value is not None:
                            bad("Figures!%s (%s %s) is %r, the CLI has no figure" % (c.coordinate, r["indicator"],
                                                                                  name, c.value))
                        continue
                    want = float(text) / (100 if pct_format(c.number_format) else 1)
                    if not is_num(c.value) or abs(c.value - want) > EPS * max(1, abs(want)):
                        bad("Figures!%s (%s %s) is %r, the CLI says %s" % (c.coordinate, r["indicator"], name,
                                                                         c.value, text))

    # The Delivery sheet against the CLI.
    if "--delivery" in opts:
        if "Delivery" not in wb.sheetnames:
            bad("no Delivery sheet")
        else:
            d = wb["Delivery"]
            rows = {str(row[0].value): row for row in d.iter_rows(min_row=2)}
            word = {"green": "Green", "amber": "Amber", "red": "Red", "complete": "Complete",
                    "unreported": "Not reported", "total": "Total"}
            with open(opts["--delivery"], newline="") as fh:
                for r in csv.DictReader(fh):
                    row = rows.get(word.get(r["status"], r["status"]))
                    if row is None:
                        bad("Delivery has no row for %s" % r["status"])
                        continue
                    figures += 1
                    if row[1].value != int(r["count"]):
                        bad("Delivery %s count is %r, the CLI says %s" % (r["status"], row[1].value, r["count"]))
                    p = row[2].value
                    if r.get("percent", "") == "" or r["status"] in ("unreported", "total"):
                        if p is not None and r.get("percent", "") == "":
                            bad("Delivery %s percent is %r, the CLI has none" % (r["status"], p))
                        continue
                    if not is_num(p) or abs(p - int(r["percent"]) / 100) > EPS or not pct_format(row[2].number_format):
                        bad("Delivery %s percent is %r (%s), the CLI says %s%%" % (r["status"], p,
                                                                                  row[2].number_format, r["percent"]))

    # The project list: RAG words from the one table, blank where none.
    if "Projects" in wb.sheetnames:
        p = wb["Projects"]
        head = [c.value for c in p[1]]
        if "RAG Status" in head:
            k = head.index("RAG Status")
            for row in p.iter_rows(min_row=2):
                v = row[k].value
                if v is not None and v not in RAG_WORDS:
                    bad("Projects!%s RAG Status is %r: not a word of the status table" % (row[k].coordinate, v))

    for m in problems[:50]:
        print(m)
    if len(problems) > 50:
        print("... and %d more" % (len(problems) - 50))
    print("checked %d figures in %d sheets" % (figures, len(wb.sheetnames)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
