/* db.h — the one SQL layer. Every statement goes through here with bound
 * parameters; SQL text is written with `?` placeholders and is portable between
 * SQLite and PostgreSQL (the PostgreSQL back end rewrites `?` to `$n`).
 * Values are int64, text or NULL. Errors set an Err and return -1. */
#ifndef KPI_DB_H
#define KPI_DB_H

#include <stdint.h>

#include "err.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* Open the database named by url: a SQLite file path, or later postgresql://.
 * create = 1 creates a missing SQLite file; otherwise a missing file is an error
 * that says to run `kpi init`. */
int db_open(const char *url, int create, Db **out /* OUT, close with db_close */, Err *err);
void db_close(Db *db);
const char *db_backend(const Db *db);     /* "sqlite" or "postgresql" */

/* Run SQL without parameters or results (DDL, several statements allowed). */
int db_exec(Db *db, const char *sql, Err *err);

int db_begin(Db *db, Err *err);            /* one write transaction */
int db_commit(Db *db, Err *err);
void db_rollback(Db *db);                  /* safe to call when no transaction is open */

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
int db_reset(DbStmt *st);                              /* ready to bind and step again */
void db_finalize(DbStmt *st);

/* Convenience: run a prepared-and-bound statement to completion. */
int db_run(DbStmt *st, Err *err);
/* Id of the last inserted row (SQLite rowid; PostgreSQL uses RETURNING instead). */
int64_t db_last_id(Db *db);

#endif
