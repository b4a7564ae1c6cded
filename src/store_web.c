/* store_web.c — reads for the web pages (see store_web.h). Bound parameters
 * only; these run inside the caller's transaction when there is one. */
#include "store_web.h"

#include <stdlib.h>
#include <string.h>

/* Read value, numerator, denominator, note from columns col..col+3. */
static void store_web_figure(DbStmt *st, int col, StoreFigure *f)
{
    for (int k = 0; k < 3; k++) {
        f->has[k] = !db_column_is_null(st, col + k);
        f->v[k] = f->has[k] ? db_column_int64(st, col + k) : 0;
    }
    f->note = db_column_dup(st, col + 3);
}

void store_figure_release(StoreFigure *f)
{
    free(f->note);
    f->note = NULL;
}

static Period store_web_period(DbStmt *st, int col)
{
    Period p;
    p.kind = (PeriodKind)db_column_int64(st, col);
    p.first = (int)db_column_int64(st, col + 1);
    return p;
}

#define STORE_WEB_VALUE_COLS "kind, first_month, value, numerator, denominator, note, version, changed_at, changed_by"

static void store_web_value_row(DbStmt *st, StoreValueRow *r)
{
    r->period = store_web_period(st, 0);
    store_web_figure(st, 2, &r->fig);
    r->version = db_column_int64(st, 6);
    r->changed_at = db_column_dup(st, 7);
    r->changed_by = db_column_dup(st, 8);
}

/* StoreRowFn over store_web_value_row. */
static void store_web_values_row(DbStmt *st, void *elem)
{
    store_web_value_row(st, elem);
}

int store_web_values(Store *s, int64_t indicator_id, int64_t area_id, StoreValueRow **out, int *n, Err *err)
{
    const int64_t params[] = {indicator_id, area_id};
    return store_rows(s,
                      "SELECT " STORE_WEB_VALUE_COLS " FROM vals WHERE indicator_id = ? AND area_id = ?"
                      " ORDER BY first_month, kind",
                      params, 2, store_web_values_row, sizeof **out, out, n, err);
}

static void store_web_value_row_release(StoreValueRow *r)
{
    store_figure_release(&r->fig);
    free(r->changed_at);
    free(r->changed_by);
}

void store_web_values_free(StoreValueRow *v, int n)
{
    for (int i = 0; i < n; i++)
        store_web_value_row_release(&v[i]);
    free(v);
}

int store_web_value(Store *s, int64_t indicator_id, int64_t area_id, Period p, StoreValueRow *out, int *found,
                    Err *err)
{
    DbStmt *st = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (db_prepare(s->db,
                   "SELECT " STORE_WEB_VALUE_COLS " FROM vals WHERE indicator_id = ? AND area_id = ?"
                   " AND kind = ? AND first_month = ?",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, p.kind);
    db_bind_int64(st, 4, p.first);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        store_web_value_row(st, out);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* StoreRowFn: one StoreChange from the columns of store_web_history. */
static void store_web_history_row(DbStmt *st, void *elem)
{
    StoreChange *c = elem;
    c->period = store_web_period(st, 0);
    store_web_figure(st, 2, &c->before);
    store_web_figure(st, 6, &c->after);
    c->existed = c->before.has[0] || c->before.has[1] || c->before.has[2] || c->before.note;
    c->changed_at = db_column_dup(st, 10);
    c->changed_by = db_column_dup(st, 11);
}

int store_web_history(Store *s, int64_t indicator_id, int64_t area_id, StoreChange **out, int *n, Err *err)
{
    const int64_t params[] = {indicator_id, area_id};
    /* A change whose old side is all NULL created the value. */
    return store_rows(s,
                      "SELECT kind, first_month, old_value, old_numerator, old_denominator, old_note,"
                      " new_value, new_numerator, new_denominator, new_note, changed_at, changed_by"
                      " FROM value_history WHERE indicator_id = ? AND area_id = ? ORDER BY id DESC",
                      params, 2, store_web_history_row, sizeof **out, out, n, err);
}

void store_web_history_free(StoreChange *v, int n)
{
    for (int i = 0; i < n; i++) {
        store_figure_release(&v[i].before);
        store_figure_release(&v[i].after);
        free(v[i].changed_at);
        free(v[i].changed_by);
    }
    free(v);
}

/* StoreRowFn: one StoreStatusChange from the columns of store_web_status_history. */
static void store_web_status_row(DbStmt *st, void *elem)
{
    StoreStatusChange *c = elem;
    c->period = store_web_period(st, 0);
    c->old_status = db_column_dup(st, 2);
    c->old_commentary = db_column_dup(st, 3);
    c->new_status = db_column_dup(st, 4);
    c->new_commentary = db_column_dup(st, 5);
    c->changed_at = db_column_dup(st, 6);
    c->changed_by = db_column_dup(st, 7);
}

int store_web_status_history(Store *s, int64_t project_id, StoreStatusChange **out, int *n, Err *err)
{
    return store_rows(s,
                      "SELECT kind, first_month, old_status, old_commentary, new_status, new_commentary,"
                      " changed_at, changed_by FROM status_history WHERE project_id = ? ORDER BY id DESC",
                      &project_id, 1, store_web_status_row, sizeof **out, out, n, err);
}

void store_web_status_history_free(StoreStatusChange *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].old_status);
        free(v[i].old_commentary);
        free(v[i].new_status);
        free(v[i].new_commentary);
        free(v[i].changed_at);
        free(v[i].changed_by);
    }
    free(v);
}

int store_web_partners(Store *s, char ***out, int *n, Err *err)
{
    return store_rows(s, "SELECT name FROM partners ORDER BY name", NULL, 0, store_row_text, sizeof **out, out, n,
                      err);
}

void store_web_names_free(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int store_web_latest_month(Store *s, int *month, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    *month = 0;
    if (db_prepare(s->db, "SELECT MAX(first_month + kind - 1) FROM vals", &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW && !db_column_is_null(st, 0)) {
        *month = (int)db_column_int64(st, 0);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}
