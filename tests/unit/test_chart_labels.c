/* test_chart_labels.c — category labels of the cairo charts (PDF and the
 * Word PNGs) never collide: their ink, measured with pango as drawn, does
 * not overlap for five years of months, for sixty long names, for a few very
 * long names, and labels stay within the chart. A chart with a y-axis title
 * leaves room for it and still does not collide. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_cairo.h"
#include "doc.h"

#define WIDTH 471.0 /* the PDF's text width in points */

/* A bar chart of n categories named by fmt (with %d), one series. */
static Doc *chart_doc(int n, const char *fmt, const char *axis, DocChart **out)
{
    Doc *doc = doc_new();
    DocChart *c = doc_add_chart(&doc->body, DOC_CHART_BAR, "t", n, 1);
    doc_chart_series(c, 0, "s");
    for (int i = 0; i < n; i++) {
        char label[160];
        snprintf(label, sizeof label, fmt, i + 1);
        doc_chart_category(c, i, label);
        doc_chart_point(c, 0, i, 1, 10.0 + i, "10");
    }
    doc_chart_axis(c, axis);
    *out = c;
    return doc;
}

/* Every drawn label's ink lies within the chart and left of the next one's. */
static int check_no_overlap(const DocChart *c, int min_drawn)
{
    double *l = calloc((size_t)c->ncats, sizeof *l), *r = calloc((size_t)c->ncats, sizeof *r);
    int drawn = chart_cairo_label_boxes(c, WIDTH, l, r), prev = -1;
    assert_true(drawn >= min_drawn);
    for (int i = 0; i < c->ncats; i++) {
        if (l[i] == 0 && r[i] == 0)
            continue;
        assert_true(l[i] >= 0 && r[i] <= WIDTH);
        if (prev >= 0 && !(r[prev] <= l[i]))
            fail_msg("labels %d (%.1f..%.1f) and %d (%.1f..%.1f) overlap", prev, l[prev], r[prev], i, l[i], r[i]);
        prev = i;
    }
    free(l);
    free(r);
    return drawn;
}

static void test_sixty_months(void **state)
{
    (void)state;
    DocChart *c;
    Doc *doc = chart_doc(60, "Sep %d", "Crimes", &c);
    int drawn = check_no_overlap(c, 6);
    assert_true(drawn < 60); /* thinned: sixty months do not fit one by one */
    doc_free(doc);
}

static void test_sixty_long_names(void **state)
{
    (void)state;
    DocChart *c;
    Doc *doc = chart_doc(60, "Violence against the person, area %d", NULL, &c);
    check_no_overlap(c, 2);
    doc_free(doc);
}

static void test_few_very_long_names(void **state)
{
    (void)state;
    DocChart *c;
    Doc *doc = chart_doc(5,
                         "Theft from the person, bicycle theft, shoplifting and other theft, a name far too long "
                         "for its band %d",
                         "%", &c);
    assert_int_equal(check_no_overlap(c, 5), 5); /* five fit: wrapped and cut, all shown */
    doc_free(doc);
}

static void test_one_unbreakable_word(void **state)
{
    (void)state;
    DocChart *c;
    Doc *doc = chart_doc(12, "Supercalifragilisticexpialidocious%d", NULL, &c);
    check_no_overlap(c, 1);
    doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sixty_months),
        cmocka_unit_test(test_sixty_long_names),
        cmocka_unit_test(test_few_very_long_names),
        cmocka_unit_test(test_one_unbreakable_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
