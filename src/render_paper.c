/* render_paper.c — the paper's identity (title, doc id, date) read back from
 * the frame blocks of the tree, and the RAG colours of the paper formats. */
#include "render_paper.h"

#include <string.h>
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

int render_paper_leads_in(const DocBlock *b)
{
    const DocText *t = NULL;
    if (b->kind == DOC_HEADING)
        return 1;
    if (b->kind == DOC_PARA)
        t = &b->u.para;
    else if (b->kind == DOC_LIST && b->u.list.n > 0)
        t = &b->u.list.items[b->u.list.n - 1].text;
    if (!t || t->n == 0)
        return 0;
    const char *last = t->spans[t->n - 1].text;
    size_t n = strlen(last);
    while (n > 0 && last[n - 1] == ' ')
        n--;
    return n > 0 && last[n - 1] == ':';
}

int render_paper_row_keeps(int r, int nrows, int nhead, int fits)
{
    if (r < 0 || r >= nrows - 1)
        return 0; /* the last row keeps with nothing */
    if (fits)
        return 1;
    return r < nhead + PAPER_KEEP_ROWS - 1 || r >= nrows - PAPER_KEEP_ROWS;
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
