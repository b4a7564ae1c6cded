/* cmd_copy.c — the commands over whole databases: `kpi copy` moves one
 * between back ends (SQLite and PostgreSQL, either way); `kpi dump` prints
 * one as canonical text, the same on both back ends for the same data. */
#include <stdio.h>

#include "cli.h"
#include "store_copy.h"

int cmd_copy(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Buf summary = BUF_INIT;
    int rc = -1;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    const char *from = cli_opt(&o, "from"), *to = cli_opt(&o, "to");
    if (o.npos > 0) {
        cli_usage_error(err, "unexpected argument '%s'", o.pos[0]);
        goto out;
    }
    if (!from || !to || !*from || !*to) {
        cli_usage_error(err, "copy needs --from SRC and --to DST (a SQLite file or postgresql://...)");
        goto out;
    }
    if (store_copy(from, to, &summary, err) < 0)
        goto out;
    puts(buf_cstr(&summary));
    rc = 0;
out:
    buf_release(&summary);
    cli_opts_release(&o);
    return rc;
}

int cmd_dump(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Buf out = BUF_INIT;
    int rc = -1;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos > 0) {
        cli_usage_error(err, "dump takes no arguments");
        goto out;
    }
    if (store_dump(ctx->db_url, &out, err) < 0)
        goto out;
    fwrite(buf_cstr(&out), 1, out.len, stdout);
    rc = 0;
out:
    buf_release(&out);
    cli_opts_release(&o);
    return rc;
}
