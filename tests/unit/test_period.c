/* test_period.c — the financial-year calendar: parsing every accepted form,
 * rejecting the rest with a reason, canonical printing, year-ago and year-to-date
 * arithmetic, spans with leap years, and non-April year starts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "period.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define M(y, mon) ((y) * 12 + (mon) - 1) /* absolute month number */

static const char WHY_SYNTAX[] = "not a period (expected e.g. 2011-07, 2011/12 Q2 or 2011/12)";
static const char WHY_SYNTAX_JAN[] = "not a period (expected e.g. 2011-07, 2011 Q2 or 2011)";

/* ---- parsing ---- */

typedef struct ParseOk {
    const char *in;
    int fy_start;
    PeriodKind kind;
    int first;
    const char *canonical;
} ParseOk;

static void test_parse_ok(void **state)
{
    (void)state;
    static const ParseOk cases[] = {
        /* months */
        {"2011-07", 4, PERIOD_MONTH, M(2011, 7), "2011-07"},
        {"2011-12", 4, PERIOD_MONTH, M(2011, 12), "2011-12"}, /* alone: December */
        {"2011-01", 4, PERIOD_MONTH, M(2011, 1), "2011-01"},
        {"1900-01", 4, PERIOD_MONTH, M(1900, 1), "1900-01"},
        {"9999-12", 4, PERIOD_MONTH, M(9999, 12), "9999-12"},
        {"2011-07", 1, PERIOD_MONTH, M(2011, 7), "2011-07"},
        {"2011-07", 7, PERIOD_MONTH, M(2011, 7), "2011-07"},
        {" 2011-07 ", 4, PERIOD_MONTH, M(2011, 7), "2011-07"},
        /* quarters, April start */
        {"2011/12 Q1", 4, PERIOD_QUARTER, M(2011, 4), "2011/12 Q1"},
        {"2011/12 Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"2011/12 Q3", 4, PERIOD_QUARTER, M(2011, 10), "2011/12 Q3"},
        {"2011/12 Q4", 4, PERIOD_QUARTER, M(2012, 1), "2011/12 Q4"}, /* January-March */
        {"2011/12 q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"2011/12  Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"Q2 2011/12", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"q2 2011/12", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"Q4 2011/12", 4, PERIOD_QUARTER, M(2012, 1), "2011/12 Q4"},
        {"2011/12-Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"2011-12 Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"2011-12-Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"Q2 2011-12", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"2011/2012 Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"FY2011/12 Q2", 4, PERIOD_QUARTER, M(2011, 7), "2011/12 Q2"},
        {"Q3 FY2011/12", 4, PERIOD_QUARTER, M(2011, 10), "2011/12 Q3"},
        {"2099/00 Q4", 4, PERIOD_QUARTER, M(2100, 1), "2099/00 Q4"},
        /* years, April start */
        {"2011/12", 4, PERIOD_YEAR, M(2011, 4), "2011/12"},
        {"FY2011/12", 4, PERIOD_YEAR, M(2011, 4), "2011/12"},
        {"fy2011/12", 4, PERIOD_YEAR, M(2011, 4), "2011/12"},
        {"Fy 2011/12", 4, PERIOD_YEAR, M(2011, 4), "2011/12"},
        {"FY2011-12", 4, PERIOD_YEAR, M(2011, 4), "2011/12"},
        {"2011/2012", 4, PERIOD_YEAR, M(2011, 4), "2011/12"},
        {"2099/00", 4, PERIOD_YEAR, M(2099, 4), "2099/00"},
        {"2099/2100", 4, PERIOD_YEAR, M(2099, 4), "2099/00"},
        {"1999/00", 4, PERIOD_YEAR, M(1999, 4), "1999/00"},
        {"1900/01", 4, PERIOD_YEAR, M(1900, 4), "1900/01"},
        {"9998/99", 4, PERIOD_YEAR, M(9998, 4), "9998/99"},
        /* July start: 2011/12 = 2011-07..2012-06 */
        {"2011/12", 7, PERIOD_YEAR, M(2011, 7), "2011/12"},
        {"2011/12 Q1", 7, PERIOD_QUARTER, M(2011, 7), "2011/12 Q1"},
        {"2011/12 Q3", 7, PERIOD_QUARTER, M(2012, 1), "2011/12 Q3"},
        {"2011/12 Q4", 7, PERIOD_QUARTER, M(2012, 4), "2011/12 Q4"},
        /* December start */
        {"2011/12 Q1", 12, PERIOD_QUARTER, M(2011, 12), "2011/12 Q1"},
        {"2011/12 Q4", 12, PERIOD_QUARTER, M(2012, 9), "2011/12 Q4"},
        /* January start: the calendar year */
        {"2011", 1, PERIOD_YEAR, M(2011, 1), "2011"},
        {"FY2011", 1, PERIOD_YEAR, M(2011, 1), "2011"},
        {"2011 Q2", 1, PERIOD_QUARTER, M(2011, 4), "2011 Q2"},
        {"2011 q4", 1, PERIOD_QUARTER, M(2011, 10), "2011 Q4"},
        {"Q2 2011", 1, PERIOD_QUARTER, M(2011, 4), "2011 Q2"},
        {"2011-Q1", 1, PERIOD_QUARTER, M(2011, 1), "2011 Q1"},
        {"9999", 1, PERIOD_YEAR, M(9999, 1), "9999"},
        {"1900 Q1", 1, PERIOD_QUARTER, M(1900, 1), "1900 Q1"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const ParseOk *c = &cases[i];
        Period p = {PERIOD_MONTH, -1};
        const char *why = NULL;
        if (period_parse(c->in, c->fy_start, &p, &why) != 0)
            fail_msg("\"%s\" (fy %d): rejected: %s", c->in, c->fy_start, why);
        if (p.kind != c->kind || p.first != c->first)
            fail_msg("\"%s\" (fy %d): got kind %d first %d, want %d %d", c->in, c->fy_start,
                     (int)p.kind, p.first, (int)c->kind, c->first);
        Buf b = BUF_INIT;
        period_format(&b, p, c->fy_start);
        if (strcmp(buf_cstr(&b), c->canonical) != 0)
            fail_msg("\"%s\": printed %s want %s", c->in, buf_cstr(&b), c->canonical);
        /* The canonical form parses back to the same period. */
        Period back;
        assert_int_equal(period_parse(buf_cstr(&b), c->fy_start, &back, &why), 0);
        assert_true(period_equal(back, p));
        buf_release(&b);
    }
}

typedef struct ParseBad {
    const char *in;
    int fy_start;
    const char *why;
} ParseBad;

static void test_parse_bad(void **state)
{
    (void)state;
    static const ParseBad cases[] = {
        {"", 4, WHY_SYNTAX},
        {"   ", 4, WHY_SYNTAX},
        {"July 2011", 4, WHY_SYNTAX},
        {"2011-7", 4, WHY_SYNTAX},
        {"2011-007", 4, WHY_SYNTAX},
        {"11-07", 4, WHY_SYNTAX},
        {"20110-07", 4, WHY_SYNTAX},
        {"2011/12 Q", 4, WHY_SYNTAX},
        {"2011/12 Q12", 4, WHY_SYNTAX},
        {"2011/12Q2", 4, WHY_SYNTAX},
        {"Q22011/12", 4, WHY_SYNTAX},
        {"Q2 2011/12 Q3", 4, WHY_SYNTAX},
        {"2011/12 Q2 x", 4, WHY_SYNTAX},
        {"2011/1", 4, WHY_SYNTAX},
        {"2011/123", 4, WHY_SYNTAX},
        {"2011/", 4, WHY_SYNTAX},
        {"2011/12/13", 4, WHY_SYNTAX},
        {"2011.07", 4, WHY_SYNTAX},
        {"FY", 4, WHY_SYNTAX},
        {"2011-07-01", 4, WHY_SYNTAX},
        {"2011-00", 4, "month must be 01 to 12"},
        {"2011-13", 4, "month must be 01 to 12"},
        {"2011-99", 4, "month must be 01 to 12"},
        {"2011/12 Q0", 4, "quarter must be Q1 to Q4"},
        {"2011/12 Q5", 4, "quarter must be Q1 to Q4"},
        {"Q9 2011/12", 4, "quarter must be Q1 to Q4"},
        {"2011/13", 4, "the second year must be the year after the first (e.g. 2011/12)"},
        {"2011/11", 4, "the second year must be the year after the first (e.g. 2011/12)"},
        {"2011/2013", 4, "the second year must be the year after the first (e.g. 2011/12)"},
        {"2099/2000", 4, "the second year must be the year after the first (e.g. 2011/12)"},
        {"2011-13 Q2", 4, "the second year must be the year after the first (e.g. 2011/12)"},
        {"2011", 4, "a financial year is written as two years (e.g. 2011/12)"},
        {"2011 Q2", 4, "a financial year is written as two years (e.g. 2011/12)"},
        {"FY2011", 7, "a financial year is written as two years (e.g. 2011/12)"},
        {"2011/12", 1, "a financial year starting in January is written as one year (e.g. 2011)"},
        {"2011/12 Q2", 1,
         "a financial year starting in January is written as one year (e.g. 2011)"},
        {"2011 Q", 1, WHY_SYNTAX_JAN},
        {"x", 1, WHY_SYNTAX_JAN},
        {"1899-12", 4, "year out of range (1900 to 9999)"},
        {"0000-01", 4, "year out of range (1900 to 9999)"},
        {"1899/00", 4, "year out of range (1900 to 9999)"},
        {"1899", 1, "year out of range (1900 to 9999)"},
        {"9999/00", 4, "year out of range (1900 to 9999)"}, /* would end in 10000 */
        {"2011-07", 0, "financial year start must be a month from 1 to 12"},
        {"2011-07", 13, "financial year start must be a month from 1 to 12"},
        {"2011/12", -4, "financial year start must be a month from 1 to 12"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const ParseBad *c = &cases[i];
        Period p = {PERIOD_YEAR, 12345};
        const char *why = NULL;
        if (period_parse(c->in, c->fy_start, &p, &why) != -1)
            fail_msg("\"%s\" (fy %d): accepted", c->in, c->fy_start);
        assert_non_null(why);
        if (strcmp(why, c->why) != 0)
            fail_msg("\"%s\" (fy %d): why \"%s\" want \"%s\"", c->in, c->fy_start, why, c->why);
        assert_int_equal(p.first, 12345); /* untouched on error */
    }
    const char *why = NULL;
    Period p;
    assert_int_equal(period_parse(NULL, 4, &p, &why), -1);
    assert_string_equal(why, WHY_SYNTAX);
}

/* ---- the calendar ---- */

typedef struct FyCase {
    int month;
    int fy_start;
    int fy;
    int fy_first;
} FyCase;

static void test_fy(void **state)
{
    (void)state;
    static const FyCase cases[] = {
        {M(2011, 4), 4, 2011, M(2011, 4)},
        {M(2011, 7), 4, 2011, M(2011, 4)},
        {M(2012, 3), 4, 2011, M(2011, 4)},
        {M(2012, 1), 4, 2011, M(2011, 4)},
        {M(2011, 3), 4, 2010, M(2010, 4)},
        {M(2011, 1), 1, 2011, M(2011, 1)},
        {M(2011, 12), 1, 2011, M(2011, 1)},
        {M(2011, 6), 7, 2010, M(2010, 7)},
        {M(2011, 7), 7, 2011, M(2011, 7)},
        {M(2012, 6), 7, 2011, M(2011, 7)},
        {M(2011, 11), 12, 2010, M(2010, 12)},
        {M(2011, 12), 12, 2011, M(2011, 12)},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        assert_int_equal(period_fy(cases[i].month, cases[i].fy_start), cases[i].fy);
        assert_int_equal(period_fy_first(cases[i].fy, cases[i].fy_start), cases[i].fy_first);
    }
}

typedef struct CalCase {
    const char *in;
    int fy_start;
    int months;
    int last;
    int quarter_no;      /* 0: not a quarter */
    int ago_first;
    int ytd_first;
    int ytd_n;
} CalCase;

static void test_calendar(void **state)
{
    (void)state;
    static const CalCase cases[] = {
        {"2011-04", 4, 1, M(2011, 4), 0, M(2010, 4), M(2011, 4), 1},
        {"2011-07", 4, 1, M(2011, 7), 0, M(2010, 7), M(2011, 4), 4},
        {"2012-03", 4, 1, M(2012, 3), 0, M(2011, 3), M(2011, 4), 12},
        {"2012-01", 4, 1, M(2012, 1), 0, M(2011, 1), M(2011, 4), 10},
        {"2011/12 Q1", 4, 3, M(2011, 6), 1, M(2010, 4), M(2011, 4), 3},
        {"2011/12 Q2", 4, 3, M(2011, 9), 2, M(2010, 7), M(2011, 4), 6},
        {"2011/12 Q3", 4, 3, M(2011, 12), 3, M(2010, 10), M(2011, 4), 9},
        {"2011/12 Q4", 4, 3, M(2012, 3), 4, M(2011, 1), M(2011, 4), 12},
        {"2011/12", 4, 12, M(2012, 3), 0, M(2010, 4), M(2011, 4), 12},
        {"2011/12 Q2", 7, 3, M(2011, 12), 2, M(2010, 10), M(2011, 7), 6},
        {"2011/12 Q3", 7, 3, M(2012, 3), 3, M(2011, 1), M(2011, 7), 9},
        {"2012-06", 7, 1, M(2012, 6), 0, M(2011, 6), M(2011, 7), 12},
        {"2011-07", 7, 1, M(2011, 7), 0, M(2010, 7), M(2011, 7), 1},
        {"2011 Q2", 1, 3, M(2011, 6), 2, M(2010, 4), M(2011, 1), 6},
        {"2011", 1, 12, M(2011, 12), 0, M(2010, 1), M(2011, 1), 12},
        {"2011-01", 1, 1, M(2011, 1), 0, M(2010, 1), M(2011, 1), 1},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const CalCase *c = &cases[i];
        Period p;
        const char *why;
        assert_int_equal(period_parse(c->in, c->fy_start, &p, &why), 0);
        assert_int_equal(period_months(p), c->months);
        assert_int_equal(period_last(p), c->last);
        if (c->quarter_no)
            assert_int_equal(period_quarter_no(p, c->fy_start), c->quarter_no);
        Period ago = period_year_ago(p);
        assert_int_equal(ago.kind, p.kind);
        assert_int_equal(ago.first, c->ago_first);
        int first = -1, n = -1;
        period_ytd(p, c->fy_start, &first, &n);
        if (first != c->ytd_first || n != c->ytd_n)
            fail_msg("%s (fy %d): ytd %d+%d want %d+%d", c->in, c->fy_start, first, n,
                     c->ytd_first, c->ytd_n);
        assert_int_equal(period_months_elapsed(p, c->fy_start), c->ytd_n);
    }
}

static void test_equal(void **state)
{
    (void)state;
    Period a = {PERIOD_QUARTER, M(2011, 7)}, b = {PERIOD_QUARTER, M(2011, 7)};
    Period c = {PERIOD_MONTH, M(2011, 7)}, d = {PERIOD_QUARTER, M(2011, 10)};
    assert_true(period_equal(a, b));
    assert_false(period_equal(a, c));
    assert_false(period_equal(a, d));
}

typedef struct FmtCase {
    PeriodKind kind;
    int first;
    int fy_start;
    const char *canonical;
    const char *span;
    const char *words;
} FmtCase;

static void test_format(void **state)
{
    (void)state;
    static const FmtCase cases[] = {
        {PERIOD_QUARTER, M(2011, 7), 4, "2011/12 Q2", "1 July to 30 September 2011", "quarter two"},
        {PERIOD_QUARTER, M(2011, 4), 4, "2011/12 Q1", "1 April to 30 June 2011", "quarter one"},
        {PERIOD_QUARTER, M(2011, 10), 4, "2011/12 Q3", "1 October to 31 December 2011",
         "quarter three"},
        {PERIOD_QUARTER, M(2012, 1), 4, "2011/12 Q4", "1 January to 31 March 2012",
         "quarter four"},
        {PERIOD_YEAR, M(2011, 4), 4, "2011/12", "1 April 2011 to 31 March 2012", "2011/12"},
        {PERIOD_YEAR, M(1999, 4), 4, "1999/00", "1 April 1999 to 31 March 2000", "1999/00"},
        {PERIOD_MONTH, M(2011, 7), 4, "2011-07", "1 July to 31 July 2011", "July 2011"},
        {PERIOD_MONTH, M(2012, 2), 4, "2012-02", "1 February to 29 February 2012",
         "February 2012"},
        {PERIOD_MONTH, M(2011, 2), 4, "2011-02", "1 February to 28 February 2011",
         "February 2011"},
        {PERIOD_MONTH, M(1900, 2), 4, "1900-02", "1 February to 28 February 1900",
         "February 1900"},
        {PERIOD_MONTH, M(2000, 2), 4, "2000-02", "1 February to 29 February 2000",
         "February 2000"},
        {PERIOD_MONTH, M(2100, 2), 4, "2100-02", "1 February to 28 February 2100",
         "February 2100"},
        {PERIOD_MONTH, M(2011, 12), 4, "2011-12", "1 December to 31 December 2011",
         "December 2011"},
        {PERIOD_MONTH, M(2011, 11), 4, "2011-11", "1 November to 30 November 2011",
         "November 2011"},
        {PERIOD_QUARTER, M(2011, 12), 12, "2011/12 Q1", "1 December 2011 to 29 February 2012",
         "quarter one"},
        {PERIOD_QUARTER, M(2011, 12), 6, "2011/12 Q3", "1 December 2011 to 29 February 2012",
         "quarter three"},
        {PERIOD_QUARTER, M(2011, 12), 9, "2011/12 Q2", "1 December 2011 to 29 February 2012",
         "quarter two"},
        {PERIOD_QUARTER, M(2012, 1), 7, "2011/12 Q3", "1 January to 31 March 2012",
         "quarter three"},
        {PERIOD_QUARTER, M(2011, 12), 3, "2011/12 Q4", "1 December 2011 to 29 February 2012",
         "quarter four"}, /* 2012 is a leap year */
        {PERIOD_YEAR, M(2011, 7), 7, "2011/12", "1 July 2011 to 30 June 2012", "2011/12"},
        {PERIOD_YEAR, M(2011, 1), 1, "2011", "1 January to 31 December 2011", "2011"},
        {PERIOD_QUARTER, M(2011, 10), 1, "2011 Q4", "1 October to 31 December 2011",
         "quarter four"},
        {PERIOD_QUARTER, M(2099, 4), 4, "2099/00 Q1", "1 April to 30 June 2099", "quarter one"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const FmtCase *c = &cases[i];
        Period p = {c->kind, c->first};
        Buf b = BUF_INIT;
        period_format(&b, p, c->fy_start);
        assert_string_equal(buf_cstr(&b), c->canonical);
        buf_reset(&b);
        period_format_span(&b, p);
        assert_string_equal(buf_cstr(&b), c->span);
        buf_reset(&b);
        period_format_words(&b, p, c->fy_start);
        assert_string_equal(buf_cstr(&b), c->words);
        buf_release(&b);
    }
}

/* Quarter spans whose last month is February, leap and not. */
static void test_span_leap(void **state)
{
    (void)state;
    static const struct {
        int year;
        const char *span;
    } cases[] = {
        {2011, "1 December 2011 to 29 February 2012"},
        {2010, "1 December 2010 to 28 February 2011"},
        {1899, "1 December 1899 to 28 February 1900"},
        {1999, "1 December 1999 to 29 February 2000"},
        {2099, "1 December 2099 to 28 February 2100"},
        {2399, "1 December 2399 to 29 February 2400"},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Period p = {PERIOD_QUARTER, M(cases[i].year, 12)};
        Buf b = BUF_INIT;
        period_format_span(&b, p);
        assert_string_equal(buf_cstr(&b), cases[i].span);
        buf_release(&b);
    }
}

static void test_format_month_appends(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    period_format_month(&b, M(2010, 7));
    buf_puts(&b, ", ");
    period_format_month(&b, M(2010, 10));
    assert_string_equal(buf_cstr(&b), "2010-07, 2010-10");
    buf_release(&b);
}

/* Periods and spans of months in words, as notes and sentences name them. */
static void test_words(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    Period q = {PERIOD_QUARTER, M(2010, 7)}, mo = {PERIOD_MONTH, M(2011, 7)}, y = {PERIOD_YEAR, M(2010, 4)};
    period_format_name(&b, q, 4);
    assert_string_equal(buf_cstr(&b), "Q2 2010/11");
    buf_reset(&b);
    period_format_name(&b, mo, 4);
    assert_string_equal(buf_cstr(&b), "July 2011");
    buf_reset(&b);
    period_format_name(&b, y, 4);
    assert_string_equal(buf_cstr(&b), "2010/11");
    buf_reset(&b);
    period_format_months_words(&b, M(2011, 7), 1);
    assert_string_equal(buf_cstr(&b), "July 2011");
    buf_reset(&b);
    period_format_months_words(&b, M(2011, 7), 3);
    assert_string_equal(buf_cstr(&b), "July to September 2011");
    buf_reset(&b);
    period_format_months_words(&b, M(2010, 11), 4);
    assert_string_equal(buf_cstr(&b), "November 2010 to February 2011");
    buf_release(&b);
}

/* Missing months grouped into runs, a whole financial year named as the year. */
static void test_gaps(void **state)
{
    (void)state;
    static const struct {
        int months[24];
        int n, fy_start;
        const char *words;
    } cases[] = {
        {{M(2011, 7)}, 1, 4, "July 2011"},
        {{M(2011, 9), M(2011, 7), M(2011, 8)}, 3, 4, "July to September 2011"},
        {{M(2010, 10), M(2010, 11), M(2010, 12), M(2011, 10), M(2011, 11), M(2011, 12)}, 6, 4,
         "October to December 2010 and October to December 2011"},
        {{M(2010, 7), M(2010, 7), M(2010, 8)}, 3, 4, "July to August 2010"}, /* a repeat counts once */
        {{M(2010, 7), M(2010, 9), M(2011, 1)}, 3, 4, "July 2010, September 2010 and January 2011"},
        /* a run across the start of a financial year is split there */
        {{M(2011, 2), M(2011, 3), M(2011, 4)}, 3, 4, "February to March 2011 and April 2011"},
        {{M(2010, 4), M(2010, 5), M(2010, 6), M(2010, 7), M(2010, 8), M(2010, 9), M(2010, 10), M(2010, 11),
          M(2010, 12), M(2011, 1), M(2011, 2), M(2011, 3), M(2011, 4)},
         13, 4, "2010/11 and April 2011"},
        {{M(2011, 1), M(2011, 2), M(2011, 3), M(2011, 4), M(2011, 5), M(2011, 6), M(2011, 7), M(2011, 8),
          M(2011, 9), M(2011, 10), M(2011, 11), M(2011, 12)},
         12, 1, "2011"},
        {{0}, 0, 4, ""},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        Buf b = BUF_INIT;
        int m[24];
        memcpy(m, cases[i].months, sizeof m);
        period_format_months_gaps(&b, m, cases[i].n, cases[i].fy_start);
        assert_string_equal(buf_cstr(&b), cases[i].words);
        buf_release(&b);
    }
}

/* Every quarter of every financial-year start: Q1..Q4 tile the year, in order,
 * and each prints and parses back. */
static void test_all_starts(void **state)
{
    (void)state;
    for (int start = 1; start <= 12; start++) {
        Buf b = BUF_INIT;
        const char *why;
        Period y;
        if (start == 1)
            assert_int_equal(period_parse("2011", start, &y, &why), 0);
        else
            assert_int_equal(period_parse("2011/12", start, &y, &why), 0);
        assert_int_equal(y.first, M(2011, start));
        for (int qn = 1; qn <= 4; qn++) {
            Period qp = {PERIOD_QUARTER, y.first + (qn - 1) * 3};
            assert_int_equal(period_quarter_no(qp, start), qn);
            assert_int_equal(period_fy(qp.first, start), 2011);
            assert_int_equal(period_fy(period_last(qp), start), 2011);
            assert_int_equal(period_months_elapsed(qp, start), qn * 3);
            buf_reset(&b);
            period_format(&b, qp, start);
            Period back;
            assert_int_equal(period_parse(buf_cstr(&b), start, &back, &why), 0);
            assert_true(period_equal(back, qp));
        }
        buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_fy),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_span_leap),
        cmocka_unit_test(test_format_month_appends),
        cmocka_unit_test(test_all_starts),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_gaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
