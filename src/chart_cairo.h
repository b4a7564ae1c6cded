/* chart_cairo.h — charts of the document tree (DocChart) drawn with cairo and
 * pango: as vector graphics into the PDF (render_pdf.c) and as PNG images
 * for Word (render_docx.c). Like the SVG of chart.c, colour is never the only
 * cue: a legend names the series, bars carry their figures, lines have their
 * own dash patterns and markers. */
#ifndef KPI_CHART_CAIRO_H
#define KPI_CHART_CAIRO_H

#include <cairo.h>

#include "buf.h"
#include "doc.h"
#include "err.h"

#define CHART_CAIRO_FONT "DejaVu Sans" /* family of every label */

/* Height in points that chart c takes when drawn w points wide. */
double chart_cairo_height(const DocChart *c, double w);
/* Where the category labels of c drawn w points wide (in a PDF) put their
 * ink: for each category i, left[i]..right[i] across the chart (both 0 for a
 * label thinned away). Returns how many labels are drawn. For tests: labels
 * must never overlap. left and right hold c->ncats each. -1 when cairo and
 * pango cannot be opened (lazy_gfx_load). */
int chart_cairo_label_boxes(const DocChart *c, double w, double *left, double *right);
/* Draw c into the rectangle (0, 0, w, h) of cr (user units: points). */
void chart_cairo_draw(cairo_t *cr, const DocChart *c, double w, double h);
/* Append a PNG of c drawn w × h points at `scale` pixels per point. 0, or -1
 * with err set. */
int chart_cairo_png(const DocChart *c, double w, double h, double scale, Buf *png, Err *err);

#endif
