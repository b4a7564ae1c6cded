/* store_cycle.c — rounds, returns, exceptions, papers, locks, reminders and
 * the audit log in the store (see cycle.h). Bound parameters only; the
 * caller owns the transaction. */
#include "cycle.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- dates ---- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static int cycle_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cycle_date_format(int day, char out[11])
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

int cycle_date_parse(const char *s, int *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int k = 0; k < 10; k++) {
        if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
            return -1;
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *day = cycle_days_from_civil(y, m, d);
    char back[11];
    cycle_date_format(*day, back);
    return strcmp(back, s) == 0 ? 0 : -1; /* 2011-02-30 is no day */
}

int cycle_today(void)
{
    return (int)(time(NULL) / 86400);
}

static int cycle_int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int cycle_offsets_parse(const char *s, int *offs, int *n, const char **why)
{
    *n = 0;
    const char *p = s;
    if (!*p) {
        *why = "give at least one offset in days from the due date, like -7,0,3";
        return -1;
    }
    for (;;) {
        char *end;
        while (*p == ' ')
            p++;
        if (!((*p >= '0' && *p <= '9') || ((*p == '-' || *p == '+') && p[1] >= '0' && p[1] <= '9'))) {
            *why = "offsets are whole numbers of days from the due date, separated by commas, like -7,0,3";
            return -1;
        }
        long v = strtol(p, &end, 10);
        if (v < -366 || v > 366) {
            *why = "an offset is at most 366 days either side of the due date";
            return -1;
        }
        if (*n == CYCLE_MAX_OFFSETS) {
            *why = "at most 16 offsets";
            return -1;
        }
        for (int k = 0; k < *n; k++) {
            if (offs[k] == (int)v) {
                *why = "an offset is given twice";
                return -1;
            }
        }
        offs[(*n)++] = (int)v;
        p = end;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (*p != ',') {
            *why = "offsets are whole numbers of days from the due date, separated by commas, like -7,0,3";
            return -1;
        }
        p++;
    }
    qsort(offs, (size_t)*n, sizeof *offs, cycle_int_cmp);
    return 0;
}

/* ---- small helpers ---- */

static void cycle_period_text(Store *s, Period p, Buf *out)
{
    buf_reset(out);
    period_format(out, p, s->fy_start);
}

/* Run one statement with text and integer parameters given as a format:
 * 't' text (NULL binds NULL), 'i' int64. */
static int cycle_run(Store *s, const char *sql, const char *types, ...)
{
    DbStmt *st = NULL;
    va_list ap;
    Err *err;
    va_start(ap, types);
    for (const char *t = types; *t; t++) {
        if (*t == 't')
            (void)va_arg(ap, const char *);
        else
            (void)va_arg(ap, int64_t);
    }
    err = va_arg(ap, Err *);
    va_end(ap);
    if (db_prepare(s->db, sql, &st, err) < 0)
        return -1;
    va_start(ap, types);
    int i = 1;
    for (const char *t = types; *t; t++, i++) {
        if (*t == 't')
            db_bind_text(st, i, va_arg(ap, const char *));
        else
            db_bind_int64(st, i, va_arg(ap, int64_t));
    }
    va_end(ap);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int cycle_audit(Store *s, const char *action, const char *detail, Err *err)
{
    char now[32];
    store_now(now);
    return cycle_run(s, "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)", "tttt", now,
                     s->user, action, detail, err);
}

/* ---- rounds ---- */

void cycle_round_free(CycleRound *r)
{
    free(r->remind);
    free(r->state);
    memset(r, 0, sizeof *r);
}

void cycle_rounds_free(CycleRound *v, int n)
{
    for (int i = 0; i < n; i++)
        cycle_round_free(&v[i]);
    free(v);
}

#define CYCLE_ROUND_COLS                                                                                        \
    "r.id, r.kind, r.first_month, r.opens, r.due, r.remind, r.state,"                                           \
    " (SELECT k.paper_id FROM locks k WHERE k.kind = r.kind AND k.first_month = r.first_month),"                \
    " r.exceptions_for"

static void cycle_round_read(DbStmt *st, CycleRound *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_column_int64(st, 0);
    r->period.kind = (PeriodKind)db_column_int64(st, 1);
    r->period.first = (int)db_column_int64(st, 2);
    snprintf(r->opens, sizeof r->opens, "%s", db_column_text(st, 3));
    snprintf(r->due, sizeof r->due, "%s", db_column_text(st, 4));
    r->remind = db_column_dup(st, 5);
    r->state = db_column_dup(st, 6);
    r->paper_id = db_column_is_null(st, 7) ? 0 : db_column_int64(st, 7);
    snprintf(r->exceptions_for, sizeof r->exceptions_for, "%s", strcmp(db_column_text(st, 8), "amber") == 0 ? "amber" : "red");
}

int cycle_round_find(Store *s, Period p, CycleRound *out, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    memset(out, 0, sizeof *out);
    if (db_prepare(s->db, "SELECT " CYCLE_ROUND_COLS " FROM rounds r WHERE r.kind = ? AND r.first_month = ?", &st,
                   err) < 0)
        return -1;
    db_bind_int64(st, 1, p.kind);
    db_bind_int64(st, 2, p.first);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        cycle_round_read(st, out);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* StoreRowFn over cycle_round_read. */
static void cycle_round_row(DbStmt *st, void *elem)
{
    cycle_round_read(st, elem);
}

int cycle_rounds(Store *s, CycleRound **out, int *n, Err *err)
{
    return store_rows(s, "SELECT " CYCLE_ROUND_COLS " FROM rounds r ORDER BY r.first_month + r.kind DESC, r.kind",
                      NULL, 0, cycle_round_row, sizeof **out, out, n, err);
}

int cycle_exceptions_valid(const char *s)
{
    return strcmp(s, "red") == 0 || strcmp(s, "amber") == 0;
}

int cycle_round_open(Store *s, Period p, const char *opens, const char *due, const char *remind,
                     const char *exceptions_for, Err *err)
{
    if (!exceptions_for)
        exceptions_for = CYCLE_DEFAULT_EXCEPTIONS;
    if (!cycle_exceptions_valid(exceptions_for))
        return err_set(err, "exceptions for '%s': say red (red figures need commentary) or amber (amber and red)",
                       exceptions_for);
    DbStmt *st = NULL;
    Buf ptext = BUF_INIT, other = BUF_INIT;
    int64_t paper = 0;
    char now[32];
    int rc = -1;
    cycle_period_text(s, p, &ptext);
    if (cycle_locked(s, p, &paper, NULL, err) < 0)
        goto out;
    if (paper) {
        err_set(err, "%s is published (paper %lld): reopen it with `kpi reopen` first", buf_cstr(&ptext),
                (long long)paper);
        goto out;
    }
    /* An open round of an overlapping period (2011/12 Q2 and 2011-08) would
     * ask for the same figures twice. */
    if (db_prepare(s->db,
                   "SELECT kind, first_month FROM rounds WHERE state = 'open' AND NOT (kind = ? AND first_month = ?)"
                   " AND first_month <= ? AND ? <= first_month + kind - 1",
                   &st, err) < 0)
        goto out;
    db_bind_int64(st, 1, p.kind);
    db_bind_int64(st, 2, p.first);
    db_bind_int64(st, 3, period_last(p));
    db_bind_int64(st, 4, p.first);
    int got = db_step(st, err);
    if (got == DB_ERROR)
        goto out;
    if (got == DB_ROW) {
        Period q = {(PeriodKind)db_column_int64(st, 0), (int)db_column_int64(st, 1)};
        cycle_period_text(s, q, &other);
        err_set(err, "the round for %s is open and overlaps %s: close it first (`kpi round close \"%s\"`)",
                buf_cstr(&other), buf_cstr(&ptext), buf_cstr(&other));
        goto out;
    }
    db_finalize(st);
    st = NULL;
    store_now(now);
    if (db_prepare(s->db,
                   "INSERT INTO rounds (kind, first_month, opens, due, remind, state, changed_at, changed_by,"
                   " exceptions_for) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (kind, first_month) DO UPDATE"
                   " SET opens = excluded.opens, due = excluded.due, remind = excluded.remind, state = 'open',"
                   " changed_at = excluded.changed_at, changed_by = excluded.changed_by,"
                   " exceptions_for = excluded.exceptions_for",
                   &st, err) < 0)
        goto out;
    db_bind_int64(st, 1, p.kind);
    db_bind_int64(st, 2, p.first);
    db_bind_text(st, 3, opens);
    db_bind_text(st, 4, due);
    db_bind_text(st, 5, remind);
    db_bind_text(st, 6, now);
    db_bind_text(st, 7, s->user);
    db_bind_text(st, 8, exceptions_for);
    if (db_run(st, err) < 0)
        goto out;
    buf_printf(&other, "%s opens %s, due %s, reminders at %s days, exceptions for %s", buf_cstr(&ptext), opens, due,
               remind, exceptions_for);
    rc = cycle_audit(s, "round open", buf_cstr(&other), err);
out:
    db_finalize(st);
    buf_release(&ptext);
    buf_release(&other);
    return rc;
}

int cycle_round_close(Store *s, Period p, Err *err)
{
    CycleRound r;
    int found;
    Buf ptext = BUF_INIT;
    int rc = -1;
    char now[32];
    cycle_period_text(s, p, &ptext);
    if (cycle_round_find(s, p, &r, &found, err) < 0)
        goto out;
    if (!found || strcmp(r.state, "open") != 0) {
        err_set(err, "no open round for %s (see `kpi round list`)", buf_cstr(&ptext));
        goto out;
    }
    store_now(now);
    if (cycle_run(s, "UPDATE rounds SET state = 'closed', changed_at = ?, changed_by = ? WHERE id = ?", "tti", now,
                  s->user, r.id, err) < 0)
        goto out;
    rc = cycle_audit(s, "round close", buf_cstr(&ptext), err);
out:
    if (found)
        cycle_round_free(&r);
    buf_release(&ptext);
    return rc;
}

/* ---- returns ---- */

void cycle_names_free(char **names, int64_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(ids);
}

int cycle_partners_due(Store *s, char ***names, int64_t **ids, int *n, Err *err)
{
    DbStmt *st = NULL;
    int cap = 8, rc;
    *n = 0;
    *names = xcalloc((size_t)cap, sizeof **names);
    *ids = xcalloc((size_t)cap, sizeof **ids);
    if (db_prepare(s->db,
                   "SELECT p.id, p.name FROM partners p WHERE EXISTS (SELECT 1 FROM indicators i"
                   " WHERE i.partner_id = p.id AND i.formula IS NULL) ORDER BY p.name",
                   &st, err) < 0)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            cap *= 2;
            *names = xrealloc(*names, (size_t)cap * sizeof **names);
            *ids = xrealloc(*ids, (size_t)cap * sizeof **ids);
        }
        (*ids)[*n] = db_column_int64(st, 0);
        (*names)[(*n)++] = xstrdup(db_column_text(st, 1));
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int cycle_return_get(Store *s, int64_t round_id, int64_t partner_id, char **state, char **reason, Err *err)
{
    DbStmt *st = NULL;
    *state = NULL;
    if (reason)
        *reason = NULL;
    if (db_prepare(s->db, "SELECT state, reason FROM round_returns WHERE round_id = ? AND partner_id = ?", &st,
                   err) < 0)
        return -1;
    db_bind_int64(st, 1, round_id);
    db_bind_int64(st, 2, partner_id);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *state = db_column_dup(st, 0);
        if (reason)
            *reason = db_column_dup(st, 1);
    }
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;
    if (!*state)
        *state = xstrdup("none");
    return 0;
}

int cycle_return_set(Store *s, int64_t round_id, int64_t partner_id, const char *state, const char *reason,
                     Err *err)
{
    char now[32];
    store_now(now);
    if (cycle_run(s,
                  "INSERT INTO round_returns (round_id, partner_id, state, reason, changed_at, changed_by)"
                  " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, partner_id) DO UPDATE SET"
                  " state = excluded.state, reason = excluded.reason, changed_at = excluded.changed_at,"
                  " changed_by = excluded.changed_by",
                  "iitttt", round_id, partner_id, state, reason, now, s->user, err) < 0)
        return -1;
    return cycle_run(s,
                     "INSERT INTO return_history (round_id, partner_id, state, reason, changed_at, changed_by)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     "iitttt", round_id, partner_id, state, reason, now, s->user, err);
}

/* ---- exceptions ---- */

void cycle_exceptions_free(CycleException *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].title);
        free(v[i].area);
        free(v[i].cause);
        free(v[i].action);
        free(v[i].owner);
        free(v[i].date);
    }
    free(v);
}

int cycle_exception_put(Store *s, int64_t indicator_id, int64_t area_id, Period p, const char *cause,
                        const char *action, const char *owner, const char *date, Err *err)
{
    char now[32];
    if (store_lock_check(s, p, err) < 0)
        return -1;
    store_now(now);
    return cycle_run(s,
                     "INSERT INTO exceptions (indicator_id, area_id, kind, first_month, cause, action, owner,"
                     " action_date, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (indicator_id, area_id, kind, first_month) DO UPDATE SET cause = excluded.cause,"
                     " action = excluded.action, owner = excluded.owner, action_date = excluded.action_date,"
                     " changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                     "iiiitttttt", indicator_id, area_id, (int64_t)p.kind, (int64_t)p.first, cause, action, owner,
                     date, now, s->user, err);
}

int cycle_exception_has(Store *s, int64_t indicator_id, int64_t area_id, Period p, int *has, Err *err)
{
    DbStmt *st = NULL;
    *has = 0;
    if (db_prepare(s->db,
                   "SELECT 1 FROM exceptions WHERE indicator_id = ? AND area_id = ? AND kind = ? AND first_month = ?",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, indicator_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, p.kind);
    db_bind_int64(st, 4, p.first);
    int rc = db_step(st, err);
    *has = rc == DB_ROW;
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* StoreRowFn: one CycleException from the columns of cycle_exceptions. */
static void cycle_exception_row(DbStmt *st, void *elem)
{
    CycleException *e = elem;
    e->code = db_column_dup(st, 0);
    e->title = db_column_dup(st, 1);
    e->area = db_column_dup(st, 2);
    e->cause = db_column_dup(st, 3);
    e->action = db_column_dup(st, 4);
    e->owner = db_column_dup(st, 5);
    e->date = db_column_dup(st, 6);
}

int cycle_exceptions(Store *s, Period p, CycleException **out, int *n, Err *err)
{
    const int64_t params[] = {p.kind, p.first};
    return store_rows(s,
                      "SELECT i.code, i.title, a.name, e.cause, e.action, e.owner, e.action_date FROM exceptions e"
                      " JOIN indicators i ON i.id = e.indicator_id JOIN areas a ON a.id = e.area_id"
                      " WHERE e.kind = ? AND e.first_month = ? ORDER BY i.position, i.id, a.name",
                      params, 2, cycle_exception_row, sizeof **out, out, n, err);
}

/* ---- locks ---- */

int cycle_locked(Store *s, Period p, int64_t *paper_id, Period *locked, Err *err)
{
    DbStmt *st = NULL;
    *paper_id = 0;
    if (db_prepare(s->db,
                   "SELECT paper_id, kind, first_month FROM locks WHERE first_month <= ? AND ? <= first_month + kind - 1"
                   " ORDER BY first_month, kind LIMIT 1",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, p.first);
    db_bind_int64(st, 2, period_last(p));
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *paper_id = db_column_int64(st, 0);
        if (locked) {
            locked->kind = (PeriodKind)db_column_int64(st, 1);
            locked->first = (int)db_column_int64(st, 2);
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* The refusal every write path gives (store.h). */
static int cycle_lock_refuse(Store *s, Period p, Period locked, int64_t paper, Err *err)
{
    Buf a = BUF_INIT, b = BUF_INIT;
    cycle_period_text(s, p, &a);
    cycle_period_text(s, locked, &b);
    if (period_equal(p, locked))
        err_set(err, "period %s is published (paper %lld) and locked: no figure, status or commentary "
                "of it may change (an admin may reopen it with `kpi reopen \"%s\" --reason TEXT`)",
                buf_cstr(&a), (long long)paper, buf_cstr(&b));
    else
        err_set(err, "period %s lies in %s, published (paper %lld) and locked: no figure, status or "
                "commentary of it may change (an admin may reopen it with `kpi reopen \"%s\" --reason TEXT`)",
                buf_cstr(&a), buf_cstr(&b), (long long)paper, buf_cstr(&b));
    buf_release(&a);
    buf_release(&b);
    return -1;
}

int store_lock_check(Store *s, Period p, Err *err)
{
    int64_t paper;
    Period locked;
    if (cycle_locked(s, p, &paper, &locked, err) < 0)
        return -1;
    return paper ? cycle_lock_refuse(s, p, locked, paper, err) : 0;
}

int store_lock_check_load(Store *s, const char *table, Err *err)
{
    DbStmt *st = NULL;
    Buf sql = BUF_INIT;
    /* Nothing published (the usual case for a bulk load): the load is not
     * read at all (joining it costs a quarter second a national year). */
    if (db_prepare(s->db, "SELECT 1 FROM locks LIMIT 1", &st, err) < 0)
        return -1;
    int any = db_step(st, err);
    db_finalize(st);
    st = NULL;
    if (any != DB_ROW)
        return any == DB_ERROR ? -1 : 0;
    /* table is a name written in the code (store.c's value_load) */
    buf_printf(&sql,
               "SELECT l.kind, l.first_month, k.kind, k.first_month, k.paper_id FROM %s l JOIN locks k"
               " ON k.first_month <= l.first_month AND l.first_month + l.kind - 1 <= k.first_month + k.kind - 1"
               " ORDER BY l.first_month, l.kind LIMIT 1",
               table);
    int rc = db_prepare(s->db, buf_cstr(&sql), &st, err);
    buf_release(&sql);
    if (rc < 0)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        Period p = {(PeriodKind)db_column_int64(st, 0), (int)db_column_int64(st, 1)};
        Period k = {(PeriodKind)db_column_int64(st, 2), (int)db_column_int64(st, 3)};
        int64_t paper = db_column_int64(st, 4);
        db_finalize(st);
        return cycle_lock_refuse(s, p, k, paper, err);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* ---- papers ---- */

/* The first month of the values a paper for p uses: the financial year
 * before p's (last year's figures and year to date). The window ends with
 * p's last month; a value is in it when its whole span is. */
static int cycle_window_first(Store *s, Period p)
{
    return period_fy_first(period_fy(period_last(p), s->fy_start), s->fy_start) - 12;
}

int cycle_paper_add(Store *s, Period p, int64_t area_id, const char *template_name, int nfiles,
                    const char *const *formats, const Buf *bytes, int64_t *paper_id, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    Buf detail = BUF_INIT;
    int rc = -1;
    store_now(now);
    *paper_id = 0;
    if (store_lock_check(s, p, err) < 0)
        return -1;
    if (db_prepare(s->db,
                   "INSERT INTO papers (kind, first_month, area_id, template, created_at, created_by)"
                   " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, p.kind);
    db_bind_int64(st, 2, p.first);
    db_bind_int64(st, 3, area_id);
    db_bind_text(st, 4, template_name);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, s->user);
    if (db_step(st, err) != DB_ROW)
        goto out;
    *paper_id = db_column_int64(st, 0);
    db_finalize(st);
    st = NULL;
    for (int k = 0; k < nfiles; k++) {
        unsigned char hash[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];
        crypto_hash_sha256(hash, (const unsigned char *)bytes[k].data, bytes[k].len);
        sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
        size_t cap = sodium_base64_ENCODED_LEN(bytes[k].len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = xmalloc(cap);
        sodium_bin2base64(b64, cap, (const unsigned char *)bytes[k].data, bytes[k].len,
                          sodium_base64_VARIANT_ORIGINAL);
        int put = cycle_run(s, "INSERT INTO paper_files (paper_id, format, size, sha256, bytes) VALUES (?, ?, ?, ?, ?)",
                            "ititt", *paper_id, formats[k], (int64_t)bytes[k].len, hex, b64, err);
        free(b64);
        if (put < 0)
            goto out;
    }
    /* The values it used, with their versions: a later paper says which changed. */
    if (cycle_run(s,
                  "INSERT INTO paper_values (paper_id, indicator_id, area_id, kind, first_month, version)"
                  " SELECT ?, indicator_id, area_id, kind, first_month, version FROM vals"
                  " WHERE first_month >= ? AND first_month + kind - 1 <= ?",
                  "iii", *paper_id, (int64_t)cycle_window_first(s, p), (int64_t)period_last(p), err) < 0)
        goto out;
    if (cycle_run(s, "INSERT INTO locks (kind, first_month, paper_id, locked_at, locked_by) VALUES (?, ?, ?, ?, ?)",
                  "iiitt", (int64_t)p.kind, (int64_t)p.first, *paper_id, now, s->user, err) < 0)
        goto out;
    period_format(&detail, p, s->fy_start);
    buf_printf(&detail, ": paper %lld from %s, %d files", (long long)*paper_id, template_name, nfiles);
    rc = cycle_audit(s, "publish", buf_cstr(&detail), err);
out:
    db_finalize(st);
    buf_release(&detail);
    return rc;
}

void cycle_paper_files_free(CyclePaperFile *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].area);
        free(v[i].template_name);
        free(v[i].created_at);
        free(v[i].created_by);
        free(v[i].format);
        free(v[i].sha256);
    }
    free(v);
}

/* StoreRowFn: one CyclePaperFile from the columns of cycle_paper_files. */
static void cycle_paper_file_row(DbStmt *st, void *elem)
{
    CyclePaperFile *f = elem;
    f->paper_id = db_column_int64(st, 0);
    f->period.kind = (PeriodKind)db_column_int64(st, 1);
    f->period.first = (int)db_column_int64(st, 2);
    f->area = db_column_dup(st, 3);
    f->template_name = db_column_dup(st, 4);
    f->created_at = db_column_dup(st, 5);
    f->created_by = db_column_dup(st, 6);
    f->format = db_column_dup(st, 7);
    f->sha256 = db_column_dup(st, 8);
    f->size = db_column_int64(st, 9);
}

int cycle_paper_files(Store *s, CyclePaperFile **out, int *n, Err *err)
{
    return store_rows(s,
                      "SELECT p.id, p.kind, p.first_month, a.name, p.template, p.created_at, p.created_by, f.format,"
                      " f.sha256, f.size FROM papers p JOIN areas a ON a.id = p.area_id"
                      " JOIN paper_files f ON f.paper_id = p.id ORDER BY p.id, f.format",
                      NULL, 0, cycle_paper_file_row, sizeof **out, out, n, err);
}

int cycle_paper_get(Store *s, int64_t paper_id, const char *format, Buf *bytes, char sha256[65], int *found,
                    Err *err)
{
    DbStmt *st = NULL;
    int rc = -1;
    *found = 0;
    if (db_prepare(s->db, "SELECT bytes, sha256, size FROM paper_files WHERE paper_id = ? AND format = ?", &st,
                   err) < 0)
        return -1;
    db_bind_int64(st, 1, paper_id);
    db_bind_text(st, 2, format);
    int got = db_step(st, err);
    if (got == DB_ERROR)
        goto out;
    if (got == DB_ROW) {
        const char *b64 = db_column_text(st, 0);
        size_t size = (size_t)db_column_int64(st, 2), len = 0;
        unsigned char *bin = xmalloc(size + 1);
        if (sodium_base642bin(bin, size + 1, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) !=
                0 ||
            len != size) {
            free(bin);
            err_set(err, "paper %lld: the stored %s file is damaged", (long long)paper_id, format);
            goto out;
        }
        buf_reset(bytes);
        buf_append(bytes, bin, len);
        free(bin);
        snprintf(sha256, 65, "%s", db_column_text(st, 1));
        *found = 1;
    }
    rc = 0;
out:
    db_finalize(st);
    return rc;
}

int cycle_paper_latest(Store *s, int64_t *paper_id, char created_at[32], Err *err)
{
    DbStmt *st = NULL;
    *paper_id = 0;
    created_at[0] = '\0';
    if (db_prepare(s->db, "SELECT id, created_at FROM papers ORDER BY id DESC LIMIT 1", &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *paper_id = db_column_int64(st, 0);
        snprintf(created_at, 32, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int cycle_revised_each(Store *s, int64_t paper_id, int64_t area_id, CycleRevisedFn fn, void *arg, Err *err)
{
    DbStmt *st = NULL;
    int rc;
    /* The window of that paper: from its financial year before to its period's end. */
    if (db_prepare(s->db, "SELECT kind, first_month FROM papers WHERE id = ?", &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, paper_id);
    rc = db_step(st, err);
    if (rc != DB_ROW) {
        db_finalize(st);
        return rc == DB_ERROR ? -1 : 0;
    }
    Period p = {(PeriodKind)db_column_int64(st, 0), (int)db_column_int64(st, 1)};
    db_finalize(st);
    st = NULL;
    if (db_prepare(s->db,
                   "SELECT DISTINCT v.indicator_id FROM vals v LEFT JOIN paper_values pv ON pv.paper_id = ?"
                   " AND pv.indicator_id = v.indicator_id AND pv.area_id = v.area_id AND pv.kind = v.kind"
                   " AND pv.first_month = v.first_month"
                   " WHERE v.area_id = ? AND v.first_month >= ? AND v.first_month + v.kind - 1 <= ?"
                   " AND (pv.version IS NULL OR pv.version <> v.version) ORDER BY v.indicator_id",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, paper_id);
    db_bind_int64(st, 2, area_id);
    db_bind_int64(st, 3, cycle_window_first(s, p));
    db_bind_int64(st, 4, period_last(p));
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (fn(arg, db_column_int64(st, 0)) < 0) {
            rc = DB_ERROR;
            break;
        }
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int cycle_reopen(Store *s, Period p, const char *reason, Err *err)
{
    DbStmt *st = NULL;
    Buf ptext = BUF_INIT;
    char now[32];
    int rc = -1;
    int64_t paper = 0;
    cycle_period_text(s, p, &ptext);
    if (db_prepare(s->db, "SELECT paper_id FROM locks WHERE kind = ? AND first_month = ?", &st, err) < 0)
        goto out;
    db_bind_int64(st, 1, p.kind);
    db_bind_int64(st, 2, p.first);
    int got = db_step(st, err);
    if (got == DB_ERROR)
        goto out;
    if (got == DB_ROW)
        paper = db_column_int64(st, 0);
    if (!paper) {
        err_set(err, "%s is not published: there is nothing to reopen", buf_cstr(&ptext));
        goto out;
    }
    store_now(now);
    if (cycle_run(s, "DELETE FROM locks WHERE kind = ? AND first_month = ?", "ii", (int64_t)p.kind,
                  (int64_t)p.first, err) < 0 ||
        cycle_run(s,
                  "INSERT INTO reopen_log (kind, first_month, paper_id, reason, changed_at, changed_by)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  "iiittt", (int64_t)p.kind, (int64_t)p.first, paper, reason, now, s->user, err) < 0)
        goto out;
    buf_printf(&ptext, " (paper %lld): %s", (long long)paper, reason);
    rc = cycle_audit(s, "reopen", buf_cstr(&ptext), err);
out:
    db_finalize(st);
    buf_release(&ptext);
    return rc;
}

int cycle_default_period(Store *s, Period *p, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    if (db_prepare(s->db,
                   "SELECT kind, first_month, 1 AS rank FROM locks UNION ALL"
                   " SELECT kind, first_month, 2 AS rank FROM rounds WHERE state = 'closed'"
                   " ORDER BY rank, first_month DESC, kind LIMIT 1",
                   &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        p->kind = (PeriodKind)db_column_int64(st, 0);
        p->first = (int)db_column_int64(st, 1);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int cycle_open_period(Store *s, Period *p, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    if (db_prepare(s->db, "SELECT kind, first_month FROM rounds WHERE state = 'open' ORDER BY due, first_month LIMIT 1",
                   &st, err) < 0)
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        p->kind = (PeriodKind)db_column_int64(st, 0);
        p->first = (int)db_column_int64(st, 1);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* ---- users and reminders ---- */

int cycle_user_email_set(Store *s, const char *user, const char *email, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "UPDATE users SET email = ? WHERE name = ? RETURNING id", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, email);
    db_bind_text(st, 2, user);
    int rc = db_step(st, err);
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc != DB_ROW)
        return err_set(err, "no user '%s'", user);
    return 0;
}

void cycle_recipients_free(CycleRecipient *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].role);
        free(v[i].email);
        free(v[i].partner);
    }
    free(v);
}

/* StoreRowFn: one CycleRecipient from the columns of cycle_recipients. */
static void cycle_recipient_row(DbStmt *st, void *elem)
{
    CycleRecipient *u = elem;
    u->user_id = db_column_int64(st, 0);
    u->name = db_column_dup(st, 1);
    u->role = db_column_dup(st, 2);
    u->email = db_column_dup(st, 3);
    u->partner_id = db_column_is_null(st, 4) ? 0 : db_column_int64(st, 4);
    u->partner = db_column_dup(st, 5);
}

int cycle_recipients(Store *s, CycleRecipient **out, int *n, Err *err)
{
    return store_rows(s,
                      "SELECT u.id, u.name, u.role, u.email, u.partner_id, p.name FROM users u"
                      " LEFT JOIN partners p ON p.id = u.partner_id WHERE u.email IS NOT NULL ORDER BY u.name",
                      NULL, 0, cycle_recipient_row, sizeof **out, out, n, err);
}

int cycle_reminder_add(Store *s, int64_t user_id, int64_t round_id, int offset_days, const char *sent_on,
                       int items, int *fresh, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    store_now(now);
    *fresh = 0;
    if (db_prepare(s->db,
                   "INSERT INTO reminders (user_id, round_id, offset_days, sent_on, items, sent_at)"
                   " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, round_id, offset_days) DO NOTHING RETURNING 1",
                   &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, round_id);
    db_bind_int64(st, 3, offset_days);
    db_bind_text(st, 4, sent_on);
    db_bind_int64(st, 5, items);
    db_bind_text(st, 6, now);
    int rc = db_step(st, err);
    *fresh = rc == DB_ROW;
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* ---- publishing ---- */

/* Every partner's return approved? The first that is not into *who. */
int cycle_all_approved(Store *s, int64_t round_id, Buf *who, int *ok, Err *err)
{
    char **names = NULL;
    int64_t *ids = NULL;
    int n = 0, rc = -1;
    *ok = 1;
    if (cycle_partners_due(s, &names, &ids, &n, err) < 0)
        goto out;
    for (int k = 0; k < n; k++) {
        char *state = NULL;
        if (cycle_return_get(s, round_id, ids[k], &state, NULL, err) < 0)
            goto out;
        if (strcmp(state, "approved") != 0) {
            buf_printf(who, "%s%s (%s)", *ok ? "" : ", ", names[k], strcmp(state, "none") == 0 ? "not submitted" : state);
            *ok = 0;
        }
        free(state);
    }
    rc = 0;
out:
    cycle_names_free(names, ids, n);
    return rc;
}

int cycle_publish_rendered(Store *s, Period p, const char *tpl_name, int nfiles, const char *const *formats,
                           const Buf *bytes, int64_t *paper_id, Err *err)
{
    CycleRound r;
    int found = 0, ok = 0, rc = -1;
    Buf pt = BUF_INIT, who = BUF_INIT;
    int64_t area_id = 0;
    cycle_period_text(s, p, &pt);
    if (cycle_round_find(s, p, &r, &found, err) < 0)
        goto out;
    if (!found) {
        err_set(err, "no round for %s: open one, and have every return approved, before publishing", buf_cstr(&pt));
        goto out;
    }
    if (cycle_all_approved(s, r.id, &who, &ok, err) < 0)
        goto out;
    if (!ok) {
        err_set(err, "%s cannot be published until every partner's return is approved; not yet: %s", buf_cstr(&pt),
                buf_cstr(&who));
        goto out;
    }
    if (store_area_id(s, s->home_area, 0, &area_id, err) < 0)
        goto out;
    if (cycle_paper_add(s, p, area_id, tpl_name, nfiles, formats, bytes, paper_id, err) < 0)
        goto out;
    if (strcmp(r.state, "closed") != 0) {
        if (cycle_round_close(s, p, err) < 0)
            goto out;
    }
    rc = 0;
out:
    if (found)
        cycle_round_free(&r);
    buf_release(&pt);
    buf_release(&who);
    return rc;
}

/* ---- returns: the state machine ---- */

int cycle_return_act(Store *s, Period p, const char *partner, const char *action, const char *reason,
                     CycleRedFn red, const char **to, Err *err)
{
    CycleRound r;
    int found = 0, rc = -1;
    char *state = NULL, **pnames = NULL;
    int64_t *pids = NULL, pid = 0;
    int np = 0, owes = 0;
    Buf pt = BUF_INIT, msg = BUF_INIT;
    int submit = strcmp(action, "submit") == 0, approve = strcmp(action, "approve") == 0;
    int ret = strcmp(action, "return") == 0;
    *to = NULL;
    if (!submit && !approve && !ret)
        PANIC("cycle_return_act: action %s", action);
    cycle_period_text(s, p, &pt);
    if (cycle_round_find(s, p, &r, &found, err) < 0)
        goto out;
    if (!found) {
        err_set(err, "no round for %s (open one with `kpi round open \"%s\" --due YYYY-MM-DD`)", buf_cstr(&pt),
                buf_cstr(&pt));
        goto out;
    }
    if (r.paper_id) {
        err_set(err, "%s is published (paper %lld): reopen it first", buf_cstr(&pt), (long long)r.paper_id);
        goto out;
    }
    if (store_partner_id(s, partner, 0, &pid, err) < 0 || cycle_partners_due(s, &pnames, &pids, &np, err) < 0)
        goto out;
    for (int k = 0; k < np; k++)
        owes |= pid && pids[k] == pid;
    if (!owes) {
        for (int k = 0; k < np; k++)
            buf_printf(&msg, "%s'%s'", k ? ", " : "", pnames[k]);
        err_set(err, "partner '%s' owns no indicator, so it has no return (partners with one: %s)", partner,
                np ? buf_cstr(&msg) : "none");
        goto out;
    }
    if (cycle_return_get(s, r.id, pid, &state, NULL, err) < 0)
        goto out;
    if (submit) {
        if (strcmp(r.state, "open") != 0) {
            err_set(err, "the round for %s is closed: no more submissions", buf_cstr(&pt));
            goto out;
        }
        if (strcmp(state, "submitted") == 0 || strcmp(state, "approved") == 0) {
            err_set(err, "%s's return for %s is already %s", partner, buf_cstr(&pt), state);
            goto out;
        }
        int nred = 0;
        buf_reset(&msg);
        int amber = strcmp(r.exceptions_for, "amber") == 0;
        if (red && red(s, p, partner, amber, &msg, &nred, err) < 0)
            goto out;
        if (nred) {
            /* the words only: the CLI adds how to write the commentary, the web its form */
            err_set(err, "%s's return for %s cannot be submitted: %d %s %s without exception commentary (%s)", partner,
                    buf_cstr(&pt), nred, amber ? "red or amber" : "red", nred == 1 ? "figure" : "figures",
                    buf_cstr(&msg));
            goto out;
        }
    } else if (strcmp(state, "submitted") != 0 && !(ret && strcmp(state, "approved") == 0)) {
        err_set(err, "%s's return for %s is %s, not submitted: nothing to %s", partner, buf_cstr(&pt),
                strcmp(state, "none") == 0 ? "not submitted yet" : state, action);
        goto out;
    }
    *to = submit ? "submitted" : approve ? "approved" : "returned";
    if (cycle_return_set(s, r.id, pid, *to, ret ? reason : NULL, err) < 0)
        goto out;
    buf_reset(&msg);
    buf_printf(&msg, "%s, %s%s%s", buf_cstr(&pt), partner, ret ? ": " : "", ret ? reason : "");
    rc = cycle_audit(s, action, buf_cstr(&msg), err);
out:
    if (found)
        cycle_round_free(&r);
    free(state);
    cycle_names_free(pnames, pids, np);
    buf_release(&pt);
    buf_release(&msg);
    return rc;
}
