/* render_html.c — the document tree as one self-contained HTML page: inline
 * CSS (screen and A4 print), inline SVG charts, no script, no external
 * resource. Escape by construction: markup is written only from string
 * literals, and every other string — user text, and even our own class names —
 * goes through render_html_escape (html_text / html_attr_class below). The only
 * printf conversions used here are %d for numbers. */
#include "render.h"

#include <string.h>

#include "chart.h"
#include "present.h"

typedef struct HtmlState {
    int chart_no;   /* numbers charts so their title/desc ids are unique */
} HtmlState;

static const char HTML_CSS[] =
    "@page{size:A4;margin:18mm 16mm}\n"
    ":root{--rule:#7f7f7f;--head:#dfe7ef;--label:#f3f6f9}\n"
    "body{margin:0;background:#eceff1;color:#1a1a1a;font:11pt/1.45 Arial,Helvetica,sans-serif}\n"
    ".paper{max-width:180mm;margin:24px auto;padding:16mm 18mm;background:#fff;"
    "box-shadow:0 1px 4px rgba(0,0,0,.18)}\n"
    "h1{font-size:14pt;margin:1.1em 0 .6em}\n"
    "h2{font-size:12pt;margin:1.5em 0 .5em;letter-spacing:.02em}\n"
    "h3{font-size:11pt;margin:1.2em 0 .4em}\n"
    "p{margin:.5em 0}\n"
    "ol,ul{margin:.5em 0;padding-left:2.2em}\n"
    "li{margin:.35em 0}\n"
    "table{border-collapse:collapse;width:100%;margin:.6em 0 1em;font-size:10pt}\n"
    "th,td{border:1px solid var(--rule);padding:4px 6px;text-align:left;vertical-align:top}\n"
    "thead th{background:var(--head)}\n"
    "tbody th{font-weight:normal}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "caption{text-align:left;font-weight:bold;padding:.2em 0}\n"
    ".rag{font-weight:bold}\n"
    ".rag-green{background:#c6efce;color:#0a5d1a}\n"
    ".rag-amber{background:#ffe699;color:#6b4100}\n"
    ".rag-red{background:#ffc7ce;color:#9c0006}\n"
    ".rag-complete{background:#cfe2f3;color:#0b3d6b}\n"
    ".rag-unreported{background:#ececec;color:#3a3a3a}\n"
    "span.rag{display:inline-block;padding:0 .5em;border:1px solid currentColor;border-radius:3px}\n"
    ".table-note{font-size:9pt;color:#3a3a3a;margin:-.6em 0 1em}\n"
    "table.card{margin:1em 0 1.6em}\n"
    "table.card thead th{font-size:11pt}\n"
    "table.card tbody th{width:8.5em;background:var(--label);font-weight:bold}\n"
    "table.card td p:first-child{margin-top:0}\n"
    "table.ticks td.tick{width:2.5em;text-align:center;font-weight:bold}\n"
    "table.fields td{font-weight:normal}\n"
    ".signature{margin-top:2em;font-weight:bold}\n"
    "figure{margin:1em 0}\n"
    "figure svg{display:block;max-width:100%;height:auto}\n"
    "figure.chart{overflow-x:auto}figure svg.chart{min-width:520px}figure.chart:focus{outline:3px solid #fd0}\n"
    "figcaption{font-size:10pt;font-weight:bold;margin-bottom:.3em}\n"
    ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}\n"
    "@media print{\n"
    "body{background:#fff;font-size:10.5pt}\n"
    ".paper{max-width:none;margin:0;padding:0;box-shadow:none}\n"
    "tr,figure,table.card,table.fields,table.ticks,.signature{break-inside:avoid;"
    "page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "h1,h2,h3,caption{break-after:avoid;page-break-after:avoid}\n"
    ".table-note{break-before:avoid;page-break-before:avoid}\n"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "}\n";

const char *render_html_css(void)
{
    return HTML_CSS;
}

/* ` class="a b"` with both names escaped; b may be NULL. */
static void html_attr_class(Buf *out, const char *a, const char *b)
{
    buf_puts(out, " class=\"");
    render_html_text(out, a);
    if (a && a[0] && b && b[0])
        buf_putc(out, ' ');
    render_html_text(out, b);
    buf_putc(out, '"');
}

static void html_inline(Buf *out, const DocText *t)
{
    for (int i = 0; i < t->n; i++) {
        int st = t->spans[i].style;
        if (st & DOC_BOLD)
            buf_puts(out, "<strong>");
        if (st & DOC_ITALIC)
            buf_puts(out, "<em>");
        render_html_text(out, t->spans[i].text);
        if (st & DOC_ITALIC)
            buf_puts(out, "</em>");
        if (st & DOC_BOLD)
            buf_puts(out, "</strong>");
    }
}

static void html_blocks(HtmlState *st, const DocBlocks *bl, Buf *out);

static void html_heading(const DocBlock *b, Buf *out)
{
    static const char *const open[] = {"<h1>", "<h2>", "<h3>"};
    static const char *const close[] = {"</h1>\n", "</h2>\n", "</h3>\n"};
    int l = b->u.heading.level - 1;
    buf_puts(out, open[l]);
    html_inline(out, &b->u.heading.text);
    buf_puts(out, close[l]);
}

/* Nested <ul>/<ol> from items with depth and number: a change of kind at the
 * same depth closes one list and opens the other; numbered items carry their
 * number in value= so "9." stays 9 whatever precedes it. */
static void html_list(const DocList *l, Buf *out)
{
    int kind[DOC_LIST_MAX_DEPTH]; /* 1 = <ol>, 0 = <ul>, per open level */
    int open = 0;
    for (int i = 0; i < l->n; i++) {
        const DocListItem *it = &l->items[i];
        int d = it->depth < open ? it->depth : open; /* never skip a level */
        int ordered = it->number > 0;
        while (open > d + 1) {
            open--;
            buf_puts(out, kind[open] ? "</li>\n</ol>\n" : "</li>\n</ul>\n");
        }
        if (open == d + 1) {
            if (kind[d] == ordered) {
                buf_puts(out, "</li>\n");
            } else {
                open--;
                buf_puts(out, kind[open] ? "</li>\n</ol>\n" : "</li>\n</ul>\n");
            }
        }
        if (open == d) {
            kind[d] = ordered;
            buf_puts(out, ordered ? "<ol>\n" : "<ul>\n");
            open++;
        }
        if (ordered)
            buf_printf(out, "<li value=\"%d\">", it->number);
        else
            buf_puts(out, "<li>");
        html_inline(out, &it->text);
    }
    while (open > 0) {
        open--;
        buf_puts(out, kind[open] ? "</li>\n</ol>\n" : "</li>\n</ul>\n");
    }
}

static void html_cell(const DocCell *c, int header, int row_header, Buf *out)
{
    const char *tag = header || row_header ? "th" : "td";
    buf_putc(out, '<');
    render_html_text(out, tag);
    if (header)
        buf_puts(out, " scope=\"col\"");
    else if (row_header)
        buf_puts(out, " scope=\"row\"");
    if (c->rag != DOC_RAG_NONE) {
        buf_puts(out, " class=\"rag rag-");
        render_html_text(out, doc_rag_class(c->rag));
        buf_puts(out, c->numeric || c->align == DOC_ALIGN_RIGHT ? " num\"" : "\"");
    } else if (c->numeric || c->align == DOC_ALIGN_RIGHT) {
        buf_puts(out, " class=\"num\"");
    }
    buf_putc(out, '>');
    render_html_text(out, c->text);
    buf_puts(out, "</");
    render_html_text(out, tag);
    buf_puts(out, ">");
}

static void html_table(const DocBlock *b, Buf *out)
{
    const DocTable *t = &b->u.table;
    /* the first column names the row when it holds text, not figures */
    int row_headers = t->has_head && t->ncols > 1 && !t->head[0].numeric;
    for (int r = 0; r < t->nrows && row_headers; r++)
        if (t->cells[(size_t)r * (size_t)t->ncols].numeric)
            row_headers = 0;
    buf_puts(out, "<table");
    html_attr_class(out, "data", b->role);
    buf_puts(out, ">\n");
    if (t->caption) {
        buf_puts(out, "<caption>");
        render_html_text(out, t->caption);
        buf_puts(out, "</caption>\n");
    }
    if (t->has_head) {
        buf_puts(out, "<thead><tr>");
        for (int c = 0; c < t->ncols; c++)
            html_cell(&t->head[c], 1, 0, out);
        buf_puts(out, "</tr></thead>\n");
    }
    buf_puts(out, "<tbody>\n");
    for (int r = 0; r < t->nrows; r++) {
        buf_puts(out, "<tr>");
        for (int c = 0; c < t->ncols; c++)
            html_cell(&t->cells[(size_t)r * (size_t)t->ncols + (size_t)c], 0,
                      c == 0 && row_headers, out);
        buf_puts(out, "</tr>\n");
    }
    buf_puts(out, "</tbody>\n</table>\n");
    for (int i = 0; i < t->nnotes; i++) {
        buf_puts(out, "<p class=\"table-note\">Note: ");
        render_html_text(out, t->notes[i]);
        buf_puts(out, "</p>\n");
    }
}

static void html_chart(HtmlState *st, const DocChart *c, Buf *out)
{
    int id = ++st->chart_no;
    /* a chart stays legible on a phone: it scrolls sideways rather than shrink below 520 px,
     * and a region that scrolls takes the keyboard's focus (tabindex) so it can be scrolled */
    buf_puts(out, c->whiskers ? "<figure class=\"chart chart-benchmark\" tabindex=\"0\">\n<figcaption>"
                              : "<figure class=\"chart\" tabindex=\"0\">\n<figcaption>");
    render_html_text(out, c->title);
    buf_puts(out, "</figcaption>\n");
    chart_svg(c, id, out);
    buf_puts(out, "</figure>\n");
}

static void html_card(HtmlState *st, const DocCard *c, Buf *out)
{
    buf_puts(out, "<table class=\"card\">\n<thead><tr><th colspan=\"2\" scope=\"colgroup\">");
    render_html_text(out, c->title);
    buf_puts(out, "</th></tr></thead>\n<tbody>\n");
    if (c->what.n > 0) {
        buf_puts(out, "<tr><th scope=\"row\">What is it?</th><td>");
        html_blocks(st, &c->what, out);
        buf_puts(out, "</td></tr>\n");
    }
    if (c->lead) {
        buf_puts(out, "<tr><th scope=\"row\">Lead Partner</th><td>");
        render_html_text(out, c->lead);
        buf_puts(out, "</td></tr>\n");
    }
    buf_puts(out, "<tr><th scope=\"row\">RAG Status</th><td><p><span class=\"rag rag-");
    render_html_text(out, doc_rag_class(c->rag));
    buf_puts(out, "\">");
    render_html_text(out, present_mark((PresentMark)c->rag)->word);
    buf_puts(out, "</span></p>\n");
    html_blocks(st, &c->commentary, out);
    buf_puts(out, "</td></tr>\n</tbody>\n</table>\n");
}

static void html_fields(const DocBlock *b, Buf *out)
{
    const DocFields *f = &b->u.fields;
    buf_puts(out, "<table");
    html_attr_class(out, "fields", b->role);
    buf_puts(out, ">\n<thead><tr>");
    for (int i = 0; i < f->n; i++) {
        buf_puts(out, "<th scope=\"col\">");
        render_html_text(out, f->v[i].label);
        buf_puts(out, "</th>");
    }
    buf_puts(out, "</tr></thead>\n<tbody><tr>");
    for (int i = 0; i < f->n; i++) {
        buf_puts(out, "<td>");
        render_html_text(out, f->v[i].value);
        buf_puts(out, "</td>");
    }
    buf_puts(out, "</tr></tbody>\n</table>\n");
}

/* A ticked list laid out `columns` items to a row, each item followed by its
 * tick cell; the tick is also said in words for screen readers. */
static void html_ticks(const DocBlock *b, Buf *out)
{
    const DocTicks *t = &b->u.ticks;
    buf_puts(out, "<table");
    html_attr_class(out, "ticks", b->role);
    buf_puts(out, ">\n<tbody>\n");
    for (int i = 0; i < t->n; i += t->columns) {
        buf_puts(out, "<tr>");
        for (int k = i; k < i + t->columns; k++) {
            if (k >= t->n) {
                buf_puts(out, "<td></td><td class=\"tick\"></td>");
                continue;
            }
            buf_puts(out, "<td>");
            html_inline(out, &t->v[k].text);
            buf_puts(out, t->v[k].ticked
                              ? "</td><td class=\"tick\">\xe2\x9c\x93<span class=\"vh\"> (applies)</span></td>"
                              : "</td><td class=\"tick\"><span class=\"vh\">(does not apply)</span></td>");
        }
        buf_puts(out, "</tr>\n");
    }
    buf_puts(out, "</tbody>\n</table>\n");
}

static void html_signature(const DocSignature *s, Buf *out)
{
    if (s->name || s->title) {
        buf_puts(out, "<p class=\"signature\">");
        render_html_text(out, s->name);
        if (s->name && s->title)
            buf_puts(out, "<br>");
        render_html_text(out, s->title);
        buf_puts(out, "</p>\n");
    }
    if (s->papers) {
        buf_puts(out, "<p>");
        render_html_text(out, s->papers);
        buf_puts(out, "</p>\n");
    }
}

static void html_blocks(HtmlState *st, const DocBlocks *bl, Buf *out)
{
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        switch (b->kind) {
        case DOC_HEADING:
            html_heading(b, out);
            break;
        case DOC_PARA:
            buf_puts(out, "<p");
            if (b->role)
                html_attr_class(out, b->role, NULL);
            buf_putc(out, '>');
            html_inline(out, &b->u.para);
            buf_puts(out, "</p>\n");
            break;
        case DOC_LIST:
            html_list(&b->u.list, out);
            break;
        case DOC_TABLE:
            html_table(b, out);
            break;
        case DOC_CHART:
            html_chart(st, &b->u.chart, out);
            break;
        case DOC_CARD:
            html_card(st, &b->u.card, out);
            break;
        case DOC_FIELDS:
            html_fields(b, out);
            break;
        case DOC_TICKS:
            html_ticks(b, out);
            break;
        case DOC_SIGNATURE:
            html_signature(&b->u.sig, out);
            break;
        }
    }
}

void render_html_blocks(const DocBlocks *bl, Buf *out)
{
    HtmlState st = {0};
    html_blocks(&st, bl, out);
}

void render_html(const Doc *doc, Buf *out)
{
    HtmlState st = {0};
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>");
    render_html_text(out, doc->title && doc->title[0] ? doc->title : "Report");
    buf_puts(out, "</title>\n<style>\n");
    buf_puts(out, HTML_CSS);
    buf_puts(out, "</style>\n</head>\n<body>\n<main class=\"paper\">\n");
    html_blocks(&st, &doc->body, out);
    buf_puts(out, "</main>\n</body>\n</html>\n");
}
