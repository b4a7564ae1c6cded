# honest.sh — a paper never says what the data do not: the worked example
# rendered for a quarter with no data (2011/12 Q3) and for one with some
# (a few Q3 values imported), in every format, read back with independent
# readers (pdftotext, python-docx, openpyxl). No "n/a", "NaN" or "zero of
# the"; every missing figure named in words; `kpi report` lists them on
# stderr, and --strict refuses to write the paper.
. "$E2E_LIB"

PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import docx, openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    not_ok "python3 with docx and openpyxl (scripts/install-deps installs them)"
    finish
    exit 1
fi

run_ok "kpi demo builds the example" "$KPI" demo out
DB=out/kpi.db
TPL=out/input/report.md

# The text of a rendered paper, whatever its format, on one line.
paper_text() {
    case "$1" in
    *.pdf) pdftotext "$1" - ;;
    *.docx) "$PY" -c '
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs: print(p.text)
for t in d.tables:
    for r in t.rows: print(" | ".join(c.text for c in r.cells))' "$1" ;;
    *.xlsx) "$PY" -c '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        print(" | ".join("" if v is None else str(v) for v in row))' "$1" ;;
    *) cat "$1" ;;
    esac | tr -s ' \n' '  '
}

# render LABEL PERIOD: every format, stderr kept; checks common to all.
render() {
    local label=$1 period=$2 f
    for f in md txt html pdf docx xlsx; do
        if "$KPI" --db "$DB" report "$TPL" --period "$period" --format "$f" -o "$label.$f" 2>"$label.$f.err"; then
            ok "$label: $f written"
        else
            not_ok "$label: $f written"; cat "$label.$f.err"
        fi
        local text; text=$(paper_text "$label.$f")
        [ -n "$text" ] || not_ok "$label: $f has text"
        local bad
        for bad in "n/a" "NaN" "zero of the" "not available" "is incomplete" "missing 20"; do
            case "$text" in
            *"$bad"*) not_ok "$label: $f says \"$bad\""; printf '%s\n' "$text" | grep -o ".\{60\}$bad.\{60\}" | head -3 ;;
            *) ok "$label: $f never says \"$bad\"" ;;
            esac
        done
        if grep -q 'Sanitizer\|runtime error' "$label.$f.err"; then not_ok "$label: $f sanitizer"; cat "$label.$f.err"; fi
    done
}

# ---- a quarter with no data at all ----
render empty "2011/12 Q3"
for f in md txt html pdf docx; do
    text=$(paper_text "empty.$f")
    check_contains "empty: $f names the missing crime figures in words" \
        "Crime overall in quarter three cannot be compared with this period last year: no figure yet for October to December 2011 and none for October to December 2010." "$text"
    check_contains "empty: $f says no project has reported" \
        "No key project has reported yet for October to December 2011." "$text"
    check_contains "empty: $f says the delivery plan has not reported" \
        "No project or priority in the delivery plan has reported yet for October to December 2011." "$text"
    check_contains "empty: $f says why fires cannot be compared with the target" \
        "Accidental Dwelling Fires cannot be compared with the target: no figure yet for October to December 2011." "$text"
    check_contains "empty: $f says the child fatalities are missing, not a number" \
        "There is no figure yet for Children killed on Chorley roads for October to December 2011." "$text"
done
for f in md txt html pdf docx; do
    check_contains "empty: $f notes a quarterly indicator's gap as months in words" \
        "Domestic Violence Detections: no figure for April to December 2010 and October to December 2011" \
        "$(paper_text "empty.$f")"
done
check_contains "empty: xlsx notes the gap in words under its table" \
    "Note: All Crime: no figure for October to December 2010 and October to December 2011" "$(paper_text empty.xlsx)"
err=$(cat empty.md.err)
check_contains "empty: stderr warns" "kpi: warning: $TPL: the paper has no figure for:" "$err"
for line in "All Crime: no figure for October to December 2010 and October to December 2011" \
    "Burglary Dwelling: no figure for October to December 2010 and October to December 2011" \
    "Accidental Dwelling Fires: no figure for October to December 2011" \
    "Children killed on Chorley roads: no figure for October to December 2011" \
    "Delivery plan: nothing reported for October to December 2011" \
    "Projects: no key project has reported for October to December 2011"; do
    check_contains "empty: the warning lists '${line%%:*}'" "kpi:   $line" "$err"
done
check "empty: every format warns alike" "$(cat empty.md.err)" "$(cat empty.pdf.err)"

# ---- some figures for the quarter ----
cat > q3.csv <<'CSV'
indicator,area,period,value,numerator,denominator,note
crime.all,Chorley,2010/11 Q3,1500,,,
crime.all,Chorley,2011/12 Q3,1400,,,
crime.burglary-dwelling,Chorley,2011/12 Q3,70,,,
fire.adf,Chorley,2011/12 Q3,10,,,
roads.seriously-injured,Chorley,2010/11 Q3,0,,,
roads.seriously-injured,Chorley,2011/12 Q3,4,,,
roads.child-killed,Chorley,2011/12 Q3,0,,,
crime.vehicle,Chorley,2010/11 Q3,90,,,
crime.vehicle,Chorley,2011/12 Q3,80,,,
CSV
run_ok "import a few Q3 values" "$KPI" --db "$DB" import values q3.csv
render partial "2011/12 Q3"
for f in md txt html pdf docx; do
    text=$(paper_text "partial.$f")
    check_contains "partial: $f words the change that is there" \
        "Crime overall in quarter three has reduced by 6.7% compared to this period last year" "$text"
    check_contains "partial: $f names last year's missing burglary figure" \
        "There is no figure for Burglary Dwelling for October to December 2010." "$text"
    check_contains "partial: $f from a zero baseline gives no percentage" \
        "There has been an increase in those seriously injured on Chorley roads, from none last year" "$text"
    check_contains "partial: $f zero child fatalities in words" "There have been no child fatalities." "$text"
    check_contains "partial: $f fires against target" "Accidental Dwelling Fires are lower than anticipated." "$text"
    check_contains "partial: $f prose saying 'increase' gives way when vehicle crime fell" \
        "Vehicle Crime has reduced by 10 compared to this period last year." "$text"
    case "$text" in
    *"the increase of just"*) not_ok "partial: $f no longer says 'the increase of just'" ;;
    *) ok "partial: $f no longer says 'the increase of just'" ;;
    esac
done
err=$(cat partial.md.err)
check_contains "partial: the warning names what is still missing" \
    "kpi:   Burglary Dwelling: no figure for October to December 2010" "$err"
case "$err" in
*"All Crime:"*) not_ok "partial: All Crime, complete, is not in the warning" ;;
*) ok "partial: All Crime, complete, is not in the warning" ;;
esac

# ---- --strict: an error, exit 1, nothing written ----
for f in md pdf docx; do
    echo "an earlier paper" > "strict.$f"
    before=$(md5sum < "strict.$f")
    "$KPI" --db "$DB" report "$TPL" --period "2011/12 Q3" --format "$f" -o "strict.$f" --strict 2>strict.err
    check "--strict $f: exit 1" "1" "$?"
    check "--strict $f: the -o file is untouched" "$before" "$(md5sum < "strict.$f")"
    check_contains "--strict $f: says why" "--strict: the paper is missing figures" "$(cat strict.err)"
    check_contains "--strict $f: lists the figures" \
        "kpi:   Serious Acquisitive Crime: no figure for October to December 2010 and October to December 2011" \
        "$(cat strict.err)"
done
"$KPI" --db "$DB" report "$TPL" --period "2011/12 Q3" --format md --strict >strict.out 2>/dev/null
check "--strict to standard output: exit 1" "1" "$?"
check "--strict to standard output: nothing printed" "0" "$(wc -c < strict.out | tr -d ' ')"
# A paper with every figure passes --strict, silent on stderr.
cat > full.md <<'MD'
# Crime

{{change crime.all subject="crime overall"}}

{{table crime.all crime.sac}}
MD
"$KPI" --db "$DB" report full.md --period "2011/12 Q2" --format md -o full.out.md --strict 2>full.err
check "--strict: a complete paper is written" "0" "$?"
check "--strict: a complete paper warns of nothing" "" "$(cat full.err)"
check_contains "--strict: the complete paper" "Although crime overall in quarter two has increased by 3.0%" \
    "$(tr '\n' ' ' < full.out.md)"

# ---- notes in words on the CLI and in the API's rows ----
c=$("$KPI" --db "$DB" compare --period "2011/12 Q3")
check "compare: a quarterly indicator's note names months in words" \
    "no figure for April to December 2010 and October to December 2011" \
    "$(csv_get "$c" "Domestic Violence Detections" note)"
check_contains "help report lists --strict" "--strict" "$("$KPI" help report 2>&1)"

finish
