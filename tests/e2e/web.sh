# web.sh — the web application from outside, with curl against the real
# server (`kpi serve` on a free loopback port): every route, every role,
# tokens, CSRF, escaping, headers, limits, bad input refused with nothing
# stored, conflicts, throttling; then a clean shutdown with no sanitizer report.
. "$E2E_LIB"

# fontconfig (behind the PDF and DOCX renderers) keeps a process-wide cache
# it never frees: not ours to fix, so not a failure here.
printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# The worked example's data (as `kpi demo` loads it).
EX="$ROOT/examples/chorley-2011-q2"
mkdir -p out
export KPI_DB=out/kpi.db
DB=out/kpi.db
q() { db_query "$DB" "$1"; }
"$KPI" init --area Chorley >/dev/null &&
    "$KPI" import indicators "$EX/indicators.csv" >/dev/null && "$KPI" import targets "$EX/targets.csv" >/dev/null &&
    "$KPI" import values "$EX/values.csv" >/dev/null && "$KPI" import projects "$EX/projects.csv" >/dev/null &&
    "$KPI" import statuses "$EX/statuses.csv" >/dev/null || { not_ok "the worked example loads"; finish; exit 1; }

# ---- accounts from the command line ----
run_ok "user add admin" sh -c "echo 'admin-pass-1' | '$KPI' user add alice --role admin"
run_ok "user add editor (police)" sh -c "echo 'police-pass-1' | '$KPI' user add ed --role editor --partner 'Lancashire Constabulary'"
run_ok "user add editor (fire)" sh -c "echo 'fire-pass-1' | '$KPI' user add fay --role editor --partner 'Lancashire Fire and Rescue'"
run_ok "user add viewer" sh -c "echo 'viewer-pass-1' | '$KPI' user add vic --role viewer"
run_ok "user add with markup in the name" sh -c "echo 'evil-pass-1' | '$KPI' user add '<b>evil</b>' --role viewer"
refuse "user add twice" 1 "user 'alice' already exists" sh -c "echo x | '$KPI' --db $DB user add alice --role admin"
refuse "user add needs a password" 1 "first line of standard input" sh -c "'$KPI' --db $DB user add bob --role viewer </dev/null"
refuse "editor needs a partner" 2 "an editor needs --partner" sh -c "echo x | '$KPI' --db $DB user add bob --role editor"
refuse "unknown role" 2 "--role must be admin, editor or viewer" sh -c "echo x | '$KPI' --db $DB user add bob --role boss"
refuse "token for nobody" 1 "no user 'nobody'" "$KPI" --db $DB token add nobody
tok() { "$KPI" token add "$1" | tail -1; }
T_ADMIN=$(tok alice); T_ED=$(tok ed); T_FAY=$(tok fay); T_VIC=$(tok vic)
case "$T_ED" in [0-9a-f]*) [ ${#T_ED} -eq 64 ] && ok "token is printed on the last line" || not_ok "token is printed on the last line" ;; *) not_ok "token is printed on the last line: $T_ED" ;; esac
check "tokens are stored only as hashes" "0" "$(q "SELECT COUNT(*) FROM tokens WHERE token_hash IN ('$T_ADMIN','$T_ED','$T_FAY','$T_VIC')")"
check "passwords are Argon2id" "5" "$(q "SELECT COUNT(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")"
check "no password in clear" "0" "$(q "SELECT COUNT(*) FROM users WHERE password_hash LIKE '%pass-1%'")"

check_contains "serve --routes lists the route table" "POST /api/v1/values     editor" "$("$KPI" serve --routes)"

# ---- the server ----
PORT=$(free_port)
B="http://127.0.0.1:$PORT"
"$KPI" serve --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
curl -s -o /dev/null "$B/login" && ok "server starts" || { not_ok "server starts"; cat serve.log; finish; exit 1; }

# req NAME: run curl, keep headers in h.txt and body in b.txt, print the status
req() { curl -s -D h.txt -o b.txt -w '%{http_code}' "$@"; }
hdr() { grep -i "^$1:" h.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' b.txt | head -1 | cut -d'"' -f4; }
state() {
    for t in "vals ORDER BY id" "value_history ORDER BY id" "statuses ORDER BY project_id, kind, first_month" \
        "users ORDER BY id" "indicators ORDER BY id" "targets ORDER BY indicator_id, area_id, fy" "projects ORDER BY id"; do
        q "SELECT * FROM $t"
    done | md5sum
}

# ---- anonymous ----
check "anonymous dashboard redirects to /login" "303 /login?next=/" "$(req "$B/") $(hdr Location)"
check "anonymous indicator page redirects" "303" "$(req "$B/indicators/crime.all")"
check "anonymous unknown page redirects too" "303" "$(req "$B/nowhere")"
check "anonymous API is 401" "401" "$(req "$B/api/v1/compare?period=2011/12%20Q2")"
check_contains "401 says so in JSON" '{"error": ' "$(cat b.txt)"
check "sign-in page" "200" "$(req "$B/login")"
check_contains "sign-in form carries a CSRF token" 'name="csrf" value="' "$(cat b.txt)"
check "stylesheet" "200" "$(req "$B/assets/app.css")"

# ---- headers on every response ----
for u in "/" "/login" "/assets/app.css" "/api/v1/compare" "/nowhere"; do
    req "$B$u" >/dev/null
    check_contains "CSP on $u" "default-src 'none'" "$(hdr Content-Security-Policy)"
    check "nosniff on $u" "nosniff" "$(hdr X-Content-Type-Options)"
done

# ---- signing in ----
login() { # login USER PASS JAR [extra curl args]: prints the status of the POST
    local u=$1 p=$2 jar=$3; shift 3
    req -c "$jar" -b "$jar" "$B/login" >/dev/null
    local c; c=$(csrf_of)
    req -c "$jar" -b "$jar" "$@" --data-urlencode "username=$u" --data-urlencode "password=$p" \
        --data-urlencode "csrf=$c" --data-urlencode "next=/" "$B/login"
}
sessions() { q "SELECT COUNT(*) FROM sessions"; }
n0=$(sessions)
check "sign in without a CSRF token is 403" "403" "$(req -d 'username=alice&password=admin-pass-1' "$B/login")"
req -c j0 -b j0 "$B/login" >/dev/null
check "sign in with a wrong CSRF token is 403" "403" \
    "$(req -c j0 -b j0 -d "username=alice&password=admin-pass-1&csrf=$(printf '%064d' 0)" "$B/login")"
check "no session made without CSRF" "$n0" "$(sessions)"
check "wrong password is refused" "401" "$(login alice wrong jx)"
check_contains "wrong password: error summary" "There is a problem" "$(cat b.txt)"
check "admin signs in" "303" "$(login alice admin-pass-1 ja)"
sc=$(hdr Set-Cookie)
check_contains "session cookie is HttpOnly" "HttpOnly" "$sc"
check_contains "session cookie is SameSite=Strict" "SameSite=Strict" "$sc"
case "$sc" in *Secure*) not_ok "no Secure flag over plain HTTP" ;; *) ok "no Secure flag over plain HTTP" ;; esac
login ed police-pass-1 je >/dev/null
login vic viewer-pass-1 jv >/dev/null
login fay fire-pass-1 jf >/dev/null
check "Secure cookie behind TLS" "303" "$(login vic viewer-pass-1 jtls -H 'X-Forwarded-Proto: https')"
check_contains "Secure cookie behind TLS (flag)" "Secure" "$(hdr Set-Cookie)"
sid=$(awk '$6=="kpi_session"{print $7}' ja)
check "session stored only as a hash" "0" "$(q "SELECT COUNT(*) FROM sessions WHERE id_hash = '$sid'")"
check "signed-in dashboard" "200" "$(req -b ja "$B/")"
check_contains "dashboard shows the figures" "Burglary Dwelling" "$(cat b.txt)"
check_contains "dashboard shows RAG as a tag with a word" 'govuk-tag--green">Green' "$(cat b.txt)"
check_contains "dashboard says the direction in words: what happened and whether it is better" \
    '<span aria-hidden="true">▲ </span>Up, worse' "$(cat b.txt)"
check_contains "dashboard has key projects" "Total Alcohol" "$(cat b.txt)"
req -c jr -b jr "$B/login" >/dev/null
check "open redirect refused after sign-in" "303 /" "$(req -c jr -b jr --data-urlencode username=alice \
    --data-urlencode password=admin-pass-1 --data-urlencode "csrf=$(csrf_of)" --data-urlencode next=//evil.example/ \
    "$B/login") $(hdr Location)"

# ---- tokens on every route ----
check "token on a page" "200" "$(req -H "Authorization: Bearer $T_VIC" "$B/")"
check "token on the indicator page" "200" "$(req -H "Authorization: Bearer $T_VIC" "$B/indicators/crime.all?area=Chorley")"
check "bad token is 401 on a page" "401" "$(req -H "Authorization: Bearer $(printf '%064d' 1)" "$B/")"
check "bad token is 401 on the API" "401" "$(req -H "Authorization: Bearer nope" "$B/api/v1/compare?period=2011/12%20Q2")"
check "other auth schemes are 401" "401" "$(req -H "Authorization: Basic YWxpY2U6eA==" "$B/")"

# ---- every page, as a viewer ----
for u in "/" "/?area=Chorley&period=2011/12%20Q1" "/indicators/crime.all" "/indicators/crime.sac?period=2011/12%20Q2" \
    "/indicators/crime.dv-detections" "/projects" "/projects/total-alcohol" "/chase" "/chase?period=2011/12%20Q3" \
    "/report" "/report?template=chorley-2011-q2&area=Chorley&period=2011/12%20Q2"; do
    check "viewer GET $u" "200" "$(req -b jv "$B$u")"
done
check "unknown indicator is 404" "404" "$(req -b jv "$B/indicators/nope")"
check "unknown project is 404" "404" "$(req -b jv "$B/projects/nope")"
check "unknown area is 404" "404" "$(req -b jv "$B/?area=Nowhere")"
check "bad period is 400" "400" "$(req -b jv "$B/?period=2011-13")"
check_contains "bad period names the input" "2011-13" "$(cat b.txt)"
check "wrong method is 405" "405" "$(req -b jv -X DELETE "$B/")"
check "405 says what is allowed" "GET, HEAD" "$(hdr Allow)"
req -b jv "$B/chase?period=2011/12%20Q3" >/dev/null
check_contains "chase list names what is missing" "Months without a figure" "$(cat b.txt)"
check_contains "chase list names the missing months in words" "October to December 2011" "$(cat b.txt)"
check "chase list: a viewer has no entry links" "0" "$(grep -c 'Enter the figure' b.txt)"
req -b je "$B/chase?area=Chorley&period=2011/12%20Q3" >/dev/null
check_contains "chase list: an editor's missing figure links to its box on the entry form" 'href="/enter?area=Chorley&amp;period=2011/12%20Q3#v-crime.all">Enter the figure' "$(cat b.txt)"
check "chase list: only for the editor's own partner" "0" "$(grep -c '#v-fire\.' b.txt)"
req -b jv "$B/indicators/fire.adf?area=Chorley" >/dev/null
check_contains "indicator page has its chart" "<svg" "$(cat b.txt)"
# axis_titles [FILE]: each chart of FILE (b.txt) as "TITLE => Y-AXIS TITLE", one a line
axis_titles() {
    python3 -c 'import re, sys, html
for svg in re.findall(r"<svg\b.*?</svg>", open(sys.argv[1]).read(), re.S):
    t = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    a = re.search(r"<text class=\"axis-title\"[^>]*>(.*?)</text>", svg, re.S)
    if t: print(html.unescape(t.group(1)), "=>", html.unescape(a.group(1)) if a else "(none)")' "${1:-b.txt}"
}
check_contains "indicator page: the year-to-date chart's y axis is titled with the unit, in the SVG" \
    "Year to date: this year, last year and the target => Number" "$(axis_titles)"
printf -- '---\ntitle: Axis\n---\n{{chart fire.adf kind=line title="ADF"}}\n' >axis.md
"$KPI" report axis.md --period "2011/12 Q2" --area Chorley --format html -o axis.html 2>/dev/null
check "indicator page: the same y-axis title as the paper's chart of the indicator" \
    "ADF => Number" "$(axis_titles axis.html)"
req -b jv "$B/indicators/crime.dv-detections?area=Chorley" >/dev/null
check_contains "indicator page: a percentage's year-to-date chart is titled %" \
    "Year to date: this year, last year and the target => %" "$(axis_titles)"
req -b jv "$B/indicators/fire.adf?area=Chorley" >/dev/null
check_contains "indicator page has the definition" "Lower is better" "$(cat b.txt)"
check_contains "indicator page has its history" "History of changes" "$(cat b.txt)"
for f in html md txt pdf docx xlsx; do
    grep -q "\"$f\"" "$ROOT/src/render.c" || continue
    st=$(req -b jv "$B/report/download?template=chorley-2011-q2&area=Chorley&period=2011/12%20Q2&format=$f")
    if "$KPI" report "$EX/report.md" --period "2011/12 Q2" --area Chorley --format "$f" -o "cli.$f" 2>/dev/null; then
        check "report download as $f (as the CLI renders it)" "200" "$st"
        check_contains "report download as $f is an attachment" "attachment; filename=\"report-Chorley-2011-12-Q2.$f\"" "$(hdr Content-Disposition)"
    else
        check "report download as $f fails as the CLI does" "400" "$st"
    fi
done
check "report download, unknown format" "400" "$(req -b jv "$B/report/download?template=chorley-2011-q2&format=exe")"

# ---- roles ----
check "viewer may not open data entry" "403" "$(req -b jv "$B/enter")"
check "viewer may not open administration" "403" "$(req -b jv "$B/admin")"
check "editor may not open administration" "403" "$(req -b je "$B/admin")"
check "admin opens administration" "200" "$(req -b ja "$B/admin")"
check "editor opens data entry" "200" "$(req -b je "$B/enter?area=Chorley&period=2011/12%20Q3")"
check_contains "editor sees its partner's indicators" "All Crime" "$(cat b.txt)"
case "$(cat b.txt)" in *"Accidental Dwelling Fires"*) not_ok "editor does not see other partners' indicators" ;; *) ok "editor does not see other partners' indicators" ;; esac

# ---- the JSON API ----
api=$(curl -s -H "Authorization: Bearer $T_VIC" "$B/api/v1/compare?period=2011/12%20Q2&area=Chorley")
cli=$("$KPI" compare --period "2011/12 Q2" --area Chorley --format json)
check "API compare = kpi compare --format json" "$(printf '%s' "$cli" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')" \
    "$(printf '%s' "$api" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')"
check "API compare: numbers are numbers, empty cells null" "1455 None" \
    "$(printf '%s' "$api" | python3 -c 'import json,sys; r=[x for x in json.load(sys.stdin) if x["indicator"]=="crime.all"][0]; print(r["value"], r["target"])')"
allapi=$(curl -s -H "Authorization: Bearer $T_VIC" "$B/api/v1/compare?period=2011/12%20Q2")
check "API compare without area: every area" "$(printf '%s' "$("$KPI" compare --period "2011/12 Q2" --format json)" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
    "$(printf '%s' "$allapi" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "API compare needs a period" "400" "$(req -H "Authorization: Bearer $T_VIC" "$B/api/v1/compare")"
check "API compare, unknown area" "400" "$(req -H "Authorization: Bearer $T_VIC" "$B/api/v1/compare?period=2011-07&area=Nowhere")"
check "API content type" "application/json" "$(req -H "Authorization: Bearer $T_VIC" "$B/api/v1/compare?period=2011-07" >/dev/null; hdr Content-Type)"

post() { # post TOKEN JSON: status
    req -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data-binary "$2" "$B/api/v1/values"
}
s0=$(state)
check "API: stored" "201" "$(post "$T_ED" '{"indicator":"crime.all","area":"Chorley","period":"2011/12 Q3","value":1500,"note":"from the API"}')"
check "API: stored value is in compare" "1500" \
    "$(curl -s -H "Authorization: Bearer $T_ED" "$B/api/v1/compare?period=2011/12%20Q3&area=Chorley" | python3 -c 'import json,sys; print([x for x in json.load(sys.stdin) if x["indicator"]=="crime.all"][0]["value"])')"
check "API: the change names who made it" "ed" "$(q "SELECT changed_by FROM vals WHERE note = 'from the API'")"
check "API: ratio with numerator and denominator" "201" "$(post "$T_ED" '{"indicator":"crime.dv-detections","area":"Chorley","period":"2011/12 Q3","numerator":80,"denominator":100}')"
check "API: admin may change any indicator" "201" "$(post "$T_ADMIN" '{"indicator":"fire.adf","area":"Chorley","period":"2011/12 Q3","value":12}')"
check "API: area defaults to the home area" "201" "$(post "$T_FAY" '{"indicator":"fire.dpf","period":"2011/12 Q3","value":7}')"
s1=$(state)
bad_api() { # bad_api NAME STATUS TOKEN JSON [PATTERN]
    local st before after
    before=$(state)
    st=$(post "$3" "$4")
    after=$(state)
    if [ "$st" != "$2" ]; then not_ok "$1"; printf '  status %s, wanted %s: %s\n' "$st" "$2" "$(cat b.txt)"; return; fi
    if [ "$before" != "$after" ]; then not_ok "$1"; echo "  the database changed"; return; fi
    if ! grep -q '"error": ' b.txt; then not_ok "$1"; echo "  no {\"error\"}: $(cat b.txt)"; return; fi
    if [ -n "${5:-}" ] && ! grep -q -- "$5" b.txt; then not_ok "$1"; echo "  no '$5' in $(cat b.txt)"; return; fi
    ok "$1"
}
bad_api "API: no token" 401 "" '{"indicator":"crime.all","period":"2011/12 Q3","value":1}'
bad_api "API: viewer token" 403 "$T_VIC" '{"indicator":"crime.all","area":"Chorley","period":"2011/12 Q3","value":1}'
bad_api "API: another partner's indicator" 403 "$T_ED" '{"indicator":"fire.adf","area":"Chorley","period":"2011/12 Q3","value":1}'
bad_api "API: not JSON" 400 "$T_ED" 'indicator=crime.all' "bad JSON"
bad_api "API: truncated JSON" 400 "$T_ED" '{"indicator":"crime.all",' "bad JSON"
bad_api "API: an array" 400 "$T_ED" '[1,2]' "expected an object"
bad_api "API: unknown field" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","valeu":1}' "unknown field"
bad_api "API: duplicate field" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","value":1,"value":2}' "twice"
bad_api "API: nested value" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","value":{"x":1}}'
bad_api "API: unknown indicator" 400 "$T_ED" '{"indicator":"crime.al","period":"2011/12 Q3","value":1}' "unknown indicator"
bad_api "API: unknown area" 400 "$T_ED" '{"indicator":"crime.all","area":"Nowhere","period":"2011/12 Q3","value":1}' "unknown area"
bad_api "API: bad period" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q5","value":1}' "bad period"
bad_api "API: missing period" 400 "$T_ED" '{"indicator":"crime.all","value":1}' "missing"
bad_api "API: finer than the indicator's frequency" 400 "$T_ED" '{"indicator":"crime.all","period":"2011-10","value":1}' "finer"
bad_api "API: not a number" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","value":"12x"}' "not a number"
bad_api "API: exponent" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","value":1e3}'
bad_api "API: number too large" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","value":99999999999999999999}'
bad_api "API: missing value" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3"}' "missing value"
bad_api "API: ratio needs a denominator" 400 "$T_ED" '{"indicator":"crime.dv-detections","period":"2011/12 Q3","numerator":3}' "ratio"
bad_api "API: ratio value must agree" 400 "$T_ED" '{"indicator":"crime.dv-detections","period":"2011/12 Q3","value":60,"numerator":1,"denominator":2}' "does not agree"
bad_api "API: formula indicators take no values" 400 "$T_ED" '{"indicator":"crime.sac","period":"2011/12 Q3","value":1}' "formula"
bad_api "API: bad UTF-8" 400 "$T_ED" "$(printf '{"indicator":"crime.all","period":"2011/12 Q3","value":1,"note":"\xff"}')" "UTF-8"
bad_api "API: NUL escape" 400 "$T_ED" '{"indicator":"crime.all","period":"2011/12 Q3","value":1,"note":"a\u0000b"}' "NUL"
before=$(state)
head -c 1100000 /dev/zero | tr '\0' 'x' > big.json
check "API: body over 1 MiB is 413" "413" "$(req -H "Authorization: Bearer $T_ED" --data-binary @big.json "$B/api/v1/values")"
check "API: 413 stores nothing" "$before" "$(state)"
check "API: GET on the values route is 405" "405" "$(req -H "Authorization: Bearer $T_ED" "$B/api/v1/values")"

# ---- escaping of what users wrote ----
check "API: a note with markup" "201" "$(post "$T_ED" '{"indicator":"crime.robbery","area":"Chorley","period":"2011/12 Q3","value":3,"note":"<script>alert(1)</script> & \"q\""}')"
req -b jv "$B/indicators/crime.robbery?area=Chorley&period=2011/12%20Q3" >/dev/null
check_contains "the note is escaped" "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" "$(cat b.txt)"
if grep -q "<script" b.txt; then not_ok "no script element reaches the page"; else ok "no script element reaches the page"; fi
check "user with markup signs in" "303" "$(login '<b>evil</b>' evil-pass-1 jevil)"
req -b jevil "$B/" >/dev/null
check_contains "the user name is escaped" "&lt;b&gt;evil&lt;/b&gt;" "$(cat b.txt)"
if grep -q "<b>evil" b.txt; then not_ok "no markup from the user name"; else ok "no markup from the user name"; fi
req -b jv "$B/?area=%3Cb%3E" >/dev/null
if grep -q "<b>" b.txt; then not_ok "a query string is escaped"; else ok "a query string is escaped"; fi

# ---- data entry by form ----
req -b je "$B/enter?area=Chorley&period=2011/12%20Q4" >/dev/null
C_ED=$(csrf_of)
s0=$(state)
check "entry without CSRF is 403" "403" "$(req -b je -d 'area=Chorley&period=2011/12 Q4&v-crime.all=9&ver-crime.all=0' "$B/enter")"
check "entry with a wrong CSRF is 403" "403" "$(req -b je -d "area=Chorley&period=2011/12 Q4&v-crime.all=9&ver-crime.all=0&csrf=$C_ED-x" "$B/enter")"
check "entry with the admin's CSRF is 403" "403" "$(req -b je --data-urlencode "csrf=$(req -b ja "$B/admin" >/dev/null; csrf_of)" -d 'area=Chorley&period=2011/12 Q4&v-crime.all=9&ver-crime.all=0' "$B/enter")"
check "nothing stored without CSRF" "$s0" "$(state)"
check "entry: a bad number" "400" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'v-crime.all=12x&ver-crime.all=0&v-crime.robbery=4&ver-crime.robbery=0' "$B/enter")"
check_contains "entry: error summary" "There is a problem" "$(cat b.txt)"
check_contains "entry: error beside the field" 'id="v-crime.all-error"' "$(cat b.txt)"
check_contains "entry: the summary links to the field" 'href="#v-crime.all"' "$(cat b.txt)"
check_contains "entry: what was typed is kept" 'value="12x"' "$(cat b.txt)"
check "entry: nothing stored on error (not even the good row)" "$s0" "$(state)"
# A body no page sends, which the form would read one way of several: every form refuses it.
check "entry: a figure given twice is 400" "400" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'v-crime.all=9&ver-crime.all=0&v-crime.all=900' "$B/enter")"
check_contains "entry: the field given twice is named" "The field v-crime.all was given more than once" "$(cat b.txt)"
check "entry: a NUL byte in a figure is 400" "400" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'v-crime.all=9%0012&ver-crime.all=0' "$B/enter")"
check_contains "entry: the field with a NUL is named" "The field v-crime.all holds a NUL byte" "$(cat b.txt)"
check "sign in with the user name given twice is 400" "400" "$(req -c j0 -b j0 -d "username=alice&username=ed&password=admin-pass-1&csrf=$C_ED" "$B/login")"
check "entry: nothing stored from a field given twice or a NUL" "$s0" "$(state)"
check "entry: ratio without a denominator" "400" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'n-crime.dv-detections=5&ver-crime.dv-detections=0' "$B/enter")"
check "entry: saved" "303" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'v-crime.all=1400&ver-crime.all=0&note-crime.all=Dark+nights&n-crime.dv-detections=50&d-crime.dv-detections=64&ver-crime.dv-detections=0' "$B/enter")"
check_contains "entry: back to the form with a message" "saved=2" "$(hdr Location)"
check "entry: stored" "1400000000|Dark nights|ed" "$(q "SELECT value, note, changed_by FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.all' AND first_month = 2012*12")"
req -b jv "$B/?area=Chorley&period=2011/12%20Q4" >/dev/null
check_contains "entry: the dashboard changes at once" ">1400<" "$(cat b.txt)"
# conflict: the form was loaded at version 1; someone changes it (version 2); the form is saved
check "conflict: someone else changes it" "201" "$(post "$T_ADMIN" '{"indicator":"crime.all","area":"Chorley","period":"2011/12 Q4","value":1411}')"
s0=$(state)
check "conflict: the stale form is refused" "409" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'v-crime.all=1399&ver-crime.all=1' "$B/enter")"
check_contains "conflict: shown, not overwritten" "Changed by someone else" "$(cat b.txt)"
check_contains "conflict: names who changed it" "alice changed this figure" "$(cat b.txt)"
check "conflict: nothing stored" "$s0" "$(state)"
check "conflict: saved again knowingly" "303" "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' \
    -d 'v-crime.all=1399&ver-crime.all=2' "$B/enter")"
check "conflict: now stored" "1399000000" "$(q "SELECT value FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'crime.all' AND first_month = 2012*12")"
req -b jv "$B/indicators/crime.all?area=Chorley&period=2011/12%20Q4" >/dev/null
check_contains "history: who changed it" ">alice<" "$(cat b.txt)"
check_contains "history: before and after" ">1411<" "$(cat b.txt)"
check "entry: an editor's form cannot reach another partner's indicator" "$(q "SELECT COUNT(*) FROM vals")" \
    "$(req -b je --data-urlencode "csrf=$C_ED" --data-urlencode 'area=Chorley' --data-urlencode 'period=2011/12 Q4' -d 'v-fire.adf=3&ver-fire.adf=0' "$B/enter" >/dev/null; q "SELECT COUNT(*) FROM vals")"
head -c 1100000 /dev/zero | tr '\0' 'x' | sed 's/^/note-crime.all=/' > big.form
check "entry: a form over 1 MiB is 413" "413" "$(req -b je --data-binary @big.form "$B/enter")"

check "token: a form page" "200" "$(req -H "Authorization: Bearer $T_ED" "$B/enter?area=Chorley&period=2011/12%20Q1")"
C_TOK=$(csrf_of)
check "token: a form POST without the form's CSRF value is 403" "403" "$(req -H "Authorization: Bearer $T_ED" -d 'area=Chorley&period=2011/12 Q1&v-crime.all=1424&ver-crime.all=1' "$B/enter")"
check "token: a form POST with it is saved" "303" "$(req -H "Authorization: Bearer $T_ED" --data-urlencode "csrf=$C_TOK" -d 'area=Chorley&period=2011/12 Q1&v-crime.all=1424&ver-crime.all=1' "$B/enter")"
check "token: the API refuses a session cookie instead of a token" "401" "$(req -b je -H 'Content-Type: application/json' --data-binary '{"indicator":"crime.all","period":"2011/12 Q3","value":1}' "$B/api/v1/values")"

# ---- project updates ----
req -b je "$B/projects/dp-03?period=2011/12%20Q3" >/dev/null
check_contains "editor sees the update form of its partner's project" "Update this project" "$(cat b.txt)"
check "project update saved" "303" "$(req -b je --data-urlencode "csrf=$C_ED" -d 'period=2011/12 Q3&status=amber&commentary=Behind+plan' "$B/projects/dp-03")"
check_contains "project update: back to the page with a success banner" "Saved" "$(req -b je "$B$(hdr Location)" >/dev/null; cat b.txt)"
check_contains "project page: a back link" 'class="govuk-back-link"' "$(cat b.txt)"
check_contains "project page: the status is a set of radios, the saved one checked" 'type="radio" value="amber" checked' "$(cat b.txt)"
check "project update stored" "amber|Behind plan|ed" "$(q "SELECT status, commentary, changed_by FROM statuses s JOIN projects p ON p.id = s.project_id WHERE p.code = 'dp-03' AND first_month = 2011*12+9")"
check "project update: bad status" "400" "$(req -b je --data-urlencode "csrf=$C_ED" -d 'period=2011/12 Q3&status=purple' "$B/projects/dp-03")"
check_contains "project update: error beside the field" 'id="status-error"' "$(cat b.txt)"
check "project update: a mistyped period" "400" "$(req -b je --data-urlencode "csrf=$C_ED" -d 'period=Q3 please&status=red' "$B/projects/dp-03")"
check_contains "project update: the period error is beside the period picker" '<p id="period-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Bad period' "$(cat b.txt)"
check_contains "project update: the period is chosen from a list" '<select class="govuk-select govuk-select--error" id="period" name="period"' "$(cat b.txt)"
check_contains "project update: the error summary takes the focus" 'class="govuk-error-summary" role="alert" tabindex="-1" autofocus' "$(cat b.txt)"
check "project of another partner is 403" "403" "$(req -b je --data-urlencode "csrf=$C_ED" -d 'period=2011/12 Q3&status=red' "$B/projects/dp-04")"
req -b jv "$B/projects/dp-03" >/dev/null
C_VIC=$(csrf_of)
check "viewer may not update a project" "403" "$(req -b jv --data-urlencode "csrf=$C_VIC" -d 'period=2011/12 Q3&status=red' "$B/projects/dp-03")"
req -b jv "$B/projects/dp-03?period=2011/12%20Q3" >/dev/null
check_contains "project status history" "Behind plan" "$(cat b.txt)"

# ---- downloads, filters, navigation (docs/web.md) ----
# dl NAME PAGE: the page's table as CSV and as xlsx: both attachments with the same rows
dl() {
    local name=$1 page=$2 sep='?'
    case "$page" in *\?*) sep='&' ;; esac
    check "$name: CSV download" "200" "$(req -b jv "$B$page${sep}format=csv")"
    check_contains "$name: CSV content type" "text/csv" "$(hdr Content-Type)"
    check_contains "$name: CSV is an attachment" "attachment; filename=" "$(hdr Content-Disposition)"
    cp b.txt dl.csv
    check "$name: xlsx download" "200" "$(req -b jv "$B$page${sep}format=xlsx")"
    check_contains "$name: xlsx content type" "spreadsheetml" "$(hdr Content-Type)"
    cp b.txt dl.xlsx
    check "$name: the CSV and the workbook have the same rows" "same" "$(/usr/bin/python3 - <<'PY'
import csv, openpyxl
rows = list(csv.reader(open("dl.csv", newline="", encoding="utf-8")))
ws = openpyxl.load_workbook("dl.xlsx").active
xl = [[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]
xl = [r for r in xl if any(r)]
def norm(r): return [str(x).strip() for x in r]
ok = len(rows) == len(xl) and all(norm(a)[0] == norm(b)[0] for a, b in zip(rows, xl)) and norm(rows[0]) == norm(xl[0])
print("same" if ok else "differ: csv %d rows, xlsx %d rows; %r vs %r" % (len(rows), len(xl), rows[:2], xl[:2]))
PY
)"
}
csv_rows() { /usr/bin/python3 -c 'import csv,sys; print(len(list(csv.reader(open("dl.csv", newline=""))))-1)'; }
csv_col() { /usr/bin/python3 -c 'import csv,sys; r=list(csv.DictReader(open("dl.csv", newline=""))); print("\n".join(x[sys.argv[1]] for x in r))' "$1"; }
page_rows() { grep -o '<th scope="row"' b.txt | wc -l | tr -d ' '; }

D="/?area=Chorley&period=2011/12%20Q2"
dl "dashboard" "$D"
req -b jv "$B$D" >/dev/null
check "dashboard: the download has the page's rows" "$(page_rows)" "$(req -b jv "$B$D&format=csv" >/dev/null; cp b.txt dl.csv; csv_rows)"
greens=$(csv_col Status | grep -c '^Green$')
check "dashboard: some indicator is green (the example)" "1" "$([ "$greens" -gt 0 ] && echo 1 || echo 0)"
req -b jv "$B$D&rag=green&format=csv" >/dev/null; cp b.txt dl.csv
check "dashboard filter by status: only green" "$greens Green" "$(csv_rows) $(csv_col Status | sort -u)"
req -b jv "$B$D&rag=green" >/dev/null
check "dashboard filter by status: the page shows the same rows" "$greens" "$(page_rows)"
check_contains "dashboard filter: the status is chosen" '<option value="green" selected>' "$(cat b.txt)"
req -b jv "$B$D&partner=Lancashire%20Fire%20and%20Rescue&format=csv" >/dev/null; cp b.txt dl.csv
check "dashboard filter by partner: only its indicators" "Lancashire Fire and Rescue" "$(csv_col Partner | sort -u)"
req -b jv "$B$D&direction=improving&format=csv" >/dev/null; cp b.txt dl.csv
check "dashboard filter by direction: only better" "better" "$(csv_col Direction | sed 's/.*, //' | sort -u)"
req -b jv "$B/?area=Chorley&period=2011/12%20Q4&order=rag&format=csv" >/dev/null; cp b.txt dl.csv
check "dashboard, red and amber first: red, then amber, then the rest" "sorted" "$(csv_col Status | /usr/bin/python3 -c '
import sys
rank = {"Red": 0, "Amber": 1}
s = [rank.get(l.strip(), 2) for l in sys.stdin if l.strip()]
print("sorted" if s == sorted(s) and len(s) > 0 else "not sorted: %r" % s)')"
dl "projects" "/projects?period=2011/12%20Q2&sort=status"
check "projects sort by status: red, amber, green, complete, not reported" "sorted" "$(csv_col Status | /usr/bin/python3 -c '
import sys
rank = {"Red": 0, "Amber": 1, "Green": 2, "Complete": 3, "Not reported": 4}
s = [rank[l.strip()] for l in sys.stdin if l.strip()]
print("sorted" if s == sorted(s) and len(set(s)) > 1 else "not sorted: %r" % s)')"
req -b jv "$B/projects?period=2011/12%20Q2" >/dev/null
check "projects: the download has the page's rows" "$(page_rows)" "$(req -b jv "$B/projects?period=2011/12%20Q2&format=csv" >/dev/null; cp b.txt dl.csv; csv_rows)"
dl "chase list" "/chase?area=Chorley&period=2011/12%20Q3"
req -b jv "$B/chase?area=Chorley&period=2011/12%20Q3" >/dev/null
check "chase list: the download has the page's rows" "$(page_rows)" "$(req -b jv "$B/chase?area=Chorley&period=2011/12%20Q3&format=csv" >/dev/null; cp b.txt dl.csv; csv_rows)"
dl "indicator values" "/indicators/crime.all?area=Chorley&period=2011/12%20Q2&table=values"
check "indicator values: one row per stored value" "$(q "SELECT COUNT(*) FROM vals v JOIN indicators i ON i.id = v.indicator_id JOIN areas a ON a.id = v.area_id WHERE i.code = 'crime.all' AND a.name = 'Chorley'")" "$(csv_rows)"
dl "indicator history" "/indicators/crime.all?area=Chorley&period=2011/12%20Q2&table=history"
check "download: an unknown format is 400" "400" "$(req -b jv "$B$D&format=exe")"
check "download: an unknown table is 400" "400" "$(req -b jv "$B/indicators/crime.all?table=nope&format=csv")"
check "download: a mistyped period is 400, never another period's figures" "400" "$(req -b jv "$B/?period=Jul-11&format=csv")"
check "dashboard: a mistyped period still shows the page" "400" "$(req -b jv "$B/?area=Chorley&period=July%202011")"
check_contains "mistyped period: the title says Error" "<title>Error: Dashboard" "$(cat b.txt)"
check_contains "mistyped period: the error is beside the picker" 'id="period-error"' "$(cat b.txt)"
check_contains "mistyped period: the navigation is there" 'class="app-nav"' "$(cat b.txt)"
check_contains "mistyped period: the period is chosen from a list" '<select class="govuk-select govuk-select--error" id="period" name="period"' "$(cat b.txt)"
check_contains "the picker offers quarters" '<option value="2011/12 Q2">2011/12 Q2: July to September 2011</option>' "$(cat b.txt)"
check_contains "the picker offers months" '<option value="2011-07">July 2011</option>' "$(cat b.txt)"
check_contains "the figures shown are a real period's" "Performance dashboard:" "$(cat b.txt)"
check "chase list: a mistyped period shows the page" "400" "$(req -b jv "$B/chase?period=Q2")"
check_contains "chase list: with its heading" "Chase list:" "$(cat b.txt)"
check "data entry: a mistyped period shows the form" "400" "$(req -b je "$B/enter?period=Jul-11")"
check_contains "data entry: with its heading" "Enter figures:" "$(cat b.txt)"
check "a 404 page" "404" "$(req -b jv "$B/indicators/nope")"
check_contains "a 404 page keeps the navigation" 'class="app-nav"' "$(cat b.txt)"
check "a 403 page" "403" "$(req -b je "$B/admin")"
check_contains "a 403 page keeps the navigation" 'class="app-nav"' "$(cat b.txt)"
req -b jv "$B/projects" >/dev/null
check_contains "the navigation marks the current page" 'href="/projects" aria-current="page">Projects<' "$(cat b.txt)"
check "aria-current is markup, not escaped text" "0" "$(grep -c '&quot;page&quot;' b.txt)"
req -b jv "$B/indicators/crime.all?area=Chorley&period=2011/12%20Q4" >/dev/null
check_contains "indicator page: a back link" 'class="govuk-back-link"' "$(cat b.txt)"
req -b jv "$B/indicators/crime.sac?area=Chorley&period=2011/12%20Q2" >/dev/null
check_contains "indicator page: its parent by title, not code" 'period=2011/12%20Q2">All Crime</a>' "$(cat b.txt)"
req -b jv "$B/indicators/crime.all?area=Chorley&period=2011/12%20Q4" >/dev/null
check_contains "dates and times in words" '<time datetime="' "$(cat b.txt)"
check "no raw time stamps in the tables" "0" "$(grep -c '>20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' b.txt)"

# ---- administration ----
req -b ja "$B/admin" >/dev/null
C_AD=$(csrf_of)
check "admin adds a user" "303" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'user-name=nina&user-role=editor&user-partner=Lancashire+Fire+and+Rescue&user-password=nina-pass-1' "$B/admin/users")"
check "the new user signs in" "303" "$(login nina nina-pass-1 jn)"
check "admin: short password refused" "400" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'user-name=x&user-role=viewer&user-password=short' "$B/admin/users")"
check_contains "admin: error beside the field" 'id="user-password-error"' "$(cat b.txt)"
check "admin adds a partner" "303" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'partner-name=NHS+Central+Lancashire' "$B/admin/partners")"
check "admin adds an indicator (through the importer)" "303" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'ind-code=nhs.ae&ind-title=A%26E+waits&ind-unit=count&ind-polarity=lower&ind-frequency=month&ind-partner=NHS+Central+Lancashire' "$B/admin/indicators")"
check "admin: a bad indicator is refused as the importer would" "400" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'ind-code=a+b&ind-title=X' "$B/admin/indicators")"
check_contains "admin: the importer's message, in the page's words" "Bad code" "$(cat b.txt)"
check_contains "admin: the error is beside the field it names" 'id="ind-code-error"' "$(cat b.txt)"
check "admin: an unknown indicator in a target" "400" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'tgt-indicator=nope&tgt-year=2011/12&tgt-target=5' "$B/admin/targets")"
check_contains "admin: says what to do in the page's words" "add the indicator first" "$(cat b.txt)"
check "admin: no command-line advice in the error" "0" "$(grep -c 'import it with\|kpi import indicators' b.txt)"
check_contains "admin: no place in a file the user never saw" "Unknown indicator" "$(cat b.txt)"
req -b ja "$B/admin" >/dev/null
check_contains "admin lists the indicators by title" ">A&amp;E waits<" "$(cat b.txt)"
check_contains "admin: each indicator has a change link" 'href="/admin?indicator=nhs.ae#indicator-form"' "$(cat b.txt)"
check "admin: the change link fills the form" "200" "$(req -b ja "$B/admin?indicator=nhs.ae")"
check_contains "admin: the form holds the indicator" 'value="A&amp;E waits"' "$(cat b.txt)"
check "admin sets a target" "303" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'tgt-indicator=crime.all&tgt-area=Chorley&tgt-year=2011/12&tgt-target=5600' "$B/admin/targets")"
check_contains "a save says so: a success banner" "Saved the target" "$(req -b ja "$B$(hdr Location)" >/dev/null; cat b.txt)"
check_contains "admin lists the targets by title" "<th scope=\"row\" class=\"govuk-table__cell\">All Crime</th><td class=\"govuk-table__cell\" data-label=\"Area\">Chorley</td><td class=\"govuk-table__cell\" data-label=\"Year\">2011/12</td><td class=\"govuk-table__cell govuk-table__cell--numeric\" data-label=\"Target\">5600<" "$(cat b.txt)"
check "admin: a bad target year" "400" "$(req -b ja --data-urlencode "csrf=$C_AD" -d 'tgt-indicator=crime.all&tgt-year=2011-05&tgt-target=5' "$B/admin/targets")"
printf 'indicator,area,period,value\nnhs.ae,Chorley,2011-07,40\nnhs.ae,Chorley,2011-08,42\n' > up.csv
check "admin uploads a CSV" "303" "$(req -b ja -F "csrf=$C_AD" -F kind=values -F "file=@up.csv" "$B/admin/upload")"
check "upload stored" "2" "$(q "SELECT COUNT(*) FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'nhs.ae'")"
/usr/bin/python3 -c '
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Figures"
for row in [("indicator", "area", "period", "value"), ("nhs.ae", "Chorley", "2011-09", 44)]: ws.append(row)
wb.save("up.xlsx")'
check "admin uploads an .xlsx workbook" "303" "$(req -b ja -F "csrf=$C_AD" -F kind=values -F sheet=Figures -F "file=@up.xlsx" "$B/admin/upload")"
check "workbook stored" "44000000" "$(q "SELECT value FROM vals v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = 'nhs.ae' AND first_month = 2011*12+8")"
{
    echo 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context'
    echo 'a1,2011-07,Lancashire Constabulary,Lancashire Constabulary,-2.6,53.6,On or near X,E01000001,Chorley 001A,Burglary,Under investigation,'
    echo 'a2,2011-07,Lancashire Constabulary,Lancashire Constabulary,-2.6,53.6,On or near Y,E01000002,Chorley 002B,Anti-social behaviour,,'
} > 2011-07-lancashire-street.csv
check "admin uploads police.uk files" "303" "$(req -b ja -F "csrf=$C_AD" -F kind=police -F "file=@2011-07-lancashire-street.csv" "$B/admin/upload")"
check "police upload stored" "1000000" "$(q "SELECT value FROM vals v JOIN indicators i ON i.id = v.indicator_id JOIN areas a ON a.id = v.area_id WHERE i.code = 'police.burglary' AND a.name = 'Chorley' AND first_month = 2011*12+6")"
printf 'indicator,area,period,value\nnhs.ae,Chorley,2011-09,40\nnhs.ae,Chorley,2011-10,4x\n' > bad.csv
s0=$(state)
check "a bad upload is refused" "400" "$(req -b ja -F "csrf=$C_AD" -F kind=values -F "file=@bad.csv" "$B/admin/upload")"
check_contains "a bad upload names FILE:LINE" "bad.csv:3: value &#39;4x&#39;: not a number" "$(cat b.txt)"
check "a bad upload stores nothing" "$s0" "$(state)"
check "upload without CSRF is 403" "403" "$(req -b ja -F kind=values -F "file=@up.csv" "$B/admin/upload")"
check "editor may not upload" "403" "$(req -b je -F "csrf=$C_ED" -F kind=values -F "file=@up.csv" "$B/admin/upload")"
head -c 11000000 /dev/zero > huge.csv
check "an upload over 10 MiB is 413" "413" "$(req -b ja -F "csrf=$C_AD" -F kind=values -F "file=@huge.csv" "$B/admin/upload")"
uid=$(q "SELECT id FROM users WHERE name = 'nina'")
check "admin changes a user's role" "303" "$(req -b ja --data-urlencode "csrf=$C_AD" -d "role=viewer&partner=&action=save" "$B/admin/users/$uid")"
check "role changed" "viewer" "$(q "SELECT role FROM users WHERE id = $uid")"
check "deleting a user asks first" "200" "$(req -b ja --data-urlencode "csrf=$C_AD" -d "action=delete" "$B/admin/users/$uid")"
check_contains "the confirmation names the user" "Are you sure you want to delete nina?" "$(cat b.txt)"
check_contains "the confirmation has a way back" 'class="govuk-back-link"' "$(cat b.txt)"
check "nothing deleted before the confirmation" "1" "$(q "SELECT COUNT(*) FROM users WHERE id = $uid")"
check "admin deletes a user" "303" "$(req -b ja --data-urlencode "csrf=$C_AD" -d "action=delete&confirm=yes" "$B/admin/users/$uid")"
check "the user is gone" "0" "$(q "SELECT COUNT(*) FROM users WHERE id = $uid")"
aid=$(q "SELECT id FROM users WHERE name = 'alice'")
check "admin: refusing to delete yourself" "400" "$(req -b ja --data-urlencode "csrf=$C_AD" -d "action=delete&confirm=yes" "$B/admin/users/$aid")"
check_contains "admin: the refusal is beside that user's row" "id=\"role-$aid-error\"" "$(cat b.txt)"
check "the deleted user's session is gone" "303" "$(req -b jn "$B/")"

# ---- throttling ----
for i in 1 2 3 4 5; do login fay wrong-$i jt >/dev/null; done
check "sign-in throttled after 5 failures" "429" "$(login fay fire-pass-1 jt)"
check "throttled: another account still signs in" "303" "$(login vic viewer-pass-1 jt2)"

# ---- a failing database: 500, with the headers, and the next request recovers ----
q "ALTER TABLE value_history RENAME TO value_history_away"
check "a database failure is 500" "500" "$(req -b jv "$B/indicators/crime.all?area=Chorley")"
check_contains "500 carries the CSP" "default-src 'none'" "$(hdr Content-Security-Policy)"
q "ALTER TABLE value_history_away RENAME TO value_history"
check "the next request recovers" "200" "$(req -b jv "$B/indicators/crime.all?area=Chorley")"

# ---- signing out ----
req -b je "$B/" >/dev/null
C=$(csrf_of)
check "sign out" "303" "$(req -b je -c je --data-urlencode "csrf=$C" "$B/logout")"
check "signed out: the old cookie no longer works" "303" "$(req -b "kpi_session=$(awk '$6=="kpi_session"{print $7}' je)" "$B/")"

# ---- --public ----
PORT2=$(free_port)
mkdir -p tdir && cp "$EX/report.md" tdir/mine.md && printf '# {{period}}\n\n{{nosuch}}\n' > tdir/broken.md
"$KPI" serve --listen "127.0.0.1:$PORT2" --public --templates tdir 2>serve2.log &
SERVER2=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT2/login" && break; sleep 0.1; done
P="http://127.0.0.1:$PORT2"
check "--public: anonymous dashboard" "200" "$(req "$P/")"
check "--public: anonymous indicator page" "200" "$(req "$P/indicators/crime.all")"
check "--public: anonymous API compare" "200" "$(req "$P/api/v1/compare?period=2011/12%20Q2")"
check "--public: anonymous data entry still needs sign-in" "303" "$(req "$P/enter")"
check "--templates: the folder's templates are offered" "200" "$(req "$P/report")"
check_contains "--templates: mine is listed" '<option value="mine">mine</option>' "$(cat b.txt)"
check "--templates: preview" "200" "$(req "$P/report?template=mine&area=Chorley&period=2011/12%20Q2")"
check "--templates: download" "200" "$(req "$P/report/download?template=mine&area=Chorley&period=2011/12%20Q2&format=md")"
check_contains "--templates: the paper" "All Crime" "$(cat b.txt)"
check "--templates: a broken template says where" "400" "$(req "$P/report?template=broken&period=2011/12%20Q2")"
check_contains "--templates: the line of the error" "broken.md:3" "$(cat b.txt)"
check "--templates: no path as a name" "404" "$(req "$P/report?template=..%2Fout%2Fkpi")"
check "--public: anonymous POST without CSRF is 403" "403" "$(req -d 'v-crime.all=1' "$P/enter")"
check "--public: anonymous API POST is 401" "401" "$(post "" '{"indicator":"crime.all","period":"2011/12 Q3","value":1}' >/dev/null; req -H 'Content-Type: application/json' --data-binary '{}' "$P/api/v1/values")"

kill -TERM "$SERVER" "$SERVER2"
wait "$SERVER"; st1=$?
wait "$SERVER2"; st2=$?
check "server stops cleanly on SIGTERM" "0 0" "$st1 $st2"
if grep -q "Sanitizer\|runtime error\|leak" serve.log serve2.log; then
    not_ok "no sanitizer report from the server"; cat serve.log serve2.log | head -60
else
    ok "no sanitizer report from the server"
fi
finish
