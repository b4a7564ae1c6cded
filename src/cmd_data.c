/* cmd_data.c — the commands that write: init and import. Each is one
 * transaction: on any error nothing is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "import.h"
#include "police.h"
#include "store.h"

int cmd_init(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    int fy_start = 0, rc = -1;
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    if (o.npos > 0) {
        cli_usage_error(err, "init takes no arguments");
        goto out;
    }
    const char *fy = cli_opt(&o, "fy-start"), *area = cli_opt(&o, "area");
    if (fy) {
        char *end;
        long v = strtol(fy, &end, 10);
        if (*end || v < 1 || v > 12) {
            cli_usage_error(err, "--fy-start '%s': expected a month number from 1 to 12", fy);
            goto out;
        }
        fy_start = (int)v;
    }
    if (area && !*area) {
        cli_usage_error(err, "--area must not be empty");
        goto out;
    }
    if (store_open(ctx->db_url, 1, &s, err) < 0)
        goto out;
    rc = store_init(&s, area, fy_start, err);
    if (rc == 0)
        printf("%s: ready (home area %s, financial year starts in month %d)\n", ctx->db_url, s.home_area,
               s.fy_start);
    store_close(&s);
out:
    cli_opts_release(&o);
    return rc;
}

int cmd_import(CliCtx *ctx, Err *err)
{
    CliOpts o;
    Store s;
    ImportKind kind;
    Buf summary = BUF_INIT;
    int rc = -1, opened = 0;

    ImportMap map;
    memset(&map, 0, sizeof map);
    if (cli_parse(ctx, &o, err) < 0)
        return -1;
    const char *sheet = cli_opt(&o, "sheet"), *maptext = cli_opt(&o, "map"), *year = cli_opt(&o, "year");
    if (o.npos < 2) {
        cli_usage_error(err, "import needs a KIND and at least one FILE");
        goto out;
    }
    int police = strcmp(o.pos[0], "police") == 0;
    if (!police && import_kind_parse(o.pos[0], &kind) < 0) {
        cli_usage_error(err, "unknown kind '%s' (expected areas, indicators, values, targets, projects, statuses, rebases, population, groups or police)",
                        o.pos[0]);
        goto out;
    }
    if (police && sheet) {
        cli_usage_error(err, "--sheet goes with spreadsheet files, not police data");
        goto out;
    }
    if ((maptext || year) && (police || kind != IMPORT_POPULATION)) {
        cli_usage_error(err, "--map and --year go with `kpi import population` (see docs/benchmark.md)");
        goto out;
    }
    if (year && !maptext) {
        cli_usage_error(err, "--year goes with --map (a file of kpi's own layout has a year column)");
        goto out;
    }
    if (maptext && import_map_parse(maptext, year, kind, &map, err) < 0) {
        err->usage = 1;
        goto out;
    }
    if (store_open(ctx->db_url, 0, &s, err) < 0)
        goto out;
    opened = 1;
    if (store_begin(&s, err) < 0)
        goto out;
    if (police) {
        if (police_import(&s, o.pos + 1, o.npos - 1, isatty(2), &summary, err) < 0)
            goto out;
    } else {
        for (int i = 1; i < o.npos; i++) {
            if (import_file_mapped(&s, kind, o.pos[i], sheet, maptext ? &map : NULL, &summary, err) < 0)
                goto out;
        }
    }
    if (store_commit(&s, err) < 0)
        goto out;
    fputs(buf_cstr(&summary), stdout);
    if (summary.len && summary.data[summary.len - 1] != '\n')
        putchar('\n');
    rc = 0;
out:
    if (opened) {
        if (rc < 0)
            store_rollback(&s);
        store_close(&s);
    }
    buf_release(&summary);
    import_map_release(&map);
    cli_opts_release(&o);
    return rc;
}
