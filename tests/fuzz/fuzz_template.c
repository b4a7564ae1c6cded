/* fuzz_template.c — libFuzzer harness for the report template language
 * (src/template.c) and the text renderers (src/render_md.c, render_txt.c,
 * render_html.c, with src/chart.c and src/doc.c beneath them). The input is
 * a template. It is built against two fixed reports in memory, no database:
 * a full one (2011/12 Q2, April year: nine indicators of every unit and
 * aggregate, with monthly and quarterly series, a target, a long, a one-word
 * and a non-ASCII title, zero values, an indicator with no values at all, four
 * projects, delivery counts) and an empty one (a month of a January year,
 * no indicators, no projects, no delivery items). Every document built is
 * rendered to Markdown, plain text and HTML. A refused template must say
 * why and leave no document. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "template.h"

#define NINDS 9
#define NPROJECTS 4
#define APRIL 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ReportCtx full, empty;
static ReportIndicator inds[NINDS];
static ReportProject projects[NPROJECTS];

static int64_t micro(const char *s)
{
    int64_t m = 0;
    const char *why;
    if (fq_parse_micro(s, &m, &why) != 0)
        abort();
    return m;
}

/* Indicator i: quarterly values for the four quarters of 2010/11 and the
 * first two of 2011/12 (NULL = none that quarter), and a monthly series. */
static void add_ind(int i, const char *code, const char *title, const char *parent, IndicatorDef def,
                    const char *const q[6], const Target *t, int nt)
{
    ReportIndicator *ri = &inds[i];
    Value v[6];
    int nv = 0;
    memset(ri, 0, sizeof *ri);
    ri->code = code;
    ri->title = title;
    ri->partner = i % 3 ? "Lancashire Constabulary" : NULL;
    ri->parent = parent;
    ri->def = def;
    for (int k = 0; k < 6; k++) {
        if (!q[k])
            continue;
        memset(&v[nv], 0, sizeof v[nv]);
        v[nv].period.kind = PERIOD_QUARTER;
        v[nv].period.first = 2010 * 12 + 3 + 3 * k; /* April 2010 onwards */
        if (def.aggregate == AGG_RATIO) {
            v[nv].has_ratio = 1;
            v[nv].num_micro = micro(q[k]);
            v[nv].den_micro = k == 5 ? 0 : micro("200"); /* a zero denominator too */
        } else {
            v[nv].micro = micro(q[k]);
        }
        Fig *dst = k < 4 ? &ri->quarter_prev[k] : &ri->quarter_cur[k - 4];
        dst->has = 1;
        dst->q = fq_micro(micro(q[k]));
        for (int m = 0; m < 3; m++) {
            Fig *md = k < 4 ? &ri->month_prev[3 * k + m] : &ri->month_cur[3 * (k - 4) + m];
            md->has = m != 1 || k != 2; /* one month missing */
            md->q = fq_micro(micro(q[k]) / 3);
        }
        nv++;
    }
    figures_compare(&def, v, nv, t, nt, full.period, APRIL, &ri->row);
}

static void fixture_init(void)
{
    const char *why;
    if (period_parse("2011/12 Q2", APRIL, &full.period, &why) != 0)
        abort();
    full.fy_start = APRIL;
    full.area = "Chorley & <Leyland>";
    IndicatorDef count_lower = {UNIT_COUNT, POLARITY_LOWER, AGG_SUM, 0};
    IndicatorDef pct_higher = {UNIT_PERCENT, POLARITY_HIGHER, AGG_RATIO, 1};
    IndicatorDef number_none = {UNIT_NUMBER, POLARITY_NONE, AGG_MEAN, 2};
    IndicatorDef rate_lower = {UNIT_RATE, POLARITY_LOWER, AGG_LAST, 3};
    IndicatorDef money_higher = {UNIT_CURRENCY, POLARITY_HIGHER, AGG_SUM, 2};
    static const char *const crime[6] = {"1606", "1413", "1500", "1450", "1425", "1455"};
    static const char *const dv[6] = {"116", "106", "120", "99", "130", "150"};
    static const char *const adf[6] = {"15", "16", "0", "12", "14", "13"};
    static const char *const zero[6] = {"0", "0", "0", "0", "0", "0"};
    static const char *const big[6] = {"999999999999", "0.000001", "-5", NULL, "999999999999.999999", "1"};
    static const char *const rate[6] = {NULL, "2.5", NULL, "3.125", "1.75", NULL};
    static const char *const none[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    static const char *const money[6] = {"100.50", "200.25", "0.01", "1000000", "12", "-3.5"};
    Target adf_t[] = {{2011, micro("64"), micro("5")}};
    Target crime_t[] = {{2011, micro("5800"), micro("0")}, {2010, micro("6000"), micro("10")}};
    add_ind(0, "crime.all", "All Crime", NULL, count_lower, crime, crime_t, 2);
    add_ind(1, "crime.dv-detections", "Domestic Violence Detections", "crime.all", pct_higher, dv, NULL, 0);
    add_ind(2, "fire.adf", "Accidental Dwelling Fires", NULL, count_lower, adf, adf_t, 1);
    add_ind(3, "roads.child-killed", "Children killed", NULL, count_lower, zero, NULL, 0);
    add_ind(4, "x.big",
            "A very long title of an indicator that goes on and on, well past the width of any "
            "column, chart label or line of text that a report would give it, to see it wrapped",
            NULL, number_none, big, NULL, 0);
    add_ind(5, "x.rate", "Taux d\xe2\x80\x99occupation \xc3\xa9lev\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac",
            NULL, rate_lower, rate, NULL, 0);
    add_ind(6, "x.none", "<script>&\"'", "x.rate", count_lower, none, NULL, 0);
    add_ind(7, "money.spent", "Money spent", NULL, money_higher, money, NULL, 0);
    add_ind(8, "x.word", "Antidisestablishmentarianism-and-other-words-joined-without-a-space", NULL,
            count_lower, crime, NULL, 0);
    full.inds = inds;
    full.ninds = NINDS;
    projects[0] = (ReportProject){"early-intervention", "Early Intervention",
                                  "This project will work with the Children's Trust.",
                                  "Chorley Council", 1, STATUS_GREEN, "Made up time."};
    projects[1] = (ReportProject){"total-alcohol", "Total Alcohol", "Three phases:\n1. Circles\n2. Count",
                                  NULL, 1, STATUS_AMBER, NULL};
    projects[2] = (ReportProject){"evil", "<b>&amp;", "*not italic* {{value}}", "\xc3\xa9", 0, STATUS_RED,
                                  "\xe2\x80\x94"};
    projects[3] = (ReportProject){"other", "Other", NULL, NULL, 0, STATUS_UNREPORTED, NULL};
    full.projects = projects;
    full.nprojects = NPROJECTS;
    full.delivery.count[STATUS_GREEN] = 39;
    full.delivery.count[STATUS_AMBER] = 5;
    full.delivery.count[STATUS_RED] = 1;
    full.delivery.count[STATUS_COMPLETE] = 2;
    full.delivery.count[STATUS_UNREPORTED] = 3;
    delivery_compute(&full.delivery);

    if (period_parse("2012-02", 1, &empty.period, &why) != 0)
        abort();
    empty.fy_start = 1;
    empty.area = "";
    delivery_compute(&empty.delivery);
}

static void build_and_render(const uint8_t *data, size_t size, const ReportCtx *ctx)
{
    Doc *doc = (Doc *)1;
    Err err = ERR_INIT;
    if (template_build((const char *)data, size, "fuzz.md", ctx, &doc, &err) != 0) {
        if (doc || !err_is_set(&err))
            abort();
        err_release(&err);
        return;
    }
    if (!doc)
        abort();
    Buf out = BUF_INIT;
    render_md(doc, &out);
    buf_reset(&out);
    render_txt(doc, &out);
    buf_reset(&out);
    render_html(doc, &out);
    buf_release(&out);
    doc_free(doc);
    err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        fixture_init();
        ready = 1;
    }
    build_and_render(data, size, &full);
    build_and_render(data, size, &empty);
    return 0;
}
