# lib.sh — helpers for the end-to-end scripts. Source it; every check prints
# "ok - NAME" or "not ok - NAME" (with what differed) and the script exits
# non-zero at the end if any failed (call `finish`).
KPI="$KPI_BIN"
_fails=0

# free_port: a TCP port free on the loopback now (for `kpi serve` and sinks).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; _fails=$((_fails + 1)); }

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        not_ok "$1"
        printf '  expected: %s\n  actual:   %s\n' "$2" "$3"
    fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
    case "$3" in
    *"$2"*) ok "$1" ;;
    *) not_ok "$1"; printf '  missing: %s\n  in: %.2000s\n' "$2" "$3" ;;
    esac
}

# run_ok NAME CMD...: the command exits 0
run_ok() {
    local name=$1; shift
    if out=$("$@" 2>&1); then ok "$name"; else
        not_ok "$name"; printf '  command: %s\n  output: %s\n' "$*" "$out"
    fi
}

# db_state DB: a dump of the database that changes whenever any row does
# (on PostgreSQL, `kpi dump` of the database that stands for the path DB)
db_state() {
    if [ "${KPI_TEST_DB:-sqlite}" = postgresql ]; then
        "$KPI" --db "$1" dump | md5sum
    else
        sqlite3 "$1" .dump | md5sum
    fi
}

# db_query DB SQL: run SQL on the database at path DB (sqlite3, or psql on the
# PostgreSQL database that stands for it); rows one a line, columns joined by |
db_query() {
    if [ "${KPI_TEST_DB:-sqlite}" = postgresql ]; then
        psql -X -q -A -t -v ON_ERROR_STOP=1 "$("$(dirname "$E2E_LIB")/pg-db" "$1")" -c "$2"
    else
        sqlite3 -cmd ".timeout 5000" "$1" "$2"
    fi
}

# refuse NAME STATUS PATTERN CMD...: the command exits STATUS, says PATTERN on
# stderr (a grep -E pattern), and leaves the database ./kpi.db unchanged.
refuse() {
    local name=$1 want=$2 pat=$3; shift 3
    local before after err status
    before=$(db_state kpi.db 2>/dev/null)
    err=$("$@" 2>&1 >/dev/null); status=$?
    after=$(db_state kpi.db 2>/dev/null)
    if [ "$status" -ne "$want" ]; then
        not_ok "$name"; printf '  exit %s, wanted %s: %s\n' "$status" "$want" "$err"; return
    fi
    if ! printf '%s' "$err" | grep -Eq -- "$pat"; then
        not_ok "$name"; printf '  stderr does not match /%s/: %s\n' "$pat" "$err"; return
    fi
    if printf '%s' "$err" | grep -q 'Sanitizer\|runtime error'; then
        not_ok "$name"; printf '  sanitizer report: %s\n' "$err"; return
    fi
    if [ "$before" != "$after" ]; then
        not_ok "$name"; echo "  the database changed"; return
    fi
    ok "$name"
}

# csv_field CSV_TEXT KEY_COLUMN_VALUE COLUMN_NAME: the field of the row whose
# first or second column equals the key (python3's csv module parses it).
csv_get() {
    python3 -c '
import csv, sys, io
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
key, col = sys.argv[2], sys.argv[3]
for r in rows:
    if key in (r.get("indicator"), r.get("title"), r.get("status")) and (len(sys.argv) < 5 or r.get("area") == sys.argv[4]):
        print(r[col]); break
else:
    print("<no row>")' "$@"
}

finish() {
    [ "$_fails" -eq 0 ]
}
