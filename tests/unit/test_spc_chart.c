/* test_spc_chart.c — the statistical process control chart of the document
 * tree in every format: the SVG has the points with their class as a shape
 * and in words, the mean, limits and target lines, the variation and
 * assurance icons with their words; the text alternative names the special
 * causes; PDF, Word and Excel render it, and an empty or one-point chart is
 * drawn without a fault. With KPI_SPC_OUT=DIR set the files are written
 * there to be looked at. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "chart.h"
#include "render.h"

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("missing '%s'", needle);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* 24 months of a count: the last seven rising (a trend of concern) and one
 * point above the upper limit, an improvement low point, a missing month. */
static Doc *spc_doc(int npoints)
{
    Doc *d = doc_new();
    doc_text_puts(doc_add_heading(&d->body, 1), "All crime", 0);
    DocChart *c = doc_add_spc(&d->body, "All crime by month <SPC>", "All crime", npoints);
    for (int i = 0; i < npoints; i++) {
        char cat[16], text[16];
        snprintf(cat, sizeof cat, "M%02d", i + 1);
        double v = 100 + (i % 5) * 3 + (i >= npoints - 7 ? (i - (npoints - 7)) * 6 : 0);
        snprintf(text, sizeof text, "%.0f", v);
        doc_chart_category(c, i, cat);
        if (i == 3)
            doc_chart_point(c, 0, i, 0, 0, NULL);
        else
            doc_chart_point(c, 0, i, 1, v, text);
    }
    if (npoints >= 12) {
        doc_spc_limits(c, 106.0, 88.5, 123.5, "106.0", "88.5", "123.5");
        doc_spc_target(c, 95.0, "95");
        for (int i = npoints - 7; i < npoints; i++)
            doc_spc_mark(c, i, DOC_SPC_CONCERN);
        doc_spc_mark(c, 5, DOC_SPC_IMPROVEMENT);
        doc_spc_mark(c, 6, DOC_SPC_NEUTRAL);
        doc_spc_icons(c, DOC_SPC_CONCERN, 'H', "Special cause of concern: higher", DOC_SPC_ASSURE_FAIL,
                      "The target will not be met without a change");
    }
    return d;
}

/* The text of one part of a zip held in memory ("" when there is none). */
static void zip_part(const Buf *zipdata, const char *name, Buf *out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zipdata->data, zipdata->len, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(za);
    zip_file_t *zf = zip_fopen(za, name, 0);
    if (zf) {
        char chunk[4096];
        zip_int64_t n;
        while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0)
            buf_append(out, chunk, (size_t)n);
        zip_fclose(zf);
    }
    buf_puts(out, "");
    zip_discard(za);
    zip_error_fini(&ze);
}

static void save(const char *name, const Buf *b)
{
    const char *dir = getenv("KPI_SPC_OUT");
    if (!dir)
        return;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(b->data, 1, b->len, fp);
    fclose(fp);
}

static void test_svg(void **state)
{
    (void)state;
    Doc *d = spc_doc(24);
    Buf html = BUF_INIT;
    Err err = {0};
    assert_int_equal(render_doc(d, "html", &html, &err), 0);
    const char *h = buf_cstr(&html);
    save("spc.html", &html);
    /* 23 points drawn (one missing); seven of concern, one improvement, one neutral */
    assert_int_equal(count(h, "(Concern)</title>"), 7);
    assert_int_equal(count(h, "(Improvement)</title>"), 1);
    assert_int_equal(count(h, "(Neutral)</title>"), 1);
    assert_int_equal(count(h, "(Common cause)</title>"), 23 - 9);
    assert_contains(h, "<title>Upper process limit 123.5</title>");
    assert_contains(h, "<title>Lower process limit 88.5</title>");
    assert_contains(h, "<title>Mean 106.0</title>");
    assert_contains(h, "<title>Target 95</title>");
    assert_contains(h, "aria-label=\"Special cause of concern: higher\"");
    assert_contains(h, "aria-label=\"The target will not be met without a change\"");
    assert_contains(h, ">H</text>");
    assert_contains(h, ">F</text>");
    assert_contains(h, chart_spc_colour(DOC_SPC_CONCERN));
    assert_contains(h, "All crime by month &lt;SPC&gt;");
    /* the text alternative */
    assert_contains(h, "Special cause: M06 (Improvement), M07 (Neutral), M18 (Concern)");
    assert_contains(h, "Mean 106.0; process limits 88.5 to 123.5. Target 95.");
    assert_contains(h, "M04 no figure");
    buf_release(&html);
    doc_free(d);
}

static void test_every_format(void **state)
{
    (void)state;
    static const char *const formats[] = {"md", "txt", "pdf", "docx", "xlsx"};
    static const int sizes[] = {24, 1, 0};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        Doc *d = spc_doc(sizes[s]);
        for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            Buf out = BUF_INIT;
            Err err = {0};
            if (render_doc(d, formats[f], &out, &err) != 0)
                fail_msg("%s of %d points: %s", formats[f], sizes[s], buf_cstr(&err.msg));
            assert_true(out.len > 0);
            if (sizes[s] == 24) {
                char name[32];
                snprintf(name, sizeof name, "spc.%s", formats[f]);
                save(name, &out);
            }
            if (strcmp(formats[f], "md") == 0 && sizes[s] == 24)
                assert_contains(buf_cstr(&out), "Variation: Special cause of concern: higher.");
            if (strcmp(formats[f], "xlsx") == 0 && sizes[s] == 24) {
                Buf part = BUF_INIT;
                zip_part(&out, "xl/charts/chart1.xml", &part);
                /* points, mean, two limits, target, and three kinds of special cause */
                assert_int_equal(count(buf_cstr(&part), "<c:ser>"), 8);
                assert_contains(buf_cstr(&part), "<c:lineChart>");
                buf_reset(&part);
                zip_part(&out, "xl/sharedStrings.xml", &part);
                assert_contains(buf_cstr(&part), "Special cause of concern: higher");
                assert_contains(buf_cstr(&part), "Lower process limit");
                buf_release(&part);
            }
            if (strcmp(formats[f], "pdf") == 0)
                assert_true(memcmp(out.data, "%PDF", 4) == 0);
            buf_release(&out);
        }
        doc_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_every_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
