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

#endif
