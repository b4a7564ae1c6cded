/* test_web.c — the pure parts of the web layer: the API's JSON reader (strict:
 * one flat object, no duplicates, valid UTF-8, no NUL), JSON strings out, and
 * web_html, the one way text reaches a page (every %s escaped, %u URL-encoded
 * and escaped). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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
            json_object_free(&o);
        } else {
            if (rc != -1)
                fail_msg("case %zu (%s): accepted", i, c->in);
            if (!strstr(err_msg(&err), c->why))
                fail_msg("case %zu (%s): '%s' does not say '%s'", i, c->in, err_msg(&err), c->why);
            assert_int_equal(o.n, 0);
        }
        err_free(&err);
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
    err_free(&err);
    /* an embedded NUL byte is never part of the object */
    assert_int_equal(json_parse_object("{}\0{}", 5, &o, &err), -1);
    err_free(&err);
    buf_free(&b);
}

static void test_json_string(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    json_string(&b, "a\"b\\c\nd\x01" "e\xc3\xa9");
    assert_string_equal(buf_cstr(&b), "\"a\\\"b\\\\c\\nd\\u0001e\xc3\xa9\"");
    buf_free(&b);
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
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_parse),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_web_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
