/* test_spc.c — statistical process control (docs/spc.md): the limits, each
 * special-cause rule high and low with its ties and boundaries (a point on a
 * limit, on the mean, equal consecutive points, runs one short), the order of
 * the rules, variation and assurance words, the series (missing periods,
 * quarters, ratios), segments and baselines, exactly 12 and 11 points, exact
 * arithmetic that would overflow; and the significance test of two counts
 * against second methods: exact integer sums, a continued fraction, the normal
 * approximation and scipy's figures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrative.h"
#include "spc.h"
#include "stats.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define M(y, mon) ((y) * 12 + (mon) - 1)
#define MAXP 40    /* points in one table case */
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

/* fq_format into a static buffer (one at a time). */
static const char *fmt(Fq q, int decimals)
{
    static char out[80];
    Buf b = BUF_INIT;
    fq_format(&b, q, decimals);
    snprintf(out, sizeof out, "%s", buf_cstr(&b));
    buf_release(&b);
    return out;
}

static void check_fig(const char *what, const Fig *f, const char *want, int decimals)
{
    if (!want) {
        if (f->has)
            fail_msg("%s: want empty, got %s", what, fmt(f->q, decimals));
        return;
    }
    if (!f->has)
        fail_msg("%s: want %s, got empty", what, want);
    if (strcmp(fmt(f->q, decimals), want) != 0)
        fail_msg("%s: want %s, got %s", what, want, fmt(f->q, decimals));
}

/* ---- limits ---- */

static void test_limits(void **state)
{
    (void)state;
    /* 10, 12, 10, 12, ...: mean 11, every moving range 2, AMR 2. */
    Fq y[12];
    SpcLimits l;
    for (int i = 0; i < 12; i++)
        y[i] = fq_int(i % 2 ? 12 : 10);
    assert_int_equal(spc_limits(y, 12, &l), 0);
    assert_int_equal(fq_cmp(l.mean, fq_int(11)), 0);
    assert_int_equal(fq_cmp(l.amr, fq_int(2)), 0);
    assert_int_equal(fq_cmp(l.upper, fq_make(1632, 100)), 0); /* 11 + 2.66 * 2 */
    assert_int_equal(fq_cmp(l.lower, fq_make(568, 100)), 0);
    assert_int_equal(fq_cmp(l.near_upper, fq_make(11 * 300 + 1064, 300)), 0); /* 11 + 2/3 * 2.66 * 2 */
    assert_int_equal(fq_cmp(l.near_lower, fq_make(11 * 300 - 1064, 300)), 0);

    /* Exact: mean 1/3 of a unit is kept as a fraction, not 0.333... */
    Fq z[3] = {fq_int(0), fq_int(0), fq_int(1)};
    assert_int_equal(spc_limits(z, 3, &l), 0);
    assert_int_equal(fq_cmp(l.mean, fq_make(1, 3)), 0);
    assert_int_equal(fq_cmp(l.amr, fq_make(1, 2)), 0);
    assert_int_equal(fq_cmp(l.upper, fq_add(fq_make(1, 3), fq_make(133, 100))), 0);

    /* Equal points: AMR 0, every limit on the mean. */
    Fq e[12];
    for (int i = 0; i < 12; i++)
        e[i] = fq_int(7);
    assert_int_equal(spc_limits(e, 12, &l), 0);
    assert_int_equal(fq_cmp(l.upper, fq_int(7)), 0);
    assert_int_equal(fq_cmp(l.lower, fq_int(7)), 0);
    assert_int_equal(fq_cmp(l.near_upper, fq_int(7)), 0);

    /* Fractions whose denominators multiply beyond 128 bits: -1, no PANIC. */
    Fq big[12];
    for (int i = 0; i < 12; i++)
        big[i] = fq_make(1, (i128)1000000000000LL + 2 * i + 1);
    assert_int_equal(spc_limits(big, 12, &l), -1);
}

/* ---- the rules, against fixed limits: mean 10, near 6..14, process 4..16 ---- */

typedef struct RuleCase {
    const char *name;
    const char *y[MAXP]; /* NULL ends */
    SpcRule rule;
    SpcSide side;
    int run;             /* spc_run */
} RuleCase;

static void test_rules(void **state)
{
    (void)state;
    SpcLimits l = {fq_int(10), fq_int(0), fq_int(4), fq_int(16), fq_int(6), fq_int(14)};
    static const RuleCase cases[] = {
        {"outside high", {"10", "9", "16.000001"}, SPC_RULE_OUTSIDE, SPC_SIDE_HIGH, 1},
        {"outside low", {"10", "11", "3.999999"}, SPC_RULE_OUTSIDE, SPC_SIDE_LOW, -1},
        {"on the upper process limit is not outside", {"10", "9", "16"}, SPC_RULE_NONE, SPC_SIDE_NONE, 1},
        {"on the lower process limit is not outside", {"10", "11", "4"}, SPC_RULE_NONE, SPC_SIDE_NONE, -1},
        {"outside comes before a trend", {"10", "11", "12", "13", "14", "15", "17"}, SPC_RULE_OUTSIDE,
         SPC_SIDE_HIGH, 6},
        {"trend up: 7 points, 6 rises", {"3", "4", "5", "6", "7", "8", "9"}, SPC_RULE_TREND, SPC_SIDE_HIGH, -7},
        {"trend down: 7 points, 6 falls", {"15", "14", "13", "12", "11", "10.5", "10.1"}, SPC_RULE_TREND,
         SPC_SIDE_LOW, 7},
        {"6 rises after a fall", {"9", "3", "4", "5", "6", "7", "8", "9"}, SPC_RULE_TREND, SPC_SIDE_HIGH, -8},
        {"trend one short: 6 points", {"10", "3", "4", "5", "6", "7", "8"}, SPC_RULE_NONE, SPC_SIDE_NONE, -6},
        {"equal consecutive points break a trend (a shift remains)",
         {"3", "4", "5", "5", "6", "7", "8", "9"}, SPC_RULE_SHIFT, SPC_SIDE_LOW, -8},
        {"equal points break a trend, no shift", {"11", "4", "5", "5", "6", "7", "8"}, SPC_RULE_NONE,
         SPC_SIDE_NONE, -6},
        {"trend comes before two in three", {"8", "9", "10", "11", "12", "15", "15.5"}, SPC_RULE_TREND,
         SPC_SIDE_HIGH, 4},
        {"two in three high", {"10", "15", "11", "15"}, SPC_RULE_TWO_IN_THREE, SPC_SIDE_HIGH, 3},
        {"two in three high, consecutive", {"10", "9", "14.5", "15"}, SPC_RULE_TWO_IN_THREE, SPC_SIDE_HIGH, 2},
        {"two in three low", {"10", "5", "9", "5"}, SPC_RULE_TWO_IN_THREE, SPC_SIDE_LOW, -3},
        {"two in three: the latest must be one of them", {"10", "15", "15", "11"}, SPC_RULE_NONE, SPC_SIDE_NONE,
         3},
        {"two in three: on the near limit is not beyond", {"10", "15", "14"}, SPC_RULE_NONE, SPC_SIDE_NONE, 2},
        {"two in three: the window is the last three", {"15", "9", "11", "15"}, SPC_RULE_NONE, SPC_SIDE_NONE,
         2},
        {"two in three comes before a shift", {"11", "11", "11", "11", "11", "15", "15"},
         SPC_RULE_TWO_IN_THREE, SPC_SIDE_HIGH, 7},
        {"shift high: 7 points above the mean", {"11", "12", "11", "12", "11", "12", "11"}, SPC_RULE_SHIFT,
         SPC_SIDE_HIGH, 7},
        {"shift low: 7 points below the mean", {"9", "8", "9", "8", "9", "8", "9"}, SPC_RULE_SHIFT, SPC_SIDE_LOW,
         -7},
        {"shift one short: 6 points", {"9", "11", "12", "11", "12", "11", "12"}, SPC_RULE_NONE, SPC_SIDE_NONE, 6},
        {"a point on the mean breaks a run", {"11", "12", "10", "11", "12", "11", "12", "11", "12"},
         SPC_RULE_NONE, SPC_SIDE_NONE, 6},
        {"the latest point on the mean", {"11", "12", "11", "12", "11", "12", "11", "10"}, SPC_RULE_NONE,
         SPC_SIDE_NONE, 0},
        {"common cause", {"9", "11", "10", "12", "8", "10.5"}, SPC_RULE_NONE, SPC_SIDE_NONE, 1},
        {"a single point", {"10"}, SPC_RULE_NONE, SPC_SIDE_NONE, 0},
    };
    for (size_t c = 0; c < NELEM(cases); c++) {
        Fq y[MAXP];
        int n = 0;
        while (n < MAXP && cases[c].y[n]) {
            y[n] = dec(cases[c].y[n]);
            n++;
        }
        SpcSide side = (SpcSide)99;
        SpcRule r = spc_rule(y, n, &l, &side);
        if (r != cases[c].rule || side != cases[c].side)
            fail_msg("%s: want rule %s side %d, got %s side %d", cases[c].name, spc_rule_name(cases[c].rule),
                     (int)cases[c].side, spc_rule_name(r), (int)side);
        int run = spc_run(y, n, l.mean);
        if (run != cases[c].run)
            fail_msg("%s: want run %d, got %d", cases[c].name, cases[c].run, run);
    }
}

/* ---- variation and assurance words ---- */

static void test_variation(void **state)
{
    (void)state;
    static const struct {
        SpcSide side;
        Polarity pol;
        const char *want;
    } cases[] = {
        {SPC_SIDE_NONE, POLARITY_HIGHER, "common"},     {SPC_SIDE_NONE, POLARITY_LOWER, "common"},
        {SPC_SIDE_NONE, POLARITY_NONE, "common"},       {SPC_SIDE_HIGH, POLARITY_HIGHER, "improvement-high"},
        {SPC_SIDE_LOW, POLARITY_HIGHER, "concern-low"}, {SPC_SIDE_HIGH, POLARITY_LOWER, "concern-high"},
        {SPC_SIDE_LOW, POLARITY_LOWER, "improvement-low"}, {SPC_SIDE_HIGH, POLARITY_NONE, "neutral-high"},
        {SPC_SIDE_LOW, POLARITY_NONE, "neutral-low"},
    };
    for (size_t c = 0; c < NELEM(cases); c++)
        assert_string_equal(spc_variation_name(spc_variation(cases[c].side, cases[c].pol)), cases[c].want);
    assert_string_equal(spc_variation_name(SPC_VAR_NONE), "");
    assert_string_equal(spc_significance_name(SIG_NONE_COMPUTED), "");
    assert_string_equal(spc_significance_name(SIG_NONE), "none");
    assert_string_equal(spc_significance_name(SIG_INCREASE), "increase");
    assert_string_equal(spc_significance_name(SIG_DECREASE), "decrease");
    assert_string_equal(spc_rule_name(SPC_RULE_TWO_IN_THREE), "two in three");
}

static void test_assurance(void **state)
{
    (void)state;
    SpcLimits l = {fq_int(10), fq_int(0), fq_int(4), fq_int(16), fq_int(6), fq_int(14)};
    static const struct {
        Polarity pol;
        const char *target;
        const char *want;
    } cases[] = {
        {POLARITY_HIGHER, "16.000001", "fail"},     {POLARITY_HIGHER, "3.999999", "pass"},
        {POLARITY_HIGHER, "10", "hit-and-miss"},    {POLARITY_HIGHER, "16", "hit-and-miss"},
        {POLARITY_HIGHER, "4", "hit-and-miss"},     {POLARITY_LOWER, "3.999999", "fail"},
        {POLARITY_LOWER, "16.000001", "pass"},      {POLARITY_LOWER, "4", "hit-and-miss"},
        {POLARITY_LOWER, "16", "hit-and-miss"},     {POLARITY_LOWER, "12", "hit-and-miss"},
        {POLARITY_NONE, "100", ""},                 {POLARITY_NONE, "10", ""},
    };
    for (size_t c = 0; c < NELEM(cases); c++) {
        const char *got = spc_assurance_name(spc_assurance(cases[c].pol, dec(cases[c].target), &l));
        if (strcmp(got, cases[c].want) != 0)
            fail_msg("%s target %s: want %s, got %s", polarity_name(cases[c].pol), cases[c].target,
                     cases[c].want, got);
    }
}

/* ---- series and the compare row ---- */

typedef struct SeriesSpec {
    PeriodKind kind;      /* of each value */
    int y, mon;           /* the first value's period */
    const char *v[MAXP];  /* one value per period of `kind` in turn; "-" skips one; NULL ends */
    const char *num[MAXP]; /* for a ratio: numerators (v then holds denominators) */
} SeriesSpec;

static int build(const SeriesSpec *s, Value *out)
{
    int n = 0, m = M(s->y, s->mon);
    for (int k = 0; k < MAXP && s->v[k]; k++, m += (int)s->kind) {
        if (strcmp(s->v[k], "-") == 0)
            continue;
        memset(&out[n], 0, sizeof out[n]);
        out[n].period.kind = s->kind;
        out[n].period.first = m;
        if (s->num[0]) {
            out[n].has_ratio = 1;
            out[n].num_micro = micro(s->num[k]);
            out[n].den_micro = micro(s->v[k]);
        } else {
            out[n].micro = micro(s->v[k]);
        }
        n++;
    }
    return n;
}

/* Compute a compare row with its SPC columns. */
static void row_for(const IndicatorDef *def, const SpcSettings *set, const Value *v, int n, const Target *t,
                    int nt, Period p, CompareRow *row)
{
    figures_compare(def, v, n, t, nt, p, APRIL, row);
    spc_compare(def, set, v, n, t, nt, p, APRIL, row);
}

static Period month(int y, int m)
{
    Period p = {PERIOD_MONTH, M(y, m)};
    return p;
}

static void test_series(void **state)
{
    (void)state;
    IndicatorDef def = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    SeriesSpec s = {PERIOD_MONTH, 2020, 1, {"1", "2", "-", "4", "5"}, {NULL}};
    Value v[MAXP];
    int n = build(&s, v);
    SpcPoint *pts;
    Period *miss;
    int nmiss;
    /* Up to 2020-05: four points, 2020-03 left out. */
    int np = spc_series(&def, PERIOD_MONTH, v, n, month(2020, 5), APRIL, &pts, &miss, &nmiss);
    assert_int_equal(np, 4);
    assert_int_equal(nmiss, 1);
    assert_int_equal(miss[0].first, M(2020, 3));
    assert_int_equal(pts[3].period.first, M(2020, 5));
    assert_int_equal(fq_cmp(pts[2].y, fq_int(4)), 0);
    free(pts);
    free(miss);
    /* The compared period ends the series: values after it are not read. */
    np = spc_series(&def, PERIOD_MONTH, v, n, month(2020, 2), APRIL, &pts, &miss, &nmiss);
    assert_int_equal(np, 2);
    assert_int_equal(nmiss, 0);
    free(pts);
    free(miss);
    /* No value inside the compared period: no series. */
    np = spc_series(&def, PERIOD_MONTH, v, n, month(2020, 3), APRIL, &pts, &miss, &nmiss);
    assert_int_equal(np, 0);
    free(pts);
    free(miss);
    /* A quarter compared, its last month missing: the series ends at its second month. */
    Period q = {PERIOD_QUARTER, M(2020, 4)};
    SeriesSpec s2 = {PERIOD_MONTH, 2020, 1, {"1", "2", "3", "4", "5"}, {NULL}};
    n = build(&s2, v);
    np = spc_series(&def, PERIOD_MONTH, v, n, q, APRIL, &pts, &miss, &nmiss);
    assert_int_equal(np, 5);
    assert_int_equal(nmiss, 0);
    free(pts);
    free(miss);
    /* A quarterly indicator whose quarters are made of months and a quarter value. */
    SeriesSpec s3 = {PERIOD_MONTH, 2020, 4, {"1", "2", "3", "10", "20", "30"}, {NULL}};
    n = build(&s3, v);
    v[n].period.kind = PERIOD_QUARTER;
    v[n].period.first = M(2020, 10);
    v[n].micro = micro("7");
    v[n].has_ratio = 0;
    n++;
    Period q3 = {PERIOD_QUARTER, M(2020, 10)};
    np = spc_series(&def, PERIOD_QUARTER, v, n, q3, APRIL, &pts, &miss, &nmiss);
    assert_int_equal(np, 3);
    assert_int_equal(fq_cmp(pts[0].y, fq_int(6)), 0);
    assert_int_equal(fq_cmp(pts[1].y, fq_int(60)), 0);
    assert_int_equal(fq_cmp(pts[2].y, fq_int(7)), 0);
    assert_int_equal(pts[2].period.kind, PERIOD_QUARTER);
    free(pts);
    free(miss);
    /* Nothing at all. */
    np = spc_series(&def, PERIOD_MONTH, v, 0, q3, APRIL, &pts, &miss, &nmiss);
    assert_int_equal(np, 0);
    free(pts);
    free(miss);
}

typedef struct CompareCase {
    const char *name;
    IndicatorDef def;
    PeriodKind freq;
    int baseline;
    int rebase_y, rebase_m;  /* 0: none */
    SeriesSpec s;
    int py, pm;              /* the compared month */
    const char *target;      /* for the financial year of the compared month; NULL none */
    const char *variation, *assurance;
    const char *mean, *lower, *upper; /* NULL: empty */
    const char *note;
    int target_shift;        /* the target is for this many years after the compared month's */
} CompareCase;

#define TWELVE "10", "12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "12"

static void test_compare(void **state)
{
    (void)state;
    static const IndicatorDef lower = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    static const IndicatorDef higher = {UNIT_COUNT, POLARITY_HIGHER, AGG_SUM, 0};
    static const IndicatorDef none = {UNIT_NUMBER, POLARITY_NONE, AGG_SUM, 1};
    static const IndicatorDef ratio = {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1};
    static const CompareCase cases[] = {
        {"exactly 12 points", lower, PERIOD_MONTH, 0, 0, 0, {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3,
         NULL, "common", "", "11.0", "5.7", "16.3", "", 0},
        {"11 points: no SPC", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 5, {"12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "12"}, {NULL}}, 2020,
         3, "1", "", "", NULL, NULL, NULL, "fewer than 12 points", 0},
        {"12 points with one missing: 11, no SPC", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {"10", "12", "-", "12", "10", "12", "10", "12", "10", "12", "10", "12"}, {NULL}},
         2020, 3, NULL, "", "", NULL, NULL, NULL, "fewer than 12 points", 0},
        {"a missing month is left out and noted", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 3, {"12", "10", "12", "-", "10", "12", "10", "12", "10", "12", "10", "12", "10"},
          {NULL}},
         2020, 3, NULL, "common", "", "11.0", "5.7", "16.3", "SPC leaves out June 2019 (no figure)", 0},
        {"outside high, lower is better: concern-high", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {"10", "12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "40"}, {NULL}},
         2020, 3, NULL, "concern-high", "", NULL, NULL, NULL, "", 0},
        {"outside high, higher is better: improvement-high", higher, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {"10", "12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "40"}, {NULL}},
         2020, 3, NULL, "improvement-high", "", NULL, NULL, NULL, "", 0},
        {"baseline fixes the limits: the 13th point judged against the first 12", lower, PERIOD_MONTH, 12, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "17"}, {NULL}}, 2020, 4, NULL, "concern-high", "", "11.0", "5.7",
         "16.3", "", 0},
        {"without a baseline the same point is inside its own limits", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "17"}, {NULL}}, 2020, 4, NULL, "common", "", NULL, NULL, NULL, "", 0},
        {"a baseline longer than the segment: limits on what there is", lower, PERIOD_MONTH, 20, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, NULL, "common", "", "11.0", "5.7", "16.3",
         "SPC baseline of 20 points has 12 so far", 0},
        {"a rebase leaves 10 points: no SPC", lower, PERIOD_MONTH, 0, 2019, 6,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, NULL, "", "", NULL, NULL, NULL,
         "fewer than 12 points since the rebase at June 2019", 0},
        {"a rebase: only the latest segment's limits", lower, PERIOD_MONTH, 0, 2020, 4,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "100", "102", "100", "102", "100", "102", "100", "102", "100", "102",
                                  "100", "102"},
          {NULL}},
         2021, 3, NULL, "common", "", "101.0", "95.7", "106.3", "", 0},
        {"the same series without the rebase: a shift", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "100", "102", "100", "102", "100", "102", "100", "102", "100", "102",
                                  "100", "102"},
          {NULL}},
         2021, 3, NULL, "concern-high", "", NULL, NULL, NULL, "", 0},
        {"a rebase after the compared period is not used yet", lower, PERIOD_MONTH, 0, 2020, 5,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "11"}, {NULL}}, 2020, 4, NULL, "common", "", NULL, NULL, NULL, "", 0},
        {"polarity none: neutral-low, no assurance", none, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {"20", "22", "20", "22", "20", "22", "20", "22", "20", "22", "20", "1"}, {NULL}},
         2020, 3, "5", "neutral-low", "", NULL, NULL, NULL, "", 0},
        {"trend low, higher is better: concern-low", higher, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {"20", "22", "20", "22", "20", "26", "25", "24", "23", "22", "21", "20.5"},
          {NULL}},
         2020, 3, NULL, "concern-low", "", NULL, NULL, NULL, "", 0},
        {"shift low, lower is better: improvement-low", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {"30", "29", "30", "29", "30", "20", "21", "20", "21", "20", "21", "20"}, {NULL}},
         2020, 3, NULL, "improvement-low", "", NULL, NULL, NULL, "", 0},
        /* mean 11, limits 5.68 and 16.32; a sum target of 12 a year is 1 a month */
        {"assurance: a monthly target below the lower limit, lower is better: fail", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, "12", "common", "fail", NULL, NULL, NULL, "", 0},
        {"assurance: target 240 a year, 20 a month, above the upper: pass", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, "240", "common", "pass", NULL, NULL, NULL, "", 0},
        {"assurance: target between the limits: hit-and-miss", lower, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, "132", "common", "hit-and-miss", NULL, NULL, NULL,
         "", 0},
        {"assurance: target equal to the upper limit (16.32 a month): hit-and-miss", higher, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, "195.84", "common", "hit-and-miss", NULL, NULL, NULL,
         "", 0},
        {"assurance: just above the upper limit, higher is better: fail", higher, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE}, {NULL}}, 2020, 3, "195.840012", "common", "fail", NULL, NULL, NULL, "", 0},
        {"assurance: the target of another year does not count", higher, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "11"}, {NULL}}, 2020, 4, "1000", "common", "", NULL, NULL, NULL, "",
         -1},
        {"assurance: the latest point's year has the target", higher, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4, {TWELVE, "11"}, {NULL}}, 2020, 4, "1000", "common", "fail", NULL, NULL, NULL,
         "", 0},
        {"a ratio series: each month's ratio, not the ratio of sums", ratio, PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4,
          {"10", "1000", "10", "1000", "10", "1000", "10", "1000", "10", "1000", "10", "1000"},
          {"5", "100", "5", "100", "5", "100", "5", "100", "5", "100", "5", "100"}},
         2020, 3, "140", "common", "fail", "30.00", "-76.40", "136.40", "", 0},
        {"a quarterly indicator: quarters", higher, PERIOD_QUARTER, 0, 0, 0,
         {PERIOD_QUARTER, 2017, 4, {TWELVE}, {NULL}}, 2020, 1, "66", "common", "fail", "11.0", "5.7", "16.3", "", 0},
        {"a quarterly indicator with 11 quarters", higher, PERIOD_QUARTER, 0, 0, 0,
         {PERIOD_QUARTER, 2017, 7, {"12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "12"}, {NULL}},
         2020, 1, NULL, "", "", NULL, NULL, NULL, "fewer than 12 points", 0},
        {"ratios over coprime denominators: exact sums pass 128 bits, points rounded to 9 places", ratio,
         PERIOD_MONTH, 0, 0, 0,
         {PERIOD_MONTH, 2019, 4,
          {"999999.999991", "999999.999993", "999999.999997", "999999.999999", "999999.999989",
           "999999.999987", "999999.999983", "999999.999981", "999999.999979", "999999.999977",
           "999999.999973", "999999.999971"},
          {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"}},
         2020, 3, NULL, "common", "", "0.00", "0.00", "0.00", "", 0},
    };
    for (size_t c = 0; c < NELEM(cases); c++) {
        const CompareCase *k = &cases[c];
        Value v[MAXP];
        int n = build(&k->s, v);
        Target t = {2019, 0, 5 * FQ_SCALE};
        int nt = 0;
        if (k->target) {
            t.fy = period_fy(M(k->py, k->pm), APRIL) + k->target_shift;
            t.target_micro = micro(k->target);
            nt = 1;
        }
        Period rebase = {PERIOD_MONTH, M(k->rebase_y, k->rebase_m)};
        SpcSettings set = {k->freq, k->baseline, &rebase, k->rebase_y ? 1 : 0};
        Period p = {k->freq, M(k->py, k->pm)};
        CompareRow row;
        memset(&row, 0, sizeof row);
        row_for(&k->def, &set, v, n, &t, nt, p, &row);
        if (strcmp(spc_variation_name(row.variation), k->variation) != 0)
            fail_msg("%s: variation want '%s', got '%s'", k->name, k->variation,
                     spc_variation_name(row.variation));
        if (strcmp(spc_assurance_name(row.assurance), k->assurance) != 0)
            fail_msg("%s: assurance want '%s', got '%s'", k->name, k->assurance,
                     spc_assurance_name(row.assurance));
        int d = k->def.decimals + 1;
        if (k->mean || !k->variation[0]) {
            check_fig(k->name, &row.spc_mean, k->mean, d);
            check_fig(k->name, &row.spc_lower, k->lower, d);
            check_fig(k->name, &row.spc_upper, k->upper, d);
        }
        /* SPC's notes are kept apart from the compare note ("missing ..."). */
        const char *note = buf_cstr(&row.spc_note);
        if (strcmp(note, k->note) != 0)
            fail_msg("%s: note want '%s', got '%s'", k->name, k->note, note);
        compare_row_release(&row);
    }
}

/* ---- significance ---- */

/* Exact P(X <= k) for X ~ Binomial(n, 1/2), n <= 120: integer binomial
 * coefficients (C(120, 60) < 10^35 fits 128 bits), one division at the end. */
static long double exact_cdf(int k, int n)
{
    i128 c = 1, sum = 0;
    for (int j = 0; j <= k; j++) {
        sum += c;
        c = c * (n - j) / (j + 1);
    }
    long double p = (long double)sum;
    for (int j = 0; j < n; j++)
        p /= 2;
    return p;
}

/* A second, independent method: the regularised incomplete beta function by
 * its continued fraction (modified Lentz), with an lgamma prefactor.
 * P(X <= k) = I_{1/2}(n - k, k + 1). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m < 10000000; m++) {
        double m2 = 2 * m, aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            return h;
    }
    fail_msg("continued fraction did not converge");
    return 0;
}

static double cf_cdf(double k, double n)
{
    double a = n - k, b = k + 1, x = 0.5;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x);
    if (x < (a + 1) / (a + b + 2))
        return exp(lbt) * beta_cf(a, b, x) / a;
    return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

/* The normal approximation with a continuity correction. */
static double normal_p(double a, double b)
{
    double n = a + b, m = a < b ? a : b;
    double z = (n / 2 - m - 0.5) / (sqrt(n) / 2);
    double p = erfc(z / sqrt(2.0));
    return p > 1 ? 1 : p;
}

static void test_binomial_exact(void **state)
{
    (void)state;
    /* Every k for n up to 120 against exact integer sums. */
    for (int n = 0; n <= 120; n++) {
        for (int k = 0; k <= n; k++) {
            long double want = exact_cdf(k, n);
            double got = stats_binom_half_cdf(k, n);
            if (fabsl((long double)got - want) > 1e-13L * want)
                fail_msg("P(X <= %d), n = %d: want %.17Lg, got %.17g", k, n, want, got);
        }
    }
    assert_true(stats_binom_half_cdf(5, 4) < 0);
    assert_true(stats_binom_half_cdf(-1, 4) < 0);
    assert_true(stats_binom_half_pmf(1, STATS_MAX_COUNT + 1) < 0);
}

static void test_poisson_p(void **state)
{
    (void)state;
    /* 44 against 61: exact integer sums and scipy.stats.binomtest(44, 105).pvalue = 0.11799998150585843. */
    double p = stats_poisson_p(44, 61);
    assert_true(fabs(p - 2 * (double)exact_cdf(44, 105)) < 1e-14);
    assert_true(fabs(p - 0.11799998150585843) < 1e-12);
    assert_true(p >= SPC_P_SIGNIFICANT);
    assert_true(fabs(stats_poisson_p(61, 44) - p) < 1e-15); /* symmetric */
    /* 30 against 50: 2 P(X <= 30), n = 80; scipy gives 0.03299261842647619. */
    assert_true(fabs(stats_poisson_p(30, 50) - 0.03299261842647619) < 1e-12);
    /* Boundaries: equal counts 1; one side zero; nothing at all is no test. */
    assert_true(stats_poisson_p(7, 7) == 1.0);
    assert_true(stats_poisson_p(0, 0) < 0);
    assert_true(stats_poisson_p(-1, 3) < 0);
    assert_true(fabs(stats_poisson_p(0, 10) - 2.0 / 1024) < 1e-17);
    assert_true(stats_poisson_p(0, 1) == 1.0);
    /* National counts: a = 10^8 - 10^4, b = 10^8 + 10^4. The reference is
     * tests/fixtures/spc_reference.py (50-digit decimal arithmetic):
     * 0.157319963290006688...; scipy 1.10's binomtest gives 0.15731996211817253,
     * its binomial probabilities good to about 8 digits here. The continued
     * fraction and the normal approximation (off by O(1/n)) must agree too. */
    int64_t a = 100000000 - 10000, b = 100000000 + 10000;
    p = stats_poisson_p(a, b);
    assert_true(fabs(p - 0.157319963290006688) < 1e-12);
    assert_true(fabs(p - 0.15731996211817253) < 1e-8);
    /* lgamma(2·10^8) is about 3.6·10^9: its rounding costs the prefactor ~10^-6. */
    assert_true(fabs(p - 2 * cf_cdf((double)a, (double)(a + b))) < 2e-6);
    assert_true(fabs(p - normal_p((double)a, (double)b)) < 1e-6);
    char printed[16];
    snprintf(printed, sizeof printed, "%.3f", p);
    assert_string_equal(printed, "0.157");
    /* a + b = 10^9: the reference gives 0.0577837419045085306..., scipy 0.057783743196033986. */
    a = 500000000 - 30000;
    b = 500000000 + 30000;
    p = stats_poisson_p(a, b);
    assert_true(fabs(p - 0.0577837419045085306) < 1e-12);
    assert_true(fabs(p - 0.057783743196033986) < 1e-8);
    assert_true(fabs(p - normal_p((double)a, (double)b)) < 1e-6);
    /* 10^12 on each side, 2·10^6 apart: the normal approximation (z = 2). */
    a = 1000000000000LL - 1000000;
    b = 1000000000000LL + 1000000;
    p = stats_poisson_p(a, b);
    assert_true(fabs(p - normal_p((double)a, (double)b)) < 1e-6);
    /* Far in the tail: no underflow trouble, p essentially 0. */
    p = stats_poisson_p(1000, 1000000000);
    assert_true(p >= 0 && p < 1e-300);
}

/* Significance as compare reports it (two points: no SPC, which the note says). */
#define FEW "fewer than 12 points"
static void test_significance(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        IndicatorDef def;
        const char *a, *b; /* this year's and last year's month; NULL missing */
        const char *want, *p, *note;
    } cases[] = {
        {"44 vs 61: not significant", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "61", "44", "none", "0.118", FEW},
        {"61 vs 44 the other way", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "44", "61", "none", "0.118", FEW},
        {"an increase", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "50", "30", "increase", "0.033", FEW},
        {"a decrease", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "30", "50", "decrease", "0.033", FEW},
        {"national counts", {UNIT_COUNT, POLARITY_NONE, AGG_SUM, 0}, "99990000", "100010000", "none", "0.157",
         FEW},
        {"a + b = 0: no test", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "0", "0", "", NULL, FEW},
        {"equal", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "9", "9", "none", "1.000", FEW},
        {"last year missing", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "9", NULL, "", NULL,
         "no figure for April 2019; " FEW},
        {"not a count", {UNIT_NUMBER, POLARITY_LOWER, AGG_SUM, 0}, "50", "30", "", NULL, FEW},
        {"a count with aggregate last", {UNIT_COUNT, POLARITY_LOWER, AGG_LAST, 0}, "50", "30", "", NULL, FEW},
        {"a count that is not whole", {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0}, "50.5", "30", "", NULL,
         "no significance test: the counts are not whole numbers; " FEW},
    };
    for (size_t c = 0; c < NELEM(cases); c++) {
        Value v[2];
        int n = 0;
        memset(v, 0, sizeof v);
        v[n].period = month(2020, 4);
        v[n++].micro = micro(cases[c].a);
        if (cases[c].b) {
            v[n].period = month(2019, 4);
            v[n++].micro = micro(cases[c].b);
        }
        SpcSettings set = {PERIOD_MONTH, 0, NULL, 0};
        CompareRow row;
        memset(&row, 0, sizeof row);
        row_for(&cases[c].def, &set, v, n, NULL, 0, month(2020, 4), &row);
        if (strcmp(spc_significance_name(row.significance), cases[c].want) != 0)
            fail_msg("%s: want '%s', got '%s'", cases[c].name, cases[c].want,
                     spc_significance_name(row.significance));
        if (cases[c].p) {
            char printed[16];
            assert_true(row.has_p);
            snprintf(printed, sizeof printed, "%.3f", row.p_value);
            if (strcmp(printed, cases[c].p) != 0)
                fail_msg("%s: p want %s, got %s", cases[c].name, cases[c].p, printed);
        } else {
            assert_false(row.has_p);
        }
        Buf notes = BUF_INIT; /* the note column: the compare note, then SPC's */
        compare_row_notes(&row, &notes);
        if (strcmp(buf_cstr(&notes), cases[c].note) != 0)
            fail_msg("%s: note want '%s', got '%s'", cases[c].name, cases[c].note, buf_cstr(&notes));
        buf_release(&notes);
        compare_row_release(&row);
    }
}

/* ---- what a chart draws: the segment, limits and each point's marking ---- */

static void test_chart(void **state)
{
    (void)state;
    static const IndicatorDef lower = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    static const struct {
        const char *name;
        const char *y[MAXP];
        const char *marks; /* one letter a point: c common, H concern-high, L improvement-low */
    } cases[] = {
        /* 40 lifts the mean to 13.3: the eleven before it are a run below it, a shift too */
        {"outside: the point alone", {"10", "12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "40"},
         "LLLLLLLLLLLH"},
        {"a shift: all seven points", {"10", "12", "10", "12", "10", "12", "13", "12", "13", "12", "13", "12"},
         "cccccHHHHHHH"},
        /* (the 22s are beyond the upper near limit, 21.8: 22, 20, 22 is two in three as well) */
        {"a trend: all seven points", {"20", "22", "20", "22", "20", "14", "15", "16", "17", "18", "19", "20"},
         "cHcHcHHHHHHH"},
        {"two in three: the two beyond the near limit", {"10", "12", "10", "12", "10", "12", "10", "12", "10",
                                                         "12", "16", "16"},
         "ccccccccccHH"},
        {"common cause: none", {"10", "12", "10", "12", "10", "12", "10", "12", "10", "12", "10", "12"},
         "cccccccccccc"},
    };
    for (size_t c = 0; c < NELEM(cases); c++) {
        SeriesSpec spec = {PERIOD_MONTH, 2019, 4, {NULL}, {NULL}};
        for (int k = 0; k < MAXP && cases[c].y[k]; k++)
            spec.v[k] = cases[c].y[k];
        Value v[MAXP];
        int n = build(&spec, v);
        Target t = {2019, micro("120"), 5 * FQ_SCALE};
        SpcSettings set = {PERIOD_MONTH, 0, NULL, 0};
        SpcChart ch;
        assert_int_equal(spc_chart(&lower, &set, v, n, &t, 1, month(2020, 3), APRIL, 1, &ch), SPC_CHART_OK);
        assert_int_equal(ch.npoints, 12);
        assert_true(ch.has_target);
        assert_int_equal(fq_cmp(ch.target, fq_int(10)), 0); /* 120 a year, 10 a month */
        char got[MAXP + 1];
        for (int k = 0; k < ch.npoints; k++)
            got[k] = ch.marks[k] == SPC_VAR_COMMON            ? 'c'
                     : ch.marks[k] == SPC_VAR_CONCERN_HIGH    ? 'H'
                     : ch.marks[k] == SPC_VAR_IMPROVEMENT_LOW ? 'L'
                                                              : '?';
        got[ch.npoints] = '\0';
        if (strcmp(got, cases[c].marks) != 0)
            fail_msg("%s: marks want %s, got %s", cases[c].name, cases[c].marks, got);
        spc_chart_release(&ch);
    }
    /* Fewer than 12 points: the points, no limits; nothing in the period: empty. */
    SeriesSpec few = {PERIOD_MONTH, 2019, 5, {"1", "2", "3"}, {NULL}};
    Value v[MAXP];
    int n = build(&few, v);
    SpcSettings set = {PERIOD_MONTH, 0, NULL, 0};
    SpcChart ch;
    assert_int_equal(spc_chart(&lower, &set, v, n, NULL, 0, month(2019, 7), APRIL, 1, &ch), SPC_CHART_FEW);
    assert_int_equal(ch.npoints, 3);
    assert_null(ch.marks);
    spc_chart_release(&ch);
    assert_int_equal(spc_chart(&lower, &set, v, n, NULL, 0, month(2019, 9), APRIL, 1, &ch), SPC_CHART_EMPTY);
    assert_int_equal(ch.npoints, 0);
    spc_chart_release(&ch);
}

/* ---- random series: never a PANIC, the invariants hold ---- */

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* A value in micro-units: small counts, decimals, or anything up to the stored maximum. */
static int64_t rnd_micro(int allow_negative)
{
    int64_t m;
    switch (rnd() % 4) {
    case 0: m = (int64_t)(rnd() % 100) * FQ_SCALE; break;
    case 1: m = (int64_t)(rnd() % 100000000); break;
    case 2: m = (int64_t)(rnd() % (uint64_t)FQ_MAX_MICRO); break;
    default: m = FQ_MAX_MICRO - (int64_t)(rnd() % 1000); break;
    }
    return allow_negative && rnd() % 3 == 0 ? -m : m;
}

#define RANDOM_CASES 3000
#define RANDOM_MAX_VALUES 60

static void test_random(void **state)
{
    (void)state;
    static const PeriodKind kinds[] = {PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR};
    static const Aggregate aggs[] = {AGG_SUM, AGG_RATIO, AGG_MEAN, AGG_LAST};
    int with_spc = 0, special = 0, with_p = 0, too_large = 0;
    for (int c = 0; c < RANDOM_CASES; c++) {
        IndicatorDef def = {rnd() % 2 ? UNIT_COUNT : UNIT_NUMBER, (Polarity)(rnd() % 3), aggs[rnd() % 4],
                            (int)(rnd() % 7)};
        PeriodKind freq = kinds[rnd() % 3];
        Value v[RANDOM_MAX_VALUES];
        int n = (int)(rnd() % RANDOM_MAX_VALUES), start = M(2015, 4);
        for (int k = 0; k < n; k++) {
            memset(&v[k], 0, sizeof v[k]);
            PeriodKind pk = rnd() % 4 ? freq : kinds[rnd() % 3];
            v[k].period.kind = pk;
            v[k].period.first = start + (int)(rnd() % 96) / (int)pk * (int)pk;
            if (def.aggregate == AGG_RATIO && rnd() % 8) {
                v[k].has_ratio = 1;
                v[k].num_micro = rnd_micro(0);
                v[k].den_micro = rnd() % 10 ? rnd_micro(0) : 0;
            } else {
                v[k].micro = rnd_micro(def.aggregate != AGG_RATIO);
            }
        }
        /* Values with the same period: the store forbids them; keep the first. */
        int m = 0;
        for (int k = 0; k < n; k++) {
            int dup = 0;
            for (int j = 0; j < m && !dup; j++)
                dup = period_equal(v[j].period, v[k].period);
            if (!dup)
                v[m++] = v[k];
        }
        n = m;
        Target t = {2020, rnd_micro(1), 5 * FQ_SCALE};
        Period rebases[2] = {{PERIOD_MONTH, start + (int)(rnd() % 96)}, {PERIOD_QUARTER, start + 3 * (int)(rnd() % 32)}};
        SpcSettings set = {freq, rnd() % 3 ? 0 : 12 + (int)(rnd() % 30), rebases, (int)(rnd() % 3)};
        Period p = {freq, start + (int)(rnd() % 96) / (int)freq * (int)freq};
        CompareRow row;
        memset(&row, 0, sizeof row);
        row_for(&def, &set, v, n, &t, 1, p, &row);
        with_spc += row.spc_mean.has;
        special += row.spc_rule != SPC_RULE_NONE;
        with_p += row.has_p;
        too_large += strstr(buf_cstr(&row.spc_note), "too large") != NULL;
        if (row.spc_mean.has) {
            assert_true(fq_cmp(row.spc_lower.q, row.spc_mean.q) <= 0);
            assert_true(fq_cmp(row.spc_mean.q, row.spc_upper.q) <= 0);
            assert_int_not_equal(row.variation, SPC_VAR_NONE);
        } else {
            assert_int_equal(row.variation, SPC_VAR_NONE);
            assert_int_equal(row.assurance, SPC_ASSURE_NONE);
        }
        if (row.has_p)
            assert_true(row.p_value >= 0 && row.p_value <= 1);
        /* A report judges SPC from the chart it draws (marks and all): the same row. */
        CompareRow row2;
        SpcChart ch;
        memset(&row2, 0, sizeof row2);
        figures_compare(&def, v, n, &t, 1, p, APRIL, &row2);
        SpcChartStatus st = spc_chart(&def, &set, v, n, &t, 1, p, APRIL, 1, &ch);
        spc_compare_chart(&def, &set, st, &ch, APRIL, &row2);
        spc_chart_release(&ch);
        assert_int_equal(row2.variation, row.variation);
        assert_int_equal(row2.assurance, row.assurance);
        assert_int_equal(row2.spc_rule, row.spc_rule);
        assert_int_equal(row2.spc_run, row.spc_run);
        assert_int_equal(row2.spc_mean.has, row.spc_mean.has);
        if (row.spc_mean.has)
            assert_int_equal(fq_cmp(row2.spc_mean.q, row.spc_mean.q) | fq_cmp(row2.spc_lower.q, row.spc_lower.q) |
                                 fq_cmp(row2.spc_upper.q, row.spc_upper.q),
                             0);
        assert_int_equal(row2.significance, row.significance);
        assert_string_equal(buf_cstr(&row2.spc_note), buf_cstr(&row.spc_note));
        compare_row_release(&row2);
        assert_true((row.variation == SPC_VAR_COMMON) == (row.spc_mean.has && row.spc_rule == SPC_RULE_NONE));
        /* Every cell prints. */
        Buf b = BUF_INIT;
        narrative_significance(&b, &row);
        if (row.spc_mean.has)
            fq_format(&b, row.spc_upper.q, def.decimals + 1);
        buf_release(&b);
        compare_row_release(&row);
    }
    /* The cases reach what they are meant to test. */
    print_message("random: %d with SPC, %d special causes, %d p-values, %d too large\n", with_spc, special,
                  with_p, too_large);
    assert_true(with_spc > RANDOM_CASES / 20);
    assert_true(special > 0);
    assert_true(with_p > 0);
}

/* ---- the sentences ---- */

static void test_narrative(void **state)
{
    (void)state;
    static const struct {
        Significance sig;
        double p;
        SpcVariation var;
        SpcRule rule;
        int run;
        PeriodKind freq;
        const char *want;
    } cases[] = {
        {SIG_INCREASE, 0.0149, SPC_VAR_NONE, SPC_RULE_NONE, 0, PERIOD_MONTH,
         "This is a statistically significant increase (p = 0.015)."},
        {SIG_DECREASE, 0.001, SPC_VAR_NONE, SPC_RULE_NONE, 0, PERIOD_MONTH,
         "This is a statistically significant decrease (p = 0.001)."},
        {SIG_INCREASE, 0.000499, SPC_VAR_NONE, SPC_RULE_NONE, 0, PERIOD_MONTH,
         "This is a statistically significant increase (p < 0.001)."},
        {SIG_INCREASE, 0.0005, SPC_VAR_NONE, SPC_RULE_NONE, 0, PERIOD_MONTH,
         "This is a statistically significant increase (p = 0.001)."},
        {SIG_NONE, 0.118, SPC_VAR_NONE, SPC_RULE_NONE, 0, PERIOD_MONTH,
         "This is a change within normal variation (p = 0.118)."},
        {SIG_NONE, 0.118, SPC_VAR_COMMON, SPC_RULE_NONE, 2, PERIOD_MONTH,
         "This is a change within normal variation (p = 0.118)."},
        {SIG_NONE_COMPUTED, 0, SPC_VAR_COMMON, SPC_RULE_NONE, -6, PERIOD_MONTH,
         "The latest month is within normal variation. It is the sixth month in a row below the average."},
        {SIG_NONE, 0.5, SPC_VAR_COMMON, SPC_RULE_NONE, 6, PERIOD_QUARTER,
         "This is a change within normal variation (p = 0.500). It is the sixth quarter in a row above the "
         "average."},
        {SIG_NONE_COMPUTED, 0, SPC_VAR_CONCERN_HIGH, SPC_RULE_OUTSIDE, 1, PERIOD_MONTH,
         "The latest month shows special cause variation, a concern: it is above the upper process limit."},
        {SIG_NONE_COMPUTED, 0, SPC_VAR_IMPROVEMENT_LOW, SPC_RULE_SHIFT, -13, PERIOD_QUARTER,
         "The latest quarter shows special cause variation, an improvement: it is the 13th quarter in a row "
         "below the average."},
        {SIG_INCREASE, 0.02, SPC_VAR_NEUTRAL_HIGH, SPC_RULE_TREND, 3, PERIOD_YEAR,
         "This is a statistically significant increase (p = 0.020). The latest year shows special cause "
         "variation, neither good nor bad in itself: it ends a run of seven or more years, each higher than "
         "the one before."},
        {SIG_NONE_COMPUTED, 0, SPC_VAR_CONCERN_LOW, SPC_RULE_TWO_IN_THREE, -2, PERIOD_MONTH,
         "The latest month shows special cause variation, a concern: two of the last three months are below "
         "the lower near limit."},
        {SIG_NONE_COMPUTED, 0, SPC_VAR_IMPROVEMENT_HIGH, SPC_RULE_SHIFT, 22, PERIOD_MONTH,
         "The latest month shows special cause variation, an improvement: it is the 22nd month in a row above "
         "the average."},
        {SIG_NONE_COMPUTED, 0, SPC_VAR_NONE, SPC_RULE_NONE, 0, PERIOD_MONTH, ""},
    };
    for (size_t c = 0; c < NELEM(cases); c++) {
        CompareRow row;
        memset(&row, 0, sizeof row);
        row.significance = cases[c].sig;
        row.has_p = cases[c].sig != SIG_NONE_COMPUTED;
        row.p_value = cases[c].p;
        row.variation = cases[c].var;
        row.spc_rule = cases[c].rule;
        row.spc_run = cases[c].run;
        row.spc_frequency = cases[c].freq;
        Buf b = BUF_INIT;
        narrative_significance(&b, &row);
        if (strcmp(buf_cstr(&b), cases[c].want) != 0) {
            char got[400];
            snprintf(got, sizeof got, "%s", buf_cstr(&b));
            buf_release(&b);
            fail_msg("case %zu: want '%s', got '%s'", c, cases[c].want, got);
        }
        buf_release(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_rules),
        cmocka_unit_test(test_variation),      cmocka_unit_test(test_assurance),
        cmocka_unit_test(test_series),         cmocka_unit_test(test_compare),
        cmocka_unit_test(test_binomial_exact), cmocka_unit_test(test_poisson_p),
        cmocka_unit_test(test_significance),   cmocka_unit_test(test_narrative),
        cmocka_unit_test(test_random),         cmocka_unit_test(test_chart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
