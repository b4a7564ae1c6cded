/* chart.c — the text alternative of a chart and its inline SVG drawing.
 * Geometry uses doubles (charts only; printed figures come ready-made as text in
 * the points). Every string that came from a user (titles, series and category
 * names, figures) reaches the SVG through render_html_escape; numbers the
 * drawing computes are printed with %.1f. Colours are never the only cue:
 * series carry a legend with names, lines have distinct dash patterns and
 * markers, and the <desc> lists every value. */
#include "chart.h"

#include <math.h>
#include <string.h>

#include "xml.h"

#define CHART_W 640.0          /* viewBox width */
#define CHART_PLOT_H 220.0     /* height of the plotting area */
#define CHART_TOP 44.0         /* room above the plot for the legend */
#define CHART_LEFT 60.0        /* room for the y-axis labels and the axis's title */
#define CHART_AXIS_X 13.0      /* baseline of the turned y-axis title */
#define CHART_RIGHT 16.0
#define CHART_SPC_RIGHT 56.0   /* an SPC chart's icons stand right of the plot */
#define CHART_ICON_R 16.0      /* radius of a variation or assurance icon */
#define CHART_BOTTOM 30.0      /* room for horizontal category labels */
#define CHART_CHAR_W 6.2       /* rough width of one character at font-size 11 */
#define CHART_ROTATE_DEG 35.0  /* long category labels are turned this far */
#define CHART_LABEL_MAX_W 170.0 /* a turned label is allowed this much length */
#define CHART_TURNED_CHAR_W 7.2 /* generous width of one character of a turned label */
#define CHART_TICKS 5          /* about this many y-axis intervals */
#define CHART_BAR_FILL 0.8     /* share of a category band the bars take */
#define CHART_BAR_LABEL_MIN 16.0 /* narrower bars carry no value label */
#define CHART_LEGEND_Y 16.0
#define CHART_LABEL_LINES 3    /* a category label wraps onto at most this many lines */
#define CHART_LINE_H 12.0      /* height of one line of a category label */

static const char *const CHART_COLOURS[] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", /* Okabe-Ito */
};
static const char *const CHART_DASHES[] = {"none", "7 4", "2 3", "10 3 2 3"};

/* Making Data Count's colours, darkened where needed so that every mark has
 * 3:1 contrast on white: common grey, improvement blue, concern orange,
 * neutral purple (indexed by DocSpcMark). */
static const char *const CHART_SPC_COLOURS[] = {"#6E6E6E", "#1D70B8", "#B35C00", "#6F3D91"};

const char *chart_spc_colour(DocSpcMark m)
{
    return CHART_SPC_COLOURS[(unsigned)m < 4 ? (unsigned)m : 0];
}

const char *chart_spc_assurance_letter(DocSpcAssurance a)
{
    switch (a) {
    case DOC_SPC_ASSURE_PASS: return "P";
    case DOC_SPC_ASSURE_FAIL: return "F";
    case DOC_SPC_ASSURE_HIT_AND_MISS: return "?";
    case DOC_SPC_ASSURE_NONE: break;
    }
    return "";
}

DocSpcMark chart_spc_assurance_colour(DocSpcAssurance a)
{
    return a == DOC_SPC_ASSURE_PASS ? DOC_SPC_IMPROVEMENT : a == DOC_SPC_ASSURE_FAIL ? DOC_SPC_CONCERN
                                                                                     : DOC_SPC_COMMON;
}

#define CHART_NCOLOURS (sizeof(CHART_COLOURS) / sizeof(CHART_COLOURS[0]))
#define CHART_NDASHES (sizeof(CHART_DASHES) / sizeof(CHART_DASHES[0]))

static void chart_point_words(Buf *out, const char *label, const DocChartPoint *p)
{
    buf_puts(out, label);
    buf_putc(out, ' ');
    buf_puts(out, p->has ? p->text : "no figure");
}

static void chart_describe_spc(const DocChart *c, Buf *out)
{
    const DocSpc *spc = &c->spc;
    buf_printf(out, "%s: ", c->series[0].name);
    for (int i = 0; i < c->ncats; i++) {
        buf_puts(out, i ? ", " : "");
        chart_point_words(out, c->cats[i], &c->series[0].pts[i]);
    }
    buf_putc(out, '.');
    if (spc->has_limits)
        buf_printf(out, " Mean %s; process limits %s to %s.", spc->mean_text ? spc->mean_text : "",
                   spc->lower_text ? spc->lower_text : "", spc->upper_text ? spc->upper_text : "");
    if (spc->has_target)
        buf_printf(out, " Target %s.", spc->target_text ? spc->target_text : "");
    int special = 0;
    for (int i = 0; i < c->ncats; i++) {
        if (!c->series[0].pts[i].has || spc->marks[i] == DOC_SPC_COMMON)
            continue;
        buf_puts(out, special++ ? ", " : " Special cause: ");
        buf_printf(out, "%s (%s)", c->cats[i], doc_spc_mark_word(spc->marks[i]));
    }
    if (special)
        buf_putc(out, '.');
    if (spc->variation_words)
        buf_printf(out, " Variation: %s.", spc->variation_words);
    if (spc->assurance_words)
        buf_printf(out, " Assurance: %s.", spc->assurance_words);
}

void chart_key(const DocChart *c, Buf *out)
{
    const DocSpc *spc = &c->spc;
    if (c->kind != DOC_CHART_SPC)
        return;
    const char *sep = "";
    if (spc->has_limits) {
        buf_printf(out, "Mean %s; process limits %s to %s.", spc->mean_text ? spc->mean_text : "",
                   spc->lower_text ? spc->lower_text : "", spc->upper_text ? spc->upper_text : "");
        sep = " ";
    }
    if (spc->has_target) {
        buf_printf(out, "%sTarget %s.", sep, spc->target_text ? spc->target_text : "");
        sep = " ";
    }
    if (spc->variation_words) {
        buf_printf(out, "%sVariation: %s.", sep, spc->variation_words);
        sep = " ";
    }
    if (spc->assurance_words)
        buf_printf(out, "%sAssurance: %s.", sep, spc->assurance_words);
}
static void chart_describe_bench(const DocChart *c, Buf *out);

void chart_describe(const DocChart *c, Buf *out)
{
    if (c->ncats == 0 || c->nseries == 0) {
        buf_puts(out, "No figures.");
        return;
    }
    if (c->kind == DOC_CHART_SPC) {
        chart_describe_spc(c, out);
        return;
    }
    if (c->whiskers && c->nseries == 4) {
        chart_describe_bench(c, out);
        return;
    }
    if (c->desc_by_category) {
        for (int i = 0; i < c->ncats; i++) {
            buf_puts(out, i ? "; " : "");
            buf_printf(out, "%s: ", c->cats[i]);
            for (int s = 0; s < c->nseries; s++) {
                buf_puts(out, s ? ", " : "");
                chart_point_words(out, c->series[s].name, &c->series[s].pts[i]);
            }
        }
    } else {
        for (int s = 0; s < c->nseries; s++) {
            buf_puts(out, s ? "; " : "");
            buf_printf(out, "%s: ", c->series[s].name);
            for (int i = 0; i < c->ncats; i++) {
                buf_puts(out, i ? ", " : "");
                chart_point_words(out, c->cats[i], &c->series[s].pts[i]);
            }
        }
    }
    buf_putc(out, '.');
}

/* A step of 1, 2, 2.5 or 5 times a power of ten, near span / CHART_TICKS. */
static double chart_nice_step(double span)
{
    double raw = span / CHART_TICKS;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
    return nice * mag;
}

typedef struct ChartGeom {
    double top, left, plot_w, plot_h, height;
    double ymin, ymax, step;
    double band;            /* width of one category */
    size_t wrap;            /* characters per line of a category label */
    int rotate;             /* category labels turned (too long to wrap) */
    int every;              /* a label for every this many categories (>= 1) */
} ChartGeom;

/* Split s into lines of at most `width` characters at spaces; returns the
 * number of lines and, when starts != NULL, their byte ranges. A word longer
 * than width is a line of its own. */
static int chart_wrap(const char *s, size_t width, size_t *starts, size_t *lens, int max)
{
    int nl = 0;
    size_t i = 0, n = strlen(s);
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t start = i, end = i, w = 0;
        while (i < n) {
            size_t j = i;
            while (j < n && s[j] != ' ')
                j++;
            size_t ww = doc_utf8_width(s + i, j - i);
            if (end > start && w + 1 + ww > width)
                break;
            w += (end > start ? 1 : 0) + ww;
            end = j;
            i = j;
            while (i < n && s[i] == ' ')
                i++;
        }
        if (starts && nl < max) {
            starts[nl] = start;
            lens[nl] = end - start;
        }
        nl++;
    }
    return nl;
}

static double chart_y(const ChartGeom *g, double v)
{
    return g->top + g->plot_h * (g->ymax - v) / (g->ymax - g->ymin);
}

/* Widen [*lo, *hi] to hold v (finite values only). */
static void chart_span(double v, int *any, double *lo, double *hi)
{
    if (!isfinite(v))
        return;
    if (!*any || v < *lo)
        *lo = v;
    if (!*any || v > *hi)
        *hi = v;
    *any = 1;
}

/* The values a chart's y axis must hold: bars and lines from zero; an SPC
 * chart only its points, limits and target (a control chart need not show 0). */
void chart_value_span(const DocChart *c, double *lo_out, double *hi_out)
{
    int spc = c->kind == DOC_CHART_SPC, any = !spc;
    double lo = 0.0, hi = 0.0;
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->ncats; i++) {
            const DocChartPoint *p = &c->series[s].pts[i];
            if (p->has)
                chart_span(p->v, &any, &lo, &hi);
        }
    if (spc && c->spc.has_limits) {
        chart_span(c->spc.lower, &any, &lo, &hi);
        chart_span(c->spc.upper, &any, &lo, &hi);
    }
    if (spc && c->spc.has_target)
        chart_span(c->spc.target, &any, &lo, &hi);
    if (spc && any) {
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    *lo_out = lo;
    *hi_out = hi;
}

static void chart_geometry(const DocChart *c, ChartGeom *g)
{
    double lo, hi;
    size_t longest = 0;
    chart_value_span(c, &lo, &hi);
    if (hi - lo <= 0.0)
        hi = lo + 1.0;
    g->step = chart_nice_step(hi - lo);
    g->ymax = ceil(hi / g->step) * g->step;
    g->ymin = floor(lo / g->step) * g->step;
    if (g->ymax - g->ymin <= 0.0)
        g->ymax = g->ymin + g->step;

    g->top = CHART_TOP;
    g->left = CHART_LEFT;
    g->plot_w = CHART_W - CHART_LEFT - (c->kind == DOC_CHART_SPC ? CHART_SPC_RIGHT : CHART_RIGHT);
    g->plot_h = CHART_PLOT_H;
    g->band = c->ncats > 0 ? g->plot_w / c->ncats : g->plot_w;
    for (int i = 0; i < c->ncats; i++) {
        size_t w = doc_utf8_width(c->cats[i], strlen(c->cats[i]));
        longest = w > longest ? w : longest;
    }
    double label_w = (double)longest * CHART_CHAR_W;
    int lines = 1;
    g->wrap = g->band > 4.0 + CHART_CHAR_W ? (size_t)((g->band - 4.0) / CHART_CHAR_W) : 0;
    g->rotate = 0;
    g->every = 1;
    if (label_w > g->band - 4.0) {
        /* wrap onto a few lines if every word fits the band; else turn the labels */
        for (int i = 0; i < c->ncats && !g->rotate; i++) {
            size_t s[CHART_LABEL_LINES], l[CHART_LABEL_LINES];
            int nl = g->wrap > 0 ? chart_wrap(c->cats[i], g->wrap, s, l, CHART_LABEL_LINES)
                                 : CHART_LABEL_LINES + 1;
            /* chart_wrap wrote s[k], l[k] only for k < min(nl, CHART_LABEL_LINES) */
            int fits = nl <= CHART_LABEL_LINES;
            for (int k = 0; fits && k < nl; k++)
                if (doc_utf8_width(c->cats[i] + s[k], l[k]) > g->wrap)
                    fits = 0;
            if (!fits)
                g->rotate = 1;
            else
                lines = nl > lines ? nl : lines;
        }
    }
    if (g->rotate) {
        /* the first turned label reaches left of its band: make room for it */
        double turned = (double)longest * CHART_TURNED_CHAR_W;
        double reach = (turned < CHART_LABEL_MAX_W ? turned : CHART_LABEL_MAX_W) *
                           cos(CHART_ROTATE_DEG * M_PI / 180.0) - g->band / 2 + 4.0;
        if (reach > g->left) {
            g->plot_w -= reach - g->left;
            g->left = reach;
            g->band = c->ncats > 0 ? g->plot_w / c->ncats : g->plot_w;
        }
        /* turned labels stand at least one line apart: label every k-th category */
        g->every = g->band >= CHART_LINE_H ? 1 : (int)ceil(CHART_LINE_H / g->band);
        if (g->every < 1)
            g->every = 1;
    }
    double bottom = CHART_BOTTOM;
    if (g->rotate) {
        double turned = (double)longest * CHART_TURNED_CHAR_W;
        double w = turned < CHART_LABEL_MAX_W ? turned : CHART_LABEL_MAX_W;
        bottom += w * sin(CHART_ROTATE_DEG * M_PI / 180.0);
    } else {
        bottom += (lines - 1) * CHART_LINE_H;
    }
    g->height = g->top + g->plot_h + bottom;
}

/* Decimal places for axis labels of this step. */
static int chart_step_decimals(double step)
{
    int d = 0;
    while (d < 4 && fabs(step * pow(10.0, d) - round(step * pow(10.0, d))) > 1e-9)
        d++;
    return d;
}

/* A turned label, cut to at most `most` characters (whole UTF-8 sequences)
 * with an ellipsis; the full name stays in each mark's <title> and the <desc>. */
static void chart_label_cut(Buf *out, const char *label, size_t most)
{
    size_t n = strlen(label);
    if (doc_utf8_width(label, n) <= most) {
        render_html_escape(out, label, n);
        return;
    }
    size_t i = 0, chars = 0;
    while (i < n && chars + 1 < most) {
        i++;
        while (i < n && ((unsigned char)label[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    render_html_escape(out, label, i);
    buf_puts(out, "\xe2\x80\xa6"); /* … */
}

static void chart_axes(const DocChart *c, const ChartGeom *g, Buf *out)
{
    int dec = chart_step_decimals(g->step);
    buf_puts(out, "<g class=\"axis\" font-size=\"10\" fill=\"#444\">\n");
    for (double v = g->ymin; v <= g->ymax + g->step / 2; v += g->step) {
        double y = chart_y(g, v);
        int zero = fabs(v) < g->step / 1000.0;
        buf_printf(out,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"1\"/>\n",
                   g->left, y, g->left + g->plot_w, y, zero ? "#444" : "#ddd");
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>\n",
                   g->left - 6, y + 3.5, dec, zero ? 0.0 : v);
    }
    if (c->axis) { /* the axis's title, turned along it, left of the figures */
        double ym = g->top + g->plot_h / 2;
        buf_printf(out,
                   "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                   "font-size=\"11\" transform=\"rotate(-90 %.1f %.1f)\">",
                   CHART_AXIS_X, ym, CHART_AXIS_X, ym);
        render_html_text(out, c->axis);
        buf_puts(out, "</text>\n");
    }
    double ylab = g->top + g->plot_h + 14;
    for (int i = 0; i < c->ncats; i++) {
        double x = g->left + g->band * (i + 0.5);
        if (g->rotate) {
            if (i % g->every != 0)
                continue;
            buf_printf(out,
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                       "transform=\"rotate(-%.0f %.1f %.1f)\">",
                       x, ylab, CHART_ROTATE_DEG, x, ylab);
            chart_label_cut(out, c->cats[i], (size_t)(CHART_LABEL_MAX_W / CHART_TURNED_CHAR_W));
            buf_puts(out, "</text>\n");
            continue;
        }
        size_t s[CHART_LABEL_LINES], l[CHART_LABEL_LINES];
        int nl = chart_wrap(c->cats[i], g->wrap > 0 ? g->wrap : 1, s, l, CHART_LABEL_LINES);
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, ylab);
        for (int k = 0; k < nl && k < CHART_LABEL_LINES; k++) {
            buf_printf(out, "<tspan x=\"%.1f\" dy=\"%.1f\">", x, k ? CHART_LINE_H : 0.0);
            render_html_escape(out, c->cats[i] + s[k], l[k]);
            buf_puts(out, "</tspan>");
        }
        buf_puts(out, "</text>\n");
    }
    buf_puts(out, "</g>\n");
}

/* The hover text of one mark: "Series, Category: 1455". */
static void chart_mark_title(const DocChart *c, int s, int i, Buf *out)
{
    buf_puts(out, "<title>");
    render_html_text(out, c->series[s].name);
    buf_puts(out, ", ");
    render_html_text(out, c->cats[i]);
    buf_puts(out, ": ");
    render_html_text(out, c->series[s].pts[i].text);
    buf_puts(out, "</title>");
}

static void chart_bars(const DocChart *c, const ChartGeom *g, Buf *out)
{
    double bw = g->band * CHART_BAR_FILL / (c->nseries > 0 ? c->nseries : 1);
    double y0 = chart_y(g, 0.0);
    for (int s = 0; s < c->nseries; s++) {
        const char *colour = CHART_COLOURS[(size_t)s % CHART_NCOLOURS];
        buf_printf(out, "<g class=\"series\" fill=\"%s\">\n", colour);
        for (int i = 0; i < c->ncats; i++) {
            const DocChartPoint *p = &c->series[s].pts[i];
            if (!p->has)
                continue;
            double x = g->left + g->band * i + g->band * (1.0 - CHART_BAR_FILL) / 2 + bw * s;
            double y = chart_y(g, p->v);
            double top = y < y0 ? y : y0, h = fabs(y0 - y);
            buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">", x, top,
                       bw - 1.0, h);
            chart_mark_title(c, s, i, out);
            buf_puts(out, "</rect>\n");
            if (bw >= CHART_BAR_LABEL_MIN) {
                buf_printf(out,
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\" "
                           "fill=\"#222\">",
                           x + (bw - 1.0) / 2, p->v >= 0 ? top - 3 : top + h + 10);
                render_html_text(out, p->text);
                buf_puts(out, "</text>\n");
            }
        }
        buf_puts(out, "</g>\n");
    }
}

/* A benchmark (DocChart .whiskers, docs/benchmark.md), drawn lying down: one row per
 * area in the given order, its name left of the plot (cut with an ellipsis
 * when too long for the label column), its rate as a bar from 0, its 95%
 * interval as a whisker with caps, its rate printed right of the whisker; the
 * group's rate one vertical dashed line with its figure above the plot; the
 * home area's label bold with "*", its bar in its own colour (the legend
 * says which); an x axis with ticks and the unit as its title. */
#define CHART_BENCH_W 560.0         /* viewBox width: narrower than other charts, legible on a phone */
#define CHART_BENCH_ROW 22.0        /* height of one area's row */
#define CHART_BENCH_BAR 12.0        /* thickness of a bar */
#define CHART_BENCH_CAP 5.0         /* half the height of a whisker's cap */
#define CHART_BENCH_TOP 46.0        /* legend, then the group rate's label */
#define CHART_BENCH_BOTTOM 44.0     /* tick labels and the axis title */
#define CHART_BENCH_RIGHT 52.0      /* room for the last figure right of a whisker */
#define CHART_BENCH_LABEL_MAX 170.0 /* the widest the label column gets */
#define CHART_BENCH_HOME "#D55E00"  /* the home area's bar: vermillion, 3:1 on white */
#define CHART_BENCH_GROUP "#6F3D91" /* the group's rate: purple, dashed */

void chart_bench_axis(const DocChart *c, double *hi, double *step)
{
    double lo, top;
    chart_value_span(c, &lo, &top);
    if (top <= 0.0)
        top = 1.0;
    *step = chart_nice_step(top);
    *hi = ceil(top / *step - 1e-9) * *step;
}

/* The group's rate: the first point of series 3, or NULL. */
static const DocChartPoint *chart_bench_group(const DocChart *c)
{
    for (int i = 0; i < c->ncats; i++)
        if (c->series[3].pts[i].has)
            return &c->series[3].pts[i];
    return NULL;
}

static void chart_describe_bench(const DocChart *c, Buf *out)
{
    const DocChartPoint *g = chart_bench_group(c);
    if (c->whisker_unit[0])
        buf_printf(out, "Rate %s, with its 95%% interval, one area at a time: ", c->whisker_unit);
    else
        buf_puts(out, "Rate, with its 95% interval, one area at a time: ");
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i], *lo = &c->series[1].pts[i], *hi = &c->series[2].pts[i];
        buf_printf(out, "%s%s%s ", i ? "; " : "", c->cats[i], c->whisker_home == i + 1 ? " (the report's area)" : "");
        buf_puts(out, p->has ? p->text : "no figure");
        if (p->has && lo->has && hi->has)
            buf_printf(out, " (%s to %s)", lo->text, hi->text);
    }
    buf_putc(out, '.');
    if (g)
        buf_printf(out, " %s: %s.", c->series[3].name, g->text);
}

/* The width in px of text at font-size `size`, from Arial's advance widths
 * (Liberation Sans has the same), with a margin of 10% for a wider
 * fallback font; bold a tenth wider again; a character beyond ASCII as wide
 * as an "n", a combining or continuation byte nothing. */
static double chart_text_w(const char *s, size_t n, double size, int bold)
{
    static const unsigned short W[95] = {
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, /*  !"#$%&'()*+,-./ */
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, /* 0-9 :;<=>? */
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, /* @A-O */
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, /* P-Z [\]^_ */
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  /* `a-o */
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,       /* p-z {|}~ */
    };
    double em = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x7F)
            em += W[ch - 0x20];
        else if ((ch & 0xC0) != 0x80)
            em += 556;
    }
    return em / 1000.0 * size * 1.1 * (bold ? 1.1 : 1.0);
}

/* A label cut to at most `most` px (chart_text_w) with an ellipsis, escaped. */
static void chart_text_cut(Buf *out, const char *label, double most, double size, int bold)
{
    size_t n = strlen(label);
    if (chart_text_w(label, n, size, bold) <= most) {
        render_html_escape(out, label, n);
        return;
    }
    double room = most - chart_text_w("\xe2\x80\xa6", 3, size, bold);
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && ((unsigned char)label[j] & 0xC0) == 0x80)
            j++;
        if (chart_text_w(label, j, size, bold) > room)
            break;
        i = j;
    }
    while (i > 0 && label[i - 1] == ' ')
        i--;
    render_html_escape(out, label, i);
    buf_puts(out, "\xe2\x80\xa6"); /* … */
}

static void chart_bench_svg(const DocChart *c, int id, Buf *out)
{
    const DocChartPoint *grp = chart_bench_group(c);
    Buf desc = BUF_INIT;
    double hi, step, label_w = 0.0;
    chart_bench_axis(c, &hi, &step);
    for (int i = 0; i < c->ncats; i++) {
        int home = c->whisker_home == i + 1;
        double w = chart_text_w(c->cats[i], strlen(c->cats[i]), 11, home) + (home ? chart_text_w(" *", 2, 11, 1) : 0);
        label_w = w > label_w ? w : label_w;
    }
    if (label_w > CHART_BENCH_LABEL_MAX)
        label_w = CHART_BENCH_LABEL_MAX;
    double left = 8.0 + label_w + 8.0, top = CHART_BENCH_TOP;
    double plot_w = CHART_BENCH_W - left - CHART_BENCH_RIGHT, plot_h = CHART_BENCH_ROW * (c->ncats > 0 ? c->ncats : 1);
    double height = top + plot_h + CHART_BENCH_BOTTOM;
#define BX(v) (left + plot_w * (v) / hi)
    chart_describe(c, &desc);
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-benchmark\" role=\"img\" "
               "aria-labelledby=\"kpi-chart-%d-title kpi-chart-%d-desc\" "
               "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
               "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"11\">\n",
               id, id, CHART_BENCH_W, height, CHART_BENCH_W, height);
    buf_printf(out, "<title id=\"kpi-chart-%d-title\">", id);
    render_html_text(out, c->title);
    buf_printf(out, "</title>\n<desc id=\"kpi-chart-%d-desc\">", id);
    render_html_escape(out, buf_cstr(&desc), desc.len);
    buf_puts(out, "</desc>\n");

    /* legend: rate, interval, group rate, the home area */
    double x = 8.0, ly = CHART_LEGEND_Y;
    buf_puts(out, "<g class=\"legend\" font-size=\"11\" fill=\"#222\">\n");
    buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, ly - 10,
               CHART_COLOURS[0]);
    buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 16, ly);
    render_html_text(out, c->series[0].name);
    buf_puts(out, "</text>\n");
    x += 16 + chart_text_w(c->series[0].name, strlen(c->series[0].name), 11, 0) + 16;
    buf_printf(out, "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" stroke=\"#222\" stroke-width=\"1.5\"/>\n",
               x, ly - 4, x + 16, x, ly - 9, ly + 1, x + 16, ly - 9, ly + 1);
    buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">95%% interval</text>\n", x + 20, ly);
    x += 20 + chart_text_w("95% interval", 12, 11, 0) + 16;
    buf_printf(out, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>\n",
               x + 4, ly - 11, ly + 2, CHART_BENCH_GROUP);
    buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 12, ly);
    render_html_text(out, c->series[3].name);
    buf_puts(out, "</text>\n");
    x += 12 + chart_text_w(c->series[3].name, strlen(c->series[3].name), 11, 0) + 16;
    if (c->whisker_home > 0 && c->whisker_home <= c->ncats) {
        const char *home = c->cats[c->whisker_home - 1];
        buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, ly - 10,
                   CHART_BENCH_HOME);
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">", x + 16, ly);
        chart_text_cut(out, home, CHART_BENCH_W - x - 16 - chart_text_w(" *", 2, 11, 1) - 4, 11, 1);
        buf_puts(out, " *</text>\n");
    }
    buf_puts(out, "</g>\n");

    /* the x axis: grid, ticks, figures and the unit */
    int dec = chart_step_decimals(step);
    double ybase = top + plot_h;
    buf_puts(out, "<g class=\"axis\" font-size=\"10\" fill=\"#444\">\n");
    for (double v = 0.0; v <= hi + step / 2; v += step) {
        double tx = BX(v);
        buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
                   tx, top, tx, ybase + 4, v < step / 1000.0 ? "#444" : "#ddd");
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.*f</text>\n", tx, ybase + 15, dec, v);
    }
    buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" stroke-width=\"1\"/>\n",
               left, ybase, left + plot_w, ybase);
    if (c->whisker_unit[0]) {
        buf_printf(out, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" "
                        "fill=\"#222\">",
                   left + plot_w / 2, ybase + 34);
        render_html_text(out, c->whisker_unit);
        buf_puts(out, "</text>\n");
    }
    buf_puts(out, "</g>\n");

    /* one row per area */
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i], *lo = &c->series[1].pts[i], *up = &c->series[2].pts[i];
        int home = c->whisker_home == i + 1;
        double yc = top + CHART_BENCH_ROW * (i + 0.5);
        buf_printf(out, "<g class=\"bench-row%s\">\n", home ? " bench-home" : "");
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#222\"%s>", left - 8, yc + 4,
                   home ? " font-weight=\"bold\"" : "");
        chart_text_cut(out, c->cats[i], home ? label_w - chart_text_w(" *", 2, 11, 1) : label_w, 11, home);
        buf_puts(out, home ? " *</text>\n" : "</text>\n");
        if (p->has) {
            double end = BX(p->v);
            buf_printf(out, "<rect class=\"bench-bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                       left, yc - CHART_BENCH_BAR / 2, end - left, CHART_BENCH_BAR,
                       home ? CHART_BENCH_HOME : CHART_COLOURS[0]);
            chart_mark_title(c, 0, i, out);
            buf_puts(out, "</rect>\n");
        }
        if (lo->has && up->has) {
            double xl = BX(lo->v), xh = BX(up->v);
            buf_printf(out,
                       "<path class=\"bench-whisker\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" "
                       "stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"><title>",
                       xl, yc, xh, xl, yc - CHART_BENCH_CAP, yc + CHART_BENCH_CAP, xh, yc - CHART_BENCH_CAP,
                       yc + CHART_BENCH_CAP);
            render_html_text(out, c->cats[i]);
            buf_puts(out, ": 95% interval ");
            render_html_text(out, lo->text);
            buf_puts(out, " to ");
            render_html_text(out, up->text);
            buf_puts(out, "</title></path>\n");
        }
        buf_puts(out, "</g>\n");
    }
    if (grp) {
        double gx = BX(grp->v), tx = gx;
        buf_printf(out, "<path class=\"bench-group\" d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                        "stroke-dasharray=\"4 2\"><title>",
                   gx, top - 4, ybase, CHART_BENCH_GROUP);
        render_html_text(out, c->series[3].name);
        buf_puts(out, ": ");
        render_html_text(out, grp->text);
        buf_puts(out, "</title></path>\n");
        double tw = chart_text_w(c->series[3].name, strlen(c->series[3].name), 11, 0) +
                    chart_text_w(": ", 2, 11, 0) + chart_text_w(grp->text, strlen(grp->text), 11, 0);
        if (tx - tw / 2 < 4.0)
            tx = 4.0 + tw / 2;
        if (tx + tw / 2 > CHART_BENCH_W - 4.0)
            tx = CHART_BENCH_W - 4.0 - tw / 2;
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">", tx, top - 8,
                   CHART_BENCH_GROUP);
        render_html_text(out, c->series[3].name);
        buf_puts(out, ": ");
        render_html_text(out, grp->text);
        buf_puts(out, "</text>\n");
    }
    /* each rate's figure right of its whisker, over the group's line (a white halo keeps it legible) */
    buf_puts(out, "<g class=\"bench-figures\" font-size=\"10\" fill=\"#222\" stroke=\"#fff\" stroke-width=\"3\" "
                  "paint-order=\"stroke\">\n");
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i], *lo = &c->series[1].pts[i], *up = &c->series[2].pts[i];
        if (!p->has)
            continue;
        double end = BX(p->v), yc = top + CHART_BENCH_ROW * (i + 0.5);
        if (lo->has && up->has && BX(up->v) > end)
            end = BX(up->v);
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\"%s>", end + 4, yc + 3.5,
                   c->whisker_home == i + 1 ? " font-weight=\"bold\"" : "");
        render_html_text(out, p->text);
        buf_puts(out, "</text>\n");
    }
    buf_puts(out, "</g>\n");
#undef BX
    buf_puts(out, "</svg>\n");
    buf_release(&desc);
}

/* A marker shape per series, so lines differ by more than colour. */
static void chart_marker(Buf *out, int s, double x, double y)
{
    switch (s % 3) {
    case 0:
        buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\">", x, y);
        break;
    case 1:
        buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\">", x - 3.5, y - 3.5);
        break;
    default:
        buf_printf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\">", x, y - 4.5, x + 4.5,
                   y + 3.5, x - 4.5, y + 3.5);
        break;
    }
}

static const char *chart_marker_end(int s)
{
    return s % 3 == 0 ? "</circle>\n" : s % 3 == 1 ? "</rect>\n" : "</path>\n";
}

static void chart_lines(const DocChart *c, const ChartGeom *g, Buf *out)
{
    for (int s = 0; s < c->nseries; s++) {
        const char *colour = CHART_COLOURS[(size_t)s % CHART_NCOLOURS];
        const char *dash = CHART_DASHES[(size_t)s % CHART_NDASHES];
        int pen = 0; /* a missing point lifts the pen: the line breaks there */
        buf_printf(out, "<g class=\"series\" stroke=\"%s\" fill=\"%s\">\n", colour, colour);
        buf_printf(out, "<path fill=\"none\" stroke-width=\"2\" stroke-dasharray=\"%s\" d=\"",
                   dash);
        for (int i = 0; i < c->ncats; i++) {
            const DocChartPoint *p = &c->series[s].pts[i];
            if (!p->has) {
                pen = 0;
                continue;
            }
            buf_printf(out, "%s%.1f %.1f", pen ? "L" : "M", g->left + g->band * (i + 0.5),
                       chart_y(g, p->v));
            pen = 1;
        }
        buf_puts(out, "\"/>\n");
        for (int i = 0; i < c->ncats; i++) {
            const DocChartPoint *p = &c->series[s].pts[i];
            if (!p->has)
                continue;
            chart_marker(out, s, g->left + g->band * (i + 0.5), chart_y(g, p->v));
            chart_mark_title(c, s, i, out);
            buf_puts(out, chart_marker_end(s));
        }
        buf_puts(out, "</g>\n");
    }
}

/* A point's mark: circle, diamond, square or triangle by class. */
static void chart_spc_marker(Buf *out, DocSpcMark m, double x, double y)
{
    const char *fill = chart_spc_colour(m);
    switch (m) {
    case DOC_SPC_IMPROVEMENT:
        buf_printf(out, "<path fill=\"%s\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\">", fill, x,
                   y - 5.0, x + 5.0, y, x, y + 5.0, x - 5.0, y);
        break;
    case DOC_SPC_CONCERN:
        buf_printf(out, "<path fill=\"%s\" d=\"M%.1f %.1fh8v8h-8Z\">", fill, x - 4.0, y - 4.0);
        break;
    case DOC_SPC_NEUTRAL:
        buf_printf(out, "<path fill=\"%s\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\">", fill, x, y - 5.0,
                   x + 5.0, y + 4.0, x - 5.0, y + 4.0);
        break;
    case DOC_SPC_COMMON:
        buf_printf(out, "<path fill=\"%s\" d=\"M%.1f %.1fa3 3 0 1 0 6 0a3 3 0 1 0 -6 0Z\">", fill, x - 3.0,
                   y);
        break;
    }
}

/* A horizontal reference line across the plot (mean, limits, target). */
static void chart_spc_hline(Buf *out, const ChartGeom *g, double v, const char *colour, const char *dash,
                            double width, const char *what, const char *text)
{
    double y = chart_y(g, v);
    buf_printf(out,
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"%.1f\" stroke-dasharray=\"%s\"><title>",
               g->left, y, g->left + g->plot_w, y, colour, width, dash);
    render_html_text(out, what);
    buf_puts(out, " ");
    render_html_text(out, text ? text : "");
    buf_puts(out, "</title></line>\n");
}

/* The variation and assurance icons, right of the plot: a coloured circle with
 * a letter (H or L; P, F or ?) or, for common cause, a level wave. */
static void chart_spc_icon(Buf *out, double cx, double cy, DocSpcMark colour, const char *letter,
                           const char *words)
{
    buf_puts(out, "<g role=\"img\" aria-label=\"");
    render_html_text(out, words);
    buf_puts(out, "\"><title>");
    render_html_text(out, words);
    buf_printf(out, "</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>", cx, cy,
               CHART_ICON_R, chart_spc_colour(colour));
    if (letter && *letter)
        buf_printf(out,
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"15\" "
                   "font-weight=\"bold\" fill=\"#FFFFFF\">%s</text>",
                   cx, cy + 5.0, letter);
    else
        buf_printf(out,
                   "<path d=\"M%.1f %.1fq4 -6 8 0t8 0\" fill=\"none\" stroke=\"#FFFFFF\" "
                   "stroke-width=\"2.5\"/>",
                   cx - 8.0, cy);
    buf_puts(out, "</g>\n");
}

static void chart_spc(const DocChart *c, const ChartGeom *g, Buf *out)
{
    const DocSpc *spc = &c->spc;
    buf_puts(out, "<g class=\"spc\">\n");
    if (spc->has_limits) {
        chart_spc_hline(out, g, spc->upper, CHART_SPC_LIMIT, "6 3", 1.2, "Upper process limit", spc->upper_text);
        chart_spc_hline(out, g, spc->lower, CHART_SPC_LIMIT, "6 3", 1.2, "Lower process limit", spc->lower_text);
        chart_spc_hline(out, g, spc->mean, CHART_SPC_MEAN, "none", 1.5, "Mean", spc->mean_text);
    }
    if (spc->has_target)
        chart_spc_hline(out, g, spc->target, CHART_SPC_TARGET, "2 3", 1.8, "Target", spc->target_text);
    /* the points joined by a grey line, broken where a point is missing */
    int pen = 0;
    buf_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"", CHART_SPC_LIMIT);
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i];
        if (!p->has) {
            pen = 0;
            continue;
        }
        buf_printf(out, "%s%.1f %.1f", pen ? "L" : "M", g->left + g->band * (i + 0.5), chart_y(g, p->v));
        pen = 1;
    }
    buf_puts(out, "\"/>\n");
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i];
        if (!p->has)
            continue;
        chart_spc_marker(out, spc->marks[i], g->left + g->band * (i + 0.5), chart_y(g, p->v));
        buf_puts(out, "<title>");
        render_html_text(out, c->cats[i]);
        buf_puts(out, ": ");
        render_html_text(out, p->text);
        buf_puts(out, " (");
        render_html_text(out, doc_spc_mark_word(spc->marks[i]));
        buf_puts(out, ")</title></path>\n");
    }
    double ix = CHART_W - CHART_SPC_RIGHT / 2.0;
    if (spc->variation_words) {
        char letter[2] = {spc->variation_dir, 0};
        chart_spc_icon(out, ix, g->top + CHART_ICON_R + 2.0, spc->variation, letter, spc->variation_words);
    }
    if (spc->assurance != DOC_SPC_ASSURE_NONE && spc->assurance_words)
        chart_spc_icon(out, ix, g->top + 3.0 * CHART_ICON_R + 12.0, chart_spc_assurance_colour(spc->assurance),
                       chart_spc_assurance_letter(spc->assurance), spc->assurance_words);
    buf_puts(out, "</g>\n");
}

/* The legend of an SPC chart: mean, limits, target, and each kind of point shown. */
static void chart_spc_legend(const DocChart *c, Buf *out)
{
    const DocSpc *spc = &c->spc;
    double x = CHART_LEFT, y = CHART_LEGEND_Y;
    buf_puts(out, "<g class=\"legend\" font-size=\"11\" fill=\"#222\">\n");
    struct { const char *name, *colour, *dash; int show; } lines[] = {
        {"Mean", CHART_SPC_MEAN, "none", spc->has_limits},
        {"Process limits", CHART_SPC_LIMIT, "6 3", spc->has_limits},
        {"Target", CHART_SPC_TARGET, "2 3", spc->has_target},
    };
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
        if (!lines[k].show)
            continue;
        buf_printf(out,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"2\" stroke-dasharray=\"%s\"/>\n",
                   x, y - 4, x + 18, y - 4, lines[k].colour, lines[k].dash);
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 22, y, lines[k].name);
        x += 22 + (double)strlen(lines[k].name) * CHART_CHAR_W + 14;
    }
    int shown[4] = {0, 0, 0, 0};
    for (int i = 0; i < c->ncats; i++)
        if (c->series[0].pts[i].has)
            shown[(unsigned)c->spc.marks[i] < 4 ? c->spc.marks[i] : 0] = 1;
    for (int m = 0; m < 4; m++) {
        if (!shown[m])
            continue;
        const char *word = doc_spc_mark_word((DocSpcMark)m);
        if (x + 14 + (double)strlen(word) * CHART_CHAR_W > CHART_W - CHART_SPC_RIGHT) {
            x = CHART_LEFT; /* a second row */
            y += 16;
        }
        chart_spc_marker(out, (DocSpcMark)m, x + 5, y - 4);
        buf_puts(out, "</path>\n");
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 14, y, word);
        x += 14 + (double)strlen(word) * CHART_CHAR_W + 14;
    }
    buf_puts(out, "</g>\n");
}

/* The legend of a bar or line chart (a benchmark draws its own, chart_bench_svg). */
static void chart_legend(const DocChart *c, Buf *out)
{
    double x = CHART_LEFT;
    buf_puts(out, "<g class=\"legend\" font-size=\"11\" fill=\"#222\">\n");
    for (int s = 0; s < c->nseries; s++) {
        const char *colour = CHART_COLOURS[(size_t)s % CHART_NCOLOURS];
        const char *name = c->series[s].name;
        if (c->kind == DOC_CHART_BAR) {
            buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
                       x, CHART_LEGEND_Y - 10, colour);
        } else {
            buf_printf(out,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"2\" stroke-dasharray=\"%s\"/>\n",
                       x - 4, CHART_LEGEND_Y - 4, x + 16, CHART_LEGEND_Y - 4, colour,
                       CHART_DASHES[(size_t)s % CHART_NDASHES]);
            buf_printf(out, "<g fill=\"%s\">", colour);
            chart_marker(out, s, x + 6, CHART_LEGEND_Y - 4);
            buf_puts(out, chart_marker_end(s));
            buf_puts(out, "</g>\n");
        }
        buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 20, CHART_LEGEND_Y);
        render_html_text(out, name);
        buf_puts(out, "</text>\n");
        x += 20 + (double)doc_utf8_width(name, strlen(name)) * CHART_CHAR_W + 20;
    }
    buf_puts(out, "</g>\n");
}

void chart_svg(const DocChart *c, int id, Buf *out)
{
    ChartGeom g;
    Buf desc = BUF_INIT;
    if (c->whiskers && c->nseries == 4) {
        chart_bench_svg(c, id, out);
        return;
    }
    chart_geometry(c, &g);
    chart_describe(c, &desc);
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
               "aria-labelledby=\"kpi-chart-%d-title kpi-chart-%d-desc\" "
               "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
               "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"11\">\n",
               id, id, CHART_W, g.height, CHART_W, g.height);
    buf_printf(out, "<title id=\"kpi-chart-%d-title\">", id);
    render_html_text(out, c->title);
    buf_printf(out, "</title>\n<desc id=\"kpi-chart-%d-desc\">", id);
    render_html_escape(out, buf_cstr(&desc), desc.len);
    buf_puts(out, "</desc>\n");
    if (c->kind == DOC_CHART_SPC)
        chart_spc_legend(c, out);
    else
        chart_legend(c, out);
    chart_axes(c, &g, out);
    if (c->kind == DOC_CHART_BAR)
        chart_bars(c, &g, out);
    else if (c->kind == DOC_CHART_SPC)
        chart_spc(c, &g, out);
    else
        chart_lines(c, &g, out);
    buf_puts(out, "</svg>\n");
    buf_release(&desc);
}
