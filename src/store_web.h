/* store_web.h — the reads (and the one guarded write) the web pages need
 * beyond store.h: an indicator's values with their notes and versions, the
 * history of every change, project status history, partners, and the latest
 * month with data. No SQL outside the store layer. */
#ifndef KPI_STORE_WEB_H
#define KPI_STORE_WEB_H

#include <stdint.h>

#include "store.h"

/* A stored value (or one side of a change): value, numerator, denominator,
 * each present or not, and the note. */
typedef struct StoreFigure {
    int has[3];         /* value, numerator, denominator */
    int64_t v[3];       /* micro-units */
    char *note;         /* NULL when none */
} StoreFigure;

typedef struct StoreValueRow {
    Period period;
    StoreFigure fig;
    int64_t version;
    char *changed_at, *changed_by;
} StoreValueRow;

typedef struct StoreChange {
    Period period;
    StoreFigure before, after;  /* before.has all 0 for a new value */
    int existed;                /* 1 when there was a value before */
    char *changed_at, *changed_by;
} StoreChange;

typedef struct StoreStatusChange {
    Period period;
    char *old_status, *old_commentary, *new_status, *new_commentary; /* may be NULL */
    char *changed_at, *changed_by;
} StoreStatusChange;

/* Every value of an indicator in an area, by period. */
int store_web_values(Store *s, int64_t indicator_id, int64_t area_id, StoreValueRow **out /* OUT */, int *n,
                     Err *err);
void store_web_values_free(StoreValueRow *v, int n);
/* The value for exactly (indicator, area, period): *found = 0 when none. */
int store_web_value(Store *s, int64_t indicator_id, int64_t area_id, Period p, StoreValueRow *out /* OUT */,
                    int *found, Err *err);
/* The history of an indicator in an area, newest first. */
int store_web_history(Store *s, int64_t indicator_id, int64_t area_id, StoreChange **out /* OUT */, int *n,
                      Err *err);
void store_web_history_free(StoreChange *v, int n);
/* Status history of a project, newest first. */
int store_web_status_history(Store *s, int64_t project_id, StoreStatusChange **out /* OUT */, int *n, Err *err);
void store_web_status_history_free(StoreStatusChange *v, int n);
/* Partner names, in name order. */
int store_web_partners(Store *s, char ***out /* OUT */, int *n, Err *err);
void store_web_names_free(char **v, int n);
/* The last month any value covers; *found = 0 in an empty database. */
int store_web_latest_month(Store *s, int *month, int *found, Err *err);

void store_figure_release(StoreFigure *f);

#endif
