/* report.c — lookups over a ReportCtx, the in-memory input of a report. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

const ReportIndicator *report_find(const ReportCtx *ctx, const char *code)
{
    if (!ctx || !code)
        return NULL;
    for (int i = 0; i < ctx->ninds; i++)
        if (ctx->inds[i].code && strcmp(ctx->inds[i].code, code) == 0)
            return &ctx->inds[i];
    return NULL;
}

void report_bench_release(ReportBench *b)
{
    for (int k = 0; k < b->nrows * REPORT_BENCH_NCOLS; k++)
        free(b->cells[k]);
    free(b->cells);
    free(b->title);
    memset(b, 0, sizeof *b);
}
