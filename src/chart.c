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

#include "render.h"

#define CHART_W 640.0          /* viewBox width */
#define CHART_PLOT_H 220.0     /* height of the plotting area */
#define CHART_TOP 44.0         /* room above the plot for the legend */
#define CHART_LEFT 60.0        /* room for the y-axis labels */
#define CHART_RIGHT 16.0
#define CHART_BOTTOM 30.0      /* room for horizontal category labels */
#define CHART_CHAR_W 6.2       /* rough width of one character at font-size 11 */
#define CHART_ROTATE_DEG 35.0  /* long category labels are turned this far */
#define CHART_LABEL_MAX_W 170.0 /* a turned label is allowed this much length */
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

#define CHART_NCOLOURS (sizeof(CHART_COLOURS) / sizeof(CHART_COLOURS[0]))
#define CHART_NDASHES (sizeof(CHART_DASHES) / sizeof(CHART_DASHES[0]))

static void chart_point_words(Buf *out, const char *label, const DocChartPoint *p)
{
    buf_puts(out, label);
    buf_putc(out, ' ');
    buf_puts(out, p->has ? p->text : "no figure");
}

void chart_describe(const DocChart *c, Buf *out)
{
    if (c->ncats == 0 || c->nseries == 0) {
        buf_puts(out, "No figures.");
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

static void chart_geometry(const DocChart *c, ChartGeom *g)
{
    double lo = 0.0, hi = 0.0;
    size_t longest = 0;
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->ncats; i++) {
            const DocChartPoint *p = &c->series[s].pts[i];
            if (!p->has || !isfinite(p->v))
                continue;
            lo = p->v < lo ? p->v : lo;
            hi = p->v > hi ? p->v : hi;
        }
    if (hi - lo <= 0.0)
        hi = lo + 1.0;
    g->step = chart_nice_step(hi - lo);
    g->ymax = ceil(hi / g->step) * g->step;
    g->ymin = floor(lo / g->step) * g->step;
    if (g->ymax - g->ymin <= 0.0)
        g->ymax = g->ymin + g->step;

    g->top = CHART_TOP;
    g->left = CHART_LEFT;
    g->plot_w = CHART_W - CHART_LEFT - CHART_RIGHT;
    g->plot_h = CHART_PLOT_H;
    g->band = c->ncats > 0 ? g->plot_w / c->ncats : g->plot_w;
    for (int i = 0; i < c->ncats; i++) {
        size_t w = doc_utf8_width(c->cats[i], strlen(c->cats[i]));
        longest = w > longest ? w : longest;
    }
    double label_w = (double)longest * CHART_CHAR_W;
    int lines = 1;
    g->wrap = (size_t)((g->band - 4.0) / CHART_CHAR_W);
    g->rotate = 0;
    if (label_w > g->band - 4.0) {
        /* wrap onto a few lines if every word fits; else turn the labels */
        for (int i = 0; i < c->ncats && !g->rotate; i++) {
            size_t s[CHART_LABEL_LINES], l[CHART_LABEL_LINES];
            int nl = g->wrap > 0 ? chart_wrap(c->cats[i], g->wrap, s, l, CHART_LABEL_LINES)
                                 : CHART_LABEL_LINES + 1;
            /* only the lines chart_wrap wrote (none when wrap is 0); stop at the first too wide */
            for (int k = 0; g->wrap > 0 && k < nl && k < CHART_LABEL_LINES; k++)
                if (doc_utf8_width(c->cats[i] + s[k], l[k]) > g->wrap) {
                    nl = CHART_LABEL_LINES + 1;
                    break;
                }
            if (nl > CHART_LABEL_LINES)
                g->rotate = 1;
            lines = nl > lines ? nl : lines;
        }
    }
    double bottom = CHART_BOTTOM;
    if (g->rotate) {
        double w = label_w < CHART_LABEL_MAX_W ? label_w : CHART_LABEL_MAX_W;
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
    double ylab = g->top + g->plot_h + 14;
    for (int i = 0; i < c->ncats; i++) {
        double x = g->left + g->band * (i + 0.5);
        if (g->rotate) {
            buf_printf(out,
                       "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                       "transform=\"rotate(-%.0f %.1f %.1f)\">",
                       x, ylab, CHART_ROTATE_DEG, x, ylab);
            render_html_text(out, c->cats[i]);
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

static void chart_legend(const DocChart *c, Buf *out)
{
    double x = CHART_LEFT;
    buf_puts(out, "<g class=\"legend\" font-size=\"11\" fill=\"#222\">\n");
    for (int s = 0; s < c->nseries; s++) {
        const char *colour = CHART_COLOURS[(size_t)s % CHART_NCOLOURS];
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
        render_html_text(out, c->series[s].name);
        buf_puts(out, "</text>\n");
        x += 20 + (double)doc_utf8_width(c->series[s].name, strlen(c->series[s].name)) *
                      CHART_CHAR_W + 20;
    }
    buf_puts(out, "</g>\n");
}

void chart_svg(const DocChart *c, int id, Buf *out)
{
    ChartGeom g;
    Buf desc = BUF_INIT;
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
    chart_legend(c, out);
    chart_axes(c, &g, out);
    if (c->kind == DOC_CHART_BAR)
        chart_bars(c, &g, out);
    else
        chart_lines(c, &g, out);
    buf_puts(out, "</svg>\n");
    buf_free(&desc);
}
