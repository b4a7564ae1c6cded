# benchmark.sh — `kpi import population`, `kpi import groups`, the police
# forces' default groups and `kpi benchmark`, on the data slice shipped in
# examples/lancashire-benchmark/data (police.uk months 2022-04..06 for nine
# Lancashire districts, Census 2021 populations; no ../shared needed), checked
# against an independent count and independent intervals in Python.
. "$E2E_LIB"
data="$ROOT/examples/lancashire-benchmark/data"
# bget CSV AREA COLUMN: the column of the benchmark row of AREA
bget() {
    python3 -c '
import csv, io, sys
for r in csv.DictReader(io.StringIO(sys.argv[1])):
    if r["area"] == sys.argv[2]:
        print(r[sys.argv[3]]); break
else:
    print("<no row>")' "$@"
}
run_ok "init" "$KPI" init --area Chorley
run_ok "import the indicators (per 1000)" "$KPI" import indicators "$data/indicators.csv"
run_ok "import police" "$KPI" import police "$data/police"
run_ok "import population" "$KPI" import population "$data/population.csv"
run_ok "import groups" "$KPI" import groups "$data/groups.csv"

# The police import made the force's group: its nine districts, in name order.
b=$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "Lancashire Constabulary")
check "the force's default group holds its districts in name order" \
    "Blackburn with Darwen Blackpool Burnley Chorley Hyndburn Pendle Preston Ribble Valley South Ribble" \
    "$(printf '%s\n' "$b" | python3 -c 'import csv,sys; print(" ".join(r["area"] for r in csv.DictReader(sys.stdin)))')"
check "the population's code is each area's code" "E07000118" "$(bget "$b" Chorley code)"

# Independent computation: rows per district and crime type from the gzip files,
# Byar's / the exact Poisson interval (bisection on the Poisson cdf), rates
# rounded half away from zero, ranks and verdicts by the rules of docs/benchmark.md.
cat > expect.py <<'PY'
import csv, gzip, glob, math, os, re, sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction
data, group, ind, months, per = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","), int(sys.argv[5])
types = {"police.all-crime": None, "police.burglary": "Burglary", "police.shoplifting": "Shoplifting",
         "police.violence-and-sexual-offences": "Violence and sexual offences"}
want = types[ind]
counts = {}
for path in sorted(glob.glob(os.path.join(data, "police", "*.csv.gz"))):
    with gzip.open(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            if row["Month"] not in months:
                continue
            t = row["Crime type"]
            if (want is None and t == "Anti-social behaviour") or (want is not None and t != want):
                continue
            m = re.match(r"^(.*) \d+[A-Z]+$", row["LSOA name"])
            d = m.group(1) if m else row["LSOA name"]
            counts[d] = counts.get(d, 0) + 1
pop = {r["area"]: (r["code"], int(r["population"])) for r in csv.DictReader(open(os.path.join(data, "population.csv")))}
areas = [r["area"] for r in csv.DictReader(open(os.path.join(data, "groups.csv"))) if r["group"] == group]
z = 1.959964
def cdf(k, mu):
    return sum(math.exp(-mu + i * math.log(mu) - math.lgamma(i + 1)) for i in range(k + 1)) if mu > 0 else 1.0
def solve(f, target):  # f decreasing in mu
    lo, hi = 0.0, 100.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) > target: lo = mid
        else: hi = mid
    return (lo + hi) / 2
def interval(o):
    if o >= 10:
        return (o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3,
                (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3)
    lower = 0.0 if o == 0 else solve(lambda mu: 1 - (1 - cdf(o - 1, mu)), 1 - 0.025)
    return lower, solve(lambda mu: cdf(o, mu), 0.025)
def r2(x):
    return str(Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else Decimal(repr(x)))
def fmt(x):
    if isinstance(x, Fraction):
        q = (Decimal(x.numerator) / Decimal(x.denominator))
    else:
        q = Decimal(repr(x))
    return str(q.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
rates = {a: Fraction(counts.get(a, 0) * per, pop[a][1]) for a in areas}
g = Fraction(sum(counts.get(a, 0) for a in areas) * per, sum(pop[a][1] for a in areas))
for a in areas:
    o = counts.get(a, 0)
    lo, hi = interval(o)
    lo, hi = lo / pop[a][1] * per, hi / pop[a][1] * per
    rank = 1 + sum(1 for b in areas if rates[b] < rates[a])
    gf = float(g)
    verdict = "similar" if lo <= gf <= hi else ("worse" if gf < lo else "better")
    print("|".join([a, pop[a][0], str(o), str(pop[a][1]), fmt(rates[a]), fmt(lo), fmt(hi), str(rank), fmt(g), verdict]))
PY
cols="area code value population rate rate_lower rate_upper rank group_rate verdict"
for spec in "Chorley and neighbours|police.all-crime|2022/23 Q1|2022-04,2022-05,2022-06|" \
            "Central Lancashire|police.burglary|2022-05|2022-05|" \
            "Chorley and neighbours|police.shoplifting|2022/23 Q1|2022-04,2022-05,2022-06|100000"; do
    IFS='|' read -r grp ind period months per <<<"$spec"
    got=$("$KPI" benchmark --indicator "$ind" --period "$period" --group "$grp" ${per:+--per "$per"})
    python3 expect.py "$data" "$grp" "$ind" "$months" "${per:-1000}" > expected.txt
    check "$ind $period $grp: one row per area in the group's order" \
        "$(cut -d'|' -f1 expected.txt | tr '\n' '/')" \
        "$(printf '%s\n' "$got" | python3 -c 'import csv,sys; print("".join(r["area"] + "/" for r in csv.DictReader(sys.stdin)))')"
    actual=$(printf '%s\n' "$got" | python3 -c '
import csv, sys
cols = sys.argv[1].split()
for r in csv.DictReader(sys.stdin):
    print("|".join(r[c] for c in cols))' "$cols")
    check "$ind $period $grp: every column matches the independent computation" "$(cat expected.txt)" "$actual"
done

# The example's report: {{benchmark}} tables with the same figures, in every format.
ex="$ROOT/examples/lancashire-benchmark"
md=$("$KPI" report "$ex/report.md" --period "2022/23 Q1" --format md -o - 2>&1)
row=$(printf '%s\n' "$b" | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["area"] == "Chorley":
        print("| Chorley \\* | %s | %s | %s | %s | %s | %s | %s |" % (r["value"], r["population"], r["rate"],
              r["rate_lower"], r["rate_upper"], "3", r["verdict"]))')
check_contains "the report's benchmark table has the CLI's figures for Chorley" "$row" "$md"
check_contains "the report names the group rate" "Group rate: 26.40 per 1,000 residents" "$md"
for f in html pdf docx xlsx txt; do
    run_ok "the example renders as $f" "$KPI" report "$ex/report.md" --period "2022/23 Q1" --format $f -o "report.$f"
done
"$KPI" compare --period "2022/23 Q1" --area Chorley >xc.csv
xf=$(/usr/bin/python3 "$ROOT/tests/xlsx_figures.py" report.xlsx --compare xc.csv 2>&1) &&
    ok "the example's workbook: one number and format per figure" ||
    { not_ok "the example's workbook: one number and format per figure"; printf '%s\n' "$xf" | head; }
# The chart (docs/benchmark.md) in every format, against the CLI's figures for the same group:
# SVG rows best first (polarity lower: lowest rate first), whiskers holding the rate, the
# group line at the group rate, Chorley marked; the Word alt text; Excel's own chart.
cb=$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "Chorley and neighbours")
printf '%s\n' "$cb" > chart-cli.csv
cat > chartcheck.py <<'PY'
import csv, re, sys, zipfile, xml.etree.ElementTree as ET
kind, path, cli = sys.argv[1], sys.argv[2], list(csv.DictReader(open(sys.argv[3])))
rows = sorted((r for r in cli if r["rate"]), key=lambda r: (int(r["rank"]), cli.index(r)))
group = float(cli[0]["group_rate"])
out = []
if kind == "svg":
    html = open(path).read()
    svg = html[html.index('class="chart chart-benchmark"'):]
    svg = svg[:svg.index("</svg>")]
    got = re.findall(r'<g class="bench-row( bench-home)?">\n<text [^>]*?( font-weight="bold")?>([^<]*)</text>\n'
                     r'<rect class="bench-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>[^<]*: ([\d.]+)</title></rect>\n'
                     r'<path class="bench-whisker" d="M([\d.]+) [\d.]+H([\d.]+)', svg)
    out.append("rows " + "/".join(g[2] for g in got))
    out.append("want " + "/".join(r["area"] + (" *" if r["area"] == "Chorley" else "") for r in rows))
    out.append("rates " + " ".join(g[5] for g in got) + " cli " + " ".join(r["rate"] for r in rows))
    k = float(got[0][4]) / float(got[0][5])
    bad = [g[2] for g in got if not (float(g[6]) <= float(g[3]) + float(g[4]) <= float(g[7]))]
    out.append("whiskers holding the rate: %s" % ("all" if not bad else bad))
    home = [g[2] for g in got if g[0] and g[1]]
    out.append("home bold: %s" % home)
    m = re.search(r'class="bench-group" d="M([\d.]+) ', svg)
    out.append("group line at the group rate: %s" % (abs(float(m.group(1)) - (float(got[0][3]) + group * k)) < 0.2))
elif kind == "docx":
    doc = zipfile.ZipFile(path).read("word/document.xml").decode()
    alt = [a for a in re.findall(r'descr="([^"]*)"', doc) if "95% interval" in a][0]
    want = "; ".join("%s%s %s (%s to %s)" % (r["area"], " (the report&apos;s area)" if r["area"] == "Chorley" else "",
                                             r["rate"], r["rate_lower"], r["rate_upper"]) for r in rows)
    out.append("alt lists every area: %s" % (want.replace("&apos;", "'") in alt.replace("&apos;", "'").replace("&#39;", "'")))
    out.append("alt names the group rate: %s" % ("Group rate: %s." % cli[0]["group_rate"] in alt))
else:
    z = zipfile.ZipFile(path)
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    found = 0
    for n in charts:
        x = ET.fromstring(z.read(n))
        bar = x.find(".//c:barChart", ns)
        if bar is None or bar.find("c:barDir", ns).get("val") != "bar":
            continue
        found += 1
        out.append("grouping %s" % bar.find("c:grouping", ns).get("val"))
        ser = bar.findall("c:ser", ns)
        def vals(s):
            return [float(v.text) if v.text else 0.0 for v in s.findall("c:val//c:pt/c:v", ns)]
        def cats(s):
            return [v.text for v in s.findall("c:cat//c:pt/c:v", ns)]
        a, b, c = (vals(s) for s in ser)
        names = cats(ser[0])
        out.append("categories " + "/".join(names))
        ok = all(abs(a[i] - float(r["rate_lower"])) < 0.005 and abs(a[i] + b[i] - float(r["rate"])) < 0.005 and
                 abs(a[i] + b[i] + c[i] - float(r["rate_upper"])) < 0.005 for i, r in enumerate(rows))
        out.append("segments are lower, rate and upper: %s" % ok)
        out.append("group row %s" % (names[-1] == "Group rate" and abs(a[-1] - group) < 0.005))
    out.append("horizontal bar charts %d" % found)
print("\n".join(out))
PY
cs=$(python3 chartcheck.py svg report.html chart-cli.csv)
check "the SVG chart has one row per area, best first (lowest rate: polarity lower), the home area starred"     "$(printf '%s\n' "$cs" | sed -n 2p | sed 's/^want /rows /')" "$(printf '%s\n' "$cs" | sed -n 1p)"
check_contains "the SVG bars have the CLI's rates in that order"     "$(printf '%s\n' "$cs" | sed -n 3p | sed 's/.* cli //')" "$(printf '%s\n' "$cs" | sed -n 3p | sed 's/ cli .*//')"
check_contains "every whisker runs lower <= rate <= upper" "whiskers holding the rate: all" "$cs"
check_contains "the home area is bold" "home bold: ['Chorley *']" "$cs"
check_contains "the group line stands at the group rate" "group line at the group rate: True" "$cs"
check_contains "the SVG is a horizontal chart with the unit as the axis title" \
    '<text class="axis-title"' "$(cat report.html)"
check_contains "the axis title is the indicator's per" ">per 1,000 residents</text>" "$(cat report.html)"
cd_=$(python3 chartcheck.py docx report.docx chart-cli.csv)
check "the Word chart's alt text lists each area's rate and interval and the group rate" \
    "alt lists every area: True
alt names the group rate: True" "$cd_"
cx=$(python3 chartcheck.py xlsx report.xlsx chart-cli.csv)
check_contains "the workbook has Excel's own horizontal chart of the benchmark" "horizontal bar charts 1" "$cx"
check_contains "stacked, so that the interval shows" "grouping stacked" "$cx"
check_contains "its segments run to the lower limit, the rate and the upper limit of each area" \
    "segments are lower, rate and upper: True" "$cx"
check_contains "and the group rate is its last row" "group row True" "$cx"
check_contains "its categories are the areas best first" \
    "categories $(printf '%s\n' "$cs" | sed -n 2p | sed 's/^want //')/Group rate" "$cx"
printf -- '---\ntitle: x\n---\n{{benchmark police.all-crime group="Nope"}}\n' > badgroup.md
refuse "a template naming an unknown group" 1 "badgroup.md:4: benchmark police.all-crime: unknown group 'Nope'" \
    "$KPI" report badgroup.md --period "2022/23 Q1" --format md -o out.md
printf -- '---\ntitle: x\n---\n{{benchmark police.all-crime}}\n' > nogroup.md
refuse "a template without group=" 1 "nogroup.md:4: 'benchmark' needs group=NAME" \
    "$KPI" report nogroup.md --period "2022/23 Q1" --format md -o out.md

# Formats: JSON numbers, the table's header.
j=$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "Central Lancashire" --format json)
check_contains "json has numbers" '"population": 147835' "$j"
t=$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "Central Lancashire" --format table)
check_contains "table has the columns" "rate_lower" "$t"
# The population of the nearest earlier year is used, and the note says so.
check_contains "nearest earlier year in the note" "population of 2021 (none for 2022)" \
    "$(bget "$b" Chorley note)"
# No population: no rate, the note says why.
cat > areas.csv <<'CSV'
area
Wyre
CSV
"$KPI" import areas areas.csv >/dev/null
printf 'group,area\nWith Wyre,Chorley\nWith Wyre,Wyre\n' > g2.csv
"$KPI" import groups g2.csv >/dev/null
w=$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "With Wyre")
check "an area without a value or population has no rate" "" "$(bget "$w" Wyre rate)"
check_contains "and the note says why" "no figure for" "$(bget "$w" Wyre note)"
printf 'area,year,population\nChorley,2023,120000\n' > p23.csv
"$KPI" import population p23.csv >/dev/null
check "a later year's population is not used for an earlier period" "117732" \
    "$(bget "$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "With Wyre")" Chorley population)"

# Errors: clear, and nothing changed.
refuse "unknown group" 1 "unknown group 'Nope' \(the groups are 'Lancashire Constabulary', 'Chorley and neighbours'" \
    "$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group Nope
refuse "unknown indicator" 1 "unknown indicator 'police.nope'" \
    "$KPI" benchmark --indicator police.nope --period "2022/23 Q1" --group "Central Lancashire"
refuse "a period with no data" 1 "no value for 2019/20 Q1 in any area of group" \
    "$KPI" benchmark --indicator police.all-crime --period "2019/20 Q1" --group "Central Lancashire"
refuse "a bad period" 1 "bad period '2022/23 Q5'" \
    "$KPI" benchmark --indicator police.all-crime --period "2022/23 Q5" --group "Central Lancashire"
refuse "a missing option" 2 "--group are required" "$KPI" benchmark --indicator police.all-crime --period 2022-04
refuse "a bad --per" 2 "--per '0'" "$KPI" benchmark --indicator police.all-crime --period 2022-04 --group "Central Lancashire" --per 0
printf 'area,code,year,population\nChorley,,2022,"117,732"\n' > bad1.csv
refuse "population with a thousands separator" 1 "bad1.csv:2: population '117,732'" "$KPI" import population bad1.csv
printf 'area,year,population\nChorley,2022,0\n' > bad2.csv
refuse "population of 0" 1 "bad2.csv:2: population '0': expected a whole number of residents, more than 0" \
    "$KPI" import population bad2.csv
printf 'area,year,population\nChorley,2022,10\nChorley,2022x,10\n' > bad3.csv
refuse "a year that is not one" 1 "bad3.csv:3: year '2022x'" "$KPI" import population bad3.csv
printf 'area,year,population\nChorley,2022,10\nChorley,2022,11\n' > bad4.csv
refuse "the same area and year twice" 1 "bad4.csv:3: a second population for Chorley, 2022" \
    "$KPI" import population bad4.csv
printf 'area,code,year,population\nNowhere,E07999999,2022,10\n' > bad5.csv
refuse "an unknown area and code" 1 "bad5.csv:2: unknown area 'Nowhere'" "$KPI" import population bad5.csv
printf 'area,code,year,population\nChorley,E06000009,2022,10\n' > bad6.csv
refuse "a code another area has" 1 "bad6.csv:2: area 'Chorley': code E06000009 is already the code of area 'Blackpool'" \
    "$KPI" import population bad6.csv
printf 'code,year,population\nE07000118,2024,118000\n' > bycode.csv
run_ok "a code alone identifies the area" "$KPI" import population bycode.csv
printf 'group,area\nG,Chorley\nG,Atlantis\n' > badg.csv
refuse "a group with an unknown area" 1 "badg.csv:3: unknown area 'Atlantis'" "$KPI" import groups badg.csv
printf 'group,area\nG,Chorley\nG,Chorley\n' > badg2.csv
refuse "an area twice in a group" 1 "badg2.csv:3: area 'Chorley' appears twice in group 'G'" "$KPI" import groups badg2.csv
printf 'code,title,per\nx.y,X,1.5\n' > badi.csv
refuse "a per that is not whole" 1 "badi.csv:2: per '1.5'" "$KPI" import indicators badi.csv
# The ONS mid-year-estimate layout through a column mapping: notes above the
# header skipped, other columns ignored, undeclared areas (country, county) skipped,
# an area found by its code under another spelling.
cat > mye.csv <<'CSV'
"Mid-2023 population estimates, local authorities",,,,,
"Source: Office for National Statistics",,,,,
,,,,,
Code,Name,Geography,All ages,0,1
K04000001,ENGLAND AND WALES,Country,60854727,1,2
E10000017,Lancashire,County,1262000,1,2
E07000118,Chorley,Non-metropolitan District,119000,1,2
E06000008,Blackburn With Darwen,Unitary Authority,156000,1,2
CSV
out=$("$KPI" import population --map "code=Code,area=Name,population=All ages" --year 2023 mye.csv)
check "a mapped ONS file imports its declared areas" \
    "2 population from mye.csv (2 rows of undeclared areas skipped)" "$out"
check "the mapped figure is stored for the area found by its code" "156000" \
    "$(db_query kpi.db "SELECT p.population FROM populations p JOIN areas a ON a.id = p.area_id WHERE a.name = 'Blackburn with Darwen' AND p.year = 2023")"
refuse "a mapping without population" 2 "column 'population' is not mapped" \
    "$KPI" import population --map "code=Code" --year 2023 mye.csv
refuse "a mapping to a header the file lacks" 1 "no header row with every mapped column \('Code', 'Everyone'\)" \
    "$KPI" import population --map "code=Code,population=Everyone" --year 2023 mye.csv
refuse "--map with another kind" 2 "--map and --year go with" "$KPI" import values --map "indicator=Code" mye.csv

# A groups file replaces the group it names; a police import leaves a file's group alone.
printf 'group,area\nCentral Lancashire,Chorley\nCentral Lancashire,Preston\n' > g3.csv
"$KPI" import groups g3.csv >/dev/null
c=$("$KPI" benchmark --indicator police.all-crime --period 2022-04 --group "Central Lancashire")
check "a group imported again holds only its new areas" "3" "$(printf '%s\n' "$c" | wc -l)"
# A police import refreshes the force's own group but never one imported from a file.
printf 'group,area\nLancashire Constabulary,Chorley\nLancashire Constabulary,Preston\n' > force.csv
"$KPI" import groups force.csv >/dev/null
run_ok "import police again" "$KPI" import police "$data/police"
f=$("$KPI" benchmark --indicator police.all-crime --period 2022-04 --group "Lancashire Constabulary")
check "a police import leaves a file's group of the force's name alone" "Chorley Preston" \
    "$(printf '%s\n' "$f" | python3 -c 'import csv,sys; print(" ".join(r["area"] for r in csv.DictReader(sys.stdin)))')"
# ---- GET /benchmark on the web: pickers, the table and chart, downloads, errors ----
printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
W="http://127.0.0.1:$PORT"
"$KPI" serve --listen "127.0.0.1:$PORT" --public 2>serve.log &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$W/login" && break; sleep 0.1; done
q="indicator=police.all-crime&group=Chorley%20and%20neighbours&period=2022/23%20Q1"
check "/benchmark with no choice yet" "200" "$(curl -s -o page0.html -w '%{http_code}' "$W/benchmark")"
check_contains "/benchmark offers the groups" '<option value="Chorley and neighbours">' "$(cat page0.html)"
check "/benchmark shows a benchmark" "200" "$(curl -s -o page.html -w '%{http_code}' "$W/benchmark?$q")"
check_contains "the page has the chart" "lowest first" "$(cat page.html)"
check_contains "the page has Blackpool's rate" "45.80" "$(cat page.html)"
homes() {
    python3 -c '
import re, sys
print("/".join(re.findall(r"<g class=\"bench-row bench-home\">\n<text [^>]* font-weight=\"bold\">([^<]*)</text>", open(sys.argv[1]).read())))' "$1"
}
check "the page's chart marks the home area, bold (the area parameter's default)" "Chorley *" "$(homes page.html)"
curl -s -o page-preston.html "$W/benchmark?$q&area=Preston"
check "with ?area=Preston the chart marks Preston, and only Preston" "Preston *" "$(homes page-preston.html)"
curl -s -o web.csv "$W/benchmark?$q&format=csv"
check "the CSV download is the CLI's output" \
    "$("$KPI" benchmark --indicator police.all-crime --period "2022/23 Q1" --group "Chorley and neighbours")" "$(cat web.csv)"
check "the xlsx download" "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" \
    "$(curl -s -o web.xlsx -w '%{http_code} %{content_type}' "$W/benchmark?$q&format=xlsx")"
xf=$(/usr/bin/python3 "$ROOT/tests/xlsx_figures.py" web.xlsx 2>&1) &&
    ok "the xlsx download: percentages as fractions with % formats" ||
    { not_ok "the xlsx download: percentages as fractions with % formats"; printf '%s\n' "$xf" | head; }
check "an unknown group is 404" "404" "$(curl -s -o err.html -w '%{http_code}' "$W/benchmark?indicator=police.all-crime&group=Nope&period=2022/23%20Q1")"
check_contains "and says so" "unknown group" "$(cat err.html)"
check "a group name that would break the directive is 400" "400" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$W/benchmark?indicator=police.all-crime&group=a%22b&period=2022/23%20Q1")"
curl -s -o dash.html "$W/?area=Chorley&period=2022/23%20Q1"
check_contains "the dashboard shows the rate against the area's first group" \
    "17.09 per 1,000 $(printf '\xe2\x80\x94') better than Lancashire Constabulary (24.90)" "$(cat dash.html)"
check "an unknown format is 400" "400" "$(curl -s -o /dev/null -w '%{http_code}' "$W/benchmark?$q&format=exe")"
kill -TERM "$SERVER"
wait "$SERVER"
check "the server stops cleanly" "0" "$?"
if grep -q "Sanitizer\|runtime error\|leak" serve.log; then not_ok "no sanitizer report from the server"; head -40 serve.log
else ok "no sanitizer report from the server"; fi
finish
