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
 * Missing points read "no figure". Used as the SVG <desc> and printed by md and txt. */
void chart_describe(const DocChart *c, Buf *out);

/* Append an inline <svg role="img" aria-labelledby=...> with <title> and <desc>.
 * id is a number unique within the page (it names the title and desc elements). */
void chart_svg(const DocChart *c, int id, Buf *out);

#endif
