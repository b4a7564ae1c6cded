/* store.h — the domain over the SQL layer: areas, partners, indicators, values
 * with their history, targets, projects and statuses. Callers open a Store,
 * wrap each command's writes in store_begin/store_commit (one transaction), and
 * never see SQL. */
#ifndef KPI_STORE_H
#define KPI_STORE_H

#include <stdint.h>

#include "db.h"
#include "delivery.h"
#include "figures.h"
#include "period.h"
#include "strmap.h"

/* Statements prepared once per Store and reused (the hot paths of imports). */
typedef enum StoreStmt {
    STMT_VALUE_HISTORY, STMT_VALUE_UPSERT, STMT_AREA_SELECT, STMT_AREA_INSERT, STMT_PARTNER_SELECT,
    STMT_PARTNER_INSERT, STMT_COUNT
} StoreStmt;

typedef struct Store {
    Db *db;
    DbStmt *stmts[STMT_COUNT]; /* cache, finalised by store_close */
    int fy_start;          /* first month of the financial year (meta) */
    char *home_area;       /* area used when a file gives none (meta) */
    const char *user;      /* who is making changes (history); not owned */
    StrMap area_ids;       /* area name -> id found in the current transaction (store_area_id) */
} Store;

/* One indicator of the framework. Strings owned; free with store_indicators_free. */
typedef struct Indicator {
    int64_t id;
    char *code, *title;
    char *parent;          /* NULL when none */
    char *partner;         /* NULL when none */
    char *formula;         /* NULL unless composite */
    IndicatorDef def;
    PeriodKind frequency;
    int position;          /* order in the framework */
    int has_min, has_max;  /* the indicator's own bounds on a value (validate.h); 0: the unit's default */
    int64_t min, max;      /* micro-units, when has_min / has_max */
} Indicator;

typedef struct Project {
    int64_t id;
    char *code, *title, *description, *lead; /* description, lead may be NULL */
    int key;
    int position;
} Project;

/* Open an existing database (create = 0) or create one (create = 1, for init).
 * Reads fy_start and home area; an uninitialised database is an error that says
 * to run `kpi init`. */
int store_open(const char *url, int create, Store *s /* OUT */, Err *err);
void store_close(Store *s);
/* kpi init: migrate and set meta. A second init keeps existing settings unless
 * they are given (area != NULL, fy_start > 0) and differ, which is an error
 * once data exist. */
int store_init(Store *s, const char *area, int fy_start, Err *err);

int store_begin(Store *s, Err *err);
int store_commit(Store *s, Err *err);
void store_rollback(Store *s);
/* A command that only reads (compare, delivery, report) reads in one
 * snapshot: an import that commits meanwhile is seen whole or not at all.
 * Ended by store_commit, store_rollback or store_close. */
int store_begin_read(Store *s, Err *err);

/* Find an area or partner by name; create it when create = 1. *id = 0 when absent. */
int store_area_id(Store *s, const char *name, int create, int64_t *id, Err *err);

/* store_area_id(s, names[k], 1, ...) for every k at once, inside a
 * transaction (else a usage error): the missing areas are created in the
 * order of names (a name given twice counts once, at its first place) in
 * one statement, and every id is remembered for this transaction, so that
 * later store_area_id calls ask nothing. For imports that meet thousands
 * of areas (one round trip each otherwise). */
int store_areas_make(Store *s, const char *const *names, size_t n, Err *err);

/* Fill the temporary table name_load (seq, name) with names[0..n), seq
 * being k, in one bulk load (COPY on PostgreSQL), for a statement that
 * joins a list of names; what was there before is gone. 0 or -1. */
int store_names_load(Store *s, const char *const *names, size_t n, Err *err);
int store_partner_id(Store *s, const char *name, int create, int64_t *id, Err *err);
/* Declare an area (insert, or update the code and parent of one of that
 * name). code (a GSS code) and parent (a declared area's name) may be NULL.
 * A code another area has, or an unknown parent, is an error. */
int store_area_put(Store *s, const char *name, const char *code, const char *parent, Err *err);
/* Every area name, in name order. */
int store_areas(Store *s, char ***names /* OUT */, int64_t **ids /* OUT */, int *n, Err *err);
/* How many areas there are. */
int store_area_count(Store *s, int64_t *n /* OUT */, Err *err);

/* Indicators in framework order. */
int store_indicators(Store *s, Indicator **out /* OUT */, int *n /* OUT */, Err *err);
void store_indicators_free(Indicator *v, int n);
/* Insert or update by code (the id field is ignored and set on return). */
int store_indicator_put(Store *s, Indicator *ind, Err *err);

/* Set a value (replacing any for the same indicator, area and period), keeping
 * the old one in value_history. value/num/den may be NULL (not given). */
int store_value_put(Store *s, int64_t indicator_id, int64_t area_id, Period p,
                    const int64_t *value, const int64_t *num, const int64_t *den,
                    const char *note, Err *err);
/* The version of the value stored for (indicator, area, period): 0 when there
 * is none; it goes up by one with every change. An editor who read version N
 * writes only while it is still N (optimistic locking: the `version` column
 * of values files, the web's forms), inside the write transaction, so two
 * writers never silently overwrite each other. *changed_by and *changed_at
 * (either may be NULL to skip) are owned by the caller; NULL when none. */
int store_value_version(Store *s, int64_t indicator_id, int64_t area_id, Period p, int64_t *version /* OUT */,
                        char **changed_by, char **changed_at, Err *err);
/* One value for store_values_put. */
typedef struct StoreValuePut {
    int64_t indicator_id, area_id;
    Period period;
    const int64_t *value, *num, *den; /* NULL: not given; pointed-to values not owned */
    const char *note;                 /* NULL when none; not owned */
} StoreValuePut;

/* store_value_put for many values at once, with the same effect as calling
 * it for each in order: history, versions, replacement. For imports that
 * write thousands: one bulk load into a temporary table (COPY on PostgreSQL)
 * and two statements, instead of two statements a value. At most one entry
 * per (indicator, area, period); two are a bug. */
int store_values_put(Store *s, const StoreValuePut *v, size_t n, Err *err);
/* *any = 1 when vals holds a value whose first month is in [first_month,
 * last_month], else 0 (through the month index; it stops at the first). 0 or -1. */
int store_values_any(Store *s, int first_month, int last_month, int *any, Err *err);
/* Load every value of every indicator in [first_month, last_month] (by the value's
 * first month), calling fn for each, in no particular order. */
typedef int (*StoreValueFn)(void *arg, int64_t indicator_id, int64_t area_id, const Value *v);
int store_values_each(Store *s, int first_month, int last_month, StoreValueFn fn, void *arg, Err *err);
/* The same for one area only, every value whose first month is at most
 * last_month (a one-area question reads that area's rows through the
 * (indicator, area, ...) key, not the whole table). */
int store_values_area_each(Store *s, int64_t area_id, int last_month, StoreValueFn fn, void *arg, Err *err);

int store_target_put(Store *s, int64_t indicator_id, int64_t area_id, int fy,
                     int64_t target_micro, int64_t tolerance_micro, Err *err);
typedef int (*StoreTargetFn)(void *arg, int64_t indicator_id, int64_t area_id, const Target *t);
int store_targets_each(Store *s, StoreTargetFn fn, void *arg, Err *err);
/* The targets of one area only. */
int store_targets_area_each(Store *s, int64_t area_id, StoreTargetFn fn, void *arg, Err *err);

/* An indicator's optional settings, in one statement after store_indicator_put
 * (which leaves them alone); 0 stores NULL for either. spc_baseline: the SPC
 * limits come from the first `baseline` points of a segment (spc.h; 0: all
 * points). per: its rate is shown per this many residents (store_bench.h). */
int store_indicator_settings_put(Store *s, int64_t indicator_id, int baseline, int64_t per, Err *err);
/* Every indicator with a baseline, in no particular order. */
typedef int (*StoreBaselineFn)(void *arg, int64_t indicator_id, int baseline);
int store_spc_baselines_each(Store *s, StoreBaselineFn fn, void *arg, Err *err);
/* A period that starts a new segment of an indicator's series, with its reason
 * (replacing the reason of the same indicator and period). */
int store_rebase_put(Store *s, int64_t indicator_id, Period p, const char *reason, Err *err);
/* Every rebase, by indicator and period. */
typedef int (*StoreRebaseFn)(void *arg, int64_t indicator_id, Period p);
int store_rebases_each(Store *s, StoreRebaseFn fn, void *arg, Err *err);

int store_projects(Store *s, Project **out, int *n, Err *err);
void store_projects_free(Project *v, int n);
int store_project_put(Store *s, Project *p, Err *err);
int store_status_put(Store *s, int64_t project_id, Period p, Status st, const char *commentary, Err *err);
/* The status of a project for period p: the latest status recorded for a period
 * that ends inside p (a month or quarter of it, or p itself); STATUS_UNREPORTED
 * and commentary NULL when none. *commentary is owned by the caller. */
int store_status_for(Store *s, int64_t project_id, Period p, Status *st, char **commentary, Err *err);

/* Published periods are locked (cycle.h, store_cycle.c): every write of a
 * value, status or commentary asks first. store_lock_check: 0 when p is
 * not locked (cycle.h's cycle_locked: published, or inside a published
 * period); otherwise -1 with an error naming the period
 * (the web asks before writing, to answer 409). store_lock_check_load does the same for every row of a load table of
 * store.c (columns kind, first_month), in one statement. */
int store_lock_check(Store *s, Period p, Err *err);
int store_lock_check_load(Store *s, const char *table, Err *err);

/* store_values_put takes its bulk path (store.c) from this many values. */
#define STORE_BULK_ROWS 20000

/* Current time as ISO 8601 UTC, for changed_at columns. */
void store_now(char out[32]);

/* Store-internal (store*.c only, never the layers above): the one loop that
 * reads every row of a query into a growing array. Prepares sql, binds
 * params[0..nparams-1] (may be NULL when nparams = 0) as int64 to its `?`s
 * in order, and steps every row: for each, makes room for one more element
 * of `size` (> 0) bytes (capacity doubling; a count that would overflow int or
 * size_t aborts, it is never used unchecked), zeroes it and calls row(st,
 * elem) to fill it from the row's columns. out is the address of the
 * caller's array pointer (a `T **` for elements of type T, size = sizeof(T)).
 * *out is always a fresh allocation, never NULL, even with no rows or on
 * error, and *n counts the elements filled (on error: the rows read before
 * it), so the caller frees with its usual free function in every case. The
 * statement is finalised. Returns 0, or -1 when preparing or a step fails
 * (err set). Rows come in the order the SQL gives. */
typedef void (*StoreRowFn)(DbStmt *st, void *elem);
int store_rows(Store *s, const char *sql, const int64_t *params, int nparams, StoreRowFn row, size_t size,
               void *out, int *n, Err *err);
/* StoreRowFn for an array of int64_t: column 0. */
void store_row_int64(DbStmt *st, void *elem);
/* StoreRowFn for an array of char *: a copy of column 0 (NULL for NULL). */
void store_row_text(DbStmt *st, void *elem);

#endif
