/* report.c — lookups over a ReportCtx, the in-memory input of a report. */
#include "report.h"

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
