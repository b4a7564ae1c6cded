# framework.sh — a framework kpi has never seen, with docs/figures.md's edge cases.
. "$E2E_LIB"

run_ok "init" "$KPI" init --area Northtown
run_ok "init is idempotent" "$KPI" init
cat > ind.csv <<'CSV'
Code,Title,Unit,Polarity,Aggregate,Decimals,Partner
asb,Anti-social behaviour,count,lower,,,Police
rate,Satisfaction,percent,higher,ratio,1,Council
avg,Average wait (days),number,lower,mean,1,NHS
lvl,Staff in post,number,none,last,0,Council
CSV
run_ok "import indicators (header case and order free)" "$KPI" import indicators ind.csv
# Months of 2019/20 and 2020/21; 2020-06 and 2020-08 never arrive.
{
    echo "indicator,area,period,value,numerator,denominator,note"
    for m in 04 05 06 07 08 09 10 11 12; do echo "asb,,2019-$m,10,,,"; done
    echo "asb,,2020-01,10,,,"; echo "asb,,2020-02,10,,,"; echo "asb,,2020-03,10,,,"
    for m in 04 05 07 09; do echo "asb,,2020-$m,12,,,"; done
    echo "rate,,2020-04,,1,2,"
    echo "rate,,2020-05,,1,1,"
    echo "rate,,2020-06,,0,0,no surveys"
    echo "avg,,2020-04,3,,,"
    echo "avg,,2020-05,4,,,"
    echo "avg,,2020/21 Q2,5,,,"
    echo "lvl,,2020-04,100,,,"
    echo "lvl,,2020-05,104,,,"
    echo "lvl,,2020-06,101,,,"
} > v.csv
run_ok "import values" "$KPI" import values v.csv

c=$("$KPI" compare --period "2020/21 Q1" --area Northtown)
check "a missing month leaves the quarter empty" "" "$(csv_get "$c" asb value)"
check "previous year's quarter is there" "30" "$(csv_get "$c" asb previous)"
check "note names the missing month in words" "no figure for June 2020" "$(csv_get "$c" asb note)"
check "ratio of sums, not mean of ratios" "66.7" "$(csv_get "$c" rate value)"
c=$("$KPI" compare --period 2020-04)
check "a month" "12" "$(csv_get "$c" asb value)"
check "change" "2" "$(csv_get "$c" asb change)"
check "% change" "20.0" "$(csv_get "$c" asb change_pct)"
check "worsening for lower polarity" "worsening" "$(csv_get "$c" asb direction)"
check "percent of a ratio month" "50.0" "$(csv_get "$c" rate value)"
check "percent indicators have no % change" "" "$(csv_get "$c" rate change_pct)"
c=$("$KPI" compare --period "2020/21 Q2")
check "missing months named across spans (and left out of the SPC series)" \
    "no figure for June 2020 and August 2020; SPC leaves out June 2020, August 2020 (no figure)" "$(csv_get "$c" asb note)"
check "mean of a quarter value" "5.0" "$(csv_get "$c" avg value)"
check "last of a span" "" "$(csv_get "$c" lvl value)"
c=$("$KPI" compare --period "2020/21 Q1")
check "last takes the last month" "101" "$(csv_get "$c" lvl value)"
check "mean over months" "" "$(csv_get "$c" avg value)"

# Replacing a value keeps the old one in the history.
printf 'indicator,period,value\nasb,2020-04,13\n' > fix.csv
run_ok "re-import replaces" "$KPI" import values fix.csv
c=$("$KPI" compare --period 2020-04)
check "replaced value is used" "13" "$(csv_get "$c" asb value)"
check "history keeps old and new" "12|13" "$(db_query kpi.db "SELECT (old_value / 1000000) || '|' || (new_value / 1000000) FROM value_history WHERE old_value IS NOT NULL")"

# Targets and RAG: 273 against a target of 272 with a 5% band is amber.
cat > ind2.csv <<'CSV'
code,title,polarity,frequency
fires,Fires,lower,year
jobs,Jobs created,higher,year
CSV
printf 'indicator,period,value\nfires,2020/21,273\njobs,2020/21,90\n' > v2.csv
printf 'indicator,year,target,tolerance\nfires,2020/21,272,5\njobs,2020/21,100,5\n' > t2.csv
run_ok "import yearly indicators" "$KPI" import indicators ind2.csv
run_ok "import yearly values" "$KPI" import values v2.csv
run_ok "import targets" "$KPI" import targets t2.csv
c=$("$KPI" compare --period 2020/21)
check "273 vs 272 at 5% is amber" "amber" "$(csv_get "$c" fires rag)"
check "90 vs 100 at 5% is red (higher is better)" "red" "$(csv_get "$c" jobs rag)"
printf 'indicator,year,target,tolerance\nfires,2020/21,273,5\n' > t3.csv
run_ok "change a target" "$KPI" import targets t3.csv
c=$("$KPI" compare --period 2020/21)
check "exactly on target is green" "green" "$(csv_get "$c" fires rag)"

# A later year's target (and its wider band) leaves an earlier year's RAG alone.
printf 'indicator,period,value\nfires,2021/22,400\n' > v4.csv
printf 'indicator,year,target,tolerance\nfires,2021/22,300,50\n' > t4.csv
run_ok "a later year's value" "$KPI" import values v4.csv
run_ok "a later year's target with a 50% band" "$KPI" import targets t4.csv
c=$("$KPI" compare --period 2020/21)
check "an earlier year keeps its own target and band" "273 green" \
    "$(csv_get "$c" fires target) $(csv_get "$c" fires rag)"
c=$("$KPI" compare --period 2021/22)
check "the later year uses its own band" "300 amber" "$(csv_get "$c" fires target) $(csv_get "$c" fires rag)"

# JSON: numbers as numbers, empty cells as null.
j=$("$KPI" compare --period "2020/21 Q1" --format json)
check "json parses; numbers and nulls" "66.7 None" "$(printf '%s' "$j" | python3 -c '
import json,sys
rows={r["indicator"]:r for r in json.load(sys.stdin)}
print(rows["rate"]["value"], rows["asb"]["value"])')"
t=$("$KPI" compare --period "2020/21 Q1" --format table)
check_contains "table output has a header" "indicator" "$t"

# A financial year that starts in January.
mkdir jan && cd jan
run_ok "init with a January year" "$KPI" init --fy-start 1
printf 'code,title\nn,N\n' > i.csv
printf 'indicator,period,value\nn,2020-01,1\nn,2020-02,2\nn,2020-03,3\nn,2019-01,1\nn,2019-02,1\nn,2019-03,1\n' > v.csv
run_ok "import" "$KPI" import indicators i.csv
run_ok "import" "$KPI" import values v.csv
c=$("$KPI" compare --period "2020 Q1")
check "January year: Q1 is January to March" "6" "$(csv_get "$c" n value)"
check "January year: period printed as 2020 Q1" "2020 Q1" "$(csv_get "$c" n period)"
check "January year: ytd" "6" "$(csv_get "$c" n ytd)"
check "January year: % change" "100.0" "$(csv_get "$c" n change_pct)"
cd ..

# Delivery plan: largest remainder adds to 100.
printf 'code,title\na,A\nb,B\nc,C\n' > p.csv
printf 'project,period,status\na,2020/21 Q1,green\nb,2020/21 Q1,amber\nc,2020/21 Q1,red\n' > s.csv
run_ok "import projects" "$KPI" import projects p.csv
run_ok "import statuses" "$KPI" import statuses s.csv
d=$("$KPI" delivery --period "2020/21 Q1")
check "thirds add to 100" "34 33 33" "$(csv_get "$d" green percent) $(csv_get "$d" amber percent) $(csv_get "$d" red percent)"
finish
