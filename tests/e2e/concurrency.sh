# concurrency.sh — kpi commands at the same time on one database lose nothing
# and never show half a change:
#   1. two police imports of different forces, whose districts overlap, give
#      the same figures as the two run one after the other;
#   2. reports made while an import runs — by the CLI and by the web
#      application's API — see the data before it or after it, never part of it;
#   3. two writers of the same value: with the `version` column (optimistic
#      locking) exactly one wins and the other is told, nothing overwritten
#      silently; without it both changes are applied in turn and both are in
#      the history.
# Writers take the database's one writer lock in turn (SQLite BEGIN IMMEDIATE,
# PostgreSQL an advisory lock); readers read one snapshot.
. "$E2E_LIB"

# ---- 1. two forces at once ----
# Each force: 12 months of 2022/23, 3000 rows a month, in its own districts
# and in Sharedtown (which both forces report in, as British Transport Police
# does everywhere).
python3 - <<'PY'
import os, random
random.seed(7)
types = ["Burglary", "Vehicle crime", "Anti-social behaviour", "Violence and sexual offences", "Shoplifting"]
forces = {"alpha": ("Alphashire Police", ["Aton", "Sharedtown"]),
          "beta": ("Betashire Constabulary", ["Bexby", "Sharedtown"])}
expect = {}
for slug, (name, districts) in forces.items():
    os.makedirs(slug, exist_ok=True)
    for m in range(12):
        y, mm = (2022, 4 + m) if m < 9 else (2023, m - 8)
        month = f"{y}-{mm:02d}"
        with open(f"{slug}/{month}-{slug}-street.csv", "w") as f:
            f.write("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                    "Crime type,Last outcome category,Context\n")
            for i in range(3000):
                d = random.choice(districts)
                t = random.choice(types)
                f.write(f"x{i},{month},{name},{name},-2.6,53.6,On or near Somewhere,E0100{i % 97:04d},"
                        f"{d} {i % 50:03d}A,{t},Under investigation,\n")
                if d == "Sharedtown" and t != "Anti-social behaviour":
                    expect[month] = expect.get(month, 0) + 1
with open("expect-shared.txt", "w") as f:
    f.write(str(sum(expect.values())))
PY
mkdir -p together apart
(cd together && "$KPI" init >/dev/null)
(cd apart && "$KPI" init >/dev/null)
(cd together && "$KPI" import police ../alpha >a.out 2>a.err; echo $? >a.status) &
(cd together && "$KPI" import police ../beta >b.out 2>b.err; echo $? >b.status) &
wait
check "force A imports while force B does" "0" "$(cat together/a.status)"
check "force B imports while force A does" "0" "$(cat together/b.status)"
[ -s together/a.err ] && cat together/a.err together/b.err
(cd apart && "$KPI" import police ../alpha >/dev/null && "$KPI" import police ../beta >/dev/null)
figs() { (cd "$1" && "$KPI" compare --period "2022/23" && "$KPI" compare --period "2022/23 Q3"); }
check "at the same time = one after the other (every area, every crime type)" \
    "$(figs apart | md5sum)" "$(figs together | md5sum)"
c=$(cd together && "$KPI" compare --period 2022/23 --area Sharedtown)
check "Sharedtown counts both forces' crimes" "$(cat expect-shared.txt)" "$(csv_get "$c" police.all-crime value Sharedtown)"
check "both forces' months are recorded" "24" "$(cd together && db_query kpi.db "SELECT COUNT(*) FROM police_months")"

# ---- 2. reports during an import ----
mkdir -p rep && cd rep
"$KPI" init >/dev/null
python3 - <<'PY'
import csv
with open("ind.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["code", "title"])
    for i in range(100):
        w.writerow([f"i{i:03d}", f"Indicator {i}"])
with open("old.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["indicator", "area", "period", "value"])
    for i in range(100):
        w.writerow([f"i{i:03d}", "Oldtown", "2022-04", 1])
with open("areas.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["area"])
    w.writerow(["Oldtown"])
    for a in range(40):
        w.writerow([f"Newtown {a:02d}"])
with open("big.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["indicator", "area", "period", "value"])
    for a in range(40):
        for i in range(100):
            for m in range(4, 13):
                w.writerow([f"i{i:03d}", f"Newtown {a:02d}", f"2022-{m:02d}", 2])
PY
"$KPI" import indicators ind.csv >/dev/null
"$KPI" import areas areas.csv >/dev/null
"$KPI" import values old.csv >/dev/null
# The web application reads too: its API while the import runs.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KPI" serve --public --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.1; done
api_rows() { # rows of the compare API for Newtown areas, or "error STATUS"
    curl -s -w '\n%{http_code}' "http://127.0.0.1:$PORT/api/v1/compare?period=2022-04" | python3 -c '
import json, sys
body, _, status = sys.stdin.read().rpartition("\n")
if status != "200":
    print("error", status)
else:
    print(sum(1 for r in json.loads(body) if r["area"].startswith("Newtown ")))'
}
("$KPI" import values big.csv >import.out 2>&1; echo $? >import.status) &
bad=0 seen_before=0 seen_after=0 runs=0
for _ in $(seq 600); do
    finished=0
    [ -s import.status ] && finished=1
    out=$("$KPI" compare --period 2022-04 2>&1) || { bad=1; echo "  compare failed: $out"; break; }
    rows=$(printf '%s\n' "$out" | grep -c ',Newtown ')
    runs=$((runs + 1))
    case $rows in
    0) seen_before=1 ;;
    4000) seen_after=1 ;;
    *) bad=1; echo "  a report saw $rows of the import's 4000 rows"; break ;;
    esac
    api=$(api_rows)
    case $api in
    0 | 4000) ;;
    *) bad=1; echo "  the web API saw $api of the import's 4000 rows"; break ;;
    esac
    [ "$finished" = 1 ] && break
done
while [ ! -s import.status ]; do sleep 0.2; done
check "the web API during the import answered and after it shows all" "4000" "$(api_rows)"
kill -TERM "$SERVER"
wait "$SERVER"
check "the server stopped cleanly" "0" "$?"
if grep -q "Sanitizer\|runtime error\|internal error" serve.log; then
    not_ok "no sanitizer report or internal error from the server"
    cat serve.log
else
    ok "no sanitizer report or internal error from the server"
fi
wait
check "the import under the reports succeeded" "0" "$(cat import.status)"
echo "# $runs reports during the import: saw it not yet $seen_before, whole $seen_after (1 = at least once)"
check "every report saw the import whole or not at all ($runs reports)" "0" "$bad"
c=$("$KPI" compare --period 2022-04)
check "after it, all of it" "4000" "$(printf '%s\n' "$c" | grep -c ',Newtown ')"
cd ..

# ---- 3. two writers of the same value ----
mkdir -p same && cd same
"$KPI" init >/dev/null
printf 'code,title\nx,X\n' >ind.csv
printf 'indicator,period,value\nx,2022-04,10\n' >v0.csv
"$KPI" import indicators ind.csv >/dev/null
"$KPI" import values v0.csv >/dev/null
v=$(db_query kpi.db "SELECT version FROM vals")
check "the stored value is at version 1" "1" "$v"
# Both saw version 1; both write at once.
printf 'indicator,period,value,version\nx,2022-04,11,1\n' >a.csv
printf 'indicator,period,value,version\nx,2022-04,12,1\n' >b.csv
("$KPI" import values a.csv >a.out 2>&1; echo $? >a.status) &
("$KPI" import values b.csv >b.out 2>&1; echo $? >b.status) &
wait
check "exactly one of two writers of version 1 wins" "0 1" "$(sort -n a.status b.status | tr '\n' ' ' | sed 's/ $//')"
loser=a
[ "$(cat a.status)" = 0 ] && loser=b
winner_value=$([ "$loser" = a ] && echo 12 || echo 11)
check_contains "the other is told who changed it" "was changed by someone else since version 1 (now version 2" \
    "$(cat $loser.out)"
c=$("$KPI" compare --period 2022-04)
check "the winner's value stands" "$winner_value" "$(csv_get "$c" x value)"
check "one change in the history" "10|$winner_value" \
    "$(db_query kpi.db "SELECT old_value / 1000000, new_value / 1000000 FROM value_history WHERE old_value IS NOT NULL")"
check "and the value is at version 2" "2" "$(db_query kpi.db "SELECT version FROM vals")"
# Without a version each import replaces the value in turn: both are kept in the history.
printf 'indicator,period,value\nx,2022-04,21\n' >c.csv
printf 'indicator,period,value\nx,2022-04,22\n' >d.csv
("$KPI" import values c.csv >/dev/null 2>&1; echo $? >c.status) &
("$KPI" import values d.csv >/dev/null 2>&1; echo $? >d.status) &
wait
check "two plain writers both succeed" "0 0" "$(cat c.status) $(cat d.status)"
check "both changes are in the history, one after the other" "2" \
    "$(db_query kpi.db "SELECT COUNT(*) FROM value_history WHERE new_value IN (21000000, 22000000)")"
last=$(db_query kpi.db "SELECT new_value / 1000000 FROM value_history ORDER BY id DESC LIMIT 1")
check "the last change is the value that stands" "$last" "$(csv_get "$("$KPI" compare --period 2022-04)" x value)"
check "and the value is at version 4" "4" "$(db_query kpi.db "SELECT version FROM vals")"
cd ..
finish
