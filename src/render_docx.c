/* render_docx.c — the paper as an editable Word document. The OOXML parts
 * are written here as text and zipped with libzip; every piece of text goes
 * through xml_escape (xml.c), markup only from literals. Headings are Heading
 * 1..3, paragraphs and lists are in named styles (lists use real Word
 * numbering, so "9." stays 9 and later items follow), tables are real tables
 * whose header rows repeat across pages, charts are PNG images drawn by
 * chart_cairo.c with their text alternative as alt text, RAG is the word on
 * its colour. Each page has a footer: the doc id and date, "Page N of M".
 *
 * The paper keeps together as the PDF does (render_paper.h), in Word's terms:
 * no table row splits (w:cantSplit), header rows repeat (w:tblHeader);
 * headings and lead-ins keep with the next paragraph (w:keepNext); a table
 * that fits on a page has w:keepNext on the paragraphs of every row but the
 * last, so Word moves it whole; a longer one keeps its header with the first
 * PAPER_KEEP_ROWS rows and its last PAPER_KEEP_ROWS rows together. Word lays
 * out its own pages, so "fits" is estimated here from the lines of each cell
 * (docx_table_fits).
 *
 * With a reference document (RenderOpts.reference_doc, `--reference-doc`),
 * as document converters do: its styles.xml is used, with any style this
 * writer needs and it lacks added; its theme; its page set-up (the body's
 * section properties, verbatim) and the headers and footers those name,
 * with the parts they use (a logo). */
#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "chart.h"
#include "chart_cairo.h"
#include "render_paper.h"
#include "xml.h"
#include "lazy_gfx.h" /* after the library's header */
#include "lazy_zip.h" /* after the library's header */

#define DOCX_TEXT_W 9638        /* twips between A4 margins of 2 cm */
#define DOCX_PAGE_W 11906       /* A4, twips */
#define DOCX_PAGE_H 16838
#define DOCX_MARGIN 1134        /* 2 cm */
#define DOCX_BODY_H (DOCX_PAGE_H - 2 * DOCX_MARGIN) /* twips of text on a page */
#define DOCX_TABLE_LINE 230     /* a line of Table Text: 9.5 pt Arial at single spacing, 1.15 em, rounded up */
#define DOCX_TABLE_ROW_PAD 100  /* what a row adds: Table Text's 2 pt before and after, the rule */
#define DOCX_CELL_MAR 85        /* twips of the table style's cell margins, each side */
#define DOCX_KEEP "<w:keepNext/>"
#define DOCX_TWIPS_PER_PT 20
#define DOCX_EMU_PER_PT 12700
#define DOCX_CHART_SCALE 2.5    /* PNG pixels per point (180 dpi) */
#define DOCX_CHAR_TWIPS 125     /* rough width of a character of table text */
#define DOCX_CELL_PAD 200       /* twips a cell adds to its text */
#define DOCX_MIN_COL 700
#define DOCX_LABEL_COL 1900     /* label column of a project card */
#define DOCX_TICK_COL 500       /* tick column of a ticked list */
#define DOCX_LIST_INDENT 425    /* twips per list level */
#define DOCX_NUM_BULLET 1       /* numId of the bullet lists */
#define DOCX_ABS_BULLET 0       /* abstractNumId of bullets */
#define DOCX_ABS_DECIMAL 1      /* abstractNumId of numbered paragraphs */
#define DOCX_HEAD_FILL 0xDFE7EF
#define DOCX_LABEL_FILL 0xF3F6F9
#define DOCX_MAX_PART (64L * 1024 * 1024) /* bytes of a reference part read */

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT_BASE "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

typedef struct DocxPart {
    char *name;           /* path in the package */
    Buf data;
    char *content_type;   /* Override in [Content_Types].xml; NULL for Default ones */
} DocxPart;

typedef struct DocxNum {
    int abs;              /* abstractNumId */
    int start;            /* startOverride, 0 = none */
} DocxNum;

typedef struct Docx {
    Buf body;             /* the <w:body> content */
    Buf rels;             /* extra <Relationship> of document.xml */
    DocxPart *parts;
    int nparts, capparts;
    DocxNum *nums;        /* numId i+1 */
    int nnums;
    int images;           /* charts so far */
    PaperMeta meta;
    Buf sectpr;           /* the reference's section properties, verbatim; empty = ours */
    int keep_cell;        /* paragraphs written in a cell keep with the next (their row with the next row) */
    Err *err;
    int failed;
} Docx;

/* ---- package parts ---- */

static Buf *docx_part(Docx *d, const char *name, const char *content_type)
{
    if (d->nparts == d->capparts) {
        d->capparts = d->capparts ? d->capparts * 2 : 16;
        d->parts = xrealloc(d->parts, (size_t)d->capparts * sizeof *d->parts);
    }
    DocxPart *p = &d->parts[d->nparts++];
    p->name = xstrdup(name);
    buf_init(&p->data);
    p->content_type = content_type ? xstrdup(content_type) : NULL;
    return &p->data;
}

static int docx_has_part(const Docx *d, const char *name)
{
    for (int i = 0; i < d->nparts; i++)
        if (strcmp(d->parts[i].name, name) == 0)
            return 1;
    return 0;
}

static void docx_rel(Buf *rels, const char *id, const char *type, const char *target)
{
    buf_puts(rels, "<Relationship Id=\"");
    xml_puts(rels, id);
    buf_puts(rels, "\" Type=\"");
    xml_puts(rels, type);
    buf_puts(rels, "\" Target=\"");
    xml_puts(rels, target);
    buf_puts(rels, "\"/>");
}

/* ---- runs and paragraphs ---- */

/* A run of text; newlines become line breaks. */
static void docx_run(Buf *out, const char *text, int style, const char *extra_rpr)
{
    buf_puts(out, "<w:r>");
    if (style || extra_rpr) {
        buf_puts(out, "<w:rPr>");
        if (style & DOC_BOLD)
            buf_puts(out, "<w:b/>");
        if (style & DOC_ITALIC)
            buf_puts(out, "<w:i/>");
        if (extra_rpr)
            buf_puts(out, extra_rpr);
        buf_puts(out, "</w:rPr>");
    }
    const char *s = text ? text : "";
    for (;;) {
        size_t n = strcspn(s, "\n");
        buf_puts(out, "<w:t xml:space=\"preserve\">");
        xml_escape(out, s, n);
        buf_puts(out, "</w:t>");
        if (!s[n])
            break;
        buf_puts(out, "<w:br/>");
        s += n + 1;
    }
    buf_puts(out, "</w:r>");
}

static void docx_runs(Buf *out, const DocText *t)
{
    for (int i = 0; i < t->n; i++)
        docx_run(out, t->spans[i].text, t->spans[i].style, NULL);
}

/* <w:p> opening with a style and optional extra paragraph properties. */
static void docx_p_open(Buf *out, const char *style, const char *ppr)
{
    buf_puts(out, "<w:p>");
    if (style || ppr) {
        buf_puts(out, "<w:pPr>");
        if (style) {
            buf_puts(out, "<w:pStyle w:val=\"");
            xml_puts(out, style);
            buf_puts(out, "\"/>");
        }
        if (ppr)
            buf_puts(out, ppr);
        buf_puts(out, "</w:pPr>");
    }
}

static void docx_para_text(Buf *out, const char *style, const char *ppr, const char *text, int bold)
{
    docx_p_open(out, style, ppr);
    docx_run(out, text, bold ? DOC_BOLD : 0, NULL);
    buf_puts(out, "</w:p>");
}

/* A numbering instance: numId for abstract `abs` starting at `start`. */
static int docx_num(Docx *d, int abs, int start)
{
    d->nums = xrealloc(d->nums, (size_t)(d->nnums + 1) * sizeof *d->nums);
    d->nums[d->nnums].abs = abs;
    d->nums[d->nnums].start = start;
    return ++d->nnums;
}

/* List items as paragraphs with Word numbering. Numbered items that follow
 * on (9, 10, 11) share an instance; a jump starts a new one at its number.
 * Items from keep_from on keep with the next paragraph: l->n for none, the
 * last for a lead-in list, 0 for all (a list in a row that keeps with the next). */
static void docx_list(Docx *d, Buf *out, const DocList *l, const char *style, int keep_from)
{
    int num_id = 0, last = 0;
    for (int i = 0; i < l->n; i++) {
        const DocListItem *it = &l->items[i];
        int id = DOCX_NUM_BULLET, lvl = it->depth;
        if (it->number) {
            if (!num_id || it->number != last + 1)
                num_id = docx_num(d, DOCX_ABS_DECIMAL, it->number);
            last = it->number;
            id = num_id;
            lvl = 0; /* numbered paragraphs number at their own level */
        }
        Buf ppr = BUF_INIT;
        if (i >= keep_from)
            buf_puts(&ppr, DOCX_KEEP);
        buf_printf(&ppr, "<w:numPr><w:ilvl w:val=\"%d\"/><w:numId w:val=\"%d\"/></w:numPr>", lvl, id);
        if (it->number && it->depth)
            buf_printf(&ppr, "<w:ind w:left=\"%d\" w:hanging=\"%d\"/>", DOCX_LIST_INDENT * (it->depth + 1),
                       DOCX_LIST_INDENT);
        docx_p_open(out, style, buf_cstr(&ppr));
        docx_runs(out, &it->text);
        buf_puts(out, "</w:p>");
        buf_release(&ppr);
    }
}

/* ---- tables ---- */

static void docx_tbl_open(Buf *out, const int *w, int n, const char *style)
{
    buf_puts(out, "<w:tbl><w:tblPr><w:tblStyle w:val=\"");
    xml_puts(out, style);
    buf_puts(out, "\"/><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblLayout w:type=\"fixed\"/>"
                  "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" "
                  "w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
    for (int c = 0; c < n; c++)
        buf_printf(out, "<w:gridCol w:w=\"%d\"/>", w[c]);
    buf_puts(out, "</w:tblGrid>");
}

static void docx_tr_open(Buf *out, int header)
{
    buf_puts(out, header ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
}

/* <w:tc> with its width, span and fill (0 = none); the caller writes paragraphs and closes it. */
static void docx_tc_open(Buf *out, int w, int span, unsigned fill)
{
    buf_printf(out, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", w);
    if (span > 1)
        buf_printf(out, "<w:gridSpan w:val=\"%d\"/>", span);
    if (fill)
        buf_printf(out, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%06X\"/>", fill);
    buf_puts(out, "</w:tcPr>");
}

/* Paragraph properties: keep with next (keep != 0) and an alignment, in the
 * schema's order; NULL for none. Returns a static string. */
static const char *docx_ppr(int keep, DocAlign a)
{
    static const char *const v[2][3] = {
        {NULL, "<w:jc w:val=\"right\"/>", "<w:jc w:val=\"center\"/>"},
        {DOCX_KEEP, DOCX_KEEP "<w:jc w:val=\"right\"/>", DOCX_KEEP "<w:jc w:val=\"center\"/>"},
    };
    return v[keep != 0][a == DOC_ALIGN_RIGHT ? 1 : a == DOC_ALIGN_CENTER ? 2 : 0];
}

/* A cell holding one paragraph of plain text; keep: w:keepNext (its row keeps with the next). */
static void docx_tc_text(Buf *out, int w, unsigned fill, const char *text, int bold, DocAlign align,
                         const char *rpr, int keep)
{
    docx_tc_open(out, w, 1, fill);
    docx_p_open(out, "TableText", docx_ppr(keep, align));
    docx_run(out, text, bold ? DOC_BOLD : 0, rpr);
    buf_puts(out, "</w:p></w:tc>");
}

/* Run properties that colour a RAG word. */
static void docx_rag_rpr(Buf *out, DocRag r)
{
    buf_printf(out, "<w:color w:val=\"%06X\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%06X\"/>",
               render_paper_rag_rgb(r, 1), render_paper_rag_rgb(r, 0));
}

/* Column widths from text lengths: figures keep theirs, text takes the rest. */
static void docx_widths(const DocTable *t, int *w)
{
    int sum = 0, text_sum = 0;
    int *is_text = xcalloc((size_t)t->ncols, sizeof *is_text);
    for (int c = 0; c < t->ncols; c++) {
        size_t most = t->has_head ? doc_utf8_width(t->head[c].text, strlen(t->head[c].text)) : 0;
        for (int r = 0; r < t->nrows; r++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            size_t n = doc_utf8_width(cell->text, strlen(cell->text));
            if (n > most)
                most = n;
            if (!cell->numeric && cell->text[0])
                is_text[c] = 1;
        }
        w[c] = (int)most * DOCX_CHAR_TWIPS + DOCX_CELL_PAD;
        sum += w[c];
        if (is_text[c])
            text_sum += w[c];
    }
    if (sum > DOCX_TEXT_W && text_sum > 0) {
        int room = DOCX_TEXT_W - (sum - text_sum);
        for (int c = 0; c < t->ncols; c++)
            if (is_text[c])
                w[c] = (int)((double)w[c] / text_sum * room);
    } else if (sum < DOCX_TEXT_W) {
        int c0 = -1;
        for (int c = 0; c < t->ncols && c0 < 0; c++)
            if (is_text[c])
                c0 = c;
        if (c0 >= 0)
            w[c0] += DOCX_TEXT_W - sum;
    }
    sum = 0;
    for (int c = 0; c < t->ncols; c++) {
        if (w[c] < DOCX_MIN_COL)
            w[c] = DOCX_MIN_COL;
        sum += w[c];
    }
    for (int c = 0; c < t->ncols; c++)
        w[c] = (int)((double)w[c] * DOCX_TEXT_W / sum);
    free(is_text);
}

/* Lines a cell of text takes in a column w twips wide (a rough count, on
 * the wide side: DOCX_CHAR_TWIPS is more than an average character). */
static int docx_cell_lines(const char *text, int w)
{
    int per = (w - 2 * DOCX_CELL_MAR) / DOCX_CHAR_TWIPS, lines = 0;
    if (per < 1)
        per = 1;
    for (const char *s = text ? text : "";;) { /* each line of the text wraps on its own */
        size_t n = strcspn(s, "\n");
        int chars = (int)doc_utf8_width(s, n);
        lines += chars ? (chars + per - 1) / per : 1;
        if (!s[n])
            break;
        s += n + 1;
    }
    return lines;
}

/* Does table t, in columns w, fit on a page (the estimate of its height from
 * the lines of its cells is at most a page's text)? */
static int docx_table_fits(const DocTable *t, const int *w)
{
    long h = 0;
    for (int r = t->has_head ? -1 : 0; r < t->nrows; r++) {
        int most = 1;
        for (int c = 0; c < t->ncols; c++) {
            const char *text = r < 0 ? t->head[c].text : t->cells[(size_t)r * (size_t)t->ncols + (size_t)c].text;
            int n = docx_cell_lines(text, w[c]);
            if (n > most)
                most = n;
        }
        h += (long)most * DOCX_TABLE_LINE + DOCX_TABLE_ROW_PAD;
    }
    return h <= DOCX_BODY_H;
}

static void docx_table(Buf *out, const DocTable *t)
{
    int *w = xcalloc((size_t)t->ncols, sizeof *w);
    docx_widths(t, w);
    int nhead = t->has_head ? 1 : 0, nrows = nhead + t->nrows, fits = docx_table_fits(t, w);
    if (t->caption)
        docx_para_text(out, "Caption", DOCX_KEEP, t->caption, 0);
    docx_tbl_open(out, w, t->ncols, "KpiTable");
    if (t->has_head) {
        docx_tr_open(out, 1);
        int keep = render_paper_row_keeps(0, nrows, nhead, fits);
        for (int c = 0; c < t->ncols; c++)
            docx_tc_text(out, w[c], DOCX_HEAD_FILL, t->head[c].text, 1, t->head[c].align, NULL, keep);
        buf_puts(out, "</w:tr>");
    }
    for (int r = 0; r < t->nrows; r++) {
        int keep = render_paper_row_keeps(nhead + r, nrows, nhead, fits);
        docx_tr_open(out, 0);
        for (int c = 0; c < t->ncols; c++) {
            const DocCell *cell = &t->cells[(size_t)r * (size_t)t->ncols + (size_t)c];
            Buf rpr = BUF_INIT;
            if (cell->rag != DOC_RAG_NONE)
                docx_rag_rpr(&rpr, cell->rag);
            docx_tc_text(out, w[c], cell->rag != DOC_RAG_NONE ? render_paper_rag_rgb(cell->rag, 0) : 0, cell->text,
                         cell->rag != DOC_RAG_NONE, cell->numeric ? DOC_ALIGN_RIGHT : cell->align,
                         rpr.len ? buf_cstr(&rpr) : NULL, keep);
            buf_release(&rpr);
        }
        buf_puts(out, "</w:tr>");
    }
    buf_puts(out, "</w:tbl>");
    for (int i = 0; i < t->nnotes; i++) {
        Buf note = BUF_INIT;
        buf_printf(&note, "Note: %s", t->notes[i]);
        docx_para_text(out, "TableNote", NULL, buf_cstr(&note), 0);
        buf_release(&note);
    }
    if (!t->nnotes)
        docx_p_open(out, NULL, NULL), buf_puts(out, "</w:p>"); /* Word runs adjacent tables together */
    free(w);
}

static void docx_blocks(Docx *d, Buf *out, const DocBlocks *bl, int in_cell);

/* Lines the blocks of a cell w twips wide take (docx_cell_lines for each
 * paragraph, list item and heading). */
static int docx_blocks_lines(const DocBlocks *bl, int w)
{
    int lines = 0;
    Buf text = BUF_INIT;
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        const DocText *t = b->kind == DOC_PARA ? &b->u.para : b->kind == DOC_HEADING ? &b->u.heading.text : NULL;
        for (int k = 0; b->kind == DOC_LIST && k < b->u.list.n; k++) {
            buf_reset(&text);
            doc_text_plain(&b->u.list.items[k].text, &text);
            lines += docx_cell_lines(buf_cstr(&text), w - DOCX_LIST_INDENT * (b->u.list.items[k].depth + 1));
        }
        if (t) {
            buf_reset(&text);
            doc_text_plain(t, &text);
            lines += docx_cell_lines(buf_cstr(&text), w);
        }
    }
    buf_release(&text);
    return lines;
}

/* A project card: a table of title, what it is, lead partner, RAG and
 * commentary, kept together as a data table is (render_paper_row_keeps). */
static void docx_card(Docx *d, Buf *out, const DocCard *card)
{
    int w[2] = {DOCX_LABEL_COL, DOCX_TEXT_W - DOCX_LABEL_COL};
    int lines[4], n = 0, r = 0;
    long h = 0;
    lines[n++] = docx_cell_lines(card->title, DOCX_TEXT_W);
    if (card->what.n > 0)
        lines[n++] = docx_blocks_lines(&card->what, w[1]);
    if (card->lead)
        lines[n++] = docx_cell_lines(card->lead, w[1]);
    lines[n++] = 1 + docx_blocks_lines(&card->commentary, w[1]);
    for (int k = 0; k < n; k++)
        h += (long)(lines[k] > 1 ? lines[k] : 1) * DOCX_TABLE_LINE + DOCX_TABLE_ROW_PAD;
    int fits = h <= DOCX_BODY_H, keep;
    docx_tbl_open(out, w, 2, "KpiTable");
    docx_tr_open(out, 1);
    docx_tc_open(out, DOCX_TEXT_W, 2, DOCX_HEAD_FILL);
    keep = render_paper_row_keeps(r++, n, 0, fits);
    docx_para_text(out, "TableText", keep ? DOCX_KEEP : NULL, card->title, 1);
    buf_puts(out, "</w:tc></w:tr>");
    if (card->what.n > 0) {
        keep = render_paper_row_keeps(r++, n, 0, fits);
        docx_tr_open(out, 0);
        docx_tc_text(out, w[0], DOCX_LABEL_FILL, "What is it?", 1, DOC_ALIGN_LEFT, NULL, keep);
        docx_tc_open(out, w[1], 1, 0);
        d->keep_cell = keep;
        docx_blocks(d, out, &card->what, 1);
        d->keep_cell = 0;
        buf_puts(out, "</w:tc></w:tr>");
    }
    if (card->lead) {
        keep = render_paper_row_keeps(r++, n, 0, fits);
        docx_tr_open(out, 0);
        docx_tc_text(out, w[0], DOCX_LABEL_FILL, "Lead Partner", 1, DOC_ALIGN_LEFT, NULL, keep);
        docx_tc_text(out, w[1], 0, card->lead, 0, DOC_ALIGN_LEFT, NULL, keep);
        buf_puts(out, "</w:tr>");
    }
    keep = render_paper_row_keeps(r++, n, 0, fits); /* the last row: never */
    docx_tr_open(out, 0);
    docx_tc_text(out, w[0], DOCX_LABEL_FILL, "RAG Status", 1, DOC_ALIGN_LEFT, NULL, keep);
    docx_tc_open(out, w[1], 1, 0);
    Buf rpr = BUF_INIT;
    docx_rag_rpr(&rpr, card->rag);
    docx_p_open(out, "TableText", NULL);
    docx_run(out, render_paper_rag_word(card->rag), DOC_BOLD, buf_cstr(&rpr));
    buf_puts(out, "</w:p>");
    buf_release(&rpr);
    docx_blocks(d, out, &card->commentary, 1);
    buf_puts(out, "</w:tc></w:tr></w:tbl>");
    docx_p_open(out, NULL, NULL);
    buf_puts(out, "</w:p>");
}

static void docx_fields(Buf *out, const DocFields *f)
{
    if (f->n == 0)
        return;
    int *w = xcalloc((size_t)f->n, sizeof *w), sum = 0;
    for (int i = 0; i < f->n; i++) {
        size_t a = doc_utf8_width(f->v[i].label, strlen(f->v[i].label));
        size_t b = doc_utf8_width(f->v[i].value, strlen(f->v[i].value));
        int n = (int)(a > b ? a : b);
        w[i] = n * DOCX_CHAR_TWIPS;
        if (w[i] < DOCX_MIN_COL * 2)
            w[i] = DOCX_MIN_COL * 2;
        if (w[i] > DOCX_TEXT_W / 2)
            w[i] = DOCX_TEXT_W / 2;
        sum += w[i];
    }
    for (int i = 0; i < f->n; i++)
        w[i] = (int)((double)w[i] * DOCX_TEXT_W / sum);
    docx_tbl_open(out, w, f->n, "KpiTable");
    docx_tr_open(out, 1);
    for (int i = 0; i < f->n; i++)
        docx_tc_text(out, w[i], DOCX_LABEL_FILL, f->v[i].label, 1, DOC_ALIGN_LEFT, NULL,
                     render_paper_row_keeps(0, 2, 1, 1));
    buf_puts(out, "</w:tr>");
    docx_tr_open(out, 0);
    for (int i = 0; i < f->n; i++)
        docx_tc_text(out, w[i], 0, f->v[i].value, 0, DOC_ALIGN_LEFT, NULL, 0);
    buf_puts(out, "</w:tr></w:tbl>");
    docx_p_open(out, NULL, NULL);
    buf_puts(out, "</w:p>");
    free(w);
}

static void docx_ticks(Buf *out, const DocTicks *t)
{
    int cols = t->columns > 0 ? t->columns : 1;
    int *w = xcalloc((size_t)cols * 2, sizeof *w);
    for (int c = 0; c < cols; c++) {
        w[2 * c] = DOCX_TEXT_W / cols - DOCX_TICK_COL;
        w[2 * c + 1] = DOCX_TICK_COL;
    }
    docx_tbl_open(out, w, cols * 2, "KpiTable");
    int nrows = (t->n + cols - 1) / cols, fits = (long)nrows * (DOCX_TABLE_LINE + DOCX_TABLE_ROW_PAD) <= DOCX_BODY_H;
    for (int i = 0; i < t->n; i += cols) {
        int keep = render_paper_row_keeps(i / cols, nrows, 0, fits);
        docx_tr_open(out, 0);
        for (int k = i; k < i + cols; k++) {
            docx_tc_open(out, w[2 * (k - i)], 1, 0);
            docx_p_open(out, "TableText", keep ? DOCX_KEEP : NULL);
            if (k < t->n)
                docx_runs(out, &t->v[k].text);
            buf_puts(out, "</w:p></w:tc>");
            docx_tc_text(out, w[2 * (k - i) + 1], 0, k < t->n && t->v[k].ticked ? "\xe2\x9c\x93" : "", 1,
                         DOC_ALIGN_CENTER, NULL, keep);
        }
        buf_puts(out, "</w:tr>");
    }
    buf_puts(out, "</w:tbl>");
    docx_p_open(out, NULL, NULL);
    buf_puts(out, "</w:p>");
    free(w);
}

/* A chart: its title as a caption, the PNG inline with the text alternative
 * as its alt text. */
static void docx_chart(Docx *d, Buf *out, const DocChart *c)
{
    double wpt = (double)DOCX_TEXT_W / DOCX_TWIPS_PER_PT, hpt = chart_cairo_height(c, wpt);
    Buf name = BUF_INIT, rid = BUF_INIT, target = BUF_INIT, alt = BUF_INIT;
    int n = ++d->images;
    buf_printf(&name, "word/media/kpi-chart%d.png", n);
    buf_printf(&target, "media/kpi-chart%d.png", n);
    buf_printf(&rid, "rIdKpiChart%d", n);
    Buf *png = docx_part(d, buf_cstr(&name), NULL);
    if (chart_cairo_png(c, wpt, hpt, DOCX_CHART_SCALE, png, d->err) < 0)
        d->failed = 1;
    docx_rel(&d->rels, buf_cstr(&rid), REL_BASE "image", buf_cstr(&target));
    chart_describe(c, &alt);
    long cx = lround(wpt * DOCX_EMU_PER_PT), cy = lround(hpt * DOCX_EMU_PER_PT);

    docx_para_text(out, "Caption", DOCX_KEEP, c->title, 0);
    buf_puts(out, "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>"
                  "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">");
    buf_printf(out, "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>", cx, cy);
    buf_printf(out, "<wp:docPr id=\"%d\" name=\"Chart %d\" descr=\"", n, n);
    xml_puts(out, buf_cstr(&alt));
    buf_puts(out, "\" title=\"");
    xml_puts(out, c->title);
    buf_puts(out, "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
                  "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
                  "<pic:pic><pic:nvPicPr>");
    buf_printf(out, "<pic:cNvPr id=\"%d\" name=\"kpi-chart%d.png\" descr=\"", n, n);
    xml_puts(out, buf_cstr(&alt));
    buf_puts(out, "\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"");
    xml_puts(out, buf_cstr(&rid));
    buf_puts(out, "\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>");
    buf_printf(out, "<a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>"
                    "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
               cx, cy);
    Buf key = BUF_INIT; /* an SPC chart's key in words under it (chart_key) */
    chart_key(c, &key);
    if (key.len)
        docx_para_text(out, "TableNote", NULL, buf_cstr(&key), 0);
    buf_release(&key);
    buf_release(&name);
    buf_release(&rid);
    buf_release(&target);
    buf_release(&alt);
}

static void docx_blocks(Docx *d, Buf *out, const DocBlocks *bl, int in_cell)
{
    static const char *const headings[] = {"Heading1", "Heading2", "Heading3"};
    for (int i = 0; i < bl->n; i++) {
        const DocBlock *b = bl->v[i];
        /* a heading or lead-in keeps with what follows (the styles say so
         * for headings too, but a reference document's may not) */
        int keep = in_cell ? d->keep_cell : i + 1 < bl->n && render_paper_leads_in(b);
        switch (b->kind) {
        case DOC_HEADING:
            docx_p_open(out, in_cell ? "TableText" : headings[b->u.heading.level - 1], keep ? DOCX_KEEP : NULL);
            if (in_cell)
                for (int k = 0; k < b->u.heading.text.n; k++)
                    docx_run(out, b->u.heading.text.spans[k].text, DOC_BOLD, NULL);
            else
                docx_runs(out, &b->u.heading.text);
            buf_puts(out, "</w:p>");
            break;
        case DOC_PARA:
            docx_p_open(out, in_cell ? "TableText" : NULL, keep ? DOCX_KEEP : NULL);
            docx_runs(out, &b->u.para);
            buf_puts(out, "</w:p>");
            break;
        case DOC_LIST:
            docx_list(d, out, &b->u.list, in_cell ? "TableList" : "ListParagraph",
                      !keep ? b->u.list.n : in_cell ? 0 : b->u.list.n - 1);
            break;
        case DOC_TABLE:
            if (!in_cell)
                docx_table(out, &b->u.table);
            break;
        case DOC_CHART:
            if (!in_cell)
                docx_chart(d, out, &b->u.chart);
            break;
        case DOC_CARD:
            if (!in_cell)
                docx_card(d, out, &b->u.card);
            break;
        case DOC_FIELDS:
            if (!in_cell)
                docx_fields(out, &b->u.fields);
            break;
        case DOC_TICKS:
            if (!in_cell)
                docx_ticks(out, &b->u.ticks);
            break;
        case DOC_SIGNATURE:
            if (b->u.sig.name || b->u.sig.title) {
                docx_p_open(out, "Signature", NULL);
                docx_run(out, b->u.sig.name, DOC_BOLD, NULL);
                if (b->u.sig.name && b->u.sig.title)
                    buf_puts(out, "<w:r><w:br/></w:r>");
                docx_run(out, b->u.sig.title, DOC_BOLD, NULL);
                buf_puts(out, "</w:p>");
            }
            if (b->u.sig.papers)
                docx_para_text(out, NULL, NULL, b->u.sig.papers, 0);
            break;
        }
    }
    if (in_cell && bl->n == 0)
        buf_puts(out, "<w:p/>");
}

/* ---- the fixed parts ---- */

/* Our styles, by id: each is added to a reference's styles.xml that lacks it. */
typedef struct DocxStyle {
    const char *id;
    const char *xml;
} DocxStyle;

static const DocxStyle DOCX_STYLES[] = {
    {"Normal", "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
               "<w:qFormat/><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:style>"},
    {"Heading1", "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>"
                 "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"240\"/><w:jc w:val=\"center\"/>"
                 "<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"28\"/></w:rPr></w:style>"},
    {"Heading2", "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>"
                 "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/>"
                 "<w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"24\"/></w:rPr></w:style>"},
    {"Heading3", "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/>"
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>"
                 "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"80\"/>"
                 "<w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"22\"/></w:rPr></w:style>"},
    {"ListParagraph", "<w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name w:val=\"List Paragraph\"/>"
                      "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"34\"/><w:qFormat/>"
                      "<w:pPr><w:ind w:left=\"720\"/></w:pPr></w:style>"},
    {"TableText", "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\">"
                  "<w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
                  "<w:pPr><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
                  "<w:rPr><w:sz w:val=\"19\"/></w:rPr></w:style>"},
    {"TableList", "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableList\">"
                  "<w:name w:val=\"Table List\"/><w:basedOn w:val=\"TableText\"/><w:qFormat/></w:style>"},
    {"TableNote", "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableNote\">"
                  "<w:name w:val=\"Table Note\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>"
                  "<w:pPr><w:spacing w:before=\"40\" w:after=\"200\"/></w:pPr>"
                  "<w:rPr><w:i/><w:color w:val=\"3A3A3A\"/><w:sz w:val=\"17\"/></w:rPr></w:style>"},
    {"Caption", "<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/>"
                "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
                "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"80\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"},
    {"Figure", "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Figure\"><w:name w:val=\"Figure\"/>"
               "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr></w:style>"},
    {"Signature", "<w:style w:type=\"paragraph\" w:styleId=\"Signature\"><w:name w:val=\"Signature\"/>"
                  "<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"480\"/></w:pPr></w:style>"},
    {"Footer", "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/>"
               "<w:basedOn w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs>"
               "<w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:color w:val=\"555555\"/><w:sz w:val=\"16\"/></w:rPr></w:style>"},
    {"KpiTable", "<w:style w:type=\"table\" w:customStyle=\"1\" w:styleId=\"KpiTable\"><w:name w:val=\"Paper Table\"/>"
                 "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"7F7F7F\"/>"
                 "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"7F7F7F\"/>"
                 "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"7F7F7F\"/>"
                 "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"7F7F7F\"/>"
                 "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"7F7F7F\"/>"
                 "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"7F7F7F\"/></w:tblBorders>"
                 "<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>"
                 "</w:tblPr></w:style>"},
};
#define DOCX_NSTYLES (sizeof DOCX_STYLES / sizeof DOCX_STYLES[0])

static void docx_styles(Buf *out)
{
    buf_puts(out, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
                  "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>"
                  "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>"
                  "<w:pPrDefault/></w:docDefaults>");
    for (size_t i = 0; i < DOCX_NSTYLES; i++)
        buf_puts(out, DOCX_STYLES[i].xml);
    buf_puts(out, "</w:styles>");
}

static void docx_numbering(const Docx *d, Buf *out)
{
    static const char *const bullets[] = {"\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x96\xaa"};
    buf_puts(out, XML_DECL "<w:numbering xmlns:w=\"" NS_W "\">");
    buf_printf(out, "<w:abstractNum w:abstractNumId=\"%d\"><w:multiLevelType w:val=\"hybridMultilevel\"/>",
               DOCX_ABS_BULLET);
    for (int l = 0; l < 3; l++) {
        buf_printf(out, "<w:lvl w:ilvl=\"%d\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"%s\"/>"
                        "<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"%d\" w:hanging=\"%d\"/></w:pPr></w:lvl>",
                   l, bullets[l], DOCX_LIST_INDENT * (l + 1), DOCX_LIST_INDENT);
    }
    buf_puts(out, "</w:abstractNum>");
    buf_printf(out, "<w:abstractNum w:abstractNumId=\"%d\"><w:multiLevelType w:val=\"hybridMultilevel\"/>",
               DOCX_ABS_DECIMAL);
    for (int l = 0; l < 3; l++) {
        buf_printf(out, "<w:lvl w:ilvl=\"%d\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>"
                        "<w:lvlText w:val=\"%%%d.\"/><w:lvlJc w:val=\"left\"/>"
                        "<w:pPr><w:ind w:left=\"%d\" w:hanging=\"%d\"/></w:pPr></w:lvl>",
                   l, l + 1, DOCX_LIST_INDENT * (l + 1), DOCX_LIST_INDENT);
    }
    buf_puts(out, "</w:abstractNum>");
    for (int i = 0; i < d->nnums; i++) {
        buf_printf(out, "<w:num w:numId=\"%d\"><w:abstractNumId w:val=\"%d\"/>", i + 1, d->nums[i].abs);
        if (d->nums[i].start)
            buf_printf(out, "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"%d\"/></w:lvlOverride>",
                       d->nums[i].start);
        buf_puts(out, "</w:num>");
    }
    buf_puts(out, "</w:numbering>");
}

/* Our footer: doc id and date at the left, "Page N of M" at the right. */
static void docx_footer(const Docx *d, Buf *out)
{
    Buf left = BUF_INIT;
    render_paper_footer(&d->meta, &left);
    buf_puts(out, XML_DECL "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">");
    docx_p_open(out, "Footer", NULL);
    docx_run(out, buf_cstr(&left), 0, NULL);
    buf_puts(out, "<w:r><w:tab/></w:r>");
    docx_run(out, "Page ", 0, NULL);
    buf_puts(out, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE "
                  "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"
                  "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    docx_run(out, " of ", 0, NULL);
    buf_puts(out, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> "
                  "NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                  "<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>");
    buf_release(&left);
}

/* ---- the reference document ---- */

static int docx_ref_read(zip_t *za, const char *ref, const char *name, Buf *out, Err *err)
{
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) < 0)
        return 0;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)DOCX_MAX_PART)
        return err_set(err, "%s: %s is larger than %ld bytes", ref, name, DOCX_MAX_PART);
    zip_file_t *zf = zip_fopen(za, name, 0);
    if (!zf)
        return err_set(err, "%s: %s: %s", ref, name, zip_strerror(za));
    char chunk[65536];
    zip_int64_t got;
    while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0) {
        buf_append(out, chunk, (size_t)got);
        if (out->len > (size_t)DOCX_MAX_PART) {
            zip_fclose(zf);
            return err_set(err, "%s: %s is larger than %ld bytes", ref, name, DOCX_MAX_PART);
        }
    }
    zip_fclose(zf);
    if (got < 0)
        return err_set(err, "%s: %s: broken archive entry", ref, name);
    return 1;
}

/* "word/" + target, with "../" and a leading "/" understood. */
static void docx_ref_path(const char *dir, const char *target, Buf *out)
{
    buf_reset(out);
    if (target[0] == '/') {
        buf_puts(out, target + 1);
        return;
    }
    buf_puts(out, dir);
    while (strncmp(target, "../", 3) == 0) {
        target += 3;
        if (out->len)
            out->len--; /* drop the trailing slash, then the last folder */
        while (out->len && out->data[out->len - 1] != '/')
            out->len--;
        out->data[out->len] = '\0';
    }
    buf_puts(out, target);
}

/* Copy a part of the reference (and, for a header or footer, the parts its
 * own relationships name) into the package under the same name. */
static int docx_ref_copy(Docx *d, zip_t *za, const char *ref, const char *name, const char *ctype, Err *err)
{
    if (docx_has_part(d, name))
        return 0;
    Buf *data = docx_part(d, name, ctype);
    int got = docx_ref_read(za, ref, name, data, err);
    if (got == 0) { /* named but absent: leave it out */
        DocxPart *p = &d->parts[--d->nparts];
        free(p->name);
        free(p->content_type);
        buf_release(&p->data);
    }
    if (got <= 0)
        return got;
    /* the part's relationships: _rels/NAME.rels beside it */
    const char *slash = strrchr(name, '/');
    Buf dir = BUF_INIT, relname = BUF_INIT, rels = BUF_INIT, target = BUF_INIT;
    int rc = 0;
    buf_append(&dir, name, slash ? (size_t)(slash - name) + 1 : 0);
    buf_printf(&relname, "%s_rels/%s.rels", buf_cstr(&dir), slash ? slash + 1 : name);
    got = docx_ref_read(za, ref, buf_cstr(&relname), &rels, err);
    if (got < 0) {
        rc = -1;
    } else if (got > 0) {
        buf_append(docx_part(d, buf_cstr(&relname), NULL), rels.data, rels.len);
        XmlReader x;
        int ev;
        xml_init_mem(&x, buf_cstr(&rels), rels.len, ref);
        while ((ev = xml_next(&x, err)) > 0) {
            if (ev != XML_START || strcmp(xml_name(&x), "Relationship") != 0)
                continue;
            const char *tg = xml_attr(&x, "Target"), *mode = xml_attr(&x, "TargetMode");
            if (!tg || (mode && strcmp(mode, "External") == 0))
                continue;
            docx_ref_path(buf_cstr(&dir), tg, &target);
            if (!docx_has_part(d, buf_cstr(&target))) {
                Buf *media = docx_part(d, buf_cstr(&target), NULL);
                if (docx_ref_read(za, ref, buf_cstr(&target), media, err) < 0) {
                    rc = -1;
                    break;
                }
            }
        }
        if (ev < 0)
            rc = -1;
        xml_release(&x);
    }
    buf_release(&dir);
    buf_release(&relname);
    buf_release(&rels);
    buf_release(&target);
    return rc;
}

/* The reference's styles with ours added where it lacks them. */
static int docx_ref_styles(const Buf *theirs, const char *ref, Buf *out, Err *err)
{
    XmlReader x;
    int ev, have[DOCX_NSTYLES] = {0};
    xml_init_mem(&x, buf_cstr(theirs), theirs->len, ref);
    while ((ev = xml_next(&x, err)) > 0) {
        if (ev != XML_START || strcmp(xml_name(&x), "style") != 0)
            continue;
        const char *id = xml_attr(&x, "styleId");
        for (size_t i = 0; id && i < DOCX_NSTYLES; i++)
            if (strcmp(id, DOCX_STYLES[i].id) == 0)
                have[i] = 1;
    }
    xml_release(&x);
    if (ev < 0)
        return -1;
    const char *end = NULL;
    for (const char *p = buf_cstr(theirs); (p = strstr(p, "</w:styles>")) != NULL; p++)
        end = p;
    if (!end)
        return err_set(err, "%s: word/styles.xml is not a Word style sheet", ref);
    buf_append(out, theirs->data, (size_t)(end - theirs->data));
    for (size_t i = 0; i < DOCX_NSTYLES; i++)
        if (!have[i])
            buf_puts(out, DOCX_STYLES[i].xml);
    buf_puts(out, end);
    return 0;
}

/* Take styles, theme, page set-up, headers and footers from the reference. */
static int docx_reference(Docx *d, const char *ref, Err *err)
{
    int code = 0, rc = -1, ev;
    Buf docxml = BUF_INIT, rels = BUF_INIT, styles = BUF_INIT, target = BUF_INIT;
    zip_t *za = zip_open(ref, ZIP_RDONLY, &code);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        err_set(err, "%s: not a Word (.docx) document: %s", ref, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    if (docx_ref_read(za, ref, "word/styles.xml", &styles, err) < 0)
        goto out;
    if (styles.len == 0) {
        err_set(err, "%s: not a Word (.docx) document (it has no word/styles.xml)", ref);
        goto out;
    }
    if (docx_ref_styles(&styles, ref, docx_part(d, "word/styles.xml", CT_BASE "styles+xml"), err) < 0)
        goto out;
    if (docx_ref_read(za, ref, "word/document.xml", &docxml, err) < 0 ||
        docx_ref_read(za, ref, "word/_rels/document.xml.rels", &rels, err) < 0)
        goto out;
    /* the body's section properties: the last <w:sectPr> of the document */
    const char *sp = NULL;
    for (const char *p = buf_cstr(&docxml); (p = strstr(p, "<w:sectPr")) != NULL; p++)
        sp = p;
    const char *se = sp ? strstr(sp, "</w:sectPr>") : NULL;
    if (sp && se)
        buf_append(&d->sectpr, sp, (size_t)(se - sp) + strlen("</w:sectPr>"));
    /* headers, footers and the theme, by the document's relationships */
    XmlReader x;
    xml_init_mem(&x, buf_cstr(&rels), rels.len, ref);
    while ((ev = xml_next(&x, err)) > 0) {
        if (ev != XML_START || strcmp(xml_name(&x), "Relationship") != 0)
            continue;
        const char *id = xml_attr(&x, "Id"), *type = xml_attr(&x, "Type"), *tg = xml_attr(&x, "Target");
        if (!id || !type || !tg)
            continue;
        const char *kind = strrchr(type, '/');
        kind = kind ? kind + 1 : type;
        const char *ctype = strcmp(kind, "header") == 0   ? CT_BASE "header+xml"
                            : strcmp(kind, "footer") == 0 ? CT_BASE "footer+xml"
                            : strcmp(kind, "theme") == 0  ? "application/vnd.openxmlformats-officedocument.theme+xml"
                                                          : NULL;
        if (!ctype || (kind[0] != 't' && !d->sectpr.len))
            continue;
        docx_ref_path("word/", tg, &target);
        if (docx_ref_copy(d, za, ref, buf_cstr(&target), ctype, err) < 0) {
            xml_release(&x);
            goto out;
        }
        docx_rel(&d->rels, id, type, tg);
    }
    xml_release(&x);
    if (ev < 0)
        goto out;
    rc = 0;
out:
    zip_discard(za);
    buf_release(&docxml);
    buf_release(&rels);
    buf_release(&styles);
    buf_release(&target);
    return rc;
}

/* ---- the package ---- */

static void docx_document(Docx *d, Buf *out)
{
    buf_puts(out, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\" "
                  "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
                  "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                  "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" "
                  "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
                  "xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" "
                  "xmlns:w15=\"http://schemas.microsoft.com/office/word/2012/wordml\" "
                  "xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\" "
                  "mc:Ignorable=\"w14 w15 wp14\"><w:body>");
    buf_append(out, d->body.data, d->body.len);
    if (d->sectpr.len) {
        buf_append(out, d->sectpr.data, d->sectpr.len);
    } else {
        buf_printf(out, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdKpiFooter\"/>"
                        "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" "
                        "w:left=\"%d\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>",
                   DOCX_PAGE_W, DOCX_PAGE_H, DOCX_MARGIN, DOCX_MARGIN, DOCX_MARGIN, DOCX_MARGIN);
    }
    buf_puts(out, "</w:body></w:document>");
}

static void docx_core(const Docx *d, Buf *out)
{
    buf_puts(out, XML_DECL "<cp:coreProperties "
                  "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
                  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
                  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    xml_puts(out, buf_cstr(&d->meta.title));
    buf_puts(out, "</dc:title><dc:subject>");
    xml_puts(out, buf_cstr(&d->meta.doc_id));
    buf_puts(out, "</dc:subject><dc:creator>kpi</dc:creator></cp:coreProperties>");
}

static void docx_content_types(const Docx *d, Buf *out)
{
    static const char *const defaults[][2] = {
        {"rels", "application/vnd.openxmlformats-package.relationships+xml"}, {"xml", "application/xml"},
        {"png", "image/png"}, {"jpeg", "image/jpeg"}, {"jpg", "image/jpeg"}, {"gif", "image/gif"},
        {"emf", "image/x-emf"}, {"wmf", "image/x-wmf"}, {"bmp", "image/bmp"}, {"tif", "image/tiff"},
        {"tiff", "image/tiff"}, {"svg", "image/svg+xml"},
    };
    buf_puts(out, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        buf_puts(out, "<Default Extension=\"");
        xml_puts(out, defaults[i][0]);
        buf_puts(out, "\" ContentType=\"");
        xml_puts(out, defaults[i][1]);
        buf_puts(out, "\"/>");
    }
    for (int i = 0; i < d->nparts; i++) {
        if (!d->parts[i].content_type)
            continue;
        buf_puts(out, "<Override PartName=\"/");
        xml_puts(out, d->parts[i].name);
        buf_puts(out, "\" ContentType=\"");
        xml_puts(out, d->parts[i].content_type);
        buf_puts(out, "\"/>");
    }
    buf_puts(out, "</Types>");
}

/* Zip the parts into out, [Content_Types].xml first. */
static int docx_zip(Docx *d, const Buf *types, Buf *out, Err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    int rc = -1;
    if (!src) {
        err_set(err, "cannot make the document: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        err_set(err, "cannot make the document: %s", zip_error_strerror(&ze));
        goto out;
    }
    for (int i = -1; i < d->nparts; i++) {
        const char *name = i < 0 ? "[Content_Types].xml" : d->parts[i].name;
        const Buf *data = i < 0 ? types : &d->parts[i].data;
        zip_source_t *s = zip_source_buffer(za, data->len ? data->data : "", data->len, 0);
        if (!s || zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            if (s)
                zip_source_free(s);
            err_set(err, "cannot add %s to the document: %s", name, zip_strerror(za));
            zip_discard(za);
            goto out;
        }
    }
    if (zip_close(za) < 0) {
        err_set(err, "cannot make the document: %s", zip_strerror(za));
        zip_discard(za);
        goto out;
    }
    zip_stat_t st;
    if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) {
        err_set(err, "cannot read the document back");
        goto out;
    }
    char chunk[65536];
    zip_int64_t got;
    while ((got = zip_source_read(src, chunk, sizeof chunk)) > 0)
        buf_append(out, chunk, (size_t)got);
    zip_source_close(src);
    rc = got < 0 ? err_set(err, "cannot read the document back") : 0;
out:
    zip_source_free(src);
    zip_error_fini(&ze);
    return rc;
}

int render_docx(const Doc *doc, const RenderOpts *opts, Buf *out, Err *err)
{
    Docx d;
    Buf types = BUF_INIT, docrels = BUF_INIT;
    int rc = -1;
    if (lazy_zip_load(err) < 0 || lazy_gfx_load(err) < 0) /* charts are PNG images */
        return -1;
    memset(&d, 0, sizeof d);
    d.err = err;
    render_paper_meta(doc, &d.meta);
    docx_num(&d, DOCX_ABS_BULLET, 0); /* numId 1: bullets */

    if (opts->reference_doc) {
        if (docx_reference(&d, opts->reference_doc, err) < 0)
            goto out;
    } else {
        docx_styles(docx_part(&d, "word/styles.xml", CT_BASE "styles+xml"));
    }
    docx_blocks(&d, &d.body, &doc->body, 0);
    if (d.failed)
        goto out;
    if (!d.sectpr.len) {
        docx_footer(&d, docx_part(&d, "word/kpi-footer1.xml", CT_BASE "footer+xml"));
        docx_rel(&d.rels, "rIdKpiFooter", REL_BASE "footer", "kpi-footer1.xml");
    }
    docx_numbering(&d, docx_part(&d, "word/numbering.xml", CT_BASE "numbering+xml"));
    buf_puts(docx_part(&d, "word/settings.xml", CT_BASE "settings+xml"),
             XML_DECL "<w:settings xmlns:w=\"" NS_W "\"><w:defaultTabStop w:val=\"720\"/>"
                      "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting "
                      "w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
                      "w:val=\"15\"/></w:compat></w:settings>");
    docx_document(&d, docx_part(&d, "word/document.xml", CT_BASE "document.main+xml"));
    docx_core(&d, docx_part(&d, "docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"));
    buf_puts(docx_part(&d, "docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
             XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
                      "<Application>kpi</Application></Properties>");
    buf_puts(&docrels, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">");
    docx_rel(&docrels, "rIdKpiStyles", REL_BASE "styles", "styles.xml");
    docx_rel(&docrels, "rIdKpiNumbering", REL_BASE "numbering", "numbering.xml");
    docx_rel(&docrels, "rIdKpiSettings", REL_BASE "settings", "settings.xml");
    buf_append(&docrels, d.rels.data, d.rels.len);
    buf_puts(&docrels, "</Relationships>");
    buf_append(docx_part(&d, "word/_rels/document.xml.rels", NULL), docrels.data, docrels.len);
    Buf *pkg = docx_part(&d, "_rels/.rels", NULL);
    buf_puts(pkg, XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">");
    docx_rel(pkg, "rId1", REL_BASE "officeDocument", "word/document.xml");
    docx_rel(pkg, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
             "docProps/core.xml");
    docx_rel(pkg, "rId3", REL_BASE "extended-properties", "docProps/app.xml");
    buf_puts(pkg, "</Relationships>");
    docx_content_types(&d, &types);
    rc = docx_zip(&d, &types, out, err);
out:
    for (int i = 0; i < d.nparts; i++) {
        free(d.parts[i].name);
        free(d.parts[i].content_type);
        buf_release(&d.parts[i].data);
    }
    free(d.parts);
    free(d.nums);
    buf_release(&d.body);
    buf_release(&d.rels);
    buf_release(&d.sectpr);
    buf_release(&types);
    buf_release(&docrels);
    render_paper_meta_release(&d.meta);
    return rc;
}
