/* store_police.c — police_counts and police_months (see store_police.h).
 * Bound parameters only. */
#include "store_police.h"

#include <stdlib.h>
#include <string.h>

struct StorePolice {
    Store *s;
    DbStmt *old, *del, *mdel, *mins, *sum;
};

static int store_police_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int store_police_kinds(Store *s, int64_t **out, size_t *n, Err *err)
{
    int got;
    int rc = store_rows(s, "SELECT DISTINCT indicator_id FROM police_counts", NULL, 0, store_row_int64,
                        sizeof **out, out, &got, err);
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

int store_police_counts_load(Store *s, const StorePoliceCount *rows, size_t n, Err *err)
{
    static const char *const cols[] = {"force", "month", "area_id", "indicator_id", "n"};
    DbCopy *c;
    if ( db_copy_begin(s->db, "police_counts", cols, 5, &c, err) < 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        db_copy_text(c, 0, rows[k].force);
        db_copy_int64(c, 1, rows[k].month);
        db_copy_int64(c, 2, rows[k].area);
        db_copy_int64(c, 3, rows[k].indicator);
        db_copy_int64(c, 4, rows[k].n);
        if (db_copy_row(c, err) < 0) {
            db_copy_end(c, 0, NULL);
            return -1;
        }
    }
    return db_copy_end(c, 1, err);
}

int store_police_open(Store *s, StorePolice **out, Err *err)
{
    StorePolice *p = xcalloc(1, sizeof *p);
    p->s = s;
    *out = NULL;
    if (db_prepare(s->db, "SELECT DISTINCT area_id FROM police_counts WHERE force = ? AND month = ?", &p->old,
                   err) < 0 ||
        db_prepare(s->db, "DELETE FROM police_counts WHERE force = ? AND month = ?", &p->del, err) < 0 ||
        db_prepare(s->db, "DELETE FROM police_months WHERE force = ? AND month = ?", &p->mdel, err) < 0 ||
        db_prepare(s->db, "INSERT INTO police_months (force, month, rows_read, imported_at) VALUES (?, ?, ?, ?)",
                   &p->mins, err) < 0 ||
        db_prepare(s->db,
                   "SELECT area_id, indicator_id, SUM(n) FROM police_counts WHERE month = ?"
                   " GROUP BY area_id, indicator_id",
                   &p->sum, err) < 0) {
        store_police_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void store_police_free(StorePolice *p)
{
    if (!p)
        return;
    db_finalize(p->old);
    db_finalize(p->del);
    db_finalize(p->mdel);
    db_finalize(p->mins);
    db_finalize(p->sum);
    free(p);
}

int store_police_fm_delete(StorePolice *p, const char *force, int month, StorePoliceCellFn fn, void *arg,
                          Err *err)
{
    int st;
    db_reset(p->old);
    db_bind_text(p->old, 1, force);
    db_bind_int64(p->old, 2, month);
    while ((st = db_step(p->old, err)) == DB_ROW)
        fn(arg, month, db_column_int64(p->old, 0));
    if (st == DB_ERROR)
        return -1;
    db_reset(p->del);
    db_bind_text(p->del, 1, force);
    db_bind_int64(p->del, 2, month);
    return db_run(p->del, err);
}

int store_police_fm_record(StorePolice *p, const char *force, int month, int64_t rows, const char *now,
                           Err *err)
{
    db_reset(p->mdel);
    db_bind_text(p->mdel, 1, force);
    db_bind_int64(p->mdel, 2, month);
    if (db_run(p->mdel, err) < 0)
        return -1;
    db_reset(p->mins);
    db_bind_text(p->mins, 1, force);
    db_bind_int64(p->mins, 2, month);
    db_bind_int64(p->mins, 3, rows);
    db_bind_text(p->mins, 4, now);
    return db_run(p->mins, err);
}

int store_police_month_sums(StorePolice *p, int month, StorePoliceSumFn fn, void *arg, Err *err)
{
    int st;
    db_reset(p->sum);
    db_bind_int64(p->sum, 1, month);
    while ((st = db_step(p->sum, err)) == DB_ROW)
        fn(arg, db_column_int64(p->sum, 0), db_column_int64(p->sum, 1), db_column_int64(p->sum, 2));
    db_reset(p->sum); /* done reading before the caller writes */
    return st == DB_ERROR ? -1 : 0;
}
