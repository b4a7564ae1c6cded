/* render.c — choose a renderer by format name. The formats live in one table:
 * adding a format is a file with its render_X function and one line here. */
#include "render.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

typedef struct RenderFormat {
    const char *name;
    const char *mime;  /* its media type, as the web serves it */
    const char *label; /* its name in words for links ("Word") */
    void (*render)(const Doc *doc, Buf *out);
    /* the binary paper formats, which take options and may fail (render == NULL) */
    int (*render_opts)(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err);
    unsigned uses;     /* RENDER_PUBLISH, RENDER_DEMO: the lists it is on (render_formats) */
} RenderFormat;

#define PD (RENDER_PUBLISH | RENDER_DEMO)

static const RenderFormat RENDER_FORMATS[] = {
    {"md", "text/markdown; charset=utf-8", "Markdown", render_md, NULL, PD},
    {"txt", "text/plain; charset=utf-8", "plain text", render_txt, NULL, RENDER_PUBLISH},
    {"html", "text/html; charset=utf-8", "HTML", render_html, NULL, PD},
    {"pdf", "application/pdf", "PDF", NULL, render_pdf, PD},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", NULL, render_docx, PD},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", NULL, render_xlsx, PD},
};

#undef PD

_Static_assert(sizeof RENDER_FORMATS / sizeof RENDER_FORMATS[0] == RENDER_NFORMATS,
               "RENDER_NFORMATS (render.h) must count the table");

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

const char *render_format_mime(const char *format)
{
    const RenderFormat *f = render_lookup(format);
    return f ? f->mime : NULL;
}

const char *render_format_label(const char *format)
{
    const RenderFormat *f = render_lookup(format);
    return f ? f->label : NULL;
}

static char render_list[128];
static pthread_once_t render_list_once = PTHREAD_ONCE_INIT;

static void render_list_build(void)
{
    size_t at = 0;
    for (size_t i = 0; i < RENDER_NFORMATS; i++)
        at += (size_t)snprintf(render_list + at, sizeof render_list - at, "%s%s", i ? ", " : "",
                               RENDER_FORMATS[i].name);
}

const char *render_format_list(void)
{
    pthread_once(&render_list_once, render_list_build); /* the web pages ask from many threads */
    return render_list;
}

int render_formats(unsigned use, const char *names[RENDER_NFORMATS])
{
    int n = 0;
    for (size_t i = 0; i < RENDER_NFORMATS; i++)
        if (RENDER_FORMATS[i].uses & use)
            names[n++] = RENDER_FORMATS[i].name;
    return n;
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
