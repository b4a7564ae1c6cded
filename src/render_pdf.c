/* render_pdf.c — placeholder while the pdf renderer is written. */
#include "render.h"

int render_pdf(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err)
{
    (void)doc;
    (void)opts;
    (void)out;
    return err_set(err, "pdf: not yet");
}
