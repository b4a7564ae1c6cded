/* web.h — the web application's insides, shared by its files:
 *   web.c        the server: requests, limits, headers, the route table, web_serve
 *   web_form.c   query string, cookies and form bodies parsed from bytes (web_form.h)
 *   web_auth.c   who is asking: passwords, sessions, tokens, CSRF, throttling, sign-in pages
 *   web_html.c   the escaping HTML writer, the page layout and its stylesheet
 *   web_pages.c  dashboard, indicator, projects, chase list, report pages
 *   web_entry.c  data entry (values, project updates) and administration
 *   web_api.c    the JSON API
 * A request is parsed into a WebReq; its route's handler fills the response
 * part (status, body, headers) and web.c sends it with the headers every
 * response carries. */
#ifndef KPI_WEB_H
#define KPI_WEB_H

#include <stdatomic.h>
#include <stdint.h>

#include "buf.h"
#include "dataset.h"
#include "doc.h"
#include "store.h"
#include "users.h"
#include "validate.h"
#include "web_form.h"

#define WEB_BODY_MAX (1024 * 1024)        /* bytes of a form or JSON body */
#define WEB_UPLOAD_MAX (10 * 1024 * 1024) /* bytes of a file upload (multipart body) */
#define WEB_MAX_HEADERS 8                 /* extra response headers one handler sets */
#define WEB_MAX_FIELDS WEB_FORM_MAX_FIELDS /* form fields one request may carry */
#define WEB_SESSION_SECONDS (12 * 3600)   /* a session lasts this long */
#define WEB_SECRET_BYTES 32               /* random bytes of a session id, token, CSRF token */
#define WEB_HASH_HEX 64                   /* hex digits of a stored hash (32 bytes) */
#define WEB_SESSION_COOKIE "kpi_session"
#define WEB_CSRF_COOKIE "kpi_csrf"        /* double-submit token of visitors not signed in */
#define WEB_CSRF_FIELD "csrf"             /* the hidden form field */
#define WEB_MIN_THREADS 2                 /* server threads at least (default: one per core) */
#define WEB_MAX_THREADS 256               /* server threads at most */
#define WEB_INFLIGHT_SLOTS 1024           /* requests in flight one worker publishes */
#define WEB_INFLIGHT_LINE 120             /* bytes of "METHOD /path" kept for each */

/* Who may use a route. */
typedef enum WebAccess {
    WEB_OPEN,    /* anyone: sign-in page, stylesheet */
    WEB_VIEW,    /* anyone signed in (or anonymous with --public) */
    WEB_EDIT,    /* editors and admins (each handler checks the partner) */
    WEB_ADMIN    /* admins only */
} WebAccess;

typedef struct WebServer WebServer;

typedef struct WebHeader {
    const char *name;      /* static */
    char *value;           /* owned */
} WebHeader;

typedef struct WebReq {
    const WebServer *srv;
    void *conn;            /* struct MHD_Connection * */
    const char *method;
    const char *path;      /* without the query string */
    const char *arg;       /* the path after the route's prefix ("crime.all" of /indicators/crime.all) */
    Store *store;          /* this thread's store */
    char address[64];      /* client address, for throttling */
    int is_post, is_api;
    /* what the client sent, parsed by web_form.c */
    char *uri;             /* the request line's target as sent (path and query, not unescaped) */
    WebForm query;         /* the query string's arguments */
    WebForm cookies;       /* the Cookie header */
    Buf body;              /* the POST body (emptied once parsed into fields) */
    int too_big;
    WebForm fields;        /* a form POST's fields (urlencoded or multipart) */
    /* who is asking */
    int signed_in;         /* 1 with a valid session or token */
    int via_token;         /* 1 when by Authorization: Bearer */
    User user;             /* valid when signed_in */
    char *csrf;            /* the token this request's forms carry; NULL until known */
    char *session_hash;    /* hash of the session cookie, when signed in by session */
    /* the response */
    int status;
    const char *ctype;     /* static */
    Buf out;
    WebHeader hdr[WEB_MAX_HEADERS];
    int nhdr;
    const char *csp;       /* static; NULL for the default policy */
    int slot;              /* its slot in WebInflight, -1 for none */
    char period_error[256]; /* a ?period= that cannot be read, in words: the page shows the default period
                             * with this message beside its period picker; "" when none */
    unsigned long cache_gen; /* the data version web_cache_get saw (web_cache_put files under it) */
} WebReq;

typedef int (*WebHandler)(WebReq *r);

typedef struct WebRoute {
    const char *method;    /* "GET" or "POST" */
    const char *path;      /* exact path, or a prefix ending in '/' followed by '*' */
    WebHandler handler;
    WebAccess access;
    const char *help;
} WebRoute;

extern const WebRoute web_routes[];

/* --- web.c: the server --- */

/* Where a worker publishes the requests it is serving, so that its supervisor
 * (cmd_serve.c) can name them when the worker dies. It lives in memory shared
 * with the supervisor (mmap MAP_SHARED before fork); the supervisor reads it
 * only after the worker is gone. A request takes a free slot when it begins
 * and gives it back when it is finished; `line` holds "METHOD /path" (the
 * path as the client sent it, possibly cut short; not NUL-terminated when a
 * kill interrupted the write, so read at most WEB_INFLIGHT_LINE bytes). */
typedef enum WebSlotState {
    WEB_SLOT_FREE,
    WEB_SLOT_READING,      /* headers read, the body coming in */
    WEB_SLOT_RUNNING,      /* its handler is running */
    WEB_SLOT_SENDING       /* the response is queued or being sent */
} WebSlotState;
typedef struct WebSlot {
    atomic_int state;      /* a WebSlotState */
    char line[WEB_INFLIGHT_LINE];
} WebSlot;
typedef struct WebInflight {
    atomic_int ready;      /* set to 1 once the worker accepts connections */
    WebSlot slots[WEB_INFLIGHT_SLOTS];
} WebInflight;

/* How to serve. */
typedef struct WebConfig {
    const char *db_url;
    int public_mode;            /* --public: anyone may read */
    const char *templates_dir;  /* --templates DIR (a folder that exists), or NULL */
    unsigned threads;           /* server threads, 1 to WEB_MAX_THREADS */
    int listen_fd;              /* a bound, listening TCP socket; the server takes it over */
    WebInflight *inflight;      /* where requests in flight are published, or NULL */
} WebConfig;

/* Serve until SIGTERM or SIGINT arrives (blocked here in every thread and
 * taken with sigwait), then stop: in-flight requests finish, connections are
 * closed. Returns 0 after a clean stop, -1 with err set when the server cannot
 * start (it then serves nothing). */
int web_serve(const WebConfig *cfg, Err *err);

/* --- web.c: request and response helpers --- */
const char *web_query(const WebReq *r, const char *name);   /* query argument, NULL when absent */
const char *web_field(const WebReq *r, const char *name);   /* form field, NULL when absent */
const WebField *web_field_get(const WebReq *r, const char *name);
const char *web_cookie(const WebReq *r, const char *name);
const char *web_header_in(const WebReq *r, const char *name);
void web_header(WebReq *r, const char *name, const char *value);
int web_redirect(WebReq *r, const char *location);            /* 303 See Other */
const char *web_templates_dir(const WebReq *r);              /* --templates DIR, or NULL */
/* Invalidate cached pages after a write by this server. */
void web_changed(const WebReq *r);
/* A cached page body for key (NULL when absent or stale); web_cache_put keeps a copy.
 * A body is cached for the data it was made from: any commit, by this server or
 * another process sharing the database, makes it stale (on SQLite this
 * request's connection is asked, on PostgreSQL a watch thread listens: db.h's
 * db_changed and db_watch). Call web_cache_put after web_cache_get in the
 * same request: the body is filed under the data version web_cache_get saw. */
char *web_cache_get(WebReq *r, const char *key);
void web_cache_put(WebReq *r, const char *key, const Buf *body);
/* A plain error page (or JSON error on the API) with status. Returns 0. */
int web_error(WebReq *r, int status, const char *message);

/* --- web_auth.c --- */
/* Argon2id string of a password into out (crypto_pwhash_STRBYTES). */
int web_auth_password_hash(const char *password, char *out, Err *err);
/* Hex of `nbytes` random bytes into out (2*nbytes+1). */
void web_auth_random_hex(char *out, size_t nbytes);
/* Hex of the 32-byte BLAKE2b hash of secret into out (WEB_HASH_HEX+1). */
void web_auth_hash_hex(const char *secret, char *out);
/* Who is asking: 0 signed in or anonymous, -1 a Bearer token was given but is
 * not valid (the caller answers 401), -2 store failure. */
int web_auth_identify(WebReq *r);
/* Does the POST carry this request's CSRF token? */
int web_auth_csrf_ok(WebReq *r);
/* The CSRF token for this request's forms, set up on first use (a visitor not
 * signed in gets a cookie holding it). */
const char *web_auth_csrf(WebReq *r);
/* May the user change this indicator (by partner name) or this project? */
int web_auth_may_edit_partner(const WebReq *r, const char *partner);
int web_auth_may_edit_project(const WebReq *r, const Project *p);
int web_auth_login_page(WebReq *r);
int web_auth_login(WebReq *r);
int web_auth_logout(WebReq *r);

/* --- web_html.c: escape by construction --- */
/* Append fmt to b. fmt is trusted markup (a string literal); its conversions
 * are %s text (HTML-escaped, NULL = nothing), %u text URL-encoded for a query
 * or path part (then escaped), %d int, %l int64_t, %% a percent sign. */
void web_html(Buf *b, const char *fmt, ...);
void web_html_begin(WebReq *r, const char *title, const char *nav);
void web_html_end(WebReq *r);
/* An error summary (GOV.UK pattern) listing messages with links to fields. */
typedef struct WebErrors {
    const char *field[WEB_MAX_FIELDS / 4];
    char *msg[WEB_MAX_FIELDS / 4];
    int n;
} WebErrors;
void web_errors_add(WebErrors *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *web_errors_for(const WebErrors *e, const char *field);   /* NULL when none */
void web_errors_summary(Buf *b, const WebErrors *e);
void web_errors_release(WebErrors *e);
/* A hidden CSRF field. */
void web_html_csrf(WebReq *r);
/* RAG tag and direction text. */
/* A RAG status as a GOV.UK tag: its word and colour from present.h. */
void web_html_rag(Buf *b, Rag rag);
/* A project's delivery status as a GOV.UK tag (present.h). */
void web_html_status(Buf *b, Status st);
/* The direction of travel of a compare row in words (present.h): the arrow
 * (hidden from screen readers) follows the number, the words say better or worse. */
void web_html_direction(Buf *b, const CompareRow *r);
int web_html_css(WebReq *r);
/* A stored time ("2011-10-03T14:05:09Z") in words: "3 October 2011 at 2:05pm", in a <time> element. */
void web_html_when(Buf *b, const char *stamp);
/* A GOV.UK back link. */
void web_html_back(Buf *b, const char *href, const char *label);
/* The start of a wide table's wrapper: a labelled region that scrolls sideways and takes focus (close with </div>). */
void web_html_wrap_begin(Buf *b, const char *label);
/* The period picker: a select named "period" (id "period") of the financial years around cur, each with its
 * quarters (and the year itself, its months, when asked), cur selected; r->period_error beside it. */
void web_html_period_select(const WebReq *r, Buf *b, Period cur, int with_years, int with_months);
/* The same with msg (NULL for none) as the error beside it: a form's own error. */
void web_html_period_select_msg(const WebReq *r, Buf *b, Period cur, int with_years, int with_months,
                                const char *msg);
/* Answer with table t as a file: format "csv" (header line, then one line per row) or "xlsx" (one sheet, the
 * same rows); name (letters, digits and '-' kept) is the file's name without extension. A 400 page for any
 * other format. Returns 0. */
int web_download(WebReq *r, const DocTable *t, const char *format, const char *name);
/* Links to a page's table as CSV and xlsx: base (the page's address and query, trusted to be URL-safe) with
 * format=csv|xlsx added; what names the table ("these indicators"). */
void web_html_downloads(Buf *b, const char *base, const char *what);
int web_html_report_css(WebReq *r);

/* --- web_pages.c --- */
/* The period and area a page is about: ?period= and ?area=, or the latest
 * quarter with data and the home area. Writes a 400 page and returns -1 when bad. */
int web_pages_scope(WebReq *r, Period *p, Buf *ptext, Buf *area);
/* The report templates offered (/report, the publish form): the embedded
 * examples' names, then each NAME.md of --templates, in name order; free with
 * store_web_names_free(*out, *n). */
void web_pages_template_names(const WebReq *r, char ***out, int *n);
/* Template `name`'s text into text (a file is read to just past the 4 MiB
 * limit: longer is too large), its path or embedded name into path: 1 found,
 * 0 not a template offered. */
int web_pages_template(const WebReq *r, const char *name, Buf *text, Buf *path);
/* --- web_benchmark.c: GET /benchmark (docs/benchmark.md) --- */
int web_benchmark_page(WebReq *r);
int web_pages_dashboard(WebReq *r);
int web_pages_indicator(WebReq *r);
int web_pages_projects(WebReq *r);
int web_pages_project(WebReq *r);
/* The project page with its update form showing errors e and the values the
 * user gave (NULL: the stored ones). */
int web_pages_project_form(WebReq *r, const WebErrors *e, const char *status_in, const char *commentary_in,
                           const char *period_in);
int web_pages_chase(WebReq *r);
int web_pages_report(WebReq *r);
int web_pages_report_download(WebReq *r);

/* --- web_entry.c --- */
int web_entry_values(WebReq *r);
int web_entry_values_save(WebReq *r);
/* The period an editor is asked for: see its contract in web_entry.c (the
 * open round once rounds exist; today the dashboard's default period). */
int web_entry_default_period(WebReq *r, Period *p, Buf *ptext);
/* The home page's panel for a signed-in editor: "Your figures for PERIOD: N
 * due, M entered", each missing one linked to its box on the entry form.
 * Appends to b; nothing for other users, or when nothing is due. */
void web_entry_todo(WebReq *r, Buf *b);
int web_entry_project_save(WebReq *r);
int web_entry_admin(WebReq *r);
int web_entry_admin_user(WebReq *r);
int web_entry_admin_user_change(WebReq *r);
int web_entry_admin_partner(WebReq *r);
int web_entry_admin_indicator(WebReq *r);
int web_entry_admin_target(WebReq *r);
int web_entry_admin_upload(WebReq *r);
/* Check one value by the importers' rules (validate.h); on success the
 * micro-units to store. `field` (OUT) names the form field at fault ("value",
 * "numerator", "denominator" or "period"). */
typedef ValidValue WebValue;
int web_entry_value_check(Store *s, const Indicator *ind, const char *ptext, const char *vt, const char *nt,
                          const char *dt, WebValue *out, const char **field, Err *err);

/* --- web_cycle.c: the quarterly cycle (docs/web.md) --- */
int web_cycle_rounds(WebReq *r);
int web_cycle_rounds_act(WebReq *r);
int web_cycle_papers(WebReq *r);
int web_cycle_paper_file(WebReq *r);
/* Render every format (formats[0..nformats-1], names as render_doc_opts
 * takes) of the paper for p in the home area from the template tpl (len
 * bytes, named tpl_name in errors), each into outs[k]; figures revised since
 * the latest published paper are marked "(revised)" and counted in
 * *nrevised. In the caller's transaction; 0, or -1 with err set. Shared by
 * `kpi publish` and the publish form of /rounds. */
int web_cycle_render(Store *s, Period p, const char *tpl, size_t len, const char *tpl_name, int nformats,
                     const char *const *formats, Buf *outs, int *nrevised, Err *err);
/* The indicator page's part: the exception commentary of indicator `code` in
 * `area` for period p, appended to r->out (nothing when there is none). */
void web_cycle_indicator_exception(WebReq *r, const char *code, const char *area, Period p);

/* --- web_api.c --- */
int web_api_compare(WebReq *r);
int web_api_values(WebReq *r);
/* GET /api/v1/exceptions?period=P: every exception commentary recorded for
 * the period (docs/web.md), as objects of indicator, title, area, period, cause,
 * action, owner, date. */
int web_api_exceptions(WebReq *r);
/* The compare row as text cells, as `kpi compare` prints them (cmd_figures.c). */

#endif
