/* compare.h — the rows of `kpi compare` as text cells: docs/cli.md's column
 * names in its order, and each figure formatted as the CLI prints it. Shared
 * by the CLI (cmd_figures.c) and the JSON API (web_api.c), so both say the
 * same thing. */
#ifndef KPI_COMPARE_H
#define KPI_COMPARE_H

#include "buf.h"
#include "figures.h"

#define COMPARE_NCOLS 23
#define COMPARE_PCT_DECIMALS 1 /* percentages of change print with one decimal */
#define COMPARE_P_DECIMALS 3   /* a p-value prints with three */

extern const char *const compare_columns[COMPARE_NCOLS];

/* 1 for the columns that hold numbers (JSON numbers, not strings). */
int compare_is_number(int c);

/* Format the cells of one row of indicator `code` (its `title`, figures
 * printed with def->decimals); empty strings for absent figures. The SPC
 * limits (spc_mean, spc_lower, spc_upper) print with one decimal place more
 * than the indicator's own figures. */
void compare_cells(const char *code, const char *title, const IndicatorDef *def, const char *area,
                   const char *period, const CompareRow *r, Buf cells[COMPARE_NCOLS]);

#endif
