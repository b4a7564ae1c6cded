/* store_users.c — accounts, sessions, tokens and failed sign-ins in the store
 * (see users.h). Bound parameters only; the caller owns the transaction. */
#include "users.h"

#include <stdlib.h>
#include <string.h>

#define USERS_MAX_NAME 200 /* characters of a user name */

static const char *const users_role_names[] = {"viewer", "editor", "admin", "officer"};

const char *users_role_name(UserRole r)
{
    return users_role_names[r];
}

int users_role_parse(const char *s, UserRole *out)
{
    for (int r = ROLE_VIEWER; r <= ROLE_OFFICER; r++) {
        if (strcmp(s, users_role_names[r]) == 0) {
            *out = (UserRole)r;
            return 0;
        }
    }
    return -1;
}

/* A user name: printable, no blanks at either end, not too long. */
int users_name_check(const char *name, Err *err)
{
    size_t n = strlen(name);
    if (!n || n > USERS_MAX_NAME)
        return err_set(err, "a user name has 1 to %d characters", USERS_MAX_NAME);
    if (name[0] == ' ' || name[n - 1] == ' ')
        return err_set(err, "user name '%s' starts or ends with a blank", name);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return err_set(err, "user name holds a control character");
    }
    return 0;
}

void users_release(User *u)
{
    free(u->name);
    free(u->partner);
    memset(u, 0, sizeof *u);
}

void users_list_free(User *v, int n)
{
    for (int i = 0; i < n; i++)
        users_release(&v[i]);
    free(v);
}

/* The columns every user query selects, in this order. */
#define USERS_COLUMNS "u.id, u.name, u.role, u.partner_id, p.name"
#define USERS_FROM " FROM users u LEFT JOIN partners p ON p.id = u.partner_id"

static void users_row(DbStmt *st, User *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_column_int64(st, 0);
    u->name = xstrdup(db_column_text(st, 1));
    if (users_role_parse(db_column_text(st, 2), &u->role) < 0)
        PANIC("user %s: bad stored role", u->name);
    u->partner_id = db_column_is_null(st, 3) ? 0 : db_column_int64(st, 3);
    u->partner = db_column_dup(st, 4);
}

/* Resolve a partner name to its id (0 for NULL), creating it when create = 1;
 * otherwise an unknown name is an error. */
static int users_partner(Store *s, const char *partner, int create, int64_t *id, Err *err)
{
    *id = 0;
    if (!partner)
        return 0;
    if (store_partner_id(s, partner, create, id, err) < 0)
        return -1;
    if (!*id)
        return err_set(err, "unknown partner '%s'", partner);
    return 0;
}

int users_add(Store *s, const char *name, UserRole role, const char *partner, int create_partner,
              const char *password_hash, Err *err)
{
    DbStmt *st = NULL;
    int64_t partner_id;
    int found, rc = -1;
    User u;
    char now[32];

    if (users_find(s, name, &u, NULL, &found, err) < 0)
        return -1;
    if (found) {
        users_release(&u);
        return err_set(err, "user '%s' already exists", name);
    }
    if (users_partner(s, partner, create_partner, &partner_id, err) < 0)
        return -1;
    store_now(now);
    if (db_prepare(s->db,
                   "INSERT INTO users (name, role, partner_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, users_role_name(role));
    if (partner_id)
        db_bind_int64(st, 3, partner_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, password_hash);
    db_bind_text(st, 5, now);
    rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int users_update(Store *s, int64_t id, UserRole role, const char *partner, const char *password_hash, Err *err)
{
    DbStmt *st = NULL;
    int64_t partner_id;
    int rc = -1;
    if (users_partner(s, partner, 0, &partner_id, err) < 0)
        return -1;
    if (db_prepare(s->db,
                   "UPDATE users SET role = ?, partner_id = ?, password_hash = COALESCE(?, password_hash)"
                   " WHERE id = ?",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, users_role_name(role));
    if (partner_id)
        db_bind_int64(st, 2, partner_id);
    else
        db_bind_null(st, 2);
    db_bind_text(st, 3, password_hash);
    db_bind_int64(st, 4, id);
    rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

/* Run one statement with a single integer parameter. */
static int users_exec_id(Store *s, const char *sql, int64_t id, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, sql, &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, id);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int users_delete(Store *s, int64_t id, Err *err)
{
    if (users_exec_id(s, "DELETE FROM sessions WHERE user_id = ?", id, err) < 0 ||
        users_exec_id(s, "DELETE FROM tokens WHERE user_id = ?", id, err) < 0 ||
        users_exec_id(s, "DELETE FROM users WHERE id = ?", id, err) < 0)
        return -1;
    return 0;
}

int users_find(Store *s, const char *name, User *out, char **password_hash, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    if (password_hash)
        *password_hash = NULL;
    if (db_prepare(s->db, "SELECT " USERS_COLUMNS ", u.password_hash" USERS_FROM " WHERE u.name = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, name);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        users_row(st, out);
        if (password_hash)
            *password_hash = xstrdup(db_column_text(st, 5));
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int users_get(Store *s, int64_t id, User *out, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    if (db_prepare(s->db, "SELECT " USERS_COLUMNS USERS_FROM " WHERE u.id = ?", &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        users_row(st, out);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* StoreRowFn over users_row. */
static void users_list_row(DbStmt *st, void *elem)
{
    users_row(st, elem);
}

int users_list(Store *s, User **out, int *n, Err *err)
{
    return store_rows(s, "SELECT " USERS_COLUMNS USERS_FROM " ORDER BY u.name", NULL, 0, users_list_row,
                      sizeof **out, out, n, err);
}

int users_session_add(Store *s, int64_t user_id, const char *id_hash, const char *csrf, int64_t expires_at,
                      Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    store_now(now);
    if (db_prepare(s->db,
                   "INSERT INTO sessions (id_hash, user_id, csrf, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, id_hash);
    db_bind_int64(st, 2, user_id);
    db_bind_text(st, 3, csrf);
    db_bind_int64(st, 4, expires_at);
    db_bind_text(st, 5, now);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int users_session_find(Store *s, const char *id_hash, int64_t now, User *out, char **csrf, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    *csrf = NULL;
    if (db_prepare(s->db,
                   "SELECT " USERS_COLUMNS ", x.csrf FROM sessions x JOIN users u ON u.id = x.user_id"
                   " LEFT JOIN partners p ON p.id = u.partner_id WHERE x.id_hash = ? AND x.expires_at > ?",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, id_hash);
    db_bind_int64(st, 2, now);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        users_row(st, out);
        *csrf = xstrdup(db_column_text(st, 5));
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int users_session_delete(Store *s, const char *id_hash, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "DELETE FROM sessions WHERE id_hash = ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, id_hash);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int users_session_purge(Store *s, int64_t now, Err *err)
{
    return users_exec_id(s, "DELETE FROM sessions WHERE expires_at <= ?", now, err);
}

int users_token_add(Store *s, int64_t user_id, const char *token_hash, Err *err)
{
    DbStmt *st = NULL;
    char now[32];
    store_now(now);
    if (db_prepare(s->db, "INSERT INTO tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)", &st, err) < 0)
        return -1;
    db_bind_int64(st, 1, user_id);
    db_bind_text(st, 2, token_hash);
    db_bind_text(st, 3, now);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int users_token_find(Store *s, const char *token_hash, User *out, int *found, Err *err)
{
    DbStmt *st = NULL;
    *found = 0;
    if (db_prepare(s->db,
                   "SELECT " USERS_COLUMNS " FROM tokens t JOIN users u ON u.id = t.user_id"
                   " LEFT JOIN partners p ON p.id = u.partner_id WHERE t.token_hash = ?",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        users_row(st, out);
        *found = 1;
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int users_attempt_add(Store *s, const char *account, const char *address, int64_t at, Err *err)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, "INSERT INTO login_attempts (account, address, at) VALUES (?, ?, ?)", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, account);
    db_bind_text(st, 2, address);
    db_bind_int64(st, 3, at);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}

int users_attempt_count(Store *s, const char *account, const char *address, int64_t since, int *by_account,
                        int *by_address, Err *err)
{
    DbStmt *st = NULL;
    *by_account = *by_address = 0;
    if (db_prepare(s->db,
                   "SELECT (SELECT COUNT(*) FROM login_attempts WHERE account = ? AND at >= ?),"
                   " (SELECT COUNT(*) FROM login_attempts WHERE address = ? AND at >= ?)",
                   &st, err) < 0)
        return -1;
    db_bind_text(st, 1, account);
    db_bind_int64(st, 2, since);
    db_bind_text(st, 3, address);
    db_bind_int64(st, 4, since);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *by_account = (int)db_column_int64(st, 0);
        *by_address = (int)db_column_int64(st, 1);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int users_attempts_delete(Store *s, const char *account, int64_t before, Err *err)
{
    DbStmt *st = NULL;
    /* An account's own failures go once it signs in; everyone's old ones go too. */
    if (db_prepare(s->db, "DELETE FROM login_attempts WHERE account = ? OR at < ?", &st, err) < 0)
        return -1;
    db_bind_text(st, 1, account);
    db_bind_int64(st, 2, before);
    int rc = db_run(st, err);
    db_finalize(st);
    return rc;
}
