/* render_md.c — the document tree as Markdown (CommonMark with GitHub pipe
 * tables and task lists). Every piece of text goes through md_escape, so a title
 * such as "a | b *c*" prints literally and cannot break a table or add emphasis.
 * Blocks are separated by one blank line; paragraphs are single lines. */
#include "render.h"

#include <ctype.h>
#include <string.h>

#include "chart.h"
#include "present.h"

#define MD_TEXT_FIRST 1   /* md_escape: the text starts a line */

/* Append s[0..n) with Markdown's special characters backslash-escaped. Newlines
 * become spaces (a paragraph is one line). At the start of a line, what would
 * open a heading ("# "), a list ("- ", "+ ", "2011. ") is escaped too. */
static void md_escape(Buf *out, const char *s, size_t n, int flags)
{
    int line_start = (flags & MD_TEXT_FIRST) != 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r') {
            buf_putc(out, ' ');
            continue;
        }
        if (line_start) {
            size_t j = i;
            while (j < n && isdigit((unsigned char)s[j]))
                j++;
            if (j > i && j < n && (s[j] == '.' || s[j] == ')') &&
                (j + 1 >= n || s[j + 1] == ' ' || s[j + 1] == '\t')) {
                /* "2011. was" would start a numbered list */
                buf_append(out, s + i, j - i);
                buf_putc(out, '\\');
                buf_putc(out, s[j]);
                i = j;
                line_start = 0;
                continue;
            }
            int spaced = i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '\t';
            if ((c == '#' && (spaced || s[i + 1] == '#')) || ((c == '+' || c == '-') && spaced)) {
                buf_putc(out, '\\');
                buf_putc(out, (char)c);
                line_start = 0;
                continue;
            }
        }
        line_start = 0;
        switch (c) {
        case '\\': case '`': case '*': case '_': case '[': case ']':
        case '<': case '>': case '|': case '~':
            buf_putc(out, '\\');
            buf_putc(out, (char)c);
            break;
        case '&':
            /* only "&name;" or "&#..;" could become an entity */
            if (i + 1 < n && (isalnum((unsigned char)s[i + 1]) || s[i + 1] == '#'))
                buf_putc(out, '\\');
            buf_putc(out, '&');
            break;
        default:
            buf_putc(out, (char)c);
        }
    }
}

static void md_escape_str(Buf *out, const char *s, int flags)
{
    if (s)
        md_escape(out, s, strlen(s), flags);
}

/* Inline text with emphasis. Markers go around the span's words: spaces at the
 * edges of a span are moved outside the markers, where CommonMark wants them. */
static void md_text(Buf *out, const DocText *t, int flags)
{
    for (int i = 0; i < t->n; i++) {
        const char *s = t->spans[i].text;
        size_t n = strlen(s);
        int first = i == 0 && (flags & MD_TEXT_FIRST);
        const char *mark = t->spans[i].style == (DOC_BOLD | DOC_ITALIC) ? "***"
                           : t->spans[i].style == DOC_BOLD              ? "**"
                           : t->spans[i].style == DOC_ITALIC            ? "*"
                                                                        : "";
        if (!mark[0]) {
            md_escape(out, s, n, first ? MD_TEXT_FIRST : 0);
            continue;
        }
        size_t a = 0, b = n;
        while (a < b && isspace((unsigned char)s[a]))
            a++;
        while (b > a && isspace((unsigned char)s[b - 1]))
            b--;
        md_escape(out, s, a, 0);
        if (b > a) {
            buf_puts(out, mark);
            md_escape(out, s + a, b - a, 0);
            buf_puts(out, mark);
        }
        md_escape(out, s + b, n - b, 0);
    }
}

static void md_blocks(Buf *out, const DocBlocks *bl);

static void md_heading(Buf *out, const DocBlock *b)
{
    for (int i = 0; i < b->u.heading.level; i++)
        buf_putc(out, '#');
    buf_putc(out, ' ');
    md_text(out, &b->u.heading.text, 0);
    buf_putc(out, '\n');
}

/* Items nest under the content column of their parent item, which depends on
 * the width of the parent's marker ("- " or "10. "). */
static void md_list(Buf *out, const DocList *l)
{
    int indent[DOC_LIST_MAX_DEPTH + 1] = {0};
    for (int i = 0; i < l->n; i++) {
        const DocListItem *it = &l->items[i];
        for (int k = 0; k < indent[it->depth]; k++)
            buf_putc(out, ' ');
        size_t before = out->len;
        if (it->number > 0)
            buf_printf(out, "%d. ", it->number);
        else
            buf_puts(out, "- ");
        indent[it->depth + 1] = indent[it->depth] + (int)(out->len - before);
        md_text(out, &it->text, MD_TEXT_FIRST);
        buf_putc(out, '\n');
    }
}

static void md_cell(Buf *out, const char *text)
{
    buf_putc(out, ' ');
    if (text && text[0])
        md_escape_str(out, text, 0);
    buf_puts(out, " |");
}

static void md_table(Buf *out, const DocTable *t)
{
    if (t->caption) {
        buf_putc(out, '*');
        md_escape_str(out, t->caption, 0);
        buf_puts(out, "*\n\n");
    }
    buf_putc(out, '|');
    for (int c = 0; c < t->ncols; c++)
        md_cell(out, t->has_head ? t->head[c].text : "");
    buf_puts(out, "\n|");
    for (int c = 0; c < t->ncols; c++) {
        /* align by the column's cells: numbers right */
        DocAlign al = t->head[c].align;
        for (int r = 0; r < t->nrows; r++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            if (cell->text[0]) {
                al = cell->align;
                break;
            }
        }
        buf_puts(out, al == DOC_ALIGN_RIGHT    ? "---:|"
                      : al == DOC_ALIGN_CENTER ? ":---:|"
                                               : "---|");
    }
    buf_putc(out, '\n');
    for (int r = 0; r < t->nrows; r++) {
        buf_putc(out, '|');
        for (int c = 0; c < t->ncols; c++)
            md_cell(out, t->cells[(size_t)r * (size_t)t->ncols + (size_t)c].text);
        buf_putc(out, '\n');
    }
    for (int i = 0; i < t->nnotes; i++) {
        buf_puts(out, "\nNote: ");
        md_escape_str(out, t->notes[i], 0);
        buf_putc(out, '\n');
    }
}

/* A chart has no picture in Markdown: its title, and its text alternative
 * folded away in a <details> element (GitHub and most viewers show it
 * collapsed), so the figures are there for who opens it and not printed in
 * the body of the page. */
static void md_chart(Buf *out, const DocChart *c)
{
    Buf desc = BUF_INIT;
    buf_puts(out, "**Chart: ");
    md_escape_str(out, c->title, 0);
    buf_puts(out, "**\n\n<details><summary>Figures shown</summary>\n\n");
    chart_describe(c, &desc);
    md_escape(out, desc.data ? desc.data : "", desc.len, MD_TEXT_FIRST);
    buf_puts(out, "\n\n</details>\n");
    buf_release(&desc);
}

/* A labelled card field: "**Label:** first paragraph" then any further blocks. */
static void md_card_field(Buf *out, const char *label, const char *word, const DocBlocks *bl)
{
    int i = 0;
    size_t n = strlen(label);
    buf_puts(out, "\n**");
    md_escape_str(out, label, 0);
    buf_puts(out, n > 0 && label[n - 1] == '?' ? "**" : ":**");
    if (word) {
        buf_putc(out, ' ');
        md_escape_str(out, word, 0);
        if (bl->n > 0 && bl->v[0]->kind == DOC_PARA)
            buf_puts(out, " \xe2\x80\x94"); /* " —" before the commentary */
    }
    if (bl->n > 0 && bl->v[0]->kind == DOC_PARA) {
        buf_putc(out, ' ');
        md_text(out, &bl->v[0]->u.para, 0);
        i = 1;
    }
    buf_putc(out, '\n');
    for (; i < bl->n; i++) {
        DocBlocks one = {bl->v + i, 1, 1};
        buf_putc(out, '\n');
        md_blocks(out, &one);
    }
}

static void md_card(Buf *out, const DocCard *c)
{
    DocBlocks none = {NULL, 0, 0};
    buf_puts(out, "### ");
    md_escape_str(out, c->title, 0);
    buf_putc(out, '\n');
    if (c->what.n > 0)
        md_card_field(out, "What is it?", NULL, &c->what);
    if (c->lead) {
        buf_puts(out, "\n**Lead Partner:** ");
        md_escape_str(out, c->lead, 0);
        buf_putc(out, '\n');
    }
    md_card_field(out, "RAG Status", present_mark((PresentMark)c->rag)->word,
                  c->commentary.n ? &c->commentary : &none);
}

static void md_fields(Buf *out, const DocFields *f)
{
    buf_putc(out, '|');
    for (int i = 0; i < f->n; i++)
        md_cell(out, f->v[i].label);
    buf_puts(out, "\n|");
    for (int i = 0; i < f->n; i++)
        buf_puts(out, "---|");
    buf_puts(out, "\n|");
    for (int i = 0; i < f->n; i++)
        md_cell(out, f->v[i].value);
    buf_putc(out, '\n');
}

static void md_ticks(Buf *out, const DocTicks *t)
{
    for (int i = 0; i < t->n; i++) {
        buf_puts(out, t->v[i].ticked ? "- [x] " : "- [ ] ");
        md_text(out, &t->v[i].text, MD_TEXT_FIRST);
        buf_putc(out, '\n');
    }
}

static void md_signature(Buf *out, const DocSignature *s)
{
    if (s->name) {
        buf_puts(out, "**");
        md_escape_str(out, s->name, 0);
        buf_puts(out, s->title ? "**  \n" : "**\n");
    }
    if (s->title) {
        buf_puts(out, "**");
        md_escape_str(out, s->title, 0);
        buf_puts(out, "**\n");
    }
    if (s->papers) {
        if (s->name || s->title)
            buf_putc(out, '\n');
        md_escape_str(out, s->papers, MD_TEXT_FIRST);
        buf_putc(out, '\n');
    }
}

static void md_blocks(Buf *out, const DocBlocks *bl)
{
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        if (i > 0)
            buf_putc(out, '\n');
        switch (b->kind) {
        case DOC_HEADING:
            md_heading(out, b);
            break;
        case DOC_PARA:
            md_text(out, &b->u.para, MD_TEXT_FIRST);
            buf_putc(out, '\n');
            break;
        case DOC_LIST:
            md_list(out, &b->u.list);
            break;
        case DOC_TABLE:
            md_table(out, &b->u.table);
            break;
        case DOC_CHART:
            md_chart(out, &b->u.chart);
            break;
        case DOC_CARD:
            md_card(out, &b->u.card);
            break;
        case DOC_FIELDS:
            md_fields(out, &b->u.fields);
            break;
        case DOC_TICKS:
            md_ticks(out, &b->u.ticks);
            break;
        case DOC_SIGNATURE:
            md_signature(out, &b->u.sig);
            break;
        }
    }
}

void render_md(const Doc *doc, Buf *out)
{
    md_blocks(out, &doc->body);
}
