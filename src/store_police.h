/* store_police.h — the store's side of `kpi import police` (police.c): the
 * tables police_counts (one count per force, month, area and crime-type
 * indicator) and police_months (each force-month imported, with its rows).
 * Every write runs inside the caller's transaction; SQL stays in store*.c. */
#ifndef KPI_STORE_POLICE_H
#define KPI_STORE_POLICE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One row of police_counts. */
typedef struct StorePoliceCount {
    const char *force;
    int month;
    int64_t area, indicator, n;
} StorePoliceCount;

/* Called for a (month, area) that police_counts holds or held. */
typedef void (*StorePoliceCellFn)(void *arg, int month, int64_t area);
/* Called for one sum of a month: area, indicator, sum of n over forces. */
typedef void (*StorePoliceSumFn)(void *arg, int64_t area, int64_t indicator, int64_t n);

/* The crime-type indicators police_counts holds, ascending, into *out
 * (*n of them; free *out with free(), also after an error). 0 or -1. */
int store_police_kinds(Store *s, int64_t **out /* OUT */, size_t *n /* OUT */, Err *err);

/* fn for every (month, area) police_counts holds. 0 or -1. */
int store_police_cells(Store *s, StorePoliceCellFn fn, void *arg, Err *err);

/* Add rows[0..n) to police_counts in one bulk load (COPY on PostgreSQL). 0 or -1. */
int store_police_counts_load(Store *s, const StorePoliceCount *rows, size_t n, Err *err);

/* The statements an import repeats for every force-month and every month,
 * prepared once. Open with store_police_open, free with store_police_free
 * (NULL is nothing to free). */
typedef struct StorePolice StorePolice;
int store_police_open(Store *s, StorePolice **out /* OUT */, Err *err);
void store_police_free(StorePolice *p);

/* Remove the counts of force-month (force, month), calling fn first with each
 * area they counted in (its values are to be rewritten). 0 or -1. */
int store_police_fm_delete(StorePolice *p, const char *force, int month, StorePoliceCellFn fn, void *arg,
                          Err *err);
/* Record force-month (force, month) as imported at `now` from `rows` rows,
 * replacing an earlier record. 0 or -1. */
int store_police_fm_record(StorePolice *p, const char *force, int month, int64_t rows, const char *now,
                           Err *err);
/* fn for each (area, indicator) with counts in `month`: their sum over forces.
 * The statement is reset before returning, so the caller may write next. */
int store_police_month_sums(StorePolice *p, int month, StorePoliceSumFn fn, void *arg, Err *err);

#endif
