/* narrative.c — the sentences a committee paper says about its figures, worded
 * from a CompareRow the way the seed paper words them ("Although overall crime in
 * quarter two has increased by 3.0% ..."). Pure: text out of figures, nothing
 * else. Percentages are printed with one decimal, as magnitudes; the words say
 * which way they go. A change that rounds to 0.0% is worded as no change, so a
 * sentence never says "increased by 0.0%". */
#include "narrative.h"

#include <string.h>

#include "present.h"
#include "spc.h"

#define PCT_DECIMALS 1   /* places of a percentage in a sentence */

/* Sign of x as printed to `decimals` places: 0 when it rounds to zero. */
static int shown_sign(Fq x, int decimals)
{
    return fq_sign(fq_round(x, decimals));
}

static void put_pct(Buf *b, Fq pct)
{
    fq_format(b, fq_abs(pct), PCT_DECIMALS);
    buf_putc(b, '%');
}

/* Upper-case the first letter appended since `start` (ASCII subjects; a subject
 * starting with a multi-byte letter is left alone). */
static void capitalise_from(Buf *b, size_t start)
{
    if (b->len > start && b->data[start] >= 'a' && b->data[start] <= 'z')
        b->data[start] = (char)(b->data[start] - 'a' + 'A');
}

/* "has increased by 3.0%" / "has reduced by 3.0%" / "has not changed" */
static void put_period_change(Buf *b, Fq pct)
{
    int s = shown_sign(pct, PCT_DECIMALS);
    if (s == 0) {
        buf_puts(b, "has not changed");
        return;
    }
    buf_puts(b, s > 0 ? "has increased by " : "has reduced by ");
    put_pct(b, pct);
}

/* "an increase of 4.6%" / "a reduction of 4.6%" / "no change" */
static void put_ytd_change(Buf *b, Fq pct)
{
    int s = shown_sign(pct, PCT_DECIMALS);
    if (s == 0) {
        buf_puts(b, "no change");
        return;
    }
    buf_puts(b, s > 0 ? "an increase of " : "a reduction of ");
    put_pct(b, pct);
}

/* Why a figure and the one a year earlier give no % change, in words:
 * "no figure yet for October to December 2011 and none for October to
 * December 2010", "no figure for October to December 2010", "nothing a year
 * earlier to give a percentage of", or for a percentage "a change of 2.1
 * percentage points". */
static void put_no_pct_reason(Buf *b, const Fig *cur, const Fig *prev, const Buf *gap_cur,
                              const Buf *gap_prev)
{
    Fq d;
    if (!cur->has && gap_cur->len) {
        buf_printf(b, "no figure yet for %s", buf_cstr(gap_cur));
        if (!prev->has && gap_prev->len && strcmp(buf_cstr(gap_prev), buf_cstr(gap_cur)) != 0)
            buf_printf(b, " and none for %s", buf_cstr(gap_prev));
    } else if (!prev->has && gap_prev->len) {
        buf_printf(b, "no figure for %s", buf_cstr(gap_prev));
    } else if (cur->has && prev->has && fq_is_zero(prev->q)) {
        buf_puts(b, "it was zero a year earlier, so there is no percentage change");
    } else if (cur->has && prev->has && fq_sub_ok(cur->q, prev->q, &d) == 0) {
        buf_puts(b, "the figures are percentages: a change of ");
        fq_format(b, fq_abs(d), PCT_DECIMALS);
        buf_puts(b, " percentage points");
    } else {
        buf_puts(b, "the figures cannot be computed");
    }
}

/* Both figures there and equal (zero against zero too): no change. */
static int same_figures(const Fig *cur, const Fig *prev)
{
    return cur->has && prev->has && fq_cmp(cur->q, prev->q) == 0;
}

/* The year to date clause after the period's: ", and the year to date figure
 * shows an increase of 4.6%." or its reason when there is no percentage. */
static void put_ytd_clause(Buf *b, const CompareRow *row, int sp)
{
    const Fig *y = &row->ytd_change_pct;
    if (y->has || same_figures(&row->ytd, &row->ytd_previous)) {
        int sy = y->has ? shown_sign(y->q, PCT_DECIMALS) : 0;
        int contrast = sp != 0 && sy != 0 && sp != sy;
        buf_puts(b, contrast ? ", the year to date figure shows " : ", and the year to date figure shows ");
        if (y->has)
            put_ytd_change(b, y->q);
        else
            buf_puts(b, "no change");
        buf_putc(b, '.');
        return;
    }
    buf_puts(b, "; the year to date figure cannot be compared: ");
    put_no_pct_reason(b, &row->ytd, &row->ytd_previous, &row->gap[FIG_SPAN_YTD], &row->gap[FIG_SPAN_YTD_PREVIOUS]);
    buf_putc(b, '.');
}

void narrative_change(Buf *b, const char *subject, const char *period_words,
                      const CompareRow *row)
{
    size_t start = b->len;
    const Fig *p = &row->change_pct, *y = &row->ytd_change_pct;

    if (p->has || same_figures(&row->value, &row->previous)) {
        int sp = p->has ? shown_sign(p->q, PCT_DECIMALS) : 0;
        int sy = y->has ? shown_sign(y->q, PCT_DECIMALS) : 0;
        if (y->has && sp != 0 && sy != 0 && sp != sy)
            buf_puts(b, "although ");
        buf_printf(b, "%s in %s ", subject, period_words);
        if (p->has)
            put_period_change(b, p->q);
        else
            buf_puts(b, "has not changed");
        buf_puts(b, " compared to this period last year");
        put_ytd_clause(b, row, sp);
    } else if (row->change.has) {
        /* both figures, but no percentage: from zero, or a percentage unit */
        int s = fq_sign(row->change.q);
        buf_printf(b, "%s in %s has %s compared to this period last year (", subject, period_words,
                   s > 0 ? "increased" : "reduced");
        put_no_pct_reason(b, &row->value, &row->previous, &row->gap[FIG_SPAN_VALUE],
                          &row->gap[FIG_SPAN_PREVIOUS]);
        buf_putc(b, ')');
        put_ytd_clause(b, row, s);
    } else {
        Buf why = BUF_INIT, ywhy = BUF_INIT;
        put_no_pct_reason(&why, &row->value, &row->previous, &row->gap[FIG_SPAN_VALUE],
                          &row->gap[FIG_SPAN_PREVIOUS]);
        buf_printf(b, "%s in %s cannot be compared with this period last year: %s.", subject, period_words,
                   buf_cstr(&why));
        if (y->has) {
            buf_puts(b, " The year to date figure shows ");
            put_ytd_change(b, y->q);
            buf_putc(b, '.');
        } else if (same_figures(&row->ytd, &row->ytd_previous)) {
            buf_puts(b, " The year to date figure shows no change.");
        } else {
            put_no_pct_reason(&ywhy, &row->ytd, &row->ytd_previous, &row->gap[FIG_SPAN_YTD],
                              &row->gap[FIG_SPAN_YTD_PREVIOUS]);
            if (strcmp(buf_cstr(&ywhy), buf_cstr(&why)) != 0)
                buf_printf(b, " Nor can the year to date figure: %s.", buf_cstr(&ywhy));
        }
        buf_release(&why);
        buf_release(&ywhy);
    }
    capitalise_from(b, start);
}

/* Compares ytd with target_to_date exactly, so the sentence agrees with the
 * RAG (which is exact too): "on target" means exactly on it. `def` is part of
 * the interface for wording by unit; the current wording needs none of it. */
void narrative_target(Buf *b, const char *subject, const IndicatorDef *def,
                      const CompareRow *row)
{
    size_t start = b->len;
    (void)def;
    if (!row->target.has || !row->target_to_date.has) {
        buf_printf(b, "%s have no target for this year.", subject);
    } else if (!row->ytd.has) {
        if (row->gap[FIG_SPAN_YTD].len)
            buf_printf(b, "%s cannot be compared with the target: no figure yet for %s.", subject,
                       buf_cstr(&row->gap[FIG_SPAN_YTD]));
        else
            buf_printf(b, "%s cannot be compared with the target: the year to date figure cannot be "
                          "computed.", subject);
    } else {
        int c = fq_cmp(row->ytd.q, row->target_to_date.q);
        buf_printf(b, "%s are %s.", subject,
                   c < 0 ? "lower than anticipated" : c > 0 ? "higher than anticipated"
                                                        : "on target");
    }
    capitalise_from(b, start);
}

/* "an" before a number said with a vowel sound: 8, 8.5, 80, 800 ("eight..."),
 * 11 and 18 ("eleven", "eighteen") and 11,000 or 18,000,000 likewise. `num`
 * is the printed magnitude ("75.0"). */
static const char *article_for(const char *num)
{
    size_t int_digits = strcspn(num, ".");
    if (num[0] == '8')
        return "an";
    if (int_digits % 3 == 2 && num[0] == '1' && (num[1] == '1' || num[1] == '8'))
        return "an";
    return "a";
}

/* No trailing full stop, so a template can chain clauses: "There has been a
 * 75.0% reduction in those seriously injured and a 36.4% reduction in ...". */
void narrative_movement(Buf *b, const char *subject, const CompareRow *row)
{
    if (row->change_pct.has && shown_sign(row->change_pct.q, PCT_DECIMALS) != 0) {
        Buf num = BUF_INIT;
        fq_format(&num, fq_abs(row->change_pct.q), PCT_DECIMALS);
        buf_printf(b, "There has been %s %s%% %s in %s", article_for(buf_cstr(&num)),
                   buf_cstr(&num), fq_sign(row->change_pct.q) > 0 ? "increase" : "reduction",
                   subject);
        buf_release(&num);
    } else if (row->change_pct.has || (row->change.has && fq_is_zero(row->change.q))) {
        buf_printf(b, "There has been no change in %s", subject);
    } else if (row->change.has && row->previous.has && fq_is_zero(row->previous.q)) {
        /* From a zero baseline: no percentage to give. */
        buf_printf(b, "There has been %s in %s, from none last year",
                   fq_sign(row->change.q) > 0 ? "an increase" : "a reduction", subject);
    } else if (row->change.has) {
        /* A percentage unit: the change in percentage points. */
        buf_printf(b, "There has been %s of ", fq_sign(row->change.q) > 0 ? "an increase" : "a reduction");
        fq_format(b, fq_abs(row->change.q), PCT_DECIMALS);
        buf_printf(b, " percentage points in %s", subject);
    } else if (!row->value.has && row->gap[FIG_SPAN_VALUE].len) {
        buf_printf(b, "There has been no figure yet for %s for %s", subject, buf_cstr(&row->gap[FIG_SPAN_VALUE]));
    } else if (!row->previous.has && row->gap[FIG_SPAN_PREVIOUS].len) {
        buf_printf(b, "There has been no comparison with last year for %s: no figure for %s", subject,
                   buf_cstr(&row->gap[FIG_SPAN_PREVIOUS]));
    } else {
        buf_printf(b, "There has been no comparison with last year for %s: the figures cannot be computed",
                   subject);
    }
}

/* "sixth", ..., "twelfth", then "13th", "21st", "22nd", "23rd". */
static void put_ordinal(Buf *b, int n)
{
    static const char *const words[] = {"", "first", "second", "third", "fourth", "fifth", "sixth",
                                        "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"};
    if (n >= 1 && n <= 12) {
        buf_puts(b, words[n]);
        return;
    }
    int t = n % 100, u = n % 10;
    buf_printf(b, "%d%s", n, t >= 11 && t <= 13 ? "th" : u == 1 ? "st" : u == 2 ? "nd" : u == 3 ? "rd" : "th");
}

static const char *point_word(PeriodKind k)
{
    return present_frequency_name(k);
}

/* " " between sentences, none before the first of this call. */
static void sentence_gap(Buf *b, size_t start)
{
    if (b->len > start)
        buf_putc(b, ' ');
}

#define NARRATIVE_P_FLOOR 0.0005 /* below this, three decimals would print 0.000 */

/* "p = 0.118", or "p < 0.001" for what would print as 0.000. */
static void put_p(Buf *b, double p)
{
    if (p < NARRATIVE_P_FLOOR)
        buf_puts(b, "p < 0.001");
    else
        buf_printf(b, "p = %.3f", p);
}

#define NARRATIVE_RUN_NOTED 6 /* a run this long inside the limits is worth a sentence (a shift is 7) */

void narrative_significance(Buf *b, const CompareRow *row)
{
    size_t start = b->len;
    const char *pt = point_word(row->spc_frequency);
    int high = row->variation == SPC_VAR_IMPROVEMENT_HIGH || row->variation == SPC_VAR_CONCERN_HIGH ||
               row->variation == SPC_VAR_NEUTRAL_HIGH;
    int run = row->spc_run < 0 ? -row->spc_run : row->spc_run;

    if (row->significance == SIG_INCREASE || row->significance == SIG_DECREASE) {
        buf_printf(b, "This is a statistically significant %s (",
                   row->significance == SIG_INCREASE ? "increase" : "decrease");
        put_p(b, row->p_value);
        buf_puts(b, ").");
    } else if (row->significance == SIG_NONE) {
        buf_puts(b, "This is a change within normal variation (");
        put_p(b, row->p_value);
        buf_puts(b, ").");
    }

    if (row->variation == SPC_VAR_NONE)
        return;
    if (row->variation == SPC_VAR_COMMON) {
        if (row->significance == SIG_NONE_COMPUTED) {
            sentence_gap(b, start);
            buf_printf(b, "The latest %s is within normal variation.", pt);
        }
        if (run >= NARRATIVE_RUN_NOTED) {
            sentence_gap(b, start);
            buf_puts(b, "It is the ");
            put_ordinal(b, run);
            buf_printf(b, " %s in a row %s the average.", pt, row->spc_run > 0 ? "above" : "below");
        }
        return;
    }
    const char *kind = row->variation == SPC_VAR_IMPROVEMENT_HIGH || row->variation == SPC_VAR_IMPROVEMENT_LOW
                           ? "an improvement"
                       : row->variation == SPC_VAR_CONCERN_HIGH || row->variation == SPC_VAR_CONCERN_LOW
                           ? "a concern"
                           : "neither good nor bad in itself";
    sentence_gap(b, start);
    buf_printf(b, "The latest %s shows special cause variation, %s: ", pt, kind);
    switch (row->spc_rule) {
    case SPC_RULE_OUTSIDE:
        buf_printf(b, "it is %s the %s process limit.", high ? "above" : "below", high ? "upper" : "lower");
        break;
    case SPC_RULE_TREND:
        buf_printf(b, "it ends a run of seven or more %ss, each %s than the one before.", pt,
                   high ? "higher" : "lower");
        break;
    case SPC_RULE_TWO_IN_THREE:
        buf_printf(b, "two of the last three %ss are %s the %s near limit.", pt, high ? "above" : "below",
                   high ? "upper" : "lower");
        break;
    default: /* SPC_RULE_SHIFT: the only rule left for a special cause */
        buf_puts(b, "it is the ");
        put_ordinal(b, run);
        buf_printf(b, " %s in a row %s the average.", pt, high ? "above" : "below");
        break;
    }
}
