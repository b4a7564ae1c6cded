# formats.sh — the paper as people circulate it (PDF, Word, Excel), opened
# with independent readers (poppler, python-docx, openpyxl), and spreadsheets
# in: an .xlsx values file gives the same figures as the same values in CSV,
# and a bad cell is refused with its address.
. "$E2E_LIB"

# The Debian python3 carries python3-docx and python3-openpyxl; a python3
# earlier on PATH (pyenv, a venv) may not.
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
for f in report.pdf report.docx report.xlsx; do
    [ -s "out/$f" ] && ok "demo wrote $f" || not_ok "demo wrote $f"
done

# ---- PDF ----
pages=$(pdfinfo out/report.pdf | awk '/^Pages:/ {print $2}')
[ "${pages:-0}" -gt 1 ] && ok "pdf: more than one page ($pages)" || not_ok "pdf: more than one page (got '$pages')"
check_contains "pdf: A4" "595.276 x 841.89" "$(pdfinfo out/report.pdf)"
check_contains "pdf: title in the metadata" "SECOND QUARTER CHORLEY PARTNERSHIP" "$(pdfinfo out/report.pdf)"
notemb=$(pdffonts out/report.pdf | awk 'NR > 2 && $(NF-4) != "yes"' | wc -l)
check "pdf: every font embedded" "0" "$notemb"
txt=$(pdftotext out/report.pdf - | tr -s ' \n' '  ')
check_contains "pdf: the paper's title" "SECOND QUARTER CHORLEY PARTNERSHIP PERFORMANCE REPORT 2011/2012" "$txt"
check_contains "pdf: the generated sentence" \
    "Although overall crime in quarter two has increased by 3.0% compared to this period last year, the year to date figure shows a reduction of 4.6%." "$txt"
for fig in 1455 1413 2880 "+38.6" "-83.3" "77.4%" "75.8%" "9.1%"; do
    check_contains "pdf: figure $fig" "$fig" "$txt"
done
for p in "Early Intervention" "Total Alcohol" "Total Family" "VCFS Network" "Review of Local Advice Services"; do
    check_contains "pdf: project $p" "$p" "$txt"
done
check_contains "pdf: RAG as a word" "RAG Status Green" "$txt"
check_contains "pdf: footer with doc id and date" "LSP second quarter performance report new template · 10 November 2011" "$txt"
check_contains "pdf: page numbers" "Page 1 of $pages" "$txt"
case "$txt" in *"Figures shown"*|*"All Crime: Q2 2010/11 1413"*) not_ok "pdf: chart's text alternative kept off the printed page" ;;
*) ok "pdf: chart's text alternative kept off the printed page" ;; esac
check_contains "pdf: the signature" "GARY HALL" "$txt"
# the crime table runs onto a second page with its header row repeated
heads=$(pdftotext -layout out/report.pdf - | grep -c 'Category *Q2 2010/11 *Q2 2011/12')
[ "$heads" -ge 1 ] && ok "pdf: table header row present ($heads)" || not_ok "pdf: table header row present"
[ "$(pdftotext -f "$pages" -l "$pages" out/report.pdf - | grep -c 'Page '"$pages"' of')" -eq 1 ] \
    && ok "pdf: last page numbered" || not_ok "pdf: last page numbered"

# ---- DOCX ----
docx_report=$("$PY" - out/report.docx <<'PY'
import sys, docx, zipfile
d = docx.Document(sys.argv[1])
heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
print("H1", [t for s, t in heads if s == "Heading 1"][0])
print("H2", "|".join(t for s, t in heads if s == "Heading 2"))
print("H3", "|".join(t for s, t in heads if s == "Heading 3"))
crime = [t for t in d.tables if t.rows[0].cells[0].text == "Category"][0]
print("CRIME", "|".join(c.text for c in crime.rows[0].cells))
print("ROW1", "|".join(c.text for c in crime.rows[1].cells))
print("HEADER_REPEATS", "w:tblHeader" in crime._tbl.xml)
print("TABLES", len(d.tables))
cards = [t.rows[0].cells[0].text for t in d.tables if len(t.columns) == 2 and len(t.rows) > 2]
print("CARDS", "|".join(cards))
print("IMAGES", len(d.inline_shapes))
xml = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
print("ALT", "descr=\"All Crime: Q2 2010/11 1413, Q2 2011/12 1455" in xml)
body = "\n".join(p.text for p in d.paragraphs)
print("SENTENCE", "Although overall crime in quarter two has increased by 3.0% compared to this period last year" in body)
styles = {p.style.name for p in d.paragraphs}
print("LISTSTYLE", "List Paragraph" in styles)
num = zipfile.ZipFile(sys.argv[1]).read("word/numbering.xml").decode()
print("NUM9", 'w:startOverride w:val="9"' in num)
footer = d.sections[0].footer.paragraphs[0].text
print("FOOTER", footer)
PY
)
line() { printf '%s\n' "$docx_report" | sed -n "s/^$1 //p"; }
check "docx: Heading 1 is the title" "SECOND QUARTER CHORLEY PARTNERSHIP PERFORMANCE REPORT 2011/2012" "$(line H1)"
check_contains "docx: Heading 2 sections" "PURPOSE OF REPORT|RECOMMENDATION(S)|EXECUTIVE SUMMARY OF REPORT" "$(line H2)"
check_contains "docx: Heading 3 subsections" "All Crime" "$(line H3)"
check "docx: crime table header" "Category|Q2 2010/11|Q2 2011/12|% Change|YTD|% Change" "$(line CRIME)"
check "docx: crime table first row" "All Crime|1413|1455|+3.0|2880|-4.6" "$(line ROW1)"
check "docx: header rows repeat on each page" "True" "$(line HEADER_REPEATS)"
check "docx: project cards are tables" \
    "Early Intervention|Total Alcohol|Total Family|VCFS Network|Review of Local Advice Services" "$(line CARDS)"
check "docx: chart as an image" "1" "$(line IMAGES)"
check "docx: chart has alt text with its figures" "True" "$(line ALT)"
check "docx: generated sentence" "True" "$(line SENTENCE)"
check "docx: lists in List Paragraph style" "True" "$(line LISTSTYLE)"
check "docx: numbered paragraphs keep their numbers (9.)" "True" "$(line NUM9)"
check_contains "docx: footer with doc id and page number" "LSP second quarter performance report new template" "$(line FOOTER)"

# --reference-doc: the council's template lends its styles, page set-up and footer
"$PY" - <<'PY'
import docx
from docx.shared import Pt, Cm
d = docx.Document()
d.styles["Normal"].font.name = "Comic Sans MS"
d.styles["Normal"].font.size = Pt(13)
s = d.sections[0]
s.left_margin = Cm(3.5)
s.footer.paragraphs[0].text = "Chorley Council house footer"
d.add_paragraph("template")
d.save("council.docx")
PY
run_ok "report with --reference-doc" "$KPI" --db out/kpi.db report out/input/report.md --period "2011/12 Q2" \
    --area Chorley --format docx --reference-doc council.docx -o styled.docx
styles=$("$PY" -c 'import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read("word/styles.xml").decode())' styled.docx)
check_contains "reference: its font in styles.xml" 'w:ascii="Comic Sans MS"' "$styles"
check_contains "reference: its size in styles.xml (13 pt)" '<w:sz w:val="26"/>' "$styles"
check_contains "reference: our table style added" 'w:styleId="KpiTable"' "$styles"
ref=$("$PY" - styled.docx <<'PY'
import sys, docx
d = docx.Document(sys.argv[1])
s = d.sections[0]
print(round(s.left_margin.cm, 1), "|", s.footer.paragraphs[0].text, "|", d.styles["Normal"].font.name,
      "|", len(d.tables), "|", len(d.inline_shapes))
PY
)
check "reference: margin, footer, font; tables and chart still there" \
    "3.5 | Chorley Council house footer | Comic Sans MS | 11 | 1" "$ref"
printf 'not a docx' > bad.docx
refuse "reference: a file that is not a .docx is refused" 1 "bad.docx: not a Word \\(.docx\\) document" \
    "$KPI" --db out/kpi.db report out/input/report.md --period "2011/12 Q2" --format docx --reference-doc bad.docx -o x.docx
[ ! -e x.docx ] && ok "reference: nothing written on failure" || not_ok "reference: nothing written on failure"
refuse "reference: only with docx" 2 "reference-doc goes with --format docx" \
    "$KPI" --db out/kpi.db report out/input/report.md --period "2011/12 Q2" --format pdf --reference-doc council.docx -o x.pdf

# ---- XLSX ----
xl=$("$PY" - out/report.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("SHEETS", "|".join(wb.sheetnames))
ws = wb["All Crime"]
print("HEAD", "|".join(str(c.value) for c in ws[1]))
b2 = ws["C2"]
print("C2", type(b2.value).__name__, b2.value, b2.number_format)
print("D2", ws["D2"].value, ws["D2"].number_format)
print("FREEZE", ws.freeze_panes)
dv = [r for r in ws.iter_rows(values_only=True) if r[0] == "Domestic Violence Detections"][0]
print("DVD", dv[2], ws.cell(row=[i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if r[0] == "Domestic Violence Detections"][0], column=3).number_format)
f = wb["Figures"]
print("FHEAD", ",".join(str(c.value) for c in f[1]))
rows = {r[0]: r for r in f.iter_rows(min_row=2, values_only=True)}
a = rows["crime.all"]
print("FALL", type(a[4]).__name__, a[4], a[5], a[7], a[14])
print("FPCT", f.cell(row=2, column=8).number_format)
print("FRAG", rows["fire.adf"][13], len(f.conditional_formatting))
p = wb["Projects"]
print("PROJ", p["A2"].value, "|", p["C2"].value)
PY
)
xline() { printf '%s\n' "$xl" | sed -n "s/^$1 //p"; }
check "xlsx: a sheet per table, projects, delivery and figures" "All Crime|Fire related KPI's|Projects|Delivery|Figures" "$(xline SHEETS)"
check "xlsx: table header" "Category|Q2 2010/11|Q2 2011/12|% Change|YTD|% Change" "$(xline HEAD)"
check "xlsx: 1455 stored as a number" "int 1455 0" "$(xline C2)"
check "xlsx: a % change is a fraction, its sign in the format" "0.03 +0.0%;-0.0%;0.0%" "$(xline D2)"
check "xlsx: header row frozen" "A2" "$(xline FREEZE)"
check "xlsx: a percentage is a percentage" "0.774 0.0%" "$(xline DVD)"
check "xlsx: Figures has the compare columns" \
    "indicator,title,area,period,value,previous,change,change_pct,ytd,ytd_previous,ytd_change_pct,target,target_to_date,rag,direction,note,variation,assurance,spc_mean,spc_lower,spc_upper,significance,p_value" \
    "$(xline FHEAD)"
check "xlsx: Figures holds the numbers" "int 1455 1413 0.03 worsening" "$(xline FALL)"
check "xlsx: % change formatted as a percentage" "+0.0%;-0.0%;0.0%" "$(xline FPCT)"
check_contains "xlsx: RAG as text with a conditional fill" "green " "$(xline FRAG)"
check "xlsx: projects sheet" "Early Intervention | Green" "$(xline PROJ)"
# one stored number and format per figure, as `kpi compare` and `kpi delivery` say (tests/xlsx_figures.py)
"$KPI" --db out/kpi.db compare --period "2011/12 Q2" --area Chorley >xc.csv
"$KPI" --db out/kpi.db delivery --period "2011/12 Q2" >xd.csv
xf=$("$PY" "$ROOT/tests/xlsx_figures.py" out/report.xlsx --compare xc.csv --delivery xd.csv 2>&1) &&
    ok "xlsx: one number and format per figure" || { not_ok "xlsx: one number and format per figure"; printf '%s\n' "$xf" | head; }

# ---- spreadsheets in ----
"$PY" - out/input <<'PY'
import csv, sys, openpyxl
NUMERIC = {"value", "numerator", "denominator", "target", "tolerance"}
for kind in ["indicators", "targets", "values", "projects", "statuses"]:
    rows = list(csv.reader(open("%s/%s.csv" % (sys.argv[1], kind), encoding="utf-8-sig")))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for i, r in enumerate(rows):
        out = []
        for j, c in enumerate(r):
            if i and rows[0][j] in NUMERIC and c != "":
                v = float(c)  # a spreadsheet stores numbers as binary doubles
                out.append(int(v) if v.is_integer() and "." not in c else v)
            else:
                out.append(c if c != "" else None)
        ws.append(out)
    wb.save("%s.xlsx" % kind)
PY
run_ok "init a database for the spreadsheets" "$KPI" init --area Chorley
for k in indicators targets values projects statuses; do
    run_ok "import $k.xlsx" "$KPI" import "$k" "$k.xlsx"
done
check "xlsx values give the same compare as the CSV" \
    "$("$KPI" --db out/kpi.db compare --period "2011/12 Q2")" "$("$KPI" compare --period "2011/12 Q2")"
check "xlsx values give the same delivery as the CSV" \
    "$("$KPI" --db out/kpi.db delivery --period "2011/12 Q2")" "$("$KPI" delivery --period "2011/12 Q2")"

"$PY" - <<'PY'
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Sheet1"
ws.append(["indicator", "area", "period", "value"])
for p in ["2012/13 Q1", "2012/13 Q2", "2012/13 Q3", "2012/13 Q4", "2013/14 Q1"]:
    ws.append(["roads.seriously-injured", "Chorley", p, 3])
ws.append(["roads.seriously-injured", "Chorley", "2013/14 Q2", "abc"])   # D7
q = wb.create_sheet("Q3 values")
q.append(["indicator", "period", "value"])
q.append(["roads.seriously-injured", "2013/14 Q3", 4])
q.append(["roads.seriously-injured", "2013/14 Q4", 1.1234567])         # C3
wb.save("values.xlsx")
s = openpyxl.Workbook()
s.active.append(["indicator", "period", "value"])
s.active.append(["roads.seriously-injured", "2014/15 Q1", 2, None, "stray"])  # E2
s.save("stray.xlsx")
PY
refuse "xlsx: a bad cell is refused with its address" 1 "^kpi: values.xlsx:Sheet1!D7: value 'abc': not a number$" \
    "$KPI" import values values.xlsx
refuse "xlsx: --sheet names another sheet, quoted in messages" 1 \
    "values.xlsx:'Q3 values'!C3: value '1.1234567': too many decimal places" \
    "$KPI" import values --sheet "Q3 values" values.xlsx
refuse "xlsx: an unknown sheet lists the sheets" 1 "values.xlsx: no sheet 'Q4' \\(sheets: Sheet1, Q3 values\\)" \
    "$KPI" import values --sheet Q4 values.xlsx
refuse "xlsx: a value beyond the header is refused" 1 "stray.xlsx:Sheet!E2: a value in column E" \
    "$KPI" import values stray.xlsx
refuse "xlsx: --sheet with a CSV file" 1 "applies to .xlsx workbooks" \
    "$KPI" import values --sheet Data out/input/values.csv
printf 'PK\003\004 not really a zip' > broken.xlsx
refuse "xlsx: a broken workbook" 1 "broken.xlsx: not an .xlsx workbook" "$KPI" import values broken.xlsx
refuse "xlsx: --sheet is not for police data" 2 "--sheet goes with spreadsheet files" \
    "$KPI" import police --sheet x values.xlsx

# ---- LibreOffice, where installed: the DOCX opens and converts ----
if command -v soffice >/dev/null 2>&1; then
    if timeout 180 soffice --headless --convert-to pdf --outdir lo out/report.docx >/dev/null 2>&1 && [ -s lo/report.pdf ]; then
        ok "libreoffice opens the docx"
        check_contains "libreoffice: the figures survive" "1455" "$(pdftotext lo/report.pdf -)"
    else
        not_ok "libreoffice opens the docx"
    fi
else
    echo "# skipped the LibreOffice check: soffice is not installed"
fi
finish
