# bad_input.sh — every class of bad input is refused with FILE:LINE, a
# non-zero exit, and no change to the database.
. "$E2E_LIB"

run_ok "init" "$KPI" init --area Town
cat > ind.csv <<'CSV'
code,title,unit,polarity
crime.all,All crime,count,lower
det,Detections,percent,higher
CSV
run_ok "import indicators" "$KPI" import indicators ind.csv
printf 'indicator,period,value\ncrime.all,2020-04,10\n' > good.csv
run_ok "import a good value" "$KPI" import values good.csv

bad() { # bad NAME PATTERN CONTENT [KIND]
    printf '%b' "$3" > bad.csv
    refuse "$1" 1 "$2" "$KPI" import "${4:-values}" bad.csv
}
bad "bad period" "bad.csv:2: bad period '2020/22 Q2'" 'indicator,period,value\ncrime.all,2020/22 Q2,5\n'
bad "bad month" "bad.csv:2: bad period '2020-13'" 'indicator,period,value\ncrime.all,2020-13,5\n'
bad "bad number" "bad.csv:3: value '1O': not a number" 'indicator,period,value\ncrime.all,2020-05,1\ncrime.all,2020-06,1O\n'
bad "thousands separator is not guessed" "bad.csv:2: value '1,000'" 'indicator,period,value\ncrime.all,2020-05,"1,000"\n'
bad "unknown indicator" "bad.csv:2: unknown indicator 'crime.al'" 'indicator,period,value\ncrime.al,2020-05,5\n'
bad "unknown column" "bad.csv:1: unknown column 'valeu'" 'indicator,period,valeu\ncrime.all,2020-05,5\n'
bad "missing column" "bad.csv:1: missing column 'period'" 'indicator,value\ncrime.all,5\n'
bad "broken quoting" "bad.csv:2: broken quoting" 'indicator,period,value\ncrime.all,"2020-05,5\n'
bad "quote inside a field" "bad.csv:2: broken quoting" 'indicator,period,value\ncrime.all,2020"-05,5\n'
bad "short row" "bad.csv:3: 2 fields, but the header has 3" 'indicator,period,value\ncrime.all,2020-05,5\ncrime.all,2020-06\n'
bad "long row" "bad.csv:2: 4 fields, but the header has 3" 'indicator,period,value\ncrime.all,2020-05,5,6\n'
bad "duplicate row" "bad.csv:3: a second value for crime.all, Town, 2020-05 \\(first on line 2\\)" \
    'indicator,period,value\ncrime.all,2020-05,5\ncrime.all,2020-05,6\n'
bad "duplicate row in another form of the period" "bad.csv:3: a second value" \
    'indicator,period,value\ncrime.all,2020/21 Q1,5\ncrime.all,Q1 2020/21,6\n'
bad "overflow" "bad.csv:2: value '99999999999999999999' is too large" \
    'indicator,period,value\ncrime.all,2020-05,99999999999999999999\n'
bad "too many decimals" "bad.csv:2: value '1.1234567': too many decimal places" \
    'indicator,period,value\ncrime.all,2020-05,1.1234567\n'
bad "ratio needs numerator and denominator" "bad.csv:2: indicator 'det' is a ratio" \
    'indicator,period,value\ndet,2020-05,50\n'
bad "ratio value must agree" "bad.csv:2: value 60 does not agree" \
    'indicator,period,value,numerator,denominator\ndet,2020-05,60,1,2\n'
head -c 300 /dev/urandom > junk.bin
printf 'indicator,period,value\n\0\1\2junk\n' > bad.csv
refuse "binary junk (NUL bytes)" 1 "bad.csv:2: not a text file" "$KPI" import values bad.csv
printf 'indicator,period,value\ncrime.all,2020-05,\xff\xfe\n' > bad.csv
refuse "binary junk (not UTF-8)" 1 "bad.csv:2: not UTF-8" "$KPI" import values bad.csv
refuse "random bytes" 1 "junk.bin:[0-9]+: " "$KPI" import values junk.bin
refuse "missing file" 1 "nope.csv: cannot open" "$KPI" import values nope.csv
bad "unknown unit" "bad.csv:2: unknown unit 'pounds'" 'code,title,unit\nx,X,pounds\n' indicators
bad "bad code" "bad.csv:2: bad code 'a b'" 'code,title\na b,X\n' indicators
bad "formula with unknown part" "bad.csv: indicator 'sac': formula names unknown indicator 'nope'" \
    'code,title,formula\nsac,SAC,crime.all + nope\n' indicators
bad "formula cycle" "formula refers back to itself" 'code,title,formula\na,A,b\nb,B,a\n' indicators
bad "duplicate indicator" "bad.csv:3: indicator 'x' appears twice" 'code,title\nx,X\nx,Y\n' indicators
bad "target year must be a year" "bad.csv:2: year '2020-05' is not a financial year" \
    'indicator,year,target\ncrime.all,2020-05,10\n' targets
bad "unknown status" "bad.csv:2: unknown project 'p1'" 'project,period,status\np1,2020-05,green\n' statuses
printf 'code,title\np1,Project one\n' > p.csv
run_ok "import a project" "$KPI" import projects p.csv
bad "bad status" "bad.csv:2: unknown status 'purple'" 'project,period,status\np1,2020-05,purple\n' statuses

# All or nothing across files: the good file's rows are not kept either.
printf 'indicator,period,value\ncrime.all,2020-07,7\n' > good2.csv
printf 'indicator,period,value\ncrime.all,2020-08,x\n' > bad.csv
refuse "one command, one transaction" 1 "bad.csv:2:" "$KPI" import values good2.csv bad.csv

# Usage errors exit 2
refuse "unknown command" 2 "unknown command 'frobnicate'" "$KPI" frobnicate
refuse "unknown option" 2 "unknown option '--perod'" "$KPI" compare --perod 2020-05
refuse "compare needs a period" 2 "--period is required" "$KPI" compare
refuse "unknown import kind" 2 "unknown kind 'valuez'" "$KPI" import valuez good.csv
refuse "unknown format" 2 "unknown format 'xml'" "$KPI" compare --period 2020-05 --format xml
refuse "bad period on the command line names it" 1 "bad period 'Q5 2020/21'" "$KPI" compare --period "Q5 2020/21"
refuse "unknown area" 1 "unknown area 'Nowhere'" "$KPI" compare --period 2020-05 --area Nowhere
refuse "no database" 1 "run .kpi init" "$KPI" --db missing.db compare --period 2020-05
[ ! -e missing.db ] && ok "a missing database is not created" || not_ok "a missing database is not created"
finish
