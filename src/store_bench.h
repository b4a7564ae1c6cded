/* store_bench.h — the store's side of benchmarking (docs/benchmark.md): residents of
 * each area by calendar year, comparator groups of areas in their order, an
 * indicator's `per` (its rate is shown per that many residents), and the
 * group of its districts that `kpi import police` makes for each force.
 * Every write runs inside the caller's transaction; SQL stays in store*.c. */
#ifndef KPI_STORE_BENCH_H
#define KPI_STORE_BENCH_H

#include <stdint.h>

#include "store.h"

/* A force's default group holds the districts in which at least this share
 * (per mille) of the force's located rows fall: the force's own districts,
 * not the few LSOAs over its border that its files also name. */
#define STORE_POLICE_GROUP_MIN_PERMILLE 10

/* Set the residents of an area in a calendar year (replacing any). */
int store_population_put(Store *s, int64_t area_id, int year, int64_t population, Err *err);

/* The residents of an area for calendar year `year`: that year's figure, else
 * that of the nearest earlier year. Returns 1 with *population and *found_year
 * set, 0 when the area has no figure for that year or before, -1 on error. */
int store_population_for(Store *s, int64_t area_id, int year, int64_t *population /* OUT */,
                         int *found_year /* OUT */, Err *err);

/* The area whose GSS code is `code`: 1 with *id and *name (owned by the
 * caller) set, 0 when none has it, -1 on error. name may be NULL. */
int store_area_by_code(Store *s, const char *code, int64_t *id /* OUT */, char **name /* OUT */, Err *err);

/* Give area id the GSS code `code` (its parent unchanged); a code another
 * area has is an error naming that area. */
int store_area_code_set(Store *s, int64_t id, const char *name, const char *code, Err *err);

/* Make group `name` hold exactly areas[0..n) in that order (creating the
 * group, last in the group order, or replacing the members of the one of
 * that name). source: "file" or "police". */
int store_group_replace(Store *s, const char *name, const char *source, const int64_t *areas, int n, Err *err);

/* The areas of group `name`, in the group's order: ids, names and GSS codes
 * (NULL when none), arrays and strings owned by the caller (free with
 * store_group_free). Returns 1, or 0 when there is no such group (nothing
 * allocated), or -1 on error. */
int store_group_areas(Store *s, const char *name, int64_t **ids, char ***names, char ***codes, int *n, Err *err);
void store_group_free(int64_t *ids, char **names, char **codes, int n);

/* The first group (in group order) that holds area id: 1 with *name set
 * (owned by the caller), 0 when none does, -1 on error. */
int store_area_first_group(Store *s, int64_t area_id, char **name /* OUT */, Err *err);

/* Every group's name, in group order (free each and the array). */
int store_group_names(Store *s, char ***names /* OUT */, int *n /* OUT */, Err *err);

/* After a police import: (re)make the group named after each of
 * forces[0..n) from the districts where at least
 * STORE_POLICE_GROUP_MIN_PERMILLE of the force's located rows (every month
 * imported) fall, in name order. A group of that name imported from a file
 * (source 'file') is left as it is. The counts are read in one query. */
int store_groups_police(Store *s, const char *const *forces, size_t n, Err *err);

/* An indicator's `per` (0: not set; stored by store_indicator_settings_put). */
int store_indicator_per(Store *s, int64_t indicator_id, int64_t *per /* OUT */, Err *err);

#endif
