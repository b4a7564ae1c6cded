# demo.sh — the worked example reproduces the seed paper's figures.
. "$E2E_LIB"

run_ok "kpi demo builds the example" "$KPI" demo out
for f in kpi.db report.md report.html input/values.csv; do
    [ -s "out/$f" ] && ok "demo wrote $f" || not_ok "demo wrote $f"
done

csv=$("$KPI" --db out/kpi.db compare --period "2011/12 Q2" --area Chorley)
# title | previous | value | change_pct | ytd | ytd_change_pct, as the seed prints them
while IFS='|' read -r title prev cur pct ytd ytdpct; do
    check "$title: Q2 2010/11" "$prev" "$(csv_get "$csv" "$title" previous)"
    check "$title: Q2 2011/12" "$cur" "$(csv_get "$csv" "$title" value)"
    check "$title: % change" "$pct" "$(csv_get "$csv" "$title" change_pct)"
    check "$title: YTD" "$ytd" "$(csv_get "$csv" "$title" ytd)"
    check "$title: YTD % change" "$ytdpct" "$(csv_get "$csv" "$title" ytd_change_pct)"
done <<'ROWS'
All Crime|1413|1455|3.0|2880|-4.6
Serious Acquisitive Crime|145|167|15.2|347|0.3
Burglary Dwelling|44|61|38.6|128|48.8
Vehicle Crime|95|105|10.5|213|-12.3
Robbery|6|1|-83.3|6|-64.7
All Violent Crime|346|378|9.2|730|-1.7
Serious Violent Crime|15|11|-26.7|24|-31.4
Violence Against the Person|313|354|13.1|680|-0.3
Domestic Violence|117|137|17.1|294|17.6
Criminal Damage|280|215|-23.2|445|-28.6
ROWS
# Detection rates are ratio indicators: no % change, and no previous year for DV.
check "DV detections Q2" "77.4" "$(csv_get "$csv" "Domestic Violence Detections" value)"
check "DV detections YTD" "75.8" "$(csv_get "$csv" "Domestic Violence Detections" ytd)"
check "DV detections previous is missing" "" "$(csv_get "$csv" "Domestic Violence Detections" previous)"
check_contains "DV detections note names the missing months in words" "no figure for April to September 2010" \
    "$(csv_get "$csv" "Domestic Violence Detections" note)"
check "Detected arsons previous" "9.1" "$(csv_get "$csv" "Detected Arsons" previous)"
check "Detected arsons Q2" "0.0" "$(csv_get "$csv" "Detected Arsons" value)"
check "Detected arsons YTD" "0.0" "$(csv_get "$csv" "Detected Arsons" ytd)"
check "Detected arsons has no % change" "" "$(csv_get "$csv" "Detected Arsons" change_pct)"
# Fire against annual targets
check "ADF target" "64" "$(csv_get "$csv" "Accidental Dwelling Fires" target)"
check "ADF YTD" "27" "$(csv_get "$csv" "Accidental Dwelling Fires" ytd)"
check "ADF target to date" "32" "$(csv_get "$csv" "Accidental Dwelling Fires" target_to_date)"
check "ADF RAG" "green" "$(csv_get "$csv" "Accidental Dwelling Fires" rag)"
check "DPF YTD" "17" "$(csv_get "$csv" "Deliberate Primary Fires" ytd)"
check "HFSC target" "60" "$(csv_get "$csv" "Vulnerable households that receive a Home Fire Safety Check" target)"
check "HFSC YTD" "60" "$(csv_get "$csv" "Vulnerable households that receive a Home Fire Safety Check" ytd)"
check "HFSC on target is green" "green" "$(csv_get "$csv" "Vulnerable households that receive a Home Fire Safety Check" rag)"
check "seriously injured change" "-75.0" "$(csv_get "$csv" "People seriously injured on Chorley roads" change_pct)"
check "slightly injured change" "-36.4" "$(csv_get "$csv" "People slightly injured on Chorley roads" change_pct)"
check "All crime direction" "worsening" "$(csv_get "$csv" "All Crime" direction)"
check "Robbery direction" "improving" "$(csv_get "$csv" "Robbery" direction)"

d=$("$KPI" --db out/kpi.db delivery --period "2011/12 Q2")
check "delivery green" "39" "$(csv_get "$d" green count)"
check "delivery amber" "5" "$(csv_get "$d" amber count)"
check "delivery unreported" "3" "$(csv_get "$d" unreported count)"
check "delivery total" "47" "$(csv_get "$d" total count)"
check "delivery green percent" "89" "$(csv_get "$d" green percent)"
check "delivery amber percent (the seed's 12% is wrong)" "11" "$(csv_get "$d" amber percent)"

md=$(cat out/report.md)
check_contains "report: generated summary sentence" \
    "Although overall crime in quarter two has increased by 3.0% compared to this period last year, the year to date figure shows a reduction of 4.6%." "$md"
check_contains "report: title" "SECOND QUARTER CHORLEY PARTNERSHIP PERFORMANCE REPORT 2011/2012" "$md"
check_contains "report: fire sentence" "Accidental Dwelling Fires are lower than anticipated" "$md"
for p in "Early Intervention" "Total Alcohol" "Total Family" "VCFS Network" "Review of Local Advice Services"; do
    check_contains "report: project card $p" "$p" "$md"
done
check_contains "report: author" "Louise Wingfield" "$md"
check_contains "report: 89% green" "89%" "$md"
html=$(cat out/report.html)
check_contains "html: has an inline chart" "<svg" "$html"
check_contains "html: chart has a text alternative" "<title" "$html"
check_contains "html: print stylesheet" "@media print" "$html"
finish
