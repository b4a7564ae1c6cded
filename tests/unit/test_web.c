/* test_web.c — the pure parts of the web layer: the API's JSON reader (strict:
 * one flat object, no duplicates, valid UTF-8, no NUL), JSON strings out, and
 * web_html, the one way text reaches a page (every %s escaped, %u URL-encoded
 * and escaped), and web_form.c's parsers of what a client sends (query
 * string, cookies, urlencoded and multipart bodies: fields or a clear refusal). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "web.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct JsonCase {
    const char *in;
    int ok;              /* 1: parses */
    const char *key;     /* a member to look at when ok */
    JsonType type;
    const char *text;    /* its text (NULL for null) */
    const char *why;     /* part of the error when !ok */
} JsonCase;

static void test_json_parse(void **state)
{
    (void)state;
    static const JsonCase cases[] = {
        {"{}", 1, NULL, JSON_NULL, NULL, NULL},
        {" {\"a\" : \"b\"} \n", 1, "a", JSON_STRING, "b", NULL},
        {"{\"v\":1455}", 1, "v", JSON_NUMBER, "1455", NULL},
        {"{\"v\":-0.25}", 1, "v", JSON_NUMBER, "-0.25", NULL},
        {"{\"v\":1e3}", 1, "v", JSON_NUMBER, "1e3", NULL},
        {"{\"v\":null}", 1, "v", JSON_NULL, NULL, NULL},
        {"{\"v\":true}", 1, "v", JSON_BOOL, "true", NULL},
        {"{\"v\":false}", 1, "v", JSON_BOOL, "false", NULL},
        {"{\"n\":\"a\\\"b\\\\c\\/d\\n\"}", 1, "n", JSON_STRING, "a\"b\\c/d\n", NULL},
        {"{\"n\":\"\\u00e9\\u20ac\"}", 1, "n", JSON_STRING, "\xc3\xa9\xe2\x82\xac", NULL},
        {"{\"n\":\"\\ud83d\\ude00\"}", 1, "n", JSON_STRING, "\xf0\x9f\x98\x80", NULL},
        {"{\"n\":\"caf\xc3\xa9\"}", 1, "n", JSON_STRING, "caf\xc3\xa9", NULL},
        {"", 0, NULL, JSON_NULL, NULL, "expected an object"},
        {"[1]", 0, NULL, JSON_NULL, NULL, "expected an object"},
        {"{\"a\":1", 0, NULL, JSON_NULL, NULL, "expected ',' or '}'"},
        {"{\"a\":1,}", 0, NULL, JSON_NULL, NULL, "member name"},
        {"{\"a\":1} x", 0, NULL, JSON_NULL, NULL, "text after the object"},
        {"{\"a\":1,\"a\":2}", 0, NULL, JSON_NULL, NULL, "given twice"},
        {"{\"a\":{\"b\":1}}", 0, NULL, JSON_NULL, NULL, "must be a string, a number or null"},
        {"{\"a\":[1]}", 0, NULL, JSON_NULL, NULL, "must be a string, a number or null"},
        {"{\"a\":01}", 0, NULL, JSON_NULL, NULL, "expected ',' or '}'"},
        {"{\"a\":1.}", 0, NULL, JSON_NULL, NULL, "bad number"},
        {"{\"a\":-}", 0, NULL, JSON_NULL, NULL, "bad number"},
        {"{\"a\":tru}", 0, NULL, JSON_NULL, NULL, "expected a value"},
        {"{\"a\":\"x\ty\"}", 0, NULL, JSON_NULL, NULL, "control character"},
        {"{\"a\":\"\\u0000\"}", 0, NULL, JSON_NULL, NULL, "NUL"},
        {"{\"a\":\"\\ud800\"}", 0, NULL, JSON_NULL, NULL, "lone surrogate"},
        {"{\"a\":\"\\udc00\"}", 0, NULL, JSON_NULL, NULL, "lone surrogate"},
        {"{\"a\":\"\\x\"}", 0, NULL, JSON_NULL, NULL, "bad escape"},
        {"{\"a\":\"\\u12\"}", 0, NULL, JSON_NULL, NULL, "bad \\u escape"},
        {"{\"a\":\"\xff\"}", 0, NULL, JSON_NULL, NULL, "not UTF-8"},
        {"{\"a\":\"\xc0\xaf\"}", 0, NULL, JSON_NULL, NULL, "not UTF-8"},
        {"{\"a\":\"\xed\xa0\x80\"}", 0, NULL, JSON_NULL, NULL, "not UTF-8"},
        {"{\"a\":\"abc", 0, NULL, JSON_NULL, NULL, "unterminated string"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const JsonCase *c = &cases[i];
        JsonObject o;
        Err err = ERR_INIT;
        int rc = json_parse_object(c->in, strlen(c->in), &o, &err);
        if (c->ok) {
            if (rc != 0)
                fail_msg("case %zu (%s): %s", i, c->in, err_msg(&err));
            if (c->key) {
                const JsonMember *m = json_get(&o, c->key);
                assert_non_null(m);
                assert_int_equal(m->type, c->type);
                if (c->text)
                    assert_string_equal(m->text, c->text);
                else
                    assert_null(m->text);
            }
            json_object_release(&o);
        } else {
            if (rc != -1)
                fail_msg("case %zu (%s): accepted", i, c->in);
            if (!strstr(err_msg(&err), c->why))
                fail_msg("case %zu (%s): '%s' does not say '%s'", i, c->in, err_msg(&err), c->why);
            assert_int_equal(o.n, 0);
        }
        err_release(&err);
    }
}

static void test_json_limits(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    JsonObject o;
    Err err = ERR_INIT;
    buf_putc(&b, '{');
    for (int i = 0; i <= JSON_MAX_MEMBERS; i++)
        buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
    buf_putc(&b, '}');
    assert_int_equal(json_parse_object(b.data, b.len, &o, &err), -1);
    assert_non_null(strstr(err_msg(&err), "too many members"));
    err_release(&err);
    /* an embedded NUL byte is never part of the object */
    assert_int_equal(json_parse_object("{}\0{}", 5, &o, &err), -1);
    err_release(&err);
    buf_release(&b);
}

static void test_json_string(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    json_string(&b, "a\"b\\c\nd\x01" "e\xc3\xa9");
    assert_string_equal(buf_cstr(&b), "\"a\\\"b\\\\c\\nd\\u0001e\xc3\xa9\"");
    buf_release(&b);
}

static void test_web_html(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    web_html(&b, "<p class=\"x\">%s</p>", "<script>alert('x') & \"y\"</script>");
    assert_string_equal(buf_cstr(&b), "<p class=\"x\">&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p>");
    buf_reset(&b);
    web_html(&b, "<a href=\"/i/%u?p=%u\">%d %l %%</a>", "crime.all", "2011/12 Q2&x=<\"", -3, (int64_t)1 << 40);
    assert_string_equal(buf_cstr(&b), "<a href=\"/i/crime.all?p=2011/12%20Q2%26x%3D%3C%22\">-3 1099511627776 %</a>");
    buf_reset(&b);
    web_html(&b, "[%s][%u]", (const char *)NULL, (const char *)NULL);
    assert_string_equal(buf_cstr(&b), "[][]");
    buf_release(&b);
}

/* Times in words: the hour on a 12-hour clock, midnight and noon as 12; a stamp that is not one is shown as
 * text (escaped). */
static void test_web_html_when(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"2011-10-03T14:05:09Z", "<time datetime=\"2011-10-03T14:05:09Z\">3 October 2011 at 2:05pm</time>"},
        {"2012-01-31T00:07:00Z", "<time datetime=\"2012-01-31T00:07:00Z\">31 January 2012 at 12:07am</time>"},
        {"2011-12-25T12:00:00Z", "<time datetime=\"2011-12-25T12:00:00Z\">25 December 2011 at 12:00pm</time>"},
        {"2011-13-01T10:00:00Z", "2011-13-01T10:00:00Z"},
        {"<b>soon</b>", "&lt;b&gt;soon&lt;/b&gt;"},
    };
    Buf b = BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        web_html_when(&b, cases[i][0]);
        assert_string_equal(buf_cstr(&b), cases[i][1]);
    }
    buf_release(&b);
}

/* A table downloads as CSV with its header line and one line per row, quoted where needed. */
static void test_web_download_csv(void **state)
{
    (void)state;
    WebReq r;
    memset(&r, 0, sizeof r);
    DocBlocks bl = {0};
    DocTable *t = doc_add_table(&bl, 2, NULL);
    doc_table_header(t, 0, "Indicator", DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "Note", DOC_ALIGN_LEFT);
    int row = doc_table_row(t);
    doc_cell_set(doc_table_cell(t, row, 0), "All Crime", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, row, 1), "up, \"sharply\"", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    assert_int_equal(web_download(&r, t, "csv", "dash/board 2011"), 0);
    assert_string_equal(buf_cstr(&r.out), "Indicator,Note\nAll Crime,\"up, \"\"sharply\"\"\"\n");
    assert_string_equal(r.ctype, "text/csv; charset=utf-8");
    assert_int_equal(r.nhdr, 1);
    assert_string_equal(r.hdr[0].value, "attachment; filename=\"dash-board-2011.csv\"");
    free(r.hdr[0].value);
    buf_release(&r.out);
    doc_blocks_release(&bl);
}

/* The fields of a form as "name=value|..." (filename in brackets). */
static void form_text(const WebForm *f, Buf *out)
{
    buf_reset(out);
    for (int i = 0; i < f->n; i++) {
        if (i)
            buf_putc(out, '|');
        buf_printf(out, "%s=%s", f->fields[i].name, buf_cstr(&f->fields[i].value));
        if (f->fields[i].filename)
            buf_printf(out, "[%s]", f->fields[i].filename);
    }
}

typedef struct FormCase {
    int kind;            /* 0 urlencoded, 1 cookies, 2 multipart (boundary XyZ) */
    const char *in;
    int ok;
    const char *want;    /* fields when ok; part of the message when not */
    int too_big;         /* when not ok */
} FormCase;

static void test_web_form(void **state)
{
    (void)state;
    static const FormCase cases[] = {
        {0, "", 1, "", 0},
        {0, "a=1&b=x+y%21%2b&&c&d=", 1, "a=1|b=x y!+|c=|d=", 0},
        {0, "period=2011%2F12+Q2&area=Chorley", 1, "period=2011/12 Q2|area=Chorley", 0},
        {0, "a=%zz", 0, "not followed by two hexadecimal digits", 0},
        {0, "a=%4", 0, "not followed by two hexadecimal digits", 0},
        {0, "a=1&b=%", 0, "'b'", 0},
        {0, "%zz=1", 0, "name has a '%'", 0},
        {0, "=x", 0, "no name", 0},
        {0, "a%00b=1", 0, "NUL", 0},
        {1, "", 1, "", 0},
        {1, " kpi_session=ab12 ; kpi_csrf=\"ff\";junk; =x;theme = dark ", 1, "kpi_session=ab12|kpi_csrf=ff|theme=dark", 0},
        {1, "a=%zz", 1, "a=%zz", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            "a,b\r\n1,2\r\n\r\n--XyZ--\r\n",
         1, "csrf=abc|file=a,b\r\n1,2\r\n[v.csv]", 0},
        {2, "preamble\r\n--XyZ  \r\ncontent-disposition: FORM-DATA;name=a\r\n\r\n\r\n--XyZ--epilogue", 1, "a=", 0},
        {2, "--XyZ--", 1, "", 0},
        {2, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--\r\n", 0, "has no name", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ--\r\n", 0, "has no name", 0},
        {2, "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--\r\n", 0, "not form-data", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--\r\n", 0, "malformed", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", 0, "closing boundary", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ", 0, "closing boundary", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ-", 0, "closing boundary", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"", 0, "closing boundary", 0},
        {2, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ\r\n"
            "Content-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--XyZ--", 0, "no empty line", 0},
        {2, "--XyZx\r\n", 0, "followed by something other", 0},
        {2, "no boundary here", 0, "none of the boundaries", 0},
        {2, "", 0, "none of the boundaries", 0},
    };
    Buf got = BUF_INIT;
    for (size_t i = 0; i < NELEM(cases); i++) {
        const FormCase *c = &cases[i];
        WebForm f = WEB_FORM_INIT;
        Err err = ERR_INIT;
        size_t n = strlen(c->in);
        int rc = c->kind == 0   ? web_form_urlencoded(c->in, n, &f, &err)
                 : c->kind == 1 ? web_form_cookies(c->in, n, &f, &err)
                                : web_form_multipart("XyZ", c->in, n, &f, &err);
        if (c->ok) {
            if (rc != 0)
                fail_msg("case %zu (%s): %s", i, c->in, err_msg(&err));
            form_text(&f, &got);
            assert_string_equal(buf_cstr(&got), c->want);
        } else {
            if (rc != -1 || !strstr(err_msg(&err), c->want))
                fail_msg("case %zu (%s): rc %d, message '%s', wanted '%s'", i, c->in, rc, err_msg(&err), c->want);
            assert_int_equal(f.too_big, c->too_big);
        }
        web_form_release(&f);
        err_release(&err);
    }
    buf_release(&got);
}

static void test_web_form_limits(void **state)
{
    (void)state;
    Buf in = BUF_INIT;
    WebForm f = WEB_FORM_INIT;
    Err err = ERR_INIT;
    /* WEB_FORM_MAX_FIELDS fields pass; one more is refused for size. */
    for (int i = 0; i < WEB_FORM_MAX_FIELDS; i++)
        buf_printf(&in, "%sf%d=1", i ? "&" : "", i);
    assert_int_equal(web_form_urlencoded(in.data, in.len, &f, &err), 0);
    assert_int_equal(f.n, WEB_FORM_MAX_FIELDS);
    web_form_release(&f);
    buf_puts(&in, "&one=more");
    assert_int_equal(web_form_urlencoded(in.data, in.len, &f, &err), -1);
    assert_int_equal(f.too_big, 1);
    assert_non_null(strstr(err_msg(&err), "more than 512 fields"));
    web_form_release(&f);
    /* a name too long */
    buf_reset(&in);
    for (int i = 0; i <= WEB_FORM_NAME_MAX; i++)
        buf_putc(&in, 'n');
    buf_puts(&in, "=1");
    assert_int_equal(web_form_urlencoded(in.data, in.len, &f, &err), -1);
    assert_int_equal(f.too_big, 1);
    web_form_release(&f);
    /* a part's headers too long, with the body still to come */
    buf_reset(&in);
    buf_puts(&in, "--XyZ\r\nX-Pad: ");
    for (int i = 0; i < WEB_FORM_PART_HEADERS_MAX; i++)
        buf_putc(&in, 'a');
    buf_puts(&in, "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZ--");
    assert_int_equal(web_form_multipart("XyZ", in.data, in.len, &f, &err), -1);
    assert_int_equal(f.too_big, 1);
    web_form_release(&f);
    /* a value may hold any bytes, NUL included */
    static const char bin[] = "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x.bin\r\n\r\na\0b\r\n--XyZ--";
    assert_int_equal(web_form_multipart("XyZ", bin, sizeof bin - 1, &f, &err), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.fields[0].value.len, 3);
    assert_memory_equal(f.fields[0].value.data, "a\0b", 3);
    assert_string_equal(f.fields[0].filename, "x.bin");
    web_form_release(&f);
    buf_release(&in);
    err_release(&err);
}

typedef struct BoundaryCase {
    const char *ctype;
    const char *want;    /* the boundary, or part of the message */
    int ok;
} BoundaryCase;

static void test_web_form_boundary(void **state)
{
    (void)state;
    static const BoundaryCase cases[] = {
        {"multipart/form-data; boundary=XyZ", "XyZ", 1},
        {"Multipart/Form-Data;charset=utf-8; BOUNDARY=\"----WebKit a;b\"", "----WebKit a;b", 1},
        {"multipart/form-data; boundary=a; boundary=b", "a", 1},
        {"multipart/form-data", "no boundary", 0},
        {"multipart/form-data; boundary=", "no boundary", 0},
        {"multipart/form-data; boundary=\"abc", "malformed", 0},
        {"multipart/form-datax; boundary=a", "not multipart/form-data", 0},
        {"text/plain; boundary=a", "not multipart/form-data", 0},
        {"multipart/form-data; boundary=12345678901234567890123456789012345678901234567890123456789012345678901",
         "longer than 70", 0},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        Err err = ERR_INIT;
        int rc = web_form_boundary(cases[i].ctype, &b, &err);
        if (cases[i].ok) {
            if (rc != 0)
                fail_msg("%s: %s", cases[i].ctype, err_msg(&err));
            assert_string_equal(buf_cstr(&b), cases[i].want);
        } else if (rc != -1 || !strstr(err_msg(&err), cases[i].want)) {
            fail_msg("%s: rc %d, '%s'", cases[i].ctype, rc, err_msg(&err));
        }
        buf_release(&b);
        err_release(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parse),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_web_html),
        cmocka_unit_test(test_web_html_when),
        cmocka_unit_test(test_web_download_csv),
        cmocka_unit_test(test_web_form),
        cmocka_unit_test(test_web_form_limits),
        cmocka_unit_test(test_web_form_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
