/* render_paper.c — the paper's identity (title, doc id, date) read back from
 * the frame blocks of the tree, and the RAG colours of the paper formats. */
#include "render_paper.h"

#include <strings.h>

#include "present.h"

unsigned render_paper_rag_rgb(DocRag r, int ink)
{
    const PresentWord *w = present_mark((PresentMark)r);
    return ink ? w->ink : w->fill;
}

const char *render_paper_rag_word(DocRag r)
{
    return present_mark((PresentMark)r)->word;
}

void render_paper_meta(const Doc *doc, PaperMeta *m)
{
    const char *first_date = NULL, *id = NULL, *id_date = NULL;
    buf_init(&m->title);
    buf_init(&m->doc_id);
    buf_init(&m->date);
    if (doc->title && doc->title[0])
        buf_puts(&m->title, doc->title);
    for (int i = 0; i < doc->body.n; i++) {
        const DocBlock *b = doc->body.v[i];
        if (b->kind == DOC_HEADING && b->u.heading.level == 1 && m->title.len == 0)
            doc_text_plain(&b->u.heading.text, &m->title);
        if (b->kind != DOC_FIELDS)
            continue;
        const char *date = NULL, *this_id = NULL;
        for (int k = 0; k < b->u.fields.n; k++) {
            const DocField *f = &b->u.fields.v[k];
            if (!f->label || !f->value || !f->value[0])
                continue;
            if (strcasecmp(f->label, "Date") == 0)
                date = f->value;
            else if (strcasecmp(f->label, "Doc ID") == 0)
                this_id = f->value;
        }
        if (date && !first_date)
            first_date = date;
        if (this_id && !id) {
            id = this_id;
            id_date = date;
        }
    }
    if (id)
        buf_puts(&m->doc_id, id);
    if (id_date || first_date)
        buf_puts(&m->date, id_date ? id_date : first_date);
}

void render_paper_meta_release(PaperMeta *m)
{
    buf_release(&m->title);
    buf_release(&m->doc_id);
    buf_release(&m->date);
}

void render_paper_footer(const PaperMeta *m, Buf *out)
{
    buf_puts(out, buf_cstr(&m->doc_id));
    if (m->doc_id.len && m->date.len)
        buf_puts(out, " \xc2\xb7 ");
    buf_puts(out, buf_cstr(&m->date));
}
