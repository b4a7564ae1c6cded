/* test_render.c — the three renderers on documents built by hand with the
 * doc.h constructors: Markdown escaping (pipes in cells, emphasis characters,
 * line-start markers), plain-text layout (underlined headings, aligned and
 * right-aligned columns, wrapping within 78 columns, narrowed wide tables), and
 * HTML escaping of every kind of block, RAG shown by class and word, nested
 * lists, the print stylesheet, no script or external resource; the chart's
 * text alternative; the format table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "render.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define EVIL "<script>&\"'"
#define TXT_WIDTH 78

#define assert_contains(hay, needle)                                                       \
    do {                                                                                   \
        if (!strstr((hay), (needle)))                                                      \
            fail_msg("expected to find [%s] in:\n%s", (needle), (hay));                   \
    } while (0)

#define assert_lacks(hay, needle)                                                          \
    do {                                                                                   \
        if (strstr((hay), (needle)))                                                       \
            fail_msg("did not expect [%s] in:\n%s", (needle), (hay));                     \
    } while (0)

static char *render(const Doc *doc, const char *format)
{
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    assert_int_equal(render_doc(doc, format, &out, &err), 0);
    err_release(&err);
    return out.data ? buf_detach(&out) : xstrdup("");
}

/* Every kind of block, each carrying the same hostile text. */
static Doc *evil_doc(void)
{
    Doc *doc = doc_new();
    doc_set_title(doc, EVIL);
    doc_text_puts(doc_add_heading(&doc->body, 1), EVIL, 0);
    DocText *p = doc_add_para(&doc->body, NULL);
    doc_text_puts(p, "plain ", 0);
    doc_text_puts(p, EVIL, DOC_BOLD);
    doc_text_puts(p, " and ", 0);
    doc_text_puts(p, "it", DOC_ITALIC);
    DocList *l = doc_add_list(&doc->body, NULL);
    doc_text_puts(doc_list_item(l, 0, 0), EVIL, 0);
    DocTable *t = doc_add_table(&doc->body, 2, "indicators");
    doc_table_caption(t, EVIL);
    doc_table_header(t, 0, EVIL, DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "RAG", DOC_ALIGN_LEFT);
    int r = doc_table_row(t);
    doc_cell_set(doc_table_cell(t, r, 0), EVIL, DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 1), "Red", DOC_ALIGN_LEFT, 0, DOC_RAG_RED);
    doc_table_note(t, EVIL);
    DocChart *c = doc_add_chart(&doc->body, DOC_CHART_BAR, EVIL, 1, 1);
    doc_chart_category(c, 0, EVIL);
    doc_chart_series(c, 0, EVIL);
    doc_chart_point(c, 0, 0, 1, 5.0, EVIL);
    DocCard *card = doc_add_card(&doc->body, EVIL, EVIL, DOC_RAG_AMBER);
    doc_text_puts(doc_add_para(&card->what, NULL), EVIL, 0);
    doc_text_puts(doc_add_para(&card->commentary, NULL), EVIL, 0);
    DocFields *f = doc_add_fields(&doc->body, "frame-head");
    doc_field_add(f, EVIL, EVIL);
    DocTicks *k = doc_add_ticks(&doc->body, 2, "priorities");
    doc_text_puts(doc_tick_add(k, 1), EVIL, 0);
    doc_add_signature(&doc->body, EVIL, EVIL, EVIL);
    return doc;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_html_escapes_everything(void **state)
{
    (void)state;
    Doc *doc = evil_doc();
    char *html = render(doc, "html");
    assert_lacks(html, "<script");
    assert_lacks(html, "&\"'"); /* the raw sequence never survives */
    /* title, heading, bold, list, caption, header cell, body cell, note, chart
     * title/desc/category/series/mark, card title/lead/what/commentary, field
     * label/value, tick, signature name/title/papers */
    assert_true(count(html, "&lt;script&gt;&amp;&quot;&#39;") >= 20);
    assert_contains(html, "<title>&lt;script&gt;&amp;&quot;&#39;</title>");
    assert_contains(html, "<p>plain <strong>&lt;script&gt;&amp;&quot;&#39;</strong> and <em>it</em></p>");
    assert_contains(html, "<td class=\"rag rag-red\">Red</td>");
    assert_contains(html, "<span class=\"rag rag-amber\">Amber</span>");
    assert_contains(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\"");
    assert_contains(html, "<desc id=\"kpi-chart-1-desc\">&lt;script&gt;&amp;&quot;&#39;: "
                          "&lt;script&gt;&amp;&quot;&#39; &lt;script&gt;&amp;&quot;&#39;.</desc>");
    /* self-contained, print-ready */
    assert_contains(html, "@media print");
    assert_contains(html, "@page{size:A4");
    assert_contains(html, "break-inside:avoid");
    assert_contains(html, "thead{display:table-header-group}");
    assert_lacks(html, "<link");
    assert_lacks(html, " src=");
    assert_lacks(html, "href=");
    assert_lacks(html, "@import");
    assert_lacks(html, "url(");
    free(html);
    doc_free(doc);
}

static void test_html_escape_function(void **state)
{
    (void)state;
    Buf b = BUF_INIT;
    render_html_escape(&b, "a<b>&\"c'd\0e", 11);
    assert_int_equal(b.len, strlen("a&lt;b&gt;&amp;&quot;c&#39;d") + 2);
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
    buf_reset(&b);
    render_html_text(&b, NULL);
    render_html_text(&b, "plain £ text");
    assert_string_equal(buf_cstr(&b), "plain £ text");
    buf_release(&b);
}

static void test_html_lists(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    DocList *l = doc_add_list(&doc->body, NULL);
    doc_text_puts(doc_list_item(l, 0, 9), "nine", 0);
    doc_text_puts(doc_list_item(l, 1, 0), "sub", 0);
    doc_text_puts(doc_list_item(l, 2, 0), "subsub", 0);
    doc_text_puts(doc_list_item(l, 0, 0), "bullet", 0);
    doc_text_puts(doc_list_item(l, 0, 10), "ten", 0);
    char *html = render(doc, "html");
    assert_contains(html, "<ol>\n<li value=\"9\">nine<ul>\n<li>sub<ul>\n<li>subsub</li>\n</ul>\n"
                          "</li>\n</ul>\n</li>\n</ol>\n<ul>\n<li>bullet</li>\n</ul>\n<ol>\n"
                          "<li value=\"10\">ten</li>\n</ol>\n");
    assert_int_equal(count(html, "<ul>"), count(html, "</ul>"));
    assert_int_equal(count(html, "<li"), count(html, "</li>"));
    free(html);
    char *md = render(doc, "md");
    assert_string_equal(md, "9. nine\n   - sub\n     - subsub\n- bullet\n10. ten\n");
    free(md);
    char *txt = render(doc, "txt");
    assert_string_equal(txt, "9. nine\n   - sub\n     - subsub\n- bullet\n10. ten\n");
    free(txt);
    doc_free(doc);
}

static void test_md_escaping(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    DocText *p = doc_add_para(&doc->body, NULL);
    doc_text_puts(p, "# not a heading, a*b_c [x] `y` <z> \\ & &amp;", 0);
    p = doc_add_para(&doc->body, NULL);
    doc_text_puts(p, "- not a list, ", 0);
    doc_text_puts(p, " bold words ", DOC_BOLD);
    doc_text_puts(p, "-4.6 stays", 0);
    p = doc_add_para(&doc->body, NULL);
    doc_text_puts(p, "2011. A year", 0);
    p = doc_add_para(&doc->body, NULL);
    doc_text_puts(p, "-4.6 at the start", 0);
    DocTable *t = doc_add_table(&doc->body, 2, NULL);
    doc_table_header(t, 0, "Name | with pipe", DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "N", DOC_ALIGN_RIGHT);
    int r = doc_table_row(t);
    doc_cell_set(doc_table_cell(t, r, 0), "a|b *c*", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 1), "12", DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    r = doc_table_row(t);
    char *md = render(doc, "md");
    assert_string_equal(md,
                        "\\# not a heading, a\\*b\\_c \\[x\\] \\`y\\` \\<z\\> \\\\ & \\&amp;\n"
                        "\n"
                        "\\- not a list,  **bold words** -4.6 stays\n"
                        "\n"
                        "2011\\. A year\n"
                        "\n"
                        "-4.6 at the start\n"
                        "\n"
                        "| Name \\| with pipe | N |\n"
                        "|---|---:|\n"
                        "| a\\|b \\*c\\* | 12 |\n"
                        "|  |  |\n");
    free(md);
    doc_free(doc);
}

/* Every line of s fits in width columns (counting UTF-8 code points). */
static void assert_width(const char *s, size_t width)
{
    while (*s) {
        size_t n = strcspn(s, "\n");
        if (doc_utf8_width(s, n) > width)
            fail_msg("line wider than %zu: [%.*s]", width, (int)n, s);
        if (n > 0 && s[n - 1] == ' ')
            fail_msg("trailing space: [%.*s]", (int)n, s);
        s += n + (s[n] == '\n');
    }
}

static void test_txt_layout(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    doc_text_puts(doc_add_heading(&doc->body, 1), "Title £", 0);
    doc_text_puts(doc_add_heading(&doc->body, 2), "Section", 0);
    doc_text_puts(doc_add_heading(&doc->body, 3), "Sub", 0);
    DocText *p = doc_add_para(&doc->body, NULL);
    for (int i = 0; i < 30; i++)
        doc_text_puts(p, "word£ ", i % 2 ? DOC_BOLD : 0);
    DocTable *t = doc_add_table(&doc->body, 3, NULL);
    doc_table_header(t, 0, "Category", DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "Q2 2011/12", DOC_ALIGN_RIGHT);
    doc_table_header(t, 2, "RAG", DOC_ALIGN_LEFT);
    int r = doc_table_row(t);
    doc_cell_set(doc_table_cell(t, r, 0), "All Crime", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 1), "1455", DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 2), "Green", DOC_ALIGN_LEFT, 0, DOC_RAG_GREEN);
    r = doc_table_row(t);
    doc_cell_set(doc_table_cell(t, r, 0), "Robbery", DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 1), "1", DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    char *txt = render(doc, "txt");
    assert_contains(txt, "Title £\n=======\n\nSection\n-------\n\nSub\n\nword£ word£");
    assert_contains(txt, "Category   Q2 2011/12  RAG\n"
                         "---------  ----------  -----\n"
                         "All Crime        1455  Green\n"
                         "Robbery             1\n");
    assert_width(txt, TXT_WIDTH);
    free(txt);
    doc_free(doc);
}

static void test_txt_wide_table_wraps(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    DocTable *t = doc_add_table(&doc->body, 3, NULL);
    doc_table_header(t, 0, "Indicator", DOC_ALIGN_LEFT);
    doc_table_header(t, 1, "Target", DOC_ALIGN_RIGHT);
    doc_table_header(t, 2, "Comment", DOC_ALIGN_LEFT);
    int r = doc_table_row(t);
    doc_cell_set(doc_table_cell(t, r, 0),
                 "Vulnerable households that receive a Home Fire Safety Check", DOC_ALIGN_LEFT, 0,
                 DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 1), "60%", DOC_ALIGN_RIGHT, 1, DOC_RAG_NONE);
    doc_cell_set(doc_table_cell(t, r, 2),
                 "A long commentary that goes on and on about the figures in this row of the "
                 "table and would never fit on one line",
                 DOC_ALIGN_LEFT, 0, DOC_RAG_NONE);
    doc_table_note(t, "Vulnerable households: missing 2010-04, 2010-05, 2010-06, 2010-07, "
                      "2010-08, 2010-09, 2010-10");
    char *txt = render(doc, "txt");
    assert_width(txt, TXT_WIDTH);
    assert_contains(txt, "60%");
    assert_contains(txt, "Note: Vulnerable households: missing");
    free(txt);
    doc_free(doc);
}

static void test_cards_and_frames_txt_md(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    DocCard *card = doc_add_card(&doc->body, "Total Family", "Lancashire County Council",
                                 DOC_RAG_GREEN);
    doc_text_puts(doc_add_para(&card->what, NULL), "A project.", 0);
    DocList *l = doc_add_list(&card->commentary, NULL);
    doc_text_puts(doc_list_item(l, 0, 0), "Data Analysis", 0);
    doc_text_puts(doc_list_item(l, 0, 0), "Case file analysis", 0);
    DocFields *f = doc_add_fields(&doc->body, "frame-author");
    doc_field_add(f, "Report Author", "Louise Wingfield");
    doc_field_add(f, "Ext", "5061");
    DocTicks *k = doc_add_ticks(&doc->body, 2, "implications");
    doc_text_puts(doc_tick_add(k, 0), "Finance", 0);
    doc_text_puts(doc_tick_add(k, 1), "No significant implications", 0);
    doc_add_signature(&doc->body, "GARY HALL", "CHIEF EXECUTIVE", NULL);
    char *txt = render(doc, "txt");
    assert_string_equal(txt, "Total Family\n"
                             "~~~~~~~~~~~~\n"
                             "What is it?   A project.\n"
                             "Lead Partner  Lancashire County Council\n"
                             "RAG Status    Green\n"
                             "              - Data Analysis\n"
                             "              - Case file analysis\n"
                             "\n"
                             "Report Author     Ext\n"
                             "----------------  ----\n"
                             "Louise Wingfield  5061\n"
                             "\n"
                             "[ ] Finance\n"
                             "[x] No significant implications\n"
                             "\n"
                             "GARY HALL\n"
                             "CHIEF EXECUTIVE\n");
    free(txt);
    char *md = render(doc, "md");
    assert_contains(md, "### Total Family\n\n**What is it?** A project.\n\n**Lead Partner:** "
                        "Lancashire County Council\n\n**RAG Status:** Green\n\n- Data Analysis\n"
                        "- Case file analysis\n");
    assert_contains(md, "| Report Author | Ext |\n|---|---|\n| Louise Wingfield | 5061 |\n");
    assert_contains(md, "- [ ] Finance\n- [x] No significant implications\n");
    assert_contains(md, "**GARY HALL**  \n**CHIEF EXECUTIVE**\n");
    free(md);
    char *html = render(doc, "html");
    assert_contains(html, "<table class=\"ticks implications\">");
    assert_contains(html, "<td>No significant implications</td><td class=\"tick\">\xe2\x9c\x93"
                          "<span class=\"vh\"> (applies)</span></td>");
    assert_contains(html, "<td>Finance</td><td class=\"tick\"><span class=\"vh\">(does not apply)"
                          "</span></td>");
    assert_contains(html, "<table class=\"fields frame-author\">");
    assert_contains(html, "<p class=\"signature\">GARY HALL<br>CHIEF EXECUTIVE</p>");
    free(html);
    doc_free(doc);
}

static void test_chart_describe(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    DocChart *c = doc_add_chart(&doc->body, DOC_CHART_LINE, "All Crime by quarter", 3, 2);
    const char *cats[] = {"Q1", "Q2", "Q3"};
    for (int i = 0; i < 3; i++)
        doc_chart_category(c, i, cats[i]);
    doc_chart_series(c, 0, "2010/11");
    doc_chart_series(c, 1, "2011/12");
    doc_chart_point(c, 0, 0, 1, 1606, "1606");
    doc_chart_point(c, 0, 1, 1, 1413, "1413");
    doc_chart_point(c, 0, 2, 1, 1500, "1500");
    doc_chart_point(c, 1, 0, 1, 1425, "1425");
    doc_chart_point(c, 1, 1, 1, 1455, "1455");
    doc_chart_point(c, 1, 2, 0, 0, NULL);
    Buf b = BUF_INIT;
    chart_describe(c, &b);
    assert_string_equal(buf_cstr(&b), "2010/11: Q1 1606, Q2 1413, Q3 1500; 2011/12: Q1 1425, "
                                      "Q2 1455, Q3 no figure.");
    buf_reset(&b);
    c->desc_by_category = 1;
    chart_describe(c, &b);
    assert_string_equal(buf_cstr(&b), "Q1: 2010/11 1606, 2011/12 1425; Q2: 2010/11 1413, 2011/12 "
                                      "1455; Q3: 2010/11 1500, 2011/12 no figure.");
    buf_reset(&b);
    chart_svg(c, 7, &b);
    assert_contains(buf_cstr(&b), "aria-labelledby=\"kpi-chart-7-title kpi-chart-7-desc\"");
    assert_contains(buf_cstr(&b), "<title id=\"kpi-chart-7-title\">All Crime by quarter</title>");
    assert_contains(buf_cstr(&b), "stroke-dasharray=\"7 4\""); /* series differ by more than colour */
    /* the missing point breaks the line: one move, no line to Q3 for 2011/12 */
    assert_int_equal(count(buf_cstr(&b), "<title>2011/12,"), 2);
    assert_int_equal(count(buf_cstr(&b), "<title>2010/11,"), 3);
    buf_release(&b);
    char *txt = render(doc, "txt");
    /* the text alternative is not printed in the body of a text paper */
    assert_string_equal(txt, "Chart: All Crime by quarter\n(drawn in the PDF, Word and web versions of this "
                             "paper)\n");
    free(txt);
    doc_free(doc);
}

static void test_formats(void **state)
{
    (void)state;
    Doc *doc = doc_new();
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    assert_true(render_format_known("md"));
    assert_true(render_format_known("txt"));
    assert_true(render_format_known("html"));
    assert_true(render_format_known("pdf"));
    assert_true(render_format_known("docx"));
    assert_true(render_format_known("xlsx"));
    assert_false(render_format_known("odt"));
    assert_false(render_format_known(NULL));
    assert_int_equal(render_doc(doc, "odt", &out, &err), -1);
    assert_string_equal(err_msg(&err), "unknown format 'odt' (expected md, txt, html, pdf, docx, xlsx)");
    assert_int_equal(render_doc(doc, "html", &out, &err), 0);
    assert_contains(buf_cstr(&out), "<title>Report</title>");
    buf_release(&out);
    err_release(&err);
    doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_everything),
        cmocka_unit_test(test_html_escape_function),
        cmocka_unit_test(test_html_lists),
        cmocka_unit_test(test_md_escaping),
        cmocka_unit_test(test_txt_layout),
        cmocka_unit_test(test_txt_wide_table_wraps),
        cmocka_unit_test(test_cards_and_frames_txt_md),
        cmocka_unit_test(test_chart_describe),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
