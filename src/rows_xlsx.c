/* rows_xlsx.c — the row source over one sheet of an .xlsx workbook
 * (xlsx_read.c): places are FILE:SHEET!CELL, so a fault names the cell. */
#include "rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_read.h"

static int rows_xlsx_next(Rows *r, Err *err)
{
    XlsxReader *x = r->impl;
    int got = xlsx_next(x, err);
    if (got > 0) {
        r->line = xlsx_row(x);
        r->nfields = xlsx_ncells(x);
    }
    return got;
}

static const char *rows_xlsx_field(const Rows *r, int i)
{
    return xlsx_cell(r->impl, i);
}

static void rows_xlsx_where(const Rows *r, int field, Buf *out)
{
    const XlsxReader *x = r->impl;
    xlsx_where(out, r->path, xlsx_sheet(x), field, r->line);
}

static int rows_xlsx_check_width(Rows *r, int width, Err *err)
{
    for (int i = width; i < r->nfields; i++) {
        if (*rows_xlsx_field(r, i)) {
            Buf loc = BUF_INIT, col = BUF_INIT;
            rows_xlsx_where(r, i, &loc);
            xlsx_cell_name(&col, i, 1);
            col.len -= 1; /* the column's letters: drop the row number */
            col.data[col.len] = '\0';
            err_set(err, "%s: a value in column %s, which has no name in the header row", buf_cstr(&loc),
                    buf_cstr(&col));
            buf_release(&loc);
            buf_release(&col);
            return -1;
        }
    }
    return 0;
}

static void rows_xlsx_close(Rows *r)
{
    xlsx_close(r->impl);
    free(r->impl);
}

static const RowsOps ROWS_XLSX_OPS = {
    rows_xlsx_next, rows_xlsx_field, rows_xlsx_where, rows_xlsx_check_width, rows_xlsx_close,
};

int rows_open_xlsx(Rows *r, const char *path, const char *sheet, Err *err)
{
    XlsxReader *x = xcalloc(1, sizeof *x);
    memset(r, 0, sizeof *r);
    r->ops = &ROWS_XLSX_OPS;
    r->path = path;
    r->unit = "row";
    r->impl = x;
    return xlsx_open(x, path, sheet, err);
}
