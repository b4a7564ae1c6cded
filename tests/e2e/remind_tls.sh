# remind_tls.sh — `kpi remind` over TLS with a login, against real SMTP
# servers on 127.0.0.1 (tests/e2e/smtp-sink, aiosmtpd) that require STARTTLS
# (or TLS from the start) and AUTH, with a certificate made here by openssl
# (in this test's temporary folder; never committed). Checks: the right
# password over STARTTLS delivers exactly the expected mails as that user; a
# wrong password, a password with a server that offers no TLS, and a
# certificate not trusted (self-signed without KPI_SMTP_CA_FILE, or for
# another name) each fail with a clear message, non-zero exit, the database
# unchanged and, but for the wrong password, the password never sent; the
# reminders not sent go out on a later run. Every server is always stopped.
. "$E2E_LIB"

if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || ! command -v openssl >/dev/null; then
    not_ok "python3-aiosmtpd and openssl are installed (scripts/install-deps installs them)"
    finish
    exit 1
fi
here=$(dirname "$E2E_LIB")
sinks=""
trap 'for p in $sinks; do kill $p 2>/dev/null; wait $p 2>/dev/null; done' EXIT

# A certificate for 127.0.0.1 (self-signed: it is its own CA), and one for another name.
mkdir tls
cert() { # NAME SAN
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -keyout "tls/$1.key" -out "tls/$1.pem" -subj "/CN=kpi test $1" -addext "subjectAltName=$2" 2>/dev/null
}
run_ok "a self-signed certificate for 127.0.0.1" cert local IP:127.0.0.1
run_ok "a self-signed certificate for another name" cert other DNS:mail.example

# start NAME OPTIONS...: a sink in ./NAME; sets $port
start() {
    local name=$1; shift
    mkdir "$name"
    /usr/bin/python3 "$here/smtp-sink" "$PWD/$name" "$@" 2>"$name.log" &
    sinks="$sinks $!"
    for _ in $(seq 100); do [ -s "$name/port" ] && break; sleep 0.1; done
    port=$(cat "$name/port" 2>/dev/null)
    [ -n "$port" ] && ok "the SMTP server $name listens" || not_ok "the SMTP server $name listens"
}
# mails DIR: "TO|AUTH USER|SUBJECT" of every message received, sorted
mails() {
    for f in "$1"/*.eml; do
        [ -e "$f" ] || continue
        printf '%s|%s|%s\n' "$(sed -n 's/^X-Rcpt-To: //p' "$f")" "$(sed -n 's/^X-Auth-User: //p' "$f")" \
            "$(sed -n 's/^Subject: //p' "$f" | tr -d '\r')"
    done | sort
}
# auths DIR: the sink's AUTH attempts ("MECH USER ok|refused tls|clear"), or "none"
auths() { if [ -s "$1/auth.log" ]; then cat "$1/auth.log"; else echo none; fi; }
reminders() { db_query kpi.db "SELECT COUNT(*) FROM reminders"; }

cat >indicators.csv <<'EOF2'
code,title,unit,polarity,frequency,partner
crime.all,All Crime,count,lower,quarter,Police
EOF2
run_ok "init" "$KPI" init --area Chorley
run_ok "import indicators" "$KPI" import indicators indicators.csv
add() { echo "a long password 1" | "$KPI" user add "$@" >/dev/null; }
run_ok "police editor" add pat --role editor --partner Police --email pat@police.example
run_ok "officer" add olive --role officer --email olive@council.example
run_ok "round open" "$KPI" round open "2011/12 Q3" --due 2011-10-20 --opens 2011-10-01 --remind 0

export KPI_MAIL_FROM="kpi@chorley.example" KPI_SMTP_USER=kpi
unset KPI_SMTP_CA_FILE
pw='right horse battery'

# STARTTLS required, AUTH (LOGIN and PLAIN) only after it.
start starttls --starttls tls/local.pem tls/local.key --user kpi --password "$pw"
export KPI_SMTP_URL="smtp://127.0.0.1:$port" KPI_SMTP_PASSWORD="$pw"
t0=$(date +%s)
refuse "a self-signed certificate without KPI_SMTP_CA_FILE is refused, naming the server" 1 \
    "mail to [a-z]+@[a-z.]+: the certificate of the server smtp://127\.0\.0\.1:$port is not trusted.*KPI_SMTP_CA_FILE" \
    "$KPI" remind --today 2011-10-20
check "an untrusted server never saw the password" none "$(auths starttls)"
KPI_SMTP_CA_FILE="$PWD/tls/missing.pem" refuse "a KPI_SMTP_CA_FILE that cannot be read is refused" 1 \
    "KPI_SMTP_CA_FILE '.*missing\.pem' cannot be read" "$KPI" remind --today 2011-10-20
export KPI_SMTP_CA_FILE="$PWD/tls/local.pem"
KPI_SMTP_PASSWORD="wrong horse" refuse "a wrong password: the login was refused, naming the server and user" 1 \
    "mail to [a-z]+@[a-z.]+: the server smtp://127\.0\.0\.1:$port refused the login of KPI_SMTP_USER 'kpi'" \
    "$KPI" remind --today 2011-10-20
check "the wrong password was tried once, over TLS" "refused tls" "$(cut -d' ' -f3,4 starttls/auth.log)"
check "a wrong password: no mail arrived" "" "$(mails starttls)"
check "a wrong password: no reminder recorded" 0 "$(reminders)"
KPI_SMTP_USER= KPI_SMTP_PASSWORD= refuse "no login where the server requires one: an error naming the server" 1 \
    "mail to [a-z]+@[a-z.]+: server smtp://127\.0\.0\.1:$port: " "$KPI" remind --today 2011-10-20
check "without a login: no mail arrived" "" "$(mails starttls)"
run_ok "the right password over STARTTLS" "$KPI" remind --today 2011-10-20
check "the right password: two reminders sent" "2 reminders sent" "$(printf '%s\n' "$out" | tail -1)"
sleep 0.2
check "exactly the editor's and the officer's mails arrived, sent as user kpi" \
    "olive@council.example|kpi|kpi: 2011/12 Q3 digest - 1 figure missing, 1 return not approved (due today, 2011-10-20)
pat@police.example|kpi|kpi: 1 Police figure missing for 2011/12 Q3 (due today, 2011-10-20)" "$(mails starttls)"
check "the sink saw the user log in over TLS, once a mail" 2 "$(grep -c ' kpi ok tls$' starttls/auth.log)"
check "both reminders recorded" 2 "$(reminders)"
run_ok "again the same day" "$KPI" remind --today 2011-10-20
check "again the same day: none sent" "0 reminders sent" "$out"
check "again the same day: no more mail" 2 "$(ls starttls/*.eml | wc -l)"

# A server that offers AUTH but no TLS: the password is not sent in clear.
run_ok "a round for Q4" "$KPI" round open "2011/12 Q4" --due 2012-01-20 --remind 0
start clear --auth-in-clear --user kpi --password "$pw"
KPI_SMTP_URL="smtp://127.0.0.1:$port" refuse "a password and a server without STARTTLS: refused, naming the server" 1 \
    "mail to [a-z]+@[a-z.]+: the server smtp://127\.0\.0\.1:$port offers no TLS \(STARTTLS\), and the password is never sent in clear" \
    "$KPI" remind --today 2012-01-20
check "the server without TLS never saw the password" none "$(auths clear)"
check "the server without TLS got no mail" "" "$(mails clear)"

# A certificate trusted (KPI_SMTP_CA_FILE) but for another name.
start othername --starttls tls/other.pem tls/other.key --user kpi --password "$pw"
KPI_SMTP_URL="smtp://127.0.0.1:$port" KPI_SMTP_CA_FILE="$PWD/tls/other.pem" \
    refuse "a trusted certificate for another host name is refused" 1 \
    "the certificate of the server smtp://127\.0\.0\.1:$port is not trusted" "$KPI" remind --today 2012-01-20
check "the server with the wrong name never saw the password" none "$(auths othername)"
check "nothing recorded for Q4 yet" 2 "$(reminders)"

# smtps:// (TLS from the first byte), AUTH LOGIN only: Q4's reminders go out now.
start smtps --smtps tls/local.pem tls/local.key --user kpi --password "$pw" --exclude-auth PLAIN
run_ok "smtps:// with AUTH LOGIN" env KPI_SMTP_URL="smtps://127.0.0.1:$port" "$KPI" remind --today 2012-01-20
check "smtps://: Q4's two reminders sent" "2 reminders sent" "$(printf '%s\n' "$out" | tail -1)"
sleep 0.2
check "smtps://: the two mails arrived, sent as user kpi" \
    "olive@council.example|kpi|kpi: 2011/12 Q4 digest - 1 figure missing, 1 return not approved (due today, 2012-01-20)
pat@police.example|kpi|kpi: 1 Police figure missing for 2011/12 Q4 (due today, 2012-01-20)" "$(mails smtps)"
check "smtps://: logged in with AUTH LOGIN over TLS" "LOGIN kpi ok tls
LOGIN kpi ok tls" "$(auths smtps)"
check "four reminders recorded in all" 4 "$(reminders)"

KPI_SMTP_URL="smtp://kpi:secret@127.0.0.1:$port" refuse "a user and password in KPI_SMTP_URL are refused" 1 \
    "KPI_SMTP_URL holds a user name: put the user and password in KPI_SMTP_USER and KPI_SMTP_PASSWORD" \
    "$KPI" remind --today 2012-01-21
elapsed=$(($(date +%s) - t0))
[ "$elapsed" -lt 25 ] && ok "the TLS checks took ${elapsed} s (under 25: no wait for the 30 s mail timeout)" || not_ok "the TLS checks took ${elapsed} s"
finish
