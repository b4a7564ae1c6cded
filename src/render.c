/* render.c — choose a renderer by format name. The formats live in one table:
 * adding a format is a file with its render_X function and one line here. */
#include "render.h"

#include <string.h>

typedef struct RenderFormat {
    const char *name;
    void (*render)(const Doc *doc, Buf *out);
    const char *help;
    /* the binary paper formats, which take options and may fail (render == NULL) */
    int (*render_opts)(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err);
} RenderFormat;

static const RenderFormat RENDER_FORMATS[] = {
    {"md", render_md, "Markdown: pipe tables, escaped text", NULL},
    {"txt", render_txt, "plain text: aligned columns, wrapped at 78 columns", NULL},
    {"html", render_html, "one self-contained HTML page with inline CSS and SVG charts", NULL},
    {"pdf", NULL, "A4 PDF: the paper's frame, tables across pages, vector charts, fonts embedded", render_pdf},
    {"docx", NULL, "editable Word document: Heading styles, real tables, charts as images", render_docx},
    {"xlsx", NULL, "workbook: a sheet per table and every figure, numbers as numbers", render_xlsx},
};

#define RENDER_NFORMATS (sizeof(RENDER_FORMATS) / sizeof(RENDER_FORMATS[0]))

static const RenderFormat *render_lookup(const char *format)
{
    if (!format)
        return NULL;
    for (size_t i = 0; i < RENDER_NFORMATS; i++)
        if (strcmp(RENDER_FORMATS[i].name, format) == 0)
            return &RENDER_FORMATS[i];
    return NULL;
}

int render_format_known(const char *format)
{
    return render_lookup(format) != NULL;
}

const char *render_format_list(void)
{
    return "md, txt, html, pdf, docx, xlsx";
}

int render_format_binary(const char *format)
{
    const RenderFormat *f = render_lookup(format);
    return f && f->render_opts != NULL;
}

int render_doc(const Doc *doc, const char *format, Buf *out, Err *err)
{
    return render_doc_opts(doc, format, NULL, out, err);
}

int render_doc_opts(const Doc *doc, const char *format, const RenderOpts *opts, Buf *out, Err *err)
{
    static const RenderOpts none = {0};
    const RenderFormat *f = render_lookup(format);
    if (!f)
        return err_set(err, "unknown format '%s' (expected %s)", format ? format : "",
                       render_format_list());
    if (f->render_opts)
        return f->render_opts(doc, opts ? opts : &none, out, err);
    f->render(doc, out);
    return 0;
}
