/* rows.h — where the importers take their rows from: a CSV file (rows_csv.c)
 * or one sheet of an .xlsx workbook (rows_xlsx.c). import.c reads through
 * this interface only, so both forms share every rule and message; a source
 * names the place of a fault in its own terms: FILE:LINE for CSV,
 * FILE:SHEET!CELL for a workbook. */
#ifndef KPI_ROWS_H
#define KPI_ROWS_H

#include "buf.h"
#include "err.h"

typedef struct Rows Rows;

typedef struct RowsOps {
    int (*next)(Rows *r, Err *err);                 /* 1 a row, 0 the end, -1 error */
    const char *(*field)(const Rows *r, int i);     /* "" beyond the row */
    void (*where)(const Rows *r, int field, Buf *out);
    int (*check_width)(Rows *r, int width, Err *err);
    void (*close)(Rows *r);
} RowsOps;

struct Rows {
    const RowsOps *ops;
    const char *path;     /* the file, for messages; not owned */
    const char *unit;     /* what `line` counts: "line" (CSV) or "row" (sheet) */
    long line;            /* where the current row starts */
    int nfields;          /* fields of the current row */
    void *impl;           /* the implementation's state */
};

/* Open path as a CSV file or, when it is a zip archive, an .xlsx workbook
 * (sheet: its name, NULL for the first; given with a CSV file it is an
 * error). Pair with rows_close, also after a failed open. */
int rows_open(Rows *r, const char *path, const char *sheet, Err *err);
int rows_open_csv(Rows *r, const char *path, Err *err);
int rows_open_xlsx(Rows *r, const char *path, const char *sheet, Err *err);
void rows_close(Rows *r);

int rows_next(Rows *r, Err *err);
const char *rows_field(const Rows *r, int i);
/* The place of field i of the current row ("values.csv:7" or
 * "values.xlsx:Sheet1!D7"); i < 0 names the row itself. */
void rows_where(const Rows *r, int i, Buf *out);
/* Check the current row against the header's width: CSV rows must match it
 * ("3 fields, but the header has 4"); a sheet's row may be shorter (empty
 * cells) but holds nothing beyond it. */
int rows_check_width(Rows *r, int width, Err *err);

#endif
