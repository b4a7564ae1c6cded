/* render_txt.c — the document tree as plain text for e-mail and terminals:
 * paragraphs wrapped at TXT_WIDTH columns, headings underlined, tables in
 * aligned columns (numbers right-aligned; a table too wide for the page has its
 * widest text column wrapped), RAG as words. Widths count UTF-8 code points. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "present.h"

#define TXT_WIDTH 78          /* the page width */
#define TXT_GAP 2             /* spaces between table columns */
#define TXT_MIN_COL 10        /* a text column is not squeezed narrower than this */
#define TXT_CARD_LABEL 14     /* width of the label column of a project card */

static size_t txt_width(const char *s, size_t n)
{
    return doc_utf8_width(s, n);
}

static void txt_spaces(Buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(out, ' ');
}

/* Append one line without its trailing spaces, then a newline. */
static void txt_line(Buf *out, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    buf_append(out, s, n);
    buf_putc(out, '\n');
}

/* Wrap text at `width` columns: the first line starts with `first`, the others
 * with `rest` (both counted in the width). Runs of white space collapse; a word
 * longer than the line stands alone. Empty text still gives one line. */
static void txt_wrap(Buf *out, const char *text, size_t width, const char *first,
                     const char *rest)
{
    Buf line = BUF_INIT;
    const char *p = text ? text : "";
    size_t col;
    int words = 0;
    buf_puts(&line, first);
    col = txt_width(first, strlen(first));
    for (;;) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \n\t\r");
        size_t w = txt_width(p, n);
        if (words > 0 && col + 1 + w > width) {
            txt_line(out, line.data, line.len);
            buf_reset(&line);
            buf_puts(&line, rest);
            col = txt_width(rest, strlen(rest));
            words = 0;
        }
        if (words > 0) {
            buf_putc(&line, ' ');
            col++;
        }
        buf_append(&line, p, n);
        col += w;
        words++;
        p += n;
    }
    txt_line(out, line.data ? line.data : "", line.len);
    buf_release(&line);
}

/* Prefix every line of `text` with `first` (line one) or `rest`. */
static void txt_prefix_lines(Buf *out, const char *text, const char *first, const char *rest)
{
    const char *p = text;
    int lineno = 0;
    Buf line = BUF_INIT;
    while (*p) {
        size_t n = strcspn(p, "\n");
        buf_reset(&line);
        buf_puts(&line, lineno == 0 ? first : rest);
        buf_append(&line, p, n);
        txt_line(out, line.data, line.len);
        p += n;
        if (*p == '\n')
            p++;
        lineno++;
    }
    buf_release(&line);
}

static void txt_plain(const DocText *t, Buf *out)
{
    doc_text_plain(t, out);
}

static void txt_blocks(const DocBlocks *bl, size_t width, Buf *out);

static void txt_heading(const DocBlock *b, size_t width, Buf *out)
{
    Buf text = BUF_INIT, lines = BUF_INIT;
    txt_plain(&b->u.heading.text, &text);
    txt_wrap(&lines, buf_cstr(&text), width, "", "");
    buf_append(out, lines.data, lines.len);
    if (b->u.heading.level < DOC_HEADING_MAX) {
        size_t longest = 0;
        const char *p = buf_cstr(&lines);
        while (*p) {
            size_t n = strcspn(p, "\n");
            size_t w = txt_width(p, n);
            longest = w > longest ? w : longest;
            p += n + (p[n] == '\n');
        }
        for (size_t i = 0; i < longest; i++)
            buf_putc(out, b->u.heading.level == 1 ? '=' : '-');
        buf_putc(out, '\n');
    }
    buf_release(&text);
    buf_release(&lines);
}

static void txt_list(const DocList *l, size_t width, Buf *out)
{
    size_t indent[DOC_LIST_MAX_DEPTH + 1] = {0};
    Buf text = BUF_INIT, first = BUF_INIT, rest = BUF_INIT;
    for (int i = 0; i < l->n; i++) {
        const DocListItem *it = &l->items[i];
        buf_reset(&text);
        buf_reset(&first);
        buf_reset(&rest);
        txt_spaces(&first, indent[it->depth]);
        if (it->number > 0)
            buf_printf(&first, "%d. ", it->number);
        else
            buf_puts(&first, "- ");
        indent[it->depth + 1] = first.len;
        txt_spaces(&rest, first.len);
        txt_plain(&it->text, &text);
        txt_wrap(out, buf_cstr(&text), width, buf_cstr(&first), buf_cstr(&rest));
    }
    buf_release(&text);
    buf_release(&first);
    buf_release(&rest);
}

/* A grid of plain cells: head (may be NULL) and nrows*ncols cells, right[c]
 * set for right-aligned columns. */
typedef struct TxtGrid {
    int ncols, nrows;
    const char *const *head;
    const char *const *cells;
    const int *right;
} TxtGrid;

/* Wrapped lines of one cell at width w, as a '\n'-separated list. */
static void txt_cell_lines(Buf *lines, const char *text, size_t w)
{
    buf_reset(lines);
    txt_wrap(lines, text, w, "", "");
}

static const char *txt_nth_line(const char *lines, int k, size_t *n)
{
    const char *p = lines;
    for (int i = 0; i < k && *p; i++) {
        p += strcspn(p, "\n");
        if (*p == '\n')
            p++;
    }
    *n = strcspn(p, "\n");
    return p;
}

static int txt_line_count(const char *lines)
{
    int k = 0;
    for (const char *p = lines; *p; p++)
        k += *p == '\n';
    return k ? k : 1;
}

static void txt_grid_row(const TxtGrid *g, const char *const *row, const size_t *w, Buf *out)
{
    Buf *cl = xcalloc((size_t)g->ncols, sizeof(Buf));
    Buf line = BUF_INIT;
    int height = 1;
    for (int c = 0; c < g->ncols; c++) {
        txt_cell_lines(&cl[c], row[c] ? row[c] : "", w[c]);
        int h = txt_line_count(buf_cstr(&cl[c]));
        height = h > height ? h : height;
    }
    for (int k = 0; k < height; k++) {
        buf_reset(&line);
        for (int c = 0; c < g->ncols; c++) {
            size_t n = 0;
            const char *s = k < txt_line_count(buf_cstr(&cl[c])) ? txt_nth_line(buf_cstr(&cl[c]), k, &n)
                                                                 : "";
            size_t tw = txt_width(s, n);
            size_t pad = w[c] > tw ? w[c] - tw : 0;
            if (c > 0)
                txt_spaces(&line, TXT_GAP);
            if (g->right[c])
                txt_spaces(&line, pad);
            buf_append(&line, s, n);
            if (!g->right[c])
                txt_spaces(&line, pad);
        }
        txt_line(out, line.data, line.len);
    }
    for (int c = 0; c < g->ncols; c++)
        buf_release(&cl[c]);
    free(cl);
    buf_release(&line);
}

static void txt_grid(const TxtGrid *g, size_t width, Buf *out)
{
    size_t *w = xcalloc((size_t)g->ncols, sizeof(size_t));
    size_t total = 0;
    for (int c = 0; c < g->ncols; c++) {
        if (g->head)
            w[c] = txt_width(g->head[c], strlen(g->head[c]));
        for (int r = 0; r < g->nrows; r++) {
            const char *s = g->cells[(size_t)r * (size_t)g->ncols + (size_t)c];
            size_t cw = txt_width(s, strlen(s));
            w[c] = cw > w[c] ? cw : w[c];
        }
        total += w[c] + (c > 0 ? TXT_GAP : 0);
    }
    /* Too wide: narrow the widest text column, one column at a time. */
    while (total > width) {
        int widest = -1;
        for (int c = 0; c < g->ncols; c++)
            if (!g->right[c] && w[c] > TXT_MIN_COL && (widest < 0 || w[c] > w[widest]))
                widest = c;
        if (widest < 0)
            break;
        w[widest]--;
        total--;
    }
    if (g->head) {
        txt_grid_row(g, g->head, w, out);
        Buf rule = BUF_INIT;
        for (int c = 0; c < g->ncols; c++) {
            if (c > 0)
                txt_spaces(&rule, TXT_GAP);
            for (size_t i = 0; i < w[c]; i++)
                buf_putc(&rule, '-');
        }
        txt_line(out, rule.data ? rule.data : "", rule.len);
        buf_release(&rule);
    }
    for (int r = 0; r < g->nrows; r++)
        txt_grid_row(g, g->cells + (size_t)r * (size_t)g->ncols, w, out);
    free(w);
}

static void txt_table(const DocTable *t, size_t width, Buf *out)
{
    size_t ncells = (size_t)t->nrows * (size_t)t->ncols;
    const char **head = xcalloc((size_t)t->ncols, sizeof(char *));
    const char **cells = xcalloc(ncells ? ncells : 1, sizeof(char *));
    int *right = xcalloc((size_t)t->ncols, sizeof(int));
    for (int c = 0; c < t->ncols; c++) {
        head[c] = t->head[c].text;
        right[c] = t->head[c].align == DOC_ALIGN_RIGHT;
        for (int r = 0; r < t->nrows; r++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            if (cell->text[0]) {
                right[c] = cell->numeric || cell->align == DOC_ALIGN_RIGHT;
                break;
            }
        }
    }
    for (size_t i = 0; i < ncells; i++)
        cells[i] = t->cells[i].text;
    if (t->caption)
        txt_wrap(out, t->caption, width, "", "");
    TxtGrid g = {t->ncols, t->nrows, t->has_head ? head : NULL, cells, right};
    txt_grid(&g, width, out);
    for (int i = 0; i < t->nnotes; i++) {
        if (i == 0)
            buf_putc(out, '\n');
        txt_wrap(out, t->notes[i], width, "Note: ", "      ");
    }
    free(head);
    free(cells);
    free(right);
}

static void txt_fields(const DocFields *f, size_t width, Buf *out)
{
    const char **head = xcalloc((size_t)(f->n ? f->n : 1), sizeof(char *));
    const char **cells = xcalloc((size_t)(f->n ? f->n : 1), sizeof(char *));
    int *right = xcalloc((size_t)(f->n ? f->n : 1), sizeof(int));
    for (int i = 0; i < f->n; i++) {
        head[i] = f->v[i].label;
        cells[i] = f->v[i].value;
    }
    TxtGrid g = {f->n, 1, head, cells, right};
    txt_grid(&g, width, out);
    free(head);
    free(cells);
    free(right);
}

static void txt_ticks(const DocTicks *t, size_t width, Buf *out)
{
    Buf text = BUF_INIT;
    for (int i = 0; i < t->n; i++) {
        buf_reset(&text);
        txt_plain(&t->v[i].text, &text);
        txt_wrap(out, buf_cstr(&text), width, t->v[i].ticked ? "[x] " : "[ ] ", "    ");
    }
    buf_release(&text);
}

static void txt_signature(const DocSignature *s, size_t width, Buf *out)
{
    if (s->name)
        txt_wrap(out, s->name, width, "", "");
    if (s->title)
        txt_wrap(out, s->title, width, "", "");
    if (s->papers) {
        if (s->name || s->title)
            buf_putc(out, '\n');
        txt_wrap(out, s->papers, width, "", "");
    }
}

/* Plain text cannot draw a chart: its title and where to see it. The text
 * alternative is not printed in the body (it is the HTML's <desc> and the
 * Word image's alt text). */
static void txt_chart(const DocChart *c, size_t width, Buf *out)
{
    txt_wrap(out, c->title, width, "Chart: ", "       ");
    txt_wrap(out, "(drawn in the PDF, Word and web versions of this paper)", width, "", "");
    Buf key = BUF_INIT;
    chart_key(c, &key);
    if (key.len)
        txt_wrap(out, buf_cstr(&key), width, "", "");
    buf_release(&key);
}

/* One card field: the label in a column of its own, the content beside it. */
static void txt_card_field(const char *label, const char *content, Buf *out)
{
    char first[TXT_CARD_LABEL + 1], rest[TXT_CARD_LABEL + 1];
    size_t n = strlen(label);
    if (n > TXT_CARD_LABEL - 1)
        n = TXT_CARD_LABEL - 1;
    memset(first, ' ', TXT_CARD_LABEL);
    memcpy(first, label, n);
    first[TXT_CARD_LABEL] = '\0';
    memset(rest, ' ', TXT_CARD_LABEL);
    rest[TXT_CARD_LABEL] = '\0';
    txt_prefix_lines(out, content[0] ? content : "\n", first, rest);
}

static void txt_card(const DocCard *c, size_t width, Buf *out)
{
    size_t inner = width > TXT_CARD_LABEL + TXT_MIN_COL ? width - TXT_CARD_LABEL : TXT_MIN_COL;
    Buf part = BUF_INIT;
    txt_wrap(out, c->title, width, "", "");
    for (size_t i = 0, w = txt_width(c->title, strlen(c->title)); i < w && i < width; i++)
        buf_putc(out, '~');
    buf_putc(out, '\n');

    if (c->what.n > 0) {
        txt_blocks(&c->what, inner, &part);
        txt_card_field("What is it?", buf_cstr(&part), out);
    }
    if (c->lead) {
        buf_reset(&part);
        txt_wrap(&part, c->lead, inner, "", "");
        txt_card_field("Lead Partner", buf_cstr(&part), out);
    }
    buf_reset(&part);
    buf_puts(&part, present_mark((PresentMark)c->rag)->word);
    buf_putc(&part, '\n');
    txt_blocks(&c->commentary, inner, &part);
    txt_card_field("RAG Status", buf_cstr(&part), out);
    buf_release(&part);
}

static void txt_blocks(const DocBlocks *bl, size_t width, Buf *out)
{
    Buf text = BUF_INIT;
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        if (i > 0)
            buf_putc(out, '\n');
        switch (b->kind) {
        case DOC_HEADING:
            txt_heading(b, width, out);
            break;
        case DOC_PARA:
            buf_reset(&text);
            txt_plain(&b->u.para, &text);
            txt_wrap(out, buf_cstr(&text), width, "", "");
            break;
        case DOC_LIST:
            txt_list(&b->u.list, width, out);
            break;
        case DOC_TABLE:
            txt_table(&b->u.table, width, out);
            break;
        case DOC_CHART:
            txt_chart(&b->u.chart, width, out);
            break;
        case DOC_CARD:
            txt_card(&b->u.card, width, out);
            break;
        case DOC_FIELDS:
            txt_fields(&b->u.fields, width, out);
            break;
        case DOC_TICKS:
            txt_ticks(&b->u.ticks, width, out);
            break;
        case DOC_SIGNATURE:
            txt_signature(&b->u.sig, width, out);
            break;
        }
    }
    buf_release(&text);
}

void render_txt(const Doc *doc, Buf *out)
{
    txt_blocks(&doc->body, TXT_WIDTH, out);
}
