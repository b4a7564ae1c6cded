/* bench_rows.h — the rows of `kpi benchmark` as text cells, computed from
 * the store (group, populations, per) and a loaded dataset (the period's
 * values) through the pure benchmark.c. Shared by the CLI (cmd_benchmark.c)
 * and the reports' {{benchmark}} directive (through ReportCtx.benchmark,
 * which dataset_report sets), so both say the same thing. */
#ifndef KPI_BENCH_ROWS_H
#define KPI_BENCH_ROWS_H

#include "dataset.h"
#include "report.h"
#include "store.h"

extern const char *const bench_columns[REPORT_BENCH_NCOLS];

/* 1 for the columns that hold numbers (JSON numbers, not strings). */
int bench_is_number(int c);

/* The rows of indicator `code` for d->period over group `group`, in the
 * group's order: out->cells gets nrows × REPORT_BENCH_NCOLS strings (the
 * columns of bench_columns; "" when absent). per: residents a rate is per,
 * 0 for the indicator's own `per`, else 1,000. Errors (unknown group or
 * indicator, an indicator that is neither a count nor a ratio, no value
 * in any area of the group) set err and return -1 with nothing allocated.
 * Free with report_bench_release. */
int bench_rows(Store *s, Dataset *d, const char *code, const char *group, int64_t per, ReportBench *out,
               Err *err);

#endif
