/* db_sqlite.c — the SQLite back end of the SQL layer (db.h, db_impl.h). WAL
 * mode, foreign keys on, a busy timeout so that a reader and a writer can
 * share the file; db_backup through SQLite's online backup API. */
#include "db_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DB_BUSY_TIMEOUT_MS 10000 /* how long a writer waits for another */
#define DB_MMAP_SIZE "268435456" /* bytes of the file read through mmap, not read() */

typedef struct SqliteDb {
    Db base;           /* first: a SqliteDb is a Db */
    sqlite3 *h;
    int64_t data_version; /* PRAGMA data_version at the last db_changed; -1 before the first */
    sqlite3_stmt *data_version_st; /* prepared on the first db_changed, kept */
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
    sqlite3_finalize(((SqliteDb *)db)->data_version_st);
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
    db->data_version = -1;
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
    buf_release(&sql);
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

/* Remove the temporary file of a backup and anything SQLite made beside it. */
static void db_sqlite_backup_unlink(const char *tmp)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        Buf p = BUF_INIT;
        buf_printf(&p, "%s%s", tmp, suffixes[k]);
        unlink(buf_cstr(&p));
        buf_release(&p);
    }
}

/* Is the file `path` ready to take a backup? It must not exist, or (replace)
 * be a regular file that is neither the database itself nor in use. */
static int db_sqlite_backup_target(Db *db, const char *path, int replace, struct stat *old /* OUT */,
                                   int *exists /* OUT */, Err *err)
{
    struct stat st, self;
    *exists = 0;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 0; /* a missing folder shows when the temporary file is made */
        return err_set(err, "%s: cannot write: %s", path, strerror(errno));
    }
    if (!replace)
        return err_set(err, "%s: already exists (kpi backup never overwrites a file: give a new name, "
                            "or --force to replace it)", path);
    if (!S_ISREG(st.st_mode))
        return err_set(err, "%s: not a regular file (--force replaces only a regular file)", path);
    const char *main_file = sqlite3_db_filename(db_sqlite_handle(db), "main");
    if (main_file && stat(main_file, &self) == 0 && self.st_dev == st.st_dev && self.st_ino == st.st_ino)
        return err_set(err, "%s: is the database being backed up", path);
    Buf wal = BUF_INIT;
    struct stat wst;
    buf_printf(&wal, "%s-wal", path);
    int in_use = lstat(buf_cstr(&wal), &wst) == 0;
    buf_release(&wal);
    if (in_use)
        return err_set(err, "%s: in use (%s-wal is beside it): stop what has it open (kpi serve) first", path, path);
    *old = st;
    *exists = 1;
    return 0;
}

/* Copy every page of db into the empty SQLite file tmp, in one step: the
 * source is read in one snapshot (WAL: writers go on meanwhile). */
static int db_sqlite_backup_pages(Db *db, const char *tmp, const char *path, Err *err)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", db_sqlite_handle(db), "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
        } else {
            /* The source is busy only while a writer checkpoints; wait as a writer would. */
            struct timespec pause = {0, 50 * 1000 * 1000};
            for (int waited = 0;; waited += 50) {
                rc = sqlite3_backup_step(b, -1);
                if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= DB_BUSY_TIMEOUT_MS)
                    break;
                nanosleep(&pause, NULL);
            }
            int fin = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = fin;
        }
    }
    /* The copy stands alone: one file, no WAL beside it. Its first page came
     * from a WAL database; opened afresh it is in WAL mode, and leaves it. */
    if (rc == SQLITE_OK) {
        rc = sqlite3_close(dst);
        dst = NULL;
        if (rc == SQLITE_OK)
            rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        err_set(err, "%s: backup failed: %s", path,
                dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        sqlite3_close(dst);
        return -1;
    }
    if (sqlite3_close(dst) != SQLITE_OK)
        return err_set(err, "%s: backup failed: cannot close the copy", path);
    return 0;
}

/* fsync the file or folder at path. */
static int db_sqlite_sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int db_sqlite_backup(Db *db, const char *path, int replace, Err *err)
{
    if (!*path)
        return err_set(err, "backup: the file name is empty");
    struct stat old;
    int exists = 0;
    memset(&old, 0, sizeof old);
    if (db_sqlite_backup_target(db, path, replace, &old, &exists, err) < 0)
        return -1;
    Buf tmp = BUF_INIT, dir = BUF_INIT;
    buf_printf(&tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp.data); /* created exclusively, mode 0600 */
    if (fd < 0) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        goto fail_nofile;
    }
    close(fd);
    if (db_sqlite_backup_pages(db, buf_cstr(&tmp), path, err) < 0)
        goto fail;
    if (db_sqlite_sync_path(buf_cstr(&tmp), O_RDONLY) < 0) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        goto fail;
    }
    if (exists) {
        /* The file replaced keeps its owner (when we may set it) and permissions. */
        if (geteuid() == 0 && chown(buf_cstr(&tmp), old.st_uid, old.st_gid) != 0) {
            err_set(err, "%s: cannot give the copy the owner of the file it replaces: %s", path, strerror(errno));
            goto fail;
        }
        if (chmod(buf_cstr(&tmp), old.st_mode & 07777) != 0) {
            err_set(err, "%s: cannot give the copy the permissions of the file it replaces: %s", path,
                    strerror(errno));
            goto fail;
        }
    }
    if (replace) {
        if (rename(buf_cstr(&tmp), path) != 0) {
            err_set(err, "%s: cannot write: %s", path, strerror(errno));
            goto fail;
        }
    } else {
        /* Never over a file that appeared meanwhile: a link fails if path
         * exists; where a file system has no links, a rename that may not
         * replace (RENAME_NOREPLACE) does the same. */
        int rc = link(buf_cstr(&tmp), path);
        if (rc != 0 && (errno == EPERM || errno == ENOTSUP || errno == ENOSYS))
            rc = renameat2(AT_FDCWD, buf_cstr(&tmp), AT_FDCWD, path, RENAME_NOREPLACE);
        if (rc != 0) {
            if (errno == EEXIST)
                err_set(err, "%s: already exists (made while the backup ran): nothing replaced", path);
            else
                err_set(err, "%s: cannot write: %s", path, strerror(errno));
            goto fail;
        }
        unlink(buf_cstr(&tmp));
    }
    /* The rename itself is made durable by syncing the folder. */
    const char *slash = strrchr(path, '/');
    if (slash)
        buf_append(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    else
        buf_puts(&dir, ".");
    db_sqlite_sync_path(buf_cstr(&dir), O_RDONLY | O_DIRECTORY);
    buf_release(&tmp);
    buf_release(&dir);
    return 0;
fail:
    db_sqlite_backup_unlink(buf_cstr(&tmp));
fail_nofile:
    buf_release(&tmp);
    buf_release(&dir);
    return -1;
}

/* PRAGMA data_version changes when another connection commits (not this one). */
static int db_sqlite_changed(Db *db, Err *err)
{
    SqliteDb *s = (SqliteDb *)db;
    int rc = SQLITE_OK;
    if (!s->data_version_st)
        rc = sqlite3_prepare_v2(s->h, "PRAGMA data_version", -1, &s->data_version_st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s->data_version_st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s->data_version_st);
        return err_set(err, "database error: %s", sqlite3_errmsg(s->h));
    }
    int64_t v = sqlite3_column_int64(s->data_version_st, 0);
    sqlite3_reset(s->data_version_st);
    int changed = v != s->data_version;
    s->data_version = v;
    return changed;
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
    .copy_begin = db_sqlite_copy_begin,
    .copy_row = db_sqlite_copy_row,
    .copy_end = db_sqlite_copy_end,
    .sync_ids = NULL,
    .backup = db_sqlite_backup,
    .changed = db_sqlite_changed,
    .watch = NULL,
    .watch_wait = NULL,
};
