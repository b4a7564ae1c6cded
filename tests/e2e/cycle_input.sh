# cycle_input.sh — odd input for opening a collection round, generated and
# hand-picked: `kpi round open` (--due, --opens, --remind, --exceptions) and
# the web's POST /rounds (missing, repeated, over-long, malformed and NUL-laden
# fields, a wrong CSRF token). Every one is refused: exit 2 with a message
# naming the option, or a 4xx page naming the field; never a 5xx, a crash or a
# sanitizer report, and no round is stored. The random inputs come from a
# fixed seed (CYCLE_INPUT_SEED, 20111020 unless set), so a failure repeats; a
# reference of the documented rules (cycle.h) keeps only inputs it says must
# be refused, and says how many it left out.
. "$E2E_LIB"

cat >areas.csv <<'EOF'
area
Chorley
EOF
cat >indicators.csv <<'EOF'
code,title,unit,polarity,frequency,partner
crime.all,All Crime,count,lower,quarter,Police
EOF
run_ok "init" "$KPI" init --area Chorley
run_ok "import areas" "$KPI" import areas areas.csv
run_ok "import indicators" "$KPI" import indicators indicators.csv
echo "a long password 1" | "$KPI" user add olive --role officer >/dev/null || not_ok "user add olive"
echo "a long password 1" | "$KPI" user add pat --role editor --partner Police >/dev/null || not_ok "user add pat"

P="2011/12 Q2"
rounds() { db_query kpi.db "SELECT COUNT(*) FROM rounds"; }
cycle_rows() { # what a round opened on the web would change (sessions change with every request)
    for t in "rounds ORDER BY id" "round_returns ORDER BY round_id, partner_id" "audit_log ORDER BY id"; do
        db_query kpi.db "SELECT * FROM $t"
    done | md5sum
}
check "no round yet" 0 "$(rounds)"

# ---- the command line, hand-picked ----
long=$(printf '2011-10-20%.0s' $(seq 1 10000))  # 100 000 characters
many=$(seq -s, -16 0)                            # 17 offsets
refuse "--due empty" 2 "--due '' is not a date" "$KPI" round open "$P" --due=
refuse "--due 2011-02-30" 2 "--due '2011-02-30' is not a date" "$KPI" round open "$P" --due 2011-02-30
refuse "--due 2011-02-29 (not a leap year)" 2 "--due '2011-02-29' is not a date" "$KPI" round open "$P" --due 2011-02-29
refuse "--due 1900-02-29 (not a leap year either)" 2 "--due '1900-02-29' is not a date" "$KPI" round open "$P" --due 1900-02-29
refuse "--due with a leading space" 2 "--due ' 2011-10-20' is not a date" "$KPI" round open "$P" "--due= 2011-10-20"
refuse "--due with a trailing space" 2 "--due '2011-10-20 ' is not a date" "$KPI" round open "$P" "--due=2011-10-20 "
refuse "--due with a trailing newline" 2 "is not a date" "$KPI" round open "$P" "--due=2011-10-20
"
refuse "--due in Arabic-Indic digits" 2 "--due '٢٠١١-١٠-٢٠' is not a date" "$KPI" round open "$P" --due ٢٠١١-١٠-٢٠
refuse "--due with a Unicode minus" 2 "--due '2011−10−20' is not a date" "$KPI" round open "$P" --due 2011−10−20
refuse "--due before 1900" 2 "--due '1899-12-31' is not a date" "$KPI" round open "$P" --due 1899-12-31
refuse "--due with a huge year" 2 "is not a date" "$KPI" round open "$P" --due 99999999999-10-20
refuse "--due month 13" 2 "--due '2011-13-01' is not a date" "$KPI" round open "$P" --due 2011-13-01
refuse "--due day 00" 2 "--due '2011-10-00' is not a date" "$KPI" round open "$P" --due 2011-10-00
refuse "--due with signs" 2 "--due '\+011-10-20' is not a date" "$KPI" round open "$P" --due +011-10-20
refuse "--due in another order" 2 "--due '20/10/2011' is not a date" "$KPI" round open "$P" --due 20/10/2011
refuse "--due 100 000 characters long: quoted cut short" 2 "^kpi: --due '(2011-10-20){8}\.\.\.' is not a date" "$KPI" round open "$P" "--due=$long"
refuse "--due given twice" 2 "option --due given twice" "$KPI" round open "$P" --due 2011-10-20 --due 2011-10-21
refuse "--opens 2011-02-30" 2 "--opens '2011-02-30' is not a date" "$KPI" round open "$P" --due 2011-10-20 --opens 2011-02-30
refuse "--opens empty" 2 "--opens '' is not a date" "$KPI" round open "$P" --due 2011-10-20 --opens=
refuse "--opens after the due date" 2 "--opens 2011-10-21 is after the due date 2011-10-20" \
    "$KPI" round open "$P" --due 2011-10-20 --opens 2011-10-21
refuse "--opens with a trailing space" 2 "--opens '2011-10-01 ' is not a date" "$KPI" round open "$P" --due 2011-10-20 "--opens=2011-10-01 "
refuse "--remind empty" 2 "--remind '': give at least one offset" "$KPI" round open "$P" --due 2011-10-20 --remind=
refuse "--remind a huge number" 2 "--remind '99999999999999999999999': an offset is at most 366 days" \
    "$KPI" round open "$P" --due 2011-10-20 --remind=99999999999999999999999
refuse "--remind a huge negative number" 2 "at most 366 days" "$KPI" round open "$P" --due 2011-10-20 --remind=-99999999999999999999999
refuse "--remind 367" 2 "at most 366 days" "$KPI" round open "$P" --due 2011-10-20 --remind=367
refuse "--remind -367" 2 "at most 366 days" "$KPI" round open "$P" --due 2011-10-20 --remind=-367
refuse "--remind 17 offsets" 2 "at most 16 offsets" "$KPI" round open "$P" --due 2011-10-20 "--remind=$many"
refuse "--remind a repeated offset" 2 "an offset is given twice" "$KPI" round open "$P" --due 2011-10-20 --remind=-7,0,-7
refuse "--remind 0 and negative zero" 2 "an offset is given twice" "$KPI" round open "$P" --due 2011-10-20 --remind=0,-0
refuse "--remind +3 and 3" 2 "an offset is given twice" "$KPI" round open "$P" --due 2011-10-20 --remind=+3,3
refuse "--remind a trailing comma" 2 "--remind '-7,0,': offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=-7,0,
refuse "--remind a leading comma" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=,3
refuse "--remind two commas" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=1,,3
refuse "--remind a bare sign" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=-
refuse "--remind a sign then a space" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 "--remind=- 7"
refuse "--remind a fraction" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=1.5
refuse "--remind hex" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=0x10
refuse "--remind an exponent" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=1e2
refuse "--remind a tab" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 "--remind=	3"
refuse "--remind numbers without commas" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 "--remind=3 4"
refuse "--remind Arabic-Indic digits" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=٣
refuse "--remind a Unicode minus" 2 "offsets are whole numbers" "$KPI" round open "$P" --due 2011-10-20 --remind=−7
refuse "--remind 100 000 characters: quoted cut short" 2 "^kpi: --remind '(2011-10-20){8}\.\.\.': an offset is at most 366 days" \
    "$KPI" round open "$P" --due 2011-10-20 "--remind=$long"
refuse "--exceptions green" 2 "--exceptions 'green': say red .* or amber" "$KPI" round open "$P" --due 2011-10-20 --exceptions green
refuse "--exceptions empty" 2 "--exceptions '': say red" "$KPI" round open "$P" --due 2011-10-20 --exceptions=
refuse "--exceptions Red" 2 "--exceptions 'Red': say red" "$KPI" round open "$P" --due 2011-10-20 --exceptions Red
refuse "--exceptions with a space" 2 "--exceptions 'red ': say red" "$KPI" round open "$P" --due 2011-10-20 "--exceptions=red "
refuse "--exceptions 100 000 characters: quoted cut short" 2 "^kpi: --exceptions '(2011-10-20){8}\.\.\.': say red" \
    "$KPI" round open "$P" --due 2011-10-20 "--exceptions=$long"
check "no round after the hand-picked refusals" 0 "$(rounds)"

# ---- the random inputs, shared by the command line and the web ----
# gen.py KIND N: N random values for KIND (due, opens, remind, exceptions) that
# the documented rules refuse, NUL-separated, from the fixed seed; the count of
# generated values the rules accept (left out) on standard error.
cat >gen.py <<'EOF'
import datetime, random, re, sys
kind, n, web = sys.argv[1], int(sys.argv[2]), len(sys.argv) > 3
rng = random.Random(int(sys.argv[4] if len(sys.argv) > 4 else 20111020) * 7 + len(kind))
DUE = datetime.date(2011, 10, 20)

def real_date(s):
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
        return None
    try:
        d = datetime.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    except ValueError:
        return None
    return d if d.year >= 1900 else None

def valid(s):  # cycle.h's rules, as `kpi round open` applies them (with --due 2011-10-20)
    if web and s == "" and kind != "due":
        return True  # the web form's blank opens/remind/exceptions mean the default
    if kind == "due":
        return real_date(s) is not None
    if kind == "opens":
        d = real_date(s)
        return d is not None and d <= DUE
    if kind == "exceptions":
        return s in ("red", "amber")
    items = s.split(",")
    if not 1 <= len(items) <= 16 or not all(re.fullmatch(r" *[+-]?[0-9]+ *", i) for i in items):
        return False
    v = [int(i) for i in items]
    return all(-366 <= x <= 366 for x in v) and len(set(v)) == len(v)

ODD = ["", " ", "-", "+", ",", "-0", "+0", "0", "00", "٣", "−", "é", "\u200b", "\t", "\n", "'", '"', "%", "&", "=",
       "\\", "\x7f", "\x01", "🙂", "2011", "-10", "-20", "99999999999999999999", "-2147483649", "2147483648", "366",
       "-366", "367", "-367", "1e3", "0x1f", "1.5", "red", "amber", "Red", "AMBER", "NaN", "inf"]

def base():
    k = rng.randrange(4)
    if kind in ("due", "opens") and k < 2:
        y, m, d = rng.randint(1890, 2030), rng.randint(0, 13), rng.randint(0, 32)
        return "%04d-%02d-%02d" % (y, m, d)
    if kind == "remind" and k < 2:
        return ",".join(str(rng.randint(-400, 400)) for _ in range(rng.randint(1, 20)))
    if kind == "exceptions" and k < 2:
        return rng.choice(["red", "amber"])
    return "".join(rng.choice(ODD) for _ in range(rng.randint(0, 6)))

def mutate(s):
    for _ in range(rng.randint(0, 3)):
        op, i = rng.randrange(6), rng.randint(0, len(s))
        if op == 0: s = s[:i] + rng.choice(ODD) + s[i:]
        elif op == 1: s = s[:i] + s[i + 1:]
        elif op == 2: s = " " + s if rng.random() < 0.5 else s + " "
        elif op == 3: s = s + "," + s
        elif op == 4: s = s * rng.randint(2, 50)
        else: s = s[:i] + chr(rng.randint(0x21, 0x7e)) + s[i:]
    return s

out, left = [], 0
while len(out) < n:
    s = mutate(base()).replace("\0", "")
    if valid(s):
        left += 1
        continue
    out.append(s)
sys.stdout.write("".join(s + "\0" for s in out))
print(left, file=sys.stderr)
EOF

NCLI=${CYCLE_INPUT_CLI:-60}  # per option: 240 runs of kpi in all
before=$(db_state kpi.db)
for kind in due opens remind exceptions; do
    python3 gen.py "$kind" "$NCLI" >"cli-$kind.in" 2>"cli-$kind.left" || not_ok "gen.py $kind"
    n=0 bad=0
    while IFS= read -r -d '' v; do
        n=$((n + 1))
        if [ "$kind" = due ]; then
            err=$("$KPI" round open "$P" "--due=$v" 2>&1 >/dev/null); st=$?
        else
            err=$("$KPI" round open "$P" --due=2011-10-20 "--$kind=$v" 2>&1 >/dev/null); st=$?
        fi
        if [ "$st" -ne 2 ] || ! printf '%s' "$err" | grep -q -- "^kpi: --$kind" ||
            printf '%s' "$err" | grep -q 'Sanitizer\|runtime error'; then
            bad=$((bad + 1))
            [ "$bad" -le 5 ] && printf '  --%s=%q: exit %s: %.300s\n' "$kind" "$v" "$st" "$err"
        fi
    done <"cli-$kind.in"
    check "kpi round open: $NCLI random --$kind values refused with exit 2 naming --$kind (bad: $bad)" "$NCLI 0" "$n $bad"
    echo "# --$kind: $(cat "cli-$kind.left") generated values the rules accept were left out"
done
check "the database is unchanged by the random refusals" "$before" "$(db_state kpi.db)"

# ---- the web ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KPI" serve --listen "127.0.0.1:$PORT" --no-supervise 2>serve.log &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.1; done
NWEB=${CYCLE_INPUT_WEB:-60}  # per field
for kind in due opens remind exceptions; do
    python3 gen.py "$kind" "$NWEB" web >"web-$kind.in" 2>"web-$kind.left" || not_ok "gen.py $kind web"
done
before=$(cycle_rows)
# web.py: sign in as the officer (and the editor), post every case, print one
# "ok"/"not ok" line per group of cases; each case wants a status and a
# pattern the page must hold (the field it names).
cat >web.py <<'EOF'
import http.client, re, socket, sys, urllib.parse
port, nweb = int(sys.argv[1]), int(sys.argv[2])
fails = 0

def request(method, path, body=None, cookie=None, ctype="application/x-www-form-urlencoded"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {}
    if cookie: h["Cookie"] = cookie
    if body is not None: h["Content-Type"] = ctype
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    page = r.read().decode("utf-8", "replace")
    cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
    c.close()
    return r.status, page, cookies

def raw_post(body, cookie):
    """POST /rounds on a bare socket: the server may answer (413) and close before the whole body is sent."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = ("POST /rounds HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded"
            "\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % (cookie, len(body)))
    try:
        s.sendall(head.encode() + body.encode())
    except OSError:
        pass
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
    except OSError:
        pass
    s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(m.group(1)) if m else 0), data.decode("utf-8", "replace"), []

def csrf(page):
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    return m.group(1) if m else ""

def login(user):
    st, page, ck = request("GET", "/login")
    jar = "; ".join(ck)
    body = urllib.parse.urlencode({"username": user, "password": "a long password 1", "csrf": csrf(page), "next": "/"})
    st, page, ck2 = request("POST", "/login", body, jar)
    return "; ".join(ck2 or ck)

olive, pat = login("olive"), login("pat")
st, page, _ = request("GET", "/rounds", cookie=olive)
token = csrf(page)
print(("ok" if st == 200 and token else "not ok") + " - web: the officer signs in and sees /rounds (%d)" % st)
_, page, _ = request("GET", "/rounds", cookie=pat)
token_pat = csrf(page)
GOOD = [("csrf", token), ("action", "open"), ("period", "2011/12 Q2"), ("due", "2011-10-20")]

def form(*pairs, drop=(), raw=None):
    """GOOD with pairs replacing (or, for a name given twice, adding to) its fields, minus drop."""
    fields = [(k, v) for k, v in GOOD if k not in drop and k not in [p[0] for p in pairs]]
    body = urllib.parse.urlencode(fields + list(pairs))
    return body + raw if raw else body

def case(name, body, want, pattern, cookie=None, quiet=False, raw=False, ctype="application/x-www-form-urlencoded"):
    global fails
    try:
        st, page, _ = (raw_post if raw else lambda b, c: request("POST", "/rounds", b, c, ctype))(body, cookie or olive)
    except OSError as e:
        st, page = 0, "no answer: %s" % e
    good = st == want and re.search(pattern, page) is not None
    if not good:
        fails += 1
        print("not ok - web: %s: %d (wanted %d), /%s/ %s in: %.300s" % (name, st, want, pattern,
              "found" if re.search(pattern, page) else "not found", re.sub(r"\s+", " ", page)))
    elif not quiet:
        print("ok - web: %s (%d)" % (name, st))
    return good

named = lambda f: r'href="#%s"' % f
case("no period", form(drop=("period",)), 400, named("period"))
case("a period that is none", form(("period", "2011/12 Q5")), 400, named("period"))
case("a period 100 000 characters long", form(("period", "Q" * 100000)), 400, named("period"))
case("no due date", form(drop=("due",)), 400, named("due") + ".*Enter the due date")
case("an empty due date", form(("due", "")), 400, named("due"))
case("due 2011-02-30", form(("due", "2011-02-30")), 400, named("due") + ".*must be a real date")
case("due with a trailing NUL and more", form(raw="&due=2011-10-20%00junk", drop=("due",)), 400, "The field due holds a NUL byte")
case("due given twice", form(("due", "2011-10-20"), ("due", "2011-10-21")), 400, "The field due was given more than once")
case("due given twice, the same both times", form(("due", "2011-10-20"), ("due", "2011-10-20")), 400, "The field due was given more than once")
case("remind given twice", form(("remind", "-7"), ("remind", "3")), 400, "The field remind was given more than once")
case("exceptions given twice", form(("exceptions", "red"), ("exceptions", "amber")), 400, "field exceptions was given more than once")
case("action given twice", form(("action", "open"), ("action", "publish")), 400, "field action was given more than once")
case("opens after due", form(("opens", "2011-10-21")), 400, named("opens") + ".*on or before its due date")
case("opens 2011-02-29", form(("opens", "2011-02-29")), 400, named("opens") + ".*real date")
case("remind 17 offsets", form(("remind", ",".join(str(k) for k in range(17)))), 400, named("remind") + ".*at most 16 offsets")
case("remind 0,-0", form(("remind", "0,-0")), 400, named("remind") + ".*given twice")
case("remind a huge number", form(("remind", "9" * 400)), 400, named("remind") + ".*at most 366 days")
case("exceptions green", form(("exceptions", "green")), 400, named("exceptions"))
case("due 200 000 characters long", form(("due", "2011-10-20" * 20000)), 400, named("due"))
case("a body over the limit (2 MB)", form(("due", "9" * 2_000_000)), 413, "larger than the server accepts", raw=True)
case("a malformed percent escape", form(raw="&remind=%zz"), 400, "")
case("a field name with a NUL byte", form(raw="&re%00mind=3"), 400, "NUL")
case("no action", form(drop=("action",)), 400, "Choose to submit, approve or return")
case("an unknown action", form(("action", "delete")), 400, "Choose to submit, approve or return")
case("wrong CSRF token", form(("csrf", "0" * 64)), 403, "did not come from this site")
case("no CSRF token", form(drop=("csrf",)), 403, "did not come from this site")
case("another session's CSRF token", form(("csrf", token_pat)), 403, "did not come from this site")
case("an editor opens a round", form(("csrf", token_pat)), 403, "Only an officer or an admin", cookie=pat)
case("multipart with a repeated due", "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token +
     "\r\n--b\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nopen\r\n--b\r\nContent-Disposition: form-data; "
     "name=\"period\"\r\n\r\n2011/12 Q2\r\n--b\r\nContent-Disposition: form-data; name=\"due\"\r\n\r\n2011-10-20\r\n--b\r\n"
     "Content-Disposition: form-data; name=\"due\"\r\n\r\nx\r\n--b--\r\n", 400, "The field due was given more than once",
     ctype="multipart/form-data; boundary=b")

for kind in ("due", "opens", "remind", "exceptions"):
    vals = open("web-%s.in" % kind, "rb").read().decode().split("\0")[:-1]
    n = sum(case("random %s %r" % (kind, v[:80]), form((kind, v)), 400, named(kind), quiet=True) for v in vals)
    print(("ok" if n == nweb else "not ok") + " - web: %d of %d random %s values refused with 400 naming the field"
          % (n, len(vals), kind))
st, page, _ = request("GET", "/rounds", cookie=olive)
print(("ok" if st == 200 else "not ok") + " - web: the server still answers (%d)" % st)
sys.exit(1 if fails else 0)
EOF
timeout 600 python3 web.py "$PORT" "$NWEB" || not_ok "web.py: some cases failed (above)"
check "web: no round stored, no audit entry by the refusals" "$before" \
    "$(cycle_rows)"
kill -TERM $server; wait $server; st=$?
check "web: the server stops cleanly" 0 "$st"
if grep -q "Sanitizer\|runtime error\|leak" serve.log; then
    not_ok "web: no sanitizer report from the server"; head -60 serve.log
else
    ok "web: no sanitizer report from the server"
fi

# ---- what is right still goes in, written the canonical way ----
run_ok "a round opens with odd but valid offsets" "$KPI" round open "$P" --due 2011-10-20 --opens 2011-10-01 "--remind= +3, -0 ,-7"
check "stored sorted, +3 as 3, -0 as 0" '2011/12 Q2,2011-10-01,2011-10-20,"-7,0,3",open,,0,1' "$("$KPI" round list | tail -1)"
finish
