/* test_table.c — the aligned plain-text tables of `--format table`: columns
 * padded to the widest cell (UTF-8 counted by code point), numbers
 * right-aligned, the header underlined, and one line per row even when a cell
 * holds a newline or a tab (a title may). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "table.h"

static char *render(const char *const rows[][3], int n)
{
    Table t;
    Buf out = BUF_INIT;
    table_init(&t, 3);
    for (int r = 0; r < n; r++)
        table_add_row(&t, rows[r]);
    table_render(&t, &out);
    table_release(&t);
    char *s = strdup(buf_cstr(&out) ? buf_cstr(&out) : "");
    buf_release(&out);
    return s;
}

static void test_aligned(void **state)
{
    (void)state;
    const char *const rows[][3] = {{"code", "title", "value"}, {"a", "Café", "7"}, {"bb", "x", "1455"}};
    char *s = render(rows, 3);
    assert_string_equal(s, "code  title  value\n"
                           "----  -----  -----\n"
                           "a     Café       7\n"
                           "bb    x       1455\n");
    free(s);
}

static void test_control_characters(void **state)
{
    (void)state;
    const char *const rows[][3] = {{"code", "title", "value"}, {"a", "Line one\nline\ttwo\r", "7"}};
    char *s = render(rows, 2);
    assert_string_equal(s, "code  title               value\n"
                           "----  ------------------  -----\n"
                           "a     Line one line two       7\n");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aligned),
        cmocka_unit_test(test_control_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
