/* render.h — output formats of the document tree. One renderer per file
 * (render_md.c, render_txt.c, render_html.c); render.c dispatches by name from
 * one table. A renderer cannot fail: the tree holds finished text. */
#ifndef KPI_RENDER_H
#define KPI_RENDER_H

#include "buf.h"
#include "doc.h"
#include "err.h"
#include "xml.h" /* render_html_escape, the one HTML escape */

/* Append doc rendered as `format` ("md", "txt", "html", "pdf", "docx",
 * "xlsx") to out. Returns 0, or -1 with err set when the format is unknown
 * (or a binary format could not be written). */
int render_doc(const Doc *doc, const char *format, Buf *out, Err *err);

struct ReportCtx;

/* Options of the formats that take them (pdf, docx, xlsx); zero = defaults.
 * The binary formats put their bytes into out (Buf holds bytes with a length). */
typedef struct RenderOpts {
    const char *reference_doc;      /* docx: styles, page set-up, header and footer
                                     * from this .docx (as document converters do) */
    const struct ReportCtx *report; /* xlsx: the figures behind the paper, for its
                                     * Figures sheet; NULL = no such sheet */
} RenderOpts;

/* render_doc with options (opts may be NULL). */
int render_doc_opts(const Doc *doc, const char *format, const RenderOpts *opts, Buf *out, Err *err);
/* 1 for the formats whose output is not text (pdf, docx, xlsx). */
int render_format_binary(const char *format);
/* 1 when render_doc knows the format. */
int render_format_known(const char *format);
/* A known format's media type ("application/pdf") and its name in words for
 * links ("Word"), from the one table of render.c; NULL for an unknown one. */
const char *render_format_mime(const char *format);
const char *render_format_label(const char *format);
/* The known formats for messages and help, from the table of render.c:
 * "md, txt, html, pdf, docx, xlsx". */
const char *render_format_list(void);

/* How many formats the table of render.c holds (it asserts this). */
#define RENDER_NFORMATS 6
/* The lists of formats a command writes, marked in the table of render.c:
 * RENDER_PUBLISH, the files of a published paper (`kpi publish`, /rounds:
 * every format); RENDER_DEMO, the papers `kpi demo` writes and records as
 * published (every one but txt). */
enum { RENDER_PUBLISH = 1u << 0, RENDER_DEMO = 1u << 1 };
/* Fill names with the formats on the list `use` (RENDER_PUBLISH or
 * RENDER_DEMO), in the table's order ("md", "txt", "html", "pdf", "docx",
 * "xlsx"); returns how many (at most RENDER_NFORMATS). */
int render_formats(unsigned use, const char *names[RENDER_NFORMATS]);

void render_md(const Doc *doc, Buf *out);
void render_txt(const Doc *doc, Buf *out);
/* A whole self-contained HTML page (inline CSS, no external resources). */
void render_html(const Doc *doc, Buf *out);
/* Only the blocks, for embedding in a page that links render_html_css(). */
void render_html_blocks(const DocBlocks *bl, Buf *out);
const char *render_html_css(void);

/* The paper formats people circulate (render_pdf.c, render_docx.c,
 * render_xlsx.c): 0, or -1 with err set when the file cannot be made (a
 * reference document that cannot be read, a temporary file that cannot be
 * written). */
int render_pdf(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err);
int render_docx(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err);
int render_xlsx(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err);

#endif
