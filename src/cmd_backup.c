/* cmd_backup.c — `kpi backup FILE [--force]`: a consistent copy of a SQLite
 * database in a new file, made while `kpi serve` or an import runs (the
 * online backup API behind db_backup); on PostgreSQL it says which pg_dump
 * command to run instead. See docs/backup.md. */
#include <stdio.h>

#include "cli.h"
#include "store_copy.h"

int cmd_backup(CliCtx *ctx, Err *err)
{
    CliOpts o;
    int rc = -1;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos != 1) {
        cli_usage_error(err, o.npos ? "backup takes one FILE" : "backup needs the FILE to write the copy to");
        goto out;
    }
    if (store_backup(ctx->db_url, o.pos[0], cli_opt(&o, "force") != NULL, err) < 0)
        goto out;
    printf("%s: a copy of %s, consistent as of one moment\n", o.pos[0], ctx->db_url);
    rc = 0;
out:
    cli_opts_release(&o);
    return rc;
}
