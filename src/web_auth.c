/* web_auth.c — who is asking, and may they: Argon2id passwords, sessions kept
 * in the database (so several servers can share one), API tokens, CSRF tokens
 * on every form, sign-in throttling per account and per address, and the
 * sign-in and sign-out pages. Secrets are compared in constant time and are
 * stored only as hashes. */
#include "web.h"

#include <ctype.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define WEB_AUTH_WINDOW (15 * 60)        /* seconds over which failed sign-ins count */
#define WEB_AUTH_MAX_PER_ACCOUNT 5       /* failures an account may have in the window */
#define WEB_AUTH_MAX_PER_ADDRESS 20      /* failures an address may have in the window */
#define WEB_AUTH_KEEP_ATTEMPTS (24 * 3600) /* seconds old failures are kept */
#define WEB_AUTH_MAX_PASSWORD 1024       /* bytes of a password */
#define WEB_AUTH_CSRF_DOMAIN "kpi-csrf-for-token:" /* what a token's CSRF value is derived under */

int web_auth_password_hash(const char *password, char *out, Err *err)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(err, "out of memory hashing the password");
    return 0;
}

void web_auth_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[WEB_SECRET_BYTES];
    if (nbytes > sizeof raw)
        PANIC("random secret of %zu bytes", nbytes);
    randombytes_buf(raw, nbytes);
    sodium_bin2hex(out, 2 * nbytes + 1, raw, nbytes);
    sodium_memzero(raw, sizeof raw);
}

void web_auth_hash_hex(const char *secret, char *out)
{
    unsigned char h[WEB_HASH_HEX / 2];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, WEB_HASH_HEX + 1, h, sizeof h);
}

/* Is s exactly 2*WEB_SECRET_BYTES lower-case hex digits (what we hand out)? */
static int web_auth_secret_shape(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
            return 0;
    }
    return n == 2 * WEB_SECRET_BYTES;
}

static int64_t web_auth_now(void)
{
    return (int64_t)time(NULL);
}

int web_auth_identify(WebReq *r)
{
    Err err = ERR_INIT;
    char hash[WEB_HASH_HEX + 1];
    int found = 0, rc = 0;
    const char *auth = web_header_in(r, MHD_HTTP_HEADER_AUTHORIZATION);

    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        const char *tok = auth + 7;
        while (*tok == ' ')
            tok++;
        if (!web_auth_secret_shape(tok))
            return -1;
        web_auth_hash_hex(tok, hash);
        if (users_token_find(r->store, hash, &r->user, &found, &err) < 0) {
            rc = -2;
            goto out;
        }
        if (!found)
            return -1;
        r->signed_in = r->via_token = 1;
        /* Forms fetched with a token carry a value derived from it: the token
         * holder can compute it, a cross-site page cannot. */
        Buf b = BUF_INIT;
        char csrf[WEB_HASH_HEX + 1];
        buf_printf(&b, "%s%s", WEB_AUTH_CSRF_DOMAIN, hash);
        web_auth_hash_hex(buf_cstr(&b), csrf);
        buf_release(&b);
        r->csrf = xstrdup(csrf);
        goto out;
    }
    if (auth)
        return -1; /* some other scheme: not a valid token */
    const char *sid = web_cookie(r, WEB_SESSION_COOKIE);
    if (sid && web_auth_secret_shape(sid)) {
        char *csrf = NULL;
        web_auth_hash_hex(sid, hash);
        if (users_session_find(r->store, hash, web_auth_now(), &r->user, &csrf, &found, &err) < 0) {
            rc = -2;
            goto out;
        }
        if (found) {
            r->signed_in = 1;
            r->csrf = csrf;
            r->session_hash = xstrdup(hash);
            goto out;
        }
    }
    const char *pre = web_cookie(r, WEB_CSRF_COOKIE);
    if (pre && web_auth_secret_shape(pre))
        r->csrf = xstrdup(pre);
out:
    if (rc == -2)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    err_release(&err);
    return rc;
}

/* "; Secure" when the visitor reached us over TLS (through a proxy that says so). */
static const char *web_auth_secure(const WebReq *r)
{
    const char *proto = web_header_in(r, "X-Forwarded-Proto");
    return proto && strcasecmp(proto, "https") == 0 ? "; Secure" : "";
}

const char *web_auth_csrf(WebReq *r)
{
    if (!r->csrf) {
        char tok[2 * WEB_SECRET_BYTES + 1];
        Buf c = BUF_INIT;
        web_auth_random_hex(tok, WEB_SECRET_BYTES);
        r->csrf = xstrdup(tok);
        buf_printf(&c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", WEB_CSRF_COOKIE, tok, web_auth_secure(r));
        web_header(r, MHD_HTTP_HEADER_SET_COOKIE, buf_cstr(&c));
        buf_release(&c);
    }
    return r->csrf;
}

int web_auth_csrf_ok(WebReq *r)
{
    const char *given = web_field(r, WEB_CSRF_FIELD);
    if (!given || !r->csrf || strlen(given) != strlen(r->csrf))
        return 0;
    return sodium_memcmp(given, r->csrf, strlen(given)) == 0;
}

int web_auth_may_edit_partner(const WebReq *r, const char *partner)
{
    if (!r->signed_in || r->user.role == ROLE_VIEWER)
        return 0;
    if (r->user.role == ROLE_ADMIN)
        return 1;
    return partner && r->user.partner && strcmp(partner, r->user.partner) == 0;
}

int web_auth_may_edit_project(const WebReq *r, const Project *p)
{
    if (!r->signed_in || r->user.role == ROLE_VIEWER)
        return 0;
    if (r->user.role == ROLE_ADMIN)
        return 1;
    /* A project belongs to the partners its lead names ("Chorley Council /
     * Lancashire County Council"): the partner's name as a whole phrase. */
    const char *name = r->user.partner;
    if (!name || !*name || !p->lead)
        return 0;
    size_t n = strlen(name);
    for (const char *q = p->lead; (q = strcasestr(q, name)) != NULL; q++) {
        int before = q == p->lead || !isalnum((unsigned char)q[-1]);
        int after = !isalnum((unsigned char)q[n]);
        if (before && after)
            return 1;
    }
    return 0;
}

/* Where to go after signing in: a path on this site only. */
static const char *web_auth_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strchr(next, '\r') || strchr(next, '\n'))
        return "/";
    return next;
}

static void web_auth_form(WebReq *r, const WebErrors *e, const char *name, const char *next)
{
    web_html_begin(r, e && e->n ? "Error: Sign in" : "Sign in", NULL);
    Buf *b = &r->out;
    web_html(b, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">\n");
    web_errors_summary(b, e);
    web_html(b, "<h1 class=\"govuk-heading-l\">Sign in</h1>\n"
                "<form method=\"post\" action=\"/login\" novalidate>\n");
    web_html_csrf(r);
    web_html(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n", web_auth_next(next));
    const char *fields[2][3] = {{"username", "Username", "text"}, {"password", "Password", "password"}};
    for (int i = 0; i < 2; i++) {
        const char *msg = web_errors_for(e, fields[i][0]);
        web_html(b, "<div class=\"govuk-form-group%s\">\n<label class=\"govuk-label\" for=\"%s\">%s</label>\n",
                 msg ? " govuk-form-group--error" : "", fields[i][0], fields[i][1]);
        if (msg)
            web_html(b, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                        "Error:</span> %s</p>\n",
                     fields[i][0], msg);
        web_html(b, "<input class=\"govuk-input govuk-!-width-one-half%s\" id=\"%s\" name=\"%s\" type=\"%s\"",
                 msg ? " govuk-input--error" : "", fields[i][0], fields[i][0], fields[i][2]);
        if (msg)
            web_html(b, " aria-describedby=\"%s-error\"", fields[i][0]);
        if (i == 0)
            web_html(b, " autocomplete=\"username\" spellcheck=\"false\" value=\"%s\">\n</div>\n", name);
        else
            web_html(b, " autocomplete=\"current-password\">\n</div>\n");
    }
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Sign in</button>\n</form>\n</div></div>\n");
    web_html_end(r);
}

int web_auth_login_page(WebReq *r)
{
    if (r->signed_in)
        return web_redirect(r, "/");
    WebErrors e = {0};
    web_auth_form(r, &e, "", web_query(r, "next"));
    return 0;
}

/* A hash to verify against when the account does not exist, so that an
 * unknown name takes as long as a wrong password. */
static char web_auth_dummy[crypto_pwhash_STRBYTES];
static pthread_once_t web_auth_dummy_once = PTHREAD_ONCE_INIT;

static void web_auth_dummy_init(void)
{
    Err err = ERR_INIT;
    char pw[2 * WEB_SECRET_BYTES + 1];
    web_auth_random_hex(pw, WEB_SECRET_BYTES);
    if (web_auth_password_hash(pw, web_auth_dummy, &err) < 0)
        PANIC("%s", err_msg(&err));
}

int web_auth_login(WebReq *r)
{
    Err err = ERR_INIT;
    WebErrors e = {0};
    User u;
    char *stored = NULL;
    int found = 0, rc = -1, by_account = 0, by_address = 0;
    const char *name = web_field(r, "username"), *pw = web_field(r, "password"), *next = web_field(r, "next");
    int64_t now = web_auth_now();

    memset(&u, 0, sizeof u);
    if (!name || !*name)
        web_errors_add(&e, "username", "Enter your username");
    if (!pw || !*pw)
        web_errors_add(&e, "password", "Enter your password");
    else if (strlen(pw) > WEB_AUTH_MAX_PASSWORD)
        web_errors_add(&e, "password", "Password must be %d characters or fewer", WEB_AUTH_MAX_PASSWORD);
    if (e.n || !name || !pw) {
        web_auth_form(r, &e, name ? name : "", next);
        r->status = MHD_HTTP_BAD_REQUEST;
        rc = 0;
        goto out;
    }
    if (users_attempt_count(r->store, name, r->address, now - WEB_AUTH_WINDOW, &by_account, &by_address, &err) < 0)
        goto out;
    if (by_account >= WEB_AUTH_MAX_PER_ACCOUNT || by_address >= WEB_AUTH_MAX_PER_ADDRESS) {
        web_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "900");
        web_error(r, MHD_HTTP_TOO_MANY_REQUESTS,
                  "There have been too many failed attempts to sign in. Wait 15 minutes and try again.");
        rc = 0;
        goto out;
    }
    if (users_find(r->store, name, &u, &stored, &found, &err) < 0)
        goto out;
    pthread_once(&web_auth_dummy_once, web_auth_dummy_init);
    int good = crypto_pwhash_str_verify(found ? stored : web_auth_dummy, pw, strlen(pw)) == 0 && found;
    if (!good) {
        if (store_begin(r->store, &err) < 0 || users_attempt_add(r->store, name, r->address, now, &err) < 0 ||
            store_commit(r->store, &err) < 0)
            goto out;
        web_errors_add(&e, "username", "Enter a correct username and password");
        web_auth_form(r, &e, name, next);
        r->status = MHD_HTTP_UNAUTHORIZED;
        rc = 0;
        goto out;
    }
    char sid[2 * WEB_SECRET_BYTES + 1], csrf[2 * WEB_SECRET_BYTES + 1], hash[WEB_HASH_HEX + 1];
    web_auth_random_hex(sid, WEB_SECRET_BYTES);
    web_auth_random_hex(csrf, WEB_SECRET_BYTES);
    web_auth_hash_hex(sid, hash);
    if (store_begin(r->store, &err) < 0)
        goto out;
    if (users_session_purge(r->store, now, &err) < 0 ||
        users_session_add(r->store, u.id, hash, csrf, now + WEB_SESSION_SECONDS, &err) < 0 ||
        users_attempts_delete(r->store, name, now - WEB_AUTH_KEEP_ATTEMPTS, &err) < 0 ||
        store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        goto out;
    }
    Buf c = BUF_INIT;
    buf_printf(&c, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", WEB_SESSION_COOKIE, sid,
               WEB_SESSION_SECONDS, web_auth_secure(r));
    web_header(r, MHD_HTTP_HEADER_SET_COOKIE, buf_cstr(&c));
    buf_release(&c);
    sodium_memzero(sid, sizeof sid);
    web_redirect(r, web_auth_next(next));
    rc = 0;
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: sign-in: %s\n", err_msg(&err));
    if (stored)
        sodium_memzero(stored, strlen(stored));
    free(stored);
    users_release(&u);
    web_errors_release(&e);
    err_release(&err);
    return rc;
}

int web_auth_logout(WebReq *r)
{
    Err err = ERR_INIT;
    int rc = 0;
    if (r->session_hash) {
        if (store_begin(r->store, &err) < 0 || users_session_delete(r->store, r->session_hash, &err) < 0 ||
            store_commit(r->store, &err) < 0) {
            store_rollback(r->store);
            fprintf(stderr, "kpi serve: sign-out: %s\n", err_msg(&err));
            rc = -1;
        }
    }
    err_release(&err);
    if (rc < 0)
        return -1;
    Buf c = BUF_INIT;
    buf_printf(&c, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s", WEB_SESSION_COOKIE, web_auth_secure(r));
    web_header(r, MHD_HTTP_HEADER_SET_COOKIE, buf_cstr(&c));
    buf_release(&c);
    return web_redirect(r, "/login");
}
