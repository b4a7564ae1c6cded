/* render_paper.c — the paper's identity (title, doc id, date) read back from
 * the frame blocks of the tree, and the RAG colours of the paper formats. */
#include "render_paper.h"

#include <strings.h>

static const unsigned PAPER_RAG_FILL[] = {
    [DOC_RAG_NONE] = 0xFFFFFF, [DOC_RAG_GREEN] = 0xC6EFCE, [DOC_RAG_AMBER] = 0xFFE699,
    [DOC_RAG_RED] = 0xFFC7CE, [DOC_RAG_COMPLETE] = 0xCFE2F3, [DOC_RAG_UNREPORTED] = 0xECECEC,
};
static const unsigned PAPER_RAG_INK[] = {
    [DOC_RAG_NONE] = 0x1A1A1A, [DOC_RAG_GREEN] = 0x0A5D1A, [DOC_RAG_AMBER] = 0x6B4100,
    [DOC_RAG_RED] = 0x9C0006, [DOC_RAG_COMPLETE] = 0x0B3D6B, [DOC_RAG_UNREPORTED] = 0x3A3A3A,
};

unsigned render_paper_rag_rgb(DocRag r, int ink)
{
    if ((unsigned)r > DOC_RAG_UNREPORTED)
        r = DOC_RAG_NONE;
    return ink ? PAPER_RAG_INK[r] : PAPER_RAG_FILL[r];
}

const char *render_paper_rag_word(DocRag r)
{
    return r == DOC_RAG_NONE ? "None" : doc_rag_word(r);
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

void render_paper_meta_free(PaperMeta *m)
{
    buf_free(&m->title);
    buf_free(&m->doc_id);
    buf_free(&m->date);
}

void render_paper_footer(const PaperMeta *m, Buf *out)
{
    buf_puts(out, buf_cstr(&m->doc_id));
    if (m->doc_id.len && m->date.len)
        buf_puts(out, " \xc2\xb7 ");
    buf_puts(out, buf_cstr(&m->date));
}
