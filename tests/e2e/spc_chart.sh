# spc_chart.sh — the statistical process control chart wherever charts go
# (docs/spc.md): {{spc CODE}} in every report format, the indicator page's
# chart, the dashboard's Variation and Assurance columns and its "special
# cause only" filter. The framework: 24 months of a count with a rising run at
# the end (a special cause of concern for a "lower is better" indicator) and a
# target the process cannot meet, beside an indicator of common cause only.
. "$E2E_LIB"

run_ok "init" "$KPI" init --area Northtown
cat > ind.csv <<'CSV'
code,title,unit,polarity,aggregate,decimals
rising,Rising crime,count,lower,sum,0
steady,Steady crime,count,lower,sum,0
CSV
run_ok "import indicators" "$KPI" import indicators ind.csv
{
    echo "indicator,period,value"
    v=(10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 11 12 13 14 15 16 17)
    s=(10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 12 10 12)
    y=2019 m=4
    for k in $(seq 0 23); do
        printf 'rising,%04d-%02d,%s\n' $y $m "${v[$k]}"
        printf 'steady,%04d-%02d,%s\n' $y $m "${s[$k]}"
        m=$((m + 1)); [ $m -gt 12 ] && { m=1; y=$((y + 1)); }
    done
} > v.csv
run_ok "import 24 months" "$KPI" import values v.csv
printf 'indicator,year,target\nrising,2020/21,36\n' > t.csv
run_ok "import a target (3 a month: below the lower limit)" "$KPI" import targets t.csv

c=$("$KPI" compare --period 2021-03 --format csv)
check "the rising run is a special cause of concern" "concern-high" "$(csv_get "$c" rising variation)"
check "a target below the lower limit fails" "fail" "$(csv_get "$c" rising assurance)"
check "the steady one is common cause" "common" "$(csv_get "$c" steady variation)"

printf '# SPC\n\n{{spc rising}}\n\n{{spc steady title="Steady, {period}"}}\n' > spc.md
for fmt in md html pdf docx xlsx; do
    "$KPI" report spc.md --period 2021-03 --format $fmt -o "out.$fmt" 2> err.$fmt
    check "{{spc}} renders as $fmt" "0" "$?"
    if grep -q 'Sanitizer\|runtime error' err.$fmt; then not_ok "no sanitizer report ($fmt)"; else ok "no sanitizer report ($fmt)"; fi
done
html=$(cat out.html)
# August 2020 to March 2021 rise, eight points: the trend that fires in February
# marks its whole run, and March is beyond the upper limit
check "the whole rising run is marked as concern" "8" "$(grep -o '(Concern)</title>' out.html | wc -l)"
check_contains "the special causes, in words" "Special cause: Aug 2020 (Concern), Sep 2020 (Concern)" "$(cat out.md)"
check_contains "the mean line is drawn" "<title>Mean " "$html"
check_contains "the process limits are drawn" "<title>Upper process limit " "$html"
check_contains "the target is drawn" "<title>Target 3.0</title>" "$html"
check_contains "the variation icon says what it means" 'aria-label="Special cause variation of a concerning nature: higher"' "$html"
check_contains "the assurance icon says what it means" 'aria-label="The process is expected to miss the target every time"' "$html"
check_contains "the title takes placeholders" "Steady, 2021-03" "$html"
check_contains "the text alternative names the special causes" "(Concern)" "$(cat out.md)"
pdf=$(pdftotext out.pdf - 2>/dev/null)
check_contains "the PDF carries the chart's words" "Variation: Special cause variation of a concerning nature: higher" "$(echo "$pdf" | tr '\n' ' ')"
docx_alt=$(/usr/bin/python3 - <<'PY'
import zipfile, re
z = zipfile.ZipFile('out.docx')
doc = z.read('word/document.xml').decode()
print(len([n for n in z.namelist() if n.startswith('word/media/')]))
print(' '.join(re.findall(r'descr="([^"]*)"', doc))[:4000])
PY
)
check "two chart images in Word" "2" "$(echo "$docx_alt" | head -1)"
check_contains "Word's alt text names the variation" "Special cause variation of a concerning nature" "$docx_alt"
xlsx=$(/usr/bin/python3 - <<'PY'
import zipfile
z = zipfile.ZipFile('out.xlsx')
charts = [n for n in z.namelist() if n.startswith('xl/charts/chart')]
print(len(charts))
import openpyxl
wb = openpyxl.load_workbook('out.xlsx')
ws = wb[wb.sheetnames[0]]
rows = list(ws.iter_rows(values_only=True))
print(rows[0][:7]); print(rows[24][:3])
PY
)
check "two native charts in the workbook" "2" "$(echo "$xlsx" | head -1)"
check_contains "the SPC sheet's columns" "('Period', 'Value', 'Shows', 'Mean', 'Lower process limit', 'Upper process limit', 'Target')" "$xlsx"
check_contains "the last point is a number and says what it shows" "('Mar 2021', 17, 'Concern')" "$xlsx"
# Each native chart's value axis carries a <c:title> with the words the HTML chart's y axis takes.
valax=$(/usr/bin/python3 - <<'PY'
import zipfile, xml.etree.ElementTree as ET
ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
z = zipfile.ZipFile("out.xlsx")
for n in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
    x = ET.fromstring(z.read(n))
    t = x.find("c:chart/c:title", ns)
    ax = x.find(".//c:valAx/c:title", ns)
    words = lambda e: "".join(r.text or "" for r in e.iter("{%s}t" % ns["a"])) if e is not None else "(none)"
    print(words(t), "=>", words(ax))
PY
)
html_axes=$(python3 -c 'import re, html
for svg in re.findall(r"<svg\b.*?</svg>", open("out.html").read(), re.S):
    t = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    a = re.search(r"<text class=\"axis-title\"[^>]*>(.*?)</text>", svg, re.S)
    if a: print(html.unescape(a.group(1)))')
check "the workbook's charts: a value-axis title, the unit" \
    "Rising crime: statistical process control chart => Number
Steady, 2021-03 => Number" "$valax"
check "the value-axis titles are the HTML chart's y-axis titles" "$(echo "$valax" | sed 's/.* => //')" "$html_axes"

# ---- the web: dashboard columns, the filter, the indicator page ----
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$KPI" serve --listen 127.0.0.1:$port --public > serve.log 2>&1 &
srv=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
dash=$(curl -s "http://127.0.0.1:$port/?period=2021-03")
check_contains "the dashboard has a Variation column" '<th scope="col" class="govuk-table__header">Variation</th>' "$dash"
check_contains "the dashboard has an Assurance column" '<th scope="col" class="govuk-table__header">Assurance</th>' "$dash"
check_contains "a variation icon with its words" "Concern (high)" "$dash"
check_contains "an assurance icon with its words" "Fail</span>" "$dash"
check_contains "common cause in words" "Common cause</span>" "$dash"
all=$(printf '%s' "$dash" | grep -c '<tr><th scope="row"')
special=$(curl -s "http://127.0.0.1:$port/?period=2021-03&special=1")
only=$(printf '%s' "$special" | grep -c '<tr><th scope="row"')
check "every indicator on the dashboard" "2" "$all"
check "special cause only: one" "1" "$only"
check_contains "the filter keeps the special cause" "Rising crime" "$special"
case "$special" in *"Steady crime</a>"*) not_ok "the filter drops common cause" ;; *) ok "the filter drops common cause" ;; esac
page=$(curl -s "http://127.0.0.1:$port/indicators/rising?period=2021-03")
check_contains "the indicator page draws the SPC chart" '<g class="spc">' "$page"
few=$(curl -s "http://127.0.0.1:$port/indicators/rising?period=2020-01")
check_contains "too few points: says so" "needs at least 12 points" "$few"
kill $srv
wait $srv 2>/dev/null
if grep -q 'Sanitizer\|runtime error' serve.log; then not_ok "server: no sanitizer report"; cat serve.log; else ok "server: no sanitizer report"; fi

finish
