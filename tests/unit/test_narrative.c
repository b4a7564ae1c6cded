/* test_narrative.c — the generated sentences: the seed's All Crime sentence
 * word for word (from real figures), the same-direction wording, unchanged and
 * missing figures, the against-target sentence for Accidental Dwelling Fires,
 * and the movement clause for those seriously injured. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "narrative.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define M(y, mon) ((y) * 12 + (mon) - 1)
#define APRIL 4

static int64_t micro(const char *s)
{
    int64_t m = 0;
    const char *why = NULL;
    if (fq_parse_micro(s, &m, &why) != 0)
        fail_msg("bad test number %s: %s", s, why);
    return m;
}

/* An optional figure from text; NULL = absent. */
static Fig fig(const char *s)
{
    Fig f = {0, {0, 1}};
    if (s) {
        f.has = 1;
        f.q = fq_micro(micro(s));
    }
    return f;
}

static Value quarter_value(int y, int mon, const char *v)
{
    Value x;
    memset(&x, 0, sizeof x);
    x.period.kind = PERIOD_QUARTER;
    x.period.first = M(y, mon);
    x.micro = micro(v);
    return x;
}

/* The seed's All Crime row, computed by figures_compare from its values:
 * Q2 2010/11 1413, Q2 2011/12 1455, YTD 2880 against 3018. */
static void seed_all_crime(CompareRow *row)
{
    IndicatorDef def = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    Value v[4] = {
        quarter_value(2010, 4, "1605"), quarter_value(2010, 7, "1413"),
        quarter_value(2011, 4, "1425"), quarter_value(2011, 7, "1455"),
    };
    Period q2 = {PERIOD_QUARTER, M(2011, 7)};
    memset(row, 0, sizeof *row);
    figures_compare(&def, v, 4, NULL, 0, q2, APRIL, row);
}

static void test_change_seed(void **state)
{
    (void)state;
    CompareRow row;
    seed_all_crime(&row);
    Buf b = BUF_INIT;
    Buf words = BUF_INIT;
    period_format_words(&words, (Period){PERIOD_QUARTER, M(2011, 7)}, APRIL);
    narrative_change(&b, "overall crime", buf_cstr(&words), &row);
    assert_string_equal(buf_cstr(&b),
                        "Although overall crime in quarter two has increased by 3.0% compared to "
                        "this period last year, the year to date figure shows a reduction of 4.6%.");
    buf_release(&words);
    buf_release(&b);
    compare_row_release(&row);
}

typedef struct ChangeCase {
    const char *pct, *ytd_pct;   /* change_pct, ytd_change_pct; NULL = missing */
    const char *want;
} ChangeCase;

static void test_change_table(void **state)
{
    (void)state;
    static const ChangeCase cases[] = {
        {"2.972", "-4.572",
         "Although overall crime in quarter two has increased by 3.0% compared to this period "
         "last year, the year to date figure shows a reduction of 4.6%."},
        {"-2", "-1.5",
         "Overall crime in quarter two has reduced by 2.0% compared to this period last year, "
         "and the year to date figure shows a reduction of 1.5%."},
        {"3", "1.25",
         "Overall crime in quarter two has increased by 3.0% compared to this period last year, "
         "and the year to date figure shows an increase of 1.3%."},
        {"-2", "1.5",
         "Although overall crime in quarter two has reduced by 2.0% compared to this period last "
         "year, the year to date figure shows an increase of 1.5%."},
        {"0", "-1.5",
         "Overall crime in quarter two has not changed compared to this period last year, and "
         "the year to date figure shows a reduction of 1.5%."},
        {"0.049999", "-1.5",    /* rounds to 0.0: worded as no change */
         "Overall crime in quarter two has not changed compared to this period last year, and "
         "the year to date figure shows a reduction of 1.5%."},
        {"-0.04", "0",
         "Overall crime in quarter two has not changed compared to this period last year, and "
         "the year to date figure shows no change."},
        {"3", "0",
         "Overall crime in quarter two has increased by 3.0% compared to this period last year, "
         "and the year to date figure shows no change."},
        {"-3", "0.04",
         "Overall crime in quarter two has reduced by 3.0% compared to this period last year, "
         "and the year to date figure shows no change."},
        {"0.05", "-0.05",       /* half away from zero, both ways */
         "Although overall crime in quarter two has increased by 0.1% compared to this period "
         "last year, the year to date figure shows a reduction of 0.1%."},
        {"-0.25", "-0.25",
         "Overall crime in quarter two has reduced by 0.3% compared to this period last year, "
         "and the year to date figure shows a reduction of 0.3%."},
        {"150", "-100",
         "Although overall crime in quarter two has increased by 150.0% compared to this period "
         "last year, the year to date figure shows a reduction of 100.0%."},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        CompareRow row;
        memset(&row, 0, sizeof row);
        row.change_pct = fig(cases[i].pct);
        row.ytd_change_pct = fig(cases[i].ytd_pct);
        Buf b = BUF_INIT;
        narrative_change(&b, "overall crime", "quarter two", &row);
        if (strcmp(buf_cstr(&b), cases[i].want) != 0)
            fail_msg("case %zu:\n got: %s\nwant: %s", i, buf_cstr(&b), cases[i].want);
        buf_release(&b);
    }
}

/* Appending keeps what the buffer held and capitalises only the new sentence. */
static void test_change_appends(void **state)
{
    (void)state;
    CompareRow row;
    memset(&row, 0, sizeof row);
    row.change_pct = fig("-2");
    row.ytd_change_pct = fig("-1.5");
    Buf b = BUF_INIT;
    buf_puts(&b, "- ");
    narrative_change(&b, "burglary dwelling", "July 2011", &row);
    assert_string_equal(buf_cstr(&b),
                        "- Burglary dwelling in July 2011 has reduced by 2.0% compared to this "
                        "period last year, and the year to date figure shows a reduction of 1.5%.");
    buf_reset(&b);
    buf_puts(&b, "x");
    narrative_change(&b, "Crime", "quarter one", &row);
    assert_true(strncmp(buf_cstr(&b), "xCrime in quarter one", 21) == 0);
    buf_release(&b);
}

/* ---- against target ---- */

static void test_target_seed(void **state)
{
    (void)state;
    /* Accidental Dwelling Fires: 2011/12 target 64, 27 by the end of Q2, so the
     * target to date is 32 and the figure is lower than anticipated. */
    IndicatorDef def = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    Value v[2] = {quarter_value(2011, 4, "15"), quarter_value(2011, 7, "12")};
    Target t = {2011, micro("64"), micro("5")};
    CompareRow row;
    memset(&row, 0, sizeof row);
    figures_compare(&def, v, 2, &t, 1, (Period){PERIOD_QUARTER, M(2011, 7)}, APRIL, &row);
    Buf b = BUF_INIT;
    narrative_target(&b, "Accidental Dwelling Fires", &def, &row);
    assert_string_equal(buf_cstr(&b), "Accidental Dwelling Fires are lower than anticipated.");
    assert_int_equal(row.rag, RAG_GREEN);
    buf_release(&b);
    compare_row_release(&row);
}

typedef struct TargetCase {
    const char *subject;
    Polarity pol;
    const char *ytd, *target, *ttd;
    const char *want;
} TargetCase;

static void test_target_table(void **state)
{
    (void)state;
    static const TargetCase cases[] = {
        {"Accidental Dwelling Fires", POLARITY_LOWER, "27", "64", "32",
         "Accidental Dwelling Fires are lower than anticipated."},
        {"Accidental Dwelling Fires", POLARITY_LOWER, "33", "64", "32",
         "Accidental Dwelling Fires are higher than anticipated."},
        {"Accidental Dwelling Fires", POLARITY_LOWER, "32", "64", "32",
         "Accidental Dwelling Fires are on target."},
        {"Accidental Dwelling Fires", POLARITY_LOWER, "32.000001", "64", "32",
         "Accidental Dwelling Fires are higher than anticipated."},
        {"deliberate primary fires", POLARITY_LOWER, "17", "35", "17.5",
         "Deliberate primary fires are lower than anticipated."},
        {"Home fire safety checks", POLARITY_HIGHER, "61", "60", "60",
         "Home fire safety checks are higher than anticipated."},
        {"Home fire safety checks", POLARITY_HIGHER, "59", "60", "60",
         "Home fire safety checks are lower than anticipated."},
        {"Accidental Dwelling Fires", POLARITY_LOWER, "27", NULL, NULL,
         "Accidental Dwelling Fires have no target for this year."},
        {"Accidental Dwelling Fires", POLARITY_LOWER, NULL, NULL, NULL,
         "Accidental Dwelling Fires have no target for this year."},
        {"Accidental Dwelling Fires", POLARITY_LOWER, NULL, "64", "32",
         "Accidental Dwelling Fires cannot be compared with the target: the year to date "
         "figure cannot be computed."}, /* no gap given: a zero denominator, say */
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const TargetCase *c = &cases[i];
        IndicatorDef def = {UNIT_COUNT, c->pol, AGG_SUM, 0};
        CompareRow row;
        memset(&row, 0, sizeof row);
        row.ytd = fig(c->ytd);
        row.target = fig(c->target);
        row.target_to_date = fig(c->ttd);
        Buf b = BUF_INIT;
        narrative_target(&b, c->subject, &def, &row);
        if (strcmp(buf_cstr(&b), c->want) != 0)
            fail_msg("case %zu:\n got: %s\nwant: %s", i, buf_cstr(&b), c->want);
        buf_release(&b);
    }
}

/* ---- movement ---- */

static void test_movement_seed(void **state)
{
    (void)state;
    /* Seriously injured on Chorley roads: 8 last year, 2 this year. */
    IndicatorDef def = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    Value v[2] = {quarter_value(2010, 7, "8"), quarter_value(2011, 7, "2")};
    CompareRow row;
    memset(&row, 0, sizeof row);
    figures_compare(&def, v, 2, NULL, 0, (Period){PERIOD_QUARTER, M(2011, 7)}, APRIL, &row);
    Buf b = BUF_INIT;
    narrative_movement(&b, "those seriously injured on Chorley roads", &row);
    assert_string_equal(buf_cstr(&b),
                        "There has been a 75.0% reduction in those seriously injured on Chorley "
                        "roads");
    /* No full stop: the template adds its own punctuation and chains clauses. */
    buf_puts(&b, ". ");
    row.change_pct = fig("-36.36");
    narrative_movement(&b, "slight injuries", &row);
    buf_putc(&b, '.');
    assert_string_equal(buf_cstr(&b),
                        "There has been a 75.0% reduction in those seriously injured on Chorley "
                        "roads. There has been a 36.4% reduction in slight injuries.");
    buf_release(&b);
    compare_row_release(&row);
}

typedef struct MoveCase {
    const char *change, *pct;   /* NULL = missing */
    const char *want;
} MoveCase;

static void test_movement_table(void **state)
{
    (void)state;
    static const MoveCase cases[] = {
        {"-6", "-75", "There has been a 75.0% reduction in SUBJECT"},
        {"10", "10.526315", "There has been a 10.5% increase in SUBJECT"},
        {"0", "0", "There has been no change in SUBJECT"},
        {"0.01", "0.04", "There has been no change in SUBJECT"},
        {"0.01", "0.05", "There has been a 0.1% increase in SUBJECT"},
        {"-0.01", "-0.05", "There has been a 0.1% reduction in SUBJECT"},
        {"1", "8", "There has been an 8.0% increase in SUBJECT"},
        {"1", "8.45", "There has been an 8.5% increase in SUBJECT"},
        {"1", "11", "There has been an 11.0% increase in SUBJECT"},
        {"1", "18.2", "There has been an 18.2% increase in SUBJECT"},
        {"-1", "-80", "There has been an 80.0% reduction in SUBJECT"},
        {"1", "800", "There has been an 800.0% increase in SUBJECT"},
        {"1", "11000", "There has been an 11000.0% increase in SUBJECT"},
        {"1", "1100", "There has been a 1100.0% increase in SUBJECT"},
        {"1", "110", "There has been a 110.0% increase in SUBJECT"},
        {"1", "180", "There has been a 180.0% increase in SUBJECT"},
        {"1", "1.8", "There has been a 1.8% increase in SUBJECT"},
        {"-1", "-15.2", "There has been a 15.2% reduction in SUBJECT"},
        {"0", NULL, "There has been no change in SUBJECT"},       /* 0 against 0 */
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        CompareRow row;
        memset(&row, 0, sizeof row);
        row.change = fig(cases[i].change);
        row.change_pct = fig(cases[i].pct);
        Buf b = BUF_INIT;
        narrative_movement(&b, "SUBJECT", &row);
        if (strcmp(buf_cstr(&b), cases[i].want) != 0)
            fail_msg("case %zu:\n got: %s\nwant: %s", i, buf_cstr(&b), cases[i].want);
        buf_release(&b);
    }
}

/* ---- honest wording when a figure is missing, from zero, or a percentage ---- */

/* A row computed by figures_compare for quarter `q_first` from quarterly values
 * (NULL ends the list), so the gaps are the real ones. */
static void row_from(CompareRow *row, Unit unit, const Value *v, int n, const Target *t, int nt, int q_first)
{
    IndicatorDef def = {unit, POLARITY_LOWER, AGG_SUM, 0};
    memset(row, 0, sizeof *row);
    figures_compare(&def, v, n, t, nt, (Period){PERIOD_QUARTER, q_first}, APRIL, row);
}

typedef struct HonestCase {
    const char *what;
    Unit unit;
    int n;
    Value v[6];
    int q_first;
    const char *change, *movement, *target;
} HonestCase;

static void test_honest_cases(void **state)
{
    (void)state;
    Target t = {2011, 64 * 1000000LL, 5 * 1000000LL};
    static const char *const BAD[] = {"n/a", "NaN", "zero of the", "not available", "incomplete"};
    const HonestCase cases[] = {
        {"no data for the quarter, either year", UNIT_COUNT, 2,
         {quarter_value(2011, 4, "1425"), quarter_value(2011, 7, "1455")}, M(2011, 10),
         "Overall crime in quarter three cannot be compared with this period last year: no figure yet for "
         "October to December 2011 and none for October to December 2010. Nor can the year to date figure: no "
         "figure yet for October to December 2011 and none for April to December 2010.",
         "There has been no figure yet for overall crime for October to December 2011",
         "Overall crime cannot be compared with the target: no figure yet for October to December 2011."},
        {"this year's figure only", UNIT_COUNT, 3,
         {quarter_value(2011, 4, "10"), quarter_value(2011, 7, "12"), quarter_value(2010, 4, "9")}, M(2011, 7),
         "Overall crime in quarter two cannot be compared with this period last year: no figure for July to "
         "September 2010.", /* the year to date lacks the same months: said once */
         "There has been no comparison with last year for overall crime: no figure for July to September 2010",
         "Overall crime are lower than anticipated."},
        {"zero baseline", UNIT_COUNT, 4,
         {quarter_value(2010, 4, "5"), quarter_value(2010, 7, "0"), quarter_value(2011, 4, "4"),
          quarter_value(2011, 7, "3")},
         M(2011, 7),
         "Overall crime in quarter two has increased compared to this period last year (it was zero a year "
         "earlier, so there is no percentage change), and the year to date figure shows an increase of 40.0%.",
         "There has been an increase in overall crime, from none last year", "Overall crime are lower than anticipated."},
        {"zero against zero", UNIT_COUNT, 4,
         {quarter_value(2010, 4, "0"), quarter_value(2010, 7, "0"), quarter_value(2011, 4, "0"),
          quarter_value(2011, 7, "0")},
         M(2011, 7),
         "Overall crime in quarter two has not changed compared to this period last year, and the year to "
         "date figure shows no change.",
         "There has been no change in overall crime", "Overall crime are lower than anticipated."},
        {"a percentage", UNIT_PERCENT, 4,
         {quarter_value(2010, 4, "50"), quarter_value(2010, 7, "60"), quarter_value(2011, 4, "50"),
          quarter_value(2011, 7, "62.1")},
         M(2011, 7),
         "Overall crime in quarter two has increased compared to this period last year (the figures are "
         "percentages: a change of 2.1 percentage points); the year to date figure cannot be compared: the "
         "figures are percentages: a change of 2.1 percentage points.",
         "There has been an increase of 2.1 percentage points in overall crime",
         "Overall crime are higher than anticipated."},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const HonestCase *c = &cases[i];
        CompareRow row;
        row_from(&row, c->unit, c->v, c->n, &t, 1, c->q_first);
        Buf words = BUF_INIT, b = BUF_INIT, m = BUF_INIT, tg = BUF_INIT;
        period_format_words(&words, (Period){PERIOD_QUARTER, c->q_first}, APRIL);
        narrative_change(&b, "overall crime", buf_cstr(&words), &row);
        narrative_movement(&m, "overall crime", &row);
        IndicatorDef def = {c->unit, POLARITY_LOWER, AGG_SUM, 0};
        narrative_target(&tg, "overall crime", &def, &row);
        if (strcmp(buf_cstr(&b), c->change) != 0)
            fail_msg("%s (change):\n got: %s\nwant: %s", c->what, buf_cstr(&b), c->change);
        if (strcmp(buf_cstr(&m), c->movement) != 0)
            fail_msg("%s (movement):\n got: %s\nwant: %s", c->what, buf_cstr(&m), c->movement);
        if (strcmp(buf_cstr(&tg), c->target) != 0)
            fail_msg("%s (target):\n got: %s\nwant: %s", c->what, buf_cstr(&tg), c->target);
        for (size_t k = 0; k < NELEM(BAD); k++)
            assert_null(strstr(buf_cstr(&b), BAD[k]));
        buf_release(&words);
        buf_release(&b);
        buf_release(&m);
        buf_release(&tg);
        compare_row_release(&row);
    }
}

/* Without a target, the target sentence says so; the year to date alone
 * missing is named in the change sentence's second clause. */
static void test_honest_no_target_ytd(void **state)
{
    (void)state;
    Value v[3] = {quarter_value(2010, 7, "10"), quarter_value(2011, 7, "12"), quarter_value(2010, 4, "9")};
    CompareRow row;
    row_from(&row, UNIT_COUNT, v, 3, NULL, 0, M(2011, 7));
    Buf b = BUF_INIT;
    IndicatorDef def = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    narrative_target(&b, "Fires", &def, &row);
    assert_string_equal(buf_cstr(&b), "Fires have no target for this year.");
    buf_reset(&b);
    narrative_change(&b, "fires", "quarter two", &row);
    assert_string_equal(buf_cstr(&b), "Fires in quarter two has increased by 20.0% compared to this period last "
                                      "year; the year to date figure cannot be compared: no figure yet for April "
                                      "to June 2011.");
    buf_release(&b);
    compare_row_release(&row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_seed),
        cmocka_unit_test(test_change_table),
        cmocka_unit_test(test_change_appends),
        cmocka_unit_test(test_target_seed),
        cmocka_unit_test(test_target_table),
        cmocka_unit_test(test_movement_seed),
        cmocka_unit_test(test_movement_table),
        cmocka_unit_test(test_honest_cases),
        cmocka_unit_test(test_honest_no_target_ytd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
