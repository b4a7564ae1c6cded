/* store.c — the domain over the SQL layer (see store.h). Every statement is
 * prepared with bound parameters; history rows record who changed what, when. */
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "present.h"
#include "schema.h"

#define STORE_DEFAULT_AREA "All"

void store_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int store_rows(Store *s, const char *sql, const int64_t *params, int nparams, StoreRowFn row, size_t size,
               void *out, int *n, Err *err)
{
    DbStmt *st = NULL;
    int cap = 8, rc;
    unsigned char *v = xcalloc((size_t)cap, size);
    *n = 0;
    if (db_prepare(s->db, sql, &st, err) < 0) {
        memcpy(out, &v, sizeof v);
        return -1;
    }
    for (int k = 0; k < nparams; k++)
        db_bind_int64(st, k + 1, params[k]);
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            if (cap > INT_MAX / 2 || (size_t)cap > SIZE_MAX / 2 / size)
                PANIC("store_rows: more rows than an array holds");
            cap *= 2;
            v = xrealloc(v, (size_t)cap * size);
        }
        unsigned char *elem = v + (size_t)*n * size;
        memset(elem, 0, size);
        row(st, elem);
        (*n)++;
    }
    db_finalize(st);
    memcpy(out, &v, sizeof v);
    return rc == DB_ERROR ? -1 : 0;
}

void store_row_int64(DbStmt *st, void *elem)
{
    *(int64_t *)elem = db_column_int64(st, 0);
}

void store_row_text(DbStmt *st, void *elem)
{
    *(char **)elem = db_column_dup(st, 0);
}

/* Read one meta value into *out (caller frees); *out = NULL when absent. */
static int store_meta_get(Store *s, const char *key, char **out, Err *err)
{
    DbStmt *st = NULL;
    *out = NULL;
    if (db_prepare(s->db, "SELECT value FROM meta WHERE key = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, key);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        *out = xstrdup(db_column_text(st, 0));
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

static int store_meta_set(Store *s, const char *key, const char *value, Err *err)
{
    DbStmt *st = NULL;
    int rc = -1;
    if (db_prepare(s->db, "DELETE FROM meta WHERE key = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, key);
    if (db_run(st, err) < 0)
        goto out;
    db_finalize(st);
    st = NULL;
    if (db_prepare(s->db, "INSERT INTO meta (key, value) VALUES (?, ?)", &st, err) < 0)
        goto out;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    rc = db_run(st, err);
out:
    db_finalize(st);
    return rc;
}

/* Load fy_start and the home area from meta. */
static int store_load_meta(Store *s, const char *url, Err *err)
{
    char *fy = NULL;
    if (store_meta_get(s, "fy_start", &fy, err) < 0)
        return -1;
    if (!fy)
        return err_set(err, "%s: not a kpi database (run `kpi init` first)", url);
    s->fy_start = atoi(fy);
    free(fy);
    free(s->home_area);
    s->home_area = NULL;
    if (store_meta_get(s, "home_area", &s->home_area, err) < 0)
        return -1;
    if (!s->home_area)
        s->home_area = xstrdup(STORE_DEFAULT_AREA);
    return 0;
}

int store_open(const char *url, int create, Store *s, Err *err)
{
    memset(s, 0, sizeof *s);
    s->user = getenv("USER") ? getenv("USER") : "cli";
    if (db_open(url, create, &s->db, err) < 0)
        return -1;
    if (create)
        return 0;
    int version;
    if (schema_version(s->db, &version, err) < 0)
        goto fail;
    if (version == 0) {
        err_set(err, "%s: not a kpi database (run `kpi init` first)", url);
        goto fail;
    }
    if (version < schema_version_latest()) {
        /* An older database: bring it up to date in its own transaction. */
        if (db_begin(s->db, err) < 0 || schema_migrate(s->db, err) < 0 || db_commit(s->db, err) < 0)
            goto fail;
    } else if (version > schema_version_latest()) {
        err_set(err, "%s: made by a newer kpi (schema %d, this kpi knows %d)", url, version,
                schema_version_latest());
        goto fail;
    }
    if (store_load_meta(s, url, err) < 0)
        goto fail;
    return 0;
fail:
    store_close(s);
    return -1;
}

/* The cached statement `id`, prepared on first use, reset and ready to bind. */
static DbStmt *store_stmt(Store *s, StoreStmt id, const char *sql, Err *err)
{
    if (!s->stmts[id]) {
        if (db_prepare(s->db, sql, &s->stmts[id], err) < 0)
            return NULL;
    } else {
        db_reset(s->stmts[id]);
    }
    return s->stmts[id];
}

void store_close(Store *s)
{
    for (int k = 0; k < STMT_COUNT; k++) {
        db_finalize(s->stmts[k]);
        s->stmts[k] = NULL;
    }
    db_close(s->db);
    s->db = NULL;
    strmap_release(&s->area_ids);
    free(s->home_area);
    s->home_area = NULL;
}

int store_begin(Store *s, Err *err)
{
    strmap_release(&s->area_ids);
    return db_begin(s->db, err);
}

int store_commit(Store *s, Err *err)
{
    strmap_release(&s->area_ids);
    return db_commit(s->db, err);
}

void store_rollback(Store *s)
{
    strmap_release(&s->area_ids);
    db_rollback(s->db);
}

int store_begin_read(Store *s, Err *err)
{
    strmap_release(&s->area_ids);
    return db_begin_read(s->db, err);
}

/* Does any value, target or status exist? */
static int store_has_data(Store *s, int *out, Err *err)
{
    DbStmt *st = NULL;
    *out = 0;
    if (db_prepare(s->db,
                   "SELECT 1 FROM vals UNION ALL SELECT 1 FROM targets UNION ALL SELECT 1 FROM statuses LIMIT 1",
                   &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    *out = rc == DB_ROW;
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_init(Store *s, const char *area, int fy_start, Err *err)
{
    char *old_fy = NULL, *old_area = NULL;
    int rc = -1, has_data = 0;
    char num[16];

    if (store_begin(s, err) < 0)
        return -1;
    if (schema_migrate(s->db, err) < 0)
        goto out;
    if (store_meta_get(s, "fy_start", &old_fy, err) < 0 || store_meta_get(s, "home_area", &old_area, err) < 0)
        goto out;
    if (store_has_data(s, &has_data, err) < 0)
        goto out;
    if (old_fy && fy_start > 0 && atoi(old_fy) != fy_start && has_data) {
        err_set(err, "the financial year already starts in month %s and data exist: it cannot change", old_fy);
        goto out;
    }
    if (!old_fy || fy_start > 0) {
        snprintf(num, sizeof num, "%d", fy_start > 0 ? fy_start : PERIOD_FY_START_DEFAULT);
        if (store_meta_set(s, "fy_start", num, err) < 0)
            goto out;
    }
    if (!old_area || area) {
        const char *name = area ? area : STORE_DEFAULT_AREA;
        int64_t id;
        if (store_meta_set(s, "home_area", name, err) < 0 || store_area_id(s, name, 1, &id, err) < 0)
            goto out;
    }
    if (store_commit(s, err) < 0)
        goto out;
    rc = store_load_meta(s, "database", err);
out:
    if (rc < 0)
        store_rollback(s);
    free(old_fy);
    free(old_area);
    return rc;
}

/* Look up (and optionally create) a row id by name in `table` (areas or partners). */
static int store_name_id(Store *s, StoreStmt sel, const char *select_sql, StoreStmt ins, const char *insert_sql,
                         const char *name, int create, int64_t *id, Err *err)
{
    DbStmt *st;
    *id = 0;
    if (!(st = store_stmt(s, sel, select_sql, err)))
        return -1;
    db_bind_text(st, 1, name);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        *id = db_column_int64(st, 0);
    db_reset(st);
    if (rc == DB_ERROR)
        return -1;
    if (*id || !create)
        return 0;
    if (!(st = store_stmt(s, ins, insert_sql, err)))
        return -1;
    db_bind_text(st, 1, name);
    rc = db_step(st, err);
    if (rc == DB_ROW)
        *id = db_column_int64(st, 0);
    db_reset(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_area_id(Store *s, const char *name, int create, int64_t *id, Err *err)
{
    /* Within one transaction an area's id cannot change under us (writers take
     * turns; a reader has its snapshot), so each name is looked up once: an
     * import of many rows asks the database per area, not per row. */
    int cache = db_in_transaction(s->db);
    if (cache && strmap_get(&s->area_ids, name, id))
        return 0;
    if (store_name_id(s, STMT_AREA_SELECT, "SELECT id FROM areas WHERE name = ?", STMT_AREA_INSERT,
                      "INSERT INTO areas (name) VALUES (?) RETURNING id", name, create, id, err) < 0)
        return -1;
    if (cache && *id)
        strmap_put(&s->area_ids, name, *id);
    return 0;
}

int store_names_load(Store *s, const char *const *names, size_t n, Err *err)
{
    static const char *const cols[] = {"seq", "name"};
    DbCopy *c = NULL;
    if (db_exec(s->db,
                "CREATE TEMP TABLE IF NOT EXISTS name_load (seq BIGINT NOT NULL, name TEXT NOT NULL);"
                " DELETE FROM name_load",
                err) < 0 ||
        db_copy_begin(s->db, "name_load", cols, 2, &c, err) < 0)
        return -1;
    for (size_t k = 0; k < n; k++) {
        db_copy_int64(c, 0, (int64_t)k);
        db_copy_text(c, 1, names[k]);
        if (db_copy_row(c, err) < 0) {
            db_copy_end(c, 0, NULL);
            return -1;
        }
    }
    return db_copy_end(c, 1, err);
}

int store_areas_make(Store *s, const char *const *names, size_t n, Err *err)
{
    DbStmt *st = NULL;
    int rc;
    if (!db_in_transaction(s->db))
        PANIC("store_areas_make outside a transaction");
    if (n == 0)
        return 0;
    if (store_names_load(s, names, n, err) < 0 ||
        db_exec(s->db,
                "INSERT INTO areas (name) SELECT l.name FROM name_load AS l"
                " WHERE NOT EXISTS (SELECT 1 FROM areas AS a WHERE a.name = l.name)"
                " GROUP BY l.name ORDER BY MIN(l.seq)",
                err) < 0 ||
        db_prepare(s->db, "SELECT a.id, a.name FROM areas AS a JOIN name_load AS l ON l.name = a.name", &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW)
        strmap_put(&s->area_ids, db_column_text(st, 1), db_column_int64(st, 0));
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;
    return db_exec(s->db, "DELETE FROM name_load", err);
}

int store_area_put(Store *s, const char *name, const char *code, const char *parent, Err *err)
{
    DbStmt *st = NULL;
    int64_t id, parent_id = 0;
    int rc = -1;

    if (parent) {
        if (store_area_id(s, parent, 0, &parent_id, err) < 0)
            return -1;
        if (!parent_id)
            return err_set(err, "area '%s': unknown parent area '%s' (declare it first, on an earlier row)", name,
                           parent);
    }
    if (code) {
        if (db_prepare(s->db, "SELECT id, name FROM areas WHERE code = ?", &st, err) < 0)
            return -1;
        db_bind_text(st, 1, code);
        int got = db_step(st, err);
        if (got == DB_ERROR)
            goto out;
        if (got == DB_ROW && strcmp(db_column_text(st, 1), name) != 0) {
            err_set(err, "area '%s': code %s is already the code of area '%s'", name, code, db_column_text(st, 1));
            goto out;
        }
        db_finalize(st);
        st = NULL;
    }
    if (store_area_id(s, name, 1, &id, err) < 0)
        goto out;
    if (parent_id == id) {
        err_set(err, "area '%s' cannot be its own parent", name);
        goto out;
    }
    if (db_prepare(s->db, "UPDATE areas SET code = ?, parent_id = ? WHERE id = ?", &st, err) < 0)
        goto out;
    db_bind_text(st, 1, code);
    if (parent_id)
        db_bind_int64(st, 2, parent_id);
    else
        db_bind_null(st, 2);
    db_bind_int64(st, 3, id);
    if (db_run(st, err) < 0)
        goto out;
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_partner_id(Store *s, const char *name, int create, int64_t *id, Err *err)
{
    return store_name_id(s, STMT_PARTNER_SELECT, "SELECT id FROM partners WHERE name = ?", STMT_PARTNER_INSERT,
                         "INSERT INTO partners (name) VALUES (?) RETURNING id", name, create, id, err);
}

int store_areas(Store *s, char ***names, int64_t **ids, int *n, Err *err)
{
    DbStmt *st = NULL;
    int cap = 16, rc;
    *n = 0;
    *names = xcalloc((size_t)cap, sizeof **names);
    *ids = xcalloc((size_t)cap, sizeof **ids);
    if (db_prepare(s->db, "SELECT id, name FROM areas ORDER BY name", &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            cap *= 2;
            *names = xrealloc(*names, (size_t)cap * sizeof **names);
            *ids = xrealloc(*ids, (size_t)cap * sizeof **ids);
        }
        (*ids)[*n] = db_column_int64(st, 0);
        (*names)[*n] = xstrdup(db_column_text(st, 1));
        (*n)++;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_area_count(Store *s, int64_t *n, Err *err)
{
    DbStmt *st = NULL;
    *n = 0;
    if (db_prepare(s->db, "SELECT COUNT(*) FROM areas", &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        *n = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* StoreRowFn: one Indicator from the columns of store_indicators. */
static void store_indicator_row(DbStmt *st, void *elem)
{
    Indicator *ind = elem;
    ind->id = db_column_int64(st, 0);
    ind->code = xstrdup(db_column_text(st, 1));
    ind->title = xstrdup(db_column_text(st, 2));
    if (unit_parse(db_column_text(st, 3), &ind->def.unit) < 0 ||
        polarity_parse(db_column_text(st, 4), &ind->def.polarity) < 0 ||
        aggregate_parse(db_column_text(st, 5), &ind->def.aggregate) < 0)
        PANIC("indicator %s: bad stored definition", ind->code);
    const char *f = db_column_text(st, 6);
    if (present_frequency_parse(f, &ind->frequency) < 0)
        ind->frequency = PERIOD_MONTH;
    ind->def.decimals = (int)db_column_int64(st, 7);
    ind->parent = db_column_dup(st, 8);
    ind->partner = db_column_dup(st, 9);
    ind->formula = db_column_dup(st, 10);
    ind->position = (int)db_column_int64(st, 11);
    if ((ind->has_min = !db_column_is_null(st, 12)))
        ind->min = db_column_int64(st, 12);
    if ((ind->has_max = !db_column_is_null(st, 13)))
        ind->max = db_column_int64(st, 13);
}

int store_indicators(Store *s, Indicator **out, int *n, Err *err)
{
    return store_rows(s,
                      "SELECT i.id, i.code, i.title, i.unit, i.polarity, i.aggregate, i.frequency, i.decimals,"
                      " i.parent, p.name, i.formula, i.position, i.min_value, i.max_value"
                      " FROM indicators i LEFT JOIN partners p ON p.id = i.partner_id"
                      " ORDER BY i.position, i.id",
                      NULL, 0, store_indicator_row, sizeof **out, out, n, err);
}

void store_indicators_free(Indicator *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].title);
        free(v[i].parent);
        free(v[i].partner);
        free(v[i].formula);
    }
    free(v);
}

int store_indicator_put(Store *s, Indicator *ind, Err *err)
{
    DbStmt *st = NULL;
    int64_t partner_id = 0;
    int rc = -1;

    if (ind->partner && store_partner_id(s, ind->partner, 1, &partner_id, err) < 0)
        return -1;
    if (db_prepare(s->db,
                   "INSERT INTO indicators (code, title, unit, polarity, aggregate, frequency, decimals,"
                   " parent, partner_id, formula, min_value, max_value, position)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                   "  (SELECT COALESCE(MAX(position), 0) + 1 FROM indicators))"
                   " ON CONFLICT (code) DO UPDATE SET title = excluded.title, unit = excluded.unit,"
                   " polarity = excluded.polarity, aggregate = excluded.aggregate,"
                   " frequency = excluded.frequency, decimals = excluded.decimals,"
                   " parent = excluded.parent, partner_id = excluded.partner_id, formula = excluded.formula,"
                   " min_value = excluded.min_value, max_value = excluded.max_value"
                   " RETURNING id",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, ind->code);
    db_bind_text(st, 2, ind->title);
    db_bind_text(st, 3, unit_name(ind->def.unit));
    db_bind_text(st, 4, polarity_name(ind->def.polarity));
    db_bind_text(st, 5, aggregate_name(ind->def.aggregate));
    db_bind_text(st, 6, present_frequency_name(ind->frequency));
    db_bind_int64(st, 7, ind->def.decimals);
    db_bind_text(st, 8, ind->parent);
    if (partner_id)
        db_bind_int64(st, 9, partner_id);
    else
        db_bind_null(st, 9);
    db_bind_text(st, 10, ind->formula);
    if (ind->has_min)
        db_bind_int64(st, 11, ind->min);
    else
        db_bind_null(st, 11);
    if (ind->has_max)
        db_bind_int64(st, 12, ind->max);
    else
        db_bind_null(st, 12);
    if (db_step(st, err) != DB_ROW)
        goto out;
    ind->id = db_column_int64(st, 0);
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

static void bind_opt(DbStmt *st, int i, const int64_t *v)
{
    if (v)
        db_bind_int64(st, i, *v);
    else
        db_bind_null(st, i);
}

int store_value_put(Store *s, int64_t indicator_id, int64_t area_id, Period p, const int64_t *value,
                    const int64_t *num, const int64_t *den, const char *note, Err *err)
{
    DbStmt *st;
    char now[32];
    int rc = -1;
    store_now(now);
    if (store_lock_check(s, p, err) < 0) /* a published period does not change */
        return -1;

    /* History first: the old row (if any) and the new one, in one statement. */
    if (!(st = store_stmt(s, STMT_VALUE_HISTORY,
                   "INSERT INTO value_history (indicator_id, area_id, kind, first_month,"
                   " old_value, old_numerator, old_denominator, old_note,"
                   " new_value, new_numerator, new_denominator, new_note, changed_at, changed_by)"
                   " SELECT ?, ?, ?, ?, v.value, v.numerator, v.denominator, v.note, ?, ?, ?, ?, ?, ?"
                   " FROM (SELECT 1 AS one) AS x LEFT JOIN vals v ON v.indicator_id = ? AND v.area_id = ?"
                   " AND v.kind = ? AND v.first_month = ?",
                   err)))
        return -1;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, p.kind);
    db_bind_int64(st, 4, p.first);
    bind_opt(st, 5, value);
    bind_opt(st, 6, num);
    bind_opt(st, 7, den);
    db_bind_text(st, 8, note);
    db_bind_text(st, 9, now);
    db_bind_text(st, 10, s->user);
    db_bind_int64(st, 11, indicator_id);
    db_bind_int64(st, 12, area_id);
    db_bind_int64(st, 13, p.kind);
    db_bind_int64(st, 14, p.first);
    if (db_run(st, err) < 0)
        goto out;
    db_reset(st);

    if (!(st = store_stmt(s, STMT_VALUE_UPSERT,
                   "INSERT INTO vals (indicator_id, area_id, kind, first_month, value, numerator, denominator,"
                   " note, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   " ON CONFLICT (indicator_id, area_id, kind, first_month) DO UPDATE SET"
                   " value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator,"
                   " note = excluded.note, changed_at = excluded.changed_at, changed_by = excluded.changed_by,"
                   " version = vals.version + 1",
                   err)))
        goto out;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, p.kind);
    db_bind_int64(st, 4, p.first);
    bind_opt(st, 5, value);
    bind_opt(st, 6, num);
    bind_opt(st, 7, den);
    db_bind_text(st, 8, note);
    db_bind_text(st, 9, now);
    db_bind_text(st, 10, s->user);
    rc = db_run(st, err);
    db_reset(st);
out:
    return rc;
}

int store_value_version(Store *s, int64_t indicator_id, int64_t area_id, Period p, int64_t *version,
                        char **changed_by, char **changed_at, Err *err)
{
    DbStmt *st = NULL;
    *version = 0;
    if (changed_by)
        *changed_by = NULL;
    if (changed_at)
        *changed_at = NULL;
    if (db_prepare(s->db,
                   "SELECT version, changed_by, changed_at FROM vals"
                   " WHERE indicator_id = ? AND area_id = ? AND kind = ? AND first_month = ?",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, p.kind);
    db_bind_int64(st, 4, p.first);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *version = db_column_int64(st, 0);
        if (changed_by)
            *changed_by = db_column_dup(st, 1);
        if (changed_at)
            *changed_at = db_column_dup(st, 2);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

static int store_cmp_put(const void *a, const void *b)
{
    const StoreValuePut *x = *(const StoreValuePut *const *)a, *y = *(const StoreValuePut *const *)b;
    if (x->indicator_id != y->indicator_id)
        return x->indicator_id < y->indicator_id ? -1 : 1;
    if (x->area_id != y->area_id)
        return x->area_id < y->area_id ? -1 : 1;
    if (x->period.kind != y->period.kind)
        return x->period.kind < y->period.kind ? -1 : 1;
    return x->period.first < y->period.first ? -1 : x->period.first > y->period.first;
}

/* v[0..n) in key order (indicator, area, period kind, first month), as
 * pointers (free the array). Two entries for one (indicator, area, period)
 * would make one statement change a row twice: a bug in the caller. */
static const StoreValuePut **store_values_sorted(const StoreValuePut *v, size_t n)
{
    const StoreValuePut **order = xcalloc(n + 1, sizeof *order);
    for (size_t k = 0; k < n; k++)
        order[k] = &v[k];
    qsort(order, n, sizeof *order, store_cmp_put);
    for (size_t k = 1; k < n; k++) {
        if (store_cmp_put(&order[k - 1], &order[k]) == 0)
            PANIC("store_values_put: two values for indicator %lld, area %lld, month %d",
                  (long long)order[k]->indicator_id, (long long)order[k]->area_id, order[k]->period.first);
    }
    return order;
}

static void store_copy_opt(DbCopy *c, int col, const int64_t *v)
{
    if (v)
        db_copy_int64(c, col, *v);
}

/* store_values_put's history of a load: each row's old value and new. */
#define STORE_HISTORY_LOAD                                                                                  \
    "INSERT INTO value_history (indicator_id, area_id, kind, first_month,"                                   \
    " old_value, old_numerator, old_denominator, old_note,"                                                  \
    " new_value, new_numerator, new_denominator, new_note, changed_at, changed_by)"                          \
    " SELECT l.indicator_id, l.area_id, l.kind, l.first_month, v.value, v.numerator, v.denominator,"         \
    " v.note, l.value, l.numerator, l.denominator, l.note, ?, ?"                                             \
    " FROM value_load AS l LEFT JOIN vals AS v ON v.indicator_id = l.indicator_id"                           \
    " AND v.area_id = l.area_id AND v.kind = l.kind AND v.first_month = l.first_month"

/* store_values_bulk's inserts: every row of the load, or those vals lacks. */
#define STORE_VALUES_LOAD                                                                                   \
    "INSERT INTO vals (indicator_id, area_id, kind, first_month, value, numerator, denominator, note,"       \
    " changed_at, changed_by) SELECT indicator_id, area_id, kind, first_month, value, numerator,"            \
    " denominator, note, ?, ? FROM value_load"
#define STORE_VALUES_LOAD_NEW                                                                               \
    "INSERT INTO vals (indicator_id, area_id, kind, first_month, value, numerator, denominator, note,"       \
    " changed_at, changed_by) SELECT l.indicator_id, l.area_id, l.kind, l.first_month, l.value,"             \
    " l.numerator, l.denominator, l.note, ?, ? FROM value_load AS l WHERE NOT EXISTS"                        \
    " (SELECT 1 FROM vals AS v WHERE v.indicator_id = l.indicator_id AND v.area_id = l.area_id"              \
    " AND v.kind = l.kind AND v.first_month = l.first_month)"

/* Run one write of store_values_put whose two parameters are changed_at
 * (now) and changed_by (the store's user). 0 or -1. */
static int store_values_exec(Store *s, const char *sql, const char *now, Err *err)
{
    DbStmt *st = NULL;
    int rc = -1;
    if (db_prepare(s->db, sql, &st, err) == 0) {
        db_bind_text(st, 1, now);
        db_bind_text(st, 2, s->user);
        rc = db_run(st, err);
    }
    db_finalize(st);
    return rc;
}

/* store_values_put's writes for a bulk load (value_load filled, in key
 * order). Rows go in key order, which visits each page of the keys of
 * vals and value_history once (in the order given, a national year took
 * half as long again; in month order, the values' twice as long on
 * PostgreSQL); the rows share one time and differ in key, so nothing can
 * tell the orders apart. When vals has no value at all in the months the
 * load spans (a new month of police data, the usual case) no row can be
 * replaced: the history has no old values and the rows are added without
 * looking for them, read in the order they were loaded (a scan of a table
 * just filled returns its rows in that order; were it ever otherwise, only
 * the speed would change). Otherwise the rows there are get updated, then
 * the others added: none can come between the two, as writers take turns
 * (db.h's db_begin), and no row pays ON CONFLICT's trial insert. */
static int store_values_bulk(Store *s, const StoreValuePut *v, size_t n, const char *now, Err *err)
{
    DbStmt *st = NULL;
    int first = v[0].period.first, last = v[0].period.first, step;
    for (size_t k = 1; k < n; k++) {
        first = v[k].period.first < first ? v[k].period.first : first;
        last = v[k].period.first > last ? v[k].period.first : last;
    }
    /* Every area and indicator of the load exists (what a foreign key checks
     * row by row; PostgreSQL's vals has none, schema.c migration 10). */
    if (db_prepare(s->db,
                   "SELECT l.indicator_id, l.area_id FROM value_load AS l"
                   " WHERE NOT EXISTS (SELECT 1 FROM areas AS a WHERE a.id = l.area_id)"
                   " OR NOT EXISTS (SELECT 1 FROM indicators AS i WHERE i.id = l.indicator_id) LIMIT 1",
                   &st, err) < 0)
        return -1;
    step = db_step(st, err);
    if (step == DB_ROW)
        err_set(err, "store_values_put: no indicator %lld or no area %lld (a bug in kpi: nothing was written)",
                (long long)db_column_int64(st, 0), (long long)db_column_int64(st, 1));
    db_finalize(st);
    if (step != DB_DONE)
        return -1;
    int any;
    if (store_values_any(s, first, last, &any, err) < 0)
        return -1;
    if (!any) { /* fresh months: nothing to replace */
        if (store_values_exec(s,
                              "INSERT INTO value_history (indicator_id, area_id, kind, first_month,"
                              " new_value, new_numerator, new_denominator, new_note, changed_at, changed_by)"
                              " SELECT indicator_id, area_id, kind, first_month, value, numerator, denominator,"
                              " note, ?, ? FROM value_load",
                              now, err) < 0)
            return -1;
        return store_values_exec(s, STORE_VALUES_LOAD, now, err);
    }
    /* PostgreSQL keeps no statistics of a temporary table until asked: without
     * them it plans the joins below as if the load were small and vals huge. */
    if (strcmp(db_backend(s->db), "postgresql") == 0 && db_exec(s->db, "ANALYZE value_load", err) < 0)
        return -1;
    if (store_values_exec(s, STORE_HISTORY_LOAD " ORDER BY l.indicator_id, l.area_id, l.first_month, l.kind", now,
                          err) < 0 ||
        store_values_exec(s,
                          "UPDATE vals SET value = l.value, numerator = l.numerator, denominator = l.denominator,"
                          " note = l.note, changed_at = ?, changed_by = ?, version = vals.version + 1"
                          " FROM value_load AS l WHERE vals.indicator_id = l.indicator_id"
                          " AND vals.area_id = l.area_id AND vals.kind = l.kind AND vals.first_month = l.first_month",
                          now, err) < 0)
        return -1;
    return store_values_exec(s, STORE_VALUES_LOAD_NEW " ORDER BY l.indicator_id, l.area_id, l.kind, l.first_month",
                             now, err);
}

int store_values_any(Store *s, int first_month, int last_month, int *any, Err *err)
{
    DbStmt *st = NULL;
    *any = 0;
    if (db_prepare(s->db, "SELECT 1 FROM vals WHERE first_month BETWEEN ? AND ? LIMIT 1", &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, first_month);
    db_bind_int64(st, 2, last_month);
    int step = db_step(st, err);
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;
    *any = step == DB_ROW;
    return 0;
}

int store_values_put(Store *s, const StoreValuePut *v, size_t n, Err *err)
{
    static const char *const cols[] = {"seq", "indicator_id", "area_id", "kind", "first_month",
                                       "value", "numerator", "denominator", "note"};
    DbCopy *c = NULL;
    const StoreValuePut **order = NULL;
    char now[32];
    int rc = -1, bulk = n >= STORE_BULK_ROWS;
    if (n == 0)
        return 0;
    order = store_values_sorted(v, n);
    store_now(now);
    if (db_exec(s->db,
                "CREATE TEMP TABLE IF NOT EXISTS value_load (seq BIGINT NOT NULL, indicator_id BIGINT NOT NULL,"
                " area_id BIGINT NOT NULL, kind INTEGER NOT NULL, first_month INTEGER NOT NULL,"
                " value BIGINT, numerator BIGINT, denominator BIGINT, note TEXT);"
                " DELETE FROM value_load",
                err) < 0 ||
        db_copy_begin(s->db, "value_load", cols, (int)(sizeof cols / sizeof cols[0]), &c, err) < 0)
        goto out;
    /* In key order; seq keeps the caller's. */
    for (size_t k = 0; k < n; k++) {
        const StoreValuePut *p = order[k];
        db_copy_int64(c, 0, (int64_t)(p - v));
        db_copy_int64(c, 1, p->indicator_id);
        db_copy_int64(c, 2, p->area_id);
        db_copy_int64(c, 3, p->period.kind);
        db_copy_int64(c, 4, p->period.first);
        store_copy_opt(c, 5, p->value);
        store_copy_opt(c, 6, p->num);
        store_copy_opt(c, 7, p->den);
        db_copy_text(c, 8, p->note);
        if (db_copy_row(c, err) < 0)
            goto out;
    }
    rc = db_copy_end(c, 1, err);
    c = NULL;
    if (rc < 0 || (rc = store_lock_check_load(s, "value_load", err)) < 0) /* a published period does not change */
        goto out;
    /* As store_value_put, for every row at once: history first, then the values. */
    if (bulk)
        rc = store_values_bulk(s, v, n, now, err);
    else if ((rc = store_values_exec(s, STORE_HISTORY_LOAD " ORDER BY l.seq", now, err)) == 0)
        rc = store_values_exec(s,
                               "INSERT INTO vals (indicator_id, area_id, kind, first_month, value, numerator,"
                               " denominator, note, changed_at, changed_by)"
                               " SELECT indicator_id, area_id, kind, first_month, value, numerator, denominator,"
                               " note, ?, ? FROM value_load WHERE 1 = 1 ORDER BY seq"
                               " ON CONFLICT (indicator_id, area_id, kind, first_month) DO UPDATE SET"
                               " value = excluded.value, numerator = excluded.numerator,"
                               " denominator = excluded.denominator, note = excluded.note,"
                               " changed_at = excluded.changed_at, changed_by = excluded.changed_by,"
                               " version = vals.version + 1",
                               now, err);
    if (rc < 0)
        goto out;
    /* A quarter of a million rows: TRUNCATE drops their pages at once. */
    rc = db_exec(s->db, strcmp(db_backend(s->db), "postgresql") == 0 ? "TRUNCATE value_load" : "DELETE FROM value_load",
                 err);
out:
    if (c)
        db_copy_end(c, 0, NULL);
    free(order);
    return rc;
}

static int store_values_step(DbStmt *st, StoreValueFn fn, void *arg, Err *err);

int store_values_each(Store *s, int first_month, int last_month, StoreValueFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db,
                   "SELECT indicator_id, area_id, kind, first_month, value, numerator, denominator FROM vals"
                   " WHERE first_month BETWEEN ? AND ?",
                   &st, err) < 0)
        return -1;
    db_stream(st);
    db_bind_int64(st, 1, first_month);
    db_bind_int64(st, 2, last_month);
    return store_values_step(st, fn, arg, err);
}

int store_values_area_each(Store *s, int64_t area_id, int last_month, StoreValueFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    /* Each (indicator, area) looked up in the vals key (indicator_id, area_id,
     * ...), indicator by indicator, rather than the month index scanned: SQLite
     * keeps a CROSS JOIN's order, and "+" keeps the month out of index choice
     * (PostgreSQL plans both freely and reads them the same). */
    if (db_prepare(s->db,
                   "SELECT v.indicator_id, v.area_id, v.kind, v.first_month, v.value, v.numerator, v.denominator"
                   " FROM indicators i CROSS JOIN vals v"
                   " WHERE v.indicator_id = i.id AND v.area_id = ? AND +v.first_month <= ?",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, area_id);
    db_bind_int64(st, 2, last_month);
    return store_values_step(st, fn, arg, err);
}

/* Step a statement of store_values_each's columns to its end, calling fn for
 * each row; finalizes it. */
static int store_values_step(DbStmt *st, StoreValueFn fn, void *arg, Err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Value v;
        memset(&v, 0, sizeof v);
        v.period.kind = (PeriodKind)db_column_int64(st, 2);
        v.period.first = (int)db_column_int64(st, 3);
        v.micro = db_column_int64(st, 4);
        if (!db_column_is_null(st, 5) && !db_column_is_null(st, 6)) {
            v.has_ratio = 1;
            v.num_micro = db_column_int64(st, 5);
            v.den_micro = db_column_int64(st, 6);
        }
        if (fn(arg, db_column_int64(st, 0), db_column_int64(st, 1), &v) < 0) {
            rc = DB_ERROR;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_target_put(Store *s, int64_t indicator_id, int64_t area_id, int fy, int64_t target_micro,
                     int64_t tolerance_micro, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    store_now(now);
    if (db_prepare(s->db,
                   "INSERT INTO targets (indicator_id, area_id, fy, target, tolerance, changed_at, changed_by)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, area_id, fy) DO UPDATE SET"
                   " target = excluded.target, tolerance = excluded.tolerance,"
                   " changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, fy);
    db_bind_int64(st, 4, target_micro);
    db_bind_int64(st, 5, tolerance_micro);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, s->user);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

static int store_targets_step(DbStmt *st, StoreTargetFn fn, void *arg, Err *err);

int store_targets_each(Store *s, StoreTargetFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "SELECT indicator_id, area_id, fy, target, tolerance FROM targets"
                          " ORDER BY indicator_id, area_id, fy", &st, err) < 0)
        return -1;
    return store_targets_step(st, fn, arg, err);
}

int store_targets_area_each(Store *s, int64_t area_id, StoreTargetFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "SELECT t.indicator_id, t.area_id, t.fy, t.target, t.tolerance"
                          " FROM indicators i CROSS JOIN targets t WHERE t.indicator_id = i.id AND t.area_id = ?"
                          " ORDER BY i.id, t.fy", &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, area_id);
    return store_targets_step(st, fn, arg, err);
}

/* Step a statement of store_targets_each's columns to its end (finalizes it). */
static int store_targets_step(DbStmt *st, StoreTargetFn fn, void *arg, Err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Target t;
        t.fy = (int)db_column_int64(st, 2);
        t.target_micro = db_column_int64(st, 3);
        t.tolerance_micro = db_column_int64(st, 4);
        if (fn(arg, db_column_int64(st, 0), db_column_int64(st, 1), &t) < 0) {
            rc = DB_ERROR;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_indicator_settings_put(Store *s, int64_t indicator_id, int baseline, int64_t per, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "UPDATE indicators SET spc_baseline = ?, per = ? WHERE id = ?", &st, err) < 0)
        return -1;
    const int64_t v[2] = {baseline, per};
    for (int k = 0; k < 2; k++) {
        if (v[k] > 0)
            db_bind_int64(st, k + 1, v[k]);
        else
            db_bind_null(st, k + 1);
    }
    db_bind_int64(st, 3, indicator_id);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int store_spc_baselines_each(Store *s, StoreBaselineFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    int rc;
    if (db_prepare(s->db, "SELECT id, spc_baseline FROM indicators WHERE spc_baseline IS NOT NULL", &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (fn(arg, db_column_int64(st, 0), (int)db_column_int64(st, 1)) < 0) {
            rc = DB_ERROR;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_rebase_put(Store *s, int64_t indicator_id, Period p, const char *reason, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    store_now(now);
    if (db_prepare(s->db,
                   "INSERT INTO rebases (indicator_id, kind, first_month, reason, changed_at, changed_by)"
                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, kind, first_month) DO UPDATE SET"
                   " reason = excluded.reason, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, (int64_t)p.kind);
    db_bind_int64(st, 3, p.first);
    db_bind_text(st, 4, reason);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, s->user);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int store_rebases_each(Store *s, StoreRebaseFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    int rc;
    if (db_prepare(s->db, "SELECT indicator_id, kind, first_month FROM rebases ORDER BY indicator_id, first_month",
                   &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Period p;
        p.kind = (PeriodKind)db_column_int64(st, 1);
        p.first = (int)db_column_int64(st, 2);
        if (fn(arg, db_column_int64(st, 0), p) < 0) {
            rc = DB_ERROR;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* StoreRowFn: one Project from the columns of store_projects. */
static void store_project_row(DbStmt *st, void *elem)
{
    Project *p = elem;
    p->id = db_column_int64(st, 0);
    p->code = xstrdup(db_column_text(st, 1));
    p->title = xstrdup(db_column_text(st, 2));
    p->description = db_column_dup(st, 3);
    p->lead = db_column_dup(st, 4);
    p->key = (int)db_column_int64(st, 5);
    p->position = (int)db_column_int64(st, 6);
}

int store_projects(Store *s, Project **out, int *n, Err *err)
{
    return store_rows(s, "SELECT id, code, title, description, lead, is_key, position FROM projects"
                         " ORDER BY position, id",
                      NULL, 0, store_project_row, sizeof **out, out, n, err);
}

void store_projects_free(Project *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].title);
        free(v[i].description);
        free(v[i].lead);
    }
    free(v);
}

int store_project_put(Store *s, Project *p, Err *err)
{
    DbStmt *st = NULL;
    int rc = -1;
    if (db_prepare(s->db,
                   "INSERT INTO projects (code, title, description, lead, is_key, position)"
                   " VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM projects))"
                   " ON CONFLICT (code) DO UPDATE SET title = excluded.title, description = excluded.description,"
                   " lead = excluded.lead, is_key = excluded.is_key RETURNING id",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, p->code);
    db_bind_text(st, 2, p->title);
    db_bind_text(st, 3, p->description);
    db_bind_text(st, 4, p->lead);
    db_bind_int64(st, 5, p->key);
    if (db_step(st, err) == DB_ROW) {
        p->id = db_column_int64(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int store_status_put(Store *s, int64_t project_id, Period p, Status status, const char *commentary, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    int rc = -1;
    store_now(now);
    if (store_lock_check(s, p, err) < 0) /* a published period does not change */
        return -1;
    if (db_prepare(s->db,
                   "INSERT INTO status_history (project_id, kind, first_month, old_status, old_commentary,"
                   " new_status, new_commentary, changed_at, changed_by)"
                   " SELECT ?, ?, ?, t.status, t.commentary, ?, ?, ?, ?"
                   " FROM (SELECT 1 AS one) AS x LEFT JOIN statuses t ON t.project_id = ? AND t.kind = ?"
                   " AND t.first_month = ?",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, project_id);
    db_bind_int64(st, 2, p.kind);
    db_bind_int64(st, 3, p.first);
    db_bind_text(st, 4, status_name(status));
    db_bind_text(st, 5, commentary);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, s->user);
    db_bind_int64(st, 8, project_id);
    db_bind_int64(st, 9, p.kind);
    db_bind_int64(st, 10, p.first);
    if (db_run(st, err) < 0)
        goto out;
    db_finalize(st);
    st = NULL;
    if (db_prepare(s->db,
                   "INSERT INTO statuses (project_id, kind, first_month, status, commentary, changed_at, changed_by)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, kind, first_month) DO UPDATE SET"
                   " status = excluded.status, commentary = excluded.commentary,"
                   " changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                   &st, err) < 0)
        goto out;
    db_bind_int64(st, 1, project_id);
    db_bind_int64(st, 2, p.kind);
    db_bind_int64(st, 3, p.first);
    db_bind_text(st, 4, status_name(status));
    db_bind_text(st, 5, commentary);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, s->user);
    rc = db_run(st, err);
out:
    db_finalize(st);
    return rc;
}

int store_status_for(Store *s, int64_t project_id, Period p, Status *status, char **commentary, Err *err)
{
    DbStmt *st = NULL;
    *status = STATUS_UNREPORTED;
    *commentary = NULL;
    /* Periods that end inside p: the latest end wins, and at the same end the longest span. */
    if (db_prepare(s->db,
                   "SELECT status, commentary FROM statuses WHERE project_id = ?"
                   " AND first_month + kind - 1 BETWEEN ? AND ? AND first_month >= ?"
                   " ORDER BY first_month + kind DESC, kind DESC LIMIT 1",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, project_id);
    db_bind_int64(st, 2, p.first);
    db_bind_int64(st, 3, period_last(p));
    db_bind_int64(st, 4, p.first);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        if (status_parse(db_column_text(st, 0), status) < 0)
            PANIC("bad stored status");
        *commentary = db_column_dup(st, 1);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}
