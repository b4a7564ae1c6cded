/* cli.h — the command table and the small option parser every command uses.
 * The dispatcher, the option parser and `kpi help` read the same table
 * (cli.c): an option is accepted by a command exactly when its help lists it. */
#ifndef KPI_CLI_H
#define KPI_CLI_H

#include "buf.h"
#include "err.h"

#define CLI_MAX_ARGS 64 /* positional arguments one command takes */

struct CliCommand;

/* What a command is given: the database URL, its own arguments and its
 * entry in the command table (whose options cli_parse accepts). */
typedef struct CliCtx {
    const char *db_url;
    int argc;
    char **argv;     /* the command's arguments, after its name */
    const struct CliCommand *cmd;
} CliCtx;

typedef int (*CliHandler)(CliCtx *ctx, Err *err);

/* One option of a command, for the parser and for help alike. */
typedef struct CliOption {
    const char *name;      /* without dashes ("period"); a one-letter name is written -o */
    const char *value;     /* what its value is called in help ("P", "FILE"); NULL for a flag */
    int required;          /* 1: the synopsis shows it without brackets (the command checks it) */
    const char *help;      /* one line */
    const char *(*choices)(void); /* NULL, or the values it takes, "md, txt, html", added to help */
} CliOption;

typedef struct CliCommand {
    const char *name;
    CliHandler handler;
    const char *args;       /* positional arguments for the synopsis: "TEMPLATE", "" for none */
    const CliOption *opts;  /* ended by {NULL}; NULL for a command without options */
    const char *also;       /* another form of the command for the synopsis ("user list"), or NULL */
    const char *help;       /* one line */
} CliCommand;

extern const CliCommand cli_commands[];

/* The command called `name`; NULL when none is. */
const CliCommand *cli_command(const char *name);
/* Append the synopsis of c, generated from its table entry:
 * "report TEMPLATE --period P [--area A] --format FORMAT [-o FILE] ...". */
void cli_synopsis(const CliCommand *c, Buf *out);

/* Parsed options: `--name value` or `--name=value` for names in `with_value`,
 * bare `--name` for names in `flags`, everything else positional. */
typedef struct CliOpts {
    const char *names[CLI_MAX_ARGS];
    const char *values[CLI_MAX_ARGS];
    int nopts;
    char *pos[CLI_MAX_ARGS];
    int npos;
} CliOpts;

/* Parse ctx's arguments against the options of ctx->cmd (its table entry):
 * `--name value`, `--name=value` or `-o value` for an option with a value,
 * bare `--name` for a flag, everything else positional (all of it after
 * `--`). Unknown options (with a "did you mean" when one is close), missing
 * values and an option given twice are usage errors (err->usage = 1). */
int cli_parse(const CliCtx *ctx, CliOpts *o, Err *err);
const char *cli_opt(const CliOpts *o, const char *name); /* NULL when not given */
void cli_opts_release(CliOpts *o); /* names point into the command table and values into argv: nothing is freed */
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
/* cmd_cycle.c: the quarterly cycle (docs/web.md) */
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
