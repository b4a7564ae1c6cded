/* users.h — accounts of the web application in the store: users with a role
 * and (for editors) a partner, sessions, API tokens and failed sign-ins.
 * Secrets never reach the database: passwords are kept as Argon2id strings,
 * session ids and tokens as hashes (web_auth.c makes them). Every function
 * runs inside the caller's transaction when there is one. */
#ifndef KPI_USERS_H
#define KPI_USERS_H

#include <stdint.h>

#include "store.h"

/* An officer (docs/web.md) approves, returns and publishes a round's returns
 * (kpi approve/return/publish) and gets the reminders' digest; on the web it
 * may read and edit as an editor without a partner. */
typedef enum UserRole { ROLE_VIEWER, ROLE_EDITOR, ROLE_ADMIN, ROLE_OFFICER } UserRole;

const char *users_role_name(UserRole r);              /* "viewer", "editor", "admin", "officer" */
int users_role_parse(const char *s, UserRole *out);   /* 0 or -1 */

/* A user name: 1-200 characters, no control characters, no blank at either end. */
int users_name_check(const char *name, Err *err);

/* One account. Strings owned; users_release releases them. */
typedef struct User {
    int64_t id;
    char *name;
    UserRole role;
    int64_t partner_id;     /* 0 when none */
    char *partner;          /* partner name, NULL when none */
} User;

void users_release(User *u);
void users_list_free(User *v, int n);

/* Add an account. partner names its partner (NULL for none), created when
 * create_partner = 1 and otherwise an error when unknown; a name already
 * taken is an error. */
int users_add(Store *s, const char *name, UserRole role, const char *partner, int create_partner,
              const char *password_hash, Err *err);
/* Change role, partner and (when password_hash != NULL) the password. */
int users_update(Store *s, int64_t id, UserRole role, const char *partner, const char *password_hash, Err *err);
/* Delete an account with its sessions and tokens. */
int users_delete(Store *s, int64_t id, Err *err);
/* Find by name. *found = 0 when absent; *password_hash (may be NULL to skip)
 * is owned by the caller. */
int users_find(Store *s, const char *name, User *out /* OUT */, char **password_hash, int *found, Err *err);
int users_get(Store *s, int64_t id, User *out /* OUT */, int *found, Err *err);
/* Every account, by name. */
int users_list(Store *s, User **out /* OUT */, int *n, Err *err);

/* Sessions: id_hash is the hash of the cookie's secret; csrf the form token. */
int users_session_add(Store *s, int64_t user_id, const char *id_hash, const char *csrf, int64_t expires_at,
                      Err *err);
/* The session's user and CSRF token (caller frees *csrf) if it exists and has
 * not expired at `now`; *found = 0 otherwise. */
int users_session_find(Store *s, const char *id_hash, int64_t now, User *out /* OUT */, char **csrf,
                       int *found, Err *err);
int users_session_delete(Store *s, const char *id_hash, Err *err);
/* Forget sessions that expired before `now`. */
int users_session_purge(Store *s, int64_t now, Err *err);

/* API tokens, by the hash of the token. */
int users_token_add(Store *s, int64_t user_id, const char *token_hash, Err *err);
int users_token_find(Store *s, const char *token_hash, User *out /* OUT */, int *found, Err *err);

/* Failed sign-ins: record one, count those since `since` for the account and
 * for the address, and forget an account's after it signs in. */
int users_attempt_add(Store *s, const char *account, const char *address, int64_t at, Err *err);
int users_attempt_count(Store *s, const char *account, const char *address, int64_t since, int *by_account,
                        int *by_address, Err *err);
int users_attempts_delete(Store *s, const char *account, int64_t before, Err *err);

#endif
