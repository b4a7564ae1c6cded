/* test_template_benchmark.c — the {{benchmark CODE group=G}} directive
 * (template.c) over a hand-made ReportCtx whose benchmark callback returns
 * fixed rows: the table's cells, the marked home area, the notes, the group
 * rate, and the errors (with the template's line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "template.h"

static const char *const ROWS[2][REPORT_BENCH_NCOLS] = {
    {"Chorley", "E07000118", "2012", "117732", "17.09", "16.35", "17.85", "2", "20.00", "better",
     "population of 2021 (none for 2022)"},
    {"Preston", "E07000123", "4600", "147835", "31.12", "30.22", "32.03", "3", "20.00", "worse", ""},
};

static int fake_bench(void *arg, const char *code, const char *group, ReportBench *out, Err *err)
{
    int *calls = arg;
    (*calls)++;
    if (strcmp(group, "Neighbours") != 0)
        return err_set(err, "unknown group '%s'", group);
    if (strcmp(code, "crime.all") != 0)
        return err_set(err, "unknown indicator '%s'", code);
    out->nrows = 2;
    out->cells = calloc(2 * REPORT_BENCH_NCOLS, sizeof *out->cells);
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < REPORT_BENCH_NCOLS; c++)
            out->cells[r * REPORT_BENCH_NCOLS + c] = strdup(ROWS[r][c]);
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
    /* chart=yes: a line chart over the areas, lowest rate first, home marked */
    buf_reset(&out);
    /* the order read from the text alternative (the SVG's <desc>; a text paper does not print it) */
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours chart=yes}}\n", "html", &out, &err), 0);
    const char *txt = buf_cstr(&out);
    assert_non_null(strstr(txt, "All crime per 1,000 residents: Chorley against Neighbours, lowest first"));
    const char *c = strstr(txt, "Rate: Chorley * 17.09"), *p = strstr(txt, "Preston 31.12");
    if (!c || !p || p < c)
        fail_msg("chart points not in rate order:\n%s", txt);
    assert_non_null(strstr(txt, "Group rate: Chorley * 20.00"));
    /* drawn (SVG) as bars with whiskers and one dashed line for the group */
    buf_reset(&out);
    assert_int_equal(build(&ctx, "{{benchmark crime.all group=Neighbours chart=yes}}\n", "html", &out, &err), 0);
    assert_non_null(strstr(buf_cstr(&out), "<g class=\"whiskers\""));
    assert_non_null(strstr(buf_cstr(&out), "Chorley *: 95% interval 16.35 to 17.85"));
    assert_non_null(strstr(buf_cstr(&out), "stroke-dasharray=\"6 3\"><title>Group rate: 20.00</title>"));
    assert_non_null(strstr(buf_cstr(&out), ">95% interval</text>"));
    buf_free(&out);
    err_free(&err);
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
        buf_free(&out);
        err_free(&err);
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
    buf_free(&out);
    err_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
