# validation.sh — figures no partner could have are refused, by every way in:
# the CSV importer, the xlsx importer, the entry form and the JSON API (one
# rule set, validate.h). Each refusal: its message, its status, and nothing
# changed. Also: declared areas (`kpi import areas`, a "did you mean"), an
# indicator's own min/max, a figure too large for 64 bits, and formulas that
# add unlike parts.
. "$E2E_LIB"

PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { not_ok "python3 with openpyxl (scripts/install-deps installs it)"; finish; exit 1; }

run_ok "init (declares the home area)" "$KPI" init --area Chorley

# ---- areas ----
cat > areas.csv <<'CSV'
area,code,parent
Lancashire,E10000017,
Chorley,E07000118,Lancashire
South Ribble,E07000126,Lancashire
Preston,,Lancashire
CSV
run_ok "import areas" "$KPI" import areas areas.csv
check "areas: names, codes and parents stored" \
    "Chorley|E07000118|Lancashire Lancashire|E10000017| Preston||Lancashire South Ribble|E07000126|Lancashire" \
    "$(db_query kpi.db "SELECT a.name || '|' || COALESCE(a.code, '') || '|' || COALESCE(p.name, '') FROM areas a
        LEFT JOIN areas p ON p.id = a.parent_id ORDER BY a.name" | tr '\n' ' ' | sed 's/ $//')"
run_ok "import areas again (idempotent)" "$KPI" import areas areas.csv
bada() { # bada NAME PATTERN CONTENT
    printf '%b' "$3" > bad-areas.csv
    refuse "$1" 1 "$2" "$KPI" import areas bad-areas.csv
}
bada "areas: a GSS code has a letter and 8 digits" \
    "bad-areas.csv:2: area 'Wyre': code 'E0700011' is not an ONS GSS code \\(a capital letter and 8 digits" \
    'area,code\nWyre,E0700011\n'
bada "areas: a code belongs to one area" "bad-areas.csv:2: area 'Wyre': code E07000118 is already the code of area 'Chorley'" \
    'area,code\nWyre,E07000118\n'
bada "areas: a code given twice in a file" "bad-areas.csv:3: area 'Fylde': code E07000128 is given twice" \
    'area,code\nWyre,E07000128\nFylde,E07000128\n'
bada "areas: an unknown parent" "bad-areas.csv:2: area 'Wyre': unknown parent area 'Lancs'" 'area,parent\nWyre,Lancs\n'
bada "areas: a name twice" "bad-areas.csv:3: area 'Wyre' appears twice" 'area\nWyre\nWyre\n'
bada "areas: a name is required" "bad-areas.csv:2: missing area" 'area,code\n,E07000127\n'

# ---- the framework ----
cat > ind.csv <<'CSV'
code,title,unit,aggregate,partner,min,max
crime.vehicle,Vehicle crime,count,,Police,,
crime.robbery,Robbery,count,,Police,,
crime.det,Detections,percent,,Police,,
crime.net,Net change in crime,count,,Police,none,
rate.k,Rate per 1000,rate,ratio,Police,,
plan.pct,Delivery against plan,percent,,Police,,150
CSV
run_ok "import indicators with min and max" "$KPI" import indicators ind.csv
check "min none and max 150 stored (micro-units)" "crime.net|-999999999999999999| plan.pct||150000000" \
    "$(db_query kpi.db "SELECT code || '|' || COALESCE(CAST(min_value AS TEXT), '') || '|' || COALESCE(CAST(max_value AS TEXT), '') FROM indicators
        WHERE min_value IS NOT NULL OR max_value IS NOT NULL ORDER BY code" | tr '\n' ' ' | sed 's/ $//')"
badi() { # badi NAME PATTERN CONTENT
    printf '%b' "$3" > bad-ind.csv
    refuse "$1" 1 "$2" "$KPI" import indicators bad-ind.csv
}
badi "indicators: min not a number" "bad-ind.csv:2: min 'low': not a number" 'code,title,min\nx,X,low\n'
badi "indicators: max below min" "bad-ind.csv:2: indicator 'x': max '1' is less than min '5'" 'code,title,min,max\nx,X,5,1\n'
badi "a formula may not add a percentage to counts" \
    "indicator 'mix' \\(count, aggregate sum\\): its formula adds 'crime.det' \\(percent, aggregate ratio\\); a formula may only add parts of its own unit and aggregate" \
    'code,title,unit,formula\nmix,Mix,count,crime.vehicle + crime.det\n'
badi "a formula may not add a rate to counts" "its formula adds 'rate.k' \\(rate, aggregate ratio\\)" \
    'code,title,formula\nmix,Mix,crime.robbery + rate.k\n'
badi "a formula may not add money to counts" "indicator 'mix' \\(currency, aggregate sum\\): its formula adds 'crime.vehicle' \\(count" \
    'code,title,unit,formula\nmix,Mix,currency,crime.vehicle\n'
printf 'code,title,unit,formula\ncrime.sac,Vehicle crime and robbery,count,crime.vehicle + crime.robbery\n' > sum.csv
run_ok "a formula of like parts is taken" "$KPI" import indicators sum.csv

printf 'indicator,area,period,value,numerator,denominator\ncrime.vehicle,Chorley,2011-06,4,,\n' > good.csv
run_ok "a good value" "$KPI" import values good.csv

# ---- every rule through the CSV importer and an .xlsx workbook ----
# rule NAME ROW MESSAGE: ROW is indicator,area,period,value,numerator,denominator
n=0
rule() {
    n=$((n + 1))
    printf 'indicator,area,period,value,numerator,denominator\n%s\n' "$2" > "r$n.csv"
    refuse "csv: $1" 1 "^kpi: r$n.csv:2: $3" "$KPI" import values "r$n.csv"
    "$PY" - "$2" "r$n.xlsx" <<'PY'
import csv, sys, openpyxl
row = next(csv.reader([sys.argv[1]]))
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Data"
ws.append(["indicator", "area", "period", "value", "numerator", "denominator"])
out = []
for i, c in enumerate(row):
    if i >= 3 and c != "":
        try:
            v = float(c)  # a number typed into a cell is a number (a double: when it holds c exactly)
            if str(int(v)) == c or repr(v) == c:
                out.append(int(v) if str(int(v)) == c else v)
                continue
        except ValueError:
            pass
    out.append(c if c != "" else None)
ws.append(out)
wb.save(sys.argv[2])
PY
    refuse "xlsx: $1" 1 "^kpi: r$n.xlsx:Data![A-F]2: $3" "$KPI" import values "r$n.xlsx"
}
rule "a count cannot be negative" "crime.vehicle,Chorley,2011-07,-3,," \
    "value '-3' for Vehicle crime \\(a count\\) cannot be negative"
rule "a count is a whole number" "crime.robbery,Chorley,2011-07,2.5,," \
    "value '2.5' for Robbery \\(a count\\) must be a whole number"
rule "a percentage's numerator is at most its denominator" "crime.det,Chorley,2011-07,,600,550" \
    "numerator '600' for Detections \\(a percentage\\) is more than its denominator '550' \\(that would be 109.1%\\)"
rule "a percentage's denominator is more than 0" "crime.det,Chorley,2011-07,,5,0" \
    "denominator '0' for Detections \\(a percentage\\) must be more than 0"
rule "a thousands separator" 'crime.vehicle,Chorley,2011-07,"1,500",,' \
    "value '1,500': remove the thousands separator \\(write 1500\\)"
rule "a % sign" "crime.det,Chorley,2011-07,45%,45,100" "value '45%': write 45 without the % sign"
rule "a figure too large for 64 bits is refused, not cut" "rate.k,Chorley,2011-07,,999999999999.999999,0.000001" \
    "numerator '999999999999.999999' over denominator '0.000001' for Rate per 1000 makes a rate too large to store"
rule "an unknown area, with a did you mean" "crime.vehicle,Chorely,2011-07,3,," \
    "unknown area 'Chorely': did you mean 'Chorley'\\? The known areas are 'Chorley', 'Lancashire', 'Preston', 'South Ribble'. Declare an area with \`kpi import areas\` or \`kpi init --area\`"
rule "an unknown area, nothing near" "crime.vehicle,Blackpool,2011-07,3,," \
    "unknown area 'Blackpool'. The known areas are"
rule "an area's case matters, and is suggested" "crime.vehicle,chorley,2011-07,3,," \
    "unknown area 'chorley': did you mean 'Chorley'\\?"
rule "an indicator's own max" "plan.pct,Chorley,2011-07,,160,100" \
    "numerator '160' over denominator '100' for Delivery against plan makes 160.0, more than its maximum 150"
refuse "compare: an unknown area, with a did you mean" 1 "^kpi: unknown area 'South Ribbel': did you mean 'South Ribble'\\?" \
    "$KPI" compare --period 2011-07 --area "South Ribbel"
printf 'indicator,area,year,target\ncrime.vehicle,Chorely,2011/12,40\n' > t.csv
refuse "targets: an unknown area, with a did you mean" 1 "^kpi: t.csv:2: unknown area 'Chorely': did you mean 'Chorley'" \
    "$KPI" import targets t.csv
check "the refused figure was never stored (no value beyond 64 bits)" "0" \
    "$(db_query kpi.db "SELECT COUNT(*) FROM vals WHERE value < 0 OR value > 999999999999999999")"

# What the rules allow: an indicator's own min and max, 0 out of 0, exactly 100%.
cat > ok.csv <<'CSV'
indicator,area,period,value,numerator,denominator
crime.net,Chorley,2011-07,-30,,
plan.pct,Chorley,2011-07,,140,100
crime.det,Chorley,2011-07,,0,0
crime.det,South Ribble,2011-07,,550,550
rate.k,Preston,2011-07,,9999999999,1000
CSV
run_ok "opt-outs and edge values are taken" "$KPI" import values ok.csv
check "a negative count where min allows it" "-30" "$(csv_get "$("$KPI" compare --period 2011-07 --area Chorley)" crime.net value)"
check "140% where max allows it" "140.0" "$(csv_get "$("$KPI" compare --period 2011-07 --area Chorley)" plan.pct value)"
check "exactly 100%" "100.0" "$(csv_get "$("$KPI" compare --period 2011-07 --area "South Ribble")" crime.det value)"
check "a large rate that fits is stored exactly" "999999999900000" \
    "$(db_query kpi.db "SELECT v.value FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'rate.k'")"

# ---- the web: the entry form and the JSON API ----
printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
echo 'police-pass-1' | "$KPI" user add ed --role editor --partner Police >/dev/null
T_ED=$("$KPI" token add ed | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
B="http://127.0.0.1:$PORT"
"$KPI" serve --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
curl -s -o /dev/null "$B/login" && ok "server starts" || { not_ok "server starts"; cat serve.log; finish; exit 1; }
req() { curl -s -D h.txt -o b.txt -w '%{http_code}' "$@"; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' b.txt | head -1 | cut -d'"' -f4; }
state() { for t in vals value_history areas indicators targets; do db_query kpi.db "SELECT * FROM $t ORDER BY 1"; done | md5sum; }
req -c jx -b jx "$B/login" >/dev/null
req -c jx -b jx --data-urlencode username=ed --data-urlencode password=wrong \
    --data-urlencode "csrf=$(csrf_of)" --data-urlencode next=/ "$B/login" >/dev/null
check_contains "sign-in errors say so first in the title" "<title>Error: Sign in" "$(cat b.txt)"
req -c je -b je "$B/login" >/dev/null
req -c je -b je --data-urlencode username=ed --data-urlencode password=police-pass-1 \
    --data-urlencode "csrf=$(csrf_of)" --data-urlencode next=/ "$B/login" >/dev/null
check "editor opens the entry form" "200" "$(req -b je "$B/enter?area=Chorley&period=2011-08")"
C=$(csrf_of)

# form NAME FIELD DATA PATTERN: the form refuses DATA with 400, PATTERN beside FIELD, nothing stored
form() {
    local before after st
    before=$(state)
    st=$(req -b je --data-urlencode "csrf=$C" --data-urlencode area=Chorley --data-urlencode period=2011-08 \
        -d "$3" "$B/enter")
    after=$(state)
    if [ "$st" != 400 ]; then not_ok "form: $1"; echo "  status $st"; return; fi
    if [ "$before" != "$after" ]; then not_ok "form: $1"; echo "  the database changed"; return; fi
    if ! grep -q "<title>Error: " b.txt; then not_ok "form: $1"; echo "  no 'Error: ' in the title"; return; fi
    if ! grep -q "govuk-error-summary" b.txt || ! grep -q "href=\"#$2\"" b.txt; then
        not_ok "form: $1"; echo "  no error summary linking to #$2"; return; fi
    if ! grep -q "id=\"$2-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> [^<]*$4" b.txt; then
        not_ok "form: $1"; echo "  no inline message /$4/ beside $2: $(grep -o "id=\"$2-error\"[^<]*<span[^<]*</span>[^<]*" b.txt)"; return; fi
    ok "form: $1"
}
form "a count cannot be negative" v-crime.vehicle 'v-crime.vehicle=-3&ver-crime.vehicle=0' \
    "for Vehicle crime (a count) cannot be negative"
form "a count is a whole number" v-crime.robbery 'v-crime.robbery=2.5&ver-crime.robbery=0' "must be a whole number"
form "numerator at most the denominator" n-crime.det 'n-crime.det=600&d-crime.det=550&ver-crime.det=0' \
    "is more than its denominator"
form "denominator more than 0" d-crime.det 'n-crime.det=5&d-crime.det=0&ver-crime.det=0' "must be more than 0"
form "a thousands separator" v-crime.vehicle 'v-crime.vehicle=1%2C500&ver-crime.vehicle=0' "remove the thousands separator"
form "too large for 64 bits" n-rate.k 'n-rate.k=999999999999.999999&d-rate.k=0.000001&ver-rate.k=0' "too large to store"
form "an indicator's own max" n-plan.pct 'n-plan.pct=160&d-plan.pct=100&ver-plan.pct=0' "more than its maximum 150"
check "form: an unknown area, with a did you mean" "400" "$(req -b je "$B/enter?area=Chorely&period=2011-08")"
check_contains "form: the unknown area's message" "did you mean &#39;Chorley&#39;?" "$(cat b.txt)"
s0=$(state)
check "form: a negative count where min allows it is saved" "303" "$(req -b je --data-urlencode "csrf=$C" \
    --data-urlencode area=Chorley --data-urlencode period=2011-08 -d 'v-crime.net=-12&ver-crime.net=0' "$B/enter")"
check "form: and stored" "-12000000" "$(db_query kpi.db "SELECT v.value FROM vals v JOIN indicators i ON i.id = v.indicator_id
    WHERE i.code = 'crime.net' AND v.first_month = (SELECT MAX(first_month) FROM vals)")"

post() { req -H "Authorization: Bearer $T_ED" -H 'Content-Type: application/json' --data-binary "$1" "$B/api/v1/values"; }
# api NAME JSON PATTERN: 400, {"error": ...PATTERN...}, nothing stored
api() {
    local before after st
    before=$(state)
    st=$(post "$2")
    after=$(state)
    if [ "$st" != 400 ]; then not_ok "api: $1"; echo "  status $st: $(cat b.txt)"; return; fi
    if [ "$before" != "$after" ]; then not_ok "api: $1"; echo "  the database changed"; return; fi
    if ! grep -q "^{\"error\": \".*$3" b.txt; then not_ok "api: $1"; echo "  no /$3/ in $(cat b.txt)"; return; fi
    ok "api: $1"
}
api "a count cannot be negative" '{"indicator":"crime.vehicle","area":"Chorley","period":"2011-09","value":-3}' \
    "value '-3' for Vehicle crime (a count) cannot be negative"
api "a count is a whole number" '{"indicator":"crime.robbery","period":"2011-09","value":2.5}' "must be a whole number"
api "numerator at most the denominator" '{"indicator":"crime.det","period":"2011-09","numerator":600,"denominator":550}' \
    "numerator '600' for Detections (a percentage) is more than its denominator '550'"
api "denominator more than 0" '{"indicator":"crime.det","period":"2011-09","numerator":5,"denominator":0}' \
    "denominator '0' for Detections (a percentage) must be more than 0"
api "a thousands separator" '{"indicator":"crime.vehicle","period":"2011-09","value":"1,500"}' "remove the thousands separator"
api "too large for 64 bits" '{"indicator":"rate.k","period":"2011-09","numerator":"999999999999.999999","denominator":"0.000001"}' \
    "too large to store"
api "an unknown area, with a did you mean" '{"indicator":"crime.vehicle","area":"Chorely","period":"2011-09","value":3}' \
    "unknown area 'Chorely': did you mean 'Chorley'?"
api "an indicator's own max" '{"indicator":"plan.pct","period":"2011-09","numerator":160,"denominator":100}' \
    "more than its maximum 150"
check "api compare: an unknown area, with a did you mean" "400" \
    "$(req -H "Authorization: Bearer $T_ED" "$B/api/v1/compare?period=2011-07&area=Prestno")"
check_contains "api compare: the message" "unknown area 'Prestno': did you mean 'Preston'?" "$(cat b.txt)"
check "api: a negative count where min allows it" "201" "$(post '{"indicator":"crime.net","period":"2011-09","value":-7}')"
check "api: 0 out of 0" "201" "$(post '{"indicator":"crime.det","period":"2011-09","numerator":0,"denominator":0}')"

kill -TERM "$SERVER"
wait "$SERVER"
check "the server stopped cleanly" "0" "$?"
if grep -q 'Sanitizer\|runtime error' serve.log; then not_ok "no sanitizer report from the server"; cat serve.log
else ok "no sanitizer report from the server"; fi
finish
