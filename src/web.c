/* web.c — the HTTP server of `kpi serve` (GNU libmicrohttpd, a pool of threads
 * polling with epoll), the route table with each page's help line, request limits,
 * who-may-do-what checks in one place, and the headers every response
 * carries. Each thread keeps its own Store (SQLite WAL lets readers run side
 * by side); a Store is never shared between threads. */
#include "web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "lazy_mhd.h" /* after the library's header */

#define WEB_CONNECTION_LIMIT 512      /* connections served at once */
#define WEB_CONNECTION_LIMIT_PER_ADDRESS 256 /* of them from one client address: a crowd from one
                                        address leaves room for everyone else */
#define WEB_CONNECTION_TIMEOUT 30     /* seconds an idle connection is kept */
#define WEB_LOG_PER_SECOND 10         /* libmicrohttpd's messages logged a second at most */
#define WEB_RETRY_AFTER "5"           /* seconds a 503 (database busy) asks the client to wait */
#define WEB_CACHE_SLOTS 32            /* cached page bodies */
#define WEB_CACHE_MS 1000             /* how long a cached body is trusted (writes elsewhere) */
#define WEB_ALLOW_GET 1               /* a path's methods, for 405's Allow header */
#define WEB_ALLOW_POST 2

/* The default Content-Security-Policy: nothing but our own stylesheet and
 * inline SVG; no script at all, forms only to ourselves, never framed. */
#define WEB_CSP                                                                                              \
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "                      \
    "frame-ancestors 'none'; base-uri 'none'"

/* Every page, in one table: method, path (a trailing '*' takes the rest as the
 * argument), handler, who may use it, and its help line. */
const WebRoute web_routes[] = {
    {"GET", "/", web_pages_dashboard, WEB_VIEW, "the dashboard of an area and period (?area=A&period=P&rag=&partner=&direction=&order=rag&format=csv|xlsx)"},
    {"GET", "/indicators/*", web_pages_indicator, WEB_VIEW,
     "an indicator: definition, chart, values with notes, history of every change (?table=values|history&format=csv|xlsx)"},
    {"GET", "/projects", web_pages_projects, WEB_VIEW, "the delivery plan: every project and its status (?sort=status&format=csv|xlsx)"},
    {"GET", "/projects/*", web_pages_project, WEB_VIEW, "a project, its status history, and its update form"},
    {"POST", "/projects/*", web_entry_project_save, WEB_EDIT, "save a project's status and commentary"},
    {"GET", "/chase", web_pages_chase, WEB_VIEW, "what has no figure or update yet for the period, by partner (?format=csv|xlsx)"},
    {"GET", "/benchmark", web_benchmark_page, WEB_VIEW,
     "an indicator's rate for each area of a group, with intervals (?indicator=&group=&period=&format=csv|xlsx|...)"},
    {"GET", "/report", web_pages_report, WEB_VIEW, "choose a template, area and period; preview the paper"},
    {"GET", "/report/download", web_pages_report_download, WEB_VIEW, "the paper in any format the CLI renders"},
    {"GET", "/enter", web_entry_values, WEB_EDIT, "enter a period's figures and notes for your partner's indicators"},
    {"POST", "/enter", web_entry_values_save, WEB_EDIT, "save entered figures (refuses to overwrite newer changes)"},
    {"GET", "/admin", web_entry_admin, WEB_ADMIN, "administration: users, partners, indicators, targets, uploads"},
    {"POST", "/admin/users", web_entry_admin_user, WEB_ADMIN, "add a user"},
    {"POST", "/admin/users/*", web_entry_admin_user_change, WEB_ADMIN, "change or delete a user"},
    {"POST", "/admin/partners", web_entry_admin_partner, WEB_ADMIN, "add a partner"},
    {"POST", "/admin/indicators", web_entry_admin_indicator, WEB_ADMIN, "add or change an indicator"},
    {"POST", "/admin/targets", web_entry_admin_target, WEB_ADMIN, "set a target"},
    {"POST", "/admin/upload", web_entry_admin_upload, WEB_ADMIN, "import a CSV, .xlsx or police.uk file through the CLI's importers"},
    {"GET", "/rounds", web_cycle_rounds, WEB_VIEW, "collection rounds and every partner's return, with the forms a user may use"},
    {"POST", "/rounds", web_cycle_rounds_act, WEB_EDIT, "open a round, submit, approve or return a partner's return, publish (as kpi round open, submit, approve, return, publish)"},
    {"GET", "/papers", web_cycle_papers, WEB_VIEW, "the published papers, each file with its size and SHA-256"},
    {"GET", "/papers/*", web_cycle_paper_file, WEB_VIEW, "a published paper's file, byte for byte (/papers/ID.FORMAT)"},
    {"GET", "/login", web_auth_login_page, WEB_OPEN, "the sign-in page"},
    {"POST", "/login", web_auth_login, WEB_OPEN, "sign in (throttled per account and address)"},
    {"POST", "/logout", web_auth_logout, WEB_VIEW, "sign out"},
    {"GET", "/assets/app.css", web_html_css, WEB_OPEN, "the stylesheet"},
    {"GET", "/assets/report.css", web_html_report_css, WEB_OPEN, "the stylesheet of report previews"},
    {"GET", "/api/v1/compare", web_api_compare, WEB_VIEW, "JSON: the rows of `kpi compare` (?period=P&area=A)"},
    {"POST", "/api/v1/values", web_api_values, WEB_EDIT, "JSON: store one value (Bearer token)"},
    {"GET", "/api/v1/exceptions", web_api_exceptions, WEB_VIEW, "JSON: the exception commentary of a period (?period=P)"},
    {NULL, NULL, NULL, WEB_OPEN, NULL},
};

typedef struct WebCacheEntry {
    char *key;
    char *body;
    size_t len;
    long long at_ms;
    unsigned long gen;
} WebCacheEntry;

struct WebServer {
    const char *db_url;
    int public_mode;
    const char *templates_dir;            /* --templates DIR, or NULL */
    pthread_key_t store_key;
    pthread_mutex_t lock;                 /* guards the cache and generation */
    unsigned long gen;                    /* bumped by every commit seen: this server's, or (db_changed,
                                             the watch) another connection's */
    WebCacheEntry cache[WEB_CACHE_SLOTS];
    Db *watch;                            /* PostgreSQL: the connection that LISTENs (db_watch), or NULL */
    pthread_t watch_thread;
    atomic_int watch_stop, watch_failed;  /* watch_failed: no page is cached any more */
    WebInflight *inflight;                /* requests in flight, for the supervisor; or NULL */
};

static long long web_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the per-thread store ---- */

static void web_store_free(void *p)
{
    Store *s = p;
    store_close(s);
    free(s);
}

static Store *web_store(WebServer *srv, Err *err)
{
    Store *s = pthread_getspecific(srv->store_key);
    if (s)
        return s;
    s = xcalloc(1, sizeof *s);
    if (store_open(srv->db_url, 0, s, err) < 0) {
        free(s);
        return NULL;
    }
    s->user = "web"; /* each write names the signed-in user instead */
    pthread_setspecific(srv->store_key, s);
    return s;
}

/* ---- request helpers ---- */

const char *web_query(const WebReq *r, const char *name)
{
    const WebField *f = web_form_get(&r->query, name);
    return f && f->value.len ? buf_cstr(&f->value) : NULL;
}

const WebField *web_field_get(const WebReq *r, const char *name)
{
    return web_form_get(&r->fields, name);
}

const char *web_field(const WebReq *r, const char *name)
{
    const WebField *f = web_field_get(r, name);
    return f ? buf_cstr(&f->value) : NULL;
}

const char *web_cookie(const WebReq *r, const char *name)
{
    const WebField *f = web_form_get(&r->cookies, name);
    return f ? buf_cstr(&f->value) : NULL;
}

const char *web_header_in(const WebReq *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void web_header(WebReq *r, const char *name, const char *value)
{
    if (r->nhdr == WEB_MAX_HEADERS)
        PANIC("more than %d response headers", WEB_MAX_HEADERS);
    r->hdr[r->nhdr].name = name;
    r->hdr[r->nhdr].value = xstrdup(value);
    r->nhdr++;
}

int web_redirect(WebReq *r, const char *location)
{
    r->status = MHD_HTTP_SEE_OTHER;
    web_header(r, MHD_HTTP_HEADER_LOCATION, location);
    buf_reset(&r->out);
    r->ctype = "text/plain; charset=utf-8";
    buf_puts(&r->out, "See other\n");
    return 0;
}

const char *web_templates_dir(const WebReq *r)
{
    return r->srv->templates_dir;
}

int web_error(WebReq *r, int status, const char *message)
{
    r->status = status;
    buf_reset(&r->out);
    if (r->is_api) {
        r->ctype = "application/json";
        buf_puts(&r->out, "{\"error\": ");
        json_string(&r->out, message);
        buf_puts(&r->out, "}\n");
        return 0;
    }
    const char *title = status == 404   ? "Page not found"
                        : status == 403 ? "Forbidden"
                        : status == 401 ? "Not signed in"
                        : status == 413 ? "Too large"
                        : status == 429 ? "Too many attempts"
                        : status == 503 ? "The service is busy"
                        : status >= 500 ? "Sorry, there is a problem with the service"
                                        : "There is a problem";
    web_html_begin(r, title, ""); /* with the navigation, no item current */
    web_html(&r->out, "<h1 class=\"govuk-heading-l\">%s</h1>\n<p class=\"govuk-body\">%s</p>\n", title, message);
    web_html_end(r);
    r->status = status;
    return 0;
}

/* ---- the page cache (dashboard bodies) ---- */

void web_changed(const WebReq *r)
{
    WebServer *srv = (WebServer *)r->srv;
    pthread_mutex_lock(&srv->lock);
    srv->gen++;
    pthread_mutex_unlock(&srv->lock);
}

char *web_cache_get(WebReq *r, const char *key)
{
    WebServer *srv = (WebServer *)r->srv;
    char *out = NULL;
    long long now = web_now_ms();
    /* SQLite: a commit by another connection since this one last asked (the first
     * ask, or an error, counts as one). PostgreSQL: 0, the watch thread tells. */
    int changed = r->store ? db_changed(r->store->db, NULL) : 1;
    pthread_mutex_lock(&srv->lock);
    if (changed != 0)
        srv->gen++;
    r->cache_gen = srv->gen;
    if (atomic_load(&srv->watch_failed)) {
        pthread_mutex_unlock(&srv->lock);
        return NULL;
    }
    for (int i = 0; i < WEB_CACHE_SLOTS; i++) {
        WebCacheEntry *e = &srv->cache[i];
        if (e->key && strcmp(e->key, key) == 0 && e->gen == srv->gen && now - e->at_ms < WEB_CACHE_MS) {
            out = xmalloc(e->len + 1);
            memcpy(out, e->body, e->len + 1);
            break;
        }
    }
    pthread_mutex_unlock(&srv->lock);
    return out;
}

void web_cache_put(WebReq *r, const char *key, const Buf *body)
{
    WebServer *srv = (WebServer *)r->srv;
    long long now = web_now_ms();
    pthread_mutex_lock(&srv->lock);
    WebCacheEntry *slot = &srv->cache[0];
    for (int i = 0; i < WEB_CACHE_SLOTS; i++) {
        WebCacheEntry *e = &srv->cache[i];
        if (!e->key || strcmp(e->key, key) == 0) {
            slot = e;
            break;
        }
        if (e->at_ms < slot->at_ms)
            slot = e;
    }
    free(slot->key);
    free(slot->body);
    slot->key = xstrdup(key);
    slot->len = body->len;
    slot->body = xmalloc(body->len + 1);
    memcpy(slot->body, buf_cstr(body), body->len + 1);
    slot->at_ms = now;
    slot->gen = r->cache_gen; /* stale already if a commit came while it was made */
    pthread_mutex_unlock(&srv->lock);
}

/* PostgreSQL: wait for other connections' commits (db_watch) and make every
 * cached page stale at each. When the watch's connection fails, caching stops. */
static void *web_watch_main(void *arg)
{
    WebServer *srv = arg;
    while (!atomic_load(&srv->watch_stop)) {
        Err err = ERR_INIT;
        int got = db_watch_wait(srv->watch, 200, &err);
        if (got != 0) {
            pthread_mutex_lock(&srv->lock);
            srv->gen++;
            pthread_mutex_unlock(&srv->lock);
        }
        if (got < 0) {
            fprintf(stderr, "kpi serve: %s; pages are no longer cached\n", err_msg(&err));
            atomic_store(&srv->watch_failed, 1);
            err_release(&err);
            break;
        }
        err_release(&err);
    }
    return NULL;
}

/* ---- requests in flight, published for the supervisor (cmd_serve.c) ---- */

/* A free slot for a request that begins, holding "METHOD /path"; -1 when
 * there is no shared area or every slot is taken (the request is then served
 * unpublished). */
static int web_slot_take(const WebServer *srv, const char *method, const char *url)
{
    static _Thread_local unsigned next;
    WebInflight *in = srv->inflight;
    if (!in)
        return -1;
    for (unsigned k = 0; k < WEB_INFLIGHT_SLOTS; k++) {
        unsigned i = (next + k) % WEB_INFLIGHT_SLOTS;
        int expect = WEB_SLOT_FREE;
        if (atomic_load_explicit(&in->slots[i].state, memory_order_relaxed) != WEB_SLOT_FREE ||
            !atomic_compare_exchange_strong(&in->slots[i].state, &expect, WEB_SLOT_READING))
            continue;
        snprintf(in->slots[i].line, sizeof in->slots[i].line, "%s %s", method, url);
        next = i + 1;
        return (int)i;
    }
    return -1;
}

static void web_slot_set(const WebReq *r, WebSlotState state)
{
    WebInflight *in = r->srv->inflight;
    if (r->slot < 0 || !in)
        return;
    if (state == WEB_SLOT_FREE)
        in->slots[r->slot].line[0] = '\0';
    atomic_store(&in->slots[r->slot].state, (int)state);
}

/* ---- one request ---- */

/* MHD calls this first with the request line's target as sent: it becomes
 * the request (the *req_cls web_access is given), keeping the raw query
 * string for web_form.c (MHD's own parsing would hide malformed escapes). */
static void *web_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)conn;
    WebReq *r = xcalloc(1, sizeof *r);
    r->srv = cls;
    r->uri = xstrdup(uri ? uri : "");
    r->slot = -1; /* not published until web_slot_take */
    return r;
}

/* Fill in the request at the access handler's first call; 0, or -1 with an
 * error response prepared (bad query string or cookies). */
static int web_req_start(WebReq *r, struct MHD_Connection *conn, const char *url, const char *method)
{
    r->conn = conn;
    r->method = method;
    r->path = url;
    r->is_post = strcmp(method, "POST") == 0;
    r->is_api = strncmp(url, "/api/", 5) == 0;
    r->status = MHD_HTTP_OK;
    r->ctype = "text/html; charset=utf-8";
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->address, sizeof r->address, "unknown");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->address,
                      sizeof r->address);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->address,
                      sizeof r->address);
    }
    Err err = ERR_INIT;
    const char *q = strchr(r->uri, '?');
    const char *cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
    int rc = 0;
    if ((q && web_form_urlencoded(q + 1, strcspn(q + 1, "#"), &r->query, &err) < 0) ||
        (cookie && web_form_cookies(cookie, strlen(cookie), &r->cookies, &err) < 0)) {
        int big = r->query.too_big || r->cookies.too_big;
        web_form_release(&r->query);
        web_form_release(&r->cookies);
        web_error(r, big ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST, err_msg(&err));
        rc = -1;
    }
    err_release(&err);
    return rc;
}

static void web_req_free(WebReq *r)
{
    free(r->uri);
    web_form_release(&r->query);
    web_form_release(&r->cookies);
    web_form_release(&r->fields);
    buf_release(&r->body);
    buf_release(&r->out);
    for (int i = 0; i < r->nhdr; i++)
        free(r->hdr[i].value);
    users_release(&r->user);
    free(r->csrf);
    free(r->session_hash);
    free(r);
}

/* Parse a form POST's body into its fields, once the whole body is in; the
 * body is then dropped. 0, or -1 with the 400 or 413 answer prepared. */
static int web_parse_body(WebReq *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    Err err = ERR_INIT;
    Buf boundary = BUF_INIT;
    int rc = 0;
    if (!ct || r->is_api)
        return 0;
    if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        rc = web_form_urlencoded(r->body.data ? r->body.data : "", r->body.len, &r->fields, &err);
    else if (strncasecmp(ct, "multipart/form-data", 19) == 0)
        rc = web_form_boundary(ct, &boundary, &err) < 0
                 ? -1
                 : web_form_multipart(buf_cstr(&boundary), r->body.data ? r->body.data : "", r->body.len,
                                      &r->fields, &err);
    else
        return 0;
    buf_release(&r->body);
    if (rc == 0 && web_form_check(&r->fields, &err) < 0) {
        web_form_release(&r->fields);
        web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
        buf_release(&boundary);
        err_release(&err);
        return -1;
    }
    if (rc < 0) {
        int big = r->fields.too_big;
        web_form_release(&r->fields);
        web_error(r, big ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_BAD_REQUEST, err_msg(&err));
    }
    buf_release(&boundary);
    err_release(&err);
    return rc;
}

/* The most a body may hold. The body is read before anyone is identified, so
 * the upload's larger limit is for a request that could be an admin's (with a
 * session cookie or a token); anyone else gets the small one. */
static size_t web_body_limit(const WebReq *r)
{
    int credentials = web_cookie(r, WEB_SESSION_COOKIE) || web_header_in(r, MHD_HTTP_HEADER_AUTHORIZATION);
    return strcmp(r->path, "/admin/upload") == 0 && credentials ? WEB_UPLOAD_MAX : WEB_BODY_MAX;
}

/* The route for method and path; NULL when none. *allowed gets the methods
 * the path has (WEB_ALLOW_GET | WEB_ALLOW_POST), 0 for an unknown path. */
static const WebRoute *web_route_find(const char *method, const char *path, const char **arg, int *allowed)
{
    *allowed = 0;
    for (const WebRoute *rt = web_routes; rt->path; rt++) {
        size_t n = strlen(rt->path);
        int match;
        if (rt->path[n - 1] == '*')
            match = strncmp(path, rt->path, n - 1) == 0 && path[n - 1] && !strchr(path + n - 1, '/');
        else
            match = strcmp(path, rt->path) == 0;
        if (!match)
            continue;
        *allowed |= strcmp(rt->method, "GET") == 0 ? WEB_ALLOW_GET : WEB_ALLOW_POST;
        if (strcmp(method, rt->method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            *arg = rt->path[n - 1] == '*' ? path + n - 1 : "";
            return rt;
        }
    }
    return NULL;
}

/* When the store failed for want of the writers' lock (another import held
 * it past the wait): answer 503 with Retry-After and return 1; else 0. */
static int web_busy(WebReq *r)
{
    if (!r->store || !db_busy(r->store->db))
        return 0;
    web_header(r, MHD_HTTP_HEADER_RETRY_AFTER, WEB_RETRY_AFTER);
    web_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
              "The database is busy with another import. Nothing was saved: try again in a moment.");
    return 1;
}

/* Decide who may do what, then run the handler. */
static void web_dispatch(WebReq *r)
{
    Err err = ERR_INIT;
    int known;
    const WebRoute *rt = web_route_find(r->method, r->path, &r->arg, &known);

    if (!(r->store = web_store((WebServer *)r->srv, &err))) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be opened.");
        goto out;
    }
    db_busy_clear(r->store->db);
    int who = web_auth_identify(r);
    if (who == -2) {
        if (web_busy(r))
            goto out;
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be read.");
        goto out;
    }
    if (who == -1) {
        web_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
        web_error(r, MHD_HTTP_UNAUTHORIZED, "The token is not valid.");
        goto out;
    }
    /* Every HTML form POST carries a CSRF token, whoever sends it. */
    if (r->is_post && !r->is_api && !web_auth_csrf_ok(r)) {
        web_error(r, MHD_HTTP_FORBIDDEN, "The form has expired or did not come from this site. Go back, reload "
                                         "the page and try again.");
        goto out;
    }
    int open = rt && rt->access == WEB_OPEN;
    int anon_ok = r->srv->public_mode && (!rt || (rt->access == WEB_VIEW && !r->is_post));
    if (!r->signed_in && !open && !anon_ok) {
        if (r->is_api) {
            web_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
            web_error(r, MHD_HTTP_UNAUTHORIZED, "Sign in or give a valid token (Authorization: Bearer TOKEN).");
        } else {
            Buf loc = BUF_INIT;
            web_html(&loc, "/login?next=%u", r->path);
            web_redirect(r, buf_cstr(&loc));
            buf_release(&loc);
        }
        goto out;
    }
    if (!rt) {
        if (known) {
            static const char *const allow[] = {"", "GET, HEAD", "POST", "GET, HEAD, POST"};
            web_header(r, MHD_HTTP_HEADER_ALLOW, allow[known]);
            web_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "That method is not allowed here.");
        } else {
            web_error(r, MHD_HTTP_NOT_FOUND, "If you typed the web address, check it is correct.");
        }
        goto out;
    }
    if ((rt->access == WEB_EDIT && (!r->signed_in || r->user.role == ROLE_VIEWER)) ||
        (rt->access == WEB_ADMIN && (!r->signed_in || r->user.role != ROLE_ADMIN))) {
        web_error(r, MHD_HTTP_FORBIDDEN, "Your account may not do this.");
        goto out;
    }
    /* A page reads one snapshot: an import committing meanwhile is seen whole
     * or not at all. Only POST handlers write, each in its own transaction. */
    if (!r->is_post && store_begin_read(r->store, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be read.");
        goto out;
    }
    int failed = rt->handler(r) < 0 || r->status == 0;
    if (!r->is_post)
        store_rollback(r->store);
    if (failed) {
        store_rollback(r->store);
        for (int i = 0; i < r->nhdr; i++)
            free(r->hdr[i].value);
        buf_reset(&r->out);
        r->nhdr = 0;
        if (web_busy(r))
            goto out;
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "Please try again later.");
        /* The connection may be what failed (a database server restarted):
         * this thread opens a new one for its next request. */
        web_store_free(r->store);
        pthread_setspecific(((WebServer *)r->srv)->store_key, NULL);
        r->store = NULL;
    }
out:
    if (r->status >= 500 && err_is_set(&err))
        fprintf(stderr, "kpi serve: %s %s: %s\n", r->method, r->path, err_msg(&err));
    err_release(&err);
}

static enum MHD_Result web_send(WebReq *r, struct MHD_Connection *conn)
{
    struct MHD_Response *resp;
    if (r->out.len) {
        size_t len = r->out.len;
        resp = MHD_create_response_from_buffer(len, buf_detach(&r->out), MHD_RESPMEM_MUST_FREE);
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
    MHD_add_response_header(resp, "Content-Security-Policy", r->csp ? r->csp : WEB_CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    int has_cache = 0;
    for (int i = 0; i < r->nhdr; i++) {
        MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
        has_cache |= strcasecmp(r->hdr[i].name, MHD_HTTP_HEADER_CACHE_CONTROL) == 0;
    }
    if (!has_cache)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result web_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    WebReq *r = *req_cls;
    (void)cls;
    (void)version;
    if (!r) /* no URI log callback ran: cannot happen with the daemon's options */
        return MHD_NO;
    if (!r->method) {
        if (web_req_start(r, conn, url, method) < 0)
            return web_send(r, conn);
        r->slot = web_slot_take(r->srv, method, url);
        if (r->is_post) {
            const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (len && strtoull(len, NULL, 10) > web_body_limit(r)) {
                web_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "The request is larger than the server accepts.");
                return web_send(r, conn);
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* The whole body is kept (within its limit) and parsed once complete. */
        if (!r->too_big) {
            if (r->body.len + *upload_data_size > web_body_limit(r)) {
                r->too_big = 1;
                buf_release(&r->body);
            } else {
                buf_append(&r->body, upload_data, *upload_data_size);
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    web_slot_set(r, WEB_SLOT_RUNNING);
    if (r->too_big)
        web_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "The request is larger than the server accepts.");
    else if (!r->is_post || web_parse_body(r) == 0)
        web_dispatch(r);
    if (strcmp(method, "HEAD") == 0)
        buf_reset(&r->out);
    enum MHD_Result sent = web_send(r, conn);
    web_slot_set(r, WEB_SLOT_SENDING);
    return sent;
}

static void web_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    if (*req_cls) {
        web_slot_set(*req_cls, WEB_SLOT_FREE);
        web_req_free(*req_cls);
    }
    *req_cls = NULL;
}

/* libmicrohttpd's own messages ("Server reached connection limit", ...), to
 * standard error, at most WEB_LOG_PER_SECOND a second: a crowd of refused
 * connections must not flood the log. How many were left out is said with
 * the next one logged. */
static void web_mhd_log(void *cls, const char *fmt, va_list ap)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static time_t second;
    static unsigned logged, dropped;
    (void)cls;
    time_t now = time(NULL);
    pthread_mutex_lock(&mu);
    if (now != second) {
        second = now;
        logged = 0;
    }
    if (logged >= WEB_LOG_PER_SECOND) {
        dropped++;
        pthread_mutex_unlock(&mu);
        return;
    }
    logged++;
    if (dropped)
        fprintf(stderr, "kpi serve: (%u more messages from libmicrohttpd left out)\n", dropped);
    dropped = 0;
    fputs("kpi serve: ", stderr);
    vfprintf(stderr, fmt, ap);
    pthread_mutex_unlock(&mu);
}

int web_serve(const WebConfig *cfg, Err *err)
{
    WebServer srv;
    struct MHD_Daemon *d = NULL;
    int rc = -1, key = 0, lock = 0, watching = 0;
    sigset_t sigs;

    memset(&srv, 0, sizeof srv);
    if (lazy_mhd_load(err) < 0)
        return -1;
    if (sodium_init() < 0) {
        err_set(err, "libsodium cannot start");
        goto out;
    }
    srv.db_url = cfg->db_url;
    srv.public_mode = cfg->public_mode;
    srv.templates_dir = cfg->templates_dir;
    srv.inflight = cfg->inflight;
    if (pthread_key_create(&srv.store_key, web_store_free) != 0 || pthread_mutex_init(&srv.lock, NULL) != 0) {
        err_set(err, "cannot start threads");
        goto out;
    }
    key = lock = 1;
    /* Signals go to sigwait below, not to the server's threads. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    /* Commits by other processes: PostgreSQL tells a connection of its own. */
    if (db_open(cfg->db_url, 0, &srv.watch, err) < 0)
        goto out;
    int w = db_watch(srv.watch, err);
    if (w < 0)
        goto out;
    if (w == 0) {
        db_close(srv.watch);
        srv.watch = NULL;
    } else if (pthread_create(&srv.watch_thread, NULL, web_watch_main, &srv) != 0) {
        err_set(err, "cannot start threads");
        goto out;
    } else {
        watching = 1;
    }
    signal(SIGPIPE, SIG_IGN);
    /* A pool of threads, each polling its share of the connections with epoll:
     * the fastest shape on few cores. A slow request (a sign-in's Argon2id, a
     * PDF) holds up only the connections of its own thread. */
    unsigned threads = cfg->threads;
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                         web_access, &srv, MHD_OPTION_EXTERNAL_LOGGER, web_mhd_log, &srv, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_LISTEN_SOCKET, cfg->listen_fd,
                         MHD_OPTION_NOTIFY_COMPLETED, web_completed, &srv, MHD_OPTION_URI_LOG_CALLBACK, web_uri_log, &srv,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONNECTION_LIMIT,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)WEB_CONNECTION_LIMIT_PER_ADDRESS,
                         MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)WEB_CONNECTION_TIMEOUT, MHD_OPTION_END);
    if (!d) {
        err_set(err, "cannot start the server: %s", strerror(errno));
        goto out;
    }
    if (srv.inflight)
        atomic_store(&srv.inflight->ready, 1);
    int sig;
    sigwait(&sigs, &sig);
    rc = 0;
out:
    if (d)
        MHD_stop_daemon(d);
    if (watching) {
        atomic_store(&srv.watch_stop, 1);
        pthread_join(srv.watch_thread, NULL);
    }
    if (srv.watch)
        db_close(srv.watch);
    if (key)
        pthread_key_delete(srv.store_key);
    if (lock)
        pthread_mutex_destroy(&srv.lock);
    for (int i = 0; i < WEB_CACHE_SLOTS; i++) {
        free(srv.cache[i].key);
        free(srv.cache[i].body);
    }
    return rc;
}
