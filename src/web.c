/* web.c — `kpi serve`: the HTTP server (GNU libmicrohttpd, a pool of threads
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

#include "cli.h"
#include "json.h"

#define WEB_DEFAULT_LISTEN "127.0.0.1:8080"
#define WEB_CONNECTION_LIMIT 512      /* connections served at once */
#define WEB_CONNECTION_TIMEOUT 30     /* seconds an idle connection is kept */
#define WEB_POST_BUFFER 65536         /* bytes the form parser works in */
#define WEB_CACHE_SLOTS 32            /* cached page bodies */
#define WEB_CACHE_MS 1000             /* how long a cached body is trusted (writes elsewhere) */
#define WEB_ALLOW_GET 1               /* a path's methods, for 405's Allow header */
#define WEB_ALLOW_POST 2
#define WEB_MIN_THREADS 2             /* server threads at least (default: one per core) */
#define WEB_MAX_THREADS 256           /* --threads at most */

/* The default Content-Security-Policy: nothing but our own stylesheet and
 * inline SVG; no script at all, forms only to ourselves, never framed. */
#define WEB_CSP                                                                                              \
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "                      \
    "frame-ancestors 'none'; base-uri 'none'"

/* Every page, in one table: method, path (a trailing '*' takes the rest as the
 * argument), handler, who may use it, and its help line. */
const WebRoute web_routes[] = {
    {"GET", "/", web_pages_dashboard, WEB_VIEW, "the dashboard of an area and period (?area=A&period=P)"},
    {"GET", "/indicators/*", web_pages_indicator, WEB_VIEW,
     "an indicator: definition, chart, values with notes, history of every change"},
    {"GET", "/projects", web_pages_projects, WEB_VIEW, "the delivery plan: every project and its status"},
    {"GET", "/projects/*", web_pages_project, WEB_VIEW, "a project, its status history, and its update form"},
    {"POST", "/projects/*", web_entry_project_save, WEB_EDIT, "save a project's status and commentary"},
    {"GET", "/chase", web_pages_chase, WEB_VIEW, "what has no figure or update yet for the period, by partner"},
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
    {"GET", "/login", web_auth_login_page, WEB_OPEN, "the sign-in page"},
    {"POST", "/login", web_auth_login, WEB_OPEN, "sign in (throttled per account and address)"},
    {"POST", "/logout", web_auth_logout, WEB_VIEW, "sign out"},
    {"GET", "/assets/app.css", web_html_css, WEB_OPEN, "the stylesheet"},
    {"GET", "/assets/report.css", web_html_report_css, WEB_OPEN, "the stylesheet of report previews"},
    {"GET", "/api/v1/compare", web_api_compare, WEB_VIEW, "JSON: the rows of `kpi compare` (?period=P&area=A)"},
    {"POST", "/api/v1/values", web_api_values, WEB_EDIT, "JSON: store one value (Bearer token)"},
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
    unsigned long gen;                    /* bumped by every write this server makes */
    WebCacheEntry cache[WEB_CACHE_SLOTS];
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
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

const WebField *web_field_get(const WebReq *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++) {
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    }
    return NULL;
}

const char *web_field(const WebReq *r, const char *name)
{
    const WebField *f = web_field_get(r, name);
    return f ? buf_cstr(&f->value) : NULL;
}

const char *web_cookie(const WebReq *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
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

int web_public(const WebReq *r)
{
    return r->srv->public_mode;
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
                        : status >= 500 ? "Sorry, there is a problem with the service"
                                        : "There is a problem";
    web_html_begin(r, title, NULL);
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

char *web_cache_get(const WebReq *r, const char *key)
{
    WebServer *srv = (WebServer *)r->srv;
    char *out = NULL;
    long long now = web_now_ms();
    pthread_mutex_lock(&srv->lock);
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

void web_cache_put(const WebReq *r, const char *key, const Buf *body)
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
    slot->gen = srv->gen;
    pthread_mutex_unlock(&srv->lock);
}

/* ---- one request ---- */

static WebReq *web_req_new(WebServer *srv, struct MHD_Connection *conn, const char *url, const char *method)
{
    WebReq *r = xcalloc(1, sizeof *r);
    r->srv = srv;
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
    return r;
}

static void web_req_free(WebReq *r)
{
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    for (int i = 0; i < r->nfields; i++) {
        free(r->fields[i].name);
        free(r->fields[i].filename);
        buf_free(&r->fields[i].value);
    }
    free(r->fields);
    buf_free(&r->body);
    buf_free(&r->out);
    for (int i = 0; i < r->nhdr; i++)
        free(r->hdr[i].value);
    users_free(&r->user);
    free(r->csrf);
    free(r->session_hash);
    free(r);
}

/* The form parser's callback: each field arrives in pieces. */
static enum MHD_Result web_post_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                      const char *content_type, const char *transfer_encoding, const char *data,
                                      uint64_t off, size_t size)
{
    WebReq *r = cls;
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    WebField *f = r->nfields ? &r->fields[r->nfields - 1] : NULL;
    if (!f || off == 0 || strcmp(f->name, key) != 0) {
        if (r->nfields == WEB_MAX_FIELDS) {
            r->too_big = 1;
            return MHD_NO;
        }
        if (r->nfields == r->capfields) {
            r->capfields = r->capfields ? r->capfields * 2 : 16;
            r->fields = xrealloc(r->fields, (size_t)r->capfields * sizeof *r->fields);
        }
        f = &r->fields[r->nfields++];
        memset(f, 0, sizeof *f);
        f->name = xstrdup(key);
        f->filename = filename ? xstrdup(filename) : NULL;
    }
    buf_append(&f->value, data, size);
    return MHD_YES;
}

static int web_is_form(const char *ctype)
{
    return ctype && (strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0 ||
                     strncasecmp(ctype, "multipart/form-data", 19) == 0);
}

static size_t web_body_limit(const WebReq *r)
{
    return strcmp(r->path, "/admin/upload") == 0 ? WEB_UPLOAD_MAX : WEB_BODY_MAX;
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

/* Decide who may do what, then run the handler. */
static void web_dispatch(WebReq *r)
{
    Err err = ERR_INIT;
    int known;
    const WebRoute *rt = web_route_find(r->method, r->path, &r->arg, &known);

    if (r->too_big) {
        web_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "The request is larger than the server accepts.");
        goto out;
    }
    if (!(r->store = web_store((WebServer *)r->srv, &err))) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be opened.");
        goto out;
    }
    int who = web_auth_identify(r);
    if (who == -2) {
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
            buf_free(&loc);
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
    err_free(&err);
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
    WebServer *srv = cls;
    WebReq *r = *req_cls;
    (void)version;
    if (!r) {
        r = web_req_new(srv, conn, url, method);
        *req_cls = r;
        if (r->is_post) {
            const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (len && strtoull(len, NULL, 10) > web_body_limit(r)) {
                web_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "The request is larger than the server accepts.");
                return web_send(r, conn);
            }
            const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
            if (web_is_form(ct) && !r->is_api)
                r->pp = MHD_create_post_processor(conn, WEB_POST_BUFFER, web_post_field, r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->too_big) {
            if (r->body.len + *upload_data_size > web_body_limit(r))
                r->too_big = 1;
            else if (r->pp) {
                r->body.len += *upload_data_size; /* counts bytes only; the parser keeps the fields */
                if (MHD_post_process(r->pp, upload_data, *upload_data_size) != MHD_YES)
                    r->too_big = r->too_big || r->nfields == WEB_MAX_FIELDS;
            } else {
                buf_append(&r->body, upload_data, *upload_data_size);
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->pp)
        r->body.len = 0;
    web_dispatch(r);
    if (strcmp(method, "HEAD") == 0)
        buf_reset(&r->out);
    return web_send(r, conn);
}

static void web_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    if (*req_cls)
        web_req_free(*req_cls);
    *req_cls = NULL;
}

/* "ADDR:PORT" (IPv4, or [IPv6]:PORT) into a socket address. */
static int web_listen_parse(const char *text, struct sockaddr_storage *ss, Err *err)
{
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text)
        return cli_usage_error(err, "--listen '%s': expected ADDR:PORT (e.g. 127.0.0.1:8080)", text);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535)
        return cli_usage_error(err, "--listen '%s': bad port", text);
    char *host = xstrndup(text, (size_t)(colon - text));
    int rc = 0;
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        host[strlen(host) - 1] = '\0';
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            rc = cli_usage_error(err, "--listen '%s': bad address", text);
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &a4->sin_addr) != 1)
            rc = cli_usage_error(err, "--listen '%s': bad address", text);
    }
    free(host);
    return rc;
}

int cmd_serve(CliCtx *ctx, Err *err)
{
    CliOpts o;
    WebServer srv;
    Store s;
    struct sockaddr_storage ss;
    struct MHD_Daemon *d = NULL;
    int rc = -1, key = 0, lock = 0;
    sigset_t sigs;

    memset(&srv, 0, sizeof srv);
    if (cli_parse(ctx, "listen threads templates", "public routes", &o, err) < 0)
        return -1;
    if (o.npos) {
        cli_usage_error(err, "unexpected argument '%s'", o.pos[0]);
        goto out;
    }
    if (cli_opt(&o, "routes")) { /* the route table, as `kpi help` lists commands */
        static const char *const who[] = {"anyone", "signed in", "editor", "admin"};
        for (const WebRoute *rt = web_routes; rt->path; rt++)
            printf("%-4s %-18s %-9s %s\n", rt->method, rt->path, who[rt->access], rt->help);
        rc = 0;
        goto out;
    }
    const char *listen = cli_opt(&o, "listen") ? cli_opt(&o, "listen") : WEB_DEFAULT_LISTEN;
    if (web_listen_parse(listen, &ss, err) < 0)
        goto out;
    if (sodium_init() < 0) {
        err_set(err, "libsodium cannot start");
        goto out;
    }
    /* Open once here: brings an older database up to date, and fails early. */
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    store_close(&s);
    srv.db_url = ctx->db_url;
    srv.public_mode = cli_opt(&o, "public") != NULL;
    srv.templates_dir = cli_opt(&o, "templates");
    struct stat st;
    if (srv.templates_dir && (stat(srv.templates_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        err_set(err, "--templates %s: not a folder", srv.templates_dir);
        goto out;
    }
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
    signal(SIGPIPE, SIG_IGN);
    /* A pool of threads, each polling its share of the connections with epoll:
     * the fastest shape on few cores. A slow request (a sign-in's Argon2id, a
     * PDF) holds up only the connections of its own thread. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cores < WEB_MIN_THREADS ? WEB_MIN_THREADS : (unsigned)cores;
    if (cli_opt(&o, "threads")) {
        char *end;
        long t = strtol(cli_opt(&o, "threads"), &end, 10);
        if (*end || t < 1 || t > WEB_MAX_THREADS) {
            cli_usage_error(err, "--threads must be a number from 1 to %d", WEB_MAX_THREADS);
            goto out;
        }
        threads = (unsigned)t;
    }
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                         web_access, &srv, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                         MHD_OPTION_NOTIFY_COMPLETED, web_completed, &srv, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)WEB_CONNECTION_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)WEB_CONNECTION_TIMEOUT, MHD_OPTION_END);
    if (!d) {
        err_set(err, "cannot listen on %s: %s", listen, strerror(errno));
        goto out;
    }
    fprintf(stderr, "kpi: serving %s on http://%s/%s\n", ctx->db_url, listen,
            srv.public_mode ? " (public: anyone may read)" : "");
    int sig;
    sigwait(&sigs, &sig);
    rc = 0;
out:
    if (d)
        MHD_stop_daemon(d);
    if (key)
        pthread_key_delete(srv.store_key);
    if (lock)
        pthread_mutex_destroy(&srv.lock);
    for (int i = 0; i < WEB_CACHE_SLOTS; i++) {
        free(srv.cache[i].key);
        free(srv.cache[i].body);
    }
    cli_opts_free(&o);
    return rc;
}
