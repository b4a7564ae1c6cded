# supervisor.sh — `kpi serve` stays up: its worker killed by SIGSEGV or
# SIGKILL is replaced within a second on the same socket, the supervisor's log
# names the request the dead worker was serving, workers dying in a loop are
# restarted more slowly, SIGTERM stops both processes (exit 0, no orphan).
# Then crash safety of the web's writes: a `POST /enter` of 200 figures in
# flight when the worker is killed (SIGKILL at a random moment, 20 trials)
# leaves the database whole (PRAGMA integrity_check on SQLite) holding all of
# the save or none of it, and a save the server answered is always all there.
. "$E2E_LIB"

printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# ASan would catch the SIGSEGV sent below, print a report and exit 1; let the
# signal kill the worker as it kills the release build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0"
export KPI_DB=kpi.db
DB=kpi.db
q() { db_query "$DB" "$1"; }
N=200      # figures one save writes (a form field and its version each: under the 512 fields a form may have)
TRIALS=20  # kills during a save
{
    echo "code,title,unit,polarity,aggregate,frequency"
    for i in $(seq -w 1 $N); do echo "k.$i,Count $i,count,lower,sum,month"; done
} >ind.csv
{ "$KPI" init --area Town && "$KPI" import indicators ind.csv && echo 'admin-pass-1' | "$KPI" user add alice --role admin; } \
    >/dev/null || { not_ok "set up"; finish; exit 1; }

PORT=$(free_port)
B="http://127.0.0.1:$PORT"
"$KPI" serve --listen "127.0.0.1:$PORT" --threads 2 2>serve.log &
SUP=$!
code() { curl -s -m 10 -o /dev/null -w '%{http_code}' "$@"; }
for _ in $(seq 1 100); do [ "$(code "$B/login")" = 200 ] && break; sleep 0.1; done
check "server starts" "200" "$(code "$B/login")"
# the worker the supervisor last started (it logs each one)
worker() { grep -o 'worker [0-9]* started' serve.log | tail -1 | cut -d' ' -f2; }
# wait_worker OLD: until a worker other than OLD has started (10 s at most)
wait_worker() {
    for _ in $(seq 1 100); do
        w=$(worker)
        [ -n "$w" ] && [ "$w" != "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
W=$(worker)
check "the supervisor logs its worker, a child process of its own" "$SUP" "$(ps -o ppid= -p "$W" 2>/dev/null | tr -d ' ')"

# ---- a worker killed is replaced within a second ----
for sig in SEGV KILL; do
    old=$(worker)
    kill -"$sig" "$old"
    sleep 1
    check "kill -$sig: the next request a second later is answered" "200" "$(code "$B/login")"
    check_contains "kill -$sig: the supervisor says how the worker died" \
        "worker $old was killed by signal $(kill -l "$sig")" "$(cat serve.log)"
    wait_worker "$old" && [ "$(worker)" != "$old" ] && kill -0 "$(worker)" 2>/dev/null &&
        ok "kill -$sig: a new worker runs" || not_ok "kill -$sig: a new worker runs"
done
check "the supervisor is still the same process" "0" "$(kill -0 "$SUP" 2>/dev/null; echo $?)"

# ---- the request in flight is named ----
head -c 300000 /dev/zero | tr '\0' a | sed 's/^/username=/' >slow.form
curl -s -m 30 --limit-rate 20k --data-binary @slow.form -o /dev/null "$B/login" &
SLOW=$!
sleep 1.5
old=$(worker)
kill -KILL "$old"
wait "$SLOW"
check_contains "the log names the request being served when the worker died" \
    "worker $old was killed by signal 9 (Killed) while serving: POST /login (reading the request)" "$(cat serve.log)"
wait_worker "$old"
check "and the site is still up" "200" "$(code "$B/login")"

# ---- a POST /enter in flight when the worker is killed ----
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | cut -d'"' -f4; }
curl -s -m 10 -c jar -b jar -o login.html "$B/login"
code -c jar -b jar --data-urlencode username=alice --data-urlencode password=admin-pass-1 \
    --data-urlencode "csrf=$(csrf_of login.html)" --data-urlencode next=/ "$B/login" >/dev/null
curl -s -m 30 -b jar -o enter.html "$B/enter?area=Town&period=2015-01"
C=$(csrf_of enter.html)
[ -n "$C" ] && ok "signed in, the entry form has its token" || not_ok "signed in, the entry form has its token"
# form MONTH BASE: the whole form for one month, every figure BASE + i
form() {
    printf 'csrf=%s&area=Town&period=%s' "$C" "$1"
    for i in $(seq -w 1 $N); do printf '&v-k.%s=%d&ver-k.%s=0' "$i" $(($2 + 10#$i)) "$i"; done
}
month_no() { echo $((2015 * 12 + $1 - 1)); } # first_month of 2015-MM... counted on
# stored M: "values|history rows|sum of values" for month number M
stored() {
    q "SELECT (SELECT COUNT(*) FROM vals WHERE first_month = $1) || '|' ||
              (SELECT COUNT(*) FROM value_history WHERE first_month = $1) || '|' ||
              (SELECT COALESCE(SUM(value), 0) FROM vals WHERE first_month = $1)"
}
sum_of() { echo $(( ($1 * N + N * (N + 1) / 2) * 1000000 )); } # the stored sum of form BASE (millionths)
# One save not killed: it is whole, and its time sets the range of the kills.
form 2015-01 1000 >f0.form
t0=$(curl -s -m 60 -b jar -o /dev/null -w '%{http_code} %{time_total}' --data-binary @f0.form "$B/enter")
check "a save of $N figures is answered" "303" "${t0% *}"
check "a save of $N figures is all stored" "$N|$N|$(sum_of 1000)" "$(stored "$(month_no 1)")"
ms=$(python3 -c "print(min(999, max(20, int(float('${t0#* }') * 1500))))") # up to 1.5 × the save's time
echo "# a save of $N figures took ${t0#* } s; kills fall 0 to $ms ms after the request is sent"
all=0 none=0 torn=0 lied=0 integ=0 t_start=$(date +%s)
for k in $(seq 1 $TRIALS); do
    # months 2016-01 onwards: counted as month numbers, one per trial
    y=$((2016 + (k - 1) / 12)) m=$(((k - 1) % 12 + 1))
    M=$((y * 12 + m - 1))
    base=$((k * 100000))
    t_trial=$(date +%s%N)
    form "$(printf '%d-%02d' $y $m)" $base >f.form
    old=$(worker)
    curl -s -m 60 -b jar -o /dev/null -w '%{http_code}' --data-binary @f.form "$B/enter" >answer.txt &
    CURL=$!
    sleep "$(printf '0.%03d' $((RANDOM % (ms + 1))))"
    kill -KILL "$old"
    wait "$CURL"
    answer=$(cat answer.txt)
    wait_worker "$old" || { not_ok "trial $k: a new worker starts"; break; }
    got=$(stored $M)
    case $got in
    "$N|$N|$(sum_of $base)") all=$((all + 1)) ;;
    "0|0|0") none=$((none + 1)) ;;
    *) torn=$((torn + 1)); echo "  trial $k: stored $got" ;;
    esac
    if [ "$answer" = 303 ] && [ "$got" != "$N|$N|$(sum_of $base)" ]; then
        lied=$((lied + 1)); echo "  trial $k: answered 303 but stored $got"
    fi
    if [ "${KPI_TEST_DB:-sqlite}" = sqlite ]; then
        r=$(sqlite3 -cmd ".timeout 5000" "$DB" "PRAGMA integrity_check")
        [ "$r" = ok ] || { integ=$((integ + 1)); echo "  trial $k: integrity_check: $r"; }
    fi
    # at most one kill a second: ten within ten seconds is a crash loop, which the supervisor slows down
    left=$((1250 - ($(date +%s%N) - t_trial) / 1000000))
    [ "$left" -gt 0 ] && sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
    [ $(($(date +%s) - t_start)) -gt 240 ] && { echo "# stopped after $k trials (4 minutes)"; break; }
done
running=$(grep -c 'while serving: POST /enter (running)' serve.log)
echo "# POST /enter killed $TRIALS times: all saved $all, none saved $none, torn $torn; $running kills landed while the save was running"
check "kills during a save: every save is whole or absent" "0" "$torn"
check "kills during a save: every save answered 303 is stored" "0" "$lied"
check "kills during a save: all $TRIALS trials ran" "$TRIALS" "$((all + none + torn))"
if [ "${KPI_TEST_DB:-sqlite}" = sqlite ]; then
    check "kills during a save: PRAGMA integrity_check is ok after every one" "0" "$integ"
else
    echo "# postgresql: no PRAGMA integrity_check; the values were read back instead"
fi
check "after the kills the site is up" "200" "$(code "$B/login")"

# ---- workers dying in a loop are restarted more slowly ----
for _ in $(seq 1 12); do
    old=$(worker)
    kill -KILL "$old" 2>/dev/null
    wait_worker "$old" || break
done
check_contains "a crash loop slows the restarts down" "workers keep dying" "$(cat serve.log)"
up=0
for _ in $(seq 1 100); do [ "$(code "$B/login")" = 200 ] && { up=1; break; }; sleep 0.1; done
check "after a crash loop the site comes back" "1" "$up"

# ---- SIGTERM stops both ----
W=$(worker)
kill -TERM "$SUP"
wait "$SUP"
check "SIGTERM: the supervisor exits 0" "0" "$?"
sleep 0.2
check "SIGTERM: no worker left behind" "1" "$(kill -0 "$W" 2>/dev/null; echo $?)"
if grep -v 'handle_segv' serve.log | grep -q "Sanitizer\|runtime error\|leak"; then
    not_ok "no sanitizer report from the server"; grep -v '^    #' serve.log | head -40
else
    ok "no sanitizer report from the server"
fi

# ---- a supervisor killed takes its worker with it ----
PORT3=$(free_port)
"$KPI" serve --listen "127.0.0.1:$PORT3" 2>serve3.log &
SUP3=$!
for _ in $(seq 1 100); do [ "$(code "http://127.0.0.1:$PORT3/login")" = 200 ] && break; sleep 0.1; done
W3=$(grep -o 'worker [0-9]* started' serve3.log | tail -1 | cut -d' ' -f2)
kill -KILL "$SUP3"
wait "$SUP3" 2>/dev/null
gone=0
for _ in $(seq 1 50); do
    case $(ps -o stat= -p "$W3" 2>/dev/null) in "" | Z*) gone=1; break ;; esac
    sleep 0.1
done
check "SIGKILL to the supervisor: its worker stops too" "1" "$gone"

# ---- --no-supervise: one process, as before ----
PORT2=$(free_port)
"$KPI" serve --listen "127.0.0.1:$PORT2" --no-supervise 2>serve2.log &
ONE=$!
for _ in $(seq 1 100); do [ "$(code "http://127.0.0.1:$PORT2/login")" = 200 ] && break; sleep 0.1; done
check "--no-supervise serves" "200" "$(code "http://127.0.0.1:$PORT2/login")"
check "--no-supervise: no worker process" "" "$(pgrep -P "$ONE")"
kill -TERM "$ONE"
wait "$ONE"
check "--no-supervise: SIGTERM stops it, exit 0" "0" "$?"
refuse "--threads 0 is refused" 2 "--threads must be a number from 1 to 256" "$KPI" serve --threads 0
# A port held by another program: it binds a free port of its own choosing
# and says which; kpi serve must refuse it (and is stopped after 20 s if not).
python3 -c "import socket,sys,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); print(s.getsockname()[1]); sys.stdout.flush(); time.sleep(30)" > held.port &
HOLD=$!
for _ in $(seq 1 50); do [ -s held.port ] && break; sleep 0.1; done
HELD=$(cat held.port)
refuse "a port in use is refused" 1 "cannot listen on 127.0.0.1:$HELD: Address already in use" \
    timeout 20 "$KPI" serve --listen "127.0.0.1:$HELD"
kill "$HOLD" 2>/dev/null
finish
