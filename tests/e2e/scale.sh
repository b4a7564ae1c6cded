# scale.sh — a question about one area reads that area (national
# scale): `kpi compare --area X`, a report for X and `kpi benchmark` say what
# they said when every area was loaded, and commands open the heavy libraries
# (libpq, cairo, libzip, ...) only when they need them.
. "$E2E_LIB"

EX="$ROOT/examples/chorley-2011-q2"
# The worked example, and two more districts with values of their own (each
# Chorley figure + 7 and × 2) and a group of the three.
"$KPI" init --area Chorley >/dev/null &&
    "$KPI" import indicators "$EX/indicators.csv" >/dev/null && "$KPI" import targets "$EX/targets.csv" >/dev/null &&
    "$KPI" import values "$EX/values.csv" >/dev/null || { not_ok "the worked example loads"; finish; exit 1; }
awk -F, 'NR == 1 { print; next } $4 != "" && $5 == "" { $2 = "Preston"; $4 = $4 + 7; print; $2 = "Wyre"; $4 = ($4 - 7) * 2; print }' OFS=, \
    "$EX/values.csv" > more.csv
printf 'area\nPreston\nWyre\n' > areas.csv
printf 'group,area\nThree,Wyre\nThree,Chorley\nThree,Preston\n' > groups.csv
printf 'area,year,population\nChorley,2011,107000\nPreston,2011,140000\nWyre,2011,107700\n' > pop.csv
run_ok "more districts" "$KPI" import areas areas.csv
run_ok "their values" "$KPI" import values more.csv
run_ok "a group" "$KPI" import groups groups.csv
run_ok "populations" "$KPI" import population pop.csv

"$KPI" compare --period "2011/12 Q2" > all.csv
for a in Chorley Preston Wyre; do
    "$KPI" compare --period "2011/12 Q2" --area "$a" > one.csv
    # every row of the area in the compare over every area, the same; and --area
    # adds only the indicators with nothing for the area (no value, no target)
    awk -F, -v a="$a" 'NR == 1 || $3 == a' all.csv > mine.csv
    check "compare --area $a: its rows of compare over every area, the same" "" "$(grep -vxF -f one.csv mine.csv)"
    check "compare --area $a: the rows it adds have no value" "" \
        "$(grep -vxF -f mine.csv one.csv | awk -F, '$5 != "" || $12 != ""')"
done
check "compare --area: three districts' rows differ" "3" \
    "$(for a in Chorley Preston Wyre; do "$KPI" compare --period "2011/12 Q2" --area "$a" | cut -d, -f4- | md5sum; done | sort -u | wc -l)"
check_contains "compare --area of no area says which there are" "unknown area 'Nowhere'" \
    "$("$KPI" compare --period "2011/12 Q2" --area Nowhere 2>&1)"
check "benchmark over the group" "Wyre Chorley Preston" \
    "$("$KPI" benchmark --indicator crime.all --period "2011/12 Q2" --group Three | tail -n +2 | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
check "benchmark: each area's value" "2910 1455 1462" \
    "$("$KPI" benchmark --indicator crime.all --period "2011/12 Q2" --group Three | tail -n +2 | cut -d, -f3 | tr '\n' ' ' | sed 's/ $//')"
# A report for one district with a benchmark of its group: the group's values are read for it.
printf '# {{area}}\n\n{{table crime.all crime.sac}}\n\n{{benchmark crime.all group=Three}}\n' > tpl.md
"$KPI" report tpl.md --period "2011/12 Q2" --area Preston --format md -o preston.md
check_contains "a one-area report: its own figure" "| All Crime | 1420 | 1462 |" "$(cat preston.md)"
check_contains "a one-area report: the group's areas in its benchmark" "| Wyre | " "$(cat preston.md)"
check "the report's benchmark = kpi benchmark" \
    "$("$KPI" benchmark --indicator crime.all --period "2011/12 Q2" --group Three | tail -n +2 | cut -d, -f5 | tr '\n' ' ')" \
    "$(grep -E '^\| (Wyre|Chorley|Preston)( \\\*)? \|' preston.md | awk -F'|' '{ gsub(/ /, "", $5); printf "%s ", $5 }')"

# Beyond 200 areas a one-area load lists only its own areas (dataset.h): the same answers.
awk 'BEGIN { print "area"; for (i = 1; i <= 200; i++) printf "Extra %03d\n", i }' > extra.csv
run_ok "200 more areas" "$KPI" import areas extra.csv
"$KPI" compare --period "2011/12 Q2" > all2.csv
check "with 203 areas, compare over every area is unchanged" "$(md5sum < all.csv)" "$(md5sum < all2.csv)"
for a in Chorley Preston; do
    "$KPI" compare --period "2011/12 Q2" --area "$a" > one2.csv
    "$KPI" compare --period "2011/12 Q2" --area "$a" > /dev/null
    awk -F, -v a="$a" 'NR == 1 || $3 == a' all2.csv > mine2.csv
    check "with 203 areas, compare --area $a: its rows the same" "" "$(grep -vxF -f one2.csv mine2.csv)"
done
err=$("$KPI" compare --period "2011/12 Q2" --area Prestn 2>&1)
check_contains "with 203 areas, an unknown area is named with a suggestion" "did you mean 'Preston'?" "$err"
check_contains "with 203 areas, the known areas are listed" "'Chorley', 'Extra 001'" "$err"
check "with 203 areas, benchmark the same" "2910 1455 1462" \
    "$("$KPI" benchmark --indicator crime.all --period "2011/12 Q2" --group Three | tail -n +2 | cut -d, -f3 | tr '\n' ' ' | sed 's/ $//')"
"$KPI" report tpl.md --period "2011/12 Q2" --area Preston --format md -o preston2.md
check "with 203 areas, the one-area report is the same" "$(md5sum < preston.md)" "$(md5sum < preston2.md)"

# Libraries opened on first use (src/lazy.h): ld.so says which it loads.
libs() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -o 'calling init: [^ ]*' | sed 's|.*/||' | sort -u; }
help_libs=$(libs "$KPI" help)
case "$help_libs" in
*libpq* | *libcairo* | *libpango* | *libzip* | *libxlsxwriter* | *libmicrohttpd*) not_ok "kpi help opens none of the libraries loaded on first use"; echo "$help_libs" ;;
*) ok "kpi help opens none of the libraries loaded on first use" ;;
esac
check_contains "a PDF opens cairo" "libcairo" "$(libs "$KPI" report tpl.md --period "2011/12 Q2" --format pdf -o r.pdf)"
check "the PDF is a PDF" "%PDF" "$(head -c 4 r.pdf)"
check_contains "an xlsx opens libxlsxwriter" "libxlsxwriter" "$(libs "$KPI" report tpl.md --period "2011/12 Q2" --format xlsx -o r.xlsx)"
check_contains "a docx opens libzip" "libzip" "$(libs "$KPI" report tpl.md --period "2011/12 Q2" --format docx -o r.docx)"
finish
