/* test_cycle.c — the calendar arithmetic of the quarterly cycle (cycle.h):
 * YYYY-MM-DD dates to day numbers and back (leap years, impossible days
 * refused), and reminder offsets ("-7,0,3") parsed, sorted and checked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cycle.h"

static void test_dates(void **state)
{
    (void)state;
    int d;
    char out[11];
    assert_int_equal(cycle_date_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(cycle_date_parse("2011-10-20", &d), 0);
    assert_int_equal(d, 15267); /* date -d 2011-10-20 +%s / 86400 */
    cycle_date_format(d - 7, out);
    assert_string_equal(out, "2011-10-13");
    cycle_date_format(d + 12, out);
    assert_string_equal(out, "2011-11-01");
    assert_int_equal(cycle_date_parse("2012-02-29", &d), 0); /* a leap day */
    cycle_date_format(d + 1, out);
    assert_string_equal(out, "2012-03-01");
    assert_int_equal(cycle_date_parse("2000-02-29", &d), 0); /* 2000 is a leap year */
    static const char *const bad[] = {"2011-02-29", "1900-02-29", "2011-02-30", "2011-13-01", "2011-00-10",
                                      "2011-1-10",  "20111-01-01", "2011/10/20", "",          "2011-10-2x",
                                      "1899-12-31", "2011-04-31"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        if (cycle_date_parse(bad[k], &d) != -1)
            fail_msg("'%s' taken as a date", bad[k]);
    }
    /* every day of 400 years goes there and back */
    assert_int_equal(cycle_date_parse("1900-01-01", &d), 0);
    for (int k = 0; k < 146097; k++) {
        int back;
        cycle_date_format(d + k, out);
        assert_int_equal(cycle_date_parse(out, &back), 0);
        assert_int_equal(back, d + k);
    }
}

static void test_offsets(void **state)
{
    (void)state;
    int offs[CYCLE_MAX_OFFSETS], n;
    const char *why = NULL;
    assert_int_equal(cycle_offsets_parse("3,-7,0", offs, &n, &why), 0);
    assert_int_equal(n, 3);
    assert_int_equal(offs[0], -7);
    assert_int_equal(offs[1], 0);
    assert_int_equal(offs[2], 3);
    assert_int_equal(cycle_offsets_parse(" -14 , +2", offs, &n, &why), 0);
    assert_int_equal(n, 2);
    assert_int_equal(offs[0], -14);
    assert_int_equal(offs[1], 2);
    static const char *const bad[] = {"", "x", "-7,,0", "-7,0,", "1,1", "400", "-", "7 days", "1;2",
                                      "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        why = NULL;
        if (cycle_offsets_parse(bad[k], offs, &n, &why) != -1 || !why)
            fail_msg("'%s' taken as offsets", bad[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
