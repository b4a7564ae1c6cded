/* chart.h — charts of the document tree (DocChart, see doc.h): the text
 * alternative every chart carries, and the inline SVG of the HTML renderer.
 * The SVG holds no script and no external reference; every label goes through
 * render_html_escape. */
#ifndef KPI_CHART_H
#define KPI_CHART_H

#include "buf.h"
#include "doc.h"

/* The text alternative: one sentence listing every value, e.g.
 * "All Crime: Q2 2010/11 1413, Q2 2011/12 1455; Robbery: Q2 2010/11 6, Q2 2011/12 1."
 * Missing points read "no figure". Used as the SVG <desc>, the Word image's alt text and
 * Markdown's folded <details>; never printed in the body of a PDF, text or Word paper. */
void chart_describe(const DocChart *c, Buf *out);

/* The key a printed chart needs beside its drawing, in words: for an SPC
 * chart its mean, process limits, target and what the variation and
 * assurance icons say ("Variation: Special cause ...: higher."); nothing for
 * other charts (their bars and points carry their figures). Printed under
 * the chart in PDF, Word and text papers; unlike chart_describe it does not
 * list every point. */
void chart_key(const DocChart *c, Buf *out);

/* Append an inline <svg role="img" aria-labelledby=...> with <title> and <desc>.
 * id is a number unique within the page (it names the title and desc elements). */
void chart_svg(const DocChart *c, int id, Buf *out);

/* The values the y axis must hold, in every format: bars and lines from
 * zero; an SPC chart its points, limits and target with a margin. */
void chart_value_span(const DocChart *c, double *lo /* OUT */, double *hi /* OUT */);

/* A benchmark's value axis (DocChart .whiskers), the same in every format:
 * from 0 to *hi, a round multiple of *step (1, 2, 2.5 or 5 times a power of
 * ten, about five intervals) holding every rate, limit and the group rate. */
void chart_bench_axis(const DocChart *c, double *hi /* OUT */, double *step /* OUT */);

/* The lines of an SPC chart, the same in every format (SVG, cairo, Excel). */
#define CHART_SPC_MEAN "#333333"    /* the mean: solid */
#define CHART_SPC_LIMIT "#6E6E6E"   /* the process limits: dashed; also the line joining the points */
#define CHART_SPC_TARGET "#B10E1E"  /* the target: dotted */

/* SPC charts (DOC_CHART_SPC) share one palette in every format: the colour
 * of a mark as "#RRGGBB"; the assurance icon's letter ("P", "F", "?") and the
 * mark whose colour it takes. */
const char *chart_spc_colour(DocSpcMark m);
const char *chart_spc_assurance_letter(DocSpcAssurance a);
DocSpcMark chart_spc_assurance_colour(DocSpcAssurance a);

#endif
