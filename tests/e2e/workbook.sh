# workbook.sh — every figure of a workbook has one stored number and one
# number format wherever it appears: tests/xlsx_figures.py opens the
# workbooks of the worked example (its own paper and a template with every
# column of the {{table}} directive), of the benchmark example, of generated
# frameworks and of the web's download, and checks that a percentage is a
# fraction with a % format on every sheet, that a table's figure is the Figures
# sheet's number with its format, that the Figures sheet is `kpi compare` and
# the Delivery sheet `kpi delivery`, and that the project list's RAG words come
# from the one table (blank where a project has not reported). Other scripts
# (formats, benchmark, generated, web) run the same checker on the workbooks
# they make. Needs Debian's python3 with openpyxl (scripts/install-deps).
. "$E2E_LIB"

PY=/usr/bin/python3
if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    not_ok "python3 with openpyxl (scripts/install-deps installs it)"
    finish
    exit 1
fi
CHECK="$ROOT/tests/xlsx_figures.py"
printf 'leak:libfontconfig\n' >lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# book NAME XLSX [--compare CSV] [--delivery CSV]: the checker finds nothing wrong
book() {
    local name=$1 out
    shift
    if out=$("$PY" "$CHECK" "$@" 2>&1); then
        ok "$name ($(printf '%s\n' "$out" | tail -1))"
    else
        not_ok "$name"
        printf '%s\n' "$out" | head -20 | sed 's/^/  /'
    fi
}

# ---- the worked example ----
run_ok "kpi demo" "$KPI" demo out
P="2011/12 Q2"
"$KPI" --db out/kpi.db compare --period "$P" --area Chorley >c.csv
"$KPI" --db out/kpi.db delivery --period "$P" >d.csv
run_ok "the example's paper as xlsx" "$KPI" --db out/kpi.db report out/input/report.md --period "$P" \
    --area Chorley --format xlsx -o paper.xlsx
book "the example's paper" paper.xlsx --compare c.csv --delivery d.csv
cat >every.md <<'MD'
---
title: Every column
---
# Crime

{{table crime.* columns="title value previous change change_pct ytd ytd_previous ytd_change_pct target target_to_date rag direction"}}

# Fire and percentages

{{table fire.* crime.dv-detections columns="code value previous change change_pct ytd ytd_change_pct target target_to_date rag direction spc_mean spc_lower spc_upper p_value"}}

{{targets fire.* rag=yes}}

{{delivery}}

{{projects all}}
MD
run_ok "a template with every figure column as xlsx" "$KPI" --db out/kpi.db report every.md --period "$P" \
    --area Chorley --format xlsx -o every.xlsx
book "every column of the example" every.xlsx --compare c.csv --delivery d.csv
s=$("$PY" - every.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("SHEETS", "|".join(wb.sheetnames))
crime = wb["Crime"]
head = [c.value for c in crime[1]]
row = [r for r in crime.iter_rows(min_row=2) if r[0].value == "All Crime"][0]
pct = row[head.index("% Change")]
print("PCT", pct.value, pct.number_format)
f = wb["Figures"]
fh = [c.value for c in f[1]]
fr = [r for r in f.iter_rows(min_row=2) if r[0].value == "crime.all"][0]
print("FPCT", fr[fh.index("change_pct")].value, fr[fh.index("change_pct")].number_format)
d = wb["Delivery"]
print("DEL", "|".join("%s %s %s" % (r[0].value, r[1].value, r[2].value) for r in d.iter_rows(min_row=2)))
print("DELFMT", d["C2"].number_format)
p = wb["Projects"]
ph = [c.value for c in p[1]]
rags = [r[ph.index("RAG Status")].value for r in p.iter_rows(min_row=2)]
print("PROJ", p.max_row - 1, rags.count(None), sorted(set(x for x in rags if x)))
PY
)
sline() { printf '%s\n' "$s" | sed -n "s/^$1 //p"; }
check_contains "a Delivery sheet beside Projects and Figures" "Projects|Delivery|Figures" "$(sline SHEETS)"
check "% change in a table: 0.03 with a % format" "0.03 +0.0%;-0.0%;0.0%" "$(sline PCT)"
check "% change on the Figures sheet: the same" "0.03 +0.0%;-0.0%;0.0%" "$(sline FPCT)"
check "Delivery: counts and fractions of the reported" \
    "Green 39 0.89|Amber 5 0.11|Red 0 0|Complete 0 0|Not reported 3 None|Total 47 None" "$(sline DEL)"
check "Delivery: percentages with a % format" "0%" "$(sline DELFMT)"
check "Projects: the full list (47), blank RAG for the 3 unreported" "47 3 ['Amber', 'Green']" "$(sline PROJ)"

# The checker finds a percentage stored as a whole number, and a figure whose
# format differs between sheets.
"$PY" - every.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Crime"]
head = [c.value for c in ws[1]]
c = ws.cell(row=2, column=head.index("% Change") + 1)
c.value, c.number_format = c.value * 100, "+0.0;-0.0;0.0"
wb.save("bad-pct.xlsx")
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Crime"]
c = ws.cell(row=2, column=head.index("YTD") + 1)
c.number_format = "0.00"
wb.save("bad-fmt.xlsx")
PY
"$PY" "$CHECK" bad-pct.xlsx >bad.out 2>&1 && not_ok "the checker refuses a % stored as 3" ||
    check_contains "the checker refuses a % stored as 3" "a percentage must be a fraction" "$(cat bad.out)"
"$PY" "$CHECK" bad-fmt.xlsx >bad.out 2>&1 && not_ok "the checker refuses a figure with another format" ||
    check_contains "the checker refuses a figure with another format" "the Figures sheet stores" "$(cat bad.out)"

# ---- the benchmark example (no ../shared needed) ----
ex="$ROOT/examples/lancashire-benchmark"
mkdir -p bench && (
    cd bench || exit 1
    "$KPI" init --area Chorley &&
        "$KPI" import indicators "$ex/data/indicators.csv" &&
        "$KPI" import police "$ex/data/police" &&
        "$KPI" import population "$ex/data/population.csv" &&
        "$KPI" import groups "$ex/data/groups.csv"
) >bench.log 2>&1 && ok "benchmark example imported" || { not_ok "benchmark example imported"; head -20 bench.log; }
BP="2022/23 Q1"
(cd bench && "$KPI" compare --period "$BP" --area Chorley >c.csv && "$KPI" delivery --period "$BP" >d.csv)
run_ok "the benchmark paper as xlsx" sh -c "cd bench && '$KPI' report '$ex/report.md' --period '$BP' --format xlsx -o b.xlsx"
book "the benchmark paper" bench/b.xlsx --compare bench/c.csv --delivery bench/d.csv
# Excel's own charts: the value axis (<c:valAx>) has a <c:title>, the words the other formats draw.
valax=$("$PY" - bench/b.xlsx <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
for n in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
    ax = ET.fromstring(z.read(n)).find(".//c:valAx/c:title", ns)
    print("".join(t.text or "" for t in ax.iter("{%s}t" % ns["a"])) if ax is not None else "(none)")
PY
)
check "the benchmark chart's value axis is titled with the rate's unit" "per 1,000 residents" "$valax"

# ---- generated frameworks ----
for seed in 17 24; do
    mkdir -p "g$seed" && (
        cd "g$seed" || exit 1
        "$PY" "$ROOT/tests/gen/genframework.py" "$seed" . >gen.log 2>&1 || exit 1
        meta() { python3 -c 'import json,sys; v=json.load(open("meta.json"))[sys.argv[1]]; print("\n".join(v) if isinstance(v, list) else v)' "$1"; }
        home=$(meta home)
        p=$(meta periods | head -1)
        "$KPI" init --area "$home" --fy-start "$(meta fy_start)" >/dev/null 2>&1 || exit 1
        "$KPI" help import 2>&1 | grep -qw areas && { "$KPI" import areas areas.csv >/dev/null 2>&1 || exit 1; }
        for kind in indicators values targets projects statuses; do
            "$KPI" import "$kind" "$kind.csv" >/dev/null 2>&1 || exit 1
        done
        "$KPI" compare --period "$p" --area "$home" >c.csv &&
            "$KPI" delivery --period "$p" >d.csv &&
            "$KPI" report template.md --period "$p" --format xlsx -o r.xlsx 2>err.txt
    ) && book "generated framework, seed $seed" "g$seed/r.xlsx" --compare "g$seed/c.csv" --delivery "g$seed/d.csv" ||
        { not_ok "generated framework, seed $seed: imported and rendered"; tail -5 "g$seed/err.txt" 2>/dev/null; }
done

# ---- the web's download ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo 'workbook-pass-1' | "$KPI" --db out/kpi.db user add viewer --role viewer >/dev/null 2>&1
"$KPI" --db out/kpi.db serve --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
C=$(curl -s -c jar -b jar "$B/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
curl -s -c jar -b jar -o /dev/null --max-time 10 --data-urlencode "username=viewer" \
    --data-urlencode "password=workbook-pass-1" --data-urlencode "csrf=$C" --data-urlencode "next=/" "$B/login"
st=$(curl -s -b jar -o web.xlsx --max-time 60 -w '%{http_code}' \
    "$B/report/download?template=chorley-2011-q2&area=Chorley&period=2011/12%20Q2&format=xlsx")
check "the web's xlsx download" "200" "$st"
[ "$st" = 200 ] && book "the web's xlsx download" web.xlsx --compare c.csv --delivery d.csv
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null
finish
