# remind.sh — `kpi remind` sends real e-mail: a real SMTP server on 127.0.0.1
# (aiosmtpd, tests/e2e/smtp-sink) receives it, and the test reads exactly
# which messages arrived, to whom, listing what, on dates around a round's
# due date; never the same reminder twice. The server is always stopped.
. "$E2E_LIB"

if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    not_ok "python3-aiosmtpd is installed (scripts/install-deps installs it)"
    finish
    exit 1
fi
here=$(dirname "$E2E_LIB")
mkdir mail
/usr/bin/python3 "$here/smtp-sink" "$PWD/mail" &
sink=$!
trap 'kill $sink 2>/dev/null; wait $sink 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s mail/port ] && break; sleep 0.1; done
[ -s mail/port ] && ok "the SMTP server listens" || not_ok "the SMTP server listens"
export KPI_SMTP_URL="smtp://127.0.0.1:$(cat mail/port)" KPI_MAIL_FROM="kpi@chorley.example"
unset KPI_SMTP_USER KPI_SMTP_PASSWORD

cat >indicators.csv <<'EOF'
code,title,unit,polarity,frequency,partner
crime.all,All Crime,count,lower,quarter,Police
crime.asb,Anti-social Behaviour,count,lower,quarter,Police
fire.adf,Accidental Dwelling Fires,count,lower,quarter,Fire
EOF
cat >values.csv <<'EOF'
indicator,area,period,value
fire.adf,Chorley,2011/12 Q3,9
EOF
run_ok "init" "$KPI" init --area Chorley
run_ok "import indicators" "$KPI" import indicators indicators.csv
run_ok "import values" "$KPI" import values values.csv
add() { echo "a long password 1" | "$KPI" user add "$@" >/dev/null; }
run_ok "police editor" add pat --role editor --partner Police --email pat@police.example
run_ok "fire editor" add fay --role editor --partner Fire --email fay@fire.example
run_ok "officer" add olive --role officer --email olive@council.example
run_ok "a viewer with an address" add vic --role viewer --email vic@council.example
run_ok "an editor without an address" add ned --role editor --partner Police
refuse "a bad address is refused" 2 "not an e-mail address" add bad --role viewer --email "no at sign"
run_ok "round open" "$KPI" round open "2011/12 Q3" --due 2011-10-20 --opens 2011-10-01 --remind=-7,0,3

# mails: "TO|SUBJECT" of every message received, sorted
mails() {
    for f in mail/*.eml; do
        [ -e "$f" ] || continue
        printf '%s|%s\n' "$(sed -n 's/^X-Rcpt-To: //p' "$f")" "$(sed -n 's/^Subject: //p' "$f" | tr -d '\r')"
    done | sort
}
remind() {
    rm -f mail/*.eml
    out=$("$KPI" remind --today "$1" 2>&1) || { not_ok "kpi remind --today $1 exits 0"; echo "$out"; }
    sleep 0.2
}

remind 2011-10-12
check "8 days before: nothing" "0 reminders sent" "$out"
check "8 days before: no mail arrived" "" "$(mails)"

remind 2011-10-13
check "7 days before: two reminders" "2 reminders sent" "$(printf '%s\n' "$out" | tail -1)"
check "7 days before: the police editor and the officer, nobody else" \
    "olive@council.example|kpi: 2011/12 Q3 digest - 2 figures missing, 2 returns not approved (due 2011-10-20, in 7 days)
pat@police.example|kpi: 2 Police figures missing for 2011/12 Q3 (due 2011-10-20, in 7 days)" "$(mails)"
pat=$(grep -l '^X-Rcpt-To: pat@' mail/*.eml)
check_contains "the editor's mail lists All Crime" "- crime.all  All Crime" "$(cat "$pat")"
check_contains "the editor's mail lists Anti-social Behaviour" "- crime.asb  Anti-social Behaviour" "$(cat "$pat")"
check "the editor's mail does not list the fire figure" 0 "$(grep -c fire.adf "$pat")"
check_contains "From is KPI_MAIL_FROM" "From: kpi@chorley.example" "$(cat "$pat")"
check_contains "To is the editor" "To: pat@police.example" "$(cat "$pat")"
olive=$(grep -l '^X-Rcpt-To: olive@' mail/*.eml)
check_contains "the digest gives Police's state" "Police: return not submitted, 2 missing" "$(cat "$olive")"
check_contains "the digest gives Fire's state" "Fire: return not submitted, 0 missing" "$(cat "$olive")"

remind 2011-10-13
check "the same day again: never twice" "0 reminders sent" "$out"
check "the same day again: no mail" "" "$(mails)"

cat >asb.csv <<'EOF'
indicator,area,period,value
crime.asb,Chorley,2011/12 Q3,240
EOF
run_ok "police enter one figure" "$KPI" import values asb.csv
remind 2011-10-20
check "on the due date: the police editor and the officer" \
    "olive@council.example|kpi: 2011/12 Q3 digest - 1 figure missing, 2 returns not approved (due today, 2011-10-20)
pat@police.example|kpi: 1 Police figure missing for 2011/12 Q3 (due today, 2011-10-20)" "$(mails)"
pat=$(grep -l '^X-Rcpt-To: pat@' mail/*.eml)
check_contains "on the due date the list has All Crime" "- crime.all  All Crime" "$(cat "$pat")"
check "on the due date the list no longer has ASB" 0 "$(grep -c crime.asb "$pat")"

remind 2011-10-21
check "the day after (no offset): nothing" "0 reminders sent" "$out"

cat >all.csv <<'EOF'
indicator,area,period,value
crime.all,Chorley,2011/12 Q3,1500
EOF
run_ok "police enter the last figure" "$KPI" import values all.csv
run_ok "police submit" "$KPI" submit "2011/12 Q3" --partner Police
remind 2011-10-23
check "3 days after: only the officer's digest (nothing missing, returns not approved)" \
    "olive@council.example|kpi: 2011/12 Q3 digest - 0 figures missing, 2 returns not approved (due 2011-10-20, 3 days ago)" \
    "$(mails)"
olive=$(grep -l '^X-Rcpt-To: olive@' mail/*.eml)
check_contains "the digest says Police submitted" "Police: return submitted, 0 missing" "$(cat "$olive")"

check "every send is in the audit log" 5 "$(db_query kpi.db "SELECT COUNT(*) FROM audit_log WHERE action = 'remind'")"
check "every send is recorded once" 5 "$(db_query kpi.db "SELECT COUNT(*) FROM reminders")"

# A server that is not there: an error, and nothing recorded as sent.
kill $sink; wait $sink 2>/dev/null
run_ok "a round for Q4" "$KPI" round open "2011/12 Q4" --due 2012-01-20 --remind 0
refuse "no server: an error naming the address, nothing recorded" 1 "mail to [a-z]+@[a-z.]+: .*connect" \
    "$KPI" remind --today 2012-01-20
KPI_SMTP_URL= refuse "without KPI_SMTP_URL remind says what to set" 1 "set KPI_SMTP_URL" "$KPI" remind
finish
