# words.sh — the same words for the same status, RAG and direction of travel in
# every output, read from the one table (src/present.c): the CLI's
# CSV and table print the table's names ("green", "worsening"); the paper in
# md, txt, html, pdf (pdftotext), docx (python-docx) and xlsx (openpyxl), the
# dashboard and the indicator page print its words ("Green", "▲ Up, worse"):
# what happened to the figure (▲ up, ▼ down, no change) and whether that is
# better or worse, the arrow always following the number. The words retired
# ("→ Same", "↑ Improving", "Worsening", "No target") appear nowhere.
# Needs Debian's python3 with python-docx and openpyxl (scripts/install-deps).
. "$E2E_LIB"

PY=/usr/bin/python3
if ! "$PY" -c 'import docx, openpyxl' 2>/dev/null; then
    not_ok "python3 with docx and openpyxl (scripts/install-deps installs them)"
    finish
    exit 1
fi
printf 'leak:libfontconfig\n' >lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run_ok "kpi demo" "$KPI" demo out
P="2011/12 Q2"
"$KPI" --db out/kpi.db compare --period "$P" --area Chorley >c.csv
"$KPI" --db out/kpi.db compare --period "$P" --area Chorley --format table >c.txt
cat >words.md <<'MD'
---
title: Words
---
# Figures

{{table crime.* fire.* roads.* columns="code rag direction"}}

# Delivery

{{delivery}}

{{projects all}}
MD
for f in md txt html pdf docx xlsx; do
    run_ok "the words paper as $f" "$KPI" --db out/kpi.db report words.md --period "$P" --area Chorley \
        --format "$f" -o "w.$f"
done
pdftotext -layout w.pdf w.pdf.txt 2>/dev/null || not_ok "pdftotext reads the paper"

# The web's dashboard and an indicator page.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo 'words-pass-1' | "$KPI" --db out/kpi.db user add viewer --role viewer >/dev/null 2>&1
"$KPI" --db out/kpi.db serve --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
C=$(curl -s -c jar -b jar "$B/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
curl -s -c jar -b jar -o /dev/null --max-time 10 --data-urlencode "username=viewer" \
    --data-urlencode "password=words-pass-1" --data-urlencode "csrf=$C" --data-urlencode "next=/" "$B/login"
check "the dashboard" "200" "$(curl -s -b jar -o dash.html --max-time 60 -w '%{http_code}' "$B/?area=Chorley&period=2011/12%20Q2")"
check "an indicator page" "200" \
    "$(curl -s -b jar -o ind.html --max-time 60 -w '%{http_code}' "$B/indicators/crime.all?area=Chorley&period=2011/12%20Q2")"
check "a project page" "200" \
    "$(curl -s -b jar -o proj.html --max-time 60 -w '%{http_code}' "$B/projects/early-intervention?area=Chorley&period=2011/12%20Q2")"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null

# One Python run judges every output against the table read from src/present.c.
"$PY" - "$ROOT/src/present.c" <<'PY'
import csv, html, re, sys
from decimal import Decimal
import docx, openpyxl

src = open(sys.argv[1], encoding="utf-8").read()
marks = dict((m.group(1), (m.group(2), m.group(3))) for m in re.finditer(
    r'\[PRESENT_MARK_(\w+)\] = \{"([^"]*)", "([^"]*)"', src))  # MARK -> (name, word)
name_word = {n: w for n, w in marks.values()}
moved = re.search(r'd\.moved = c > 0 \? "([^"]+)" : c < 0 \? "([^"]+)" : "([^"]+)";', src).groups()
judged = re.search(r'd\.judged = [^?]+\? "([^"]+)" : [^?]+\? "([^"]+)"', src).groups()
arrows = [bytes(a, "ascii").decode("unicode_escape").encode("latin-1").decode("utf-8")
          for a in re.search(r'd\.arrow = c > 0 \? "([^"]+)" : c < 0 \? "([^"]+)"', src).groups()]
fails = 0

def ok(name, good, detail=""):
    global fails
    print(("ok - " if good else "not ok - ") + name)
    if not good:
        fails += 1
        if detail:
            print("  " + detail[:1500])

def direction(r):
    if r["value"] == "" or r["previous"] == "":
        return ""
    c = (Decimal(r["value"]) > Decimal(r["previous"])) - (Decimal(r["value"]) < Decimal(r["previous"]))
    if c == 0:
        return moved[2]
    w = "%s %s" % (arrows[0] if c > 0 else arrows[1], moved[0] if c > 0 else moved[1])
    if r["direction"] in ("improving", "worsening"):
        w += ", " + (judged[0] if r["direction"] == "improving" else judged[1])
    return w

rows = list(csv.DictReader(open("c.csv", newline="")))
want = {r["indicator"]: (name_word[r["rag"]] if r["rag"] != "none" else "", direction(r)) for r in rows}
ok("the table has a word for every RAG name the CLI prints", all(r["rag"] in name_word for r in rows))
kinds = set(d for _, d in want.values())
ok("the example has up-worse, down-better, no change and up without polarity",
   {"%s Up, worse" % arrows[0], "%s Down, better" % arrows[1], moved[2], "%s Up" % arrows[0]} <= kinds, str(kinds))

# Text of each output, as lines (one per table row).
texts = {}
texts["md"] = open("w.md", encoding="utf-8").read().splitlines()
texts["txt"] = open("w.txt", encoding="utf-8").read().splitlines()
texts["pdf"] = open("w.pdf.txt", encoding="utf-8").read().splitlines()
def html_rows(path):
    h = open(path, encoding="utf-8").read()
    return [html.unescape(re.sub(r"<[^>]+>", " ", tr)) for tr in re.split(r"</tr>|</li>|</dd>", h)]
texts["html"] = html_rows("w.html")
d = docx.Document("w.docx")
texts["docx"] = [" | ".join(c.text for c in row.cells) for t in d.tables for row in t.rows] + \
    [p.text for p in d.paragraphs]
wb = openpyxl.load_workbook("w.xlsx")
texts["xlsx"] = [" | ".join("" if c.value is None else str(c.value) for c in row) for ws in wb.worksheets
                 for row in ws.iter_rows()]

def row_of(lines, code):
    hits = [l for l in lines if re.search(r"(?<![\w.-])%s(?![\w.-])" % re.escape(code), l)]
    return hits[0] if hits else None

for fmt, lines in texts.items():
    bad = []
    for code, (rag, dirw) in want.items():
        line = row_of(lines, code)
        if line is None:
            bad.append("%s: no row" % code)
            continue
        cells = " ".join(line.replace("|", " ").split())
        if rag and rag not in cells:
            bad.append("%s: no '%s' in %r" % (code, rag, cells))
        if dirw and dirw not in cells:
            bad.append("%s: no '%s' in %r" % (code, dirw, cells))
        if not dirw and any(w in cells for w in (moved[0], moved[1], moved[2])):
            bad.append("%s: a direction where there is no comparison: %r" % (code, cells))
    ok("%s: each indicator's RAG and direction words are the table's" % fmt, not bad, "; ".join(bad[:5]))
    flat = "\n".join(lines)
    statuses = [marks[k][1] for k in ("GREEN", "AMBER", "RED", "COMPLETE", "UNREPORTED")]
    ok("%s: the delivery table names every status in the table's words" % fmt,
       all(s in flat for s in statuses), str([s for s in statuses if s not in flat]))

# The CLI prints the table's names.
table = open("c.txt", encoding="utf-8").read()
ok("CLI table: RAG and direction are the table's names (green, worsening)",
   all(re.search(r"\bcrime\.all\b.*\bnone\b.*\bworsening\b", l) for l in table.splitlines() if "crime.all " in l)
   and re.search(r"\bfire\.adf\b.*\b%s\b" % marks["GREEN"][0], table) is not None)

# The web: the dashboard's rows, the indicator page and a project's tag.
dash = html_rows("dash.html")
bad = []
for code, (rag, dirw) in want.items():
    rowh = [l for l in re.split(r"</tr>", open("dash.html", encoding="utf-8").read()) if "/indicators/%s?" % code in l]
    if not rowh:
        bad.append("%s: no dashboard row" % code)
        continue
    cells = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rowh[0])).split())
    if (rag or marks["NONE"][1]) not in cells:
        bad.append("%s: no '%s' in %r" % (code, rag or marks["NONE"][1], cells))
    if (dirw or "No comparison") not in cells:
        bad.append("%s: no '%s' in %r" % (code, dirw or "No comparison", cells))
ok("dashboard: each indicator's RAG and direction words are the table's", not bad, "; ".join(bad[:5]))
ind = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", open("ind.html", encoding="utf-8").read())).split())
ok("indicator page: All Crime went up, which is worse", want["crime.all"][1] in ind, want["crime.all"][1])
proj = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", open("proj.html", encoding="utf-8").read())).split())
ok("project page: its status in the table's word", marks["GREEN"][1] in proj)

# Words retired: an arrow that could contradict the number, and other spellings.
retired = ["\u2192 Same", "\u2191", "\u2193", "Improving", "Worsening", "No target", "\u25b6"]
outs = dict(texts)
outs["dashboard"] = dash
outs["indicator page"] = [ind]
for fmt, lines in outs.items():
    flat = "\n".join(lines)
    found = [w for w in retired if w in flat]
    ok("%s: no retired direction or RAG words" % fmt, not found, str(found))
sys.exit(1 if fails else 0)
PY
[ $? -eq 0 ] || _fails=$((_fails + 1))
finish
