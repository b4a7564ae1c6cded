/* doc.c — the document tree: constructors that copy what they are given, and
 * doc_free, the one place that releases a tree. See doc.h for the model. */
#include "doc.h"

#include "err.h"
#include "present.h"

#include <stdlib.h>
#include <string.h>

#define DOC_GROW_MIN 4  /* first capacity of every growable array */

/* Grow an array of `size`-byte elements so that one more fits. */
static void *doc_grow(void *v, int n, int *cap, size_t size)
{
    if (n < *cap)
        return v;
    int ncap = *cap ? *cap * 2 : DOC_GROW_MIN;
    v = xrealloc(v, (size_t)ncap * size);
    *cap = ncap;
    return v;
}

static char *doc_strdup_opt(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

Doc *doc_new(void)
{
    return xcalloc(1, sizeof(Doc));
}

void doc_set_title(Doc *doc, const char *title)
{
    free(doc->title);
    doc->title = doc_strdup_opt(title);
}

/* ---- inline text ---- */

void doc_text_add(DocText *t, const char *s, size_t n, int style)
{
    if (n == 0)
        return;
    if (t->n > 0 && t->spans[t->n - 1].style == style) {
        DocSpan *last = &t->spans[t->n - 1];
        size_t old = strlen(last->text);
        last->text = xrealloc(last->text, old + n + 1);
        memcpy(last->text + old, s, n);
        last->text[old + n] = '\0';
        return;
    }
    t->spans = doc_grow(t->spans, t->n, &t->cap, sizeof(DocSpan));
    t->spans[t->n].text = xstrndup(s, n);
    t->spans[t->n].style = style;
    t->n++;
}

void doc_text_puts(DocText *t, const char *s, int style)
{
    doc_text_add(t, s, strlen(s), style);
}

void doc_text_plain(const DocText *t, Buf *out)
{
    for (int i = 0; i < t->n; i++)
        buf_puts(out, t->spans[i].text);
}

void doc_text_release(DocText *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->spans[i].text);
    free(t->spans);
    memset(t, 0, sizeof(*t));
}

/* ---- blocks ---- */

static DocBlock *doc_append(DocBlocks *bl, DocKind kind, const char *role)
{
    DocBlock *b = xcalloc(1, sizeof(DocBlock));
    b->kind = kind;
    b->role = role;
    bl->v = doc_grow(bl->v, bl->n, &bl->cap, sizeof(DocBlock *));
    bl->v[bl->n++] = b;
    return b;
}

DocText *doc_add_heading(DocBlocks *bl, int level)
{
    DocBlock *b = doc_append(bl, DOC_HEADING, NULL);
    if (level < 1)
        level = 1;
    if (level > DOC_HEADING_MAX)
        level = DOC_HEADING_MAX;
    b->u.heading.level = level;
    return &b->u.heading.text;
}

DocText *doc_add_para(DocBlocks *bl, const char *role)
{
    return &doc_append(bl, DOC_PARA, role)->u.para;
}

DocList *doc_add_list(DocBlocks *bl, const char *role)
{
    return &doc_append(bl, DOC_LIST, role)->u.list;
}

DocTable *doc_add_table(DocBlocks *bl, int ncols, const char *role)
{
    DocTable *t = &doc_append(bl, DOC_TABLE, role)->u.table;
    t->ncols = ncols;
    t->head = xcalloc((size_t)ncols, sizeof(DocCell));
    for (int c = 0; c < ncols; c++)
        t->head[c].text = xstrdup("");
    return t;
}

DocChart *doc_add_chart(DocBlocks *bl, DocChartKind kind, const char *title, int ncats,
                        int nseries)
{
    DocChart *c = &doc_append(bl, DOC_CHART, NULL)->u.chart;
    c->kind = kind;
    c->title = xstrdup(title ? title : "");
    c->ncats = ncats;
    c->cats = xcalloc((size_t)ncats, sizeof(char *));
    for (int i = 0; i < ncats; i++)
        c->cats[i] = xstrdup("");
    c->nseries = nseries;
    c->series = xcalloc((size_t)nseries, sizeof(DocChartSeries));
    for (int s = 0; s < nseries; s++) {
        c->series[s].name = xstrdup("");
        c->series[s].pts = xcalloc((size_t)ncats, sizeof(DocChartPoint));
    }
    return c;
}

DocCard *doc_add_card(DocBlocks *bl, const char *title, const char *lead, DocRag rag)
{
    DocCard *c = &doc_append(bl, DOC_CARD, "card")->u.card;
    c->title = xstrdup(title ? title : "");
    c->lead = doc_strdup_opt(lead);
    c->rag = rag;
    return c;
}

DocFields *doc_add_fields(DocBlocks *bl, const char *role)
{
    return &doc_append(bl, DOC_FIELDS, role)->u.fields;
}

DocTicks *doc_add_ticks(DocBlocks *bl, int columns, const char *role)
{
    DocTicks *t = &doc_append(bl, DOC_TICKS, role)->u.ticks;
    t->columns = columns > 0 ? columns : 1;
    return t;
}

DocSignature *doc_add_signature(DocBlocks *bl, const char *name, const char *title,
                                const char *papers)
{
    DocSignature *s = &doc_append(bl, DOC_SIGNATURE, "signature")->u.sig;
    s->name = doc_strdup_opt(name);
    s->title = doc_strdup_opt(title);
    s->papers = doc_strdup_opt(papers);
    return s;
}

/* ---- lists ---- */

DocText *doc_list_item(DocList *l, int depth, int number)
{
    l->items = doc_grow(l->items, l->n, &l->cap, sizeof(DocListItem));
    DocListItem *it = &l->items[l->n++];
    memset(it, 0, sizeof(*it));
    if (depth < 0)
        depth = 0;
    if (depth >= DOC_LIST_MAX_DEPTH)
        depth = DOC_LIST_MAX_DEPTH - 1;
    it->depth = depth;
    it->number = number;
    return &it->text;
}

/* ---- tables ---- */

void doc_cell_set(DocCell *c, const char *text, DocAlign align, int numeric, DocRag rag)
{
    free(c->text);
    c->text = xstrdup(text ? text : "");
    c->align = align;
    c->numeric = numeric;
    c->rag = rag;
}

void doc_cell_value(DocCell *c, DocValueKind kind, Fq q, int decimals, int sign)
{
    c->value.kind = kind;
    c->value.q = q;
    c->value.decimals = decimals;
    c->value.sign = sign;
}

DocValue doc_value_of(PresentSuffix stored, Fq q, int decimals, int sign)
{
    DocValue v = {stored == PRESENT_PERCENT ? DOC_VALUE_PERCENT
                  : stored == PRESENT_PP    ? DOC_VALUE_PP
                                            : DOC_VALUE_NUMBER,
                  q, decimals, sign};
    return v;
}

Fq doc_value_stored(const DocValue *v)
{
    Fq r = fq_round(v->q, v->decimals);
    return v->kind == DOC_VALUE_PERCENT ? fq_div(r, fq_int(100)) : r;
}

void doc_table_header(DocTable *t, int col, const char *label, DocAlign align)
{
    if (col < 0 || col >= t->ncols)
        PANIC("table column %d out of range", col);
    doc_cell_set(&t->head[col], label, align, 0, DOC_RAG_NONE);
    t->has_head = 1;
}

int doc_table_row(DocTable *t)
{
    if (t->nrows == t->caprows) {
        int ncap = t->caprows ? t->caprows * 2 : DOC_GROW_MIN;
        t->cells = xrealloc(t->cells, (size_t)ncap * (size_t)t->ncols * sizeof(DocCell));
        t->caprows = ncap;
    }
    DocCell *row = &t->cells[(size_t)t->nrows * (size_t)t->ncols];
    for (int c = 0; c < t->ncols; c++) {
        memset(&row[c], 0, sizeof(DocCell));
        row[c].text = xstrdup("");
    }
    return t->nrows++;
}

DocCell *doc_table_cell(DocTable *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        PANIC("table cell %d,%d out of range", row, col);
    return &t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

void doc_table_note(DocTable *t, const char *text)
{
    t->notes = doc_grow(t->notes, t->nnotes, &t->capnotes, sizeof(char *));
    t->notes[t->nnotes++] = xstrdup(text);
}

void doc_table_caption(DocTable *t, const char *caption)
{
    free(t->caption);
    t->caption = doc_strdup_opt(caption);
}

/* ---- charts ---- */

void doc_chart_axis(DocChart *c, const char *title)
{
    free(c->axis);
    c->axis = title && title[0] ? xstrdup(title) : NULL;
}

void doc_chart_category(DocChart *c, int i, const char *label)
{
    if (i < 0 || i >= c->ncats)
        PANIC("chart category %d out of range", i);
    free(c->cats[i]);
    c->cats[i] = xstrdup(label ? label : "");
}

void doc_chart_series(DocChart *c, int s, const char *name)
{
    if (s < 0 || s >= c->nseries)
        PANIC("chart series %d out of range", s);
    free(c->series[s].name);
    c->series[s].name = xstrdup(name ? name : "");
}

void doc_chart_point(DocChart *c, int s, int i, int has, double v, const char *text)
{
    if (s < 0 || s >= c->nseries || i < 0 || i >= c->ncats)
        PANIC("chart point %d,%d out of range", s, i);
    DocChartPoint *p = &c->series[s].pts[i];
    free(p->text);
    p->has = has && text != NULL;
    p->v = p->has ? v : 0.0;
    p->text = p->has ? xstrdup(text) : NULL;
}

DocChart *doc_add_spc(DocBlocks *bl, const char *title, const char *series_name, int npoints)
{
    DocChart *c = doc_add_chart(bl, DOC_CHART_SPC, title, npoints, 1);
    doc_chart_series(c, 0, series_name);
    c->spc.marks = xcalloc((size_t)(npoints > 0 ? npoints : 1), sizeof *c->spc.marks);
    return c;
}

static void doc_replace(char **slot, const char *text)
{
    free(*slot);
    *slot = text ? xstrdup(text) : NULL;
}

void doc_spc_limits(DocChart *c, double mean, double lower, double upper, const char *mean_text,
                    const char *lower_text, const char *upper_text)
{
    c->spc.has_limits = 1;
    c->spc.mean = mean;
    c->spc.lower = lower;
    c->spc.upper = upper;
    doc_replace(&c->spc.mean_text, mean_text);
    doc_replace(&c->spc.lower_text, lower_text);
    doc_replace(&c->spc.upper_text, upper_text);
}

void doc_spc_target(DocChart *c, double target, const char *text)
{
    c->spc.has_target = 1;
    c->spc.target = target;
    doc_replace(&c->spc.target_text, text);
}

void doc_spc_mark(DocChart *c, int i, DocSpcMark mark)
{
    if (c->kind != DOC_CHART_SPC || i < 0 || i >= c->ncats)
        PANIC("spc mark %d of %d", i, c->ncats);
    c->spc.marks[i] = mark;
}

void doc_spc_icons(DocChart *c, DocSpcMark variation, char dir, const char *variation_words,
                   DocSpcAssurance assurance, const char *assurance_words)
{
    c->spc.variation = variation;
    c->spc.variation_dir = dir;
    doc_replace(&c->spc.variation_words, variation_words);
    c->spc.assurance = assurance;
    doc_replace(&c->spc.assurance_words, assurance_words);
}

const char *doc_spc_mark_word(DocSpcMark m)
{
    switch (m) {
    case DOC_SPC_IMPROVEMENT: return "Improvement";
    case DOC_SPC_CONCERN: return "Concern";
    case DOC_SPC_NEUTRAL: return "Neutral";
    case DOC_SPC_COMMON: break;
    }
    return "Common cause";
}

/* ---- frame parts ---- */

void doc_field_add(DocFields *f, const char *label, const char *value)
{
    f->v = doc_grow(f->v, f->n, &f->cap, sizeof(DocField));
    f->v[f->n].label = xstrdup(label ? label : "");
    f->v[f->n].value = xstrdup(value ? value : "");
    f->n++;
}

DocText *doc_tick_add(DocTicks *t, int ticked)
{
    t->v = doc_grow(t->v, t->n, &t->cap, sizeof(DocTick));
    DocTick *k = &t->v[t->n++];
    memset(k, 0, sizeof(*k));
    k->ticked = ticked;
    return &k->text;
}

/* ---- names ---- */

_Static_assert(DOC_RAG_NONE == (int)PRESENT_MARK_NONE && DOC_RAG_GREEN == (int)PRESENT_MARK_GREEN &&
                   DOC_RAG_AMBER == (int)PRESENT_MARK_AMBER && DOC_RAG_RED == (int)PRESENT_MARK_RED &&
                   DOC_RAG_COMPLETE == (int)PRESENT_MARK_COMPLETE &&
                   DOC_RAG_UNREPORTED == (int)PRESENT_MARK_UNREPORTED,
               "DocRag follows present.h's marks");

const char *doc_rag_word(DocRag r)
{
    return r == DOC_RAG_NONE ? "" : present_mark((PresentMark)r)->word;
}

const char *doc_rag_class(DocRag r)
{
    return present_mark((PresentMark)r)->css;
}

size_t doc_utf8_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    return w;
}

/* ---- freeing ---- */

static void doc_cells_free(DocCell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i].text);
    free(cells);
}

static void doc_block_free(DocBlock *b)
{
    switch (b->kind) {
    case DOC_HEADING:
        doc_text_release(&b->u.heading.text);
        break;
    case DOC_PARA:
        doc_text_release(&b->u.para);
        break;
    case DOC_LIST:
        for (int i = 0; i < b->u.list.n; i++)
            doc_text_release(&b->u.list.items[i].text);
        free(b->u.list.items);
        break;
    case DOC_TABLE: {
        DocTable *t = &b->u.table;
        free(t->caption);
        doc_cells_free(t->head, (size_t)t->ncols);
        doc_cells_free(t->cells, (size_t)t->nrows * (size_t)t->ncols);
        for (int i = 0; i < t->nnotes; i++)
            free(t->notes[i]);
        free(t->notes);
        break;
    }
    case DOC_CHART: {
        DocChart *c = &b->u.chart;
        free(c->title);
        free(c->axis);
        for (int i = 0; i < c->ncats; i++)
            free(c->cats[i]);
        free(c->cats);
        for (int s = 0; s < c->nseries; s++) {
            free(c->series[s].name);
            for (int i = 0; i < c->ncats; i++)
                free(c->series[s].pts[i].text);
            free(c->series[s].pts);
        }
        free(c->series);
        free(c->spc.mean_text);
        free(c->spc.lower_text);
        free(c->spc.upper_text);
        free(c->spc.target_text);
        free(c->spc.marks);
        free(c->spc.variation_words);
        free(c->spc.assurance_words);
        break;
    }
    case DOC_CARD:
        free(b->u.card.title);
        free(b->u.card.lead);
        doc_blocks_release(&b->u.card.what);
        doc_blocks_release(&b->u.card.commentary);
        break;
    case DOC_FIELDS:
        for (int i = 0; i < b->u.fields.n; i++) {
            free(b->u.fields.v[i].label);
            free(b->u.fields.v[i].value);
        }
        free(b->u.fields.v);
        break;
    case DOC_TICKS:
        for (int i = 0; i < b->u.ticks.n; i++)
            doc_text_release(&b->u.ticks.v[i].text);
        free(b->u.ticks.v);
        break;
    case DOC_SIGNATURE:
        free(b->u.sig.name);
        free(b->u.sig.title);
        free(b->u.sig.papers);
        break;
    }
    free(b);
}

void doc_blocks_release(DocBlocks *bl)
{
    for (int i = 0; i < bl->n; i++)
        doc_block_free(bl->v[i]);
    free(bl->v);
    memset(bl, 0, sizeof(*bl));
}

void doc_free(Doc *doc)
{
    if (!doc)
        return;
    doc_blocks_release(&doc->body);
    free(doc->title);
    free(doc);
}
