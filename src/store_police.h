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
/* Called for one count of one force: month, area, indicator, n. */
typedef void (*StorePoliceCountFn)(void *arg, int month, int64_t area, int64_t indicator, int64_t n);

/* Every indicator a police import makes has a code that starts so
 * (police_code); store_police_kinds looks only there, and not at all-crime,
 * the sum of the others, which has no counts of its own. */
#define STORE_POLICE_CODE_PREFIX "police."
#define STORE_POLICE_ALL_CRIME STORE_POLICE_CODE_PREFIX "all-crime"

/* The crime-type indicators police_counts holds, ascending, into *out
 * (*n of them; free *out with free(), also after an error). 0 or -1. */
int store_police_kinds(Store *s, int64_t **out /* OUT */, size_t *n /* OUT */, Err *err);

/* fn for every (month, area) police_counts holds. 0 or -1. */
int store_police_cells(Store *s, StorePoliceCellFn fn, void *arg, Err *err);

/* Add rows[0..n) to police_counts in one bulk load (COPY on PostgreSQL). 0 or -1. */
int store_police_counts_load(Store *s, const StorePoliceCount *rows, size_t n, Err *err);

/* One force-month an import replaces, with the rows read for it. */
typedef struct StorePoliceFm {
    const char *force;
    int month;
    int64_t rows;
} StorePoliceFm;

/* Replace force-months fms[0..n) (each at most once): fn first for each
 * (month, area) their old counts fall in (its values are to be rewritten),
 * then those counts removed and each recorded in police_months as
 * imported at `now` from its rows, replacing an earlier record. A few
 * statements for all of them (a national year has 516). 0 or -1. */
int store_police_fms_replace(Store *s, const StorePoliceFm *fms, size_t n, const char *now, StorePoliceCellFn fn,
                             void *arg, Err *err);
/* fn for every count of police_counts in a month of [first_month,
 * last_month], in one query and no particular order. Several forces may
 * count in one (month, area, indicator): the caller adds them up (the
 * server would sort or hash them all to do it, spilling to disk on
 * PostgreSQL at a national year's 115,000). 0 or -1. */
int store_police_counts_each(Store *s, int first_month, int last_month, StorePoliceCountFn fn, void *arg,
                             Err *err);

#endif
