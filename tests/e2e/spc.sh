# spc.sh — statistical process control and significance (docs/spc.md) through
# `kpi compare`: a framework built so that each special-cause rule fires high
# and low under each polarity (every variation word), each assurance word
# comes out, a rebase and a baseline move the limits, 11 points give none, and
# the p-values of two counts are right (44 against 61; national counts against
# scipy). Also `kpi import rebases` and the spc_baseline column, bad input
# refused with its place.
. "$E2E_LIB"

run_ok "init" "$KPI" init --area Northtown

# series CODE YYYY-MM VALUE...: one value a month from that month; "-" skips one.
series() {
    local code=$1 y=${2%-*} m=${2#*-} v
    shift 2
    m=${m#0}
    for v in "$@"; do
        [ "$v" != - ] && printf '%s,,%04d-%02d,%s\n' "$code" "$y" "$m" "$v"
        m=$((m + 1))
        if [ "$m" -gt 12 ]; then m=1; y=$((y + 1)); fi
    done
}

# Twelve months 2019-04 .. 2020-03 for each rule, high and low (worked out in
# tests/unit/test_spc.c's terms: mean, AMR, limits mean ± 2.66 AMR).
OUT_HI="10 12 10 12 10 12 10 12 10 12 10 40"     # 40 above the upper limit (25.4)
OUT_LO="20 22 20 22 20 22 20 22 20 22 20 1"      # 1 below the lower limit (9.8)
TREND_HI="20 22 20 22 20 14 15 16 17 18 19 20"   # 7 points rising, inside the limits
TREND_LO="20 22 20 22 20 27 26 25 24 23 22 21"   # 7 points falling
TWO_HI="10 12 10 12 10 12 10 12 10 12 16 16"     # two beyond the upper near limit (15.4)
TWO_LO="20 18 20 18 20 18 20 18 20 18 14 14"     # two beyond the lower near limit (14.6)
SHIFT_HI="10 12 10 12 10 12 13 12 13 12 13 12"   # 7 above the mean (11.75)
SHIFT_LO="12 10 12 10 12 10 9 10 9 10 9 10"      # 7 below the mean (10.25)
COMMON="10 12 10 12 10 12 10 12 10 12 10 12"     # mean 11, limits 5.68 and 16.32

{
    echo "code,title,unit,polarity,aggregate,decimals,spc_baseline"
    for pol in lower higher none; do
        for r in out_hi out_lo trend_hi trend_lo two_hi two_lo shift_hi shift_lo common; do
            echo "$r.$pol,$r $pol,count,$pol,sum,0,"
        done
    done
    for a in pass_lower fail_lower ham_lower pass_higher fail_higher edge_higher none_none; do
        echo "as.$a,assurance $a,count,${a#*_},sum,0,"
    done
    echo "few,Eleven points,count,lower,sum,0,"
    echo "rb,Rebased,count,lower,sum,0,"
    echo "rb_not,Not rebased,count,lower,sum,0,"
    echo "bl,Baseline of 12,count,lower,sum,0,12"
    echo "bl_not,No baseline,count,lower,sum,0,"
    echo "sig.burglary,Burglary,count,lower,sum,0,"
    echo "sig.down,Falling count,count,lower,sum,0,"
    echo "sig.national,National count,count,lower,sum,0,"
    echo "sig.zero,Nothing,count,lower,sum,0,"
    echo "sig.rate,A rate,rate,lower,mean,1,"
    echo "pct,A percentage,percent,higher,ratio,1,"
    echo "old,Only old values,count,lower,sum,0,"
} > ind.csv
run_ok "import indicators with spc_baseline" "$KPI" import indicators ind.csv

{
    echo "indicator,area,period,value"
    for pol in lower higher none; do
        # shellcheck disable=SC2086
        series "out_hi.$pol" 2019-04 $OUT_HI; series "out_lo.$pol" 2019-04 $OUT_LO
        series "trend_hi.$pol" 2019-04 $TREND_HI; series "trend_lo.$pol" 2019-04 $TREND_LO
        series "two_hi.$pol" 2019-04 $TWO_HI; series "two_lo.$pol" 2019-04 $TWO_LO
        series "shift_hi.$pol" 2019-04 $SHIFT_HI; series "shift_lo.$pol" 2019-04 $SHIFT_LO
        series "common.$pol" 2019-04 $COMMON
    done
    for a in pass_lower fail_lower ham_lower pass_higher fail_higher edge_higher none_none; do
        series "as.$a" 2019-04 $COMMON
    done
    series few 2019-05 12 10 12 10 12 10 12 10 12 10 12
    series rb 2018-04 $COMMON 100 102 100 102 100 102 100 102 100 102 100 102
    series rb_not 2018-04 $COMMON 100 102 100 102 100 102 100 102 100 102 100 102
    series bl 2019-03 $COMMON 17
    series bl_not 2019-03 $COMMON 17
    series sig.burglary 2019-03 44 - - - - - - - - - - - 61
    series sig.down 2019-03 50 - - - - - - - - - - - 30
    series sig.national 2019-03 100010000 - - - - - - - - - - - 99990000
    series sig.zero 2019-03 0 - - - - - - - - - - - 0
    series sig.rate 2019-03 50 - - - - - - - - - - - 30
    series old 2016-04 5 6 7
} > v.csv
# Ratio months: 1 in 2 and 1 in 10, alternating: a mean of 30%, not the 16.7% of the sums.
{
    echo "indicator,area,period,numerator,denominator"
    y=2019 m=4
    for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
        if [ $((k % 2)) = 1 ]; then printf 'pct,,%04d-%02d,1,2\n' $y $m; else printf 'pct,,%04d-%02d,1,10\n' $y $m; fi
        m=$((m + 1)); if [ $m -gt 12 ]; then m=1; y=$((y + 1)); fi
    done
} > r.csv
run_ok "import values" "$KPI" import values v.csv r.csv

# Annual targets for 2019/20 of sum indicators: a twelfth a month (limits 5.68 .. 16.32).
cat > t.csv <<'CSV'
indicator,year,target
as.pass_lower,2019/20,240
as.fail_lower,2019/20,12
as.ham_lower,2019/20,132
as.pass_higher,2019/20,12
as.fail_higher,2019/20,240
as.edge_higher,2019/20,195.84
as.none_none,2019/20,240
pct,2019/20,140
CSV
run_ok "import targets" "$KPI" import targets t.csv
printf 'indicator,period,reason\nrb,2019-04,new recording standard\n' > rebase.csv
run_ok "import rebases" "$KPI" import rebases rebase.csv

c=$("$KPI" compare --period 2020-03 --format csv)
# Every row's fields by code: "CODE<TAB>COLUMN<TAB>VALUE" lines.
python3 -c '
import csv, io, sys
for r in csv.DictReader(io.StringIO(sys.argv[1])):
    for k, v in r.items():
        print("%s\t%s\t%s" % (r["indicator"], k, v))' "$c" > fields
get() { awk -F '\t' -v c="$1" -v k="$2" '$1 == c && $2 == k { print $3 }' fields; }

check "values only before last year give no row (history only feeds the SPC series)" "<no row>" \
    "$(csv_get "$c" old value)"
check "compare header ends with the SPC and significance columns" \
    "note,variation,assurance,spc_mean,spc_lower,spc_upper,significance,p_value" \
    "$(printf '%s\n' "$c" | head -1 | sed 's/.*,note,/note,/')"

# Every rule, high and low, under every polarity.
for pol in lower higher none; do
    case $pol in
    lower) hi=concern-high lo=improvement-low ;;
    higher) hi=improvement-high lo=concern-low ;;
    none) hi=neutral-high lo=neutral-low ;;
    esac
    for r in out trend two shift; do
        check "$r high, polarity $pol: $hi" "$hi" "$(get "${r}_hi.$pol" variation)"
        check "$r low, polarity $pol: $lo" "$lo" "$(get "${r}_lo.$pol" variation)"
    done
    check "common cause, polarity $pol" "common" "$(get "common.$pol" variation)"
done
check "limits one decimal place finer than the indicator" "11.0|5.7|16.3" \
    "$(get common.lower spc_mean)|$(get common.lower spc_lower)|$(get common.lower spc_upper)"
check "no target: no assurance" "" "$(get common.lower assurance)"

# Assurance: each word, a target on the limit, no polarity.
check "assurance pass (lower is better, 20 a month above the upper limit)" "pass" "$(get as.pass_lower assurance)"
check "assurance fail (lower is better, 1 a month below the lower limit)" "fail" "$(get as.fail_lower assurance)"
check "assurance hit-and-miss (11 a month, between the limits)" "hit-and-miss" "$(get as.ham_lower assurance)"
check "assurance pass (higher is better, below the lower limit)" "pass" "$(get as.pass_higher assurance)"
check "assurance fail (higher is better, above the upper limit)" "fail" "$(get as.fail_higher assurance)"
check "assurance: a target equal to the upper limit is hit-and-miss" "hit-and-miss" \
    "$(get as.edge_higher assurance)"
check "assurance needs a polarity" "" "$(get as.none_none assurance)"

# Fewer than 12 points, a rebase, a baseline, a ratio.
check "11 points: no SPC" "||fewer than 12 points" \
    "$(get few variation)|$(get few spc_mean)|$(get few note | sed 's/.*; //')"
check "a rebase: the latest segment's limits" "common|101.0|95.7|106.3" \
    "$(get rb variation)|$(get rb spc_mean)|$(get rb spc_lower)|$(get rb spc_upper)"
check "the same values without the rebase: a special cause" "concern-high" "$(get rb_not variation)"
check "spc_baseline 12: the 13th point judged against the first 12" "concern-high|11.0|16.3" \
    "$(get bl variation)|$(get bl spc_mean)|$(get bl spc_upper)"
check "without a baseline: inside its own limits" "common" "$(get bl_not variation)"
check "a ratio series: each month's ratio (mean 30%), target as it is (140 > upper 136.4: fail)" \
    "common|30.00|fail" "$(get pct variation)|$(get pct spc_mean)|$(get pct assurance)"

# Significance of the change against the same month last year.
check "61 against 44: not significant" "none|0.118" "$(get sig.burglary significance)|$(get sig.burglary p_value)"
check "30 against 50: a significant decrease" "decrease|0.033" "$(get sig.down significance)|$(get sig.down p_value)"
check "national counts" "none|0.157" "$(get sig.national significance)|$(get sig.national p_value)"
check "0 against 0: no test" "|" "$(get sig.zero significance)|$(get sig.zero p_value)"
check "not a count: no test" "|" "$(get sig.rate significance)|$(get sig.rate p_value)"
check "the SPC columns are empty without a series of 12" "" "$(get sig.burglary variation)"
# A second method: scipy's exact binomial test.
PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import scipy.stats' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    not_ok "scipy is installed (scripts/install-deps installs python3-scipy)"
else
    check "p-values agree with scipy.stats.binomtest to 3 decimals" "0.118 0.033 0.157" \
        "$("$PY" -c '
from scipy.stats import binomtest
print(" ".join("%.3f" % binomtest(a, a + b, 0.5).pvalue for a, b in
               [(44, 61), (30, 50), (99990000, 100010000)]))')"
fi

# JSON and table carry the same columns; numbers are numbers in JSON.
j=$("$KPI" compare --period 2020-03 --format json)
check "json: SPC words and numbers" "concern-high 11.0 0.118 none" "$(printf '%s' "$j" | python3 -c '
import json, sys
rows = {r["indicator"]: r for r in json.load(sys.stdin)}
print(rows["out_hi.lower"]["variation"], "%.1f" % rows["common.lower"]["spc_mean"],
      "%.3f" % rows["sig.burglary"]["p_value"], rows["sig.burglary"]["significance"])')"
check_contains "table: the columns are there" "significance  p_value" \
    "$("$KPI" compare --period 2020-03 --format table | head -1)"

# A rebase after the compared period is not used yet: 2019-04 seen from 2019-03 is the plain series.
c2=$("$KPI" compare --period 2019-03)
check "before the rebase: 12 points 2018-04..2019-03 without it" "common|11.0" \
    "$(csv_get "$c2" rb variation)|$(csv_get "$c2" rb spc_mean)"

# The sentences: {{change ... significance=yes}} adds what the statistics say.
cat > t.md <<'MD'
# SPC

{{change sig.burglary subject="burglary" significance=yes}}

{{change sig.down subject="falling" significance=yes}}

{{change shift_lo.lower subject="shifted" significance=yes}}

{{change common.lower subject="steady" significance=yes}}

{{change sig.burglary subject="plain"}}
MD
run_ok "report with significance=yes" "$KPI" report t.md --period 2020-03 --format md -o t.out.md
paper=$(tr '\n' ' ' < t.out.md)
check_contains "a change within normal variation, with its p-value" \
    "Burglary in March 2020 has increased by 38.6% compared to this period last year; the year to date figure cannot be compared: no figure yet for " "$paper"
check_contains "the sentence says which months the year to date lacks, then the p-value" \
    "2020 and none for April 2018 to February 2019. This is a change within normal variation (p = 0.118)." "$paper"
check_contains "a statistically significant decrease" "This is a statistically significant decrease (p = 0.033)." "$paper"
check_contains "special cause in words" \
    "The latest month shows special cause variation, an improvement: it is the seventh month in a row below the average." \
    "$paper"
check_contains "common cause in words" "The latest month is within normal variation." "$paper"
check "without significance=yes the sentence is the seed's" "0" "$(grep -c 'Plain.*variation' t.out.md)"
cat > tab.md <<'MD'
{{table common.lower out_hi.lower sig.burglary as.fail_lower columns="title variation assurance spc_mean spc_lower spc_upper significance p_value"}}
MD
run_ok "a table with the SPC columns" "$KPI" report tab.md --period 2020-03 --format md -o tab.out.md
check_contains "table: SPC words and limits" "| out\_hi lower | Concern (high) |  | 13.3 | 1.2 | 25.4 |  |  |" \
    "$(cat tab.out.md)"
check_contains "table: assurance" "| assurance fail\_lower | Common cause | Fail | 11.0 | 5.7 | 16.3 |" "$(cat tab.out.md)"
check_contains "table: significance and p" "| Burglary |  |  |  |  |  | Not significant | 0.118 |" "$(cat tab.out.md)"
for f in html pdf docx xlsx; do
    run_ok "a table with the SPC columns as $f" "$KPI" report tab.md --period 2020-03 --format $f -o tab.out.$f
done
printf '{{change sig.burglary significance=maybe}}\n' > bad.md
refuse "significance takes yes or no" 1 "bad.md:1: .*significance.* yes or no" "$KPI" report bad.md --period 2020-03 --format md -o bad.out

# docs/spc.md's worked example: all crime in Chorley over the 32 shared police.uk months.
if [ -n "${SHARED:-}" ] && [ -d "$SHARED/data/police-uk/lancashire" ]; then
    mkdir police && (
        cd police || exit 1
        "$KPI" init --area Chorley >/dev/null &&
            "$KPI" import police "$SHARED/data/police-uk/lancashire" >/dev/null 2>&1 &&
            "$KPI" import indicators "$ROOT/examples/chorley-2022-q2/indicators.csv" >/dev/null &&
            "$KPI" compare --period 2022-10 --area Chorley >c.csv &&
            printf '{{change csp.all-crime subject="all crime" significance=yes}}\n' >t.md &&
            "$KPI" report t.md --period 2022-10 --area Chorley --format md -o t.out.md &&
            "$KPI" report "$ROOT/examples/chorley-2022-q2/report.md" --period "2022/23 Q2" --area Chorley \
                --format md -o q2.md
    )
    # (Markdown escapes the "<" of "p < 0.001".)
    check_contains "the 2022/23 Q2 example says the quarter's rise is significant" \
        "Overall crime in quarter two has increased by 24.1% compared to this period last year, and the year to date figure shows an increase of 21.8%. This is a statistically significant increase (p \\< 0.001)." \
        "$(tr '\n' ' ' < police/q2.md)"
    pc=$(cat police/c.csv 2>/dev/null)
    check "worked example: all crime, October 2022" \
        "629|677|concern-high|594.8|448.5|741.1|none|0.193|SPC leaves out June 2020, August 2020, September 2020 (no figure)" \
        "$(for k in value previous variation spc_mean spc_lower spc_upper significance p_value note; do
            printf '%s|' "$(csv_get "$pc" csp.all-crime "$k")"; done | sed 's/|$//')"
    check_contains "worked example: the sentence" \
        "This is a change within normal variation (p = 0.193). The latest month shows special cause variation, a concern: it is the 13th month in a row above the average." \
        "$(tr '\n' ' ' < police/t.out.md)"
else
    echo "# skipped the worked example of docs/spc.md: ../shared/data/police-uk is not here (it needs it)"
fi

# Bad input: refused where it is, nothing changed.
printf 'code,title,spc_baseline\nx,X,11\n' > b1.csv
refuse "spc_baseline below 12" 1 "b1.csv:2: indicator 'x': spc_baseline '11'" "$KPI" import indicators b1.csv
printf 'code,title,spc_baseline\nx,X,twelve\n' > b2.csv
refuse "spc_baseline not a number" 1 "b2.csv:2: .*spc_baseline 'twelve'" "$KPI" import indicators b2.csv
printf 'indicator,period,reason\nnope,2019-04,x\n' > b3.csv
refuse "rebase of an unknown indicator" 1 "b3.csv:2: unknown indicator 'nope'" "$KPI" import rebases b3.csv
printf 'indicator,period,reason\nrb,2019-04,\n' > b4.csv
refuse "rebase without a reason" 1 "b4.csv:2: missing reason" "$KPI" import rebases b4.csv
printf 'indicator,period,reason\nrb,2019-13,x\n' > b5.csv
refuse "rebase with a bad period" 1 "b5.csv:2: bad period '2019-13'" "$KPI" import rebases b5.csv
printf 'indicator,period,reason\nrb,2019-05,x\nrb,2019-05,y\n' > b6.csv
refuse "the same rebase twice" 1 "b6.csv:3: a second rebase for rb at 2019-05" "$KPI" import rebases b6.csv
printf 'indicator,period,why\nrb,2019-05,x\n' > b7.csv
refuse "rebases: unknown column" 1 "b7.csv:1: unknown column 'why' for rebases" "$KPI" import rebases b7.csv

finish
