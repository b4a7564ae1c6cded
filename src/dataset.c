/* dataset.c — load what a period's figures need, derive composites, compute. */
#include "dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_rows.h"
#include "cycle.h"
#include "store_bench.h"
#include "spc.h"
#include "strmap.h"

int dataset_area_loaded(const Dataset *d, int a)
{
    return a >= 0 && a < d->nareas && (!d->slot || d->slot[a] >= 0);
}

Series *dataset_series(Dataset *d, int ind, int area)
{
    int col = d->slot ? d->slot[area] : area;
    if (col < 0)
        PANIC("series of area %s, which was not loaded", d->areas[area]);
    return &d->series[(size_t)ind * (size_t)d->nloaded + (size_t)col];
}

int dataset_area_index(const Dataset *d, const char *name)
{
    for (int a = 0; a < d->nareas; a++) {
        if (strcmp(d->areas[a], name) == 0)
            return a;
    }
    return -1;
}

int dataset_indicator_index(const Dataset *d, const char *code)
{
    for (int i = 0; i < d->ninds; i++) {
        if (strcmp(d->inds[i].code, code) == 0)
            return i;
    }
    return -1;
}

/* Add a value (whether the series is present is settled after the load). */
static void series_add_value(Series *s, const Value *v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = *v;
}

/* Maps from database ids to dense indexes, for the loaders' callbacks. */
typedef struct Loader {
    Dataset *d;
    StrMap ind_by_id;   /* decimal id text -> index */
    StrMap area_by_id;
    /* The same for ids below *_ndense, without formatting a key for each of
     * the many values a load reads: id -> index + 1, 0 when none. */
    int *ind_dense, *area_dense;
    int64_t ind_ndense, area_ndense;
} Loader;

#define LOADER_DENSE_IDS(n) (4 * (int64_t)(n) + 1024) /* ids held in the dense tables */

/* Fill a dense table for ids[0..n) (index k for ids[k]); returns its size. */
static int64_t loader_dense(int **dense, const int64_t *ids, int n)
{
    int64_t size = LOADER_DENSE_IDS(n);
    *dense = xcalloc((size_t)size, sizeof **dense);
    for (int k = 0; k < n; k++)
        if (ids[k] >= 0 && ids[k] < size)
            (*dense)[ids[k]] = k + 1;
    return size;
}

static int loader_index(const StrMap *m, const int *dense, int64_t ndense, int64_t id)
{
    if (id >= 0 && id < ndense)
        return dense[id] - 1;
    char key[24];
    int64_t idx;
    snprintf(key, sizeof key, "%lld", (long long)id);
    return strmap_get(m, key, &idx) ? (int)idx : -1;
}

static int loader_value(void *arg, int64_t indicator_id, int64_t area_id, const Value *v)
{
    Loader *l = arg;
    int i = loader_index(&l->ind_by_id, l->ind_dense, l->ind_ndense, indicator_id),
        a = loader_index(&l->area_by_id, l->area_dense, l->area_ndense, area_id);
    if (i < 0 || a < 0)
        PANIC("value for unknown indicator %lld or area %lld", (long long)indicator_id, (long long)area_id);
    series_add_value(dataset_series(l->d, i, a), v);
    return 0;
}

static int loader_target(void *arg, int64_t indicator_id, int64_t area_id, const Target *t)
{
    Loader *l = arg;
    int i = loader_index(&l->ind_by_id, l->ind_dense, l->ind_ndense, indicator_id),
        a = loader_index(&l->area_by_id, l->area_dense, l->area_ndense, area_id);
    if (i < 0 || a < 0)
        PANIC("target for unknown indicator or area");
    Series *s = dataset_series(l->d, i, a);
    if (s->nt == s->tcap) {
        s->tcap = s->tcap ? s->tcap * 2 : 4;
        s->t = xrealloc(s->t, (size_t)s->tcap * sizeof *s->t);
    }
    s->t[s->nt++] = *t;
    s->present = 1;
    return 0;
}

/* Derive the values of composite indicator i in area a from its parts: for
 * every period some part has a value for, the composite has the sum of the
 * parts' aggregates over that period when every part covers it. */
static int dataset_derive(Dataset *d, int i, int a, int *done, int depth, Err *err);

static int dataset_derive_all(Dataset *d, Err *err)
{
    int *done = xcalloc((size_t)d->ninds * (size_t)d->nareas + 1, sizeof *done); /* by area index */
    int rc = 0;
    for (int i = 0; i < d->ninds && rc == 0; i++) {
        if (!d->inds[i].formula)
            continue;
        for (int a = 0; a < d->nareas && rc == 0; a++)
            if (dataset_area_loaded(d, a))
                rc = dataset_derive(d, i, a, done, 0, err);
    }
    free(done);
    return rc;
}

static int dataset_derive(Dataset *d, int i, int a, int *done, int depth, Err *err)
{
    size_t slot = (size_t)i * (size_t)d->nareas + (size_t)a;
    if (done[slot] || !d->inds[i].formula)
        return 0;
    if (depth > d->ninds)
        return err_set(err, "indicator '%s': formula refers back to itself", d->inds[i].code);
    char **parts = NULL, *storage = NULL;
    int np = figures_formula_parts(d->inds[i].formula, &parts, &storage, err);
    if (np < 0)
        return -1;
    int *idx = xcalloc((size_t)np, sizeof *idx);
    int rc = -1;
    for (int k = 0; k < np; k++) {
        idx[k] = dataset_indicator_index(d, parts[k]);
        if (idx[k] < 0) {
            err_set(err, "indicator '%s': formula names unknown indicator '%s'", d->inds[i].code, parts[k]);
            goto out;
        }
        if (dataset_derive(d, idx[k], a, done, depth + 1, err) < 0)
            goto out;
    }
    Series *out = dataset_series(d, i, a);
    for (int k = 0; k < np; k++) {
        Series *ps = dataset_series(d, idx[k], a);
        for (int j = 0; j < ps->n; j++) {
            Period p = ps->v[j].period;
            int seen = 0;
            for (int m = 0; m < out->n && !seen; m++)
                seen = period_equal(out->v[m].period, p);
            if (seen)
                continue;
            /* A span some part has a value for: sum every part over it. */
            Fq sum = fq_int(0);
            int ok = 1, fits = 1;
            for (int q = 0; q < np && ok && fits; q++) {
                Series *qs = dataset_series(d, idx[q], a);
                Fq part;
                ok = figures_aggregate(&d->inds[idx[q]].def, qs->v, qs->n, p.first, period_months(p), &part,
                                       NULL, NULL);
                if (ok)
                    fits = fq_add_ok(sum, part, &sum) == 0;
            }
            if (!ok)
                continue;
            /* A sum that exact arithmetic cannot hold, or that is beyond what a
             * stored value may be, is no figure; the compare note says why. */
            Fq micro;
            if (fits)
                fits = fq_mul_ok(sum, fq_int(FQ_SCALE), &micro) == 0;
            if (fits) {
                micro = fq_round(micro, 0);
                fits = micro.num <= FQ_MAX_MICRO && micro.num >= -FQ_MAX_MICRO;
            }
            if (!fits) {
                out->too_large++;
                out->present = 1;
                continue;
            }
            Value v;
            memset(&v, 0, sizeof v);
            v.period = p;
            v.micro = (int64_t)micro.num;
            series_add_value(out, &v);
        }
    }
    done[slot] = 1;
    rc = 0;
out:
    free(idx);
    free(parts);
    free(storage);
    return rc;
}

static int loader_baseline(void *arg, int64_t indicator_id, int baseline)
{
    Loader *l = arg;
    int i = loader_index(&l->ind_by_id, l->ind_dense, l->ind_ndense, indicator_id);
    if (i < 0)
        PANIC("baseline of unknown indicator %lld", (long long)indicator_id);
    l->d->spc_baseline[i] = baseline;
    return 0;
}

static int loader_rebase(void *arg, int64_t indicator_id, Period p)
{
    Loader *l = arg;
    int i = loader_index(&l->ind_by_id, l->ind_dense, l->ind_ndense, indicator_id);
    if (i < 0)
        PANIC("rebase of unknown indicator %lld", (long long)indicator_id);
    Dataset *d = l->d;
    d->rebases[i] = xrealloc(d->rebases[i], sizeof *d->rebases[i] * (size_t)(d->nrebases[i] + 1));
    d->rebases[i][d->nrebases[i]++] = p;
    return 0;
}

static int dataset_cmp_area(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* d->areas: the named areas that exist, once each, in name order (partial_list). */
static int dataset_named_areas(Store *s, const char *const *names, int nnames, Dataset *d, Err *err)
{
    char **sorted = xcalloc((size_t)nnames + 1, sizeof *sorted);
    int n = 0;
    for (int k = 0; k < nnames; k++)
        sorted[n++] = (char *)names[k];
    qsort(sorted, (size_t)n, sizeof *sorted, dataset_cmp_area);
    d->areas = xcalloc((size_t)n + 1, sizeof *d->areas);
    d->area_ids = xcalloc((size_t)n + 1, sizeof *d->area_ids);
    d->partial_list = 1;
    int rc = 0;
    for (int k = 0; k < n && rc == 0; k++) {
        int64_t id = 0;
        if (k > 0 && strcmp(sorted[k], sorted[k - 1]) == 0)
            continue;
        rc = store_area_id(s, sorted[k], 0, &id, err);
        if (rc == 0 && id) {
            d->areas[d->nareas] = xstrdup(sorted[k]);
            d->area_ids[d->nareas++] = id;
        }
    }
    free(sorted);
    return rc;
}

int dataset_load(Store *s, Period period, Dataset *d, Err *err)
{
    return dataset_load_areas(s, period, NULL, -1, d, err);
}

/* nnames < 0: every area. */
int dataset_load_areas(Store *s, Period period, const char *const *names, int nnames, Dataset *d, Err *err)
{
    Loader l;
    int rc = -1;
    /* The framework, areas and values must come from one snapshot: an import
     * committing between them would bring values of indicators or areas not
     * loaded. Callers that hold a transaction already (the CLI reads in one)
     * keep it; otherwise (a web request) one is held for the load. */
    int own = !db_in_transaction(s->db);
    memset(d, 0, sizeof *d);
    d->fy_start = s->fy_start;
    d->period = period;
    l.d = d;
    strmap_init(&l.ind_by_id);
    strmap_init(&l.area_by_id);
    l.ind_dense = l.area_dense = NULL;
    l.ind_ndense = l.area_ndense = 0;
    if (own && store_begin_read(s, err) < 0)
        return -1;
    int64_t nall = 0;
    d->scoped = nnames >= 0;
    if (store_indicators(s, &d->inds, &d->ninds, err) < 0 || (d->scoped && store_area_count(s, &nall, err) < 0))
        goto out;
    if (d->scoped && nall > DATASET_LIST_AREAS) {
        /* thousands of areas: list only the named (listing a nation's districts costs more than one's values) */
        if (dataset_named_areas(s, names, nnames, d, err) < 0)
            goto out;
    } else if (store_areas(s, &d->areas, &d->area_ids, &d->nareas, err) < 0)
        goto out;
    char key[24];
    for (int i = 0; i < d->ninds; i++) {
        snprintf(key, sizeof key, "%lld", (long long)d->inds[i].id);
        strmap_put(&l.ind_by_id, key, i);
    }
    if (d->partial_list) { /* every area listed is loaded */
        d->nloaded = d->nareas;
    } else if (nnames >= 0) { /* only the named areas: a column each, in area order */
        d->slot = xcalloc((size_t)d->nareas + 1, sizeof *d->slot);
        for (int a = 0; a < d->nareas; a++)
            d->slot[a] = -1;
        for (int k = 0; k < nnames; k++) {
            int a = dataset_area_index(d, names[k]);
            if (a >= 0)
                d->slot[a] = 0;
        }
        for (int a = 0; a < d->nareas; a++)
            if (d->slot[a] == 0)
                d->slot[a] = d->nloaded++;
    } else {
        d->nloaded = d->nareas;
    }
    for (int a = 0; a < d->nareas; a++) {
        if (!dataset_area_loaded(d, a))
            continue;
        snprintf(key, sizeof key, "%lld", (long long)d->area_ids[a]);
        strmap_put(&l.area_by_id, key, a);
    }
    int64_t *ind_ids = xcalloc((size_t)d->ninds + 1, sizeof *ind_ids);
    for (int i = 0; i < d->ninds; i++)
        ind_ids[i] = d->inds[i].id;
    l.ind_ndense = loader_dense(&l.ind_dense, ind_ids, d->ninds);
    int64_t *area_ids = xcalloc((size_t)d->nareas + 1, sizeof *area_ids);
    for (int a = 0; a < d->nareas; a++) /* areas not loaded are in neither table */
        area_ids[a] = dataset_area_loaded(d, a) ? d->area_ids[a] : -1;
    l.area_ndense = loader_dense(&l.area_dense, area_ids, d->nareas);
    free(area_ids);
    free(ind_ids);
    d->series = xcalloc((size_t)d->ninds * (size_t)d->nloaded + 1, sizeof *d->series);
    d->spc_baseline = xcalloc((size_t)d->ninds + 1, sizeof *d->spc_baseline);
    d->rebases = xcalloc((size_t)d->ninds + 1, sizeof *d->rebases);
    d->nrebases = xcalloc((size_t)d->ninds + 1, sizeof *d->nrebases);
    int fy = period_fy(period.first, s->fy_start);
    int last = period_fy_first(fy + 1, s->fy_start) - 1;
    /* From the first month there is: the SPC series starts at an indicator's first value. */
    if (d->scoped) {
        for (int a = 0; a < d->nareas; a++) {
            if (dataset_area_loaded(d, a) &&
                (store_values_area_each(s, d->area_ids[a], last, loader_value, &l, err) < 0 ||
                 store_targets_area_each(s, d->area_ids[a], loader_target, &l, err) < 0))
                goto out;
        }
    } else if (store_values_each(s, 0, last, loader_value, &l, err) < 0 ||
               store_targets_each(s, loader_target, &l, err) < 0)
        goto out;
    if (store_spc_baselines_each(s, loader_baseline, &l, err) < 0 ||
        store_rebases_each(s, loader_rebase, &l, err) < 0)
        goto out;
    if (dataset_derive_all(d, err) < 0)
        goto out;
    /* A series is present (a row of `kpi compare`, a row of the dashboard) as
     * before the SPC history was loaded: a target, or a value from the start of
     * the previous financial year on. Older values only feed the SPC series. */
    int window = period_fy_first(fy - 1, s->fy_start);
    for (size_t k = 0; k < (size_t)d->ninds * (size_t)d->nloaded; k++) {
        Series *ser = &d->series[k];
        ser->present = ser->nt > 0 || ser->too_large > 0;
        for (int j = 0; j < ser->n && !ser->present; j++)
            ser->present = ser->v[j].period.first >= window;
    }
    rc = 0;
out:
    if (own)
        store_rollback(s); /* only read: ends the snapshot */
    strmap_release(&l.ind_by_id);
    strmap_release(&l.area_by_id);
    free(l.ind_dense);
    free(l.area_dense);
    if (rc < 0)
        dataset_release(d);
    return rc;
}

void dataset_release(Dataset *d)
{
    if (d->series) {
        for (size_t k = 0; k < (size_t)d->ninds * (size_t)d->nloaded; k++) {
            free(d->series[k].v);
            free(d->series[k].t);
        }
    }
    free(d->series);
    free(d->slot);
    for (int i = 0; d->rebases && i < d->ninds; i++)
        free(d->rebases[i]);
    free(d->rebases);
    free(d->nrebases);
    free(d->spc_baseline);
    for (int a = 0; a < d->nareas; a++)
        free(d->areas[a]);
    free(d->areas);
    free(d->area_ids);
    store_indicators_free(d->inds, d->ninds);
    memset(d, 0, sizeof *d);
}

/* dataset_compare, its SPC columns from chart ch (status st) when ch is not NULL. */
static void dataset_compare_with(Dataset *d, int i, int a, SpcChartStatus st, const SpcChart *ch, CompareRow *row)
{
    Series *s = dataset_series(d, i, a);
    memset(row, 0, sizeof *row);
    figures_compare(&d->inds[i].def, s->v, s->n, s->t, s->nt, d->period, d->fy_start, row);
    if (s->too_large)
        figures_note_add(&row->note, "sum of its parts too large to compute exactly");
    SpcSettings set = {d->inds[i].frequency, d->spc_baseline[i], d->rebases[i], d->nrebases[i]};
    if (ch)
        spc_compare_chart(&d->inds[i].def, &set, st, ch, d->fy_start, row);
    else
        spc_compare(&d->inds[i].def, &set, s->v, s->n, s->t, s->nt, d->period, d->fy_start, row);
}

void dataset_compare(Dataset *d, int i, int a, CompareRow *row)
{
    dataset_compare_with(d, i, a, SPC_CHART_EMPTY, NULL, row);
}

SpcChartStatus dataset_spc_chart(Dataset *d, int i, int a, SpcChart *out)
{
    Series *s = dataset_series(d, i, a);
    SpcSettings set = {d->inds[i].frequency, d->spc_baseline[i], d->rebases[i], d->nrebases[i]};
    return spc_chart(&d->inds[i].def, &set, s->v, s->n, s->t, s->nt, d->period, d->fy_start, 1, out);
}

int dataset_delivery(Store *s, Period p, Delivery *out, Err *err)
{
    Project *projects = NULL;
    int n = 0, rc = -1;
    memset(out, 0, sizeof *out);
    if (store_projects(s, &projects, &n, err) < 0)
        goto out;
    for (int k = 0; k < n; k++) {
        Status st;
        char *commentary;
        if (store_status_for(s, projects[k].id, p, &st, &commentary, err) < 0)
            goto out;
        free(commentary);
        out->count[st]++;
    }
    delivery_compute(out);
    rc = 0;
out:
    store_projects_free(projects, n);
    return rc;
}

/* Aggregate one chart point: the span [first, first+n) of series s. */
static Fig dataset_point(const IndicatorDef *def, const Series *s, int first, int n)
{
    Fig f;
    f.has = figures_aggregate(def, s->v, s->n, first, n, &f.q, NULL, NULL);
    if (!f.has)
        f.q = fq_int(0);
    return f;
}

/* The benchmark callback of a report context: the store and dataset it read,
 * and (when that dataset holds only some areas) the last group's areas,
 * loaded once for every indicator the report or dashboard benchmarks. */
typedef struct DatasetBench {
    Store *s;
    Dataset *d;
    char *group;       /* ctx->group, owned here */
    char *gd_group;    /* the group gd holds, NULL when none */
    Dataset gd;
} DatasetBench;

static int dataset_bench(void *arg, const char *code, const char *group, ReportBench *out, Err *err)
{
    DatasetBench *db = arg;
    if (!db->d->scoped)
        return bench_rows(db->s, db->d, code, group, 0, out, err);
    if (!db->gd_group || strcmp(db->gd_group, group) != 0) {
        int64_t *ids = NULL;
        char **names = NULL, **codes = NULL;
        int n = 0, got = store_group_areas(db->s, group, &ids, &names, &codes, &n, err);
        if (got <= 0) /* an error, or no such group: bench_rows says so */
            return got < 0 ? -1 : bench_rows(db->s, db->d, code, group, 0, out, err);
        if (db->gd_group) {
            dataset_release(&db->gd);
            free(db->gd_group);
            db->gd_group = NULL;
        }
        int rc = dataset_load_areas(db->s, db->d->period, (const char *const *)names, n, &db->gd, err);
        store_group_free(ids, names, codes, n);
        if (rc < 0)
            return -1;
        db->gd_group = xstrdup(group);
    }
    return bench_rows(db->s, &db->gd, code, group, 0, out, err);
}

int dataset_report(Store *s, Dataset *d, int area, ReportCtx *ctx, Project **projects, int *nprojects, Err *err)
{
    memset(ctx, 0, sizeof *ctx);
    *projects = NULL;
    *nprojects = 0;
    ctx->period = d->period;
    ctx->fy_start = d->fy_start;
    ctx->area = d->areas[area];
    ctx->ninds = d->ninds;
    ctx->inds = xcalloc((size_t)d->ninds + 1, sizeof *ctx->inds);
    int fy_first = period_fy_first(period_fy(d->period.first, d->fy_start), d->fy_start);
    for (int i = 0; i < d->ninds; i++) {
        ReportIndicator *ri = &ctx->inds[i];
        const Indicator *ind = &d->inds[i];
        Series *ser = dataset_series(d, i, area);
        ri->code = ind->code;
        ri->title = ind->title;
        ri->partner = ind->partner;
        ri->parent = ind->parent;
        ri->def = ind->def;
        /* the compare row's SPC judged from the chart drawn (one SPC computation, not two) */
        ri->spc_status = dataset_spc_chart(d, i, area, &ri->spc);
        dataset_compare_with(d, i, area, ri->spc_status, &ri->spc, &ri->row);
        for (int m = 0; m < REPORT_FY_MONTHS; m++) {
            ri->month_cur[m] = dataset_point(&ind->def, ser, fy_first + m, 1);
            ri->month_prev[m] = dataset_point(&ind->def, ser, fy_first - 12 + m, 1);
        }
        for (int q = 0; q < REPORT_FY_QUARTERS; q++) {
            ri->quarter_cur[q] = dataset_point(&ind->def, ser, fy_first + 3 * q, 3);
            ri->quarter_prev[q] = dataset_point(&ind->def, ser, fy_first - 12 + 3 * q, 3);
        }
    }
    if (store_projects(s, projects, nprojects, err) < 0)
        goto fail;
    ctx->nprojects = *nprojects;
    ctx->projects = xcalloc((size_t)*nprojects + 1, sizeof *ctx->projects);
    for (int k = 0; k < *nprojects; k++) {
        ReportProject *rp = &ctx->projects[k];
        Project *p = &(*projects)[k];
        char *commentary = NULL;
        rp->code = p->code;
        rp->title = p->title;
        rp->description = p->description;
        rp->lead = p->lead;
        rp->key = p->key;
        if (store_status_for(s, p->id, d->period, &rp->status, &commentary, err) < 0)
            goto fail;
        rp->commentary = commentary; /* owned by ctx: freed in dataset_report_release */
        ctx->delivery.count[rp->status]++;
    }
    delivery_compute(&ctx->delivery);
    /* {{benchmark}} reads the group and populations from this store and dataset. */
    DatasetBench *db = xcalloc(1, sizeof *db);
    db->s = s;
    db->d = d;
    ctx->benchmark = dataset_bench;
    ctx->benchmark_arg = db;
    if (store_area_first_group(s, d->area_ids[area], &db->group, err) < 0)
        goto fail;
    ctx->group = db->group;
    /* {{exceptions}}: the commentary recorded for the period in this area (cycle.h) */
    CycleException *ex = NULL;
    int nex = 0;
    if (cycle_exceptions(s, d->period, &ex, &nex, err) < 0) {
        cycle_exceptions_free(ex, nex);
        goto fail;
    }
    ctx->exceptions = xcalloc((size_t)nex + 1, sizeof *ctx->exceptions);
    for (int k = 0; k < nex; k++) {
        if (strcmp(ex[k].area, ctx->area) != 0)
            continue;
        ReportException *re = &ctx->exceptions[ctx->nexceptions++];
        re->code = ex[k].code;
        re->title = ex[k].title;
        re->cause = ex[k].cause;
        re->action = ex[k].action;
        re->owner = ex[k].owner;
        re->date = ex[k].date;
        ex[k].code = ex[k].title = ex[k].cause = ex[k].action = ex[k].owner = ex[k].date = NULL;
    }
    cycle_exceptions_free(ex, nex);
    return 0;
fail:
    dataset_report_release(ctx, *projects, *nprojects);
    *projects = NULL;
    *nprojects = 0;
    return -1;
}

void dataset_report_release(ReportCtx *ctx, Project *projects, int nprojects)
{
    if (ctx->benchmark_arg) {
        DatasetBench *db = ctx->benchmark_arg;
        free(db->group);
        if (db->gd_group) {
            dataset_release(&db->gd);
            free(db->gd_group);
        }
    }
    free(ctx->benchmark_arg);
    ctx->benchmark_arg = NULL;
    for (int i = 0; i < ctx->ninds; i++) {
        compare_row_release(&ctx->inds[i].row);
        spc_chart_release(&ctx->inds[i].spc);
    }
    free(ctx->inds);
    for (int k = 0; k < ctx->nprojects; k++)
        free((char *)ctx->projects[k].commentary);
    free(ctx->projects);
    store_projects_free(projects, nprojects);
    for (int k = 0; k < ctx->nexceptions; k++) {
        const ReportException *e = &ctx->exceptions[k];
        free((char *)e->code);
        free((char *)e->title);
        free((char *)e->cause);
        free((char *)e->action);
        free((char *)e->owner);
        free((char *)e->date);
    }
    free(ctx->exceptions);
    memset(ctx, 0, sizeof *ctx);
}

int dataset_red_unexplained(Store *s, Period p, const char *partner, int amber_too, Buf *out, int *n, Err *err)
{
    Dataset d;
    int rc = -1;
    *n = 0;
    if (dataset_load(s, p, &d, err) < 0)
        return -1;
    for (int i = 0; i < d.ninds; i++) {
        if (!d.inds[i].partner || strcmp(d.inds[i].partner, partner) != 0 || d.inds[i].formula)
            continue;
        for (int a = 0; a < d.nareas; a++) {
            Series *ser = dataset_series(&d, i, a);
            if (!ser->present)
                continue;
            CompareRow row;
            memset(&row, 0, sizeof row);
            dataset_compare(&d, i, a, &row);
            Rag rag = row.rag;
            compare_row_release(&row);
            if (rag != RAG_RED && !(amber_too && rag == RAG_AMBER))
                continue;
            int has;
            if (cycle_exception_has(s, d.inds[i].id, d.area_ids[a], p, &has, err) < 0)
                goto out;
            if (!has) {
                buf_printf(out, "%s%s in %s", *n ? ", " : "", d.inds[i].code, d.areas[a]);
                (*n)++;
            }
        }
    }
    rc = 0;
out:
    dataset_release(&d);
    return rc;
}
