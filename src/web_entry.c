/* web_entry.c — data entry and administration. Editors enter a period's
 * figures and notes for their partner's indicators, and status and commentary
 * for their partner's projects; admins manage users and partners, and add
 * indicators, targets and whole files through the CLI's importers. Every
 * form is checked completely before anything is written: errors appear beside
 * their field and in an error summary, and nothing is stored. A figure
 * changed by someone else since the form was loaded is shown as a conflict,
 * never overwritten. */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cycle.h"
#include "csv.h"
#include "import.h"
#include "police.h"
#include "store_web.h"

#define WEB_ENTRY_MAX_NOTE 4000        /* characters of a note or commentary */
#define WEB_ENTRY_MIN_PASSWORD 8       /* characters of a password set on the web */
/* A saved figure that differs from the same period last year, or from the
 * previous period, by more than this many percent is shown with a warning
 * ("check it; saved"); it is saved all the same. docs/web.md names it. */
#define WEB_ENTRY_WARN_CHANGE_PCT 50

/* ---- checking a value: the importers' rules (validate.h) ---- */

int web_entry_value_check(Store *s, const Indicator *ind, const char *ptext, const char *vt, const char *nt,
                          const char *dt, WebValue *out, const char **field, Err *err)
{
    ValidField vf;
    if (validate_value(ind, s->fy_start, ptext, vt, nt, dt, out, &vf, err) < 0) {
        *field = validate_field_name(vf);
        return -1;
    }
    *field = NULL;
    return 0;
}

/* A trimmed copy of a form field; NULL when absent or blank. Owned by tmp. */
static const char *web_entry_get(const WebReq *r, const char *name, Buf *tmp)
{
    const char *v = web_field(r, name);
    buf_reset(tmp);
    if (!v)
        return NULL;
    while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (!n)
        return NULL;
    buf_append(tmp, v, n);
    return buf_cstr(tmp);
}

/* ---- entering a period's figures ---- */

/* One row of the entry form. */
typedef struct EntryRow {
    const Indicator *ind;
    StoreValueRow cur;     /* stored value for exactly this period */
    int has_cur;
    Buf in[4];             /* what the form shows: value, numerator, denominator, note */
    int64_t version;       /* version the form was loaded with */
    int changed;           /* 1 when the user gave something different from the stored value */
    int conflict;          /* 1 when someone else changed it since */
    WebValue v;
    /* Beside the box (web_entry_context): the figure for this period as the
     * dashboard computes it, the same period last year, the previous period
     * and the target to date. */
    Fig now, last_year, prev, target;
    int check;             /* 1 when just saved: warn on a large change */
} EntryRow;

static const char *const web_entry_prefix[4] = {"v-", "n-", "d-", "note-"};

static void web_entry_name(Buf *b, int k, const char *code)
{
    buf_reset(b);
    buf_printf(b, "%s%s", web_entry_prefix[k], code);
}

/* The stored figure as the form shows it. */
static void web_entry_fill(EntryRow *e)
{
    for (int k = 0; k < 4; k++)
        buf_reset(&e->in[k]);
    if (!e->has_cur)
        return;
    for (int k = 0; k < 3; k++)
        if (e->cur.fig.has[k])
            fq_format_micro(&e->in[k], e->cur.fig.v[k]);
    if (e->ind->def.aggregate == AGG_RATIO)
        buf_reset(&e->in[0]); /* a ratio is entered as numerator and denominator */
    buf_puts(&e->in[3], e->cur.fig.note ? e->cur.fig.note : "");
}

typedef struct Entry {
    Period p;
    Buf ptext, area;
    int64_t area_id;
    Indicator *inds;
    int ninds;
    EntryRow *rows;
    int nrows;
} Entry;

static void web_entry_release(Entry *en)
{
    for (int i = 0; i < en->nrows; i++) {
        if (en->rows[i].has_cur) {
            store_figure_release(&en->rows[i].cur.fig);
            free(en->rows[i].cur.changed_at);
            free(en->rows[i].cur.changed_by);
        }
        for (int k = 0; k < 4; k++)
            buf_release(&en->rows[i].in[k]);
    }
    free(en->rows);
    store_indicators_free(en->inds, en->ninds);
    buf_release(&en->ptext);
    buf_release(&en->area);
}

/* The period an editor is asked for when the URL names none.
 * Contract: the open collection round's period (`kpi round open`;
 * cycle_open_period picks among several), so that the entry form and the
 * editor's to-do on the home page open on what is due; with no open round,
 * the period the dashboard opens on (web_pages_scope's default, which also
 * reads a ?period= the URL gives). Sets *p and its text
 * in ptext (reset first). Returns -1 with an error page written when the
 * database cannot be read. */
int web_entry_default_period(WebReq *r, Period *p, Buf *ptext)
{
    Err err = ERR_INIT;
    int open_round = 0;
    if (cycle_open_period(r->store, p, &open_round, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        err_release(&err);
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be read.");
        return -1;
    }
    if (open_round) { /* the open collection round's period (cycle.h) */
        buf_reset(ptext);
        period_format(ptext, *p, r->store->fy_start);
        return 0;
    }
    Buf dummy = BUF_INIT;
    int rc = web_pages_scope(r, p, ptext, &dummy);
    buf_release(&dummy);
    return rc;
}

/* The rows this user may enter for en->p in en->area_id, each with its
 * stored figure. */
static int web_entry_rows(WebReq *r, Entry *en, Err *err)
{
    if (store_indicators(r->store, &en->inds, &en->ninds, err) < 0)
        return -1;
    en->rows = xcalloc((size_t)en->ninds + 1, sizeof *en->rows);
    for (int i = 0; i < en->ninds; i++) {
        const Indicator *ind = &en->inds[i];
        if (ind->formula || !web_auth_may_edit_partner(r, ind->partner) || (int)en->p.kind < (int)ind->frequency)
            continue;
        EntryRow *e = &en->rows[en->nrows++];
        e->ind = ind;
        if (store_web_value(r->store, ind->id, en->area_id, en->p, &e->cur, &e->has_cur, err) < 0)
            return -1;
        e->version = e->has_cur ? e->cur.version : 0;
        web_entry_fill(e);
    }
    return 0;
}

/* Load the scope (period and area from the query or the form) and the rows
 * this user may enter. Returns -1 with a page written when the scope is bad. */
static int web_entry_load(WebReq *r, Entry *en)
{
    Err err = ERR_INIT;
    const char *why, *ptext = r->is_post ? web_field(r, "period") : web_query(r, "period");
    const char *area = r->is_post ? web_field(r, "area") : web_query(r, "area");
    int rc = -1;

    memset(en, 0, sizeof *en);
    if (!r->is_post && ptext && *ptext && period_parse(ptext, r->store->fy_start, &en->p, &why) < 0)
        ptext = NULL; /* web_pages_scope shows the default period with the message beside the picker */
    if (!ptext || !*ptext) {
        if (web_entry_default_period(r, &en->p, &en->ptext) < 0)
            return -1;
    } else if (period_parse(ptext, r->store->fy_start, &en->p, &why) < 0) {
        Buf m = BUF_INIT;
        buf_printf(&m, "Bad period '%s': %s. Write a month (2011-07) or a quarter (2011/12 Q2).", ptext, why);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
        buf_release(&m);
        return -1;
    } else {
        period_format(&en->ptext, en->p, r->store->fy_start);
    }
    buf_puts(&en->area, area && *area ? area : r->store->home_area);
    int known = validate_area(r->store, buf_cstr(&en->area), &en->area_id, &err);
    if (known < 0)
        goto fail;
    if (known > 0) {
        Buf m = BUF_INIT;
        const char *msg = err_msg(&err);
        buf_printf(&m, "%c%s.", msg[0] == 'u' ? 'U' : msg[0], msg + 1);
        web_error(r, MHD_HTTP_BAD_REQUEST, buf_cstr(&m));
        buf_release(&m);
        goto out;
    }
    if (web_entry_rows(r, en, &err) < 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The database cannot be read.");
out:
    err_release(&err);
    return rc;
}

/* The figures beside each box, from the compare rows the dashboard and
 * `kpi compare` show: this period's value, the same period last year and the
 * target to date of en->p, and the value of the period before (the compare
 * row of that period). Returns -1 with an error page written. */
static int web_entry_context(WebReq *r, Entry *en)
{
    Err err = ERR_INIT;
    Dataset d;
    if (!en->nrows)
        return 0;
    if (dataset_load(r->store, en->p, &d, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        err_release(&err);
        web_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The figures cannot be computed.");
        return -1;
    }
    int a = dataset_area_index(&d, buf_cstr(&en->area));
    Period prev = {en->p.kind, en->p.first - period_months(en->p)};
    for (int k = 0; a >= 0 && k < en->nrows; k++) {
        EntryRow *e = &en->rows[k];
        int i = dataset_indicator_index(&d, e->ind->code);
        if (i < 0)
            continue;
        CompareRow row;
        dataset_compare(&d, i, a, &row);
        e->now = row.value;
        e->last_year = row.previous;
        e->target = row.target_to_date;
        compare_row_release(&row);
        Series *sr = dataset_series(&d, i, a);
        memset(&row, 0, sizeof row);
        figures_compare(&d.inds[i].def, sr->v, sr->n, sr->t, sr->nt, prev, d.fy_start, &row);
        e->prev = row.value;
        compare_row_release(&row);
    }
    dataset_release(&d);
    return 0;
}

/* A figure as the dashboard prints it (decimals, % for a percentage). */
static void web_entry_fig(Buf *b, const Fig *f, const IndicatorDef *def)
{
    buf_reset(b);
    if (!f->has)
        return;
    fq_format(b, f->q, def->decimals);
    if (def->unit == UNIT_PERCENT)
        buf_putc(b, '%');
}

/* The name of the period before: "Previous quarter". */
static const char *web_entry_prev_name(PeriodKind k)
{
    return k == PERIOD_MONTH ? "Previous month" : k == PERIOD_QUARTER ? "Previous quarter" : "Previous year";
}

/* The warning for a just-saved figure that differs from last year's (or,
 * without one, the previous period's) by more than WEB_ENTRY_WARN_CHANGE_PCT:
 * "Burglary: 420 is 3.1 times last year's 135 — check it; saved". Leaves b
 * empty when there is nothing to say. */
static void web_entry_warning(Buf *b, const EntryRow *e, PeriodKind kind)
{
    buf_reset(b);
    if (!e->check || !e->now.has)
        return;
    const Fig *refs[2] = {&e->last_year, &e->prev};
    const char *names[2] = {"last year's", kind == PERIOD_MONTH     ? "the previous month's"
                                           : kind == PERIOD_QUARTER ? "the previous quarter's"
                                                                    : "the previous year's"};
    for (int k = 0; k < 2; k++) {
        if (!refs[k]->has)
            continue;
        double now = fq_to_double(e->now.q), ref = fq_to_double(refs[k]->q);
        if (ref == 0 || now / ref < 0)
            continue;
        double ratio = now / ref, pct = (ratio - 1) * 100;
        if (pct <= WEB_ENTRY_WARN_CHANGE_PCT && -pct <= WEB_ENTRY_WARN_CHANGE_PCT)
            continue;
        Buf a = BUF_INIT, c = BUF_INIT;
        web_entry_fig(&a, &e->now, &e->ind->def);
        web_entry_fig(&c, refs[k], &e->ind->def);
        if (ratio >= 2)
            buf_printf(b, "%s: %s is %.1f times %s %s", e->ind->title, buf_cstr(&a), ratio, names[k], buf_cstr(&c));
        else
            buf_printf(b, "%s: %s is %.0f%% %s %s %s", e->ind->title, buf_cstr(&a), pct < 0 ? -pct : pct,
                       pct < 0 ? "below" : "above", names[k], buf_cstr(&c));
        buf_puts(b, " \xe2\x80\x94 check it; saved");
        buf_release(&a);
        buf_release(&c);
        return;
    }
}

/* The field an editor fills first for a row: its value or its numerator. */
static void web_entry_anchor(Buf *b, const EntryRow *e)
{
    web_entry_name(b, e->ind->def.aggregate == AGG_RATIO ? 1 : 0, e->ind->code);
}

/* One input of a row: its label, its error, the figures beside it (ctx). */
static void web_entry_input(Buf *b, const char *id, const char *label, const char *value, const char *msg,
                            const char *ctx)
{
    web_html(b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label\" for=\"%s\">%s</label>",
             msg ? " govuk-form-group--error" : "", id, label);
    if (msg)
        web_html(b, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                 id, msg);
    web_html(b, "<input class=\"govuk-input govuk-input--width-5%s\" id=\"%s\" name=\"%s\" type=\"text\" "
                "inputmode=\"decimal\" spellcheck=\"false\" value=\"%s\" aria-describedby=\"%s",
             msg ? " govuk-input--error" : "", id, id, value, ctx);
    if (msg)
        web_html(b, " %s-error", id);
    web_html(b, "\"></div>\n");
}

/* The entry page: errors and conflicts (may be NULL), and a count just saved. */
static void web_entry_page(WebReq *r, Entry *en, const WebErrors *errs, int saved)
{
    Buf name = BUF_INIT, t = BUF_INIT, span = BUF_INIT, ctx = BUF_INIT, w = BUF_INIT;
    int entered = 0, nwarn = 0;
    web_html_begin(r, errs ? "Error: Enter figures" : "Enter figures", "enter");
    Buf *b = &r->out;
    for (int i = 0; i < en->nrows; i++) {
        entered += en->rows[i].has_cur;
        web_entry_warning(&w, &en->rows[i], en->p.kind);
        nwarn += w.len > 0;
    }
    if (saved > 0) {
        web_html(b, "<div class=\"govuk-notification-banner\" role=\"status\"><h2 "
                    "class=\"govuk-notification-banner__title\">Saved</h2><div "
                    "class=\"govuk-notification-banner__content\"><p class=\"govuk-body\">%d %s saved. The dashboard "
                    "shows them now.</p></div></div>\n",
                 saved, saved == 1 ? "figure" : "figures");
    }
    if (nwarn) {
        web_html(b, "<div class=\"app-warning\" role=\"status\"><h2 class=\"govuk-heading-s\">Check %s</h2><ul "
                    "class=\"govuk-list\">",
                 nwarn == 1 ? "this figure" : "these figures");
        for (int i = 0; i < en->nrows; i++) {
            web_entry_warning(&w, &en->rows[i], en->p.kind);
            if (!w.len)
                continue;
            web_entry_anchor(&name, &en->rows[i]);
            web_html(b, "<li><a class=\"govuk-link\" href=\"#%s\">%s</a></li>", buf_cstr(&name), buf_cstr(&w));
        }
        web_html(b, "</ul></div>\n");
    }
    if (errs)
        web_errors_summary(b, errs);
    period_format_span(&span, en->p);
    web_html(b, "<span class=\"govuk-caption-l\">%s%s%s</span>\n<h1 class=\"govuk-heading-l\">Enter figures: %s</h1>\n"
                "<p class=\"govuk-body\">Figures for %s in %s. Enter a value, or a numerator and a denominator for a "
                "rate; a note explains the figure to the committee. Leave a row blank to keep it as it is. "
                "<strong>Save</strong> on a row saves that row only; <strong>Save all</strong> saves every row.</p>\n",
             r->user.partner ? r->user.partner : "All partners", ", ", buf_cstr(&en->area), buf_cstr(&en->ptext),
             buf_cstr(&span), buf_cstr(&en->area));
    web_html(b, "<form class=\"app-filter\" method=\"get\" action=\"/enter\"><input type=\"hidden\" name=\"area\" "
                "value=\"%s\">",
             buf_cstr(&en->area));
    web_html_period_select(r, b, en->p, 1, 1);
    web_html(b, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\">Change period</button>"
                "</form>\n");
    if (!en->nrows) {
        web_html(b, "<p class=\"govuk-body\">There is nothing for you to enter for %s: no indicator of your partner is "
                    "reported for a period this long or shorter.</p>\n",
                 buf_cstr(&en->ptext));
        goto done;
    }
    /* The to-do: how many are due, and a link to each missing one. */
    web_html(b, "<div class=\"app-todo\" id=\"todo\"><h2 class=\"govuk-heading-m\">%d %s due, %d entered</h2>\n",
             en->nrows, en->nrows == 1 ? "figure" : "figures", entered);
    if (entered < en->nrows) {
        web_html(b, "<p class=\"govuk-body\">Missing for %s:</p><ul class=\"govuk-list govuk-list--bullet\">",
                 buf_cstr(&en->ptext));
        for (int i = 0; i < en->nrows; i++) {
            if (en->rows[i].has_cur)
                continue;
            web_entry_anchor(&name, &en->rows[i]);
            web_html(b, "<li><a class=\"govuk-link\" href=\"#%s\">%s</a></li>", buf_cstr(&name),
                     en->rows[i].ind->title);
        }
        web_html(b, "</ul>\n");
    } else {
        web_html(b, "<p class=\"govuk-body\">Every figure for %s is entered.</p>\n", buf_cstr(&en->ptext));
    }
    web_html(b, "</div>\n");
    web_html(b, "<form method=\"post\" action=\"/enter\" novalidate>\n");
    web_html_csrf(r);
    web_html(b, "<input type=\"hidden\" name=\"area\" value=\"%s\"><input type=\"hidden\" name=\"period\" "
                "value=\"%s\">\n",
             buf_cstr(&en->area), buf_cstr(&en->ptext));
    /* First in the form, so that Enter in any box saves every row. */
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Save all</button>\n");
    for (int i = 0; i < en->nrows; i++) {
        EntryRow *e = &en->rows[i];
        const Indicator *ind = e->ind;
        int ratio = ind->def.aggregate == AGG_RATIO;
        web_html(b, "<div class=\"app-entry\" id=\"row-%s\"><fieldset class=\"govuk-fieldset\" "
                    "aria-describedby=\"about-%s\">\n<legend class=\"govuk-fieldset__legend\">%s",
                 ind->code, ind->code, ind->title);
        if (!e->has_cur)
            web_html(b, " <strong class=\"govuk-tag govuk-tag--red\">Missing</strong>");
        web_html(b, "</legend>\n<p class=\"govuk-hint\" id=\"about-%s\">%s, %s, %s.", ind->code,
                 ind->partner ? ind->partner : "No partner", unit_name(ind->def.unit), ind->code);
        if (e->has_cur) {
            web_html(b, " Last changed ");
            web_html_when(b, e->cur.changed_at);
            web_html(b, " by %s.", e->cur.changed_by);
        }
        web_html(b, "</p>\n");
        web_entry_warning(&w, e, en->p.kind);
        if (w.len)
            web_html(b, "<p class=\"app-warning app-warning--inline\">%s</p>\n",
                     buf_cstr(&w));
        if (e->conflict) {
            web_html(b, "<div class=\"app-conflict\"><h3 class=\"govuk-heading-s\">Changed by someone else</h3><p "
                        "class=\"govuk-body\">%s changed this figure on ",
                     e->cur.changed_by);
            web_html_when(b, e->cur.changed_at);
            web_html(b, ", after you opened this page. It is now ");
            buf_reset(&t);
            for (int k = ratio ? 1 : 0; k < (ratio ? 3 : 1); k++) {
                if (k == 2)
                    buf_puts(&t, " / ");
                if (e->cur.fig.has[k])
                    fq_format_micro(&t, e->cur.fig.v[k]);
            }
            web_html(b, "<strong>%s</strong>%s%s. Your figure below was not saved: check it, and save again to "
                        "replace theirs.</p></div>\n",
                     buf_cstr(&t), e->cur.fig.note ? " with the note: " : "", e->cur.fig.note);
        }
        web_html(b, "<input type=\"hidden\" name=\"ver-%s\" value=\"%l\">\n<div class=\"app-entry__grid\">"
                    "<div class=\"app-entry__inputs\">",
                 ind->code, e->version);
        buf_reset(&ctx);
        buf_printf(&ctx, "ctx-%s", ind->code);
        static const char *const labels[4] = {"Value", "Numerator", "Denominator", "Note"};
        for (int k = 0; k < 3; k++) {
            if ((k == 0) == ratio)
                continue;
            web_entry_name(&name, k, ind->code);
            web_entry_input(b, buf_cstr(&name), labels[k], buf_cstr(&e->in[k]),
                            errs ? web_errors_for(errs, buf_cstr(&name)) : NULL, buf_cstr(&ctx));
        }
        /* The figures to check it against, as the dashboard shows them. */
        web_html(b, "</div>\n<ul class=\"app-entry__context\" id=\"ctx-%s\">", ind->code);
        const Fig *figs[3] = {&e->last_year, &e->prev, &e->target};
        const char *what[3] = {"Last year", web_entry_prev_name(en->p.kind), "Target to date"};
        for (int k = 0; k < 3; k++) {
            web_entry_fig(&t, figs[k], &ind->def);
            web_html(b, "<li data-ctx=\"%s\">%s: %s</li>", k == 0 ? "last-year" : k == 1 ? "previous" : "target",
                     what[k], t.len ? buf_cstr(&t) : k == 2 ? "no target" : "no figure");
        }
        web_html(b, "</ul>\n");
        web_entry_name(&name, 3, ind->code);
        const char *msg = errs ? web_errors_for(errs, buf_cstr(&name)) : NULL;
        web_html(b, "<div class=\"govuk-form-group app-entry__note%s\"><label class=\"govuk-label\" for=\"%s\">Note "
                    "(optional)</label>",
                 msg ? " govuk-form-group--error" : "", buf_cstr(&name));
        if (msg)
            web_html(b, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                        "Error:</span> %s</p>",
                     buf_cstr(&name), msg);
        web_html(b, "<textarea class=\"govuk-textarea%s\" id=\"%s\" name=\"%s\" rows=\"1\"%s%s%s>%s</textarea></div>\n",
                 msg ? " govuk-textarea--error" : "", buf_cstr(&name), buf_cstr(&name),
                 msg ? " aria-describedby=\"" : "", msg ? buf_cstr(&name) : "", msg ? "-error\"" : "",
                 buf_cstr(&e->in[3]));
        web_html(b, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary app-entry__save\" "
                    "name=\"only\" value=\"%s\">Save<span class=\"govuk-visually-hidden\"> %s only</span></button>\n"
                    "</div>\n</fieldset></div>\n",
                 ind->code, ind->title);
    }
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Save all</button>\n</form>\n");
done:
    web_html_end(r);
    buf_release(&name);
    buf_release(&t);
    buf_release(&span);
    buf_release(&ctx);
    buf_release(&w);
}

/* Mark the rows named in a comma-separated list of codes (just saved). */
static void web_entry_mark(Entry *en, const char *list)
{
    for (int i = 0; list && i < en->nrows; i++) {
        size_t n = strlen(en->rows[i].ind->code);
        for (const char *c = list; *c;) {
            size_t m = strcspn(c, ",");
            if (m == n && strncmp(c, en->rows[i].ind->code, n) == 0)
                en->rows[i].check = 1;
            c += m + (c[m] == ',');
        }
    }
}

int web_entry_values(WebReq *r)
{
    Entry en;
    if (web_entry_load(r, &en) < 0) {
        web_entry_release(&en);
        return 0;
    }
    const char *saved = web_query(r, "saved");
    web_entry_mark(&en, web_query(r, "check"));
    if (web_entry_context(r, &en) < 0) {
        web_entry_release(&en);
        return 0;
    }
    web_entry_page(r, &en, NULL, saved ? atoi(saved) : 0);
    web_entry_release(&en);
    return 0;
}

void web_entry_todo(WebReq *r, Buf *b)
{
    Entry en;
    Err err = ERR_INIT;
    if (!r->signed_in || r->user.role != ROLE_EDITOR)
        return;
    memset(&en, 0, sizeof en);
    Period p;
    Buf ptext = BUF_INIT;
    int64_t area_id = 0;
    /* The period and area the panel is about: nothing is written on a failure
     * (the dashboard below says what is wrong). */
    char saved_error[sizeof r->period_error];
    memcpy(saved_error, r->period_error, sizeof saved_error);
    int status = r->status;
    size_t len = r->out.len;
    if (web_entry_default_period(r, &p, &ptext) < 0) {
        r->out.len = len; /* drop an error page: the dashboard answers for itself */
        r->status = status;
        memcpy(r->period_error, saved_error, sizeof saved_error);
        goto out;
    }
    en.p = p;
    if (validate_area(r->store, r->store->home_area, &area_id, &err) != 0)
        goto out;
    en.area_id = area_id;
    if (web_entry_rows(r, &en, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        goto out;
    }
    if (!en.nrows)
        goto out;
    int entered = 0;
    for (int i = 0; i < en.nrows; i++)
        entered += en.rows[i].has_cur;
    /* "due by 20 October 2011" when the period is an open collection round's */
    CycleRound round;
    int has_round = 0, y, mo, d;
    Buf due = BUF_INIT;
    if (cycle_round_find(r->store, p, &round, &has_round, &err) < 0) {
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
        goto out;
    }
    if (has_round) {
        if (strcmp(round.state, "open") == 0 && sscanf(round.due, "%4d-%2d-%2d", &y, &mo, &d) == 3) {
            buf_puts(&due, " by ");
            present_date(&due, y, mo, d);
        }
        cycle_round_free(&round);
    }
    web_html(b, "<div class=\"app-todo\" id=\"your-figures\"><h2 class=\"govuk-heading-m\">Your figures for %s: %d "
                "due%s, %d entered</h2>\n",
             buf_cstr(&ptext), en.nrows, buf_cstr(&due), entered);
    buf_release(&due);
    if (entered < en.nrows) {
        web_html(b, "<ul class=\"govuk-list govuk-list--bullet\">");
        Buf name = BUF_INIT;
        for (int i = 0; i < en.nrows; i++) {
            if (en.rows[i].has_cur)
                continue;
            web_entry_anchor(&name, &en.rows[i]);
            web_html(b, "<li><a class=\"govuk-link\" href=\"/enter?area=%u&amp;period=%u#%u\">%s</a></li>",
                     r->store->home_area, buf_cstr(&ptext), buf_cstr(&name), en.rows[i].ind->title);
        }
        buf_release(&name);
        web_html(b, "</ul>\n");
    }
    web_html(b, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/enter?area=%u&amp;period=%u\">Go to your "
                "figures for %s</a></p></div>\n",
             r->store->home_area, buf_cstr(&ptext), buf_cstr(&ptext));
out:
    web_entry_release(&en);
    buf_release(&ptext);
    err_release(&err);
}

/* Does the form's figure differ from the stored one? */
static int web_entry_differs(const EntryRow *e, const WebValue *v, const char *note)
{
    if (!e->has_cur)
        return 1;
    const StoreFigure *f = &e->cur.fig;
    if (!f->has[0] || f->v[0] != v->value)
        return 1;
    if (v->ratio && (!f->has[1] || !f->has[2] || f->v[1] != v->num || f->v[2] != v->den))
        return 1;
    return strcmp(f->note ? f->note : "", note ? note : "") != 0;
}

int web_entry_values_save(WebReq *r)
{
    Entry en;
    WebErrors errs = {0};
    Err err = ERR_INIT;
    Buf name = BUF_INIT, tmp[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
    int rc = 0, nchanged = 0, nconflicts = 0, began = 0, only_row = -1, typed_other = 0;

    if (web_entry_load(r, &en) < 0)
        goto out;
    /* A row's own Save button sends only=CODE: that row alone is checked and saved. */
    const char *only = web_field(r, "only");
    for (int i = 0; only && i < en.nrows; i++)
        if (strcmp(en.rows[i].ind->code, only) == 0)
            only_row = i;
    if (only && only_row < 0) {
        web_error(r, MHD_HTTP_BAD_REQUEST, "There is no such row to save on this form.");
        goto out;
    }
    for (int i = 0; i < en.nrows; i++) {
        EntryRow *e = &en.rows[i];
        const char *in[4];
        for (int k = 0; k < 4; k++) {
            web_entry_name(&name, k, e->ind->code);
            in[k] = web_entry_get(r, buf_cstr(&name), &tmp[k]);
            if (only_row >= 0 && i != only_row && in[k] && strcmp(in[k], buf_cstr(&e->in[k])) != 0)
                typed_other = 1; /* e->in holds the stored figure until here */
            buf_reset(&e->in[k]);
            if (in[k])
                buf_puts(&e->in[k], in[k]);
        }
        if (only_row >= 0 && i != only_row)
            continue; /* kept as typed on a page shown again, neither checked nor saved */
        if (!in[0] && !in[1] && !in[2]) {
            if (in[3] && !e->has_cur) {
                web_entry_name(&name, e->ind->def.aggregate == AGG_RATIO ? 1 : 0, e->ind->code);
                web_errors_add(&errs, xstrdup(buf_cstr(&name)), "%s: enter a figure for the note to go with",
                               e->ind->title);
            } else if (!in[3] && e->has_cur) {
                web_entry_fill(e); /* blank row: keep the stored figure */
            } else if (in[3] && e->has_cur) {
                /* a note alone changes the note of the stored figure */
                buf_reset(&e->in[3]);
                buf_puts(&e->in[3], in[3]);
                for (int k = 0; k < 3; k++) {
                    buf_reset(&e->in[k]);
                    if (e->cur.fig.has[k] && !(k == 0 && e->ind->def.aggregate == AGG_RATIO))
                        fq_format_micro(&e->in[k], e->cur.fig.v[k]);
                    in[k] = e->in[k].len ? buf_cstr(&e->in[k]) : NULL;
                }
            }
            if (!in[0] && !in[1] && !in[2])
                continue;
        }
        if (in[3] && strlen(in[3]) > WEB_ENTRY_MAX_NOTE) {
            web_entry_name(&name, 3, e->ind->code);
            web_errors_add(&errs, xstrdup(buf_cstr(&name)), "%s: the note must be %d characters or fewer",
                           e->ind->title, WEB_ENTRY_MAX_NOTE);
            continue;
        }
        const char *field;
        err_release(&err);
        if (web_entry_value_check(r->store, e->ind, buf_cstr(&en.ptext), in[0], in[1], in[2], &e->v, &field, &err) <
            0) {
            int k = field && strcmp(field, "numerator") == 0     ? 1
                    : field && strcmp(field, "denominator") == 0 ? 2
                                                                 : (e->ind->def.aggregate == AGG_RATIO ? 1 : 0);
            web_entry_name(&name, k, e->ind->code);
            /* the rules' messages name the indicator by its title; others get it in front */
            if (strstr(err_msg(&err), e->ind->title))
                web_errors_add(&errs, xstrdup(buf_cstr(&name)), "%s", err_msg(&err));
            else
                web_errors_add(&errs, xstrdup(buf_cstr(&name)), "%s: %s", e->ind->title, err_msg(&err));
            continue;
        }
        if (!web_entry_differs(e, &e->v, in[3]))
            continue;
        buf_reset(&name);
        buf_printf(&name, "ver-%s", e->ind->code);
        const char *ver = web_field(r, buf_cstr(&name));
        int64_t loaded = ver ? strtoll(ver, NULL, 10) : -1;
        if (loaded != e->version) {
            e->conflict = 1;
            nconflicts++;
            continue;
        }
        e->changed = 1;
        nchanged++;
    }
    int locked = 0; /* a published period: 409 with the reason (cycle.h) */
    if (!errs.n && !nconflicts && nchanged && store_lock_check(r->store, en.p, &err) < 0) {
        web_errors_add(&errs, NULL, "Nothing was saved: %s", err_msg(&err));
        err_release(&err);
        locked = 1;
    }
    if (errs.n || nconflicts) {
        if (nconflicts && !errs.n)
            web_errors_add(&errs, NULL, "%d %s changed by someone else since you opened this page: nothing was saved",
                           nconflicts, nconflicts == 1 ? "figure was" : "figures were");
        if (web_entry_context(r, &en) < 0)
            goto out;
        web_entry_page(r, &en, &errs, 0);
        r->status = errs.n && nconflicts == 0 ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_CONFLICT;
        if (nconflicts && errs.n > 1)
            r->status = MHD_HTTP_BAD_REQUEST;
        if (locked)
            r->status = MHD_HTTP_CONFLICT;
        goto out;
    }
    /* One transaction; a row that changed under us in the meantime undoes it all. */
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0)
        goto fail;
    began = 1;
    for (int i = 0; i < en.nrows; i++) {
        EntryRow *e = &en.rows[i];
        if (!e->changed)
            continue;
        int ratio = e->v.ratio;
        const char *note = e->in[3].len ? buf_cstr(&e->in[3]) : NULL;
        if (store_value_put(r->store, e->ind->id, en.area_id, e->v.period, &e->v.value, ratio ? &e->v.num : NULL,
                            ratio ? &e->v.den : NULL, note, &err) < 0)
            goto fail;
        StoreValueRow now;
        int found;
        if (store_web_value(r->store, e->ind->id, en.area_id, e->v.period, &now, &found, &err) < 0)
            goto fail;
        int64_t got = found ? now.version : 0;
        if (found) {
            store_figure_release(&now.fig);
            free(now.changed_at);
            free(now.changed_by);
        }
        if (got != e->version + 1) {
            store_rollback(r->store);
            began = 0;
            web_errors_add(&errs, NULL, "Someone saved figures at the same moment: nothing was saved. Reload the "
                                        "page and try again.");
            if (web_entry_context(r, &en) < 0)
                goto out;
            web_entry_page(r, &en, &errs, 0);
            r->status = MHD_HTTP_CONFLICT;
            goto out;
        }
    }
    if (store_commit(r->store, &err) < 0)
        goto fail;
    began = 0;
    if (nchanged)
        web_changed(r);
    if (typed_other) {
        /* One row saved while others hold what the user typed and has not saved:
         * the form is shown again at once (not redirected), the saved row as
         * stored now, the others as typed, still to be saved. */
        Entry again;
        if (web_entry_load(r, &again) < 0) {
            web_entry_release(&again);
            goto out;
        }
        for (int i = 0; i < again.nrows; i++) {
            EntryRow *e = &again.rows[i];
            if (strcmp(e->ind->code, en.rows[only_row].ind->code) == 0) {
                e->check = 1;
                continue;
            }
            for (int j = 0; j < en.nrows; j++) {
                const EntryRow *was = &en.rows[j];
                if (strcmp(was->ind->code, e->ind->code) != 0 ||
                    !(was->in[0].len || was->in[1].len || was->in[2].len || was->in[3].len))
                    continue; /* nothing typed: the stored figure, as loaded now */
                for (int k = 0; k < 4; k++) {
                    buf_reset(&e->in[k]);
                    buf_append(&e->in[k], was->in[k].data, was->in[k].len);
                }
                /* the version the user's form was loaded with, so that a later save still finds a conflict */
                buf_reset(&name);
                buf_printf(&name, "ver-%s", e->ind->code);
                const char *ver = web_field(r, buf_cstr(&name));
                if (ver)
                    e->version = strtoll(ver, NULL, 10);
            }
        }
        if (web_entry_context(r, &again) == 0)
            web_entry_page(r, &again, NULL, nchanged);
        web_entry_release(&again);
        goto out;
    }
    /* The rows just saved come back in ?check= for the warnings on large changes. */
    Buf loc = BUF_INIT, codes = BUF_INIT;
    for (int i = 0; i < en.nrows; i++)
        if (en.rows[i].changed)
            buf_printf(&codes, "%s%s", codes.len ? "," : "", en.rows[i].ind->code);
    web_html(&loc, "/enter?area=%u&period=%u&saved=%d", buf_cstr(&en.area), buf_cstr(&en.ptext), nchanged);
    if (codes.len)
        web_html(&loc, "&check=%u", buf_cstr(&codes));
    if (only_row >= 0)
        web_html(&loc, "#row-%u", en.rows[only_row].ind->code);
    web_redirect(r, buf_cstr(&loc));
    buf_release(&loc);
    buf_release(&codes);
    goto out;
fail:
    rc = -1;
    fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
out:
    if (began)
        store_rollback(r->store);
    r->store->user = "web";
    for (int i = 0; i < errs.n; i++)
        free((char *)errs.field[i]);
    web_errors_release(&errs);
    web_entry_release(&en);
    buf_release(&name);
    for (int k = 0; k < 4; k++)
        buf_release(&tmp[k]);
    err_release(&err);
    return rc;
}

/* ---- project updates ---- */

int web_entry_project_save(WebReq *r)
{
    Project *projects = NULL;
    int n = 0, rc = 0;
    Err err = ERR_INIT;
    WebErrors errs = {0};
    Buf tmp[3] = {BUF_INIT, BUF_INIT, BUF_INIT};
    Period p = {PERIOD_MONTH, 0};
    Status st = STATUS_UNREPORTED;
    const char *why;

    if (store_projects(r->store, &projects, &n, &err) < 0) {
        rc = -1;
        goto out;
    }
    Project *pr = NULL;
    for (int k = 0; k < n; k++)
        if (strcmp(projects[k].code, r->arg) == 0)
            pr = &projects[k];
    if (!pr) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no project with that code.");
        goto out;
    }
    if (!web_auth_may_edit_project(r, pr)) {
        web_error(r, MHD_HTTP_FORBIDDEN, "Your account may update only its own partner's projects.");
        goto out;
    }
    const char *ptext = web_entry_get(r, "period", &tmp[0]), *status = web_entry_get(r, "status", &tmp[1]);
    const char *comm = web_entry_get(r, "commentary", &tmp[2]);
    if (!ptext)
        web_errors_add(&errs, "period", "Enter the period the update is for, like 2011/12 Q2 or 2011-07");
    else if (period_parse(ptext, r->store->fy_start, &p, &why) < 0)
        web_errors_add(&errs, "period", "Bad period '%s': %s", ptext, why);
    if (!status)
        web_errors_add(&errs, "status", "Choose a status");
    else if (status_parse(status, &st) < 0)
        web_errors_add(&errs, "status", "Unknown status '%s': choose green, amber, red, complete or unreported", status);
    if (comm && strlen(comm) > WEB_ENTRY_MAX_NOTE)
        web_errors_add(&errs, "commentary", "Commentary must be %d characters or fewer", WEB_ENTRY_MAX_NOTE);
    int locked = 0; /* a published period: 409 with the reason (cycle.h) */
    if (!errs.n && store_lock_check(r->store, p, &err) < 0) {
        web_errors_add(&errs, "period", "Nothing was saved: %s", err_msg(&err));
        err_release(&err);
        locked = 1;
    }
    if (errs.n) {
        rc = web_pages_project_form(r, &errs, status, comm ? comm : "", ptext ? ptext : "");
        r->status = locked ? MHD_HTTP_CONFLICT : MHD_HTTP_BAD_REQUEST;
        goto out;
    }
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0 || store_status_put(r->store, pr->id, p, st, comm, &err) < 0 ||
        store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        r->store->user = "web";
        rc = -1;
        goto out;
    }
    r->store->user = "web";
    web_changed(r);
    Buf canon = BUF_INIT, loc = BUF_INIT;
    period_format(&canon, p, r->store->fy_start);
    web_html(&loc, "/projects/%u?period=%u&saved=1", pr->code, buf_cstr(&canon));
    web_redirect(r, buf_cstr(&loc));
    buf_release(&canon);
    buf_release(&loc);
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    store_projects_free(projects, n);
    web_errors_release(&errs);
    for (int k = 0; k < 3; k++)
        buf_release(&tmp[k]);
    err_release(&err);
    return rc;
}

/* ---- administration ---- */

/* A text field of an admin form: its error beside it, the value the user gave
 * (or `value` when the form is first shown), sized to what it holds (width:
 * a govuk-input--width-N class, or "" for the full width). */
static void web_entry_admin_field(WebReq *r, const WebErrors *e, const char *id, const char *label, const char *hint,
                                  const char *width, const char *value)
{
    Buf *b = &r->out;
    const char *msg = e ? web_errors_for(e, id) : NULL;
    const char *v = r->is_post ? web_field(r, id) : value;
    web_html(b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label govuk-label--s\" for=\"%s\">%s</label>",
             msg ? " govuk-form-group--error" : "", id, label);
    if (hint)
        web_html(b, "<p class=\"govuk-hint\" id=\"%s-hint\">%s</p>", id, hint);
    if (msg)
        web_html(b, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                 id, msg);
    web_html(b, "<input class=\"govuk-input %s%s\" id=\"%s\" name=\"%s\" type=\"%s\" value=\"%s\" spellcheck=\"false\"",
             width, msg ? " govuk-input--error" : "", id, id, strstr(id, "password") ? "password" : "text",
             strstr(id, "password") ? "" : v);
    if (strstr(id, "password"))
        web_html(b, " autocomplete=\"new-password\"");
    if (hint || msg)
        web_html(b, " aria-describedby=\"%s%s%s\"", hint ? id : "", hint ? "-hint " : "", msg ? id : "");
    if (msg)
        web_html(b, "-error");
    web_html(b, "></div>\n");
}

/* A select of options {value, words}, the first selected unless the form (or `selected`) says otherwise; its
 * error beside it. */
static void web_entry_admin_choose(WebReq *r, const WebErrors *e, const char *id, const char *label,
                                   const char *const (*opts)[2], int nopts, const char *selected)
{
    Buf *b = &r->out;
    const char *msg = e ? web_errors_for(e, id) : NULL;
    const char *v = r->is_post ? web_field(r, id) : selected;
    web_html(b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label govuk-label--s\" for=\"%s\">%s</label>",
             msg ? " govuk-form-group--error" : "", id, label);
    if (msg)
        web_html(b, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                 id, msg);
    web_html(b, "<select class=\"govuk-select%s\" id=\"%s\" name=\"%s\"", msg ? " govuk-select--error" : "", id, id);
    if (msg)
        web_html(b, " aria-describedby=\"%s-error\"", id);
    web_html(b, ">");
    for (int k = 0; k < nopts; k++)
        web_html(b, "<option value=\"%s\"%s>%s</option>", opts[k][0], v && strcmp(v, opts[k][0]) == 0 ? " selected" : "",
                 opts[k][1]);
    web_html(b, "</select></div>\n");
}

/* A select of fixed options (label = value), the first selected unless the form says otherwise. */
static void web_entry_admin_select(WebReq *r, const WebErrors *e, const char *id, const char *label,
                                   const char *const *opts, int nopts, const char *selected)
{
    const char **pairs = xcalloc((size_t)nopts + 1, 2 * sizeof *pairs);
    for (int k = 0; k < nopts; k++) {
        pairs[2 * k] = opts[k];
        pairs[2 * k + 1] = opts[k][0] ? opts[k] : "(none)";
    }
    web_entry_admin_choose(r, e, id, label, (const char *const(*)[2])pairs, nopts, selected);
    free(pairs);
}

/* Confirm before deleting a user: the same form again, with confirm=yes, and a way back. */
static void web_entry_admin_confirm_delete(WebReq *r, const User *u)
{
    Buf *b = &r->out;
    web_html_begin(r, "Delete a user", "admin");
    web_html_back(b, "/admin#users", "Back to administration");
    web_html(b, "<h1 class=\"govuk-heading-l\">Are you sure you want to delete %s?</h1>\n<p class=\"govuk-body\">"
                "%s (%s%s%s) will no longer be able to sign in. Their figures and updates stay, with their name.</p>\n"
                "<form method=\"post\" action=\"/admin/users/%l\">",
             u->name, u->name, users_role_name(u->role), u->partner ? ", " : "", u->partner, u->id);
    web_html_csrf(r);
    web_html(b, "<input type=\"hidden\" name=\"action\" value=\"delete\"><input type=\"hidden\" name=\"confirm\" "
                "value=\"yes\"><button type=\"submit\" class=\"govuk-button govuk-button--warning\">Yes, delete %s"
                "</button> <a class=\"govuk-link app-cancel\" href=\"/admin#users\">No, keep %s</a></form>\n",
             u->name, u->name);
    web_html_end(r);
}

/* An importer's message in the words of the admin page: without the place in the one-row file the form
 * becomes ("form.csv:2: ") and without the command-line advice ("(import it with `kpi ...` first)"). */
static void web_entry_user_words(const char *msg, Buf *out)
{
    const char *m = msg;
    if (strncmp(m, "form.csv:", 9) == 0) {
        const char *c = strstr(m, ": ");
        if (c)
            m = c + 2;
    }
    const char *cut = strstr(m, " (import it with `");
    if (!cut)
        cut = strstr(m, " (declare it with `");
    if (!cut)
        cut = strstr(m, ". Declare an area with `");
    size_t n = cut ? (size_t)(cut - m) : strlen(m);
    buf_reset(out);
    buf_append(out, m, n);
    if (out->len && out->data[0] >= 'a' && out->data[0] <= 'z')
        out->data[0] = (char)(out->data[0] - 'a' + 'A');
    if (cut && strncmp(cut, " (import it with `kpi import indicators`", 40) == 0)
        buf_puts(out, ": add the indicator first, under \xe2\x80\x9c" "Add or change an indicator\xe2\x80\x9d");
    else if (cut && strstr(cut, "import projects"))
        buf_puts(out, ": add the project first by uploading a projects file");
    else if (cut)
        buf_puts(out, ": add the area first by uploading an areas file");
}

/* Targets for the admin list: (indicator id, area id, target), gathered by store_targets_each. */
typedef struct AdminTargets {
    int64_t (*ids)[2];
    Target *t;
    int n, cap;
} AdminTargets;

static int web_entry_admin_target_add(void *arg, int64_t indicator_id, int64_t area_id, const Target *t)
{
    AdminTargets *at = arg;
    if (at->n == at->cap) {
        at->cap = at->cap ? 2 * at->cap : 16;
        at->ids = xrealloc(at->ids, (size_t)at->cap * sizeof *at->ids);
        at->t = xrealloc(at->t, (size_t)at->cap * sizeof *at->t);
    }
    at->ids[at->n][0] = indicator_id;
    at->ids[at->n][1] = area_id;
    at->t[at->n++] = *t;
    return 0;
}

static void web_entry_admin_page(WebReq *r, const WebErrors *e, const char *done)
{
    Err err = ERR_INIT;
    User *users = NULL;
    char **partners = NULL, **areas = NULL;
    int64_t *area_ids = NULL;
    Indicator *inds = NULL;
    AdminTargets at = {0};
    int nusers = 0, npartners = 0, ninds = 0, nareas = 0;
    static const char *const roles[] = {"viewer", "editor", "admin"};
    static const char *const kinds[][2] = {{"values", "Values"},     {"indicators", "Indicators"},
                                           {"targets", "Targets"},   {"projects", "Projects"},
                                           {"statuses", "Project statuses"}, {"areas", "Areas"},
                                           {"police", "police.uk street-level crimes"}};
    static const char *const units[] = {"count", "percent", "number", "rate", "currency"};
    static const char *const polarities[][2] = {{"none", "Neither"}, {"lower", "Lower"}, {"higher", "Higher"}};
    static const char *const aggregates[][2] = {
        {"", "The unit's default"}, {"sum", "Sum"}, {"ratio", "Ratio"}, {"mean", "Mean"}, {"last", "Last"}};
    static const char *const freqs[][2] = {{"month", "Month"}, {"quarter", "Quarter"}, {"year", "Year"}};

    if (users_list(r->store, &users, &nusers, &err) < 0 || store_web_partners(r->store, &partners, &npartners, &err) < 0 ||
        store_indicators(r->store, &inds, &ninds, &err) < 0 || store_areas(r->store, &areas, &area_ids, &nareas, &err) < 0 ||
        store_targets_each(r->store, web_entry_admin_target_add, &at, &err) < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    const char **popts = xcalloc((size_t)npartners + 2, sizeof *popts);
    popts[0] = "";
    for (int k = 0; k < npartners; k++)
        popts[k + 1] = partners[k];
    /* ?indicator=CODE: the indicator form holds that indicator, to change it */
    const char *edit = web_query(r, "indicator");
    const Indicator *ed = NULL;
    for (int k = 0; edit && k < ninds; k++)
        if (strcmp(inds[k].code, edit) == 0)
            ed = &inds[k];

    web_html_begin(r, e && e->n ? "Error: Administration" : "Administration", "admin");
    Buf *b = &r->out;
    if (done)
        web_html(b, "<div class=\"govuk-notification-banner\" role=\"status\"><h2 "
                    "class=\"govuk-notification-banner__title\">Done</h2><div "
                    "class=\"govuk-notification-banner__content\"><p class=\"govuk-body\">%s</p></div></div>\n",
                 done);
    if (e)
        web_errors_summary(b, e);
    web_html(b, "<h1 class=\"govuk-heading-l\">Administration</h1>\n<ul class=\"govuk-list\"><li><a class=\"govuk-link\" "
                "href=\"#users\">Users</a></li><li><a class=\"govuk-link\" href=\"#partners\">Partners</a></li><li><a "
                "class=\"govuk-link\" href=\"#indicators\">Indicators</a></li><li><a class=\"govuk-link\" "
                "href=\"#targets\">Targets</a></li><li><a class=\"govuk-link\" href=\"#upload\">Upload a file</a></li>"
                "</ul>\n<h2 class=\"govuk-heading-m\" id=\"users\">Users</h2>\n");
    web_html_wrap_begin(b, "Users");
    web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                "govuk-visually-hidden\">Users</caption><thead><tr><th scope=\"col\" class=\"govuk-table__header\">"
                "Name</th><th scope=\"col\" class=\"govuk-table__header\">Role</th><th scope=\"col\" "
                "class=\"govuk-table__header\">Partner</th><th scope=\"col\" class=\"govuk-table__header\">Change</th>"
                "</tr></thead><tbody>\n");
    for (int k = 0; k < nusers; k++) {
        Buf id = BUF_INIT;
        buf_printf(&id, "role-%lld", (long long)users[k].id);
        const char *umsg = e ? web_errors_for(e, buf_cstr(&id)) : NULL;
        buf_release(&id);
        web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\">%s</th><td class=\"govuk-table__cell\" "
                    "data-label=\"Role\">%s</td><td class=\"govuk-table__cell\" data-label=\"Partner\">%s</td><td "
                    "class=\"govuk-table__cell%s\">",
                 users[k].name, users_role_name(users[k].role), users[k].partner ? users[k].partner : "None",
                 umsg ? " govuk-form-group--error" : "");
        if (umsg)
            web_html(b, "<p id=\"role-%l-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">"
                        "Error:</span> %s</p>",
                     users[k].id, umsg);
        web_html(b, "<form method=\"post\" action=\"/admin/users/%l\" class=\"app-user-form\">", users[k].id);
        web_html_csrf(r);
        web_html(b, "<label class=\"govuk-visually-hidden\" for=\"role-%l\">Role of %s</label><select "
                    "class=\"govuk-select%s\" id=\"role-%l\" name=\"role\"%s",
                 users[k].id, users[k].name, umsg ? " govuk-select--error" : "", users[k].id,
                 umsg ? " aria-describedby=\"role-" : "");
        if (umsg)
            web_html(b, "%l-error\"", users[k].id);
        web_html(b, ">");
        for (int q = 0; q < 3; q++)
            web_html(b, "<option value=\"%s\"%s>%s</option>", roles[q], (int)users[k].role == q ? " selected" : "",
                     roles[q]);
        web_html(b, "</select> <label class=\"govuk-visually-hidden\" for=\"partner-%l\">Partner of %s</label><select "
                    "class=\"govuk-select\" id=\"partner-%l\" name=\"partner\">",
                 users[k].id, users[k].name, users[k].id);
        for (int q = 0; q <= npartners; q++)
            web_html(b, "<option value=\"%s\"%s>%s</option>", popts[q],
                     (users[k].partner ? strcmp(users[k].partner, popts[q]) == 0 : q == 0) ? " selected" : "",
                     q ? popts[q] : "(none)");
        web_html(b, "</select> <button type=\"submit\" name=\"action\" value=\"save\" class=\"govuk-button "
                    "govuk-button--secondary\">Save<span class=\"govuk-visually-hidden\"> %s</span></button>"
                    "<button type=\"submit\" name=\"action\" value=\"delete\" class=\"govuk-button "
                    "govuk-button--warning\">Delete<span class=\"govuk-visually-hidden\"> %s</span></button></form>"
                    "</td></tr>\n",
                 users[k].name, users[k].name);
    }
    web_html(b, "</tbody></table></div>\n<h3 class=\"govuk-heading-s\">Add a user</h3>\n<form method=\"post\" "
                "action=\"/admin/users\" novalidate>");
    web_html_csrf(r);
    web_entry_admin_field(r, e, "user-name", "Username", NULL, "govuk-input--width-20", NULL);
    web_entry_admin_select(r, e, "user-role", "Role", roles, 3, NULL);
    web_entry_admin_select(r, e, "user-partner", "Partner (editors enter only their partner's data)", popts,
                           npartners + 1, NULL);
    web_entry_admin_field(r, e, "user-password", "Password", "At least 8 characters", "govuk-input--width-20", NULL);
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Add user</button></form>\n");

    web_html(b, "<h2 class=\"govuk-heading-m\" id=\"partners\">Partners</h2>\n<ul class=\"govuk-list "
                "govuk-list--bullet\">");
    for (int k = 0; k < npartners; k++)
        web_html(b, "<li>%s</li>", partners[k]);
    web_html(b, "</ul>\n<form method=\"post\" action=\"/admin/partners\" novalidate>");
    web_html_csrf(r);
    web_entry_admin_field(r, e, "partner-name", "New partner", NULL, "govuk-input--width-20", NULL);
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Add partner</button></form>\n");

    /* Indicators: the list, each with a link that fills the form below to change it */
    web_html(b, "<h2 class=\"govuk-heading-m\" id=\"indicators\">Indicators</h2>\n");
    if (!ninds)
        web_html(b, "<p class=\"govuk-body\">No indicators yet.</p>\n");
    else {
        web_html_wrap_begin(b, "Indicators");
        web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                    "govuk-visually-hidden\">Indicators</caption><thead><tr><th scope=\"col\" "
                    "class=\"govuk-table__header\">Indicator</th><th scope=\"col\" class=\"govuk-table__header\">"
                    "Partner</th><th scope=\"col\" class=\"govuk-table__header\">Unit</th><th scope=\"col\" "
                    "class=\"govuk-table__header\">Reported every</th><th scope=\"col\" class=\"govuk-table__header\">"
                    "<span class=\"govuk-visually-hidden\">Change</span></th></tr></thead><tbody>\n");
        for (int k = 0; k < ninds; k++) {
            const Indicator *ind = &inds[k];
            web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\">%s</th><td class=\"govuk-table__cell\" "
                        "data-label=\"Partner\">%s</td><td class=\"govuk-table__cell\" data-label=\"Unit\">%s</td>"
                        "<td class=\"govuk-table__cell\" data-label=\"Reported every\">%s</td><td "
                        "class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/admin?indicator=%u#indicator-form\">"
                        "Change<span class=\"govuk-visually-hidden\"> %s</span></a></td></tr>\n",
                     ind->title, ind->partner ? ind->partner : "None named", unit_name(ind->def.unit),
                     ind->frequency == PERIOD_YEAR ? "year" : ind->frequency == PERIOD_QUARTER ? "quarter" : "month",
                     ind->code, ind->title);
        }
        web_html(b, "</tbody></table></div>\n");
    }
    Buf dec = BUF_INIT, mn = BUF_INIT, mx = BUF_INIT;
    if (ed) {
        buf_printf(&dec, "%d", ed->def.decimals);
        if (ed->has_min)
            fq_format_micro(&mn, ed->min);
        if (ed->has_max)
            fq_format_micro(&mx, ed->max);
    }
    web_html(b, "<h3 class=\"govuk-heading-s\" id=\"indicator-form\">%s</h3>\n<p class=\"govuk-body\">An indicator "
                "with an existing code is changed.</p>\n<form method=\"post\" action=\"/admin/indicators\" novalidate>",
             ed ? "Change an indicator" : "Add or change an indicator");
    web_html_csrf(r);
    web_entry_admin_field(r, e, "ind-code", "Code", "Letters, digits, '.', '-' and '_'", "govuk-input--width-20",
                          ed ? ed->code : NULL);
    web_entry_admin_field(r, e, "ind-title", "Title", NULL, "", ed ? ed->title : NULL);
    web_entry_admin_select(r, e, "ind-unit", "Unit", units, 5, ed ? unit_name(ed->def.unit) : NULL);
    web_entry_admin_choose(r, e, "ind-polarity", "Better when it is", polarities, 3,
                           ed ? polarities[ed->def.polarity == POLARITY_LOWER ? 1 : ed->def.polarity == POLARITY_HIGHER ? 2 : 0][0]
                              : NULL);
    web_entry_admin_choose(r, e, "ind-aggregate", "Periods combine by", aggregates, 5,
                           ed ? aggregate_name(ed->def.aggregate) : NULL);
    web_entry_admin_choose(r, e, "ind-frequency", "Reported every", freqs, 3,
                           ed ? freqs[ed->frequency == PERIOD_YEAR ? 2 : ed->frequency == PERIOD_QUARTER ? 1 : 0][0]
                              : NULL);
    web_entry_admin_field(r, e, "ind-decimals", "Decimals (optional)", NULL, "govuk-input--width-3",
                          ed ? buf_cstr(&dec) : NULL);
    web_entry_admin_field(r, e, "ind-parent", "Parent indicator code (optional)", NULL, "govuk-input--width-20",
                          ed ? ed->parent : NULL);
    web_entry_admin_select(r, e, "ind-partner", "Partner", popts, npartners + 1, ed ? (ed->partner ? ed->partner : "") : NULL);
    web_entry_admin_field(r, e, "ind-formula", "Formula (optional)", "A sum of codes, like a.b + c-d", "",
                          ed ? ed->formula : NULL);
    web_entry_admin_field(r, e, "ind-min", "Lowest value allowed (optional)",
                          "Blank: 0 for a count or a ratio, none otherwise. A number, or none", "govuk-input--width-10",
                          ed && ed->has_min ? buf_cstr(&mn) : NULL);
    web_entry_admin_field(r, e, "ind-max", "Highest value allowed (optional)",
                          "Blank: 100 for a percentage, none otherwise. A number, or none", "govuk-input--width-10",
                          ed && ed->has_max ? buf_cstr(&mx) : NULL);
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Save indicator</button></form>\n");
    buf_release(&dec);
    buf_release(&mn);
    buf_release(&mx);

    /* Targets: the list with titles, then the form, choosing the indicator by its title */
    web_html(b, "<h2 class=\"govuk-heading-m\" id=\"targets\">Targets</h2>\n");
    if (!at.n)
        web_html(b, "<p class=\"govuk-body\">No targets yet.</p>\n");
    else {
        web_html_wrap_begin(b, "Targets");
        web_html(b, "<table class=\"govuk-table app-table--stack\"><caption class=\"govuk-table__caption "
                    "govuk-visually-hidden\">Targets</caption><thead><tr><th scope=\"col\" class=\"govuk-table__header\">"
                    "Indicator</th><th scope=\"col\" class=\"govuk-table__header\">Area</th><th scope=\"col\" "
                    "class=\"govuk-table__header\">Year</th><th scope=\"col\" class=\"govuk-table__header "
                    "govuk-table__header--numeric\">Target</th><th scope=\"col\" class=\"govuk-table__header "
                    "govuk-table__header--numeric\">Amber band</th></tr></thead><tbody>\n");
        Buf t = BUF_INIT, tol = BUF_INIT, yr = BUF_INIT;
        for (int k = 0; k < at.n; k++) {
            const char *title = "?", *aname = "?";
            for (int q = 0; q < ninds; q++)
                if (inds[q].id == at.ids[k][0])
                    title = inds[q].title;
            for (int q = 0; q < nareas; q++)
                if (area_ids[q] == at.ids[k][1])
                    aname = areas[q];
            buf_reset(&t);
            buf_reset(&tol);
            buf_reset(&yr);
            fq_format_micro(&t, at.t[k].target_micro);
            fq_format_micro(&tol, at.t[k].tolerance_micro);
            period_format(&yr, (Period){PERIOD_YEAR, period_fy_first(at.t[k].fy, r->store->fy_start)},
                          r->store->fy_start);
            web_html(b, "<tr><th scope=\"row\" class=\"govuk-table__cell\">%s</th><td class=\"govuk-table__cell\" "
                        "data-label=\"Area\">%s</td><td class=\"govuk-table__cell\" data-label=\"Year\">%s</td><td "
                        "class=\"govuk-table__cell govuk-table__cell--numeric\" data-label=\"Target\">%s</td><td "
                        "class=\"govuk-table__cell govuk-table__cell--numeric\" data-label=\"Amber band\">%s%%</td>"
                        "</tr>\n",
                     title, aname, buf_cstr(&yr), buf_cstr(&t), buf_cstr(&tol));
        }
        buf_release(&t);
        buf_release(&tol);
        buf_release(&yr);
        web_html(b, "</tbody></table></div>\n");
    }
    web_html(b, "<h3 class=\"govuk-heading-s\">Set a target</h3>\n<p class=\"govuk-body\">A target for an indicator, "
                "area and year that already has one replaces it.</p>\n<form method=\"post\" action=\"/admin/targets\" "
                "novalidate>");
    web_html_csrf(r);
    {
        const char **io = xcalloc((size_t)ninds + 1, 2 * sizeof *io);
        for (int k = 0; k < ninds; k++) {
            io[2 * k] = inds[k].code;
            io[2 * k + 1] = inds[k].title;
        }
        web_entry_admin_choose(r, e, "tgt-indicator", "Indicator", (const char *const(*)[2])io, ninds, NULL);
        free(io);
        const char **ao = xcalloc((size_t)nareas + 2, 2 * sizeof *ao);
        ao[0] = "";
        ao[1] = "The home area";
        for (int k = 0; k < nareas; k++) {
            ao[2 * k + 2] = areas[k];
            ao[2 * k + 3] = areas[k];
        }
        web_entry_admin_choose(r, e, "tgt-area", "Area", (const char *const(*)[2])ao, nareas + 1, NULL);
        free(ao);
    }
    web_entry_admin_field(r, e, "tgt-year", "Financial year", "Like 2011/12", "govuk-input--width-10", NULL);
    web_entry_admin_field(r, e, "tgt-target", "Target for the year", NULL, "govuk-input--width-10", NULL);
    web_entry_admin_field(r, e, "tgt-tolerance", "Amber band, percent of the target (blank: 5)", NULL,
                          "govuk-input--width-5", NULL);
    web_html(b, "<button type=\"submit\" class=\"govuk-button\">Save target</button></form>\n");

    web_html(b, "<h2 class=\"govuk-heading-m\" id=\"upload\">Upload a file</h2>\n<p class=\"govuk-body\">A CSV file "
                "or .xlsx workbook with the same columns as <code>kpi import</code> takes, or police.uk street-level "
                "files (.csv, .csv.gz or .zip), up to 10 MB. The whole file is checked; if any row is wrong, "
                "nothing is stored.</p>\n<form method=\"post\" action=\"/admin/upload\" "
                "enctype=\"multipart/form-data\" novalidate>");
    web_html_csrf(r);
    web_entry_admin_choose(r, e, "kind", "What the file holds", kinds, 7, NULL);
    web_entry_admin_field(r, e, "sheet", "Sheet of a workbook (optional: the first)", NULL, "govuk-input--width-20",
                          NULL);
    const char *fmsg = e ? web_errors_for(e, "file") : NULL;
    web_html(b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label govuk-label--s\" for=\"file\">File"
                "</label>",
             fmsg ? " govuk-form-group--error" : "");
    if (fmsg)
        web_html(b, "<p id=\"file-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>",
                 fmsg);
    web_html(b, "<input class=\"govuk-file-upload\" id=\"file\" name=\"file\" type=\"file\" accept=\".csv,.xlsx,.gz,.zip\"%s>"
                "</div>\n<button type=\"submit\" class=\"govuk-button\">Upload and import</button></form>\n",
             fmsg ? " aria-describedby=\"file-error\"" : "");
    web_html_end(r);
    free(popts);
    free(at.ids);
    free(at.t);
    users_list_free(users, nusers);
    store_web_names_free(partners, npartners);
    store_indicators_free(inds, ninds);
    for (int k = 0; k < nareas; k++)
        free(areas[k]);
    free(areas);
    free(area_ids);
    err_release(&err);
}

int web_entry_admin(WebReq *r)
{
    const char *done = web_query(r, "done");
    web_entry_admin_page(r, NULL, done);
    return 0;
}

/* After a successful admin change: back to the page with a message. */
static int web_entry_admin_done(WebReq *r, const char *message, const char *anchor)
{
    Buf loc = BUF_INIT;
    web_changed(r);
    web_html(&loc, "/admin?done=%u#%u", message, anchor);
    web_redirect(r, buf_cstr(&loc));
    buf_release(&loc);
    return 0;
}

static int web_entry_admin_refuse(WebReq *r, WebErrors *e)
{
    web_entry_admin_page(r, e, NULL);
    r->status = MHD_HTTP_BAD_REQUEST;
    web_errors_release(e);
    return 0;
}

int web_entry_admin_user(WebReq *r)
{
    WebErrors e = {0};
    Err err = ERR_INIT;
    Buf t[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT}, m = BUF_INIT;
    UserRole role = ROLE_VIEWER;
    char hash[crypto_pwhash_STRBYTES];
    int rc = 0;
    const char *name = web_entry_get(r, "user-name", &t[0]), *rtext = web_entry_get(r, "user-role", &t[1]);
    const char *partner = web_entry_get(r, "user-partner", &t[2]), *pw = web_field(r, "user-password");

    if (!name)
        web_errors_add(&e, "user-name", "Enter a username");
    else if (users_name_check(name, &err) < 0)
        web_errors_add(&e, "user-name", "%s", err_msg(&err));
    if (!rtext || users_role_parse(rtext, &role) < 0)
        web_errors_add(&e, "user-role", "Choose a role: viewer, editor or admin");
    else if (role == ROLE_EDITOR && !partner)
        web_errors_add(&e, "user-partner", "Choose the partner whose data the editor enters");
    if (!pw || strlen(pw) < WEB_ENTRY_MIN_PASSWORD)
        web_errors_add(&e, "user-password", "Password must be at least %d characters", WEB_ENTRY_MIN_PASSWORD);
    else if (strlen(pw) > 1024)
        web_errors_add(&e, "user-password", "Password must be 1024 characters or fewer");
    if (e.n) {
        rc = web_entry_admin_refuse(r, &e);
        goto out;
    }
    if (web_auth_password_hash(pw, hash, &err) < 0) {
        rc = -1;
        goto out;
    }
    err_release(&err);
    if (store_begin(r->store, &err) < 0) {
        rc = -1;
        goto out;
    }
    if (users_add(r->store, name, role, partner, 0, hash, &err) < 0) {
        store_rollback(r->store);
        web_errors_add(&e, "user-name", "%s", err_msg(&err));
        rc = web_entry_admin_refuse(r, &e);
        goto out;
    }
    if (store_commit(r->store, &err) < 0) {
        rc = -1;
        goto out;
    }
    buf_printf(&m, "Added user %s.", name);
    web_entry_admin_done(r, buf_cstr(&m), "users");
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    for (int k = 0; k < 4; k++)
        buf_release(&t[k]);
    buf_release(&m);
    err_release(&err);
    web_errors_release(&e);
    return rc;
}

int web_entry_admin_user_change(WebReq *r)
{
    WebErrors e = {0};
    Err err = ERR_INIT;
    Buf t[3] = {BUF_INIT, BUF_INIT, BUF_INIT}, m = BUF_INIT;
    User u;
    UserRole role = ROLE_VIEWER;
    int found = 0, rc = 0;
    char *end;
    int64_t id = strtoll(r->arg, &end, 10);

    memset(&u, 0, sizeof u);
    if (*end || users_get(r->store, id, &u, &found, &err) < 0 || !found) {
        web_error(r, MHD_HTTP_NOT_FOUND, "There is no such user.");
        goto out;
    }
    const char *action = web_entry_get(r, "action", &t[0]), *rtext = web_entry_get(r, "role", &t[1]);
    const char *partner = web_entry_get(r, "partner", &t[2]);
    Buf field = BUF_INIT; /* the user's role select, where a refusal shows */
    buf_printf(&field, "role-%lld", (long long)u.id);
    const char *confirm = web_field(r, "confirm");
    if (action && strcmp(action, "delete") == 0) {
        if (u.id == r->user.id) {
            web_errors_add(&e, buf_cstr(&field), "You cannot delete your own account");
            rc = web_entry_admin_refuse(r, &e);
            buf_release(&field);
            goto out;
        }
        if (!confirm || strcmp(confirm, "yes") != 0) { /* ask first */
            web_entry_admin_confirm_delete(r, &u);
            buf_release(&field);
            goto out;
        }
        if (store_begin(r->store, &err) < 0 || users_delete(r->store, u.id, &err) < 0 || store_commit(r->store, &err) < 0) {
            store_rollback(r->store);
            rc = -1;
            goto out;
        }
        buf_printf(&m, "Deleted user %s.", u.name);
        web_entry_admin_done(r, buf_cstr(&m), "users");
        buf_release(&field);
        goto out;
    }
    if (!rtext || users_role_parse(rtext, &role) < 0)
        web_errors_add(&e, buf_cstr(&field), "Choose a role for %s: viewer, editor or admin", u.name);
    else if (role == ROLE_EDITOR && !partner)
        web_errors_add(&e, buf_cstr(&field), "An editor needs a partner: choose one for %s", u.name);
    else if (u.id == r->user.id && role != ROLE_ADMIN)
        web_errors_add(&e, buf_cstr(&field), "You cannot take away your own admin role");
    if (e.n) {
        rc = web_entry_admin_refuse(r, &e);
        buf_release(&field);
        goto out;
    }
    buf_release(&field);
    if (store_begin(r->store, &err) < 0) {
        rc = -1;
        goto out;
    }
    if (users_update(r->store, u.id, role, partner, NULL, &err) < 0) {
        store_rollback(r->store);
        web_errors_add(&e, NULL, "%s", err_msg(&err));
        rc = web_entry_admin_refuse(r, &e);
        goto out;
    }
    if (store_commit(r->store, &err) < 0) {
        rc = -1;
        goto out;
    }
    buf_printf(&m, "Changed user %s.", u.name);
    web_entry_admin_done(r, buf_cstr(&m), "users");
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    users_release(&u);
    for (int k = 0; k < 3; k++)
        buf_release(&t[k]);
    buf_release(&m);
    err_release(&err);
    web_errors_release(&e);
    return rc;
}

int web_entry_admin_partner(WebReq *r)
{
    WebErrors e = {0};
    Err err = ERR_INIT;
    Buf t = BUF_INIT, m = BUF_INIT;
    int64_t id = 0;
    int rc = 0;
    const char *name = web_entry_get(r, "partner-name", &t);
    if (!name)
        web_errors_add(&e, "partner-name", "Enter the partner's name");
    else if (strlen(name) > 200)
        web_errors_add(&e, "partner-name", "A partner's name must be 200 characters or fewer");
    else if (store_partner_id(r->store, name, 0, &id, &err) < 0)
        rc = -1;
    else if (id)
        web_errors_add(&e, "partner-name", "There is already a partner called %s", name);
    if (rc == 0 && e.n) {
        rc = web_entry_admin_refuse(r, &e);
        goto out;
    }
    if (rc < 0)
        goto out;
    if (store_begin(r->store, &err) < 0 || store_partner_id(r->store, name, 1, &id, &err) < 0 ||
        store_commit(r->store, &err) < 0) {
        store_rollback(r->store);
        rc = -1;
        goto out;
    }
    buf_printf(&m, "Added partner %s.", name);
    web_entry_admin_done(r, buf_cstr(&m), "partners");
out:
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    buf_release(&t);
    buf_release(&m);
    err_release(&err);
    web_errors_release(&e);
    return rc;
}

#define WEB_IMPORT_POLICE (-1) /* the kind of a police.uk upload (not an ImportKind) */

/* Import `data` through the CLI's importers, in one transaction: `kind` is an
 * ImportKind or WEB_IMPORT_POLICE; `name` is the user's file name, kept (made
 * safe) so that the importers see its extension and messages name it.
 * Returns 0 imported, 1 refused (message in *e at `field`), -1 failure. */
static int web_entry_import(WebReq *r, int kind, const char *sheet, const char *data, size_t len, const char *name,
                            Buf *summary, WebErrors *e, const char *field)
{
    Err err = ERR_INIT;
    Buf path = BUF_INIT;
    char dir[] = "/tmp/kpi-upload-XXXXXX";
    int rc = -1, fd = -1, began = 0;

    if (!mkdtemp(dir)) {
        fprintf(stderr, "kpi serve: cannot make a temporary folder: %s\n", strerror(errno));
        return -1;
    }
    buf_printf(&path, "%s/", dir);
    size_t prefix = path.len;
    for (const char *c = name; *c && path.len - prefix < 200; c++)
        buf_putc(&path, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                                *c == '-' ? *c : '_');
    if (path.len == prefix || path.data[prefix] == '.')
        buf_puts(&path, "upload.csv");
    fd = open(buf_cstr(&path), O_WRONLY | O_CREAT | O_EXCL, 0600);
    for (size_t off = 0; fd >= 0 && off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            close(fd);
            fd = -1;
            break;
        }
        off += (size_t)w;
    }
    if (fd < 0 || close(fd) != 0) {
        err_set(&err, "cannot write a temporary file: %s", strerror(errno));
        goto out;
    }
    r->store->user = r->user.name;
    if (store_begin(r->store, &err) < 0)
        goto out;
    began = 1;
    char *paths[1] = {path.data};
    int got = kind == WEB_IMPORT_POLICE ? police_import(r->store, paths, 1, 0, summary, &err)
                                        : import_file(r->store, (ImportKind)kind, path.data, sheet, summary, &err);
    if (got < 0) {
        /* Messages name the file as the user knows it. */
        const char *msg = err_msg(&err);
        const char *at = strstr(msg, dir);
        if (at)
            web_errors_add(e, field, "%.*s%s", (int)(at - msg), msg, at + prefix);
        else
            web_errors_add(e, field, "%s", msg);
        rc = 1;
        goto out;
    }
    if (store_commit(r->store, &err) < 0)
        goto out;
    began = 0;
    rc = 0;
out:
    if (began)
        store_rollback(r->store);
    if (rc < 0)
        fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
    r->store->user = "web";
    unlink(buf_cstr(&path));
    rmdir(dir);
    buf_release(&path);
    err_release(&err);
    return rc;
}

/* Build a one-row CSV from form fields (prefix + column) and import it. */
static int web_entry_admin_row(WebReq *r, ImportKind kind, const char *const *cols, int ncols, const char *prefix,
                               const char *what, const char *anchor)
{
    WebErrors e = {0};
    Buf csv = BUF_INIT, name = BUF_INIT, t = BUF_INIT, summary = BUF_INIT, m = BUF_INIT;
    int rc = 0;
    for (int c = 0; c < ncols; c++) {
        if (c)
            buf_putc(&csv, ',');
        csv_write_field(&csv, cols[c]);
    }
    buf_putc(&csv, '\n');
    for (int c = 0; c < ncols; c++) {
        buf_reset(&name);
        buf_printf(&name, "%s%s", prefix, cols[c]);
        const char *v = web_entry_get(r, buf_cstr(&name), &t);
        if (v && (strchr(v, '\n') || strchr(v, '\r')))
            v = NULL;
        if (c)
            buf_putc(&csv, ',');
        csv_write_field(&csv, v ? v : "");
    }
    buf_putc(&csv, '\n');
    buf_reset(&name);
    buf_printf(&name, "%s%s", prefix, cols[0]);
    int got = web_entry_import(r, (int)kind, NULL, buf_cstr(&csv), csv.len, "form.csv", &summary, &e, anchor);
    if (got < 0) {
        rc = -1;
    } else if (got > 0) {
        /* In the page's words, beside the field it names first (else the first field). */
        WebErrors words = {0};
        Buf w = BUF_INIT, fname = BUF_INIT;
        web_entry_user_words(e.msg[0], &w);
        const char *at = NULL;
        int col = 0;
        for (int c = 0; c < ncols; c++) {
            const char *hit = strstr(e.msg[0], cols[c]);
            if (hit && (!at || hit < at)) {
                at = hit;
                col = c;
            }
        }
        buf_printf(&fname, "%s%s", prefix, cols[col]);
        web_errors_add(&words, buf_cstr(&fname), "%s", buf_cstr(&w));
        rc = web_entry_admin_refuse(r, &words);
        buf_release(&w);
        buf_release(&fname);
    } else {
        buf_printf(&m, "Saved the %s.", what);
        web_entry_admin_done(r, buf_cstr(&m), anchor);
    }
    web_errors_release(&e);
    buf_release(&csv);
    buf_release(&name);
    buf_release(&t);
    buf_release(&summary);
    buf_release(&m);
    return rc;
}

int web_entry_admin_indicator(WebReq *r)
{
    static const char *const cols[] = {"code", "title", "unit", "polarity", "aggregate", "frequency", "decimals",
                                       "parent", "partner", "formula", "min", "max"};
    return web_entry_admin_row(r, IMPORT_INDICATORS, cols, 12, "ind-", "indicator", "indicators");
}

int web_entry_admin_target(WebReq *r)
{
    static const char *const cols[] = {"indicator", "area", "year", "target", "tolerance"};
    return web_entry_admin_row(r, IMPORT_TARGETS, cols, 5, "tgt-", "target", "targets");
}

int web_entry_admin_upload(WebReq *r)
{
    WebErrors e = {0};
    Buf summary = BUF_INIT, shown = BUF_INIT, m = BUF_INIT, t = BUF_INIT;
    ImportKind kind = IMPORT_VALUES;
    int rc = 0, police = 0;
    const char *ktext = web_field(r, "kind"), *sheet = web_entry_get(r, "sheet", &t);
    const WebField *f = web_field_get(r, "file");

    if (ktext && strcmp(ktext, "police") == 0)
        police = 1;
    else if (!ktext || import_kind_parse(ktext, &kind) < 0)
        web_errors_add(&e, "kind", "Choose what the file holds");
    if (!f || !f->filename || !f->value.len)
        web_errors_add(&e, "file", "Choose a file to upload");
    if (e.n || !f) {
        rc = web_entry_admin_refuse(r, &e);
        goto out;
    }
    /* The user's file name, as messages show it: its last part only. */
    const char *base = strrchr(f->filename, '/');
    base = base ? base + 1 : f->filename;
    const char *bs = strrchr(base, '\\');
    buf_puts(&shown, bs ? bs + 1 : base);
    int got = web_entry_import(r, police ? WEB_IMPORT_POLICE : (int)kind, sheet, f->value.data, f->value.len,
                               buf_cstr(&shown), &summary, &e, "file");
    if (got < 0) {
        rc = -1;
    } else if (got > 0) {
        rc = web_entry_admin_refuse(r, &e);
    } else {
        buf_printf(&m, "Imported %s: ", buf_cstr(&shown));
        /* the summary names the temporary file: keep what comes before it */
        const char *sum = buf_cstr(&summary), *from = strstr(sum, " from /tmp/");
        buf_append(&m, sum, from ? (size_t)(from - sum) : strcspn(sum, "\n"));
        buf_putc(&m, '.');
        web_entry_admin_done(r, buf_cstr(&m), "upload");
    }
out:
    web_errors_release(&e);
    buf_release(&summary);
    buf_release(&shown);
    buf_release(&m);
    buf_release(&t);
    return rc;
}
