/* cmd_benchmark.c — `kpi benchmark --indicator CODE --period P --group G
 * [--per N] [--format csv|json|table]`: one row per area of the group, in the
 * group's order, with its rate per N residents, the rate's 95% interval, its
 * rank, the group's rate and a verdict (benchmark.h has the rules). The
 * counts are the compare values of the period (dataset.h); the populations
 * and the group come from the store (store_bench.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "cli.h"
#include "csv.h"
#include "dataset.h"
#include "json.h"
#include "store_bench.h"
#include "table.h"

#define BENCH_NCOLS 11
#define BENCH_DEFAULT_PER 1000 /* residents a rate is per when neither --per nor the indicator says */
#define BENCH_DECIMALS 2       /* rates, limits and the group rate print with two decimals */

static const char *const bench_cols[BENCH_NCOLS] = {"area",       "code", "value",     "population",
                                                    "rate",       "rate_lower", "rate_upper", "rank",
                                                    "group_rate", "verdict",    "note"};

static int bench_is_number(int c)
{
    return c >= 2 && c <= 8;
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

int cmd_benchmark(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Dataset d;
    Period p;
    Buf ptext = BUF_INIT, out = BUF_INIT, cells[BENCH_NCOLS];
    int rc = -1, opened = 0, loaded = 0, ngroup = 0, fmt = 0;
    int64_t *ids = NULL, per = 0;
    char **names = NULL, **codes = NULL;
    BenchArea *in = NULL;
    BenchResult *res = NULL;
    CompareRow *rows = NULL;
    int64_t *pops = NULL;
    int *pop_years = NULL;
    Table t;
    const char *why;

    memset(cells, 0, sizeof cells);
    if (cli_parse(ctx, "indicator period group format per", "", &o, err) < 0)
        return -1;
    const char *code = cli_opt(&o, "indicator"), *ptxt = cli_opt(&o, "period"), *group = cli_opt(&o, "group");
    const char *f = cli_opt(&o, "format"), *pert = cli_opt(&o, "per");
    if (o.npos) {
        cli_usage_error(err, "unexpected argument '%s'", o.pos[0]);
        goto out;
    }
    if (!code || !ptxt || !group) {
        cli_usage_error(err, "--indicator, --period and --group are required");
        goto out;
    }
    if (!f || strcmp(f, "csv") == 0)
        fmt = 0;
    else if (strcmp(f, "json") == 0)
        fmt = 1;
    else if (strcmp(f, "table") == 0)
        fmt = 2;
    else {
        cli_usage_error(err, "unknown format '%s' (expected csv, json or table)", f);
        goto out;
    }
    if (pert) {
        char *end;
        long long x = strtoll(pert, &end, 10);
        if (pert[0] < '0' || pert[0] > '9' || *end || x <= 0 || x > 1000000000) {
            cli_usage_error(err, "--per '%s': expected a whole number of residents more than 0 (e.g. 1000)", pert);
            goto out;
        }
        per = x;
    }
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (store_begin_read(&s, err) < 0)
        goto out;
    if (period_parse(ptxt, s.fy_start, &p, &why) < 0) {
        err_set(err, "bad period '%s': %s", ptxt, why);
        goto out;
    }
    period_format(&ptext, p, s.fy_start);
    int got = store_group_areas(&s, group, &ids, &names, &codes, &ngroup, err);
    if (got < 0)
        goto out;
    if (got == 0) {
        char **gn = NULL;
        int ng = 0;
        Buf list = BUF_INIT;
        if (store_group_names(&s, &gn, &ng, err) < 0)
            goto out;
        for (int k = 0; k < ng; k++) {
            buf_printf(&list, "%s'%s'", k ? ", " : "", gn[k]);
            free(gn[k]);
        }
        free(gn);
        err_set(err, "unknown group '%s' (%s%s; make one with `kpi import groups`, or `kpi import police` makes one per force)",
                group, ng ? "the groups are " : "there are no groups yet", buf_cstr(&list));
        buf_free(&list);
        goto out;
    }
    if (dataset_load(&s, p, &d, err) < 0)
        goto out;
    loaded = 1;
    int i = dataset_indicator_index(&d, code);
    if (i < 0) {
        err_set(err, "unknown indicator '%s' (see `kpi compare` for the codes)", code);
        goto out;
    }
    const Indicator *ind = &d.inds[i];
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
    if (!per && store_indicator_per(&s, ind->id, &per, err) < 0)
        goto out;
    if (!per)
        per = BENCH_DEFAULT_PER;

    in = xcalloc((size_t)ngroup + 1, sizeof *in);
    res = xcalloc((size_t)ngroup + 1, sizeof *res);
    rows = xcalloc((size_t)ngroup + 1, sizeof *rows);
    pops = xcalloc((size_t)ngroup + 1, sizeof *pops);
    pop_years = xcalloc((size_t)ngroup + 1, sizeof *pop_years);
    int year = p.first / 12, nvalues = 0;
    for (int k = 0; k < ngroup; k++) {
        int a = dataset_area_index(&d, names[k]);
        if (a >= 0) {
            dataset_compare(&d, i, a, &rows[k]);
            if (rows[k].value.has) {
                in[k].has_value = 1;
                nvalues++;
                if (kind == BENCH_COUNT)
                    in[k].count = rows[k].value.q;
                else if (!bench_ratio_part(dataset_series(&d, i, a), p, 0, &in[k].count) ||
                         !bench_ratio_part(dataset_series(&d, i, a), p, 1, &in[k].den))
                    in[k].has_value = 0;
            }
        }
        int pg = store_population_for(&s, ids[k], year, &pops[k], &pop_years[k], err);
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
    if (fmt == 0) {
        for (int c = 0; c < BENCH_NCOLS; c++) {
            if (c)
                buf_putc(&out, ',');
            csv_write_field(&out, bench_cols[c]);
        }
        buf_putc(&out, '\n');
    } else if (fmt == 1) {
        buf_putc(&out, '[');
    } else {
        table_init(&t, BENCH_NCOLS);
        table_add_row(&t, bench_cols);
    }
    for (int k = 0; k < ngroup; k++) {
        for (int c = 0; c < BENCH_NCOLS; c++)
            buf_reset(&cells[c]);
        buf_puts(&cells[0], names[k]);
        buf_puts(&cells[1], codes[k] ? codes[k] : "");
        if (in[k].has_value)
            fq_format(&cells[2], rows[k].value.q, ind->def.decimals);
        if (in[k].has_population)
            buf_printf(&cells[3], "%lld", (long long)pops[k]);
        if (res[k].has_rate) {
            fq_format(&cells[4], res[k].rate, BENCH_DECIMALS);
            if (res[k].has_interval) {
                bench_format_double(&cells[5], res[k].lower);
                bench_format_double(&cells[6], res[k].upper);
            }
            buf_printf(&cells[7], "%d", res[k].rank);
        }
        if (g.has_rate)
            fq_format(&cells[8], g.rate, BENCH_DECIMALS);
        buf_puts(&cells[9], bench_verdict_name(res[k].verdict));
        /* note: why there is no rate (the compare note names missing months), or the population year used */
        Buf *note = &cells[10];
        if (!res[k].has_rate) {
            if (!in[k].has_value && rows[k].note.len)
                figures_note_add(note, buf_cstr(&rows[k].note));
            else if (kind == BENCH_COUNT && !in[k].has_population && in[k].has_value) {
                Buf w = BUF_INIT;
                buf_printf(&w, "no population for %d or any earlier year (`kpi import population`)", year);
                figures_note_add(note, buf_cstr(&w));
                buf_free(&w);
            } else
                figures_note_add(note, res[k].why);
        } else {
            if (kind == BENCH_COUNT && pop_years[k] != year) {
                Buf w = BUF_INIT;
                buf_printf(&w, "population of %d (none for %d)", pop_years[k], year);
                figures_note_add(note, buf_cstr(&w));
                buf_free(&w);
            }
        }
        if (fmt == 0) {
            for (int c = 0; c < BENCH_NCOLS; c++) {
                if (c)
                    buf_putc(&out, ',');
                csv_write_field(&out, buf_cstr(&cells[c]));
            }
            buf_putc(&out, '\n');
        } else if (fmt == 1) {
            buf_puts(&out, k ? ",\n " : "\n ");
            json_row(&out, bench_cols, cells, BENCH_NCOLS, bench_is_number);
        } else {
            const char *v[BENCH_NCOLS];
            for (int c = 0; c < BENCH_NCOLS; c++)
                v[c] = buf_cstr(&cells[c]);
            table_add_row(&t, v);
        }
    }
    if (fmt == 1)
        buf_puts(&out, ngroup ? "\n]\n" : "]\n");
    else if (fmt == 2) {
        table_render(&t, &out);
        table_free(&t);
    }
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    rc = 0;
out:
    if (rows) {
        for (int k = 0; k < ngroup; k++)
            compare_row_free(&rows[k]);
    }
    free(rows);
    free(in);
    free(res);
    free(pops);
    free(pop_years);
    store_group_free(ids, names, codes, ngroup);
    if (loaded)
        dataset_free(&d);
    if (opened)
        store_close(&s);
    for (int c = 0; c < BENCH_NCOLS; c++)
        buf_free(&cells[c]);
    buf_free(&ptext);
    buf_free(&out);
    cli_opts_free(&o);
    return rc;
}
