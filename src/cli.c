/* cli.c — the command table, global options, option parsing and dispatch. */
#include "cli.h"
#include "cycle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render.h"
#include "validate.h"

#define CLI_DEFAULT_DB "./kpi.db"
/* The version `kpi --version` prints: the Makefile passes `git describe`;
 * a build outside a git checkout says this release. */
#ifndef KPI_VERSION
#define KPI_VERSION "0.10"
#endif

static const char *cli_figures_formats(void)
{
    return "csv, json, table";
}

/* Each command's options. The parser accepts these and nothing else, and
 * `kpi help COMMAND` lists them: one table, so the two cannot disagree. */
#define CLI_PERIOD_HELP "the period: 2011-07 (month), \"2011/12 Q2\" (quarter) or 2011/12 (financial year)"
static const CliOption OPTS_INIT[] = {
    {"area", "NAME", 0, "the home area (declared as an area)", NULL},
    {"fy-start", "MONTH", 0, "first month of the financial year, 1 to 12 (default 4, April)", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_IMPORT[] = {
    {"sheet", "NAME", 0, "the worksheet of an .xlsx file to read (default: the first)", NULL},
    {"map", "COL=HEADER,...", 0, "read column COL from the file's column HEADER (a file with its own headings)", NULL},
    {"year", "Y", 0, "with --map: the calendar year of a population file without a year column", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_COMPARE[] = {
    {"period", "P", 1, CLI_PERIOD_HELP, NULL},
    {"area", "A", 0, "one area (default: every area)", NULL},
    {"format", "FORMAT", 0, "the output (default csv)", cli_figures_formats},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_BENCHMARK[] = {
    {"indicator", "CODE", 1, "the indicator", NULL},
    {"period", "P", 1, CLI_PERIOD_HELP, NULL},
    {"group", "G", 1, "the comparator group", NULL},
    {"per", "N", 0, "rates per N residents (default: the indicator's per, else 1000)", NULL},
    {"format", "FORMAT", 0, "the output (default csv)", cli_figures_formats},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_DELIVERY[] = {
    {"period", "P", 1, CLI_PERIOD_HELP, NULL},
    {"format", "FORMAT", 0, "the output (default csv)", cli_figures_formats},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_REPORT[] = {
    {"period", "P", 1, CLI_PERIOD_HELP, NULL},
    {"area", "A", 0, "the area the paper is about (default: the home area)", NULL},
    {"format", "FORMAT", 1, "the paper's format", render_format_list},
    {"o", "FILE", 0, "write the paper to FILE (default: standard output; needed for pdf, docx, xlsx on a terminal)",
     NULL},
    {"reference-doc", "FILE", 0, "with --format docx: styles, page set-up, header and footer from this .docx", NULL},
    {"strict", NULL, 0, "fail (exit 1, nothing written) when the paper is missing any figure; the list goes to standard error", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_COPY[] = {
    {"from", "SRC", 1, "the database to copy: a SQLite file or postgresql://...", NULL},
    {"to", "DST", 1, "the new database (must not hold tables yet)", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_BACKUP[] = {
    {"force", NULL, 0, "replace FILE if it exists", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_SERVE[] = {
    {"listen", "ADDR:PORT", 0, "where to listen (default 127.0.0.1:8080)", NULL},
    {"public", NULL, 0, "anyone may read without signing in; changing anything still needs an account", NULL},
    {"threads", "N", 0, "server threads (default: one per core)", NULL},
    {"templates", "DIR", 0, "report templates offered besides the worked example's: every NAME.md in DIR", NULL},
    {"no-supervise", NULL, 0, "serve in this one process, without the supervisor (for debugging)", NULL},
    {"routes", NULL, 0, "print the route table and exit", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_USER[] = {
    {"role", "admin|officer|editor|viewer", 1, "with add: what the user may do", NULL},
    {"partner", "PARTNER", 0, "with add: the organisation whose data an editor enters (needed for an editor)", NULL},
    {"email", "ADDRESS", 0, "with add: where `kpi remind` writes to the user", NULL},
    {NULL, NULL, 0, NULL, NULL}};
/* The quarterly cycle (cmd_cycle.c). */
static const CliOption OPTS_ROUND[] = {
    {"due", "YYYY-MM-DD", 0, "with open: the due date (required)", NULL},
    {"opens", "YYYY-MM-DD", 0, "with open: the day it opens (default today, or the due date if earlier)", NULL},
    {"remind", "D,D,...", 0, "with open: reminder days counted from the due date (default " CYCLE_DEFAULT_REMIND ")", NULL},
    {"exceptions", "red|amber", 0, "with open: which figures need exception commentary before a return is submitted: red or amber (amber and red); default " CYCLE_DEFAULT_EXCEPTIONS, NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_RETURN_PARTNER[] = {
    {"partner", "NAME", 1, "the partner whose return it is", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_RETURN[] = {
    {"partner", "NAME", 1, "the partner whose return it is", NULL},
    {"reason", "TEXT", 1, "why it goes back", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_EXCEPTION[] = {
    {"indicator", "CODE", 1, "the indicator", NULL},
    {"area", "A", 0, "the area (default: the home area)", NULL},
    {"cause", "TEXT", 1, "why the figure is off track", NULL},
    {"action", "TEXT", 1, "what is being done", NULL},
    {"owner", "NAME", 1, "who owns the action", NULL},
    {"date", "YYYY-MM-DD", 1, "when the action is due", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_PUBLISH[] = {
    {"template", "FILE", 0, "the paper's template (default: the worked example's)", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_REOPEN[] = {
    {"reason", "TEXT", 1, "why it is reopened (logged)", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_PAPER[] = {
    {"format", "FORMAT", 0, "with get: the file's format", render_format_list},
    {"o", "FILE", 0, "with get: write it to FILE (- is standard output)", NULL},
    {NULL, NULL, 0, NULL, NULL}};
static const CliOption OPTS_REMIND[] = {
    {"today", "YYYY-MM-DD", 0, "the day to remind for (default: today, UTC)", NULL},
    {NULL, NULL, 0, NULL, NULL}};

const CliCommand cli_commands[] = {
    {"init", cmd_init, "", OPTS_INIT, NULL,
     "create the database (idempotent); the home area (declared as an area) and first month of the financial year"},
    {"import", cmd_import, "KIND FILE...", OPTS_IMPORT, NULL,
     "load CSV or .xlsx files: KIND is areas, indicators, values, targets, projects, statuses, rebases, population, groups or police"},
    {"compare", cmd_compare, "", OPTS_COMPARE, NULL,
     "each indicator's figures for a period: last year, year to date, target, RAG, direction"},
    {"benchmark", cmd_benchmark, "", OPTS_BENCHMARK, NULL,
     "each area of a group: rate per N residents with its 95% interval, rank, group rate, verdict"},
    {"delivery", cmd_delivery, "", OPTS_DELIVERY, NULL,
     "delivery-plan status counts with percentages of the reported items"},
    {"report", cmd_report, "TEMPLATE", OPTS_REPORT, NULL, "render a report template into a paper"},
    {"copy", cmd_copy, "", OPTS_COPY, NULL,
     "copy a whole database into a new one (SQLite, PostgreSQL, either way), history included"},
    {"backup", cmd_backup, "FILE", OPTS_BACKUP, NULL,
     "a consistent copy of a SQLite database in a new FILE while it is in use (PostgreSQL: says how, with pg_dump)"},
    {"dump", cmd_dump, "", NULL, NULL, "every table's rows as text in a canonical order (to compare databases)"},
    {"demo", cmd_demo, "[DIR]", NULL, NULL, "build the worked example (Chorley, Q2 2011/12) into DIR (default ./demo)"},
    {"serve", cmd_serve, "", OPTS_SERVE, NULL,
     "the web application (default 127.0.0.1:8080), restarted by a supervisor if it dies; --public lets anyone read"},
    {"user", cmd_user, "add NAME", OPTS_USER, "user list", "add a web user (password: first line of standard input), or list them"},
    {"token", cmd_token, "add NAME", NULL, NULL, "make an API token for a user (printed once, on the last line)"},
    {"round", cmd_round, "open|close P", OPTS_ROUND, "round list",
     "collection rounds: a period's open and due dates and reminder days"},
    {"submit", cmd_submit, "P", OPTS_RETURN_PARTNER, NULL,
     "a partner's return for a round (red figures need an exception first)"},
    {"approve", cmd_approve, "P", OPTS_RETURN_PARTNER, NULL, "approve a submitted return"},
    {"return", cmd_return, "P", OPTS_RETURN, NULL, "send a submitted return back, with the reason"},
    {"exception", cmd_exception, "P", OPTS_EXCEPTION, NULL,
     "exception commentary for a figure (what a red figure needs before its return is submitted)"},
    {"publish", cmd_publish, "P", OPTS_PUBLISH, NULL,
     "when every return is approved: store the paper in every format with SHA-256s, lock the period, print the paper id"},
    {"reopen", cmd_reopen, "P", OPTS_REOPEN, NULL, "unlock a published period (logged); its paper stays as published"},
    {"paper", cmd_paper, "list | paper get ID", OPTS_PAPER, NULL, "published papers, byte for byte"},
    {"remind", cmd_remind, "", OPTS_REMIND, NULL,
     "e-mail editors their missing figures and officers a digest at each round's reminder days (KPI_SMTP_URL)"},
    {"help", cmd_help, "[COMMAND]", NULL, NULL, "this list, or one command's usage and options"},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const CliCommand *cli_command(const char *name)
{
    for (const CliCommand *c = cli_commands; c->name; c++) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

/* "--name" or "-o": how an option is written. */
static void cli_option_spelling(const CliOption *op, Buf *out)
{
    buf_printf(out, "%s%s", op->name[1] ? "--" : "-", op->name);
}

void cli_synopsis(const CliCommand *c, Buf *out)
{
    buf_puts(out, c->name);
    if (c->args[0])
        buf_printf(out, " %s", c->args);
    for (const CliOption *op = c->opts; op && op->name; op++) {
        buf_puts(out, op->required ? " " : " [");
        cli_option_spelling(op, out);
        if (op->value)
            buf_printf(out, " %s", op->value);
        if (!op->required)
            buf_putc(out, ']');
    }
    if (c->also)
        buf_printf(out, " | %s", c->also);
}

/* ", did you mean 'X'?" for the name in names[0..n) nearest to `name`, or nothing. */
static void cli_did_you_mean(Buf *out, const char *name, const char *const *names, int n, const char *prefix)
{
    const char *near = validate_suggest(name, (char *const *)names, n);
    if (near)
        buf_printf(out, ": did you mean '%s%s'?", prefix, near);
}

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

/* The option of `opts` called name[0..n), or NULL. */
static const CliOption *cli_option(const CliOption *opts, const char *name, size_t n)
{
    for (const CliOption *op = opts; op && op->name; op++) {
        if (strlen(op->name) == n && strncmp(op->name, name, n) == 0)
            return op;
    }
    return NULL;
}

/* Refuse an unknown option: "unknown option '--perod': did you mean '--period'?" */
static int cli_unknown_option(const CliOption *opts, const char *arg, const char *name, size_t n, Err *err)
{
    const char *names[CLI_MAX_ARGS];
    int k = 0;
    for (const CliOption *op = opts; op && op->name && k < CLI_MAX_ARGS; op++)
        if (op->name[1]) /* a one-letter option is no near miss worth naming */
            names[k++] = op->name;
    char *given = xstrndup(name, n);
    Buf m = BUF_INIT;
    buf_printf(&m, "unknown option '%s'", arg);
    cli_did_you_mean(&m, given, names, k, "--");
    cli_usage_error(err, "%s", buf_cstr(&m));
    buf_release(&m);
    free(given);
    return -1;
}

int cli_parse(const CliCtx *ctx, CliOpts *o, Err *err)
{
    const CliOption *opts = ctx->cmd ? ctx->cmd->opts : NULL;
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
        int is_short = a[0] == '-' && a[1] && a[1] != '-' && !a[2];
        if ((a[0] == '-' && a[1] == '-' && a[2]) || (is_short && cli_option(opts, a + 1, 1))) {
            const char *name = is_short ? a + 1 : a + 2;
            const char *eq = is_short ? NULL : strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            const CliOption *op = cli_option(opts, name, n);
            if (o->nopts == CLI_MAX_ARGS)
                return cli_usage_error(err, "too many options");
            if (!op || (!op->name[1] && !is_short) || (!op->value && eq))
                return cli_unknown_option(opts, a, name, n, err);
            const char *v = "";
            if (op->value) {
                v = eq ? eq + 1 : NULL;
                if (!v) {
                    if (i + 1 >= ctx->argc)
                        return cli_usage_error(err, "option %s needs a value", a);
                    v = ctx->argv[++i];
                }
                for (int k = 0; k < o->nopts; k++) {
                    if (strcmp(o->names[k], op->name) == 0)
                        return cli_usage_error(err, "option --%.*s given twice", (int)n, name);
                }
            }
            o->names[o->nopts] = op->name; /* the table's own string: nothing to free */
            o->values[o->nopts++] = v;
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

void cli_opts_release(CliOpts *o)
{
    o->nopts = 0; /* names are the command table's strings, values argv's */
}

/* Write all of data to fd; 0, or -1 with errno set. */
static int cli_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Follow `path` through symbolic links (at most CLI_MAX_LINKS) to the name that
 * will really be written, into *out. A link to a file not there yet resolves to
 * that file's name. 0, or -1 with *err set. */
#define CLI_MAX_LINKS 40
static int cli_resolve(const char *path, Buf *out, Err *err)
{
    buf_reset(out);
    buf_puts(out, path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(buf_cstr(out), &st) != 0 || !S_ISLNK(st.st_mode))
            return 0;
        if (hops == CLI_MAX_LINKS)
            return err_set(err, "%s: too many symbolic links", path);
        char target[PATH_MAX];
        ssize_t n = readlink(buf_cstr(out), target, sizeof target - 1);
        if (n < 0)
            return err_set(err, "%s: cannot read the link: %s", path, strerror(errno));
        target[n] = '\0';
        if (target[0] == '/') {
            buf_reset(out);
            buf_puts(out, target);
        } else {
            /* relative to the folder holding the link */
            char *dir = xstrdup(buf_cstr(out));
            char *slash = strrchr(dir, '/');
            buf_reset(out);
            if (slash) {
                slash[1] = '\0';
                buf_puts(out, dir);
            }
            buf_puts(out, target);
            free(dir);
        }
    }
}

int cli_write_file(const char *path, const char *data, size_t len, Err *err)
{
    if (strcmp(path, "-") == 0) {
        fflush(stdout);
        if (cli_write_all(STDOUT_FILENO, data, len) != 0)
            return err_set(err, "standard output: cannot write: %s", strerror(errno));
        return 0;
    }
    Buf real = BUF_INIT, tmp = BUF_INIT;
    int rc = -1, fd = -1;
    struct stat st;
    if (cli_resolve(path, &real, err) < 0)
        goto out;
    const char *name = buf_cstr(&real);
    int exists = stat(name, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        err_set(err, "%s: is a folder, not a file", path);
        goto out;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device or a FIFO: write into it, never rename over it */
        fd = open(name, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || cli_write_all(fd, data, len) != 0) {
            err_set(err, "%s: cannot write: %s", path, strerror(errno));
            goto out;
        }
        rc = 0;
        goto out;
    }
    /* A regular file, or none yet: a temporary file made exclusively beside
     * it, flushed to disk, then renamed over it, keeping its permissions. */
    buf_printf(&tmp, "%s.tmp.XXXXXX", name);
    fd = mkstemp(tmp.data);
    if (fd < 0) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        buf_reset(&tmp);
        goto out;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
        if (fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* not the owner: the new file is ours, as any editor would leave it */
        }
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || cli_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(buf_cstr(&tmp), name) != 0) {
        err_set(err, "%s: cannot write: %s", path, strerror(errno));
        goto out;
    }
    buf_reset(&tmp); /* renamed: nothing to remove */
    /* the rename itself reaches the disk with its folder */
    char *dir = xstrdup(name);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = '\0';
    int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    free(dir);
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp.len > 0)
        unlink(buf_cstr(&tmp));
    buf_release(&tmp);
    buf_release(&real);
    return rc;
}

/* The names of the commands, for "did you mean". */
static int cli_command_names(const char *names[], int most)
{
    int n = 0;
    for (const CliCommand *c = cli_commands; c->name && n < most; c++)
        names[n++] = c->name;
    return n;
}

/* Refuse a command that is not in the table, naming the nearest one. */
static int cli_unknown_command(Err *err, const char *what, const char *name)
{
    const char *names[32];
    int n = cli_command_names(names, 32);
    Buf m = BUF_INIT;
    buf_printf(&m, "%s '%s'", what, name);
    cli_did_you_mean(&m, name, names, n, "");
    buf_puts(&m, " (try `kpi help`)");
    cli_usage_error(err, "%s", buf_cstr(&m));
    buf_release(&m);
    return -1;
}

int cmd_help(CliCtx *ctx, Err *err)
{
    if (ctx->argc > 0) {
        const CliCommand *c = cli_command(ctx->argv[0]);
        if (!c)
            return cli_unknown_command(err, "no command", ctx->argv[0]);
        Buf b = BUF_INIT;
        cli_synopsis(c, &b);
        printf("usage: kpi [--db URL] %s\n  %s\n", buf_cstr(&b), c->help);
        if (c->opts && c->opts->name)
            printf("\noptions:\n");
        int width = 0; /* of the widest "--name VALUE", so the help lines align */
        for (int pass = 0; pass < 2; pass++) {
            for (const CliOption *op = c->opts; op && op->name; op++) {
                buf_reset(&b);
                cli_option_spelling(op, &b);
                if (op->value)
                    buf_printf(&b, " %s", op->value);
                if (pass == 0) {
                    width = (int)b.len > width ? (int)b.len : width;
                    continue;
                }
                printf("  %-*s  %s%s", width, buf_cstr(&b), op->required ? "(required) " : "", op->help);
                if (op->choices)
                    printf(": %s", op->choices());
                putchar('\n');
            }
        }
        buf_release(&b);
        return 0;
    }
    printf("kpi — performance figures and reports for local partnerships\n\n"
           "usage: kpi [--db URL] COMMAND [ARGS]\n"
           "       kpi --version\n\n"
           "  --db URL   the database: a SQLite file (default %s, or $KPI_DB) or postgresql://...\n\n"
           "commands:\n",
           CLI_DEFAULT_DB);
    for (const CliCommand *c = cli_commands; c->name; c++)
        printf("  %-10s %s\n", c->name, c->help);
    printf("\nPeriods: 2011-07 (month), \"2011/12 Q2\" (quarter), 2011/12 (financial year).\n"
           "`kpi help COMMAND` gives a command's usage and every option it takes.\n");
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
    /* --db and --help may stand anywhere before a `--`; after it every word is
     * the command's. --help (or -h) anywhere asks for help: with a command word
     * before or after it, that command's help (`kpi demo --help` never builds a
     * folder called "help"). */
    int want_help = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                rest[nrest++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                cli_usage_error(&err, "option --db needs a value");
                goto out;
            }
            db = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            db = argv[i] + 5;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            want_help = 1;
        } else if (nrest == 0 && strcmp(argv[i], "--version") == 0) {
            printf("kpi %s\n", KPI_VERSION);
            goto out;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    if (want_help) {
        /* "help" and the command word, if one was given (the first word) */
        rest[1] = nrest > 0 && strcmp(rest[0], "help") != 0 ? rest[0] : nrest > 1 ? rest[1] : NULL;
        rest[0] = "help";
        nrest = rest[1] ? 2 : 1;
    }
    if (nrest == 0) {
        CliCtx ctx = {db, 0, rest, cli_command("help")};
        cmd_help(&ctx, &err);
        cli_usage_error(&err, "no command given");
        goto out;
    }
    const CliCommand *cmd = cli_command(rest[0]);
    if (!cmd) {
        cli_unknown_command(&err, "unknown command", rest[0]);
        goto out;
    }
    CliCtx ctx = {db, nrest - 1, rest + 1, cmd};
    if (cmd->handler(&ctx, &err) < 0 && !err_is_set(&err))
        err_set(&err, "%s failed", cmd->name);
    if (err_is_set(&err) && err.usage) {
        Buf syn = BUF_INIT;
        cli_synopsis(cmd, &syn);
        fprintf(stderr, "usage: kpi %s\n", buf_cstr(&syn));
        buf_release(&syn);
    }
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
    err_release(&err);
    free(rest);
    return status;
}
