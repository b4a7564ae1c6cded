# paper.sh — papers that read well (docs/formats.md): in the worked
# example's PDF no table is split into fewer than two rows on either side of a
# page break (a table that fits on a page sits on one page), a long table
# breaks with its header repeated and at least two rows on every page; the
# Word paper carries the same rules as Word's own marks (w:cantSplit on every
# row, w:tblHeader on header rows, w:keepNext on headings, lead-ins and the
# rows of a table that fits on a page, only the ends of a longer one); a
# chart's text alternative is kept off the printed page (PDF, Word body, text)
# and sits in the HTML's <desc> and the Word image's alt text (Markdown folds
# it into <details>); the y axis has a title; project descriptions keep their
# numbered and bulleted lists in every format.
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

run_ok "kpi demo builds every format" "$KPI" demo out
(cd out && "$KPI" report input/report.md --period "2011/12 Q2" --format txt -o paper.txt) \
    && ok "the worked example as text" || not_ok "the worked example as text"
pdf=out/report.pdf
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')

# page_of TEXT: the first page whose text holds TEXT (0 when none)
page_of() {
    local n
    for n in $(seq 1 "$pages"); do
        if pdftotext -f "$n" -l "$n" -layout "$pdf" - | grep -qF -- "$1"; then echo "$n"; return; fi
    done
    echo 0
}

# same_page NAME TEXT...: every TEXT is on one page
same_page() {
    local name=$1 first p; shift
    first=$(page_of "$1")
    for t in "$@"; do
        p=$(page_of "$t")
        if [ "$p" = 0 ] || [ "$p" != "$first" ]; then
            not_ok "$name"; printf '  "%s" on page %s, "%s" on page %s\n' "$1" "$first" "$t" "$p"; return
        fi
    done
    ok "$name (page $first)"
}

# ---- tables keep together ----
same_page "pdf: the crime table (12 rows) on one page" "Category" "All Crime   " "Serious Acquisitive" \
    "Detected Arsons" "Criminal Damage   "
same_page "pdf: the fire table (3 rows) on one page" "YTD Performance" "Deliberate Primary Fires" \
    "Vulnerable households"
same_page "pdf: the implications table (4 rows, once split 1 + 3) on one page" "Finance" \
    "Human Resources" "Legal" "No significant implications"
same_page "pdf: a heading keeps with its introduction and table" "IMPLICATIONS OF REPORT" \
    "This report has implications" "Finance"
same_page "pdf: the crime heading keeps with its table" "All Crime" "broken down into the following" \
    "Detected Arsons"
same_page "pdf: a card keeps together" "Total Alcohol" "Circles of Need" "stage one has been completed"
# no page ends with a heading: the line after a heading is on its page
for h in "PERFORMANCE INDICATORS" "PARTNERSHIP PROJECTS DELIVERY" "Other Key Partnership Indicators"; do
    n=$(page_of "$h")
    last=$(pdftotext -f "$n" -l "$n" -layout "$pdf" - | grep -v '^[[:space:]]*$' | grep -v 'Page [0-9]* of' | tail -1)
    case "$last" in
    *"$h"*) not_ok "pdf: '$h' is not the last line of page $n" ;;
    *) ok "pdf: '$h' is not the last line of page $n" ;;
    esac
done

# A long table (N indicators) breaks across pages with its header on every
# page and at least two rows on each side of every break, wherever the break
# falls: N runs over a range so the last rows land at every place on a page.
mkdir -p long && cd long || exit 1
run_ok "long: init" "$KPI" init --area Northtown
{
    echo "code,title,unit,polarity,aggregate,frequency,decimals"
    for i in $(seq -w 1 60); do echo "t.$i,Row $i,count,lower,sum,quarter,0"; done
} > ind.csv
run_ok "long: import 60 indicators" "$KPI" import indicators ind.csv
{
    echo "indicator,area,period,value"
    for i in $(seq -w 1 60); do echo "t.$i,Northtown,2011/12 Q2,$((10#$i * 7))"; done
} > val.csv
run_ok "long: import values" "$KPI" import values val.csv
fails=
for n in $(seq 27 31) $(seq 53 57); do
    {
        echo "# A long table"
        echo
        echo "Some words before the table, to move where it starts."
        echo
        echo "{{table $(seq -w 1 60 | head -n "$n" | sed 's/^/t./' | tr '\n' ' ') columns=\"title value\" headers=\"Row|Value\"}}"
    } > long.md
    "$KPI" report long.md --period "2011/12 Q2" --format pdf -o long.pdf 2>err || { fails="$fails $n:exit"; continue; }
    np=$(pdfinfo long.pdf | awk '/^Pages:/ {print $2}')
    total=0
    for p in $(seq 1 "$np"); do
        t=$(pdftotext -f "$p" -l "$p" -layout long.pdf -)
        rows=$(printf '%s\n' "$t" | grep -c '^ *Row [0-9][0-9] ')
        heads=$(printf '%s\n' "$t" | grep -c '^ *Row  *Value')
        total=$((total + rows))
        [ "$rows" -eq 0 ] && [ "$heads" -eq 0 ] && continue # the table is not on this page
        [ "$rows" -ge 2 ] || fails="$fails $n:p$p:$rows-rows"
        [ "$heads" -eq 1 ] || fails="$fails $n:p$p:no-header"
    done
    [ "$total" -eq "$n" ] || fails="$fails $n:total=$total"
    [ "$np" -ge 2 ] || fails="$fails $n:one-page"
done
check "pdf: long tables (27..31 and 53..57 rows) break with the header and >= 2 rows on every page" "" "$fails"
cd .. || exit 1

# ---- the Word paper keeps together in Word's terms ----
# docx_keeps FILE: one line per block of the body: "T ROWS" for a table, with
# each row as K (every paragraph w:keepNext), . (none) or ? (some), then the
# rows with w:cantSplit and with w:tblHeader; "P K|- STYLE TEXT" for a paragraph.
docx_keeps() {
    "$PY" - "$1" <<'PY'
import sys, zipfile, re
xml = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
body = xml[xml.index("<w:body>"):]
def keeps(p):
    ppr = re.match(r"<w:p>\s*<w:pPr>(.*?)</w:pPr>", p, re.S)
    return bool(ppr) and "<w:keepNext/>" in ppr.group(1)
for m in re.finditer(r"<w:tbl>.*?</w:tbl>|<w:p>.*?</w:p>|<w:p/>", body, re.S):
    s = m.group(0)
    if s.startswith("<w:tbl>"):
        rows = re.findall(r"<w:tr>.*?</w:tr>", s, re.S)
        marks = ""
        for r in rows:
            k = [keeps(p) for p in re.findall(r"<w:p>.*?</w:p>|<w:p/>", r, re.S)]
            marks += "K" if all(k) else "." if not any(k) else "?"
        split = sum("<w:cantSplit/>" in r for r in rows)
        head = sum("<w:tblHeader/>" in r for r in rows)
        first = re.sub(r"<[^>]+>", "", re.search(r"<w:tc>.*?</w:tc>", rows[0], re.S).group(0))
        print("T", len(rows), marks, "cantSplit=%d" % split, "tblHeader=%d" % head, first)
    else:
        st = re.search(r'<w:pStyle w:val="([^"]+)"', s)
        print("P", "K" if keeps(s) else "-", st.group(1) if st else "Normal", re.sub(r"<[^>]+>", "", s))
PY
}
keeps=$(docx_keeps out/report.docx)
tables=$(printf '%s\n' "$keeps" | grep -c '^T ')
[ "$tables" -ge 10 ] && ok "docx: the worked example's tables read back ($tables)" || not_ok "docx: tables read back ($tables)"
bad=$(printf '%s\n' "$keeps" | awk '$1 == "T" && $4 != "cantSplit=" $2' | cut -c1-60)
check "docx: every table row is w:cantSplit" "" "$bad"
check_contains "docx: the crime table: its header row w:tblHeader, every row but the last keeps with the next" \
    "T 13 KKKKKKKKKKKK. cantSplit=13 tblHeader=1 Category" "$keeps"
check_contains "docx: the ticked priorities keep together" "T 5 KKKK. cantSplit=5" "$keeps"
check_contains "docx: a project card keeps together" "T 4 KKK. cantSplit=4 tblHeader=1 Total Alcohol" "$keeps"
check_contains "docx: the implications table keeps together" "T 4 KKK. cantSplit=4 tblHeader=0 Finance" "$keeps"
bad=$(printf '%s\n' "$keeps" | awk '$1 == "P" && $3 ~ /^Heading/ && $2 != "K"')
check "docx: every heading w:keepNext" "" "$bad"
[ "$(printf '%s\n' "$keeps" | grep -c '^P K Heading')" -ge 10 ] && ok "docx: headings found" || not_ok "docx: headings found"
check_contains "docx: a lead-in keeps with its table" "P K ListParagraph This report relates to the following Strategic Objectives:" "$keeps"
check_contains "docx: the crime lead-in keeps with its table" "broken down into the following categories:" \
    "$(printf '%s\n' "$keeps" | grep '^P K ListParagraph')"
check_contains "docx: the chart's title keeps with the chart" "P K Caption Recorded crime in Chorley" "$keeps"
check_contains "docx: a paragraph that leads into nothing does not keep" "P - ListParagraph That the report be noted." "$keeps"
check_contains "docx: a sentence of the summary does not keep" \
    "P - ListParagraph Although overall crime in quarter two has increased" "$keeps"

# a table that fits on a page keeps whole; a long one keeps only its ends
cd long || exit 1
for n in 30 60; do
    {
        echo "# A long table"
        echo
        echo "Some words before the table, to move where it starts."
        echo
        echo "{{table $(seq -w 1 60 | head -n "$n" | sed 's/^/t./' | tr '\n' ' ') columns=\"title value\" headers=\"Row|Value\"}}"
    } > long$n.md
    run_ok "long: $n rows as Word" "$KPI" report long$n.md --period "2011/12 Q2" --format docx -o long$n.docx
done
k30=$(docx_keeps long30.docx | grep '^T ')
k60=$(docx_keeps long60.docx | grep '^T ')
check "docx: 30 rows fit on a page: every row but the last keeps with the next" \
    "T 31 $(printf 'K%.0s' $(seq 30)). cantSplit=31 tblHeader=1 Row" "$k30"
check "docx: 60 rows break: the header with two rows, the last two together, the rest free" \
    "T 61 KK$(printf '.%.0s' $(seq 57))K. cantSplit=61 tblHeader=1 Row" "$k60"
check_contains "docx: the long table's heading keeps with it" "P K Heading1 A long table" "$(docx_keeps long60.docx)"
cd .. || exit 1

# ---- the chart's text alternative ----
alt="All Crime: Q2 2010/11 1413, Q2 2011/12 1455"
ptxt=$(pdftotext "$pdf" - | tr -s ' \n' '  ')
case "$ptxt" in
*"Figures shown"* | *"$alt"*) not_ok "pdf: no text alternative printed under the chart" ;;
*) ok "pdf: no text alternative printed under the chart" ;;
esac
check_contains "html: the text alternative is the SVG's <desc>" "<desc id=\"kpi-chart-1-desc\">$alt" "$(cat out/report.html)"
check_contains "html: the y axis is titled" 'class="axis-title"' "$(cat out/report.html)"
check_contains "html: the axis title says what is counted" '>Crimes</text>' "$(cat out/report.html)"
check_contains "md: the text alternative folded away" "<details><summary>Figures shown</summary>" "$(cat out/report.md)"
md_body=$(sed '/<details>/,/<\/details>/d' out/report.md)
case "$md_body" in *"$alt"*) not_ok "md: not in the body outside <details>" ;; *) ok "md: not in the body outside <details>" ;; esac
case "$(cat out/paper.txt)" in
*"$alt"*) not_ok "txt: no text alternative in the body" ;;
*) ok "txt: no text alternative in the body" ;;
esac
check_contains "txt: the chart's title is there" "Chart: Recorded crime in Chorley" "$(cat out/paper.txt)"
check_contains "pdf: the y axis is titled" "Crimes" "$(pdftotext "$pdf" -)"

docx=$("$PY" - out/report.docx "$alt" <<'PY'
import sys, zipfile, re, docx
path, alt = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
xml = z.read("word/document.xml").decode()
body = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
print("BODY", "yes" if alt in body or "Figures shown" in body else "no")
print("ALT", "yes" if re.search(r'<wp:docPr [^>]*descr="' + re.escape(alt), xml) else "no")
# list paragraphs: numbering id -> format of level 0
num = z.read("word/numbering.xml").decode()
absfmt = {a: f for a, f in re.findall(r'<w:abstractNum [^>]*w:abstractNumId="(\d+)".*?<w:lvl w:ilvl="0"[^>]*>.*?<w:numFmt w:val="(\w+)"', num, re.S)}
numabs = dict(re.findall(r'<w:num w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', num))
d = docx.Document(path)
def fmt(text):
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    if p.text.startswith(text):
                        ppr = p._p.pPr
                        if ppr is None or ppr.numPr is None:
                            return "plain"
                        nid = ppr.numPr.numId.val
                        return absfmt.get(numabs.get(str(nid)), "?")
    return "absent"
print("CIRCLES", fmt("Circles of Need"))
print("DATA", fmt("Data Analysis"))
print("FULL", fmt("Full membership"))
PY
)
line() { printf '%s\n' "$docx" | awk -v k="$1" '$1 == k {sub(/^[^ ]* /, ""); print}'; }
check "docx: no text alternative in the body" "no" "$(line BODY)"
check "docx: the text alternative is the image's alt text (wp:docPr descr)" "yes" "$(line ALT)"

# ---- lists in project descriptions, every format ----
check "docx: a numbered list in a description" "decimal" "$(line CIRCLES)"
check "docx: a bulleted list in a commentary" "bullet" "$(line DATA)"
check "docx: the VCFS commentary's list" "bullet" "$(line FULL)"
md=$(cat out/report.md)
check_contains "md: numbered list" $'\n1. Circles of Need' "$md"
check_contains "md: numbered list, third item" $'\n3. Recommendations' "$md"
check_contains "md: bulleted list" $'\n- Data Analysis\n- Case file analysis' "$md"
html=$(cat out/report.html)
check_contains "html: <ol> for the phases" '<ol>
<li value="1">Circles of Need' "$html"
check_contains "html: <ul> for the work completed" '<ul>
<li>Data Analysis</li>' "$html"
txt=$(cat out/paper.txt)
check_contains "txt: numbered list" "1. Circles of Need" "$txt"
check_contains "txt: bulleted list" "- Data Analysis" "$txt"
case "$txt$md$html" in
*"Data Analysis; Case file"*) not_ok "no list flattened into semicolons" ;;
*) ok "no list flattened into semicolons" ;;
esac
playout=$(pdftotext -layout "$pdf" -)
printf '%s\n' "$playout" | grep -Eq '1\. +Circles of Need' && ok "pdf: '1.' marks the first phase" \
    || not_ok "pdf: '1.' marks the first phase"
printf '%s\n' "$playout" | grep -Eq '3\. +Recommendations' && ok "pdf: '3.' marks the third phase" \
    || not_ok "pdf: '3.' marks the third phase"
printf '%s\n' "$playout" | grep -Eq '• +Data Analysis' && ok "pdf: a bullet marks each item" \
    || not_ok "pdf: a bullet marks each item"
order=$(printf '%s\n' "$playout" | grep -nE 'Circles of Need|High Level Count|Recommendations –' | cut -d: -f1 | tr '\n' ' ')
sorted=$(printf '%s\n' $order | sort -n | tr '\n' ' ')
check "pdf: the phases in order" "$sorted" "$order"
xl=$("$PY" - out/report.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
cells = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
print("NUM", any("\n1. Circles of Need" in v and "\n2. High Level Count" in v for v in cells))
print("BUL", any("\n\u2022 Data Analysis\n\u2022 Case file analysis" in v for v in cells))
PY
)
check "xlsx: the numbered list on lines of its own in the cell" "NUM True" "$(printf '%s\n' "$xl" | grep NUM)"
check "xlsx: the bulleted list on lines of its own in the cell" "BUL True" "$(printf '%s\n' "$xl" | grep BUL)"

finish
