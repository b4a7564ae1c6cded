/* test_render_formats.c — the binary paper formats on documents built here:
 * text reaches the DOCX's XML escaped (markup in a title stays text), lists
 * keep their numbers, a reference document that is not one is refused; the
 * XLSX stores figures as numbers with their formats and names sheets as
 * Excel allows; the PDF is a PDF and breaks long text onto more pages; the
 * keep-together rules the paper formats share (render_paper.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "render.h"
#include "render_paper.h"

/* The text of one part of a zip held in memory. */
static void zip_part(const Buf *zipdata, const char *name, Buf *out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zipdata->data, zipdata->len, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    zip_file_t *zf = zip_fopen(za, name, 0);
    if (!zf)
        fail_msg("no part %s", name);
    char chunk[4096];
    zip_int64_t n;
    while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0)
        buf_append(out, chunk, (size_t)n);
    zip_fclose(zf);
    zip_discard(za);
    zip_error_fini(&ze);
}

static Doc *sample_doc(void)
{
    Doc *d = doc_new();
    doc_text_puts(doc_add_heading(&d->body, 1), "Title <script>&\"x\"", 0);
    DocText *p = doc_add_para(&d->body, NULL);
    doc_text_puts(p, "Plain & ", 0);
    doc_text_puts(p, "bold <b>", DOC_BOLD);
    DocList *l = doc_add_list(&d->body, NULL);
    doc_text_puts(doc_list_item(l, 0, 9), "ninth", 0);
    doc_text_puts(doc_list_item(l, 0, 10), "tenth", 0);
    doc_text_puts(doc_list_item(l, 0, 14), "fourteenth", 0);
    DocTable *t = doc_add_table(&d->body, 3, "indicators");
    doc_table_caption(t, "Crime: [Q2] / YTD");
    doc_table_header(t, 0, "Category", DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "Value", DOC_ALIGN_RIGHT);
    doc_table_header(t, 2, "RAG", DOC_ALIGN_LEFT);
    static const char *const rows[][3] = {{"All Crime", "1455", "Green"}, {"Detections", "77.4%", "Red"},
                                          {"Change", "+3.0", "Amber"}, {"Gap", "n/a", ""}};
    static const DocRag rags[] = {DOC_RAG_GREEN, DOC_RAG_RED, DOC_RAG_AMBER, DOC_RAG_NONE};
    for (int r = 0; r < 4; r++) {
        int row = doc_table_row(t);
        doc_cell_set(doc_table_cell(t, row, 0), rows[r][0], DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
        doc_cell_set(doc_table_cell(t, row, 1), rows[r][1], DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
        doc_cell_set(doc_table_cell(t, row, 2), rows[r][2], DOC_ALIGN_LEFT, 0, rags[r]);
    }
    /* the exact figures behind the numbers: a % change is a percentage like any other */
    doc_cell_value(doc_table_cell(t, 0, 1), DOC_VALUE_NUMBER, fq_int(1455), 0, 0);
    doc_cell_value(doc_table_cell(t, 1, 1), DOC_VALUE_PERCENT, fq_make(7742, 100), 1, 0);
    doc_cell_value(doc_table_cell(t, 2, 1), DOC_VALUE_PERCENT, fq_make(299, 100), 1, 1);
    int extra = doc_table_row(t); /* a number in the text but no value: stays text, never parsed */
    doc_cell_set(doc_table_cell(t, extra, 1), "12", DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    DocCard *c = doc_add_card(&d->body, "Project <One>", "Lead & Co", DOC_RAG_AMBER);
    doc_text_puts(doc_add_para(&c->what, NULL), "What it is.", 0);
    doc_text_puts(doc_add_para(&c->commentary, NULL), "On track.", 0);
    return d;
}

static void test_docx_escapes_and_numbers(void **state)
{
    (void)state;
    Doc *d = sample_doc();
    Buf out = BUF_INIT, xml = BUF_INIT, num = BUF_INIT;
    Err err = ERR_INIT;
    assert_int_equal(render_doc_opts(d, "docx", NULL, &out, &err), 0);
    assert_memory_equal(out.data, "PK\3\4", 4);
    zip_part(&out, "word/document.xml", &xml);
    const char *x = buf_cstr(&xml);
    assert_non_null(strstr(x, "Title &lt;script&gt;&amp;&quot;x&quot;"));
    assert_null(strstr(x, "<script>"));
    assert_non_null(strstr(x, "<w:pStyle w:val=\"Heading1\"/>"));
    assert_non_null(strstr(x, "<w:b/></w:rPr><w:t xml:space=\"preserve\">bold &lt;b&gt;</w:t>"));
    assert_non_null(strstr(x, "Project &lt;One&gt;"));
    assert_non_null(strstr(x, "<w:tblHeader/>"));
    zip_part(&out, "word/numbering.xml", &num);
    /* 9 and 10 share an instance starting at 9; 14 starts its own */
    assert_non_null(strstr(buf_cstr(&num), "<w:startOverride w:val=\"9\"/>"));
    assert_non_null(strstr(buf_cstr(&num), "<w:startOverride w:val=\"14\"/>"));
    assert_null(strstr(buf_cstr(&num), "<w:startOverride w:val=\"10\"/>"));
    buf_release(&out);
    buf_release(&xml);
    buf_release(&num);
    err_release(&err);
    doc_free(d);
}

static void test_docx_bad_reference(void **state)
{
    (void)state;
    Doc *d = sample_doc();
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    RenderOpts o = {"/nonexistent/council.docx", NULL};
    assert_int_equal(render_doc_opts(d, "docx", &o, &out, &err), -1);
    assert_non_null(strstr(err_msg(&err), "/nonexistent/council.docx: not a Word (.docx) document"));
    buf_release(&out);
    err_release(&err);
    doc_free(d);
}

static void test_xlsx_numbers_and_names(void **state)
{
    (void)state;
    Doc *d = sample_doc();
    Buf out = BUF_INIT, wb = BUF_INIT, sheet = BUF_INIT, sst = BUF_INIT;
    Err err = ERR_INIT;
    assert_int_equal(render_doc_opts(d, "xlsx", NULL, &out, &err), 0);
    zip_part(&out, "xl/workbook.xml", &wb);
    assert_non_null(strstr(buf_cstr(&wb), "name=\"Crime Q2 YTD\""));
    assert_non_null(strstr(buf_cstr(&wb), "name=\"Projects\""));
    zip_part(&out, "xl/worksheets/sheet1.xml", &sheet);
    const char *s = buf_cstr(&sheet);
    assert_non_null(strstr(s, "<v>1455</v>"));
    assert_non_null(strstr(s, "<v>0.774</v>")); /* 77.42 shown as 77.4%: stored rounded, a fraction */
    assert_non_null(strstr(s, "<v>0.03</v>"));  /* +3.0 (2.99 rounded) as a fraction with a % format */
    assert_null(strstr(s, "<v>2.99</v>"));
    assert_non_null(strstr(s, "<pane ySplit=\"1\""));
    assert_non_null(strstr(s, "<conditionalFormatting"));
    zip_part(&out, "xl/sharedStrings.xml", &sst);
    assert_non_null(strstr(buf_cstr(&sst), "<t>n/a</t>")); /* not a number: kept as text */
    assert_non_null(strstr(buf_cstr(&sst), "<t>12</t>"));  /* no value: text as printed */
    assert_non_null(strstr(buf_cstr(&sst), "Project &lt;One&gt;"));
    buf_release(&out);
    buf_release(&wb);
    buf_release(&sheet);
    buf_release(&sst);
    err_release(&err);
    doc_free(d);
}

static int count(const Buf *b, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= b->len; i++)
        if (memcmp(b->data + i, needle, k) == 0)
            n++;
    return n;
}

static void test_pdf_pages(void **state)
{
    (void)state;
    Doc *d = sample_doc();
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    assert_int_equal(render_doc_opts(d, "pdf", NULL, &out, &err), 0);
    assert_memory_equal(out.data, "%PDF-", 5);
    assert_int_equal(count(&out, "/Type /Page\n") + count(&out, "/Type /Page "), 1);
    for (int i = 0; i < 120; i++)
        doc_text_puts(doc_add_para(&d->body, NULL), "A paragraph long enough to fill a line of the page.", 0);
    buf_reset(&out);
    assert_int_equal(render_doc_opts(d, "pdf", NULL, &out, &err), 0);
    assert_true(count(&out, "/Type /Page\n") + count(&out, "/Type /Page ") > 1);
    buf_release(&out);
    err_release(&err);
    doc_free(d);
}

static void test_format_table(void **state)
{
    (void)state;
    static const char *const binary[] = {"pdf", "docx", "xlsx"}, *const text[] = {"md", "txt", "html"};
    for (int i = 0; i < 3; i++) {
        assert_true(render_format_known(binary[i]));
        assert_true(render_format_binary(binary[i]));
        assert_true(render_format_known(text[i]));
        assert_false(render_format_binary(text[i]));
    }
    assert_false(render_format_known("odt"));
    assert_string_equal(render_format_list(), "md, txt, html, pdf, docx, xlsx");
    /* the lists marked in the table: a published paper has every format, the demo all but txt */
    const char *names[RENDER_NFORMATS];
    static const char *const published[] = {"md", "txt", "html", "pdf", "docx", "xlsx"};
    assert_int_equal(render_formats(RENDER_PUBLISH, names), 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(names[i], published[i]);
    static const char *const demo[] = {"md", "html", "pdf", "docx", "xlsx"};
    assert_int_equal(render_formats(RENDER_DEMO, names), 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(names[i], demo[i]);
    assert_int_equal(render_formats(0, names), 0);
}

/* Rows that keep with the next: all but the last of a table that fits; of a
 * longer one the header with PAPER_KEEP_ROWS rows and the last PAPER_KEEP_ROWS
 * rows; lead-ins are headings and text ending in ':'. */
static void test_paper_keeps(void **state)
{
    (void)state;
    char got[64];
    int n = 0;
    for (int r = 0; r < 8; r++)
        got[n++] = render_paper_row_keeps(r, 8, 1, 1) ? 'K' : '.';
    got[n] = 0;
    assert_string_equal(got, "KKKKKKK.");
    n = 0;
    for (int r = 0; r < 8; r++)
        got[n++] = render_paper_row_keeps(r, 8, 1, 0) ? 'K' : '.';
    got[n] = 0;
    assert_string_equal(got, "KK....K.");
    n = 0;
    for (int r = 0; r < 6; r++) /* no header: the first two rows, the last two */
        got[n++] = render_paper_row_keeps(r, 6, 0, 0) ? 'K' : '.';
    got[n] = 0;
    assert_string_equal(got, "K...K.");
    assert_false(render_paper_row_keeps(0, 1, 1, 1)); /* a lone row keeps with nothing */
    assert_false(render_paper_row_keeps(-1, 4, 1, 1));

    Doc *d = doc_new();
    doc_text_puts(doc_add_heading(&d->body, 2), "Crime", 0);
    doc_text_puts(doc_add_para(&d->body, NULL), "broken down as follows: ", 0);
    doc_text_puts(doc_add_para(&d->body, NULL), "Crime fell.", 0);
    DocList *l = doc_add_list(&d->body, NULL);
    doc_text_puts(doc_list_item(l, 0, 0), "first", 0);
    doc_text_puts(doc_list_item(l, 0, 0), "the areas:", 0);
    doc_add_para(&d->body, NULL); /* empty */
    assert_int_equal(d->body.n, 5);
    assert_true(render_paper_leads_in(d->body.v[0]));
    assert_true(render_paper_leads_in(d->body.v[1]));
    assert_false(render_paper_leads_in(d->body.v[2]));
    assert_true(render_paper_leads_in(d->body.v[3]));
    assert_false(render_paper_leads_in(d->body.v[4]));
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docx_escapes_and_numbers),
        cmocka_unit_test(test_docx_bad_reference),
        cmocka_unit_test(test_xlsx_numbers_and_names),
        cmocka_unit_test(test_pdf_pages),
        cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_paper_keeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
