/* cmd_benchmark.c — `kpi benchmark --indicator CODE --period P --group G
 * [--per N] [--format csv|json|table]`: one row per area of the group, in the
 * group's order, with its rate per N residents, the rate's 95% interval, its
 * rank, the group's rate and a verdict (benchmark.h has the rules,
 * bench_rows.h makes the rows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_rows.h"
#include "cli.h"
#include "csv.h"
#include "json.h"
#include "table.h"

int cmd_benchmark(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Dataset d;
    Period p;
    ReportBench rb;
    Buf out = BUF_INIT, cells[REPORT_BENCH_NCOLS];
    int rc = -1, opened = 0, loaded = 0, fmt = 0;
    int64_t per = 0;
    Table t;
    const char *why;

    memset(cells, 0, sizeof cells);
    memset(&rb, 0, sizeof rb);
    if (cli_parse(ctx, &o, err) < 0)
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
    if (dataset_load_areas(&s, p, NULL, 0, &d, err) < 0) /* bench_rows loads the group's areas */
        goto out;
    loaded = 1;
    if (bench_rows(&s, &d, code, group, per, &rb, err) < 0)
        goto out;
    if (fmt == 0) {
        for (int c = 0; c < REPORT_BENCH_NCOLS; c++) {
            if (c)
                buf_putc(&out, ',');
            csv_write_field(&out, bench_columns[c]);
        }
        buf_putc(&out, '\n');
    } else if (fmt == 1) {
        buf_putc(&out, '[');
    } else {
        table_init(&t, REPORT_BENCH_NCOLS);
        table_add_row(&t, bench_columns);
    }
    for (int k = 0; k < rb.nrows; k++) {
        char **row = rb.cells + (size_t)k * REPORT_BENCH_NCOLS;
        if (fmt == 0) {
            for (int c = 0; c < REPORT_BENCH_NCOLS; c++) {
                if (c)
                    buf_putc(&out, ',');
                csv_write_field(&out, row[c]);
            }
            buf_putc(&out, '\n');
        } else if (fmt == 1) {
            for (int c = 0; c < REPORT_BENCH_NCOLS; c++) {
                buf_reset(&cells[c]);
                buf_puts(&cells[c], row[c]);
            }
            buf_puts(&out, k ? ",\n " : "\n ");
            json_row(&out, bench_columns, cells, REPORT_BENCH_NCOLS, bench_is_number);
        } else {
            table_add_row(&t, (const char *const *)row);
        }
    }
    if (fmt == 1)
        buf_puts(&out, rb.nrows ? "\n]\n" : "]\n");
    else if (fmt == 2) {
        table_render(&t, &out);
        table_release(&t);
    }
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    rc = 0;
out:
    report_bench_release(&rb);
    if (loaded)
        dataset_release(&d);
    if (opened)
        store_close(&s);
    for (int c = 0; c < REPORT_BENCH_NCOLS; c++)
        buf_release(&cells[c]);
    buf_release(&out);
    cli_opts_release(&o);
    return rc;
}
