/* render_paper.h — what the paper formats (render_pdf.c, render_docx.c,
 * render_xlsx.c) share: the paper's identity for running footers, found in
 * the frame the template built, and the colours of RAG statuses (the same as
 * the HTML's; the word is always shown beside them). */
#ifndef KPI_RENDER_PAPER_H
#define KPI_RENDER_PAPER_H

#include "buf.h"
#include "doc.h"

typedef struct PaperMeta {
    Buf title;    /* doc->title, else the first level-1 heading; may be empty */
    Buf doc_id;   /* the "Doc ID" field of the frame; may be empty */
    Buf date;     /* the "Date" beside the Doc ID, else the first "Date" field */
} PaperMeta;

void render_paper_meta(const Doc *doc, PaperMeta *m /* OUT, render_paper_meta_release */);
void render_paper_meta_release(PaperMeta *m);
/* "Doc ID · Date" (either may be missing), for footers; empty when neither is known. */
void render_paper_footer(const PaperMeta *m, Buf *out);

/* Keeping together, the rules every paper format follows (docs/formats.md):
 * a table that fits on a page is never split; a longer one repeats its header
 * rows and leaves at least PAPER_KEEP_ROWS rows on each side of a page break;
 * a heading, and a lead-in (render_paper_leads_in), keep with what follows.
 * The PDF measures its pages and applies them as it lays out (render_pdf.c);
 * Word is told them as "keep with next" (render_paper_row_keeps). */
#define PAPER_KEEP_ROWS 2

/* Does block b lead into the next one: a heading, or a paragraph or list
 * whose text ends in ':'? */
int render_paper_leads_in(const DocBlock *b);

/* The table rule as "keep with next" on rows, for a format that marks rows
 * rather than measures them (Word): does row r of a table of nrows rows (the
 * first nhead its header) keep with row r + 1? When the table fits on a page
 * (fits != 0), every row but the last; else the header with the first
 * PAPER_KEEP_ROWS rows under it, and the last PAPER_KEEP_ROWS rows together. */
int render_paper_row_keeps(int r, int nrows, int nhead, int fits);

/* Colour of a RAG status as 0xRRGGBB: its fill (ink = 0) or its text (ink = 1). */
unsigned render_paper_rag_rgb(DocRag r, int ink);
/* The word shown with the colour (present.h): "Green" ... "Not reported", "Not rated". */
const char *render_paper_rag_word(DocRag r);

#endif
