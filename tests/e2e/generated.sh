# generated.sh — frameworks nobody wrote by hand: for each seed,
# tests/gen/genframework.py writes a random but valid framework (every unit,
# aggregate, frequency and polarity, formulas, 1-180 months of history, missing
# months, zero, negative and 10^12 values, zero denominators, long and
# non-ASCII names, 0-200 projects) and a template with every directive; kpi
# imports it and every command, report format, web page and API route runs on
# it. Invariants: exit 0, no sanitizer report, no 5xx, valid HTML/JSON/CSV/
# XLSX/DOCX/PDF, and every figure of `kpi compare` (and `kpi delivery`) equal
# to tests/gen/expected.py's independent computation.
#
# The fixed seeds cover every feature (see the "# seed" lines printed);
# SEEDS=N runs N seeds (1000, 1001, ...) instead, SEED_LIST="a b c" those.
. "$E2E_LIB"

GEN="$ROOT/tests/gen"
PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import docx, openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    not_ok "python3 with docx and openpyxl (scripts/install-deps installs them)"
    finish
    exit 1
fi
# fontconfig (behind the PDF and DOCX renderers) keeps a process-wide cache
# it never frees: not ours to fix, so not a failure here.
printf 'leak:libfontconfig\n' >lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# The fixed seeds between them give (genframework.py's features): financial
# years starting in January (24, 41), April (7, 20, 54) and July (17); 10^12
# values (17, 20, 41, 54); unbreakable words in titles (24, 54); 1 to 4 areas;
# 0 (20), 8-18 and 191-200 projects (24, 17); 1 (7), 12, 40, 99 and 180 months
# of history; no missing months (17) to 30% missing (20).
if [ -n "${SEED_LIST:-}" ]; then
    seeds=$SEED_LIST
elif [ -n "${SEEDS:-}" ]; then
    seeds=$(seq 1000 $((1000 + SEEDS - 1)))
else
    seeds="7 17 20 24 41 54"
fi
has_areas=0
"$KPI" help import 2>&1 | grep -qw areas && has_areas=1

meta() { python3 -c 'import json,sys; v=json.load(open("meta.json"))[sys.argv[1]]; print("\n".join(v) if isinstance(v, list) else v)' "$1"; }

# sane NAME STATUS ERRFILE: the command's status is 0 and its standard error
# carries no sanitizer report and no panic.
sane() {
    local name=$1 st=$2 errf=$3
    if grep -q 'Sanitizer\|runtime error\|PANIC\|panic:' "$errf"; then
        not_ok "$name: no sanitizer report"
        head -c 3000 "$errf" | sed 's/^/  /'
    elif [ "$st" -ne 0 ]; then
        not_ok "$name: exit 0"
        printf '  exit %s: %s\n' "$st" "$(head -c 1500 "$errf")"
    else
        ok "$name"
    fi
}
# k NAME OUT ARGS...: run kpi with standard output to OUT, and judge it
k() {
    local name=$1 out=$2 st
    shift 2
    "$KPI" "$@" >"$out" 2>err.txt
    st=$?
    sane "$name" "$st" err.txt
    return $st
}
# expect compare|delivery|json|table ARGS...: expected.py agrees with kpi (its lines, its failures counted here)
expect() {
    [ $# -gt 1 ] || return 0
    local out n
    out=$("$PY" "$GEN/expected.py" --label "$S" "$1" . "${@:2}" 2>&1)
    n=$?
    printf '%s\n' "$out"
    [ "$n" -eq 0 ] || _fails=$((_fails + n))
}
# validate LABEL KIND FILE...: tests/gen/validate.py's lines, its failures counted here
validate() {
    local out n
    out=$("$PY" "$GEN/validate.py" "$@")
    n=$?
    printf '%s\n' "$out"
    [ "$n" -eq 0 ] || _fails=$((_fails + n))
}

SERVER= nserve=0 web_down=0
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null' EXIT
# serve_start: kpi serve on a free port ($B), its standard error in $SLOG
serve_start() {
    PORT=$(free_port)
    B="http://127.0.0.1:$PORT"
    nserve=$((nserve + 1))
    SLOG=serve.$nserve.log
    "$KPI" serve --listen "127.0.0.1:$PORT" --templates "$PWD/tpl" 2>"$SLOG" &
    SERVER=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && return 0; sleep 0.1; done
    return 1
}
# get NAME URL KIND: GET as the admin (Bearer token); 200 and a body of KIND
nreq=0
get() {
    local name=$1 url=$2 kind=$3 st
    nreq=$((nreq + 1))
    if [ "$web_down" = 1 ]; then not_ok "$name: GET $url (no server)"; return 1; fi
    st=$(curl -s -m 60 -H "Authorization: Bearer $TOK" -o "web/$nreq.$kind" -w '%{http_code}' "$B$url")
    if [ "$st" = 200 ]; then
        bodies+=("$kind" "web/$nreq.$kind")
        ok "$name: GET $url is 200"
        return 0
    fi
    not_ok "$name: GET $url is 200"
    printf '  status %s: %s\n' "$st" "$(head -c 500 "web/$nreq.$kind" 2>/dev/null)"
    # no answer at all: a dying server may take seconds to write its report
    if [ "$st" = 000 ]; then
        for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
        not_ok "$name: the server is still up after GET $url"
        grep -m1 -A12 'ERROR: \|runtime error\|PANIC' "$SLOG" | sed 's/^/  /'
        wait "$SERVER" 2>/dev/null
        serve_start || { not_ok "$name: the server restarts"; web_down=1; }
    fi
}

t_start=$(date +%s)
# lap NAME: the time since the last lap, kept for the seed's "# ... times" line
lap() { local now; now=$(date +%s%N); laps+="$1 $(((now - t0) / 1000000))ms "; t0=$now; }
for seed in $seeds; do
    S="seed $seed"
    mkdir -p "s$seed" && cd "s$seed" || { not_ok "$S: folder"; continue; }
    if ! "$PY" "$GEN/genframework.py" "$seed" . >gen.log 2>&1; then
        not_ok "$S: genframework.py"; cat gen.log; cd ..; continue
    fi
    echo "# $S: $(python3 -c 'import json; m=json.load(open("meta.json")); print(m["fy_start"], len(m["areas"]), "areas", m["features"])')"
    home=$(meta home)
    laps="" t0=$(date +%s%N)
    k "$S: init" init.out init --area "$home" --fy-start "$(meta fy_start)" || { cd ..; continue; }
    if [ "$has_areas" = 1 ]; then k "$S: import areas" import.out import areas areas.csv; fi
    imported=1
    for kind in indicators values targets projects statuses; do
        k "$S: import $kind" import.out import "$kind" "$kind.csv" || imported=0
    done
    [ "$imported" = 1 ] || { cd ..; continue; }

    lap import
    # ---- compare: every period in csv (checked figure by figure), json and table ----
    mapfile -t periods < <(meta periods)
    empty=$(meta empty_period)
    mapfile -t areas < <(meta areas)
    a=${areas[$((${#areas[@]} - 1))]}
    exp=() vfiles=() jexp=() texp=() n=0
    for p in "${periods[@]}" "$empty"; do
        n=$((n + 1))
        k "$S: compare $p" c$n.csv compare --period "$p" && exp+=("$p" - c$n.csv) vfiles+=(csv c$n.csv)
        [ "$n" = 1 ] || [ "$p" = "$empty" ] || continue
        k "$S: compare $p json" c$n.json compare --period "$p" --format json && vfiles+=(json c$n.json) &&
            [ -s c$n.csv ] && jexp+=(c$n.csv c$n.json)
        k "$S: compare $p table" c$n.txt compare --period "$p" --format table && texp+=(c$n.csv c$n.txt)
    done
    k "$S: compare --area" ca.csv compare --period "${periods[0]}" --area "$a" && exp+=("${periods[0]}" "$a" ca.csv)
    k "$S: compare --area, no data" cb.csv compare --period "$empty" --area "$home" && exp+=("$empty" "$home" cb.csv)
    expect compare "${exp[@]}"
    expect json "${jexp[@]}"
    expect table "${texp[@]}"
    lap compare

    # ---- delivery ----
    exp=() n=0
    for p in "${periods[0]}" "${periods[1]}" "$empty"; do
        n=$((n + 1))
        k "$S: delivery $p" d$n.csv delivery --period "$p" && exp+=("$p" d$n.csv)
    done
    expect delivery "${exp[@]}"
    k "$S: delivery json" d.json delivery --period "${periods[0]}" --format json && vfiles+=(json d.json)
    k "$S: delivery table" d.txt delivery --period "${periods[0]}" --format table
    lap delivery

    # ---- report: every format for the latest quarter; html and md for others ----
    for f in md txt html pdf docx xlsx; do
        k "$S: report $f" /dev/null report template.md --period "${periods[0]}" --format "$f" -o "r.$f" &&
            vfiles+=("$f" "r.$f")
    done
    # the workbook stores each figure once, as `kpi compare` and `kpi delivery` say (tests/xlsx_figures.py)
    if [ -s r.xlsx ] && k "$S: compare home" ch.csv compare --period "${periods[0]}" --area "$home"; then
        xf=$("$PY" "$ROOT/tests/xlsx_figures.py" r.xlsx --compare ch.csv --delivery d1.csv 2>&1) &&
            ok "$S: xlsx: one number and format per figure" ||
            { not_ok "$S: xlsx: one number and format per figure"; printf '%s\n' "$xf" | head | sed 's/^/  /'; }
    fi
    k "$S: report html, a month, another area" /dev/null report template.md --period "${periods[1]}" \
        --area "$a" --format html -o m.html && vfiles+=(html m.html)
    k "$S: report md, a period with no data" /dev/null report template.md --period "$empty" --format md -o e.md &&
        vfiles+=(md e.md)
    validate "$S" "${vfiles[@]}"
    lap report
    # ---- the web application ----
    mkdir -p tpl web && cp template.md tpl/gen.md
    echo 'generated-pass-1' | "$KPI" user add admin --role admin >/dev/null 2>err.txt
    sane "$S: user add" $? err.txt
    TOK=$("$KPI" token add admin 2>err.txt | tail -1)
    web_down=0
    if ! serve_start; then not_ok "$S: server starts"; cat "$SLOG"; cd ..; continue; fi
    ok "$S: server starts"
    bodies=()
    st=$(curl -s -o web/login.html -w '%{http_code}' "$B/login")
    check "$S: GET /login (anonymous)" 200 "$st" && bodies+=(html web/login.html)
    all=; [ "$seed" = "${seeds%% *}" ] && all=all # the slow formats (pdf, docx) once
    while read -r kind url; do get "$S" "$url" "$kind"; done < <("$PY" "$GEN/urls.py" . $all)
    { read -r pe; read -r ae; read -r ppe; } < <("$PY" "$GEN/urls.py" . enc "${periods[0]}" "$a" "$(meta post_period)")
    # the API's compare is kpi compare's
    "$KPI" compare --period "${periods[0]}" --format json >cj.json 2>/dev/null
    curl -s -H "Authorization: Bearer $TOK" "$B/api/v1/compare?period=$pe" >aj.json
    check "$S: API compare = kpi compare --format json" same \
        "$(python3 -c 'import json,sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); print("same" if a == b else "differ")' cj.json aj.json 2>&1)"
    # POST /api/v1/values: values for a month two years after the data
    python3 -c 'import json; [print(json.dumps(b, ensure_ascii=False)) for b in json.load(open("meta.json"))["api_values"]]' >api.txt
    while read -r body; do
        st=$(curl -s -o post.json -w '%{http_code}' -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
            --data-binary "$body" "$B/api/v1/values")
        check "$S: POST /api/v1/values $(printf '%.60s' "$body")" 201 "$st" || cat post.json
    done <api.txt
    if [ -s api.txt ]; then
        first=$(head -1 api.txt)
        code=$(printf '%s' "$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["indicator"])')
        got=$(curl -s -H "Authorization: Bearer $TOK" "$B/api/v1/compare?period=$ppe&area=$ae" |
            python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["indicator"] == sys.argv[1]][0]["value"] is not None)' "$code" 2>&1)
        check "$S: the posted value is in the API's compare" True "$got"
    fi
    # forms with the token's CSRF value: a project update and an upload of the values again
    curl -s -H "Authorization: Bearer $TOK" -o web/admin2.html "$B/admin"
    csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' web/admin2.html | head -1 | cut -d'"' -f4)
    st=$(curl -s -o up.html -w '%{http_code}' -H "Authorization: Bearer $TOK" -F "csrf=$csrf" -F kind=values \
        -F "file=@values.csv" "$B/admin/upload")
    check "$S: POST /admin/upload of the values again" 303 "$st" || head -c 500 up.html
    proj=$(meta projects | sed -n 1p)
    if [ -n "$proj" ]; then
        st=$(curl -s -o pu.html -w '%{http_code}' -H "Authorization: Bearer $TOK" --data-urlencode "csrf=$csrf" \
            --data-urlencode "period=$(meta post_period)" --data-urlencode status=amber --data-urlencode 'commentary=Ŵ <b>x</b>, "q"' \
            "$B/projects/$proj")
        check "$S: POST /projects/CODE" 303 "$st" || head -c 500 pu.html
    fi
    st=$(curl -s -o pa.html -w '%{http_code}' -H "Authorization: Bearer $TOK" --data-urlencode "csrf=$csrf" \
        --data-urlencode "partner-name=Partner ŵ \"$seed\" <i>, 東京" "$B/admin/partners")
    check "$S: POST /admin/partners" 303 "$st" || head -c 500 pa.html
    if [ -n "${code:-}" ]; then # data entry: one value a month after the API's
        en=$(meta post_period | python3 -c 'import sys; y, m = map(int, sys.stdin.read().split("-")); m += 1; print("%04d-%02d" % (y + (m > 12), (m - 1) % 12 + 1))')
        st=$(curl -s -o en.html -w '%{http_code}' -H "Authorization: Bearer $TOK" --data-urlencode "csrf=$csrf" \
            --data-urlencode "area=$a" --data-urlencode "period=$en" --data-urlencode "ver-$code=0" \
            $(case $first in *numerator*) echo "-d n-$code=1 -d d-$code=2" ;; *) echo "-d v-$code=5" ;; esac) "$B/enter")
        check "$S: POST /enter" 303 "$st" || head -c 500 en.html
    fi
    # sign in and out by the form
    curl -s -c jar -b jar -o web/login2.html "$B/login"
    lc=$(grep -o 'name="csrf" value="[0-9a-f]*"' web/login2.html | head -1 | cut -d'"' -f4)
    check "$S: POST /login" 303 "$(curl -s -c jar -b jar -o /dev/null -w '%{http_code}' --data-urlencode username=admin \
        --data-urlencode password=generated-pass-1 --data-urlencode "csrf=$lc" --data-urlencode next=/ "$B/login")"
    curl -s -c jar -b jar -o web/dash.html "$B/" && bodies+=(html web/dash.html)
    lc=$(grep -o 'name="csrf" value="[0-9a-f]*"' web/dash.html | head -1 | cut -d'"' -f4)
    check "$S: POST /logout" 303 "$(curl -s -c jar -b jar -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$lc" "$B/logout")"
    lap web
    validate "$S" "${bodies[@]}"
    lap validate
    if kill -0 "$SERVER" 2>/dev/null; then ok "$S: server still up"; else not_ok "$S: server still up"; fi
    kill -TERM "$SERVER" 2>/dev/null
    wait "$SERVER"
    st=$?
    sane "$S: server stops cleanly" "$st" "$SLOG"
    # after the uploads and the posts, the figures are still the expected ones
    k "$S: compare after the web" c.csv compare --period "${periods[0]}" &&
        expect compare "${periods[0]}" - c.csv
    lap end
    echo "# $S times: $laps"
    cd ..
done
echo "# generated: $(echo $seeds | wc -w) seeds in $(($(date +%s) - t_start)) s"
# the fixed seeds between them hold every feature (a change of the generator
# that loses one fails here)
if [ -z "${SEED_LIST:-}${SEEDS:-}" ]; then
    cov=$("$PY" "$GEN/coverage.py" $(for s in $seeds; do echo "s$s"; done))
    n=$?
    printf '%s\n' "$cov"
    [ "$n" -eq 0 ] || _fails=$((_fails + n))
fi

# ---- input that must be refused or survived, not crash (kept apart from the seeds) ----
mkdir -p extreme && cd extreme || exit 1
# survive NAME ARGS...: kpi either refuses the input cleanly (exit 1, a message)
# or does it; never a crash, a panic or a sanitizer report. Returns kpi's status.
survive() {
    local name=$1 st
    shift
    "$KPI" "$@" >out.txt 2>err.txt
    st=$?
    if grep -q 'Sanitizer\|runtime error\|PANIC\|internal error' err.txt || [ "$st" -gt 1 ]; then
        not_ok "$name: refused or done, no crash (exit $st)"
        head -c 1500 err.txt | sed 's/^/  /'
        return 2
    fi
    ok "$name: refused or done, no crash (exit $st)"
    return $st
}
# A formula of ten parts of 999999999999: the sum does not fit a stored value.
export KPI_DB=$PWD/ten.db
"$KPI" init --area Chorley >/dev/null 2>&1
{
    echo "code,title,unit,aggregate,formula"
    for i in 0 1 2 3 4 5 6 7 8 9; do echo "p$i,Part $i,count,sum,"; done
    echo "tot,Total,count,sum,p0 + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9"
} >ten.csv
{
    echo "indicator,area,period,value"
    for i in 0 1 2 3 4 5 6 7 8 9; do echo "p$i,Chorley,2020-04,999999999999"; done
} >tenv.csv
if survive "extreme: a formula of ten parts" import indicators ten.csv &&
    survive "extreme: ten values of 999999999999" import values tenv.csv &&
    survive "extreme: compare the formula of ten 999999999999" compare --period 2020-04; then
    if grep -q '^tot,.*,-' out.txt; then
        not_ok "extreme: a formula of ten 999999999999 is not negative"
        grep '^tot,' out.txt | sed 's/^/  /'
    else ok "extreme: a formula of ten 999999999999 is not negative"; fi
    printf '{{table tot p0}}\n\n{{chart tot p0}}\n' >t.md
    survive "extreme: report of the formula of ten" report t.md --period 2020-04 --format html -o t.html
fi
# A formula over percentages with denominators near 10^12 (refused once
# formulas may only add parts of the same unit and aggregate).
export KPI_DB=$PWD/pct.db
"$KPI" init --area Chorley >/dev/null 2>&1
printf 'code,title,unit,aggregate,formula\npa,A,percent,ratio,\npb,B,percent,ratio,\npt,T,percent,sum,pa + pb\n' >pct.csv
{
    echo "indicator,area,period,value,numerator,denominator"
    for m in 04 05 06 07 08 09; do
        echo "pa,Chorley,2020-$m,,999999999998.$m,999999999999.99999${m#0}"
        echo "pb,Chorley,2020-$m,,99999999997.3,999999999998.7"
    done
} >pctv.csv
if survive "extreme: a formula of percentages" import indicators pct.csv &&
    survive "extreme: percentages near 10^12" import values pctv.csv; then
    survive "extreme: compare the formula of percentages" compare --period "2020/21 Q2"
fi
unset KPI_DB
cd ..
finish
