/* web_benchmark.c — GET /benchmark (docs/benchmark.md): indicator, period and group
 * pickers; the table and chart of `kpi benchmark` for them, built by the
 * same {{benchmark ... chart=yes}} directive the papers use; downloads as
 * CSV (the CLI's rows) and in every format the report renders (xlsx, pdf,
 * docx, ...). The report's area (?area=, default the home area) is marked. */
#include "web.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_rows.h"
#include "csv.h"
#include "render.h"
#include "store_bench.h"
#include "template.h"

typedef struct WebBench {
    Store *s;
    Dataset *d;
} WebBench;

static int web_bench_rows(void *arg, const char *code, const char *group, ReportBench *out, Err *err)
{
    WebBench *wb = arg;
    return bench_rows(wb->s, wb->d, code, group, 0, out, err);
}

/* The file name of a download: letters, digits and '-' only. */
static void web_bench_filename(Buf *disp, const char *code, const char *ptext, const char *ext)
{
    const char *parts[2] = {code, ptext};
    buf_puts(disp, "attachment; filename=\"benchmark-");
    for (int i = 0; i < 2; i++) {
        for (const char *c = parts[i]; *c; c++)
            buf_putc(disp, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ? *c : '-');
        buf_putc(disp, i ? '.' : '-');
    }
    buf_printf(disp, "%s\"", ext);
}

int web_benchmark_page(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, tpl = BUF_INIT, disp = BUF_INIT;
    Dataset d;
    Err err = ERR_INIT;
    Doc *doc = NULL;
    ReportBench rb;
    char **groups = NULL;
    int ngroups = 0, loaded = 0;
    const char *code = web_query(r, "indicator"), *group = web_query(r, "group"), *format = web_query(r, "format");

    memset(&rb, 0, sizeof rb);
    if (web_pages_scope(r, &p, &ptext, &area) < 0)
        goto out;
    /* no area's values: bench_rows loads the group's */
    if (dataset_load_areas(r->store, p, NULL, 0, &d, &err) < 0 || store_group_names(r->store, &groups, &ngroups, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The figures cannot be computed.");
        goto out;
    }
    loaded = 1;
    if (code && group) {
        /* the directive's text: a code is letters, digits and . - _; a group name may not close the quotes */
        if (!figures_code_valid(code) || strpbrk(group, "\"{}\n\r")) {
            web_error(r, MHD_HTTP_BAD_REQUEST, "That indicator or group name cannot be shown here.");
            goto out;
        }
        WebBench wb = {r->store, &d};
        ReportCtx ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.period = p;
        ctx.fy_start = r->store->fy_start;
        ctx.area = buf_cstr(&area);
        ctx.benchmark = web_bench_rows;
        ctx.benchmark_arg = &wb;
        buf_printf(&tpl, "{{benchmark %s group=\"%s\" chart=yes}}\n", code, group);
        if (template_build(buf_cstr(&tpl), tpl.len, "benchmark", &ctx, &doc, &err) < 0) {
            /* "benchmark:1: benchmark CODE: unknown group ..." -> the part after the place */
            const char *m = err_msg(&err), *colon = strstr(m, ": ");
            web_error(r, MHD_HTTP_NOT_FOUND, colon ? colon + 2 : m);
            goto out;
        }
        if (format && strcmp(format, "csv") == 0) {
            if (bench_rows(r->store, &d, code, group, 0, &rb, &err) < 0) {
                web_error(r, MHD_HTTP_NOT_FOUND, err_msg(&err));
                goto out;
            }
            buf_reset(&r->out);
            for (int c = 0; c < REPORT_BENCH_NCOLS; c++) {
                if (c)
                    buf_putc(&r->out, ',');
                csv_write_field(&r->out, bench_columns[c]);
            }
            buf_putc(&r->out, '\n');
            for (int k = 0; k < rb.nrows; k++) {
                for (int c = 0; c < REPORT_BENCH_NCOLS; c++) {
                    if (c)
                        buf_putc(&r->out, ',');
                    csv_write_field(&r->out, rb.cells[(size_t)k * REPORT_BENCH_NCOLS + c]);
                }
                buf_putc(&r->out, '\n');
            }
            r->ctype = "text/csv; charset=utf-8";
            web_bench_filename(&disp, code, buf_cstr(&ptext), "csv");
            web_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, buf_cstr(&disp));
            goto out;
        }
        if (format) {
            static const char *const offered[] = {"xlsx", "pdf", "docx", "md", "txt"};
            int k = 0, nt = (int)(sizeof offered / sizeof offered[0]);
            while (k < nt && strcmp(offered[k], format) != 0)
                k++;
            if (k == nt || !render_format_known(format)) {
                web_error(r, MHD_HTTP_BAD_REQUEST, "Unknown format: choose csv, xlsx, pdf, docx, md or txt.");
                goto out;
            }
            buf_reset(&r->out);
            if (render_doc(doc, format, &r->out, &err) < 0) {
                web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
                goto out;
            }
            r->ctype = render_format_mime(format);
            web_bench_filename(&disp, code, buf_cstr(&ptext), format);
            web_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, buf_cstr(&disp));
            goto out;
        }
    }
    web_html_begin(r, "Benchmark", "benchmark");
    Buf *b = &r->out;
    web_html(b, "<h1 class=\"govuk-heading-l\">Benchmark</h1>\n<p class=\"govuk-body\">An indicator's rate per "
                "population for each area of a group, with its 95%% interval, against the group's rate.</p>\n"
                "<form class=\"app-filter\" method=\"get\" action=\"/benchmark\">\n"
                "<input type=\"hidden\" name=\"area\" value=\"%s\">\n"
                "<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" for=\"indicator\">"
                "Indicator</label>\n<select class=\"govuk-select\" id=\"indicator\" name=\"indicator\">\n",
             buf_cstr(&area));
    for (int i = 0; i < d.ninds; i++) {
        const IndicatorDef *def = &d.inds[i].def;
        if (!(def->aggregate == AGG_RATIO || (def->aggregate == AGG_SUM && def->unit == UNIT_COUNT)))
            continue;
        web_html(b, "<option value=\"%s\"%s>%s</option>\n", d.inds[i].code,
                 code && strcmp(code, d.inds[i].code) == 0 ? " selected" : "", d.inds[i].title);
    }
    web_html(b, "</select></div>\n<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" "
                "for=\"group\">Group</label>\n<select class=\"govuk-select\" id=\"group\" name=\"group\">\n");
    for (int k = 0; k < ngroups; k++)
        web_html(b, "<option value=\"%s\"%s>%s</option>\n", groups[k],
                 group && strcmp(group, groups[k]) == 0 ? " selected" : "", groups[k]);
    web_html(b, "</select></div>\n");
    web_html_period_select(r, b, p, 1, 1);
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Show</button>\n</form>\n");
    if (!ngroups)
        web_html(b, "<p class=\"govuk-body\">There are no groups yet: `kpi import groups`, or `kpi import police` "
                    "makes one for each force.</p>\n");
    if (doc) {
        web_html(b, "<div class=\"app-preview paper\" role=\"region\" aria-label=\"Preview\" tabindex=\"0\">\n");
        render_html_blocks(&doc->body, b);
        web_html(b, "</div>\n<h2 class=\"govuk-heading-m\">Download</h2>\n<ul class=\"govuk-list\">\n");
        static const char *const fmts[] = {"csv", "xlsx", "pdf", "docx"};
        for (int k = 0; k < 4; k++)
            web_html(b, "<li><a class=\"govuk-link\" download href=\"/benchmark?indicator=%u&amp;group=%u&amp;"
                        "period=%u&amp;area=%u&amp;format=%u\">Download as %s</a></li>\n",
                     code, group, buf_cstr(&ptext), buf_cstr(&area), fmts[k], fmts[k]);
        web_html(b, "</ul>\n");
    }
    web_html_end(r);
out:
    if (doc)
        doc_free(doc);
    report_bench_release(&rb);
    if (loaded)
        dataset_release(&d);
    for (int k = 0; k < ngroups; k++)
        free(groups[k]);
    free(groups);
    err_release(&err);
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&tpl);
    buf_release(&disp);
    return 0;
}
