/* db_sqlite.c — the SQLite back end of the SQL layer (db.h). WAL mode, foreign
 * keys on, a busy timeout so that a reader and a writer can share the file. */
#include "db.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DB_BUSY_TIMEOUT_MS 10000 /* how long a writer waits for another */
#define DB_MMAP_SIZE "268435456" /* bytes of the file read through mmap, not read() */

struct Db {
    sqlite3 *h;
    int in_tx;
};

struct DbStmt {
    Db *db;
    sqlite3_stmt *st;
};

int db_open(const char *url, int create, Db **out, Err *err)
{
    *out = NULL;
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return err_set(err, "%s: PostgreSQL is not supported by this build yet", url);
    struct stat sb;
    if (!create && stat(url, &sb) != 0)
        return err_set(err, "%s: no such database (run `kpi init` first)", url);
    Db *db = xcalloc(1, sizeof *db);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(url, &db->h, flags, NULL) != SQLITE_OK) {
        err_set(err, "%s: cannot open database: %s", url, db->h ? sqlite3_errmsg(db->h) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->h, 1);
    /* Check it is a database at all before changing anything. */
    if (db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                        " PRAGMA mmap_size = " DB_MMAP_SIZE ";", err) < 0) {
        err_prefix(err, url, 0);
        goto fail;
    }
    *out = db;
    return 0;
fail:
    sqlite3_close(db->h);
    free(db);
    return -1;
}

void db_close(Db *db)
{
    if (!db)
        return;
    db_rollback(db);
    sqlite3_close(db->h);
    free(db);
}

const char *db_backend(const Db *db)
{
    (void)db;
    return "sqlite";
}

int db_exec(Db *db, const char *sql, Err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, "database error: %s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int db_begin(Db *db, Err *err)
{
    if (db->in_tx)
        PANIC("nested transaction");
    if (db_exec(db, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    db->in_tx = 1;
    return 0;
}

int db_commit(Db *db, Err *err)
{
    if (!db->in_tx)
        PANIC("commit without a transaction");
    if (db_exec(db, "COMMIT", err) < 0) {
        db_rollback(db);
        return -1;
    }
    db->in_tx = 0;
    return 0;
}

void db_rollback(Db *db)
{
    if (!db->in_tx)
        return;
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = 0;
}

int db_prepare(Db *db, const char *sql, DbStmt **out, Err *err)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return err_set(err, "database error: %s", sqlite3_errmsg(db->h));
    DbStmt *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->st = st;
    *out = s;
    return 0;
}

void db_bind_int64(DbStmt *st, int i, int64_t v)
{
    if (sqlite3_bind_int64(st->st, i, v) != SQLITE_OK)
        PANIC("bind %d: %s", i, sqlite3_errmsg(st->db->h));
}

void db_bind_text(DbStmt *st, int i, const char *s)
{
    int rc = s ? sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->st, i);
    if (rc != SQLITE_OK)
        PANIC("bind %d: %s", i, sqlite3_errmsg(st->db->h));
}

void db_bind_null(DbStmt *st, int i)
{
    if (sqlite3_bind_null(st->st, i) != SQLITE_OK)
        PANIC("bind %d: %s", i, sqlite3_errmsg(st->db->h));
}

int db_step(DbStmt *st, Err *err)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    err_set(err, "database error: %s", sqlite3_errmsg(st->db->h));
    return DB_ERROR;
}

int db_column_is_null(DbStmt *st, int col)
{
    return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int64_t db_column_int64(DbStmt *st, int col)
{
    return sqlite3_column_int64(st->st, col);
}

const char *db_column_text(DbStmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->st, col);
}

int db_reset(DbStmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    return 0;
}

void db_finalize(DbStmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->st);
    free(st);
}

int db_run(DbStmt *st, Err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW)
        ;
    return rc == DB_DONE ? 0 : -1;
}

int64_t db_last_id(Db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}
