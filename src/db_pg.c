/* db_pg.c — the PostgreSQL back end of the SQL layer (db.h, db_impl.h),
 * through libpq.
 *
 * Statements: `?` placeholders become `$1, $2, ...` (outside quoted text and
 * comments). Parameters travel as text; an int64 is sent typed as bigint,
 * text and NULL untyped so the server infers them from where they stand. A
 * statement's first run is one round trip (PQexecParams); a statement run
 * again with the same parameter types is prepared on the server once
 * (PQprepare) and then executed by name (PQexecPrepared).
 *
 * Results: a step runs the statement and keeps the whole PGresult; rows are
 * then stepped through in memory. A statement marked db_stream is read
 * inside a transaction through a cursor, DB_PG_FETCH rows at a time. Text
 * comes back as the server prints it.
 *
 * Writes are sent ahead: inside a write transaction, an INSERT, UPDATE or
 * DELETE without RETURNING is sent in pipeline mode and its step returns at
 * once; the results of up to DB_PG_MAX_PENDING such statements are read
 * together, before anything that needs an answer (a query, COMMIT, COPY).
 * A failure among them is reported by that later call, and the transaction
 * fails as a whole, so nothing of it is kept either way. Without this an
 * import waits one network round trip per row.
 *
 * Transactions: writers take one transaction-scoped advisory lock right after
 * BEGIN (READ COMMITTED), so they run one after another like SQLite's BEGIN
 * IMMEDIATE and each sees every earlier commit: nothing is lost between two
 * imports. Readers get REPEATABLE READ READ ONLY: one snapshot for the whole
 * command, never blocked by a writer. A read transaction's BEGIN is sent with
 * its first statement, and one that ran none ends without a word to the
 * server: a web page served from the cache costs no round trip. (The snapshot
 * is the same: PostgreSQL takes it at the first statement, not at BEGIN.) */
#include "db_impl.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lazy_pq.h" /* after the library's header */

/* Type OIDs from the server's catalog (pg_type); fixed since PostgreSQL 7. */
#define DB_PG_BOOLOID 16
#define DB_PG_INT8OID 20
#define DB_PG_INT2OID 21
#define DB_PG_INT4OID 23
#define DB_PG_OIDOID 26
#define DB_PG_NUMERICOID 1700

#define DB_PG_MAX_SIGS 4           /* parameter-type signatures prepared per statement */
#define DB_PG_MAX_PENDING 256      /* writes sent ahead before their results are read: bounds what
                                      the server queues for us, so neither side blocks on a full socket */
#define DB_PG_COPY_FLUSH 262144    /* bytes of COPY data sent at a time */
#define DB_PG_FETCH "10000"        /* rows a streamed result reads at a time (db_stream) */
#define DB_PG_CONNECT_TIMEOUT "15" /* seconds to wait for the server */
/* The writers' lock: an advisory lock key of this database, held to commit. */
#define DB_PG_WRITER_LOCK "7040105"
/* How long a writer waits for it (as SQLite's busy timeout); then db_busy. */
#define DB_PG_LOCK_TIMEOUT "'10s'"
#define DB_PG_LOCK_NOT_AVAILABLE "55P03" /* SQLSTATE of a lock_timeout */
/* The channel every write transaction notifies at its commit (db_watch). */
#define DB_PG_CHANNEL "kpi_data"

typedef struct PgDb {
    Db base;                 /* first: a PgDb is a Db */
    PGconn *conn;
    unsigned long nnames;    /* prepared-statement and cursor names handed out */
    int pending;             /* results of writes sent ahead, not yet read (pipeline mode when > 0) */
    int read_deferred;       /* 1: a read transaction was begun but its BEGIN not yet sent */
    Buf failed;              /* the first failure among them, until the transaction ends */
} PgDb;

/* One server-side prepared form of a statement, for one signature. */
typedef struct PgPrep {
    uint64_t sig;            /* bit i set: parameter i + 1 is a bigint */
    int prepared;            /* 1 once PQprepare succeeded */
    char name[32];
} PgPrep;

typedef struct PgStmt {
    DbStmt base;             /* first: a PgStmt is a DbStmt */
    char *sql;               /* with $n placeholders */
    int nparams;
    char **vals;             /* text of each parameter, NULL for NULL; owned */
    unsigned int *types;     /* DB_PG_INT8OID or 0 (let the server infer) */
    PGresult *res;           /* the current result, NULL before the first step */
    int row, nrows;
    PgPrep preps[DB_PG_MAX_SIGS];
    int npreps;
    int stream;              /* 1: read through a cursor, DB_PG_FETCH rows at a time (db_stream) */
    char cursor[32];         /* the open cursor's name, "" when none */
    int ahead;               /* 1: a write that may be sent ahead (see the top) */
    int sent;                /* 1: sent ahead since the last reset */
} PgStmt;

typedef struct PgCopy {
    Buf data;                /* rows not yet sent */
} PgCopy;

static const DbOps db_pg_ops;

static PGconn *db_pg_conn(Db *db)
{
    return ((PgDb *)db)->conn;
}

/* Notices ("relation already exists, skipping") are not for the user. */
static void db_pg_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The server's message for a failed result (or the connection's), without
 * the trailing newline libpq keeps. */
static void db_pg_error(Err *err, PGconn *conn, const PGresult *res, const char *what)
{
    if (!err)
        return;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    Buf msg = BUF_INIT;
    buf_puts(&msg, primary ? primary : PQerrorMessage(conn));
    while (msg.len && (msg.data[msg.len - 1] == '\n' || msg.data[msg.len - 1] == ' '))
        msg.data[--msg.len] = '\0';
    if (detail)
        buf_printf(&msg, " (%s)", detail);
    err_set(err, "%s: %s", what, buf_cstr(&msg));
    buf_release(&msg);
}

static int db_pg_result_ok(const PGresult *res)
{
    ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

int db_pg_open(const char *url, int create, Db **out, Err *err)
{
    (void)create; /* the database must exist; `kpi init` makes its tables */
    if (lazy_pq_load(err) < 0)
        return -1;
    static const char *const keys[] = {"dbname", "client_encoding", "application_name", "connect_timeout", NULL};
    const char *const vals[] = {url, "UTF8", "kpi", DB_PG_CONNECT_TIMEOUT, NULL};
    *out = NULL;
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        Buf shown = BUF_INIT, why = BUF_INIT;
        db_url_redact(&shown, url);
        buf_puts(&why, conn ? PQerrorMessage(conn) : "out of memory");
        while (why.len && (why.data[why.len - 1] == '\n' || why.data[why.len - 1] == ' '))
            why.data[--why.len] = '\0';
        err_set(err, "%s: cannot connect: %s%s", buf_cstr(&shown), buf_cstr(&why),
                strstr(buf_cstr(&why), "does not exist")
                    ? " (create the database first, e.g. with createdb, then run `kpi init`)"
                    : "");
        buf_release(&shown);
        buf_release(&why);
        PQfinish(conn);
        return -1;
    }
    PQsetNoticeProcessor(conn, db_pg_notice, NULL);
    PgDb *db = xcalloc(1, sizeof *db);
    db->base.ops = &db_pg_ops;
    db->conn = conn;
    *out = &db->base;
    return 0;
}

static void db_pg_close(Db *db)
{
    PQfinish(db_pg_conn(db));
    buf_release(&((PgDb *)db)->failed);
    free(db);
}

/* Read the results of the writes sent ahead and leave pipeline mode. The
 * first failure is kept in db->failed. Returns 0, or -1 when one failed. */
static int db_pg_drain(PgDb *db)
{
    PGconn *conn = db->conn;
    if (db->pending == 0)
        return db->failed.len ? -1 : 0;
    int broken = PQpipelineSync(conn) != 1;
    while (db->pending > 0 && !broken) {
        PGresult *res = PQgetResult(conn);
        if (!res) {
            broken = 1;
            break;
        }
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_PIPELINE_ABORTED && !db->failed.len) {
            Err e = ERR_INIT;
            db_pg_error(&e, conn, res, "database error");
            buf_puts(&db->failed, err_msg(&e));
            err_release(&e);
        }
        PQclear(res);
        PQclear(PQgetResult(conn)); /* the NULL that ends each statement's results */
        db->pending--;
    }
    if (!broken) {
        PGresult *res = PQgetResult(conn); /* the sync point */
        broken = !res || PQresultStatus(res) != PGRES_PIPELINE_SYNC;
        PQclear(res);
    }
    db->pending = 0;
    if (broken || PQexitPipelineMode(conn) != 1) {
        if (!db->failed.len) {
            buf_puts(&db->failed, "database error: ");
            buf_puts(&db->failed, PQerrorMessage(conn));
            while (db->failed.len && db->failed.data[db->failed.len - 1] == '\n')
                db->failed.data[--db->failed.len] = '\0';
        }
    }
    return db->failed.len ? -1 : 0;
}

/* Before a call that needs the connection to itself: read what was sent
 * ahead; a failure there is this call's failure. */
static int db_pg_settle(PgDb *db, Err *err)
{
    if (db_pg_drain(db) == 0)
        return 0;
    if (err)
        err_set(err, "%s", buf_cstr(&db->failed));
    return -1;
}

/* Send the deferred BEGIN of a read transaction, if any. */
static int db_pg_begin_deferred(PgDb *pg, Err *err)
{
    if (!pg->read_deferred)
        return 0;
    pg->read_deferred = 0;
    PGresult *res = PQexec(pg->conn, db_pg_ops.begin_read_sql);
    int rc = 0;
    if (!res || !db_pg_result_ok(res)) {
        db_pg_error(err, pg->conn, res, "database error");
        rc = -1;
    }
    PQclear(res);
    return rc;
}

static int db_pg_exec(Db *db, const char *sql, Err *err)
{
    PgDb *pg = (PgDb *)db;
    PGconn *conn = db_pg_conn(db);
    if (sql == db_pg_ops.begin_read_sql) { /* sent with the first statement (see the top) */
        pg->read_deferred = 1;
        return 0;
    }
    if (pg->read_deferred && (strcmp(sql, "ROLLBACK") == 0 || strcmp(sql, "COMMIT") == 0)) {
        pg->read_deferred = 0; /* a transaction that ran nothing: nothing to end */
        return 0;
    }
    if (db_pg_begin_deferred(pg, err) < 0)
        return -1;
    if (strcmp(sql, "ROLLBACK") == 0) {
        db_pg_drain(pg);
        buf_reset(&pg->failed); /* the transaction it belonged to ends here */
    } else if (db_pg_settle(pg, err) < 0) {
        return -1;
    }
    /* A write tells the watchers (db_watch) at its commit; a notification is
     * delivered only if the transaction commits. */
    int notify = strcmp(sql, "COMMIT") == 0 && db->tx == DB_TX_WRITE;
    PGresult *res = PQexec(conn, notify ? "NOTIFY " DB_PG_CHANNEL "; COMMIT" : sql);
    int rc = 0;
    if (!res || !db_pg_result_ok(res)) {
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        if (state && strcmp(state, DB_PG_LOCK_NOT_AVAILABLE) == 0) {
            db->busy = 1;
            if (err)
                err_set(err, "%s", DB_BUSY_MESSAGE);
        } else {
            db_pg_error(err, conn, res, "database error");
        }
        rc = -1;
    } else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        /* The server ends a failed transaction's COMMIT with a rollback. */
        if (err)
            err_set(err, "database error: the transaction failed earlier and was rolled back");
        rc = -1;
    }
    PQclear(res);
    return rc;
}

/* Copy sql to out with each `?` outside quotes and comments turned into $n.
 * Returns the number of placeholders. */
static int db_pg_rewrite(Buf *out, const char *sql)
{
    int n = 0;
    const char *p = sql;
    while (*p) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            buf_putc(out, *p++);
            while (*p) {
                if (*p == q && p[1] == q) {
                    buf_append(out, p, 2);
                    p += 2;
                } else if (*p == q) {
                    break;
                } else {
                    buf_putc(out, *p++);
                }
            }
            if (*p)
                buf_putc(out, *p++);
        } else if (p[0] == '-' && p[1] == '-') {
            size_t k = strcspn(p, "\n");
            buf_append(out, p, k);
            p += k;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            size_t k = end ? (size_t)(end + 2 - p) : strlen(p);
            buf_append(out, p, k);
            p += k;
        } else if (*p == '?') {
            buf_printf(out, "$%d", ++n);
            p++;
        } else {
            buf_putc(out, *p++);
        }
    }
    return n;
}

static int db_pg_prepare(Db *db, const char *sql, DbStmt **out, Err *err)
{
    (void)err; /* the server checks the SQL when the statement first runs */
    Buf text = BUF_INIT;
    PgStmt *s = xcalloc(1, sizeof *s);
    s->base.db = db;
    s->nparams = db_pg_rewrite(&text, sql);
    s->sql = buf_detach(&text);
    const char *w = s->sql + strspn(s->sql, " \t\n");
    s->ahead = (strncasecmp(w, "INSERT", 6) == 0 || strncasecmp(w, "UPDATE", 6) == 0 ||
                strncasecmp(w, "DELETE", 6) == 0) &&
               !strcasestr(s->sql, "RETURNING");
    s->vals = xcalloc((size_t)s->nparams + 1, sizeof *s->vals);
    s->types = xcalloc((size_t)s->nparams + 1, sizeof *s->types);
    *out = &s->base;
    return 0;
}

static void db_pg_set(DbStmt *st, int i, char *v, unsigned int type)
{
    PgStmt *s = (PgStmt *)st;
    if (i < 1 || i > s->nparams)
        PANIC("bind %d: the statement has %d parameters", i, s->nparams);
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    s->types[i - 1] = type;
}

static void db_pg_bind_int64(DbStmt *st, int i, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    db_pg_set(st, i, xstrdup(num), DB_PG_INT8OID);
}

static void db_pg_bind_text(DbStmt *st, int i, const char *v)
{
    db_pg_set(st, i, v ? xstrdup(v) : NULL, 0);
}

/* The prepared form for s's current signature: NULL when s has too many
 * parameters or signatures to keep one; *first = 1 on its first use. */
static PgPrep *db_pg_prep(PgStmt *s, int *first)
{
    *first = 0;
    if (s->nparams > 64)
        return NULL;
    uint64_t sig = 0;
    for (int k = 0; k < s->nparams; k++) {
        if (s->types[k] == DB_PG_INT8OID)
            sig |= (uint64_t)1 << k;
    }
    for (int k = 0; k < s->npreps; k++) {
        if (s->preps[k].sig == sig)
            return &s->preps[k];
    }
    if (s->npreps == DB_PG_MAX_SIGS)
        return NULL;
    PgPrep *np = &s->preps[s->npreps++];
    np->sig = sig;
    np->prepared = 0;
    np->name[0] = '\0';
    *first = 1;
    return np;
}

/* Send s ahead in pipeline mode (see the top); 0, or -1 with err set. */
static int db_pg_send(PgStmt *s, Err *err)
{
    PgDb *db = (PgDb *)s->base.db;
    const char *const *vals = (const char *const *)s->vals;
    int first, ok = 1;
    if (db->failed.len)
        return db_pg_settle(db, err);
    if (db->pending == 0 && PQenterPipelineMode(db->conn) != 1) {
        db_pg_error(err, db->conn, NULL, "database error");
        return -1;
    }
    PgPrep *pp = db_pg_prep(s, &first);
    if (!pp || first) {
        ok = PQsendQueryParams(db->conn, s->sql, s->nparams, s->types, vals, NULL, NULL, 0);
    } else {
        if (!pp->prepared) {
            snprintf(pp->name, sizeof pp->name, "kpi_%lu", ++db->nnames);
            ok = PQsendPrepare(db->conn, pp->name, s->sql, s->nparams, s->types);
            if (ok) {
                db->pending++;
                pp->prepared = 1;
            }
        }
        ok = ok && PQsendQueryPrepared(db->conn, pp->name, s->nparams, vals, NULL, NULL, 0);
    }
    if (!ok) {
        db_pg_error(err, db->conn, NULL, "database error");
        return -1;
    }
    db->pending++;
    if (db->pending >= DB_PG_MAX_PENDING)
        return db_pg_settle(db, err);
    return 0;
}

/* Run s with its bindings: by name when prepared for this signature, else
 * in one round trip; a second run of a signature prepares it. */
static PGresult *db_pg_run(PgStmt *s)
{
    PgDb *db = (PgDb *)s->base.db;
    const char *const *vals = (const char *const *)s->vals;
    int first;
    PgPrep *pp = db_pg_prep(s, &first);
    if (!pp || first)
        return PQexecParams(db->conn, s->sql, s->nparams, s->types, vals, NULL, NULL, 0);
    if (!pp->prepared) {
        snprintf(pp->name, sizeof pp->name, "kpi_%lu", ++db->nnames);
        PGresult *res = PQprepare(db->conn, pp->name, s->sql, s->nparams, s->types);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
            return res;
        PQclear(res);
        pp->prepared = 1;
    }
    return PQexecPrepared(db->conn, pp->name, s->nparams, vals, NULL, NULL, 0);
}

static PGresult *db_pg_fetch(PgStmt *s)
{
    Buf sql = BUF_INIT;
    buf_printf(&sql, "FETCH FORWARD " DB_PG_FETCH " FROM %s", s->cursor);
    PGresult *res = PQexec(db_pg_conn(s->base.db), buf_cstr(&sql));
    buf_release(&sql);
    return res;
}

/* Open a cursor over s (with its parameters) and read the first batch. */
static PGresult *db_pg_declare(PgStmt *s)
{
    PgDb *db = (PgDb *)s->base.db;
    Buf sql = BUF_INIT;
    snprintf(s->cursor, sizeof s->cursor, "kpi_c%lu", ++db->nnames);
    buf_printf(&sql, "DECLARE %s NO SCROLL CURSOR FOR %s", s->cursor, s->sql);
    PGresult *res = PQexecParams(db->conn, buf_cstr(&sql), s->nparams, s->types,
                                 (const char *const *)s->vals, NULL, NULL, 0);
    buf_release(&sql);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        s->cursor[0] = '\0';
        return res;
    }
    PQclear(res);
    return db_pg_fetch(s);
}

/* Close s's cursor, if open (not in a failed transaction: it is gone with it). */
static void db_pg_close_cursor(PgStmt *s)
{
    PGconn *conn = db_pg_conn(s->base.db);
    if (!s->cursor[0])
        return;
    if (db_pg_drain((PgDb *)s->base.db) == 0 && PQtransactionStatus(conn) == PQTRANS_INTRANS) {
        Buf sql = BUF_INIT;
        buf_printf(&sql, "CLOSE %s", s->cursor);
        PQclear(PQexec(conn, buf_cstr(&sql)));
        buf_release(&sql);
    }
    s->cursor[0] = '\0';
}

static void db_pg_stream(DbStmt *st)
{
    ((PgStmt *)st)->stream = 1;
}

static int db_pg_step(DbStmt *st, Err *err)
{
    PgStmt *s = (PgStmt *)st;
    PgDb *db = (PgDb *)st->db;
    if (s->sent)
        return DB_DONE;
    if (db_pg_begin_deferred(db, err) < 0)
        return DB_ERROR;
    if (!s->res && s->ahead && st->db->tx == DB_TX_WRITE) {
        if (db_pg_send(s, err) < 0)
            return DB_ERROR;
        s->sent = 1;
        return DB_DONE;
    }
    if (!s->res) {
        if (db_pg_settle(db, err) < 0)
            return DB_ERROR;
        s->res = s->stream && st->db->tx != DB_TX_NONE ? db_pg_declare(s) : db_pg_run(s);
        if (!s->res || !db_pg_result_ok(s->res)) {
            db_pg_error(err, db_pg_conn(st->db), s->res, "database error");
            PQclear(s->res);
            s->res = NULL;
            return DB_ERROR;
        }
        s->row = -1;
        s->nrows = PQntuples(s->res);
    }
    if (s->row < s->nrows)
        s->row++;
    if (s->row == s->nrows && s->cursor[0] && s->nrows > 0) {
        /* The batch is used up: the next one (after any writes the caller sent meanwhile). */
        if (db_pg_settle(db, err) < 0)
            return DB_ERROR;
        PGresult *res = db_pg_fetch(s);
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
            db_pg_error(err, db_pg_conn(st->db), res, "database error");
            PQclear(res);
            return DB_ERROR;
        }
        PQclear(s->res);
        s->res = res;
        s->row = 0;
        s->nrows = PQntuples(res);
    }
    return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* The current row's cell, or NULL when there is none or it is NULL. */
static const char *db_pg_cell(DbStmt *st, int col)
{
    PgStmt *s = (PgStmt *)st;
    if (!s->res || s->row < 0 || s->row >= s->nrows || col < 0 || col >= PQnfields(s->res))
        return NULL;
    if (PQgetisnull(s->res, s->row, col))
        return NULL;
    return PQgetvalue(s->res, s->row, col);
}

static int db_pg_column_count(DbStmt *st)
{
    PgStmt *s = (PgStmt *)st;
    return s->res ? PQnfields(s->res) : 0;
}

static const char *db_pg_column_name(DbStmt *st, int col)
{
    PgStmt *s = (PgStmt *)st;
    return s->res ? PQfname(s->res, col) : NULL;
}

static int db_pg_column_type(DbStmt *st, int col)
{
    PgStmt *s = (PgStmt *)st;
    const char *v = db_pg_cell(st, col);
    if (!v)
        return DB_NULL;
    switch (PQftype(s->res, col)) {
    case DB_PG_BOOLOID:
    case DB_PG_INT2OID:
    case DB_PG_INT4OID:
    case DB_PG_INT8OID:
    case DB_PG_OIDOID:
        return DB_INTEGER;
    case DB_PG_NUMERICOID: /* SUM of bigints: an integer unless it has a point */
        return strchr(v, '.') ? DB_TEXT : DB_INTEGER;
    default:
        return DB_TEXT;
    }
}

static int64_t db_pg_column_int64(DbStmt *st, int col)
{
    const char *v = db_pg_cell(st, col);
    if (!v)
        return 0;
    if (PQftype(((PgStmt *)st)->res, col) == DB_PG_BOOLOID)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *db_pg_column_text(DbStmt *st, int col)
{
    return db_pg_cell(st, col);
}

static void db_pg_reset(DbStmt *st)
{
    PgStmt *s = (PgStmt *)st;
    db_pg_close_cursor(s);
    PQclear(s->res);
    s->res = NULL;
    s->sent = 0;
    for (int k = 0; k < s->nparams; k++) {
        free(s->vals[k]);
        s->vals[k] = NULL;
        s->types[k] = 0;
    }
}

static void db_pg_finalize(DbStmt *st)
{
    PgStmt *s = (PgStmt *)st;
    PGconn *conn = db_pg_conn(st->db);
    db_pg_reset(st);
    /* Free the server's copies; in a failed transaction they wait for the disconnect. */
    for (int k = 0; k < s->npreps; k++) {
        if (s->preps[k].prepared && db_pg_drain((PgDb *)st->db) == 0 &&
            PQtransactionStatus(conn) != PQTRANS_INERROR) {
            Buf sql = BUF_INIT;
            buf_printf(&sql, "DEALLOCATE %s", s->preps[k].name);
            PQclear(PQexec(conn, buf_cstr(&sql)));
            buf_release(&sql);
        }
    }
    free(s->sql);
    free(s->vals);
    free(s->types);
    free(s);
}

/* ---- bulk load: COPY ... FROM STDIN in text format ---- */

static int db_pg_copy_begin(DbCopy *c, const char *table, const char *const *cols, Err *err)
{
    Buf sql = BUF_INIT;
    PGconn *conn = db_pg_conn(c->db);
    buf_puts(&sql, "COPY ");
    db_quote_ident(&sql, table);
    buf_puts(&sql, " (");
    for (int k = 0; k < c->ncols; k++) {
        if (k)
            buf_puts(&sql, ", ");
        db_quote_ident(&sql, cols[k]);
    }
    buf_puts(&sql, ") FROM STDIN");
    if (db_pg_settle((PgDb *)c->db, err) < 0) {
        buf_release(&sql);
        return -1;
    }
    PGresult *res = PQexec(conn, buf_cstr(&sql));
    buf_release(&sql);
    if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
        db_pg_error(err, conn, res, "database error");
        PQclear(res);
        return -1;
    }
    PQclear(res);
    c->impl = xcalloc(1, sizeof(PgCopy));
    return 0;
}

static int db_pg_copy_flush(DbCopy *c, Err *err)
{
    PgCopy *pc = c->impl;
    if (pc->data.len == 0)
        return 0;
    if (PQputCopyData(db_pg_conn(c->db), pc->data.data, (int)pc->data.len) != 1) {
        db_pg_error(err, db_pg_conn(c->db), NULL, "database error");
        return -1;
    }
    buf_reset(&pc->data);
    return 0;
}

static int db_pg_copy_row(DbCopy *c, Err *err)
{
    PgCopy *pc = c->impl;
    for (int k = 0; k < c->ncols; k++) {
        if (k)
            buf_putc(&pc->data, '\t');
        const char *v = c->vals[k];
        if (!v) {
            buf_puts(&pc->data, "\\N");
            continue;
        }
        for (; *v; v++) {
            switch (*v) {
            case '\\': buf_puts(&pc->data, "\\\\"); break;
            case '\t': buf_puts(&pc->data, "\\t"); break;
            case '\n': buf_puts(&pc->data, "\\n"); break;
            case '\r': buf_puts(&pc->data, "\\r"); break;
            default: buf_putc(&pc->data, *v); break;
            }
        }
    }
    buf_putc(&pc->data, '\n');
    return pc->data.len >= DB_PG_COPY_FLUSH ? db_pg_copy_flush(c, err) : 0;
}

static int db_pg_copy_end(DbCopy *c, int ok, Err *err)
{
    PGconn *conn = db_pg_conn(c->db);
    PgCopy *pc = c->impl;
    int rc = 0;
    if (ok && db_pg_copy_flush(c, err) < 0)
        ok = 0, rc = -1;
    if (PQputCopyEnd(conn, ok ? NULL : "bulk load abandoned") != 1 && rc == 0) {
        db_pg_error(ok ? err : NULL, conn, NULL, "database error");
        rc = -1;
    }
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
            db_pg_error(ok ? err : NULL, conn, res, "database error");
            rc = -1;
        }
        PQclear(res);
    }
    buf_release(&pc->data);
    free(pc);
    c->impl = NULL;
    return rc;
}

/* After explicit ids: each identity column's sequence continues after its
 * table's largest id (or starts at 1 for an empty table). */
static int db_pg_sync_ids(Db *db, Err *err)
{
    DbStmt *cols = NULL, *set = NULL;
    Buf sql = BUF_INIT, table = BUF_INIT;
    char **names = NULL;
    int n = 0, cap = 0, rc = -1, step;
    if (db_prepare(db,
                   "SELECT table_name, column_name FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name",
                   &cols, err) < 0)
        goto out;
    /* Collect first, then set: one result at a time. */
    while ((step = db_step(cols, err)) == DB_ROW) {
        if (n + 2 > cap) {
            cap = cap ? cap * 2 : 16;
            names = xrealloc(names, (size_t)cap * sizeof *names);
        }
        names[n++] = xstrdup(db_column_text(cols, 0));
        names[n++] = xstrdup(db_column_text(cols, 1));
    }
    if (step == DB_ERROR)
        goto out;
    for (int k = 0; k + 1 < n; k += 2) {
        buf_reset(&sql);
        buf_reset(&table);
        db_quote_ident(&table, names[k]);
        buf_puts(&sql, "SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(");
        db_quote_ident(&sql, names[k + 1]);
        buf_puts(&sql, "), 1), MAX(");
        db_quote_ident(&sql, names[k + 1]);
        buf_puts(&sql, ") IS NOT NULL) FROM ");
        db_quote_ident(&sql, names[k]);
        if (db_prepare(db, buf_cstr(&sql), &set, err) < 0)
            goto out;
        db_bind_text(set, 1, buf_cstr(&table));
        db_bind_text(set, 2, names[k + 1]);
        if (db_run(set, err) < 0)
            goto out;
        db_finalize(set);
        set = NULL;
    }
    rc = 0;
out:
    db_finalize(set);
    db_finalize(cols);
    db_tables_free(names, n);
    buf_release(&sql);
    buf_release(&table);
    return rc;
}

/* Append v to out as one word of a POSIX shell command line: as it is when
 * it holds only plain characters, else in single quotes. */
static void db_pg_shell_word(Buf *out, const char *v)
{
    if (*v && strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:@%+=,-") == strlen(v)) {
        buf_puts(out, v);
        return;
    }
    buf_putc(out, '\'');
    for (; *v; v++) {
        if (*v == '\'')
            buf_puts(out, "'\\''");
        else
            buf_putc(out, *v);
    }
    buf_putc(out, '\'');
}

/* kpi makes no copy of a PostgreSQL database: the server's own pg_dump makes a
 * consistent one (a single snapshot) while kpi serve runs. The error gives the
 * command for this connection (no password: pg_dump asks, or reads ~/.pgpass). */
static int db_pg_backup(Db *db, const char *path, int replace, Err *err)
{
    (void)replace;
    PGconn *conn = db_pg_conn(db);
    Buf cmd = BUF_INIT;
    buf_puts(&cmd, "pg_dump --format=custom --file=");
    db_pg_shell_word(&cmd, path);
    const char *host = PQhost(conn), *port = PQport(conn), *user = PQuser(conn);
    if (host && *host) {
        buf_puts(&cmd, " --host=");
        db_pg_shell_word(&cmd, host);
    }
    if (port && *port) {
        buf_puts(&cmd, " --port=");
        db_pg_shell_word(&cmd, port);
    }
    if (user && *user) {
        buf_puts(&cmd, " --username=");
        db_pg_shell_word(&cmd, user);
    }
    buf_puts(&cmd, " --dbname=");
    db_pg_shell_word(&cmd, PQdb(conn));
    err_set(err, "kpi backup copies SQLite databases; back up this PostgreSQL database with pg_dump "
                 "(a consistent copy while kpi serve runs; restoring is in docs/backup.md): %s",
            buf_cstr(&cmd));
    buf_release(&cmd);
    return -1;
}

static int db_pg_watch(Db *db, Err *err)
{
    return db_pg_exec(db, "LISTEN " DB_PG_CHANNEL, err) < 0 ? -1 : 1;
}

static int db_pg_watch_wait(Db *db, int timeout_ms, Err *err)
{
    PGconn *conn = db_pg_conn(db);
    struct pollfd pfd = {PQsocket(conn), POLLIN, 0};
    if (pfd.fd < 0)
        return err_set(err, "database error: the watch's connection is closed");
    int got = 0;
    if (poll(&pfd, 1, timeout_ms) < 0)
        return 0; /* interrupted: nothing came */
    if (PQconsumeInput(conn) != 1) {
        db_pg_error(err, conn, NULL, "database error");
        return -1;
    }
    PGnotify *n;
    while ((n = PQnotifies(conn)) != NULL) {
        got = 1;
        PQfreemem(n);
    }
    return got;
}

static const DbOps db_pg_ops = {
    .name = "postgresql",
    .begin_write_sql = "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = " DB_PG_LOCK_TIMEOUT
                       "; SELECT pg_advisory_xact_lock(" DB_PG_WRITER_LOCK ")",
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .tables_sql = "SELECT c.relname FROM pg_catalog.pg_class AS c"
                  " JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace"
                  " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()",
    .fkeys_sql = "SELECT t.relname, r.relname FROM pg_catalog.pg_constraint AS k"
                 " JOIN pg_catalog.pg_class AS t ON t.oid = k.conrelid"
                 " JOIN pg_catalog.pg_class AS r ON r.oid = k.confrelid"
                 " JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace"
                 " WHERE k.contype = 'f' AND n.nspname = current_schema()",
    .close = db_pg_close,
    .exec = db_pg_exec,
    .prepare = db_pg_prepare,
    .bind_int64 = db_pg_bind_int64,
    .bind_text = db_pg_bind_text,
    .step = db_pg_step,
    .column_count = db_pg_column_count,
    .column_name = db_pg_column_name,
    .column_type = db_pg_column_type,
    .column_int64 = db_pg_column_int64,
    .column_text = db_pg_column_text,
    .stream = db_pg_stream,
    .reset = db_pg_reset,
    .finalize = db_pg_finalize,
    .copy_begin = db_pg_copy_begin,
    .copy_row = db_pg_copy_row,
    .copy_end = db_pg_copy_end,
    .sync_ids = db_pg_sync_ids,
    .backup = db_pg_backup,
    .changed = NULL, /* the watch tells (db_watch_wait) */
    .watch = db_pg_watch,
    .watch_wait = db_pg_watch_wait,
};
