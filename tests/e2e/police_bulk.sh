# police_bulk.sh — the bulk path of value loads (store_values_put at
# STORE_BULK_ROWS values or more: every id checked in one join, new months
# added without looking for old rows, else rows updated then added, history
# in key order) against the path of small loads, on generated police.uk files
# big enough for one and not the other: a year of 12 monthly files for one
# force with 130 districts (131 areas × 12 months × 15 indicators = 23,580
# values). Imported as one load into kpi.db and a month at a time into
# small.db, the two databases must hold the same values, versions and
# history; so again after a second year of files that changes every month
# (rows updated, not added), and after a re-import that changes nothing. A
# few figures are checked against python's own count of the files; no value
# names a missing area (PostgreSQL's vals has no foreign keys: migration 10);
# a published month refuses the whole load; and on PostgreSQL a reader in the
# middle of a transaction does not hold a bulk load up, and a month is read
# whole through the block-range month index (migration 11) before and after
# its ranges are summarised.
. "$E2E_LIB"

# gen DIR SEED: twelve monthly street files, 2021-04 to 2022-03.
gen() {
    python3 - "$1" "$2" <<'PY'
import os, random, sys
out, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
types = ["Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs",
         "Other crime", "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
         "Theft from the person", "Vehicle crime", "Violence and sexual offences"]
os.makedirs(out, exist_ok=True)
for m in range(12):
    y, mo = (2021, 4 + m) if m < 9 else (2022, m - 8)
    label = f"{y}-{mo:02d}"
    with open(os.path.join(out, f"{label}-bulkshire-street.csv"), "w") as f:
        f.write("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                "Crime type,Last outcome category,Context\n")
        for d in range(130):
            name = f"Bulk District {d:03d} {d % 10:03d}A"
            for t in types:
                for _ in range(rng.randrange(0, 3)):
                    f.write(f",{label},Bulkshire Police,Bulkshire Police,-2.6,53.6,On or near X,E01{d:06d},"
                            f"{name},{t},,\n")
PY
}

# vals DB / hist DB: every value with its version, every history row, in a fixed order
vals() { db_query "$1" "SELECT i.code, a.name, v.kind, v.first_month, v.value, v.version FROM vals v
    JOIN indicators i ON i.id = v.indicator_id JOIN areas a ON a.id = v.area_id ORDER BY 1, 2, 3, 4"; }
hist() { db_query "$1" "SELECT i.code, a.name, h.kind, h.first_month, h.old_value, h.new_value FROM value_history h
    JOIN indicators i ON i.id = h.indicator_id JOIN areas a ON a.id = h.area_id ORDER BY 1, 2, 3, 4, 5, 6"; }
# orphans DB: values whose area or indicator is missing (none, keys or no keys)
orphans() { db_query "$1" "SELECT count(*) FROM vals v WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.id = v.area_id)
    OR NOT EXISTS (SELECT 1 FROM indicators i WHERE i.id = v.indicator_id)"; }
# count DIR MONTH DISTRICT TYPE: python's own count of a type's rows (all types
# but anti-social behaviour for all-crime)
count() {
    python3 - "$@" <<'PY'
import csv, glob, sys
d, month, district, typ = sys.argv[1:5]
n = 0
for p in glob.glob(f"{d}/{month}-*.csv"):
    for r in csv.DictReader(open(p)):
        if not r["LSOA name"].startswith(district + " "):
            continue
        if r["Crime type"] == typ or (typ == "all" and r["Crime type"] != "Anti-social behaviour"):
            n += 1
print(n)
PY
}
fig() { csv_get "$("$KPI" --db "$1" compare --period "$2" --area "$3" --format csv)" "$4" value; }

gen year1 1
gen year2 2
run_ok "init kpi.db" "$KPI" --db kpi.db init
run_ok "init small.db" "$KPI" --db small.db init
out=$("$KPI" --db kpi.db import police year1 2>&1)
check_contains "one import of the year" "police: 12 files" "$out"
check "kpi.db holds every value of the year" "23580" "$(db_query kpi.db "SELECT count(*) FROM vals")"
for f in year1/*.csv; do "$KPI" --db small.db import police "$f" >/dev/null || not_ok "import $f"; done
check "the same values as a month at a time" "$(vals small.db)" "$(vals kpi.db)"
check "the same history" "$(hist small.db)" "$(hist kpi.db)"
check "a history row for each new value" "23580" "$(db_query kpi.db "SELECT count(*) FROM value_history")"
check "no value names a missing area or indicator" "0" "$(orphans kpi.db)"
check "burglary, District 007, May 2021, as python counts it" "$(count year1 2021-05 'Bulk District 007' Burglary)" \
    "$(fig kpi.db 2021-05 'Bulk District 007' police.burglary)"
check "all crime, District 129, March 2022" "$(count year1 2022-03 'Bulk District 129' all)" \
    "$(fig kpi.db 2022-03 'Bulk District 129' police.all-crime)"

# The same months again with other figures: rows replaced (version 2), not added.
out=$("$KPI" --db kpi.db import police year2 2>&1)
check_contains "the year again, every month changed" "police: 12 files" "$out"
for f in year2/*.csv; do "$KPI" --db small.db import police "$f" >/dev/null || not_ok "import $f"; done
check "the same values and versions after replacing" "$(vals small.db)" "$(vals kpi.db)"
check "the same history after replacing" "$(hist small.db)" "$(hist kpi.db)"
check "still one row a value" "23580" "$(db_query kpi.db "SELECT count(*) FROM vals")"
check "changed values are at version 2" "0" \
    "$(db_query kpi.db "SELECT count(*) FROM value_history h JOIN vals v ON v.indicator_id = h.indicator_id
        AND v.area_id = h.area_id AND v.kind = h.kind AND v.first_month = h.first_month
        WHERE h.old_value IS NOT NULL AND v.version <> 2")"
check "burglary, District 007, May 2021, replaced" "$(count year2 2021-05 'Bulk District 007' Burglary)" \
    "$(fig kpi.db 2021-05 'Bulk District 007' police.burglary)"
check "none after replacing either" "0" "$(orphans kpi.db)"

before=$(vals kpi.db)
nhist=$(db_query kpi.db "SELECT count(*) FROM value_history")
run_ok "the same files once more" "$KPI" --db kpi.db import police year2
check "nothing changes" "$before" "$(vals kpi.db)"
check "and no history is added" "$nhist" "$(db_query kpi.db "SELECT count(*) FROM value_history")"

# A published month: the whole load is refused, naming it, and nothing changes.
echo '# Paper for {{period}}' >paper.md
run_ok "open a round for May 2021" "$KPI" --db kpi.db round open 2021-05 --due 2021-06-20
run_ok "publish May 2021" "$KPI" --db kpi.db publish 2021-05 --template paper.md
refuse "a bulk load with a published month in it is refused whole" 1 "period 2021-05 is published" \
    "$KPI" --db kpi.db import police year1

# A reader in the middle of a transaction on vals and areas does not hold up a
# bulk load (nor the load the reader: PostgreSQL's MVCC; a load that lifted
# foreign keys would wait for the reader's commit). SQLite's readers on the
# WAL never hold a writer up; its lock rules are concurrency.sh's.
if [ "${KPI_TEST_DB:-sqlite}" = postgresql ]; then
    run_ok "init reader.db" "$KPI" --db reader.db init
    url=$("$(dirname "$E2E_LIB")/pg-db" reader.db)
    PGAPPNAME=kpi_bulk_reader psql -X -q "$url" -c "BEGIN" -c "SELECT count(*) FROM vals" -c "SELECT count(*) FROM areas" \
        -c "SELECT count(*) FROM indicators" -c "SELECT count(*) FROM police_counts" -c "SELECT pg_sleep(120)" \
        >/dev/null 2>&1 &
    reader=$!
    sleep 1
    run_ok "a bulk load while a reader holds its snapshot" "$KPI" --db reader.db import police year1
    if kill -0 "$reader" 2>/dev/null; then ok "the load did not wait for the reader"; else
        not_ok "the load did not wait for the reader"; echo "  the reader had ended first"
    fi
    db_query reader.db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'kpi_bulk_reader'" >/dev/null
    wait "$reader" 2>/dev/null
    check "the load is all there" "23580" "$(db_query reader.db "SELECT count(*) FROM vals")"

    # Migration 11: the month indexes are block ranges; a month's values
    # are found whole whether its ranges are summarised yet or not.
    check "the values' month index is a block range" "1" "$(db_query reader.db "SELECT count(*) FROM pg_indexes
        WHERE indexname = 'vals_month_range' AND indexdef LIKE '%USING brin%'")"
    check "the counts' month index is a block range" "1" "$(db_query reader.db "SELECT count(*) FROM pg_indexes
        WHERE indexname = 'police_counts_month_range' AND indexdef LIKE '%USING brin%'")"
    check "and the covering B-trees are gone" "0" "$(db_query reader.db "SELECT count(*) FROM pg_indexes
        WHERE indexname IN ('vals_month', 'police_counts_month')")"
    month="SELECT count(*) FROM vals WHERE first_month BETWEEN (SELECT min(first_month) + 1 FROM vals)
        AND (SELECT min(first_month) + 1 FROM vals)"
    db_query reader.db "SET enable_seqscan = off; $month" >month.before
    check "a month read through the index holds every area and indicator" "1965" "$(tail -1 month.before)"
    db_query reader.db "SELECT brin_summarize_new_values('vals_month_range')" >/dev/null
    db_query reader.db "SET enable_seqscan = off; $month" >month.after
    check "and the same once its ranges are summarised" "1965" "$(tail -1 month.after)"
else
    echo "# the reader-and-bulk-load check is PostgreSQL's (SQLite's readers on the WAL never block a writer)"
fi

# A count of a month no file can give (a database changed by hand) is
# refused with words, not allocated for: a new crime type rewrites every
# month police_counts holds.
mkdir -p odd1 odd2
printf 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n,2021-04,Oddshire Police,Oddshire Police,-2.6,53.6,On or near X,E01000001,Odd District 001A,Burglary,,\n' \
    >odd1/2021-04-oddshire-street.csv
sed 's/Burglary/Drugs/' odd1/2021-04-oddshire-street.csv >odd2/2021-04-oddshire-street.csv
run_ok "init odd.db" "$KPI" --db odd.db init
run_ok "import a burglary" "$KPI" --db odd.db import police odd1
db_query odd.db "UPDATE police_counts SET month = -1000000000" >/dev/null
before=$(vals odd.db)
refuse "a count of a month out of range is refused" 1 "month number -1000000000, which no file can give" \
    "$KPI" --db odd.db import police odd2
check "and nothing changes" "$before" "$(vals odd.db)"

finish
