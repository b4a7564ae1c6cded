/* render.c — choose a renderer by format name. The formats live in one table:
 * adding a format is a file with its render_X function and one line here. */
#include "render.h"

#include <string.h>

typedef struct RenderFormat {
    const char *name;
    void (*render)(const Doc *doc, Buf *out);
    const char *help;
} RenderFormat;

static const RenderFormat RENDER_FORMATS[] = {
    {"md", render_md, "Markdown: pipe tables, escaped text"},
    {"txt", render_txt, "plain text: aligned columns, wrapped at 78 columns"},
    {"html", render_html, "one self-contained HTML page with inline CSS and SVG charts"},
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
    return "md, txt, html";
}

int render_doc(const Doc *doc, const char *format, Buf *out, Err *err)
{
    const RenderFormat *f = render_lookup(format);
    if (!f)
        return err_set(err, "unknown format '%s' (expected %s)", format ? format : "",
                       render_format_list());
    f->render(doc, out);
    return 0;
}
