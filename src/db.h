/* db.h — the one SQL layer. Every statement goes through here with bound
 * parameters; SQL text is written with `?` placeholders and is portable between
 * SQLite and PostgreSQL (the PostgreSQL back end rewrites `?` to `$n`).
 * Values are int64, text or NULL. Errors set an Err and return -1.
 *
 * The back end is chosen by the URL: `postgresql://...` or `postgres://...`
 * (anything libpq takes after those schemes) is PostgreSQL, anything else a
 * SQLite file path. db.c dispatches; db_sqlite.c and db_pg.c implement.
 *
 * Transactions: a write transaction (db_begin) holds the database's one writer
 * lock until db_commit or db_rollback, so writers run one after another and
 * each sees everything committed before it (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: READ COMMITTED under a transaction-scoped advisory lock). A
 * read transaction (db_begin_read) is one consistent snapshot: a report never
 * sees half of an import. Outside both, each statement stands alone. */
#ifndef KPI_DB_H
#define KPI_DB_H

#include <stdint.h>

#include "err.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt;
typedef struct DbCopy DbCopy;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* Column types as db_column_type reports them. */
enum { DB_NULL = 0, DB_INTEGER = 1, DB_TEXT = 2 };

/* Open the database named by url: a SQLite file path or postgresql://.
 * create = 1 creates a missing SQLite file (a PostgreSQL database must exist);
 * otherwise a missing file is an error that says to run `kpi init`. */
int db_open(const char *url, int create, Db **out /* OUT, close with db_close */, Err *err);
void db_close(Db *db);                    /* rolls back an open transaction */
const char *db_backend(const Db *db);     /* "sqlite" or "postgresql" */
/* The back end a URL names, without opening it. */
const char *db_url_backend(const char *url);
/* Append url to out with any password replaced by "***" (for messages). */
void db_url_redact(Buf *out, const char *url);

/* Run SQL without parameters or results (DDL, several statements allowed). */
int db_exec(Db *db, const char *sql, Err *err);

int db_begin(Db *db, Err *err);            /* one write transaction */
int db_begin_read(Db *db, Err *err);       /* one read-only snapshot; end with db_commit or db_rollback */
int db_commit(Db *db, Err *err);
void db_rollback(Db *db);                  /* safe to call when no transaction is open */
int db_in_transaction(const Db *db);       /* 1 inside db_begin or db_begin_read */

/* Another writer held the lock longer than a writer waits (SQLite's busy
 * timeout; PostgreSQL's lock_timeout on the writers' advisory lock, both 10 s):
 * the failing call's error is DB_BUSY_MESSAGE and db_busy says 1 until
 * db_busy_clear. The server answers 503 with Retry-After; the CLI prints the
 * message and exits 1. Nothing of the transaction is kept. */
#define DB_BUSY_MESSAGE "the database is busy with another import; try again in a moment"
int db_busy(const Db *db);
void db_busy_clear(Db *db);

int db_prepare(Db *db, const char *sql, DbStmt **out /* OUT, db_finalize */, Err *err);
/* Bind 1-based parameter i. Text is copied. */
void db_bind_int64(DbStmt *st, int i, int64_t v);
void db_bind_text(DbStmt *st, int i, const char *s); /* NULL binds NULL */
void db_bind_null(DbStmt *st, int i);
/* Step: DB_ROW, DB_DONE or DB_ERROR (err set). */
int db_step(DbStmt *st, Err *err);
int db_column_is_null(DbStmt *st, int col);           /* 0-based */
int64_t db_column_int64(DbStmt *st, int col);
const char *db_column_text(DbStmt *st, int col);       /* valid until the next step; NULL for NULL */
char *db_column_dup(DbStmt *st, int col);              /* a copy the caller frees; NULL for NULL */
/* The result's shape, valid after the first db_step. */
int db_column_count(DbStmt *st);
const char *db_column_name(DbStmt *st, int col);
int db_column_type(DbStmt *st, int col);               /* DB_NULL, DB_INTEGER or DB_TEXT, of this row */
/* The result may be large (a whole table, a year of values): read it in
 * batches rather than all at once. PostgreSQL then reads through a cursor
 * inside the current transaction (none: as usual); SQLite always streams. */
void db_stream(DbStmt *st);
int db_reset(DbStmt *st);                              /* ready to bind and step again */
void db_finalize(DbStmt *st);

/* Convenience: run a prepared-and-bound statement to completion. */
int db_run(DbStmt *st, Err *err);

/* Bulk load: rows into one table, fast (PostgreSQL COPY; SQLite one prepared
 * INSERT reused), inside the caller's write transaction. table and columns
 * are names written in the code (letters, digits, `_`), never user input.
 * Between db_copy_begin and db_copy_end no other statement may run on db.
 * Set every column of a row (0-based; an unset one is NULL), then db_copy_row.
 * Errors may surface only at db_copy_end (PostgreSQL checks at the end).
 * db_copy_end always frees c; ok = 0 abandons the load (the caller rolls
 * back). */
int db_copy_begin(Db *db, const char *table, const char *const *columns, int ncols,
                  DbCopy **out /* OUT, db_copy_end */, Err *err);
void db_copy_int64(DbCopy *c, int col, int64_t v);
void db_copy_text(DbCopy *c, int col, const char *s); /* NULL is NULL */
int db_copy_row(DbCopy *c, Err *err);
int db_copy_end(DbCopy *c, int ok, Err *err);

/* Catalog, for copying and dumping whole databases. The tables (not the
 * back end's own), ordered so that each comes after every table its foreign
 * keys refer to, ties by name. *names owned by the caller: db_tables_free. */
int db_tables(Db *db, char ***names /* OUT */, int *n /* OUT */, Err *err);
void db_tables_free(char **names, int n);
/* Append name as a quoted SQL identifier. Only for names read from the
 * catalog or written in the code; values are always bound. */
void db_quote_ident(Buf *out, const char *name);
/* After rows were inserted with explicit ids: make the back end's id
 * generators continue after the largest id of every table. */
int db_sync_ids(Db *db, Err *err);

/* Backup: write a consistent copy of the whole database, as it stood at one
 * moment, to the new file `path`, while other connections go on reading and
 * writing (SQLite: the online backup API, read in one snapshot; an import
 * committing meanwhile is in the copy whole or not at all). The file appears
 * atomically: the copy is written to a temporary file beside it, synced, then
 * renamed into place, so `path` is never seen half written and on error
 * nothing is left. An existing `path` is refused unless replace = 1, and even
 * then only a regular file that is not the database itself and not in use by
 * SQLite (no PATH-wal beside it) is replaced, keeping its owner and
 * permissions. A new copy is a plain SQLite file (rollback journal) of mode
 * 0600, as it holds password hashes. Call outside any
 * transaction of db. PostgreSQL has no such copy here: the error says which
 * pg_dump command makes one. */
int db_backup(Db *db, const char *path, int replace, Err *err);

/* Commits by other connections, for caches kept across transactions (the web
 * server's pages). db_changed: 1 when another connection (of this process or
 * another) may have committed since db's last call, 0 when none has, -1 on
 * error; the first call on a connection says 1. SQLite answers in-process
 * (PRAGMA data_version); PostgreSQL cannot without a round trip, so it says 0
 * and tells through a watch instead: db_watch turns db (a connection of its
 * own, no transaction open) into one, returning 1, or 0 when the back end
 * needs none (SQLite), -1 on error. db_watch_wait then waits up to
 * timeout_ms: 1 when one or more commits came since the last call, 0 when
 * none, -1 when the connection failed (the watch is then over). On
 * PostgreSQL every write transaction notifies at its commit (NOTIFY on
 * channel kpi_data, which db_watch LISTENs to). */
int db_changed(Db *db, Err *err);
int db_watch(Db *db, Err *err);
int db_watch_wait(Db *db, int timeout_ms, Err *err);

#endif
