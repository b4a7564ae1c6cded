/* cli.c — the command table, global options, option parsing and dispatch. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLI_DEFAULT_DB "./kpi.db"

const CliCommand cli_commands[] = {
    {"init", cmd_init, "init [--area NAME] [--fy-start MONTH]",
     "create the database (idempotent); the home area (declared as an area) and first month of the financial year"},
    {"import", cmd_import, "import KIND [--sheet NAME] FILE...",
     "load CSV or .xlsx files: KIND is areas, indicators, values, targets, projects, statuses or police"},
    {"compare", cmd_compare, "compare --period P [--area A] [--format csv|json|table]",
     "each indicator's figures for a period: last year, year to date, target, RAG, direction"},
    {"delivery", cmd_delivery, "delivery --period P [--format csv|json|table]",
     "delivery-plan status counts with percentages of the reported items"},
    {"report", cmd_report, "report TEMPLATE --period P [--area A] --format html|md|txt [-o FILE]",
     "render a report template into a paper"},
    {"copy", cmd_copy, "copy --from SRC --to DST",
     "copy a whole database into a new one (SQLite, PostgreSQL, either way), history included"},
    {"dump", cmd_dump, "dump", "every table's rows as text in a canonical order (to compare databases)"},
    {"demo", cmd_demo, "demo [DIR]", "build the worked example (Chorley, Q2 2011/12) into DIR (default ./demo)"},
    {"serve", cmd_serve, "serve [--listen ADDR:PORT] [--public] [--threads N] [--templates DIR] | serve --routes",
     "the web application (default 127.0.0.1:8080); --public lets anyone read without signing in"},
    {"user", cmd_user, "user add NAME --role admin|editor|viewer [--partner PARTNER] | user list",
     "add a web user (password: first line of standard input), or list them"},
    {"token", cmd_token, "token add NAME", "make an API token for a user (printed once, on the last line)"},
    {"help", cmd_help, "help [COMMAND]", "this list, or one command's usage"},
    {NULL, NULL, NULL, NULL},
};

int cli_usage_error(Err *err, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&err->msg);
    va_start(ap, fmt);
    buf_vprintf(&err->msg, fmt, ap);
    va_end(ap);
    err->usage = 1;
    return -1;
}

/* Is `name` one of the space-separated words in `list`? */
static int cli_in_list(const char *list, const char *name, size_t n)
{
    const char *p = list;
    while (p && *p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k == n && strncmp(p, name, n) == 0)
            return 1;
        p += k;
    }
    return 0;
}

int cli_parse(const CliCtx *ctx, const char *with_value, const char *flags, CliOpts *o, Err *err)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < ctx->argc; i++) {
        char *a = ctx->argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < ctx->argc; i++) {
                if (o->npos == CLI_MAX_ARGS)
                    return cli_usage_error(err, "too many arguments");
                o->pos[o->npos++] = ctx->argv[i];
            }
            break;
        }
        int is_short_o = strcmp(a, "-o") == 0;
        if ((a[0] == '-' && a[1] == '-' && a[2]) || is_short_o) {
            const char *name = is_short_o ? "o" : a + 2;
            const char *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            if (o->nopts == CLI_MAX_ARGS)
                return cli_usage_error(err, "too many options");
            if (cli_in_list(with_value, name, n)) {
                const char *v = eq ? eq + 1 : NULL;
                if (!v) {
                    if (i + 1 >= ctx->argc)
                        return cli_usage_error(err, "option %s needs a value", a);
                    v = ctx->argv[++i];
                }
                for (int k = 0; k < o->nopts; k++) {
                    if (strlen(o->names[k]) == n && strncmp(o->names[k], name, n) == 0)
                        return cli_usage_error(err, "option --%.*s given twice", (int)n, name);
                }
                o->names[o->nopts] = xstrndup(name, n);
                o->values[o->nopts++] = v;
            } else if (!eq && cli_in_list(flags, name, n)) {
                o->names[o->nopts] = xstrndup(name, n);
                o->values[o->nopts++] = "";
            } else {
                return cli_usage_error(err, "unknown option '%s'", a);
            }
            continue;
        }
        if (o->npos == CLI_MAX_ARGS)
            return cli_usage_error(err, "too many arguments");
        o->pos[o->npos++] = a;
    }
    return 0;
}

const char *cli_opt(const CliOpts *o, const char *name)
{
    for (int k = 0; k < o->nopts; k++) {
        if (strcmp(o->names[k], name) == 0)
            return o->values[k];
    }
    return NULL;
}

void cli_opts_free(CliOpts *o)
{
    for (int k = 0; k < o->nopts; k++)
        free((char *)o->names[k]);
}

int cli_write_file(const char *path, const char *data, size_t len, Err *err)
{
    Buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(buf_cstr(&tmp), "wb");
    if (!fp) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        buf_free(&tmp);
        return -1;
    }
    int ok = fwrite(data, 1, len, fp) == len;
    ok = (fclose(fp) == 0) && ok;
    if (!ok || rename(buf_cstr(&tmp), path) != 0) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        unlink(buf_cstr(&tmp));
        buf_free(&tmp);
        return -1;
    }
    buf_free(&tmp);
    return 0;
}

int cmd_help(CliCtx *ctx, Err *err)
{
    if (ctx->argc > 0) {
        for (const CliCommand *c = cli_commands; c->name; c++) {
            if (strcmp(c->name, ctx->argv[0]) == 0) {
                printf("usage: kpi [--db URL] %s\n  %s\n", c->usage, c->help);
                return 0;
            }
        }
        return cli_usage_error(err, "no command '%s' (try `kpi help`)", ctx->argv[0]);
    }
    printf("kpi — performance figures and reports for local partnerships\n\n"
           "usage: kpi [--db URL] COMMAND [ARGS]\n\n"
           "  --db URL   the database: a SQLite file (default %s, or $KPI_DB) or postgresql://...\n\n"
           "commands:\n",
           CLI_DEFAULT_DB);
    for (const CliCommand *c = cli_commands; c->name; c++)
        printf("  %-10s %s\n", c->name, c->help);
    printf("\nPeriods: 2011-07 (month), \"2011/12 Q2\" (quarter), 2011/12 (financial year).\n");
    return 0;
}

int cli_main(int argc, char **argv)
{
    Err err = ERR_INIT;
    const char *db = getenv("KPI_DB");
    char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0, status = 0;

    if (!db || !*db)
        db = CLI_DEFAULT_DB;
    /* --db may stand anywhere before a `--`. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                cli_usage_error(&err, "option --db needs a value");
                goto out;
            }
            db = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db = argv[i] + 5;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            rest[nrest++] = "help";
        } else {
            rest[nrest++] = argv[i];
        }
    }
    if (nrest == 0) {
        CliCtx ctx = {db, 0, rest};
        cmd_help(&ctx, &err);
        cli_usage_error(&err, "no command given");
        goto out;
    }
    const CliCommand *cmd = NULL;
    for (const CliCommand *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, rest[0]) == 0)
            cmd = c;
    }
    if (!cmd) {
        cli_usage_error(&err, "unknown command '%s' (try `kpi help`)", rest[0]);
        goto out;
    }
    CliCtx ctx = {db, nrest - 1, rest + 1};
    if (cmd->handler(&ctx, &err) < 0 && !err_is_set(&err))
        err_set(&err, "%s failed", cmd->name);
    if (err_is_set(&err) && err.usage)
        fprintf(stderr, "usage: kpi %s\n", cmd->usage);
out:
    if (err_is_set(&err)) {
        fflush(stdout);
        fprintf(stderr, "kpi: %s\n", err_msg(&err));
        status = err.usage ? 2 : 1;
    }
    if (fflush(stdout) != 0 && status == 0) {
        fprintf(stderr, "kpi: cannot write output: %s\n", strerror(errno));
        status = 1;
    }
    err_free(&err);
    free(rest);
    return status;
}
