# robust.sh — sizes that come from data (many chart categories, a label wider
# than its band, sums beyond exact arithmetic, an empty template) and the
# places a paper may be written to (standard output, links, FIFOs, devices,
# existing files and their permissions).
. "$E2E_LIB"

no_sanitizer() { # NAME FILE: the file holds no sanitizer report
    if grep -q 'Sanitizer\|runtime error' "$2"; then not_ok "$1"; head -20 "$2"; else ok "$1"; fi
}

run_ok "init" "$KPI" init --area Northtown

# ---- charts: 60 indicators side by side, a label of one long word ----
{
    echo "code,title,unit"
    for i in $(seq 1 60); do echo "ind$i,Indicator number $i,count"; done
    echo "wide,Supercalifragilisticexpialidociousnessofthisindicatortitle,count"
    echo "w2,Another,count"
    echo "w3,Third,count"
} > ind.csv
run_ok "import 63 indicators" "$KPI" import indicators ind.csv
{
    echo "indicator,period,value"
    for i in $(seq 1 60); do echo "ind$i,2020-04,$i"; echo "ind$i,2019-04,$((i + 1))"; done
    for c in wide w2 w3; do echo "$c,2020-04,5"; done
} > v.csv
run_ok "import values" "$KPI" import values v.csv
ind_list=$(for i in $(seq 1 60); do printf 'ind%s ' "$i"; done)
printf '# Charts\n\n{{chart %s}}\n\n{{chart wide w2 w3}}\n' "$ind_list" > charts.md
for fmt in html pdf docx md; do
    "$KPI" report charts.md --period 2020-04 --format $fmt -o "charts.$fmt" 2> err.$fmt
    check "report of 60 chart categories and a wide label: $fmt" "0" "$?"
    no_sanitizer "no sanitizer report: $fmt" err.$fmt
done
html=$(cat charts.html)
n=$(grep -o 'transform="rotate(' charts.html | wc -l)
# 60 turned labels in a 564-wide plot (9.4 per label) stand 12 apart: every second one
if [ "$n" -ge 30 ] && [ "$n" -le 36 ]; then ok "60 turned labels are thinned ($n drawn)"; else
    not_ok "60 turned labels are thinned ($n drawn)"; fi
check_contains "a label wider than its band is turned, whole or cut with an ellipsis" \
    "Supercalifragilisticexpialidociou" "$html"
check_contains "every category stays in the text alternative" "Indicator number 60" "$html"

# ---- five years of months on one line chart (the web's indicator page too) ----
{
    echo "indicator,period,value"
    y=2015; m=4
    for k in $(seq 1 72); do printf 'ind1,%04d-%02d,%d\n' $y $m $k; m=$((m + 1)); [ $m -gt 12 ] && { m=1; y=$((y + 1)); }; done
} > long.csv
run_ok "import six years of months" "$KPI" import values long.csv
printf '{{chart ind1 kind=line by=month}}\n' > line.md
"$KPI" report line.md --period 2020-04 --format html -o line.html 2> err.line
check "line chart by month" "0" "$?"
no_sanitizer "line chart: no sanitizer report" err.line

# ---- a formula whose parts are too large for exact arithmetic ----
rm -f kpi.db
run_ok "init again" "$KPI" init --area Northtown
{
    echo "code,title,unit,aggregate,formula"
    for i in $(seq 1 10); do echo "p$i,Part $i,number,sum,"; done
    echo "total,Total,number,sum,p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9 + p10"
} > big.csv
run_ok "import indicators with formulas" "$KPI" import indicators big.csv
{
    echo "indicator,period,value,numerator,denominator"
    for i in $(seq 1 10); do echo "p$i,2020-04,999999999999,,"; done
} > bigv.csv
run_ok "import values near 10^12" "$KPI" import values bigv.csv
"$KPI" compare --period 2020-04 > big.out 2> big.err
check "compare of sums beyond exact arithmetic exits 0" "0" "$?"
no_sanitizer "compare: no sanitizer report" big.err
out=$(cat big.out)
check "a sum too large is no figure (never a wrapped negative)" "" "$(csv_get "$out" total value)"
check_contains "its note says why" "too large" "$(csv_get "$out" total note)"
check "a part keeps its figure" "999999999999.0" "$(csv_get "$out" p1 value)"
case "$out" in *-84467*) not_ok "no wrapped 64-bit figure"; echo "$out" ;; *) ok "no wrapped 64-bit figure" ;; esac

# ---- a file whose first character is three bytes starting EF (a full-width A) ----
printf '\xef\xbc\xa1code,title\nx,y\n' > fullwidth.csv
refuse "a full-width first letter is text, not a broken byte-order mark" 1 \
    "fullwidth.csv:1: unknown column '.*code'" "$KPI" import indicators fullwidth.csv

# ---- an empty template ----
: > empty.md
for fmt in md txt html; do
    "$KPI" report empty.md --period 2020-04 --format $fmt -o "empty.$fmt" 2> err.empty
    check "an empty template renders: $fmt" "0" "$?"
    no_sanitizer "empty template: no sanitizer report ($fmt)" err.empty
done

# ---- where a paper is written ----
printf '# Paper\n\nText.\n' > p.md
out=$("$KPI" report p.md --period 2020-04 --format md -o -)
check_contains "-o - writes to standard output" "# Paper" "$out"
[ ! -e ./- ] && ok "-o - makes no file named '-'" || not_ok "-o - makes no file named '-'"

mkdir -p real
echo old > real/target.md
ln -s real/target.md link.md
run_ok "write through a symbolic link" "$KPI" report p.md --period 2020-04 --format md -o link.md
[ -L link.md ] && ok "the link is still a link" || not_ok "the link is still a link"
check_contains "the link's target holds the paper" "# Paper" "$(cat real/target.md)"
ln -s real/new.md dangling.md
run_ok "write through a dangling link" "$KPI" report p.md --period 2020-04 --format md -o dangling.md
[ -L dangling.md ] && [ -f real/new.md ] && ok "a dangling link's target is made" || not_ok "a dangling link's target is made"

mkfifo pipe
cat pipe > from_pipe &
reader=$!
run_ok "write into a FIFO" "$KPI" report p.md --period 2020-04 --format md -o pipe
wait $reader
[ -p pipe ] && ok "the FIFO is still a FIFO" || not_ok "the FIFO is still a FIFO"
check_contains "the FIFO's reader got the paper" "# Paper" "$(cat from_pipe)"

run_ok "write to /dev/null" "$KPI" report p.md --period 2020-04 --format md -o /dev/null
[ -c /dev/null ] && ok "/dev/null is still a device" || not_ok "/dev/null is still a device"

echo old > kept.md
chmod 640 kept.md
run_ok "replace a regular file" "$KPI" report p.md --period 2020-04 --format md -o kept.md
check "it keeps its permissions" "640" "$(stat -c %a kept.md)"
check_contains "it holds the paper" "# Paper" "$(cat kept.md)"
check "no temporary file is left" "" "$(ls | grep '\.tmp\.' || true)"

mkdir adir
refuse "a folder is refused" 1 "adir: is a folder" "$KPI" report p.md --period 2020-04 --format md -o adir
refuse "a missing folder is refused" 1 "nowhere/x.md: cannot write" "$KPI" report p.md --period 2020-04 --format md -o nowhere/x.md

finish
