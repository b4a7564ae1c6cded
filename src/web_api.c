/* web_api.c — the JSON API. GET /api/v1/compare gives the rows of `kpi
 * compare` (same field names, numbers as JSON numbers, empty cells as null);
 * POST /api/v1/values stores one value after the same checks as the values
 * importer: 201 stored, 400 bad input with {"error": ...} and nothing stored,
 * 401 without a valid token, 403 when the token's user may not change it. */
#include "web.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "cycle.h"
#include "json.h"
#include "store_web.h"

/* Every column is text (json_row). */
static int web_api_no_number(int col)
{
    (void)col;
    return 0;
}

int web_api_compare(WebReq *r)
{
    const char *ptext = web_query(r, "period"), *area = web_query(r, "area"), *why;
    Period p;
    Dataset d;
    Buf canon = BUF_INIT, cells[COMPARE_NCOLS];
    Err err = ERR_INIT;
    int rows = 0;

    memset(cells, 0, sizeof cells);
    if (!ptext)
        return web_error(r, MHD_HTTP_BAD_REQUEST, "give ?period= (e.g. period=2011/12%20Q2)");
    if (period_parse(ptext, r->store->fy_start, &p, &why) < 0) {
        Buf m = BUF_INIT;
        buf_printf(&m, "bad period '%s': %s", ptext, why);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
        buf_release(&m);
        return 0;
    }
    if ((area ? dataset_load_areas(r->store, p, &area, 1, &d, &err) : dataset_load(r->store, p, &d, &err)) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        err_release(&err);
        return -1;
    }
    int only = -1;
    if (area && (only = dataset_area_index(&d, area)) < 0) {
        int64_t id;
        if (!d.partial_list)
            validate_unknown_area(&err, area, d.areas, d.nareas);
        else if (validate_area(r->store, area, &id, &err) == 0) /* lists every area */
            err_set(&err, "area '%s' cannot be read", area);
        web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
        err_release(&err);
        goto out;
    }
    period_format(&canon, p, r->store->fy_start);
    r->ctype = "application/json";
    const char *names[COMPARE_NCOLS];
    compare_column_names(names);
    buf_putc(&r->out, '[');
    for (int i = 0; i < d.ninds; i++) {
        for (int a = 0; a < d.nareas; a++) {
            if (only >= 0 ? a != only : !dataset_series(&d, i, a)->present)
                continue;
            CompareRow row;
            dataset_compare(&d, i, a, &row);
            compare_cells(d.inds[i].code, d.inds[i].title, &d.inds[i].def, d.areas[a], buf_cstr(&canon), &row,
                          cells);
            compare_row_release(&row);
            buf_puts(&r->out, rows++ ? ",\n " : "\n ");
            json_row(&r->out, names, cells, COMPARE_NCOLS, compare_is_number);
        }
    }
    buf_puts(&r->out, rows ? "\n]\n" : "]\n");
out:
    for (int c = 0; c < COMPARE_NCOLS; c++)
        buf_release(&cells[c]);
    buf_release(&canon);
    dataset_release(&d);
    return 0;
}

int web_api_exceptions(WebReq *r)
{
    static const char *const cols[] = {"indicator", "title", "area", "period", "cause", "action", "owner", "date"};
    enum { NCOLS = sizeof cols / sizeof cols[0] };
    const char *ptext = web_query(r, "period"), *why;
    Period p;
    Err err = ERR_INIT;
    CycleException *ex = NULL;
    int n = 0;
    Buf cells[NCOLS];
    if (!ptext)
        return web_error(r, MHD_HTTP_BAD_REQUEST, "give ?period= (e.g. period=2011/12%20Q2)");
    if (period_parse(ptext, r->store->fy_start, &p, &why) < 0) {
        Buf m = BUF_INIT;
        buf_printf(&m, "bad period '%s': %s", ptext, why);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
        buf_release(&m);
        return 0;
    }
    if (cycle_exceptions(r->store, p, &ex, &n, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        err_release(&err);
        cycle_exceptions_free(ex, n);
        return -1;
    }
    memset(cells, 0, sizeof cells);
    r->ctype = "application/json";
    buf_putc(&r->out, '[');
    for (int k = 0; k < n; k++) {
        const char *v[NCOLS] = {ex[k].code, ex[k].title, ex[k].area, NULL, ex[k].cause, ex[k].action, ex[k].owner,
                                ex[k].date};
        for (int c = 0; c < NCOLS; c++) {
            buf_reset(&cells[c]);
            if (c == 3)
                period_format(&cells[c], p, r->store->fy_start);
            else
                buf_puts(&cells[c], v[c]);
        }
        buf_puts(&r->out, k ? ",\n " : "\n ");
        json_row(&r->out, cols, cells, NCOLS, web_api_no_number);
    }
    buf_puts(&r->out, n ? "\n]\n" : "]\n");
    for (int c = 0; c < NCOLS; c++)
        buf_release(&cells[c]);
    cycle_exceptions_free(ex, n);
    return 0;
}

/* A member that must be a string (or absent/null). Returns -1 (400 written) when not. */
static int web_api_text(WebReq *r, const JsonObject *o, const char *key, const char **out)
{
    const JsonMember *m = json_get(o, key);
    *out = NULL;
    if (!m || m->type == JSON_NULL)
        return 0;
    if (m->type != JSON_STRING) {
        Buf msg = BUF_INIT;
        buf_printf(&msg, "\"%s\" must be a string", key);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&msg));
        buf_release(&msg);
        return -1;
    }
    *out = m->text[0] ? m->text : NULL;
    return 0;
}

/* A member that must be a number or a string holding one (or absent/null). */
static int web_api_number(WebReq *r, const JsonObject *o, const char *key, const char **out)
{
    const JsonMember *m = json_get(o, key);
    *out = NULL;
    if (!m || m->type == JSON_NULL)
        return 0;
    if (m->type != JSON_NUMBER && m->type != JSON_STRING) {
        Buf msg = BUF_INIT;
        buf_printf(&msg, "\"%s\" must be a number", key);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&msg));
        buf_release(&msg);
        return -1;
    }
    *out = m->text[0] ? m->text : NULL;
    return 0;
}

int web_api_values(WebReq *r)
{
    static const char *const known[] = {"indicator", "area", "period", "value", "numerator", "denominator", "note"};
    JsonObject o;
    Err err = ERR_INIT;
    Indicator *inds = NULL;
    int ninds = 0, rc = 0, parsed = 0;
    const char *code, *area, *ptext, *vt, *nt, *dt, *note, *field;
    WebValue v;
    Buf m = BUF_INIT;

    if (!r->via_token) {
        web_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
        web_error(r, MHD_HTTP_UNAUTHORIZED, "give an API token: Authorization: Bearer TOKEN");
        goto out;
    }
    if (memchr(r->body.data ? r->body.data : "", '\0', r->body.len)) {
        web_error(r, MHD_HTTP_BAD_REQUEST, "bad JSON: the body holds a NUL byte");
        goto out;
    }
    if (json_parse_object(buf_cstr(&r->body), r->body.len, &o, &err) < 0) {
        web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
        goto out;
    }
    parsed = 1;
    for (int i = 0; i < o.n; i++) {
        size_t k;
        for (k = 0; k < sizeof known / sizeof known[0]; k++)
            if (strcmp(o.v[i].key, known[k]) == 0)
                break;
        if (k == sizeof known / sizeof known[0]) {
            buf_printf(&m, "unknown field \"%s\" (expected indicator, area, period, value, numerator, denominator, "
                           "note)",
                       o.v[i].key);
            web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
            goto out;
        }
    }
    if (web_api_text(r, &o, "indicator", &code) < 0 || web_api_text(r, &o, "area", &area) < 0 ||
        web_api_text(r, &o, "period", &ptext) < 0 || web_api_number(r, &o, "value", &vt) < 0 ||
        web_api_number(r, &o, "numerator", &nt) < 0 || web_api_number(r, &o, "denominator", &dt) < 0 ||
        web_api_text(r, &o, "note", &note) < 0)
        goto out;
    if (!code) {
        web_error(r, MHD_HTTP_BAD_REQUEST, "missing \"indicator\"");
        goto out;
    }
    if (!ptext) {
        web_error(r, MHD_HTTP_BAD_REQUEST, "missing \"period\"");
        goto out;
    }
    if (store_indicators(r->store, &inds, &ninds, &err) < 0) {
        rc = -1;
        goto out;
    }
    const Indicator *ind = NULL;
    for (int i = 0; i < ninds; i++)
        if (strcmp(inds[i].code, code) == 0)
            ind = &inds[i];
    if (!ind) {
        buf_printf(&m, "unknown indicator '%s'", code);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
        goto out;
    }
    if (!web_auth_may_edit_partner(r, ind->partner)) {
        buf_printf(&m, "user %s may not change indicator '%s' (%s)", r->user.name, code,
                   ind->partner ? ind->partner : "no partner");
        web_error(r, MHD_HTTP_FORBIDDEN, buf_cstr(&m));
        goto out;
    }
    if (!area)
        area = r->store->home_area;
    int64_t area_id = 0;
    int area_known = validate_area(r->store, area, &area_id, &err);
    if (area_known < 0) {
        rc = -1;
        goto out;
    }
    if (area_known > 0) {
        web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
        goto out;
    }
    if (note && strlen(note) > WEB_BODY_MAX / 4) {
        web_error(r, MHD_HTTP_BAD_REQUEST, "the note is too long");
        goto out;
    }
    if (web_entry_value_check(r->store, ind, ptext, vt, nt, dt, &v, &field, &err) < 0) {
        web_error(r, MHD_HTTP_BAD_REQUEST, err_msg(&err));
        goto out;
    }
    if (store_lock_check(r->store, v.period, &err) < 0) { /* a published period (cycle.h) */
        web_error(r, MHD_HTTP_CONFLICT, err_msg(&err));
        goto out;
    }
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0 ||
        store_value_put(r->store, ind->id, area_id, v.period, &v.value, v.ratio ? &v.num : NULL,
                        v.ratio ? &v.den : NULL, note, &err) < 0 ||
        store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        r->store->user = "web";
        rc = -1;
        goto out;
    }
    r->store->user = "web";
    web_changed(r);
    Buf canon = BUF_INIT;
    period_format(&canon, v.period, r->store->fy_start);
    r->status = MHD_HTTP_CREATED;
    r->ctype = "application/json";
    buf_puts(&r->out, "{\"indicator\": ");
    json_string(&r->out, ind->code);
    buf_puts(&r->out, ", \"area\": ");
    json_string(&r->out, area);
    buf_puts(&r->out, ", \"period\": ");
    json_string(&r->out, buf_cstr(&canon));
    buf_puts(&r->out, ", \"value\": ");
    fq_format_micro(&r->out, v.value);
    buf_puts(&r->out, "}\n");
    buf_release(&canon);
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    if (parsed)
        json_object_release(&o);
    store_indicators_free(inds, ninds);
    buf_release(&m);
    err_release(&err);
    return rc;
}
