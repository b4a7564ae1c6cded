/* db_sqlite.c — the SQLite back end of the SQL layer (db.h, db_impl.h). WAL
 * mode, foreign keys on, a busy timeout so that a reader and a writer can
 * share the file. */
#include "db_impl.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DB_BUSY_TIMEOUT_MS 10000 /* how long a writer waits for another */
#define DB_MMAP_SIZE "268435456" /* bytes of the file read through mmap, not read() */

typedef struct SqliteDb {
    Db base;           /* first: a SqliteDb is a Db */
    sqlite3 *h;
} SqliteDb;

typedef struct SqliteStmt {
    DbStmt base;       /* first: a SqliteStmt is a DbStmt */
    sqlite3_stmt *st;
} SqliteStmt;

static const DbOps db_sqlite_ops;

static sqlite3 *db_sqlite_handle(Db *db)
{
    return ((SqliteDb *)db)->h;
}

static sqlite3_stmt *db_sqlite_stmt(DbStmt *st)
{
    return ((SqliteStmt *)st)->st;
}

static int db_sqlite_exec(Db *db, const char *sql, Err *err)
{
    char *msg = NULL;
    sqlite3 *h = db_sqlite_handle(db);
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_BUSY) {
            db->busy = 1;
            if (err)
                err_set(err, "%s", DB_BUSY_MESSAGE);
        } else if (err) {
            err_set(err, "database error: %s", msg ? msg : sqlite3_errmsg(h));
        }
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static void db_sqlite_close(Db *db)
{
    sqlite3_close(db_sqlite_handle(db));
    free(db);
}

int db_sqlite_open(const char *url, int create, Db **out, Err *err)
{
    *out = NULL;
    struct stat sb;
    if (!create && stat(url, &sb) != 0)
        return err_set(err, "%s: no such database (run `kpi init` first)", url);
    SqliteDb *db = xcalloc(1, sizeof *db);
    db->base.ops = &db_sqlite_ops;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(url, &db->h, flags, NULL) != SQLITE_OK) {
        err_set(err, "%s: cannot open database: %s", url, db->h ? sqlite3_errmsg(db->h) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->h, 1);
    /* Check it is a database at all before changing anything. */
    if (db_sqlite_exec(&db->base,
                       "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                       " PRAGMA mmap_size = " DB_MMAP_SIZE ";",
                       err) < 0) {
        err_prefix(err, url, 0);
        goto fail;
    }
    *out = &db->base;
    return 0;
fail:
    sqlite3_close(db->h);
    free(db);
    return -1;
}

static int db_sqlite_prepare(Db *db, const char *sql, DbStmt **out, Err *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *h = db_sqlite_handle(db);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return err_set(err, "database error: %s", sqlite3_errmsg(h));
    SqliteStmt *s = xcalloc(1, sizeof *s);
    s->base.db = db;
    s->st = st;
    *out = &s->base;
    return 0;
}

static void db_sqlite_bind_int64(DbStmt *st, int i, int64_t v)
{
    if (sqlite3_bind_int64(db_sqlite_stmt(st), i, v) != SQLITE_OK)
        PANIC("bind %d: %s", i, sqlite3_errmsg(db_sqlite_handle(st->db)));
}

static void db_sqlite_bind_text(DbStmt *st, int i, const char *s)
{
    sqlite3_stmt *h = db_sqlite_stmt(st);
    int rc = s ? sqlite3_bind_text(h, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(h, i);
    if (rc != SQLITE_OK)
        PANIC("bind %d: %s", i, sqlite3_errmsg(db_sqlite_handle(st->db)));
}

static int db_sqlite_step(DbStmt *st, Err *err)
{
    int rc = sqlite3_step(db_sqlite_stmt(st));
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    if ((rc & 0xff) == SQLITE_BUSY) {
        st->db->busy = 1;
        err_set(err, "%s", DB_BUSY_MESSAGE);
        return DB_ERROR;
    }
    err_set(err, "database error: %s", sqlite3_errmsg(db_sqlite_handle(st->db)));
    return DB_ERROR;
}

static int db_sqlite_column_count(DbStmt *st)
{
    return sqlite3_column_count(db_sqlite_stmt(st));
}

static const char *db_sqlite_column_name(DbStmt *st, int col)
{
    return sqlite3_column_name(db_sqlite_stmt(st), col);
}

static int db_sqlite_column_type(DbStmt *st, int col)
{
    switch (sqlite3_column_type(db_sqlite_stmt(st), col)) {
    case SQLITE_NULL:
        return DB_NULL;
    case SQLITE_INTEGER:
        return DB_INTEGER;
    default:
        return DB_TEXT;
    }
}

static int64_t db_sqlite_column_int64(DbStmt *st, int col)
{
    return sqlite3_column_int64(db_sqlite_stmt(st), col);
}

static const char *db_sqlite_column_text(DbStmt *st, int col)
{
    return (const char *)sqlite3_column_text(db_sqlite_stmt(st), col);
}

static void db_sqlite_reset(DbStmt *st)
{
    sqlite3_reset(db_sqlite_stmt(st));
    sqlite3_clear_bindings(db_sqlite_stmt(st));
}

static void db_sqlite_finalize(DbStmt *st)
{
    sqlite3_finalize(db_sqlite_stmt(st));
    free(st);
}

static int64_t db_sqlite_last_id(Db *db)
{
    return sqlite3_last_insert_rowid(db_sqlite_handle(db));
}

/* Bulk load: one INSERT prepared once and stepped per row. */
static int db_sqlite_copy_begin(DbCopy *c, const char *table, const char *const *cols, Err *err)
{
    Buf sql = BUF_INIT;
    DbStmt *st = NULL;
    buf_puts(&sql, "INSERT INTO ");
    db_quote_ident(&sql, table);
    buf_puts(&sql, " (");
    for (int k = 0; k < c->ncols; k++) {
        if (k)
            buf_puts(&sql, ", ");
        db_quote_ident(&sql, cols[k]);
    }
    buf_puts(&sql, ") VALUES (");
    for (int k = 0; k < c->ncols; k++)
        buf_puts(&sql, k ? ", ?" : "?");
    buf_puts(&sql, ")");
    int rc = db_sqlite_prepare(c->db, buf_cstr(&sql), &st, err);
    buf_free(&sql);
    c->impl = st;
    return rc;
}

static int db_sqlite_copy_row(DbCopy *c, Err *err)
{
    DbStmt *st = c->impl;
    for (int k = 0; k < c->ncols; k++)
        db_sqlite_bind_text(st, k + 1, c->vals[k]);
    int rc = db_sqlite_step(st, err);
    db_sqlite_reset(st);
    return rc == DB_DONE ? 0 : -1;
}

static int db_sqlite_copy_end(DbCopy *c, int ok, Err *err)
{
    (void)ok;
    (void)err;
    db_sqlite_finalize(c->impl);
    c->impl = NULL;
    return 0;
}

static const DbOps db_sqlite_ops = {
    .name = "sqlite",
    .begin_write_sql = "BEGIN IMMEDIATE",
    .begin_read_sql = "BEGIN DEFERRED",
    .tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    .fkeys_sql = "SELECT m.name, f.\"table\" FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f"
                 " WHERE m.type = 'table'",
    .close = db_sqlite_close,
    .exec = db_sqlite_exec,
    .prepare = db_sqlite_prepare,
    .bind_int64 = db_sqlite_bind_int64,
    .bind_text = db_sqlite_bind_text,
    .step = db_sqlite_step,
    .column_count = db_sqlite_column_count,
    .column_name = db_sqlite_column_name,
    .column_type = db_sqlite_column_type,
    .column_int64 = db_sqlite_column_int64,
    .column_text = db_sqlite_column_text,
    .stream = NULL,
    .reset = db_sqlite_reset,
    .finalize = db_sqlite_finalize,
    .last_id = db_sqlite_last_id,
    .copy_begin = db_sqlite_copy_begin,
    .copy_row = db_sqlite_copy_row,
    .copy_end = db_sqlite_copy_end,
    .sync_ids = NULL,
};
