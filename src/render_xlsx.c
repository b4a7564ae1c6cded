/* render_xlsx.c — the paper as a workbook, through libxlsxwriter: a sheet per
 * table of the document (named after its caption or the heading above it), a
 * Projects sheet (the project cards; every project, RAG blank where one has
 * not reported, when the caller passes the report's figures), and with the
 * report's figures a Delivery sheet (counts and percentages of the reported)
 * and a Figures sheet with every compare row behind the paper in the
 * docs/cli.md's compare columns. Numbers are written from the cells' values (doc.h's
 * DocValue), never from their printed text: every figure is stored once,
 * rounded as shown, every percentage a fraction with a % format, on every
 * sheet; RAG stays text, coloured by conditional formats so that the fill
 * follows an edited word; header rows are frozen and filtered; columns are
 * sized to what they hold.
 *
 * libxlsxwriter writes to a file name, so the workbook is made in a private
 * temporary file, read back into the caller's Buf and removed. */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "chart.h"
#include "present.h"
#include "render_paper.h"
#include "spc.h"
#include "report.h"
#include "lazy_xlsxwriter.h" /* after the library's header */

#define XLSX_SHEET_NAME_MAX 31   /* characters a sheet name may have */
#define XLSX_COL_MIN 6.0         /* column widths, in characters */
#define XLSX_COL_MAX 60.0
#define XLSX_COL_PAD 2.0
#define XLSX_MAX_DEC 6           /* decimals a number format is made for */
#define XLSX_FIGURES_SHEET "Figures"
#define XLSX_PROJECTS_SHEET "Projects"
#define XLSX_DELIVERY_SHEET "Delivery"
#define XLSX_HEADER_FILL 0xDFE7EF /* as the HTML's table heads */

/* Number formats: [percent][sign][decimals], made on first use. */
typedef struct XlsxState {
    lxw_workbook *wb;
    lxw_format *head, *text, *wrap;
    lxw_format *num[2][2][XLSX_MAX_DEC + 1];
    lxw_format *pp[XLSX_MAX_DEC + 1];        /* percentage points */
    lxw_format *rag[DOC_RAG_UNREPORTED + 1];
    char **names;                            /* sheet names taken, for uniqueness */
    int nnames;
    double *width;                           /* per column of the sheet being written */
    int ncols;
} XlsxState;

static lxw_format *xlsx_num_format(XlsxState *st, int percent, int sign, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > XLSX_MAX_DEC)
        decimals = XLSX_MAX_DEC;
    lxw_format **slot = &st->num[percent][sign][decimals];
    if (!*slot) {
        Buf base = BUF_INIT, f = BUF_INIT;
        buf_puts(&base, "0");
        if (decimals) {
            buf_putc(&base, '.');
            for (int i = 0; i < decimals; i++)
                buf_putc(&base, '0');
        }
        if (percent)
            buf_putc(&base, '%');
        if (sign)
            buf_printf(&f, "+%s;-%s;%s", buf_cstr(&base), buf_cstr(&base), buf_cstr(&base));
        else
            buf_puts(&f, buf_cstr(&base));
        *slot = workbook_add_format(st->wb);
        format_set_num_format(*slot, buf_cstr(&f));
        format_set_align(*slot, LXW_ALIGN_RIGHT);
        buf_release(&base);
        buf_release(&f);
    }
    return *slot;
}

static lxw_format *xlsx_pp_format(XlsxState *st, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > XLSX_MAX_DEC)
        decimals = XLSX_MAX_DEC;
    if (!st->pp[decimals]) {
        Buf base = BUF_INIT, f = BUF_INIT;
        buf_puts(&base, "0");
        if (decimals) {
            buf_putc(&base, '.');
            for (int i = 0; i < decimals; i++)
                buf_putc(&base, '0');
        }
        buf_printf(&f, "+%s\" pp\";-%s\" pp\";%s\" pp\"", buf_cstr(&base), buf_cstr(&base), buf_cstr(&base));
        st->pp[decimals] = workbook_add_format(st->wb);
        format_set_num_format(st->pp[decimals], buf_cstr(&f));
        buf_release(&base);
        buf_release(&f);
    }
    return st->pp[decimals];
}

/* The number and format of a cell's figure (doc.h's DocValue): the value
 * rounded as shown, a percentage as a fraction with a % format, percentage
 * points with a " pp" format. Every sheet stores a figure this way. */
static void xlsx_value(XlsxState *st, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const DocValue *v)
{
    lxw_format *fmt = v->kind == DOC_VALUE_PP ? xlsx_pp_format(st, v->decimals)
                                              : xlsx_num_format(st, v->kind == DOC_VALUE_PERCENT, v->sign, v->decimals);
    worksheet_write_number(ws, row, col, fq_to_double(doc_value_stored(v)), fmt);
}

/* Track the widest text of column c. */
static void xlsx_measure(XlsxState *st, int c, const char *text)
{
    if (c >= st->ncols) {
        st->width = xrealloc(st->width, (size_t)(c + 1) * sizeof *st->width);
        for (int i = st->ncols; i <= c; i++)
            st->width[i] = XLSX_COL_MIN;
        st->ncols = c + 1;
    }
    double w = 0, line = 0;
    for (const char *p = text; *p; p++) { /* the longest line, in characters */
        if (*p == '\n') {
            line = 0;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            line++;
            if (line > w)
                w = line;
        }
    }
    w += XLSX_COL_PAD;
    if (w > st->width[c])
        st->width[c] = w > XLSX_COL_MAX ? XLSX_COL_MAX : w;
}

static void xlsx_widths(XlsxState *st, lxw_worksheet *ws)
{
    for (int c = 0; c < st->ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, st->width[c],
                             st->width[c] >= XLSX_COL_MAX ? st->wrap : NULL);
    st->ncols = 0;
}

/* A sheet named after `want`: characters Excel refuses dropped, at most
 * XLSX_SHEET_NAME_MAX characters, unique in the workbook. */
static lxw_worksheet *xlsx_sheet(XlsxState *st, const char *want, int fallback_no)
{
    Buf base = BUF_INIT, name = BUF_INIT;
    int chars = 0;
    for (const char *p = want ? want : ""; *p; p++) {
        if (strchr("[]:*?/\\", *p) || (unsigned char)*p < 0x20)
            continue;
        if (*p == ' ' && (base.len == 0 || base.data[base.len - 1] == ' '))
            continue; /* what was dropped leaves one space, not two */
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (chars == XLSX_SHEET_NAME_MAX - 4) /* room for " (2)" */
                break;
            chars++;
        }
        buf_putc(&base, *p);
    }
    while (base.len && (base.data[base.len - 1] == ' ' || base.data[base.len - 1] == '\''))
        base.data[--base.len] = '\0';
    while (base.len && base.data[0] == '\'') {
        memmove(base.data, base.data + 1, base.len);
        base.len--;
    }
    if (!base.len)
        buf_printf(&base, "Table %d", fallback_no);
    for (int k = 1;; k++) {
        buf_reset(&name);
        buf_puts(&name, buf_cstr(&base));
        if (k > 1)
            buf_printf(&name, " (%d)", k);
        int taken = 0;
        for (int i = 0; i < st->nnames; i++)
            if (strcasecmp(st->names[i], buf_cstr(&name)) == 0)
                taken = 1;
        if (!taken)
            break;
    }
    st->names = xrealloc(st->names, (size_t)(st->nnames + 1) * sizeof *st->names);
    st->names[st->nnames++] = buf_detach(&name);
    buf_release(&base);
    buf_release(&name);
    return workbook_add_worksheet(st->wb, st->names[st->nnames - 1]);
}

/* Conditional fills for RAG words in a column range. */
static void xlsx_rag_rules(XlsxState *st, lxw_worksheet *ws, int r1, int c1, int r2, int c2)
{
    static const DocRag rags[] = {DOC_RAG_GREEN, DOC_RAG_AMBER, DOC_RAG_RED, DOC_RAG_COMPLETE};
    if (r2 < r1)
        return;
    for (size_t i = 0; i < sizeof rags / sizeof rags[0]; i++) {
        char word[32]; /* Excel compares words without case: "green" is "Green" */
        snprintf(word, sizeof word, "\"%s\"", present_mark((PresentMark)rags[i])->name);
        lxw_conditional_format cf;
        memset(&cf, 0, sizeof cf);
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
        cf.value_string = word;
        cf.format = st->rag[rags[i]];
        worksheet_conditional_format_range(ws, (lxw_row_t)r1, (lxw_col_t)c1, (lxw_row_t)r2, (lxw_col_t)c2, &cf);
    }
}

static void xlsx_header_cell(XlsxState *st, lxw_worksheet *ws, int c, const char *text)
{
    worksheet_write_string(ws, 0, (lxw_col_t)c, text, st->head);
    xlsx_measure(st, c, text);
}

/* An SPC chart as a sheet: a row per point (period, value, what it shows),
 * the mean, limits and target beside each point as columns a chart can draw,
 * a column per kind of special cause holding the points of that kind, the
 * variation and assurance in words below, and Excel's own line chart of them
 * (special-cause points as markers of their colour and shape). Numbers are
 * stored as numbers. */
static void xlsx_spc(XlsxState *st, const DocChart *c, int no)
{
    enum { C_PERIOD, C_VALUE, C_SHOWS, C_MEAN, C_LOWER, C_UPPER, C_TARGET, C_MARKS, NCOLS = C_MARKS + 3 };
    static const char *const heads[NCOLS] = {"Period", "Value", "Shows", "Mean", "Lower process limit",
                                             "Upper process limit", "Target", "Improvement", "Concern",
                                             "Neutral"};
    lxw_worksheet *ws = xlsx_sheet(st, c->title, no);
    const DocSpc *spc = &c->spc;
    int n = c->ncats;
    for (int k = 0; k < NCOLS; k++)
        xlsx_header_cell(st, ws, k, heads[k]);
    for (int i = 0; i < n; i++) {
        const DocChartPoint *p = &c->series[0].pts[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        worksheet_write_string(ws, r, C_PERIOD, c->cats[i], st->text);
        xlsx_measure(st, C_PERIOD, c->cats[i]);
        if (p->has) {
            worksheet_write_number(ws, r, C_VALUE, p->v, NULL);
            if (spc->marks[i] != DOC_SPC_COMMON)
                worksheet_write_number(ws, r, (lxw_col_t)(C_MARKS + spc->marks[i] - 1), p->v, NULL);
        }
        const char *shows = p->has ? doc_spc_mark_word(spc->marks[i]) : "no figure";
        worksheet_write_string(ws, r, C_SHOWS, shows, st->text);
        xlsx_measure(st, C_SHOWS, shows);
        if (spc->has_limits) {
            worksheet_write_number(ws, r, C_MEAN, spc->mean, NULL);
            worksheet_write_number(ws, r, C_LOWER, spc->lower, NULL);
            worksheet_write_number(ws, r, C_UPPER, spc->upper, NULL);
        }
        if (spc->has_target)
            worksheet_write_number(ws, r, C_TARGET, spc->target, NULL);
    }
    lxw_row_t below = (lxw_row_t)(n + 2);
    if (spc->variation_words) {
        worksheet_write_string(ws, below, 0, "Variation", st->head);
        worksheet_write_string(ws, below, 1, spc->variation_words, st->text);
        below++;
    }
    if (spc->assurance_words) {
        worksheet_write_string(ws, below, 0, "Assurance", st->head);
        worksheet_write_string(ws, below, 1, spc->assurance_words, st->text);
    }
    worksheet_freeze_panes(ws, 1, 0);
    xlsx_widths(st, ws);
    if (n == 0)
        return;
    int present[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i++)
        if (c->series[0].pts[i].has)
            present[(unsigned)spc->marks[i] < 4 ? spc->marks[i] : 0] = 1;
    lxw_chart *ch = workbook_add_chart(st->wb, LXW_CHART_LINE);
    const char *sheet = st->names[st->nnames - 1];
    struct {
        int col, show;
        const char *colour;
        uint8_t dash, marker;
    } series[] = {
        {C_VALUE, 1, chart_spc_colour(DOC_SPC_COMMON), LXW_CHART_LINE_DASH_SOLID, LXW_CHART_MARKER_CIRCLE},
        {C_MEAN, spc->has_limits, CHART_SPC_MEAN, LXW_CHART_LINE_DASH_SOLID, LXW_CHART_MARKER_NONE},
        {C_LOWER, spc->has_limits, CHART_SPC_LIMIT, LXW_CHART_LINE_DASH_DASH, LXW_CHART_MARKER_NONE},
        {C_UPPER, spc->has_limits, CHART_SPC_LIMIT, LXW_CHART_LINE_DASH_DASH, LXW_CHART_MARKER_NONE},
        {C_TARGET, spc->has_target, CHART_SPC_TARGET, LXW_CHART_LINE_DASH_ROUND_DOT, LXW_CHART_MARKER_NONE},
        {C_MARKS, present[DOC_SPC_IMPROVEMENT], chart_spc_colour(DOC_SPC_IMPROVEMENT), 0, LXW_CHART_MARKER_DIAMOND},
        {C_MARKS + 1, present[DOC_SPC_CONCERN], chart_spc_colour(DOC_SPC_CONCERN), 0, LXW_CHART_MARKER_SQUARE},
        {C_MARKS + 2, present[DOC_SPC_NEUTRAL], chart_spc_colour(DOC_SPC_NEUTRAL), 0, LXW_CHART_MARKER_TRIANGLE},
    };
    for (size_t k = 0; k < sizeof series / sizeof series[0]; k++) {
        if (!series[k].show)
            continue;
        lxw_color_t colour = (lxw_color_t)strtoul(series[k].colour + 1, NULL, 16);
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(se, sheet, 1, C_PERIOD, (lxw_row_t)n, C_PERIOD);
        chart_series_set_values(se, sheet, 1, (lxw_col_t)series[k].col, (lxw_row_t)n, (lxw_col_t)series[k].col);
        chart_series_set_name_range(se, sheet, 0, (lxw_col_t)series[k].col);
        lxw_chart_line line;
        memset(&line, 0, sizeof line);
        line.color = colour;
        if (series[k].col >= C_MARKS) {
            line.none = 1; /* markers only */
        } else {
            line.dash_type = series[k].dash;
            line.width = series[k].col == C_VALUE ? 1.5f : 1.0f;
        }
        chart_series_set_line(se, &line);
        chart_series_set_marker_type(se, series[k].marker);
        if (series[k].marker != LXW_CHART_MARKER_NONE) {
            chart_series_set_marker_size(se, series[k].col >= C_MARKS ? 7 : 5);
            lxw_chart_fill mfill;
            memset(&mfill, 0, sizeof mfill);
            mfill.color = colour;
            chart_series_set_marker_fill(se, &mfill);
            lxw_chart_line mline;
            memset(&mline, 0, sizeof mline);
            mline.color = colour;
            chart_series_set_marker_line(se, &mline);
        }
    }
    chart_title_set_name(ch, c->title);
    if (c->axis) /* the y axis's title the other formats draw (doc_chart_axis) */
        chart_axis_set_name(ch->y_axis, c->axis);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    double lo, hi; /* the axis the other formats draw, in round numbers: a control chart need not show 0 */
    chart_value_span(c, &lo, &hi);
    if (hi > lo) {
        double step = pow(10.0, floor(log10(hi - lo)));
        chart_axis_set_min(ch->y_axis, floor(lo / step) * step);
        chart_axis_set_max(ch->y_axis, ceil(hi / step) * step);
    }
    lxw_chart_options co;
    memset(&co, 0, sizeof co);
    co.x_scale = 1.6;
    co.y_scale = 1.3;
    worksheet_insert_chart_opt(ws, 1, NCOLS + 1, ch, &co);
}

/* A benchmark chart (DocChart .whiskers) as a sheet and Excel's own chart.
 * libxlsxwriter 1.1 has no custom error bars (only fixed, percentage,
 * standard error and deviation, the same for every point) and cannot combine
 * charts, so the interval is drawn by stacking: a horizontal stacked bar per
 * area of three segments — 0 to the lower limit and the lower limit to the
 * rate, filled (together the bar, as long as the rate), and the rate to the
 * upper limit, hollow; the last two are outlined, so the outline runs from
 * the lower to the upper limit: the interval. The group rate is the last row,
 * a purple bar ("Group rate"), since a bar chart cannot draw a vertical line.
 * Rows in the chart's order (first at the top); the home area's bar
 * vermillion and its name with "*". The sheet holds the figures (area, rate,
 * lower, upper, group rate) and the three segments the chart stacks. */
static void xlsx_bench(XlsxState *st, const DocChart *c, int no)
{
    enum { C_AREA, C_RATE, C_LOWER, C_UPPER, C_GROUP, C_SEG, NCOLS = C_SEG + 3 };
    static const char *const heads[NCOLS] = {"Area", "Rate", "95% lower", "95% upper", "Group rate",
                                             "Bar to the lower limit", "Bar from the lower limit",
                                             "Interval above the rate"};
    lxw_worksheet *ws = xlsx_sheet(st, c->title, no);
    const char *sheet = st->names[st->nnames - 1];
    const DocChartPoint *grp = NULL;
    int n = c->ncats;
    for (int k = 0; k < NCOLS; k++)
        xlsx_header_cell(st, ws, k, heads[k]);
    for (int i = 0; i < n && !grp; i++)
        if (c->series[3].pts[i].has)
            grp = &c->series[3].pts[i];
    Buf name = BUF_INIT;
    for (int i = 0; i < n; i++) {
        const DocChartPoint *p = &c->series[0].pts[i], *lo = &c->series[1].pts[i], *up = &c->series[2].pts[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        buf_reset(&name);
        buf_printf(&name, "%s%s", c->cats[i], c->whisker_home == i + 1 ? " *" : "");
        worksheet_write_string(ws, r, C_AREA, buf_cstr(&name), st->text);
        xlsx_measure(st, C_AREA, buf_cstr(&name));
        if (p->has)
            worksheet_write_number(ws, r, C_RATE, p->v, xlsx_num_format(st, 0, 0, 2));
        if (lo->has)
            worksheet_write_number(ws, r, C_LOWER, lo->v, xlsx_num_format(st, 0, 0, 2));
        if (up->has)
            worksheet_write_number(ws, r, C_UPPER, up->v, xlsx_num_format(st, 0, 0, 2));
        if (grp)
            worksheet_write_number(ws, r, C_GROUP, grp->v, xlsx_num_format(st, 0, 0, 2));
        /* the segments as numbers, not formulas: libxlsxwriter caches 0 for a formula in the chart, which
         * a reader that does not recalculate would draw */
        if (p->has && lo->has && up->has && lo->v <= p->v && p->v <= up->v) {
            worksheet_write_number(ws, r, C_SEG, lo->v, xlsx_num_format(st, 0, 0, 2));
            worksheet_write_number(ws, r, C_SEG + 1, round((p->v - lo->v) * 1e6) / 1e6, xlsx_num_format(st, 0, 0, 2));
            worksheet_write_number(ws, r, C_SEG + 2, round((up->v - p->v) * 1e6) / 1e6, xlsx_num_format(st, 0, 0, 2));
        } else if (p->has) { /* no interval: the bar alone */
            worksheet_write_number(ws, r, C_SEG, p->v, xlsx_num_format(st, 0, 0, 2));
        }
    }
    int rows = n;
    if (grp) {
        lxw_row_t r = (lxw_row_t)(n + 1);
        worksheet_write_string(ws, r, C_AREA, c->series[3].name, st->text);
        worksheet_write_number(ws, r, C_GROUP, grp->v, xlsx_num_format(st, 0, 0, 2));
        worksheet_write_number(ws, r, C_SEG, grp->v, xlsx_num_format(st, 0, 0, 2));
        rows++;
    }
    buf_release(&name);
    if (c->whisker_unit[0]) {
        worksheet_write_string(ws, (lxw_row_t)(rows + 2), C_AREA, "Rates", st->head);
        worksheet_write_string(ws, (lxw_row_t)(rows + 2), C_RATE, c->whisker_unit, st->text);
    }
    if (c->whisker_home) {
        worksheet_write_string(ws, (lxw_row_t)(rows + 3), C_AREA, "*", st->head);
        worksheet_write_string(ws, (lxw_row_t)(rows + 3), C_RATE, "the report's area", st->text);
    }
    worksheet_freeze_panes(ws, 1, 0);
    xlsx_widths(st, ws);
    if (rows == 0)
        return;

    lxw_chart *ch = workbook_add_chart(st->wb, LXW_CHART_BAR_STACKED);
    lxw_color_t blue = 0x0072B2, home = 0xD55E00, group = 0x6F3D91, ink = 0x222222;
    lxw_chart_fill fill_blue = {blue, 0, 0}, fill_home = {home, 0, 0}, fill_group = {group, 0, 0};
    lxw_chart_fill fill_none = {0, 1, 0};
    lxw_chart_line line_ink = {ink, 0, 1.25f, 0, 0}, line_none = {0, 1, 0, 0, 0};
    lxw_chart_point plain = {NULL, NULL, NULL}, home_pt = {NULL, &fill_home, NULL}, group_pt = {NULL, &fill_group, NULL};
    lxw_chart_point home_box = {&line_ink, &fill_home, NULL};
    lxw_chart_point **pts = xcalloc((size_t)rows + 1, sizeof *pts);
    for (int s = 0; s < 3; s++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        chart_series_set_categories(se, sheet, 1, C_AREA, (lxw_row_t)rows, C_AREA);
        chart_series_set_values(se, sheet, 1, (lxw_col_t)(C_SEG + s), (lxw_row_t)rows, (lxw_col_t)(C_SEG + s));
        chart_series_set_name(se, s == 0 ? c->series[0].name : s == 1 ? "Rate (from the lower limit)" : "95% interval");
        chart_series_set_fill(se, s == 2 ? &fill_none : &fill_blue);
        chart_series_set_line(se, s == 0 ? &line_none : &line_ink);
        if (s == 2)
            continue;
        for (int i = 0; i < rows; i++)
            pts[i] = i == n ? &group_pt : c->whisker_home == i + 1 ? (s == 0 ? &home_pt : &home_box) : &plain;
        pts[rows] = NULL;
        chart_series_set_points(se, pts);
    }
    free(pts);
    int16_t hide[] = {1, -1};
    chart_legend_delete_series(ch, hide);
    chart_title_set_name(ch, c->title);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_set_series_gap(ch, 50); /* bars as thick as the other formats draw them */
    double hi, step;
    chart_bench_axis(c, &hi, &step);
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_max(ch->x_axis, hi);
    chart_axis_set_major_unit(ch->x_axis, step);
    if (c->whisker_unit[0])
        chart_axis_set_name(ch->x_axis, c->whisker_unit);
    chart_axis_set_reverse(ch->y_axis); /* the first row at the top */
    chart_axis_set_crossing_max(ch->y_axis);
    lxw_chart_options co;
    memset(&co, 0, sizeof co);
    co.x_scale = 1.6;
    co.y_scale = rows > 10 ? 1.0 + 0.08 * (rows - 10) + 0.6 : 1.3;
    worksheet_insert_chart_opt(ws, 1, NCOLS + 1, ch, &co);
}

/* One document table as a sheet. */
static void xlsx_table(XlsxState *st, const DocTable *t, const char *heading, int no)
{
    lxw_worksheet *ws = xlsx_sheet(st, t->caption ? t->caption : heading, no);
    int row = 0, rag_first = -1, rag_last = -1;
    if (!ws)
        return;
    if (t->has_head) {
        for (int c = 0; c < t->ncols; c++)
            xlsx_header_cell(st, ws, c, t->head[c].text);
        row = 1;
    }
    for (int r = 0; r < t->nrows; r++, row++) {
        for (int c = 0; c < t->ncols; c++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            if (cell->rag != DOC_RAG_NONE) {
                rag_first = rag_first < 0 || c < rag_first ? c : rag_first;
                rag_last = c > rag_last ? c : rag_last;
            }
            if (cell->value.kind != DOC_VALUE_NONE)
                xlsx_value(st, ws, (lxw_row_t)row, (lxw_col_t)c, &cell->value);
            else if (cell->text[0])
                worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, cell->text, st->text);
            xlsx_measure(st, c, cell->text);
        }
    }
    for (int i = 0; i < t->nnotes; i++, row++) {
        Buf note = BUF_INIT;
        buf_printf(&note, "Note: %s", t->notes[i]);
        worksheet_write_string(ws, (lxw_row_t)(row + 1), 0, buf_cstr(&note), NULL);
        buf_release(&note);
    }
    if (rag_first >= 0)
        xlsx_rag_rules(st, ws, t->has_head, rag_first, t->has_head + t->nrows - 1, rag_last);
    if (t->has_head) {
        worksheet_freeze_panes(ws, 1, 0);
        if (t->nrows > 0)
            worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows, (lxw_col_t)(t->ncols - 1));
    }
    xlsx_widths(st, ws);
}

/* Blocks as plain text, one line per paragraph or list item. */
static void xlsx_plain_blocks(const DocBlocks *bl, Buf *out)
{
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        if (b->kind == DOC_PARA || b->kind == DOC_HEADING) {
            if (out->len)
                buf_putc(out, '\n');
            doc_text_plain(b->kind == DOC_PARA ? &b->u.para : &b->u.heading.text, out);
        } else if (b->kind == DOC_LIST) {
            for (int k = 0; k < b->u.list.n; k++) {
                const DocListItem *it = &b->u.list.items[k];
                if (out->len)
                    buf_putc(out, '\n');
                for (int d = 0; d < it->depth; d++)
                    buf_puts(out, "  ");
                if (it->number)
                    buf_printf(out, "%d. ", it->number);
                else
                    buf_puts(out, "\xe2\x80\xa2 ");
                doc_text_plain(&it->text, out);
            }
        }
    }
}

static void xlsx_collect_cards(const DocBlocks *bl, const DocCard ***cards, int *n)
{
    for (int i = 0; i < bl->n; i++) {
        if (bl->v[i]->kind != DOC_CARD)
            continue;
        *cards = xrealloc(*cards, (size_t)(*n + 1) * sizeof **cards);
        (*cards)[(*n)++] = &bl->v[i]->u.card;
    }
}

/* The project cards as one sheet: Project, Lead Partner, RAG Status, Commentary, What is it? */
static void xlsx_projects(XlsxState *st, const DocCard *const *cards, int n)
{
    static const char *const head[] = {"Project", "Lead Partner", "RAG Status", "Commentary", "What is it?"};
    lxw_worksheet *ws = xlsx_sheet(st, XLSX_PROJECTS_SHEET, 0);
    Buf text = BUF_INIT;
    if (!ws)
        return;
    for (int c = 0; c < 5; c++)
        xlsx_header_cell(st, ws, c, head[c]);
    for (int i = 0; i < n; i++) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_string(ws, row, 0, cards[i]->title ? cards[i]->title : "", st->text);
        xlsx_measure(st, 0, cards[i]->title ? cards[i]->title : "");
        if (cards[i]->lead) {
            worksheet_write_string(ws, row, 1, cards[i]->lead, st->text);
            xlsx_measure(st, 1, cards[i]->lead);
        }
        worksheet_write_string(ws, row, 2, render_paper_rag_word(cards[i]->rag), st->text);
        xlsx_measure(st, 2, render_paper_rag_word(cards[i]->rag));
        buf_reset(&text);
        xlsx_plain_blocks(&cards[i]->commentary, &text);
        worksheet_write_string(ws, row, 3, buf_cstr(&text), st->wrap);
        xlsx_measure(st, 3, buf_cstr(&text));
        buf_reset(&text);
        xlsx_plain_blocks(&cards[i]->what, &text);
        worksheet_write_string(ws, row, 4, buf_cstr(&text), st->wrap);
        xlsx_measure(st, 4, buf_cstr(&text));
    }
    xlsx_rag_rules(st, ws, 1, 2, n, 2);
    worksheet_freeze_panes(ws, 1, 1);
    if (n > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, 4);
    xlsx_widths(st, ws);
    buf_release(&text);
}

/* A figure of column c as the paper's tables store it (xlsx_value). */
static void xlsx_fig(XlsxState *st, lxw_worksheet *ws, lxw_row_t row, PresentCol c, const ReportIndicator *ri)
{
    const Fig *f = present_col_fig(c, &ri->row);
    DocValue v;
    Buf text = BUF_INIT;
    if (present_col(c)->kind == PK_P) {
        if (!ri->row.has_p)
            return;
        v = doc_value_of(PRESENT_PLAIN, present_p_value(ri->row.p_value), PRESENT_P_DECIMALS, 0);
    } else {
        if (!f || !f->has)
            return;
        PresentFmt pf = present_col_fmt(c, &ri->def, 1);
        v = doc_value_of(present_col_stored(c, &ri->def), f->q, pf.decimals, pf.sign);
    }
    PresentFmt shown = {v.decimals, v.sign, 0, PRESENT_PLAIN};
    present_figure(&text, v.q, &shown);
    xlsx_value(st, ws, row, (lxw_col_t)c, &v);
    xlsx_measure(st, (int)c, buf_cstr(&text));
    buf_release(&text);
}

/* Every compare row behind the paper, in docs/cli.md's compare columns
 * (present.h), each figure stored as the paper's tables store it. */
static void xlsx_figures(XlsxState *st, const ReportCtx *ctx)
{
    lxw_worksheet *ws = xlsx_sheet(st, XLSX_FIGURES_SHEET, 0);
    Buf period = BUF_INIT, cell = BUF_INIT;
    if (!ws)
        return;
    period_format(&period, ctx->period, ctx->fy_start);
    for (int c = 0; c < PRESENT_CONTRACT_NCOLS; c++)
        xlsx_header_cell(st, ws, c, present_col((PresentCol)c)->name);
    for (int i = 0; i < ctx->ninds; i++) {
        const ReportIndicator *ri = &ctx->inds[i];
        const CompareRow *r = &ri->row;
        lxw_row_t row = (lxw_row_t)(i + 1);
        for (int c = 0; c < PRESENT_CONTRACT_NCOLS; c++) {
            PresentKind k = present_col((PresentCol)c)->kind;
            if (present_kind_is_number(k)) {
                xlsx_fig(st, ws, row, (PresentCol)c, ri);
                continue;
            }
            buf_reset(&cell);
            switch ((PresentCol)c) {
            case PC_INDICATOR: buf_puts(&cell, ri->code); break;
            case PC_TITLE: buf_puts(&cell, ri->title ? ri->title : ""); break;
            case PC_AREA: buf_puts(&cell, ctx->area ? ctx->area : ""); break;
            case PC_PERIOD: buf_puts(&cell, buf_cstr(&period)); break;
            case PC_RAG: /* blank where there is none */
                if (r->rag != RAG_NONE)
                    buf_puts(&cell, rag_name(r->rag));
                break;
            case PC_DIRECTION: buf_puts(&cell, direction_name(r->direction)); break;
            case PC_NOTE: compare_row_notes(r, &cell); break;
            case PC_VARIATION: buf_puts(&cell, spc_variation_name(r->variation)); break;
            case PC_ASSURANCE: buf_puts(&cell, spc_assurance_name(r->assurance)); break;
            case PC_SIGNIFICANCE: buf_puts(&cell, spc_significance_name(r->significance)); break;
            default: break;
            }
            if (cell.len)
                worksheet_write_string(ws, row, (lxw_col_t)c, buf_cstr(&cell), st->text);
            xlsx_measure(st, c, buf_cstr(&cell));
        }
    }
    xlsx_rag_rules(st, ws, 1, PC_RAG, ctx->ninds, PC_RAG);
    worksheet_freeze_panes(ws, 1, 2);
    if (ctx->ninds > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)ctx->ninds, PRESENT_CONTRACT_NCOLS - 1);
    xlsx_widths(st, ws);
    buf_release(&period);
    buf_release(&cell);
}

/* The delivery plan's counts for the period: Status | Count | % of reported
 * (a fraction with a % format; blank for the unreported and when nothing is
 * reported) and a total row. */
static void xlsx_delivery(XlsxState *st, const Delivery *dv)
{
    static const char *const head[] = {"Status", "Count", "% of reported"};
    lxw_worksheet *ws = xlsx_sheet(st, XLSX_DELIVERY_SHEET, 0);
    if (!ws)
        return;
    for (int c = 0; c < 3; c++)
        xlsx_header_cell(st, ws, c, head[c]);
    for (int s = 0; s <= STATUS_COUNT; s++) {
        lxw_row_t row = (lxw_row_t)(s + 1);
        const char *word = s == STATUS_COUNT ? "Total" : present_mark(present_status_mark((Status)s))->word;
        worksheet_write_string(ws, row, 0, word, st->text);
        xlsx_measure(st, 0, word);
        DocValue count = doc_value_of(PRESENT_PLAIN, fq_int(s == STATUS_COUNT ? dv->total : dv->count[s]), 0, 0);
        xlsx_value(st, ws, row, 1, &count);
        if (s < STATUS_UNREPORTED && dv->reported > 0) {
            DocValue pct = doc_value_of(PRESENT_PERCENT, fq_int(dv->percent[s]), 0, 0);
            xlsx_value(st, ws, row, 2, &pct);
        }
    }
    xlsx_measure(st, 2, "% of reported");
    xlsx_rag_rules(st, ws, 1, 0, STATUS_COUNT, 0);
    worksheet_freeze_panes(ws, 1, 0);
    xlsx_widths(st, ws);
}

/* Every project of the framework, in its order: Project, Lead Partner, RAG
 * Status (blank where the project has not reported), Commentary, What is it?,
 * Code, Key project. Texts keep their lines (and so their lists). */
static void xlsx_project_list(XlsxState *st, const ReportCtx *ctx, const DocCard *const *cards, int ncards)
{
    static const char *const head[] = {"Project", "Lead Partner", "RAG Status", "Commentary", "What is it?",
                                       "Code", "Key project"};
    enum { NCOLS = sizeof head / sizeof head[0] };
    lxw_worksheet *ws = xlsx_sheet(st, XLSX_PROJECTS_SHEET, 0);
    Buf comm = BUF_INIT, what = BUF_INIT;
    if (!ws)
        return;
    for (int c = 0; c < NCOLS; c++)
        xlsx_header_cell(st, ws, c, head[c]);
    for (int i = 0; i < ctx->nprojects; i++) {
        const ReportProject *p = &ctx->projects[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        const char *rag = p->status == STATUS_UNREPORTED ? "" : present_mark(present_status_mark(p->status))->word;
        const char *title = p->title ? p->title : p->code;
        const DocCard *card = NULL; /* the paper's card of it, whose texts keep their lists */
        for (int k = 0; k < ncards && !card; k++)
            if (cards[k]->title && strcmp(cards[k]->title, title) == 0)
                card = cards[k];
        buf_reset(&comm);
        buf_reset(&what);
        if (card) {
            xlsx_plain_blocks(&card->commentary, &comm);
            xlsx_plain_blocks(&card->what, &what);
        } else {
            buf_puts(&comm, p->commentary ? p->commentary : "");
            buf_puts(&what, p->description ? p->description : "");
        }
        const char *v[NCOLS] = {title, p->lead ? p->lead : "", rag, buf_cstr(&comm), buf_cstr(&what),
                                p->code, p->key ? "yes" : "no"};
        for (int c = 0; c < NCOLS; c++) {
            if (v[c][0])
                worksheet_write_string(ws, row, (lxw_col_t)c, v[c], c == 3 || c == 4 ? st->wrap : st->text);
            xlsx_measure(st, c, v[c]);
        }
    }
    xlsx_rag_rules(st, ws, 1, 2, ctx->nprojects, 2);
    worksheet_freeze_panes(ws, 1, 1);
    if (ctx->nprojects > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)ctx->nprojects, NCOLS - 1);
    xlsx_widths(st, ws);
    buf_release(&comm);
    buf_release(&what);
}

/* Write the workbook to path. */
static int xlsx_write(const Doc *doc, const RenderOpts *opts, const char *path, Err *err)
{
    XlsxState st;
    PaperMeta meta;
    const DocCard **cards = NULL;
    int ncards = 0, ntables = 0;
    Buf heading = BUF_INIT;

    memset(&st, 0, sizeof st);
    lxw_workbook_options wo = {0};
    wo.tmpdir = NULL;
    st.wb = workbook_new_opt(path, &wo);
    if (!st.wb)
        return err_set(err, "cannot make a workbook in %s", path);
    render_paper_meta(doc, &meta);
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = (char *)buf_cstr(&meta.title);
    props.comments = "Made by kpi";
    workbook_set_properties(st.wb, &props);

    st.head = workbook_add_format(st.wb);
    format_set_bold(st.head);
    format_set_bg_color(st.head, XLSX_HEADER_FILL);
    format_set_bottom(st.head, LXW_BORDER_THIN);
    format_set_text_wrap(st.head);
    format_set_align(st.head, LXW_ALIGN_VERTICAL_TOP);
    st.text = workbook_add_format(st.wb);
    format_set_align(st.text, LXW_ALIGN_VERTICAL_TOP);
    st.wrap = workbook_add_format(st.wb);
    format_set_text_wrap(st.wrap);
    format_set_align(st.wrap, LXW_ALIGN_VERTICAL_TOP);
    for (int r = DOC_RAG_GREEN; r <= DOC_RAG_UNREPORTED; r++) {
        st.rag[r] = workbook_add_format(st.wb);
        format_set_bg_color(st.rag[r], render_paper_rag_rgb((DocRag)r, 0));
        format_set_font_color(st.rag[r], render_paper_rag_rgb((DocRag)r, 1));
        format_set_bold(st.rag[r]);
    }

    for (int i = 0; i < doc->body.n; i++) {
        const DocBlock *b = doc->body.v[i];
        if (b->kind == DOC_HEADING) {
            buf_reset(&heading);
            doc_text_plain(&b->u.heading.text, &heading);
        } else if (b->kind == DOC_TABLE) {
            xlsx_table(&st, &b->u.table, heading.len ? buf_cstr(&heading) : NULL, ++ntables);
        } else if (b->kind == DOC_CHART && b->u.chart.kind == DOC_CHART_SPC) {
            xlsx_spc(&st, &b->u.chart, ++ntables);
        } else if (b->kind == DOC_CHART && b->u.chart.whiskers && b->u.chart.nseries == 4) {
            xlsx_bench(&st, &b->u.chart, ++ntables);
        }
    }
    xlsx_collect_cards(&doc->body, &cards, &ncards);
    if (opts->report && opts->report->nprojects) /* the full list, whichever cards the paper shows */
        xlsx_project_list(&st, opts->report, cards, ncards);
    else if (ncards)
        xlsx_projects(&st, cards, ncards);
    if (opts->report) {
        xlsx_delivery(&st, &opts->report->delivery);
        xlsx_figures(&st, opts->report);
    }
    if (st.nnames == 0) /* a workbook needs a sheet */
        xlsx_sheet(&st, "Report", 0);

    lxw_error le = workbook_close(st.wb);
    int rc = 0;
    if (le != LXW_NO_ERROR)
        rc = err_set(err, "cannot write the workbook: %s", lxw_strerror(le));
    free(cards);
    for (int i = 0; i < st.nnames; i++)
        free(st.names[i]);
    free(st.names);
    free(st.width);
    buf_release(&heading);
    render_paper_meta_release(&meta);
    return rc;
}

int render_xlsx(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err)
{
    const char *tmp = getenv("TMPDIR");
    Buf path = BUF_INIT;
    int rc = -1, fd;
    FILE *fp = NULL;
    if (lazy_xlsxwriter_load(err) < 0)
        return -1;

    buf_printf(&path, "%s/kpi-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path.data);
    if (fd < 0) {
        err_set(err, "cannot make a temporary file in %s: %s", tmp && *tmp ? tmp : "/tmp", strerror(errno));
        goto out;
    }
    close(fd);
    if (xlsx_write(doc, opts, buf_cstr(&path), err) < 0)
        goto out;
    fp = fopen(buf_cstr(&path), "rb");
    if (!fp) {
        err_set(err, "%s: cannot read back: %s", buf_cstr(&path), strerror(errno));
        goto out;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_append(out, chunk, n);
    if (ferror(fp)) {
        err_set(err, "%s: cannot read back", buf_cstr(&path));
        goto out;
    }
    rc = 0;
out:
    if (fp)
        fclose(fp);
    if (fd >= 0)
        unlink(buf_cstr(&path));
    buf_release(&path);
    return rc;
}
