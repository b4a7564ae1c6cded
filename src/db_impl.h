/* db_impl.h — what a back end of the SQL layer provides. db.c holds the public
 * db_* functions and dispatches through a DbOps table chosen by the URL's
 * scheme; db_sqlite.c and db_pg.c each fill one. Only db*.c include this. */
#ifndef KPI_DB_IMPL_H
#define KPI_DB_IMPL_H

#include "db.h"

typedef struct DbOps DbOps;

/* The part of a connection db.c owns; a back end's own struct starts with it. */
struct Db {
    const DbOps *ops;
    int tx;             /* DB_TX_NONE, DB_TX_WRITE or DB_TX_READ */
    DbCopy *copy;       /* the bulk load in progress, NULL when none */
    int busy;           /* 1: a call failed for want of the writers' lock (db_busy) */
};

/* The part of a statement db.c owns; a back end's own struct starts with it. */
struct DbStmt {
    Db *db;
};

enum { DB_TX_NONE = 0, DB_TX_WRITE = 1, DB_TX_READ = 2 };

/* A bulk load: the current row's values as text (NULL for NULL) until
 * db_copy_row hands them to the back end. */
struct DbCopy {
    Db *db;
    int ncols;
    char **vals;        /* ncols values of the row in hand, owned */
    void *impl;         /* the back end's state */
};

struct DbOps {
    const char *name;              /* "sqlite" or "postgresql" (db_backend) */
    const char *begin_write_sql;   /* opens a write transaction */
    const char *begin_read_sql;    /* opens a read-only snapshot */
    const char *tables_sql;        /* one row per table: its name */
    const char *fkeys_sql;         /* one row per foreign key: table, referenced table */
    void (*close)(Db *db);
    int (*exec)(Db *db, const char *sql, Err *err);
    int (*prepare)(Db *db, const char *sql, DbStmt **out, Err *err);
    void (*bind_int64)(DbStmt *st, int i, int64_t v);
    void (*bind_text)(DbStmt *st, int i, const char *s); /* s == NULL binds NULL */
    int (*step)(DbStmt *st, Err *err);
    int (*column_count)(DbStmt *st);
    const char *(*column_name)(DbStmt *st, int col);
    int (*column_type)(DbStmt *st, int col);
    int64_t (*column_int64)(DbStmt *st, int col);
    const char *(*column_text)(DbStmt *st, int col);
    void (*stream)(DbStmt *st);                       /* may be NULL: rows are streamed anyway */
    void (*reset)(DbStmt *st);
    void (*finalize)(DbStmt *st);
    /* Bulk load into `table` (columns already checked to be plain names). */
    int (*copy_begin)(DbCopy *c, const char *table, const char *const *cols, Err *err);
    int (*copy_row)(DbCopy *c, Err *err);             /* c->vals hold the row */
    int (*copy_end)(DbCopy *c, int ok, Err *err);     /* ok = 0: abandon; frees c->impl */
    int (*sync_ids)(Db *db, Err *err);                /* may be NULL: nothing to do */
    int (*backup)(Db *db, const char *path, int replace, Err *err); /* db_backup */
    /* Commits by other connections (db_changed, db_watch, db_watch_wait); each may be NULL. */
    int (*changed)(Db *db, Err *err);
    int (*watch)(Db *db, Err *err);
    int (*watch_wait)(Db *db, int timeout_ms, Err *err);
};

int db_sqlite_open(const char *path, int create, Db **out, Err *err);
int db_pg_open(const char *url, int create, Db **out, Err *err);

#endif
