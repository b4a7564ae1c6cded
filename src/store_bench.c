/* store_bench.c — populations, comparator groups, indicators' `per` and the
 * police forces' default groups (see store_bench.h). Bound parameters only. */
#include "store_bench.h"

#include <stdlib.h>
#include <string.h>

int store_population_put(Store *s, int64_t area_id, int year, int64_t population, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    store_now(now);
    if (db_prepare(s->db,
                   "INSERT INTO populations (area_id, year, population, changed_at, changed_by)"
                   " VALUES (?, ?, ?, ?, ?) ON CONFLICT (area_id, year) DO UPDATE SET"
                   " population = excluded.population, changed_at = excluded.changed_at,"
                   " changed_by = excluded.changed_by",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, area_id);
    db_bind_int64(st, 2, year);
    db_bind_int64(st, 3, population);
    db_bind_text(st, 4, now);
    db_bind_text(st, 5, s->user);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int store_population_for(Store *s, int64_t area_id, int year, int64_t *population, int *found_year, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db,
                   "SELECT year, population FROM populations WHERE area_id = ? AND year <= ?"
                   " ORDER BY year DESC LIMIT 1",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, area_id);
    db_bind_int64(st, 2, year);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *found_year = (int)db_column_int64(st, 0);
        *population = db_column_int64(st, 1);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

int store_area_by_code(Store *s, const char *code, int64_t *id, char **name, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "SELECT id, name FROM areas WHERE code = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *id = db_column_int64(st, 0);
        if (name)
            *name = db_column_dup(st, 1);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

int store_area_code_set(Store *s, int64_t id, const char *name, const char *code, Err *err)
{
    int64_t other;
    char *other_name = NULL;
    int got = store_area_by_code(s, code, &other, &other_name, err);
    if (got < 0)
        return -1;
    if (got && other != id) {
        err_set(err, "area '%s': code %s is already the code of area '%s'", name, code, other_name);
        free(other_name);
        return -1;
    }
    free(other_name);
    if (got)
        return 0;
    DbStmt *st = NULL;
    if (db_prepare(s->db, "UPDATE areas SET code = ? WHERE id = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, code);
    db_bind_int64(st, 2, id);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

/* The id and source of group `name`: 1 found, 0 not, -1 error. *source owned. */
static int store_group_find(Store *s, const char *name, int64_t *id, char **source, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "SELECT id, source FROM area_groups WHERE name = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, name);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *id = db_column_int64(st, 0);
        if (source)
            *source = db_column_dup(st, 1);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

int store_group_replace(Store *s, const char *name, const char *source, const int64_t *areas, int n, Err *err)
{
    DbStmt *st = NULL;
    int64_t gid = 0;
    int rc = -1;
    int got = store_group_find(s, name, &gid, NULL, err);
    if (got < 0)
        return -1;
    if (got) {
        if (db_prepare(s->db, "UPDATE area_groups SET source = ? WHERE id = ?", &st, err) < 0)
            return -1;
        db_bind_text(st, 1, source);
        db_bind_int64(st, 2, gid);
        if (db_run(st, err) < 0)
            goto out;
        db_finalize(st);
        if (db_prepare(s->db, "DELETE FROM area_group_members WHERE group_id = ?", &st, err) < 0)
            return -1;
        db_bind_int64(st, 1, gid);
        if (db_run(st, err) < 0)
            goto out;
    } else {
        if (db_prepare(s->db,
                       "INSERT INTO area_groups (name, source, position)"
                       " VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM area_groups)) RETURNING id",
                       &st, err) < 0)
            return -1;
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, source);
        if (db_step(st, err) != DB_ROW)
            goto out;
        gid = db_column_int64(st, 0);
    }
    db_finalize(st);
    st = NULL;
    if (db_prepare(s->db, "INSERT INTO area_group_members (group_id, area_id, position) VALUES (?, ?, ?)", &st,
                   err) < 0)
        return -1;
    for (int k = 0; k < n; k++) {
        db_reset(st);
        db_bind_int64(st, 1, gid);
        db_bind_int64(st, 2, areas[k]);
        db_bind_int64(st, 3, k + 1);
        if (db_run(st, err) < 0)
            goto out;
    }
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int store_group_areas(Store *s, const char *name, int64_t **ids, char ***names, char ***codes, int *n, Err *err)
{
    DbStmt *st = NULL;
    int64_t gid;
    int cap = 16, rc;
    *n = 0;
    *ids = NULL;
    *names = *codes = NULL;
    int got = store_group_find(s, name, &gid, NULL, err);
    if (got <= 0)
        return got;
    if (db_prepare(s->db,
                   "SELECT a.id, a.name, a.code FROM area_group_members m JOIN areas a ON a.id = m.area_id"
                   " WHERE m.group_id = ? ORDER BY m.position",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, gid);
    *ids = xcalloc((size_t)cap, sizeof **ids);
    *names = xcalloc((size_t)cap, sizeof **names);
    *codes = xcalloc((size_t)cap, sizeof **codes);
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            cap *= 2;
            *ids = xrealloc(*ids, (size_t)cap * sizeof **ids);
            *names = xrealloc(*names, (size_t)cap * sizeof **names);
            *codes = xrealloc(*codes, (size_t)cap * sizeof **codes);
        }
        (*ids)[*n] = db_column_int64(st, 0);
        (*names)[*n] = db_column_dup(st, 1);
        (*codes)[*n] = db_column_dup(st, 2);
        (*n)++;
    }
    db_finalize(st);
    if (rc == DB_ERROR) {
        store_group_free(*ids, *names, *codes, *n);
        *ids = NULL;
        *names = *codes = NULL;
        *n = 0;
        return -1;
    }
    return 1;
}

void store_group_free(int64_t *ids, char **names, char **codes, int n)
{
    for (int k = 0; k < n; k++) {
        free(names[k]);
        free(codes[k]);
    }
    free(ids);
    free(names);
    free(codes);
}

int store_group_names(Store *s, char ***names, int *n, Err *err)
{
    return store_rows(s, "SELECT name FROM area_groups ORDER BY position, id", NULL, 0, store_row_text,
                      sizeof **names, names, n, err);
}

/* store_groups_police for one force whose districts' counts are
 * areas[0..n) and counts[0..n), in name order. */
static int store_group_police(Store *s, const char *force, int64_t *areas, const int64_t *counts, int n, Err *err)
{
    int64_t gid, total = 0;
    char *source = NULL;
    int got = store_group_find(s, force, &gid, &source, err);
    if (got < 0)
        return -1;
    if (got && strcmp(source, "police") != 0) {
        free(source);
        return 0; /* the partnership's own group of that name stands */
    }
    free(source);
    for (int k = 0; k < n; k++)
        total += counts[k];
    int keep = 0;
    for (int k = 0; k < n; k++) {
        /* counts[k] / total >= permille / 1000, in whole numbers */
        if (counts[k] * 1000 >= total * STORE_POLICE_GROUP_MIN_PERMILLE)
            areas[keep++] = areas[k];
    }
    return keep == 0 ? 0 : store_group_replace(s, force, "police", areas, keep, err);
}

/* One row of store_groups_police's query: a force's district and its rows. */
typedef struct StorePoliceDistrict {
    char *force;
    int64_t area, count;
} StorePoliceDistrict;

/* StoreRowFn: one StorePoliceDistrict. */
static void store_police_district_row(DbStmt *st, void *elem)
{
    StorePoliceDistrict *d = elem;
    d->force = db_column_dup(st, 0);
    d->area = db_column_int64(st, 1);
    d->count = db_column_int64(st, 2);
}

int store_groups_police(Store *s, const char *const *forces, size_t n, Err *err)
{
    StorePoliceDistrict *d = NULL;
    int nd = 0, rc;
    if (n == 0)
        return 0;
    /* Each force's districts (every area its rows fall in but the force's
     * own) with their rows over every month imported, force by force, in
     * name order; all read before any group is written. The counts are
     * summed before they meet the names: thousands of sums to sort, not
     * hundreds of thousands of rows. */
    rc = store_names_load(s, forces, n, err);
    if (rc == 0)
        rc = store_rows(s,
                        "SELECT c.force, c.area_id, c.n FROM (SELECT force, area_id, SUM(n) AS n FROM police_counts"
                        " WHERE force IN (SELECT name FROM name_load) GROUP BY force, area_id) AS c"
                        " JOIN areas f ON f.name = c.force JOIN areas a ON a.id = c.area_id"
                        " WHERE c.area_id <> f.id ORDER BY c.force, a.name",
                        NULL, 0, store_police_district_row, sizeof *d, &d, &nd, err);
    int64_t *areas = xcalloc((size_t)nd + 1, sizeof *areas), *counts = xcalloc((size_t)nd + 1, sizeof *counts);
    for (int i = 0; rc == 0 && i < nd;) {
        int j = i, len = 0;
        for (; j < nd && strcmp(d[j].force, d[i].force) == 0; j++, len++) {
            areas[len] = d[j].area;
            counts[len] = d[j].count;
        }
        rc = store_group_police(s, d[i].force, areas, counts, len, err);
        i = j;
    }
    for (int i = 0; i < nd; i++)
        free(d[i].force);
    free(d);
    free(areas);
    free(counts);
    return rc;
}

int store_indicator_per(Store *s, int64_t indicator_id, int64_t *per, Err *err)
{
    DbStmt *st = NULL;
    *per = 0;
    if (db_prepare(s->db, "SELECT per FROM indicators WHERE id = ?", &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, indicator_id);
    int rc = db_step(st, err);
    if (rc == DB_ROW && !db_column_is_null(st, 0))
        *per = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int store_area_first_group(Store *s, int64_t area_id, char **name, Err *err)
{
    DbStmt *st = NULL;
    *name = NULL;
    if (db_prepare(s->db,
                   "SELECT g.name FROM area_group_members m JOIN area_groups g ON g.id = m.group_id"
                   " WHERE m.area_id = ? ORDER BY g.position, g.id LIMIT 1",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, area_id);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        *name = db_column_dup(st, 0);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : rc == DB_ROW;
}
