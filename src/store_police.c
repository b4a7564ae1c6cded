/* store_police.c — police_counts and police_months (see store_police.h).
 * Bound parameters only. */
#include "store_police.h"

#include <stdlib.h>
#include <string.h>

static int store_police_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int store_police_kinds(Store *s, int64_t **out, size_t *n, Err *err)
{
    int got;
    /* Asked indicator by indicator, of those a police import can have made
     * (police.c: code "police.<type>"): the first count of a type present
     * ends its search, where DISTINCT read every count of every year. */
    int rc = store_rows(s,
                        "SELECT i.id FROM indicators i WHERE i.code LIKE '" STORE_POLICE_CODE_PREFIX "%'"
                        " AND i.code <> '" STORE_POLICE_ALL_CRIME "'"
                        " AND EXISTS (SELECT 1 FROM police_counts c WHERE c.indicator_id = i.id)",
                        NULL, 0, store_row_int64, sizeof **out, out, &got, err);
    *n = (size_t)got;
    if (rc < 0)
        return -1;
    qsort(*out, *n, sizeof **out, store_police_cmp_i64);
    return 0;
}

int store_police_cells(Store *s, StorePoliceCellFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    int rc;
    if (db_prepare(s->db, "SELECT DISTINCT month, area_id FROM police_counts", &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW)
        fn(arg, (int)db_column_int64(st, 0), db_column_int64(st, 1));
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* qsort of row pointers: by month, then in the caller's order. */
static int store_police_cmp_month(const void *a, const void *b)
{
    const StorePoliceCount *x = *(const StorePoliceCount *const *)a, *y = *(const StorePoliceCount *const *)b;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return (x > y) - (x < y);
}

int store_police_counts_load(Store *s, const StorePoliceCount *rows, size_t n, Err *err)
{
    static const char *const cols[] = {"force", "month", "area_id", "indicator_id", "n"};
    const StorePoliceCount **order = xcalloc(n + 1, sizeof *order);
    DbCopy *c;
    int rc;
    for (size_t k = 0; k < n; k++)
        order[k] = &rows[k];
    /* On PostgreSQL a month's rows go together: its month index is a block
     * range (schema.c migration 11). SQLite takes them in the caller's order. */
    if (strcmp(db_backend(s->db), "postgresql") == 0)
        qsort(order, n, sizeof *order, store_police_cmp_month);
    if (db_copy_begin(s->db, "police_counts", cols, 5, &c, err) < 0) {
        free(order);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        const StorePoliceCount *r = order[k];
        db_copy_text(c, 0, r->force);
        db_copy_int64(c, 1, r->month);
        db_copy_int64(c, 2, r->area);
        db_copy_int64(c, 3, r->indicator);
        db_copy_int64(c, 4, r->n);
        if (db_copy_row(c, err) < 0) {
            db_copy_end(c, 0, NULL);
            free(order);
            return -1;
        }
    }
    rc = db_copy_end(c, 1, err);
    free(order);
    return rc;
}

int store_police_fms_replace(Store *s, const StorePoliceFm *fms, size_t n, const char *now, StorePoliceCellFn fn,
                             void *arg, Err *err)
{
    static const char *const cols[] = {"force", "month", "rows_read"};
    DbCopy *c = NULL;
    DbStmt *st = NULL;
    int rc;
    if (n == 0)
        return 0;
    if (db_exec(s->db,
                "CREATE TEMP TABLE IF NOT EXISTS fm_load (force TEXT NOT NULL, month INTEGER NOT NULL,"
                " rows_read BIGINT NOT NULL); DELETE FROM fm_load",
                err) < 0 ||
        db_copy_begin(s->db, "fm_load", cols, 3, &c, err) < 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        db_copy_text(c, 0, fms[k].force);
        db_copy_int64(c, 1, fms[k].month);
        db_copy_int64(c, 2, fms[k].rows);
        if (db_copy_row(c, err) < 0) {
            db_copy_end(c, 0, NULL);
            return -1;
        }
    }
    if (db_copy_end(c, 1, err) < 0)
        return -1;
    /* PostgreSQL keeps no statistics of a temporary table until asked: with
     * them it finds each force-month's counts through their key. */
    if (strcmp(db_backend(s->db), "postgresql") == 0 && db_exec(s->db, "ANALYZE fm_load", err) < 0)
        return -1;
    if (db_prepare(s->db,
                   "SELECT DISTINCT c.month, c.area_id FROM fm_load l JOIN police_counts c"
                   " ON c.force = l.force AND c.month = l.month",
                   &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW)
        fn(arg, (int)db_column_int64(st, 0), db_column_int64(st, 1));
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;
    if (db_exec(s->db,
                "DELETE FROM police_counts WHERE (force, month) IN (SELECT force, month FROM fm_load);"
                " DELETE FROM police_months WHERE (force, month) IN (SELECT force, month FROM fm_load)",
                err) < 0 ||
        db_prepare(s->db, "INSERT INTO police_months (force, month, rows_read, imported_at)"
                          " SELECT force, month, rows_read, ? FROM fm_load", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, now);
    rc = db_run(st, err);
    db_finalize(st);
    if (rc < 0)
        return -1;
    return db_exec(s->db, "DELETE FROM fm_load", err);
}

int store_police_counts_each(Store *s, int first_month, int last_month, StorePoliceCountFn fn, void *arg,
                             Err *err)
{
    DbStmt *st = NULL;
    int rc;
    if (db_prepare(s->db, "SELECT month, area_id, indicator_id, n FROM police_counts WHERE month BETWEEN ? AND ?",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, first_month);
    db_bind_int64(st, 2, last_month);
    while ((rc = db_step(st, err)) == DB_ROW)
        fn(arg, (int)db_column_int64(st, 0), db_column_int64(st, 1), db_column_int64(st, 2), db_column_int64(st, 3));
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}
