#!/usr/bin/python3
"""validate.py LABEL KIND FILE [KIND FILE...] — are these files what they claim
to be? Prints "ok - LABEL: FILE is valid KIND" or "not ok - ..." with the
reason for each, and exits with the number of files that are not valid.

KIND is one of:
  html  UTF-8; a <!DOCTYPE html>; every element closed in order (void elements
        excepted, nothing closed that is not open, nothing left open); no
        <script> element and no on* attribute (all text from data is escaped)
  json  UTF-8 JSON (Python's json module)
  xlsx  opened by openpyxl, with at least one sheet
  docx  opened by python-docx
  pdf   pdfinfo reads it and pdftotext extracts text from it
  md, txt  UTF-8 text without NUL, not empty
  csv   UTF-8 CSV that Python's csv module reads, rows of equal length
"""
import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Inside inline SVG elements may close themselves: <path .../>.


class Strict(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.doctype = [], [], False

    def handle_decl(self, decl):
        if decl.lower() == "doctype html":
            self.doctype = True

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.errors.append("a <script> element at line %d" % self.getpos()[0])
        for k, _ in attrs:
            if k.startswith("on"):
                self.errors.append("an event attribute %s at line %d" % (k, self.getpos()[0]))
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        if tag == "script":
            self.errors.append("a <script/> element at line %d" % self.getpos()[0])

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append("</%s> closes a void element at line %d" % (tag, self.getpos()[0]))
            return
        if not self.stack:
            self.errors.append("</%s> at line %d closes nothing" % (tag, self.getpos()[0]))
            return
        top, line = self.stack[-1]
        if top != tag:
            self.errors.append("</%s> at line %d, but <%s> of line %d is open" % (tag, self.getpos()[0], top, line))
            # recover: pop up to the matching tag if there is one
            for k in range(len(self.stack) - 1, -1, -1):
                if self.stack[k][0] == tag:
                    del self.stack[k:]
                    break
            return
        self.stack.pop()


def check_html(data):
    text = data.decode("utf-8")
    p = Strict()
    p.feed(text)
    p.close()
    errs = list(p.errors)
    if not p.doctype:
        errs.append("no <!DOCTYPE html>")
    if p.stack:
        errs.append("left open: " + ", ".join("<%s> (line %d)" % t for t in p.stack[-5:]))
    return "; ".join(errs[:5])


def check_json(data):
    json.loads(data.decode("utf-8"))
    return ""


def check_xlsx(path):
    import openpyxl
    wb = openpyxl.load_workbook(path)
    if not wb.sheetnames:
        return "no sheets"
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    return ""


def check_docx(path):
    import docx
    d = docx.Document(path)
    if not d.paragraphs and not d.tables:
        return "no paragraphs or tables"
    return ""


def check_pdf(path):
    info = subprocess.run(["pdfinfo", path], capture_output=True)
    if info.returncode != 0:
        return "pdfinfo: " + info.stderr.decode(errors="replace")[:200]
    txt = subprocess.run(["pdftotext", path, "-"], capture_output=True)
    if txt.returncode != 0 or not txt.stdout.strip():
        return "pdftotext: no text " + txt.stderr.decode(errors="replace")[:200]
    return ""


def check_text(data):
    t = data.decode("utf-8")
    if "\0" in t:
        return "a NUL byte"
    if not t.strip():
        return "empty"
    return ""


def check_csv(data):
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    if not rows:
        return "empty"
    n = len(rows[0])
    for k, r in enumerate(rows):
        if len(r) != n:
            return "row %d has %d fields, the header %d" % (k + 1, len(r), n)
    return ""


def main():
    label, args = sys.argv[1], sys.argv[2:]
    bad = 0
    for kind, path in zip(args[0::2], args[1::2]):
        try:
            if kind in ("xlsx", "docx", "pdf"):
                why = {"xlsx": check_xlsx, "docx": check_docx, "pdf": check_pdf}[kind](path)
            else:
                with open(path, "rb") as f:
                    data = f.read()
                why = {"html": check_html, "json": check_json, "md": check_text, "txt": check_text,
                       "csv": check_csv}[kind](data)
        except Exception as e:  # any failure to read is a failure of the file
            why = "%s: %s" % (type(e).__name__, str(e)[:300])
        if why:
            bad += 1
            print("not ok - %s: %s is valid %s" % (label, path, kind))
            print("  " + why)
        else:
            print("ok - %s: %s is valid %s" % (label, path, kind))
    sys.exit(min(bad, 100))


if __name__ == "__main__":
    main()
