/* template.h — report templates: Markdown with data directives, read into the
 * document tree (doc.h) from figures already computed (report.h). The language
 * is described for officers in docs/templates.md. */
#ifndef KPI_TEMPLATE_H
#define KPI_TEMPLATE_H

#include <stddef.h>

#include "doc.h"
#include "err.h"
#include "report.h"

/* Build the document of the template text[0..len) for ctx.
 * path names the template in error messages: every error says where,
 * "report.md:12: unknown directive 'tabel'".
 * Returns 0 with *out a new Doc (caller frees with doc_free), or -1 with err
 * set and *out NULL. */
int template_build(const char *text, size_t len, const char *path, const ReportCtx *ctx,
                   Doc **out /* OUT */, Err *err);

/* template_build, and (lacks != NULL) what the paper shows without its
 * figure, appended to *lacks one line each, in words, in the order met:
 *   "All Crime: no figure for October to December 2010 and October to December 2011"
 *   (an indicator with a figure missing from a table, chart or sentence: the
 *   months of the figures shown, not every month its note names),
 *   "Delivery plan: nothing reported for October to December 2011",
 *   "Projects: no key project has reported for October to December 2011".
 * Nothing is appended when the paper lacks nothing. */
int template_build_checked(const char *text, size_t len, const char *path, const ReportCtx *ctx,
                           Doc **out /* OUT */, Buf *lacks /* OUT, may be NULL */, Err *err);

#endif
