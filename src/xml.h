/* xml.h — the XML that the OOXML formats need, both ways: a small streaming
 * pull reader for the parts of .xlsx and .docx files (elements, attributes,
 * text, CDATA and the predefined and numeric entities; no DTDs), and the one
 * escaping function through which the writers (render_docx.c) put text into
 * XML. Names are reported without their namespace prefix ("w:p" -> "p"):
 * OOXML files use fixed vocabularies, and some writers choose odd prefixes. */
#ifndef KPI_XML_H
#define KPI_XML_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define XML_MAX_TOKEN (8 * 1024 * 1024) /* bytes one tag or one text run may hold */
#define XML_MAX_ATTRS 64                /* attributes one element may carry */
#define XML_CHUNK 65536                 /* bytes asked of the source at a time */

typedef enum XmlEvent { XML_EOF, XML_START, XML_END, XML_TEXT } XmlEvent;

/* Supplies the next bytes of the document: returns how many were put into
 * buf (at most cap), 0 at the end, or -1 with err set. */
typedef long (*XmlFill)(void *ctx, char *buf, size_t cap, Err *err);

typedef struct XmlReader {
    XmlFill fill;         /* NULL when reading from memory */
    void *ctx;
    const char *what;     /* names the document in messages; not owned */
    Buf in;               /* unconsumed input from pos */
    size_t pos;
    int eof;
    Buf name;             /* local name of the current START/END */
    Buf text;             /* decoded text of the current TEXT */
    Buf attrs;            /* local-name NUL value NUL, nattrs times */
    int nattrs;
    size_t attr_off[XML_MAX_ATTRS]; /* start of each attribute name in attrs */
    int pending_end;      /* an empty element <a/>: its END comes next */
    int depth;            /* open elements after the current event */
} XmlReader;

/* Read from a callback (streaming) or from memory (data not owned; must
 * outlive the reader). Pair with xml_release. */
void xml_init(XmlReader *x, XmlFill fill, void *ctx, const char *what);
void xml_init_mem(XmlReader *x, const char *data, size_t len, const char *what);
void xml_release(XmlReader *x);

/* The next event: XML_START (name, attributes), XML_END (name), XML_TEXT
 * (text, entities decoded; CDATA too), XML_EOF; or -1 with err set (naming
 * x->what) when the document is not well-formed enough to read. Comments,
 * processing instructions and the XML declaration are skipped. */
int xml_next(XmlReader *x, Err *err);
const char *xml_name(const XmlReader *x);
const char *xml_text(const XmlReader *x);
/* Value of the attribute with this local name on the current START; NULL when absent. */
const char *xml_attr(const XmlReader *x, const char *local);
/* Skip to the END of the element whose START was just read. 0 or -1. */
int xml_skip(XmlReader *x, Err *err);

/* The one way text goes into XML: append s[0..n) with & < > " escaped, and
 * characters XML 1.0 cannot carry (control characters other than tab, CR, LF;
 * invalid UTF-8) replaced by U+FFFD. Safe in content and in quoted attributes. */
void xml_escape(Buf *out, const char *s, size_t n);
void xml_puts(Buf *out, const char *s); /* same, for a C string (NULL = nothing) */

/* The one way text reaches HTML (and the SVG inside it: chart.c, the web
 * pages, render_html.c): append s[0..n) with & < > " ' escaped. Safe in
 * element content and in quoted attribute values. */
void render_html_escape(Buf *out, const char *s, size_t n);
void render_html_text(Buf *out, const char *s);   /* same, for a C string (NULL = nothing) */

#endif
