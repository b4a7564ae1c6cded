# cycle.sh — the quarterly cycle from the command line (docs/web.md): a round is
# opened, a partner with a red figure cannot submit without its exception,
# a return is returned with a reason, approved, the period is published and
# locked (imports refused, naming the period), reopened with a reason, and the
# published paper stays byte for byte while the next paper marks the revised
# figure.
. "$E2E_LIB"

cat >areas.csv <<'EOF'
area
Chorley
EOF
cat >indicators.csv <<'EOF'
code,title,unit,polarity,frequency,partner
crime.all,All Crime,count,lower,quarter,Police
fire.adf,Accidental Dwelling Fires,count,lower,quarter,Fire
fire.inspections,Fire Safety Inspections,count,higher,year,Fire
EOF
cat >targets.csv <<'EOF'
indicator,area,year,target
crime.all,Chorley,2011/12,1000
fire.adf,Chorley,2011/12,100
EOF
# crime: 300 + 400 = 700 against 500 to date: red. fires: 22 against 50: green.
cat >values.csv <<'EOF'
indicator,area,period,value
crime.all,Chorley,2011/12 Q1,300
crime.all,Chorley,2011/12 Q2,400
fire.adf,Chorley,2011/12 Q1,10
fire.adf,Chorley,2011/12 Q2,12
EOF
cat >paper.md <<'EOF'
# Performance {{period}}

{{table crime.all fire.adf columns="title value ytd target_to_date rag"}}

{{exceptions}}
EOF
run_ok "init" "$KPI" init --area Chorley
cat >projects.csv <<'EOF'
code,title
P1,Town centre patrols
EOF
for k in areas indicators targets values projects; do run_ok "import $k" "$KPI" import $k $k.csv; done

P="2011/12 Q2"
refuse "a round needs a due date" 2 "due" "$KPI" round open "$P"
refuse "a bad due date is refused" 2 "2011-02-30.*not a date" "$KPI" round open "$P" --due 2011-02-30
refuse "bad reminder offsets are refused" 2 "remind" "$KPI" round open "$P" --due 2011-10-20 --remind "-7,x"
refuse "submit before any round" 1 "no round for 2011/12 Q2" "$KPI" submit "$P" --partner Police
out=$("$KPI" round open "$P" --due 2011-10-20 --opens 2011-10-01 --remind=-7,0,3 2>&1)
check "round open says so" "opened the round for 2011/12 Q2: opens 2011-10-01, due 2011-10-20, reminders -7,0,3 days from the due date" "$out"
check "round list" 'period,opens,due,remind,state,published_paper,approved,returns_due
2011/12 Q2,2011-10-01,2011-10-20,"-7,0,3",open,,0,2' "$("$KPI" round list)"

# A red figure needs words before the return can go.
refuse "red figure without an exception cannot be submitted" 1 \
    "Police's return for 2011/12 Q2 cannot be submitted: 1 red figure without exception commentary \(crime.all in Chorley\)" \
    "$KPI" submit "$P" --partner Police
refuse "an unknown partner has no return" 1 "partner 'Nobody' owns no indicator" "$KPI" submit "$P" --partner Nobody
refuse "an exception needs a cause" 2 "cause" "$KPI" exception "$P" --indicator crime.all --action a --owner o --date 2011-11-30
run_ok "exception recorded" "$KPI" exception "$P" --indicator crime.all --cause "A burglary series in Chorley town" \
    --action "Targeted patrols" --owner "Inspector Smith" --date 2011-11-30
run_ok "police submit with the exception" "$KPI" submit "$P" --partner Police
run_ok "fire submit (green)" "$KPI" submit "$P" --partner Fire
refuse "a submitted return is not submitted twice" 1 "already submitted" "$KPI" submit "$P" --partner Fire
refuse "return needs a reason" 2 "reason" "$KPI" return "$P" --partner Fire
run_ok "officer returns fire's return" "$KPI" return "$P" --partner Fire --reason "Q2 fires look low: check September"
check "the reason is kept" "returned|Q2 fires look low: check September" \
    "$(db_query kpi.db "SELECT r.state, r.reason FROM round_returns r JOIN partners p ON p.id = r.partner_id WHERE p.name = 'Fire'")"
refuse "a returned return cannot be approved" 1 "is returned, not submitted" "$KPI" approve "$P" --partner Fire
run_ok "police approved" "$KPI" approve "$P" --partner Police
refuse "publish refused until every return is approved" 1 "not yet: Fire \(returned\)" "$KPI" publish "$P" --template paper.md
run_ok "fire resubmits" "$KPI" submit "$P" --partner Fire
run_ok "fire approved" "$KPI" approve "$P" --partner Fire

out=$("$KPI" publish "$P" --template paper.md 2>&1); status=$?
check "publish succeeds" 0 "$status"
paper=$(printf '%s\n' "$out" | tail -1)
check "publish prints the paper id last" 1 "$paper"
list=$("$KPI" paper list)
check "paper list has six formats of paper 1" 6 "$(printf '%s\n' "$list" | grep -c '^1,2011/12 Q2,Chorley,')"
for f in md txt html pdf docx xlsx; do
    run_ok "paper get $f" "$KPI" paper get 1 --format $f -o paper1.$f
    sha=$(printf '%s\n' "$list" | awk -F, -v f=$f '$1 == 1 && $6 == f {print $8}')
    check "paper 1 $f: stored SHA-256 is the file's" "$sha" "$(sha256sum <paper1.$f | cut -d' ' -f1)"
done
check_contains "the paper holds the figures" "All Crime" "$(cat paper1.md)"
check_contains "{{exceptions}} lists the exception" "| All Crime | A burglary series in Chorley town | Targeted patrols | Inspector Smith | 2011-11-30 |" "$(cat paper1.md)"
"$KPI" report paper.md --period "2011/12 Q1" --format md -o q1.md
check_contains "{{exceptions}} says when there is none" "No exceptions were reported for this period." "$(cat q1.md)"
refuse "paper get of an unknown paper" 1 "no paper 9 in format md" "$KPI" paper get 9 --format md -o x.md
check "round list shows it published" "2011/12 Q2,2011-10-01,2011-10-20,\"-7,0,3\",published,1,2,2" \
    "$("$KPI" round list | tail -1)"

# The period is locked everywhere in the store.
cat >edit.csv <<'EOF'
indicator,area,period,value
fire.adf,Chorley,2011/12 Q2,13
EOF
refuse "an import into the published quarter is refused, naming the period" 1 \
    "period 2011/12 Q2 is published \(paper 1\) and locked" "$KPI" import values edit.csv
cat >status-month.csv <<'EOF'
project,period,status,commentary
P1,2011-08,red,late
EOF
refuse "a project status for a month inside the published quarter is refused too" 1 \
    "period 2011-08 lies in 2011/12 Q2, published \(paper 1\) and locked" "$KPI" import statuses status-month.csv
refuse "no second paper for a locked period" 1 "already published \(paper 1\)" "$KPI" publish "$P" --template paper.md
refuse "exceptions of a locked period do not change" 1 "locked" \
    "$KPI" exception "$P" --indicator crime.all --cause c --action a --owner o --date 2011-12-01
cat >q3.csv <<'EOF'
indicator,area,period,value
crime.all,Chorley,2011/12 Q3,350
EOF
run_ok "a later period still takes figures" "$KPI" import values q3.csv
printf 'indicator,area,period,value\nfire.inspections,Chorley,2011/12,40\n' >year.csv
run_ok "the year holding the published quarter still takes a yearly figure" "$KPI" import values year.csv

# On the web: the API answers 409 with the reason; pages open on the
# published period although a later figure exists (imported above).
echo "a long password 1" | "$KPI" user add ada --role admin >/dev/null
T=$("$KPI" token add ada | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KPI" serve --listen "127.0.0.1:$PORT" --public --no-supervise 2>serve.log &
server=$!
trap 'kill $server 2>/dev/null' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
code=$(curl -s -o b.txt -w '%{http_code}' -H "Authorization: Bearer $T" -H 'Content-Type: application/json' \
    --data-binary '{"indicator":"fire.adf","area":"Chorley","period":"2011/12 Q2","value":14}' "$B/api/v1/values")
check "API: a value of a published period is 409" 409 "$code"
check_contains "API: the 409 says why" "2011/12 Q2 is published (paper 1) and locked" "$(cat b.txt)"
code=$(curl -s -o b.txt -w '%{http_code}' -H "Authorization: Bearer $T" -H 'Content-Type: application/json' \
    --data-binary '{"indicator":"fire.adf","area":"Chorley","period":"2011/12 Q3","value":14}' "$B/api/v1/values")
check "API: a value of an open period is still taken" 201 "$code"
curl -s -o b.txt "$B/api/v1/exceptions?period=2011/12%20Q2"
check "API: the exceptions of the period" '[
 {"indicator": "crime.all", "title": "All Crime", "area": "Chorley", "period": "2011/12 Q2", "cause": "A burglary series in Chorley town", "action": "Targeted patrols", "owner": "Inspector Smith", "date": "2011-11-30"}
]' "$(cat b.txt)"
curl -s -o b.txt "$B/indicators/crime.all?area=Chorley&period=2011/12%20Q2"
check_contains "the indicator page shows its exception" "A burglary series in Chorley town" "$(cat b.txt)"
curl -s -o b.txt "$B/"
check_contains "the dashboard opens on the published period, not the newest figure's" 'value="2011/12 Q2"' \
    "$(cat b.txt)"
kill $server; wait $server 2>/dev/null
trap - EXIT

# Reopen, edit, and the first paper does not move.
refuse "reopen needs a reason" 2 "reason" "$KPI" reopen "$P"
refuse "reopen of a period never published" 1 "2011/12 Q1 is not published" "$KPI" reopen "2011/12 Q1" --reason x
run_ok "reopen with a reason" "$KPI" reopen "$P" --reason "Fire corrected September's count"
check "the reopen is logged with its reason" "1|Fire corrected September's count" \
    "$(db_query kpi.db "SELECT paper_id, reason FROM reopen_log")"
run_ok "the edit goes in after reopening" "$KPI" import values edit.csv
for f in md pdf docx xlsx; do
    "$KPI" paper get 1 --format $f -o again.$f >/dev/null
    check "paper 1 $f byte for byte after reopen and edit" "$(sha256sum <paper1.$f)" "$(sha256sum <again.$f)"
done
check "paper 1's stored SHA-256 unchanged" "$(printf '%s\n' "$list" | grep '^1,' | cut -d, -f6,8)" \
    "$("$KPI" paper list | grep '^1,' | cut -d, -f6,8)"

out=$("$KPI" publish "$P" --template paper.md 2>&1)
check_contains "the second publication counts one revised indicator" "1 indicator marked revised" "$out"
check "the second paper is paper 2" 2 "$(printf '%s\n' "$out" | tail -1)"
"$KPI" paper get 2 --format md -o paper2.md >/dev/null
check_contains "paper 2 marks the revised figure" "Accidental Dwelling Fires (revised)" "$(cat paper2.md)"
check "paper 2 does not mark the unrevised one" 0 "$(grep -c 'All Crime (revised)' paper2.md)"
check_contains "paper 2 has the new figure" "13" "$(grep 'Accidental Dwelling Fires' paper2.md)"
check "paper 1 still has the old figure" 0 "$(grep -c 'Accidental Dwelling Fires (revised)' paper1.md)"

check "every step is in the audit log" "round open submit submit return approve submit approve publish round close reopen publish" \
    "$(db_query kpi.db "SELECT action FROM audit_log WHERE action <> 'exception' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
# The next round on the web (/rounds, /papers): editors submit, the officer
# returns and approves; the stored papers are served byte for byte.
run_ok "round open Q3" "$KPI" round open "2011/12 Q3" --due 2012-01-20
for u in "pat --role editor --partner Police" "fay --role editor --partner Fire" "olive --role officer"; do
    echo "a long password 1" | "$KPI" user add $u >/dev/null
done
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p tpl && cp paper.md tpl/paper.md
"$KPI" serve --listen "127.0.0.1:$PORT" --no-supervise --templates tpl 2>serve.log &
server=$!
trap 'kill $server 2>/dev/null' EXIT
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -s -o /dev/null "$B/login" && break; sleep 0.1; done
req() { curl -s -o b.txt -w '%{http_code}' "$@"; }
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' b.txt | head -1 | cut -d'"' -f4; }
login() {
    req -c "$2" -b "$2" "$B/login" >/dev/null
    req -c "$2" -b "$2" --data-urlencode "username=$1" --data-urlencode "password=a long password 1" \
        --data-urlencode "csrf=$(csrf_of)" --data-urlencode "next=/" "$B/login" >/dev/null
}
act() { # act JAR ACTION PARTNER [REASON]: POST /rounds, prints the status
    req -b "$1" "$B/rounds" >/dev/null
    req -b "$1" --data-urlencode "csrf=$(csrf_of)" --data-urlencode "period=2011/12 Q3" --data-urlencode "action=$2" \
        --data-urlencode "partner=$3" ${4:+--data-urlencode "reason=$4"} "$B/rounds"
}
login pat jp; login fay jf; login olive jo
check "web: /rounds lists the round" 200 "$(req -b jp "$B/rounds")"
check_contains "web: the police editor sees a submit button for Police" "Submit Police" "$(cat b.txt)"
check "web: no submit button for another partner" 0 "$(grep -c "Submit Fire" b.txt)"
check "web: the police editor's red figure without words is refused (409)" 409 "$(act jp submit Police)"
check_contains "web: the refusal names the figure" "crime.all in Chorley" "$(cat b.txt)"
check "web: an editor cannot submit another partner's return" 403 "$(act jp submit Fire)"
req -b jp "$B/rounds" >/dev/null
check_contains "web: a round's dates in words" "Opens 1 October 2011, due 20 October 2011." "$(cat b.txt)"
check "web: an exception needs its cause" 400 "$(req -b jp --data-urlencode "csrf=$(csrf_of)" \
    --data-urlencode "period=2011/12 Q3" -d action=exception -d indicator=crime.all "$B/rounds")"
check "web: an editor cannot write another partner's exception" 403 "$(req -b jp --data-urlencode "csrf=$(csrf_of)" \
    --data-urlencode "period=2011/12 Q3" -d action=exception -d indicator=fire.adf -d cause=c -d action_taken=a \
    -d owner=o -d date=2012-01-31 "$B/rounds")"
req -b jp "$B/rounds" >/dev/null
check "web: the police editor saves the exception" 200 "$(req -b jp --data-urlencode "csrf=$(csrf_of)" \
    --data-urlencode "period=2011/12 Q3" -d action=exception -d indicator=crime.all \
    --data-urlencode "cause=Q3 shoplifting wave" --data-urlencode "action_taken=Retail patrols" \
    --data-urlencode "owner=Sgt Jones" -d date=2012-01-31 "$B/rounds")"
check "web: then the police editor submits" 200 "$(act jp submit Police)"
check "web: the fire editor submits" 200 "$(act jf submit Fire)"
check_contains "web: success banner" "return for 2011/12 Q3 is submitted." "$(cat b.txt)"
check "web: an editor cannot approve" 403 "$(act jf approve Fire)"
check "web: returning needs a reason" 400 "$(act jo return Fire)"
check "web: the officer returns it with a reason" 200 "$(act jo return Fire "Q3 fires need checking")"
check "web: the reason is stored" "returned|Q3 fires need checking" \
    "$(db_query kpi.db "SELECT r.state, r.reason FROM round_returns r JOIN rounds o ON o.id = r.round_id JOIN partners p ON p.id = r.partner_id WHERE p.name = 'Fire' AND o.first_month = (2011 * 12 + 9)")"
check "web: fire resubmits" 200 "$(act jf submit Fire)"
check "web: the officer approves" 200 "$(act jo approve Fire)"
# Opening a round and publishing on the web (officer or admin only).
openq() { # openq JAR DUE: POST /rounds action=open for 2011/12 Q4, prints the status
    req -b "$1" "$B/rounds" >/dev/null
    req -b "$1" --data-urlencode "csrf=$(csrf_of)" -d action=open --data-urlencode "period=2011/12 Q4" \
        --data-urlencode "due=$2" -d remind=-3,0 "$B/rounds"
}
check "web: an editor cannot open a round" 403 "$(openq jp 2012-04-20)"
check "web: a due date that is not a date is refused" 400 "$(openq jo 2012-02-30)"
check_contains "web: the refusal is in words beside the field" 'id="due-error"' "$(cat b.txt)"
check "web: nothing opened by refusals" 0 "$("$KPI" round list | grep -c '^2011/12 Q4')"
check "web: the officer opens Q4" 200 "$(openq jo 2012-04-20)"
check_contains "web: with a success banner" "The round for 2011/12 Q4 is open: due 20 April 2012." "$(cat b.txt)"
check_contains "web: Q4 is open as asked" '2011/12 Q4,' "$("$KPI" round list | grep '^2011/12 Q4' | grep ',2012-04-20,"-3,0",open,')"
check "web: an editor cannot publish" 403 "$(act jp publish Police)"
check "web: publishing before every return is approved is refused" 409 "$(act jo publish Police)"
check_contains "web: naming who is missing" "not yet: Police" "$(cat b.txt)"
check "web: the officer approves Police" 200 "$(act jo approve Police)"
check_contains "web: then offers to publish" "Publish 2011/12 Q3" "$(cat b.txt)"
publish() { # publish TEMPLATE: POST /rounds action=publish for 2011/12 Q3 as olive, prints the status
    req -b jo "$B/rounds" >/dev/null
    req -b jo --data-urlencode "csrf=$(csrf_of)" -d action=publish --data-urlencode "period=2011/12 Q3" \
        --data-urlencode "template=$1" "$B/rounds"
}
check "web: a template not offered is refused" 400 "$(publish ../paper)"
check "web: a template that does not fit the figures is refused in words" 409 "$(publish chorley-2011-q2)"
check_contains "web: naming the line" "unknown indicator" "$(cat b.txt)"
check "web: nothing published by refusals" 0 "$("$KPI" paper list | grep -c '^3,')"
check "web: the officer publishes Q3" 200 "$(publish paper)"
check_contains "web: as paper 3, locked" "2011/12 Q3 is published as paper 3 and locked" "$(cat b.txt)"
check "web: paper 3 is stored in six formats" 6 "$("$KPI" paper list | grep -c '^3,2011/12 Q3,')"
check "web: publishing twice is refused" 409 "$(publish paper)"
check_contains "web: saying it is published" "2011/12 Q3 is already published (paper 3)" "$(cat b.txt)"
check "web: /papers lists the papers" 200 "$(req -b jp "$B/papers")"
check_contains "web: /papers shows paper 1's pdf SHA-256" "$(sha256sum <paper1.pdf | cut -d' ' -f1)" "$(cat b.txt)"
check "web: /papers/1.pdf" 200 "$(curl -s -o web1.pdf -w '%{http_code}' -b jp "$B/papers/1.pdf")"
check "web: the served pdf is byte for byte the published one" "$(sha256sum <paper1.pdf)" "$(sha256sum <web1.pdf)"
check "web: an unknown paper file is 404" 404 "$(req -b jp "$B/papers/1.exe")"
kill $server; wait $server 2>/dev/null
trap - EXIT

# The worked example records 2011/12 Q2 as published, its paper the files it wrote.
run_ok "kpi demo" "$KPI" demo ex
check "the demo's Q2 is published as paper 1" "2011/12 Q2,2011-10-01,2011-10-20,\"-7,0,3\",published,1,3,3" \
    "$("$KPI" --db ex/kpi.db round list | tail -1)"
check "the demo's stored pdf is the one it wrote" "$(sha256sum <ex/report.pdf | cut -d' ' -f1)" \
    "$("$KPI" --db ex/kpi.db paper list | awk -F, '$6 == "pdf" {print $8}')"
# A round that asks commentary for amber figures too (--exceptions amber): a figure just over its
# target to date (26 against 25, within the 5% band) is amber, and blocks the submit until explained.
mkdir -p amber && (
    cd amber || exit 1
    export KPI_DB=amber.db
    printf 'code,title,unit,polarity,frequency,partner\nx.count,Callouts,count,lower,quarter,Fire\n' > ind.csv
    printf 'indicator,area,year,target\nx.count,Chorley,2011/12,100\n' > tgt.csv
    printf 'indicator,area,period,value\nx.count,Chorley,2011/12 Q1,26\n' > val.csv
    "$KPI" init --area Chorley > /dev/null && "$KPI" import indicators ind.csv > /dev/null &&
        "$KPI" import targets tgt.csv > /dev/null && "$KPI" import values val.csv > /dev/null
) || not_ok "the amber framework loads"
check "the figure is amber" "amber" "$(csv_get "$(KPI_DB=amber/amber.db "$KPI" compare --period "2011/12 Q1" --area Chorley)" x.count rag)"
refuse "exceptions must be red or amber" 2 "--exceptions .green.: say red" \
    env KPI_DB=amber/amber.db "$KPI" round open "2011/12 Q1" --due 2011-07-20 --exceptions green
run_ok "a red-only round opens" env KPI_DB=amber/amber.db "$KPI" round open "2011/12 Q1" --due 2011-07-20
run_ok "in a red-only round the amber figure needs no words" env KPI_DB=amber/amber.db "$KPI" submit "2011/12 Q1" --partner Fire
run_ok "returned, to try again under the amber rule" env KPI_DB=amber/amber.db "$KPI" return "2011/12 Q1" --partner Fire --reason "again"
run_ok "the round reopened asking for amber too" env KPI_DB=amber/amber.db "$KPI" round open "2011/12 Q1" --due 2011-07-20 --exceptions amber
refuse "an amber figure without words cannot be submitted" 1 \
    "Fire's return for 2011/12 Q1 cannot be submitted: 1 red or amber figure without exception commentary \(x.count in Chorley\); add it with \`kpi exception" \
    env KPI_DB=amber/amber.db "$KPI" submit "2011/12 Q1" --partner Fire
run_ok "its exception" env KPI_DB=amber/amber.db "$KPI" exception "2011/12 Q1" --indicator x.count --cause c --action a --owner o --date 2011-08-01
run_ok "then it is submitted" env KPI_DB=amber/amber.db "$KPI" submit "2011/12 Q1" --partner Fire
finish
