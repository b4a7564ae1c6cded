# serve_shared.sh — two `kpi serve` processes on one database (docs/benchmark.md): each
# caches the dashboard per data version, so a change made through one server,
# or by a command, is on the other's dashboard at once — on SQLite through the
# connection's data version, on PostgreSQL through LISTEN/NOTIFY.
. "$E2E_LIB"

printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
EX="$ROOT/examples/chorley-2011-q2"
export KPI_DB=kpi.db
"$KPI" init --area Chorley >/dev/null &&
    "$KPI" import indicators "$EX/indicators.csv" >/dev/null && "$KPI" import targets "$EX/targets.csv" >/dev/null &&
    "$KPI" import values "$EX/values.csv" >/dev/null || { not_ok "the worked example loads"; finish; exit 1; }
echo 'police-pass-1' | "$KPI" user add ed --role editor --partner 'Lancashire Constabulary' >/dev/null
T_ED=$("$KPI" token add ed | tail -1)

PA=$(free_port)
PB=$(free_port)
"$KPI" serve --listen "127.0.0.1:$PA" --public 2>serve-a.log &
SA=$!
"$KPI" serve --listen "127.0.0.1:$PB" --public 2>serve-b.log &
SB=$!
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PA/login" && curl -s -o /dev/null "http://127.0.0.1:$PB/login" && break
    sleep 0.1
done
A="http://127.0.0.1:$PA"
B="http://127.0.0.1:$PB"
PAGE="/?area=Chorley&period=2011/12%20Q2"
# the All Crime figure of the period on a dashboard: its row's first number
allcrime() {
    curl -s "$1$PAGE" | grep -o '>All Crime</a><span class="app-sub">[^<]*</span></th><td [^>]*>[0-9]*<' | head -1 | sed 's/.*>\([0-9]*\)<$/\1/'
}

check "server A shows All Crime" "1455" "$(allcrime "$A")"
check "server B shows All Crime (and caches the page)" "1455" "$(allcrime "$B")"
check "server B again, from its cache" "1455" "$(allcrime "$B")"
check "an edit through server A" "201" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $T_ED" \
    -H 'Content-Type: application/json' \
    --data-binary '{"indicator":"crime.all","area":"Chorley","period":"2011/12 Q2","value":1777}' "$A/api/v1/values")"
check "server B shows it at once" "1777" "$(allcrime "$B")"
check "server A shows it" "1777" "$(allcrime "$A")"
printf 'indicator,area,period,value\ncrime.all,Chorley,2011/12 Q2,1888\n' > change.csv
run_ok "a change by a command (a third process)" "$KPI" import values change.csv
check "server B shows the command's change at once" "1888" "$(allcrime "$B")"
check "server A shows the command's change at once" "1888" "$(allcrime "$A")"
# many times in a row: an edit through one, read through the other at once
same=0
for v in 1501 1502 1503 1504 1505 1506 1507 1508 1509 1510; do
    curl -s -o /dev/null -H "Authorization: Bearer $T_ED" -H 'Content-Type: application/json' \
        --data-binary "{\"indicator\":\"crime.all\",\"area\":\"Chorley\",\"period\":\"2011/12 Q2\",\"value\":$v}" "$A/api/v1/values"
    [ "$(allcrime "$B")" = "$v" ] && same=$((same + 1))
done
check "ten edits through A, each seen at once through B" "10" "$same"

kill -TERM "$SA" "$SB"
wait "$SA"; st1=$?
wait "$SB"; st2=$?
check "both servers stop cleanly" "0 0" "$st1 $st2"
if grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error' serve-a.log serve-b.log; then
    not_ok "no sanitizer report"; cat serve-a.log serve-b.log
else
    ok "no sanitizer report"
fi
finish
