/* cmd_figures.c — `kpi compare` and `kpi delivery`: the figures as CSV, JSON
 * or an aligned table. The columns: docs/cli.md "kpi compare", "kpi delivery". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "validate.h"
#include "compare.h"
#include "csv.h"
#include "dataset.h"
#include "json.h"
#include "table.h"

typedef enum OutFormat { OUT_CSV, OUT_JSON, OUT_TABLE } OutFormat;

static int out_format_parse(const char *s, OutFormat *f, Err *err)
{
    if (!s || strcmp(s, "csv") == 0)
        *f = OUT_CSV;
    else if (strcmp(s, "json") == 0)
        *f = OUT_JSON;
    else if (strcmp(s, "table") == 0)
        *f = OUT_TABLE;
    else
        return cli_usage_error(err, "unknown format '%s' (expected csv, json or table)", s);
    return 0;
}

/* Parse --period with the database's financial year. */
static int cmd_period(const char *text, int fy_start, Period *p, Err *err)
{
    const char *why;
    if (!text)
        return cli_usage_error(err, "--period is required (e.g. --period \"2011/12 Q2\")");
    if (period_parse(text, fy_start, p, &why) < 0)
        return err_set(err, "bad period '%s': %s", text, why);
    return 0;
}

/* Write rows of cells in the chosen format. header: column names. */
typedef struct Out {
    OutFormat fmt;
    Buf b;
    Table t;
    int rows;
} Out;

static void out_begin(Out *o, OutFormat fmt, const char *const *cols, int ncols)
{
    memset(o, 0, sizeof *o);
    o->fmt = fmt;
    if (fmt == OUT_CSV) {
        for (int c = 0; c < ncols; c++) {
            if (c)
                buf_putc(&o->b, ',');
            csv_write_field(&o->b, cols[c]);
        }
        buf_putc(&o->b, '\n');
    } else if (fmt == OUT_JSON) {
        buf_putc(&o->b, '[');
    } else {
        table_init(&o->t, ncols);
        table_add_row(&o->t, cols);
    }
}

static void out_row(Out *o, const char *const *cols, Buf *cells, int ncols, int (*is_number)(int))
{
    if (o->fmt == OUT_CSV) {
        for (int c = 0; c < ncols; c++) {
            if (c)
                buf_putc(&o->b, ',');
            csv_write_field(&o->b, buf_cstr(&cells[c]));
        }
        buf_putc(&o->b, '\n');
    } else if (o->fmt == OUT_JSON) {
        buf_puts(&o->b, o->rows ? ",\n " : "\n ");
        json_row(&o->b, cols, cells, ncols, is_number);
    } else {
        const char *v[COMPARE_NCOLS];
        for (int c = 0; c < ncols; c++)
            v[c] = buf_cstr(&cells[c]);
        table_add_row(&o->t, v);
    }
    o->rows++;
}

static void out_end(Out *o)
{
    if (o->fmt == OUT_JSON)
        buf_puts(&o->b, o->rows ? "\n]\n" : "]\n");
    else if (o->fmt == OUT_TABLE) {
        table_render(&o->t, &o->b);
        table_release(&o->t);
    }
    fwrite(o->b.data ? o->b.data : "", 1, o->b.len, stdout);
    buf_release(&o->b);
}

/* The start both figure commands share: parse the options (the command's own,
 * from the table in cli.c), open the store in one read snapshot (an import is seen
 * whole or not at all) and parse the period with its financial year. On 0 the
 * caller closes *s and frees *o; on -1 both are already released. */
static int figures_begin(CliCtx *ctx, CliOpts *o, Store *s, Period *p, OutFormat *fmt, Err *err)
{
    if (cli_parse(ctx, o, err) < 0)
        return -1;
    if (o->npos)
        cli_usage_error(err, "unexpected argument '%s'", o->pos[0]);
    else if (out_format_parse(cli_opt(o, "format"), fmt, err) == 0) {
        if (!cli_opt(o, "period"))
            cmd_period(NULL, 0, p, err);
        else if (store_open(ctx->db_url, 0, s, err) == 0) {
            if (store_begin_read(s, err) == 0 && cmd_period(cli_opt(o, "period"), s->fy_start, p, err) == 0)
                return 0;
            store_close(s);
        }
    }
    cli_opts_release(o);
    return -1;
}

int cmd_compare(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Dataset d;
    Period p;
    OutFormat fmt;
    Buf cells[COMPARE_NCOLS], ptext = BUF_INIT;
    int rc = -1, loaded = 0;

    memset(cells, 0, sizeof cells);
    if (figures_begin(ctx, &o, &s, &p, &fmt, err) < 0)
        return -1;
    period_format(&ptext, p, s.fy_start);
    const char *area = cli_opt(&o, "area");
    /* --area: that area's values only */
    if ((area ? dataset_load_areas(&s, p, &area, 1, &d, err) : dataset_load(&s, p, &d, err)) < 0)
        goto out;
    loaded = 1;
    int only = -1;
    if (area && (only = dataset_area_index(&d, area)) < 0) {
        int64_t id;
        if (!d.partial_list)
            validate_unknown_area(err, area, d.areas, d.nareas);
        else if (validate_area(&s, area, &id, err) == 0) /* lists every area */
            err_set(err, "area '%s' cannot be read", area);
        goto out;
    }
    Out out;
    const char *names[COMPARE_NCOLS];
    compare_column_names(names);
    out_begin(&out, fmt, names, COMPARE_NCOLS);
    for (int i = 0; i < d.ninds; i++) {
        for (int a = 0; a < d.nareas; a++) {
            if (only >= 0 ? a != only : !dataset_series(&d, i, a)->present)
                continue;
            CompareRow row;
            dataset_compare(&d, i, a, &row);
            compare_cells(d.inds[i].code, d.inds[i].title, &d.inds[i].def, d.areas[a], buf_cstr(&ptext), &row,
                          cells);
            out_row(&out, names, cells, COMPARE_NCOLS, compare_is_number);
            compare_row_release(&row);
        }
    }
    out_end(&out);
    rc = 0;
out:
    if (loaded)
        dataset_release(&d);
    store_close(&s);
    for (int c = 0; c < COMPARE_NCOLS; c++)
        buf_release(&cells[c]);
    buf_release(&ptext);
    cli_opts_release(&o);
    return rc;
}

static const char *const delivery_columns[] = {"status", "count", "percent"};

static int delivery_is_number(int c)
{
    return c > 0;
}

int cmd_delivery(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Period p;
    OutFormat fmt;
    Delivery dl;
    Buf cells[3];
    int rc = -1;

    memset(cells, 0, sizeof cells);
    if (figures_begin(ctx, &o, &s, &p, &fmt, err) < 0)
        return -1;
    if (dataset_delivery(&s, p, &dl, err) < 0)
        goto out;
    Out out;
    out_begin(&out, fmt, delivery_columns, 3);
    for (int st = 0; st <= STATUS_COUNT; st++) {
        for (int c = 0; c < 3; c++)
            buf_reset(&cells[c]);
        if (st == STATUS_COUNT) {
            buf_puts(&cells[0], "total");
            buf_printf(&cells[1], "%d", dl.total);
            if (dl.reported)
                buf_puts(&cells[2], "100");
        } else {
            buf_puts(&cells[0], status_name((Status)st));
            buf_printf(&cells[1], "%d", dl.count[st]);
            if (st != STATUS_UNREPORTED && dl.reported)
                buf_printf(&cells[2], "%d", dl.percent[st]);
        }
        out_row(&out, delivery_columns, cells, 3, delivery_is_number);
    }
    out_end(&out);
    rc = 0;
out:
    store_close(&s);
    for (int c = 0; c < 3; c++)
        buf_release(&cells[c]);
    cli_opts_release(&o);
    return rc;
}
