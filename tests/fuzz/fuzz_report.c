/* fuzz_report.c — libFuzzer harness for the renderers on figures nobody here
 * has seen: the input is the report's data, the templates are fixed. It
 * reaches the same code as fuzz_template (src/template.c, narrative.c, doc.c,
 * chart.c, render_md.c, render_txt.c, render_html.c) from the other side:
 * sizes that come from data (how many indicators and projects, long,
 * one-word and non-ASCII titles, zero, negative and 10^12 values, empty and
 * one-point series). The input is lines:
 *   I<u><a> TITLE   a new indicator i.NN: unit digit u (count, percent,
 *                   number, rate, currency), aggregate digit a (sum, ratio,
 *                   mean, last); percentages are ratios
 *   V TOKENS        its monthly values from April 2010, 24 at most: a
 *                   decimal, "n/d" (a ratio's numerator and denominator) or
 *                   "-" (no value that month)
 *   T TARGET TOL    its 2011/12 target and tolerance
 *   P S TITLE       a project (S: status digit; key when even)
 *   A AREA          the area's name
 * at most 200 indicators and 200 projects. The period is 2011/12 Q2 (April
 * year). Each fixed template is built and rendered to md, txt and html;
 * templates that name no indicator are refused, which is fine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "template.h"

#define MAX_INDS 200
#define MAX_PROJECTS 200
#define NMONTHS 24
#define APRIL 4
#define FIRST_MONTH (2010 * 12 + 3) /* April 2010 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Ind {
    char code[16];
    char *title;
    IndicatorDef def;
    Value v[NMONTHS];
    int nv;
    Target t;
    int has_target;
} Ind;

static const char *const TEMPLATES[] = {
    "{{table i.*}}\n\n{{table i.* columns=\"title value previous change change_pct ytd ytd_change_pct "
    "target target_to_date rag direction note\"}}\n\n{{targets i.* rag=yes}}\n",
    "{{chart i.*}}\n\n{{chart i.* kind=line}}\n\n{{chart i.* columns=\"previous value ytd target\"}}\n",
    "{{chart i.00 by=month}}\n\n{{chart i.00 kind=line by=month}}\n\n{{chart i.00 by=quarter}}\n\n"
    "{{chart i.01 kind=line by=quarter}}\n",
    "# {{value i.00 title}} in {{area}}\n\n- {{value i.00}} {{value i.00 change_pct}} {{value i.00 ytd words=yes}}\n"
    "- {{change i.00 subject=\"it\"}}\n- {{target i.00}}\n- {{movement i.00 subject=\"it\"}}\n"
    "- {{value i.01 note}} {{value i.01 direction}} {{value i.01 rag}}\n",
    "{{delivery total}} {{projects key count}} {{projects all amber}}\n\n{{projects key}}\n\n{{projects all}}\n",
};

static void add_value(Ind *in, int month, const char *tok)
{
    if (strcmp(tok, "-") == 0)
        return;
    Value *v = &in->v[in->nv];
    memset(v, 0, sizeof *v);
    v->period.kind = PERIOD_MONTH;
    v->period.first = FIRST_MONTH + month;
    const char *why;
    const char *slash = strchr(tok, '/');
    if (slash) {
        char num[64];
        size_t n = (size_t)(slash - tok);
        if (n >= sizeof num)
            return;
        memcpy(num, tok, n);
        num[n] = '\0';
        if (fq_parse_micro(num, &v->num_micro, &why) != 0 || fq_parse_micro(slash + 1, &v->den_micro, &why) != 0)
            return;
        v->has_ratio = 1;
        /* the stored percentage, as the importer would store it when it fits */
        if (v->den_micro != 0) {
            Fq pct;
            if (fq_div_ok(fq_micro(v->num_micro), fq_micro(v->den_micro), &pct) == 0 &&
                fq_mul_ok(pct, fq_int(100 * FQ_SCALE), &pct) == 0) {
                Fq r = fq_round(fq_make(pct.num, pct.den), 0);
                if (r.num <= FQ_MAX_MICRO && r.num >= -FQ_MAX_MICRO)
                    v->micro = (int64_t)r.num;
            }
        }
    } else if (fq_parse_micro(tok, &v->micro, &why) != 0) {
        return;
    }
    in->nv++;
}

/* Fill the chart series of ri from its monthly values. */
static void series(ReportIndicator *ri, const Ind *in)
{
    for (int k = 0; k < in->nv; k++) {
        int m = in->v[k].period.first - FIRST_MONTH;
        Fig *f = m < 12 ? &ri->month_prev[m] : &ri->month_cur[m - 12];
        f->has = 1;
        f->q = fq_micro(in->v[k].micro);
    }
    for (int q = 0; q < 2 * REPORT_FY_QUARTERS; q++) {
        Fq sum = fq_int(0);
        int ok = 1;
        for (int m = 0; m < 3 && ok; m++) {
            const Fig *f = q < 4 ? &ri->month_prev[3 * q + m] : &ri->month_cur[3 * (q - 4) + m];
            ok = f->has && fq_add_ok(sum, f->q, &sum) == 0;
        }
        Fig *dst = q < 4 ? &ri->quarter_prev[q] : &ri->quarter_cur[q - 4];
        dst->has = ok;
        dst->q = ok ? sum : fq_int(0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Unit units[] = {UNIT_COUNT, UNIT_PERCENT, UNIT_NUMBER, UNIT_RATE, UNIT_CURRENCY};
    static const Aggregate aggs[] = {AGG_SUM, AGG_RATIO, AGG_MEAN, AGG_LAST};
    char *text = xstrndup((const char *)data, size);
    Ind *inds = xcalloc(MAX_INDS, sizeof *inds);
    ReportProject *projects = xcalloc(MAX_PROJECTS, sizeof *projects);
    int ninds = 0, nprojects = 0;
    const char *area = "Chorley";

    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == 'I' && line[1] && line[2] && ninds < MAX_INDS) {
            Ind *in = &inds[ninds];
            snprintf(in->code, sizeof in->code, "i.%02d", ninds);
            in->def.unit = units[(unsigned char)line[1] % 5];
            in->def.aggregate = in->def.unit == UNIT_PERCENT ? AGG_RATIO : aggs[(unsigned char)line[2] % 4];
            in->def.polarity = (Polarity)(ninds % 3);
            in->def.decimals = ninds % 4;
            in->title = line[3] ? line + 4 : line + 3;
            ninds++;
        } else if (line[0] == 'V' && ninds > 0) {
            Ind *in = &inds[ninds - 1];
            char *save = NULL;
            for (char *tok = strtok_r(line + 1, " ", &save); tok && in->nv < NMONTHS; tok = strtok_r(NULL, " ", &save))
                add_value(in, in->nv, tok);
        } else if (line[0] == 'T' && ninds > 0) {
            Ind *in = &inds[ninds - 1];
            char *save = NULL, *a = strtok_r(line + 1, " ", &save), *b = strtok_r(NULL, " ", &save);
            const char *why;
            in->has_target = a && b && fq_parse_micro(a, &in->t.target_micro, &why) == 0 &&
                             fq_parse_micro(b, &in->t.tolerance_micro, &why) == 0;
            in->t.fy = 2011;
        } else if (line[0] == 'P' && line[1] && nprojects < MAX_PROJECTS) {
            ReportProject *p = &projects[nprojects];
            p->code = "p";
            p->title = line[2] ? line + 3 : line + 2;
            p->description = nprojects % 2 ? p->title : NULL;
            p->lead = nprojects % 3 ? p->title : NULL;
            p->commentary = nprojects % 5 ? NULL : p->title;
            p->status = (Status)((unsigned char)line[1] % STATUS_COUNT);
            p->key = (unsigned char)line[1] % 2 == 0;
            nprojects++;
        } else if (line[0] == 'A' && line[1]) {
            area = line + 2;
        }
    }

    ReportCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    const char *why;
    if (period_parse("2011/12 Q2", APRIL, &ctx.period, &why) != 0)
        abort();
    ctx.fy_start = APRIL;
    ctx.area = area;
    ReportIndicator *ris = xcalloc(MAX_INDS, sizeof *ris);
    for (int i = 0; i < ninds; i++) {
        ReportIndicator *ri = &ris[i];
        ri->code = inds[i].code;
        ri->title = inds[i].title;
        ri->partner = i % 2 ? inds[i].title : NULL;
        ri->parent = i > 0 && i % 4 == 0 ? inds[0].code : NULL;
        ri->def = inds[i].def;
        figures_compare(&ri->def, inds[i].v, inds[i].nv, &inds[i].t, inds[i].has_target, ctx.period, APRIL,
                        &ri->row);
        series(ri, &inds[i]);
    }
    ctx.inds = ris;
    ctx.ninds = ninds;
    ctx.projects = projects;
    ctx.nprojects = nprojects;
    for (int i = 0; i < nprojects; i++)
        ctx.delivery.count[projects[i].status]++;
    delivery_compute(&ctx.delivery);

    for (size_t t = 0; t < sizeof TEMPLATES / sizeof TEMPLATES[0]; t++) {
        Doc *doc = NULL;
        Err err = ERR_INIT;
        if (template_build(TEMPLATES[t], strlen(TEMPLATES[t]), "fixed.md", &ctx, &doc, &err) == 0) {
            Buf out = BUF_INIT;
            render_md(doc, &out);
            buf_reset(&out);
            render_txt(doc, &out);
            buf_reset(&out);
            render_html(doc, &out);
            buf_release(&out);
            doc_free(doc);
        } else if (doc || !err_is_set(&err)) {
            abort();
        }
        err_release(&err);
    }
    for (int i = 0; i < ninds; i++)
        compare_row_release(&ris[i].row);
    free(ris);
    free(projects);
    free(inds);
    free(text);
    return 0;
}
