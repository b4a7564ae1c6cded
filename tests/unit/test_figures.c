/* test_figures.c — aggregation with coverage, compare rows (the seed's All Crime
 * and fire figures among them), RAG edges, direction of travel, and the names
 * of units, polarities, aggregates, RAG and direction. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "figures.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define M(y, mon) ((y) * 12 + (mon) - 1)
#define MAXV 24    /* values in one table case */
#define APRIL 4

static int64_t micro(const char *s)
{
    int64_t m = 0;
    const char *why = NULL;
    if (fq_parse_micro(s, &m, &why) != 0)
        fail_msg("bad test number %s: %s", s, why);
    return m;
}

static Fq dec(const char *s)
{
    return fq_micro(micro(s));
}

/* One value in a table: kind 0 ends the list; num/den given for a ratio. */
typedef struct VSpec {
    PeriodKind kind;
    int y, mon;
    const char *value;
    const char *num, *den;
} VSpec;

/* Table shorthand: a month, quarter or year value; MR/QR a ratio's num and den. */
#define MV(y, m, v) {PERIOD_MONTH, y, m, v, NULL, NULL}
#define QV(y, m, v) {PERIOD_QUARTER, y, m, v, NULL, NULL}
#define YV(y, m, v) {PERIOD_YEAR, y, m, v, NULL, NULL}
#define MR(y, m, n, d) {PERIOD_MONTH, y, m, NULL, n, d}
#define QR(y, m, n, d) {PERIOD_QUARTER, y, m, NULL, n, d}

static int build_values(const VSpec *spec, Value *out)
{
    int n = 0;
    for (; n < MAXV && spec[n].kind; n++) {
        const VSpec *s = &spec[n];
        memset(&out[n], 0, sizeof out[n]);
        out[n].period.kind = s->kind;
        out[n].period.first = M(s->y, s->mon);
        if (s->num) {
            out[n].has_ratio = 1;
            out[n].num_micro = micro(s->num);
            out[n].den_micro = micro(s->den);
            out[n].micro = 0; /* informational only: must not be used */
        } else {
            out[n].micro = micro(s->value);
        }
    }
    return n;
}

/* Check an optional figure against its printed form; NULL = absent. */
static void check_fig(const char *what, const Fig *f, const char *want, int decimals)
{
    if (!want) {
        if (f->has) {
            Buf b = BUF_INIT;
            fq_format(&b, f->q, decimals);
            fail_msg("%s: want empty, got %s", what, buf_cstr(&b));
        }
        return;
    }
    if (!f->has)
        fail_msg("%s: want %s, got empty", what, want);
    Buf b = BUF_INIT;
    fq_format(&b, f->q, decimals);
    if (strcmp(buf_cstr(&b), want) != 0) {
        char got[64];
        snprintf(got, sizeof got, "%s", buf_cstr(&b));
        buf_release(&b);
        fail_msg("%s: want %s, got %s", what, want, got);
    }
    buf_release(&b);
}

/* ---- aggregation ---- */

typedef struct AggCase {
    const char *name;
    Aggregate agg;
    VSpec v[MAXV];
    int y, mon, nmonths;   /* the span */
    int decimals;
    const char *want;      /* NULL: not covered */
    const char *missing;   /* "2011-08, 2011-09" or "" */
} AggCase;

static void test_aggregate(void **state)
{
    (void)state;
    static const AggCase cases[] = {
        {"three months sum to a quarter", AGG_SUM,
         {MV(2011, 7, "10"), MV(2011, 8, "20"),
          MV(2011, 9, "30.5")},
         2011, 7, 3, 1, "60.5", ""},
        {"a quarter value alone", AGG_SUM, {QV(2011, 7, "1455")},
         2011, 7, 3, 0, "1455", ""},
        {"quarter plus its months: not counted twice", AGG_SUM,
         {MV(2011, 7, "30"), QV(2011, 7, "100"),
          MV(2011, 8, "30"), MV(2011, 9, "30")},
         2011, 7, 3, 0, "100", ""},
        {"months then a quarter", AGG_SUM,
         {MV(2011, 4, "1"), MV(2011, 5, "2"),
          MV(2011, 6, "3"), QV(2011, 7, "100"),
          MV(2011, 8, "1000")},
         2011, 4, 6, 0, "106", ""},
        {"a year value does not fit a quarter", AGG_SUM,
         {YV(2011, 4, "999"), MV(2011, 4, "1"),
          MV(2011, 5, "1"), MV(2011, 6, "1")},
         2011, 4, 3, 0, "3", ""},
        {"a year value covers the year", AGG_SUM,
         {YV(2011, 4, "999"), MV(2011, 4, "1")},
         2011, 4, 12, 0, "999", ""},
        {"a quarter does not fit two months", AGG_SUM,
         {QV(2011, 7, "100"), MV(2011, 7, "1"),
          MV(2011, 8, "2")},
         2011, 7, 2, 0, "3", ""},
        {"a quarter starting before the span is not used", AGG_SUM,
         {QV(2011, 7, "100"), MV(2011, 8, "1"),
          MV(2011, 9, "2"), MV(2011, 10, "4")},
         2011, 8, 3, 0, "7", ""},
        {"a missing month", AGG_SUM,
         {MV(2011, 7, "10"), MV(2011, 9, "30")},
         2011, 7, 3, 0, NULL, "2011-08"},
        {"several missing months", AGG_SUM,
         {MV(2011, 5, "10"), MV(2011, 8, "30")},
         2011, 4, 6, 0, NULL, "2011-04, 2011-06, 2011-07, 2011-09"},
        {"nothing at all", AGG_SUM, {{0}}, 2011, 7, 3, 0, NULL, "2011-07, 2011-08, 2011-09"},
        {"a quarter covers some, a month is missing", AGG_SUM,
         {QV(2011, 4, "5"), MV(2011, 8, "1"),
          MV(2011, 9, "1")},
         2011, 4, 6, 0, NULL, "2011-07"},
        {"zero is a value", AGG_SUM,
         {MV(2011, 7, "0"), MV(2011, 8, "0"),
          MV(2011, 9, "0")},
         2011, 7, 3, 0, "0", ""},
        {"values out of order, others ignored", AGG_SUM,
         {MV(2011, 9, "3"), MV(2010, 7, "1000"),
          MV(2011, 7, "1"), MV(2011, 10, "1000"),
          MV(2011, 8, "2"), QV(2011, 10, "1000")},
         2011, 7, 3, 0, "6", ""},
        {"negative values sum", AGG_SUM,
         {MV(2011, 7, "-1.25"), MV(2011, 8, "0.25")},
         2011, 7, 2, 2, "-1.00", ""},
        {"decimals are exact", AGG_SUM,
         {MV(2011, 7, "0.1"), MV(2011, 8, "0.2")},
         2011, 7, 2, 6, "0.300000", ""},
        {"across the calendar year", AGG_SUM,
         {MV(2011, 12, "1"), MV(2012, 1, "2"),
          MV(2012, 2, "3")},
         2011, 12, 3, 0, "6", ""},
        /* ratio: sum of numerators / sum of denominators, never mean of ratios */
        /* 1/2 and 99/100: (1 + 99) / (2 + 100) = 98.0; the mean of ratios would be 74.5 */
        {"ratio of sums, not mean of ratios", AGG_RATIO,
         {MR(2011, 7, "1", "2"), MR(2011, 8, "99", "100")},
         2011, 7, 2, 1, "98.0", ""},
        /* 1/1 and 1/2: 2/3 = 66.7; the mean of ratios would be 75.0 */
        {"ratio of sums, 66.7 not 75.0", AGG_RATIO,
         {MR(2011, 7, "1", "1"), MR(2011, 8, "1", "2")},
         2011, 7, 2, 1, "66.7", ""},
        {"ratio of one", AGG_RATIO, {QR(2011, 7, "77", "99.5")},
         2011, 7, 3, 1, "77.4", ""},
        {"ratio with a zero numerator", AGG_RATIO,
         {MR(2011, 7, "0", "11")}, 2011, 7, 1, 1, "0.0", ""},
        {"ratio with one zero denominator", AGG_RATIO,
         {MR(2011, 7, "0", "0"), MR(2011, 8, "1", "4")},
         2011, 7, 2, 1, "25.0", ""},
        {"ratio whose denominators sum to zero", AGG_RATIO,
         {MR(2011, 7, "0", "0"), MR(2011, 8, "0", "0")},
         2011, 7, 2, 1, NULL, ""},
        {"ratio missing a month", AGG_RATIO,
         {MR(2011, 7, "1", "2")}, 2011, 7, 2, 1, NULL, "2011-08"},
        {"ratio values without num/den weigh as out of 100", AGG_RATIO,
         {MV(2011, 7, "50"), MV(2011, 8, "70")},
         2011, 7, 2, 1, "60.0", ""},
        {"ratio mixing both", AGG_RATIO,
         {MR(2011, 7, "1", "2"), MV(2011, 8, "70")},
         2011, 7, 2, 1, "69.6", ""},
        {"ratio quarter plus months not counted twice", AGG_RATIO,
         {QR(2011, 7, "3", "4"), MR(2011, 7, "0", "100"),
          MR(2011, 10, "1", "4")},
         2011, 7, 4, 1, "50.0", ""},
        /* mean: weighted by months */
        {"mean of months", AGG_MEAN,
         {MV(2011, 7, "1"), MV(2011, 8, "2"),
          MV(2011, 9, "4")},
         2011, 7, 3, 1, "2.3", ""},
        {"mean weights a quarter by its months", AGG_MEAN,
         {QV(2011, 7, "10"), MV(2011, 10, "20")},
         2011, 7, 4, 1, "12.5", ""},
        {"mean of one quarter", AGG_MEAN, {QV(2011, 7, "60")},
         2011, 7, 3, 0, "60", ""},
        {"mean missing", AGG_MEAN, {MV(2011, 7, "60")}, 2011, 7, 3, 0, NULL,
         "2011-08, 2011-09"},
        /* last: the piece covering the last month */
        {"last of months", AGG_LAST,
         {MV(2011, 9, "9"), MV(2011, 7, "5"),
          MV(2011, 8, "7")},
         2011, 7, 3, 0, "9", ""},
        {"last is a quarter", AGG_LAST,
         {MV(2011, 4, "1"), MV(2011, 5, "2"),
          MV(2011, 6, "3"), QV(2011, 7, "42")},
         2011, 4, 6, 0, "42", ""},
        {"last needs every month", AGG_LAST,
         {MV(2011, 9, "9")}, 2011, 7, 3, 0, NULL, "2011-07, 2011-08"},
        {"last may be zero", AGG_LAST,
         {MV(2011, 7, "5"), MV(2011, 8, "0")},
         2011, 7, 2, 0, "0", ""},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const AggCase *c = &cases[i];
        IndicatorDef def = {UNIT_COUNT, POLARITY_NONE, c->agg, c->decimals};
        Value values[MAXV];
        int nv = build_values(c->v, values);
        int missing[12 * 2];
        int nmissing = -1;
        Fq out = fq_int(-12345);
        int got = figures_aggregate(&def, values, nv, M(c->y, c->mon), c->nmonths, &out,
                                    missing, &nmissing);
        Fig f = {got, out};
        check_fig(c->name, &f, c->want, c->decimals);
        Buf mb = BUF_INIT;
        for (int k = 0; k < nmissing; k++) {
            if (k)
                buf_puts(&mb, ", ");
            period_format_month(&mb, missing[k]);
        }
        if (strcmp(buf_cstr(&mb), c->missing) != 0) {
            char got_missing[128];
            snprintf(got_missing, sizeof got_missing, "%s", buf_cstr(&mb));
            buf_release(&mb);
            fail_msg("%s: missing \"%s\" want \"%s\"", c->name, got_missing, c->missing);
        }
        buf_release(&mb);
        /* The same call without the optional outputs agrees. */
        Fq out2;
        assert_int_equal(figures_aggregate(&def, values, nv, M(c->y, c->mon), c->nmonths,
                                           &out2, NULL, NULL),
                         got);
        if (got)
            assert_int_equal(fq_cmp(out, out2), 0);
    }
}

/* ---- compare rows ---- */

typedef struct TSpec {
    int fy;
    const char *target, *tolerance;
} TSpec;

typedef struct CmpCase {
    const char *name;
    IndicatorDef def;
    VSpec v[MAXV];
    TSpec t[3];          /* fy 0 ends the list */
    const char *period;
    int fy_start;
    const char *value, *previous, *change, *change_pct;
    const char *ytd, *ytd_previous, *ytd_change_pct;
    const char *target, *target_to_date;
    Rag rag;
    Direction direction;
    const char *note;
} CmpCase;

#define COUNT_LOWER {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}

static const CmpCase COMPARE_CASES[] = {
    {"seed: All Crime Q2 2011/12", COUNT_LOWER,
     {QV(2010, 4, "1605"), QV(2010, 7, "1413"),
      QV(2011, 4, "1425"), QV(2011, 7, "1455")},
     {{0}}, "2011/12 Q2", APRIL,
     "1455", "1413", "42", "3.0", "2880", "3018", "-4.6", NULL, NULL,
     RAG_NONE, DIR_WORSENING, ""},
    {"seed: Robbery from months", COUNT_LOWER,
     {MV(2010, 7, "2"), MV(2010, 8, "3"), MV(2010, 9, "1"),
      MV(2011, 7, "0"), MV(2011, 8, "1"), MV(2011, 9, "0"),
      QV(2010, 4, "11"), QV(2011, 4, "5")},
     {{0}}, "2011/12 Q2", APRIL,
     "1", "6", "-5", "-83.3", "6", "17", "-64.7", NULL, NULL,
     RAG_NONE, DIR_IMPROVING, ""},
    {"seed: Accidental Dwelling Fires against target", COUNT_LOWER,
     {QV(2011, 4, "15"), QV(2011, 7, "12")},
     {{2011, "64", "5"}}, "2011/12 Q2", APRIL,
     "12", NULL, NULL, NULL, "27", NULL, NULL, "64", "32",
     RAG_GREEN, DIR_NONE, "no figure for April to September 2010"},
    {"273 against 272 with a 5% band is amber", COUNT_LOWER,
     {QV(2011, 4, "200"), QV(2011, 7, "73"),
      QV(2010, 4, "200"), QV(2010, 7, "73")},
     {{2011, "544", "5"}}, "2011/12 Q2", APRIL,
     "73", "73", "0", "0.0", "273", "273", "0.0", "544", "272",
     RAG_AMBER, DIR_SAME, ""},
    {"exactly on target is green", COUNT_LOWER,
     {YV(2011, 4, "100"), YV(2010, 4, "90")},
     {{2011, "100", "5"}}, "2011/12", APRIL,
     "100", "90", "10", "11.1", "100", "90", "11.1", "100", "100",
     RAG_GREEN, DIR_WORSENING, ""},
    {"beyond the band is red", COUNT_LOWER,
     {MV(2011, 4, "106"), MV(2010, 4, "0")},
     {{2011, "1200", "5"}}, "2011-04", APRIL,
     "106", "0", "106", NULL, "106", "0", NULL, "1200", "100",
     RAG_RED, DIR_WORSENING, ""},
    {"the target of another year is not used", COUNT_LOWER,
     {MV(2011, 4, "1")},
     {{2010, "12", "5"}, {2012, "12", "5"}}, "2011-04", APRIL,
     "1", NULL, NULL, NULL, "1", NULL, NULL, NULL, NULL,
     RAG_NONE, DIR_NONE, "no figure for April 2010"},
    {"Q4 takes the target of the year it belongs to", COUNT_LOWER,
     {YV(2011, 4, "50"), QV(2012, 1, "10"),
      QV(2011, 1, "10"), YV(2010, 4, "40")},
     {{2012, "1", "5"}, {2011, "48", "10"}}, "2011/12 Q4", APRIL,
     "10", "10", "0", "0.0", "50", "40", "25.0", "48", "48",
     RAG_AMBER, DIR_SAME, ""},
    {"higher polarity, percent unit: change in points, no % change",
     {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1},
     {QR(2011, 7, "77", "99.5"), QR(2011, 4, "73", "98.5"),
      QR(2010, 7, "70", "100"), QR(2010, 4, "72", "100")},
     {{2011, "80", "6"}}, "2011/12 Q2", APRIL,
     "77.4", "70.0", "7.4", NULL, "75.8", "71.0", NULL, "80.0", "80.0",
     RAG_AMBER, DIR_IMPROVING, ""},
    {"ratio: previous denominators sum to zero", {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1},
     {MR(2011, 4, "1", "2"), MR(2010, 4, "0", "0")},
     {{0}}, "2011-04", APRIL,
     "50.0", NULL, NULL, NULL, "50.0", NULL, NULL, NULL, NULL,
     RAG_NONE, DIR_NONE, "denominator is zero"},
    {"ratio: missing and zero denominator", {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1},
     {MR(2011, 5, "1", "2"), MR(2010, 4, "0", "0"),
      MR(2010, 5, "0", "0")},
     {{0}}, "2011-05", APRIL,
     "50.0", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     RAG_NONE, DIR_NONE, "no figure for April 2011; denominator is zero"},
    {"higher polarity red and amber band below", {UNIT_NUMBER, POLARITY_HIGHER, AGG_MEAN, 1},
     {MV(2011, 4, "90"), MV(2011, 5, "94"),
      MV(2010, 4, "95"), MV(2010, 5, "95")},
     {{2011, "100", "5"}}, "2011-05", APRIL,
     "94.0", "95.0", "-1.0", "-1.1", "92.0", "95.0", "-3.2", "100.0", "100.0",
     RAG_RED, DIR_WORSENING, ""},
    {"missing months named, sorted, de-duplicated", COUNT_LOWER,
     {MV(2011, 4, "1"), MV(2011, 5, "1"), MV(2011, 7, "1"),
      MV(2011, 8, "1"), MV(2011, 9, "1"),
      MV(2010, 4, "1"), MV(2010, 5, "1"), MV(2010, 6, "1"),
      MV(2010, 9, "1")},
     {{2011, "12", "5"}}, "2011/12 Q2", APRIL,
     "3", NULL, NULL, NULL, NULL, NULL, NULL, "12", "6",
     RAG_NONE, DIR_NONE, "no figure for July to August 2010 and June 2011"},
    {"a zero baseline: change but no % change", COUNT_LOWER,
     {QV(2011, 4, "3"), QV(2010, 4, "0")},
     {{0}}, "2011/12 Q1", APRIL,
     "3", "0", "3", NULL, "3", "0", NULL, NULL, NULL, RAG_NONE, DIR_WORSENING, ""},
    {"zero against zero is the same", COUNT_LOWER,
     {QV(2011, 4, "0"), QV(2010, 4, "0")},
     {{0}}, "2011/12 Q1", APRIL,
     "0", "0", "0", NULL, "0", "0", NULL, NULL, NULL, RAG_NONE, DIR_SAME, ""},
    {"quarter value and month values not double counted in ytd", COUNT_LOWER,
     {MV(2011, 4, "1"), MV(2011, 5, "1"), MV(2011, 6, "1"),
      QV(2011, 7, "100"), MV(2011, 7, "30"),
      MV(2011, 8, "30"), MV(2011, 9, "30"),
      YV(2010, 4, "400"), QV(2010, 4, "50"),
      QV(2010, 7, "50")},
     {{0}}, "2011/12 Q2", APRIL,
     "100", "50", "50", "100.0", "103", "100", "3.0", NULL, NULL,
     RAG_NONE, DIR_WORSENING, ""},
    {"polarity none: no rag, no direction", {UNIT_COUNT, POLARITY_NONE, AGG_SUM, 0},
     {MV(2011, 4, "5"), MV(2010, 4, "4")},
     {{2011, "12", "5"}}, "2011-04", APRIL,
     "5", "4", "1", "25.0", "5", "4", "25.0", "12", "1", RAG_NONE, DIR_NONE, ""},
    {"mean target is the target itself", {UNIT_RATE, POLARITY_LOWER, AGG_MEAN, 1},
     {MV(2011, 4, "4"), MV(2010, 4, "5")},
     {{2011, "4.5", "10"}}, "2011-04", APRIL,
     "4.0", "5.0", "-1.0", "-20.0", "4.0", "5.0", "-20.0", "4.5", "4.5",
     RAG_GREEN, DIR_IMPROVING, ""},
    {"last target is the target itself", {UNIT_NUMBER, POLARITY_HIGHER, AGG_LAST, 0},
     {MV(2011, 4, "4"), MV(2011, 5, "6"),
      MV(2010, 4, "5"), MV(2010, 5, "5")},
     {{2011, "7", "20"}}, "2011-05", APRIL,
     "6", "5", "1", "20.0", "6", "5", "20.0", "7", "7", RAG_AMBER, DIR_IMPROVING, ""},
    {"July start: Q2 is October to December", COUNT_LOWER,
     {QV(2011, 7, "10"), QV(2011, 10, "20"),
      QV(2010, 7, "10"), QV(2010, 10, "10")},
     {{2011, "100", "5"}}, "2011/12 Q2", 7,
     "20", "10", "10", "100.0", "30", "20", "50.0", "100", "50", RAG_GREEN, DIR_WORSENING, ""},
    {"January start: 2011 Q2 ytd is January to June", COUNT_LOWER,
     {QV(2011, 1, "10"), QV(2011, 4, "20"),
      QV(2010, 1, "10"), QV(2010, 4, "25")},
     {{2011, "48", "5"}, {2010, "1", "5"}}, "2011 Q2", 1,
     "20", "25", "-5", "-20.0", "30", "35", "-14.3", "48", "24", RAG_RED, DIR_IMPROVING, ""},
    {"April start Q4 is January to March", COUNT_LOWER,
     {MV(2012, 1, "1"), MV(2012, 2, "2"), MV(2012, 3, "3"),
      QV(2011, 1, "5")},
     {{0}}, "2011/12 Q4", APRIL,
     "6", "5", "1", "20.0", NULL, NULL, NULL, NULL, NULL, RAG_NONE, DIR_WORSENING,
     "no figure for April to December 2010 and April to December 2011"},
};

static void run_compare_case(const CmpCase *c, CompareRow *row)
{
    Value values[MAXV];
    Target targets[3];
    int nv = build_values(c->v, values), nt = 0;
    for (; nt < 3 && c->t[nt].fy; nt++) {
        targets[nt].fy = c->t[nt].fy;
        targets[nt].target_micro = micro(c->t[nt].target);
        targets[nt].tolerance_micro = micro(c->t[nt].tolerance);
    }
    Period p;
    const char *why;
    if (period_parse(c->period, c->fy_start, &p, &why) != 0)
        fail_msg("%s: bad period %s", c->name, c->period);
    figures_compare(&c->def, values, nv, nt ? targets : NULL, nt, p, c->fy_start, row);
}

static void check_compare_case(const CmpCase *c, const CompareRow *row)
{
    int d = c->def.decimals;
    Buf what = BUF_INIT;
#define CHECK(field, want, places)                                  \
    do {                                                            \
        buf_reset(&what);                                           \
        buf_printf(&what, "%s: %s", c->name, #field);               \
        check_fig(buf_cstr(&what), &row->field, want, places);      \
    } while (0)
    CHECK(value, c->value, d);
    CHECK(previous, c->previous, d);
    CHECK(change, c->change, d);
    CHECK(change_pct, c->change_pct, 1);
    CHECK(ytd, c->ytd, d);
    CHECK(ytd_previous, c->ytd_previous, d);
    CHECK(ytd_change_pct, c->ytd_change_pct, 1);
    CHECK(target, c->target, d);
    CHECK(target_to_date, c->target_to_date, d);
#undef CHECK
    buf_release(&what);
    if (row->rag != c->rag)
        fail_msg("%s: rag %s want %s", c->name, rag_name(row->rag), rag_name(c->rag));
    if (row->direction != c->direction)
        fail_msg("%s: direction %s want %s", c->name, direction_name(row->direction),
                 direction_name(c->direction));
    if (strcmp(buf_cstr(&row->note), c->note) != 0)
        fail_msg("%s: note \"%s\" want \"%s\"", c->name, buf_cstr(&row->note), c->note);
}

static void test_compare(void **state)
{
    (void)state;
    for (size_t i = 0; i < NELEM(COMPARE_CASES); i++) {
        CompareRow row;
        memset(&row, 0, sizeof row);
        run_compare_case(&COMPARE_CASES[i], &row);
        check_compare_case(&COMPARE_CASES[i], &row);
        compare_row_release(&row);
    }
}

/* One row reused for every case: nothing leaks from one case into the next. */
static void test_compare_row_reuse(void **state)
{
    (void)state;
    CompareRow row;
    memset(&row, 0, sizeof row);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < NELEM(COMPARE_CASES); i++) {
            size_t k = round ? NELEM(COMPARE_CASES) - 1 - i : i;
            run_compare_case(&COMPARE_CASES[k], &row);
            check_compare_case(&COMPARE_CASES[k], &row);
        }
    }
    compare_row_release(&row);
    compare_row_release(&row); /* freeing twice is harmless */
}

/* change_pct is exact before rounding: 1/3 up gives 33.3, and ytd uses the same rule. */
static void test_compare_exact_pct(void **state)
{
    (void)state;
    IndicatorDef def = COUNT_LOWER;
    Value v[2];
    memset(v, 0, sizeof v);
    v[0].period = (Period){PERIOD_YEAR, M(2011, 4)};
    v[0].micro = micro("4");
    v[1].period = (Period){PERIOD_YEAR, M(2010, 4)};
    v[1].micro = micro("3");
    CompareRow row;
    memset(&row, 0, sizeof row);
    figures_compare(&def, v, 2, NULL, 0, (Period){PERIOD_YEAR, M(2011, 4)}, APRIL, &row);
    assert_true(row.change_pct.has);
    assert_int_equal(fq_cmp(row.change_pct.q, fq_make(100, 3)), 0);
    assert_int_equal(fq_cmp(row.ytd_change_pct.q, fq_make(100, 3)), 0);
    compare_row_release(&row);
}

/* Ratios of sums of the largest values, one near 100% and one near 0%: the
 * denominators of value and previous multiply in change and % change, and the
 * numerator passes 128 bits (the sums of denominators are odd, not multiples
 * of 5 and coprime, so nothing cancels). The row still computes what
 * fits, leaves the rest empty and says why, and never aborts. */
static void test_compare_huge_ratios(void **state)
{
    (void)state;
    IndicatorDef def = {UNIT_RATE, POLARITY_HIGHER, AGG_RATIO, 1};
    static const VSpec spec[] = {
        MR(2011, 4, "999999999999.999999", "999999999999.999997"),
        MR(2011, 5, "999999999999.999993", "999999999999.999991"),
        MR(2011, 6, "999999999999.999989", "999999999999.999981"),
        MR(2010, 4, "0.000001", "999999999999.999981"),
        MR(2010, 5, "0.000003", "999999999999.999977"),
        MR(2010, 6, "0.000007", "999999999999.999965"),
        {0, 0, 0, NULL, NULL, NULL},
    };
    Value values[MAXV];
    int nv = build_values(spec, values);
    CompareRow row;
    memset(&row, 0, sizeof row);
    figures_compare(&def, values, nv, NULL, 0, (Period){PERIOD_QUARTER, M(2011, 4)}, APRIL,
                    &row);
    check_fig("value", &row.value, "100.0", 1);
    check_fig("previous", &row.previous, "0.0", 1);
    check_fig("ytd_previous", &row.ytd_previous, "0.0", 1);
    check_fig("ytd", &row.ytd, "100.0", 1);
    check_fig("change", &row.change, NULL, 1);
    check_fig("change_pct", &row.change_pct, NULL, 1);
    check_fig("ytd_change_pct", &row.ytd_change_pct, NULL, 1);
    assert_int_equal(row.direction, DIR_IMPROVING); /* comparison is always exact */
    assert_string_equal(buf_cstr(&row.note), "change too large to compute exactly");
    compare_row_release(&row);
}

/* ---- RAG and direction ---- */

typedef struct RagCase {
    Polarity pol;
    const char *actual, *ttd, *tol;
    Rag want;
} RagCase;

static void test_rag(void **state)
{
    (void)state;
    static const RagCase cases[] = {
        {POLARITY_LOWER, "272", "272", "5", RAG_GREEN},        /* on target */
        {POLARITY_LOWER, "271.999999", "272", "5", RAG_GREEN},
        {POLARITY_LOWER, "0", "272", "5", RAG_GREEN},
        {POLARITY_LOWER, "272.000001", "272", "5", RAG_AMBER},
        {POLARITY_LOWER, "273", "272", "5", RAG_AMBER},
        {POLARITY_LOWER, "285.6", "272", "5", RAG_AMBER},      /* band edge */
        {POLARITY_LOWER, "285.600001", "272", "5", RAG_RED},
        {POLARITY_LOWER, "286", "272", "5", RAG_RED},
        {POLARITY_LOWER, "27", "32", "5", RAG_GREEN},          /* Accidental Dwelling Fires */
        {POLARITY_LOWER, "17", "17.5", "5", RAG_GREEN},        /* Deliberate Primary Fires */
        {POLARITY_LOWER, "18", "17.5", "5", RAG_AMBER},
        {POLARITY_LOWER, "18.375", "17.5", "5", RAG_AMBER},
        {POLARITY_LOWER, "18.375001", "17.5", "5", RAG_RED},
        {POLARITY_LOWER, "100.000001", "100", "0", RAG_RED},   /* no band */
        {POLARITY_LOWER, "100", "100", "0", RAG_GREEN},
        {POLARITY_LOWER, "0", "0", "5", RAG_GREEN},
        {POLARITY_LOWER, "1", "0", "5", RAG_RED},              /* a band of 5% of zero is zero */
        {POLARITY_LOWER, "-96", "-100", "5", RAG_AMBER},       /* negative targets */
        {POLARITY_LOWER, "-95", "-100", "5", RAG_AMBER},
        {POLARITY_LOWER, "-94", "-100", "5", RAG_RED},
        {POLARITY_LOWER, "-101", "-100", "5", RAG_GREEN},
        {POLARITY_HIGHER, "272", "272", "5", RAG_GREEN},
        {POLARITY_HIGHER, "300", "272", "5", RAG_GREEN},
        {POLARITY_HIGHER, "271", "272", "5", RAG_AMBER},
        {POLARITY_HIGHER, "258.4", "272", "5", RAG_AMBER},     /* band edge */
        {POLARITY_HIGHER, "258.399999", "272", "5", RAG_RED},
        {POLARITY_HIGHER, "0", "272", "5", RAG_RED},
        {POLARITY_HIGHER, "60", "60", "5", RAG_GREEN},         /* home fire safety checks */
        {POLARITY_HIGHER, "57", "60", "5", RAG_AMBER},
        {POLARITY_HIGHER, "56.9", "60", "5", RAG_RED},
        {POLARITY_HIGHER, "-105", "-100", "5", RAG_AMBER},
        {POLARITY_HIGHER, "-105.1", "-100", "5", RAG_RED},
        {POLARITY_HIGHER, "76", "80", "5", RAG_AMBER},
        {POLARITY_HIGHER, "75.8", "80", "5", RAG_RED},
        {POLARITY_HIGHER, "75", "80", "5", RAG_RED},
        {POLARITY_HIGHER, "75", "80", "6.25", RAG_AMBER},
        {POLARITY_NONE, "1", "1", "5", RAG_NONE},
        {POLARITY_NONE, "1000", "1", "5", RAG_NONE},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const RagCase *c = &cases[i];
        Rag got = figures_rag(c->pol, dec(c->actual), dec(c->ttd), dec(c->tol));
        if (got != c->want)
            fail_msg("%s %s vs %s @%s%%: got %s want %s", polarity_name(c->pol), c->actual,
                     c->ttd, c->tol, rag_name(got), rag_name(c->want));
    }
    /* Exact: a target to date of 64 * 6 / 12 and thirds. */
    assert_int_equal(figures_rag(POLARITY_LOWER, fq_make(101, 3), fq_make(100, 3), fq_int(1)),
                     RAG_AMBER);
    assert_int_equal(figures_rag(POLARITY_LOWER, fq_make(1010, 30), fq_make(100, 3), fq_int(1)),
                     RAG_AMBER);
    assert_int_equal(figures_rag(POLARITY_LOWER, fq_make(1011, 30), fq_make(100, 3), fq_int(1)),
                     RAG_RED);
}

typedef struct DirCase {
    Polarity pol;
    const char *value, *previous;
    Direction want;
} DirCase;

static void test_direction(void **state)
{
    (void)state;
    static const DirCase cases[] = {
        {POLARITY_LOWER, "1413", "1455", DIR_IMPROVING},
        {POLARITY_LOWER, "1455", "1413", DIR_WORSENING},
        {POLARITY_LOWER, "7", "7", DIR_SAME},
        {POLARITY_LOWER, "0", "0", DIR_SAME},
        {POLARITY_LOWER, "0.000001", "0", DIR_WORSENING},
        {POLARITY_LOWER, "-2", "-1", DIR_IMPROVING},
        {POLARITY_HIGHER, "1413", "1455", DIR_WORSENING},
        {POLARITY_HIGHER, "1455", "1413", DIR_IMPROVING},
        {POLARITY_HIGHER, "7", "7", DIR_SAME},
        {POLARITY_HIGHER, "77.4", "70", DIR_IMPROVING},
        {POLARITY_NONE, "1", "2", DIR_NONE},
        {POLARITY_NONE, "2", "2", DIR_NONE},
    };
    for (size_t i = 0; i < NELEM(cases); i++) {
        const DirCase *c = &cases[i];
        Direction got = figures_direction(c->pol, dec(c->value), dec(c->previous));
        if (got != c->want)
            fail_msg("%s %s vs %s: got %s want %s", polarity_name(c->pol), c->value,
                     c->previous, direction_name(got), direction_name(c->want));
    }
}

/* ---- names ---- */

typedef struct NameCase {
    const char *in;
    int want; /* -1: rejected */
} NameCase;

static void test_names(void **state)
{
    (void)state;
    static const char *const units[] = {"count", "percent", "number", "rate", "currency"};
    static const char *const pols[] = {"none", "lower", "higher"};
    static const char *const aggs[] = {"sum", "ratio", "mean", "last"};
    static const char *const rags[] = {"none", "green", "amber", "red"};
    static const char *const dirs[] = {"none", "improving", "worsening", "same"};
    for (int i = 0; i < (int)NELEM(units); i++) {
        Unit u;
        assert_string_equal(unit_name((Unit)i), units[i]);
        assert_int_equal(unit_parse(units[i], &u), 0);
        assert_int_equal(u, i);
    }
    for (int i = 0; i < (int)NELEM(pols); i++) {
        Polarity p;
        assert_string_equal(polarity_name((Polarity)i), pols[i]);
        assert_int_equal(polarity_parse(pols[i], &p), 0);
        assert_int_equal(p, i);
    }
    for (int i = 0; i < (int)NELEM(aggs); i++) {
        Aggregate a;
        assert_string_equal(aggregate_name((Aggregate)i), aggs[i]);
        assert_int_equal(aggregate_parse(aggs[i], &a), 0);
        assert_int_equal(a, i);
    }
    for (int i = 0; i < (int)NELEM(rags); i++)
        assert_string_equal(rag_name((Rag)i), rags[i]);
    for (int i = 0; i < (int)NELEM(dirs); i++)
        assert_string_equal(direction_name((Direction)i), dirs[i]);
}

static void test_name_parse_table(void **state)
{
    (void)state;
    static const NameCase unit_cases[] = {
        {"Percent", UNIT_PERCENT}, {"COUNT", UNIT_COUNT}, {"Currency", UNIT_CURRENCY},
        {"percentage", -1}, {"", -1}, {" count", -1}, {"count ", -1}, {"counts", -1},
        {"coun", -1},
    };
    static const NameCase pol_cases[] = {
        {"LOWER", POLARITY_LOWER}, {"Higher", POLARITY_HIGHER}, {"none", POLARITY_NONE},
        {"low", -1}, {"", -1}, {"higher-is-better", -1},
    };
    static const NameCase agg_cases[] = {
        {"SUM", AGG_SUM}, {"Ratio", AGG_RATIO}, {"mean", AGG_MEAN}, {"LAST", AGG_LAST},
        {"average", -1}, {"", -1}, {"su", -1},
    };
    for (size_t i = 0; i < NELEM(unit_cases); i++) {
        Unit u = UNIT_RATE;
        int rc = unit_parse(unit_cases[i].in, &u);
        assert_int_equal(rc, unit_cases[i].want < 0 ? -1 : 0);
        assert_int_equal(u, unit_cases[i].want < 0 ? UNIT_RATE : unit_cases[i].want);
    }
    for (size_t i = 0; i < NELEM(pol_cases); i++) {
        Polarity p = POLARITY_NONE;
        int rc = polarity_parse(pol_cases[i].in, &p);
        assert_int_equal(rc, pol_cases[i].want < 0 ? -1 : 0);
        if (rc == 0)
            assert_int_equal(p, pol_cases[i].want);
    }
    for (size_t i = 0; i < NELEM(agg_cases); i++) {
        Aggregate a = AGG_SUM;
        int rc = aggregate_parse(agg_cases[i].in, &a);
        assert_int_equal(rc, agg_cases[i].want < 0 ? -1 : 0);
        if (rc == 0)
            assert_int_equal(a, agg_cases[i].want);
    }
    Unit u;
    Polarity p;
    Aggregate a;
    assert_int_equal(unit_parse(NULL, &u), -1);
    assert_int_equal(polarity_parse(NULL, &p), -1);
    assert_int_equal(aggregate_parse(NULL, &a), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_compare_row_reuse),
        cmocka_unit_test(test_compare_exact_pct),
        cmocka_unit_test(test_compare_huge_ratios),
        cmocka_unit_test(test_rag),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_name_parse_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
