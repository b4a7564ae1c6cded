# backup.sh — `kpi backup FILE`: a consistent copy of a SQLite database made
# while an import writes to it and while `kpi serve` answers requests. Every
# copy passes PRAGMA integrity_check and its `kpi dump` is the original's at a
# quiet moment (before or after the import, never part of it); a restored copy
# (copied back, or used with --db) gives the same `kpi compare`; an existing
# file is never overwritten without --force, and bad paths are refused with
# nothing written. On PostgreSQL `kpi backup` writes nothing and says which
# pg_dump command to run; the test runs that very command, restores the dump
# with pg_restore and compares `kpi dump` (also for a dump taken during an
# import).
. "$E2E_LIB"

PG=0
[ "${KPI_TEST_DB:-sqlite}" = postgresql ] && PG=1
dump() { "$KPI" --db "$1" dump; }
sum() { dump "$1" | md5sum | cut -c1-32; }
compare_all() { "$KPI" --db "$1" compare --period 2022/23 --format csv; }

# A framework in the home area only: 500 indicators, ten years of months.
python3 - <<'PY'
import random
random.seed(11)
with open("ind.csv", "w") as f:
    f.write("code,title\n")
    for i in range(500):
        f.write(f"b{i:03d},Backup indicator {i}\n")
with open("first.csv", "w") as f:
    f.write("indicator,period,value\n")
    for i in range(500):
        f.write(f"b{i:03d},2012-04,{random.randint(0, 99)}\n")
with open("big.csv", "w") as f:  # 60,000 rows: long enough to back up during it
    f.write("indicator,period,value\n")
    for i in range(500):
        for m in range(120):
            y, mm = 2013 + (3 + m) // 12, (3 + m) % 12 + 1
            f.write(f"b{i:03d},{y}-{mm:02d},{random.randint(0, 999)}\n")
PY
run_ok "init" "$KPI" init --area Backupshire
run_ok "import indicators" "$KPI" import indicators ind.csv
run_ok "import first values" "$KPI" import values first.csv
printf 'secret-password-1\n' | "$KPI" user add alice --role admin >/dev/null 2>&1
check "a user to back up too" "1" "$(db_query kpi.db "SELECT count(*) FROM users")"

if [ "$PG" = 1 ]; then
    echo "# PostgreSQL: kpi backup copies SQLite files only; it names the pg_dump command, which this test runs (PRAGMA integrity_check is SQLite only)"
    err=$("$KPI" backup pg-copy.dump 2>&1 >/dev/null)
    check "kpi backup on PostgreSQL exits 1" "1" "$?"
    check_contains "and names pg_dump" "back up this PostgreSQL database with pg_dump" "$err"
    check "and writes nothing" "no" "$([ -e pg-copy.dump ] && echo yes || echo no)"
    cmd=${err#*docs/backup.md): }
    check_contains "the command is for this database, in custom format" "pg_dump --format=custom --file=pg-copy.dump --host=" "$cmd"
    if ! command -v pg_dump >/dev/null || ! command -v pg_restore >/dev/null; then
        not_ok "pg_dump and pg_restore are on PATH (apt-get install postgresql-client)"
        finish
        exit
    fi
    before=$(sum kpi.db)
    run_ok "the command kpi gave runs" bash -c "$cmd"
    restored=$("$(dirname "$E2E_LIB")/pg-db" restored.db)
    run_ok "pg_restore into a new database" pg_restore --no-owner --exit-on-error --dbname="$restored" pg-copy.dump
    check "kpi dump of the restored database equals the original's" "$before" "$(sum restored.db)"
    check "and so does kpi compare" "$(compare_all kpi.db)" "$(compare_all restored.db)"
    # pg_dump during an import: one snapshot, the import whole or not at all.
    ("$KPI" import values big.csv >import.out 2>&1; echo $? >import.status) &
    sleep 0.3
    run_ok "pg_dump while an import runs" bash -c "${cmd/pg-copy.dump/during.dump}"
    wait
    check "the import succeeded" "0" "$(cat import.status)"
    after=$(sum kpi.db)
    restored2=$("$(dirname "$E2E_LIB")/pg-db" restored2.db)
    run_ok "restore the dump taken during the import" pg_restore --no-owner --exit-on-error --dbname="$restored2" during.dump
    got=$(sum restored2.db)
    if [ "$got" = "$before" ] || [ "$got" = "$after" ]; then ok "the dump taken during the import holds it whole or not at all"
    else not_ok "the dump taken during the import holds it whole or not at all"; fi
    finish
    exit
fi

integrity() { sqlite3 "$1" "PRAGMA integrity_check"; }

# ---- a quiet database ----
out=$("$KPI" backup copy.db 2>&1)
check "backup of a quiet database" "copy.db: a copy of ./kpi.db, consistent as of one moment" "$out"
check "the copy is one file: no journal, no WAL beside it (until kpi opens it)" "delete" "$(sqlite3 copy.db 'PRAGMA journal_mode')"
check "the copy passes PRAGMA integrity_check" "ok" "$(integrity copy.db)"
check "kpi dump of the copy equals the original's" "$(sum kpi.db)" "$(sum copy.db)"
check "the copy is readable by its owner only (it holds password hashes)" "600" "$(stat -c %a copy.db)"
check "no temporary file is left" "" "$(ls | grep '\.tmp\.' || true)"

# ---- during an import ----
before=$(sum kpi.db)
before_compare=$(compare_all kpi.db)
("$KPI" import values big.csv >import.out 2>&1; echo $? >import.status) &
IMPORT=$!
n=0 during=0 bad=0
for i in $(seq 12); do
    [ -s import.status ] && break
    alive_before=0
    kill -0 "$IMPORT" 2>/dev/null && alive_before=1
    if ! "$KPI" backup "during-$i.db" >/dev/null 2>"during-$i.err"; then
        bad=1; echo "  backup $i failed: $(cat "during-$i.err")"; break
    fi
    n=$((n + 1))
    if [ "$alive_before" = 1 ] && kill -0 "$IMPORT" 2>/dev/null && [ ! -s import.status ]; then
        during=$((during + 1))
    fi
done
wait "$IMPORT"
check "the import under the backups succeeded" "0" "$(cat import.status)"
check "no backup failed while the import ran" "0" "$bad"
after=$(sum kpi.db)
if [ "$during" -ge 1 ]; then ok "at least one backup was made while the import ran ($during of $n)"
else not_ok "at least one backup was made while the import ran (0 of $n)"; fi
whole=0 broken=0 saw_before=0 saw_after=0
for f in during-*.db; do
    [ -e "$f" ] || continue
    [ "$(integrity "$f")" = ok ] || { broken=$((broken + 1)); echo "  $f: integrity_check failed"; }
    s=$(sum "$f")
    if [ "$s" = "$before" ]; then saw_before=$((saw_before + 1))
    elif [ "$s" = "$after" ]; then saw_after=$((saw_after + 1))
    else whole=$((whole + 1)); echo "  $f holds part of the import"; fi
done
echo "# $n backups during the import: $saw_before before it, $saw_after after it"
check "every backup made during the import passes integrity_check" "0" "$broken"
check "every backup holds the import whole or not at all (kpi dump = before or after)" "0" "$whole"
[ "$after" != "$before" ] && ok "the import changed the database (so the check above can fail)" \
    || not_ok "the import changed the database (so the check above can fail)"

# ---- while kpi serve serves requests ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KPI" serve --public --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.1; done
# A client asks for pages the whole time (bounded: at most 15 s).
(
    end=$((SECONDS + 15))
    while [ ! -e stop-client ] && [ $SECONDS -lt $end ]; do
        curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$PORT/api/v1/compare?period=2022-04" >>codes.txt
    done
) &
CLIENT=$!
for _ in $(seq 50); do [ -s codes.txt ] && break; sleep 0.1; done
served_ok=1
for i in 1 2 3; do
    "$KPI" backup "serve-$i.db" >/dev/null 2>"serve-$i.err" || { served_ok=0; cat "serve-$i.err"; }
done
touch stop-client
wait "$CLIENT"
check "three backups while kpi serve answers requests" "1" "$served_ok"
check "every request during the backups was answered 200" "200" "$(sort -u codes.txt | tr '\n' ' ' | sed 's/ $//')"
echo "# $(wc -l <codes.txt) requests answered during the backups"
kill -TERM "$SERVER"
wait "$SERVER"
check "the server stopped cleanly" "0" "$?"
for i in 1 2 3; do
    check "backup $i made under kpi serve passes integrity_check" "ok" "$(integrity "serve-$i.db")"
    check "and its kpi dump equals the original's" "$after" "$(sum "serve-$i.db")"
done

# ---- restore ----
after_compare=$(compare_all kpi.db)
check "kpi compare with --db on the copy equals the original's" "$after_compare" "$(compare_all serve-1.db)"
printf 'indicator,period,value\nb001,2022-04,777777\n' >mistake.csv
run_ok "a mistaken import after the backup" "$KPI" import values mistake.csv
[ "$(compare_all kpi.db)" != "$after_compare" ] && ok "the mistake shows in compare" || not_ok "the mistake shows in compare"
cp serve-1.db kpi.db
check "restored by copying the file back: kpi compare as at the backup" "$after_compare" "$(compare_all kpi.db)"
check "and kpi dump too" "$after" "$(sum kpi.db)"
run_ok "the mistake again" "$KPI" import values mistake.csv
chmod 644 kpi.db
run_ok "restore with kpi backup --force (the copy onto the database)" "$KPI" --db serve-2.db backup kpi.db --force
check "kpi compare as at the backup" "$after_compare" "$(compare_all kpi.db)"
check "the restored database passes integrity_check" "ok" "$(integrity kpi.db)"
cp -p during-1.db old.db
chmod 640 old.db
run_ok "--force replaces an existing backup" "$KPI" backup old.db --force
check "with the database as it is now" "$after" "$(sum old.db)"
check "and the file keeps its permissions" "640" "$(stat -c %a old.db)"
check "restoring with --force kept the database's permissions too" "644" "$(stat -c %a kpi.db)"

# ---- refused, nothing written ----
refuse "an existing file is never overwritten without --force" 1 \
    "copy.db: already exists \(kpi backup never overwrites a file: give a new name, or --force to replace it\)" \
    "$KPI" backup copy.db
check "the existing copy is as it was" "$before" "$(sum copy.db)"
refuse "a folder that does not exist" 1 "no-such-folder/x.db: cannot write: No such file or directory" \
    "$KPI" backup no-such-folder/x.db
check "nothing written there" "no" "$([ -e no-such-folder ] && echo yes || echo no)"
mkdir adir
refuse "a folder is not replaced, even with --force" 1 "adir: not a regular file" "$KPI" backup adir --force
refuse "the database itself, even with --force" 1 "kpi.db: is the database being backed up" \
    "$KPI" backup kpi.db --force
refuse "no file named" 2 "backup needs the FILE" "$KPI" backup
refuse "two files" 2 "backup takes one FILE" "$KPI" backup a.db b.db
refuse "an empty name" 1 "the file name is empty" "$KPI" backup ""
refuse "a database that does not exist" 1 "nope.db: no such database" "$KPI" --db nope.db backup x.db
check "nothing made for it" "no" "$([ -e x.db ] && echo yes || echo no)"
printf 'not a database\n' >junk.db
refuse "a file that is not a database" 1 "junk.db: .*not a database" "$KPI" --db junk.db backup y.db
check "nothing made for that either" "no" "$([ -e y.db ] && echo yes || echo no)"
chmod 500 adir
if [ "$(id -u)" != 0 ]; then
    refuse "a folder it may not write in" 1 "adir/z.db: cannot write: Permission denied" "$KPI" backup adir/z.db
fi
chmod 700 adir
check "no temporary file is left anywhere" "" "$(find . -name '*.tmp.*' | head -3)"
finish
