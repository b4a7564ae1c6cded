# entry.sh — the editor's entry form from outside, with curl against the real
# server: the figures beside each box (checked against `kpi compare --format
# csv`), the to-do count and "Missing" tags with links to their fields, the
# warning on a large change (saved all the same), saving one row alone, the
# conflict check kept, and the editor's panel on the home page.
. "$E2E_LIB"

printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
EX="$ROOT/examples/chorley-2011-q2"
mkdir -p out
export KPI_DB=out/kpi.db
DB=out/kpi.db
q() { db_query "$DB" "$1"; }
"$KPI" init --area Chorley >/dev/null &&
    "$KPI" import indicators "$EX/indicators.csv" >/dev/null && "$KPI" import targets "$EX/targets.csv" >/dev/null &&
    "$KPI" import values "$EX/values.csv" >/dev/null &&
    printf 'indicator,area,year,target,tolerance\ncrime.all,Chorley,2011/12,5400,5\n' > police-targets.csv &&
    "$KPI" import targets police-targets.csv >/dev/null || { not_ok "the worked example loads"; finish; exit 1; }
run_ok "user add editor (police)" sh -c "echo 'police-pass-1' | '$KPI' user add ed --role editor --partner 'Lancashire Constabulary'"
run_ok "user add viewer" sh -c "echo 'viewer-pass-1' | '$KPI' user add vic --role viewer"

PORT=$(free_port)
B="http://127.0.0.1:$PORT"
"$KPI" serve --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
curl -s -o /dev/null "$B/login" && ok "server starts" || { not_ok "server starts"; cat serve.log; finish; exit 1; }

req() { curl -s -D h.txt -o b.txt -w '%{http_code}' "$@"; }
hdr() { grep -i "^$1:" h.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' b.txt | head -1 | cut -d'"' -f4; }
login() {
    local u=$1 p=$2 jar=$3
    req -c "$jar" -b "$jar" "$B/login" >/dev/null
    local c; c=$(csrf_of)
    req -c "$jar" -b "$jar" --data-urlencode "username=$u" --data-urlencode "password=$p" \
        --data-urlencode "csrf=$c" --data-urlencode "next=/" "$B/login"
}
check "editor signs in" "303" "$(login ed police-pass-1 je)"
check "viewer signs in" "303" "$(login vic viewer-pass-1 jv)"
# ctx CODE KIND: the text beside CODE's box (KIND last-year, previous or target), after "Label: "
ctx() {
    python3 -c '
import re, sys, html
t = open("b.txt").read()
m = re.search(r"<ul class=\"app-entry__context\" id=\"ctx-%s\">(.*?)</ul>" % re.escape(sys.argv[1]), t, re.S)
if not m: print("<no context>"); sys.exit()
m2 = re.search(r"<li data-ctx=\"%s\">[^:<]*: ([^<]*)</li>" % sys.argv[2], m.group(1))
print(html.unescape(m2.group(1)) if m2 else "<no %s>" % sys.argv[2])' "$1" "$2"
}
# want CSV CODE COLUMN NONE: what the page should show for that column of `kpi compare`
want() { local v; v=$(csv_get "$1" "$2" "$3"); [ -n "$v" ] && printf '%s' "$v" || printf '%s' "$4"; }

# ---- the figures beside each box = kpi compare ----
cur=$("$KPI" compare --period "2011/12 Q2" --area Chorley --format csv)
prev=$("$KPI" compare --period "2011/12 Q1" --area Chorley --format csv)
check "entry form for 2011/12 Q2" "200" "$(req -b je "$B/enter?area=Chorley&period=2011/12%20Q2")"
for code in crime.all crime.burglary-dwelling crime.robbery crime.dv-detections; do
    unit=$(awk -F, -v c="$code" '$1 == c { print $3 }' "$EX/indicators.csv")
    pct=""; [ "$unit" = percent ] && pct="%"
    w=$(want "$cur" "$code" previous "no figure"); [ "$w" != "no figure" ] && w="$w$pct"
    check "beside $code: last year = kpi compare's previous" "$w" "$(ctx "$code" last-year)"
    w=$(want "$prev" "$code" value "no figure"); [ "$w" != "no figure" ] && w="$w$pct"
    check "beside $code: previous quarter = kpi compare's value for 2011/12 Q1" "$w" "$(ctx "$code" previous)"
    w=$(want "$cur" "$code" target_to_date "no target"); [ "$w" != "no target" ] && w="$w$pct"
    check "beside $code: target to date = kpi compare's target_to_date" "$w" "$(ctx "$code" target)"
done
check_contains "a target to date in words" '<li data-ctx="target">Target to date: 2700</li>' "$(cat b.txt)"
check_contains "no target, honestly" '<li data-ctx="target">Target to date: no target</li>' "$(sed -n '/id="ctx-crime.robbery"/p' b.txt)"
check_contains "the context is named in words" "<li data-ctx=\"previous\">Previous quarter: $(csv_get "$prev" crime.all value)</li>" "$(cat b.txt)"
check_contains "the box is described by its context" 'aria-describedby="ctx-crime.all"' "$(cat b.txt)"
check_contains "a label for each box" '<label class="govuk-label" for="v-crime.all">Value</label>' "$(cat b.txt)"
ndue=$(grep -o '<div class="app-entry" id="row-' b.txt | wc -l)
[ "$ndue" -ge 5 ] && ok "the police form has its rows ($ndue)" || not_ok "the police form has its rows ($ndue)"
check_contains "2011/12 Q2: all entered" "$ndue figures due, $ndue entered" "$(cat b.txt)"
check "2011/12 Q2: no Missing tag" "0" "$(grep -o '>Missing</strong>' b.txt | wc -l)"

# ---- missing rows ----
check "entry form for 2011/12 Q3" "200" "$(req -b je "$B/enter?area=Chorley&period=2011/12%20Q3")"
check_contains "2011/12 Q3: none entered" "$ndue figures due, 0 entered" "$(cat b.txt)"
check "2011/12 Q3: every row tagged Missing" "$ndue" "$(grep -o '>Missing</strong>' b.txt | wc -l)"
check_contains "a missing figure links to its box" '<a class="govuk-link" href="#v-crime.robbery">Robbery</a>' "$(cat b.txt)"
check_contains "a missing rate links to its numerator" 'href="#n-crime.dv-detections"' "$(cat b.txt)"
check "Q3 beside the box: no figure last year" "no figure" "$(ctx crime.all last-year)"
check "Q3 beside the box: the previous quarter" "$(csv_get "$cur" crime.all value)" "$(ctx crime.all previous)"
check_contains "a row has its own Save button" '<button type="submit" class="govuk-button govuk-button--secondary app-entry__save" name="only" value="crime.robbery">Save<span class="govuk-visually-hidden"> Robbery only</span></button>' "$(cat b.txt)"
first_submit() { python3 -c '
import re
t = open("b.txt").read()
form = t[t.index("<form method=\"post\" action=\"/enter\""):]
print(re.search(r"<button type=\"submit\"[^>]*>(.*?)</button>", form).group(1))'; }
check "Save all is the form's first button (Enter in a box saves every row)" "Save all" "$(first_submit)"
C=$(csrf_of)

# ---- one row alone ----
s0=$(q "SELECT COUNT(*) FROM vals")
check "row save: 303 back to the form" "303" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'only=crime.robbery&v-crime.robbery=3&ver-crime.robbery=0&v-crime.vehicle=&ver-crime.vehicle=0' "$B/enter")"
check_contains "row save: back to its row" "#row-crime.robbery" "$(hdr Location)"
check "row save: one figure stored" "$((s0 + 1))" "$(q "SELECT COUNT(*) FROM vals")"
check "row save: it is that row's" "3000000" "$(q "SELECT value FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.robbery' AND first_month = 2011*12+9")"
check "row save with other rows typed: the form again at once" "200" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'only=crime.serious-violent&v-crime.serious-violent=12&ver-crime.serious-violent=0&v-crime.vehicle=100&ver-crime.vehicle=0&v-crime.all=12x&ver-crime.all=0' "$B/enter")"
check_contains "row save: saved" "1 figure saved" "$(cat b.txt)"
check "row save: that row stored" "$((s0 + 2))" "$(q "SELECT COUNT(*) FROM vals")"
check "row save: the other rows are not" "0" "$(q "SELECT COUNT(*) FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code IN ('crime.vehicle', 'crime.all') AND first_month = 2011*12+9")"
check_contains "row save: what was typed in another row is kept to be saved" 'id="v-crime.vehicle" name="v-crime.vehicle" type="text" inputmode="decimal" spellcheck="false" value="100"' "$(cat b.txt)"
check_contains "row save: even a mistake, unchecked" 'value="12x"' "$(cat b.txt)"
case "$(cat b.txt)" in *'govuk-error-summary'*) not_ok "row save: other rows are not checked" ;; *) ok "row save: other rows are not checked" ;; esac
check_contains "row save: the saved row shows as stored" 'id="v-crime.serious-violent" name="v-crime.serious-violent" type="text" inputmode="decimal" spellcheck="false" value="12"' "$(cat b.txt)"
check_contains "row save: its new version" 'name="ver-crime.serious-violent" value="1"' "$(cat b.txt)"
req -b je "$B/enter?area=Chorley&period=2011/12%20Q3" >/dev/null
check_contains "the count follows" "$ndue figures due, 2 entered" "$(cat b.txt)"
check "two Missing tags fewer" "$((ndue - 2))" "$(grep -o '>Missing</strong>' b.txt | wc -l)"
check "row save: an unknown row is refused" "400" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'only=nosuch&v-crime.vehicle=100&ver-crime.vehicle=0' "$B/enter")"
check "row save: nothing stored for it" "$((s0 + 2))" "$(q "SELECT COUNT(*) FROM vals")"
check "row save: a bad figure in its row is refused" "400" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'only=crime.vehicle&v-crime.vehicle=1x&ver-crime.vehicle=0&v-crime.violent=50&ver-crime.violent=0' "$B/enter")"
check_contains "row save: the error is beside it" 'id="v-crime.vehicle-error"' "$(cat b.txt)"
check_contains "row save: other rows keep what was typed" 'id="v-crime.violent" name="v-crime.violent" type="text" inputmode="decimal" spellcheck="false" value="50"' "$(cat b.txt)"
check "row save: nothing stored" "$((s0 + 2))" "$(q "SELECT COUNT(*) FROM vals")"

# ---- a large change is saved, with a warning ----
check "large change: saved (303)" "303" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'v-crime.burglary-dwelling=420&ver-crime.burglary-dwelling=0&v-crime.vehicle=100&ver-crime.vehicle=0' "$B/enter")"
loc=$(hdr Location)
check_contains "large change: the saved rows come back to be checked" "check=crime.burglary-dwelling%2Ccrime.vehicle" "$loc"
check "large change: stored" "420000000" "$(q "SELECT value FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.burglary-dwelling' AND first_month = 2011*12+9")"
check "large change: the page after Save" "200" "$(req -b je "$B$loc")"
check_contains "large change: the warning (previous quarter)" "Burglary Dwelling: 420 is 6.9 times the previous quarter's 61 — check it; saved" "$(python3 -c 'import html,sys; print(html.unescape(open("b.txt").read()))')"
check "large change: shown in the banner and beside the field" "2" "$(grep -o 'is 6.9 times' b.txt | wc -l)"
check_contains "large change: the banner links to the field" 'href="#v-crime.burglary-dwelling">Burglary Dwelling: 420' "$(cat b.txt)"
case "$(cat b.txt)" in *"Vehicle Crime: 100"*) not_ok "a small change has no warning" ;; *) ok "a small change has no warning" ;; esac
req -b je "$B/enter?area=Chorley&period=2011/12%20Q2" >/dev/null
C2=$(csrf_of)
ver=$(q "SELECT version FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.burglary-dwelling' AND first_month = 2011*12+6")
check "large change against last year: saved" "303" "$(req -b je --data-urlencode "csrf=$C2" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q2' \
    -d "only=crime.burglary-dwelling&v-crime.burglary-dwelling=135&ver-crime.burglary-dwelling=$ver" "$B/enter")"
req -b je "$B$(hdr Location | sed 's/#.*//')" >/dev/null
check_contains "large change against last year: the warning" "Burglary Dwelling: 135 is 3.1 times last year's 44 — check it; saved" "$(python3 -c 'import html,sys; print(html.unescape(open("b.txt").read()))')"
check "large change against last year: read back" "135000000" "$(q "SELECT value FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.burglary-dwelling' AND first_month = 2011*12+6")"
req -b je "$B/enter?area=Chorley&period=2011/12%20Q2" >/dev/null
case "$(cat b.txt)" in *"check it; saved"*) not_ok "no warning when the page is opened again" ;; *) ok "no warning when the page is opened again" ;; esac

# ---- conflicts still found ----
req -b je "$B/enter?area=Chorley&period=2011/12%20Q3" >/dev/null
C=$(csrf_of)
printf 'indicator,area,period,value\ncrime.robbery,Chorley,2011/12 Q3,4\n' > later.csv
run_ok "someone else changes robbery" "$KPI" import values later.csv
s1=$(q "SELECT value, version FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.robbery' AND first_month = 2011*12+9")
check "conflict: a stale row save is refused" "409" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'only=crime.robbery&v-crime.robbery=5&ver-crime.robbery=1' "$B/enter")"
check_contains "conflict: shown" "Changed by someone else" "$(cat b.txt)"
check "conflict: nothing stored" "$s1" "$(q "SELECT value, version FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.robbery' AND first_month = 2011*12+9")"
check "conflict: Save all is refused too" "409" "$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'v-crime.robbery=5&ver-crime.robbery=1' "$B/enter")"
check "row save without CSRF is 403" "403" "$(req -b je --data-urlencode area=Chorley --data-urlencode 'period=2011/12 Q3' \
    -d 'only=crime.violent&v-crime.violent=5&ver-crime.violent=0' "$B/enter")"

# ---- the editor's panel on the home page ----
check "home page for the editor" "200" "$(req -b je "$B/?area=Chorley&period=2011/12%20Q3")"
check_contains "home: your figures, due and entered" "Your figures for 2011/12 Q3: $ndue due, 4 entered</h2>" "$(cat b.txt)"
check_contains "home: a missing one links to its box" 'href="/enter?area=Chorley&amp;period=2011/12%20Q3#v-crime.all">All Crime</a>' "$(cat b.txt)"
check_contains "home: the dashboard is still below" "Performance dashboard" "$(cat b.txt)"
req -b jv "$B/?area=Chorley&period=2011/12%20Q3" >/dev/null
case "$(cat b.txt)" in *"Your figures for"*) not_ok "home: no panel for a viewer" ;; *) ok "home: no panel for a viewer" ;; esac
# with a collection round open, the panel (and the entry form) open on it and say when it is due
"$KPI" round open "2011/12 Q3" --due 2011-10-20 > /dev/null || not_ok "a round opens"
check "home page with a round open" "200" "$(req -b je "$B/")"
check_contains "home: the open round, due by its date in words" "Your figures for 2011/12 Q3: $ndue due by 20 October 2011, 4 entered</h2>" "$(cat b.txt)"
check "the entry form with a round open" "200" "$(req -b je "$B/enter")"
check_contains "the entry form opens on the open round" '2011/12 Q3' "$(grep -o 'selected[^<]*2011/12 Q3' b.txt | head -1)"

kill -TERM "$SERVER"
wait "$SERVER"
check "server stops cleanly" "0" "$?"
if grep -q "Sanitizer\|runtime error\|leak" serve.log; then
    not_ok "no sanitizer report from the server"; head -60 serve.log
else
    ok "no sanitizer report from the server"
fi
finish
