/* police.c — `kpi import police`: read the files (police_read.c), then write
 * what they add up to, inside the caller's transaction:
 *
 *   indicators  one per crime type (police.<type>) and police.all-crime,
 *               created when missing; an existing one is left as the user
 *               defined it (title, partner, position), but must sum counts
 *   police_counts, police_months
 *               each force-month read replaces that force-month's counts and
 *               its record of having been imported
 *   vals        rewritten for every (area, month) a replaced force-month
 *               touched, old or new: for each crime type known to the
 *               police tables, the sum over forces of police_counts, zero
 *               where none (a zero is a value: the month was published), and
 *               all-crime, every type but anti-social behaviour. A month no
 *               force-month covers gets no value: it is missing.
 *
 * Values already equal are not written again, so importing the same files
 * twice leaves the values and their history as they were. */
#include "police.h"
#include "store_bench.h"
#include "store_police.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fq.h"
#include "strmap.h"

/* One current count of the import: force-month, district, type. */
typedef struct PoliceEntry {
    uint32_t fm, district, type;
    int64_t n;
} PoliceEntry;

/* One row for police_counts: area and indicator. */
typedef struct PoliceRow {
    int64_t area, ind, n;
} PoliceRow;

/* (month, area) whose values are rewritten. */
typedef struct PoliceCell {
    int month;
    int64_t area;
} PoliceCell;

typedef struct PoliceWrite {
    Store *s;
    PoliceRead *r;
    int64_t *type_ind;     /* global type id -> indicator id */
    int64_t all_crime;     /* indicator id of police.all-crime */
    int64_t asb;           /* indicator id of anti-social behaviour, 0 when none */
    int64_t *force_area;   /* force id -> area id (0 = not yet) */
    int64_t *district_area;/* district id (1-based) -> area id (0 = not yet) */
    PoliceCell *cells;
    size_t ncells, capcells;
    int64_t *kinds;        /* crime-type indicators written: known before or after */
    size_t nkinds;
    int first_month;       /* the months of the cells: first_month + [0, nmonths) */
    size_t nmonths;
    PoliceCounts *existing;/* per month: (area, indicator) -> slot of `have` */
    PoliceCounts *sums;    /* per month: (area, indicator) -> sum over forces of police_counts */
    int64_t *have;
    size_t nhave, caphave;
    StoreValuePut *puts;   /* values to write, in one bulk load at the end */
    int64_t *micro;        /* their values (puts[k].value points here once all are known) */
    size_t nputs, capputs;
    int64_t nareas;        /* areas this import's counts fall in */
    int64_t nvalues;       /* values written */
} PoliceWrite;

static int police_cmp_entry(const void *a, const void *b)
{
    const PoliceEntry *x = a, *y = b;
    if (x->fm != y->fm)
        return x->fm < y->fm ? -1 : 1;
    if (x->district != y->district)
        return x->district < y->district ? -1 : 1;
    return x->type < y->type ? -1 : x->type > y->type;
}

static int police_cmp_row(const void *a, const void *b)
{
    const PoliceRow *x = a, *y = b;
    if (x->area != y->area)
        return x->area < y->area ? -1 : 1;
    return x->ind < y->ind ? -1 : x->ind > y->ind;
}

static int police_cmp_cell(const void *a, const void *b)
{
    const PoliceCell *x = a, *y = b;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return x->area < y->area ? -1 : x->area > y->area;
}

static int police_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int police_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Key of an (area, indicator) pair in a PoliceCounts. */
static uint64_t police_pair(int64_t area, int64_t ind)
{
    if (area <= 0 || ind <= 0 || area > UINT32_MAX || ind > UINT32_MAX)
        PANIC("police: id out of range (area %lld, indicator %lld)", (long long)area, (long long)ind);
    return ((uint64_t)area << 32) | (uint64_t)ind;
}

static void police_add_cell(PoliceWrite *w, int month, int64_t area)
{
    if (w->ncells == w->capcells) {
        w->capcells = w->capcells ? w->capcells * 2 : 256;
        w->cells = xrealloc(w->cells, w->capcells * sizeof *w->cells);
    }
    w->cells[w->ncells].month = month;
    w->cells[w->ncells].area = area;
    w->ncells++;
}

/* A code to make and the title it gets. */
typedef struct PoliceCode {
    char *code, *title;
} PoliceCode;

static int police_cmp_code(const void *a, const void *b)
{
    const PoliceCode *x = a, *y = b;
    /* all-crime leads; then by code */
    int xa = strcmp(x->code, POLICE_ALL_CRIME) == 0, ya = strcmp(y->code, POLICE_ALL_CRIME) == 0;
    if (xa != ya)
        return xa ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* The crime-type indicators: one per code, created when missing. */
static int police_indicators(PoliceWrite *w, Err *err)
{
    PoliceRead *r = w->r;
    Indicator *inds = NULL;
    int nind = 0, rc = -1;
    StrMap have;           /* code -> index into inds */
    StrMap made;           /* code -> indicator id */
    PoliceCode *codes = xcalloc(r->types.n + 1, sizeof *codes);
    size_t ncodes = 0;
    Buf code = BUF_INIT;

    strmap_init(&have);
    strmap_init(&made);
    w->type_ind = xcalloc(r->types.n + 1, sizeof *w->type_ind);
    if (store_indicators(w->s, &inds, &nind, err) < 0)
        goto out;
    for (int i = 0; i < nind; i++)
        strmap_put(&have, inds[i].code, i);

    /* The types in byte order, so that of two types with one code (differing
     * only in case or punctuation) the first names the indicator. */
    char **sorted = xcalloc(r->types.n + 1, sizeof *sorted);
    for (uint32_t t = 0; t < r->types.n; t++)
        sorted[t] = r->types.str[t];
    qsort(sorted, r->types.n, sizeof *sorted, police_cmp_cstr);
    codes[ncodes].code = xstrdup(POLICE_ALL_CRIME);
    codes[ncodes++].title = xstrdup("All crime");
    for (uint32_t k = 0; k < r->types.n; k++) {
        buf_reset(&code);
        if (police_code(&code, sorted[k], strlen(sorted[k])) < 0)
            PANIC("police: type \"%s\" passed the parser without a code", sorted[k]);
        size_t i;
        for (i = 0; i < ncodes; i++)
            if (strcmp(codes[i].code, buf_cstr(&code)) == 0)
                break;
        if (i == ncodes) {
            codes[ncodes].code = xstrdup(buf_cstr(&code));
            codes[ncodes++].title = xstrdup(sorted[k]);
        }
    }
    free(sorted);
    qsort(codes, ncodes, sizeof *codes, police_cmp_code);

    for (size_t i = 0; i < ncodes; i++) {
        int64_t at, id;
        if (strmap_get(&have, codes[i].code, &at)) {
            Indicator *ind = &inds[at];
            if (ind->def.aggregate != AGG_SUM || ind->formula) {
                err_set(err, "indicator %s exists, but not as a count summed over months (aggregate %s%s): "
                             "police figures cannot go into it",
                        ind->code, aggregate_name(ind->def.aggregate), ind->formula ? ", a formula" : "");
                goto out;
            }
            id = ind->id;
        } else {
            Indicator ind;
            memset(&ind, 0, sizeof ind);
            ind.code = codes[i].code;
            ind.title = codes[i].title;
            ind.def.unit = UNIT_COUNT;
            ind.def.polarity = POLARITY_LOWER;
            ind.def.aggregate = AGG_SUM;
            ind.def.decimals = 0;
            ind.frequency = PERIOD_MONTH;
            if (store_indicator_put(w->s, &ind, err) < 0)
                goto out;
            id = ind.id;
        }
        strmap_put(&made, codes[i].code, id);
    }
    for (uint32_t t = 0; t < r->types.n; t++) {
        buf_reset(&code);
        police_code(&code, r->types.str[t], r->types.len[t]);
        if (!strmap_get(&made, buf_cstr(&code), &w->type_ind[t]))
            PANIC("police: code %s not made", buf_cstr(&code));
    }
    strmap_get(&made, POLICE_ALL_CRIME, &w->all_crime);
    if (!strmap_get(&made, POLICE_ASB, &w->asb)) {
        int64_t at;
        w->asb = strmap_get(&have, POLICE_ASB, &at) ? inds[at].id : 0;
    }
    rc = 0;
out:
    for (size_t i = 0; i < ncodes; i++) {
        free(codes[i].code);
        free(codes[i].title);
    }
    free(codes);
    buf_release(&code);
    strmap_release(&have);
    strmap_release(&made);
    store_indicators_free(inds, nind);
    return rc;
}

static int police_force_area(PoliceWrite *w, uint32_t force, int64_t *id, Err *err)
{
    if (!w->force_area[force] && store_area_id(w->s, w->r->forces.str[force], 1, &w->force_area[force], err) < 0)
        return -1;
    *id = w->force_area[force];
    return 0;
}

static int police_district_area(PoliceWrite *w, uint32_t district, int64_t *id, Err *err)
{
    if (!w->district_area[district] &&
        store_area_id(w->s, w->r->districts.str[district - 1], 1, &w->district_area[district], err) < 0)
        return -1;
    *id = w->district_area[district];
    return 0;
}

static int police_has(const int64_t *v, size_t n, int64_t x)
{
    return bsearch(&x, v, n, sizeof *v, police_cmp_i64) != NULL;
}

/* store_police_fms_replace and store_police_cells callback: a cell whose values are rewritten. */
static void police_cell_cb(void *arg, int month, int64_t area)
{
    police_add_cell(arg, month, area);
}

/* Every force and district the entries meet, made at once in the order the
 * loop below meets them (so an area's id is as if made one by one). */
static int police_areas_make(PoliceWrite *w, const PoliceEntry *e, size_t ne, Err *err)
{
    PoliceRead *r = w->r;
    const char **names = xcalloc(r->forces.n + r->districts.n + 1, sizeof *names);
    char *seen_force = xcalloc(r->forces.n + 1, 1), *seen_district = xcalloc(r->districts.n + 1, 1);
    size_t n = 0;
    for (size_t i = 0; i < ne; i++) {
        uint32_t force = r->fms[e[i].fm].force, d = e[i].district;
        if (!seen_force[force]) {
            seen_force[force] = 1;
            names[n++] = r->forces.str[force];
        }
        if (d && !seen_district[d]) {
            seen_district[d] = 1;
            names[n++] = r->districts.str[d - 1];
        }
    }
    int rc = store_areas_make(w->s, names, n, err);
    free(names);
    free(seen_force);
    free(seen_district);
    return rc;
}

/* Replace the counts and the import record of each force-month read; the new
 * counts go in one bulk load. */
static int police_counts_write(PoliceWrite *w, Err *err)
{
    PoliceRead *r = w->r;
    PoliceEntry *e = NULL;
    PoliceRow *rows = NULL;
    size_t ne = 0, caprows = 0;
    StorePoliceCount *load = NULL;
    size_t nload = 0, capload = 0;
    StorePoliceFm *fms = xcalloc(r->nfms + 1, sizeof *fms);
    size_t nfms = 0;
    PoliceCounts seen_area;
    char now[32];
    int rc = -1;

    police_counts_init(&seen_area);
    store_now(now);
    e = xcalloc(r->counts.len + 1, sizeof *e);
    for (size_t k = 0; k < r->counts.nslots; k++) {
        const PoliceCount *c = &r->counts.slots[k];
        if (!c->key || !police_read_current(r, c->key) || c->n == 0)
            continue;
        uint32_t gen, d, t;
        police_gkey_split(c->key, &gen, &d, &t);
        e[ne].fm = r->gen_fm[gen];
        e[ne].district = d;
        e[ne].type = t;
        e[ne].n = c->n;
        ne++;
    }
    qsort(e, ne, sizeof *e, police_cmp_entry);
    if (police_areas_make(w, e, ne, err) < 0)
        goto out;

    for (size_t i = 0; i < ne;) {
        size_t j = i;
        const PoliceFm *fm = &r->fms[e[i].fm];
        const char *force = r->forces.str[fm->force];
        int64_t force_area, nrows = 0, total = 0;
        if (police_force_area(w, fm->force, &force_area, err) < 0)
            goto out;
        while (j < ne && e[j].fm == e[i].fm) {
            int64_t ind = w->type_ind[e[j].type];
            if (nrows + 2 > (int64_t)caprows) {
                caprows = caprows ? caprows * 2 : 256;
                rows = xrealloc(rows, caprows * sizeof *rows);
            }
            rows[nrows++] = (PoliceRow){force_area, ind, e[j].n};
            if (e[j].district) {
                int64_t area;
                if (police_district_area(w, e[j].district, &area, err) < 0)
                    goto out;
                rows[nrows++] = (PoliceRow){area, ind, e[j].n};
            }
            total += e[j].n;
            j++;
        }
        qsort(rows, (size_t)nrows, sizeof *rows, police_cmp_row);
        for (int64_t k = 0; k < nrows;) {
            int64_t m = k, n = 0;
            while (m < nrows && rows[m].area == rows[k].area && rows[m].ind == rows[k].ind)
                n += rows[m++].n;
            if (nload == capload) {
                capload = capload ? capload * 2 : 1024;
                load = xrealloc(load, capload * sizeof *load);
            }
            load[nload].force = force;
            load[nload].month = fm->month;
            load[nload].area = rows[k].area;
            load[nload].indicator = rows[k].ind;
            load[nload].n = n;
            nload++;
            if (k == 0 || rows[k].area != rows[k - 1].area) {
                police_add_cell(w, fm->month, rows[k].area);
                uint64_t akey = (uint64_t)rows[k].area;
                if (!police_counts_find(&seen_area, akey)) {
                    police_counts_add(&seen_area, akey, 1);
                    w->nareas++;
                }
            }
            k = m;
        }
        fms[nfms++] = (StorePoliceFm){force, fm->month, total};
        i = j;
    }
    /* The areas these force-months counted in before are rewritten too. */
    if (store_police_fms_replace(w->s, fms, nfms, now, police_cell_cb, w, err) < 0 ||
        store_police_counts_load(w->s, load, nload, err) < 0)
        goto out;
    rc = 0;
out:
    free(load);
    free(fms);
    police_counts_release(&seen_area);
    free(e);
    free(rows);
    return rc;
}

/* store_values_each callback: remember the month values of our indicators. */
static int police_have_value(void *arg, int64_t indicator_id, int64_t area_id, const Value *v)
{
    PoliceWrite *w = arg;
    if (v->period.kind != PERIOD_MONTH || v->period.first < w->first_month ||
        (size_t)(v->period.first - w->first_month) >= w->nmonths)
        return 0;
    if (indicator_id != w->all_crime && !police_has(w->kinds, w->nkinds, indicator_id))
        return 0;
    if (w->nhave == w->caphave) {
        w->caphave = w->caphave ? w->caphave * 2 : 1024;
        w->have = xrealloc(w->have, w->caphave * sizeof *w->have);
    }
    w->have[w->nhave] = v->micro;
    police_counts_add(&w->existing[v->period.first - w->first_month], police_pair(area_id, indicator_id),
                      (int64_t)w->nhave + 1);
    w->nhave++;
    return 0;
}

/* Queue one month value unless it already holds n (written by police_values_write). */
static int police_put(PoliceWrite *w, int64_t ind, int64_t area, int month, int64_t n, Err *err)
{
    int64_t micro = n * FQ_SCALE;
    const PoliceCount *e = police_counts_find(&w->existing[month - w->first_month], police_pair(area, ind));
    if (e && w->have[e->n - 1] == micro)
        return 0;
    (void)err;
    if (w->nputs == w->capputs) {
        w->capputs = w->capputs ? w->capputs * 2 : 1024;
        w->puts = xrealloc(w->puts, w->capputs * sizeof *w->puts);
        w->micro = xrealloc(w->micro, w->capputs * sizeof *w->micro);
    }
    memset(&w->puts[w->nputs], 0, sizeof *w->puts);
    w->puts[w->nputs].indicator_id = ind;
    w->puts[w->nputs].area_id = area;
    w->puts[w->nputs].period = (Period){PERIOD_MONTH, month};
    w->micro[w->nputs] = micro;
    w->nputs++;
    w->nvalues++;
    return 0;
}

/* store_police_counts_each callback: a force's count added to the sum of its month. */
static void police_sum_cb(void *arg, int month, int64_t area, int64_t ind, int64_t n)
{
    PoliceWrite *w = arg;
    if (month >= w->first_month && (size_t)(month - w->first_month) < w->nmonths)
        police_counts_add(&w->sums[month - w->first_month], police_pair(area, ind), n);
}

/* Rewrite the values of every cell. The sums and the values there are of
 * the cells' months are read in one query each, not one a month: on
 * PostgreSQL a month's rows are found through a block-range index, whose
 * ranges just written are read whole until summarized (schema.c). */
static int police_values_write(PoliceWrite *w, Err *err)
{
    int any = 0;
    if (w->ncells == 0)
        return 0;
    qsort(w->cells, w->ncells, sizeof *w->cells, police_cmp_cell);
    int last = w->cells[w->ncells - 1].month;
    /* Files give years 1 to 9999 (police_month); a wider span can only come
     * from a database changed by hand. */
    if ((int64_t)last - w->cells[0].month >= 12 * 9999)
        return err_set(err, "police: the database holds police counts of month number %d, which no file can give"
                            " (files give years 1 to 9999): nothing was imported", w->cells[0].month < 12 ? w->cells[0].month : last);
    w->first_month = w->cells[0].month;
    w->nmonths = (size_t)(last - w->first_month) + 1;
    w->sums = xcalloc(w->nmonths, sizeof *w->sums);
    w->existing = xcalloc(w->nmonths, sizeof *w->existing);
    for (size_t m = 0; m < w->nmonths; m++) {
        police_counts_init(&w->sums[m]);
        police_counts_init(&w->existing[m]);
    }
    if (store_police_counts_each(w->s, w->first_month, last, police_sum_cb, w, err) < 0 ||
        store_values_any(w->s, w->first_month, last, &any, err) < 0)
        return -1;
    /* New months (the usual case) have no values to compare with: not read. */
    if (any && store_values_each(w->s, w->first_month, last, police_have_value, w, err) < 0)
        return -1;
    for (size_t i = 0; i < w->ncells; i++) {
        int month = w->cells[i].month;
        int64_t area = w->cells[i].area;
        if (i > 0 && w->cells[i - 1].month == month && w->cells[i - 1].area == area)
            continue; /* the same cell twice */
        const PoliceCounts *sums = &w->sums[month - w->first_month];
        int64_t all = 0;
        for (size_t k = 0; k < w->nkinds; k++) {
            int64_t n = police_counts_get(sums, police_pair(area, w->kinds[k]));
            if (w->kinds[k] != w->asb)
                all += n;
            if (police_put(w, w->kinds[k], area, month, n, err) < 0)
                return -1;
        }
        if (police_put(w, w->all_crime, area, month, all, err) < 0)
            return -1;
    }
    /* Every changed value in one bulk write. */
    for (size_t k = 0; k < w->nputs; k++)
        w->puts[k].value = &w->micro[k];
    return store_values_put(w->s, w->puts, w->nputs, err);
}

static double police_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int police_import(Store *s, char *const *paths, int npaths, int progress, Buf *summary, Err *err)
{
    double t0 = police_clock();
    PoliceRead r;
    PoliceWrite w;
    int64_t *before = NULL, *after = NULL;
    size_t nbefore = 0, nafter = 0;
    int rc = -1;

    memset(&w, 0, sizeof w);
    if (police_read(paths, npaths, progress, &r, err) < 0)
        return -1;
    if (progress) {
        fputs("writing the database...", stderr);
        fflush(stderr);
    }
    w.s = s;
    w.r = &r;
    w.force_area = xcalloc(r.forces.n + 1, sizeof *w.force_area);
    w.district_area = xcalloc(r.districts.n + 1, sizeof *w.district_area);
    if (police_indicators(&w, err) < 0 ||
        store_police_kinds(s, &before, &nbefore, err) < 0 ||
        police_counts_write(&w, err) < 0 || store_police_kinds(s, &after, &nafter, err) < 0)
        goto out;
    /* The types to write: those known before (one may now be all zeros) and after. */
    w.kinds = xcalloc(nbefore + nafter + 1, sizeof *w.kinds);
    int new_kind = 0;
    for (size_t i = 0; i < nbefore; i++)
        w.kinds[w.nkinds++] = before[i];
    for (size_t i = 0; i < nafter; i++) {
        if (!police_has(before, nbefore, after[i])) {
            w.kinds[w.nkinds++] = after[i];
            new_kind = 1;
        }
    }
    qsort(w.kinds, w.nkinds, sizeof *w.kinds, police_cmp_i64);
    /* A new crime type: every (month, area) police_counts holds gets a zero for it. */
    if (new_kind && nbefore > 0 && store_police_cells(s, police_cell_cb, &w, err) < 0)
        goto out;
    if (police_values_write(&w, err) < 0)
        goto out;
    /* Each force read gets (or refreshes) the group of its districts (store_bench.h). */
    if (store_groups_police(s, (const char *const *)r.forces.str, r.forces.n, err) < 0)
        goto out;

    buf_printf(summary, "police: %d file%s, %lld rows, %u month%s", r.nfiles, r.nfiles == 1 ? "" : "s",
               (long long)r.rows, r.nfms, r.nfms == 1 ? "" : "s");
    if (r.forces.n != 1)
        buf_printf(summary, " (%u forces)", r.forces.n);
    buf_printf(summary, ", %lld area%s, %.2f s", (long long)w.nareas, w.nareas == 1 ? "" : "s",
               police_clock() - t0);
    rc = 0;
out:
    if (progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    free(before);
    free(after);
    free(w.kinds);
    free(w.type_ind);
    free(w.force_area);
    free(w.district_area);
    free(w.cells);
    for (size_t m = 0; m < w.nmonths; m++) {
        police_counts_release(&w.sums[m]);
        police_counts_release(&w.existing[m]);
    }
    free(w.sums);
    free(w.existing);
    free(w.have);
    free(w.puts);
    free(w.micro);
    police_read_release(&r);
    return rc;
}
