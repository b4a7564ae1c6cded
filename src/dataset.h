/* dataset.h — the framework and the values needed for one period, loaded from
 * the store in a few queries, with composite (formula) indicators derived in
 * memory; compare rows and report contexts are computed from it. This is the
 * bridge between the store and the pure figures: no SQL outside store.c. */
#ifndef KPI_DATASET_H
#define KPI_DATASET_H

#include "report.h"
#include "store.h"

/* Values of one indicator in one area. */
typedef struct Series {
    Value *v;
    int n, cap;
    Target *t;
    int nt, tcap;
    int present;        /* 1 when it has a target, a value from the start of the previous
                         * financial year on (older values are loaded for the SPC series),
                         * or a formula period too large to compute */
    int too_large;      /* periods of a formula whose sum exact arithmetic cannot hold */
} Series;

typedef struct Dataset {
    int fy_start;
    Period period;
    Indicator *inds;
    int ninds;
    char **areas;       /* area names, in name order: every area's, or (partial_list) only those
                         * loaded by dataset_load_areas */
    int64_t *area_ids;
    int nareas;
    int scoped;         /* 1: loaded by dataset_load_areas (some areas have no series) */
    int partial_list;   /* 1: areas lists only the loaded areas, not every area (a nation's districts) */
    /* Areas whose values were loaded: slot[a] is area a's column of series, -1
     * when not loaded; NULL when every area was (nloaded == nareas). */
    int *slot;
    int nloaded;
    Series *series;     /* ninds × nloaded, row-major by indicator */
    /* Statistical process control, per indicator (spc.h): spc_baseline (0 =
     * every point) and the periods that start a new segment. */
    int *spc_baseline;
    Period **rebases;
    int *nrebases;
} Dataset;

/* Load everything `period` needs: every value up to the end of the period's
 * financial year (the SPC series runs from an indicator's first value), every
 * target, SPC baselines and rebases. */
int dataset_load(Store *s, Period period, Dataset *d /* OUT, dataset_release */, Err *err);
/* The same for the named areas only (a one-area question costs that area, not
 * the nation): only these have series. d->areas lists every area when there
 * are at most DATASET_LIST_AREAS (pickers show them), else only these
 * (partial_list). Names that are no area are left out (dataset_area_index
 * says -1 for them). */
#define DATASET_LIST_AREAS 200
int dataset_load_areas(Store *s, Period period, const char *const *names, int nnames,
                       Dataset *d /* OUT, dataset_release */, Err *err);
void dataset_release(Dataset *d);
/* 1 when area a's values were loaded. */
int dataset_area_loaded(const Dataset *d, int a);
/* The series of indicator ind in area a; a must be loaded (else a bug: PANIC). */
Series *dataset_series(Dataset *d, int ind, int area);
int dataset_area_index(const Dataset *d, const char *name); /* -1 when unknown */
int dataset_indicator_index(const Dataset *d, const char *code);
/* Compare row of indicator i in area a for d->period, SPC and significance included. */
void dataset_compare(Dataset *d, int i, int a, CompareRow *row /* OUT, compare_row_release */);
/* The SPC chart of indicator i in area a for the dataset's period (spc.h's
 * spc_chart, with each point's marking). */
SpcChartStatus dataset_spc_chart(Dataset *d, int i, int a, SpcChart *out /* OUT, spc_chart_release */);

/* A report context for one area: every indicator's compare row and chart
 * series, projects with their status for the period, delivery counts.
 * Strings point into d and the projects array, so free the context first. */
int dataset_report(Store *s, Dataset *d, int area, ReportCtx *ctx /* OUT */, Project **projects,
                   int *nprojects, Err *err);
void dataset_report_release(ReportCtx *ctx, Project *projects, int nprojects);
/* Delivery counts for the period (all projects). */
int dataset_delivery(Store *s, Period p, Delivery *out, Err *err);

/* The red (and with amber_too, amber) figures of a partner's indicators (taking values) for period p in
 * any area that have no exception commentary (cycle.h), listed into *list as
 * "crime.all in Chorley", counted in *n (a CycleRedFn for cycle_return_act). */
int dataset_red_unexplained(Store *s, Period p, const char *partner, int amber_too, Buf *list, int *n, Err *err);

#endif