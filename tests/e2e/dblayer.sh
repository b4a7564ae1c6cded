# dblayer.sh — the SQL layer's own tests (tests/unit/test_db.c) on the back
# end of this run: placeholders, exact values, bulk load, a failed write among
# writes sent ahead, snapshots, catalog order. On the PostgreSQL run they get
# a database of their own.
. "$E2E_LIB"

bin="$ROOT/build/asan/unit/test_db"
if [ ! -x "$bin" ]; then
    not_ok "the SQL layer's tests are built (make build/asan/unit/test_db)"
    finish
    exit 1
fi
if [ "${KPI_TEST_DB:-sqlite}" = postgresql ]; then
    KPI_TEST_DB_URL=$("$(dirname "$E2E_LIB")/pg-db" dblayer.db)
    export KPI_TEST_DB_URL
fi
out=$("$bin" 2>&1)
status=$?
check "the SQL layer's tests pass on ${KPI_TEST_DB:-sqlite}" "0" "$status"
[ "$status" -eq 0 ] || printf '%s\n' "$out"
echo "# $(printf '%s\n' "$out" | grep -c '^\[       OK \]') SQL-layer tests on ${KPI_TEST_DB:-sqlite}"
finish
