# police.sh — `kpi import police` end to end: the tiny fixtures in every form
# police.uk serves (plain CSV with quotes and CRLF, .csv.gz, the .zip with
# YYYY-MM/ folders of street, outcomes and stop-and-search files, a directory),
# replacement on re-import, a broken row, and — when the shared police.uk data
# are here ($SHARED/data/police-uk/lancashire) — figures for districts, quarters
# and years to date checked against an independent count by python3, missing
# months, and the same months imported twice or as .gz and as plain CSV.
. "$E2E_LIB"

FX="$ROOT/tests/fixtures/police"
GOOD="$FX/good"
JUL="$GOOD/2022-07-testshire-street.csv"
AUG="$GOOD/2022-08-testshire-street.csv.gz"
SEP="$GOOD/testshire-2022-09.zip"

# compare_rows DB PERIOD AREA: kpi compare as CSV
compare_rows() { "$KPI" --db "$1" compare --period "$2" --area "$3" --format csv; }
# vals DB: every value, in a fixed order (what "identical figures" rests on)
vals() { db_query "$1" "SELECT i.code, a.name, v.kind, v.first_month, v.value FROM vals v
    JOIN indicators i ON i.id = v.indicator_id JOIN areas a ON a.id = v.area_id ORDER BY 1, 2, 3, 4"; }

run_ok "init" "$KPI" --db kpi.db init
out=$("$KPI" --db kpi.db import police "$JUL" "$AUG" "$SEP" 2>err.txt)
check "one-line summary" "police: 4 files, 15 rows, 4 months (2 forces), 4 areas" "${out%, * s}"
check "no progress bar off a terminal" "" "$(cat err.txt)"

c=$(compare_rows kpi.db "2022/23 Q2" Chorley)
check "Chorley Q2 burglary (plain + gz + zip, two forces)" "4" "$(csv_get "$c" police.burglary value)"
check "Chorley Q2 anti-social behaviour" "3" "$(csv_get "$c" police.anti-social-behaviour value)"
check "Chorley Q2 vehicle crime (quoted location)" "2" "$(csv_get "$c" police.vehicle-crime value)"
check "Chorley Q2 drugs" "1" "$(csv_get "$c" police.drugs value)"
check "Chorley Q2 all crime leaves out anti-social behaviour" "7" "$(csv_get "$c" police.all-crime value)"
check "title is the crime type" "Anti-social behaviour" "$(csv_get "$c" police.anti-social-behaviour title)"
check "all crime's title" "All crime" "$(csv_get "$c" police.all-crime title)"
check_contains "year to date needs April to June" "April to June 2022" \
    "$(csv_get "$c" police.burglary note)"
check "year to date is empty" "" "$(csv_get "$c" police.burglary ytd)"

c=$(compare_rows kpi.db 2022-07 Chorley)
check "a type with no rows in a reported month is zero" "0" "$(csv_get "$c" police.drugs value)"
check "Chorley July all crime" "3" "$(csv_get "$c" police.all-crime value)"
c=$(compare_rows kpi.db "2022/23 Q2" Preston)
check "Preston Q2 burglary" "3" "$(csv_get "$c" police.burglary value)"
check "Preston Q2 all crime" "4" "$(csv_get "$c" police.all-crime value)"
c=$(compare_rows kpi.db "2022/23 Q2" "Testshire Constabulary")
check "force area counts rows without an LSOA" "7" "$(csv_get "$c" police.burglary value)"
check "force area all crime" "11" "$(csv_get "$c" police.all-crime value)"
c=$(compare_rows kpi.db 2022-09 "Otherforce Police")
check "the second force's area" "1" "$(csv_get "$c" police.burglary value)"
c=$(compare_rows kpi.db "2022/23 Q3" Chorley)
check "a quarter never imported is empty" "" "$(csv_get "$c" police.burglary value)"
check_contains "and its note names the months" "October to December 2022" \
    "$(csv_get "$c" police.burglary note)"
c=$(compare_rows kpi.db 2022-08 "Otherforce Police")
check "a force-month never imported is missing, not zero" "" "$(csv_get "$c" police.burglary value)"
check_contains "named in the note" "August 2022" "$(csv_get "$c" police.burglary note)"
check "both forces' street files in the archive, not its outcomes or stop-and-search" "2" \
    "$(db_query kpi.db "SELECT count(*) FROM police_months WHERE month = 2022 * 12 + 8")"

before=$(vals kpi.db)
hist=$(db_query kpi.db "SELECT count(*) FROM value_history")
q2=$(compare_rows kpi.db "2022/23 Q2" Chorley)
run_ok "import the same files again" "$KPI" --db kpi.db import police "$JUL" "$AUG" "$SEP"
check "the same values after importing twice" "$before" "$(vals kpi.db)"
check "and no new history" "$hist" "$(db_query kpi.db "SELECT count(*) FROM value_history")"
run_ok "import the folder" "$KPI" --db kpi.db import police "$GOOD"
check "the folder gives the same values" "$before" "$(vals kpi.db)"
zcat "$AUG" > 2022-08-testshire-street.csv
run_ok "import August as plain CSV" "$KPI" --db kpi.db import police 2022-08-testshire-street.csv
check "plain CSV and .gz give the same values" "$before" "$(vals kpi.db)"
run_ok "a fresh database from plain files" "$KPI" --db plain.db init
run_ok "import plain files" "$KPI" --db plain.db import police "$SEP" 2022-08-testshire-street.csv "$JUL"
check "the same figures in another database, files in another order" "$q2" "$(compare_rows plain.db "2022/23 Q2" Chorley)"

# Replacing a month: July again without its Preston row.
grep -v 'Preston 010C' "$JUL" > 2022-07-testshire-street.csv
run_ok "re-import July with a row fewer" "$KPI" --db kpi.db import police 2022-07-testshire-street.csv
c=$(compare_rows kpi.db 2022-07 Preston)
check "the month is replaced, not added to" "0" "$(csv_get "$c" police.drugs value)"
c=$(compare_rows kpi.db 2022-07 Chorley)
check "the rest of the month stands" "2" "$(csv_get "$c" police.burglary value)"
run_ok "import July as it was" "$KPI" --db kpi.db import police "$JUL"
check "back to the same values" "$before" "$(vals kpi.db)"

# Two files with the same force-month in one import: the later one counts.
run_ok "the same month twice in one import" "$KPI" --db kpi.db import police "$JUL" 2022-07-testshire-street.csv
c=$(compare_rows kpi.db 2022-07 Preston)
check "the later file wins" "0" "$(csv_get "$c" police.drugs value)"
run_ok "and the other way round" "$KPI" --db kpi.db import police 2022-07-testshire-street.csv "$JUL"
check "back again" "$before" "$(vals kpi.db)"

# Errors: file:line: reason, nothing written.
refuse "a broken row stops the import" 1 \
    "broken/2022-07-testshire-street.csv:6: 6 fields, but the header has 12" \
    "$KPI" --db kpi.db import police "$AUG" "$FX/broken"
printf 'indicator,area,period,value\nx,,2022-07,1\n' > 2022-07-values-street.csv
refuse "a file of another kind" 1 "2022-07-values-street.csv:1: not a street-level crime file" \
    "$KPI" --db kpi.db import police "$JUL" 2022-07-values-street.csv
refuse "a missing file" 1 "no-such-street.csv: No such file" "$KPI" --db kpi.db import police no-such-street.csv
mkdir empty
refuse "a folder without street files" 1 "no street-level files" "$KPI" --db kpi.db import police empty
refuse "no file at all" 2 "." "$KPI" --db kpi.db import police
head -c 100 "$AUG" > 2022-08-cut-street.csv.gz
refuse "a cut-off gzip file" 1 "2022-08-cut-street.csv.gz: broken gzip data" \
    "$KPI" --db kpi.db import police 2022-08-cut-street.csv.gz

# ---- the shared police.uk data -------------------------------------------
LANCS="${SHARED:+$SHARED/data/police-uk/lancashire}"
if [ -z "$LANCS" ] || [ ! -d "$LANCS" ]; then
    echo "# skipped the checks on real data: no shared police.uk data here (\$SHARED/data/police-uk/lancashire); the fixture checks ran"
    finish
    exit
fi

run_ok "init (real data)" "$KPI" --db lancs.db init
out=$("$KPI" --db lancs.db import police "$LANCS" 2>&1)
check "import the 32 shared months" "police: 32 files, 564082 rows, 32 months" "$(echo "$out" | sed 's/, [0-9]* areas.*//')"

# An independent count: python3 reads the same files, and says what each
# figure must be (empty where a month of the span was never published).
python3 - "$LANCS" > expected.csv <<'PY'
import csv, glob, gzip, io, os, re, sys
counts, months = {}, set()
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*-street.csv.gz"))):
    with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            m = r["Month"]; months.add(m)
            areas = [r["Falls within"]]
            if r["LSOA name"]:
                areas.append(re.sub(r" +[0-9]+[A-Z]*$", "", r["LSOA name"]))
            for a in areas:
                for ind in ["police." + re.sub(r"[^a-z0-9]+", "-", r["Crime type"].lower()).strip("-")] + \
                        ([] if r["Crime type"] == "Anti-social behaviour" else ["police.all-crime"]):
                    counts[(a, m, ind)] = counts.get((a, m, ind), 0) + 1
inds = sorted({k[2] for k in counts})
def span(first, n):  # months as YYYY-MM
    y, mo = first
    out = []
    for _ in range(n):
        out.append("%04d-%02d" % (y, mo)); mo += 1
        if mo == 13: y, mo = y + 1, 1
    return out
def total(area, ms):
    if any(m not in months for m in ms): return ""
    return str(sum(counts.get((area, m, ind), 0) for m in ms))
w = csv.writer(sys.stdout, lineterminator="\n")
for period, (y, q) in [("2022/23 Q2", (2022, 2)), ("2021/22 Q3", (2021, 3)), ("2021/22 Q4", (2021, 4)),
                       ("2021/22 Q1", (2021, 1)), ("2020/21 Q3", (2020, 3)), ("2020/21 Q1", (2020, 1))]:
    qfirst = (y + (3 + 3 * (q - 1)) // 12, (3 + 3 * (q - 1)) % 12 + 1)
    qms = span(qfirst, 3)
    yms = span((y, 4), 3 * q)
    for area in ["Chorley", "Preston", "Blackpool", "Burnley", "West Lancashire", "Ribble Valley",
                 "Lancashire Constabulary"]:
        for ind in inds:
            value = total(area, qms) if all((area, m, "police.all-crime") in counts for m in qms if m in months) else "?"
            ytd = total(area, yms)
            missing = " ".join(m for m in qms if m not in months)
            w.writerow([period, area, ind, value, ytd, missing])
PY
check "the independent count ran" "0" "$?"
python3 - expected.csv "$KPI" lancs.db > mismatches.txt <<'PY'
import csv, re, subprocess, sys
expected, kpi, db = sys.argv[1:4]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
M = "(" + "|".join(MONTHS) + ")"

def note_months(note):
    # the months a note names as missing, read from its words: "no figure for April to June 2019
    # and June 2020", "November 2010 to February 2011", a financial year "2019/20" (April-March)
    found = set()
    for part in re.findall(r"no figure for ([^;]*)", note):
        for run in re.split(r", | and ", part):
            run = run.strip()
            a = re.fullmatch(M + r" (\d{4}) to " + M + r" (\d{4})", run)
            b = re.fullmatch(M + r" to " + M + r" (\d{4})", run)
            c = re.fullmatch(M + r" (\d{4})", run)
            d = re.fullmatch(r"(\d{4})/(\d{2})", run)
            if a:
                lo = int(a[2]) * 12 + MONTHS.index(a[1]); hi = int(a[4]) * 12 + MONTHS.index(a[3])
            elif b:
                lo = int(b[3]) * 12 + MONTHS.index(b[1]); hi = int(b[3]) * 12 + MONTHS.index(b[2])
            elif c:
                lo = hi = int(c[2]) * 12 + MONTHS.index(c[1])
            elif d:
                lo = int(d[1]) * 12 + 3; hi = lo + 11
            else:
                continue
            for k in range(lo, hi + 1):
                found.add("%04d-%02d" % (k // 12, k % 12 + 1))
    return found
got, bad, n = {}, 0, 0
for row in csv.reader(open(expected)):
    period, area, ind, value, ytd, missing = row
    key = (period, area)
    if key not in got:
        out = subprocess.run([kpi, "--db", db, "compare", "--period", period, "--area", area, "--format", "csv"],
                             capture_output=True, text=True, check=True).stdout
        got[key] = {r["indicator"]: r for r in csv.DictReader(out.splitlines())}
    r = got[key].get(ind)
    n += 1
    if r is None:
        print("no row", period, area, ind); bad += 1; continue
    if value != "?" and r["value"] != value:
        print("value", period, area, ind, "kpi", r["value"], "count", value); bad += 1
    if r["ytd"] != ytd:
        print("ytd", period, area, ind, "kpi", r["ytd"], "count", ytd); bad += 1
    named = note_months(r["note"])
    for m in missing.split():
        if m not in named:
            print("note", period, area, ind, "lacks", m, ":", r["note"]); bad += 1
print("checked", n, "rows,", bad, "differ")
PY
check "district, force, quarter and year-to-date figures match the independent count" \
    "0 differ" "$(tail -1 mismatches.txt | sed 's/.*rows, //')"
grep -v '^checked' mismatches.txt | head -20

c=$(compare_rows lancs.db "2020/21 Q2" Chorley)
check "a quarter with never-published months is empty" "" "$(csv_get "$c" police.burglary value)"
check_contains "and names them" "August to September 2020" "$(csv_get "$c" police.burglary note)"

all_before=$("$KPI" --db lancs.db compare --period "2021/22 Q3" --format csv)
lvals=$(vals lancs.db)
run_ok "import the shared months again" "$KPI" --db lancs.db import police "$LANCS"
check "importing twice gives the same values" "$lvals" "$(vals lancs.db)"
mkdir plain
for f in "$LANCS"/*-street.csv.gz; do b=$(basename "$f" .gz); zcat "$f" > "plain/$b"; done
run_ok "init (plain copies)" "$KPI" --db plain-lancs.db init
run_ok "import the same months as plain CSV" "$KPI" --db plain-lancs.db import police plain
check "plain CSV gives the same figures as .gz, for every area" "$all_before" \
    "$("$KPI" --db plain-lancs.db compare --period "2021/22 Q3" --format csv)"
run_ok "import the plain copies over the .gz ones" "$KPI" --db lancs.db import police plain
check "and the values stay the same" "$lvals" "$(vals lancs.db)"
finish
