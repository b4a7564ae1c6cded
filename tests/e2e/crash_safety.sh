# crash_safety.sh — `kpi import` killed with SIGKILL at random moments leaves
# the database whole and holding all of the import or none of it:
#   (a) `kpi import values` of a 300,000-row CSV (1,000 indicators × 300
#       months of the home area, a tenth of them percentages; 100,000 rows
#       on PostgreSQL, see ROWS below);
#   (b) `kpi import police` of 36 generated months of street-level files.
# CRASH_SEED, CRASH_TRIALS, CRASH_JOBS and CRASH_KINDS ("values police") are
# knobs. Each kind: the import is run without a kill (CRASH_JOBS at once, as
# the trials run: all must end in the same state) to measure how long it takes
# and the state after it; then CRASH_TRIALS (20) trials, CRASH_JOBS (2) at a
# time (3 on PostgreSQL), each on a fresh copy of the database before the
# import, kill it at a moment drawn from a seeded generator (CRASH_SEED,
# printed; the same seed gives the same fractions of the time): between 2%
# and 98% of that time, but every fifth trial at the end: on SQLite as soon as
# the checkpoint after the commit starts writing the database file (so the
# kill lands after the commit, mid-checkpoint), on PostgreSQL between 85% and
# 105% of the time. After each kill:
# PRAGMA integrity_check is ok (SQLite; PostgreSQL's own recovery stands for
# it, said in a visible line) and `kpi dump`, with its timestamps blanked,
# equals the dump before the import or the one after it.
. "$E2E_LIB"

# The imports that are killed (and timed) run the release build when the
# runner names it (KPI_RELEASE_BIN, as `make e2e` does): it is what a
# partnership runs, and it imports 300,000 rows in a few seconds where the
# sanitizer build takes twenty. Every check after a kill uses $KPI.
KPI_KILLED=${KPI_RELEASE_BIN:-$KPI}
echo "# killed imports run $(basename "$KPI_KILLED") ($KPI_KILLED)"

SEED=${CRASH_SEED:-20261129}
TRIALS=${CRASH_TRIALS:-20}
PG=0
[ "${KPI_TEST_DB:-sqlite}" = postgresql ] && PG=1
# Trials at once: 2 on SQLite (one core each); 3 on PostgreSQL, where the
# server does most of the work and a client mostly waits for it.
JOBS=${CRASH_JOBS:-$((2 + PG))}
KINDS=${CRASH_KINDS:-values police} # for a look at one kind; the summary check then fails
# Rows of the values file (a multiple of 1,000): 300,000 on SQLite. On
# PostgreSQL 100,000: its import of 300,000 rows takes 13 s on two cores (the
# server writes each value and its history row), and twenty of them would not
# fit the time this script may take; a transaction is as atomic at any size.
ROWS=${CRASH_VALUES_ROWS:-$((PG ? 100000 : 300000))}
T0=$SECONDS
echo "# crash safety: seed $SEED (CRASH_SEED=$SEED reproduces the kill moments), $TRIALS trials a kind, $JOBS at a time"
if [ "$PG" = 1 ]; then
    echo "# PostgreSQL: PRAGMA integrity_check is SQLite only; here all-or-nothing is checked through kpi dump after the server has ended the killed session"
    PGDB="$(dirname "$E2E_LIB")/pg-db"
fi

# canon DB: kpi dump with every timestamp blanked (they differ between runs).
canon() {
    "$KPI" --db "$1" dump | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/T/g'
}
# state DB: the canonical dump as an md5.
state() { canon "$1" | md5sum | cut -c1-32; }

# fresh NAME BASE: a copy of the database BASE (a path) as the database NAME (a path).
fresh() {
    if [ "$PG" = 1 ]; then
        local base new url name
        base=$("$PGDB" "$2"); base=${base##*/}
        name=e2e_crash_$(printf '%s' "$PWD/$1" | md5sum | cut -c1-12)
        echo "$name" >>"$KPI_TEST_PG_STATE/databases" # dropped by the runner, should we stop early
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            psql -X -q "$KPI_TEST_PG_BASE/postgres" -c "CREATE DATABASE $name TEMPLATE $base" >/dev/null 2>&1 && break
            sleep 0.3 # the template is briefly in use by another copy
        done
        echo "$KPI_TEST_PG_BASE/$name"
    else
        cp "$2" "$1"
        echo "$1"
    fi
}

# gone URL_OR_PATH: drop the trial's database (PostgreSQL, once the server has
# ended every session on it) or remove its files.
gone() {
    if [ "$PG" = 1 ]; then
        psql -X -q "$KPI_TEST_PG_BASE/postgres" -c "DROP DATABASE IF EXISTS ${1##*/} WITH (FORCE)" >/dev/null 2>&1
    else
        rm -f "$1" "$1-wal" "$1-shm" "$1-journal"
    fi
}

# settle URL: PostgreSQL: wait until the server has ended the killed client's
# session (rolled it back, or committed what it was sent), at most 20 s.
settle() {
    [ "$PG" = 1 ] || return 0
    local name=${1##*/}
    for _ in $(seq 200); do
        [ "$(psql -X -A -t -q "$KPI_TEST_PG_BASE/postgres" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$name'")" = 0 ] && return 0
        sleep 0.1
    done
    echo "  the server still has a session on $name after 20 s"
}

# trial KIND N DELAY BASE IMPORT...: on a fresh copy of BASE, start the
# import, kill it after DELAY seconds, check; append one result line to
# KIND.results: "N DELAY HOW STATE INTEGRITY".
trial() {
    local kind=$1 n=$2 delay=$3 base=$4; shift 4
    local db pid status how st integ
    db=$(fresh "t-$kind-$n.db" "$base")
    local size0 size
    [ "$PG" = 0 ] && size0=$(stat -c %s "$db")
    "$KPI_KILLED" --db "$db" "$@" >"t-$kind-$n.out" 2>&1 &
    pid=$!
    if [ "$delay" = checkpoint ]; then
        # SQLite, WAL: the database file itself changes only when a checkpoint
        # copies committed pages into it, after the commit. Kill as soon as it
        # does (polled every 10 ms, for at most 4 times the measured time).
        local end=$((SECONDS + 4 * ${T%.*} + 4))
        while [ $SECONDS -lt $end ] && kill -0 "$pid" 2>/dev/null; do
            size=$(stat -c %s "$db" 2>/dev/null)
            [ "$size" != "$size0" ] && break
            sleep 0.01
        done
    else
        sleep "$delay"
    fi
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null # (no "Killed" line from the shell)
    status=$?
    case $status in
    137) how=killed ;;
    0) how=finished ;;
    *) how="exit-$status"; cat "t-$kind-$n.out" ;;
    esac
    settle "$db"
    integ=ok
    if [ "$PG" = 0 ]; then
        integ=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1 | tr '\n' ' ' | sed 's/ $//')
    fi
    st=$(state "$db")
    if [ "$st" = "$(cat "$kind.before")" ]; then st=none
    elif [ "$st" = "$(cat "$kind.after")" ]; then st=all
    else st="partial($st)"; fi
    echo "$n $delay $how $st ${integ// /_}" >>"$kind.results"
    gone "$db"
}

# run_kind KIND BASE IMPORT...: measure, then the trials; checks and a summary.
run_kind() {
    local kind=$1 base=$2; shift 2
    local t_start dbs=() k kind_t0=$SECONDS
    state "$base" >"$kind.before"
    # Measured once without a kill, JOBS imports at once (as the trials run).
    for k in $(seq "$JOBS"); do
        dbs[k]=$(fresh "ref-$kind-$k.db" "$base")
    done
    t_start=$(date +%s.%N)
    for k in $(seq "$JOBS"); do
        ( s=$(date +%s.%N); timeout 300 "$KPI_KILLED" --db "${dbs[k]}" "$@" >"ref-$kind-$k.out" 2>&1
          echo "$? $s $(date +%s.%N)" >"ref-$kind-$k.time" ) &
    done
    wait
    local bad_ref=0 total=0
    for k in $(seq "$JOBS"); do
        read -r rc s e <"ref-$kind-$k.time"
        [ "$rc" = 0 ] || { bad_ref=1; cat "ref-$kind-$k.out"; }
        total=$(awk -v t="$total" -v s="$s" -v e="$e" 'BEGIN { print t + e - s }')
    done
    check "$kind: the import without a kill succeeds ($JOBS at once)" "0" "$bad_ref"
    T=$(awk -v t="$total" -v j="$JOBS" 'BEGIN { printf "%.3f", t / j }')
    canon "${dbs[1]}" >"$kind.after.txt"
    md5sum <"$kind.after.txt" | cut -c1-32 >"$kind.after"
    local k2
    for k2 in $(seq 2 "$JOBS"); do
        canon "${dbs[k2]}" >"$kind.after$k2.txt"
        check "$kind: the import ends in the same state every time (run $k2 = run 1)" \
            "$(cat "$kind.after")" "$(md5sum <"$kind.after$k2.txt" | cut -c1-32)"
        diff "$kind.after.txt" "$kind.after$k2.txt" | head -10
    done
    rm -f "$kind".after*.txt
    [ "$(cat "$kind.after")" != "$(cat "$kind.before")" ] && ok "$kind: the import changes the database (so a half import would show)" \
        || not_ok "$kind: the import changes the database (so a half import would show)"
    for k in $(seq "$JOBS"); do gone "${dbs[k]}"; done
    echo "# $kind: the import takes $T s ($JOBS at once); kills at 2-98% of that, every fifth $([ "$PG" = 1 ] && echo "at 85-105%" || echo "when the checkpoint after the commit begins")"
    # The kill moments: seeded, the same fractions of the time for the same
    # seed and kind: anywhere from 2% to 98% of it, but every fifth trial at
    # the end: on SQLite as soon as the checkpoint after the commit begins
    # (see trial), on PostgreSQL at 85-105% of the time, where it commits.
    python3 -c 'import random, sys
r = random.Random(sys.argv[1] + "/" + sys.argv[2])
for k in range(int(sys.argv[3])):
    u = 0.85 + 0.20 * r.random() if k % 5 == 4 else 0.02 + 0.96 * r.random()
    print("checkpoint" if k % 5 == 4 and sys.argv[5] == "0" else "%.3f" % (float(sys.argv[4]) * u))' \
        "$SEED" "$kind" "$TRIALS" "$T" "$PG" >"$kind.delays"
    : >"$kind.results"
    local running=0 n=0 delay
    while read -r delay; do
        n=$((n + 1))
        trial "$kind" "$n" "$delay" "$base" "$@" &
        running=$((running + 1))
        if [ "$running" -ge "$JOBS" ]; then
            wait -n
            running=$((running - 1))
        fi
    done <"$kind.delays"
    wait
    local fails killed_none killed_all finished ran
    ran=$(wc -l <"$kind.results")
    fails=$(awk '$4 !~ /^(none|all)$/ || $5 != "ok" || $3 !~ /^(killed|finished)$/' "$kind.results" | wc -l)
    killed_none=$(awk '$3 == "killed" && $4 == "none"' "$kind.results" | wc -l)
    killed_all=$(awk '$3 == "killed" && $4 == "all"' "$kind.results" | wc -l)
    finished=$(awk '$3 == "finished"' "$kind.results" | wc -l)
    awk '$4 !~ /^(none|all)$/ || $5 != "ok" || $3 !~ /^(killed|finished)$/ {
        print "  trial " $1 ": kill after " $2 " s: " $3 ", database holds " $4 ", integrity_check " $5 }' "$kind.results"
    check "$kind: every trial ran" "$TRIALS" "$ran"
    check "$kind: after every kill the database is whole and holds all of the import or none of it" "0" "$fails"
    if [ $((killed_none + killed_all)) -ge $((TRIALS / 2)) ]; then
        ok "$kind: most kills landed while the import ran ($((killed_none + killed_all)) of $TRIALS)"
    else
        not_ok "$kind: most kills landed while the import ran ($((killed_none + killed_all)) of $TRIALS)"
    fi
    echo "# $kind: $TRIALS trials: $killed_none killed before the commit (none of it), $killed_all killed after it (all of it), $finished finished before the kill; $fails failures; $((SECONDS - kind_t0)) s"
    if [ "$PG" = 0 ]; then
        local at_ckpt
        at_ckpt=$(awk '$2 == "checkpoint" && $3 == "killed" && $4 == "all"' "$kind.results" | wc -l)
        if [ "$at_ckpt" -ge 1 ]; then
            ok "$kind: killed during the checkpoint after the commit, the database holds all of it ($at_ckpt of $((TRIALS / 5)) aimed there)"
        elif [ "$kind" = police ]; then
            # Its checkpoint is a few milliseconds: a kill may well miss it.
            echo "# $kind: no kill aimed at the checkpoint after the commit landed in it (it is a few ms long)"
        else
            not_ok "$kind: a kill aimed at the checkpoint after the commit landed there (0 of $((TRIALS / 5)))"
            awk '$2 == "checkpoint"' "$kind.results"
        fi
    fi
    eval "${kind}_fails=$fails"
}

# ---- (a) values: 300,000 rows ----
case " $KINDS " in *" values "*)
[ "$PG" = 1 ] && echo "# PostgreSQL: the values file has $ROWS rows (300,000 on SQLite; CRASH_VALUES_ROWS=300000 for the full size)"
python3 - "$ROWS" <<'PY'
import random, sys
months = int(sys.argv[1]) // 1000
r = random.Random(9)
with open("ind.csv", "w") as f:
    f.write("code,title,unit\n")
    for i in range(1000):
        f.write(f"c{i:04d},Crash indicator {i},{'percent' if i % 10 == 0 else 'count'}\n")
with open("values.csv", "w") as f:
    f.write("indicator,period,value,numerator,denominator\n")
    for i in range(1000):
        for m in range(months):  # from 2000-04 (300 months: to 2025-03)
            y, mm = 2000 + (3 + m) // 12, (3 + m) % 12 + 1
            if i % 10 == 0:
                d = r.randint(1, 500)
                f.write(f"c{i:04d},{y}-{mm:02d},,{r.randint(0, d)},{d}\n")
            else:
                f.write(f"c{i:04d},{y}-{mm:02d},{r.randint(0, 999)},,\n")
PY
check "the values file has $ROWS rows" "$((ROWS + 1))" "$(wc -l <values.csv)"
run_ok "init" "$KPI" --db values-base.db init --area Crashborough
run_ok "import the indicators" "$KPI" --db values-base.db import indicators ind.csv
run_kind values values-base.db import values values.csv
;; esac

# ---- (b) police: 36 months of street-level files ----
case " $KINDS " in *" police "*)
python3 - <<'PY'
import os, random
r = random.Random(5)
types = ["Burglary", "Vehicle crime", "Anti-social behaviour", "Violence and sexual offences", "Shoplifting",
         "Drugs", "Robbery", "Criminal damage and arson", "Public order", "Other theft", "Bicycle theft",
         "Theft from the person", "Possession of weapons", "Other crime"]
districts = [f"Crashton {d:02d}" for d in range(40)]
os.makedirs("police", exist_ok=True)
for m in range(36):
    y, mm = 2020 + (3 + m) // 12, (3 + m) % 12 + 1
    month = f"{y}-{mm:02d}"
    with open(f"police/{month}-crashshire-street.csv", "w") as f:
        f.write("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                "Crime type,Last outcome category,Context\n")
        for i in range(3000):
            f.write(f"x{m}-{i},{month},Crashshire Police,Crashshire Police,-2.6,53.6,On or near Somewhere,"
                    f"E0100{i % 97:04d},{r.choice(districts)} {i % 50:03d}A,{r.choice(types)},Under investigation,\n")
PY
# Every district and crime type is known before the import (one month of
# 2019 names them all): otherwise the import makes their areas and indicators
# in the order its threads meet them, and the ids in the dump vary between runs.
python3 - <<'PY'
types = ["Burglary", "Vehicle crime", "Anti-social behaviour", "Violence and sexual offences", "Shoplifting",
         "Drugs", "Robbery", "Criminal damage and arson", "Public order", "Other theft", "Bicycle theft",
         "Theft from the person", "Possession of weapons", "Other crime"]
with open("2019-01-crashshire-street.csv", "w") as f:
    f.write("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
            "Crime type,Last outcome category,Context\n")
    for d in range(40):
        for t in types:
            f.write(f"s{d}-{t},2019-01,Crashshire Police,Crashshire Police,-2.6,53.6,On or near Somewhere,"
                    f"E01000001,Crashton {d:02d} 001A,{t},Under investigation,\n")
PY
run_ok "init (police)" "$KPI" --db police-base.db init --area "Crashshire Police"
run_ok "every district and crime type known first" "$KPI" --db police-base.db import police 2019-01-crashshire-street.csv
run_kind police police-base.db import police police
;; esac

echo "# crash safety: values $TRIALS trials, ${values_fails:-?} failures; police $TRIALS trials, ${police_fails:-?} failures ($((SECONDS - T0)) s)"
check "crash safety summary" "crash safety: values $TRIALS trials, 0 failures; police $TRIALS trials, 0 failures" \
    "crash safety: values $TRIALS trials, ${values_fails:-?} failures; police $TRIALS trials, ${police_fails:-?} failures"
finish
