/* store_copy.c — copy a whole kpi database into a new one and dump one as
 * canonical text (see store_copy.h). Generic over the tables: it reads the
 * catalog, so tables added by later migrations are copied without a change
 * here. Table and column names come from the catalog and are quoted as
 * identifiers; every value is bound or streamed, never pasted into SQL. */
#include "store_copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "store.h"

/* The column names of `table` in db (its declared order). */
static int store_copy_columns(Db *db, const char *table, char ***cols /* OUT */, int *n /* OUT */, Err *err)
{
    Buf sql = BUF_INIT;
    DbStmt *st = NULL;
    int rc = -1;
    *cols = NULL;
    *n = 0;
    buf_puts(&sql, "SELECT * FROM ");
    db_quote_ident(&sql, table);
    buf_puts(&sql, " WHERE 1 = 0");
    if (db_prepare(db, buf_cstr(&sql), &st, err) < 0 || db_step(st, err) == DB_ERROR)
        goto out;
    *n = db_column_count(st);
    *cols = xcalloc((size_t)*n + 1, sizeof **cols);
    for (int k = 0; k < *n; k++)
        (*cols)[k] = xstrdup(db_column_name(st, k));
    rc = 0;
out:
    db_finalize(st);
    buf_release(&sql);
    return rc;
}

/* SELECT the named columns of table (every row when count = 0, else the count). */
static void store_copy_select(Buf *sql, const char *table, char *const *cols, int ncols, int count)
{
    buf_puts(sql, "SELECT ");
    if (count) {
        buf_puts(sql, "COUNT(*)");
    } else {
        for (int k = 0; k < ncols; k++) {
            if (k)
                buf_puts(sql, ", ");
            db_quote_ident(sql, cols[k]);
        }
    }
    buf_puts(sql, " FROM ");
    db_quote_ident(sql, table);
}

static int store_copy_count(Db *db, const char *table, int64_t *n, Err *err)
{
    Buf sql = BUF_INIT;
    DbStmt *st = NULL;
    int rc = -1;
    store_copy_select(&sql, table, NULL, 0, 1);
    if (db_prepare(db, buf_cstr(&sql), &st, err) == 0 && db_step(st, err) == DB_ROW) {
        *n = db_column_int64(st, 0);
        rc = 0;
    }
    db_finalize(st);
    buf_release(&sql);
    return rc;
}

/* Stream every row of one table from src into dst. *rows = rows written. */
static int store_copy_table(Db *src, Db *dst, const char *table, int64_t *rows, Err *err)
{
    char **cols = NULL;
    int ncols = 0, rc = -1, step;
    Buf sql = BUF_INIT;
    DbStmt *st = NULL;
    DbCopy *c = NULL;
    *rows = 0;
    if (store_copy_columns(dst, table, &cols, &ncols, err) < 0)
        goto out;
    store_copy_select(&sql, table, cols, ncols, 0);
    if (db_prepare(src, buf_cstr(&sql), &st, err) < 0)
        goto out;
    db_stream(st);
    if (db_copy_begin(dst, table, (const char *const *)cols, ncols, &c, err) < 0)
        goto out;
    while ((step = db_step(st, err)) == DB_ROW) {
        for (int k = 0; k < ncols; k++)
            db_copy_text(c, k, db_column_text(st, k));
        if (db_copy_row(c, err) < 0)
            goto out;
        (*rows)++;
    }
    if (step == DB_ERROR)
        goto out;
    rc = db_copy_end(c, 1, err);
    c = NULL;
    if (rc < 0)
        err_prefix(err, table, 0);
out:
    if (c)
        db_copy_end(c, 0, NULL);
    db_finalize(st);
    db_tables_free(cols, ncols);
    buf_release(&sql);
    return rc;
}

/* Is name among names? */
static int store_copy_has(char *const *names, int n, const char *name)
{
    for (int k = 0; k < n; k++) {
        if (strcmp(names[k], name) == 0)
            return 1;
    }
    return 0;
}

/* Remove a SQLite file made for a copy that failed, with its WAL files. */
static void store_copy_unlink(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        Buf p = BUF_INIT;
        buf_printf(&p, "%s%s", path, suffixes[k]);
        unlink(buf_cstr(&p));
        buf_release(&p);
    }
}

int store_copy(const char *from, const char *to, Buf *summary, Err *err)
{
    Store src;
    Db *dst = NULL;
    char **tables = NULL, **src_tables = NULL;
    int ntables = 0, nsrc = 0, rc = -1, src_open = 0, made_file = 0;
    int64_t total = 0;
    Buf shown_to = BUF_INIT, shown_from = BUF_INIT;
    struct stat sb;

    db_url_redact(&shown_from, from);
    db_url_redact(&shown_to, to);
    if (strcmp(from, to) == 0) {
        err_set(err, "copy: --from and --to name the same database");
        goto out;
    }
    if (store_open(from, 0, &src, err) < 0)
        goto out;
    src_open = 1;
    if (db_begin_read(src.db, err) < 0)
        goto out;
    made_file = strcmp(db_url_backend(to), "sqlite") == 0 && stat(to, &sb) != 0;
    if (db_open(to, 1, &dst, err) < 0)
        goto out;
    if (db_tables(dst, &tables, &ntables, err) < 0)
        goto out;
    if (ntables > 0) {
        err_set(err, "%s: not empty (%d table%s): copy needs a new database", buf_cstr(&shown_to), ntables,
                ntables == 1 ? "" : "s");
        made_file = 0;
        goto out;
    }
    db_tables_free(tables, ntables);
    tables = NULL;
    ntables = 0;

    /* The same schema as the source (store_open brought it to the latest), then its rows. */
    if (db_begin(dst, err) < 0 || schema_migrate(dst, err) < 0 || db_exec(dst, "DELETE FROM meta", err) < 0)
        goto out;
    if (db_tables(dst, &tables, &ntables, err) < 0 || db_tables(src.db, &src_tables, &nsrc, err) < 0)
        goto out;
    for (int k = 0; k < nsrc; k++) {
        if (!store_copy_has(tables, ntables, src_tables[k])) {
            err_set(err, "%s: table %s is not one this kpi knows", buf_cstr(&shown_from), src_tables[k]);
            goto out;
        }
    }
    int64_t *copied = xcalloc((size_t)ntables + 1, sizeof *copied);
    for (int k = 0; k < ntables; k++) {
        if (store_copy_table(src.db, dst, tables[k], &copied[k], err) < 0) {
            free(copied);
            goto out;
        }
    }
    if (db_sync_ids(dst, err) < 0) {
        free(copied);
        goto out;
    }
    /* Check: every table holds as many rows on both sides as were streamed. */
    for (int k = 0; k < ntables; k++) {
        int64_t n_src = 0, n_dst = 0;
        if (store_copy_count(src.db, tables[k], &n_src, err) < 0 || store_copy_count(dst, tables[k], &n_dst, err) < 0) {
            free(copied);
            goto out;
        }
        if (n_src != n_dst || n_dst != copied[k]) {
            err_set(err, "copy: table %s: %lld rows in the source, %lld copied, %lld in the copy", tables[k],
                    (long long)n_src, (long long)copied[k], (long long)n_dst);
            free(copied);
            goto out;
        }
        buf_printf(summary, "%s: %lld row%s\n", tables[k], (long long)n_dst, n_dst == 1 ? "" : "s");
        total += n_dst;
    }
    free(copied);
    if (db_commit(dst, err) < 0)
        goto out;
    buf_printf(summary, "copied %lld rows in %d tables from %s to %s; the counts agree", (long long)total, ntables,
               buf_cstr(&shown_from), buf_cstr(&shown_to));
    rc = 0;
out:
    db_tables_free(tables, ntables);
    db_tables_free(src_tables, nsrc);
    db_close(dst); /* rolls back when not committed */
    if (rc < 0 && made_file)
        store_copy_unlink(to);
    if (src_open)
        store_close(&src);
    buf_release(&shown_from);
    buf_release(&shown_to);
    return rc;
}

/* Append v to line with tab, newline, CR and backslash escaped. */
static void store_dump_value(Buf *line, const char *v)
{
    if (!v) {
        buf_puts(line, "\\N");
        return;
    }
    for (; *v; v++) {
        switch (*v) {
        case '\\': buf_puts(line, "\\\\"); break;
        case '\t': buf_puts(line, "\\t"); break;
        case '\n': buf_puts(line, "\\n"); break;
        case '\r': buf_puts(line, "\\r"); break;
        default: buf_putc(line, *v); break;
        }
    }
}

static int store_dump_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int store_dump_table(Db *db, const char *table, Buf *out, Err *err)
{
    Buf sql = BUF_INIT, line = BUF_INIT;
    DbStmt *st = NULL;
    char **rows = NULL;
    size_t nrows = 0, cap = 0;
    int rc = -1, step;
    buf_puts(&sql, "SELECT * FROM ");
    db_quote_ident(&sql, table);
    if (db_prepare(db, buf_cstr(&sql), &st, err) < 0)
        goto out;
    db_stream(st);
    while ((step = db_step(st, err)) == DB_ROW) {
        buf_reset(&line);
        for (int k = 0; k < db_column_count(st); k++) {
            if (k)
                buf_putc(&line, '\t');
            store_dump_value(&line, db_column_text(st, k));
        }
        if (nrows == cap) {
            cap = cap ? cap * 2 : 64;
            rows = xrealloc(rows, cap * sizeof *rows);
        }
        rows[nrows++] = xstrdup(buf_cstr(&line));
    }
    if (step == DB_ERROR)
        goto out;
    buf_printf(out, "-- table %s (", table);
    for (int k = 0; k < db_column_count(st); k++)
        buf_printf(out, "%s%s", k ? ", " : "", db_column_name(st, k));
    buf_puts(out, ")\n");
    if (nrows)
        qsort(rows, nrows, sizeof *rows, store_dump_cmp);
    for (size_t k = 0; k < nrows; k++) {
        buf_puts(out, rows[k]);
        buf_putc(out, '\n');
    }
    rc = 0;
out:
    for (size_t k = 0; k < nrows; k++)
        free(rows[k]);
    free(rows);
    db_finalize(st);
    buf_release(&sql);
    buf_release(&line);
    return rc;
}

int store_dump(const char *url, Buf *out, Err *err)
{
    Store s;
    char **tables = NULL;
    int ntables = 0, rc = -1;
    if (store_open(url, 0, &s, err) < 0)
        return -1;
    if (db_begin_read(s.db, err) < 0 || db_tables(s.db, &tables, &ntables, err) < 0)
        goto out;
    qsort(tables, (size_t)ntables, sizeof *tables, store_dump_cmp);
    for (int k = 0; k < ntables; k++) {
        if (store_dump_table(s.db, tables[k], out, err) < 0)
            goto out;
    }
    rc = 0;
out:
    db_tables_free(tables, ntables);
    store_close(&s);
    return rc;
}

int store_backup(const char *url, const char *path, int replace, Err *err)
{
    Db *db = NULL;
    DbStmt *st = NULL;
    Err probe = ERR_INIT;
    int rc = -1;
    if (db_open(url, 0, &db, err) < 0)
        return -1;
    /* A kpi database has its schema version in meta; look without changing anything. */
    if (db_prepare(db, "SELECT value FROM meta WHERE key = 'schema_version'", &st, &probe) < 0 ||
        db_step(st, &probe) != DB_ROW) {
        Buf shown = BUF_INIT;
        db_url_redact(&shown, url);
        err_set(err, "%s: not a kpi database (run `kpi init` first)", buf_cstr(&shown));
        buf_release(&shown);
        goto out;
    }
    db_finalize(st);
    st = NULL;
    rc = db_backup(db, path, replace, err);
out:
    err_release(&probe);
    db_finalize(st);
    db_close(db);
    return rc;
}
