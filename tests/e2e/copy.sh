# copy.sh — `kpi copy` moves a whole database, history included: the worked
# example to PostgreSQL and back to SQLite (on the SQLite run, SQLite to
# SQLite), with the same figures, the same rows (`kpi dump`), and the
# refusals that keep a copy from mixing with other data.
. "$E2E_LIB"

run_ok "kpi demo builds the example" "$KPI" demo out
SRC=$PWD/out/kpi.db
# The middle of the round trip: a PostgreSQL database on the PostgreSQL run.
if [ "${KPI_TEST_DB:-sqlite}" = postgresql ]; then
    MID=$("$(dirname "$E2E_LIB")/pg-db" mid.db)
else
    MID=$PWD/mid.db
fi
BACK=$PWD/back.db
P="2011/12 Q2"

# Figures and rows of a database (the real binary, so that --db is taken as given).
kpi_real() { "${KPI_REAL_BIN:-$KPI}" "$@"; }
figures() {
    kpi_real --db "$1" compare --period "$P" --format csv
    kpi_real --db "$1" compare --period "$P" --format json
    kpi_real --db "$1" delivery --period "$P"
    kpi_real --db "$1" report "$ROOT/examples/chorley-2011-q2/report.md" --period "$P" --area Chorley --format md
}

out=$(kpi_real copy --from "$SRC" --to "$MID" 2>&1)
check_contains "copy there: the counts agree" "the counts agree" "$out"
check_contains "copy there: history is copied" "value_history: 54 rows" "$out"
check "copy there: the same figures" "$(figures "$SRC" | md5sum)" "$(figures "$MID" | md5sum)"
check "copy there: the same rows" "$(kpi_real --db "$SRC" dump | md5sum)" "$(kpi_real --db "$MID" dump | md5sum)"

out=$(kpi_real copy --from "$MID" --to "$BACK" 2>&1)
check_contains "copy back: the counts agree" "the counts agree" "$out"
check "copy back: the same figures" "$(figures "$SRC" | md5sum)" "$(figures "$BACK" | md5sum)"
check "copy back: the same rows" "$(kpi_real --db "$SRC" dump | md5sum)" "$(kpi_real --db "$BACK" dump | md5sum)"
check "the dump is not empty" "1" "$(kpi_real --db "$BACK" dump | grep -c '^-- table vals ')"

# The copy goes on as a database of its own: new rows get new ids.
printf 'code,title,frequency\nnew.one,A new indicator,quarter\n' > more-ind.csv
printf 'indicator,area,period,value\ncrime.all,Preston,%s,5\nnew.one,Preston,%s,7\n' "$P" "$P" > more.csv
run_ok "the copy takes a new indicator" kpi_real --db "$MID" import indicators more-ind.csv
printf 'area,code\nPreston,E07000123\n' > more-areas.csv
run_ok "the copy takes a new area (areas are declared)" kpi_real --db "$MID" import areas more-areas.csv
run_ok "the demo's published quarter is reopened (docs/web.md)" kpi_real --db "$MID" reopen "$P" --reason "copy test"
run_ok "and new values in a new area" kpi_real --db "$MID" import values more.csv
c=$(kpi_real --db "$MID" compare --period "$P" --area Preston)
check "and shows them" "5 7" "$(csv_get "$c" crime.all value Preston) $(csv_get "$c" new.one value Preston)"
check "the source is untouched" "<no row>" "$(csv_get "$(kpi_real --db "$SRC" compare --period "$P")" new.one value Preston)"

# Refusals: nothing is written, nothing is left behind.
before=$(kpi_real --db "$BACK" dump | md5sum)
err=$(kpi_real copy --from "$SRC" --to "$BACK" 2>&1); status=$?
check "a database with tables is refused" "1" "$status"
check_contains "and the message says why" "not empty" "$err"
check "and it is unchanged" "$before" "$(kpi_real --db "$BACK" dump | md5sum)"
err=$(kpi_real copy --from nope.db --to new.db 2>&1); status=$?
check "a missing source is refused" "1" "$status"
check_contains "and the message names it" "nope.db: no such database" "$err"
[ ! -e new.db ] && ok "and no file is made" || not_ok "and no file is made"
err=$(kpi_real copy --from "$SRC" --to "$SRC" 2>&1); status=$?
check "copying onto itself is refused" "1" "$status"
err=$(kpi_real copy --from "$SRC" 2>&1); status=$?
check "copy needs --to" "2" "$status"
finish
