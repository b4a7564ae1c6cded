/* test_present.c — the presentation layer: the figure formatter (rounding
 * half away from zero once, signs, zero, negatives, huge values, thousands,
 * percentages, percentage points, currency), the words of statuses and
 * directions (one table, agreeing with the machine names), and the compare
 * columns (contract order, accessors, formats). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "present.h"
#include "render.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static Fq dec(const char *s)
{
    int64_t micro = 0;
    const char *why = NULL;
    if (fq_parse_micro(s, &micro, &why) != 0)
        fail_msg("bad test decimal %s: %s", s, why);
    return fq_micro(micro);
}

static void check(Fq q, PresentFmt f, const char *want)
{
    Buf b = BUF_INIT;
    present_figure(&b, q, &f);
    char got[128];
    snprintf(got, sizeof got, "%s", buf_cstr(&b));
    buf_release(&b);
    if (strcmp(got, want) != 0)
        fail_msg("expected '%s', got '%s'", want, got);
}

static void test_rounding_half_away_from_zero(void **state)
{
    (void)state;
    PresentFmt one = {1, 0, 0, PRESENT_PLAIN};
    check(dec("0.25"), one, "0.3");
    check(dec("-0.25"), one, "-0.3");
    check(dec("0.35"), one, "0.4");
    check(dec("2.45"), one, "2.5");
    check(dec("-2.45"), one, "-2.5");
    check(dec("0.249999"), one, "0.2");
    PresentFmt zero = {0, 0, 0, PRESENT_PLAIN};
    check(dec("0.5"), zero, "1");
    check(dec("-0.5"), zero, "-1");
    check(dec("1.5"), zero, "2");
    check(dec("2.5"), zero, "3");
    /* exact fractions round once: 1/3 and 2/3 */
    check(fq_make(1, 3), (PresentFmt){3, 0, 0, PRESENT_PLAIN}, "0.333");
    check(fq_make(2, 3), (PresentFmt){3, 0, 0, PRESENT_PLAIN}, "0.667");
    /* 1/8 = 0.125 is exactly half: up, away from zero */
    check(fq_make(1, 8), (PresentFmt){2, 0, 0, PRESENT_PLAIN}, "0.13");
    check(fq_make(-1, 8), (PresentFmt){2, 0, 0, PRESENT_PLAIN}, "-0.13");
}

static void test_zero_and_sign(void **state)
{
    (void)state;
    PresentFmt sign = {1, 1, 0, PRESENT_PLAIN};
    check(fq_int(0), sign, "0.0");
    check(dec("0.04"), sign, "0.0");   /* rounds to zero: no '+' */
    check(dec("-0.04"), sign, "0.0");  /* and no '-' */
    check(dec("0.05"), sign, "+0.1");
    check(dec("-0.05"), sign, "-0.1");
    check(dec("3"), sign, "+3.0");
    check(dec("-4.6"), sign, "-4.6");
    PresentFmt plain = {0, 0, 0, PRESENT_PLAIN};
    check(fq_int(0), plain, "0");
    check(dec("7"), plain, "7");
}

static void test_thousands(void **state)
{
    (void)state;
    PresentFmt t = {0, 0, 1, PRESENT_PLAIN};
    check(fq_int(1), t, "1");
    check(fq_int(999), t, "999");
    check(fq_int(1000), t, "1,000");
    check(fq_int(-1000), t, "-1,000");
    check(fq_int(12345), t, "12,345");
    check(fq_int(123456), t, "123,456");
    check(fq_int(1234567), t, "1,234,567");
    check(dec("1234.5"), (PresentFmt){2, 1, 1, PRESENT_PLAIN}, "+1,234.50");
    check(dec("-999.95"), (PresentFmt){1, 0, 1, PRESENT_PLAIN}, "-1,000.0");
}

static void test_huge(void **state)
{
    (void)state;
    /* the largest stored value, 10^12 - 1e-6, and sums far beyond it */
    check(fq_micro(FQ_MAX_MICRO), (PresentFmt){6, 0, 0, PRESENT_PLAIN}, "999999999999.999999");
    check(fq_micro(FQ_MAX_MICRO), (PresentFmt){0, 0, 1, PRESENT_PLAIN}, "1,000,000,000,000");
    check(fq_mul(fq_micro(FQ_MAX_MICRO), fq_int(1000000)), (PresentFmt){0, 0, 1, PRESENT_PLAIN},
          "999,999,999,999,999,999");
    check(fq_neg(fq_mul(fq_micro(FQ_MAX_MICRO), fq_int(1000))), (PresentFmt){1, 1, 1, PRESENT_PLAIN},
          "-1,000,000,000,000,000.0");
    check(fq_neg(fq_mul(fq_micro(FQ_MAX_MICRO), fq_int(1000))), (PresentFmt){3, 0, 1, PRESENT_PLAIN},
          "-999,999,999,999,999.999");
}

static void test_suffixes(void **state)
{
    (void)state;
    check(dec("77.42"), (PresentFmt){1, 0, 0, PRESENT_PERCENT}, "77.4%");
    check(dec("3"), (PresentFmt){1, 1, 0, PRESENT_PERCENT}, "+3.0%");
    check(dec("-1.25"), (PresentFmt){1, 1, 0, PRESENT_PP}, "-1.3 pp");
    check(dec("1.2"), (PresentFmt){1, 1, 0, PRESENT_PP}, "+1.2 pp");
    check(dec("0"), (PresentFmt){1, 1, 0, PRESENT_PP}, "0.0 pp");
    check(dec("1234.5"), (PresentFmt){2, 0, 1, PRESENT_CURRENCY}, "\xc2\xa3" "1,234.50");
    check(dec("-3"), (PresentFmt){2, 0, 1, PRESENT_CURRENCY}, "-\xc2\xa3" "3.00");
}

static void test_appends(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    buf_puts(&b, "rate ");
    PresentFmt f = {1, 0, 0, PRESENT_PERCENT};
    present_figure(&b, dec("12.25"), &f);
    assert_string_equal(buf_cstr(&b), "rate 12.3%");
    buf_release(&b);
}

static void test_month_and_frequency(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    present_month(&b, 2011 * 12 + 6);
    assert_string_equal(buf_cstr(&b), "July 2011");
    buf_reset(&b);
    present_date(&b, 2011, 10, 20);
    assert_string_equal(buf_cstr(&b), "20 October 2011");
    buf_reset(&b);
    present_date(&b, 2012, 1, 1); /* January: the month before it is December of the year before */
    assert_string_equal(buf_cstr(&b), "1 January 2012");
    buf_release(&b);
    assert_string_equal(present_frequency_word(PERIOD_MONTH), "Monthly");
    assert_string_equal(present_frequency_word(PERIOD_QUARTER), "Quarterly");
    assert_string_equal(present_frequency_word(PERIOD_YEAR), "Yearly");
    static const char *const names[] = {"month", "quarter", "year"};
    static const PeriodKind kinds[] = {PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR};
    for (size_t i = 0; i < NELEM(names); i++) {
        PeriodKind k = PERIOD_YEAR;
        assert_string_equal(present_frequency_name(kinds[i]), names[i]);
        assert_int_equal(present_frequency_parse(names[i], &k), 0);
        assert_int_equal(k, kinds[i]);
    }
    PeriodKind k = PERIOD_MONTH;
    assert_int_equal(present_frequency_parse("Quarter", &k), 0);
    assert_int_equal(k, PERIOD_QUARTER);
    assert_int_equal(present_frequency_parse("weekly", &k), -1);
    assert_int_equal(present_frequency_parse("", &k), -1);
    assert_int_equal(k, PERIOD_QUARTER);
}

/* The one table's names are the machine names the CLI and importers use. */
static void test_words_agree_with_names(void **state)
{
    (void)state;
    for (int s = 0; s < STATUS_COUNT; s++)
        assert_string_equal(present_mark(present_status_mark((Status)s))->name, status_name((Status)s));
    static const Rag rags[] = {RAG_NONE, RAG_GREEN, RAG_AMBER, RAG_RED};
    for (size_t i = 0; i < NELEM(rags); i++)
        assert_string_equal(present_mark(present_rag_mark(rags[i]))->name, rag_name(rags[i]));
    assert_string_equal(present_mark(present_rag_mark(RAG_GREEN))->word, "Green");
    assert_string_equal(present_mark(present_status_mark(STATUS_UNREPORTED))->word, "Not reported");
    assert_string_equal(present_mark(present_rag_mark(RAG_NONE))->word, "Not rated");
    assert_string_equal(present_mark((PresentMark)99)->word, "Not rated");
    assert_string_equal(present_polarity_words(POLARITY_LOWER), "Lower is better");
    assert_string_equal(present_polarity_words(POLARITY_HIGHER), "Higher is better");
    assert_string_equal(present_polarity_words(POLARITY_NONE), "Neither");
}

/* The paper's stylesheet colours each status as the table says (docx, pdf
 * and xlsx read the table's colours directly). */
static void test_css_follows_the_table(void **state)
{
    (void)state;
    for (int m = PRESENT_MARK_GREEN; m < PRESENT_MARK_COUNT; m++) {
        const PresentWord *w = present_mark((PresentMark)m);
        char want[96];
        snprintf(want, sizeof want, ".rag-%s{background:#%06x;color:#%06x}", w->css, w->fill, w->ink);
        if (!strstr(render_html_css(), want))
            fail_msg("the paper's stylesheet has no %s", want);
    }
}

static CompareRow row(const char *value, const char *previous, Direction d)
{
    CompareRow r;
    memset(&r, 0, sizeof r);
    if (value) {
        r.value.has = 1;
        r.value.q = dec(value);
    }
    if (previous) {
        r.previous.has = 1;
        r.previous.q = dec(previous);
    }
    r.direction = d;
    return r;
}

static void check_dir(CompareRow r, int arrow, const char *want)
{
    PresentDirection d = present_direction(&r);
    Buf b = BUF_INIT;
    present_direction_words(&b, &d, arrow);
    assert_string_equal(buf_cstr(&b), want);
    buf_release(&b);
}

/* The arrow follows the number; the words say better or worse. */
static void test_direction(void **state)
{
    (void)state;
    check_dir(row("1455", "1413", DIR_WORSENING), 1, "\xe2\x96\xb2 Up, worse");
    check_dir(row("1", "6", DIR_IMPROVING), 1, "\xe2\x96\xbc Down, better");
    check_dir(row("80", "70", DIR_IMPROVING), 1, "\xe2\x96\xb2 Up, better");
    check_dir(row("60", "70", DIR_WORSENING), 0, "Down, worse");
    check_dir(row("5", "5", DIR_SAME), 1, "No change");
    check_dir(row("5", "4", DIR_NONE), 1, "\xe2\x96\xb2 Up"); /* no polarity: what happened only */
    check_dir(row("5", NULL, DIR_NONE), 1, "");
    check_dir(row(NULL, "5", DIR_NONE), 1, "");
    PresentDirection d = present_direction(&(CompareRow){.direction = DIR_NONE});
    assert_int_equal(d.move, PRESENT_MOVE_NONE);
    CompareRow up = row("2", "1", DIR_WORSENING);
    d = present_direction(&up);
    assert_string_equal(d.css, "worsening");
    assert_int_equal(d.move, PRESENT_MOVE_UP);
}

static void test_columns(void **state)
{
    (void)state;
    static const char *const contract[] = {
        "indicator", "title", "area", "period", "value", "previous", "change", "change_pct", "ytd",
        "ytd_previous", "ytd_change_pct", "target", "target_to_date", "rag", "direction", "note", "variation",
        "assurance", "spc_mean", "spc_lower", "spc_upper", "significance", "p_value"};
    assert_int_equal(PRESENT_CONTRACT_NCOLS, NELEM(contract));
    for (int c = 0; c < PRESENT_CONTRACT_NCOLS; c++) {
        assert_string_equal(present_col((PresentCol)c)->name, contract[c]);
        assert_int_equal(present_col_parse(contract[c], strlen(contract[c])), c);
    }
    assert_int_equal(present_col_parse("code", 4), PC_INDICATOR);
    assert_int_equal(present_col_parse("partner", 7), PC_PARTNER);
    assert_int_equal(present_col_parse("valu", 4), -1);
    CompareRow r = row("10", "8", DIR_IMPROVING);
    assert_ptr_equal(present_col_fig(PC_VALUE, &r), &r.value);
    assert_ptr_equal(present_col_fig(PC_SPC_UPPER, &r), &r.spc_upper);
    assert_null(present_col_fig(PC_RAG, &r));
    assert_true(present_kind_is_number(present_col(PC_P_VALUE)->kind));
    assert_false(present_kind_is_number(present_col(PC_NOTE)->kind));
    IndicatorDef pct = {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1};
    IndicatorDef cnt = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    PresentFmt f = present_col_fmt(PC_VALUE, &pct, 1);
    assert_int_equal(f.suffix, PRESENT_PERCENT);
    f = present_col_fmt(PC_VALUE, &pct, 0);
    assert_int_equal(f.suffix, PRESENT_PLAIN);
    f = present_col_fmt(PC_CHANGE_PCT, &cnt, 1);
    assert_int_equal(f.decimals, PRESENT_PCT_DECIMALS);
    assert_int_equal(f.sign, 1);
    f = present_col_fmt(PC_SPC_MEAN, &cnt, 0);
    assert_int_equal(f.decimals, 1);
    assert_int_equal(present_col_stored(PC_CHANGE_PCT, &cnt), PRESENT_PERCENT);
    assert_int_equal(present_col_stored(PC_CHANGE, &pct), PRESENT_PP);
    assert_int_equal(present_col_stored(PC_CHANGE, &cnt), PRESENT_PLAIN);
    assert_int_equal(present_col_stored(PC_YTD, &pct), PRESENT_PERCENT);
    Buf b = BUF_INIT;
    PresentFmt p = {PRESENT_P_DECIMALS, 0, 0, PRESENT_PLAIN};
    present_figure(&b, present_p_value(0.0125), &p);
    assert_string_equal(buf_cstr(&b), "0.013");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounding_half_away_from_zero),
        cmocka_unit_test(test_zero_and_sign),
        cmocka_unit_test(test_thousands),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_suffixes),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_month_and_frequency),
        cmocka_unit_test(test_words_agree_with_names),
        cmocka_unit_test(test_css_follows_the_table),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
