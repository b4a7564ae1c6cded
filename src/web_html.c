/* web_html.c — HTML for the web pages, escaped by construction: web_html()
 * takes markup only from its format string (always a literal) and escapes
 * every %s; there is no conversion that copies text unescaped. Also the page
 * layout (header, navigation, footer), error summaries, RAG tags, and the
 * stylesheet, which follows the GOV.UK Design System's patterns (type scale,
 * tables, tags, error summary, summary lists, focus states) without its
 * crown, typeface or branding. */
#include "web.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "present.h"
#include "render.h"

#define WEB_SERVICE_NAME "Partnership performance"
#define WEB_PERIOD_YEARS_BACK 3 /* the period picker offers the chosen year, the next, and this many before */

void web_html(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt, *run = fmt;
    for (; *p; p++) {
        if (*p != '%')
            continue;
        buf_append(b, run, (size_t)(p - run));
        p++;
        switch (*p) {
        case 's':
            render_html_text(b, va_arg(ap, const char *));
            break;
        case 'u': {
            const unsigned char *s = va_arg(ap, const unsigned char *);
            for (; s && *s; s++) {
                if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                    *s == '-' || *s == '.' || *s == '_' || *s == '~' || *s == '/')
                    buf_putc(b, (char)*s);
                else
                    buf_printf(b, "%%%02X", *s);
            }
            break;
        }
        case 'd':
            buf_printf(b, "%d", va_arg(ap, int));
            break;
        case 'l':
            buf_printf(b, "%lld", (long long)va_arg(ap, int64_t));
            break;
        case '%':
            buf_putc(b, '%');
            break;
        default:
            PANIC("web_html: unknown conversion %%%c", *p);
        }
        run = p + 1;
    }
    buf_append(b, run, (size_t)(p - run));
    va_end(ap);
}

/* The navigation: path, label, who sees it. */
typedef struct WebNav {
    const char *key, *href, *label;
    WebAccess access;
} WebNav;

static const WebNav web_nav[] = {
    {"dashboard", "/", "Dashboard", WEB_VIEW},
    {"projects", "/projects", "Projects", WEB_VIEW},
    {"chase", "/chase", "Chase list", WEB_VIEW},
    {"report", "/report", "Report", WEB_VIEW},
    {"benchmark", "/benchmark", "Benchmark", WEB_VIEW},
    {"enter", "/enter", "Enter figures", WEB_EDIT},
    {"rounds", "/rounds", "Rounds", WEB_VIEW},
    {"papers", "/papers", "Papers", WEB_VIEW},
    {"admin", "/admin", "Administration", WEB_ADMIN},
};

void web_html_begin(WebReq *r, const char *title, const char *nav)
{
    Buf *b = &r->out;
    buf_reset(b);
    r->ctype = "text/html; charset=utf-8";
    web_html(b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>%s%s \xe2\x80\x93 " WEB_SERVICE_NAME "</title>\n",
             r->period_error[0] && strncmp(title, "Error: ", 7) != 0 ? "Error: " : "", title);
    if (nav && (strcmp(nav, "report") == 0 || strcmp(nav, "benchmark") == 0))
        web_html(b, "<link rel=\"stylesheet\" href=\"/assets/report.css\">\n");
    web_html(b, "<link rel=\"stylesheet\" href=\"/assets/app.css\">\n</head>\n<body>\n"
                "<a href=\"#main-content\" class=\"govuk-skip-link\">Skip to main content</a>\n"
                "<header class=\"app-header\">\n<div class=\"govuk-width-container app-header__inner\">\n"
                "<a href=\"/\" class=\"app-header__service\">" WEB_SERVICE_NAME "</a>\n");
    if (r->signed_in) {
        web_html(b, "<div class=\"app-header__account\"><span>%s <span class=\"app-header__role\">(%s%s%s)</span>"
                    "</span>\n",
                 r->user.name, users_role_name(r->user.role), r->user.partner ? ", " : "", r->user.partner);
        if (!r->via_token) {
            web_html(b, "<form method=\"post\" action=\"/logout\" class=\"app-inline\">");
            web_html_csrf(r);
            web_html(b, "<button type=\"submit\" class=\"app-link-button\">Sign out</button></form>");
        }
        web_html(b, "</div>\n");
    } else if (nav) {
        web_html(b, "<div class=\"app-header__account\"><a href=\"/login\" class=\"app-header__link\">Sign in</a>"
                    "</div>\n");
    }
    web_html(b, "</div>\n</header>\n");
    if (nav) {
        web_html(b, "<nav class=\"app-nav\" aria-label=\"Main\">\n<div class=\"govuk-width-container\">\n<ul>\n");
        for (size_t i = 0; i < sizeof web_nav / sizeof web_nav[0]; i++) {
            const WebNav *n = &web_nav[i];
            if (n->access == WEB_EDIT && (!r->signed_in || r->user.role == ROLE_VIEWER))
                continue;
            if (n->access == WEB_ADMIN && (!r->signed_in || r->user.role != ROLE_ADMIN))
                continue;
            /* the attribute is markup: it belongs in the format, never in an escaped %s */
            if (strcmp(nav, n->key) == 0)
                web_html(b, "<li><a class=\"app-nav__link\" href=\"%s\" aria-current=\"page\">%s</a></li>\n",
                         n->href, n->label);
            else
                web_html(b, "<li><a class=\"app-nav__link\" href=\"%s\">%s</a></li>\n", n->href, n->label);
        }
        web_html(b, "</ul>\n</div>\n</nav>\n");
    }
    web_html(b, "<div class=\"govuk-width-container\">\n<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
    if (r->period_error[0])
        web_html(b, "<div class=\"govuk-error-summary\" role=\"alert\" tabindex=\"-1\" autofocus>\n"
                    "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>\n"
                    "<ul class=\"govuk-error-summary__list\">\n<li><a href=\"#period\">%s</a></li>\n</ul>\n</div>\n",
                 r->period_error);
}

void web_html_end(WebReq *r)
{
    web_html(&r->out, "</main>\n</div>\n<footer class=\"app-footer\">\n<div class=\"govuk-width-container\">\n"
                      "<p>kpi \xe2\x80\x94 performance management for local partnerships. Figures are computed "
                      "from the partners' data; every change is recorded.</p>\n</div>\n</footer>\n</body>\n"
                      "</html>\n");
}

void web_errors_add(WebErrors *e, const char *field, const char *fmt, ...)
{
    if (e->n == (int)(sizeof e->msg / sizeof e->msg[0]))
        return;
    Buf m = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    e->field[e->n] = field;
    e->msg[e->n] = buf_detach(&m);
    e->n++;
}

const char *web_errors_for(const WebErrors *e, const char *field)
{
    for (int i = 0; i < e->n; i++) {
        if (e->field[i] && strcmp(e->field[i], field) == 0)
            return e->msg[i];
    }
    return NULL;
}

void web_errors_summary(Buf *b, const WebErrors *e)
{
    if (!e->n)
        return;
    /* autofocus: the browser moves focus to the summary, no script needed */
    web_html(b, "<div class=\"govuk-error-summary\" role=\"alert\" tabindex=\"-1\" autofocus>\n"
                "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>\n"
                "<ul class=\"govuk-error-summary__list\">\n");
    for (int i = 0; i < e->n; i++) {
        if (e->field[i])
            web_html(b, "<li><a href=\"#%s\">%s</a></li>\n", e->field[i], e->msg[i]);
        else
            web_html(b, "<li>%s</li>\n", e->msg[i]);
    }
    web_html(b, "</ul>\n</div>\n");
}

void web_errors_release(WebErrors *e)
{
    for (int i = 0; i < e->n; i++)
        free(e->msg[i]);
    e->n = 0;
}

void web_html_csrf(WebReq *r)
{
    web_html(&r->out, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">", web_auth_csrf(r));
}

void web_html_rag(Buf *b, Rag rag)
{
    const PresentWord *w = present_mark(present_rag_mark(rag));
    web_html(b, "<strong class=\"govuk-tag govuk-tag--%s\">%s</strong>", w->tag, w->word);
}

void web_html_status(Buf *b, Status st)
{
    const PresentWord *w = present_mark(present_status_mark(st));
    web_html(b, "<strong class=\"govuk-tag govuk-tag--%s\">%s</strong>", w->tag, w->word);
}

void web_html_direction(Buf *b, const CompareRow *r)
{
    PresentDirection d = present_direction(r);
    Buf words = BUF_INIT;
    present_direction_words(&words, &d, 0);
    if (d.move == PRESENT_MOVE_NONE)
        web_html(b, "<span class=\"app-dir app-dir--none\">%s</span>", PRESENT_NO_COMPARISON);
    else if (d.arrow[0])
        web_html(b, "<span class=\"app-dir app-dir--%s\"><span aria-hidden=\"true\">%s </span>%s</span>", d.css,
                 d.arrow, buf_cstr(&words));
    else
        web_html(b, "<span class=\"app-dir app-dir--%s\">%s</span>", d.css, buf_cstr(&words));
    buf_release(&words);
}

void web_html_when(Buf *b, const char *stamp)
{
    int y, mo, d, h, mi;
    if (!stamp || sscanf(stamp, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12) {
        web_html(b, "%s", stamp);
        return;
    }
    web_html(b, "<time datetime=\"%s\">", stamp);
    present_date(b, y, mo, d); /* digits and month names: nothing to escape */
    buf_printf(b, " at %d:%02d%s</time>", h % 12 ? h % 12 : 12, mi, h < 12 ? "am" : "pm");
}

void web_html_back(Buf *b, const char *href, const char *label)
{
    web_html(b, "<a href=\"%s\" class=\"govuk-back-link\">%s</a>\n", href, label);
}

void web_html_wrap_begin(Buf *b, const char *label)
{
    web_html(b, "<div class=\"app-table-wrap\" role=\"region\" aria-label=\"%s\" tabindex=\"0\">", label);
}

void web_html_period_select(const WebReq *r, Buf *b, Period cur, int with_years, int with_months)
{
    web_html_period_select_msg(r, b, cur, with_years, with_months, r->period_error[0] ? r->period_error : NULL);
}

void web_html_period_select_msg(const WebReq *r, Buf *b, Period cur, int with_years, int with_months,
                                const char *msg)
{
    Buf t = BUF_INIT;
    int fs = r->store->fy_start, fy_cur = period_fy(cur.first, fs);
    web_html(b, "<div class=\"govuk-form-group%s\"><label class=\"govuk-label govuk-label--s\" for=\"period\">Period"
                "</label>\n",
             msg ? " govuk-form-group--error" : "");
    if (msg)
        web_html(b, "<p id=\"period-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:"
                    "</span> %s</p>\n",
                 msg);
    web_html(b, "<select class=\"govuk-select%s\" id=\"period\" name=\"period\"%s>\n", msg ? " govuk-select--error" : "",
             msg ? " aria-describedby=\"period-error\"" : "");
    /* Newest year first: the year itself, its quarters, then its months. */
    for (int fy = fy_cur + 1; fy >= fy_cur - WEB_PERIOD_YEARS_BACK; fy--) {
        int first = period_fy_first(fy, fs);
        Period y = {PERIOD_YEAR, first};
        buf_reset(&t);
        period_format(&t, y, fs);
        web_html(b, "<optgroup label=\"%s\">\n", buf_cstr(&t));
        for (int k = 0; k < 1 + 4 + 12; k++) {
            Period p = k == 0 ? y : k <= 4 ? (Period){PERIOD_QUARTER, first + (k - 1) * 3}
                                            : (Period){PERIOD_MONTH, first + (k - 5)};
            if ((k == 0 && !with_years) || (k > 4 && !with_months))
                continue;
            buf_reset(&t);
            period_format(&t, p, fs);
            Buf words = BUF_INIT;
            if (p.kind == PERIOD_MONTH)
                period_format_words(&words, p, fs);          /* "July 2011" */
            else if (p.kind == PERIOD_QUARTER) {             /* "July to September 2011" */
                Buf m = BUF_INIT;
                period_format_words(&m, (Period){PERIOD_MONTH, p.first}, fs);
                const char *sp = strchr(buf_cstr(&m), ' ');
                buf_append(&words, buf_cstr(&m), sp ? (size_t)(sp - buf_cstr(&m)) : m.len);
                buf_reset(&m);
                period_format_words(&m, (Period){PERIOD_MONTH, p.first + 2}, fs);
                buf_printf(&words, " to %s", buf_cstr(&m));
                buf_release(&m);
            }
            web_html(b, "<option value=\"%s\"%s>", buf_cstr(&t), period_equal(p, cur) ? " selected" : "");
            if (p.kind == PERIOD_MONTH)
                web_html(b, "%s", buf_cstr(&words));
            else if (p.kind == PERIOD_QUARTER)
                web_html(b, "%s: %s", buf_cstr(&t), buf_cstr(&words));
            else
                web_html(b, "%s, the whole year", buf_cstr(&t));
            web_html(b, "</option>\n");
            buf_release(&words);
        }
        web_html(b, "</optgroup>\n");
    }
    web_html(b, "</select></div>\n");
    buf_release(&t);
}

int web_download(WebReq *r, const DocTable *t, const char *format, const char *name)
{
    Err err = ERR_INIT;
    Buf disp = BUF_INIT;
    int xlsx = strcmp(format, "xlsx") == 0;
    if (!xlsx && strcmp(format, "csv") != 0)
        return web_error(r, 400, "Unknown format: a table downloads as csv or xlsx.");
    buf_reset(&r->out);
    if (xlsx) {
        Doc *doc = doc_new();
        DocTable *copy = doc_add_table(&doc->body, t->ncols, NULL);
        doc_table_caption(copy, name);
        for (int c = 0; c < t->ncols; c++)
            doc_table_header(copy, c, t->head[c].text, t->head[c].align);
        for (int k = 0; k < t->nrows; k++) {
            int row = doc_table_row(copy);
            for (int c = 0; c < t->ncols; c++) {
                const DocCell *from = &t->cells[(size_t)k * (size_t)t->ncols + (size_t)c];
                doc_cell_set(doc_table_cell(copy, row, c), from->text, from->align, from->numeric, from->rag);
            }
        }
        int rc = render_doc(doc, "xlsx", &r->out, &err);
        doc_free(doc);
        if (rc < 0) {
            fprintf(stderr, "kpi serve: %s\n", err_msg(&err));
            err_release(&err);
            return web_error(r, 500, "The workbook cannot be made.");
        }
        r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
        for (int k = -1; k < t->nrows; k++) {
            for (int c = 0; c < t->ncols; c++) {
                if (c)
                    buf_putc(&r->out, ',');
                csv_write_field(&r->out, k < 0 ? t->head[c].text
                                               : t->cells[(size_t)k * (size_t)t->ncols + (size_t)c].text);
            }
            buf_putc(&r->out, '\n');
        }
        r->ctype = "text/csv; charset=utf-8";
    }
    /* The file name holds only safe characters: letters, digits, '-'. */
    buf_puts(&disp, "attachment; filename=\"");
    for (const char *c = name; *c; c++)
        buf_putc(&disp, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ? *c : '-');
    buf_printf(&disp, ".%s\"", format);
    web_header(r, "Content-Disposition", buf_cstr(&disp));
    buf_release(&disp);
    err_release(&err);
    return 0;
}

void web_html_downloads(Buf *b, const char *base, const char *what)
{
    const char *sep = strchr(base, '?') ? "&" : "?";
    web_html(b, "<p class=\"govuk-body-s app-downloads\">Download %s as <a class=\"govuk-link\" download "
                "href=\"%s%sformat=csv\">CSV<span class=\"govuk-visually-hidden\"> (%s)</span></a> or "
                "<a class=\"govuk-link\" download href=\"%s%sformat=xlsx\">Excel<span "
                "class=\"govuk-visually-hidden\"> (%s)</span></a></p>\n",
             what, base, sep, what, base, sep, what);
}

static const char WEB_CSS[] =
    "*,*::before,*::after{box-sizing:border-box}\n"
    "html{background:#f3f2f1}\n"
    "body{margin:0;background:#fff;color:#0b0c0c;font-family:Arial,\"Helvetica Neue\",Helvetica,sans-serif;"
    "font-size:19px;line-height:1.32;-webkit-font-smoothing:antialiased}\n"
    "a{color:#1d70b8}a:visited{color:#4c2c92}a:hover{color:#003078}\n"
    "a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #fd0;"
    "outline-offset:0;box-shadow:0 4px #0b0c0c;background-color:#fd0;color:#0b0c0c;text-decoration:none}\n"
    "input:focus,select:focus,textarea:focus{background-color:#fff;box-shadow:inset 0 0 0 2px #0b0c0c}\n"
    ".govuk-skip-link{position:absolute;left:-9999px;padding:10px 15px;background:#fd0;color:#0b0c0c}\n"
    ".govuk-skip-link:focus{left:0;top:0;z-index:10}\n"
    ".govuk-width-container{max-width:1100px;margin:0 15px}\n"
    "@media (min-width:40.0625em){.govuk-width-container{margin:0 30px}}\n"
    "@media (min-width:1160px){.govuk-width-container{margin:0 auto}}\n"
    ".app-header{background:#0b0c0c;color:#fff;border-bottom:10px solid #1d70b8}\n"
    ".app-header__inner{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;"
    "padding:12px 0}\n"
    ".app-header__service,.app-header__service:visited{color:#fff;font-weight:700;font-size:24px;"
    "text-decoration:none}\n"
    ".app-header__service:hover{text-decoration:underline;color:#fff}\n"
    ".app-header__account{font-size:16px;display:flex;gap:15px;align-items:center}\n"
    ".app-header__link,.app-header__link:visited{color:#fff}\n"
    ".app-header__role{color:#f3f2f1}\n"
    ".app-inline{display:inline;margin:0}\n"
    ".app-link-button{font:inherit;color:#fff;background:none;border:0;padding:2px 0;min-height:24px;"
    "min-width:24px;text-decoration:underline;cursor:pointer}\n"
    ".app-header__link{display:inline-block;min-height:24px;padding:2px 0}\n"
    ".app-link-button:focus{color:#0b0c0c}\n"
    ".app-nav{background:#f3f2f1;border-bottom:1px solid #b1b4b6}\n"
    ".app-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:0 25px}\n"
    ".app-nav li{margin:0;padding:10px 0;font-size:16px;font-weight:700}\n"
    ".app-nav__link,.app-nav__link:visited{color:#1d70b8;text-decoration:none}\n"
    ".app-nav__link:hover{text-decoration:underline}\n"
    ".app-nav__link[aria-current=page]{color:#0b0c0c;border-bottom:4px solid #1d70b8;padding-bottom:6px}\n"
    ".govuk-main-wrapper{display:block;padding:30px 0 50px}\n"
    ".app-footer{background:#f3f2f1;border-top:1px solid #b1b4b6;padding:25px 0;font-size:16px;color:#0b0c0c}\n"
    ".govuk-heading-xl{font-size:40px;line-height:1.1;font-weight:700;margin:0 0 40px}\n"
    ".govuk-heading-l{font-size:32px;line-height:1.1;font-weight:700;margin:0 0 25px}\n"
    ".govuk-heading-m{font-size:24px;line-height:1.25;font-weight:700;margin:35px 0 15px}\n"
    ".govuk-heading-s{font-size:19px;font-weight:700;margin:25px 0 10px}\n"
    ".govuk-caption-l{display:block;font-size:24px;color:#505a5f;margin-bottom:5px}\n"
    ".govuk-caption-m{display:block;font-size:19px;color:#505a5f;margin-bottom:5px}\n"
    ".govuk-body,.govuk-list{margin:0 0 20px}\n"
    ".govuk-body-s{font-size:16px;margin:0 0 15px}\n"
    ".govuk-hint{color:#505a5f;margin-bottom:15px;font-size:19px}\n"
    ".govuk-list--bullet{padding-left:20px;list-style:disc}\n"
    ".govuk-inset-text{padding:15px;margin:20px 0;border-left:10px solid #b1b4b6}\n"
    ".govuk-visually-hidden{position:absolute!important;width:1px!important;height:1px!important;"
    "margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;"
    "white-space:nowrap!important;border:0!important}\n"
    ".govuk-grid-row{display:flex;flex-wrap:wrap;margin:0 -15px}\n"
    ".govuk-grid-column-two-thirds,.govuk-grid-column-one-third,.govuk-grid-column-full{padding:0 15px;"
    "width:100%}\n"
    "@media (min-width:40.0625em){.govuk-grid-column-two-thirds{width:66.66%}"
    ".govuk-grid-column-one-third{width:33.33%}}\n"
    ".govuk-table{width:100%;border-collapse:collapse;border-spacing:0;margin-bottom:40px;font-size:16px}\n"
    ".govuk-table__caption{font-weight:700;text-align:left;font-size:19px;margin-bottom:10px}\n"
    ".govuk-table__header,.govuk-table__cell{padding:10px 15px 10px 0;border-bottom:1px solid #b1b4b6;"
    "text-align:left;vertical-align:top}\n"
    ".govuk-table__header{font-weight:700}\n"
    ".govuk-table__header--numeric,.govuk-table__cell--numeric{text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    ".govuk-table__cell--numeric{white-space:nowrap}\n"
    /* position: hidden spans (absolutely placed) stay inside the wrapper instead of widening the page */
    ".app-table-wrap{overflow-x:auto;margin-bottom:40px;position:relative}.app-table-wrap .govuk-table"
    "{margin-bottom:0}\n"
    ".app-table-wrap:focus{outline:3px solid #fd0;outline-offset:0}\n"
    /* On a phone a wide table becomes stacked rows: each cell on its own line, named by its column. */
    "@media (max-width:40.0525em){"
    ".app-table--stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}"
    ".app-table--stack,.app-table--stack tbody,.app-table--stack tr,.app-table--stack th,.app-table--stack td"
    "{display:block;width:100%}"
    ".app-table--stack tr{border-bottom:2px solid #b1b4b6;padding:10px 0}"
    ".app-table--stack .govuk-table__cell{border:0;padding:3px 0;text-align:left;white-space:normal}"
    ".app-table--stack .govuk-table__cell[data-label]::before{content:attr(data-label) \": \";font-weight:700}"
    ".app-table--stack th.govuk-table__cell,.app-table--stack .app-cell--head{font-weight:700;font-size:19px}"
    ".app-table--stack tr:has(+ .app-note-row){border-bottom:0}"
    ".app-table--stack .app-hash{word-break:break-all}"
    "}\n"
    ".govuk-back-link{display:inline-block;position:relative;margin:0 0 15px;padding-left:14px;font-size:16px;"
    "line-height:1.5;color:#0b0c0c}\n"
    ".govuk-back-link::before{content:\"\";position:absolute;top:0;bottom:0;left:3px;width:7px;height:7px;"
    "margin:auto 0;transform:rotate(225deg);border:solid;border-width:1px 1px 0 0;border-color:#505a5f}\n"
    ".govuk-back-link:visited{color:#0b0c0c}\n"
    ".app-downloads{margin:0 0 15px}\n"
    ".govuk-input--width-20{max-width:20.5em}.govuk-input--width-3{max-width:5.5em}\n"
    ".govuk-select--error{border-color:#d4351c}\n"
    ".govuk-tag{display:inline-block;padding:2px 8px 3px;font-weight:700;font-size:16px;line-height:1.25;"
    "color:#0c2d4a;background:#bbd4ea;white-space:nowrap}\n"
    ".govuk-tag--grey{color:#282d30;background:#e5e6e7}\n"
    ".govuk-tag--green{color:#005a30;background:#cce2d8}\n"
    ".govuk-tag--yellow{color:#594d00;background:#fff7bf}\n"
    ".govuk-tag--red{color:#2a0b06;background:#f4d7d2}\n"
    ".govuk-tag--blue{color:#0c2d4a;background:#bbd4ea}\n"
    ".app-dir{white-space:nowrap;font-size:16px}\n"
    ".app-sub{display:block;font-weight:400;font-size:16px;color:#505a5f;margin-top:2px}\n"
    ".app-spc{white-space:nowrap}.app-spc__icon{vertical-align:middle;margin-right:4px}\n"
    ".app-note{font-size:16px;color:#505a5f;padding-top:0}\n"
    ".govuk-table tr:has(+ .app-note-row) > *{border-bottom:0}\n"
    ".app-dir--improving{color:#005a30}.app-dir--worsening{color:#942514}.app-dir--same,.app-dir--none"
    "{color:#505a5f}\n"
    ".app-spark{display:block;width:120px;height:32px}\n"
    ".app-spark .cur{fill:none;stroke:#1d70b8;stroke-width:2}\n"
    ".app-spark .prev{fill:none;stroke:#6f777b;stroke-width:1.5;stroke-dasharray:3 2}\n"
    ".app-spark .tgt{fill:none;stroke:#00703c;stroke-width:1;stroke-dasharray:1 2}\n"
    ".app-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:15px;margin:0 0 30px;"
    "padding:0;list-style:none}\n"
    ".app-card{border-top:5px solid #1d70b8;background:#f3f2f1;padding:15px}\n"
    ".app-card__count{display:block;font-size:36px;font-weight:700;line-height:1}\n"
    ".app-card__label{display:block;font-size:16px;margin-top:5px}\n"
    ".app-card--green{border-color:#00703c}.app-card--amber{border-color:#ffdd00}.app-card--red"
    "{border-color:#d4351c}.app-card--complete{border-color:#1d70b8}.app-card--unreported{border-color:#b1b4b6}\n"
    ".govuk-summary-list{margin:0 0 30px;font-size:19px}\n"
    ".govuk-summary-list__row{display:flex;flex-wrap:wrap;border-bottom:1px solid #b1b4b6}\n"
    ".govuk-summary-list__key,.govuk-summary-list__value{margin:0;padding:10px 20px 10px 0}\n"
    /* As GOV.UK's summary list: on a phone the key sits above its value (a long key such as
     * "Significance of the change" does not fit 30% of 375 px); side by side from 641 px. */
    ".govuk-summary-list__key{font-weight:700;width:100%;padding-bottom:0;overflow-wrap:break-word}\n"
    ".govuk-summary-list__value{width:100%;overflow-wrap:break-word}\n"
    "@media (min-width:40.0625em){.govuk-summary-list__key{width:30%;padding-bottom:10px}"
    ".govuk-summary-list__value{width:70%}}\n"
    ".govuk-error-summary{padding:20px;margin-bottom:30px;border:5px solid #d4351c}\n"
    ".govuk-error-summary:focus{outline:3px solid #fd0}\n"
    ".govuk-error-summary__title{margin:0 0 15px;font-size:24px}\n"
    ".govuk-error-summary__list{margin:0;padding:0;list-style:none}\n"
    ".govuk-error-summary__list a{color:#d4351c;font-weight:700}\n"
    ".govuk-error-message{display:block;color:#d4351c;font-weight:700;margin:0 0 15px}\n"
    ".govuk-notification-banner{border:5px solid #00703c;background:#00703c;margin-bottom:30px}\n"
    ".govuk-notification-banner__title{color:#fff;margin:0;padding:2px 15px 5px;font-size:19px;font-weight:700}\n"
    ".govuk-notification-banner__content{background:#fff;padding:15px}\n"
    ".app-conflict{border:5px solid #d4351c;padding:15px;margin-bottom:30px}\n"
    /* the entry form (web_entry.c): one compact row per indicator, a grid from 641 px, stacked below */
    ".app-todo{border-left:5px solid #1d70b8;background:#f3f2f1;padding:15px;margin-bottom:30px}\n"
    ".app-todo .govuk-heading-m{margin-top:0}.app-todo>:last-child{margin-bottom:0}\n"
    ".app-warning{border-left:5px solid #f47738;background:#fff;padding:10px 15px;margin:0 0 20px}\n"
    ".app-warning .govuk-heading-s{margin-top:0}.app-warning .govuk-list{margin:0}\n"
    ".app-entry{border-top:1px solid #b1b4b6;padding-top:15px;margin-bottom:5px}\n"
    ".app-entry .govuk-fieldset__legend{font-size:19px;margin-bottom:5px}\n"
    ".app-entry .govuk-hint{font-size:16px;margin:0 0 10px}\n"
    ".app-entry .govuk-form-group{margin-bottom:15px;min-width:0}\n"
    ".app-entry__grid{display:grid;grid-template-columns:minmax(0,1fr);gap:0 20px}\n"
    ".app-entry__inputs{display:flex;flex-wrap:wrap;gap:0 15px;min-width:0}\n"
    ".app-entry__context{list-style:none;margin:0 0 15px;padding:0;font-size:16px;line-height:1.4;color:#0b0c0c}\n"
    ".app-entry .govuk-textarea{min-height:40px;resize:vertical}\n"
    ".app-entry .govuk-button{margin:0 0 15px}.app-entry__save{justify-self:start}\n"
    "@media (min-width:40.0625em){.app-entry__grid{grid-template-columns:minmax(0,15em) minmax(0,12em) "
    "minmax(0,1fr) auto;align-items:end}.app-entry__context{align-self:center}}\n"
    ".govuk-form-group{margin-bottom:30px}\n"
    ".govuk-form-group--error{padding-left:15px;border-left:5px solid #d4351c}\n"
    ".govuk-label{display:block;margin-bottom:5px;font-weight:400}\n"
    ".govuk-label--s{font-weight:700}\n"
    ".govuk-fieldset{margin:0;padding:0;border:0}\n"
    ".govuk-fieldset__legend{font-weight:700;font-size:24px;margin-bottom:15px}\n"
    ".govuk-fieldset__legend--s{font-size:19px;margin-bottom:10px}\n"
    ".govuk-radios__item{display:flex;align-items:center;margin-bottom:10px}\n"
    ".govuk-radios__input{width:40px;height:40px;margin:0 8px 0 0;accent-color:#0b0c0c;flex:none}\n"
    ".govuk-radios__label{margin:0;cursor:pointer}\n"
    ".govuk-input,.govuk-select,.govuk-textarea{font:inherit;font-size:19px;border:2px solid #0b0c0c;"
    "border-radius:0;padding:5px;min-height:40px;background:#fff;color:#0b0c0c;max-width:100%}\n"
    ".govuk-input{width:100%}.govuk-textarea{width:100%;display:block}\n"
    ".govuk-input--width-10{max-width:11.5em}.govuk-input--width-5{max-width:6.5em}\n"
    ".govuk-\\!-width-one-half{width:50%}\n"
    ".govuk-input--error,.govuk-select--error,.govuk-textarea--error{border-color:#d4351c}\n"
    ".app-filter{display:flex;flex-wrap:wrap;gap:15px;align-items:flex-end;margin-bottom:30px;padding:15px;"
    "background:#f3f2f1}\n"
    ".app-filter .govuk-form-group{margin:0;min-width:0;max-width:100%}\n"
    ".govuk-button{font:inherit;font-size:19px;font-weight:400;line-height:1.2;display:inline-block;"
    "padding:8px 10px 7px;border:2px solid transparent;border-radius:0;color:#fff;background:#00703c;"
    "box-shadow:0 2px 0 #002d18;cursor:pointer;text-decoration:none;margin:0 15px 32px 0}\n"
    ".govuk-button:hover{background:#005a30}\n"
    ".govuk-button:focus{border-color:#fd0;outline:3px solid transparent;box-shadow:inset 0 0 0 1px #fd0;"
    "background:#fd0;color:#0b0c0c}\n"
    ".govuk-button--secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}\n"
    ".govuk-button--secondary:hover{background:#dbdad9}\n"
    ".govuk-button--warning{background:#d4351c;box-shadow:0 2px 0 #55150b}\n"
    ".app-filter .govuk-button{margin:0}\n"
    "figure{margin:0 0 30px}figure svg{max-width:100%;height:auto}\n"
    "figure.chart{overflow-x:auto}figure svg.chart{min-width:520px}figure.chart:focus{outline:3px solid #fd0}\n"
    "figcaption{font-weight:700;margin-bottom:10px}\n"
    ".app-preview{border:1px solid #b1b4b6;padding:20px;margin-bottom:30px;overflow-x:auto;position:relative}\n"
    "@media (max-width:40.0525em){.app-preview{padding:10px}}\n"
    "@media print{.app-header,.app-nav,.app-footer,.app-filter,.govuk-skip-link{display:none}}\n";

int web_html_css(WebReq *r)
{
    r->ctype = "text/css; charset=utf-8";
    buf_puts(&r->out, WEB_CSS);
    web_header(r, "Cache-Control", "public, max-age=3600");
    return 0;
}

int web_html_report_css(WebReq *r)
{
    r->ctype = "text/css; charset=utf-8";
    buf_puts(&r->out, render_html_css());
    web_header(r, "Cache-Control", "public, max-age=3600");
    return 0;
}
