/* test_template.c — the report template language, end to end through the
 * renderers: a ReportCtx built by hand (compare rows from figures_compare on
 * real values: the seed's All Crime, Domestic Violence Detections with no
 * figures last year, the fire targets, road casualties, an indicator titled
 * <script>&"'), projects and delivery counts. Checks table cells and header
 * labels, inline figures, generated sentences, period words, delivery and
 * project directives, charts, escaping, paragraph numbering, default frame
 * placement, and every class of template error with its line number. */
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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define M(y, mon) ((y) * 12 + (mon) - 1)
#define APRIL 4
#define NINDS 8
#define NPROJECTS 4
#define EVIL "<script>&\"'"

/* ---- the fixture ---- */

static int64_t micro(const char *s)
{
    int64_t m = 0;
    const char *why = NULL;
    if (fq_parse_micro(s, &m, &why) != 0)
        fail_msg("bad test number %s: %s", s, why);
    return m;
}

static Value qv(int y, int mon, const char *v)
{
    Value x;
    memset(&x, 0, sizeof x);
    x.period.kind = PERIOD_QUARTER;
    x.period.first = M(y, mon);
    x.micro = micro(v);
    return x;
}

static Value qr(int y, int mon, const char *num, const char *den)
{
    Value x = qv(y, mon, "0");
    x.has_ratio = 1;
    x.num_micro = micro(num);
    x.den_micro = micro(den);
    x.micro = x.num_micro * 100 / x.den_micro * 1;
    return x;
}

typedef struct Fixture {
    ReportCtx ctx;
    ReportIndicator inds[NINDS];
    ReportProject projects[NPROJECTS];
} Fixture;

static void add_ind(Fixture *f, int i, const char *code, const char *title, IndicatorDef def,
                    const Value *v, int nv, const Target *t, int nt)
{
    ReportIndicator *ri = &f->inds[i];
    memset(ri, 0, sizeof *ri);
    ri->code = code;
    ri->title = title;
    ri->partner = "Lancashire Constabulary";
    ri->def = def;
    figures_compare(&def, v, nv, t, nt, f->ctx.period, APRIL, &ri->row);
    /* chart series: quarters of this year and last, from the values given */
    for (int k = 0; k < nv; k++) {
        int fy = period_fy(v[k].period.first, APRIL);
        int q = (v[k].period.first - period_fy_first(fy, APRIL)) / 3;
        Fig *dst = fy == 2011 ? ri->quarter_cur : ri->quarter_prev;
        if (q >= 0 && q < REPORT_FY_QUARTERS && !v[k].has_ratio) {
            dst[q].has = 1;
            dst[q].q = fq_micro(v[k].micro);
        }
    }
}

static void fixture_init(Fixture *f)
{
    const char *why;
    memset(f, 0, sizeof *f);
    assert_int_equal(period_parse("2011/12 Q2", APRIL, &f->ctx.period, &why), 0);
    f->ctx.fy_start = APRIL;
    f->ctx.area = "Chorley";

    IndicatorDef count_lower = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    IndicatorDef pct_higher = {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1};
    IndicatorDef pct0_higher = {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 0};

    Value crime[] = {qv(2010, 4, "1606"), qv(2010, 7, "1413"), qv(2011, 4, "1425"),
                     qv(2011, 7, "1455")};
    add_ind(f, 0, "crime.all", "All Crime", count_lower, crime, 4, NULL, 0);
    Value dv[] = {qr(2011, 4, "116", "156"), qr(2011, 7, "106", "137")};
    add_ind(f, 1, "crime.dv-detections", "Domestic Violence Detections", pct_higher, dv, 2,
            NULL, 0);
    Value adf[] = {qv(2010, 4, "15"), qv(2010, 7, "16"), qv(2011, 4, "14"), qv(2011, 7, "13")};
    Target adf_t[] = {{2011, micro("64"), micro("5")}};
    add_ind(f, 2, "fire.adf", "Accidental Dwelling Fires", count_lower, adf, 4, adf_t, 1);
    Value hfsc[] = {qr(2011, 4, "300", "500"), qr(2011, 7, "330", "550")};
    Target hfsc_t[] = {{2011, micro("60"), micro("5")}};
    add_ind(f, 3, "fire.hfsc-vulnerable",
            "Vulnerable households that receive a Home Fire Safety Check", pct0_higher, hfsc, 2,
            hfsc_t, 1);
    Value si[] = {qv(2010, 7, "12"), qv(2011, 7, "3")};
    add_ind(f, 4, "roads.seriously-injured", "People seriously injured", count_lower, si, 2,
            NULL, 0);
    Value sl[] = {qv(2010, 7, "44"), qv(2011, 7, "28")};
    add_ind(f, 5, "roads.slightly-injured", "People slightly injured", count_lower, sl, 2,
            NULL, 0);
    Value ck[] = {qv(2010, 7, "0"), qv(2011, 7, "0")};
    add_ind(f, 6, "roads.child-killed", "Children killed", count_lower, ck, 2, NULL, 0);
    Value ev[] = {qv(2010, 7, "5"), qv(2011, 7, "4")};
    add_ind(f, 7, "x.evil", EVIL, count_lower, ev, 2, NULL, 0);
    f->ctx.inds = f->inds;
    f->ctx.ninds = NINDS;

    f->projects[0] = (ReportProject){"early-intervention", "Early Intervention",
                                     "This project will work with the Children's Trust.",
                                     "Chorley Council / Lancashire County Council", 1,
                                     STATUS_GREEN, "Made up time following delays in Q1."};
    f->projects[1] = (ReportProject){"total-alcohol", "Total Alcohol",
                                     "Three phases:\n1. Circles of Need\n2. High Level Count",
                                     "Chorley Council", 1, STATUS_AMBER, NULL};
    f->projects[2] = (ReportProject){"evil", EVIL, EVIL, EVIL, 1, STATUS_GREEN, EVIL};
    f->projects[3] = (ReportProject){"other", "Other item", NULL, NULL, 0, STATUS_UNREPORTED,
                                     NULL};
    f->ctx.projects = f->projects;
    f->ctx.nprojects = NPROJECTS;
    f->ctx.delivery.count[STATUS_GREEN] = 39;
    f->ctx.delivery.count[STATUS_AMBER] = 5;
    f->ctx.delivery.count[STATUS_UNREPORTED] = 3;
    delivery_compute(&f->ctx.delivery);
}

static void fixture_release(Fixture *f)
{
    for (int i = 0; i < NINDS; i++)
        compare_row_release(&f->inds[i].row);
}

static int setup(void **state)
{
    static Fixture f;
    fixture_init(&f);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture_release(*state);
    return 0;
}

/* Build and render a template; fails the test on a template error. */
static char *render(void **state, const char *tpl, const char *format)
{
    Fixture *f = *state;
    Doc *doc = NULL;
    Err err = ERR_INIT;
    Buf out = BUF_INIT;
    if (template_build(tpl, strlen(tpl), "t.md", &f->ctx, &doc, &err) != 0)
        fail_msg("template error: %s", err_msg(&err));
    assert_int_equal(render_doc(doc, format, &out, &err), 0);
    doc_free(doc);
    err_release(&err);
    if (!out.data)
        return xstrdup("");
    return buf_detach(&out);
}

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

/* Inline text of a one-paragraph template, rendered as Markdown, without the
 * trailing newline. */
static char *inline_md(void **state, const char *tpl)
{
    char *s = render(state, tpl, "md");
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '\n')
        s[--n] = '\0';
    return s;
}

static void check_inline(void **state, const char *tpl, const char *want)
{
    char *s = inline_md(state, tpl);
    if (strcmp(s, want) != 0)
        fail_msg("%s\n  gave [%s]\n  want [%s]", tpl, s, want);
    free(s);
}

/* ---- tables ---- */

static void test_table_seed_headers(void **state)
{
    char *md = render(state,
                      "{{table crime.all crime.dv-detections\n"
                      "   columns=\"title previous value change_pct ytd ytd_change_pct\"\n"
                      "   headers=\"Category|{period label ago}|{period label}|% Change|YTD|% Change\"}}\n",
                      "md");
    assert_contains(md, "| Category | Q2 2010/11 | Q2 2011/12 | % Change | YTD | % Change |\n"
                        "|---|---:|---:|---:|---:|---:|\n");
    assert_contains(md, "| All Crime | 1413 | 1455 | +3.0 | 2880 | -4.6 |\n");
    assert_contains(md, "| Domestic Violence Detections |  | 77.4% |  | 75.8% |  |\n");
    assert_contains(md, "Note: Domestic Violence Detections: no figure for April to September 2010\n");
    free(md);
}

static void test_table_default_headers_and_columns(void **state)
{
    char *md = render(state, "{{table crime.all}}", "md");
    assert_contains(md, "| Indicator | Q2 2010/11 | Q2 2011/12 | % Change | YTD | YTD % Change |");
    free(md);
    md = render(state,
                "{{table fire.* columns=title,target,target_to_date,ytd,rag,direction,partner,code}}",
                "md");
    assert_contains(md, "| Indicator | 2011/12 Target | Target to date | YTD | RAG | Direction | "
                        "Lead Partner | Code |");
    assert_contains(md, "| Accidental Dwelling Fires | 64 | 32 | 27 | Green | \xe2\x96\xbc Down, better "
                        "| Lancashire Constabulary | fire.adf |");
    assert_contains(md, "| 60% | 60% | 60% | Green |");
    free(md);
    /* canonical period placeholders and the note column */
    md = render(state, "{{table crime.dv-detections columns=\"title value note\" "
                       "headers=\"A|{period}/{period ago}|N\"}}", "md");
    assert_contains(md, "| A | 2011/12 Q2/2010/11 Q2 | N |");
    assert_contains(md, "| 77.4% | no figure for April to September 2010 |");
    assert_lacks(md, "Note:");
    free(md);
}

static void test_targets_table(void **state)
{
    char *md = render(state, "{{targets fire.adf fire.hfsc-vulnerable}}", "md");
    assert_contains(md, "| Indicator | 2011/12 Target | YTD Performance |\n");
    assert_contains(md, "| Accidental Dwelling Fires | 64 | 27 |\n");
    assert_contains(md, "| Vulnerable households that receive a Home Fire Safety Check | 60% | 60% |");
    assert_lacks(md, "Note:"); /* last year's gaps do not touch these columns */
    free(md);
    char *html = render(state, "{{targets fire.adf rag=yes}}", "html");
    assert_contains(html, "<th scope=\"col\">RAG</th>");
    assert_contains(html, "<td class=\"rag rag-green\">Green</td>");
    free(html);
}

/* ---- inline figures and words ---- */

static void test_value_directive(void **state)
{
    check_inline(state, "{{value crime.all ytd_change_pct}}", "-4.6");
    check_inline(state, "{{value crime.all change_pct}}", "+3.0");
    check_inline(state, "a reduction of {{value crime.all ytd_change_pct abs=yes}}%",
                 "a reduction of 4.6%");
    check_inline(state, "{{value crime.all}} {{value crime.all previous}} {{value crime.all ytd}}",
                 "1455 1413 2880");
    check_inline(state, "{{value crime.all change}}", "+42");
    check_inline(state, "{{value crime.all change sign=no}}", "42");
    check_inline(state, "{{value roads.seriously-injured change_pct abs=yes trim=yes}}%", "75%");
    check_inline(state, "{{value roads.slightly-injured change_pct abs=yes trim=yes}}%", "36.4%");
    check_inline(state, "There have been {{value roads.child-killed zero=no}} child fatalities.",
                 "There have been no child fatalities.");
    check_inline(state, "{{value crime.dv-detections}} {{value crime.dv-detections unit=no}}",
                 "77.4% 77.4");
    check_inline(state, "{{value crime.dv-detections previous}}",
                 "There is no figure for Domestic Violence Detections for July to September 2010.");
    check_inline(state, "{{value crime.dv-detections previous missing=unknown}}", "unknown");
    check_inline(state, "{{value crime.all decimals=2}}", "1455.00");
    check_inline(state, "{{value roads.seriously-injured words=yes}}", "three");
    check_inline(state, "{{value fire.adf rag}} {{value fire.adf target_to_date}}", "Green 32");
    check_inline(state, "{{value crime.all title}}", "All Crime");
}

static void test_sentences(void **state)
{
    check_inline(state, "{{change crime.all subject=\"overall crime\"}}",
                 "Although overall crime in quarter two has increased by 3.0% compared to this "
                 "period last year, the year to date figure shows a reduction of 4.6%.");
    check_inline(state, "{{target fire.adf}}", "Accidental Dwelling Fires are lower than anticipated.");
    check_inline(state,
                 "{{movement roads.seriously-injured subject=\"those seriously injured\"}} and "
                 "{{movement roads.slightly-injured subject=\"slight injuries\" lead=no}}.",
                 "There has been a 75.0% reduction in those seriously injured and a 36.4% "
                 "reduction in slight injuries.");
}

/* A sentence whose figure is missing gives way to one that names the missing
 * months; the sentences around it stay; never "n/a". */
static void test_missing_sentences(void **state)
{
    check_inline(state, "First. Detections rose by {{value crime.dv-detections change abs=yes}} in **Q2**. Last.",
                 "First. There is no figure for Domestic Violence Detections for July to September 2010. Last.");
    /* two gaps in one sentence: said once; the emphasis of kept sentences stays */
    check_inline(state,
                 "**Bold** stays. Up {{value crime.dv-detections previous}} and {{value crime.dv-detections "
                 "ytd_previous}}, still",
                 "**Bold** stays. There is no figure for Domestic Violence Detections for July to September 2010. "
                 "There is no figure for Domestic Violence Detections for April to September 2010.");
    /* neighbouring sentences with the same words say them once */
    check_inline(state,
                 "A {{value crime.dv-detections previous}}. B {{value crime.dv-detections previous}}. C.",
                 "There is no figure for Domestic Violence Detections for July to September 2010. C.");
    /* a zero baseline has no percentage change, and says why */
    check_inline(state, "Down {{value roads.child-killed change_pct abs=yes}}% on last year.",
                 "There is no percentage change for Children killed: it was zero a year earlier.");
    /* the author's own words for a missing figure are kept */
    check_inline(state, "Last year: {{value crime.dv-detections previous missing=\"not collected\"}}.",
                 "Last year: not collected.");
    /* projects: none of a status, said without "zero of the" */
    check_inline(state, "Performance is strong, with all {{projects key red words=yes}} of the projects rated red.",
                 "None of the three key projects is rated red for July to September 2011.");
    check_inline(state, "All {{projects early-intervention red words=yes}} red.",
                 "The project is not rated red for July to September 2011.");
    /* no target: said, not left blank */
    check_inline(state, "The target is {{value crime.all target}} crimes.", "There is no target for All Crime for 2011/12.");
    /* says=: prose whose direction the figure contradicts gives way */
    check_inline(state, "Crime rose by {{value crime.all change_pct abs=yes says=increase}}%. Next.",
                 "Crime rose by 3.0%. Next.");
    check_inline(state, "Crime fell by {{value crime.all change_pct abs=yes says=reduction}}%. Next.",
                 "All Crime has increased by 3.0% compared to this period last year. Next.");
    check_inline(state, "Up {{value crime.all ytd_change_pct abs=yes says=increase}}%.",
                 "The year to date figure for All Crime shows a reduction of 4.6%.");
    check_inline(state, "Down by {{value crime.all change abs=yes says=reduction}} crimes.",
                 "All Crime has increased by 42 compared to this period last year.");
    char *s = inline_md(state, "x {{value crime.dv-detections change_pct}} y");
    assert_lacks(s, "n/a");
    free(s);
}

/* Nothing reported: the delivery and project sentences say so, and the list of
 * what the paper lacks names the figures, the delivery plan and the projects. */
static void test_nothing_reported(void **state)
{
    Fixture *f = *state;
    Delivery keep = f->ctx.delivery;
    Status st[NPROJECTS];
    for (int i = 0; i < NPROJECTS; i++) {
        st[i] = f->projects[i].status;
        f->projects[i].status = STATUS_UNREPORTED;
    }
    memset(&f->ctx.delivery, 0, sizeof f->ctx.delivery);
    f->ctx.delivery.count[STATUS_UNREPORTED] = 47;
    delivery_compute(&f->ctx.delivery);
    check_inline(state,
                 "Strong, with {{delivery green percent}}% rated green. In Q2 {{delivery green}} were green, "
                 "{{delivery amber}} amber. The other {{delivery unreported words=yes}} remain unreported. "
                 "There are {{delivery total}} items.",
                 "No project or priority in the delivery plan has reported yet for July to September 2011. "
                 "There are 47 items.");
    check_inline(state, "Performance is strong, with all {{projects key green words=yes}} of the projects green.",
                 "No key project has reported yet for July to September 2011.");
    char *md = render(state, "{{delivery}}", "md");
    assert_contains(md, "Nothing reported for July to September 2011");
    assert_lacks(md, "0%");
    free(md);
    const char *tpl = "{{table crime.dv-detections}}\n\nAll {{projects key green}} green. "
                      "{{delivery green}} green.\n";
    Doc *doc = NULL;
    Err err = ERR_INIT;
    Buf lacks = BUF_INIT;
    assert_int_equal(template_build_checked(tpl, strlen(tpl), "t.md", &f->ctx, &doc, &lacks, &err), 0);
    assert_string_equal(buf_cstr(&lacks),
                        "Domestic Violence Detections: no figure for April to September 2010\n"
                        "Projects: no key project has reported for July to September 2011\n"
                        "Delivery plan: nothing reported for July to September 2011\n");
    doc_free(doc);
    buf_reset(&lacks);
    /* a paper with every figure lacks nothing */
    const char *full = "{{table crime.all}} \n";
    assert_int_equal(template_build_checked(full, strlen(full), "t.md", &f->ctx, &doc, &lacks, &err), 0);
    assert_int_equal(lacks.len, 0);
    doc_free(doc);
    buf_release(&lacks);
    err_release(&err);
    f->ctx.delivery = keep;
    for (int i = 0; i < NPROJECTS; i++)
        f->projects[i].status = st[i];
}

static void test_period_words(void **state)
{
    check_inline(state, "{{period}}", "2011/12 Q2");
    check_inline(state, "{{period words}}", "quarter two");
    check_inline(state, "{{period words capital}} / {{period words title}}",
                 "Quarter two / Quarter Two");
    check_inline(state, "{{period span}}", "1 July to 30 September 2011");
    check_inline(state, "{{period label}} {{period label ago}}", "Q2 2011/12 Q2 2010/11");
    check_inline(state, "{{period ago}} {{period short}}", "2010/11 Q2 Q2");
    check_inline(state, "{{period ordinal}} {{period ordinal upper}}",
                 "second quarter SECOND QUARTER");
    check_inline(state, "{{year}} {{year ago}} {{year long}}", "2011/12 2010/11 2011/2012");
    check_inline(state, "{{area}}", "Chorley");
}

/* ---- delivery plan and projects ---- */

static void test_delivery(void **state)
{
    check_inline(state,
                 "{{delivery total}} items: {{delivery green}} green, {{delivery amber}} "
                 "({{delivery amber percent}}%) amber, the other {{delivery unreported words=yes}} "
                 "unreported; {{delivery reported}} reported, {{delivery green percent}}% green.",
                 "47 items: 39 green, 5 (11%) amber, the other three unreported; 44 reported, 89% "
                 "green.");
    char *md = render(state, "{{delivery}}", "md");
    assert_contains(md, "| Status | Count | % of reported |\n");
    assert_contains(md, "| Green | 39 | 89% |\n| Amber | 5 | 11% |\n| Red | 0 | 0% |\n");
    assert_contains(md, "| Not reported | 3 |  |\n| Total | 47 |  |\n");
    free(md);
    char *html = render(state, "{{delivery}}", "html");
    assert_contains(html, "<th scope=\"row\" class=\"rag rag-amber\">Amber</th>");
    free(html);
}

/* A commentary's lists keep their shape: tab after the marker, nesting by
 * indentation, numbers with ")" — in md, html and txt alike. */
static void test_project_lists(void **state)
{
    Fixture *f = *state;
    const char *saved = f->projects[1].commentary;
    f->projects[1].commentary = "Work completed:\n-\tData Analysis\n  - Case files\n  - Workshops\n"
                                        "\xe2\x80\xa2 Review\n1)\tFirst\n2) Second\n   continued";
    char *md = render(state, "{{projects total-alcohol}}", "md");
    assert_contains(md, "Work completed:\n\n- Data Analysis\n  - Case files\n  - Workshops\n- Review\n"
                        "1. First\n2. Second continued\n");
    free(md);
    char *html = render(state, "{{projects total-alcohol}}", "html");
    assert_contains(html, "<li>Data Analysis<ul>\n<li>Case files</li>\n<li>Workshops</li>\n</ul>\n</li>\n"
                          "<li>Review</li>\n</ul>\n<ol>\n<li value=\"1\">First</li>\n<li value=\"2\">Second continued");
    free(html);
    char *txt = render(state, "{{projects total-alcohol}}", "txt");
    assert_contains(txt, "- Data Analysis");
    assert_contains(txt, "  - Case files");
    assert_lacks(txt, "Data Analysis; ");
    free(txt);
    f->projects[1].commentary = saved;
}

static void test_projects(void **state)
{
    check_inline(state, "{{projects key count}} key, {{projects key green words=yes}} green, "
                        "{{projects all count}} in all, {{projects all unreported}} unreported",
                 "3 key, two green, 4 in all, 1 unreported");
    char *md = render(state, "{{projects early-intervention total-alcohol}}", "md");
    assert_contains(md, "### Early Intervention\n\n**What is it?** This project will work with "
                        "the Children's Trust.\n");
    assert_contains(md, "**Lead Partner:** Chorley Council / Lancashire County Council\n");
    assert_contains(md, "**RAG Status:** Green \xe2\x80\x94 Made up time following delays in Q1.\n");
    assert_contains(md, "**What is it?** Three phases:\n\n1. Circles of Need\n2. High Level Count\n");
    assert_contains(md, "**RAG Status:** Amber\n");
    assert_lacks(md, "Other item");
    free(md);
    /* a project without description or lead: no empty rows */
    md = render(state, "{{projects other}}", "md");
    assert_string_equal(md, "### Other item\n\n**RAG Status:** Not reported\n");
    free(md);
    char *html = render(state, "{{projects key}}", "html");
    assert_contains(html, "<th scope=\"row\">RAG Status</th><td><p><span class=\"rag rag-green\">"
                          "Green</span></p>");
    assert_contains(html, "<span class=\"rag rag-amber\">Amber</span>");
    assert_contains(html, "<th scope=\"row\">What is it?</th>");
    assert_contains(html, "<th scope=\"row\">Lead Partner</th><td>Chorley Council</td>");
    free(html);
    char *txt = render(state, "{{projects early-intervention}}", "txt");
    assert_contains(txt, "Early Intervention\n~~~~~~~~~~~~~~~~~~\nWhat is it?   This project");
    assert_contains(txt, "RAG Status    Green\n              Made up time");
    free(txt);
}

/* ---- charts ---- */

static void test_charts(void **state)
{
    char *md = render(state, "{{chart crime.all fire.adf}}", "md");
    assert_contains(md, "**Chart: Q2 2010/11 and Q2 2011/12**\n\n<details><summary>Figures shown</summary>"
                        "\n\nAll Crime: Q2 2010/11 1413, "
                        "Q2 2011/12 1455; Accidental Dwelling Fires: Q2 2010/11 16, Q2 2011/12 13.");
    free(md);
    char *html = render(state, "{{chart crime.all kind=line title=\"All crime by quarter\"}}",
                        "html");
    assert_contains(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
                          "aria-labelledby=\"kpi-chart-1-title kpi-chart-1-desc\"");
    assert_contains(html, "<title id=\"kpi-chart-1-title\">All crime by quarter</title>");
    assert_contains(html, "<desc id=\"kpi-chart-1-desc\">2010/11: Q1 1606, Q2 1413, Q3 no figure, "
                          "Q4 no figure; 2011/12: Q1 1425, Q2 1455, Q3 no figure, Q4 no figure.</desc>");
    assert_contains(html, "<path fill=\"none\"");
    free(html);
    char *txt = render(state, "{{chart crime.all kind=bar by=quarter}}", "txt");
    assert_contains(txt, "Chart: All Crime by quarter: 2010/11 and 2011/12\n(drawn in the PDF");
    assert_null(strstr(txt, "2010/11: Q1 1606"));
    free(txt);
}

/* ---- escaping of data in every format ---- */

static void test_escaping(void **state)
{
    const char *tpl = "---\ntitle: \"A {{value x.evil title}}\"\n---\n"
                      "# {{value x.evil title}}\n\n"
                      "Para {{value x.evil title}} *it*\n\n"
                      "{{table x.evil columns=\"title value\"}}\n\n"
                      "{{chart x.evil}}\n\n"
                      "{{projects evil}}\n";
    char *html = render(state, tpl, "html");
    assert_lacks(html, "<script");
    assert_contains(html, "<title>A &lt;script&gt;&amp;&quot;&#39;</title>");
    assert_contains(html, "<h1>A &lt;script&gt;&amp;&quot;&#39;</h1>");
    assert_contains(html, "<h1>&lt;script&gt;&amp;&quot;&#39;</h1>");
    assert_contains(html, "<p>Para &lt;script&gt;&amp;&quot;&#39; <em>it</em></p>");
    assert_contains(html, "<th scope=\"row\">&lt;script&gt;&amp;&quot;&#39;</th><td class=\"num\">4</td>");
    assert_contains(html, "<th colspan=\"2\" scope=\"colgroup\">&lt;script&gt;&amp;&quot;&#39;</th>");
    assert_contains(html, "<th scope=\"row\">Lead Partner</th><td>&lt;script&gt;&amp;&quot;&#39;</td>");
    assert_contains(html, ">&lt;script&gt;&amp;&quot;&#39;</tspan>");
    free(html);
    char *md = render(state, tpl, "md");
    assert_contains(md, "# \\<script\\>&\"'\n");
    assert_contains(md, "| \\<script\\>&\"' | 4 |");
    free(md);
}

/* ---- paragraph numbering and lists ---- */

static void test_numbering(void **state)
{
    char *md = render(state, "#. one\n#. two\n\n9. nine\n#. ten\n\ntext\n\n#. eleven\n", "md");
    assert_contains(md, "1. one\n2. two\n9. nine\n10. ten\n\ntext\n\n11. eleven\n");
    free(md);
    char *html = render(state, "- a\n  - a1\n  - a2\n- b\n\n14. p\n#. q\n", "html");
    assert_contains(html, "<ul>\n<li>a<ul>\n<li>a1</li>\n<li>a2</li>\n</ul>\n</li>\n<li>b</li>\n"
                          "</ul>\n<ol>\n<li value=\"14\">p</li>\n<li value=\"15\">q</li>\n</ol>\n");
    free(html);
    /* a list item continues on the next line; **bold** across it */
    md = render(state, "- **robbery** and\n  **serious violent crime**.\n", "md");
    assert_contains(md, "- **robbery** and **serious violent crime**.\n");
    free(md);
    md = render(state, "3 \\* 4 and a ** b, \\{{not a directive}}\n", "md");
    assert_contains(md, "3 \\* 4 and a \\*\\* b, {{not a directive}}\n");
    free(md);
}

/* ---- frames ---- */

static const char FRONT[] =
    "---\n"
    "report_of: Chief Executive\n"
    "meeting: Executive Cabinet\n"
    "date: 24 November 2011\n"
    "title: \"{{period ordinal upper}} REPORT {{year long}}\"\n"
    "purpose:\n"
    "  - To update members on {{period span}}.\n"
    "recommendations:\n"
    "  - That the report be noted.\n"
    "confidential: no\n"
    "key_decision: yes\n"
    "reasons:\n"
    "  - To facilitate analysis,\n"
    "    continued here.\n"
    "alternatives:\n"
    "  - None.\n"
    "priorities:\n"
    "  - [x] Strong Family Support\n"
    "  - [ ] Being Healthy\n"
    "implications:\n"
    "  - [ ] Finance\n"
    "  - [x] No significant implications in this area\n"
    "signatory: Gary Hall\n"
    "signatory_title: Chief Executive\n"
    "background_papers: There are no background papers to this report.\n"
    "author: Louise Wingfield\n"
    "extension: 5061\n"
    "author_date: 10 November 2011\n"
    "doc_id: LSP Q2\n"
    "---\n";

static void assert_order(const char *s, const char *const *parts, size_t n)
{
    const char *at = s;
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(at, parts[i]);
        if (!p)
            fail_msg("[%s] missing or out of order in:\n%s", parts[i], s);
        at = p + strlen(parts[i]);
    }
}

static void test_default_frames(void **state)
{
    Buf tpl = BUF_INIT;
    buf_printf(&tpl, "%s\n## BODY\n\n#. Body text.\n", FRONT);
    char *md = render(state, buf_cstr(&tpl), "md");
    static const char *const order[] = {
        "| Report of | Meeting | Date |\n|---|---|---|\n| Chief Executive | Executive Cabinet | "
        "24 November 2011 |",
        "# SECOND QUARTER REPORT 2011/2012",
        "## PURPOSE OF REPORT\n\n- To update members on 1 July to 30 September 2011.",
        "## RECOMMENDATION(S)\n\n- That the report be noted.",
        "## BODY\n\n1. Body text.",
        "Confidential report: **No**",
        "Key Decision? **Yes**",
        "## REASONS FOR RECOMMENDATION(S) (If the recommendations are accepted)\n\n"
        "- To facilitate analysis, continued here.",
        "## ALTERNATIVE OPTIONS CONSIDERED AND REJECTED\n\n- None.",
        "## CORPORATE PRIORITIES\n\n2. This report relates to the following Strategic Objectives:",
        "- [x] Strong Family Support\n- [ ] Being Healthy",
        "## IMPLICATIONS OF REPORT\n\n3. This report has implications",
        "- [ ] Finance\n- [x] No significant implications in this area",
        "**GARY HALL**  \n**CHIEF EXECUTIVE**\n\nThere are no background papers to this report.",
        "| Report Author | Ext | Date | Doc ID |\n|---|---|---|---|\n| Louise Wingfield | 5061 | "
        "10 November 2011 | LSP Q2 |",
    };
    assert_order(md, order, NELEM(order));
    free(md);
    char *html = render(state, buf_cstr(&tpl), "html");
    assert_contains(html, "<title>SECOND QUARTER REPORT 2011/2012</title>");
    assert_contains(html, "<td>Strong Family Support</td><td class=\"tick\">\xe2\x9c\x93");
    free(html);
    buf_release(&tpl);
}

static void test_placed_frames(void **state)
{
    Buf tpl = BUF_INIT;
    buf_printf(&tpl, "%s\n{{frame author}}\n\nMiddle\n\n{{frame priorities number=9}}\n\n#. Next\n",
               FRONT);
    char *md = render(state, buf_cstr(&tpl), "md");
    static const char *const order[] = {"| Report Author |", "Middle", "9. This report relates",
                                        "10. Next"};
    assert_order(md, order, NELEM(order));
    assert_lacks(md, "PURPOSE OF REPORT"); /* placed frames only */
    assert_lacks(md, "GARY HALL");
    free(md);
    /* no front matter: no frames, a plain document */
    md = render(state, "Just text.\n", "md");
    assert_string_equal(md, "Just text.\n");
    free(md);
    buf_release(&tpl);
}

/* ---- errors, each with its line ---- */

typedef struct ErrCase {
    const char *tpl;
    const char *msg;
} ErrCase;

static const ErrCase ERRS[] = {
    {"Intro.\n\n{{tabel crime.all}}\n", "t.md:3: unknown directive 'tabel'"},
    {"Text {{valeu crime.all}} more\n", "t.md:1: unknown directive 'valeu'"},
    {"\n{{table crime.nope}}\n", "t.md:2: unknown indicator 'crime.nope'"},
    {"a\nb {{value crime.none ytd}}\n", "t.md:2: unknown indicator 'crime.none'"},
    {"{{table crime.all columns=\"title valu\"}}\n", "t.md:1: unknown column 'valu'"},
    {"{{value crime.all ytdd}}\n", "t.md:1: unknown column 'ytdd'"},
    {"{{value crime.all change says=up}}\n", "t.md:1: says must be increase or reduction, not 'up'"},
    {"{{value crime.all ytd says=increase}}\n", "t.md:1: 'says' goes with change, change_pct or ytd_change_pct"},
    {"\n\n{{table crime.all colour=red}}\n", "t.md:3: unknown option 'colour' for 'table'"},
    {"{{value crime.all abs=maybe}}\n", "t.md:1: option 'abs' takes yes or no, not 'maybe'"},
    {"{{period}} {{area x=1}}\n", "t.md:1: unknown option 'x' for 'area' (it takes no options)"},
    {"one\ntwo {{value crime.all\n\nthree\n", "t.md:2: unterminated directive '{{value'"},
    {"x\n{{table crime.all\n  columns=title\n", "t.md:2: unterminated directive '{{table'"},
    {"{{value crime.all missing=\"x}}\n", "t.md:1: unterminated quoted value"},
    {"---\ntitle: x\n", "t.md:1: the front matter opened here is not closed by a '---' line"},
    {"---\ntitle: x\npurpse: y\n---\n", "t.md:3: unknown front matter key 'purpse'"},
    {"---\nconfidential: maybe\n---\n", "t.md:2: 'confidential' must be yes or no, not 'maybe'"},
    {"---\ndate: a\n  - b\n---\n", "t.md:3: 'date' takes one value, not a list"},
    {"---\npriorities:\n  - [x] a\n  - b\n---\n", "t.md:4: 'priorities' items are ticked"},
    {"---\ntitle: a\ntitle: b\n---\n", "t.md:3: 'title' is given twice (first on line 2)"},
    {"---\nnonsense\n---\n", "t.md:2: expected 'key: value'"},
    {"---\ntitle: {{value nope}}\n---\n", "t.md:2: unknown indicator 'nope'"},
    {"---\npurpose:\n  - fine\n  - {{bad}}\n---\n", "t.md:4: unknown directive 'bad'"},
    {"{{frame foot}}\n", "t.md:1: unknown frame 'foot'"},
    {"\nSee {{table crime.all}} here\n", "t.md:2: 'table' makes a block: put it on a line of its own"},
    {"x\n**bold\n", "t.md:2: '**' (bold) is not closed"},
    {"*it\n", "t.md:1: '*' (italic) is not closed"},
    {"{{table crime.all columns=\"title value\" headers=\"A|B|C\"}}\n",
     "t.md:1: 'headers' gives 3 labels for 2 columns"},
    {"{{table crime.all headers=\"{perod}|B|C|D|E|F\"}}\n", "t.md:1: unknown placeholder '{perod}'"},
    {"{{projects nope}}\n", "t.md:1: unknown project 'nope'"},
    {"{{delivery purple}}\n", "t.md:1: unknown status 'purple'"},
    {"{{chart crime.all kind=pie}}\n", "t.md:1: unknown chart kind 'pie'"},
    {"{{chart crime.all fire.adf by=month}}\n", "t.md:1: a chart by month shows one indicator"},
    {"{{chart crime.all columns=rag}}\n", "t.md:1: column 'rag' cannot be charted"},
    {"{{table}}\n", "t.md:1: 'table' needs at least one indicator code"},
    {"{{table zz*}}\n", "t.md:1: no indicator code starts with 'zz'"},
    {"#### Deep\n", "t.md:1: headings go from # to ###"},
    {"{{period sideways}}\n", "t.md:1: unknown argument 'sideways' for 'period'"},
    {"{{}}\n", "t.md:1: empty directive"},
    {"{{frame priorities number=0}}\n", "t.md:1: number must be a whole number"},
    {"{{value crime.all abs=yes abs=no}}\n", "t.md:1: option 'abs' given twice"},
};

static void test_errors(void **state)
{
    Fixture *f = *state;
    for (size_t i = 0; i < NELEM(ERRS); i++) {
        Doc *doc = (Doc *)1;
        Err err = ERR_INIT;
        int rc = template_build(ERRS[i].tpl, strlen(ERRS[i].tpl), "t.md", &f->ctx, &doc, &err);
        if (rc != -1)
            fail_msg("case %zu [%s] should fail", i, ERRS[i].tpl);
        assert_null(doc);
        if (strncmp(err_msg(&err), ERRS[i].msg, strlen(ERRS[i].msg)) != 0)
            fail_msg("case %zu [%s]\n  gave [%s]\n  want [%s...]", i, ERRS[i].tpl, err_msg(&err),
                     ERRS[i].msg);
        err_release(&err);
    }
}

/* A template with CRLF line ends and a byte-order mark reads the same. */
static void test_crlf_bom(void **state)
{
    char *md = render(state, "\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n# H\r\n\r\n- a\r\n  b\r\n", "md");
    assert_contains(md, "# T\n\n# H\n\n- a b\n");
    free(md);
}

/* The same document in all three formats, without a leak or a crash. */
static void test_all_formats(void **state)
{
    Buf tpl = BUF_INIT;
    buf_printf(&tpl, "%s\n{{frame head}}\n\n## Tables\n\n{{table crime.*}}\n\n{{targets fire.*}}\n\n"
                     "{{chart crime.all kind=line by=month}}\n\n{{delivery}}\n\n{{projects all}}\n",
               FRONT);
    static const char *const formats[] = {"md", "txt", "html"};
    for (size_t i = 0; i < NELEM(formats); i++) {
        char *s = render(state, buf_cstr(&tpl), formats[i]);
        assert_true(strlen(s) > 500);
        free(s);
    }
    buf_release(&tpl);
}

/* Every prefix of a full template either builds or fails with a message that
 * names the file and a line: no crash, no leak, no error without a place. */
static void test_every_prefix(void **state)
{
    Fixture *f = *state;
    Buf tpl = BUF_INIT;
    buf_printf(&tpl, "%s\n{{frame head}}\n\n## S\n\n- a **b** *c* {{value crime.all change_pct}}\n"
                     "  - {{change crime.all subject=\"x\"}}\n\n#. n\n\n"
                     "{{table crime.all\n  columns=\"title value\" headers=\"A|{period label}\"}}\n\n"
                     "{{chart crime.all kind=line}}\n{{projects key}}\n{{frame author}}\n",
               FRONT);
    for (size_t n = 0; n <= tpl.len; n++) {
        Doc *doc = NULL;
        Err err = ERR_INIT;
        if (template_build(tpl.data, n, "t.md", &f->ctx, &doc, &err) == 0) {
            assert_non_null(doc);
            doc_free(doc);
        } else {
            assert_null(doc);
            if (strncmp(err_msg(&err), "t.md:", 5) != 0)
                fail_msg("prefix %zu: message without a place: %s", n, err_msg(&err));
        }
        err_release(&err);
    }
    buf_release(&tpl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_seed_headers),
        cmocka_unit_test(test_table_default_headers_and_columns),
        cmocka_unit_test(test_targets_table),
        cmocka_unit_test(test_value_directive),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_missing_sentences),
        cmocka_unit_test(test_nothing_reported),
        cmocka_unit_test(test_period_words),
        cmocka_unit_test(test_delivery),
        cmocka_unit_test(test_projects),
        cmocka_unit_test(test_project_lists),
        cmocka_unit_test(test_charts),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_default_frames),
        cmocka_unit_test(test_placed_frames),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_all_formats),
        cmocka_unit_test(test_every_prefix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
