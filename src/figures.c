/* figures.c — the comparisons of `kpi compare`, computed exactly from values in
 * memory: aggregation over a span of months with coverage, same period last year,
 * year to date, change and % change, target to date, RAG and direction of travel,
 * and the note that says which months are missing. Pure: no SQL, no I/O, no
 * globals. docs/figures.md is the specification. */
#include "figures.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "present.h"

#define PERCENT 100            /* a ratio or a change is shown per hundred */
#define MONTHS_PER_YEAR 12
#define RATIO_IMPLIED_DEN 100  /* a ratio value without num/den weighs as value out of 100 */
#define NSPANS FIG_NSPANS      /* value, previous, ytd, ytd_previous */

static const char *const UNIT_NAMES[] = {"count", "percent", "number", "rate", "currency"};
static const char *const POLARITY_NAMES[] = {"none", "lower", "higher"};
static const char *const AGGREGATE_NAMES[] = {"sum", "ratio", "mean", "last"};
static const char *const DIRECTION_NAMES[] = {"none", "improving", "worsening", "same"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* names[i] for a valid enum value; anything else is a bug. */
static const char *enum_name(const char *const *names, size_t n, int i, const char *what)
{
    if (i < 0 || (size_t)i >= n)
        PANIC("bad %s %d", what, i);
    return names[i];
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_case_equal(const char *a, const char *b)
{
    while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Index of s in names, case-insensitively, or -1. */
static int enum_parse(const char *s, const char *const *names, size_t n)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (ascii_case_equal(s, names[i]))
            return (int)i;
    return -1;
}

const char *unit_name(Unit u)
{
    return enum_name(UNIT_NAMES, NELEM(UNIT_NAMES), (int)u, "unit");
}

const char *unit_axis_title(Unit u)
{
    switch (u) {
    case UNIT_COUNT: return "Number";
    case UNIT_PERCENT: return "%";
    case UNIT_RATE: return "Rate";
    case UNIT_CURRENCY: return "\xc2\xa3";
    case UNIT_NUMBER: break;
    }
    return "Value";
}

const char *polarity_name(Polarity p)
{
    return enum_name(POLARITY_NAMES, NELEM(POLARITY_NAMES), (int)p, "polarity");
}

const char *aggregate_name(Aggregate a)
{
    return enum_name(AGGREGATE_NAMES, NELEM(AGGREGATE_NAMES), (int)a, "aggregate");
}

/* The names are the presentation layer's one table of words (present.c). */
const char *rag_name(Rag r)
{
    if ((int)r < RAG_NONE || (int)r > RAG_RED)
        PANIC("bad rag %d", (int)r);
    return present_mark(present_rag_mark(r))->name;
}

const char *direction_name(Direction d)
{
    return enum_name(DIRECTION_NAMES, NELEM(DIRECTION_NAMES), (int)d, "direction");
}

int unit_parse(const char *s, Unit *out)
{
    int i = enum_parse(s, UNIT_NAMES, NELEM(UNIT_NAMES));
    if (i < 0)
        return -1;
    *out = (Unit)i;
    return 0;
}

int polarity_parse(const char *s, Polarity *out)
{
    int i = enum_parse(s, POLARITY_NAMES, NELEM(POLARITY_NAMES));
    if (i < 0)
        return -1;
    *out = (Polarity)i;
    return 0;
}

int aggregate_parse(const char *s, Aggregate *out)
{
    int i = enum_parse(s, AGGREGATE_NAMES, NELEM(AGGREGATE_NAMES));
    if (i < 0)
        return -1;
    *out = (Aggregate)i;
    return 0;
}

/* The longest value that starts at month m and ends by month end-1, or NULL.
 * Among equal lengths (duplicates, which the store forbids) the first wins. */
static const Value *longest_at(const Value *values, int nvalues, int m, int end)
{
    const Value *best = NULL;
    int bestlen = 0;
    for (int i = 0; i < nvalues; i++) {
        const Value *v = &values[i];
        if (v->period.first != m)
            continue;
        int len = period_months(v->period);
        if (len <= end - m && len > bestlen) {
            best = v;
            bestlen = len;
        }
    }
    return best;
}

/* See figures.h. The pieces combine by the indicator's aggregate:
 *   sum    the sum of the pieces
 *   ratio  sum of numerators / sum of denominators * 100 (never a mean of
 *          ratios). A piece stored without has_ratio counts as numerator =
 *          its value and denominator = 100, i.e. a percentage out of 100, so
 *          such pieces alone give the plain mean of their percentages.
 *   mean   the months-weighted mean, sum(value * months) / months
 *   last   the value of the piece covering the last month */
int figures_aggregate(const IndicatorDef *def, const Value *values, int nvalues,
                      int first, int nmonths, Fq *out, int *missing, int *nmissing)
{
    int end = first + nmonths, nmiss = 0;
    Fq sum = fq_int(0), num = fq_int(0), den = fq_int(0), weighted = fq_int(0);
    Fq last = fq_int(0);

    if (nmonths <= 0)
        PANIC("aggregate over %d months", nmonths);
    for (int m = first; m < end;) {
        const Value *v = longest_at(values, nvalues, m, end);
        if (!v) {
            if (missing)
                missing[nmiss] = m;
            nmiss++;
            m++;
            continue;
        }
        int len = period_months(v->period);
        Fq x = fq_micro(v->micro);
        switch (def->aggregate) {
        case AGG_SUM:
            sum = fq_add(sum, x);
            break;
        case AGG_RATIO:
            if (v->has_ratio) {
                num = fq_add(num, fq_micro(v->num_micro));
                den = fq_add(den, fq_micro(v->den_micro));
            } else {
                num = fq_add(num, x);
                den = fq_add(den, fq_int(RATIO_IMPLIED_DEN));
            }
            break;
        case AGG_MEAN:
            weighted = fq_add(weighted, fq_mul(x, fq_int(len)));
            break;
        case AGG_LAST:
            last = x;
            break;
        default:
            PANIC("bad aggregate %d", (int)def->aggregate);
        }
        m += len;
    }
    if (nmissing)
        *nmissing = nmiss;
    if (nmiss > 0)
        return 0;

    Fq r;
    switch (def->aggregate) {
    case AGG_SUM:
        r = sum;
        break;
    case AGG_RATIO:
        if (fq_is_zero(den))
            return 0;
        r = fq_mul(fq_div(num, den), fq_int(PERCENT));
        break;
    case AGG_MEAN:
        r = fq_div(weighted, fq_int(nmonths));
        break;
    default: /* AGG_LAST; anything else panicked above */
        r = last;
        break;
    }
    if (out)
        *out = r;
    return 1;
}

/* a - b into *out when both exist. Returns -1 when the exact result does not
 * fit (possible only for ratios of huge sums), leaving *out empty. */
static int change(const Fig *a, const Fig *b, Fig *out)
{
    if (!a->has || !b->has)
        return 0;
    if (fq_sub_ok(a->q, b->q, &out->q) != 0)
        return -1;
    out->has = 1;
    return 0;
}

/* (a - b) / b * 100 into *out when a and b exist and b is not zero; -1 when
 * the exact result does not fit, leaving *out empty. */
static int change_pct(const Fig *a, const Fig *b, Fig *out)
{
    Fq d, r;
    if (!a->has || !b->has || fq_is_zero(b->q))
        return 0;
    if (fq_sub_ok(a->q, b->q, &d) != 0 || fq_div_ok(d, b->q, &r) != 0 ||
        fq_mul_ok(r, fq_int(PERCENT), &out->q) != 0)
        return -1;
    out->has = 1;
    return 0;
}

/* Append "no figure for July to September 2010 and July 2011" for the months
 * (sorted in place; repeats count once). */
static void note_missing(Buf *note, int *months, int n, int fy_start)
{
    if (n == 0)
        return;
    buf_puts(note, "no figure for ");
    period_format_months_gaps(note, months, n, fy_start);
}

/* Append one more note, separated from any before it by "; ". */
void figures_note_add(Buf *note, const char *what)
{
    if (note->len > 0)
        buf_puts(note, "; ");
    buf_puts(note, what);
}

void figures_compare(const IndicatorDef *def, const Value *values, int nvalues,
                     const Target *targets, int ntargets, Period period, int fy_start,
                     CompareRow *row)
{
    int nmonths = period_months(period), ytd_first, ytd_n;
    period_ytd(period, fy_start, &ytd_first, &ytd_n);
    struct {
        int first, n;
        Fig *fig;
    } spans[NSPANS] = {
        {period.first, nmonths, &row->value},
        {period.first - MONTHS_PER_YEAR, nmonths, &row->previous},
        {ytd_first, ytd_n, &row->ytd},
        {ytd_first - MONTHS_PER_YEAR, ytd_n, &row->ytd_previous},
    };
    int *missing = xmalloc(sizeof(int) * (size_t)(2 * (nmonths + ytd_n)));
    int nmissing = 0, den_zero = 0, too_large = 0;

    Buf note = row->note, spc_note = row->spc_note; /* keep the notes' memory; clear everything else */
    Buf gap[FIG_NSPANS];
    memcpy(gap, row->gap, sizeof gap);
    *row = (CompareRow){.note = note, .spc_note = spc_note};
    memcpy(row->gap, gap, sizeof gap);
    buf_reset(&row->note);
    buf_reset(&row->spc_note);
    for (int i = 0; i < FIG_NSPANS; i++)
        buf_reset(&row->gap[i]);

    for (int i = 0; i < NSPANS; i++) {
        int nm = 0;
        Fig *f = spans[i].fig;
        f->has = figures_aggregate(def, values, nvalues, spans[i].first, spans[i].n, &f->q,
                                   missing + nmissing, &nm);
        period_format_months_gaps(&row->gap[i], missing + nmissing, nm, fy_start); /* sorts them */
        row->ngap_months[i] = nm < FIG_SPAN_MAX_MONTHS ? nm : FIG_SPAN_MAX_MONTHS;
        memcpy(row->gap_months[i], missing + nmissing, sizeof(int) * (size_t)row->ngap_months[i]);
        nmissing += nm;
        if (!f->has && nm == 0)
            den_zero = 1; /* fully covered, yet no figure: the denominators sum to zero */
    }

    if (row->value.has && row->previous.has)
        row->direction = figures_direction(def->polarity, row->value.q, row->previous.q);
    if (change(&row->value, &row->previous, &row->change) != 0)
        too_large = 1;
    if (def->unit != UNIT_PERCENT) {
        if (change_pct(&row->value, &row->previous, &row->change_pct) != 0)
            too_large = 1;
        if (change_pct(&row->ytd, &row->ytd_previous, &row->ytd_change_pct) != 0)
            too_large = 1;
    }

    const Target *t = NULL;
    int fy = period_fy(period.first, fy_start);
    for (int i = 0; i < ntargets && !t; i++)
        if (targets[i].fy == fy)
            t = &targets[i];
    if (t) {
        row->target.has = 1;
        row->target.q = fq_micro(t->target_micro);
        row->target_to_date = row->target;
        if (def->aggregate == AGG_SUM)
            row->target_to_date.q =
                fq_div(fq_mul(row->target.q, fq_int(period_months_elapsed(period, fy_start))),
                       fq_int(MONTHS_PER_YEAR));
        if (row->ytd.has)
            row->rag = figures_rag(def->polarity, row->ytd.q, row->target_to_date.q,
                                   fq_micro(t->tolerance_micro));
    }

    note_missing(&row->note, missing, nmissing, fy_start);
    if (den_zero)
        figures_note_add(&row->note, "denominator is zero");
    if (too_large)
        figures_note_add(&row->note, "change too large to compute exactly");
    free(missing);
}

void compare_row_release(CompareRow *row)
{
    for (int i = 0; i < FIG_NSPANS; i++)
        buf_release(&row->gap[i]);
    buf_release(&row->note);
    buf_release(&row->spc_note);
}

void compare_row_notes(const CompareRow *row, Buf *out)
{
    buf_puts(out, buf_cstr(&row->note));
    if (row->note.len && row->spc_note.len)
        buf_puts(out, "; ");
    buf_puts(out, buf_cstr(&row->spc_note));
}

/* The amber band is |target_to_date| * tol / 100 on the worse side of the
 * target, so a negative target (a budget deficit) gets a band of sensible sign.
 * On the target is green; exactly on the band's edge is amber. */
Rag figures_rag(Polarity pol, Fq actual, Fq target_to_date, Fq tol)
{
    Fq band = fq_div(fq_mul(fq_abs(target_to_date), tol), fq_int(PERCENT));
    switch (pol) {
    case POLARITY_NONE:
        return RAG_NONE;
    case POLARITY_LOWER:
        if (fq_cmp(actual, target_to_date) <= 0)
            return RAG_GREEN;
        return fq_cmp(actual, fq_add(target_to_date, band)) <= 0 ? RAG_AMBER : RAG_RED;
    case POLARITY_HIGHER:
        if (fq_cmp(actual, target_to_date) >= 0)
            return RAG_GREEN;
        return fq_cmp(actual, fq_sub(target_to_date, band)) >= 0 ? RAG_AMBER : RAG_RED;
    }
    PANIC("bad polarity %d", (int)pol);
}

Direction figures_direction(Polarity pol, Fq value, Fq previous)
{
    int c = fq_cmp(value, previous);
    switch (pol) {
    case POLARITY_NONE:
        return DIR_NONE;
    case POLARITY_LOWER:
        return c == 0 ? DIR_SAME : c < 0 ? DIR_IMPROVING : DIR_WORSENING;
    case POLARITY_HIGHER:
        return c == 0 ? DIR_SAME : c > 0 ? DIR_IMPROVING : DIR_WORSENING;
    }
    PANIC("bad polarity %d", (int)pol);
}

int figures_code_valid(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
            return 0;
    }
    return 1;
}

int figures_formula_parts(const char *formula, char ***parts, char **storage, Err *err)
{
    char *buf = xstrdup(formula);
    int cap = 8, n = 0;
    char **v = xcalloc((size_t)cap, sizeof *v);
    char *p = buf;
    for (;;) {
        while (*p == ' ')
            p++;
        char *start = p;
        while (*p && *p != '+' && *p != ' ')
            p++;
        char *end = p;
        while (*p == ' ')
            p++;
        if (*p && *p != '+')
            goto bad;
        int last = *p == '\0';
        *end = '\0';
        if (!figures_code_valid(start))
            goto bad;
        if (n == cap) {
            cap *= 2;
            v = xrealloc(v, (size_t)cap * sizeof *v);
        }
        v[n++] = start;
        if (last)
            break;
        p++;
    }
    *parts = v;
    *storage = buf;
    return n;
bad:
    free(v);
    free(buf);
    *parts = NULL;
    *storage = NULL;
    return err_set(err, "formula '%s' is not a sum of indicator codes (e.g. a.b + c-d)", formula);
}
