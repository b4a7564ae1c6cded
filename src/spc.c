/* spc.c — statistical process control (Making Data Count XmR rules) and the
 * significance of a change, for the compare row (spc.h). Pure: no SQL, no I/O,
 * no globals. Exact fractions throughout, with the checked forms of fq.h, so
 * figures too large for 128 bits give no SPC and a note, never a PANIC. */
#include "spc.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "stats.h"

#define SPC_E_NUM 266          /* 2.66: the XmR constant, 3 / d2 for n = 2, as Making Data Count rounds it */
#define SPC_E_DEN 100
#define SPC_NEAR_NUM (2 * SPC_E_NUM) /* 2/3 of 2.66 */
#define SPC_NEAR_DEN (3 * SPC_E_DEN)
#define SPC_TWO_IN_THREE_WINDOW 3
#define SPC_TWO_IN_THREE_HITS 2
#define SPC_NOTE_PERIODS 6     /* periods a note names before "and N more" */
#define SPC_MONTHS_PER_YEAR 12
#define SPC_FALLBACK_DECIMALS 9 /* points are rounded to this when exact sums would pass 128 bits */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const SPC_VARIATION_NAMES[] = {"",
                                                  "common",
                                                  "improvement-high",
                                                  "concern-low",
                                                  "concern-high",
                                                  "improvement-low",
                                                  "neutral-high",
                                                  "neutral-low"};
static const char *const SPC_ASSURANCE_NAMES[] = {"", "pass", "fail", "hit-and-miss"};
static const char *const SPC_SIGNIFICANCE_NAMES[] = {"", "none", "increase", "decrease"};
static const char *const SPC_RULE_NAMES[] = {"", "outside", "trend", "two in three", "shift"};

static const char *spc_name(const char *const *names, size_t n, int i, const char *what)
{
    if (i < 0 || (size_t)i >= n)
        PANIC("bad %s %d", what, i);
    return names[i];
}

const char *spc_variation_name(SpcVariation v)
{
    return spc_name(SPC_VARIATION_NAMES, NELEM(SPC_VARIATION_NAMES), (int)v, "variation");
}

const char *spc_assurance_name(SpcAssurance a)
{
    return spc_name(SPC_ASSURANCE_NAMES, NELEM(SPC_ASSURANCE_NAMES), (int)a, "assurance");
}

const char *spc_significance_name(Significance s)
{
    return spc_name(SPC_SIGNIFICANCE_NAMES, NELEM(SPC_SIGNIFICANCE_NAMES), (int)s, "significance");
}

const char *spc_rule_name(SpcRule r)
{
    return spc_name(SPC_RULE_NAMES, NELEM(SPC_RULE_NAMES), (int)r, "rule");
}

static i128 spc_gcd(i128 a, i128 b)
{
    while (b != 0) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The sum of y[0..n) and the sum of its moving ranges, exactly, over the least
 * common denominator of the points: whole-number additions instead of one
 * reduced fraction per step. -1 when a figure passes 128 bits. */
static int spc_sums(const Fq *y, int n, Fq *sum, Fq *mr)
{
    i128 den = 1, s = 0, r = 0, prev = 0, z, g;
    for (int i = 0; i < n; i++) {
        g = spc_gcd(den, y[i].den);
        if (__builtin_mul_overflow(den / g, y[i].den, &den))
            return -1;
    }
    for (int i = 0; i < n; i++) {
        if (__builtin_mul_overflow(y[i].num, den / y[i].den, &z) || __builtin_add_overflow(s, z, &s))
            return -1;
        if (i > 0) {
            i128 d;
            if (__builtin_sub_overflow(z, prev, &d) || __builtin_add_overflow(r, d < 0 ? -d : d, &r))
                return -1;
        }
        prev = z;
    }
    /* Keep clear of the most negative i128, which fq.c treats as overflow. */
    if (s < -((i128)1 << 126) || r > ((i128)1 << 126))
        return -1;
    *sum = fq_make(s, den);
    *mr = fq_make(r, den);
    return 0;
}

int spc_limits(const Fq *y, int n, SpcLimits *out)
{
    Fq sum, mr, mean, amr, w, near;
    SpcLimits l;
    if (n < 2)
        PANIC("SPC limits of %d points", n);
    if (spc_sums(y, n, &sum, &mr) != 0)
        return -1;
    if (fq_div_ok(sum, fq_int(n), &mean) != 0 || fq_div_ok(mr, fq_int(n - 1), &amr) != 0 ||
        fq_mul_ok(amr, fq_make(SPC_E_NUM, SPC_E_DEN), &w) != 0 ||
        fq_mul_ok(amr, fq_make(SPC_NEAR_NUM, SPC_NEAR_DEN), &near) != 0)
        return -1;
    l.mean = mean;
    l.amr = amr;
    if (fq_sub_ok(mean, w, &l.lower) != 0 || fq_add_ok(mean, w, &l.upper) != 0 ||
        fq_sub_ok(mean, near, &l.near_lower) != 0 || fq_add_ok(mean, near, &l.near_upper) != 0)
        return -1;
    *out = l;
    return 0;
}

/* Steps in a row ending at y[n-1] in direction dir (1 up, -1 down), each strict. */
static int spc_steps(const Fq *y, int n, int dir)
{
    int k = 0;
    for (int i = n - 1; i > 0 && fq_cmp(y[i], y[i - 1]) == dir; i--)
        k++;
    return k;
}

int spc_run(const Fq *y, int n, Fq mean)
{
    if (n < 1)
        return 0;
    int side = fq_cmp(y[n - 1], mean), k = 0;
    if (side == 0)
        return 0;
    for (int i = n - 1; i >= 0 && fq_cmp(y[i], mean) == side; i--)
        k++;
    return side > 0 ? k : -k;
}

SpcRule spc_rule(const Fq *y, int n, const SpcLimits *lim, SpcSide *side)
{
    *side = SPC_SIDE_NONE;
    if (n < 1)
        return SPC_RULE_NONE;
    Fq last = y[n - 1];
    /* 1. outside the process limits */
    if (fq_cmp(last, lim->upper) > 0) {
        *side = SPC_SIDE_HIGH;
        return SPC_RULE_OUTSIDE;
    }
    if (fq_cmp(last, lim->lower) < 0) {
        *side = SPC_SIDE_LOW;
        return SPC_RULE_OUTSIDE;
    }
    /* 2. a trend: 7 points, 6 strict steps */
    if (spc_steps(y, n, 1) >= SPC_RUN_POINTS - 1) {
        *side = SPC_SIDE_HIGH;
        return SPC_RULE_TREND;
    }
    if (spc_steps(y, n, -1) >= SPC_RUN_POINTS - 1) {
        *side = SPC_SIDE_LOW;
        return SPC_RULE_TREND;
    }
    /* 3. two of the last three beyond a near limit, the latest among them (the
     * only window of three consecutive points that holds the latest point) */
    if (n >= SPC_TWO_IN_THREE_WINDOW) {
        int hi = 0, lo = 0;
        for (int i = n - SPC_TWO_IN_THREE_WINDOW; i < n; i++) {
            hi += fq_cmp(y[i], lim->near_upper) > 0;
            lo += fq_cmp(y[i], lim->near_lower) < 0;
        }
        if (fq_cmp(last, lim->near_upper) > 0 && hi >= SPC_TWO_IN_THREE_HITS) {
            *side = SPC_SIDE_HIGH;
            return SPC_RULE_TWO_IN_THREE;
        }
        if (fq_cmp(last, lim->near_lower) < 0 && lo >= SPC_TWO_IN_THREE_HITS) {
            *side = SPC_SIDE_LOW;
            return SPC_RULE_TWO_IN_THREE;
        }
    }
    /* 4. a shift: 7 points strictly on one side of the mean */
    int run = spc_run(y, n, lim->mean);
    if (run >= SPC_RUN_POINTS || run <= -SPC_RUN_POINTS) {
        *side = run > 0 ? SPC_SIDE_HIGH : SPC_SIDE_LOW;
        return SPC_RULE_SHIFT;
    }
    return SPC_RULE_NONE;
}

SpcVariation spc_variation(SpcSide side, Polarity pol)
{
    if (side == SPC_SIDE_NONE)
        return SPC_VAR_COMMON;
    int high = side == SPC_SIDE_HIGH;
    switch (pol) {
    case POLARITY_HIGHER:
        return high ? SPC_VAR_IMPROVEMENT_HIGH : SPC_VAR_CONCERN_LOW;
    case POLARITY_LOWER:
        return high ? SPC_VAR_CONCERN_HIGH : SPC_VAR_IMPROVEMENT_LOW;
    case POLARITY_NONE:
        return high ? SPC_VAR_NEUTRAL_HIGH : SPC_VAR_NEUTRAL_LOW;
    }
    PANIC("bad polarity %d", (int)pol);
}

SpcAssurance spc_assurance(Polarity pol, Fq target, const SpcLimits *lim)
{
    int above = fq_cmp(target, lim->upper) > 0, below = fq_cmp(target, lim->lower) < 0;
    switch (pol) {
    case POLARITY_HIGHER:
        return above ? SPC_ASSURE_FAIL : below ? SPC_ASSURE_PASS : SPC_ASSURE_HIT_AND_MISS;
    case POLARITY_LOWER:
        return below ? SPC_ASSURE_FAIL : above ? SPC_ASSURE_PASS : SPC_ASSURE_HIT_AND_MISS;
    case POLARITY_NONE:
        return SPC_ASSURE_NONE;
    }
    PANIC("bad polarity %d", (int)pol);
}

/* The period of kind freq that holds month m: the month itself, its quarter
 * of the financial year, or its financial year. */
static Period spc_grid(PeriodKind freq, int m, int fy_start)
{
    Period p = {freq, m};
    if (freq != PERIOD_MONTH) {
        int f = period_fy_first(period_fy(m, fy_start), fy_start);
        p.first = freq == PERIOD_YEAR ? f : f + 3 * ((m - f) / 3);
    }
    return p;
}

/* micro / FQ_SCALE reduced with 64-bit arithmetic (fq_micro's 128-bit gcd
 * is the slow part of reading a long series). */
static Fq spc_micro(int64_t micro)
{
    int64_t a = micro < 0 ? -micro : micro, b = FQ_SCALE;
    while (b != 0) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    Fq q = {micro / a, FQ_SCALE / a}; /* a = gcd(|micro|, FQ_SCALE) >= 1 */
    return q;
}

static int spc_cmp_value(const void *a, const void *b)
{
    int x = ((const Value *)a)->period.first, y = ((const Value *)b)->period.first;
    return (x > y) - (x < y);
}

int spc_series(const IndicatorDef *def, PeriodKind freq, const Value *values, int nvalues, Period period,
               int fy_start, SpcPoint **points, Period **missing, int *nmissing)
{
    int npts = 0, nmiss = 0, last_inside = -1, nmiss_at_last = 0;
    Value *v = NULL;
    *points = NULL;
    *missing = NULL;
    *nmissing = 0;
    if (nvalues <= 0)
        return 0;
    /* Sorted by first month, so each period reads only the values that start in it. */
    v = xmalloc(sizeof *v * (size_t)nvalues);
    memcpy(v, values, sizeof *v * (size_t)nvalues);
    int sorted = 1;
    for (int k = 1; k < nvalues && sorted; k++)
        sorted = v[k - 1].period.first <= v[k].period.first;
    if (!sorted)
        qsort(v, (size_t)nvalues, sizeof *v, spc_cmp_value);
    int len = (int)freq, end = period_last(period), lo = 0;
    Period g = spc_grid(freq, v[0].period.first, fy_start);
    /* Periods: from the earliest value's to the last that ends inside the compared period. */
    int span = g.first <= end ? (end - g.first) / len + 1 : 0;
    *points = xmalloc(sizeof **points * (size_t)(span + 1));
    *missing = xmalloc(sizeof **missing * (size_t)(span + 1));
    for (; g.first + len - 1 <= end; g.first += len) {
        while (lo < nvalues && v[lo].period.first < g.first)
            lo++;
        int hi = lo;
        while (hi < nvalues && v[hi].period.first < g.first + len)
            hi++;
        Fq y;
        int have = 0;
        if (hi == lo + 1 && period_equal(v[lo].period, g) && def->aggregate != AGG_RATIO) {
            /* One value for exactly this period (the usual case): it is the point. */
            y = spc_micro(v[lo].micro);
            have = 1;
        } else if (hi > lo) {
            have = figures_aggregate(def, v + lo, hi - lo, g.first, len, &y, NULL, NULL);
        }
        if (have) {
            (*points)[npts].period = g;
            (*points)[npts].y = y;
            npts++;
            if (g.first >= period.first) {
                last_inside = npts - 1;
                nmiss_at_last = nmiss;
            }
        } else {
            (*missing)[nmiss++] = g;
        }
        lo = hi;
    }
    free(v);
    if (last_inside < 0)
        return 0;
    *nmissing = nmiss_at_last; /* periods after the last point are not left out: the series ends before them */
    return last_inside + 1;
}

/* Append one more note, separated from any before it by "; ". */
static void spc_note(Buf *note, const char *what)
{
    if (note->len > 0)
        buf_puts(note, "; ");
    buf_puts(note, what);
}

/* The significance of value against previous, for whole counts. */
static void spc_significance(const IndicatorDef *def, CompareRow *row)
{
    if (def->unit != UNIT_COUNT || def->aggregate != AGG_SUM || !row->value.has || !row->previous.has)
        return;
    Fq a = row->value.q, b = row->previous.q;
    if (a.den != 1 || b.den != 1) {
        spc_note(&row->spc_note, "no significance test: the counts are not whole numbers");
        return;
    }
    if (a.num < 0 || b.num < 0 || a.num + b.num == 0)
        return;
    if (a.num > STATS_MAX_COUNT || b.num > STATS_MAX_COUNT - a.num) {
        spc_note(&row->spc_note, "no significance test: the counts are too large");
        return;
    }
    double p = stats_poisson_p((int64_t)a.num, (int64_t)b.num);
    if (p < 0)
        PANIC("p-value of %lld and %lld", (long long)a.num, (long long)b.num);
    row->has_p = 1;
    row->p_value = p;
    if (p < SPC_P_SIGNIFICANT)
        row->significance = fq_cmp(a, b) > 0 ? SIG_INCREASE : SIG_DECREASE;
    else
        row->significance = SIG_NONE;
}

/* The target per point for the financial year holding month m: an annual
 * target of a sum indicator shared over the year's points. 0 when none. */
static int spc_target(const IndicatorDef *def, PeriodKind freq, const Target *targets, int ntargets, int m,
                      int fy_start, Fq *out)
{
    int fy = period_fy(m, fy_start);
    for (int i = 0; i < ntargets; i++) {
        if (targets[i].fy != fy)
            continue;
        *out = fq_micro(targets[i].target_micro);
        if (def->aggregate == AGG_SUM)
            *out = fq_div(*out, fq_int(SPC_MONTHS_PER_YEAR / (int)freq)); /* |target| < 10^12: no overflow */
        return 1;
    }
    return 0;
}

/* "SPC leaves out May 2019, June 2019 (no figure)" (quarters "Q1 2019/20", years
 * "2019/20": the series' own periods), at most SPC_NOTE_PERIODS named. */
static void spc_note_missing(Buf *note, const Period *missing, int n, int fy_start)
{
    if (n == 0)
        return;
    if (note->len > 0)
        buf_puts(note, "; ");
    buf_puts(note, "SPC leaves out ");
    for (int i = 0; i < n && i < SPC_NOTE_PERIODS; i++) {
        if (i > 0)
            buf_puts(note, ", ");
        period_format_name(note, missing[i], fy_start);
    }
    if (n > SPC_NOTE_PERIODS)
        buf_printf(note, " and %d more", n - SPC_NOTE_PERIODS);
    buf_puts(note, " (no figure)");
}

void spc_chart_release(SpcChart *c)
{
    free(c->points);
    free(c->marks);
    free(c->missing);
    memset(c, 0, sizeof *c);
}

/* Mark the points of the pattern that makes y[i] (judged as the latest of
 * y[0..i]) a special cause. */
static void spc_mark(const Fq *y, int i, const SpcLimits *lim, SpcRule rule, SpcSide side, SpcVariation v,
                     SpcVariation *marks)
{
    int from = i;
    switch (rule) {
    case SPC_RULE_TREND:
        from = i - spc_steps(y, i + 1, side == SPC_SIDE_HIGH ? 1 : -1);
        break;
    case SPC_RULE_SHIFT: {
        int run = spc_run(y, i + 1, lim->mean);
        from = i - (run < 0 ? -run : run) + 1;
        break;
    }
    case SPC_RULE_TWO_IN_THREE:
        for (int k = i - SPC_TWO_IN_THREE_WINDOW + 1; k <= i; k++) {
            if (side == SPC_SIDE_HIGH ? fq_cmp(y[k], lim->near_upper) > 0 : fq_cmp(y[k], lim->near_lower) < 0)
                marks[k] = v;
        }
        return;
    default: /* outside: the point alone */
        break;
    }
    for (int k = from < 0 ? 0 : from; k <= i; k++)
        marks[k] = v;
}

SpcChartStatus spc_chart(const IndicatorDef *def, const SpcSettings *set, const Value *values, int nvalues,
                         const Target *targets, int ntargets, Period period, int fy_start, int marks,
                         SpcChart *out)
{
    SpcPoint *pts = NULL;
    Period *missing = NULL;
    Fq *y = NULL;
    int nmissing = 0;
    SpcChartStatus st = SPC_CHART_EMPTY;

    memset(out, 0, sizeof *out);
    int n = spc_series(def, set->frequency, values, nvalues, period, fy_start, &pts, &missing, &nmissing);
    if (n == 0)
        goto out;
    /* The latest segment: from the latest rebase at or before the latest point,
     * read at the indicator's frequency (a rebase inside a quarter starts that quarter). */
    int seg_month = pts[0].period.first;
    for (int k = 0; k < set->nrebases; k++) {
        int m = spc_grid(set->frequency, set->rebases[k].first, fy_start).first;
        if (m <= pts[n - 1].period.first && m > seg_month) {
            seg_month = m;
            out->rebase = set->rebases[k];
            out->rebased = 1;
        }
    }
    int s0 = 0;
    while (pts[s0].period.first < seg_month)
        s0++;
    int nseg = n - s0;
    out->npoints = nseg;
    out->points = xmalloc(sizeof *out->points * (size_t)nseg);
    memcpy(out->points, pts + s0, sizeof *out->points * (size_t)nseg);
    /* The periods left out inside the judged segment. */
    int first_miss = 0;
    while (first_miss < nmissing && missing[first_miss].first < seg_month)
        first_miss++;
    out->nmissing = nmissing - first_miss;
    out->missing = xmalloc(sizeof *out->missing * (size_t)(out->nmissing + 1));
    memcpy(out->missing, missing + first_miss, sizeof *out->missing * (size_t)out->nmissing);
    st = SPC_CHART_FEW;
    if (nseg < SPC_MIN_POINTS)
        goto out;
    out->nbaseline = set->baseline > 0 && set->baseline < nseg ? set->baseline : nseg;
    y = xmalloc(sizeof *y * (size_t)nseg);
    for (int k = 0; k < nseg; k++)
        y[k] = out->points[k].y;
    int ok = spc_limits(y, out->nbaseline, &out->limits) == 0;
    if (!ok) {
        /* Ratio points over many different denominators: their exact sums pass
         * 128 bits. Each point rounded to SPC_FALLBACK_DECIMALS places is then
         * summed exactly; the printed limits cannot tell the difference. */
        for (int k = 0; k < nseg; k++)
            out->points[k].y = y[k] = fq_round(y[k], SPC_FALLBACK_DECIMALS);
        ok = spc_limits(y, out->nbaseline, &out->limits) == 0;
    }
    st = SPC_CHART_TOO_LARGE;
    if (!ok)
        goto out;
    out->has_target =
        spc_target(def, set->frequency, targets, ntargets, out->points[nseg - 1].period.first, fy_start, &out->target);
    if (marks) {
        out->marks = xmalloc(sizeof *out->marks * (size_t)nseg);
        for (int i = 0; i < nseg; i++)
            out->marks[i] = SPC_VAR_COMMON;
        for (int i = 0; i < nseg; i++) {
            SpcSide side;
            SpcRule r = spc_rule(y, i + 1, &out->limits, &side);
            if (r != SPC_RULE_NONE)
                spc_mark(y, i, &out->limits, r, side, spc_variation(side, def->polarity), out->marks);
        }
    }
    st = SPC_CHART_OK;
out:
    free(y);
    free(pts);
    free(missing);
    return st;
}

void spc_compare(const IndicatorDef *def, const SpcSettings *set, const Value *values, int nvalues,
                 const Target *targets, int ntargets, Period period, int fy_start, CompareRow *row)
{
    SpcChart ch;
    SpcChartStatus st = spc_chart(def, set, values, nvalues, targets, ntargets, period, fy_start, 0, &ch);
    spc_compare_chart(def, set, st, &ch, fy_start, row);
    spc_chart_release(&ch);
}

void spc_compare_chart(const IndicatorDef *def, const SpcSettings *set, SpcChartStatus status, const SpcChart *c,
                       int fy_start, CompareRow *row)
{
    const SpcChart ch = *c;
    Fq *y = NULL;

    row->variation = SPC_VAR_NONE;
    row->assurance = SPC_ASSURE_NONE;
    row->spc_rule = SPC_RULE_NONE;
    row->spc_run = 0;
    row->spc_frequency = set->frequency;
    row->spc_mean.has = row->spc_lower.has = row->spc_upper.has = 0;
    row->significance = SIG_NONE_COMPUTED;
    row->has_p = 0;
    row->p_value = 0;
    spc_significance(def, row);

    switch (status) {
    case SPC_CHART_EMPTY:
        goto out;
    case SPC_CHART_FEW:
        spc_note(&row->spc_note, "fewer than 12 points");
        if (ch.rebased) {
            buf_puts(&row->spc_note, " since the rebase at ");
            period_format_name(&row->spc_note, ch.rebase, fy_start);
        }
        goto out;
    case SPC_CHART_TOO_LARGE:
        spc_note(&row->spc_note, "SPC too large to compute exactly");
        goto out;
    case SPC_CHART_OK:
        break;
    }
    int nseg = ch.npoints;
    y = xmalloc(sizeof *y * (size_t)nseg);
    for (int k = 0; k < nseg; k++)
        y[k] = ch.points[k].y;
    SpcSide side;
    row->spc_rule = spc_rule(y, nseg, &ch.limits, &side);
    row->spc_run = spc_run(y, nseg, ch.limits.mean);
    row->variation = spc_variation(side, def->polarity);
    row->spc_mean = (Fig){1, ch.limits.mean};
    row->spc_lower = (Fig){1, ch.limits.lower};
    row->spc_upper = (Fig){1, ch.limits.upper};
    if (def->polarity != POLARITY_NONE && ch.has_target)
        row->assurance = spc_assurance(def->polarity, ch.target, &ch.limits);
    spc_note_missing(&row->spc_note, ch.missing, ch.nmissing, fy_start);
    if (set->baseline > nseg)
        buf_printf(&row->spc_note, "%sSPC baseline of %d points has %d so far", row->spc_note.len ? "; " : "",
                   set->baseline, nseg);
out:
    free(y);
}

/* The Making Data Count meaning of each icon, in words (the text alternative
 * of the icons in every format). */
static const char *const SPC_VARIATION_WORDS[] = {
    "",
    "Common cause variation: no significant change",
    "Special cause variation of an improving nature: higher",
    "Special cause variation of a concerning nature: lower",
    "Special cause variation of a concerning nature: higher",
    "Special cause variation of an improving nature: lower",
    "Special cause variation, neither improving nor concerning: higher",
    "Special cause variation, neither improving nor concerning: lower",
};
static const char *const SPC_ASSURANCE_WORDS[] = {
    "",
    "The process is expected to meet the target every time",
    "The process is expected to miss the target every time",
    "The process may meet or miss the target by chance alone",
};

const char *spc_variation_words(SpcVariation v)
{
    return spc_name(SPC_VARIATION_WORDS, NELEM(SPC_VARIATION_WORDS), (int)v, "variation");
}

const char *spc_assurance_words(SpcAssurance a)
{
    return spc_name(SPC_ASSURANCE_WORDS, NELEM(SPC_ASSURANCE_WORDS), (int)a, "assurance");
}

static const char *const SPC_VARIATION_SHORT[] = {
    "", "Common cause", "Improvement (high)", "Concern (low)", "Concern (high)", "Improvement (low)",
    "Neutral (high)", "Neutral (low)",
};
static const char *const SPC_ASSURANCE_SHORT[] = {"", "Pass", "Fail", "Hit and miss"};
static const char *const SPC_SIGNIFICANCE_SHORT[] = {"", "Not significant", "Significant increase",
                                                     "Significant decrease"};

const char *spc_significance_short(Significance s)
{
    return spc_name(SPC_SIGNIFICANCE_SHORT, NELEM(SPC_SIGNIFICANCE_SHORT), (int)s, "significance");
}

const char *spc_variation_short(SpcVariation v)
{
    return spc_name(SPC_VARIATION_SHORT, NELEM(SPC_VARIATION_SHORT), (int)v, "variation");
}

const char *spc_assurance_short(SpcAssurance a)
{
    return spc_name(SPC_ASSURANCE_SHORT, NELEM(SPC_ASSURANCE_SHORT), (int)a, "assurance");
}
