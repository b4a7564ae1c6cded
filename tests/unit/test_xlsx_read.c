/* test_xlsx_read.c — the .xlsx reader on workbooks made here part by part
 * (libzip): shared, inline and rich strings, numbers as a spreadsheet shows
 * them, booleans, errors, formulas, sparse rows and cells, the sheet chosen
 * by name, and the places named in messages; and the XML reader beneath it
 * (entities, CDATA, quoted '>', input fed one byte at a time). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "xlsx_read.h"
#include "xml.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char CT[] = "<?xml version=\"1.0\"?><Types xmlns=\"x\"/>";
static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Data\" sheetId=\"3\" r:id=\"rId7\"/><sheet name=\"Q2 values\" sheetId=\"1\" r:id=\"rId2\"/>"
    "</sheets></workbook>";
static const char WB_RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";
static const char SST[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"5\" uniqueCount=\"5\">"
    "<si><t>indicator</t></si><si><t>period</t></si><si><t>value</t></si>"
    "<si><r><rPr><b/></rPr><t>crime</t></r><r><t xml:space=\"preserve\">.all</t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
    "<si><t>a &amp; b &lt;c&gt; &#x2713; line_x000D_end</t></si></sst>";
/* Row 1 header; row 2 sparse (B missing, no r on the last cell); row 3 empty
 * cells only (skipped); row 5 every type. */
static const char SHEET1[] =
    "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<x:sheetData>"
    "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
    "<x:c r=\"C1\" t=\"s\"><x:v>2</x:v></x:c></x:row>"
    "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>3</x:v></x:c><x:c><x:v>77.400000000000006</x:v></x:c></x:row>"
    "<x:row r=\"3\"><x:c r=\"A3\" s=\"1\"/><x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t></x:t></x:is></x:c></x:row>"
    "<x:row r=\"5\"><x:c r=\"A5\" t=\"inlineStr\"><x:is><x:t>inline</x:t></x:is></x:c>"
    "<x:c r=\"B5\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"C5\" t=\"e\"><x:v>#DIV/0!</x:v></x:c>"
    "<x:c r=\"D5\"><x:f>1+2</x:f><x:v>3</x:v></x:c><x:c r=\"E5\" t=\"str\"><x:f>A1</x:f><x:v>txt</x:v></x:c>"
    "<x:c r=\"F5\"><x:v>1E-3</x:v></x:c><x:c r=\"G5\"><x:v>-0.30000000000000004</x:v></x:c>"
    "<x:c r=\"H5\" t=\"s\"><x:v>4</x:v></x:c><x:c r=\"I5\"><x:v>1455</x:v></x:c></x:row>"
    "</x:sheetData></x:worksheet>";
static const char SHEET2[] =
    "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>second</t></is></c></row>"
    "<row><c r=\"B2\"><f>SUM(A1)</f></c></row></sheetData></worksheet>";

/* Write a workbook from (name, text) pairs into a temporary file. */
static char *make_xlsx(const char *const parts[][2], size_t n)
{
    char *path = strdup("/tmp/kpi-test-xlsx-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int code;
    zip_t *za = zip_open(path, ZIP_TRUNCATE, &code);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i][1], strlen(parts[i][1]), 0);
        assert_non_null(s);
        assert_true(zip_file_add(za, parts[i][0], s, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    return path;
}

static char *make_book(void)
{
    static const char *const parts[][2] = {
        {"[Content_Types].xml", CT}, {"_rels/.rels", RELS}, {"xl/workbook.xml", WORKBOOK},
        {"xl/_rels/workbook.xml.rels", WB_RELS}, {"xl/sharedStrings.xml", SST},
        {"xl/worksheets/sheet1.xml", SHEET1}, {"xl/worksheets/sheet2.xml", SHEET2},
    };
    return make_xlsx(parts, NELEM(parts));
}

static void test_first_sheet_rows(void **state)
{
    (void)state;
    char *path = make_book();
    XlsxReader r;
    Err err = ERR_INIT;
    assert_int_equal(xlsx_open(&r, path, NULL, &err), 0);
    assert_string_equal(xlsx_sheet(&r), "Data"); /* workbook order, not sheetId */

    assert_int_equal(xlsx_next(&r, &err), 1);
    assert_int_equal(xlsx_row(&r), 1);
    assert_int_equal(xlsx_ncells(&r), 3);
    assert_string_equal(xlsx_cell(&r, 0), "indicator");
    assert_string_equal(xlsx_cell(&r, 2), "value");

    assert_int_equal(xlsx_next(&r, &err), 1);
    assert_int_equal(xlsx_row(&r), 2);
    assert_string_equal(xlsx_cell(&r, 0), "crime.all"); /* rich runs joined, phonetic dropped */
    assert_string_equal(xlsx_cell(&r, 1), "77.4");      /* as a spreadsheet shows it */
    assert_string_equal(xlsx_cell(&r, 2), "");
    assert_string_equal(xlsx_cell(&r, 99), "");

    assert_int_equal(xlsx_next(&r, &err), 1); /* row 3 holds nothing: skipped */
    assert_int_equal(xlsx_row(&r), 5);
    static const char *const want[] = {"inline", "TRUE",    "#DIV/0!", "3",   "txt",
                                       "0.001",  "-0.3", "a & b <c> \xe2\x9c\x93 line\rend", "1455"};
    assert_int_equal(xlsx_ncells(&r), (int)NELEM(want));
    for (size_t i = 0; i < NELEM(want); i++)
        assert_string_equal(xlsx_cell(&r, (int)i), want[i]);
    assert_int_equal(xlsx_next(&r, &err), 0);
    assert_int_equal(xlsx_next(&r, &err), 0);
    xlsx_close(&r);
    err_release(&err);
    unlink(path);
    free(path);
}

static void test_sheet_by_name_and_formula_without_value(void **state)
{
    (void)state;
    char *path = make_book();
    XlsxReader r;
    Err err = ERR_INIT;
    assert_int_equal(xlsx_open(&r, path, "q2 VALUES", &err), 0); /* names match without case */
    assert_string_equal(xlsx_sheet(&r), "Q2 values");
    assert_int_equal(xlsx_next(&r, &err), 1);
    assert_string_equal(xlsx_cell(&r, 0), "second");
    assert_int_equal(xlsx_next(&r, &err), -1);
    char *msg = strstr(err_msg(&err), "'Q2 values'!B2: a formula without a computed value");
    assert_non_null(msg);
    xlsx_close(&r);
    err_release(&err);
    unlink(path);
    free(path);
}

static void test_open_errors(void **state)
{
    (void)state;
    char *path = make_book();
    XlsxReader r;
    Err err = ERR_INIT;
    assert_int_equal(xlsx_open(&r, path, "Nope", &err), -1);
    assert_non_null(strstr(err_msg(&err), "no sheet 'Nope' (sheets: Data, Q2 values)"));
    xlsx_close(&r);
    unlink(path);
    free(path);

    static const char *const no_wb[][2] = {{"hello.txt", "hi"}};
    path = make_xlsx(no_wb, NELEM(no_wb));
    assert_int_equal(xlsx_open(&r, path, NULL, &err), -1);
    assert_non_null(strstr(err_msg(&err), "not an .xlsx workbook (it has no xl/workbook.xml)"));
    xlsx_close(&r);
    unlink(path);
    free(path);

    assert_int_equal(xlsx_open(&r, "/nonexistent/x.xlsx", NULL, &err), -1);
    assert_non_null(strstr(err_msg(&err), "/nonexistent/x.xlsx: not an .xlsx workbook"));
    xlsx_close(&r);

    static const char *const bad_sst[][2] = {
        {"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", WB_RELS},
        {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"4\"><c r=\"C4\" t=\"s\"><v>9</v></c></row>"
                                     "</sheetData></worksheet>"},
    };
    path = make_xlsx(bad_sst, NELEM(bad_sst));
    assert_int_equal(xlsx_open(&r, path, NULL, &err), 0); /* no shared strings part: fine */
    assert_int_equal(xlsx_next(&r, &err), -1);
    assert_non_null(strstr(err_msg(&err), ":Data!C4: a shared string that the workbook does not have"));
    xlsx_close(&r);
    unlink(path);
    free(path);
    err_release(&err);
}

static void test_cell_names(void **state)
{
    (void)state;
    static const struct {
        int col;
        long row;
        const char *name;
    } cases[] = {{0, 1, "A1"}, {3, 7, "D7"}, {25, 9, "Z9"}, {26, 10, "AA10"}, {701, 2, "ZZ2"},
                 {702, 3, "AAA3"}, {16383, 1048576, "XFD1048576"}};
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        int col;
        long row;
        xlsx_cell_name(&b, cases[i].col, cases[i].row);
        assert_string_equal(buf_cstr(&b), cases[i].name);
        assert_int_equal(xlsx_ref_parse(cases[i].name, &col, &row), 0);
        assert_int_equal(col, cases[i].col);
        assert_int_equal(row, cases[i].row);
        buf_release(&b);
    }
    int col;
    long row;
    assert_int_equal(xlsx_ref_parse("$B$3", &col, &row), 0);
    assert_int_equal(col, 1);
    static const char *const bad[] = {"", "A", "7", "A0", "XFE1", "AAAA1", "A1048577", "A1x", "1A"};
    for (size_t i = 0; i < NELEM(bad); i++)
        assert_int_equal(xlsx_ref_parse(bad[i], &col, &row), -1);

    Buf w = BUF_INIT;
    xlsx_where(&w, "v.xlsx", "Sheet1", 3, 7);
    assert_string_equal(buf_cstr(&w), "v.xlsx:Sheet1!D7");
    buf_reset(&w);
    xlsx_where(&w, "v.xlsx", "Bob's data", -1, 7);
    assert_string_equal(buf_cstr(&w), "v.xlsx:'Bob''s data'!7:7");
    buf_reset(&w);
    xlsx_where(&w, "v.xlsx", "S", 0, 0);
    assert_string_equal(buf_cstr(&w), "v.xlsx:S");
    buf_release(&w);
}

/* ---- xml.c ---- */

typedef struct Drip {
    const char *s;
    size_t pos, len;
} Drip;

/* Feed the reader one byte at a time: every token crosses a refill. */
static long drip(void *ctx, char *buf, size_t cap, Err *err)
{
    Drip *d = ctx;
    (void)err;
    (void)cap;
    if (d->pos >= d->len)
        return 0;
    buf[0] = d->s[d->pos++];
    return 1;
}

/* The events of a document as one line: <a k=v> text </a> ... */
static int xml_events(XmlReader *x, Buf *out, Err *err)
{
    int ev;
    while ((ev = xml_next(x, err)) > 0) {
        if (ev == XML_START) {
            buf_printf(out, "<%s", xml_name(x));
            for (int i = 0; i < x->nattrs; i++) {
                const char *n = x->attrs.data + x->attr_off[i];
                buf_printf(out, " %s=%s", n, n + strlen(n) + 1);
            }
            buf_putc(out, '>');
        } else if (ev == XML_END) {
            buf_printf(out, "</%s>", xml_name(x));
        } else {
            buf_printf(out, "[%s]", xml_text(x));
        }
    }
    return ev;
}

static void test_xml_reader(void **state)
{
    (void)state;
    static const char doc[] =
        "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- a comment > with -- dashes -->"
        "<w:root xmlns:w=\"urn:x\" a=\"1 &gt; 0\" w:b='x\"y'><w:e/>t&amp;&#65;&#x42;<![CDATA[<raw & ok>]]>"
        "<f c=\"a>b\">ü</f></w:root>\n";
    static const char want[] = "<root a=1 > 0 b=x\"y><e></e>[t&AB][<raw & ok>]<f c=a>b>[ü]</f></root>";
    for (int pass = 0; pass < 2; pass++) {
        XmlReader x;
        Drip d = {doc, 0, sizeof doc - 1};
        Err err = ERR_INIT;
        Buf out = BUF_INIT;
        if (pass == 0)
            xml_init_mem(&x, doc, sizeof doc - 1, "t.xml");
        else
            xml_init(&x, drip, &d, "t.xml");
        assert_int_equal(xml_events(&x, &out, &err), XML_EOF);
        assert_string_equal(buf_cstr(&out), want);
        xml_release(&x);
        buf_release(&out);
        err_release(&err);
    }
}

static void test_xml_errors(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *msg;
    } cases[] = {
        {"<a>&nope;</a>", "t.xml: unknown entity '&nope;'"},
        {"<a>x & y</a>", "t.xml: a bare '&' in text"},
        {"<a>&#0;</a>", "t.xml: bad character reference"},
        {"<a><b></a>", "t.xml: the document ends inside an element"},
        {"<a", "t.xml: the document ends inside a tag"},
        {"<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", "t.xml: a document type definition is not supported"},
        {"<a b=c/>", "t.xml: <a>: an unquoted attribute"},
        {"</a>", "t.xml: </a> closes nothing"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        XmlReader x;
        Err err = ERR_INIT;
        Buf out = BUF_INIT;
        xml_init_mem(&x, cases[i].doc, strlen(cases[i].doc), "t.xml");
        assert_int_equal(xml_events(&x, &out, &err), -1);
        if (!strstr(err_msg(&err), cases[i].msg))
            fail_msg("%s: got '%s', wanted '%s'", cases[i].doc, err_msg(&err), cases[i].msg);
        xml_release(&x);
        buf_release(&out);
        err_release(&err);
    }
}

static void test_xml_escape(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c'"},
        {"tab\tline\n", "tab\tline\n"},
        {"bell\x07", "bell\xef\xbf\xbd"},
        {"bad \xff utf8", "bad \xef\xbf\xbd utf8"},
        {"\xc2\xa3 \xe2\x9c\x93 \xf0\x9f\x98\x80", "\xc2\xa3 \xe2\x9c\x93 \xf0\x9f\x98\x80"},
        {"cut \xe2\x9c", "cut \xef\xbf\xbd\xef\xbf\xbd"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        xml_puts(&b, cases[i].in);
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_sheet_rows),
        cmocka_unit_test(test_sheet_by_name_and_formula_without_value),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_cell_names),
        cmocka_unit_test(test_xml_reader),
        cmocka_unit_test(test_xml_errors),
        cmocka_unit_test(test_xml_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
