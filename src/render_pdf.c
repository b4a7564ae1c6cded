/* render_pdf.c — the paper as an A4 PDF, laid out with pango and drawn with
 * cairo (fonts embedded as subsets by cairo; DejaVu from Debian's
 * fonts-dejavu-core). Everything on a page is a line of a "stack": a
 * paragraph, a list item, a table cell or a RAG badge is broken into lines,
 * and the body and each table cell are stacks, so one rule breaks pages
 * everywhere: a line goes on this page if it fits, else on the next. Tables
 * repeat their header rows on every page they run onto; a row that fits on a
 * page is never split, a taller one breaks between lines. Headings keep with
 * what follows, appear in the PDF outline, and level 1 is the paper's title.
 * RAG is shown by the word in a coloured badge, never by colour alone; charts
 * are vector graphics (chart_cairo.c) whose bars carry their figures; the
 * text alternative stays out of the printed page (HTML <desc>, Word alt text).
 * Tables keep together: one that fits on a page starts on a new page rather
 * than split; a longer one leaves at least PAPER_KEEP_ROWS rows on each side of
 * a break. A heading, and a lead-in paragraph ending in ':', keep with what
 * follows (measured by laying the group out on a scratch page).
 * Every page has a footer: the doc id and date of the frame, "Page N of M".
 *
 * The document is laid out twice: the first pass counts the pages for "of
 * M", the second draws them. Both passes measure with the same surface type,
 * so they break pages alike. */
#include "render.h"

#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "chart.h"
#include "chart_cairo.h"
#include "render_paper.h"
#include "lazy_gfx.h" /* after the library's header */

#define PDF_PAGE_W 595.276      /* A4, points */
#define PDF_PAGE_H 841.890
#define PDF_MARGIN_L 62.0       /* 22 mm */
#define PDF_MARGIN_R 56.0
#define PDF_MARGIN_T 56.0
#define PDF_MARGIN_B 72.0       /* room for the footer */
#define PDF_FOOTER_Y (PDF_PAGE_H - 44.0)
#define PDF_CONTENT_W (PDF_PAGE_W - PDF_MARGIN_L - PDF_MARGIN_R)
#define PDF_BOTTOM (PDF_PAGE_H - PDF_MARGIN_B)
#define PDF_FONT "DejaVu Sans"
#define PDF_BODY_PT 9.5
#define PDF_TABLE_PT 8.5
#define PDF_SMALL_PT 7.5
#define PDF_H_PT {13.0, 11.0, 10.0} /* heading sizes by level */
#define PDF_LEADING 1.18        /* line box height / font height */
#define PDF_PARA_GAP 6.0        /* space after a paragraph */
#define PDF_LIST_INDENT 26.0    /* text of a list item, per level */
#define PDF_CELL_PAD 4.0
#define PDF_RULE 0.6            /* table rules */
#define PDF_KEEP_LINES 3        /* lines of body a heading keeps with it */
#define PDF_TICK_W 24.0         /* the tick column of a ticked list */
#define PDF_CARD_LABEL_W 92.0   /* the label column of a project card */
#define PDF_MIN_COL 36.0        /* narrowest text column of a table */
#define PDF_BADGE_PAD 3.0
#define PDF_FIELD_MIN 60.0      /* narrowest column of the frame's fields */
#define PDF_FIELD_MAX 0.45      /* widest, as a share of the text width */
#define PDF_PAGE_NO_W 70.0      /* room kept for "Page N of M" */
#define PDF_TICK "\xe2\x9c\x93" /* U+2713 CHECK MARK */
#define PDF_HEAD_FILL 0xDFE7EF  /* table heads, as the HTML's */
#define PDF_LABEL_FILL 0xF3F6F9 /* row labels of cards and fields */
#define PDF_RULE_GREY 0x7F7F7F
#define PDF_INK 0x1A1A1A
#define PDF_FOOT_INK 0x555555

/* One line of a stack. lay == NULL is blank space of height h. */
typedef struct PdfLine {
    PangoLayout *lay;     /* not owned: the stack owns its layouts */
    int index;            /* line of lay */
    double x;             /* left of the line from the stack's left */
    double h;             /* height of the line box */
    double base;          /* baseline from the top of the box */
    PangoLayout *mark;    /* list marker drawn left of the first line; may be NULL */
    double mark_x;
    DocRag badge;         /* drawn as a RAG badge (the line is the word) */
    unsigned ink;         /* text colour 0xRRGGBB */
} PdfLine;

typedef struct PdfStack {
    PdfLine *v;
    int n, cap;
    PangoLayout **own;
    int nown, capown;
    double h;             /* sum of line heights */
} PdfStack;

/* A table cell: a stack, its place across the row, its look. */
typedef struct PdfCell {
    PdfStack st;
    double x, w;          /* from the table's left */
    unsigned fill;        /* background, 0xFFFFFF for none */
    int from;             /* first line not yet drawn (rows split across pages) */
} PdfCell;

typedef struct PdfRow {
    PdfCell *cells;
    int n;
} PdfRow;

typedef struct Pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    int final;            /* the drawing pass (outline and metadata) */
    int page, npages;
    double y;             /* top of the free space on the page */
    Buf footer;           /* "doc id · date" */
    int outline[DOC_HEADING_MAX + 1]; /* last outline id at each level */
    int scratch;          /* measuring a keep group on a scratch page */
    struct PdfMeasures *measured; /* heights of keep groups, shared by both passes */
} Pdf;

/* Heights of blocks [from, to) laid out from the top of a page: the same in
 * the counting pass and the drawing pass, so measured once. */
typedef struct PdfMeasures {
    struct { const DocBlocks *bl; int from, to; double h; } *v;
    int n, cap;
    cairo_surface_t *surface; /* the scratch pages, discarded; made on first use */
    cairo_t *cr;
} PdfMeasures;

static void pdf_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
}

/* ---- stacks ---- */

static void pdf_stack_release(PdfStack *s)
{
    for (int i = 0; i < s->nown; i++)
        g_object_unref(s->own[i]);
    free(s->own);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static PangoLayout *pdf_own(PdfStack *s, PangoLayout *lay)
{
    if (s->nown == s->capown) {
        s->capown = s->capown ? s->capown * 2 : 8;
        s->own = xrealloc(s->own, (size_t)s->capown * sizeof *s->own);
    }
    s->own[s->nown++] = lay;
    return lay;
}

static PdfLine *pdf_push(PdfStack *s)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    PdfLine *l = &s->v[s->n++];
    memset(l, 0, sizeof *l);
    l->ink = PDF_INK;
    return l;
}

static void pdf_gap(PdfStack *s, double h)
{
    if (s->n == 0 || h <= 0)
        return; /* no space at the top of a stack */
    PdfLine *l = pdf_push(s);
    l->h = h;
    s->h += h;
}

/* A layout in our font at size pt, bold and/or italic. */
static PangoLayout *pdf_layout(Pdf *p, double pt, int style, double width, DocAlign align)
{
    PangoLayout *lay = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_from_string(PDF_FONT);
    pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
    if (style & DOC_BOLD)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (style & DOC_ITALIC)
        pango_font_description_set_style(fd, PANGO_STYLE_OBLIQUE);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, width > 0 ? (int)(width * PANGO_SCALE) : -1);
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, align == DOC_ALIGN_RIGHT    ? PANGO_ALIGN_RIGHT
                                     : align == DOC_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                                                 : PANGO_ALIGN_LEFT);
    return lay;
}

/* Styled text into a layout: spans become bold/italic attributes over byte
 * ranges (no markup, so no escaping). */
static void pdf_set_text(PangoLayout *lay, const DocText *t)
{
    Buf text = BUF_INIT;
    PangoAttrList *attrs = pango_attr_list_new();
    for (int i = 0; t && i < t->n; i++) {
        guint start = (guint)text.len;
        buf_puts(&text, t->spans[i].text);
        guint end = (guint)text.len;
        if (t->spans[i].style & DOC_BOLD) {
            PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
            a->start_index = start;
            a->end_index = end;
            pango_attr_list_insert(attrs, a);
        }
        if (t->spans[i].style & DOC_ITALIC) {
            PangoAttribute *a = pango_attr_style_new(PANGO_STYLE_OBLIQUE);
            a->start_index = start;
            a->end_index = end;
            pango_attr_list_insert(attrs, a);
        }
    }
    pango_layout_set_text(lay, buf_cstr(&text), (int)text.len);
    pango_layout_set_attributes(lay, attrs);
    pango_attr_list_unref(attrs);
    buf_release(&text);
}

/* Append the lines of lay at x; the first line carries mark (may be NULL). */
static void pdf_lines(PdfStack *s, PangoLayout *lay, double x, unsigned ink, PangoLayout *mark, double mark_x)
{
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    int i = 0;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        PdfLine *l = pdf_push(s);
        double lh = (double)logical.height / PANGO_SCALE;
        l->lay = lay;
        l->index = i;
        l->x = x + (double)logical.x / PANGO_SCALE;
        l->h = lh * PDF_LEADING;
        l->base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE + (l->h - lh) / 2;
        l->ink = ink;
        if (i == 0 && mark) {
            l->mark = mark;
            l->mark_x = mark_x;
        }
        s->h += l->h;
        i++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* A paragraph of styled text. */
static void pdf_text(Pdf *p, PdfStack *s, const DocText *t, double pt, int style, double x, double width,
                     DocAlign align)
{
    PangoLayout *lay = pdf_own(s, pdf_layout(p, pt, style, width, align));
    pdf_set_text(lay, t);
    pdf_lines(s, lay, x, PDF_INK, NULL, 0);
}

/* A paragraph of plain text. */
static void pdf_plain(Pdf *p, PdfStack *s, const char *text, double pt, int style, double x, double width,
                      DocAlign align, unsigned ink)
{
    PangoLayout *lay = pdf_own(s, pdf_layout(p, pt, style, width, align));
    pango_layout_set_text(lay, text ? text : "", -1);
    pdf_lines(s, lay, x, ink, NULL, 0);
}

/* A RAG badge: the word, bold, on its colour. */
static void pdf_badge(Pdf *p, PdfStack *s, DocRag rag, double pt, double x)
{
    PangoLayout *lay = pdf_own(s, pdf_layout(p, pt, DOC_BOLD, -1, DOC_ALIGN_LEFT));
    pango_layout_set_text(lay, render_paper_rag_word(rag), -1);
    int before = s->n;
    pdf_lines(s, lay, x + PDF_BADGE_PAD, render_paper_rag_rgb(rag, 1), NULL, 0);
    for (int i = before; i < s->n; i++) {
        s->v[i].badge = rag;
        s->v[i].h += 2;
        s->v[i].base += 1;
        s->h += 2;
    }
}

/* List items: markers ("•", "9.") hang left of the text. */
static void pdf_list(Pdf *p, PdfStack *s, const DocList *l, double pt, double x, double width)
{
    for (int i = 0; i < l->n; i++) {
        const DocListItem *it = &l->items[i];
        double indent = PDF_LIST_INDENT * (it->depth + 1);
        char num[32];
        if (it->number)
            snprintf(num, sizeof num, "%d.", it->number);
        else
            snprintf(num, sizeof num, "%s", it->depth % 2 ? "\xe2\x80\x93" : "\xe2\x80\xa2");
        PangoLayout *mark = pdf_own(s, pdf_layout(p, pt, 0, -1, DOC_ALIGN_LEFT));
        pango_layout_set_text(mark, num, -1);
        PangoLayout *lay = pdf_own(s, pdf_layout(p, pt, 0, width - indent, DOC_ALIGN_LEFT));
        pdf_set_text(lay, &it->text);
        if (i > 0)
            pdf_gap(s, pt * 0.35);
        pdf_lines(s, lay, x + indent, PDF_INK, mark, x + indent - PDF_LIST_INDENT + (it->depth ? 6 : 0));
    }
}

/* ---- pages ---- */

static void pdf_footer(Pdf *p)
{
    cairo_t *cr = p->cr;
    PangoLayout *lay = pdf_layout(p, PDF_SMALL_PT, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT);
    pdf_rgb(cr, PDF_RULE_GREY);
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, PDF_MARGIN_L, PDF_FOOTER_Y - 5);
    cairo_line_to(cr, PDF_PAGE_W - PDF_MARGIN_R, PDF_FOOTER_Y - 5);
    cairo_stroke(cr);
    pdf_rgb(cr, PDF_FOOT_INK);
    pango_layout_set_width(lay, (int)((PDF_CONTENT_W - PDF_PAGE_NO_W) * PANGO_SCALE));
    pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(lay, buf_cstr(&p->footer), -1);
    cairo_move_to(cr, PDF_MARGIN_L, PDF_FOOTER_Y);
    pango_cairo_show_layout(cr, lay);
    char page[64];
    if (p->npages > 0)
        snprintf(page, sizeof page, "Page %d of %d", p->page, p->npages);
    else
        snprintf(page, sizeof page, "Page %d", p->page);
    pango_layout_set_width(lay, (int)(PDF_CONTENT_W * PANGO_SCALE));
    pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_NONE);
    pango_layout_set_alignment(lay, PANGO_ALIGN_RIGHT);
    pango_layout_set_text(lay, page, -1);
    cairo_move_to(cr, PDF_MARGIN_L, PDF_FOOTER_Y);
    pango_cairo_show_layout(cr, lay);
    g_object_unref(lay);
}

static void pdf_new_page(Pdf *p)
{
    if (p->page > 0) {
        pdf_footer(p);
        cairo_show_page(p->cr);
    }
    p->page++;
    p->y = PDF_MARGIN_T;
}

static double pdf_room(const Pdf *p)
{
    return PDF_BOTTOM - p->y;
}

/* Draw line l with its box's top-left at (x, y). */
static void pdf_draw_line(Pdf *p, const PdfLine *l, double x, double y)
{
    cairo_t *cr = p->cr;
    if (!l->lay)
        return;
    if (l->badge != DOC_RAG_NONE) {
        PangoRectangle ink, logical;
        pango_layout_line_get_pixel_extents(pango_layout_get_line_readonly(l->lay, l->index), &ink, &logical);
        double bx = x + l->x - PDF_BADGE_PAD, bw = logical.width + 2 * PDF_BADGE_PAD;
        pdf_rgb(cr, render_paper_rag_rgb(l->badge, 0));
        cairo_rectangle(cr, bx, y + 1, bw, l->h - 2);
        cairo_fill_preserve(cr);
        pdf_rgb(cr, render_paper_rag_rgb(l->badge, 1));
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
    pdf_rgb(cr, l->ink);
    if (l->mark) {
        cairo_move_to(cr, x + l->mark_x, y + l->base);
        pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(l->mark, 0));
    }
    cairo_move_to(cr, x + l->x, y + l->base);
    pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(l->lay, l->index));
}

/* Flow a stack down the body, breaking pages between lines. */
static void pdf_flow(Pdf *p, const PdfStack *s, double x)
{
    for (int i = 0; i < s->n; i++) {
        const PdfLine *l = &s->v[i];
        if (p->y + l->h > PDF_BOTTOM) {
            pdf_new_page(p);
            if (!l->lay)
                continue; /* no blank space at the top of a page */
        }
        pdf_draw_line(p, l, x, p->y);
        p->y += l->h;
    }
}

/* Height of the first n lines of s. */
static double pdf_head_h(const PdfStack *s, int n)
{
    double h = 0;
    for (int i = 0; i < n && i < s->n; i++)
        h += s->v[i].h;
    return h;
}

/* ---- tables ---- */

static double pdf_row_h(const PdfRow *r)
{
    double h = 0;
    for (int c = 0; c < r->n; c++) {
        double ch = 0;
        for (int i = r->cells[c].from; i < r->cells[c].st.n; i++)
            ch += r->cells[c].st.v[i].h;
        if (ch > h)
            h = ch;
    }
    return h + 2 * PDF_CELL_PAD;
}

static int pdf_row_done(const PdfRow *r)
{
    for (int c = 0; c < r->n; c++)
        if (r->cells[c].from < r->cells[c].st.n)
            return 0;
    return 1;
}

/* Draw the part of row r that fits in height `room` (the whole row when it
 * fits) at the current y; returns the height drawn and leaves cell->from at
 * the first line not drawn. */
static double pdf_row_draw(Pdf *p, PdfRow *r, double x0, double room)
{
    cairo_t *cr = p->cr;
    double inner = room - 2 * PDF_CELL_PAD, h = 0;
    int some = 0;
    int *upto = xcalloc((size_t)r->n, sizeof *upto);
    for (int c = 0; c < r->n; c++) {
        PdfCell *cell = &r->cells[c];
        double used = 0;
        int i = cell->from;
        while (i < cell->st.n && used + cell->st.v[i].h <= inner + 0.01)
            used += cell->st.v[i++].h;
        upto[c] = i;
        if (used > h)
            h = used;
        if (i > cell->from)
            some = 1;
    }
    if (!some && !pdf_row_done(r)) {
        free(upto);
        return 0; /* not one line fits: the caller turns the page */
    }
    h += 2 * PDF_CELL_PAD;
    for (int c = 0; c < r->n; c++) {
        PdfCell *cell = &r->cells[c];
        if (cell->fill != 0xFFFFFF) {
            pdf_rgb(cr, cell->fill);
            cairo_rectangle(cr, x0 + cell->x, p->y, cell->w, h);
            cairo_fill(cr);
        }
        pdf_rgb(cr, PDF_RULE_GREY);
        cairo_set_line_width(cr, PDF_RULE);
        cairo_rectangle(cr, x0 + cell->x, p->y, cell->w, h);
        cairo_stroke(cr);
        double y = p->y + PDF_CELL_PAD;
        for (int i = cell->from; i < upto[c]; i++) {
            pdf_draw_line(p, &cell->st.v[i], x0 + cell->x + PDF_CELL_PAD, y);
            y += cell->st.v[i].h;
        }
        cell->from = upto[c];
    }
    free(upto);
    return h;
}

/* Draw the header rows, and rewind them for the next page. */
static void pdf_heads(Pdf *p, PdfRow *rows, int nhead, double x0)
{
    for (int k = 0; k < nhead; k++) {
        p->y += pdf_row_draw(p, &rows[k], x0, PDF_PAGE_H);
        for (int c = 0; c < rows[k].n; c++)
            rows[k].cells[c].from = 0;
    }
}

/* The height a table needs free before it starts: all of it when it fits on
 * one page, else its header rows and first PAPER_KEEP_ROWS rows (at most a page). */
static double pdf_table_keep_h(const PdfRow *rows, int nrows, int nhead)
{
    double all = 0, start = 0, page = PDF_BOTTOM - PDF_MARGIN_T;
    for (int r = 0; r < nrows; r++) {
        double h = pdf_row_h(&rows[r]);
        all += h;
        if (r < nhead + PAPER_KEEP_ROWS)
            start += h;
    }
    return all <= page ? all : fmin(start, page);
}

/* Draw a table: nhead header rows, repeated on every page it runs onto. A
 * table that fits on a page is never split; a longer one breaks with at least
 * PAPER_KEEP_ROWS rows on each side (when its rows allow). */
static void pdf_table_draw(Pdf *p, PdfRow *rows, int nrows, int nhead, double x0)
{
    double head_h = 0;
    for (int r = 0; r < nhead; r++)
        head_h += pdf_row_h(&rows[r]);
    double body = PDF_BOTTOM - PDF_MARGIN_T - head_h;
    if (pdf_table_keep_h(rows, nrows, nhead) > pdf_room(p) + 0.01 && p->y > PDF_MARGIN_T)
        pdf_new_page(p);
    pdf_heads(p, rows, nhead, x0);
    int onpage = 0; /* body rows drawn on this page */
    for (int r = nhead; r < nrows; r++) {
        PdfRow *row = &rows[r];
        double full = pdf_row_h(row);
        int brk = full > pdf_room(p) && full <= body;
        /* no row left alone at the top of the next page: the last PAPER_KEEP_ROWS
         * go over together when that still leaves as many here */
        if (!brk && r == nrows - PAPER_KEEP_ROWS && onpage >= PAPER_KEEP_ROWS) {
            double rest = 0;
            for (int k = r; k < nrows; k++)
                rest += pdf_row_h(&rows[k]);
            brk = rest > pdf_room(p) + 0.01 && rest <= body;
        }
        if (brk) {
            pdf_new_page(p);
            pdf_heads(p, rows, nhead, x0);
            onpage = 0;
        }
        onpage++;
        for (;;) { /* a row taller than a page breaks between its lines */
            p->y += pdf_row_draw(p, row, x0, pdf_room(p));
            if (pdf_row_done(row))
                break;
            pdf_new_page(p);
            pdf_heads(p, rows, nhead, x0);
            onpage = 1;
        }
    }
}

static void pdf_rows_free(PdfRow *rows, int nrows)
{
    for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < rows[r].n; c++)
            pdf_stack_release(&rows[r].cells[c].st);
        free(rows[r].cells);
    }
    free(rows);
}

static PdfCell *pdf_row_cells(PdfRow *row, int n)
{
    row->cells = xcalloc((size_t)n, sizeof *row->cells);
    row->n = n;
    for (int c = 0; c < n; c++)
        row->cells[c].fill = 0xFFFFFF;
    return row->cells;
}

/* Natural (unwrapped) width of text at pt. */
static double pdf_text_w(Pdf *p, const char *text, double pt, int style)
{
    PangoLayout *lay = pdf_layout(p, pt, style, -1, DOC_ALIGN_LEFT);
    pango_layout_set_text(lay, text ? text : "", -1);
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    g_object_unref(lay);
    return (double)w / PANGO_SCALE;
}

/* Column widths for a data table: figures keep their natural width, text
 * columns share the rest. */
static void pdf_table_widths(Pdf *p, const DocTable *t, double total, double *w)
{
    double sum = 0, text_sum = 0;
    int *is_text = xcalloc((size_t)t->ncols, sizeof *is_text);
    for (int c = 0; c < t->ncols; c++) {
        double nat = t->has_head ? pdf_text_w(p, t->head[c].text, PDF_TABLE_PT, DOC_BOLD) : 0;
        int numeric = 1;
        for (int r = 0; r < t->nrows; r++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            double cw = pdf_text_w(p, cell->text, PDF_TABLE_PT, cell->rag != DOC_RAG_NONE ? DOC_BOLD : 0);
            if (cw > nat)
                nat = cw;
            if (!cell->numeric && cell->text[0])
                numeric = 0;
        }
        w[c] = nat + 2 * PDF_CELL_PAD + 2;
        is_text[c] = !numeric;
        sum += w[c];
        if (is_text[c])
            text_sum += w[c];
    }
    if (sum > total && text_sum > 0) { /* shrink the text columns */
        double room = total - (sum - text_sum);
        for (int c = 0; c < t->ncols; c++)
            if (is_text[c]) {
                w[c] = w[c] / text_sum * room;
                if (w[c] < PDF_MIN_COL)
                    w[c] = PDF_MIN_COL;
            }
    } else if (sum < total) { /* widen: the first text column takes the slack */
        int c0 = -1;
        for (int c = 0; c < t->ncols && c0 < 0; c++)
            if (is_text[c])
                c0 = c;
        if (c0 >= 0)
            w[c0] += total - sum;
        else
            for (int c = 0; c < t->ncols; c++)
                w[c] += (total - sum) / t->ncols;
    }
    /* whatever the rounding, the columns add up to the total */
    sum = 0;
    for (int c = 0; c < t->ncols; c++)
        sum += w[c];
    for (int c = 0; c < t->ncols; c++)
        w[c] *= total / sum;
    free(is_text);
}

static void pdf_place(PdfCell *cells, int n, const double *w)
{
    double x = 0;
    for (int c = 0; c < n; c++) {
        cells[c].x = x;
        cells[c].w = w[c];
        x += w[c];
    }
}

static void pdf_caption(Pdf *p, const char *text, double keep_h)
{
    PdfStack s = {0};
    pdf_plain(p, &s, text, PDF_BODY_PT, DOC_BOLD, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_INK);
    pdf_gap(&s, 3);
    if (s.h + keep_h > pdf_room(p))
        pdf_new_page(p);
    pdf_flow(p, &s, PDF_MARGIN_L);
    pdf_stack_release(&s);
}

static void pdf_table(Pdf *p, const DocTable *t)
{
    int nrows = t->nrows + (t->has_head ? 1 : 0), r0 = 0;
    PdfRow *rows = xcalloc((size_t)nrows + 1, sizeof *rows);
    double *w = xcalloc((size_t)t->ncols, sizeof *w);
    pdf_table_widths(p, t, PDF_CONTENT_W, w);
    if (t->has_head) {
        PdfCell *cells = pdf_row_cells(&rows[0], t->ncols);
        for (int c = 0; c < t->ncols; c++) {
            cells[c].fill = PDF_HEAD_FILL;
            pdf_plain(p, &cells[c].st, t->head[c].text, PDF_TABLE_PT, DOC_BOLD, 0, w[c] - 2 * PDF_CELL_PAD,
                      t->head[c].align, PDF_INK);
        }
        pdf_place(cells, t->ncols, w);
        r0 = 1;
    }
    for (int r = 0; r < t->nrows; r++) {
        PdfCell *cells = pdf_row_cells(&rows[r0 + r], t->ncols);
        for (int c = 0; c < t->ncols; c++) {
            const DocCell *dc = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            DocAlign al = dc->numeric ? DOC_ALIGN_RIGHT : dc->align;
            if (dc->rag != DOC_RAG_NONE)
                cells[c].fill = render_paper_rag_rgb(dc->rag, 0);
            pdf_plain(p, &cells[c].st, dc->text, PDF_TABLE_PT, dc->rag != DOC_RAG_NONE ? DOC_BOLD : 0, 0,
                      w[c] - 2 * PDF_CELL_PAD, al,
                      dc->rag != DOC_RAG_NONE ? render_paper_rag_rgb(dc->rag, 1) : PDF_INK);
        }
        pdf_place(cells, t->ncols, w);
    }
    if (t->caption)
        pdf_caption(p, t->caption, pdf_table_keep_h(rows, nrows, r0));
    pdf_table_draw(p, rows, nrows, r0, PDF_MARGIN_L);
    pdf_rows_free(rows, nrows);
    free(w);
    PdfStack s = {0};
    for (int i = 0; i < t->nnotes; i++) {
        Buf note = BUF_INIT;
        buf_printf(&note, "Note: %s", t->notes[i]);
        pdf_gap(&s, 2);
        pdf_plain(p, &s, buf_cstr(&note), PDF_SMALL_PT, DOC_ITALIC, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_FOOT_INK);
        buf_release(&note);
    }
    p->y += 2;
    pdf_flow(p, &s, PDF_MARGIN_L);
    pdf_stack_release(&s);
    p->y += PDF_PARA_GAP * 1.5;
}

static void pdf_blocks_stack(Pdf *p, PdfStack *s, const DocBlocks *bl, double pt, double width);

/* A project card: title across, then What is it? / Lead Partner / RAG Status. */
static void pdf_card(Pdf *p, const DocCard *card)
{
    PdfRow rows[4];
    int n = 0;
    double w2[2] = {PDF_CARD_LABEL_W, PDF_CONTENT_W - PDF_CARD_LABEL_W}, w1[1] = {PDF_CONTENT_W};
    double inner = w2[1] - 2 * PDF_CELL_PAD;
    memset(rows, 0, sizeof rows);

    PdfCell *c = pdf_row_cells(&rows[n++], 1);
    c[0].fill = PDF_HEAD_FILL;
    pdf_plain(p, &c[0].st, card->title, PDF_BODY_PT, DOC_BOLD, 0, w1[0] - 2 * PDF_CELL_PAD, DOC_ALIGN_LEFT, PDF_INK);
    pdf_place(c, 1, w1);
    if (card->what.n > 0) {
        c = pdf_row_cells(&rows[n++], 2);
        c[0].fill = PDF_LABEL_FILL;
        pdf_plain(p, &c[0].st, "What is it?", PDF_TABLE_PT, DOC_BOLD, 0, w2[0] - 2 * PDF_CELL_PAD, DOC_ALIGN_LEFT,
                  PDF_INK);
        pdf_blocks_stack(p, &c[1].st, &card->what, PDF_TABLE_PT, inner);
        pdf_place(c, 2, w2);
    }
    if (card->lead) {
        c = pdf_row_cells(&rows[n++], 2);
        c[0].fill = PDF_LABEL_FILL;
        pdf_plain(p, &c[0].st, "Lead Partner", PDF_TABLE_PT, DOC_BOLD, 0, w2[0] - 2 * PDF_CELL_PAD,
                  DOC_ALIGN_LEFT, PDF_INK);
        pdf_plain(p, &c[1].st, card->lead, PDF_TABLE_PT, 0, 0, inner, DOC_ALIGN_LEFT, PDF_INK);
        pdf_place(c, 2, w2);
    }
    c = pdf_row_cells(&rows[n++], 2);
    c[0].fill = PDF_LABEL_FILL;
    pdf_plain(p, &c[0].st, "RAG Status", PDF_TABLE_PT, DOC_BOLD, 0, w2[0] - 2 * PDF_CELL_PAD, DOC_ALIGN_LEFT,
              PDF_INK);
    pdf_badge(p, &c[1].st, card->rag, PDF_TABLE_PT, 0);
    pdf_gap(&c[1].st, 3);
    pdf_blocks_stack(p, &c[1].st, &card->commentary, PDF_TABLE_PT, inner);
    pdf_place(c, 2, w2);
    /* keep the title with the first row */
    double keep = pdf_row_h(&rows[0]) + (n > 1 ? fmin(pdf_row_h(&rows[1]), 60) : 0);
    if (keep > pdf_room(p))
        pdf_new_page(p);
    pdf_table_draw(p, rows, n, 0, PDF_MARGIN_L);
    for (int r = 0; r < n; r++) {
        for (int k = 0; k < rows[r].n; k++)
            pdf_stack_release(&rows[r].cells[k].st);
        free(rows[r].cells);
    }
    p->y += PDF_PARA_GAP * 2;
}

/* The frame's labelled values: labels above, values below. */
static void pdf_fields(Pdf *p, const DocFields *f)
{
    if (f->n == 0)
        return;
    PdfRow rows[2];
    double *w = xcalloc((size_t)f->n, sizeof *w), sum = 0;
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < f->n; i++) {
        double a = pdf_text_w(p, f->v[i].label, PDF_TABLE_PT, DOC_BOLD);
        double b = pdf_text_w(p, f->v[i].value, PDF_TABLE_PT, 0);
        w[i] = fmax(fmin(fmax(a, b), PDF_CONTENT_W * PDF_FIELD_MAX), PDF_FIELD_MIN) + 2 * PDF_CELL_PAD;
        sum += w[i];
    }
    for (int i = 0; i < f->n; i++)
        w[i] *= PDF_CONTENT_W / sum;
    PdfCell *h = pdf_row_cells(&rows[0], f->n), *v = pdf_row_cells(&rows[1], f->n);
    for (int i = 0; i < f->n; i++) {
        h[i].fill = PDF_LABEL_FILL;
        pdf_plain(p, &h[i].st, f->v[i].label, PDF_TABLE_PT, DOC_BOLD, 0, w[i] - 2 * PDF_CELL_PAD, DOC_ALIGN_LEFT,
                  PDF_INK);
        pdf_plain(p, &v[i].st, f->v[i].value, PDF_TABLE_PT, 0, 0, w[i] - 2 * PDF_CELL_PAD, DOC_ALIGN_LEFT, PDF_INK);
    }
    pdf_place(h, f->n, w);
    pdf_place(v, f->n, w);
    pdf_table_draw(p, rows, 2, 0, PDF_MARGIN_L);
    for (int r = 0; r < 2; r++) {
        for (int k = 0; k < rows[r].n; k++)
            pdf_stack_release(&rows[r].cells[k].st);
        free(rows[r].cells);
    }
    free(w);
    p->y += PDF_PARA_GAP * 2;
}

/* A ticked list, `columns` items to a row, each followed by its tick cell;
 * an unticked item's cell is empty and the tick is a character, not a colour. */
static void pdf_ticks(Pdf *p, const DocTicks *t)
{
    int cols = t->columns > 0 ? t->columns : 1;
    int nrows = (t->n + cols - 1) / cols;
    PdfRow *rows = xcalloc((size_t)nrows + 1, sizeof *rows);
    double *w = xcalloc((size_t)cols * 2, sizeof *w);
    for (int c = 0; c < cols; c++) {
        w[2 * c] = PDF_CONTENT_W / cols - PDF_TICK_W;
        w[2 * c + 1] = PDF_TICK_W;
    }
    for (int r = 0; r < nrows; r++) {
        PdfCell *cells = pdf_row_cells(&rows[r], cols * 2);
        for (int c = 0; c < cols; c++) {
            int k = r * cols + c;
            if (k >= t->n)
                continue;
            pdf_text(p, &cells[2 * c].st, &t->v[k].text, PDF_TABLE_PT, 0, 0, w[2 * c] - 2 * PDF_CELL_PAD,
                     DOC_ALIGN_LEFT);
            if (t->v[k].ticked)
                pdf_plain(p, &cells[2 * c + 1].st, PDF_TICK, PDF_BODY_PT, DOC_BOLD, 0, PDF_TICK_W - 2 * PDF_CELL_PAD,
                          DOC_ALIGN_CENTER, PDF_INK);
        }
        pdf_place(rows[r].cells, cols * 2, w);
    }
    pdf_table_draw(p, rows, nrows, 0, PDF_MARGIN_L);
    pdf_rows_free(rows, nrows);
    free(w);
    p->y += PDF_PARA_GAP * 2;
}

static void pdf_chart(Pdf *p, const DocChart *c)
{
    double h = chart_cairo_height(c, PDF_CONTENT_W);
    PdfStack s = {0};
    pdf_plain(p, &s, c->title, PDF_BODY_PT, DOC_BOLD, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_INK);
    pdf_gap(&s, 4);
    if (s.h + h > pdf_room(p))
        pdf_new_page(p);
    pdf_flow(p, &s, PDF_MARGIN_L);
    pdf_stack_release(&s);
    cairo_save(p->cr);
    cairo_translate(p->cr, PDF_MARGIN_L, p->y);
    chart_cairo_draw(p->cr, c, PDF_CONTENT_W, h);
    cairo_restore(p->cr);
    p->y += h + 4;
    /* The text alternative (chart_describe) is not printed: the bars carry
     * their figures, and the words belong to the HTML's <desc> and the Word
     * image's alt text, not to the printed page. An SPC chart's key is. */
    Buf key = BUF_INIT;
    chart_key(c, &key);
    if (key.len) {
        memset(&s, 0, sizeof s);
        pdf_plain(p, &s, buf_cstr(&key), PDF_SMALL_PT, 0, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_FOOT_INK);
        pdf_flow(p, &s, PDF_MARGIN_L);
        pdf_stack_release(&s);
    }
    buf_release(&key);
    p->y += PDF_PARA_GAP * 2;
}

/* Blocks that can live inside a cell (paragraphs, lists, headings) as one
 * stack; other kinds inside a cell are shown as their plain text. */
static void pdf_blocks_stack(Pdf *p, PdfStack *s, const DocBlocks *bl, double pt, double width)
{
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        pdf_gap(s, pt * 0.5);
        switch (b->kind) {
        case DOC_PARA:
            pdf_text(p, s, &b->u.para, pt, 0, 0, width, DOC_ALIGN_LEFT);
            break;
        case DOC_HEADING:
            pdf_text(p, s, &b->u.heading.text, pt, DOC_BOLD, 0, width, DOC_ALIGN_LEFT);
            break;
        case DOC_LIST:
            pdf_list(p, s, &b->u.list, pt, 0, width);
            break;
        default:
            break;
        }
    }
}

static void pdf_heading(Pdf *p, const DocBlock *b)
{
    static const double sizes[] = PDF_H_PT;
    int level = b->u.heading.level;
    PdfStack s = {0};
    Buf title = BUF_INIT;
    if (p->y > PDF_MARGIN_T)
        p->y += level == 1 ? 6 : 8;
    pdf_text(p, &s, &b->u.heading.text, sizes[level - 1], DOC_BOLD, 0, PDF_CONTENT_W,
             level == 1 ? DOC_ALIGN_CENTER : DOC_ALIGN_LEFT);
    pdf_gap(&s, level == 1 ? 10 : 5);
    double keep = s.h + PDF_KEEP_LINES * PDF_BODY_PT * PDF_LEADING * 1.2;
    if (keep > pdf_room(p))
        pdf_new_page(p);
    if (p->final) {
        char dest[96];
        doc_text_plain(&b->u.heading.text, &title);
        snprintf(dest, sizeof dest, "page=%d pos=[%.1f %.1f]", p->page, PDF_MARGIN_L, p->y);
        int parent = level > 1 ? p->outline[level - 1] : CAIRO_PDF_OUTLINE_ROOT;
        p->outline[level] = cairo_pdf_surface_add_outline(p->surface, parent, buf_cstr(&title), dest, 0);
        for (int l = level + 1; l <= DOC_HEADING_MAX; l++)
            p->outline[l] = p->outline[level];
    }
    pdf_flow(p, &s, PDF_MARGIN_L);
    pdf_stack_release(&s);
    buf_release(&title);
}

static void pdf_signature(Pdf *p, const DocSignature *sig)
{
    PdfStack s = {0};
    p->y += PDF_PARA_GAP * 2;
    if (sig->name)
        pdf_plain(p, &s, sig->name, PDF_BODY_PT, DOC_BOLD, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_INK);
    if (sig->title)
        pdf_plain(p, &s, sig->title, PDF_BODY_PT, DOC_BOLD, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_INK);
    if (sig->papers) {
        pdf_gap(&s, PDF_PARA_GAP * 2);
        pdf_plain(p, &s, sig->papers, PDF_BODY_PT, 0, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT, PDF_INK);
    }
    if (s.h <= PDF_BOTTOM - PDF_MARGIN_T && s.h > pdf_room(p))
        pdf_new_page(p);
    pdf_flow(p, &s, PDF_MARGIN_L);
    pdf_stack_release(&s);
    p->y += PDF_PARA_GAP * 2;
}

static void pdf_body_range(Pdf *p, const DocBlocks *bl, int from, int to);
static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int len);

/* Lay blocks [from, to) out from the top of a scratch page; returns the
 * height they take, or a height above a page when they run onto another. */
static double pdf_measure(PdfMeasures *cache, const DocBlocks *bl, int from, int to)
{
    for (int k = 0; k < cache->n; k++)
        if (cache->v[k].bl == bl && cache->v[k].from == from && cache->v[k].to == to)
            return cache->v[k].h;
    Pdf m;
    memset(&m, 0, sizeof m);
    m.scratch = 1;
    if (!cache->surface) {
        cache->surface = cairo_pdf_surface_create_for_stream(pdf_write, NULL, PDF_PAGE_W, PDF_PAGE_H);
        cache->cr = cairo_create(cache->surface);
    }
    m.surface = cache->surface;
    m.cr = cache->cr;
    pdf_new_page(&m);
    pdf_body_range(&m, bl, from, to);
    double h = m.page > 1 ? 2 * PDF_PAGE_H : m.y - PDF_MARGIN_T;
    cairo_show_page(m.cr); /* the next measure starts on a blank page */
    buf_release(&m.footer);
    if (cache->n == cache->cap) {
        cache->cap = cache->cap ? cache->cap * 2 : 16;
        cache->v = xrealloc(cache->v, (size_t)cache->cap * sizeof *cache->v);
    }
    cache->v[cache->n].bl = bl;
    cache->v[cache->n].from = from;
    cache->v[cache->n].to = to;
    cache->v[cache->n++].h = h;
    return h;
}

/* Keep block i with what follows it: a heading or lead-in and the blocks up
 * to the first that does not lead in. When the group fits on a page but not
 * in the room left, turn the page; when it is longer than a page, keep the
 * lead-ins with a few lines of what follows. */
static void pdf_keep(Pdf *p, const DocBlocks *bl, int i)
{
    int j = i;
    while (j + 1 < bl->n && render_paper_leads_in(bl->v[j]))
        j++;
    if (j == i || p->y <= PDF_MARGIN_T)
        return;
    double slack = PDF_PARA_GAP * 2; /* the space after the last block may hang over */
    /* a heading, its short introduction and the table or chart it introduces
     * go together when they fit on a page */
    int k = j + 1;
    if (bl->v[i]->kind == DOC_HEADING && j - i <= 2 && k < bl->n &&
        (bl->v[j]->kind == DOC_PARA || bl->v[j]->kind == DOC_LIST) &&
        (bl->v[k]->kind == DOC_TABLE || bl->v[k]->kind == DOC_CHART || bl->v[k]->kind == DOC_TICKS)) {
        double whole = pdf_measure(p->measured, bl, i, k + 1);
        if (whole <= PDF_BOTTOM - PDF_MARGIN_T) {
            if (whole > pdf_room(p) + slack)
                pdf_new_page(p);
            return;
        }
    }
    double all = pdf_measure(p->measured, bl, i, j + 1);
    if (all <= PDF_BOTTOM - PDF_MARGIN_T) {
        if (all > pdf_room(p) + slack)
            pdf_new_page(p);
        return;
    }
    double lead = pdf_measure(p->measured, bl, i, j) + PDF_KEEP_LINES * PDF_BODY_PT * PDF_LEADING * 1.2;
    if (lead <= PDF_BOTTOM - PDF_MARGIN_T && lead > pdf_room(p))
        pdf_new_page(p);
}

static void pdf_body(Pdf *p, const DocBlocks *bl)
{
    pdf_body_range(p, bl, 0, bl->n);
}

static void pdf_body_range(Pdf *p, const DocBlocks *bl, int from, int to)
{
    for (int i = from; i < to; i++) {
        const DocBlock *b = bl->v[i];
        PdfStack s = {0};
        if (!p->scratch && render_paper_leads_in(b))
            pdf_keep(p, bl, i);
        switch (b->kind) {
        case DOC_HEADING:
            pdf_heading(p, b);
            break;
        case DOC_PARA:
            pdf_text(p, &s, &b->u.para, PDF_BODY_PT, 0, 0, PDF_CONTENT_W, DOC_ALIGN_LEFT);
            /* two lines together at the foot of a page, or none */
            if (s.n > 1 && pdf_head_h(&s, 2) > pdf_room(p))
                pdf_new_page(p);
            pdf_flow(p, &s, PDF_MARGIN_L);
            p->y += PDF_PARA_GAP;
            break;
        case DOC_LIST:
            pdf_list(p, &s, &b->u.list, PDF_BODY_PT, 0, PDF_CONTENT_W);
            if (s.n > 1 && pdf_head_h(&s, 2) > pdf_room(p))
                pdf_new_page(p);
            pdf_flow(p, &s, PDF_MARGIN_L);
            p->y += PDF_PARA_GAP;
            break;
        case DOC_TABLE:
            pdf_table(p, &b->u.table);
            break;
        case DOC_CHART:
            pdf_chart(p, &b->u.chart);
            break;
        case DOC_CARD:
            pdf_card(p, &b->u.card);
            break;
        case DOC_FIELDS:
            pdf_fields(p, &b->u.fields);
            break;
        case DOC_TICKS:
            pdf_ticks(p, &b->u.ticks);
            break;
        case DOC_SIGNATURE:
            pdf_signature(p, &b->u.sig);
            break;
        }
        pdf_stack_release(&s);
    }
}

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int len)
{
    if (closure)
        buf_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* One pass over the document; out NULL discards the bytes (the counting pass).
 * Returns the number of pages, or -1 with err set. */
static int pdf_pass(const Doc *doc, const PaperMeta *meta, int npages, PdfMeasures *measured, Buf *out,
                    Err *err)
{
    Pdf p;
    memset(&p, 0, sizeof p);
    p.measured = measured;
    p.final = out != NULL;
    p.npages = npages;
    render_paper_footer(meta, &p.footer);
    p.surface = cairo_pdf_surface_create_for_stream(pdf_write, out, PDF_PAGE_W, PDF_PAGE_H);
    if (p.final) {
        if (meta->title.len)
            cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, buf_cstr(&meta->title));
        cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "kpi");
        if (meta->doc_id.len)
            cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT, buf_cstr(&meta->doc_id));
    }
    p.cr = cairo_create(p.surface);
    pdf_new_page(&p);
    pdf_body(&p, &doc->body);
    pdf_footer(&p);
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_status_t st = cairo_surface_status(p.surface);
    cairo_surface_destroy(p.surface);
    buf_release(&p.footer);
    if (st != CAIRO_STATUS_SUCCESS)
        return err_set(err, "cannot make the PDF: %s", cairo_status_to_string(st));
    return p.page;
}

int render_pdf(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err)
{
    PaperMeta meta;
    (void)opts;
    PdfMeasures measured = {0};
    if (lazy_gfx_load(err) < 0)
        return -1;
    render_paper_meta(doc, &meta);
    int pages = pdf_pass(doc, &meta, 0, &measured, NULL, err);
    if (pages > 0)
        pages = pdf_pass(doc, &meta, pages, &measured, out, err);
    render_paper_meta_release(&meta);
    free(measured.v);
    if (measured.surface) {
        cairo_destroy(measured.cr);
        cairo_surface_finish(measured.surface);
        cairo_surface_destroy(measured.surface);
    }
    return pages < 0 ? -1 : 0;
}
