# http_abuse.sh — `kpi serve` under hostile traffic, on loopback only, every
# loop bounded in count and time (the whole script takes about 45 s):
# malformed percent-encoding, oversized headers and bodies, path traversal in
# /assets/, multipart parts without names, bodies without their closing
# boundary and uploads cut off half way (refused, never imported), 600 idle
# connections from one address (a client from another address is still
# served), 200 slow clients sending a header byte a second (others still
# served), and a write that cannot get the database lock (503 with
# Retry-After; the CLI says the database is busy). After each, the server is
# still up; every answer of ours carries the security headers.
. "$E2E_LIB"

printf 'leak:libfontconfig\n' > lsan.supp
export LSAN_OPTIONS="suppressions=$PWD/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
EX="$ROOT/examples/chorley-2011-q2"
mkdir -p out
export KPI_DB=out/kpi.db
DB=out/kpi.db
"$KPI" init --area Chorley >/dev/null && "$KPI" import indicators "$EX/indicators.csv" >/dev/null &&
    "$KPI" import values "$EX/values.csv" >/dev/null || { not_ok "the worked example loads"; finish; exit 1; }
echo 'admin-pass-1' | "$KPI" user add alice --role admin >/dev/null || not_ok "user add"
TOKEN=$("$KPI" token add alice | tail -1)

PORT=$(free_port)
B="http://127.0.0.1:$PORT"
"$KPI" serve --listen "127.0.0.1:$PORT" 2>serve.log &
SERVER=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
curl -s -o /dev/null "$B/login" && ok "server starts" || { not_ok "server starts"; cat serve.log; finish; exit 1; }

req() { curl -s -m 20 -D h.txt -o b.txt -w '%{http_code}' "$@"; }
hdr() { grep -i "^$1:" h.txt | head -1 | cut -d' ' -f2- | tr -d '\r'; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' b.txt | head -1 | cut -d'"' -f4; }
# alive NAME: the server still answers a plain request, and has not died
alive() {
    if kill -0 "$SERVER" 2>/dev/null && [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$B/login")" = 200 ]; then
        ok "server still up after $1"
    else
        not_ok "server still up after $1"; tail -20 serve.log
    fi
}
# headers NAME: the last response (h.txt) carries the security headers
headers() {
    local csp nosniff frame
    csp=$(hdr Content-Security-Policy); nosniff=$(hdr X-Content-Type-Options); frame=$(hdr X-Frame-Options)
    case "$csp|$nosniff|$frame" in
    *"default-src 'none'"*"|nosniff|DENY") ok "security headers on $1" ;;
    *) not_ok "security headers on $1"; cat h.txt ;;
    esac
}
state() { db_state "$DB"; }

# Signed in as the admin, with the CSRF token of the admin page.
req -c ja -b ja "$B/login" >/dev/null
req -c ja -b ja --data-urlencode username=alice --data-urlencode password=admin-pass-1 \
    --data-urlencode "csrf=$(csrf_of)" --data-urlencode next=/ "$B/login" >/dev/null
check "admin signs in" "200" "$(req -b ja "$B/admin")"
CSRF=$(csrf_of)
SID=$(awk '$6=="kpi_session"{print $7}' ja)

# A small raw-HTTP client for what curl will not send (python3 sockets; every
# wait has a timeout).
cat > abuse.py <<'EOF'
import socket, sys, time

def request(port, data, src="127.0.0.1", timeout=5.0):
    """Send data, read the answer until the server closes; (status, elapsed s, headers text)."""
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(timeout)
    try:
        s.bind((src, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(data)
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except OSError as e:
        return ("closed", time.monotonic() - t0, str(e))
    finally:
        s.close()
    head = got.split(b"\r\n\r\n")[0].decode("latin-1")
    status = head.split(" ")[1] if head.startswith("HTTP/") else "closed"
    return (status, time.monotonic() - t0, head)

GET = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

def idle(port, n):
    """n idle connections from 127.0.0.3, then one request from 127.0.0.2 and
    one more from 127.0.0.3 (over its address's limit: closed)."""
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.bind(("127.0.0.3", 0))
            s.connect(("127.0.0.1", port))
            socks.append(s)
        except OSError:
            s.close()
    time.sleep(1)
    status, took, _ = request(port, GET, src="127.0.0.2")
    own, _, _ = request(port, GET, src="127.0.0.3")
    print(len(socks), status, "%.1f" % took, own)
    for s in socks:
        s.close()

def slow(port, n, seconds):
    """n clients (from 127.0.0.4) sending a header byte a second for `seconds`;
    meanwhile a normal request (from 127.0.0.1) every second. Prints: the
    clients connected, answered/asked and the slowest answer."""
    line = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.bind(("127.0.0.4", 0))
            s.connect(("127.0.0.1", port))
            s.setblocking(False)
            socks.append(s)
        except OSError:
            s.close()
    asked = answered = 0
    worst = 0.0
    t_end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < t_end:
        for s in socks:
            try:
                s.send(line[i:i + 1])
            except OSError:
                pass
        i += 1
        status, took, _ = request(port, GET, timeout=5)
        asked += 1
        answered += status == "200"
        worst = max(worst, took)
        time.sleep(max(0.0, 1.0 - took))
    print(len(socks), "%d/%d" % (answered, asked), "%.2f" % worst)
    for s in socks:
        s.close()

def cut(port, cookie, body_file):
    """POST body_file to /admin/upload announcing its full length, send half, hang up."""
    body = open(body_file, "rb").read()
    head = ("POST /admin/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: kpi_session=%s\r\n"
            "Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: %d\r\n\r\n"
            % (cookie, len(body))).encode()
    s = socket.socket()
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    s.sendall(head + body[: len(body) // 2])
    time.sleep(0.5)
    s.close()
    print("sent", len(body) // 2, "of", len(body))

def raw(port, path):
    status, took, head = request(port, open(path, "rb").read())
    print(status)
    sys.stderr.write(head + "\n")

cmd = sys.argv[1]
port = int(sys.argv[2])
if cmd == "idle":
    idle(port, int(sys.argv[3]))
elif cmd == "slow":
    slow(port, int(sys.argv[3]), float(sys.argv[4]))
elif cmd == "cut":
    cut(port, sys.argv[3], sys.argv[4])
elif cmd == "raw":
    raw(port, sys.argv[3])
EOF

# ---- malformed percent-encoding ----
check "query with a broken %-escape is 400" "400" "$(req "$B/login?next=%zz")"
check_contains "400 says what is wrong" "not followed by two hexadecimal digits" "$(cat b.txt)"
headers "a 400 for a broken query"
check "query ending in a lone % is 400" "400" "$(req -b ja "$B/?area=Chorley%")"
s0=$(state)
check "form with a broken %-escape is 400" "400" "$(req -b ja -d "csrf=$CSRF&partner-name=A%2" "$B/admin/partners")"
check "the broken form stored nothing" "$s0" "$(state)"
alive "malformed percent-encoding"

# ---- path traversal in /assets/ ----
for u in "/assets/../out/kpi.db" "/assets/%2e%2e/%2e%2e/etc/passwd" "/assets/..%2f..%2fetc%2fpasswd" \
    "/assets/app.css/../../out/kpi.db" "/assets//etc/passwd"; do
    st=$(req --path-as-is -b ja "$B$u")
    case "$st" in 4??) ok "traversal $u is $st" ;; *) not_ok "traversal $u is $st" ;; esac
    if grep -q "SQLite format\|root:" b.txt; then not_ok "traversal $u leaks a file"; else ok "traversal $u leaks nothing"; fi
done
headers "a 404"
alive "path traversal"

# ---- oversized headers and bodies ----
big=$(head -c 40000 /dev/zero | tr '\0' a)
st=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$B/login")
case "$st" in 4??|000) ok "a 40 KB header is refused ($st)" ;; *) not_ok "a 40 KB header is refused ($st)" ;; esac
st=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Cookie: $(seq -s '; ' -f 'c%g=1' 1 600)" "$B/login")
case "$st" in 4??|000) ok "600 cookies are refused ($st)" ;; *) not_ok "600 cookies are refused ($st)" ;; esac
head -c 2000000 /dev/zero | tr '\0' a > big.form
check "a 2 MB form is 413" "413" "$(req -b ja --data-binary @big.form "$B/admin/partners")"
headers "a 413"
check "a 2 MB chunked form is 413" "413" "$(req -b ja -H 'Transfer-Encoding: chunked' --data-binary @big.form "$B/admin/partners")"
check "Content-Length over the limit is 413 before the body" "413" \
    "$(req -H 'Content-Length: 50000000' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'x=1' "$B/login")"
(printf 'csrf=%s' "$CSRF"; for i in $(seq 1 600); do printf '&f%d=1' "$i"; done) > many.form
check "a form of 600 fields is 413" "413" "$(req -b ja --data-binary @many.form "$B/admin/partners")"
head -c 3000000 /dev/zero | tr '\0' a > big.csv
check "an anonymous 3 MB upload is 413 (the 10 MiB limit is for the signed in)" "413" \
    "$(req -F kind=values -F "file=@big.csv" "$B/admin/upload")"
alive "oversized headers and bodies"

# ---- requests libmicrohttpd refuses itself, and bad methods ----
printf 'GARBAGE\r\n\r\n' > garbage.req
st=$(python3 abuse.py raw "$PORT" garbage.req 2>/dev/null)
case "$st" in 4??|closed) ok "a garbage request line is refused ($st)" ;; *) not_ok "a garbage request line is refused ($st)" ;; esac
printf 'GET /login?%s HTTP/1.1\r\nHost: x\r\n\r\n' "$(head -c 40000 /dev/zero | tr '\0' a)" > longuri.req
st=$(python3 abuse.py raw "$PORT" longuri.req 2>/dev/null)
case "$st" in 4??|closed) ok "a 40 KB request line is refused ($st)" ;; *) not_ok "a 40 KB request line is refused ($st)" ;; esac
check "DELETE is 405" "405" "$(req -X DELETE -b ja "$B/login")"
headers "a 405"
alive "malformed requests"

# ---- multipart: no name, no closing boundary, cut off ----
mp() { # mp NAME BODYFILE [curl args]: POST BODYFILE as multipart with boundary XyZ
    local f=$1; shift
    req -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary "@$f" "$@"
}
printf -- '--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--\r\n' > noname.body
check "a part without a name on /login is 400 (was a crash)" "400" "$(mp noname.body "$B/login")"
check_contains "no name: says so" "has no name" "$(cat b.txt)"
headers "a 400 for a part without a name"
alive "a part without a name"
printf 'indicator,area,period,value\ncrime.all,Chorley,2011/12 Q4,777\n' > up.csv
part() { # part NAME VALUE: one multipart part
    printf -- '--XyZ\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' "$1" "$2"
}
upload_parts() {
    part csrf "$CSRF"; part kind values
    printf -- '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="up.csv"\r\nContent-Type: text/csv\r\n\r\n'
    cat up.csv
}
{ upload_parts; printf -- '\r\n--XyZ--\r\n'; } > good.body
{ upload_parts; printf -- '\r\n--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--\r\n'; } > noname-upload.body
upload_parts > unclosed.body
{ upload_parts; printf -- '\r\n--XyZ'; } > unclosed2.body
s0=$(state)
check "an upload with a part without a name is 400" "400" "$(mp noname-upload.body -b ja "$B/admin/upload")"
check "an upload without its closing boundary is 400" "400" "$(mp unclosed.body -b ja "$B/admin/upload")"
check_contains "no closing boundary: says so" "closing boundary" "$(cat b.txt)"
check "an upload ending on a bare boundary is 400" "400" "$(mp unclosed2.body -b ja "$B/admin/upload")"
python3 abuse.py cut "$PORT" "$SID" good.body >/dev/null 2>cut.err || { not_ok "cut-off upload sent"; cat cut.err; }
sleep 0.5
check "refused and cut-off uploads imported nothing" "$s0" "$(state)"
check "no value 777 stored" "0" "$(db_query "$DB" "SELECT COUNT(*) FROM vals WHERE value = 777000000")"
check "the same upload, whole, is accepted" "303" "$(mp good.body -b ja "$B/admin/upload")"
check "... and stored" "1" "$(db_query "$DB" "SELECT COUNT(*) FROM vals WHERE value = 777000000")"
alive "broken multipart bodies"

# ---- 600 idle connections from one address ----
# The crowds come from addresses of their own (127.0.0.3, 127.0.0.4), so that
# what follows, from 127.0.0.1, does not depend on how soon libmicrohttpd
# notices that a crowd has gone.
read -r nidle st took own < <(python3 abuse.py idle "$PORT" 600)
check "600 idle connections opened" "600" "$nidle"
check "with 600 idle connections from 127.0.0.3, 127.0.0.2 is served" "200" "$st"
if python3 -c "import sys; sys.exit(0 if float('$took') < 3 else 1)"; then
    ok "... within 3 s ($took s)"
else
    not_ok "... within 3 s ($took s)"
fi
check "... while one more from 127.0.0.3 is refused (per-address limit)" "closed" "$own"
alive "600 idle connections"

# ---- 200 slow clients ----
read -r nslow answered worst < <(python3 abuse.py slow "$PORT" 200 8)
check "200 slow clients connected" "200" "$nslow"
check "others are served meanwhile (answered/asked)" "${answered#*/}/${answered#*/}" "$answered"
if python3 -c "import sys; sys.exit(0 if float('$worst') < 2 else 1)"; then
    ok "... each within 2 s (slowest $worst s)"
else
    not_ok "... each within 2 s (slowest $worst s)"
fi
alive "200 slow clients"

# ---- a write that cannot get the lock: 503, and the CLI says busy ----
if [ "${KPI_TEST_DB:-sqlite}" = postgresql ]; then
    url=$("$(dirname "$E2E_LIB")/pg-db" "$DB")
    printf 'BEGIN;\nSELECT pg_advisory_xact_lock(7040105);\n\\! touch locked\nSELECT pg_sleep(28);\nCOMMIT;\n' |
        psql -X -q "$url" >/dev/null 2>holder.err &
else
    python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
time.sleep(28)
c.execute("ROLLBACK")' "$DB" 2>holder.err &
fi
HOLDER=$!
for _ in $(seq 1 50); do [ -e locked ] && break; sleep 0.1; done
[ -e locked ] && ok "another writer holds the lock" || { not_ok "another writer holds the lock"; cat holder.err; }
s0=$(state)
printf 'indicator,area,period,value\ncrime.all,Chorley,2011/12 Q4,888\n' > busy.csv
("$KPI" import values busy.csv >cli.out 2>cli.err; echo $? >cli.status) &
CLI=$!
st=$(req -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary '{"indicator":"crime.all","area":"Chorley","period":"2011/12 Q3","value":999}' "$B/api/v1/values")
check "an API write that cannot get the lock is 503" "503" "$st"
check "503 says when to retry" "5" "$(hdr Retry-After)"
check_contains "503 says the database is busy" "busy" "$(cat b.txt)"
headers "a 503"
wait "$CLI"
# One at a time: a request waiting for the lock holds up its server thread.
curl -s -m 20 -D form.h -o form.b -w '%{http_code}' -b ja --data-urlencode "csrf=$CSRF" \
    --data-urlencode 'partner-name=Busy Partner' "$B/admin/partners" >form.status
check "a form POST that cannot get the lock is 503" "503" "$(cat form.status)"
check "... with Retry-After" "Retry-After: 5" "$(grep -i '^Retry-After:' form.h | tr -d '\r')"
check_contains "... and a page that says so" "The database is busy with another import" "$(cat form.b)"
check "the CLI import exits 1 when the database is busy" "1" "$(cat cli.status)"
check "the CLI says the database is busy" "kpi: the database is busy with another import; try again in a moment" \
    "$(cat cli.err)"
wait "$HOLDER"
check "the busy writes stored nothing" "$s0" "$(state)"
check "the API write goes through once the lock is free" "201" "$(req -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    --data-binary '{"indicator":"crime.all","area":"Chorley","period":"2011/12 Q3","value":999}' "$B/api/v1/values")"
alive "a busy database"

kill -TERM "$SERVER"
wait "$SERVER"
check "server stops cleanly on SIGTERM" "0" "$?"
if grep -q "Sanitizer\|runtime error\|leak" serve.log; then
    not_ok "no sanitizer report from the server"; head -60 serve.log
else
    ok "no sanitizer report from the server"
fi
finish
