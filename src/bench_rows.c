/* bench_rows.c — `kpi benchmark`'s rows as text (see bench_rows.h). */
#include "bench_rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "store_bench.h"

#define BENCH_DEFAULT_PER 1000 /* residents a rate is per when neither --per nor the indicator says */
#define BENCH_DECIMALS 2       /* rates, limits and the group rate print with two decimals */

const char *const bench_columns[REPORT_BENCH_NCOLS] = {
    [REPORT_BENCH_AREA] = "area", [REPORT_BENCH_CODE] = "code", [REPORT_BENCH_VALUE] = "value",
    [REPORT_BENCH_POPULATION] = "population", [REPORT_BENCH_RATE] = "rate", [REPORT_BENCH_RATE_LOWER] = "rate_lower",
    [REPORT_BENCH_RATE_UPPER] = "rate_upper", [REPORT_BENCH_RANK] = "rank", [REPORT_BENCH_GROUP_RATE] = "group_rate",
    [REPORT_BENCH_VERDICT] = "verdict", [REPORT_BENCH_NOTE] = "note"};

int bench_is_number(int c)
{
    return c >= REPORT_BENCH_VALUE && c <= REPORT_BENCH_GROUP_RATE;
}

/* A double with two decimals, rounded half away from zero. */
static void bench_format_double(Buf *b, double x)
{
    double r = round(x * 100.0) / 100.0;
    if (r == 0.0)
        r = 0.0; /* no "-0.00" */
    buf_printf(b, "%.2f", r);
}

/* Sum the numerators (which = 0) or denominators (which = 1) of a ratio
 * series over the period, tiled as the figures tile values. 1 when covered. */
static int bench_ratio_part(const Series *se, Period p, int which, Fq *out)
{
    static const IndicatorDef sum_def = {UNIT_NUMBER, POLARITY_NONE, AGG_SUM, 6};
    Value *v = xcalloc((size_t)se->n + 1, sizeof *v);
    for (int k = 0; k < se->n; k++) {
        v[k] = se->v[k];
        if (se->v[k].has_ratio)
            v[k].micro = which ? se->v[k].den_micro : se->v[k].num_micro;
        else /* a percentage stored alone counts as x of 100 (figures.h) */
            v[k].micro = which ? 100 * FQ_SCALE : se->v[k].micro;
        v[k].has_ratio = 0;
    }
    int ok = figures_aggregate(&sum_def, v, se->n, p.first, period_months(p), out, NULL, NULL);
    free(v);
    return ok;
}

/* "unknown group 'G' (the groups are ...)". Returns -1. */
static int bench_unknown_group(Store *s, const char *group, Err *err)
{
    char **gn = NULL;
    int ng = 0;
    Buf list = BUF_INIT;
    if (store_group_names(s, &gn, &ng, err) < 0)
        return -1;
    for (int k = 0; k < ng; k++) {
        buf_printf(&list, "%s'%s'", k ? ", " : "", gn[k]);
        free(gn[k]);
    }
    free(gn);
    err_set(err,
            "unknown group '%s' (%s%s; make one with `kpi import groups`, or `kpi import police` makes one per force)",
            group, ng ? "the groups are " : "there are no groups yet", buf_cstr(&list));
    buf_release(&list);
    return -1;
}

int bench_rows(Store *s, Dataset *d, const char *code, const char *group, int64_t per, ReportBench *out, Err *err)
{
    int rc = -1, ngroup = 0, have_own = 0;
    Dataset own;
    int64_t *ids = NULL, *pops = NULL;
    char **names = NULL, **codes = NULL;
    BenchArea *in = NULL;
    BenchResult *res = NULL;
    CompareRow *rows = NULL;
    int *pop_years = NULL;
    Buf ptext = BUF_INIT, cell = BUF_INIT;

    memset(out, 0, sizeof *out);
    period_format(&ptext, d->period, d->fy_start);
    int got = store_group_areas(s, group, &ids, &names, &codes, &ngroup, err);
    if (got < 0)
        goto out;
    if (got == 0) {
        bench_unknown_group(s, group, err);
        goto out;
    }
    /* A dataset loaded for some areas only (dataset_load_areas) may lack some of
     * the group's: then the group's own areas are loaded, and only those. */
    for (int k = 0; k < ngroup && !have_own && d->scoped; k++) {
        int a = dataset_area_index(d, names[k]);
        if (a < 0 || !dataset_area_loaded(d, a)) {
            if (dataset_load_areas(s, d->period, (const char *const *)names, ngroup, &own, err) < 0)
                goto out;
            have_own = 1;
            d = &own;
        }
    }
    int i = dataset_indicator_index(d, code);
    if (i < 0) {
        err_set(err, "unknown indicator '%s' (see `kpi compare` for the codes)", code);
        goto out;
    }
    const Indicator *ind = &d->inds[i];
    BenchKind kind;
    if (ind->def.aggregate == AGG_RATIO)
        kind = BENCH_RATIO;
    else if (ind->def.aggregate == AGG_SUM && ind->def.unit == UNIT_COUNT)
        kind = BENCH_COUNT;
    else {
        err_set(err, "indicator '%s' is a %s with aggregate %s: a benchmark needs a count (aggregate sum) or a ratio",
                code, unit_name(ind->def.unit), aggregate_name(ind->def.aggregate));
        goto out;
    }
    if (!per && store_indicator_per(s, ind->id, &per, err) < 0)
        goto out;
    if (!per)
        per = BENCH_DEFAULT_PER;

    in = xcalloc((size_t)ngroup + 1, sizeof *in);
    res = xcalloc((size_t)ngroup + 1, sizeof *res);
    rows = xcalloc((size_t)ngroup + 1, sizeof *rows);
    pops = xcalloc((size_t)ngroup + 1, sizeof *pops);
    pop_years = xcalloc((size_t)ngroup + 1, sizeof *pop_years);
    int year = d->period.first / 12, nvalues = 0; /* the calendar year the period starts in */
    for (int k = 0; k < ngroup; k++) {
        int a = dataset_area_index(d, names[k]);
        if (a >= 0) {
            dataset_compare(d, i, a, &rows[k]);
            if (rows[k].value.has) {
                in[k].has_value = 1;
                nvalues++;
                if (kind == BENCH_COUNT)
                    in[k].count = rows[k].value.q;
                else if (!bench_ratio_part(dataset_series(d, i, a), d->period, 0, &in[k].count) ||
                         !bench_ratio_part(dataset_series(d, i, a), d->period, 1, &in[k].den))
                    in[k].has_value = 0;
            }
        }
        int pg = store_population_for(s, ids[k], year, &pops[k], &pop_years[k], err);
        if (pg < 0)
            goto out;
        in[k].has_population = pg;
        in[k].population = pops[k];
    }
    if (nvalues == 0) {
        err_set(err, "indicator '%s' has no value for %s in any area of group '%s' (is the period imported?)", code,
                buf_cstr(&ptext), group);
        goto out;
    }
    BenchGroup g;
    if (benchmark_compute(kind, ind->def.polarity, per, in, ngroup, res, &g) < 0) {
        err_set(err, "indicator '%s': the group's sums are too large to compute exactly", code);
        goto out;
    }
    out->nrows = ngroup;
    out->cells = xcalloc((size_t)ngroup * REPORT_BENCH_NCOLS + 1, sizeof *out->cells);
    out->title = xstrdup(ind->title);
    out->per = kind == BENCH_COUNT ? (long long)per : 0;
    for (int k = 0; k < ngroup; k++) {
        char **c = out->cells + (size_t)k * REPORT_BENCH_NCOLS;
        Buf note = BUF_INIT;
#define BENCH_SET(col) (c[col] = xstrdup(buf_cstr(&cell)), buf_reset(&cell))
        buf_puts(&cell, names[k]);
        BENCH_SET(REPORT_BENCH_AREA);
        buf_puts(&cell, codes[k] ? codes[k] : "");
        BENCH_SET(REPORT_BENCH_CODE);
        if (in[k].has_value)
            fq_format(&cell, rows[k].value.q, ind->def.decimals);
        BENCH_SET(REPORT_BENCH_VALUE);
        if (in[k].has_population)
            buf_printf(&cell, "%lld", (long long)pops[k]);
        BENCH_SET(REPORT_BENCH_POPULATION);
        if (res[k].has_rate)
            fq_format(&cell, res[k].rate, BENCH_DECIMALS);
        BENCH_SET(REPORT_BENCH_RATE);
        if (res[k].has_rate && res[k].has_interval)
            bench_format_double(&cell, res[k].lower);
        BENCH_SET(REPORT_BENCH_RATE_LOWER);
        if (res[k].has_rate && res[k].has_interval)
            bench_format_double(&cell, res[k].upper);
        BENCH_SET(REPORT_BENCH_RATE_UPPER);
        if (res[k].has_rate)
            buf_printf(&cell, "%d", res[k].rank);
        BENCH_SET(REPORT_BENCH_RANK);
        if (g.has_rate)
            fq_format(&cell, g.rate, BENCH_DECIMALS);
        BENCH_SET(REPORT_BENCH_GROUP_RATE);
        buf_puts(&cell, bench_verdict_name(res[k].verdict));
        BENCH_SET(REPORT_BENCH_VERDICT);
        /* note: why there is no rate (the compare note names missing months), or the population year used */
        if (!res[k].has_rate) {
            if (!in[k].has_value && rows[k].note.len)
                figures_note_add(&note, buf_cstr(&rows[k].note));
            else if (kind == BENCH_COUNT && !in[k].has_population && in[k].has_value) {
                buf_printf(&cell, "no population for %d or any earlier year (`kpi import population`)", year);
                figures_note_add(&note, buf_cstr(&cell));
                buf_reset(&cell);
            } else
                figures_note_add(&note, res[k].why);
        } else if (kind == BENCH_COUNT && pop_years[k] != year) {
            buf_printf(&cell, "population of %d (none for %d)", pop_years[k], year);
            figures_note_add(&note, buf_cstr(&cell));
            buf_reset(&cell);
        }
        c[REPORT_BENCH_NOTE] = xstrdup(buf_cstr(&note));
        buf_release(&note);
#undef BENCH_SET
    }
    rc = 0;
out:
    if (rows) {
        for (int k = 0; k < ngroup; k++)
            compare_row_release(&rows[k]);
    }
    free(rows);
    free(in);
    free(res);
    free(pops);
    free(pop_years);
    store_group_free(ids, names, codes, ngroup);
    if (have_own)
        dataset_release(&own);
    buf_release(&ptext);
    buf_release(&cell);
    return rc;
}
