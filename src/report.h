/* report.h — what a report template is rendered from: every figure already
 * computed, in memory. The CLI (and later the web layer) loads it from the store;
 * the document layer never touches the database. */
#ifndef KPI_REPORT_H
#define KPI_REPORT_H

#include "delivery.h"
#include "err.h"
#include "figures.h"
#include "period.h"
#include "spc.h"

#define REPORT_FY_MONTHS 12
#define REPORT_FY_QUARTERS 4

typedef struct ReportIndicator {
    const char *code;
    const char *title;
    const char *partner;       /* may be NULL */
    const char *parent;        /* code of the parent indicator, may be NULL */
    IndicatorDef def;
    CompareRow row;            /* the compare row for ctx->period and ctx->area */
    /* For charts: each month and quarter of the financial year holding the
     * period (index 0 = first month/quarter of the year), this year and last. */
    Fig month_cur[REPORT_FY_MONTHS], month_prev[REPORT_FY_MONTHS];
    Fig quarter_cur[REPORT_FY_QUARTERS], quarter_prev[REPORT_FY_QUARTERS];
    SpcChart spc;              /* its statistical process control chart (spc.h) */
    SpcChartStatus spc_status;
} ReportIndicator;

typedef struct ReportProject {
    const char *code;
    const char *title;
    const char *description;   /* may be NULL */
    const char *lead;          /* lead partner, may be NULL */
    int key;                   /* 1 for a key partnership project */
    Status status;             /* for ctx->period; STATUS_UNREPORTED when none */
    const char *commentary;    /* may be NULL */
} ReportProject;

/* The rows of a benchmark ({{benchmark CODE group=G}}, `kpi benchmark`):
 * nrows × REPORT_BENCH_NCOLS strings, row-major, in the columns below ("" when
 * absent). Free with report_bench_release. */
typedef enum ReportBenchCol {
    REPORT_BENCH_AREA, REPORT_BENCH_CODE, REPORT_BENCH_VALUE, REPORT_BENCH_POPULATION, REPORT_BENCH_RATE,
    REPORT_BENCH_RATE_LOWER, REPORT_BENCH_RATE_UPPER, REPORT_BENCH_RANK, REPORT_BENCH_GROUP_RATE,
    REPORT_BENCH_VERDICT, REPORT_BENCH_NOTE,
    REPORT_BENCH_NCOLS
} ReportBenchCol;
typedef struct ReportBench {
    int nrows;
    char **cells;
    char *title;               /* the indicator's title */
    long long per;             /* residents a rate is per; 0 for a ratio (percent) */
} ReportBench;
void report_bench_release(ReportBench *b);

/* Fill *out with the benchmark of indicator `code` over group `group` for
 * the report's period; 0, or -1 with err set. */
typedef int (*ReportBenchFn)(void *arg, const char *code, const char *group, ReportBench *out, Err *err);

/* Exception commentary for a figure of the period (docs/web.md): why it is off
 * track and what is being done. Strings owned by the context. */
typedef struct ReportException {
    const char *code, *title, *cause, *action, *owner, *date;
} ReportException;

typedef struct ReportCtx {
    Period period;
    int fy_start;
    const char *area;          /* the area the report is for */
    ReportIndicator *inds;     /* every indicator of the framework, in framework order */
    int ninds;
    Delivery delivery;         /* counts for the period */
    ReportProject *projects;   /* every project, in framework order */
    int nprojects;
    ReportBenchFn benchmark;   /* NULL where benchmarks cannot be computed */
    void *benchmark_arg;
    const char *group;         /* the first group holding the area (the dashboard's comparison), NULL when none */
    ReportException *exceptions; /* {{exceptions}}: the period's, in the report's area, framework order */
    int nexceptions;
} ReportCtx;

/* Find an indicator by code; NULL when absent. */
const ReportIndicator *report_find(const ReportCtx *ctx, const char *code);

#endif
