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

/* Colour of a RAG status as 0xRRGGBB: its fill (ink = 0) or its text (ink = 1). */
unsigned render_paper_rag_rgb(DocRag r, int ink);
/* The word shown with the colour (present.h): "Green" ... "Not reported", "Not rated". */
const char *render_paper_rag_word(DocRag r);

#endif
