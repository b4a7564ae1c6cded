# backends.sh — the same commands on SQLite and on PostgreSQL print the same
# bytes: docs/figures.md's edge cases (missing months, ratios of sums, means,
# last values, composites, targets and RAG, a January year), areas whose names
# sort differently by locale, notes with quotes and line breaks, police.uk
# files, in every output format. On the SQLite run there is one back end, and
# the script says so; the PostgreSQL run does the comparison.
. "$E2E_LIB"

if [ "${KPI_TEST_DB:-sqlite}" != postgresql ]; then
    ok "one back end on this run: the comparison runs in the PostgreSQL run"
    finish
    exit 0
fi
real=$KPI_REAL_BIN
SQ=$PWD/s.db
PG=$("$(dirname "$E2E_LIB")/pg-db" p.db)
JAN_SQ=$PWD/jan.db
JAN_PG=$("$(dirname "$E2E_LIB")/pg-db" jan.db)

cat >ind.csv <<'CSV'
code,title,unit,polarity,aggregate,frequency,decimals,parent,partner,formula
asb,Anti-social behaviour,count,lower,,,,,Police,
rate,Satisfaction,percent,higher,ratio,,1,,Council,
avg,Average wait (days),number,lower,mean,,1,,NHS,
lvl,Staff in post,number,none,last,,0,,Council,
burg,Burglary,count,lower,sum,,,,Police,
veh,Vehicle crime,count,lower,sum,,,,Police,
sac,Serious acquisitive,count,lower,sum,,,,Police,burg + veh
fires,Fires,count,lower,sum,year,,,Fire,
CSV
python3 - <<'PY'
import csv
areas = ["Zed", "aBc", "Abc", "ábc", "Äbc", "abc-2", "abc 2", "Ørsted", "_under", "10 Town", "9 Town"]
with open("v.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["indicator", "area", "period", "value", "numerator", "denominator", "note"])
    for ai, a in enumerate(areas):
        for y in (2019, 2020):
            for m in range(1, 13):
                if (y, m) in ((2020, 6), (2020, 8)) and ai % 2:
                    continue  # months that never arrive, in some areas
                p = f"{y}-{m:02d}"
                w.writerow(["asb", a, p, 10 + (ai * 7 + m * 3) % 11, "", "", ""])
                w.writerow(["rate", a, p, "", (ai + m) % 5, (ai + m) % 5 + 1 + (ai * m) % 4, ""])
                w.writerow(["burg", a, p, (ai + m) % 9, "", "", ""])
                w.writerow(["veh", a, p, (ai * m) % 7, "", "", 'said "no", then\nyes; 100%'])
                w.writerow(["lvl", a, p, 100 + (ai + m) % 6, "", "", ""])
            w.writerow(["avg", a, f"{y}/{(y + 1) % 100:02d} Q2", f"{ai % 4}.{m % 10}", "", "", ""])
            w.writerow(["fires", a, f"{y}/{(y + 1) % 100:02d}", 200 + ai, "", "", "ÜTF-8 ✓"])
with open("a.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["area"])
    for a in areas:
        w.writerow([a])
with open("t.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["indicator", "area", "year", "target", "tolerance"])
    for ai, a in enumerate(areas):
        w.writerow(["asb", a, "2020/21", 150 + ai, 5])
        w.writerow(["rate", a, "2020/21", 40 + ai, 10])
        w.writerow(["fires", a, "2020/21", 205, ""])
with open("p.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["code", "title", "description", "lead", "key"])
    for k in range(7):
        w.writerow([f"p{k}", f"Project {k}", "", "Council" if k % 2 else "Police", "yes" if k % 3 == 0 else ""])
with open("s.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["project", "period", "status", "commentary"])
    for k in range(6):
        w.writerow([f"p{k}", "2020/21 Q1", ["green", "amber", "red", "complete", "green", "amber"][k], f"note {k}"])
PY
load() {
    "$real" --db "$1" init --area Northtown >/dev/null &&
        for k in areas indicators targets values projects statuses; do
            f=$k.csv
            [ $k = areas ] && f=a.csv
            [ $k = indicators ] && f=ind.csv
            [ $k = targets ] && f=t.csv
            [ $k = values ] && f=v.csv
            [ $k = projects ] && f=p.csv
            [ $k = statuses ] && f=s.csv
            if [ $k = targets ]; then continue; fi
            "$real" --db "$1" import $k "$f" >/dev/null || return 1
        done &&
        "$real" --db "$1" import targets t.csv >/dev/null &&
        "$real" --db "$1" import police "$ROOT/tests/fixtures/police/good" >/dev/null
}
run_ok "load SQLite" load "$SQ"
run_ok "load PostgreSQL" load "$PG"

outputs() {
    for p in 2020-04 2020-06 "2020/21 Q1" "2020/21 Q2" "2020/21" "2019/20 Q4" 2022-07 "2022/23 Q2"; do
        for f in csv json table; do
            echo "== compare $p $f"
            "$real" --db "$1" compare --period "$p" --format "$f" 2>&1
        done
        echo "== compare $p Abc"
        "$real" --db "$1" compare --period "$p" --area Abc 2>&1
        echo "== delivery $p"
        "$real" --db "$1" delivery --period "$p" --format json 2>&1
    done
}
outputs "$SQ" >sq.out
outputs "$PG" >pg.out
check "every compare and delivery output is the same on both" "" "$(diff sq.out pg.out | head -20)"
check "and there are many of them" "1" "$([ "$(grep -c '^== ' sq.out)" -ge 40 ] && [ "$(wc -l <sq.out)" -gt 1000 ] && echo 1)"
check "areas sort byte by byte on both" "$(printf '%s\n' "10 Town" "9 Town" Abc Zed _under aBc "abc 2" abc-2 Äbc Ørsted ábc)" \
    "$("$real" --db "$PG" compare --period 2020-04 | python3 -c '
import csv, sys
seen = []
for r in csv.DictReader(sys.stdin):
    if r["indicator"] == "asb" and r["area"] not in seen:
        seen.append(r["area"])
print("\n".join(seen))')"
check "as many rows on both (dump)" \
    "$("$real" --db "$SQ" dump | grep -c .)" "$("$real" --db "$PG" dump | grep -c .)"

# A January financial year.
printf 'code,title\nn,N\n' >jan-i.csv
printf 'indicator,period,value\nn,2020-01,1\nn,2020-02,2\nn,2020-03,3\nn,2019-01,1\nn,2019-02,1\nn,2019-03,1\n' >jan-v.csv
for db in "$JAN_SQ" "$JAN_PG"; do
    "$real" --db "$db" init --fy-start 1 >/dev/null
    "$real" --db "$db" import indicators jan-i.csv >/dev/null
    "$real" --db "$db" import values jan-v.csv >/dev/null
done
check "a January year: the same" "$("$real" --db "$JAN_SQ" compare --period "2020 Q1")" \
    "$("$real" --db "$JAN_PG" compare --period "2020 Q1")"
# Errors: the same message, the same status.
printf 'indicator,period,value\nasb,2020-04,1O\n' >bad.csv
e1=$("$real" --db "$SQ" import values bad.csv 2>&1); s1=$?
e2=$("$real" --db "$PG" import values bad.csv 2>&1); s2=$?
check "a bad file: the same message and status" "$s1 $e1" "$s2 $e2"
finish
