#!/usr/bin/env python3
"""urls.py DIR [all] — the GET requests generated.sh makes of `kpi serve` for the
framework in DIR (its meta.json), one a line: KIND URL, KIND being what the
body must be (html, json, txt, or a report format). Every route of the route
table that a GET reaches, for several areas, periods and indicators, URL-encoded
(names hold spaces, quotes, `<`, non-ASCII and emoji). With `all`, the report
is downloaded in the slow formats (pdf, docx) too.

urls.py DIR enc TEXT... prints each TEXT URL-encoded on a line of its own.
"""
import json
import os
import sys
from urllib.parse import quote


def enc(s):
    return quote(s, safe="")


def main():
    d = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == "enc":
        for t in sys.argv[3:]:
            print(enc(t))
        return
    m = json.load(open(os.path.join(d, "meta.json"), encoding="utf-8"))
    areas, periods, empty, home = m["areas"], m["periods"], m["empty_period"], m["home"]
    last = areas[-1]
    pe = enc(periods[0])
    out = [("txt", "/assets/app.css"), ("txt", "/assets/report.css"), ("html", "/")]
    for a in areas:
        for p in (periods[0], periods[2], empty):
            out.append(("html", "/?area=%s&period=%s" % (enc(a), enc(p))))
        out.append(("json", "/api/v1/compare?period=%s&area=%s" % (pe, enc(a))))
    for k, code in enumerate(m["indicators"]):
        a, p = areas[k % len(areas)], periods[k % len(periods)]
        out.append(("html", "/indicators/%s?area=%s&period=%s" % (enc(code), enc(a), enc(p))))
    out.append(("html", "/indicators/%s" % enc(m["indicators"][0])))
    out.append(("html", "/indicators/%s?period=%s" % (enc(m["indicators"][-1]), enc(empty))))
    out += [("html", "/projects"), ("html", "/projects?period=%s" % enc(periods[1]))]
    for code in m["projects"][:6]:
        out.append(("html", "/projects/%s?period=%s" % (enc(code), pe)))
    out += [("html", "/chase"), ("html", "/chase?period=%s" % enc(empty)),
            ("html", "/chase?period=%s" % enc(periods[1])), ("html", "/report"),
            ("html", "/report?template=gen&area=%s&period=%s" % (enc(last), pe)),
            ("html", "/report?template=gen&area=%s&period=%s" % (enc(home), enc(empty)))]
    formats = ["html", "md", "txt", "xlsx"] + (["docx", "pdf"] if "all" in sys.argv[2:] else [])
    for f in formats:
        out.append((f, "/report/download?template=gen&area=%s&period=%s&format=%s" % (enc(home), pe, f)))
    out += [("html", "/enter?area=%s&period=%s" % (enc(last), pe)), ("html", "/admin"),
            ("json", "/api/v1/compare?period=%s" % pe), ("json", "/api/v1/compare?period=%s" % enc(empty))]
    for kind, url in out:
        print(kind, url)


if __name__ == "__main__":
    main()
