/* report_spc.c — an indicator's SPC chart and its marks as the document
 * shows them (report_spc.h). */
#include "report_spc.h"

#include <stdlib.h>
#include <string.h>

static const char *const REPORT_MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* A point's label: "Apr 2019" for a month, "2019/20 Q1", "2019/20". */
static void report_point_label(Buf *b, Period p, int fy_start)
{
    if (p.kind == PERIOD_MONTH) {
        int m = p.first % 12;
        buf_printf(b, "%s %d", REPORT_MONTHS[m < 0 ? m + 12 : m], (p.first - (m < 0 ? m + 12 : m)) / 12);
        return;
    }
    period_format(b, p, fy_start);
}

DocSpcMark report_spc_mark(SpcVariation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH:
    case SPC_VAR_IMPROVEMENT_LOW: return DOC_SPC_IMPROVEMENT;
    case SPC_VAR_CONCERN_HIGH:
    case SPC_VAR_CONCERN_LOW: return DOC_SPC_CONCERN;
    case SPC_VAR_NEUTRAL_HIGH:
    case SPC_VAR_NEUTRAL_LOW: return DOC_SPC_NEUTRAL;
    case SPC_VAR_NONE:
    case SPC_VAR_COMMON: break;
    }
    return DOC_SPC_COMMON;
}

char report_spc_dir(SpcVariation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH:
    case SPC_VAR_CONCERN_HIGH:
    case SPC_VAR_NEUTRAL_HIGH: return 'H';
    case SPC_VAR_IMPROVEMENT_LOW:
    case SPC_VAR_CONCERN_LOW:
    case SPC_VAR_NEUTRAL_LOW: return 'L';
    case SPC_VAR_NONE:
    case SPC_VAR_COMMON: break;
    }
    return 0;
}

DocSpcAssurance report_spc_assurance(SpcAssurance a)
{
    switch (a) {
    case SPC_ASSURE_PASS: return DOC_SPC_ASSURE_PASS;
    case SPC_ASSURE_FAIL: return DOC_SPC_ASSURE_FAIL;
    case SPC_ASSURE_HIT_AND_MISS: return DOC_SPC_ASSURE_HIT_AND_MISS;
    case SPC_ASSURE_NONE: break;
    }
    return DOC_SPC_ASSURE_NONE;
}

/* A figure as printed: the indicator's decimals (plus `more`), % for percentages. */
static void report_spc_fig(Buf *b, const IndicatorDef *def, Fq q, int more)
{
    buf_reset(b);
    fq_format(b, q, def->decimals + more);
    if (def->unit == UNIT_PERCENT)
        buf_putc(b, '%');
}

void report_spc_chart(DocBlocks *bl, const char *title, const char *series_name, const IndicatorDef *def,
                      const SpcChart *sc, SpcChartStatus status, int fy_start)
{
    DocChart *c = doc_add_spc(bl, title, series_name, sc->npoints);
    doc_chart_axis(c, unit_axis_title(def->unit));
    int limits = status == SPC_CHART_OK;
    Buf t = BUF_INIT, m = BUF_INIT, lo = BUF_INIT, hi = BUF_INIT;
    for (int i = 0; i < sc->npoints; i++) {
        buf_reset(&t);
        report_point_label(&t, sc->points[i].period, fy_start);
        doc_chart_category(c, i, buf_cstr(&t));
        report_spc_fig(&t, def, sc->points[i].y, 0);
        doc_chart_point(c, 0, i, 1, fq_to_double(sc->points[i].y), buf_cstr(&t));
        if (limits && sc->marks)
            doc_spc_mark(c, i, report_spc_mark(sc->marks[i]));
    }
    if (limits && sc->npoints > 0) {
        report_spc_fig(&m, def, sc->limits.mean, 1);
        report_spc_fig(&lo, def, sc->limits.lower, 1);
        report_spc_fig(&hi, def, sc->limits.upper, 1);
        doc_spc_limits(c, fq_to_double(sc->limits.mean), fq_to_double(sc->limits.lower),
                       fq_to_double(sc->limits.upper), buf_cstr(&m), buf_cstr(&lo), buf_cstr(&hi));
        SpcAssurance assurance = SPC_ASSURE_NONE;
        if (sc->has_target) {
            report_spc_fig(&t, def, sc->target, 1);
            doc_spc_target(c, fq_to_double(sc->target), buf_cstr(&t));
            assurance = spc_assurance(def->polarity, sc->target, &sc->limits);
        }
        /* the latest point's marking is the variation the compare row reports */
        SpcVariation v = sc->marks ? sc->marks[sc->npoints - 1] : SPC_VAR_COMMON;
        doc_spc_icons(c, report_spc_mark(v), report_spc_dir(v), spc_variation_words(v),
                      report_spc_assurance(assurance),
                      assurance != SPC_ASSURE_NONE ? spc_assurance_words(assurance) : NULL);
    }
    buf_release(&t);
    buf_release(&m);
    buf_release(&lo);
    buf_release(&hi);
}
