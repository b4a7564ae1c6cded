# commands.sh — help, init, report and their errors, on the real binary.
. "$E2E_LIB"

h=$("$KPI" help)
for c in init import compare delivery report demo help; do
    check_contains "help lists $c" "  $c " "$h"
done
check_contains "help COMMAND gives usage" "usage: kpi [--db URL] compare --period P" "$("$KPI" help compare)"
refuse "help for an unknown command" 2 "no command 'nope'" "$KPI" help nope
refuse "no command at all" 2 "no command given" "$KPI"

run_ok "init --fy-start" "$KPI" init --area "Ribble Valley" --fy-start 4
refuse "init --fy-start must be a month" 2 "--fy-start '13'" "$KPI" init --fy-start 13
printf 'code,title,polarity\nn,Noise complaints,lower\n' > i.csv
printf 'indicator,period,value\nn,2021-04,5\nn,2021-05,7\nn,2022-04,4\nn,2022-05,6\n' > v.csv
run_ok "import" "$KPI" import indicators i.csv
run_ok "import" "$KPI" import values v.csv
printf 'project,period,status\n' > s.csv
refuse "fy-start cannot change once data exist" 1 "cannot change" "$KPI" init --fy-start 1
# KPI_DB and --db name the same database
mkdir other
run_ok "--db elsewhere" "$KPI" --db other/k.db init
check "KPI_DB is honoured" "n" "$(KPI_DB=kpi.db "$KPI" compare --period 2022-05 | tail -1 | cut -d, -f1)"

cat > t.md <<'MD'
# Noise in {{area}}, {{period words}}

{{change n subject="noise"}}

{{table n columns="title previous value change_pct"}}
MD
run_ok "report to a file" "$KPI" report t.md --period 2022-05 --format md -o out.md
check_contains "report: sentence" "Noise in May 2022 has reduced by 14.3% compared to this period last year" "$(cat out.md)"
check_contains "report: area" "Ribble Valley" "$(cat out.md)"
txt=$("$KPI" report t.md --period 2022-05 --format txt)
check_contains "report as text" "Noise complaints" "$txt"
html=$("$KPI" report t.md --period 2022-05 --format html)
check_contains "report as html" "<table" "$html"
printf '# Title\n\n{{tabel n}}\n' > bad.md
refuse "template error names its line" 1 "bad.md:3: unknown directive 'tabel'" \
    "$KPI" report bad.md --period 2022-05 --format md -o never.md
[ ! -e never.md ] && ok "a failed report writes no file" || not_ok "a failed report writes no file"
printf '{{value nope value}}\n' > bad.md
refuse "template: unknown indicator" 1 "bad.md:1: .*nope" "$KPI" report bad.md --period 2022-05 --format md
refuse "report needs --format" 2 "--format is required" "$KPI" report t.md --period 2022-05
refuse "report: unknown format" 2 "unknown format 'odt'" "$KPI" report t.md --period 2022-05 --format odt
refuse "report: missing template" 1 "nope.md: cannot open" "$KPI" report nope.md --period 2022-05 --format md
finish
