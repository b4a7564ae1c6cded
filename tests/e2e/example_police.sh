# example_police.sh — the Chorley 2022/23 example, built from the police.uk
# months shipped with it (examples/chorley-2022-q2/data: Chorley's rows of
# 2020-07, 2021-04..09 and 2022-04..09; no ../shared needed) through composite
# indicators, against an independent count of the same files.
. "$E2E_LIB"
data="$ROOT/examples/chorley-2022-q2/data/police"
ex="$ROOT/examples/chorley-2022-q2"
run_ok "init" "$KPI" init --area Chorley
run_ok "import police" "$KPI" import police "$data"
run_ok "import the partnership's indicators" "$KPI" import indicators "$ex/indicators.csv"
c=$("$KPI" compare --period "2022/23 Q2" --area Chorley)

# Independent count: python3 over the gzip files, by LSOA name prefix and crime type.
python3 - "$data" > expected.txt <<'PY'
import csv, gzip, glob, os, sys
groups = {
    "All Crime": None,
    "Serious Acquisitive Crime": {"Burglary", "Vehicle crime", "Robbery"},
    "All Violent Crime": {"Violence and sexual offences", "Possession of weapons"},
    "Criminal Damage and Arson": {"Criminal damage and arson"},
    "Anti-social Behaviour": {"Anti-social behaviour"},
}
spans = {"previous": ["2021-07", "2021-08", "2021-09"], "value": ["2022-07", "2022-08", "2022-09"],
         "ytd_previous": ["2021-%02d" % m for m in range(4, 10)], "ytd": ["2022-%02d" % m for m in range(4, 10)]}
counts = {}
for path in glob.glob(os.path.join(sys.argv[1], "*.csv.gz")):
    with gzip.open(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            name = row["LSOA name"]
            if not name.startswith("Chorley "):
                continue
            key = (row["Month"], row["Crime type"])
            counts[key] = counts.get(key, 0) + 1
for title, types in groups.items():
    for col, months in spans.items():
        n = sum(v for (m, t), v in counts.items() if m in months and
                (t in types if types else t != "Anti-social behaviour"))
        print(f"{title}|{col}|{n}")
PY
while IFS='|' read -r title col n; do
    check "$title $col matches an independent count" "$n" "$(csv_get "$c" "$title" "$col" Chorley)"
done < expected.txt

run_ok "the example's report renders" "$KPI" report "$ex/report.md" --period "2022/23 Q2" --format html -o crime.html
check_contains "report has the category table" "Serious Acquisitive Crime" "$(cat crime.html)"
# A span with a never-published month is empty, and the note names it.
c=$("$KPI" compare --period "2020/21 Q2" --area Chorley)
check "composite over an unpublished month is empty" "" "$(csv_get "$c" "Serious Acquisitive Crime" value)"
check_contains "and the note names the months" "August to September 2020" "$(csv_get "$c" "Serious Acquisitive Crime" note)"
finish
