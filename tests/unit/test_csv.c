/* test_csv.c — the streaming CSV reader (src/csv.c): records at the limit of
 * CSV_MAX_FIELDS fields and one past it (once a write past the end of the
 * field table), quoting with doubled quotes and embedded newlines, CRLF, the
 * byte-order mark, blank lines, the line each record starts on, the errors
 * with FILE:LINE, and the field writer read back by the reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct Reader {
    FILE *fp;
    CsvReader r;
    Err err;
} Reader;

static void open_text(Reader *rd, const char *text)
{
    rd->fp = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(rd->fp);
    csv_init(&rd->r, rd->fp, "t.csv");
    rd->err = (Err)ERR_INIT;
}

static void close_text(Reader *rd)
{
    csv_release(&rd->r);
    err_release(&rd->err);
    fclose(rd->fp);
}

/* A row of n fields "f1,f2,...,fn\n". */
static char *row_of(int n)
{
    Buf b = BUF_INIT;
    for (int i = 1; i <= n; i++)
        buf_printf(&b, "%sf%d", i > 1 ? "," : "", i);
    buf_putc(&b, '\n');
    return buf_detach(&b);
}

static void test_field_limit(void **state)
{
    (void)state;
    Reader rd;
    char *text = row_of(CSV_MAX_FIELDS);
    open_text(&rd, text);
    assert_int_equal(csv_next(&rd.r, &rd.err), 1);
    assert_int_equal(csv_nfields(&rd.r), CSV_MAX_FIELDS);
    assert_string_equal(csv_field(&rd.r, 0), "f1");
    assert_string_equal(csv_field(&rd.r, CSV_MAX_FIELDS - 1), "f256");
    assert_int_equal(csv_next(&rd.r, &rd.err), 0);
    close_text(&rd);
    free(text);

    /* One more field, with or without a line end after it, is refused. */
    for (int with_newline = 0; with_newline < 2; with_newline++) {
        text = row_of(CSV_MAX_FIELDS + 1);
        if (!with_newline)
            text[strlen(text) - 1] = '\0';
        open_text(&rd, text);
        assert_int_equal(csv_next(&rd.r, &rd.err), -1);
        assert_string_equal(err_msg(&rd.err), "t.csv:1: more than 256 fields in one row");
        close_text(&rd);
        free(text);
    }
    /* and so is a row of empty fields past the limit */
    char empty[CSV_MAX_FIELDS + 3];
    memset(empty, ',', CSV_MAX_FIELDS + 1);
    strcpy(empty + CSV_MAX_FIELDS + 1, "\n");
    open_text(&rd, empty);
    assert_int_equal(csv_next(&rd.r, &rd.err), -1);
    close_text(&rd);
}

static void test_quoting_and_lines(void **state)
{
    (void)state;
    Reader rd;
    open_text(&rd, "\xef\xbb\xbf" "a,\"b \"\"q\"\", c\",\"multi\r\nline\"\r\n\r\n\"\",x\n,\nlast");
    assert_int_equal(csv_next(&rd.r, &rd.err), 1);
    assert_int_equal(rd.r.line, 1);
    assert_int_equal(csv_nfields(&rd.r), 3);
    assert_string_equal(csv_field(&rd.r, 0), "a"); /* the byte-order mark is not part of it */
    assert_string_equal(csv_field(&rd.r, 1), "b \"q\", c");
    assert_string_equal(csv_field(&rd.r, 2), "multi\r\nline");
    assert_int_equal(csv_next(&rd.r, &rd.err), 1); /* the blank line 3 is skipped */
    assert_int_equal(rd.r.line, 4);
    assert_int_equal(csv_nfields(&rd.r), 2);
    assert_string_equal(csv_field(&rd.r, 0), "");
    assert_string_equal(csv_field(&rd.r, 1), "x");
    assert_int_equal(csv_next(&rd.r, &rd.err), 1);
    assert_int_equal(csv_nfields(&rd.r), 2);
    assert_int_equal(csv_next(&rd.r, &rd.err), 1); /* a last line without its line end */
    assert_int_equal(rd.r.line, 6);
    assert_string_equal(csv_field(&rd.r, 0), "last");
    assert_int_equal(csv_next(&rd.r, &rd.err), 0);
    assert_false(err_is_set(&rd.err));
    close_text(&rd);
}

typedef struct Bad {
    const char *text;
    const char *msg;
} Bad;

static void test_errors(void **state)
{
    (void)state;
    static const Bad bad[] = {
        {"a,b\nc,\"open\n", "t.csv:2: broken quoting: a quoted field is not closed"},
        {"a,\"q\"x\n", "t.csv:1: broken quoting: text after a closing quote"},
        {"ok\na\"b\n", "t.csv:2: broken quoting: a quote inside an unquoted field"},
        {"a\rb\n", "t.csv:1: a carriage return not followed by a line feed"},
        {"a\n\xef\xbb\xbf\n", NULL}, /* U+FEFF after the start is text: valid */
        {"a\n\xff\n", "t.csv:2: not UTF-8 text in field 1: binary data?"},
        {"\xef\xbb", "t.csv:1: not UTF-8 text (a broken byte-order mark)"},
        /* a first character of three bytes starting EF is text, not a broken mark:
         * a full-width A, then U+F000 */
        {"\xef\xbc\xa1,b\n", NULL},
        {"\xef\x80\x80\n", NULL},
        {"\xef\x80\n", "t.csv:1: not UTF-8 text in field 1: binary data?"},
    };
    for (size_t i = 0; i < NELEM(bad); i++) {
        Reader rd;
        open_text(&rd, bad[i].text);
        int rc;
        while ((rc = csv_next(&rd.r, &rd.err)) == 1)
            ;
        if (bad[i].msg) {
            assert_int_equal(rc, -1);
            assert_string_equal(err_msg(&rd.err), bad[i].msg);
        } else {
            assert_int_equal(rc, 0);
        }
        close_text(&rd);
    }
}

static void test_write_read_back(void **state)
{
    (void)state;
    static const char *const fields[] = {"plain", "", "with,comma", "\"quoted\"", "new\nline", "cr\rlf", "é"};
    Buf b = BUF_INIT;
    for (size_t i = 0; i < NELEM(fields); i++) {
        if (i)
            buf_putc(&b, ',');
        csv_write_field(&b, fields[i]);
    }
    buf_putc(&b, '\n');
    assert_string_equal(buf_cstr(&b),
                        "plain,,\"with,comma\",\"\"\"quoted\"\"\",\"new\nline\",\"cr\rlf\",é\n");
    Reader rd;
    open_text(&rd, buf_cstr(&b));
    assert_int_equal(csv_next(&rd.r, &rd.err), 1);
    assert_int_equal(csv_nfields(&rd.r), (int)NELEM(fields));
    for (size_t i = 0; i < NELEM(fields); i++)
        assert_string_equal(csv_field(&rd.r, (int)i), fields[i]);
    close_text(&rd);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_quoting_and_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_write_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
