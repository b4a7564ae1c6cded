/* test_template_benchmark.c — the {{benchmark CODE group=G}} directive
 * (template.c) over a hand-made ReportCtx whose benchmark callback returns
 * fixed rows: the table's cells, the marked home area, the notes, the group
 * rate, and the errors (with the template's line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "template.h"

#define NROWS 5
#define LONG_NAME "Blackburn with Darwen and the Very Long Named Borough of Somewhere Else"
/* ranks as `kpi benchmark` gives them for polarity lower ([0]) and higher ([1]) */
static const char *const ROWS[NROWS][REPORT_BENCH_NCOLS] = {
    {"Chorley", "E07000118", "2012", "117732", "17.09", "16.35", "17.85", "2", "20.00", "better",
     "population of 2021 (none for 2022)"},
    {"Preston", "E07000123", "4600", "147835", "31.12", "30.22", "32.03", "3", "20.00", "worse", ""},
    {LONG_NAME, "E06000008", "7087", "154739", "45.80", "44.69", "46.93", "4", "20.00", "worse", ""},
    {"Wyre", "", "", "", "", "", "", "", "20.00", "", "no value for the period"},
    {"Ribble Valley", "E07000124", "659", "61561", "10.70", "9.90", "11.55", "1", "20.00", "better", ""},
};
static const char *const RANK_HIGHER[NROWS] = {"3", "2", "1", "", "4"};
static int polarity_higher; /* the fake gives the ranks of polarity higher */
static int polarity_none;   /* the fake gives the verdicts of polarity none */

static int fake_bench(void *arg, const char *code, const char *group, ReportBench *out, Err *err)
{
    int *calls = arg;
    (*calls)++;
    if (strcmp(group, "Neighbours") != 0)
        return err_set(err, "unknown group '%s'", group);
    if (strcmp(code, "crime.all") != 0)
        return err_set(err, "unknown indicator '%s'", code);
    out->nrows = NROWS;
    out->cells = calloc(NROWS * REPORT_BENCH_NCOLS, sizeof *out->cells);
    for (int r = 0; r < NROWS; r++)
        for (int c = 0; c < REPORT_BENCH_NCOLS; c++)
            out->cells[r * REPORT_BENCH_NCOLS + c] =
                strdup(c == 7 && polarity_higher            ? RANK_HIGHER[r]
                       : c == 9 && polarity_none && ROWS[r][c][0] ? (strcmp(ROWS[r][c], "better") == 0 ? "lower" : "higher")
                                                             : ROWS[r][c]);
    out->title = strdup("All crime");
    out->per = 1000;
    return 0;
}

static void ctx_init(ReportCtx *ctx, int *calls)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->period.kind = PERIOD_QUARTER;
    ctx->period.first = 2022 * 12 + 3;
    ctx->fy_start = 4;
    ctx->area = "Chorley";
    ctx->benchmark = fake_bench;
    ctx->benchmark_arg = calls;
}

static int build(ReportCtx *ctx, const char *tpl, const char *format, Buf *out, Err *err)
{
    Doc *doc = NULL;
    if (template_build(tpl, strlen(tpl), "t.md", ctx, &doc, err) != 0)
        return -1;
    int rc = render_doc(doc, format, out, err);
    doc_free(doc);
    return rc;
}

static void test_table(void **state)
{
    (void)state;
    ReportCtx ctx;
    int calls = 0;
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    ctx_init(&ctx, &calls);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=\"Neighbours\"}}\n", "md", &out, &err), 0);
    const char *md = buf_cstr(&out);
    assert_int_equal(calls, 1);
    assert_non_null(strstr(md, "All crime per 1,000: Chorley (\\*) against Neighbours"));
    assert_non_null(strstr(md, "| Area | Count | Pop. | Rate | Lower | Upper | Rank | Verdict |"));
    assert_non_null(strstr(md, "| Chorley \\* | 2012 | 117732 | 17.09 | 16.35 | 17.85 | 2 | better |"));
    assert_non_null(strstr(md, "| Preston | 4600 | 147835 | 31.12 | 30.22 | 32.03 | 3 | worse |"));
    assert_non_null(strstr(md, "Chorley: population of 2021 (none for 2022)"));
    assert_non_null(strstr(md, "Group rate: 20.00 per 1,000 residents."));
    buf_reset(&out);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours caption=\"Crime\"}}\n", "html", &out,
                           &err),
                     0);
    assert_non_null(strstr(buf_cstr(&out), "Crime"));
    assert_non_null(strstr(buf_cstr(&out), "31.12"));
    /* chart=yes: the text alternative lists every area's rate and interval, best first, and the group rate */
    buf_reset(&out);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours chart=yes}}\n", "md", &out, &err), 0);
    const char *txt = buf_cstr(&out);
    assert_non_null(strstr(txt, "All crime per 1,000 residents: Chorley against Neighbours, best first (lowest first)"));
    assert_non_null(strstr(txt, "Rate per 1,000 residents, with its 95% interval, one area at a time: Ribble Valley "
                                "10.70 (9.90 to 11.55); Chorley (the report's area) 17.09 (16.35 to 17.85); Preston "
                                "31.12 (30.22 to 32.03); " LONG_NAME " 45.80 (44.69 to 46.93). Group rate: 20.00."));
    buf_release(&out);
    err_release(&err);
}

/* The rows of a benchmark SVG: label, bar, whisker. */
typedef struct SvgRow {
    char label[128];
    int home, bold;
    double x, width, lo, hi, rate;
} SvgRow;

static int svg_rows(const char *svg, SvgRow *rows, int most)
{
    int n = 0;
    for (const char *p = strstr(svg, "<g class=\"bench-row"); p && n < most; p = strstr(p + 1, "<g class=\"bench-row")) {
        SvgRow *r = &rows[n++];
        const char *end = strstr(p, "</g>");
        memset(r, 0, sizeof *r);
        r->home = strncmp(p, "<g class=\"bench-row bench-home\"", 31) == 0;
        const char *t = strstr(p, "<text "), *gt = t ? strchr(t, '>') : NULL, *te = gt ? strstr(gt, "</text>") : NULL;
        assert_non_null(te);
        r->bold = strstr(t, "font-weight=\"bold\"") && strstr(t, "font-weight=\"bold\"") < gt;
        snprintf(r->label, sizeof r->label, "%.*s", (int)(te - gt - 1), gt + 1);
        const char *rect = strstr(p, "<rect class=\"bench-bar\" x=\"");
        assert_true(rect && rect < end);
        double y;
        assert_int_equal(sscanf(rect, "<rect class=\"bench-bar\" x=\"%lf\" y=\"%lf\" width=\"%lf\"", &r->x, &y, &r->width),
                         3);
        const char *w = strstr(p, "class=\"bench-whisker\" d=\"M");
        assert_true(w && w < end);
        assert_int_equal(sscanf(w, "class=\"bench-whisker\" d=\"M%lf %lfH%lf", &r->lo, &y, &r->hi), 3);
        const char *tt = strstr(rect, ": ");
        assert_non_null(tt);
        r->rate = strtod(tt + 2, NULL);
    }
    return n;
}

static void test_chart_svg(void **state)
{
    (void)state;
    ReportCtx ctx;
    int calls = 0;
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    SvgRow rows[8];
    ctx_init(&ctx, &calls);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours chart=yes}}\n", "html", &out, &err), 0);
    const char *svg = strstr(buf_cstr(&out), "<svg");
    assert_non_null(svg);
    /* one row per area with a rate (Wyre has none), best first: lowest first for polarity lower */
    assert_int_equal(svg_rows(svg, rows, 8), 4);
    static const char *const want[4] = {"Ribble Valley", "Chorley *", "Preston", NULL};
    static const double rates[4] = {10.70, 17.09, 31.12, 45.80};
    for (int i = 0; i < 3; i++)
        assert_string_equal(rows[i].label, want[i]);
    /* a long name is cut with an ellipsis, never wider than the label column */
    assert_non_null(strstr(rows[3].label, "\xe2\x80\xa6"));
    assert_true(strlen(rows[3].label) < strlen(LONG_NAME));
    assert_true(strncmp(rows[3].label, "Blackburn with", 14) == 0);
    /* the home area: bold, its own colour, "*" (colour is not the only cue) */
    assert_true(rows[1].home && rows[1].bold);
    assert_true(!rows[0].home && !rows[0].bold && !rows[2].home);
    assert_non_null(strstr(svg, "height=\"12.0\" fill=\"#D55E00\"><title>Rate, Chorley: 17.09"));
    /* bars from one x, lengths proportional to the rate; lower <= rate <= upper on every whisker */
    double k = rows[0].width / rates[0];
    for (int i = 0; i < 4; i++) {
        assert_true(rows[i].x == rows[0].x);
        assert_float_equal(rows[i].rate, rates[i], 1e-9);
        assert_float_equal(rows[i].width, rates[i] * k, 0.15);
        if (!(rows[i].lo <= rows[i].x + rows[i].width && rows[i].x + rows[i].width <= rows[i].hi))
            fail_msg("row %d: whisker %.1f..%.1f does not hold the bar's end %.1f", i, rows[i].lo, rows[i].hi,
                     rows[i].x + rows[i].width);
    }
    /* the group's rate: one vertical dashed line at its x, labelled */
    double gx, gy1, gy2;
    const char *g = strstr(svg, "class=\"bench-group\" d=\"M");
    assert_non_null(g);
    assert_int_equal(sscanf(g, "class=\"bench-group\" d=\"M%lf %lfV%lf", &gx, &gy1, &gy2), 3);
    assert_float_equal(gx, rows[0].x + 20.00 * k, 0.15);
    assert_true(gy2 > gy1);
    assert_null(strstr(g + 1, "class=\"bench-group\""));
    assert_non_null(strstr(svg, ">Group rate: 20.00</text>"));
    /* the x axis's title is the unit; the text alternative is in <desc> */
    assert_non_null(strstr(svg, "class=\"axis-title\""));
    assert_non_null(strstr(svg, ">per 1,000 residents</text>"));
    assert_non_null(strstr(svg, "<desc id=\"kpi-chart-1-desc\">Rate per 1,000 residents, with its 95% interval"));
    assert_non_null(strstr(svg, "Chorley (the report&#39;s area) 17.09 (16.35 to 17.85)"));
    /* polarity higher: best first is highest first */
    polarity_higher = 1;
    buf_reset(&out);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours chart=yes}}\n", "html", &out, &err), 0);
    polarity_higher = 0;
    svg = strstr(buf_cstr(&out), "<svg");
    assert_int_equal(svg_rows(svg, rows, 8), 4);
    assert_string_equal(rows[1].label, "Preston");
    assert_string_equal(rows[2].label, "Chorley *");
    assert_string_equal(rows[3].label, "Ribble Valley");
    assert_non_null(strstr(svg, "best first (highest first)"));
    /* polarity none: verdicts higher/lower, ranks lowest first, and no "best" in the title */
    polarity_none = 1;
    buf_reset(&out);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours chart=yes}}\n", "html", &out, &err), 0);
    polarity_none = 0;
    svg = strstr(buf_cstr(&out), "<svg");
    assert_int_equal(svg_rows(svg, rows, 8), 4);
    assert_string_equal(rows[0].label, "Ribble Valley");
    assert_non_null(strstr(svg, "against Neighbours, by rate (lowest first)"));
    buf_release(&out);
    err_release(&err);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *tpl, *msg;
    } cases[] = {
        {"x\n\n{{benchmark crime.all group=Nope}}\n", "t.md:3: benchmark crime.all: unknown group 'Nope'"},
        {"{{benchmark crime.none group=Neighbours}}\n", "t.md:1: benchmark crime.none: unknown indicator"},
        {"{{benchmark crime.all}}\n", "t.md:1: 'benchmark' needs group=NAME"},
        {"{{benchmark group=Neighbours}}\n", "t.md:1: 'benchmark' takes one indicator code"},
        {"{{benchmark crime.all group=Neighbours per=10}}\n", "unknown option 'per' for 'benchmark'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ReportCtx ctx;
        int calls = 0;
        Buf out = BUF_INIT;
        Err err = ERR_INIT;
        ctx_init(&ctx, &calls);
        assert_int_equal(build(&ctx, cases[i].tpl, "md", &out, &err), -1);
        if (!strstr(err_msg(&err), cases[i].msg))
            fail_msg("case %zu: got [%s], wanted [%s]", i, err_msg(&err), cases[i].msg);
        buf_release(&out);
        err_release(&err);
    }
    /* no store behind the context (no callback): a clear error */
    ReportCtx ctx;
    int calls = 0;
    Buf out = BUF_INIT;
    Err err = ERR_INIT;
    ctx_init(&ctx, &calls);
    ctx.benchmark = NULL;
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours}}\n", "md", &out, &err), -1);
    assert_non_null(strstr(err_msg(&err), "not available here"));
    buf_release(&out);
    err_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_chart_svg),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
