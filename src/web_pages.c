/* web_pages.c — the pages that show figures: the dashboard of an area and
 * period, an indicator with its chart, values, notes and history, projects
 * with their status history, the chase list, and the report (preview and
 * download in every format the CLI renders). Figures come from the same
 * functions the CLI calls (dataset.h); every string reaches HTML through
 * web_html's %s. */
#include "web.h"

#include <dirent.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "compare.h"
#include "cycle.h"
#include "embed.h"
#include "present.h"
#include "render.h"
#include "report_spc.h"
#include "store_web.h"
#include "template.h"

#define WEB_SPARK_W 120.0        /* sparkline viewBox width */
#define WEB_SPARK_H 32.0         /* sparkline viewBox height */
#define WEB_SPARK_PAD 3.0        /* room at the edges of a sparkline */
#define WEB_TEMPLATE_SUFFIX "/report.md" /* embedded report templates end so */
#define WEB_TEMPLATE_NAME_MAX 100      /* characters of a template name */
#define WEB_TEMPLATE_MAX (4 * 1024 * 1024) /* bytes of a template */
#define WEB_AREA_PICKER_MAX DATASET_LIST_AREAS /* areas listed in a picker; more: a text field */

/* Formats the report page offers, in its order; type and label come from
 * the renderers' table (render_format_mime, render_format_label). */
static const char *const web_report_formats[] = {"html", "pdf", "docx", "xlsx", "md", "txt"};
#define WEB_NFORMATS ((int)(sizeof web_report_formats / sizeof web_report_formats[0]))

/* ---- scope: the period and area a page is about ---- */

int web_pages_scope(WebReq *r, Period *p, Buf *ptext, Buf *area)
{
    Err err = ERR_INIT;
    const char *q = web_query(r, "period"), *why;
    int rc = -1;
    if (q && period_parse(q, r->store->fy_start, p, &why) < 0) {
        /* the page still shows, for the default period, with the message beside its period picker */
        snprintf(r->period_error, sizeof r->period_error, "There is no period \xe2\x80\x98%.60s\xe2\x80\x99 (%s): choose one "
                 "from the list", q, why);
        r->status = MHD_HTTP_BAD_REQUEST;
        q = NULL;
        if (web_query(r, "format")) { /* a download is never of another period than asked */
            web_error(r, MHD_HTTP_BAD_REQUEST, r->period_error);
            goto out;
        }
    }
    if (!q) {
        int month, found;
        /* the latest published period, else the latest closed round (cycle.h) */
        if (cycle_default_period(r->store, p, &found, &err) < 0)
            goto fail;
        if (found)
            goto chosen;
        if (store_web_latest_month(r->store, &month, &found, &err) < 0)
            goto fail;
        if (!found) { /* no data yet: this quarter */
            char stamp[32];
            store_now(stamp);
            month = atoi(stamp) * 12 + atoi(stamp + 5) - 1;
        }
        int fy_first = period_fy_first(period_fy(month, r->store->fy_start), r->store->fy_start);
        p->kind = PERIOD_QUARTER;
        p->first = fy_first + (month - fy_first) / 3 * 3;
    }
chosen:
    buf_reset(ptext);
    period_format(ptext, *p, r->store->fy_start);
    buf_reset(area);
    buf_puts(area, web_query(r, "area") ? web_query(r, "area") : r->store->home_area);
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be read.");
out:
    err_release(&err);
    return rc;
}

/* Load the dataset for p and find the area; a 404 page when it is unknown. */
static int web_pages_load(WebReq *r, Period p, const char *area, Dataset *d, int *a)
{
    Err err = ERR_INIT;
    if (dataset_load_areas(r->store, p, &area, 1, d, &err) < 0) { /* that area's values only */
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        err_release(&err);
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The figures cannot be computed.");
        return -1;
    }
    *a = dataset_area_index(d, area);
    if (*a < 0) {
        Buf m = BUF_INIT;
        buf_printf(&m, "There is no area '%s'.", area);
        web_error(r, MHD_HTTP_NOT_FOUND, buf_cstr(&m));
        buf_release(&m);
        dataset_release(d);
        return -1;
    }
    return 0;
}

/* The area and period chooser (a GET form), left open for more fields:
 * close it with web_pages_filter_end. */
static void web_pages_filter(const WebReq *r, Buf *b, const char *action, const Dataset *d, const char *area,
                             Period p)
{
    web_html(b, "<form class=\"app-filter\" method=\"get\" action=\"%s\">\n", action);
    if (d && (d->partial_list || d->nareas > WEB_AREA_PICKER_MAX)) {
        /* a nation's districts: a list of thousands would be most of every page; the name is typed */
        web_html(b, "<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" for=\"area\">Area"
                    "</label>\n<input class=\"govuk-input govuk-input--width-20\" id=\"area\" name=\"area\" "
                    "type=\"text\" value=\"%s\" spellcheck=\"false\"></div>\n",
                 area);
    } else if (d) {
        web_html(b, "<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" for=\"area\">Area"
                    "</label>\n<select class=\"govuk-select\" id=\"area\" name=\"area\">\n");
        for (int a = 0; a < d->nareas; a++)
            web_html(b, "<option value=\"%s\"%s>%s</option>\n", d->areas[a],
                     strcmp(d->areas[a], area) == 0 ? " selected" : "", d->areas[a]);
        web_html(b, "</select></div>\n");
    }
    web_html_period_select(r, b, p, 1, 1);
}

static void web_pages_filter_end(Buf *b)
{
    web_html(b, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\">Show</button>\n</form>\n");
}

/* A select of a filter: options as {value, words}, the first "" for all. */
static void web_pages_filter_select(Buf *b, const char *id, const char *label, const char *const (*opts)[2], int n,
                                    const char *cur)
{
    web_html(b, "<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" for=\"%s\">%s</label>\n"
                "<select class=\"govuk-select\" id=\"%s\" name=\"%s\">\n",
             id, label, id, id);
    for (int k = 0; k < n; k++)
        web_html(b, "<option value=\"%s\"%s>%s</option>\n", opts[k][0],
                 strcmp(cur ? cur : "", opts[k][0]) == 0 ? " selected" : "", opts[k][1]);
    web_html(b, "</select></div>\n");
}

/* A figure as printed, or "" when absent. */
static void web_pages_fig(Buf *b, const Fig *f, int decimals)
{
    buf_reset(b);
    if (f->has)
        fq_format(b, f->q, decimals);
}

/* The change column: % change, or percentage points for percent indicators
 * (present.h's formatter: "+3.0%", "-1.2 pp"). */
static void web_pages_change(Buf *b, const ReportIndicator *ri)
{
    buf_reset(b);
    PresentCol c = ri->def.unit == UNIT_PERCENT ? PC_CHANGE : PC_CHANGE_PCT;
    const Fig *f = present_col_fig(c, &ri->row);
    if (!f->has)
        return;
    PresentFmt fmt = present_col_fmt(c, &ri->def, 1);
    fmt.suffix = ri->def.unit == UNIT_PERCENT ? PRESENT_PP : PRESENT_PERCENT;
    present_figure(b, f->q, &fmt);
}

static void web_pages_unit_suffix(Buf *b, const IndicatorDef *def)
{
    if (b->len && def->unit == UNIT_PERCENT)
        buf_putc(b, '%');
}

/* A sparkline of this year's and last year's quarters, with its figures in words. */
static void web_pages_spark(Buf *b, const ReportIndicator *ri, int fy, int fy_start)
{
    double lo = 0, hi = 0;
    int any = 0;
    const Fig *series[2] = {ri->quarter_prev, ri->quarter_cur};
    for (int s = 0; s < 2; s++) {
        for (int q = 0; q < REPORT_FY_QUARTERS; q++) {
            if (!series[s][q].has)
                continue;
            double v = fq_to_double(series[s][q].q);
            lo = any ? (v < lo ? v : lo) : v;
            hi = any ? (v > hi ? v : hi) : v;
            any = 1;
        }
    }
    if (!any) {
        web_html(b, "<span class=\"govuk-body-s\">No figures</span>");
        return;
    }
    Buf words = BUF_INIT, yname = BUF_INIT, t = BUF_INIT;
    for (int s = 1; s >= 0; s--) {
        Period y = {PERIOD_YEAR, period_fy_first(fy - (s == 0), fy_start)};
        buf_reset(&yname);
        period_format(&yname, y, fy_start);
        buf_printf(&words, "%s%s:", s == 1 ? "Quarters of " : "; ", buf_cstr(&yname));
        for (int q = 0; q < REPORT_FY_QUARTERS; q++) {
            web_pages_fig(&t, &series[s][q], ri->def.decimals);
            buf_printf(&words, " Q%d %s%s", q + 1, t.len ? buf_cstr(&t) : "no figure", q < 3 ? "," : "");
        }
    }
    web_html(b, "<svg class=\"app-spark\" viewBox=\"0 0 120 32\" role=\"img\" aria-label=\"%s\">",
             buf_cstr(&words));
    static const char *const cls[2] = {"prev", "cur"};
    for (int s = 0; s < 2; s++) {
        int pen = 0;
        buf_puts(b, "<path class=\"");
        buf_puts(b, cls[s]);
        buf_puts(b, "\" d=\"");
        for (int q = 0; q < REPORT_FY_QUARTERS; q++) {
            if (!series[s][q].has) {
                pen = 0;
                continue;
            }
            double v = fq_to_double(series[s][q].q);
            double x = WEB_SPARK_PAD + q * (WEB_SPARK_W - 2 * WEB_SPARK_PAD) / (REPORT_FY_QUARTERS - 1);
            double y = hi > lo ? WEB_SPARK_H - WEB_SPARK_PAD - (v - lo) / (hi - lo) * (WEB_SPARK_H - 2 * WEB_SPARK_PAD)
                               : WEB_SPARK_H / 2;
            buf_printf(b, "%c%.1f %.1f ", pen ? 'L' : 'M', x, y);
            pen = 1;
            /* a lone point still shows: a short tick */
            if (q + 1 < REPORT_FY_QUARTERS && !series[s][q + 1].has && (q == 0 || !series[s][q - 1].has))
                buf_printf(b, "L%.1f %.1f ", x + 2, y);
        }
        buf_puts(b, "\"/>");
    }
    buf_puts(b, "</svg>");
    buf_release(&words);
    buf_release(&yname);
    buf_release(&t);
}


/* Delivery-plan counts as cards. */
static void web_pages_delivery(Buf *b, const Delivery *dl)
{
    web_html(b, "<ul class=\"app-cards\">\n");
    for (int st = 0; st < STATUS_COUNT; st++) {
        web_html(b, "<li class=\"app-card app-card--%s\"><span class=\"app-card__count\">%d</span>"
                    "<span class=\"app-card__label\">%s",
                 present_mark(present_status_mark((Status)st))->css, dl->count[st],
                 present_mark(present_status_mark((Status)st))->word);
        if (st != STATUS_UNREPORTED && dl->reported)
            web_html(b, " (%d%% of reported)", dl->percent[st]);
        web_html(b, "</span></li>\n");
    }
    web_html(b, "</ul>\n<p class=\"govuk-body\">%d projects in the delivery plan; %d reported.</p>\n", dl->total,
             dl->reported);
}

/* Under an indicator's name on the dashboard (docs/benchmark.md): "17.09 per 1,000 —
 * better than Lancashire Constabulary (26.40)" when the area is in a group
 * (its first, ctx->group) and has a rate (a count indicator with a
 * population, or a ratio); nothing otherwise. */
static void web_pages_benchmark_line(Buf *b, const ReportCtx *ctx, const ReportIndicator *ri)
{
    static const char *const words[][2] = {{"similar", "similar to"}, {"better", "better than"},
                                           {"worse", "worse than"},   {"higher", "higher than"},
                                           {"lower", "lower than"}};
    ReportBench rb;
    Err err = ERR_INIT;
    memset(&rb, 0, sizeof rb);
    if (!ctx->benchmark || !ctx->group ||
        !(ri->def.aggregate == AGG_RATIO || (ri->def.aggregate == AGG_SUM && ri->def.unit == UNIT_COUNT)) ||
        ctx->benchmark(ctx->benchmark_arg, ri->code, ctx->group, &rb, &err) < 0) {
        err_release(&err);
        return;
    }
    for (int k = 0; k < rb.nrows; k++) {
        char **c = rb.cells + (size_t)k * REPORT_BENCH_NCOLS;
        if (strcmp(c[0], ctx->area) != 0 || !c[4][0] || !c[9][0])
            continue;
        const char *w = c[9];
        for (size_t j = 0; j < sizeof words / sizeof words[0]; j++)
            if (strcmp(words[j][0], c[9]) == 0)
                w = words[j][1];
        if (rb.per) {
            char digits[24], per[32];
            int nd = snprintf(digits, sizeof digits, "%lld", rb.per), np = 0;
            for (int i = 0; i < nd; i++) { /* 1,000 */
                if (i > 0 && (nd - i) % 3 == 0)
                    per[np++] = ',';
                per[np++] = digits[i];
            }
            per[np] = '\0';
            web_html(b, "<span class=\"app-sub\">%s per %s \xe2\x80\x94 %s %s (%s)</span>", c[4], per, w, ctx->group,
                     c[8]);
        }
        else
            web_html(b, "<span class=\"app-sub\">%s%% \xe2\x80\x94 %s %s (%s%%)</span>", c[4], w, ctx->group, c[8]);
        break;
    }
    report_bench_release(&rb);
    err_release(&err);
}

/* The body of the dashboard (cached: the same for every visitor). */
/* A Making Data Count icon, drawn here: a circle in the mark's colour with a
 * letter (H, L; P, F, ?) or a level wave for common cause, its meaning as the
 * image's name; then the words, so the icon is never the only cue. */
static void web_pages_spc_icon(Buf *b, DocSpcMark mark, const char *letter, const char *words, const char *shortw)
{
    web_html(b, "<span class=\"app-spc\"><svg class=\"app-spc__icon\" role=\"img\" aria-label=\"%s\" "
                "viewBox=\"0 0 24 24\" width=\"24\" height=\"24\"><title>%s</title><circle cx=\"12\" cy=\"12\" "
                "r=\"11\" fill=\"%s\"/>",
             words, words, chart_spc_colour(mark));
    if (letter && *letter)
        web_html(b, "<text x=\"12\" y=\"16.5\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\" "
                    "font-family=\"Arial, sans-serif\" fill=\"#FFFFFF\">%s</text>",
                 letter);
    else
        web_html(b, "<path d=\"M5 12q3.5 -5 7 0t7 0\" fill=\"none\" stroke=\"#FFFFFF\" stroke-width=\"2.2\"/>");
    web_html(b, "</svg> %s</span>", shortw);
}

static void web_pages_variation(Buf *b, const CompareRow *row)
{
    if (row->variation == SPC_VAR_NONE) {
        web_html(b, "<span class=\"govuk-visually-hidden\">Not judged (fewer than 12 points)</span>\xe2\x80\x93");
        return;
    }
    char letter[2] = {report_spc_dir(row->variation), 0};
    web_pages_spc_icon(b, report_spc_mark(row->variation), letter, spc_variation_words(row->variation),
                       spc_variation_short(row->variation));
}

static void web_pages_assurance(Buf *b, const CompareRow *row)
{
    if (row->assurance == SPC_ASSURE_NONE) {
        web_html(b, "<span class=\"govuk-visually-hidden\">No assurance (needs limits, a target and a polarity)"
                    "</span>\xe2\x80\x93");
        return;
    }
    DocSpcAssurance a = report_spc_assurance(row->assurance);
    web_pages_spc_icon(b, chart_spc_assurance_colour(a), chart_spc_assurance_letter(a),
                       spc_assurance_words(row->assurance), spc_assurance_short(row->assurance));
}

/* A special cause: a variation other than common cause. */
static int web_pages_special(const CompareRow *row)
{
    return row->variation != SPC_VAR_NONE && row->variation != SPC_VAR_COMMON;
}

/* What the dashboard's table shows (?special=1&rag=&partner=&direction=&order=rag). */
typedef struct WebDashOpts {
    int special_only;     /* only special-cause variation */
    const char *rag;      /* "", or a web_dash_rag value */
    const char *partner;  /* "", or a partner's name */
    const char *dir;      /* "", or a web_dash_dir value */
    int bad_first;        /* red first, then amber, then the rest */
} WebDashOpts;

/* Filter values, indexed by Rag and Direction, with their words: present.h's
 * (tests/e2e/words.sh finds any other word on the dashboard). */
static const char *const web_dash_rag[][2] = {
    {"", "Any status"}, {"green", "Green"}, {"amber", "Amber"}, {"red", "Red"}, {"none", "Not rated"}};
static const char *const web_dash_dir[][2] = {
    {"", "Any direction"}, {"improving", "Better"}, {"worsening", "Worse"}, {"same", "No change"},
    {"none", "No comparison"}};
static const char *const web_dash_order[][2] = {{"", "As in the plan"}, {"rag", "Red and amber first"}};

/* The indicators the table shows, in its order: their indexes into idx (ctx->ninds room). Returns how many. */
static int web_pages_dashboard_rows(Dataset *d, const ReportCtx *ctx, const WebDashOpts *o, int *idx)
{
    int a = dataset_area_index(d, ctx->area), n = 0;
    for (int pass = 0; pass < (o->bad_first ? 3 : 1); pass++) {
        for (int i = 0; i < ctx->ninds; i++) {
            const ReportIndicator *ri = &ctx->inds[i];
            Rag rag = ri->row.rag;
            if (!dataset_series(d, i, a)->present || (o->special_only && !web_pages_special(&ri->row)))
                continue;
            if (o->bad_first && (pass == 0 ? rag != RAG_RED : pass == 1 ? rag != RAG_AMBER
                                                                         : rag == RAG_RED || rag == RAG_AMBER))
                continue;
            if (o->rag[0] && strcmp(o->rag, web_dash_rag[rag == RAG_NONE ? 4 : rag][0]) != 0)
                continue;
            Direction dir = ri->row.direction;
            if (o->dir[0] && strcmp(o->dir, web_dash_dir[dir == DIR_NONE ? 4 : dir][0]) != 0)
                continue;
            if (o->partner[0] && (!ri->partner || strcmp(o->partner, ri->partner) != 0))
                continue;
            idx[n++] = i;
        }
    }
    return n;
}

/* The dashboard's address with its filters (URL-encoded), for links. */
static void web_pages_dashboard_href(Buf *b, const ReportCtx *ctx, const char *ptext, const WebDashOpts *o)
{
    web_html(b, "/?area=%u&period=%u", ctx->area, ptext);
    if (o->special_only)
        web_html(b, "&special=1");
    if (o->rag[0])
        web_html(b, "&rag=%u", o->rag);
    if (o->partner[0])
        web_html(b, "&partner=%u", o->partner);
    if (o->dir[0])
        web_html(b, "&direction=%u", o->dir);
    if (o->bad_first)
        web_html(b, "&order=rag");
}

static const char *const web_dash_cols[] = {"Indicator", NULL, "Same period last year", "Change", "Year to date",
                                            "Target to date", "Status", "Direction", "Variation", "Assurance",
                                            "Trend by quarter"};

/* The table as a download: the same rows, its figures as text; the trend as this year's quarters. */
static void web_pages_dashboard_table(const ReportCtx *ctx, const int *idx, int n, const char *ptext, DocTable *t)
{
    Buf v = BUF_INIT;
    doc_table_header(t, 0, "Indicator", DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "Partner", DOC_ALIGN_LEFT);
    doc_table_header(t, 2, ptext, DOC_ALIGN_RIGHT);
    for (int c = 2; c < 10; c++)
        doc_table_header(t, c + 1, web_dash_cols[c], c < 6 ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT);
    for (int k = 0; k < n; k++) {
        const ReportIndicator *ri = &ctx->inds[idx[k]];
        int row = doc_table_row(t);
        doc_cell_set(doc_table_cell(t, row, 0), ri->title, DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
        doc_cell_set(doc_table_cell(t, row, 1), ri->partner ? ri->partner : "", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
        const Fig *cols[] = {&ri->row.value, &ri->row.previous, NULL, &ri->row.ytd, &ri->row.target_to_date};
        for (int c = 0; c < 5; c++) {
            if (cols[c]) {
                web_pages_fig(&v, cols[c], ri->def.decimals);
                web_pages_unit_suffix(&v, &ri->def);
            } else {
                web_pages_change(&v, ri);
            }
            doc_cell_set(doc_table_cell(t, row, 2 + c), buf_cstr(&v), DOC_ALIGN_RIGHT, v.len > 0, DOC_RAG_NONE);
        }
        doc_cell_set(doc_table_cell(t, row, 7), present_mark(present_rag_mark(ri->row.rag))->word, DOC_ALIGN_LEFT, 0,
                     DOC_RAG_NONE);
        PresentDirection dir = present_direction(&ri->row);
        buf_reset(&v);
        present_direction_words(&v, &dir, 1);
        doc_cell_set(doc_table_cell(t, row, 8), v.len ? buf_cstr(&v) : PRESENT_NO_COMPARISON, DOC_ALIGN_LEFT, 0,
                     DOC_RAG_NONE);
        doc_cell_set(doc_table_cell(t, row, 9),
                     ri->row.variation == SPC_VAR_NONE ? "" : spc_variation_short(ri->row.variation), DOC_ALIGN_LEFT,
                     0, DOC_RAG_NONE);
        doc_cell_set(doc_table_cell(t, row, 10),
                     ri->row.assurance == SPC_ASSURE_NONE ? "" : spc_assurance_short(ri->row.assurance),
                     DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    }
    buf_release(&v);
}

static void web_pages_dashboard_body(const WebReq *r, Dataset *d, const ReportCtx *ctx, const char *ptext,
                                     const WebDashOpts *o, Buf *b)
{
    Buf t = BUF_INIT, span = BUF_INIT, href = BUF_INIT;
    int counts[4] = {0};
    int fy = period_fy(ctx->period.first, ctx->fy_start);
    int a = dataset_area_index(d, ctx->area);
    int special_only = o->special_only;

    period_format_span(&span, ctx->period);
    web_html(b, "<span class=\"govuk-caption-l\">%s</span>\n<h1 class=\"govuk-heading-l\">Performance dashboard: "
                "%s</h1>\n<p class=\"govuk-body\">Figures for %s, compared with the same period a year earlier "
                "and with the year's targets.</p>\n",
             ctx->area, ptext, buf_cstr(&span));
    web_pages_filter(r, b, "/", d, ctx->area, ctx->period);
    web_pages_filter_select(b, "rag", "Status", web_dash_rag, 5, o->rag);
    {
        /* the partners named by an indicator, in the plan's order, each once */
        const char **pv = xcalloc((size_t)ctx->ninds + 1, 2 * sizeof(const char *));
        const char *(*opts)[2] = (const char *(*)[2])pv;
        int np = 1;
        opts[0][0] = "";
        opts[0][1] = "Any partner";
        for (int i = 0; i < ctx->ninds; i++) {
            const char *pn = ctx->inds[i].partner;
            int seen = !pn;
            for (int k = 1; k < np && !seen; k++)
                seen = strcmp(opts[k][0], pn) == 0;
            if (!seen) {
                opts[np][0] = opts[np][1] = pn;
                np++;
            }
        }
        web_pages_filter_select(b, "partner", "Partner", (const char *const(*)[2])opts, np, o->partner);
        free(pv);
    }
    web_pages_filter_select(b, "direction", "Direction", web_dash_dir, 5, o->dir);
    web_pages_filter_select(b, "order", "Order", web_dash_order, 2, o->bad_first ? "rag" : "");
    if (special_only)
        web_html(b, "<input type=\"hidden\" name=\"special\" value=\"1\">\n");
    web_pages_filter_end(b);
    for (int i = 0; i < ctx->ninds; i++) {
        if (dataset_series(d, i, a)->present)
            counts[ctx->inds[i].row.rag]++;
    }
    web_html(b, "<h2 class=\"govuk-heading-m\">Key performance indicators</h2>\n<ul class=\"app-cards\">\n"
                "<li class=\"app-card app-card--green\"><span class=\"app-card__count\">%d</span>"
                "<span class=\"app-card__label\">on or better than target</span></li>\n"
                "<li class=\"app-card app-card--amber\"><span class=\"app-card__count\">%d</span>"
                "<span class=\"app-card__label\">within the tolerance (amber)</span></li>\n"
                "<li class=\"app-card app-card--red\"><span class=\"app-card__count\">%d</span>"
                "<span class=\"app-card__label\">off target (red)</span></li>\n"
                "<li class=\"app-card app-card--unreported\"><span class=\"app-card__count\">%d</span>"
                "<span class=\"app-card__label\">without a target</span></li>\n</ul>\n",
             counts[RAG_GREEN], counts[RAG_AMBER], counts[RAG_RED], counts[RAG_NONE]);
    if (special_only)
        web_html(b, "<p class=\"govuk-body\">Showing only the indicators whose latest point is a special cause "
                    "(statistical process control). <a class=\"govuk-link\" href=\"/?area=%u&amp;period=%u\">Show "
                    "every indicator</a></p>\n",
                 ctx->area, ptext);
    else
        web_html(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/?area=%u&amp;period=%u&amp;"
                    "special=1\">Show only special cause variation</a></p>\n",
                 ctx->area, ptext);
    int *idx = xcalloc((size_t)ctx->ninds + 1, sizeof *idx);
    int nshown = web_pages_dashboard_rows(d, ctx, o, idx);
    web_pages_dashboard_href(&href, ctx, ptext, o);
    web_html_downloads(b, buf_cstr(&href), "these indicators");
    if (!nshown)
        web_html(b, "<p class=\"govuk-body\">No indicator matches these choices.</p>\n");
    web_html_wrap_begin(b, "Indicators");
    web_html(b, "\n<table class=\"govuk-table app-table--stack\">\n<caption class=\"govuk-table__caption "
                "govuk-visually-hidden\">Indicators for %s, %s</caption>\n<thead><tr>"
                "<th scope=\"col\" class=\"govuk-table__header\">Indicator</th>"
                "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">%s</th>"
                "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Same period last year"
                "</th><th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Change</th>"
                "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Year to date</th>"
                "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Target to date</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Status</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Direction</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Variation</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Assurance</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Trend by quarter</th></tr></thead>\n<tbody>\n",
             ctx->area, ptext, ptext);
    for (int k = 0; k < nshown; k++) {
        const ReportIndicator *ri = &ctx->inds[idx[k]];
        web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/indicators/%u?area=%u&amp;period=%u\">%s</a>",
                 ri->code, ctx->area, ptext, ri->title);
        if (ri->partner)
            web_html(b, "<span class=\"app-sub\">%s</span>", ri->partner);
        web_pages_benchmark_line(b, ctx, ri);
        web_html(b, "</th>");
        const Fig *cols[] = {&ri->row.value, &ri->row.previous, NULL, &ri->row.ytd, &ri->row.target_to_date};
        for (int c = 0; c < 5; c++) {
            if (cols[c])
                web_pages_fig(&t, cols[c], ri->def.decimals);
            else
                web_pages_change(&t, ri);
            if (cols[c])
                web_pages_unit_suffix(&t, &ri->def);
            const char *label = c ? web_dash_cols[c + 1] : ptext;
            if (t.len)
                web_html(b, "<td class=\"govuk-table__cell govuk-table__cell--numeric\" data-label=\"%s\">%s</td>",
                         label, buf_cstr(&t));
            else
                web_html(b, "<td class=\"govuk-table__cell govuk-table__cell--numeric\" data-label=\"%s\"><span "
                            "class=\"govuk-visually-hidden\">No figure</span>\xe2\x80\x93</td>",
                         label);
        }
        web_html(b, "<td class=\"govuk-table__cell\" data-label=\"Status\">");
        web_html_rag(b, ri->row.rag);
        web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Direction\">");
        web_html_direction(b, &ri->row);
        web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Variation\">");
        web_pages_variation(b, &ri->row);
        web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Assurance\">");
        web_pages_assurance(b, &ri->row);
        web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Trend by quarter\">");
        web_pages_spark(b, ri, fy, ctx->fy_start);
        web_html(b, "</td></tr>\n");
        if (ri->row.note.len || ri->row.spc_note.len) {
            buf_reset(&t);
            compare_row_notes(&ri->row, &t);
            web_html(b, "<tr class=\"app-note-row\"><td class=\"govuk-table__cell app-note\" colspan=\"11\">"
                        "<span class=\"govuk-visually-hidden\">Note on %s: </span>Note: %s</td></tr>\n",
                     ri->title, buf_cstr(&t));
        }
    }
    free(idx);
    web_html(b, "</tbody>\n</table>\n</div>\n<p class=\"govuk-body-s\">Trend: solid line this financial year, dashed "
                "line last year. Status compares the year to date with the target to date; direction compares "
                "the period with the same period last year. Variation and assurance are statistical process "
                "control (NHS England's Making Data Count): whether the latest point is a special cause, and "
                "whether the process will meet its target.</p>\n");
    web_html(b, "<h2 class=\"govuk-heading-m\">Delivery plan</h2>\n");
    web_pages_delivery(b, &ctx->delivery);
    web_html(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/projects?period=%u\">All projects and their "
                "status</a></p>\n<h2 class=\"govuk-heading-m\">Key partnership projects</h2>\n",
             ptext);
    web_html(b, "<dl class=\"govuk-summary-list\">\n");
    for (int k = 0; k < ctx->nprojects; k++) {
        const ReportProject *p = &ctx->projects[k];
        if (!p->key)
            continue;
        web_html(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\"><a "
                    "class=\"govuk-link\" href=\"/projects/%u?period=%u\">%s</a>",
                 p->code, ptext, p->title);
        if (p->lead)
            web_html(b, "<span class=\"app-sub\">%s</span>", p->lead);
        web_html(b, "</dt><dd class=\"govuk-summary-list__value\">");
        web_html_status(b, p->status);
        if (p->commentary)
            web_html(b, "<p class=\"govuk-body-s\">%s</p>", p->commentary);
        web_html(b, "</dd></div>\n");
    }
    web_html(b, "</dl>\n");
    buf_release(&t);
    buf_release(&span);
    buf_release(&href);
}

int web_pages_dashboard(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, key = BUF_INIT, body = BUF_INIT;
    Dataset d;
    ReportCtx ctx;
    Project *projects = NULL;
    int nprojects = 0, a, rc = 0;
    Err err = ERR_INIT;

    if (web_pages_scope(r, &p, &ptext, &area) < 0)
        goto out;
    /* The body is the same for every visitor: cached, keyed by area, period and filters. */
    const char *special = web_query(r, "special"), *format = web_query(r, "format"), *order = web_query(r, "order");
    WebDashOpts o = {special && strcmp(special, "1") == 0, web_query(r, "rag"), web_query(r, "partner"),
                     web_query(r, "direction"), order && strcmp(order, "rag") == 0};
    o.rag = o.rag ? o.rag : "";
    o.partner = o.partner ? o.partner : "";
    o.dir = o.dir ? o.dir : "";
    if (format && r->period_error[0]) {
        web_error(r, MHD_HTTP_BAD_REQUEST, r->period_error);
        goto out;
    }
    buf_printf(&key, "dashboard\x1f%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\x1f%d", buf_cstr(&area), buf_cstr(&ptext),
               o.special_only, o.rag, o.partner, o.dir, o.bad_first);
    char *cached = format || r->period_error[0] ? NULL : web_cache_get(r, buf_cstr(&key));
    if (cached) {
        buf_puts(&body, cached);
        free(cached);
    } else {
        if (web_pages_load(r, p, buf_cstr(&area), &d, &a) < 0)
            goto out;
        if (dataset_report(r->store, &d, a, &ctx, &projects, &nprojects, &err) < 0) {
            fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
            dataset_release(&d);
            rc = -1;
            goto out;
        }
        if (format) {
            int *idx = xcalloc((size_t)ctx.ninds + 1, sizeof *idx);
            int n = web_pages_dashboard_rows(&d, &ctx, &o, idx);
            DocBlocks bl = {0};
            DocTable *t = doc_add_table(&bl, 11, NULL);
            web_pages_dashboard_table(&ctx, idx, n, buf_cstr(&ptext), t);
            buf_printf(&body, "dashboard-%s-%s", buf_cstr(&area), buf_cstr(&ptext));
            web_download(r, t, format, buf_cstr(&body));
            doc_blocks_release(&bl);
            free(idx);
            dataset_report_release(&ctx, projects, nprojects);
            dataset_release(&d);
            goto out;
        }
        web_pages_dashboard_body(r, &d, &ctx, buf_cstr(&ptext), &o, &body);
        if (!r->period_error[0])
            web_cache_put(r, buf_cstr(&key), &body);
        dataset_report_release(&ctx, projects, nprojects);
        dataset_release(&d);
    }
    web_html_begin(r, "Dashboard", "dashboard");
    web_entry_todo(r, &r->out); /* an editor's to-do, above the dashboard */
    buf_append(&r->out, body.data, body.len);
    web_html_end(r);
out:
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&key);
    buf_release(&body);
    err_release(&err);
    return rc;
}

static void web_pages_stored_text(Buf *t, const StoreFigure *f, const IndicatorDef *def);

/* A stored figure in words: "1455", "106 / 137 (77.4%)", with its unit. */
static void web_pages_stored(Buf *b, const StoreFigure *f, const IndicatorDef *def)
{
    Buf t = BUF_INIT;
    web_pages_stored_text(&t, f, def);
    web_html(b, "%s", t.len ? buf_cstr(&t) : "none");
    buf_release(&t);
}

/* The same as text ("" when none), for downloads. */
static void web_pages_stored_text(Buf *t, const StoreFigure *f, const IndicatorDef *def)
{
    buf_reset(t);
    if (f->has[1] && f->has[2]) {
        fq_format_micro(t, f->v[1]);
        buf_puts(t, " / ");
        fq_format_micro(t, f->v[2]);
        if (f->has[0]) {
            buf_puts(t, " (");
            fq_format(t, fq_micro(f->v[0]), def->decimals);
            buf_puts(t, "%)");
        }
    } else if (f->has[0]) {
        fq_format_micro(t, f->v[0]);
        web_pages_unit_suffix(t, def);
    }
}

/* The year-to-date chart: this year, last year and the target profile. */
static void web_pages_indicator_chart(Buf *b, const Dataset *d, const Indicator *ind, Series *s)
{
    int fy = period_fy(d->period.first, d->fy_start), fy_first = period_fy_first(fy, d->fy_start);
    int step = ind->frequency == PERIOD_MONTH ? 1 : 3, npts = 12 / step;
    const Target *tgt = NULL;
    for (int k = 0; k < s->nt; k++)
        if (s->t[k].fy == fy)
            tgt = &s->t[k];
    DocBlocks bl = {0};
    Buf name = BUF_INIT, t = BUF_INIT;
    Period y = {PERIOD_YEAR, fy_first};
    DocChart *c = doc_add_chart(&bl, DOC_CHART_LINE, "Year to date: this year, last year and the target",
                                npts, tgt ? 3 : 2);
    doc_chart_axis(c, unit_axis_title(ind->def.unit)); /* the words the paper's charts take */
    period_format(&name, y, d->fy_start);
    doc_chart_series(c, 0, buf_cstr(&name));
    buf_reset(&name);
    y.first -= 12;
    period_format(&name, y, d->fy_start);
    doc_chart_series(c, 1, buf_cstr(&name));
    if (tgt)
        doc_chart_series(c, 2, "Target");
    for (int i = 0; i < npts; i++) {
        int months = (i + 1) * step;
        Period cat = {step == 1 ? PERIOD_MONTH : PERIOD_QUARTER, fy_first + i * step};
        buf_reset(&name);
        if (step == 1)
            period_format_month(&name, cat.first);
        else
            buf_printf(&name, "Q%d", i + 1);
        doc_chart_category(c, i, buf_cstr(&name));
        for (int sr = 0; sr < 2; sr++) {
            Fq q;
            int has = fy_first + months - 1 <= period_last(d->period) || sr == 1
                          ? figures_aggregate(&ind->def, s->v, s->n, fy_first - 12 * sr, months, &q, NULL, NULL)
                          : 0;
            buf_reset(&t);
            if (has)
                fq_format(&t, q, ind->def.decimals);
            doc_chart_point(c, sr, i, has, has ? fq_to_double(q) : 0, has ? buf_cstr(&t) : NULL);
        }
        if (tgt) {
            Fq q = fq_micro(tgt->target_micro);
            if (ind->def.aggregate == AGG_SUM)
                q = fq_div(fq_mul(q, fq_int(months)), fq_int(12));
            buf_reset(&t);
            fq_format(&t, q, ind->def.decimals);
            doc_chart_point(c, 2, i, 1, fq_to_double(q), buf_cstr(&t));
        }
    }
    render_html_blocks(&bl, b);
    doc_blocks_release(&bl);
    buf_release(&name);
    buf_release(&t);
}

int web_pages_indicator(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, t = BUF_INIT;
    Dataset d;
    int a, rc = 0, loaded = 0, nvals = 0, nhist = 0;
    StoreValueRow *vals = NULL;
    StoreChange *hist = NULL;
    Err err = ERR_INIT;
    CompareRow row;
    Buf cells[COMPARE_NCOLS];

    memset(cells, 0, sizeof cells);
    memset(&row, 0, sizeof row);
    if (web_pages_scope(r, &p, &ptext, &area) < 0)
        goto out;
    if (web_pages_load(r, p, buf_cstr(&area), &d, &a) < 0)
        goto out;
    loaded = 1;
    int i = dataset_indicator_index(&d, r->arg);
    if (i < 0) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no indicator with that code.");
        goto out;
    }
    const Indicator *ind = &d.inds[i];
    Series *s = dataset_series(&d, i, a);
    dataset_compare(&d, i, a, &row);
    compare_cells(ind->code, ind->title, &ind->def, buf_cstr(&area), buf_cstr(&ptext), &row, cells);
    if (store_web_values(r->store, ind->id, d.area_ids[a], &vals, &nvals, &err) < 0 ||
        store_web_history(r->store, ind->id, d.area_ids[a], &hist, &nhist, &err) < 0) {
        rc = -1;
        goto out;
    }
    const char *format = web_query(r, "format"), *table = web_query(r, "table");
    if (format) {
        /* ?table=values or history, as a file: the same rows as the page's table */
        int hist_t = table && strcmp(table, "history") == 0;
        if (r->period_error[0] || ind->formula || !table || (!hist_t && strcmp(table, "values") != 0)) {
            web_error(r, MHD_HTTP_BAD_REQUEST, r->period_error[0] ? r->period_error
                                               : "Choose table=values or table=history of an indicator with values.");
            goto out;
        }
        DocBlocks bl = {0};
        DocTable *dt = doc_add_table(&bl, hist_t ? 7 : 5, NULL);
        static const char *const vhead[] = {"Period", "Value", "Note", "Last changed", "Changed by"};
        static const char *const hhead[] = {"When", "Who", "Period", "Before", "Before note", "After", "After note"};
        for (int c = 0; c < (hist_t ? 7 : 5); c++)
            doc_table_header(dt, c, hist_t ? hhead[c] : vhead[c], DOC_ALIGN_LEFT);
        Buf pt = BUF_INIT, fig = BUF_INIT, fig2 = BUF_INIT;
        for (int k = hist_t ? 0 : nvals - 1; hist_t ? k < nhist : k >= 0; k += hist_t ? 1 : -1) {
            int drow = doc_table_row(dt);
            buf_reset(&pt);
            buf_reset(&fig);
            buf_reset(&fig2);
            period_format(&pt, hist_t ? hist[k].period : vals[k].period, d.fy_start);
            if (hist_t) {
                if (hist[k].existed)
                    web_pages_stored_text(&fig, &hist[k].before, &ind->def);
                web_pages_stored_text(&fig2, &hist[k].after, &ind->def);
                const char *dcells[] = {hist[k].changed_at, hist[k].changed_by, buf_cstr(&pt),
                                       hist[k].existed ? buf_cstr(&fig) : "(new)",
                                       hist[k].before.note ? hist[k].before.note : "", buf_cstr(&fig2),
                                       hist[k].after.note ? hist[k].after.note : ""};
                for (int c = 0; c < 7; c++)
                    doc_cell_set(doc_table_cell(dt, drow, c), dcells[c], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
            } else {
                web_pages_stored_text(&fig, &vals[k].fig, &ind->def);
                const char *dcells[] = {buf_cstr(&pt), buf_cstr(&fig), vals[k].fig.note ? vals[k].fig.note : "",
                                       vals[k].changed_at, vals[k].changed_by};
                for (int c = 0; c < 5; c++)
                    doc_cell_set(doc_table_cell(dt, drow, c), dcells[c], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
            }
        }
        buf_reset(&pt);
        buf_printf(&pt, "%s-%s-%s", ind->code, buf_cstr(&area), hist_t ? "history" : "values");
        web_download(r, dt, format, buf_cstr(&pt));
        buf_release(&pt);
        buf_release(&fig);
        buf_release(&fig2);
        doc_blocks_release(&bl);
        goto out;
    }
    web_html_begin(r, ind->title, "dashboard");
    Buf *b = &r->out;
    buf_reset(&t);
    web_html(&t, "/?area=%u&period=%u", buf_cstr(&area), buf_cstr(&ptext));
    web_html_back(b, buf_cstr(&t), "Back to the dashboard");
    buf_reset(&t);
    web_html(b, "<span class=\"govuk-caption-l\">%s \xe2\x80\x94 %s</span>\n<h1 class=\"govuk-heading-l\">%s</h1>\n",
             buf_cstr(&area), ind->partner ? ind->partner : "no partner named", ind->title);
    buf_printf(&t, "/indicators/%s", ind->code); /* codes are letters, digits, '.', '-', '_' */
    web_pages_filter(r, b, buf_cstr(&t), &d, buf_cstr(&area), p);
    web_pages_filter_end(b);
    if (web_auth_may_edit_partner(r, ind->partner) && !ind->formula)
        web_html(b, "<p class=\"govuk-body\"><a class=\"govuk-button\" href=\"/enter?area=%u&amp;period=%u#%s%s\">"
                    "Enter or change a figure</a></p>\n",
                 buf_cstr(&area), buf_cstr(&ptext), ind->def.aggregate == AGG_RATIO ? "n-" : "v-", ind->code);
    /* Figures for the period: the compare row. */
    web_html(b, "<h2 class=\"govuk-heading-m\">%s</h2>\n<dl class=\"govuk-summary-list\">\n", buf_cstr(&ptext));
    for (int c = PC_VALUE; c < COMPARE_NCOLS; c++) {
        const PresentColumn *col = present_col((PresentCol)c);
        if (c == PC_RAG) {
            web_html(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                        "<dd class=\"govuk-summary-list__value\">",
                     col->label);
            web_html_rag(b, row.rag);
            web_html(b, "</dd></div>\n");
            continue;
        }
        if (c == PC_DIRECTION) {
            web_html(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                        "<dd class=\"govuk-summary-list__value\">",
                     col->label);
            web_html_direction(b, &row);
            web_html(b, "</dd></div>\n");
            continue;
        }
        if (c == PC_NOTE && !cells[c].len)
            continue;
        web_html(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                    "<dd class=\"govuk-summary-list__value\">%s</dd></div>\n",
                 col->label, cells[c].len ? buf_cstr(&cells[c]) : "\xe2\x80\x93");
    }
    web_html(b, "</dl>\n");
    web_cycle_indicator_exception(r, ind->code, buf_cstr(&area), p); /* its exception commentary (docs/web.md) */
    web_pages_indicator_chart(b, &d, ind, s);
    {
        /* Statistical process control: every point up to the period, with its limits */
        SpcChart sc;
        DocBlocks bl = {0};
        SpcChartStatus st = dataset_spc_chart(&d, i, a, &sc);
        web_html(b, "<h2 class=\"govuk-heading-m\">Statistical process control</h2>\n");
        if (st == SPC_CHART_OK) {
            report_spc_chart(&bl, "Every point with its mean and process limits", ind->title, &ind->def, &sc, st,
                             d.fy_start);
            render_html_blocks(&bl, b);
            doc_blocks_release(&bl);
            web_html(b, "<p class=\"govuk-body-s\">Points in the latest segment are marked by what they show, "
                        "as NHS England's Making Data Count does: the mean of the points, process limits at 2.66 "
                        "times their average moving range either side, and the special-cause rules (a point "
                        "outside the limits, a run of seven rising or falling, two of three near a limit, seven "
                        "on one side of the mean).</p>\n");
        } else if (st == SPC_CHART_TOO_LARGE) {
            web_html(b, "<p class=\"govuk-body\">No chart: the limits are beyond exact arithmetic.</p>\n");
        } else {
            web_html(b, "<p class=\"govuk-body\">No chart yet: statistical process control needs at least 12 "
                        "points of this indicator in its latest segment (%d so far).</p>\n",
                     sc.npoints);
        }
        spc_chart_release(&sc);
    }
    /* Definition */
    web_html(b, "<h2 class=\"govuk-heading-m\">Definition</h2>\n<dl class=\"govuk-summary-list\">\n");
    const char *freq = present_frequency_word(ind->frequency);
    const char *def[][2] = {{"Code", ind->code},
                            {"Unit", unit_name(ind->def.unit)},
                            {"Better when", present_polarity_words(ind->def.polarity)},
                            {"Periods combine by", aggregate_name(ind->def.aggregate)},
                            {"Reported", freq},
                            {"Partner", ind->partner ? ind->partner : "None named"},
                            {"Part of", ind->parent},
                            {"Sum of", ind->formula}};
    for (size_t k = 0; k < sizeof def / sizeof def[0]; k++) {
        if (!def[k][1])
            continue;
        web_html(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                    "<dd class=\"govuk-summary-list__value\">",
                 def[k][0]);
        if (k == 6) { /* the parent by its title */
            int pi = dataset_indicator_index(&d, def[k][1]);
            web_html(b, "<a class=\"govuk-link\" href=\"/indicators/%u?area=%u&amp;period=%u\">%s</a>", def[k][1],
                     buf_cstr(&area), buf_cstr(&ptext), pi >= 0 ? d.inds[pi].title : def[k][1]);
        }
        else
            web_html(b, "%s", def[k][1]);
        web_html(b, "</dd></div>\n");
    }
    web_html(b, "</dl>\n");
    /* Values with notes */
    web_html(b, "<h2 class=\"govuk-heading-m\">Values in %s</h2>\n", buf_cstr(&area));
    if (ind->formula) {
        web_html(b, "<p class=\"govuk-body\">This indicator is computed from its parts (%s); it has no values of its "
                    "own.</p>\n",
                 ind->formula);
    } else if (!nvals) {
        web_html(b, "<p class=\"govuk-body\">No values yet.</p>\n");
    } else {
        buf_reset(&t);
        web_html(&t, "/indicators/%u?area=%u&period=%u&table=values", ind->code, buf_cstr(&area), buf_cstr(&ptext));
        web_html_downloads(b, buf_cstr(&t), "these values");
        web_html_wrap_begin(b, "Values");
        web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                    "govuk-visually-hidden\">Values of %s in %s</caption><thead><tr>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Period</th>"
                    "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Value</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Note</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Last changed</th></tr></thead><tbody>\n",
                 ind->title, buf_cstr(&area));
        for (int k = nvals - 1; k >= 0; k--) {
            buf_reset(&t);
            period_format(&t, vals[k].period, d.fy_start);
            web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\">%s</th><td class=\"govuk-table__cell "
                        "govuk-table__cell--numeric\" data-label=\"Value\">",
                     buf_cstr(&t));
            web_pages_stored(b, &vals[k].fig, &ind->def);
            web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Note\">%s</td><td "
                        "class=\"govuk-table__cell\" data-label=\"Last changed\">",
                     vals[k].fig.note ? vals[k].fig.note : "");
            web_html_when(b, vals[k].changed_at);
            web_html(b, " by %s</td></tr>\n", vals[k].changed_by);
        }
        web_html(b, "</tbody></table></div>\n");
    }
    /* History */
    web_html(b, "<h2 class=\"govuk-heading-m\">History of changes</h2>\n");
    if (!nhist) {
        web_html(b, "<p class=\"govuk-body\">No changes recorded.</p>\n");
    } else {
        buf_reset(&t);
        web_html(&t, "/indicators/%u?area=%u&period=%u&table=history", ind->code, buf_cstr(&area), buf_cstr(&ptext));
        web_html_downloads(b, buf_cstr(&t), "this history");
        web_html_wrap_begin(b, "History of changes");
        web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                    "govuk-visually-hidden\">Every change to %s in %s, newest first</caption><thead><tr>"
                    "<th scope=\"col\" class=\"govuk-table__header\">When</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Who</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Period</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Before</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">After</th></tr></thead><tbody>\n",
                 ind->title, buf_cstr(&area));
        for (int k = 0; k < nhist; k++) {
            buf_reset(&t);
            period_format(&t, hist[k].period, d.fy_start);
            web_html(b, "<tr><td class=\"govuk-table__cell app-cell--head\">");
            web_html_when(b, hist[k].changed_at);
            web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Who\">%s</td>"
                        "<td class=\"govuk-table__cell\" data-label=\"Period\">%s</td><td class=\"govuk-table__cell\" "
                        "data-label=\"Before\">",
                     hist[k].changed_by, buf_cstr(&t));
            if (hist[k].existed) {
                web_pages_stored(b, &hist[k].before, &ind->def);
                if (hist[k].before.note)
                    web_html(b, "<br><span class=\"govuk-body-s\">Note: %s</span>", hist[k].before.note);
            } else {
                web_html(b, "(new)");
            }
            web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"After\">");
            web_pages_stored(b, &hist[k].after, &ind->def);
            if (hist[k].after.note)
                web_html(b, "<br><span class=\"govuk-body-s\">Note: %s</span>", hist[k].after.note);
            web_html(b, "</td></tr>\n");
        }
        web_html(b, "</tbody></table></div>\n");
    }
    web_html_end(r);
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    store_web_values_free(vals, nvals);
    store_web_history_free(hist, nhist);
    compare_row_release(&row);
    for (int c = 0; c < COMPARE_NCOLS; c++)
        buf_release(&cells[c]);
    if (loaded)
        dataset_release(&d);
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&t);
    err_release(&err);
    return rc;
}

int web_pages_projects(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT;
    Project *projects = NULL;
    int n = 0, rc = -1;
    Delivery dl;
    Err err = ERR_INIT;

    memset(&dl, 0, sizeof dl);
    if (web_pages_scope(r, &p, &ptext, &area) < 0) {
        rc = 0;
        goto out;
    }
    if (store_projects(r->store, &projects, &n, &err) < 0)
        goto out;
    Status *st = xcalloc((size_t)n + 1, sizeof *st);
    char **comm = xcalloc((size_t)n + 1, sizeof *comm);
    for (int k = 0; k < n; k++) {
        if (store_status_for(r->store, projects[k].id, p, &st[k], &comm[k], &err) < 0)
            goto fail;
        dl.count[st[k]]++;
    }
    delivery_compute(&dl);
    /* ?sort=status: red, amber, green, complete, not reported; the plan's order within each */
    const char *sort = web_query(r, "sort"), *format = web_query(r, "format");
    int by_status = sort && strcmp(sort, "status") == 0;
    static const int rank[STATUS_COUNT] = {2, 1, 0, 3, 4};
    int *order = xcalloc((size_t)n + 1, sizeof *order), no = 0;
    for (int pass = 0; pass < (by_status ? STATUS_COUNT : 1); pass++)
        for (int k = 0; k < n; k++)
            if (!by_status || rank[st[k]] == pass)
                order[no++] = k;
    if (format) {
        DocBlocks bl = {0};
        DocTable *t = doc_add_table(&bl, 5, NULL);
        static const char *const head[] = {"Project", "Key project", "Lead partner", "Status", "Commentary"};
        for (int c = 0; c < 5; c++)
            doc_table_header(t, c, head[c], DOC_ALIGN_LEFT);
        for (int j = 0; j < no; j++) {
            const Project *pr = &projects[order[j]];
            int row = doc_table_row(t);
            const char *cells[] = {pr->title, pr->key ? "yes" : "no", pr->lead ? pr->lead : "",
                                   present_mark(present_status_mark(st[order[j]]))->word,
                                   comm[order[j]] ? comm[order[j]] : ""};
            for (int c = 0; c < 5; c++)
                doc_cell_set(doc_table_cell(t, row, c), cells[c], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
        }
        Buf name = BUF_INIT;
        buf_printf(&name, "projects-%s", buf_cstr(&ptext));
        if (r->period_error[0])
            web_error(r, MHD_HTTP_BAD_REQUEST, r->period_error);
        else
            web_download(r, t, format, buf_cstr(&name));
        buf_release(&name);
        doc_blocks_release(&bl);
        free(order);
        rc = 0;
        goto fail;
    }
    web_html_begin(r, "Projects", "projects");
    Buf *b = &r->out;
    web_html(b, "<span class=\"govuk-caption-l\">Delivery plan</span>\n<h1 class=\"govuk-heading-l\">Projects: %s"
                "</h1>\n",
             buf_cstr(&ptext));
    static const char *const sorts[][2] = {{"", "As in the plan"}, {"status", "Status: red and amber first"}};
    web_pages_filter(r, b, "/projects", NULL, NULL, p);
    web_pages_filter_select(b, "sort", "Order", sorts, 2, by_status ? "status" : "");
    web_pages_filter_end(b);
    web_pages_delivery(b, &dl);
    Buf href = BUF_INIT;
    web_html(&href, "/projects?period=%u%s", buf_cstr(&ptext), by_status ? "&sort=status" : "");
    web_html_downloads(b, buf_cstr(&href), "these projects");
    buf_release(&href);
    web_html_wrap_begin(b, "Projects");
    web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                "govuk-visually-hidden\">Projects and their status for %s</caption><thead><tr>"
                "<th scope=\"col\" class=\"govuk-table__header\">Project</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Lead partner</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Status</th>"
                "<th scope=\"col\" class=\"govuk-table__header\">Commentary</th></tr></thead><tbody>\n",
             buf_cstr(&ptext));
    for (int j = 0; j < no; j++) {
        int k = order[j];
        web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                    "href=\"/projects/%u?period=%u\">%s</a>%s</th><td class=\"govuk-table__cell\" "
                    "data-label=\"Lead partner\">%s</td><td class=\"govuk-table__cell\" data-label=\"Status\">",
                 projects[k].code, buf_cstr(&ptext), projects[k].title, projects[k].key ? " (key project)" : "",
                 projects[k].lead ? projects[k].lead : "None named");
        web_html_status(b, st[k]);
        web_html(b, "</td><td class=\"govuk-table__cell govuk-body-s\" data-label=\"Commentary\">%s</td></tr>\n",
                 comm[k] ? comm[k] : "");
    }
    free(order);
    web_html(b, "</tbody></table></div>\n");
    web_html_end(r);
    rc = 0;
fail:
    for (int k = 0; k < n; k++)
        free(comm[k]);
    free(comm);
    free(st);
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    store_projects_free(projects, n);
    buf_release(&ptext);
    buf_release(&area);
    err_release(&err);
    return rc;
}

/* Find a project by code in a list. */
static Project *web_pages_find_project(Project *v, int n, const char *code)
{
    for (int k = 0; k < n; k++)
        if (strcmp(v[k].code, code) == 0)
            return &v[k];
    return NULL;
}

int web_pages_project_form(WebReq *r, const WebErrors *e, const char *status_in, const char *commentary_in,
                           const char *period_in)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, t = BUF_INIT;
    Project *projects = NULL;
    StoreStatusChange *hist = NULL;
    int n = 0, nhist = 0, rc = -1;
    Status st = STATUS_UNREPORTED;
    char *comm = NULL;
    Err err = ERR_INIT;

    if (web_pages_scope(r, &p, &ptext, &area) < 0) {
        rc = 0;
        goto out;
    }
    if (store_projects(r->store, &projects, &n, &err) < 0)
        goto out;
    Project *pr = web_pages_find_project(projects, n, r->arg);
    if (!pr) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no project with that code.");
        rc = 0;
        goto out;
    }
    if (store_status_for(r->store, pr->id, p, &st, &comm, &err) < 0 ||
        store_web_status_history(r->store, pr->id, &hist, &nhist, &err) < 0)
        goto out;
    Buf title = BUF_INIT; /* GOV.UK: a page with errors says so first in its title */
    buf_printf(&title, "%s%s", e && e->n ? "Error: " : "", pr->title);
    web_html_begin(r, buf_cstr(&title), "projects");
    buf_release(&title);
    Buf *b = &r->out;
    buf_reset(&t);
    web_html(&t, "/projects?period=%u", buf_cstr(&ptext));
    web_html_back(b, buf_cstr(&t), "Back to the projects");
    const char *saved = web_query(r, "saved");
    if (!e && saved && strcmp(saved, "1") == 0)
        web_html(b, "<div class=\"govuk-notification-banner\" role=\"status\"><h2 "
                    "class=\"govuk-notification-banner__title\">Saved</h2><div "
                    "class=\"govuk-notification-banner__content\"><p class=\"govuk-body\">The update for %s is saved. "
                    "The dashboard shows it now.</p></div></div>\n",
                 buf_cstr(&ptext));
    if (e)
        web_errors_summary(b, e);
    web_html(b, "<span class=\"govuk-caption-l\">%s</span>\n<h1 class=\"govuk-heading-l\">%s</h1>\n",
             pr->key ? "Key partnership project" : "Delivery plan project", pr->title);
    web_html(b, "<dl class=\"govuk-summary-list\">\n<div class=\"govuk-summary-list__row\"><dt "
                "class=\"govuk-summary-list__key\">What is it?</dt><dd class=\"govuk-summary-list__value\">%s</dd>"
                "</div>\n<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Lead partner"
                "</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>\n<div class=\"govuk-summary-list__row\">"
                "<dt class=\"govuk-summary-list__key\">Status for %s</dt><dd class=\"govuk-summary-list__value\">",
             pr->description ? pr->description : "No description.", pr->lead ? pr->lead : "None named",
             buf_cstr(&ptext));
    web_html_status(b, st);
    if (comm)
        web_html(b, "<p class=\"govuk-body\">%s</p>", comm);
    web_html(b, "</dd></div>\n</dl>\n");
    if (web_auth_may_edit_project(r, pr)) {
        const char *cur = status_in ? status_in : status_name(st);
        const char *pmsg = e ? web_errors_for(e, "period") : NULL, *smsg = e ? web_errors_for(e, "status") : NULL;
        const char *cmsg = e ? web_errors_for(e, "commentary") : NULL;
        web_html(b, "<h2 class=\"govuk-heading-m\">Update this project</h2>\n<form method=\"post\" "
                    "action=\"/projects/%u\" novalidate>\n",
                 pr->code);
        web_html_csrf(r);
        Period shown = p; /* the period the user chose, when it reads as one */
        const char *why;
        if (period_in && period_parse(period_in, r->store->fy_start, &shown, &why) < 0)
            shown = p;
        web_html(b, "\n");
        web_html_period_select_msg(r, b, shown, 1, 1, pmsg ? pmsg : r->period_error[0] ? r->period_error : NULL);
        /* GOV.UK radios: the first one carries id="status", where the error summary links */
        web_html(b, "<div class=\"govuk-form-group%s\"><fieldset class=\"govuk-fieldset\"%s><legend "
                    "class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">Status</legend>\n",
                 smsg ? " govuk-form-group--error" : "", smsg ? " aria-describedby=\"status-error\"" : "");
        if (smsg)
            web_html(b, "<p id=\"status-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                        "Error:</span> %s</p>\n",
                     smsg);
        web_html(b, "<div class=\"govuk-radios\">\n");
        for (int k = 0; k < STATUS_COUNT; k++) {
            const PresentWord *w = present_mark(present_status_mark((Status)k));
            web_html(b, "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"status%s%s\" "
                        "name=\"status\" type=\"radio\" value=\"%s\"%s><label class=\"govuk-label "
                        "govuk-radios__label\" for=\"status%s%s\">%s</label></div>\n",
                     k ? "-" : "", k ? w->name : "", w->name, strcmp(cur, w->name) == 0 ? " checked" : "",
                     k ? "-" : "", k ? w->name : "", w->word);
        }
        web_html(b, "</div></fieldset></div>\n<div class=\"govuk-form-group%s\"><label class=\"govuk-label "
                    "govuk-label--s\" for=\"commentary\">Commentary</label>\n",
                 cmsg ? " govuk-form-group--error" : "");
        if (cmsg)
            web_html(b, "<p id=\"commentary-error\" class=\"govuk-error-message\"><span "
                        "class=\"govuk-visually-hidden\">Error:</span> %s</p>\n",
                     cmsg);
        web_html(b, "<textarea class=\"govuk-textarea\" id=\"commentary\" name=\"commentary\" rows=\"5\">%s</textarea>"
                    "</div>\n<button type=\"submit\" class=\"govuk-button\">Save update</button>\n</form>\n",
                 commentary_in ? commentary_in : comm ? comm : "");
    }
    web_html(b, "<h2 class=\"govuk-heading-m\">Status history</h2>\n");
    if (!nhist) {
        web_html(b, "<p class=\"govuk-body\">No updates recorded.</p>\n");
    } else {
        web_html_wrap_begin(b, "Status history");
        web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                    "govuk-visually-hidden\">Every status update, newest first</caption><thead><tr>"
                    "<th scope=\"col\" class=\"govuk-table__header\">When</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Who</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Period</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Before</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">After</th></tr></thead><tbody>\n");
        for (int k = 0; k < nhist; k++) {
            buf_reset(&t);
            period_format(&t, hist[k].period, r->store->fy_start);
            web_html(b, "<tr><td class=\"govuk-table__cell app-cell--head\">");
            web_html_when(b, hist[k].changed_at);
            web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"Who\">%s</td>"
                        "<td class=\"govuk-table__cell\" data-label=\"Period\">%s</td><td class=\"govuk-table__cell\" "
                        "data-label=\"Before\">%s",
                     hist[k].changed_by, buf_cstr(&t), hist[k].old_status ? hist[k].old_status : "(none)");
            if (hist[k].old_commentary)
                web_html(b, "<br><span class=\"govuk-body-s\">%s</span>", hist[k].old_commentary);
            web_html(b, "</td><td class=\"govuk-table__cell\" data-label=\"After\">%s", hist[k].new_status);
            if (hist[k].new_commentary)
                web_html(b, "<br><span class=\"govuk-body-s\">%s</span>", hist[k].new_commentary);
            web_html(b, "</td></tr>\n");
        }
        web_html(b, "</tbody></table></div>\n");
    }
    web_html_end(r);
    rc = 0;
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    free(comm);
    store_web_status_history_free(hist, nhist);
    store_projects_free(projects, n);
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&t);
    err_release(&err);
    return rc;
}

int web_pages_project(WebReq *r)
{
    return web_pages_project_form(r, NULL, NULL, NULL, NULL);
}

/* Projects by lead partner (none last), then by their place in the plan. */
static int web_pages_lead_cmp(const void *a, const void *b)
{
    const Project *x = *(Project *const *)a, *y = *(Project *const *)b;
    if (!x->lead != !y->lead)
        return x->lead ? -1 : 1;
    int c = x->lead ? strcmp(x->lead, y->lead) : 0;
    return c ? c : (x->position > y->position) - (x->position < y->position);
}

int web_pages_chase(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, t = BUF_INIT;
    Dataset d;
    Project *projects = NULL;
    int nprojects = 0, a, rc = -1, loaded = 0;
    Err err = ERR_INIT;
    char **partners = NULL;
    int npartners = 0;

    if (web_pages_scope(r, &p, &ptext, &area) < 0 || web_pages_load(r, p, buf_cstr(&area), &d, &a) < 0) {
        rc = 0;
        goto out;
    }
    loaded = 1;
    if (store_projects(r->store, &projects, &nprojects, &err) < 0 ||
        store_web_partners(r->store, &partners, &npartners, &err) < 0)
        goto out;
    /* the same rows as a file (?format=csv|xlsx), built beside the page */
    const char *format = web_query(r, "format");
    DocBlocks bl = {0};
    DocTable *dt = doc_add_table(&bl, 4, NULL);
    static const char *const dhead[] = {"Kind", "Partner", "Title", "Months without a figure"};
    for (int c = 0; c < 4; c++)
        doc_table_header(dt, c, dhead[c], DOC_ALIGN_LEFT);
    web_html_begin(r, "Chase list", "chase");
    Buf *b = &r->out;
    web_html(b, "<span class=\"govuk-caption-l\">%s</span>\n<h1 class=\"govuk-heading-l\">Chase list: %s</h1>\n"
                "<p class=\"govuk-body\">Indicators with no figure yet for the whole period, and projects with no "
                "update, by partner.</p>\n",
             buf_cstr(&area), buf_cstr(&ptext));
    web_pages_filter(r, b, "/chase", &d, buf_cstr(&area), p);
    web_pages_filter_end(b);
    buf_reset(&t);
    web_html(&t, "/chase?area=%u&period=%u", buf_cstr(&area), buf_cstr(&ptext));
    web_html_downloads(b, buf_cstr(&t), "this chase list");
    int total = 0;
    int *missing = xcalloc(12, sizeof *missing);
    /* Partners in name order, then indicators naming no partner (slot npartners). */
    for (int pi = 0; pi <= npartners; pi++) {
        const char *pname = pi < npartners ? partners[pi] : NULL;
        int shown = 0;
        for (int i = 0; i < d.ninds; i++) {
            const Indicator *ind = &d.inds[i];
            if (ind->formula || (pname ? !ind->partner || strcmp(ind->partner, pname) != 0 : ind->partner != NULL))
                continue;
            if ((int)p.kind < (int)ind->frequency)
                continue;
            Series *s = dataset_series(&d, i, a);
            Fq q;
            int nmiss = 0;
            if (figures_aggregate(&ind->def, s->v, s->n, p.first, period_months(p), &q, missing, &nmiss))
                continue;
            if (!shown) {
                web_html(b, "<h2 class=\"govuk-heading-m\">%s</h2>\n<table class=\"govuk-table\"><caption "
                            "class=\"govuk-table__caption govuk-visually-hidden\">Indicators of %s without a "
                            "figure</caption><thead><tr><th scope=\"col\" class=\"govuk-table__header\">Indicator</th>"
                            "<th scope=\"col\" class=\"govuk-table__header\">Months without a figure</th></tr></thead>"
                            "<tbody>\n",
                         pname ? pname : "No partner named", pname ? pname : "no partner");
                shown = 1;
            }
            buf_reset(&t);
            period_format_months_gaps(&t, missing, nmiss, d.fy_start); /* "October to December 2011" */
            web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\"><a class=\"govuk-link\" "
                        "href=\"/indicators/%u?area=%u&amp;period=%u\">%s</a></th><td class=\"govuk-table__cell\">%s",
                     ind->code, buf_cstr(&area), buf_cstr(&ptext), ind->title, buf_cstr(&t));
            if (web_auth_may_edit_partner(r, ind->partner)) /* straight to its box on the entry form */
                web_html(b, "<br><a class=\"govuk-link\" href=\"/enter?area=%u&amp;period=%u#%s%s\">Enter the figure"
                            "<span class=\"govuk-visually-hidden\"> for %s</span></a>",
                         buf_cstr(&area), buf_cstr(&ptext), ind->def.aggregate == AGG_RATIO ? "n-" : "v-", ind->code,
                         ind->title);
            web_html(b, "</td></tr>\n");
            int row = doc_table_row(dt);
            const char *cells[] = {"Indicator", pname ? pname : "", ind->title, buf_cstr(&t)};
            for (int c = 0; c < 4; c++)
                doc_cell_set(doc_table_cell(dt, row, c), cells[c], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
            total++;
        }
        if (shown)
            web_html(b, "</tbody></table>\n");
    }
    free(missing);
    if (!total)
        web_html(b, "<p class=\"govuk-body\">Every indicator has a figure for %s.</p>\n", buf_cstr(&ptext));
    web_html(b, "<h2 class=\"govuk-heading-m\">Projects without an update</h2>\n");
    /* By lead partner, then in the plan's order. */
    Project **late = xcalloc((size_t)nprojects + 1, sizeof *late);
    int nproj = 0;
    for (int k = 0; k < nprojects; k++) {
        Status st;
        char *comm = NULL;
        if (store_status_for(r->store, projects[k].id, p, &st, &comm, &err) < 0) {
            free(late);
            doc_blocks_release(&bl);
            goto out;
        }
        free(comm);
        if (st == STATUS_UNREPORTED)
            late[nproj++] = &projects[k];
    }
    qsort(late, (size_t)nproj, sizeof *late, web_pages_lead_cmp);
    for (int k = 0; k < nproj; k++) {
        if (!k)
            web_html(b, "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-visually-hidden\">"
                        "Projects without an update, by lead partner</caption><thead><tr><th scope=\"col\" "
                        "class=\"govuk-table__header\">Lead partner</th><th scope=\"col\" "
                        "class=\"govuk-table__header\">Project</th></tr></thead><tbody>\n");
        web_html(b, "<tr><td class=\"govuk-table__cell\">%s</td><th scope=\"row\" class=\"govuk-table__cell\"><a "
                    "class=\"govuk-link\" href=\"/projects/%u?period=%u\">%s</a></th></tr>\n",
                 late[k]->lead ? late[k]->lead : "None named", late[k]->code, buf_cstr(&ptext), late[k]->title);
        int row = doc_table_row(dt);
        const char *cells[] = {"Project", late[k]->lead ? late[k]->lead : "", late[k]->title, ""};
        for (int c = 0; c < 4; c++)
            doc_cell_set(doc_table_cell(dt, row, c), cells[c], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    }
    free(late);
    if (nproj)
        web_html(b, "</tbody></table>\n");
    else
        web_html(b, "<p class=\"govuk-body\">Every project has an update for %s.</p>\n", buf_cstr(&ptext));
    web_html_end(r);
    if (format) {
        buf_reset(&t);
        buf_printf(&t, "chase-%s-%s", buf_cstr(&area), buf_cstr(&ptext));
        if (r->period_error[0])
            web_error(r, MHD_HTTP_BAD_REQUEST, r->period_error);
        else
            web_download(r, dt, format, buf_cstr(&t));
    }
    doc_blocks_release(&bl);
    rc = 0;
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    store_web_names_free(partners, npartners);
    store_projects_free(projects, nprojects);
    if (loaded)
        dataset_release(&d);
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&t);
    err_release(&err);
    return rc;
}

/* ---- report ---- */

/* Is name a template name we serve: letters, digits, '.', '-', '_', not
 * starting with '.' (so never a path)? */
static int web_pages_template_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (!n || n > WEB_TEMPLATE_NAME_MAX || name[0] == '.')
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
              *c == '-' || *c == '_'))
            return 0;
    return 1;
}

static int web_pages_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every template's name: the embedded examples', then each NAME.md in the
 * --templates folder, in name order. Caller frees with store_web_names_free. */
void web_pages_template_names(const WebReq *r, char ***out, int *n)
{
    int cap = 8;
    size_t sl = strlen(WEB_TEMPLATE_SUFFIX);
    *n = 0;
    *out = xcalloc((size_t)cap, sizeof **out);
    for (const EmbedFile *f = embed_files; f->name; f++) {
        size_t len = strlen(f->name);
        if (len <= sl || strcmp(f->name + len - sl, WEB_TEMPLATE_SUFFIX) != 0)
            continue;
        if (*n == cap)
            *out = xrealloc(*out, (size_t)(cap *= 2) * sizeof **out);
        (*out)[(*n)++] = xstrndup(f->name, len - sl);
    }
    int embedded = *n;
    const char *dir = web_templates_dir(r);
    DIR *dp = dir ? opendir(dir) : NULL;
    struct dirent *de;
    while (dp && (de = readdir(dp)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len <= 3 || strcmp(de->d_name + len - 3, ".md") != 0)
            continue;
        char *name = xstrndup(de->d_name, len - 3);
        if (!web_pages_template_name_ok(name)) {
            free(name);
            continue;
        }
        if (*n == cap)
            *out = xrealloc(*out, (size_t)(cap *= 2) * sizeof **out);
        (*out)[(*n)++] = name;
    }
    if (dp)
        closedir(dp);
    qsort(*out + embedded, (size_t)(*n - embedded), sizeof **out, web_pages_name_cmp);
}

/* Load template `name` into text; path names it in error messages.
 * Returns 1 found, 0 not found (or not a name we serve). */
int web_pages_template(const WebReq *r, const char *name, Buf *text, Buf *path)
{
    buf_reset(text);
    buf_reset(path);
    if (!web_pages_template_name_ok(name))
        return 0;
    const char *dir = web_templates_dir(r);
    if (dir) {
        buf_printf(path, "%s/%s.md", dir, name);
        FILE *fp = fopen(buf_cstr(path), "rb");
        if (fp) {
            char chunk[8192];
            size_t got;
            while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && text->len <= WEB_TEMPLATE_MAX)
                buf_append(text, chunk, got);
            fclose(fp);
            return 1;
        }
        buf_reset(path);
    }
    size_t sl = strlen(WEB_TEMPLATE_SUFFIX);
    for (const EmbedFile *f = embed_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (n > sl && strcmp(f->name + n - sl, WEB_TEMPLATE_SUFFIX) == 0 && strlen(name) == n - sl &&
            strncmp(f->name, name, n - sl) == 0) {
            buf_append(text, f->data, f->len);
            buf_puts(path, f->name);
            return 1;
        }
    }
    return 0;
}

/* Build the report document; on failure a 400 page saying why. */
/* Build the report's document; with format, also render it into r->out with
 * the report's figures (a workbook's Figures, Delivery and project sheets, as
 * `kpi report` makes them). */
static int web_pages_report_doc(WebReq *r, const Buf *text, const Buf *path, Period p, const char *area, Doc **doc,
                                const char *format)
{
    Dataset d;
    ReportCtx ctx;
    Project *projects = NULL;
    int nprojects = 0, a, rc = -1;
    Err err = ERR_INIT;
    *doc = NULL;
    if (web_pages_load(r, p, area, &d, &a) < 0)
        return -1;
    if (dataset_report(r->store, &d, a, &ctx, &projects, &nprojects, &err) < 0) {
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The figures cannot be computed.");
        goto out;
    }
    if (text->len > WEB_TEMPLATE_MAX)
        web_error(r, MHD_HTTP_BAD_REQUEST, "The template is too large.");
    else if (template_build(buf_cstr(text), text->len, buf_cstr(path), &ctx, doc, &err) < 0)
        web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
    else
        rc = 0;
    if (rc == 0 && format) {
        RenderOpts ropts = {NULL, &ctx};
        buf_reset(&r->out);
        if (render_doc_opts(*doc, format, &ropts, &r->out, &err) < 0) {
            web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
            rc = -1;
        }
    }
    dataset_report_release(&ctx, projects, nprojects);
out:
    dataset_release(&d);
    err_release(&err);
    return rc;
}

int web_pages_report(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, text = BUF_INIT, path = BUF_INIT;
    Dataset d;
    int a, loaded = 0, nnames = 0;
    char **names = NULL;
    Doc *doc = NULL;
    const char *tname = web_query(r, "template");

    if (web_pages_scope(r, &p, &ptext, &area) < 0 || web_pages_load(r, p, buf_cstr(&area), &d, &a) < 0)
        goto out;
    loaded = 1;
    if (tname && !web_pages_template(r, tname, &text, &path)) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no report template of that name.");
        goto out;
    }
    if (tname && web_pages_report_doc(r, &text, &path, p, buf_cstr(&area), &doc, NULL) < 0)
        goto out;
    web_pages_template_names(r, &names, &nnames);
    web_html_begin(r, "Report", "report");
    Buf *b = &r->out;
    web_html(b, "<h1 class=\"govuk-heading-l\">Report</h1>\n<p class=\"govuk-body\">Choose a template, an area and a "
                "period to preview the paper, then download it.</p>\n<form class=\"app-filter\" method=\"get\" "
                "action=\"/report\">\n<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" "
                "for=\"template\">Template</label>\n<select class=\"govuk-select\" id=\"template\" name=\"template\">\n");
    for (int k = 0; k < nnames; k++)
        web_html(b, "<option value=\"%s\"%s>%s</option>\n", names[k],
                 tname && strcmp(tname, names[k]) == 0 ? " selected" : "", names[k]);
    web_html(b, "</select></div>\n<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" "
                "for=\"area\">Area</label>\n<select class=\"govuk-select\" id=\"area\" name=\"area\">\n");
    for (int k = 0; k < d.nareas; k++)
        web_html(b, "<option value=\"%s\"%s>%s</option>\n", d.areas[k], k == a ? " selected" : "", d.areas[k]);
    web_html(b, "</select></div>\n");
    web_html_period_select(r, b, p, 1, 1);
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Preview</button>\n</form>\n");
    if (doc) {
        web_html(b, "<h2 class=\"govuk-heading-m\">Download</h2>\n<ul class=\"govuk-list\">\n");
        for (int k = 0; k < WEB_NFORMATS; k++) {
            if (!render_format_known(web_report_formats[k]))
                continue;
            web_html(b, "<li><a class=\"govuk-link\" download href=\"/report/download?template=%u&amp;area=%u&amp;"
                        "period=%u&amp;format=%u\">Download the report as %s (.%s)</a></li>\n",
                     tname, buf_cstr(&area), buf_cstr(&ptext), web_report_formats[k],
                     render_format_label(web_report_formats[k]), web_report_formats[k]);
        }
        web_html(b, "</ul>\n<h2 class=\"govuk-heading-m\">Preview</h2>\n<div class=\"app-preview paper\" role=\"region\" aria-label=\"Preview\" tabindex=\"0\">\n");
        render_html_blocks(&doc->body, b);
        web_html(b, "</div>\n");
    }
    web_html_end(r);
out:
    if (doc)
        doc_free(doc);
    if (loaded)
        dataset_release(&d);
    store_web_names_free(names, nnames);
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&text);
    buf_release(&path);
    return 0;
}

int web_pages_report_download(WebReq *r)
{
    Period p;
    Buf ptext = BUF_INIT, area = BUF_INIT, disp = BUF_INIT, text = BUF_INIT, path = BUF_INIT;
    Doc *doc = NULL;
    Err err = ERR_INIT;
    const char *tname = web_query(r, "template"), *format = web_query(r, "format");
    int k;

    if (web_pages_scope(r, &p, &ptext, &area) < 0)
        goto out;
    for (k = 0; k < WEB_NFORMATS; k++)
        if (format && strcmp(format, web_report_formats[k]) == 0)
            break;
    if (k == WEB_NFORMATS || !render_format_known(format)) {
        Buf m = BUF_INIT;
        buf_printf(&m, "Unknown format: choose one of %s.", render_format_list());
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
        buf_release(&m);
        goto out;
    }
    if (!tname || !web_pages_template(r, tname, &text, &path)) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no report template of that name.");
        goto out;
    }
    if (web_pages_report_doc(r, &text, &path, p, buf_cstr(&area), &doc, format) < 0)
        goto out;
    r->ctype = render_format_mime(format);
    /* The file name holds only safe characters: letters, digits, '-'. */
    buf_puts(&disp, "attachment; filename=\"report-");
    const char *parts[2] = {buf_cstr(&area), buf_cstr(&ptext)};
    for (int i = 0; i < 2; i++) {
        for (const char *c = parts[i]; *c; c++)
            buf_putc(&disp, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ? *c : '-');
        buf_putc(&disp, i ? '.' : '-');
    }
    buf_puts(&disp, format);
    buf_putc(&disp, '"');
    web_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, buf_cstr(&disp));
    /* The HTML paper carries its own inline stylesheet; still no script. */
    r->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
out:
    if (doc)
        doc_free(doc);
    buf_release(&ptext);
    buf_release(&area);
    buf_release(&disp);
    buf_release(&text);
    buf_release(&path);
    err_release(&err);
    return 0;
}
