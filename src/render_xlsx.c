/* render_xlsx.c — the paper as a workbook, through libxlsxwriter: a sheet per
 * table of the document (named after its caption or the heading above it), a
 * Projects sheet from the project cards, and, when the caller passes the
 * report's figures, a Figures sheet with every compare row behind the paper in
 * the contract's columns. Numbers are stored as numbers with number formats
 * (a percentage as a percentage); RAG stays text, coloured by conditional
 * formats so that the fill follows an edited word; header rows are frozen and
 * filtered; columns are sized to what they hold.
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
#define XLSX_HEADER_FILL 0xDFE7EF /* as the HTML's table heads */
#define XLSX_PCT_DECIMALS 1      /* percentages of change print with one decimal */

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
        buf_free(&base);
        buf_free(&f);
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
        buf_free(&base);
        buf_free(&f);
    }
    return st->pp[decimals];
}

/* Read a figure as the paper prints it: "1455", "-4.6", "+3.0", "77.4%".
 * Returns 1 with the value (a fraction for a percentage: 0.774) and how it is
 * shown; 0 when the text is not such a number. */
static int xlsx_parse_figure(const char *s, double *v, int *percent, int *sign, int *decimals)
{
    const char *p = s;
    *sign = *p == '+';
    if (*p == '+' || *p == '-')
        p++;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == digits)
        return 0;
    *decimals = 0;
    if (*p == '.') {
        const char *frac = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        *decimals = (int)(p - frac);
        if (*decimals == 0)
            return 0;
    }
    *percent = *p == '%';
    if (*percent)
        p++;
    if (*p)
        return 0;
    char *end;
    *v = strtod(s, &end);
    if (*percent)
        *v /= 100.0;
    return 1;
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
    buf_free(&base);
    buf_free(&name);
    return workbook_add_worksheet(st->wb, st->names[st->nnames - 1]);
}

/* Conditional fills for RAG words in a column range. */
static void xlsx_rag_rules(XlsxState *st, lxw_worksheet *ws, int r1, int c1, int r2, int c2)
{
    static const DocRag rags[] = {DOC_RAG_GREEN, DOC_RAG_AMBER, DOC_RAG_RED, DOC_RAG_COMPLETE};
    static const char *const words[] = {"\"green\"", "\"amber\"", "\"red\"", "\"complete\""};
    if (r2 < r1)
        return;
    for (size_t i = 0; i < sizeof rags / sizeof rags[0]; i++) {
        lxw_conditional_format cf;
        memset(&cf, 0, sizeof cf);
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
        cf.value_string = (char *)words[i];
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
    /* a column where any figure carries a '+' shows every figure signed */
    int *signed_col = xcalloc((size_t)t->ncols, sizeof *signed_col);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            if (t->cells[(size_t)r * (size_t)t->ncols + (size_t)c].text[0] == '+')
                signed_col[c] = 1;
    for (int r = 0; r < t->nrows; r++, row++) {
        for (int c = 0; c < t->ncols; c++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            double v;
            int pct, sign, dec;
            if (cell->rag != DOC_RAG_NONE) {
                rag_first = rag_first < 0 || c < rag_first ? c : rag_first;
                rag_last = c > rag_last ? c : rag_last;
            }
            if (cell->numeric && xlsx_parse_figure(cell->text, &v, &pct, &sign, &dec))
                worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)c, v,
                                       xlsx_num_format(st, pct, sign || signed_col[c], dec));
            else if (cell->text[0])
                worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, cell->text, st->text);
            xlsx_measure(st, c, cell->text);
        }
    }
    for (int i = 0; i < t->nnotes; i++, row++) {
        Buf note = BUF_INIT;
        buf_printf(&note, "Note: %s", t->notes[i]);
        worksheet_write_string(ws, (lxw_row_t)(row + 1), 0, buf_cstr(&note), NULL);
        buf_free(&note);
    }
    free(signed_col);
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
    buf_free(&text);
}

/* A figure rounded as `kpi compare` prints it, stored as a number. */
static void xlsx_fig(XlsxState *st, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const Fig *f, int decimals,
                     double scale, lxw_format *fmt)
{
    if (!f->has)
        return;
    Buf text = BUF_INIT;
    fq_format(&text, f->q, decimals);
    double v = strtod(buf_cstr(&text), NULL) * scale;
    worksheet_write_number(ws, row, col, v, fmt);
    xlsx_measure(st, (int)col, buf_cstr(&text));
    buf_free(&text);
}

/* Every compare row behind the paper, in the contract's columns. */
static void xlsx_figures(XlsxState *st, const ReportCtx *ctx)
{
    static const char *const cols[] = {
        "indicator", "title", "area", "period", "value", "previous", "change", "change_pct", "ytd",
        "ytd_previous", "ytd_change_pct", "target", "target_to_date", "rag", "direction", "note", "variation",
        "assurance", "spc_mean", "spc_lower", "spc_upper", "significance", "p_value"};
    enum { NCOLS = sizeof cols / sizeof cols[0], COL_RAG = 13, COL_VARIATION = 16 };
    lxw_worksheet *ws = xlsx_sheet(st, XLSX_FIGURES_SHEET, 0);
    Buf period = BUF_INIT;
    if (!ws)
        return;
    period_format(&period, ctx->period, ctx->fy_start);
    for (int c = 0; c < NCOLS; c++)
        xlsx_header_cell(st, ws, c, cols[c]);
    for (int i = 0; i < ctx->ninds; i++) {
        const ReportIndicator *ri = &ctx->inds[i];
        const CompareRow *r = &ri->row;
        lxw_row_t row = (lxw_row_t)(i + 1);
        int dec = ri->def.decimals, pct = ri->def.unit == UNIT_PERCENT;
        lxw_format *fig = xlsx_num_format(st, pct, 0, dec);
        lxw_format *chg = pct ? xlsx_pp_format(st, dec) : xlsx_num_format(st, 0, 1, dec);
        lxw_format *chg_pct = xlsx_num_format(st, 1, 1, XLSX_PCT_DECIMALS);
        double scale = pct ? 0.01 : 1.0;
        const char *strs[] = {ri->code, ri->title ? ri->title : "", ctx->area ? ctx->area : "", buf_cstr(&period)};
        for (int c = 0; c < 4; c++) {
            worksheet_write_string(ws, row, (lxw_col_t)c, strs[c], st->text);
            xlsx_measure(st, c, strs[c]);
        }
        xlsx_fig(st, ws, row, 4, &r->value, dec, scale, fig);
        xlsx_fig(st, ws, row, 5, &r->previous, dec, scale, fig);
        xlsx_fig(st, ws, row, 6, &r->change, dec, 1.0, chg);
        xlsx_fig(st, ws, row, 7, &r->change_pct, XLSX_PCT_DECIMALS, 0.01, chg_pct);
        xlsx_fig(st, ws, row, 8, &r->ytd, dec, scale, fig);
        xlsx_fig(st, ws, row, 9, &r->ytd_previous, dec, scale, fig);
        xlsx_fig(st, ws, row, 10, &r->ytd_change_pct, XLSX_PCT_DECIMALS, 0.01, chg_pct);
        xlsx_fig(st, ws, row, 11, &r->target, dec, scale, fig);
        xlsx_fig(st, ws, row, 12, &r->target_to_date, dec, scale, fig);
        Buf notes = BUF_INIT;
        compare_row_notes(r, &notes);
        const char *tail[] = {rag_name(r->rag), direction_name(r->direction), buf_cstr(&notes)};
        for (int k = 0; k < 3; k++) {
            if (tail[k][0])
                worksheet_write_string(ws, row, (lxw_col_t)(COL_RAG + k), tail[k], st->text);
            xlsx_measure(st, COL_RAG + k, tail[k]);
        }
        buf_free(&notes);
        /* SPC (spc.h): words, the limits one decimal place finer, significance and its p-value. */
        const char *spc[] = {spc_variation_name(r->variation), spc_assurance_name(r->assurance)};
        for (int k = 0; k < 2; k++) {
            if (spc[k][0])
                worksheet_write_string(ws, row, (lxw_col_t)(COL_VARIATION + k), spc[k], st->text);
            xlsx_measure(st, COL_VARIATION + k, spc[k]);
        }
        lxw_format *lim = xlsx_num_format(st, pct, 0, dec + 1);
        xlsx_fig(st, ws, row, COL_VARIATION + 2, &r->spc_mean, dec + 1, scale, lim);
        xlsx_fig(st, ws, row, COL_VARIATION + 3, &r->spc_lower, dec + 1, scale, lim);
        xlsx_fig(st, ws, row, COL_VARIATION + 4, &r->spc_upper, dec + 1, scale, lim);
        const char *sig = spc_significance_name(r->significance);
        if (sig[0])
            worksheet_write_string(ws, row, COL_VARIATION + 5, sig, st->text);
        xlsx_measure(st, COL_VARIATION + 5, sig);
        if (r->has_p) {
            worksheet_write_number(ws, row, COL_VARIATION + 6, r->p_value, xlsx_num_format(st, 0, 0, 3));
            xlsx_measure(st, COL_VARIATION + 6, "0.000");
        }
    }
    xlsx_rag_rules(st, ws, 1, COL_RAG, ctx->ninds, COL_RAG);
    worksheet_freeze_panes(ws, 1, 2);
    if (ctx->ninds > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)ctx->ninds, NCOLS - 1);
    xlsx_widths(st, ws);
    buf_free(&period);
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
        }
    }
    xlsx_collect_cards(&doc->body, &cards, &ncards);
    if (ncards)
        xlsx_projects(&st, cards, ncards);
    if (opts->report)
        xlsx_figures(&st, opts->report);
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
    buf_free(&heading);
    render_paper_meta_free(&meta);
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
    buf_free(&path);
    return rc;
}
