/* render.h — output formats of the document tree. One renderer per file
 * (render_md.c, render_txt.c, render_html.c); render.c dispatches by name from
 * one table. A renderer cannot fail: the tree holds finished text. */
#ifndef KPI_RENDER_H
#define KPI_RENDER_H

#include "buf.h"
#include "doc.h"
#include "err.h"

/* Append doc rendered as `format` ("md", "txt", "html") to out.
 * Returns 0, or -1 with err set when the format is unknown. */
int render_doc(const Doc *doc, const char *format, Buf *out, Err *err);
/* 1 when render_doc knows the format. */
int render_format_known(const char *format);
/* The known formats for messages and help: "md, txt, html". */
const char *render_format_list(void);

void render_md(const Doc *doc, Buf *out);
void render_txt(const Doc *doc, Buf *out);
/* A whole self-contained HTML page (inline CSS, no external resources). */
void render_html(const Doc *doc, Buf *out);
/* Only the blocks, for embedding in a page that links render_html_css(). */
void render_html_blocks(const DocBlocks *bl, Buf *out);
const char *render_html_css(void);

/* The one way text reaches HTML: append s[0..n) with & < > " ' escaped.
 * Safe in element content and in quoted attribute values. */
void render_html_escape(Buf *out, const char *s, size_t n);
void render_html_text(Buf *out, const char *s);   /* same, for a C string (NULL = nothing) */

#endif
