/* cmd_cycle.c — the quarterly cycle from the command line (docs/web.md):
 * `kpi round open|close|list`, `kpi submit`, `kpi approve`, `kpi return`,
 * `kpi exception`, `kpi publish`, `kpi reopen`, `kpi paper list|get` and
 * `kpi remind`. Each command is one transaction; every change is in the
 * audit log (cycle.h).
 *
 * "Every return" (publish's condition): a return from every partner that
 * owns an indicator taking values (no formula), each approved in the round.
 * A red figure needs words: while one of the partner's indicators is red
 * (its compare row's RAG) in some area for the period, with no exception
 * commentary for that indicator, area and period, the partner's return
 * cannot be submitted. A paper is rendered for the home area. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lazy_curl.h"
#include "cli.h"
#include "cycle.h"
#include "dataset.h"
#include "embed.h"
#include "mail.h"
#include "render.h"
#include "template.h"
#include "web.h"

#define CYCLE_TEMPLATE_MAX (4 * 1024 * 1024)
#define CYCLE_MAX_TEXT 2000 /* characters of a reason or commentary field */

static int cycle_period(Store *s, const char *text, Period *p, Err *err)
{
    const char *why;
    if (period_parse(text, s->fy_start, p, &why) < 0)
        return err_set(err, "bad period '%s': %s", text, why);
    return 0;
}

static void cycle_ptext(Store *s, Period p, Buf *out)
{
    buf_reset(out);
    period_format(out, p, s->fy_start);
}

/* A reason or commentary field: not empty, not too long, one paragraph. */
static int cycle_text_check(const char *name, const char *v, Err *err)
{
    if (!v || !*v || strspn(v, " \t") == strlen(v))
        return cli_usage_error(err, "--%s needs some words", name);
    if (strlen(v) > CYCLE_MAX_TEXT)
        return err_set(err, "--%s is longer than %d characters", name, CYCLE_MAX_TEXT);
    for (const char *c = v; *c; c++) {
        if ((unsigned char)*c < 0x20 && *c != '\t')
            return err_set(err, "--%s holds a control character or line break", name);
    }
    return 0;
}

/* ---- kpi round ---- */

static int round_list(Store *s, Err *err)
{
    CycleRound *r = NULL;
    int n = 0, rc = -1;
    Buf pt = BUF_INIT;
    char **names = NULL;
    int64_t *ids = NULL;
    int np = 0;
    if (cycle_rounds(s, &r, &n, err) < 0 || cycle_partners_due(s, &names, &ids, &np, err) < 0)
        goto out;
    printf("period,opens,due,remind,state,published_paper,approved,returns_due\n");
    for (int i = 0; i < n; i++) {
        int approved = 0;
        for (int k = 0; k < np; k++) {
            char *state = NULL;
            if (cycle_return_get(s, r[i].id, ids[k], &state, NULL, err) < 0)
                goto out;
            approved += strcmp(state, "approved") == 0;
            free(state);
        }
        cycle_ptext(s, r[i].period, &pt);
        char paper[24] = "";
        if (r[i].paper_id)
            snprintf(paper, sizeof paper, "%lld", (long long)r[i].paper_id);
        printf("%s,%s,%s,\"%s\",%s,%s,%d,%d\n", buf_cstr(&pt), r[i].opens, r[i].due, r[i].remind,
               r[i].paper_id ? "published" : r[i].state, paper, approved, np);
    }
    rc = 0;
out:
    cycle_rounds_free(r, n);
    cycle_names_free(names, ids, np);
    buf_release(&pt);
    return rc;
}

/* A bad option value as an error quotes it: its first 80 bytes (a value of
 * 100 000 characters would bury the message), then "...". printf's "%.*s%s". */
#define SHOWN(v) (strlen(v) > 80 ? 80 : (int)strlen(v)), (v), (strlen(v) > 80 ? "..." : "")

int cmd_round(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Period p;
    int rc = -1, opened = 0;
    if (ctx->argc < 1)
        return cli_usage_error(err, "expected `round open P --due DATE`, `round close P` or `round list`");
    const char *sub = ctx->argv[0];
    CliCtx rest = {ctx->db_url, ctx->argc - 1, ctx->argv + 1, ctx->cmd};
    if (cli_parse(&rest, &o, err) < 0)
        return -1;
    int is_open = strcmp(sub, "open") == 0, is_close = strcmp(sub, "close") == 0, is_list = strcmp(sub, "list") == 0;
    if (!is_open && !is_close && !is_list) {
        cli_usage_error(err, "unknown `round %s`: expected open, close or list", sub);
        goto out;
    }
    if (is_list ? o.npos != 0 || o.nopts != 0 : o.npos != 1) {
        cli_usage_error(err, is_list ? "round list takes no arguments" : "round %s needs exactly one period", sub);
        goto out;
    }
    if (is_close && o.nopts) {
        cli_usage_error(err, "round close takes no options");
        goto out;
    }
    int due = 0, opens = 0, offs[CYCLE_MAX_OFFSETS], noffs = 0;
    char opens_text[11], remind[CYCLE_MAX_OFFSETS * 6];
    if (is_open) {
        const char *why;
        if (!cli_opt(&o, "due")) {
            cli_usage_error(err, "--due YYYY-MM-DD is required");
            goto out;
        }
        if (cycle_date_parse(cli_opt(&o, "due"), &due) < 0) {
            cli_usage_error(err, "--due '%.*s%s' is not a date YYYY-MM-DD", SHOWN(cli_opt(&o, "due")));
            goto out;
        }
        if (cli_opt(&o, "opens") && cycle_date_parse(cli_opt(&o, "opens"), &opens) < 0) {
            cli_usage_error(err, "--opens '%.*s%s' is not a date YYYY-MM-DD", SHOWN(cli_opt(&o, "opens")));
            goto out;
        }
        if (!cli_opt(&o, "opens"))
            opens = cycle_today() < due ? cycle_today() : due;
        if (opens > due) {
            cli_usage_error(err, "--opens %s is after the due date %s", cli_opt(&o, "opens"), cli_opt(&o, "due"));
            goto out;
        }
        cycle_date_format(opens, opens_text);
        const char *rt = cli_opt(&o, "remind") ? cli_opt(&o, "remind") : CYCLE_DEFAULT_REMIND;
        if (cycle_offsets_parse(rt, offs, &noffs, &why) < 0) {
            cli_usage_error(err, "--remind '%.*s%s': %s", SHOWN(rt), why);
            goto out;
        }
        remind[0] = '\0';
        for (int k = 0; k < noffs; k++)
            snprintf(remind + strlen(remind), sizeof remind - strlen(remind), "%s%d", k ? "," : "", offs[k]);
        const char *ex = cli_opt(&o, "exceptions");
        if (ex && !cycle_exceptions_valid(ex)) { /* bad input, like the dates: exit 2 */
            cli_usage_error(err, "--exceptions '%.*s%s': say red (red figures need commentary) or amber (amber and red)",
                            SHOWN(ex));
            goto out;
        }
    }
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (is_list) {
        if (store_begin_read(&s, err) < 0)
            goto out;
        rc = round_list(&s, err);
        goto out;
    }
    if (cycle_period(&s, o.pos[0], &p, err) < 0 || store_begin(&s, err) < 0)
        goto out;
    Buf pt = BUF_INIT;
    cycle_ptext(&s, p, &pt);
    if (is_open) {
        if (cycle_round_open(&s, p, opens_text, cli_opt(&o, "due"), remind, cli_opt(&o, "exceptions"), err) < 0 || store_commit(&s, err) < 0) {
            store_rollback(&s);
            buf_release(&pt);
            goto out;
        }
        printf("opened the round for %s: opens %s, due %s, reminders %s days from the due date\n", buf_cstr(&pt),
               opens_text, cli_opt(&o, "due"), remind);
    } else {
        if (cycle_round_close(&s, p, err) < 0 || store_commit(&s, err) < 0) {
            store_rollback(&s);
            buf_release(&pt);
            goto out;
        }
        printf("closed the round for %s\n", buf_cstr(&pt));
    }
    buf_release(&pt);
    rc = 0;
out:
    if (opened)
        store_close(&s);
    cli_opts_release(&o);
    return rc;
}

/* ---- returns: submit, approve, return ---- */

typedef enum { RET_SUBMIT, RET_APPROVE, RET_RETURN } RetAction;

static int cycle_return_cmd(CliCtx *ctx, RetAction act, Err *err)
{
    static const char *const names[] = {"submit", "approve", "return"};
    CliOpts o;
    Store s;
    Period p;
    int rc = -1, opened = 0;
    Buf pt = BUF_INIT;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    const char *partner = cli_opt(&o, "partner"), *reason = cli_opt(&o, "reason");
    if (o.npos != 1 || !partner) {
        cli_usage_error(err, "%s needs a period and --partner NAME", names[act]);
        goto out;
    }
    if (act == RET_RETURN && cycle_text_check("reason", reason, err) < 0)
        goto out;
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (cycle_period(&s, o.pos[0], &p, err) < 0 || store_begin(&s, err) < 0)
        goto out;
    cycle_ptext(&s, p, &pt);
    const char *to = NULL;
    if (cycle_return_act(&s, p, partner, names[act], reason, dataset_red_unexplained, &to, err) < 0 ||
        store_commit(&s, err) < 0) {
        store_rollback(&s);
        if (act == RET_SUBMIT && strstr(err_msg(err), "without exception commentary")) {
            Buf m = BUF_INIT; /* how to write it, in the CLI's words */
            buf_printf(&m, "%s; add it with `kpi exception \"%s\" --indicator CODE [--area A] --cause TEXT --action "
                           "TEXT --owner NAME --date YYYY-MM-DD`", err_msg(err), buf_cstr(&pt));
            err_release(err);
            err_set(err, "%s", buf_cstr(&m));
            buf_release(&m);
        }
        goto out;
    }
    printf("%s's return for %s: %s%s%s%s\n", partner, buf_cstr(&pt), to, act == RET_RETURN ? " (" : "",
           act == RET_RETURN ? reason : "", act == RET_RETURN ? ")" : "");
    rc = 0;
out:
    if (opened)
        store_close(&s);
    buf_release(&pt);
    cli_opts_release(&o);
    return rc;
}

int cmd_submit(CliCtx *ctx, Err *err)
{
    return cycle_return_cmd(ctx, RET_SUBMIT, err);
}

int cmd_approve(CliCtx *ctx, Err *err)
{
    return cycle_return_cmd(ctx, RET_APPROVE, err);
}

int cmd_return(CliCtx *ctx, Err *err)
{
    return cycle_return_cmd(ctx, RET_RETURN, err);
}

/* ---- kpi exception ---- */

int cmd_exception(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Period p;
    Indicator *inds = NULL;
    int ninds = 0, rc = -1, opened = 0, day;
    static const char *const fields[] = {"cause", "action", "owner"};
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos != 1 || !cli_opt(&o, "indicator")) {
        cli_usage_error(err, "exception needs a period and --indicator CODE");
        goto out;
    }
    for (int k = 0; k < 3; k++) {
        if (cycle_text_check(fields[k], cli_opt(&o, fields[k]), err) < 0)
            goto out;
    }
    if (!cli_opt(&o, "date") || cycle_date_parse(cli_opt(&o, "date"), &day) < 0) {
        cli_usage_error(err, "--date YYYY-MM-DD (when the action is due) is required");
        goto out;
    }
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (cycle_period(&s, o.pos[0], &p, err) < 0 || store_begin(&s, err) < 0)
        goto out;
    const char *area = cli_opt(&o, "area") ? cli_opt(&o, "area") : s.home_area, *code = cli_opt(&o, "indicator");
    int64_t area_id = 0, ind_id = 0;
    if (store_indicators(&s, &inds, &ninds, err) < 0 || store_area_id(&s, area, 0, &area_id, err) < 0)
        goto fail;
    for (int i = 0; i < ninds; i++) {
        if (strcmp(inds[i].code, code) == 0)
            ind_id = inds[i].id;
    }
    if (!ind_id) {
        err_set(err, "unknown indicator '%s'", code);
        goto fail;
    }
    if (!area_id) {
        err_set(err, "unknown area '%s'", area);
        goto fail;
    }
    Buf d = BUF_INIT;
    period_format(&d, p, s.fy_start);
    buf_printf(&d, ", %s in %s: %s; %s; %s by %s", code, area, cli_opt(&o, "cause"), cli_opt(&o, "action"),
               cli_opt(&o, "owner"), cli_opt(&o, "date"));
    if (cycle_exception_put(&s, ind_id, area_id, p, cli_opt(&o, "cause"), cli_opt(&o, "action"),
                            cli_opt(&o, "owner"), cli_opt(&o, "date"), err) < 0 ||
        cycle_audit(&s, "exception", buf_cstr(&d), err) < 0 || store_commit(&s, err) < 0) {
        buf_release(&d);
        goto fail;
    }
    printf("exception recorded: %s\n", buf_cstr(&d));
    buf_release(&d);
    rc = 0;
    goto out;
fail:
    store_rollback(&s);
out:
    store_indicators_free(inds, ninds);
    if (opened)
        store_close(&s);
    cli_opts_release(&o);
    return rc;
}

/* ---- kpi publish ---- */

/* The worked example's template, carried inside the binary. */
static const EmbedFile *cycle_embedded_template(void)
{
    for (const EmbedFile *f = embed_files; f->name; f++) {
        const char *slash = strrchr(f->name, '/');
        if (slash && strcmp(slash + 1, "report.md") == 0)
            return f;
    }
    return NULL;
}

int cmd_publish(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Period p;
    Buf tpl = BUF_INIT, outs[RENDER_NFORMATS], pt = BUF_INIT;
    int rc = -1, opened = 0, nrevised = 0;
    /* the files of a published paper: render.c's table says which */
    const char *cycle_formats[RENDER_NFORMATS];
    const int nformats = render_formats(RENDER_PUBLISH, cycle_formats);
    for (int k = 0; k < RENDER_NFORMATS; k++)
        buf_init(&outs[k]);
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos != 1) {
        cli_usage_error(err, "publish needs exactly one period");
        goto out;
    }
    const char *tpl_name = cli_opt(&o, "template");
    if (tpl_name) {
        FILE *fp = fopen(tpl_name, "rb");
        if (!fp) {
            err_set(err, "%s: cannot open", tpl_name);
            goto out;
        }
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && tpl.len <= CYCLE_TEMPLATE_MAX)
            buf_append(&tpl, chunk, n);
        int bad = ferror(fp);
        fclose(fp);
        if (bad || tpl.len > CYCLE_TEMPLATE_MAX) {
            err_set(err, "%s: %s", tpl_name, bad ? "read error" : "too large for a template");
            goto out;
        }
    } else {
        const EmbedFile *f = cycle_embedded_template();
        if (!f)
            PANIC("the worked example's report.md is not embedded");
        buf_append(&tpl, f->data, f->len);
        tpl_name = "report.md (the worked example's)";
    }
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (cycle_period(&s, o.pos[0], &p, err) < 0 || store_begin(&s, err) < 0)
        goto out;
    cycle_ptext(&s, p, &pt);
    int64_t paper = 0, locked_by;
    /* refuse early, before rendering, what publishing would refuse anyway */
    if (cycle_locked(&s, p, &locked_by, NULL, err) < 0)
        goto fail;
    if (locked_by) {
        err_set(err, "%s is already published (paper %lld)", buf_cstr(&pt), (long long)locked_by);
        goto fail;
    }
    CycleRound r;
    int found, ok = 0;
    Buf who = BUF_INIT;
    if (cycle_round_find(&s, p, &r, &found, err) < 0)
        goto fail;
    if (found) {
        int arc = cycle_all_approved(&s, r.id, &who, &ok, err);
        cycle_round_free(&r);
        if (arc < 0) {
            buf_release(&who);
            goto fail;
        }
    }
    if (!found || !ok) {
        if (!found)
            err_set(err, "no round for %s: open one, and have every return approved, before publishing",
                    buf_cstr(&pt));
        else
            err_set(err, "%s cannot be published until every partner's return is approved; not yet: %s",
                    buf_cstr(&pt), buf_cstr(&who));
        buf_release(&who);
        goto fail;
    }
    buf_release(&who);
    if (web_cycle_render(&s, p, buf_cstr(&tpl), tpl.len, tpl_name, nformats, cycle_formats, outs, &nrevised,
                         err) < 0)
        goto fail;
    if (cycle_publish_rendered(&s, p, tpl_name, nformats, cycle_formats, outs, &paper, err) < 0 ||
        store_commit(&s, err) < 0)
        goto fail;
    printf("published %s as paper %lld (%s", buf_cstr(&pt), (long long)paper, cycle_formats[0]);
    for (int k = 1; k < nformats; k++)
        printf(", %s", cycle_formats[k]);
    printf("); %d %s marked revised; the period is locked\n%lld\n", nrevised,
           nrevised == 1 ? "indicator" : "indicators", (long long)paper);
    rc = 0;
    goto out;
fail:
    store_rollback(&s);
out:
    if (opened)
        store_close(&s);
    for (int k = 0; k < RENDER_NFORMATS; k++)
        buf_release(&outs[k]);
    buf_release(&tpl);
    buf_release(&pt);
    cli_opts_release(&o);
    return rc;
}

int cmd_reopen(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    Period p;
    int rc = -1, opened = 0;
    Buf pt = BUF_INIT;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos != 1) {
        cli_usage_error(err, "reopen needs exactly one period and --reason TEXT");
        goto out;
    }
    if (cycle_text_check("reason", cli_opt(&o, "reason"), err) < 0)
        goto out;
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (cycle_period(&s, o.pos[0], &p, err) < 0 || store_begin(&s, err) < 0)
        goto out;
    cycle_ptext(&s, p, &pt);
    if (cycle_reopen(&s, p, cli_opt(&o, "reason"), err) < 0 || store_commit(&s, err) < 0) {
        store_rollback(&s);
        goto out;
    }
    printf("reopened %s: its figures may change again; the published paper stays as it was\n", buf_cstr(&pt));
    rc = 0;
out:
    if (opened)
        store_close(&s);
    buf_release(&pt);
    cli_opts_release(&o);
    return rc;
}

/* ---- kpi paper ---- */

int cmd_paper(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    int rc = -1, opened = 0;
    Buf pt = BUF_INIT, bytes = BUF_INIT;
    if (ctx->argc < 1 || (strcmp(ctx->argv[0], "list") != 0 && strcmp(ctx->argv[0], "get") != 0))
        return cli_usage_error(err, "expected `paper list` or `paper get ID --format FORMAT -o FILE`");
    int get = strcmp(ctx->argv[0], "get") == 0;
    CliCtx rest = {ctx->db_url, ctx->argc - 1, ctx->argv + 1, ctx->cmd};
    if (cli_parse(&rest, &o, err) < 0)
        return -1;
    char *end = NULL;
    long long id = 0;
    if (get) {
        if (o.npos != 1 || !cli_opt(&o, "format") || !cli_opt(&o, "o")) {
            cli_usage_error(err, "paper get needs an ID, --format FORMAT and -o FILE");
            goto out;
        }
        id = strtoll(o.pos[0], &end, 10);
        if (!*o.pos[0] || *end || id <= 0) {
            cli_usage_error(err, "paper id '%s' is not a number (see `kpi paper list`)", o.pos[0]);
            goto out;
        }
    } else if (o.npos || o.nopts) {
        cli_usage_error(err, "paper list takes no arguments or options");
        goto out;
    }
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (store_begin_read(&s, err) < 0)
        goto out;
    if (!get) {
        CyclePaperFile *f = NULL;
        int n = 0;
        if (cycle_paper_files(&s, &f, &n, err) < 0) {
            cycle_paper_files_free(f, n);
            goto out;
        }
        printf("paper,period,area,created_at,created_by,format,bytes,sha256\n");
        for (int i = 0; i < n; i++) {
            cycle_ptext(&s, f[i].period, &pt);
            printf("%lld,%s,%s,%s,%s,%s,%lld,%s\n", (long long)f[i].paper_id, buf_cstr(&pt), f[i].area,
                   f[i].created_at, f[i].created_by, f[i].format, (long long)f[i].size, f[i].sha256);
        }
        cycle_paper_files_free(f, n);
        rc = 0;
        goto out;
    }
    char sha[65];
    int found;
    if (cycle_paper_get(&s, id, cli_opt(&o, "format"), &bytes, sha, &found, err) < 0)
        goto out;
    if (!found) {
        err_set(err, "no paper %lld in format %s (see `kpi paper list`)", id, cli_opt(&o, "format"));
        goto out;
    }
    if (cli_write_file(cli_opt(&o, "o"), bytes.data ? bytes.data : "", bytes.len, err) < 0)
        goto out;
    if (strcmp(cli_opt(&o, "o"), "-") != 0)
        printf("wrote %s: paper %lld, %s, %zu bytes, sha256 %s\n", cli_opt(&o, "o"), id, cli_opt(&o, "format"),
               bytes.len, sha);
    rc = 0;
out:
    if (opened)
        store_close(&s);
    buf_release(&pt);
    buf_release(&bytes);
    cli_opts_release(&o);
    return rc;
}

/* ---- kpi remind ---- */

/* What one partner still owes for a round. */
typedef struct Owed {
    char *partner;
    int64_t partner_id;
    char *state;   /* its return's state */
    Buf items;     /* "- code  title\n" lines */
    int n;
} Owed;

/* The missing figures of every partner in the home area for period p: an
 * indicator taking values, at the period's frequency or finer, whose span is
 * not covered. */
static int cycle_owed(Store *s, const CycleRound *r, Owed **out, int *nout, Err *err)
{
    Dataset d;
    char **names = NULL;
    int64_t *ids = NULL;
    int n = 0, rc = -1;
    *out = NULL;
    *nout = 0;
    if (cycle_partners_due(s, &names, &ids, &n, err) < 0) {
        cycle_names_free(names, ids, n);
        return -1;
    }
    if (dataset_load(s, r->period, &d, err) < 0) {
        cycle_names_free(names, ids, n);
        return -1;
    }
    *out = xcalloc((size_t)n + 1, sizeof **out);
    *nout = n;
    int a = dataset_area_index(&d, s->home_area);
    int months = period_months(r->period);
    int *missing = xcalloc((size_t)months, sizeof *missing);
    for (int k = 0; k < n; k++) {
        Owed *w = &(*out)[k];
        w->partner = xstrdup(names[k]);
        w->partner_id = ids[k];
        buf_init(&w->items);
        if (cycle_return_get(s, r->id, ids[k], &w->state, NULL, err) < 0)
            goto out;
        for (int i = 0; i < d.ninds; i++) {
            const Indicator *ind = &d.inds[i];
            if (!ind->partner || strcmp(ind->partner, names[k]) != 0 || ind->formula ||
                (int)ind->frequency > (int)r->period.kind)
                continue;
            int nmissing = months;
            if (a >= 0) {
                Series *ser = dataset_series(&d, i, a);
                Fq q;
                figures_aggregate(&ind->def, ser->v, ser->n, r->period.first, months, &q, missing, &nmissing);
            }
            if (nmissing > 0) {
                buf_printf(&w->items, "- %s  %s\n", ind->code, ind->title);
                w->n++;
            }
        }
    }
    rc = 0;
out:
    free(missing);
    dataset_release(&d);
    cycle_names_free(names, ids, n);
    return rc;
}

static void cycle_owed_free(Owed *v, int n)
{
    for (int k = 0; k < n; k++) {
        free(v[k].partner);
        free(v[k].state);
        buf_release(&v[k].items);
    }
    free(v);
}

/* Record, then send, one reminder in its own transaction: a failed send
 * records nothing, and a reminder recorded before is not sent again. */
static int cycle_send(Store *s, const MailConfig *mc, const CycleRecipient *u, const CycleRound *r, int offset,
                      const char *today, int items, const char *subject, const char *body, int *sent, Err *err)
{
    int fresh = 0;
    Buf detail = BUF_INIT;
    *sent = 0;
    if (store_begin(s, err) < 0)
        return -1;
    if (cycle_reminder_add(s, u->user_id, r->id, offset, today, items, &fresh, err) < 0)
        goto fail;
    if (!fresh) {
        store_rollback(s);
        return 0;
    }
    buf_printf(&detail, "to %s <%s>: %s", u->name, u->email, subject);
    if (cycle_audit(s, "remind", buf_cstr(&detail), err) < 0 || mail_send(mc, u->email, subject, body, err) < 0 ||
        store_commit(s, err) < 0)
        goto fail;
    printf("sent %s\n", buf_cstr(&detail));
    buf_release(&detail);
    *sent = 1;
    return 0;
fail:
    buf_release(&detail);
    store_rollback(s);
    return -1;
}

/* Reminders of one round for `today`: at the latest offset already reached. */
static int cycle_remind_round(Store *s, const MailConfig *mc, const CycleRound *r, int today, int *nsent, Err *err)
{
    int offs[CYCLE_MAX_OFFSETS], noffs = 0, due, rc = -1;
    const char *why;
    if (cycle_offsets_parse(r->remind, offs, &noffs, &why) < 0 || cycle_date_parse(r->due, &due) < 0)
        PANIC("round %lld: bad stored dates or offsets", (long long)r->id);
    int at = -1;
    for (int k = 0; k < noffs; k++) {
        if (due + offs[k] <= today)
            at = k;
    }
    if (at < 0)
        return 0;
    int offset = offs[at];
    char today_text[11];
    cycle_date_format(today, today_text);
    Owed *owed = NULL;
    int nowed = 0;
    CycleRecipient *us = NULL;
    int nus = 0;
    Buf pt = BUF_INIT, subject = BUF_INIT, body = BUF_INIT, when = BUF_INIT;
    if (store_begin_read(s, err) < 0)
        return -1;
    int got = cycle_owed(s, r, &owed, &nowed, err) < 0 || cycle_recipients(s, &us, &nus, err) < 0 ? -1 : 0;
    store_rollback(s);
    if (got < 0)
        goto out;
    cycle_ptext(s, r->period, &pt);
    int days = due - today;
    if (days > 0)
        buf_printf(&when, "due %s, in %d day%s", r->due, days, days == 1 ? "" : "s");
    else if (days == 0)
        buf_printf(&when, "due today, %s", r->due);
    else
        buf_printf(&when, "due %s, %d day%s ago", r->due, -days, days == -1 ? "" : "s");
    for (int u = 0; u < nus; u++) {
        const CycleRecipient *who = &us[u];
        int sent = 0;
        buf_reset(&subject);
        buf_reset(&body);
        if (strcmp(who->role, "editor") == 0 && who->partner_id) {
            const Owed *w = NULL;
            for (int k = 0; k < nowed; k++) {
                if (owed[k].partner_id == who->partner_id)
                    w = &owed[k];
            }
            if (!w || w->n == 0)
                continue;
            buf_printf(&subject, "kpi: %d %s figure%s missing for %s (%s)", w->n, w->partner, w->n == 1 ? "" : "s",
                       buf_cstr(&pt), buf_cstr(&when));
            buf_printf(&body,
                       "Hello %s,\n\n%s's figures for %s are %s. These are still missing:\n\n%s\n"
                       "Enter them in kpi, then submit the return.\n",
                       who->name, w->partner, buf_cstr(&pt), buf_cstr(&when), buf_cstr(&w->items));
            if (cycle_send(s, mc, who, r, offset, today_text, w->n, buf_cstr(&subject), buf_cstr(&body), &sent,
                           err) < 0)
                goto out;
        } else if (strcmp(who->role, "officer") == 0) {
            int total = 0, pending = 0;
            for (int k = 0; k < nowed; k++) {
                total += owed[k].n;
                pending += strcmp(owed[k].state, "approved") != 0;
            }
            if (total == 0 && pending == 0)
                continue;
            buf_printf(&subject, "kpi: %s digest - %d figure%s missing, %d return%s not approved (%s)",
                       buf_cstr(&pt), total, total == 1 ? "" : "s", pending, pending == 1 ? "" : "s",
                       buf_cstr(&when));
            buf_printf(&body, "Hello %s,\n\nThe round for %s is %s.\n\n", who->name, buf_cstr(&pt),
                       buf_cstr(&when));
            for (int k = 0; k < nowed; k++) {
                buf_printf(&body, "%s: return %s, %d missing\n%s\n", owed[k].partner,
                           strcmp(owed[k].state, "none") == 0 ? "not submitted" : owed[k].state, owed[k].n,
                           buf_cstr(&owed[k].items));
            }
            if (cycle_send(s, mc, who, r, offset, today_text, total, buf_cstr(&subject), buf_cstr(&body), &sent,
                           err) < 0)
                goto out;
        }
        *nsent += sent;
    }
    rc = 0;
out:
    cycle_owed_free(owed, nowed);
    cycle_recipients_free(us, nus);
    buf_release(&pt);
    buf_release(&subject);
    buf_release(&body);
    buf_release(&when);
    return rc;
}

int cmd_remind(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    MailConfig mc;
    CycleRound *r = NULL;
    int n = 0, rc = -1, opened = 0, today = cycle_today(), nsent = 0, curl_up = 0;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos) {
        cli_usage_error(err, "remind takes no arguments");
        goto out;
    }
    if (cli_opt(&o, "today") && cycle_date_parse(cli_opt(&o, "today"), &today) < 0) {
        cli_usage_error(err, "--today '%s' is not a date YYYY-MM-DD", cli_opt(&o, "today"));
        goto out;
    }
    if (mail_config_env(&mc, err) < 0)
        goto out;
    if (lazy_curl_load(err) < 0)
        goto out;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        err_set(err, "cannot start libcurl");
        goto out;
    }
    curl_up = 1;
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (store_begin_read(&s, err) < 0)
        goto out;
    int got = cycle_rounds(&s, &r, &n, err);
    store_rollback(&s);
    if (got < 0)
        goto out;
    for (int i = 0; i < n; i++) {
        if (r[i].paper_id) /* published: nothing more to chase */
            continue;
        if (cycle_remind_round(&s, &mc, &r[i], today, &nsent, err) < 0)
            goto out;
    }
    printf("%d reminder%s sent\n", nsent, nsent == 1 ? "" : "s");
    rc = 0;
out:
    cycle_rounds_free(r, n);
    if (opened)
        store_close(&s);
    if (curl_up)
        curl_global_cleanup();
    cli_opts_release(&o);
    return rc;
}

int cycle_demo_publish(Store *s, const char *dir, const char *const *formats, int nformats, const char *period,
                       Err *err)
{
    Buf *bytes = xcalloc((size_t)nformats, sizeof *bytes), path = BUF_INIT;
    char **names = NULL;
    int64_t *ids = NULL, paper = 0;
    int np = 0, rc = -1;
    Period p;
    if (cycle_period(s, period, &p, err) < 0)
        goto out;
    for (int k = 0; k < nformats; k++) {
        buf_reset(&path);
        buf_printf(&path, "%s/report.%s", dir, formats[k]);
        FILE *fp = fopen(buf_cstr(&path), "rb");
        if (!fp) {
            err_set(err, "%s: cannot open", buf_cstr(&path));
            goto out;
        }
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
            buf_append(&bytes[k], chunk, n);
        int bad = ferror(fp);
        fclose(fp);
        if (bad) {
            err_set(err, "%s: read error", buf_cstr(&path));
            goto out;
        }
    }
    if (store_begin(s, err) < 0)
        goto out;
    CycleRound r;
    int found = 0;
    if (cycle_round_open(s, p, "2011-10-01", "2011-10-20", CYCLE_DEFAULT_REMIND, NULL, err) < 0 ||
        cycle_round_find(s, p, &r, &found, err) < 0 || !found || cycle_partners_due(s, &names, &ids, &np, err) < 0)
        goto fail;
    for (int k = 0; k < np; k++) {
        if (cycle_return_set(s, r.id, ids[k], "approved", NULL, err) < 0)
            goto fail;
    }
    if (cycle_publish_rendered(s, p, "report.md (the worked example's)", nformats, formats, bytes, &paper, err) < 0 ||
        store_commit(s, err) < 0)
        goto fail;
    rc = 0;
    goto done;
fail:
    store_rollback(s);
done:
    if (found)
        cycle_round_free(&r);
out:
    for (int k = 0; k < nformats; k++)
        buf_release(&bytes[k]);
    free(bytes);
    buf_release(&path);
    cycle_names_free(names, ids, np);
    return rc;
}
