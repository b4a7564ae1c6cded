/* cli.h — the command table and the small option parser every command uses.
 * `kpi help` and the dispatcher read the same table (cli.c). */
#ifndef KPI_CLI_H
#define KPI_CLI_H

#include "err.h"

#define CLI_MAX_ARGS 64 /* positional arguments one command takes */

/* What a command is given: the database URL and its own arguments. */
typedef struct CliCtx {
    const char *db_url;
    int argc;
    char **argv;     /* the command's arguments, after its name */
} CliCtx;

typedef int (*CliHandler)(CliCtx *ctx, Err *err);

typedef struct CliCommand {
    const char *name;
    CliHandler handler;
    const char *usage;  /* "compare --period P [--area A] [--format csv|json|table]" */
    const char *help;   /* one line */
} CliCommand;

extern const CliCommand cli_commands[];

/* Parsed options: `--name value` or `--name=value` for names in `with_value`,
 * bare `--name` for names in `flags`, everything else positional. */
typedef struct CliOpts {
    const char *names[CLI_MAX_ARGS];
    const char *values[CLI_MAX_ARGS];
    int nopts;
    char *pos[CLI_MAX_ARGS];
    int npos;
} CliOpts;

/* with_value and flags are space-separated option names without dashes, e.g.
 * "period area format" and "public". Unknown options and missing values are
 * usage errors (err->usage = 1). */
int cli_parse(const CliCtx *ctx, const char *with_value, const char *flags, CliOpts *o, Err *err);
const char *cli_opt(const CliOpts *o, const char *name); /* NULL when not given */
void cli_opts_free(CliOpts *o);
int cli_usage_error(Err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run the program: global options, then dispatch. Returns the exit status. */
int cli_main(int argc, char **argv);

/* The command handlers (cmd_*.c). */
int cmd_help(CliCtx *ctx, Err *err);
int cmd_init(CliCtx *ctx, Err *err);
int cmd_import(CliCtx *ctx, Err *err);
int cmd_compare(CliCtx *ctx, Err *err);
int cmd_benchmark(CliCtx *ctx, Err *err); /* cmd_benchmark.c */
int cmd_delivery(CliCtx *ctx, Err *err);
int cmd_report(CliCtx *ctx, Err *err);
int cmd_demo(CliCtx *ctx, Err *err);
int cmd_copy(CliCtx *ctx, Err *err); /* cmd_copy.c */
int cmd_dump(CliCtx *ctx, Err *err);
int cmd_backup(CliCtx *ctx, Err *err); /* cmd_backup.c */
int cmd_serve(CliCtx *ctx, Err *err); /* cmd_serve.c */
int cmd_user(CliCtx *ctx, Err *err);  /* cmd_user.c */
int cmd_token(CliCtx *ctx, Err *err);
/* cmd_cycle.c: the quarterly cycle (issue 11) */
int cmd_round(CliCtx *ctx, Err *err);
int cmd_submit(CliCtx *ctx, Err *err);
int cmd_approve(CliCtx *ctx, Err *err);
int cmd_return(CliCtx *ctx, Err *err);
int cmd_exception(CliCtx *ctx, Err *err);
int cmd_publish(CliCtx *ctx, Err *err);
int cmd_reopen(CliCtx *ctx, Err *err);
int cmd_paper(CliCtx *ctx, Err *err);
int cmd_remind(CliCtx *ctx, Err *err);
/* kpi demo: record `period` as published from the papers already written
 * to DIR/report.FORMAT (a round due 2011-10-20, every return approved, the
 * paper stored and the period locked), in one transaction. */
struct Store;
int cycle_demo_publish(struct Store *s, const char *dir, const char *const *formats, int nformats, const char *period,
                       Err *err);

/* Write `data` to `path`. "-" is standard output. A symbolic link is followed
 * and its target written. A path that exists and is not a regular file (a
 * device, a FIFO) is written directly, never renamed over. Otherwise the file
 * is replaced atomically: a temporary file created exclusively beside it,
 * flushed to disk and renamed over it, keeping the old file's permissions
 * (a new file gets 0666 less the umask), so a failure never leaves a partial
 * file. 0, or -1 with *err set naming `path`. */
int cli_write_file(const char *path, const char *data, size_t len, Err *err);

#endif
