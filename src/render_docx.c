/* render_docx.c — placeholder while the docx renderer is written. */
#include "render.h"

int render_docx(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err)
{
    (void)doc;
    (void)opts;
    (void)out;
    return err_set(err, "docx: not yet");
}
