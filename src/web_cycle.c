/* web_cycle.c — the quarterly cycle on the web (docs/web.md): GET /rounds (each
 * round with every partner's return, and the forms a user may use: an
 * editor submits their partner's return, an officer or admin approves or
 * returns one with a reason; an officer or admin opens a round and publishes
 * a period whose returns are all approved), POST /rounds (those actions, by
 * the same rules as `kpi submit|approve|return`: cycle_return_act, `kpi round
 * open`: cycle_round_open, and `kpi publish`: web_cycle_render, which the
 * command calls too), GET /papers (the
 * published papers with each file's size and SHA-256) and GET /papers/ID.FORMAT
 * (a stored file, byte for byte as published; /papers/1.pdf). */
#include "web.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"
#include "dataset.h"
#include "render.h"
#include "store_web.h"
#include "template.h"

#define WEB_CYCLE_MAX_REASON 2000
#define WEB_CYCLE_TEMPLATE_MAX (4 * 1024 * 1024) /* bytes of a template, as /report */


/* ---- rendering a paper (kpi publish and POST /rounds action=publish) ---- */

typedef struct Revised {
    const Dataset *d;
    ReportCtx *ctx;
    char **titles; /* owned, per indicator; NULL when not revised */
    int64_t paper;
    int n;
} Revised;

static int cycle_mark_revised(void *arg, int64_t indicator_id)
{
    Revised *rv = arg;
    for (int i = 0; i < rv->d->ninds; i++) {
        if (rv->d->inds[i].id != indicator_id || rv->titles[i])
            continue;
        ReportIndicator *ri = &rv->ctx->inds[i];
        Buf t = BUF_INIT;
        buf_printf(&t, "%s (revised)", ri->title);
        rv->titles[i] = buf_detach(&t);
        ri->title = rv->titles[i];
        if (ri->row.note.len)
            buf_puts(&ri->row.note, "; ");
        buf_printf(&ri->row.note, "revised since paper %lld", (long long)rv->paper);
        rv->n++;
    }
    return 0;
}

int web_cycle_render(Store *s, Period p, const char *tpl, size_t len, const char *tpl_name, int nformats,
                     const char *const *formats, Buf *outs, int *nrevised, Err *err)
{
    Dataset d;
    ReportCtx ctx;
    Project *projects = NULL;
    int nprojects = 0, rc = -1, have_ctx = 0;
    Doc *doc = NULL;
    Revised rv = {0};
    char created[32];
    if (dataset_load(s, p, &d, err) < 0)
        return -1;
    int a = dataset_area_index(&d, s->home_area);
    if (a < 0) {
        err_set(err, "the home area '%s' has no figures", s->home_area);
        goto out;
    }
    if (dataset_report(s, &d, a, &ctx, &projects, &nprojects, err) < 0)
        goto out;
    have_ctx = 1;
    rv.d = &d;
    rv.ctx = &ctx;
    rv.titles = xcalloc((size_t)d.ninds + 1, sizeof *rv.titles);
    if (cycle_paper_latest(s, &rv.paper, created, err) < 0)
        goto out;
    if (rv.paper && cycle_revised_each(s, rv.paper, d.area_ids[a], cycle_mark_revised, &rv, err) < 0)
        goto out;
    *nrevised = rv.n;
    if (template_build(tpl, len, tpl_name, &ctx, &doc, err) < 0)
        goto out;
    for (int k = 0; k < nformats; k++) {
        RenderOpts ro = {NULL, &ctx};
        if (render_doc_opts(doc, formats[k], &ro, &outs[k], err) < 0)
            goto out;
    }
    rc = 0;
out:
    if (doc)
        doc_free(doc);
    if (have_ctx) {
        for (int i = 0; i < d.ninds; i++) {
            if (rv.titles && rv.titles[i])
                ctx.inds[i].title = d.inds[i].title;
        }
        dataset_report_release(&ctx, projects, nprojects);
    }
    if (rv.titles) {
        for (int i = 0; i < d.ninds; i++)
            free(rv.titles[i]);
        free(rv.titles);
    }
    dataset_release(&d);
    return rc;
}

/* A stored day ("2011-10-20") in words into out ("20 October 2011"); as it is when it is not one. */
static void web_cycle_day(Buf *out, const char *ymd)
{
    int y, m, d;
    buf_reset(out);
    if (sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        present_date(out, y, m, d);
    else
        buf_puts(out, ymd);
}

static int web_cycle_is_officer(const WebReq *r)
{
    return r->signed_in && (r->user.role == ROLE_OFFICER || r->user.role == ROLE_ADMIN);
}

static void web_cycle_fail(WebReq *r, Err *err)
{
    fprintf(stderr, "kpi serve: %s\n", err_msg(err));
    web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be read.");
}

/* The form for exception commentary on the indicators this user may edit. */
static void web_cycle_exception_form(WebReq *r, const CycleRound *rd, const char *ptext, int i)
{
    Indicator *inds = NULL;
    int n = 0, shown = 0;
    Err err = ERR_INIT;
    Buf *b = &r->out;
    if (store_indicators(r->store, &inds, &n, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        err_release(&err);
        store_indicators_free(inds, n);
        return;
    }
    (void)rd;
    for (int k = 0; k < n; k++) {
        if (inds[k].formula || !inds[k].partner || !web_auth_may_edit_partner(r, inds[k].partner))
            continue;
        if (!shown) {
            web_html(b, "<details class=\"govuk-details\"><summary class=\"govuk-details__summary\">"
                        "<span class=\"govuk-details__summary-text\">Exception commentary for %s</span></summary>"
                        "<div class=\"govuk-details__text\"><p class=\"govuk-body\">A red figure needs its cause, "
                        "the action taken, its owner and a date before the return can be submitted.</p>"
                        "<form method=\"post\" action=\"/rounds\">",
                     ptext);
            web_html_csrf(r);
            web_html(b, "<input type=\"hidden\" name=\"period\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"action\" value=\"exception\">"
                        "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"ex-ind-%d\">Indicator"
                        "</label><select class=\"govuk-select\" id=\"ex-ind-%d\" name=\"indicator\">",
                     ptext, i, i);
            shown = 1;
        }
        web_html(b, "<option value=\"%s\">%s</option>", inds[k].code, inds[k].title);
    }
    if (shown) {
        static const char *const fields[][2] = {
            {"cause", "Cause"}, {"action_taken", "Action"}, {"owner", "Owner"}, {"date", "Action due by (YYYY-MM-DD)"}};
        web_html(b, "</select></div>");
        for (int f = 0; f < 4; f++)
            web_html(b, "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"ex-%s-%d\">%s</label>"
                        "<input class=\"govuk-input%s\" id=\"ex-%s-%d\" name=\"%s\" type=\"text\" "
                        "maxlength=\"2000\"></div>",
                     fields[f][0], i, fields[f][1], f == 3 ? " govuk-input--width-10" : "", fields[f][0], i,
                     fields[f][0]);
        web_html(b, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\">Save the exception"
                    "</button></form></div></details>\n");
    }
    store_indicators_free(inds, n);
}

/* The officer's and admin's form to open a round: a period picker, the due
 * date, optional open date and reminder offsets; e's errors beside the
 * fields, the values sent kept. */
static void web_cycle_open_form(WebReq *r, const WebErrors *e)
{
    Buf *b = &r->out;
    Period cur;
    int found = 0;
    Err err = ERR_INIT;
    const char *ptext = e ? web_field(r, "period") : NULL, *why;
    if (!ptext || period_parse(ptext, r->store->fy_start, &cur, &why) < 0) {
        /* the quarter after the latest round, else the quarter of the latest figure, else today's */
        CycleRound *rds = NULL;
        int nr = 0, month = 0;
        if (cycle_rounds(r->store, &rds, &nr, &err) == 0) {
            for (int k = 0; k < nr; k++) {
                if (period_last(rds[k].period) + 1 > month)
                    month = period_last(rds[k].period) + 1;
            }
        }
        cycle_rounds_free(rds, nr);
        err_release(&err); /* a page still shows: the picker starts elsewhere */
        if (!month && (store_web_latest_month(r->store, &month, &found, &err) < 0 || !found)) {
            char today[11];
            cycle_date_format(cycle_today(), today);
            month = atoi(today) * 12 + atoi(today + 5) - 1;
        }
        cur.first = month;
        int fs = r->store->fy_start, y0 = period_fy_first(period_fy(cur.first, fs), fs);
        cur.kind = PERIOD_QUARTER;
        cur.first = y0 + (cur.first - y0) / 3 * 3;
        err_release(&err);
    }
    web_html(b, "<h2 class=\"govuk-heading-m\">Open a round</h2>\n<form method=\"post\" action=\"/rounds\" "
                "novalidate>\n");
    web_html_csrf(r);
    web_html(b, "<input type=\"hidden\" name=\"action\" value=\"open\">\n");
    web_html_period_select_msg(r, b, cur, 0, 1, e ? web_errors_for(e, "period") : NULL);
    static const char *const f[][4] = {
        {"due", "Due date", "The day the figures are due, like 2011-10-20", "govuk-input--width-10"},
        {"opens", "Opens (optional)", "Like 2011-10-01; today when left blank", "govuk-input--width-10"},
        {"remind", "Reminders (optional)", "Days from the due date, like " CYCLE_DEFAULT_REMIND " (the default)",
         "govuk-input--width-10"},
    };
    for (int k = 0; k < 3; k++) {
        const char *msg = e ? web_errors_for(e, f[k][0]) : NULL, *v = e ? web_field(r, f[k][0]) : NULL;
        web_html(b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label govuk-label--s\" for=\"%s\">%s"
                    "</label><p class=\"govuk-hint\" id=\"%s-hint\">%s</p>",
                 msg ? " govuk-form-group--error" : "", f[k][0], f[k][1], f[k][0], f[k][2]);
        if (msg)
            web_html(b, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                        "Error:</span> %s</p>",
                     f[k][0], msg);
        web_html(b, "<input class=\"govuk-input %s%s\" id=\"%s\" name=\"%s\" type=\"text\" maxlength=\"80\" "
                    "value=\"%s\" aria-describedby=\"%s-hint%s%s%s\"></div>\n",
                 f[k][3], msg ? " govuk-input--error" : "", f[k][0], f[k][0], v ? v : "", f[k][0],
                 msg ? " " : "", msg ? f[k][0] : "", msg ? "-error" : "");
    }
    /* which figures need exception commentary before a return is submitted */
    const char *ex = e ? web_field(r, "exceptions") : NULL;
    int amber = ex && strcmp(ex, "amber") == 0;
    web_html(b, "<div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend "
                "govuk-fieldset__legend--s\">Figures that need exception commentary</legend>\n<div class=\"govuk-radios\">"
                "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"exceptions-red\" "
                "name=\"exceptions\" type=\"radio\" value=\"red\"%s><label class=\"govuk-label govuk-radios__label\" "
                "for=\"exceptions-red\">Red figures</label></div>\n<div class=\"govuk-radios__item\"><input "
                "class=\"govuk-radios__input\" id=\"exceptions-amber\" name=\"exceptions\" type=\"radio\" value=\"amber\"%s>"
                "<label class=\"govuk-label govuk-radios__label\" for=\"exceptions-amber\">Amber and red figures</label>"
                "</div></div></fieldset></div>\n",
             amber ? "" : " checked", amber ? " checked" : "");
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Open the round</button>\n</form>\n");
}

/* The rounds page, with errors (e) from a refused action and its status. */
static int web_cycle_rounds_page(WebReq *r, const WebErrors *e, const char *done)
{
    Err err = ERR_INIT;
    CycleRound *rounds = NULL;
    int n = 0, np = 0;
    char **names = NULL;
    int64_t *ids = NULL;
    Buf pt = BUF_INIT;
    if (cycle_rounds(r->store, &rounds, &n, &err) < 0 || cycle_partners_due(r->store, &names, &ids, &np, &err) < 0) {
        web_cycle_fail(r, &err);
        goto out;
    }
    web_html_begin(r, e && e->n ? "Error: Rounds" : "Rounds", "rounds");
    Buf *b = &r->out;
    if (e && e->n)
        web_errors_summary(b, e);
    if (done)
        web_html(b, "<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\">"
                    "<div class=\"govuk-notification-banner__content\"><p class=\"govuk-body\">%s</p></div></div>\n",
                 done);
    web_html(b, "<h1 class=\"govuk-heading-l\">Collection rounds</h1>\n"
                "<p class=\"govuk-body\">Each partner that owns an indicator submits its return; an officer "
                "approves it or returns it with a reason. When every return is approved the period can be "
                "published (<a class=\"govuk-link\" href=\"/papers\">published papers</a>).</p>\n");
    if (web_cycle_is_officer(r))
        web_cycle_open_form(r, e);
    if (n == 0)
        web_html(b, "<p class=\"govuk-body\">No round has been opened yet.</p>\n");
    for (int i = 0; i < n; i++) {
        const CycleRound *rd = &rounds[i];
        buf_reset(&pt);
        period_format(&pt, rd->period, r->store->fy_start);
        Buf od = BUF_INIT, dd = BUF_INIT;
        web_cycle_day(&od, rd->opens);
        web_cycle_day(&dd, rd->due);
        web_html(b, "<h2 class=\"govuk-heading-m\">%s</h2>\n<p class=\"govuk-body\">Opens %s, due %s. %s</p>\n",
                 buf_cstr(&pt), buf_cstr(&od), buf_cstr(&dd),
                 rd->paper_id ? "Published: the period is locked." : strcmp(rd->state, "open") == 0
                                                                         ? "Open for submissions."
                                                                         : "Closed.");
        buf_release(&od);
        buf_release(&dd);
        web_html(b, "<div class=\"app-table-wrap\"><table class=\"govuk-table app-table--stack\"><caption "
                    "class=\"govuk-table__caption govuk-visually-hidden\">Returns for %s</caption><thead><tr>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Partner</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Return</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Action</th></tr></thead><tbody>\n",
                 buf_cstr(&pt));
        for (int k = 0; k < np; k++) {
            char *state = NULL, *reason = NULL;
            if (cycle_return_get(r->store, rd->id, ids[k], &state, &reason, &err) < 0) {
                free(state);
                buf_reset(&r->out);
                web_cycle_fail(r, &err);
                goto out;
            }
            const char *shown = strcmp(state, "none") == 0 ? "Not submitted" : state;
            web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\">%s</th><td class=\"govuk-table__cell\" "
                        "data-label=\"Return\">%s",
                     names[k], shown);
            if (reason)
                web_html(b, ": %s", reason);
            web_html(b, "</td><td class=\"govuk-table__cell\">");
            int may_submit = !rd->paper_id && strcmp(rd->state, "open") == 0 &&
                             (strcmp(state, "none") == 0 || strcmp(state, "returned") == 0) &&
                             web_auth_may_edit_partner(r, names[k]);
            int may_decide = !rd->paper_id && web_cycle_is_officer(r) &&
                             (strcmp(state, "submitted") == 0 || strcmp(state, "approved") == 0);
            const char *actions[2] = {NULL, NULL};
            if (may_submit)
                actions[0] = "submit";
            if (may_decide && strcmp(state, "submitted") == 0)
                actions[0] = "approve";
            if (may_decide)
                actions[1] = "return";
            for (int a = 0; a < 2; a++) {
                if (!actions[a])
                    continue;
                web_html(b, "<form method=\"post\" action=\"/rounds\" class=\"app-inline-form\">");
                web_html_csrf(r);
                web_html(b, "<input type=\"hidden\" name=\"period\" value=\"%s\">"
                            "<input type=\"hidden\" name=\"partner\" value=\"%s\">"
                            "<input type=\"hidden\" name=\"action\" value=\"%s\">",
                         buf_cstr(&pt), names[k], actions[a]);
                if (strcmp(actions[a], "return") == 0)
                    web_html(b, "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"reason-%d-%d\">"
                                "Reason for returning %s's return</label><input class=\"govuk-input\" "
                                "id=\"reason-%d-%d\" name=\"reason\" type=\"text\" maxlength=\"2000\"></div>",
                             i, k, names[k], i, k);
                web_html(b, "<button type=\"submit\" class=\"govuk-button%s\">%s %s's return</button></form>",
                         strcmp(actions[a], "return") == 0 ? " govuk-button--warning" : "",
                         strcmp(actions[a], "submit") == 0    ? "Submit"
                         : strcmp(actions[a], "approve") == 0 ? "Approve"
                                                              : "Return",
                         names[k]);
            }
            web_html(b, "</td></tr>\n");
            free(state);
            free(reason);
        }
        web_html(b, "</tbody></table></div>\n");
        if (!rd->paper_id && web_cycle_is_officer(r)) {
            Buf who = BUF_INIT;
            int ok = 0;
            if (cycle_all_approved(r->store, rd->id, &who, &ok, &err) < 0) {
                buf_release(&who);
                buf_reset(&r->out);
                web_cycle_fail(r, &err);
                goto out;
            }
            if (ok) {
                web_html(b, "<form method=\"post\" action=\"/rounds\">");
                web_html_csrf(r);
                web_html(b, "<input type=\"hidden\" name=\"period\" value=\"%s\">"
                            "<input type=\"hidden\" name=\"action\" value=\"publish\">"
                            "<p class=\"govuk-body\">Every return is approved. Publishing locks %s and stores its "
                            "paper in every format.</p><div class=\"govuk-form-group\"><label class=\"govuk-label\" "
                            "for=\"template-%d\">Template of the paper</label><select class=\"govuk-select\" "
                            "id=\"template-%d\" name=\"template\">",
                         buf_cstr(&pt), buf_cstr(&pt), i, i);
                char **tn = NULL;
                int ntn = 0;
                web_pages_template_names(r, &tn, &ntn);
                for (int t = 0; t < ntn; t++)
                    web_html(b, "<option value=\"%s\">%s</option>", tn[t], tn[t]);
                store_web_names_free(tn, ntn);
                web_html(b, "</select></div><button type=\"submit\" class=\"govuk-button\">Publish %s</button>"
                            "</form>\n",
                         buf_cstr(&pt));
            } else {
                web_html(b, "<p class=\"govuk-body\">%s can be published when every return is approved; not yet: "
                            "%s.</p>\n",
                         buf_cstr(&pt), buf_cstr(&who));
            }
            buf_release(&who);
        }
        if (!rd->paper_id && r->signed_in && r->user.role != ROLE_VIEWER)
            web_cycle_exception_form(r, rd, buf_cstr(&pt), i);
    }
    web_html_end(r);
out:
    cycle_rounds_free(rounds, n);
    cycle_names_free(names, ids, np);
    buf_release(&pt);
    err_release(&err);
    return 0;
}

int web_cycle_rounds(WebReq *r)
{
    return web_cycle_rounds_page(r, NULL, NULL);
}

/* POST /rounds action=exception: commentary for one of the user's
 * partner's indicators in the home area (an officer's or admin's: any). */
static void web_cycle_exception_save(WebReq *r)
{
    WebErrors errs = {0};
    Err err = ERR_INIT;
    Period p;
    Indicator *inds = NULL;
    int n = 0, day, status = MHD_HTTP_BAD_REQUEST;
    const char *why, *ptext = web_field(r, "period"), *code = web_field(r, "indicator");
    const char *v[4] = {web_field(r, "cause"), web_field(r, "action_taken"), web_field(r, "owner"), web_field(r, "date")};
    static const char *const names[] = {"the cause", "the action taken", "its owner"};
    int64_t area_id = 0;
    const Indicator *ind = NULL;
    if (store_indicators(r->store, &inds, &n, &err) < 0 || store_area_id(r->store, r->store->home_area, 0, &area_id, &err) < 0) {
        web_cycle_fail(r, &err);
        goto out;
    }
    for (int k = 0; k < n; k++) {
        if (code && strcmp(inds[k].code, code) == 0)
            ind = &inds[k];
    }
    if (!ptext || period_parse(ptext, r->store->fy_start, &p, &why) < 0)
        web_errors_add(&errs, NULL, "Choose a round's period");
    else if (!ind || ind->formula)
        web_errors_add(&errs, NULL, "Choose one of your partner's indicators");
    else if (!web_auth_may_edit_partner(r, ind->partner)) {
        web_errors_add(&errs, NULL, "Your account may write exceptions only for its own partner's indicators");
        status = MHD_HTTP_FORBIDDEN;
    }
    for (int k = 0; k < 3 && !errs.n; k++) {
        if (!v[k] || !*v[k] || strspn(v[k], " \t") == strlen(v[k]) || strlen(v[k]) > WEB_CYCLE_MAX_REASON)
            web_errors_add(&errs, NULL, "Give %s (at most %d characters)", names[k], WEB_CYCLE_MAX_REASON);
    }
    if (!errs.n && (!v[3] || cycle_date_parse(v[3], &day) < 0))
        web_errors_add(&errs, NULL, "Give the date the action is due by, like 2011-11-30");
    if (errs.n)
        goto refused;
    r->store->user = r->user.name;
    Buf d = BUF_INIT;
    period_format(&d, p, r->store->fy_start);
    buf_printf(&d, ", %s in %s: %s; %s; %s by %s", ind->code, r->store->home_area, v[0], v[1], v[2], v[3]);
    if (store_begin(r->store, &err) < 0 ||
        cycle_exception_put(r->store, ind->id, area_id, p, v[0], v[1], v[2], v[3], &err) < 0 ||
        cycle_audit(r->store, "exception", buf_cstr(&d), &err) < 0 || store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        r->store->user = "web";
        buf_release(&d);
        web_errors_add(&errs, NULL, "%s", err_msg(&err));
        status = MHD_HTTP_CONFLICT;
        goto refused;
    }
    buf_release(&d);
    r->store->user = "web";
    web_changed(r);
    Buf done = BUF_INIT;
    buf_printf(&done, "The exception for %s in %s is saved.", ind->title, ptext);
    web_cycle_rounds_page(r, NULL, buf_cstr(&done));
    buf_release(&done);
    goto out;
refused:
    web_cycle_rounds_page(r, &errs, NULL);
    r->status = status;
out:
    store_indicators_free(inds, n);
    web_errors_release(&errs);
    err_release(&err);
}

/* POST /rounds action=open: open a round, by the rules of `kpi round open`
 * (an officer or admin). */
static void web_cycle_open(WebReq *r)
{
    WebErrors errs = {0};
    Err err = ERR_INIT;
    Period p;
    int due = 0, opens = 0, offs[CYCLE_MAX_OFFSETS], noffs = 0, status = MHD_HTTP_BAD_REQUEST;
    char opens_text[11], remind[CYCLE_MAX_OFFSETS * 6];
    const char *why, *ptext = web_field(r, "period"), *due_t = web_field(r, "due"), *opens_t = web_field(r, "opens");
    const char *rt = web_field(r, "remind"), *ex = web_field(r, "exceptions");
    if (!ex || !*ex)
        ex = CYCLE_DEFAULT_EXCEPTIONS;

    Buf pt = BUF_INIT, done = BUF_INIT;
    if (!web_cycle_is_officer(r)) {
        web_errors_add(&errs, NULL, "Only an officer or an admin may open a round");
        status = MHD_HTTP_FORBIDDEN;
        goto refused;
    }
    if (!ptext || period_parse(ptext, r->store->fy_start, &p, &why) < 0)
        web_errors_add(&errs, "period", "Choose the period of the round");
    if (!due_t || !*due_t)
        web_errors_add(&errs, "due", "Enter the due date, like 2011-10-20");
    else if (cycle_date_parse(due_t, &due) < 0)
        web_errors_add(&errs, "due", "The due date must be a real date, like 2011-10-20");
    if (opens_t && *opens_t && cycle_date_parse(opens_t, &opens) < 0)
        web_errors_add(&errs, "opens", "The date it opens must be a real date, like 2011-10-01, or left blank");
    if (!opens_t || !*opens_t)
        opens = cycle_today() < due ? cycle_today() : due;
    if (!errs.n && opens > due)
        web_errors_add(&errs, "opens", "The round must open on or before its due date");
    if (!rt || !*rt)
        rt = CYCLE_DEFAULT_REMIND;
    if (!cycle_exceptions_valid(ex))
        web_errors_add(&errs, "exceptions", "Choose which figures need exception commentary: red, or amber and red");
    if (cycle_offsets_parse(rt, offs, &noffs, &why) < 0)
        web_errors_add(&errs, "remind", "Reminders must be days from the due date, like -7,0,3: %s", why);
    if (errs.n)
        goto refused;
    cycle_date_format(opens, opens_text);
    remind[0] = '\0';
    for (int k = 0; k < noffs; k++)
        snprintf(remind + strlen(remind), sizeof remind - strlen(remind), "%s%d", k ? "," : "", offs[k]);
    period_format(&pt, p, r->store->fy_start);
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0 || cycle_round_open(r->store, p, opens_text, due_t, remind, ex, &err) < 0 ||
        store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        r->store->user = "web";
        if (db_busy(r->store->db)) {
            web_cycle_fail(r, &err);
            goto out;
        }
        const char *m = err_msg(&err), *hint = strstr(m, " (`kpi"); /* the CLI's hint is no use here */
        web_errors_add(&errs, "period", "The round for %s cannot be opened: %.*s", buf_cstr(&pt),
                       (int)(hint ? (size_t)(hint - m) : strlen(m)), m);
        status = MHD_HTTP_CONFLICT;
        goto refused;
    }
    r->store->user = "web";
    web_changed(r);
    Buf dd = BUF_INIT;
    web_cycle_day(&dd, due_t);
    buf_printf(&done, "The round for %s is open: due %s.", buf_cstr(&pt), buf_cstr(&dd));
    buf_release(&dd);
    web_cycle_rounds_page(r, NULL, buf_cstr(&done));
    goto out;
refused:
    web_cycle_rounds_page(r, &errs, NULL);
    r->status = status;
out:
    web_errors_release(&errs);
    err_release(&err);
    buf_release(&pt);
    buf_release(&done);
}

/* POST /rounds action=publish: publish a period whose returns are all
 * approved, by the rules of `kpi publish`, from the template chosen among
 * those /report offers (an officer or admin). */
static void web_cycle_publish(WebReq *r)
{
    const char *formats[RENDER_NFORMATS]; /* a published paper's files, as `kpi publish` writes them */
    const int nf = render_formats(RENDER_PUBLISH, formats);
    WebErrors errs = {0};
    Err err = ERR_INIT;
    Period p;
    Buf outs[RENDER_NFORMATS], pt = BUF_INIT, who = BUF_INIT, done = BUF_INIT;
    int status = MHD_HTTP_BAD_REQUEST, nrevised = 0, found = 0, ok = 0, began = 0;
    int64_t paper = 0, locked_by = 0;
    const char *why, *ptext = web_field(r, "period");
    const char *tname = web_field(r, "template");
    Buf tpl = BUF_INIT, tpath = BUF_INIT;
    for (int k = 0; k < RENDER_NFORMATS; k++)
        buf_init(&outs[k]);
    if (!tname || !*tname)
        tname = "chorley-2011-q2";
    if (!web_cycle_is_officer(r)) {
        web_errors_add(&errs, NULL, "Only an officer or an admin may publish a period");
        status = MHD_HTTP_FORBIDDEN;
        goto refused;
    }
    if (!ptext || period_parse(ptext, r->store->fy_start, &p, &why) < 0) {
        web_errors_add(&errs, NULL, "Choose a round's period to publish");
        goto refused;
    }
    if (web_pages_template(r, tname, &tpl, &tpath) != 1 || tpl.len > WEB_CYCLE_TEMPLATE_MAX) {
        web_errors_add(&errs, NULL, "Choose one of the templates offered");
        goto refused;
    }
    period_format(&pt, p, r->store->fy_start);
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0)
        goto failed;
    began = 1;
    if (cycle_locked(r->store, p, &locked_by, NULL, &err) < 0)
        goto failed;
    if (locked_by) {
        web_errors_add(&errs, NULL, "%s is already published (paper %lld)", buf_cstr(&pt), (long long)locked_by);
        status = MHD_HTTP_CONFLICT;
        goto refused;
    }
    CycleRound rd;
    if (cycle_round_find(r->store, p, &rd, &found, &err) < 0)
        goto failed;
    if (found) {
        int arc = cycle_all_approved(r->store, rd.id, &who, &ok, &err);
        cycle_round_free(&rd);
        if (arc < 0)
            goto failed;
    }
    if (!found || !ok) {
        if (!found)
            web_errors_add(&errs, NULL, "There is no round for %s: open one, and approve every return, first",
                           buf_cstr(&pt));
        else
            web_errors_add(&errs, NULL, "%s cannot be published until every return is approved; not yet: %s",
                           buf_cstr(&pt), buf_cstr(&who));
        status = MHD_HTTP_CONFLICT;
        goto refused;
    }
    if (web_cycle_render(r->store, p, buf_cstr(&tpl), tpl.len, buf_cstr(&tpath), nf, formats, outs, &nrevised,
                         &err) < 0 ||
        cycle_publish_rendered(r->store, p, buf_cstr(&tpath), nf, formats, outs, &paper, &err) < 0 ||
        store_commit(r->store, &err) < 0)
        goto failed;
    began = 0;
    r->store->user = "web";
    web_changed(r);
    buf_printf(&done, "%s is published as paper %lld and locked; %d %s marked revised.", buf_cstr(&pt),
               (long long)paper, nrevised, nrevised == 1 ? "figure is" : "figures are");
    web_cycle_rounds_page(r, NULL, buf_cstr(&done));
    goto out;
failed:
    if (began)
        store_rollback(r->store);
    began = 0;
    r->store->user = "web";
    if (db_busy(r->store->db)) {
        web_cycle_fail(r, &err);
        goto out;
    }
    web_errors_add(&errs, NULL, "%s cannot be published: %s", buf_cstr(&pt), err_msg(&err));
    status = MHD_HTTP_CONFLICT;
refused:
    if (began)
        store_rollback(r->store);
    r->store->user = "web";
    web_cycle_rounds_page(r, &errs, NULL);
    r->status = status;
out:
    for (int k = 0; k < RENDER_NFORMATS; k++)
        buf_release(&outs[k]);
    buf_release(&tpl);
    buf_release(&tpath);
    web_errors_release(&errs);
    err_release(&err);
    buf_release(&pt);
    buf_release(&who);
    buf_release(&done);
}

int web_cycle_rounds_act(WebReq *r)
{
    WebErrors errs = {0};
    Err err = ERR_INIT;
    Period p;
    const char *why, *to = NULL;
    const char *ptext = web_field(r, "period"), *partner = web_field(r, "partner");
    const char *action = web_field(r, "action"), *reason = web_field(r, "reason");
    Buf done = BUF_INIT;
    int status = MHD_HTTP_BAD_REQUEST;
    if (action && strcmp(action, "exception") == 0) {
        web_cycle_exception_save(r);
        goto out;
    }
    if (action && strcmp(action, "open") == 0) {
        web_cycle_open(r);
        goto out;
    }
    if (action && strcmp(action, "publish") == 0) {
        web_cycle_publish(r);
        goto out;
    }
    if (!action || (strcmp(action, "submit") != 0 && strcmp(action, "approve") != 0 && strcmp(action, "return") != 0))
        web_errors_add(&errs, NULL, "Choose to submit, approve or return a return");
    else if (!ptext || period_parse(ptext, r->store->fy_start, &p, &why) < 0)
        web_errors_add(&errs, NULL, "Choose a round's period");
    else if (!partner || !*partner)
        web_errors_add(&errs, NULL, "Choose a partner");
    else if (strcmp(action, "submit") == 0 && !web_auth_may_edit_partner(r, partner)) {
        web_errors_add(&errs, NULL, "Your account may submit only its own partner's return");
        status = MHD_HTTP_FORBIDDEN;
    } else if (strcmp(action, "submit") != 0 && !web_cycle_is_officer(r)) {
        web_errors_add(&errs, NULL, "Only an officer or an admin may approve or return a return");
        status = MHD_HTTP_FORBIDDEN;
    } else if (strcmp(action, "return") == 0 &&
               (!reason || !*reason || strspn(reason, " \t") == strlen(reason) || strlen(reason) > WEB_CYCLE_MAX_REASON))
        web_errors_add(&errs, NULL, "Give the reason for returning it (at most %d characters)", WEB_CYCLE_MAX_REASON);
    if (errs.n)
        goto refused;
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0) {
        r->store->user = "web";
        web_cycle_fail(r, &err);
        goto out;
    }
    if (cycle_return_act(r->store, p, partner, action, reason, dataset_red_unexplained, &to, &err) < 0 ||
        store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        r->store->user = "web";
        if (db_busy(r->store->db)) {
            web_cycle_fail(r, &err);
            goto out;
        }
        web_errors_add(&errs, NULL, "%s", err_msg(&err));
        status = MHD_HTTP_CONFLICT;
        goto refused;
    }
    r->store->user = "web";
    web_changed(r);
    buf_printf(&done, "%s's return for %s is %s.", partner, ptext, to);
    web_cycle_rounds_page(r, NULL, buf_cstr(&done));
    goto out;
refused:
    web_cycle_rounds_page(r, &errs, NULL);
    r->status = status;
out:
    web_errors_release(&errs);
    err_release(&err);
    buf_release(&done);
    return 0;
}

int web_cycle_papers(WebReq *r)
{
    Err err = ERR_INIT;
    CyclePaperFile *f = NULL;
    int n = 0;
    Buf pt = BUF_INIT;
    if (cycle_paper_files(r->store, &f, &n, &err) < 0) {
        web_cycle_fail(r, &err);
        goto out;
    }
    web_html_begin(r, "Published papers", "papers");
    Buf *b = &r->out;
    web_html(b, "<h1 class=\"govuk-heading-l\">Published papers</h1>\n<p class=\"govuk-body\">Each paper as it "
                "was published, byte for byte, whatever changed since. The SHA-256 of each file lets anyone check "
                "a copy.</p>\n");
    if (n == 0)
        web_html(b, "<p class=\"govuk-body\">Nothing has been published yet.</p>\n");
    else
        web_html(b, "<div class=\"app-table-wrap\"><table class=\"govuk-table app-table--stack\"><caption "
                    "class=\"govuk-table__caption govuk-visually-hidden\">Published papers and their files</caption><thead><tr>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Paper</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Period</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">Published</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">File</th>"
                    "<th scope=\"col\" class=\"govuk-table__header\">SHA-256</th></tr></thead><tbody>\n");
    for (int i = 0; i < n; i++) {
        buf_reset(&pt);
        period_format(&pt, f[i].period, r->store->fy_start);
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)f[i].paper_id);
        web_html(b, "<tr><td class=\"govuk-table__cell\" data-label=\"Paper\">%s</td><td class=\"govuk-table__cell\" "
                    "data-label=\"Period\">%s, %s</td><td class=\"govuk-table__cell\" data-label=\"Published\">%s by %s"
                    "</td><td class=\"govuk-table__cell\" data-label=\"File\"><a class=\"govuk-link\" "
                    "href=\"/papers/%u.%u\">%s</a> (%l bytes)</td><td class=\"govuk-table__cell\" "
                    "data-label=\"SHA-256\"><code class=\"app-hash\">%s</code></td></tr>\n",
                 id, buf_cstr(&pt), f[i].area, f[i].created_at, f[i].created_by, id, f[i].format, f[i].format,
                 f[i].size, f[i].sha256);
    }
    if (n)
        web_html(b, "</tbody></table></div>\n");
    web_html_end(r);
out:
    cycle_paper_files_free(f, n);
    buf_release(&pt);
    err_release(&err);
    return 0;
}

int web_cycle_paper_file(WebReq *r)
{
    Err err = ERR_INIT;
    char sha[65], *end = NULL;
    int found = 0;
    const char *slash = strchr(r->arg, '.');
    long long id = strtoll(r->arg, &end, 10);
    const char *type = NULL;
    if (slash && end == slash && id > 0) {
        type = render_format_mime(slash + 1); /* the renderers' table: every stored format */
    }
    if (!type)
        return web_error(r, MHD_HTTP_NOT_FOUND, "There is no such paper file: see the published papers.");
    Buf bytes = BUF_INIT;
    if (cycle_paper_get(r->store, id, slash + 1, &bytes, sha, &found, &err) < 0) {
        web_cycle_fail(r, &err);
        goto out;
    }
    if (!found) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no such paper file: see the published papers.");
        goto out;
    }
    buf_reset(&r->out);
    buf_append(&r->out, bytes.data ? bytes.data : "", bytes.len);
    r->ctype = type;
    Buf disp = BUF_INIT;
    buf_printf(&disp, "attachment; filename=\"paper-%lld.%s\"", id, slash + 1);
    web_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, buf_cstr(&disp));
    buf_release(&disp);
    /* The HTML paper carries its own inline stylesheet; still no script. */
    r->csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
out:
    buf_release(&bytes);
    err_release(&err);
    return 0;
}

void web_cycle_indicator_exception(WebReq *r, const char *code, const char *area, Period p)
{
    Err err = ERR_INIT;
    CycleException *ex = NULL;
    int n = 0;
    if (cycle_exceptions(r->store, p, &ex, &n, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err)); /* the page goes on without it */
        err_release(&err);
    }
    for (int k = 0; k < n; k++) {
        if (strcmp(ex[k].code, code) != 0 || strcmp(ex[k].area, area) != 0)
            continue;
        web_html(&r->out, "<h2 class=\"govuk-heading-m\">Exception</h2>\n<dl class=\"govuk-summary-list\">\n");
        const char *rows[][2] = {{"Cause", ex[k].cause}, {"Action", ex[k].action}, {"Owner", ex[k].owner},
                                 {"Action due by", ex[k].date}};
        for (int j = 0; j < 4; j++)
            web_html(&r->out, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
                              "<dd class=\"govuk-summary-list__value\">%s</dd></div>\n",
                     rows[j][0], rows[j][1]);
        web_html(&r->out, "</dl>\n");
    }
    cycle_exceptions_free(ex, n);
}
