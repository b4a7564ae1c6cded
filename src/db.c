/* db.c — the public face of the SQL layer (db.h): picks the back end by the
 * URL's scheme and dispatches every call through its DbOps table; keeps the
 * transaction state, the bulk-load bookkeeping and the catalog helpers that
 * are the same for every back end. */
#include "db_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB_PG_SCHEME "postgresql://"
#define DB_PG_SCHEME_SHORT "postgres://"

const char *db_url_backend(const char *url)
{
    if (strncmp(url, DB_PG_SCHEME, strlen(DB_PG_SCHEME)) == 0 ||
        strncmp(url, DB_PG_SCHEME_SHORT, strlen(DB_PG_SCHEME_SHORT)) == 0)
        return "postgresql";
    return "sqlite";
}

void db_url_redact(Buf *out, const char *url)
{
    const char *scheme_end = strstr(url, "://");
    if (strcmp(db_url_backend(url), "postgresql") != 0 || !scheme_end) {
        buf_puts(out, url);
        return;
    }
    /* The user information stands before the last "@" ahead of the path. */
    const char *auth = scheme_end + 3, *p = url;
    size_t authority = strcspn(auth, "/?");
    const char *at = memrchr(auth, '@', authority);
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        buf_append(out, url, (size_t)(colon + 1 - url));
        buf_puts(out, "***");
        p = at;
    }
    /* A password may also come as a parameter after the "?". */
    const char *pw;
    while ((pw = strstr(p, "password=")) != NULL) {
        pw += strlen("password=");
        buf_append(out, p, (size_t)(pw - p));
        buf_puts(out, "***");
        p = pw + strcspn(pw, "&");
    }
    buf_puts(out, p);
}

int db_open(const char *url, int create, Db **out, Err *err)
{
    *out = NULL;
    if (strcmp(db_url_backend(url), "postgresql") == 0)
        return db_pg_open(url, create, out, err);
    return db_sqlite_open(url, create, out, err);
}

void db_close(Db *db)
{
    if (!db)
        return;
    if (db->copy)
        db_copy_end(db->copy, 0, NULL);
    db_rollback(db);
    db->ops->close(db);
}

const char *db_backend(const Db *db)
{
    return db->ops->name;
}

/* A statement must not run while a bulk load holds the connection. */
static void db_check_idle(const Db *db)
{
    if (db->copy)
        PANIC("statement during a bulk load");
}

int db_exec(Db *db, const char *sql, Err *err)
{
    db_check_idle(db);
    return db->ops->exec(db, sql, err);
}

static int db_begin_as(Db *db, int kind, const char *sql, Err *err)
{
    if (db->tx != DB_TX_NONE)
        PANIC("nested transaction");
    if (db_exec(db, sql, err) < 0) {
        /* A half-opened transaction (PostgreSQL: BEGIN ran, the lock did not) is closed. */
        db->ops->exec(db, "ROLLBACK", NULL);
        return -1;
    }
    db->tx = kind;
    return 0;
}

int db_begin(Db *db, Err *err)
{
    return db_begin_as(db, DB_TX_WRITE, db->ops->begin_write_sql, err);
}

int db_begin_read(Db *db, Err *err)
{
    return db_begin_as(db, DB_TX_READ, db->ops->begin_read_sql, err);
}

int db_commit(Db *db, Err *err)
{
    if (db->tx == DB_TX_NONE)
        PANIC("commit without a transaction");
    if (db_exec(db, "COMMIT", err) < 0) {
        db_rollback(db);
        return -1;
    }
    db->tx = DB_TX_NONE;
    return 0;
}

void db_rollback(Db *db)
{
    if (db->tx == DB_TX_NONE)
        return;
    if (db->copy)
        db_copy_end(db->copy, 0, NULL);
    db->ops->exec(db, "ROLLBACK", NULL);
    db->tx = DB_TX_NONE;
}

int db_in_transaction(const Db *db)
{
    return db->tx != DB_TX_NONE;
}

int db_busy(const Db *db)
{
    return db->busy;
}

void db_busy_clear(Db *db)
{
    db->busy = 0;
}

int db_prepare(Db *db, const char *sql, DbStmt **out, Err *err)
{
    *out = NULL;
    db_check_idle(db);
    return db->ops->prepare(db, sql, out, err);
}

void db_bind_int64(DbStmt *st, int i, int64_t v)
{
    st->db->ops->bind_int64(st, i, v);
}

void db_bind_text(DbStmt *st, int i, const char *s)
{
    st->db->ops->bind_text(st, i, s);
}

void db_bind_null(DbStmt *st, int i)
{
    st->db->ops->bind_text(st, i, NULL);
}

int db_step(DbStmt *st, Err *err)
{
    db_check_idle(st->db);
    return st->db->ops->step(st, err);
}

int db_column_is_null(DbStmt *st, int col)
{
    return st->db->ops->column_type(st, col) == DB_NULL;
}

int64_t db_column_int64(DbStmt *st, int col)
{
    return st->db->ops->column_int64(st, col);
}

const char *db_column_text(DbStmt *st, int col)
{
    return st->db->ops->column_text(st, col);
}

char *db_column_dup(DbStmt *st, int col)
{
    const char *s = db_column_text(st, col);
    return s ? xstrdup(s) : NULL;
}

int db_column_count(DbStmt *st)
{
    return st->db->ops->column_count(st);
}

const char *db_column_name(DbStmt *st, int col)
{
    return st->db->ops->column_name(st, col);
}

int db_column_type(DbStmt *st, int col)
{
    return st->db->ops->column_type(st, col);
}

void db_stream(DbStmt *st)
{
    if (st->db->ops->stream)
        st->db->ops->stream(st);
}

int db_reset(DbStmt *st)
{
    st->db->ops->reset(st);
    return 0;
}

void db_finalize(DbStmt *st)
{
    if (!st)
        return;
    st->db->ops->finalize(st);
}

int db_run(DbStmt *st, Err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW)
        ;
    return rc == DB_DONE ? 0 : -1;
}

/* ---- bulk load ---- */

/* Table and column names for a bulk load are written in the code: a name
 * that is not plain is a bug, not bad input. */
static void db_check_name(const char *name)
{
    if (!*name)
        PANIC("empty name in a bulk load");
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            PANIC("bulk load: '%s' is not a plain name", name);
    }
}

int db_copy_begin(Db *db, const char *table, const char *const *columns, int ncols, DbCopy **out, Err *err)
{
    *out = NULL;
    if (db->tx != DB_TX_WRITE)
        PANIC("bulk load outside a write transaction");
    db_check_idle(db);
    if (ncols <= 0)
        PANIC("bulk load of no columns");
    db_check_name(table);
    for (int k = 0; k < ncols; k++)
        db_check_name(columns[k]);
    DbCopy *c = xcalloc(1, sizeof *c);
    c->db = db;
    c->ncols = ncols;
    c->vals = xcalloc((size_t)ncols, sizeof *c->vals);
    if (db->ops->copy_begin(c, table, columns, err) < 0) {
        free(c->vals);
        free(c);
        return -1;
    }
    db->copy = c;
    *out = c;
    return 0;
}

static void db_copy_set(DbCopy *c, int col, char *v)
{
    if (col < 0 || col >= c->ncols)
        PANIC("bulk load column %d of %d", col, c->ncols);
    free(c->vals[col]);
    c->vals[col] = v;
}

void db_copy_int64(DbCopy *c, int col, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    db_copy_set(c, col, xstrdup(num));
}

void db_copy_text(DbCopy *c, int col, const char *s)
{
    db_copy_set(c, col, s ? xstrdup(s) : NULL);
}

int db_copy_row(DbCopy *c, Err *err)
{
    int rc = c->db->ops->copy_row(c, err);
    for (int k = 0; k < c->ncols; k++) {
        free(c->vals[k]);
        c->vals[k] = NULL;
    }
    return rc;
}

int db_copy_end(DbCopy *c, int ok, Err *err)
{
    Db *db = c->db;
    db->copy = NULL;
    int rc = db->ops->copy_end(c, ok, err);
    for (int k = 0; k < c->ncols; k++)
        free(c->vals[k]);
    free(c->vals);
    free(c);
    return ok ? rc : -1;
}

/* ---- catalog ---- */

void db_quote_ident(Buf *out, const char *name)
{
    buf_putc(out, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}

void db_tables_free(char **names, int n)
{
    for (int k = 0; k < n; k++)
        free(names[k]);
    free(names);
}

static int db_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read a one- or two-column result into a list of strings (pairs flattened). */
static int db_strings(Db *db, const char *sql, int width, char ***out, int *n, Err *err)
{
    DbStmt *st = NULL;
    int cap = 16, rc;
    *n = 0;
    *out = xcalloc((size_t)cap, sizeof **out);
    if (db_prepare(db, sql, &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n + width > cap) {
            cap *= 2;
            *out = xrealloc(*out, (size_t)cap * sizeof **out);
        }
        for (int k = 0; k < width; k++) {
            const char *s = db_column_text(st, k);
            (*out)[(*n)++] = xstrdup(s ? s : "");
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int db_tables(Db *db, char ***names, int *n, Err *err)
{
    char **tables = NULL, **fk = NULL;
    int ntables = 0, nfk = 0, rc = -1;
    int *done = NULL;

    *names = NULL;
    *n = 0;
    if (db_strings(db, db->ops->tables_sql, 1, &tables, &ntables, err) < 0 ||
        db_strings(db, db->ops->fkeys_sql, 2, &fk, &nfk, err) < 0)
        goto out;
    qsort(tables, (size_t)ntables, sizeof *tables, db_cmp_cstr);
    /* Each round takes, in name order, every table whose references are all taken. */
    done = xcalloc((size_t)ntables + 1, sizeof *done);
    *names = xcalloc((size_t)ntables + 1, sizeof **names);
    while (*n < ntables) {
        int progress = 0;
        for (int t = 0; t < ntables; t++) {
            if (done[t])
                continue;
            int ready = 1;
            for (int k = 0; k + 1 < nfk && ready; k += 2) {
                if (strcmp(fk[k], tables[t]) != 0 || strcmp(fk[k + 1], tables[t]) == 0)
                    continue;
                for (int u = 0; u < ntables; u++) {
                    if (!done[u] && strcmp(tables[u], fk[k + 1]) == 0)
                        ready = 0;
                }
            }
            if (ready) {
                done[t] = 1;
                (*names)[(*n)++] = xstrdup(tables[t]);
                progress = 1;
            }
        }
        if (!progress) {
            err_set(err, "the tables' foreign keys refer to each other in a circle");
            goto out;
        }
    }
    rc = 0;
out:
    if (rc < 0) {
        db_tables_free(*names, *n);
        *names = NULL;
        *n = 0;
    }
    free(done);
    db_tables_free(tables, ntables);
    db_tables_free(fk, nfk);
    return rc;
}

int db_sync_ids(Db *db, Err *err)
{
    return db->ops->sync_ids ? db->ops->sync_ids(db, err) : 0;
}

int db_backup(Db *db, const char *path, int replace, Err *err)
{
    db_check_idle(db);
    if (db->tx != DB_TX_NONE)
        PANIC("backup inside a transaction");
    return db->ops->backup(db, path, replace, err);
}

int db_changed(Db *db, Err *err)
{
    return db->ops->changed ? db->ops->changed(db, err) : 0;
}

int db_watch(Db *db, Err *err)
{
    if (db->tx != DB_TX_NONE)
        PANIC("db_watch inside a transaction");
    return db->ops->watch ? db->ops->watch(db, err) : 0;
}

int db_watch_wait(Db *db, int timeout_ms, Err *err)
{
    if (!db->ops->watch_wait)
        PANIC("db_watch_wait on a back end without watches");
    return db->ops->watch_wait(db, timeout_ms, err);
}
