/* cli.c — the command table, global options, option parsing and dispatch. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLI_DEFAULT_DB "./kpi.db"

const CliCommand cli_commands[] = {
    {"init", cmd_init, "init [--area NAME] [--fy-start MONTH]",
     "create the database (idempotent); the home area (declared as an area) and first month of the financial year"},
    {"import", cmd_import, "import KIND [--sheet NAME] [--map COL=HEADER,... [--year Y]] FILE...",
     "load CSV or .xlsx files: KIND is areas, indicators, values, targets, projects, statuses, rebases, population, groups or police"},
    {"compare", cmd_compare, "compare --period P [--area A] [--format csv|json|table]",
     "each indicator's figures for a period: last year, year to date, target, RAG, direction"},
    {"benchmark", cmd_benchmark, "benchmark --indicator CODE --period P --group G [--per N] [--format csv|json|table]",
     "each area of a group: rate per N residents with its 95% interval, rank, group rate, verdict"},
    {"delivery", cmd_delivery, "delivery --period P [--format csv|json|table]",
     "delivery-plan status counts with percentages of the reported items"},
    {"report", cmd_report, "report TEMPLATE --period P [--area A] --format html|md|txt [-o FILE] [--strict]",
     "render a report template into a paper"},
    {"copy", cmd_copy, "copy --from SRC --to DST",
     "copy a whole database into a new one (SQLite, PostgreSQL, either way), history included"},
    {"backup", cmd_backup, "backup FILE [--force]",
     "a consistent copy of a SQLite database in a new FILE while it is in use (PostgreSQL: says how, with pg_dump)"},
    {"dump", cmd_dump, "dump", "every table's rows as text in a canonical order (to compare databases)"},
    {"demo", cmd_demo, "demo [DIR]", "build the worked example (Chorley, Q2 2011/12) into DIR (default ./demo)"},
    {"serve", cmd_serve, "serve [--listen ADDR:PORT] [--public] [--threads N] [--templates DIR] [--no-supervise] | serve --routes",
     "the web application (default 127.0.0.1:8080), restarted by a supervisor if it dies; --public lets anyone read"},
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
    buf_free(&tmp);
    buf_free(&real);
    return rc;
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
