/* chart_cairo.c — bar and line charts of the document tree drawn with cairo,
 * labels set with pango. Geometry is in points; the figures printed on the
 * chart are the points' own text, never recomputed from the doubles. */
#include "chart_cairo.h"

#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>
#include "lazy_gfx.h" /* after the library's header */

#define CC_LEGEND_H 18.0      /* the legend row above the plot */
#define CC_LEGEND_ROW 12.0    /* a second legend row (SPC charts have one) */
#define CC_PLOT_H 150.0       /* height of the plotting area */
#define CC_LEFT 40.0          /* room for the y-axis labels */
#define CC_AXIS_W 13.0        /* and for the turned y-axis title, when there is one */
#define CC_RIGHT 6.0
#define CC_VALUE_ROOM 12.0    /* room above the tallest bar for its figure */
#define CC_LABEL_GAP 4.0      /* between the axis and the category labels */
#define CC_LABEL_LINE 10.5    /* one line of a category label */
#define CC_LABEL_LINES 3      /* a category label wraps onto at most this many lines */
#define CC_FONT_SIZE 7.5      /* labels, in points */
#define CC_BOTTOM 5.0         /* below the category labels */
#define CC_VALUE_SIZE 6.5     /* figures on bars */
#define CC_TICKS 5            /* about this many y-axis intervals */
#define CC_BAR_FILL 0.78      /* share of a category band the bars take */
#define CC_VALUE_MIN_W 14.0   /* narrower bars carry no figure */
#define CC_SWATCH 8.0         /* legend swatch size */
#define CC_MARKER 2.6         /* line chart marker radius */
#define CC_SPC_RIGHT 34.0     /* an SPC chart's icons stand right of the plot */
#define CC_ICON_R 10.0        /* radius of a variation or assurance icon */

static const double CC_COLOURS[][3] = {
    /* Okabe-Ito: told apart by most colour-blind readers */
    {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0}, {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0},
    {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0},
    {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0}, {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0},
};
#define CC_NCOLOURS (sizeof CC_COLOURS / sizeof CC_COLOURS[0])

static const double CC_DASHES[][4] = {{0, 0, 0, 0}, {5, 3, 0, 0}, {1.5, 2, 0, 0}, {7, 2, 1.5, 2}};
static const int CC_NDASH[] = {0, 2, 2, 4};
#define CC_NDASHES (sizeof CC_NDASH / sizeof CC_NDASH[0])

static PangoLayout *cc_layout(cairo_t *cr, double size, int bold)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(CHART_CAIRO_FONT);
    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    return lay;
}

/* Set text into lay, wrapped to width (<= 0: no wrapping); returns its height. */
static double cc_set(PangoLayout *lay, const char *text, double width, PangoAlignment align)
{
    pango_layout_set_text(lay, text ? text : "", -1);
    pango_layout_set_width(lay, width > 0 ? (int)(width * PANGO_SCALE) : -1);
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, align);
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double cc_width(PangoLayout *lay)
{
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    return (double)w / PANGO_SCALE;
}

static void cc_show(cairo_t *cr, PangoLayout *lay, double x, double y)
{
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, lay);
}

#define CC_LABEL_MAX_W 80.0   /* a category label is given at most this width */

/* How category labels are set: one every `every` categories, each `width`
 * wide (band × every, at most CC_LABEL_MAX_W), on at most `lines` lines. With
 * many categories (five years of months) labels are thinned, never overlapped:
 * `every` grows until the widest word of every label fits its width. */
typedef struct CcLabels {
    int every, lines;
    double width;
} CcLabels;

static double cc_widest_word(PangoLayout *lay, const char *label)
{
    double most = 0;
    const char *p = label;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == 0)
            break;
        pango_layout_set_text(lay, p, (int)n);
        pango_layout_set_width(lay, -1);
        most = fmax(most, cc_width(lay));
        p += n;
    }
    return most;
}

static CcLabels cc_labels(cairo_t *cr, const DocChart *c, double band)
{
    CcLabels L = {1, 1, band - 2};
    PangoLayout *lay = cc_layout(cr, CC_FONT_SIZE, 0);
    double need = 0;
    for (int i = 0; i < c->ncats; i++)
        need = fmax(need, cc_widest_word(lay, c->cats[i]));
    need = fmin(need + 2, CC_LABEL_MAX_W);
    if (band > 0 && need > band) {
        double k = ceil(need / band);
        L.every = k < (double)(c->ncats > 1 ? c->ncats : 1) ? (int)k : (c->ncats > 1 ? c->ncats : 1);
    }
    L.width = fmin(band * L.every, CC_LABEL_MAX_W) - 2;
    if (L.width < 1)
        L.width = 1;
    for (int i = 0; i < c->ncats; i += L.every) {
        cc_set(lay, c->cats[i], L.width, PANGO_ALIGN_CENTER);
        int n = pango_layout_get_line_count(lay);
        if (n > L.lines)
            L.lines = n;
    }
    if (L.lines > CC_LABEL_LINES)
        L.lines = CC_LABEL_LINES;
    g_object_unref(lay);
    return L;
}

static double cc_right(const DocChart *c)
{
    return c->kind == DOC_CHART_SPC ? CC_SPC_RIGHT : CC_RIGHT;
}

static double cc_left(const DocChart *c)
{
    return CC_LEFT + (c->axis ? CC_AXIS_W : 0);
}

static double cc_band(const DocChart *c, double w)
{
    return (w - cc_left(c) - cc_right(c)) / (c->ncats > 0 ? c->ncats : 1);
}

/* "#RRGGBB" as the source colour. */
static void cc_hex(cairo_t *cr, const char *hex)
{
    unsigned v = (unsigned)strtoul(hex + 1, NULL, 16);
    cairo_set_source_rgb(cr, ((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0);
}

/* A point's mark: circle, diamond, square or triangle by class (as chart.c). */
static void cc_spc_marker(cairo_t *cr, DocSpcMark m, double x, double y)
{
    cc_hex(cr, chart_spc_colour(m));
    switch (m) {
    case DOC_SPC_IMPROVEMENT:
        cairo_move_to(cr, x, y - 3.6);
        cairo_line_to(cr, x + 3.6, y);
        cairo_line_to(cr, x, y + 3.6);
        cairo_line_to(cr, x - 3.6, y);
        break;
    case DOC_SPC_CONCERN:
        cairo_rectangle(cr, x - 2.9, y - 2.9, 5.8, 5.8);
        break;
    case DOC_SPC_NEUTRAL:
        cairo_move_to(cr, x, y - 3.6);
        cairo_line_to(cr, x + 3.6, y + 2.9);
        cairo_line_to(cr, x - 3.6, y + 2.9);
        break;
    case DOC_SPC_COMMON:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, 2.2, 0, 2 * M_PI);
        break;
    }
    cairo_close_path(cr);
    cairo_fill(cr);
}

/* A coloured circle with a white letter, or a level wave for common cause. */
static void cc_spc_icon(cairo_t *cr, double cx, double cy, DocSpcMark colour, const char *letter)
{
    cc_hex(cr, chart_spc_colour(colour));
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, CC_ICON_R, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    if (letter && *letter) {
        PangoLayout *lay = cc_layout(cr, 9.5, 1);
        double th = cc_set(lay, letter, 2 * CC_ICON_R, PANGO_ALIGN_CENTER);
        cc_show(cr, lay, cx - CC_ICON_R, cy - th / 2);
        g_object_unref(lay);
    } else {
        cairo_set_line_width(cr, 1.6);
        cairo_move_to(cr, cx - 5, cy);
        cairo_curve_to(cr, cx - 3, cy - 3.5, cx - 1, cy - 3.5, cx, cy);
        cairo_curve_to(cr, cx + 1, cy + 3.5, cx + 3, cy + 3.5, cx + 5, cy);
        cairo_stroke(cr);
    }
}

static void cc_spc_line(cairo_t *cr, double x0, double x1, double y, const char *hex, const double *dash,
                        int ndash, double width)
{
    cc_hex(cr, hex);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, dash, ndash, 0);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* The legend of an SPC chart: mean, limits, target, then each kind of point. */
static void cc_spc_legend(cairo_t *cr, const DocChart *c, double x, double w)
{
    double x_start = x;
    static const double LIMIT_DASH[] = {4, 2}, TARGET_DASH[] = {1.5, 2};
    PangoLayout *lay = cc_layout(cr, CC_FONT_SIZE, 0);
    const DocSpc *spc = &c->spc;
    double y = 4.0;
    struct { const char *name, *hex; const double *dash; int ndash, show; } lines[] = {
        {"Mean", CHART_SPC_MEAN, NULL, 0, spc->has_limits},
        {"Process limits", CHART_SPC_LIMIT, LIMIT_DASH, 2, spc->has_limits},
        {"Target", CHART_SPC_TARGET, TARGET_DASH, 2, spc->has_target},
    };
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
        if (!lines[k].show)
            continue;
        cc_spc_line(cr, x, x + 16, y + 5, lines[k].hex, lines[k].dash, lines[k].ndash, 1.4);
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_set(lay, lines[k].name, -1, PANGO_ALIGN_LEFT);
        cc_show(cr, lay, x + 20, y - 0.5);
        x += 20 + cc_width(lay) + 12;
    }
    int shown[4] = {0, 0, 0, 0};
    for (int i = 0; i < c->ncats; i++)
        if (c->series[0].pts[i].has)
            shown[(unsigned)spc->marks[i] < 4 ? spc->marks[i] : 0] = 1;
    for (int m = 0; m < 4; m++) {
        if (!shown[m])
            continue;
        cc_set(lay, doc_spc_mark_word((DocSpcMark)m), -1, PANGO_ALIGN_LEFT);
        if (x + 11 + cc_width(lay) > w - CC_SPC_RIGHT && x > x_start) {
            x = x_start; /* the second row */
            y += CC_LEGEND_ROW;
        }
        cc_spc_marker(cr, (DocSpcMark)m, x + 4, y + 5);
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_show(cr, lay, x + 11, y - 0.5);
        x += 11 + cc_width(lay) + 12;
    }
    g_object_unref(lay);
}

/* The left edge of category i's label box (in *lx), or 0 when the label is
 * not drawn (thinned away, or a thinned label that would leave the chart). */
static int cc_label_at(const DocChart *c, const CcLabels *L, double x0, double w, int i, double *lx)
{
    if (i % L->every != 0)
        return 0;
    *lx = x0 + cc_band(c, w) * (i + 0.5) - L->width / 2;
    return !(L->every > 1 && (*lx < 0 || *lx + L->width > w));
}

/* Category i's label into lay as drawn: wrapped to the label width, centred,
 * at most L->lines lines, ellipsized beyond. */
static void cc_label_set(PangoLayout *lay, const DocChart *c, const CcLabels *L, int i)
{
    cc_set(lay, c->cats[i], L->width, PANGO_ALIGN_CENTER);
    pango_layout_set_height(lay, -L->lines);
    pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
}

int chart_cairo_label_boxes(const DocChart *c, double w, double *left, double *right)
{
    Err err = ERR_INIT;
    if (lazy_gfx_load(&err) < 0) { /* cairo and pango cannot be opened: no label is drawn */
        err_release(&err);
        return -1;
    }
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(NULL, NULL, w, w);
    cairo_t *cr = cairo_create(s);
    CcLabels L = cc_labels(cr, c, cc_band(c, w));
    PangoLayout *lay = cc_layout(cr, CC_FONT_SIZE, 0);
    int n = 0;
    for (int i = 0; i < c->ncats; i++) {
        double lx;
        left[i] = right[i] = 0;
        if (!cc_label_at(c, &L, cc_left(c), w, i, &lx))
            continue;
        cc_label_set(lay, c, &L, i);
        PangoRectangle ink, logical;
        pango_layout_get_pixel_extents(lay, &ink, &logical);
        left[i] = lx + ink.x;
        right[i] = lx + ink.x + ink.width;
        n++;
    }
    g_object_unref(lay);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return n;
}
static double cc_bench_height(const DocChart *c);

double chart_cairo_height(const DocChart *c, double w)
{
    if (c->whiskers && c->nseries == 4)
        return cc_bench_height(c);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(s);
    int lines = cc_labels(cr, c, cc_band(c, w)).lines;
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return CC_LEGEND_H + (c->kind == DOC_CHART_SPC ? CC_LEGEND_ROW : 0) + CC_VALUE_ROOM + CC_PLOT_H + CC_LABEL_GAP + lines * CC_LABEL_LINE + CC_BOTTOM;
}

/* A step of 1, 2, 2.5 or 5 times a power of ten near span / CC_TICKS. */
static double cc_step(double span)
{
    double raw = span / CC_TICKS;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0) * mag;
}

static void cc_colour(cairo_t *cr, int s)
{
    const double *rgb = CC_COLOURS[(size_t)s % CC_NCOLOURS];
    cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
}

/* A benchmark (DocChart .whiskers), drawn lying down as chart.c draws it in
 * SVG: one row per area, its name left (measured; cut with an ellipsis when
 * wider than the label column), its rate a bar from 0, its 95% interval a
 * whisker with caps and its figure right of it; the group's rate one
 * vertical dashed line labelled above the plot; the home area bold with "*"
 * and its bar vermillion; an x axis with ticks and the unit as its title. */
#define CC_BENCH_ROW 14.0        /* height of one area's row */
#define CC_BENCH_MAX_H 640.0     /* the tallest a benchmark gets (a page): more areas get thinner rows */
#define CC_BENCH_LABEL_ROW 9.0   /* rows thinner than this label every k-th area */
#define CC_BENCH_BAR 8.0         /* thickness of a bar */
#define CC_BENCH_CAP 3.5         /* half the height of a whisker's cap */
#define CC_BENCH_TOP 32.0        /* the legend, then the group rate's label */
#define CC_BENCH_BOTTOM 30.0     /* tick labels and the axis title */
#define CC_BENCH_RIGHT 34.0      /* room for the last figure right of a whisker */
#define CC_BENCH_LABEL_MAX 0.3   /* share of the width the label column may take */
#define CC_BENCH_HOME "#D55E00"
#define CC_BENCH_GROUP "#6F3D91"

static double cc_bench_height(const DocChart *c)
{
    return fmin(CC_BENCH_TOP + CC_BENCH_ROW * (c->ncats > 0 ? c->ncats : 1) + CC_BENCH_BOTTOM, CC_BENCH_MAX_H);
}

static const DocChartPoint *cc_bench_group(const DocChart *c)
{
    for (int i = 0; i < c->ncats; i++)
        if (c->series[3].pts[i].has)
            return &c->series[3].pts[i];
    return NULL;
}

/* Set an area's label ("Name", or "Name *" bold for the home area) into lay,
 * cut with an ellipsis at width `most` when most > 0; returns its width. */
static double cc_bench_label(PangoLayout *lay, const DocChart *c, int i, double most)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s", c->cats[i], c->whisker_home == i + 1 ? " *" : "");
    cc_set(lay, buf, most, PANGO_ALIGN_RIGHT);
    pango_layout_set_ellipsize(lay, most > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    return cc_width(lay);
}

/* With rows too thin for every label, every k-th area and the home area are
 * labelled; none within k rows of the home area's, so that no two collide. */
static int cc_bench_labelled(const DocChart *c, int i, int every)
{
    int home = c->whisker_home - 1;
    if (every <= 1 || i == home)
        return 1;
    return i % every == 0 && (home < 0 || abs(i - home) >= every);
}

static void cc_bench_draw(cairo_t *cr, const DocChart *c, double w, double h)
{
    static const double DASH[] = {3, 1.5};
    const DocChartPoint *grp = cc_bench_group(c);
    double hi, step, label_w = 0;
    chart_bench_axis(c, &hi, &step);
    PangoLayout *lay = cc_layout(cr, CC_FONT_SIZE, 0), *bold = cc_layout(cr, CC_FONT_SIZE, 1);
    PangoLayout *vlay = cc_layout(cr, CC_VALUE_SIZE, 0);
    for (int i = 0; i < c->ncats; i++)
        label_w = fmax(label_w, cc_bench_label(c->whisker_home == i + 1 ? bold : lay, c, i, -1));
    label_w = fmin(label_w + 1, w * CC_BENCH_LABEL_MAX);
    double x0 = 2 + label_w + 6, x1 = w - CC_BENCH_RIGHT, top = CC_BENCH_TOP;
    /* the rows share the height the caller gave (chart_cairo_height's, unless it chose another) */
    double row = fmin(CC_BENCH_ROW, (h - CC_BENCH_TOP - CC_BENCH_BOTTOM) / (c->ncats > 0 ? c->ncats : 1));
    if (row < 1)
        row = 1;
    int every = row >= CC_BENCH_LABEL_ROW ? 1 : (int)ceil(CC_BENCH_LABEL_ROW / row);
    double bar = fmin(CC_BENCH_BAR, row * 0.6), cap = fmin(CC_BENCH_CAP, row * 0.45);
    double ybase = top + row * (c->ncats > 0 ? c->ncats : 1);
#define CC_BX(v) (x0 + (x1 - x0) * (v) / hi)
    cairo_save(cr);
    /* legend */
    double x = 0, y = 4.0;
    cc_colour(cr, 0);
    cairo_rectangle(cr, x, y + 1, CC_SWATCH, CC_SWATCH);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cc_set(lay, c->series[0].name, -1, PANGO_ALIGN_LEFT);
    cc_show(cr, lay, x + CC_SWATCH + 4, y - 0.5);
    x += CC_SWATCH + 4 + cc_width(lay) + 12;
    cairo_set_line_width(cr, 1.1);
    cairo_move_to(cr, x, y + 5);
    cairo_line_to(cr, x + 12, y + 5);
    cairo_move_to(cr, x, y + 1);
    cairo_line_to(cr, x, y + 9);
    cairo_move_to(cr, x + 12, y + 1);
    cairo_line_to(cr, x + 12, y + 9);
    cairo_stroke(cr);
    cc_set(lay, "95% interval", -1, PANGO_ALIGN_LEFT);
    cc_show(cr, lay, x + 16, y - 0.5);
    x += 16 + cc_width(lay) + 12;
    cc_hex(cr, CC_BENCH_GROUP);
    cairo_set_line_width(cr, 1.4);
    cairo_set_dash(cr, DASH, 2, 0);
    cairo_move_to(cr, x + 3, y);
    cairo_line_to(cr, x + 3, y + 10);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cc_set(lay, c->series[3].name, -1, PANGO_ALIGN_LEFT);
    cc_show(cr, lay, x + 9, y - 0.5);
    x += 9 + cc_width(lay) + 12;
    if (c->whisker_home > 0 && c->whisker_home <= c->ncats) {
        cc_hex(cr, CC_BENCH_HOME);
        cairo_rectangle(cr, x, y + 1, CC_SWATCH, CC_SWATCH);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_bench_label(bold, c, c->whisker_home - 1, w - x - CC_SWATCH - 6);
        pango_layout_set_alignment(bold, PANGO_ALIGN_LEFT);
        cc_show(cr, bold, x + CC_SWATCH + 4, y - 0.5);
    }
    /* the x axis */
    cairo_set_line_width(cr, 0.5);
    for (double v = 0; v <= hi + step / 2; v += step) {
        char label[32];
        double tx = CC_BX(v);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, tx, top);
        cairo_line_to(cr, tx, ybase + 2);
        cairo_stroke(cr);
        snprintf(label, sizeof label, "%g", v < step / 1e6 ? 0.0 : v);
        cairo_set_source_rgb(cr, 0.27, 0.27, 0.27);
        cc_set(lay, label, -1, PANGO_ALIGN_LEFT);
        cc_show(cr, lay, tx - cc_width(lay) / 2, ybase + 3);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, top);
    cairo_line_to(cr, x0, ybase);
    cairo_line_to(cr, x1, ybase);
    cairo_stroke(cr);
    if (c->whisker_unit[0]) {
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_set(lay, c->whisker_unit, x1 - x0, PANGO_ALIGN_CENTER);
        cc_show(cr, lay, x0, ybase + 16);
    }
    /* the rows */
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i], *lo = &c->series[1].pts[i], *up = &c->series[2].pts[i];
        int home = c->whisker_home == i + 1;
        double yc = top + row * (i + 0.5);
        PangoLayout *L = home ? bold : lay;
        if (cc_bench_labelled(c, i, every)) {
            cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
            cc_bench_label(L, c, i, label_w);
            pango_layout_set_alignment(L, PANGO_ALIGN_RIGHT);
            int lw, lh;
            pango_layout_get_size(L, &lw, &lh);
            cc_show(cr, L, 2, yc - (double)lh / PANGO_SCALE / 2);
            pango_layout_set_ellipsize(L, PANGO_ELLIPSIZE_NONE);
        }
        if (p->has) {
            double end = CC_BX(p->v);
            if (home)
                cc_hex(cr, CC_BENCH_HOME);
            else
                cc_colour(cr, 0);
            cairo_rectangle(cr, x0, yc - bar / 2, end - x0, bar);
            cairo_fill(cr);
        }
        if (lo->has && up->has) {
            double xl = CC_BX(lo->v), xh = CC_BX(up->v);
            cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
            cairo_set_line_width(cr, 1.1);
            cairo_move_to(cr, xl, yc);
            cairo_line_to(cr, xh, yc);
            cairo_move_to(cr, xl, yc - cap);
            cairo_line_to(cr, xl, yc + cap);
            cairo_move_to(cr, xh, yc - cap);
            cairo_line_to(cr, xh, yc + cap);
            cairo_stroke(cr);
        }
    }
    if (grp) {
        char label[160];
        double gx = CC_BX(grp->v);
        cc_hex(cr, CC_BENCH_GROUP);
        cairo_set_line_width(cr, 1.4);
        cairo_set_dash(cr, DASH, 2, 0);
        cairo_move_to(cr, gx, top - 2);
        cairo_line_to(cr, gx, ybase);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        snprintf(label, sizeof label, "%s: %s", c->series[3].name, grp->text ? grp->text : "");
        cc_set(lay, label, -1, PANGO_ALIGN_LEFT);
        double tw = cc_width(lay), tx = fmin(fmax(gx - tw / 2, 0), w - tw);
        cc_show(cr, lay, tx, top - 13);
    }
    /* each rate's figure right of its whisker, over the group's line, on a white halo */
    for (int i = 0; i < c->ncats; i++) {
        const DocChartPoint *p = &c->series[0].pts[i], *lo = &c->series[1].pts[i], *up = &c->series[2].pts[i];
        if (!p->has || !p->text || !cc_bench_labelled(c, i, every))
            continue;
        double end = CC_BX(p->v), yc = top + row * (i + 0.5);
        if (lo->has && up->has)
            end = fmax(end, CC_BX(up->v));
        double th = cc_set(vlay, p->text, -1, PANGO_ALIGN_LEFT);
        cairo_move_to(cr, end + 2.5, yc - th / 2);
        pango_cairo_layout_path(cr, vlay);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 2.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_show(cr, vlay, end + 2.5, yc - th / 2);
    }
#undef CC_BX
    g_object_unref(vlay);
    g_object_unref(bold);
    g_object_unref(lay);
    cairo_restore(cr);
}

/* The legend: a swatch (bar) or a dashed stroke with a marker (line), then the
 * name (a benchmark draws its own, cc_bench_draw). */
static void cc_legend(cairo_t *cr, const DocChart *c, double x)
{
    PangoLayout *lay = cc_layout(cr, CC_FONT_SIZE, 0);
    for (int s = 0; s < c->nseries; s++) {
        double y = 4.0;
        const char *name = c->series[s].name;
        cc_colour(cr, s);
        if (c->kind == DOC_CHART_BAR) {
            cairo_rectangle(cr, x, y + 1, CC_SWATCH, CC_SWATCH);
            cairo_fill(cr);
            x += CC_SWATCH + 4;
        } else {
            cairo_set_line_width(cr, 1.6);
            cairo_set_dash(cr, CC_DASHES[(size_t)s % CC_NDASHES], CC_NDASH[(size_t)s % CC_NDASHES], 0);
            cairo_move_to(cr, x, y + 5);
            cairo_line_to(cr, x + 18, y + 5);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            cairo_arc(cr, x + 9, y + 5, CC_MARKER, 0, 2 * M_PI);
            cairo_fill(cr);
            x += 22;
        }
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_set(lay, name, -1, PANGO_ALIGN_LEFT);
        cc_show(cr, lay, x, y - 0.5);
        x += cc_width(lay) + 14;
    }
    g_object_unref(lay);
}

void chart_cairo_draw(cairo_t *cr, const DocChart *c, double w, double h)
{
    if (c->whiskers && c->nseries == 4) {
        cc_bench_draw(cr, c, w, h);
        return;
    }
    double band = cc_band(c, w);
    CcLabels labels = cc_labels(cr, c, band);
    int lines = labels.lines;
    double top = CC_LEGEND_H + (c->kind == DOC_CHART_SPC ? CC_LEGEND_ROW : 0) + CC_VALUE_ROOM;
    double plot_h = h - top - CC_LABEL_GAP - lines * CC_LABEL_LINE - CC_BOTTOM;
    double x0 = cc_left(c), x1 = w - cc_right(c);
    double vmin = 0, vmax = 0;
    int any = 0;

    if (plot_h < 20)
        plot_h = 20;
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->ncats; i++)
            any = any || c->series[s].pts[i].has;
    chart_value_span(c, &vmin, &vmax);
    if (vmax <= vmin)
        vmax = vmin + 1;
    double step = cc_step(vmax - vmin);
    double lo = floor(vmin / step) * step, hi = ceil(vmax / step) * step;
    double ybase = top + plot_h;
#define CC_Y(v) (ybase - ((v) - lo) / (hi - lo) * plot_h)

    cairo_save(cr);
    if (c->kind == DOC_CHART_SPC)
        cc_spc_legend(cr, c, x0, w);
    else
        cc_legend(cr, c, x0);
    /* grid and y-axis labels */
    PangoLayout *lay = cc_layout(cr, CC_FONT_SIZE, 0);
    cairo_set_line_width(cr, 0.5);
    for (double v = lo; v <= hi + step / 2; v += step) {
        double y = CC_Y(v);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
        cairo_stroke(cr);
        char label[32];
        snprintf(label, sizeof label, "%g", fabs(v) < step / 1e6 ? 0.0 : v);
        cairo_set_source_rgb(cr, 0.27, 0.27, 0.27);
        double th = cc_set(lay, label, x0 - 6, PANGO_ALIGN_RIGHT);
        cc_show(cr, lay, 0, y - th / 2);
    }
    if (c->axis) { /* the axis's title, turned along it, left of the figures */
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_set(lay, c->axis, -1, PANGO_ALIGN_LEFT);
        int tw, th;
        pango_layout_get_size(lay, &tw, &th);
        cairo_save(cr);
        cairo_translate(cr, 0, top + plot_h / 2 + (double)tw / PANGO_SCALE / 2);
        cairo_rotate(cr, -M_PI / 2);
        cc_show(cr, lay, 0, 0);
        cairo_restore(cr);
    }
    /* the axis through zero */
    if (lo <= 0 && 0 <= hi) {
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        cairo_set_line_width(cr, 0.8);
        cairo_move_to(cr, x0, CC_Y(0));
        cairo_line_to(cr, x1, CC_Y(0));
        cairo_stroke(cr);
    }
    /* category labels */
    for (int i = 0; i < c->ncats; i += labels.every) {
        double lx;
        if (!cc_label_at(c, &labels, x0, w, i, &lx))
            continue;
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        cc_label_set(lay, c, &labels, i);
        cc_show(cr, lay, lx, ybase + CC_LABEL_GAP);
        pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_NONE);
        pango_layout_set_height(lay, -1);
    }
    PangoLayout *vlay = cc_layout(cr, CC_VALUE_SIZE, 0);
    if (c->kind == DOC_CHART_BAR && c->nseries > 0) {
        double bw = band * CC_BAR_FILL / c->nseries;
        for (int i = 0; i < c->ncats; i++) {
            for (int s = 0; s < c->nseries; s++) {
                const DocChartPoint *p = &c->series[s].pts[i];
                double bx = x0 + band * i + band * (1 - CC_BAR_FILL) / 2 + bw * s;
                if (!p->has)
                    continue;
                double ya = CC_Y(p->v), yz = CC_Y(0);
                cc_colour(cr, s);
                cairo_rectangle(cr, bx, fmin(ya, yz), bw - 1, fabs(yz - ya));
                cairo_fill(cr);
                if (bw >= CC_VALUE_MIN_W && p->text) {
                    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
                    double th = cc_set(vlay, p->text, bw + 8, PANGO_ALIGN_CENTER);
                    cc_show(cr, vlay, bx - 4.5, p->v >= 0 ? ya - th - 1 : ya + 1);
                }
            }
        }
    } else if (c->kind == DOC_CHART_SPC && c->nseries > 0) {
        static const double LIMIT_DASH[] = {4, 2}, TARGET_DASH[] = {1.5, 2};
        const DocSpc *spc = &c->spc;
        if (spc->has_limits) {
            cc_spc_line(cr, x0, x1, CC_Y(spc->upper), CHART_SPC_LIMIT, LIMIT_DASH, 2, 0.9);
            cc_spc_line(cr, x0, x1, CC_Y(spc->lower), CHART_SPC_LIMIT, LIMIT_DASH, 2, 0.9);
            cc_spc_line(cr, x0, x1, CC_Y(spc->mean), CHART_SPC_MEAN, NULL, 0, 1.1);
        }
        if (spc->has_target)
            cc_spc_line(cr, x0, x1, CC_Y(spc->target), CHART_SPC_TARGET, TARGET_DASH, 2, 1.3);
        cc_hex(cr, CHART_SPC_LIMIT);
        cairo_set_line_width(cr, 1.1);
        int pen = 0;
        for (int i = 0; i < c->ncats; i++) {
            const DocChartPoint *p = &c->series[0].pts[i];
            if (!p->has) {
                pen = 0;
                continue;
            }
            if (pen)
                cairo_line_to(cr, x0 + band * (i + 0.5), CC_Y(p->v));
            else
                cairo_move_to(cr, x0 + band * (i + 0.5), CC_Y(p->v));
            pen = 1;
        }
        cairo_stroke(cr);
        for (int i = 0; i < c->ncats; i++)
            if (c->series[0].pts[i].has)
                cc_spc_marker(cr, spc->marks[i], x0 + band * (i + 0.5), CC_Y(c->series[0].pts[i].v));
        double ix = w - CC_SPC_RIGHT / 2.0;
        if (spc->variation_words) {
            char letter[2] = {spc->variation_dir, 0};
            cc_spc_icon(cr, ix, top + CC_ICON_R, spc->variation, letter);
        }
        if (spc->assurance != DOC_SPC_ASSURE_NONE && spc->assurance_words)
            cc_spc_icon(cr, ix, top + 3 * CC_ICON_R + 6, chart_spc_assurance_colour(spc->assurance),
                        chart_spc_assurance_letter(spc->assurance));
    } else if (c->kind == DOC_CHART_LINE) {
        for (int s = 0; s < c->nseries; s++) {
            cc_colour(cr, s);
            cairo_set_line_width(cr, 1.6);
            cairo_set_dash(cr, CC_DASHES[(size_t)s % CC_NDASHES], CC_NDASH[(size_t)s % CC_NDASHES], 0);
            int pen = 0;
            for (int i = 0; i < c->ncats; i++) {
                const DocChartPoint *p = &c->series[s].pts[i];
                double px = x0 + band * (i + 0.5);
                if (!p->has) {
                    pen = 0;
                    continue;
                }
                if (pen)
                    cairo_line_to(cr, px, CC_Y(p->v));
                else
                    cairo_move_to(cr, px, CC_Y(p->v));
                pen = 1;
            }
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            for (int i = 0; i < c->ncats; i++) {
                const DocChartPoint *p = &c->series[s].pts[i];
                if (!p->has)
                    continue;
                cairo_arc(cr, x0 + band * (i + 0.5), CC_Y(p->v), CC_MARKER, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        }
    }
    if (!any) {
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        double th = cc_set(lay, "No figures", x1 - x0, PANGO_ALIGN_CENTER);
        cc_show(cr, lay, x0, top + plot_h / 2 - th / 2);
    }
#undef CC_Y
    g_object_unref(vlay);
    g_object_unref(lay);
    cairo_restore(cr);
}

static cairo_status_t cc_png_write(void *closure, const unsigned char *data, unsigned int len)
{
    buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

int chart_cairo_png(const DocChart *c, double w, double h, double scale, Buf *png, Err *err)
{
    if (lazy_gfx_load(err) < 0)
        return -1;
    int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    chart_cairo_draw(cr, c, w, h);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png_stream(s, cc_png_write, png);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS)
        return err_set(err, "chart '%s': cannot make a PNG: %s", c->title ? c->title : "",
                       cairo_status_to_string(st));
    return 0;
}
